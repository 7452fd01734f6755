/*
 * test_backtest.c - forecasts against outcomes: errors, ranges, the naive
 * yardsticks, scores and backtest.json.
 */
#include "carecast/backtest.h"
#include "carecast/model.h"
#include "carecast/results.h"
#include "carecast/sim.h"
#include "cc_test.h"

#include <cjson/cJSON.h>
#include <unistd.h>

static cc_date ymd(int y, int m, int d)
{
	cc_date x;
	assert_int_equal(cc_date_from_ymd(y, m, d, &x), CC_OK);
	return x;
}

static cc_history_point obs(cc_date date, double total)
{
	cc_history_point h;
	h.date = date;
	h.cla_total = total;
	for (size_t c = 0; c < CC_MAX_LIST; c++)
		h.by_category[c] = NAN;
	return h;
}

static void options(cc_sim_options *o, size_t reps, uint32_t seed)
{
	cc_sim_options_default(o);
	o->replications = reps;
	o->seed = seed;
	o->threads = 2;
}

/* The arithmetic a user checks by hand: APE of the median, the ranges,
 * persistence = the stock at the base date, and a straight-line trend
 * through a straight line of observations continues it exactly. */
static void test_errors_ranges_and_naive_forecasts(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json"); /* base 2025-03-31 */
	cc_history_point h[6] = {
		obs(ymd(2022, 3, 31), 20), obs(ymd(2023, 3, 31), 24), obs(ymd(2024, 3, 31), 28),
		obs(ymd(2025, 3, 31), 32), obs(ymd(2026, 3, 31), 35), obs(ymd(2027, 3, 31), 0),
	};
	h[4].by_category[0] = 20; /* fostering known in 2026 only */
	cc_sim_options o;
	options(&o, 400, 3);
	cc_diags *d = cc_diags_alloc(0);
	cc_backtest *b = NULL;
	assert_int_equal(cc_backtest_run(m, h, 6, 2, 3, &o, "Tiny", &b, d), CC_OK);
	assert_int_equal(b->n_series, 1 + m->n_categories);
	assert_string_equal(b->series[0].name, "total");
	assert_string_equal(b->series[1].name, "fostering");
	const cc_backtest_series *T = &b->series[0];
	assert_int_equal(T->n_points, 2);
	const cc_backtest_point *p = &T->points[0];
	assert_int_equal(p->date, ymd(2026, 3, 31));
	assert_near(p->horizon_years, 365.0 / 365.25, 1e-12);
	assert_near(p->actual, 35, 0);
	assert_true(p->forecast.p5 <= p->forecast.p50 && p->forecast.p50 <= p->forecast.p95);
	assert_near(p->ape, 100 * fabs(p->forecast.p50 - 35) / 35, 1e-9);
	assert_int_equal(p->in90, 35 >= p->forecast.p5 && 35 <= p->forecast.p95);
	assert_int_equal(p->in50, 35 >= p->forecast.p25 && 35 <= p->forecast.p75);
	assert_near(p->persistence, 32, 0);
	assert_near(p->ape_persistence, 100.0 * 3 / 35, 1e-9);
	/* 20, 24, 28, 32 a year apart: the line gives 36 a year on (up to
	 * leap days) and 40 two years on. */
	assert_near(p->trend, 36, 0.02);
	assert_near(T->points[1].trend, 40, 0.03);
	/* An actual of 0 has no percentage error but is inside or outside. */
	assert_true(isnan(T->points[1].ape));
	assert_true(T->points[1].in90 == 0 || T->points[1].in90 == 1);
	/* Fostering: known in 2026, unknown in 2027; no history for a trend. */
	const cc_backtest_series *F = &b->series[1];
	assert_near(F->points[0].actual, 20, 0);
	assert_true(isnan(F->points[1].actual));
	assert_int_equal(F->points[1].in50, -1);
	assert_true(isnan(F->points[0].persistence));
	assert_true(isnan(F->points[0].trend));

	cc_backtest_score s;
	const cc_backtest *list[1] = { b };
	assert_int_equal(cc_backtest_score_of(list, 1, "total", &s), CC_OK);
	assert_int_equal(s.n, 1);         /* 2027's actual is 0 */
	assert_int_equal(s.n_covered, 2); /* but it can be covered */
	assert_near(s.mape, p->ape, 1e-12);
	assert_near(s.median_ape_persistence, p->ape_persistence, 1e-12);

	/* backtest.json: reads back with the same numbers; unknowns are null. */
	char dir[] = "/tmp/cc_test_backtest.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/backtest.json", dir);
	cc_input_ref in = { "episodes", "e.csv", "00" };
	cc_backtest_info info = { "ssda903", 3, 400, 1, 1, &in };
	assert_int_equal(cc_backtest_write_json(path, list, 1, &info, d), CC_OK);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	cJSON *root = cJSON_Parse(buf);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "source")->valuestring, "ssda903");
	cJSON *bt = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "backtests"), 0);
	assert_string_equal(cJSON_GetObjectItem(bt, "name")->valuestring, "Tiny");
	assert_string_equal(cJSON_GetObjectItem(bt, "base_date")->valuestring, "2025-03-31");
	cJSON *ser = cJSON_GetObjectItem(bt, "series");
	cJSON *tp =
	    cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(ser, 0), "points"), 0);
	assert_string_equal(cJSON_GetObjectItem(tp, "date")->valuestring, "2026-03-31");
	assert_near(cJSON_GetObjectItem(tp, "p50")->valuedouble, p->forecast.p50, 1e-9);
	assert_near(cJSON_GetObjectItem(tp, "ape")->valuedouble, p->ape, 1e-6);
	assert_near(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(tp, "persistence"), "forecast")->valuedouble,
	    32, 0);
	cJSON *fp =
	    cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(ser, 1), "points"), 1);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(fp, "actual")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(fp, "in_90")));
	cJSON *score = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "score"), "total");
	assert_near(cJSON_GetObjectItem(score, "points")->valuedouble, 1, 0);
	cJSON_Delete(root);
	unlink(path);
	rmdir(dir);

	cc_backtest_free(b);
	cc_diags_free(d);
	cc_model_free(m);
}

/* Honest ranges: when the outcomes come from the model itself (other
 * replications, other random numbers), the 90% range holds the outcome
 * about 90% of the time and the 50% range about half of the time. With n
 * independent outcomes the coverage has standard error sqrt(p(1-p)/n); the
 * tolerance is 4 of them, widened by the 1/R discreteness of the quantiles
 * of counts (which can only raise coverage). */
static void test_ranges_are_calibrated(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	const size_t n_truth = cc_test_small() ? 60 : 200;
	cc_sim_options o;
	options(&o, n_truth, 12345);
	o.months = 24;
	cc_results *truth = NULL;
	assert_int_equal(cc_sim_run(m, &o, &truth), CC_OK);
	const cc_layout *l = cc_results_layout(truth);
	cc_backtest **bts = calloc(n_truth, sizeof *bts);
	cc_diags *d = cc_diags_alloc(0);
	options(&o, cc_test_small() ? 200 : 500, 7);
	for (size_t r = 0; r < n_truth; r++) {
		cc_history_point h[2] = {
			obs(m->base_date, (double)m->start_total),
			obs(ymd(2027, 3, 31),
			    cc_results_value(truth, cc_layout_month(l, l->cla_total, 24), r)),
		};
		assert_int_equal(cc_backtest_run(m, h, 2, 2, 3, &o, "", &bts[r], d), CC_OK);
		/* Every backtest forecasts with the same seed: one forecast. */
		assert_near(bts[r]->series[0].points[0].forecast.p50,
		            bts[0]->series[0].points[0].forecast.p50, 0);
	}
	cc_backtest_score s;
	assert_int_equal(
	    cc_backtest_score_of((const cc_backtest *const *)bts, n_truth, "total", &s), CC_OK);
	assert_int_equal(s.n_covered, n_truth);
	double se90 = sqrt(0.9 * 0.1 / (double)n_truth), se50 = sqrt(0.25 / (double)n_truth);
	assert_true(s.coverage90 >= 0.9 - 4 * se90 && s.coverage90 <= 0.9 + 4 * se90 + 0.04);
	assert_true(s.coverage50 >= 0.5 - 4 * se50 && s.coverage50 <= 0.5 + 4 * se50 + 0.1);
	for (size_t r = 0; r < n_truth; r++)
		cc_backtest_free(bts[r]);
	free(bts);
	cc_results_free(truth);
	cc_diags_free(d);
	cc_model_free(m);
}

static void test_nothing_to_compare_is_an_error(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	cc_history_point h[2] = { obs(ymd(2024, 3, 31), 30), obs(ymd(2030, 3, 31), 30) };
	cc_sim_options o;
	options(&o, 10, 1);
	cc_diags *d = cc_diags_alloc(0);
	cc_backtest *b = NULL;
	assert_int_equal(cc_backtest_run(m, h, 2, 2, 3, &o, "", &b, d), CC_EINVAL);
	assert_null(b);
	assert_int_equal(cc_diags_count(d), 1);
	char *msg = cc_diag_format(cc_diags_get(d, 0));
	assert_non_null(strstr(msg, "after the base date 2025-03-31 and by 2027-03-31"));
	free(msg);
	assert_int_equal(cc_backtest_run(m, h, 2, 0, 3, &o, "", &b, d), CC_EINVAL);
	cc_diags_free(d);
	cc_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors_ranges_and_naive_forecasts),
		cmocka_unit_test(test_ranges_are_calibrated),
		cmocka_unit_test(test_nothing_to_compare_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
