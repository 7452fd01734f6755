/*
 * test_synth.c - synthetic SSDA903 returns: they read back without errors,
 * and the children in care at each 31 March are exactly the simulated
 * replication's stock.
 */
#include "carecast/fileio.h"
#include "carecast/model.h"
#include "carecast/sim.h"
#include "carecast/ssda903.h"
#include "carecast/synth.h"
#include "cc_test.h"

#include <unistd.h>

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/cc_test_synth.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_cc_synth_ssda903_reads_back_with_the_simulated_stock(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("models/example.json");
	cc_diags *d = cc_diags_alloc(2000);
	cc_synth_options o = { .years = 5, .seed = 3 };
	cc_synth_stats st;
	assert_int_equal(cc_synth_ssda903(m, &o, tmpdir, &st, d), CC_OK);
	assert_int_equal(st.returns, 5);
	assert_true(st.children > m->start_total);
	assert_true(st.episode_rows > st.episodes);

	/* The same replication, for its stock at each 31 March. */
	cc_sim_options so;
	cc_sim_options_default(&so);
	so.months = 60;
	so.replications = 1;
	so.seed = 3;
	so.parameter_uncertainty = 0;
	cc_results *r = NULL;
	assert_int_equal(cc_sim_run(m, &so, &r), CC_OK);
	const cc_layout *l = cc_results_layout(r);

	cc_ssda903_files *files = NULL;
	assert_int_equal(cc_ssda903_discover(tmpdir, &files, d), CC_OK);
	cc_ssda903_opts ro = { .year_label = CC_SSDA903_YEAR_ENDING };
	cc_ssda903 *ds = NULL;
	cc_ssda903_quality q;
	int rc = cc_ssda903_read(cc_ssda903_files_inputs(files), cc_ssda903_files_count(files), &ro,
	                         &ds, &q, d);
	for (size_t i = 0; rc != CC_OK && i < cc_diags_count(d); i++) {
		char *msg = cc_diag_format(cc_diags_get(d, i));
		fprintf(stderr, "%s\n", msg);
		free(msg);
	}
	assert_int_equal(rc, CC_OK);
	assert_int_equal(q.errors, 0);
	assert_int_equal(cc_ssda903_nchildren(ds), st.children);
	assert_int_equal(cc_ssda903_nepisodes(ds), st.episodes);
	for (size_t f = 0; f < l->n_fy; f++) {
		cc_date day = l->dates[l->fy[f].last_month];
		size_t in_care = 0;
		for (size_t c = 0; c < cc_ssda903_nchildren(ds); c++)
			in_care += cc_ssda903_episode_on(ds, c, day) != CC_SSDA903_NONE;
		assert_near((double)in_care, cc_results_value(r, l->fy_cla_31_march + f, 0), 0);
	}
	cc_ssda903_free(ds);
	cc_ssda903_files_free(files);
	cc_results_free(r);
	cc_diags_free(d);
	cc_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_synth_ssda903_reads_back_with_the_simulated_stock),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
