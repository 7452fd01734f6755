/*
 * test_report.c - summary.json and the CSVs: structure, agreement with the
 * results, reproducibility and atomic writing.
 */
#include "carecast/fileio.h"
#include "carecast/model.h"
#include "carecast/report.h"
#include "carecast/sim.h"
#include "cc_test.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/cc_test_report.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static cc_results *simulate(const cc_model *m, unsigned threads, uint32_t seed)
{
	cc_sim_options o;
	cc_sim_options_default(&o);
	o.months = 36;
	o.replications = 50;
	o.seed = seed;
	o.threads = threads;
	cc_results *r = NULL;
	assert_int_equal(cc_sim_run(m, &o, &r), CC_OK);
	return r;
}

static char *write_run(const cc_model *m, cc_results *r, const char *sub, uint32_t seed)
{
	char *dir = cc_path_join(tmpdir, sub);
	cc_input_ref in = { "model", m->path, m->sha256 };
	cc_run_info info = { .seed = seed,
		             .replications =
		                 cc_results_is_expected(r) ? 0 : cc_results_replications(r),
		             .parameter_uncertainty = 1,
		             .n_inputs = 1,
		             .inputs = &in };
	cc_diags *d = cc_diags_alloc(0);
	assert_int_equal(cc_report_write(dir, m, r, &info, d), CC_OK);
	cc_diags_free(d);
	return dir;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char *p = cc_path_join(dir, name);
	char *data = NULL;
	cc_diags *d = cc_diags_alloc(0);
	assert_int_equal(cc_file_read(p, CC_FILE_MAX_BYTES, &data, len, d), CC_OK);
	cc_diags_free(d);
	free(p);
	return data;
}

static cJSON *read_summary(const char *dir)
{
	size_t len;
	char *text = slurp(dir, "summary.json", &len);
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	free(text);
	assert_non_null(root);
	return root;
}

static const cJSON *get(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v)
		fail_msg("missing key \"%s\"", key);
	return v;
}

static void check_stats_array(const cJSON *stats, int n, int means_only)
{
	static const char *const names[] = { "mean", "p5", "p25", "p50", "p75", "p95" };
	for (size_t k = 0; k < 6; k++) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(stats, names[k]);
		if (means_only && k > 0) {
			assert_null(a);
			continue;
		}
		assert_true(cJSON_IsArray(a));
		assert_int_equal(cJSON_GetArraySize(a), n);
	}
}

static void test_cc_report_write_summary_structure(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	cc_results *r = simulate(m, 2, 7);
	char *dir = write_run(m, r, "a", 7);
	cJSON *root = read_summary(dir);

	assert_string_equal(get(root, "carecast_version")->valuestring, cc_version());
	assert_int_equal((int)get(root, "seed")->valuedouble, 7);
	assert_int_equal((int)get(root, "replications")->valuedouble, 50);
	assert_true(cJSON_IsString(get(root, "rng")));
	assert_string_equal(get(root, "base_date")->valuestring, "2025-03-31");
	assert_int_equal((int)get(root, "months")->valuedouble, 36);
	const cJSON *inputs = get(root, "inputs");
	assert_int_equal(cJSON_GetArraySize(inputs), 1);
	assert_string_equal(get(inputs->child, "sha256")->valuestring, m->sha256);
	assert_string_equal(get(inputs->child, "file")->valuestring, "tests/data/tiny.json");

	const cJSON *scen = get(root, "scenarios");
	assert_true(cJSON_GetArraySize(scen) >= 1);
	const cJSON *base = scen->child;
	assert_string_equal(get(base, "name")->valuestring, "baseline");
	const cJSON *mon = get(base, "monthly");
	const cJSON *dates = get(mon, "dates");
	assert_int_equal(cJSON_GetArraySize(dates), 36);
	assert_string_equal(dates->child->valuestring, "2025-04-30");
	check_stats_array(get(mon, "cla_total"), 36, 0);
	const cJSON *bycat = get(mon, "by_category");
	assert_int_equal(cJSON_GetArraySize(bycat), 3);
	check_stats_array(get(bycat, "residential"), 36, 0);
	check_stats_array(get(get(mon, "by_age_band"), "16-17"), 36, 0);
	check_stats_array(get(get(mon, "by_provider"), "external"), 36, 0);
	check_stats_array(get(mon, "cla_per_10000"), 36, 0);

	const cJSON *years = get(base, "financial_years");
	assert_int_equal(cJSON_GetArraySize(years), 3);
	const cJSON *y0 = years->child;
	assert_string_equal(get(y0, "fy")->valuestring, "2025-26");
	const char *stat_keys[] = { "cla_31_march", "entries", "placement_moves", "cla_start" };
	for (size_t i = 0; i < 4; i++) {
		const cJSON *s = get(y0, stat_keys[i]);
		const double p5 = get(s, "p5")->valuedouble, p95 = get(s, "p95")->valuedouble;
		assert_true(p5 <= get(s, "p50")->valuedouble && get(s, "p50")->valuedouble <= p95);
		assert_true(cJSON_IsNumber(get(s, "mean")));
	}
	const cJSON *by_reason = get(get(get(y0, "exits"), "by_reason"), "age18");
	assert_true(cJSON_IsNumber(get(by_reason, "p25")));
	assert_true(cJSON_IsNumber(get(get(get(y0, "exits"), "total"), "mean")));

	/* The numbers are the results' own. */
	const cc_layout *l = cc_results_layout(r);
	cc_stats s = cc_results_stats(r, cc_layout_month(l, l->cla_total, 12));
	const cJSON *p95 = get(get(mon, "cla_total"), "p95");
	assert_near(cJSON_GetArrayItem(p95, 11)->valuedouble, s.p95, 1e-9 * fabs(s.p95));
	s = cc_results_stats(r, l->fy_cla_31_march);
	assert_near(get(get(y0, "cla_31_march"), "mean")->valuedouble, s.mean, 1e-9 * s.mean);
	/* Rate per 10,000: stock at 31 March 2026 over the 2026 population. */
	assert_near(get(get(y0, "cla_per_10000_31_march"), "mean")->valuedouble,
	            s.mean * 10000.0 / 50500.0, 1e-9 * s.mean);

	cJSON_Delete(root);
	free(dir);
	cc_results_free(r);
	cc_model_free(m);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_cc_report_write_csv_matches_json(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	cc_results *r = simulate(m, 1, 3);
	char *dir = write_run(m, r, "b", 3);
	size_t len;
	char *monthly = slurp(dir, "monthly.csv", &len);
	/* Series: total, 3 categories, 5 age bands, 2 providers, rate per
	 * 10,000 = 12, each with 6 statistics over 36 months, plus a header. */
	assert_int_equal(count_lines(monthly), 12 * 6 * 36 + 1);
	assert_non_null(
	    strstr(monthly, "date,series,statistic,value,scenario\n2025-04-30,cla_total,mean,"));
	char *years = slurp(dir, "financial_years.csv", &len);
	/* cla_start, cla_31_march, rate, entries, exits/total, 9 reasons,
	 * placement_moves = 15 series x 6 statistics x 3 years + header. */
	assert_int_equal(count_lines(years), 15 * 6 * 3 + 1);
	assert_non_null(strstr(years, "\n2027-28,exits/by_reason/age18,p95,"));
	free(monthly);
	free(years);
	free(dir);
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_report_write_byte_identical_across_threads(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	cc_results *r1 = simulate(m, 1, 11);
	cc_results *r2 = simulate(m, 2, 11);
	char *d1 = write_run(m, r1, "c1", 11);
	char *d2 = write_run(m, r2, "c2", 11);
	const char *files[] = { "summary.json", "monthly.csv", "financial_years.csv" };
	for (size_t i = 0; i < 3; i++) {
		size_t n1, n2;
		char *a = slurp(d1, files[i], &n1);
		char *b = slurp(d2, files[i], &n2);
		assert_int_equal(n1, n2);
		assert_memory_equal(a, b, n1);
		free(a);
		free(b);
	}
	/* Nothing but the three outputs is left in the directory. */
	DIR *dh = opendir(d1);
	assert_non_null(dh);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(dh));)
		if (e->d_name[0] != '.')
			n++;
	closedir(dh);
	assert_int_equal(n, 3);
	free(d1);
	free(d2);
	cc_results_free(r1);
	cc_results_free(r2);
	cc_model_free(m);
}

static void test_cc_report_write_expected_mode_means_only(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	cc_results *r = NULL;
	assert_int_equal(cc_expected_run(m, 24, &r), CC_OK);
	char *dir = write_run(m, r, "d", 1);
	cJSON *root = read_summary(dir);
	assert_string_equal(get(root, "mode")->valuestring, "expected");
	assert_int_equal((int)get(root, "replications")->valuedouble, 0);
	const cJSON *mon = get(get(root, "scenarios")->child, "monthly");
	check_stats_array(get(mon, "cla_total"), 24, 1);
	const cJSON *y0 = get(get(root, "scenarios")->child, "financial_years")->child;
	assert_null(cJSON_GetObjectItemCaseSensitive(get(y0, "entries"), "p5"));
	/* Expected conservation holds to rounding. */
	double start = get(get(y0, "cla_start"), "mean")->valuedouble;
	double end = get(get(y0, "cla_31_march"), "mean")->valuedouble;
	double in = get(get(y0, "entries"), "mean")->valuedouble;
	double out = get(get(get(y0, "exits"), "total"), "mean")->valuedouble;
	assert_near(end, start + in - out, 1e-9 * end);
	cJSON_Delete(root);
	free(dir);
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_report_write_unwritable_directory(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	cc_results *r = NULL;
	assert_int_equal(cc_expected_run(m, 12, &r), CC_OK);
	/* A directory path under a regular file cannot be created. */
	char *file = cc_path_join(tmpdir, "plain");
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	char *dir = cc_path_join(file, "out");
	cc_input_ref in = { "model", m->path, m->sha256 };
	cc_run_info info = { .n_inputs = 1, .inputs = &in };
	cc_diags *d = cc_diags_alloc(0);
	assert_int_equal(cc_report_write(dir, m, r, &info, d), CC_EIO);
	assert_true(cc_diags_errors(d) >= 1);
	cc_diags_free(d);
	free(dir);
	free(file);
	cc_results_free(r);
	cc_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_report_write_summary_structure),
		cmocka_unit_test(test_cc_report_write_csv_matches_json),
		cmocka_unit_test(test_cc_report_write_byte_identical_across_threads),
		cmocka_unit_test(test_cc_report_write_expected_mode_means_only),
		cmocka_unit_test(test_cc_report_write_unwritable_directory),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
