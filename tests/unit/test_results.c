/*
 * test_results.c - layouts (months, financial years) and statistics over
 * replications (mean and Hyndman-Fan type 7 quantiles).
 */
#include "carecast/model.h"
#include "carecast/results.h"
#include "cc_test.h"

static cc_model *model_with_base(const char *date)
{
	char json[1024];
	snprintf(
	    json, sizeof json,
	    "{\"base_date\": \"%s\", \"entries\": {\"rate_per_year\": {\"under1\": 0,"
	    " \"1-4\": 0, \"5-9\": 0, \"10-15\": 0, \"16-17\": 0}}, \"starting_population\": []}",
	    date);
	return cc_test_model_text(json);
}

static void test_cc_results_stats_type7_quantiles(void **state)
{
	(void)state;
	cc_model *m = model_with_base("2025-03-31");
	cc_results *r = cc_results_alloc(m, 12, 10, 0);
	assert_non_null(r);
	const cc_layout *l = cc_results_layout(r);
	double *rec = calloc(l->n_points, sizeof *rec);
	/* Replications store 10, 9, ..., 1 at point 0: order must not matter. */
	for (size_t rep = 0; rep < 10; rep++) {
		rec[0] = (double)(10 - rep);
		cc_results_store(r, rep, rec);
	}
	cc_stats s = cc_results_stats(r, 0);
	/* R: quantile(1:10, c(.05, .25, .5, .75, .95), type = 7) */
	assert_near(s.mean, 5.5, 1e-12);
	assert_near(s.p5, 1.45, 1e-12);
	assert_near(s.p25, 3.25, 1e-12);
	assert_near(s.p50, 5.5, 1e-12);
	assert_near(s.p75, 7.75, 1e-12);
	assert_near(s.p95, 9.55, 1e-12);
	/* Statistics do not disturb the stored values. */
	assert_near(cc_results_value(r, 0, 0), 10, 0);
	free(rec);
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_results_stats_single_replication(void **state)
{
	(void)state;
	cc_model *m = model_with_base("2025-03-31");
	cc_results *r = cc_results_alloc(m, 1, 1, 0);
	const cc_layout *l = cc_results_layout(r);
	double *rec = calloc(l->n_points, sizeof *rec);
	rec[0] = 42;
	cc_results_store(r, 0, rec);
	cc_stats s = cc_results_stats(r, 0);
	assert_near(s.mean, 42, 0);
	assert_near(s.p5, 42, 0);
	assert_near(s.p95, 42, 0);
	free(rec);
	cc_results_free(r);
	assert_null(cc_results_alloc(m, 12, 0, 0));
	cc_model_free(m);
}

static void test_cc_layout_init_financial_years_from_31_march(void **state)
{
	(void)state;
	cc_model *m = model_with_base("2025-03-31");
	cc_layout l;
	assert_int_equal(cc_layout_init(&l, m, 60, 0), CC_OK);
	assert_int_equal(l.n_fy, 5);
	for (size_t f = 0; f < 5; f++) {
		assert_int_equal(l.fy[f].start_year, 2025 + (int)f);
		assert_int_equal(l.fy[f].first_month, 12 * f + 1);
		assert_int_equal(l.fy[f].last_month, 12 * f + 12);
	}
	char buf[CC_DATE_STRLEN];
	cc_date_format(l.dates[0], buf);
	assert_string_equal(buf, "2025-03-31");
	cc_date_format(l.dates[60], buf);
	assert_string_equal(buf, "2030-03-31");
	/* Series do not overlap and fill the record. */
	assert_int_equal(l.by_category, l.cla_total + 60);
	assert_int_equal(l.n_points, l.fy_moves + 5);
	assert_int_equal(l.n_exit_outcomes, 9);
	cc_layout_free(&l);
	assert_int_equal(cc_layout_init(&l, m, 0, 0), CC_EINVAL);
	cc_model_free(m);
}

static void test_cc_layout_init_partial_years(void **state)
{
	(void)state;
	/* From 30 September 2025 for 20 months (to 31 May 2027): 2025-26 is
	 * partial (6 months), 2026-27 complete, and April-May 2027 belong to no
	 * reported year. */
	cc_model *m = model_with_base("2025-09-30");
	cc_layout l;
	assert_int_equal(cc_layout_init(&l, m, 20, 0), CC_OK);
	assert_int_equal(l.n_fy, 2);
	assert_int_equal(l.fy[0].start_year, 2025);
	assert_int_equal(l.fy[0].first_month, 1);
	assert_int_equal(l.fy[0].last_month, 6);
	assert_int_equal(l.fy[1].first_month, 7);
	assert_int_equal(l.fy[1].last_month, 18);
	assert_true(l.fy_of_month[19] == SIZE_MAX);
	assert_true(l.fy_of_month[20] == SIZE_MAX);
	assert_int_equal(l.fy_of_month[7], 1);
	cc_layout_free(&l);
	/* A horizon that ends before the first 31 March reports no year. */
	assert_int_equal(cc_layout_init(&l, m, 3, 0), CC_OK);
	assert_int_equal(l.n_fy, 0);
	cc_layout_free(&l);
	cc_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_results_stats_type7_quantiles),
		cmocka_unit_test(test_cc_results_stats_single_replication),
		cmocka_unit_test(test_cc_layout_init_financial_years_from_31_march),
		cmocka_unit_test(test_cc_layout_init_partial_years),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
