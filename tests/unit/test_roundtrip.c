/*
 * test_roundtrip.c - simulate a known model as SSDA903 returns, read them,
 * fit a model, and recover the rates the returns were made from.
 *
 * The national model (83,530 children, about 33,000 entries a year) is
 * written as five years of synthetic returns (carecast simulate), read back
 * and fitted with the base date at the last 31 March and a four-year window.
 * Each fitted rate's raw estimate (events / exposure, before shrinkage) must
 * lie within 4 standard errors of the true rate, and across the hundreds of
 * cells the share beyond 3 standard errors must be what chance allows: a
 * bias of a few per cent in the engine's timing, the synthetic dates or the
 * fit's bands shows up there long before it reaches 4 standard errors.
 */
#include "carecast/fit.h"
#include "carecast/model.h"
#include "carecast/ssda903.h"
#include "carecast/synth.h"
#include "cc_test.h"

#include <unistd.h>

static int model_category(const cc_model *m, const char *name)
{
	for (size_t c = 0; c < m->n_categories; c++)
		if (strcmp(m->categories[c].name, name) == 0)
			return (int)c;
	return -1;
}

static int model_reason(const cc_model *m, const char *name)
{
	for (size_t r = 0; r < m->n_reasons; r++)
		if (strcmp(m->reasons[r], name) == 0)
			return (int)r;
	return -1;
}

typedef struct {
	size_t cells, beyond3, beyond4;
	double max_z;
} tally;

/* A Poisson count's estimate against the truth. */
static void compare(tally *t, const char *what, double truth, double events, double exposure)
{
	double se = sqrt(truth / exposure), z = (events / exposure - truth) / se;
	t->cells++;
	t->beyond3 += fabs(z) > 3;
	if (fabs(z) > 4) {
		t->beyond4++;
		fprintf(stderr,
		        "%s: true %.5f, estimate %.5f (%.0f events in %.0f years), z = %.2f\n",
		        what, truth, events / exposure, events, exposure, z);
	}
	if (fabs(z) > t->max_z)
		t->max_z = fabs(z);
}

static void test_simulate_fit_recovers_the_rates(void **state)
{
	(void)state;
	const int small = cc_test_small();
	/* Under sanitizers and valgrind: the example county, three years (the
	 * same checks, with wider standard errors). */
	cc_model *m = cc_test_model_file(small ? "models/example.json" : "models/england.json");
	const unsigned years = small ? 3 : 5;
	char dir[] = "/tmp/cc_test_roundtrip.XXXXXX";
	assert_non_null(mkdtemp(dir));
	cc_diags *d = cc_diags_alloc(2000);
	cc_synth_options so = { .years = years, .seed = 5 };
	cc_synth_stats st;
	assert_int_equal(cc_synth_ssda903(m, &so, dir, &st, d), CC_OK);

	cc_ssda903_files *files = NULL;
	assert_int_equal(cc_ssda903_discover(dir, &files, d), CC_OK);
	cc_ssda903_opts ro = { .year_label = CC_SSDA903_YEAR_ENDING };
	cc_ssda903 *ds = NULL;
	cc_ssda903_quality q;
	assert_int_equal(cc_ssda903_read(cc_ssda903_files_inputs(files),
	                                 cc_ssda903_files_count(files), &ro, &ds, &q, d),
	                 CC_OK);
	assert_int_equal(q.errors, 0);
	cc_fit_opts fo;
	cc_fit_opts_default(&fo);
	fo.base_date = cc_date_month_end_add(m->base_date, 12 * (int)years);
	fo.window_years = years - 1;
	cc_fit *f = NULL;
	assert_int_equal(cc_fit_ssda903(ds, &fo, &f, d), CC_OK);

	cc_hazards h;
	assert_int_equal(cc_hazards_alloc(m, &h), CC_OK);
	cc_hazards_build(m, NULL, &h);
	const size_t O = h.n_outcomes;
	tally t = { 0 };
	char what[160];
	const double min_exposure = 50; /* child-years */
	for (size_t fc = 0; fc < cc_fit_ncategories(f); fc++) {
		int c = model_category(m, cc_fit_category(f, fc));
		if (c < 0)
			continue;
		/* Exit hazards by reason, age band, category, time-in-care band. */
		for (size_t b = 0; b < CC_FIT_NAGE; b++)
			for (size_t tb = 0; tb < CC_FIT_NTIC; tb++)
				for (size_t r = 0; r < CC_FIT_NREASONS; r++) {
					int mr =
					    model_reason(m, cc_fit_reason_name((cc_fit_reason)r));
					cc_fit_rate fr = cc_fit_exit_rate(f, r, b, fc, tb);
					if (mr < 0 || fr.exposure_years < min_exposure)
						continue;
					double truth =
					    h.hazard[cc_hazards_cell(m, b, (size_t)c, tb) * O +
					             (size_t)mr];
					if (!(truth > 0))
						continue;
					snprintf(what, sizeof what, "exit %s, %s, %s, %s",
					         cc_fit_reason_name((cc_fit_reason)r),
					         cc_fit_age_band_name(b), m->categories[c].name,
					         cc_fit_tic_band_name(tb));
					compare(&t, what, truth, fr.events, fr.exposure_years);
				}
		/* Moves by age band: the fit pools time in care, so the truth is
		 * the exposure-weighted hazard over time-in-care bands. */
		for (size_t fj = 0; fj < cc_fit_ncategories(f); fj++) {
			int j = model_category(m, cc_fit_category(f, fj));
			if (j < 0 || j == c)
				continue;
			for (size_t b = 0; b < CC_FIT_NAGE; b++) {
				cc_fit_rate fr = cc_fit_move_rate(f, fc, fj, b);
				if (fr.exposure_years < min_exposure)
					continue;
				double num = 0, den = 0;
				for (size_t tb = 0; tb < CC_FIT_NTIC; tb++) {
					double e = cc_fit_exposure(f, b, fc, tb);
					num +=
					    e * h.hazard[cc_hazards_cell(m, b, (size_t)c, tb) * O +
					                 m->n_reasons + (size_t)j];
					den += e;
				}
				if (!(num > 0))
					continue;
				snprintf(what, sizeof what, "move %s to %s, %s",
				         m->categories[c].name, m->categories[j].name,
				         cc_fit_age_band_name(b));
				compare(&t, what, num / den, fr.events, fr.exposure_years);
			}
		}
	}
	/* Entries a year by age band (events: entries; exposure: years). */
	for (size_t b = 0; b < CC_FIT_NAGE; b++) {
		cc_fit_rate fr = cc_fit_entry_rate(f, b);
		snprintf(what, sizeof what, "entries, %s", cc_fit_age_band_name(b));
		compare(&t, what, m->params[b].rate_per_year, fr.events, fr.exposure_years);
	}
	fprintf(stderr, "round trip: %zu rates, %zu beyond 3 SE, %zu beyond 4 SE, max |z| %.2f\n",
	        t.cells, t.beyond3, t.beyond4, t.max_z);
	assert_true(t.cells >= (small ? 40u : 400u));
	assert_int_equal(t.beyond4, 0);
	/* Beyond 3 SE by chance: 0.27% of cells; allow 4 standard deviations
	 * of that binomial count above its mean. */
	double p3 = 0.0027, n = (double)t.cells;
	assert_true((double)t.beyond3 <= n * p3 + 4 * sqrt(n * p3 * (1 - p3)) + 1);

	/* The starting population of the fitted model is the simulated stock at
	 * the base date (the fit reads it from the returns). */
	cc_model *fm = NULL;
	assert_int_equal(cc_fit_model(f, &fm, d), CC_OK);
	assert_true(fm->start_total > 0);
	assert_near((double)fm->start_total, cc_fit_get_counts(f)->stock_base, 0);

	cc_model_free(fm);
	cc_hazards_free(&h);
	cc_fit_free(f);
	cc_ssda903_free(ds);
	cc_ssda903_files_free(files);
	cc_diags_free(d);
	cc_model_free(m);
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simulate_fit_recovers_the_rates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
