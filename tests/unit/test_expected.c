/*
 * test_expected.c - the expected-value projection against the simulator on
 * the shipped example model: at 5 years, the simulated mean of the total and
 * of every category lies within 4 standard errors of the exact expected value
 * (parameter uncertainty off, since the expected mode uses point estimates).
 * Also: flows and conservation in expected mode.
 */
#include "carecast/model.h"
#include "carecast/results.h"
#include "carecast/sim.h"
#include "cc_test.h"

/* Compares simulated means with the projection at one point; a point whose
 * simulated values never vary must equal the projection to rounding. */
static void check_point(const cc_results *sim, const cc_results *exp, size_t point,
                        const char *what)
{
	double mean, var;
	cc_test_moments(sim, point, &mean, &var);
	double se = sqrt(var / (double)cc_results_replications(sim));
	double want = cc_results_value(exp, point, 0);
	double tol = se > 0 ? 4 * se : 1e-9 * fmax(1.0, want);
	if (!(fabs(mean - want) <= tol))
		fail_msg("%s: simulated mean %.4f, expected %.4f, 4 SE = %.4f", what, mean, want,
		         tol);
}

static void test_cc_expected_run_matches_simulation_on_example_model(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("models/example.json");
	const size_t T = 60, R = cc_test_small() ? 300 : 1000;
	cc_sim_options o;
	cc_sim_options_default(&o);
	o.months = T;
	o.replications = R;
	o.seed = 2024;
	o.threads = 2;
	o.parameter_uncertainty = 0;
	cc_results *sim = NULL, *exp = NULL;
	assert_int_equal(cc_sim_run(m, &o, &sim), CC_OK);
	assert_int_equal(cc_expected_run(m, T, &exp), CC_OK);
	const cc_layout *l = cc_results_layout(sim);
	check_point(sim, exp, cc_layout_month(l, l->cla_total, T), "total at 5 years");
	for (size_t c = 0; c < m->n_categories; c++) {
		char what[64];
		snprintf(what, sizeof what, "category %s at 5 years", m->categories[c].name);
		check_point(sim, exp, cc_layout_month(l, l->by_category + c * l->months, T), what);
	}
	for (size_t b = 0; b < m->n_age_bands; b++)
		check_point(sim, exp, cc_layout_month(l, l->by_age_band + b * l->months, T),
		            m->age_bands[b].name);
	for (size_t p = 0; p < CC_NPROVIDERS; p++)
		check_point(sim, exp, cc_layout_month(l, l->by_provider + p * l->months, T),
		            "provider");
	/* Flows in the last year. */
	size_t f = l->n_fy - 1;
	check_point(sim, exp, l->fy_entries + f, "entries");
	check_point(sim, exp, l->fy_exits + f, "exits");
	check_point(sim, exp, l->fy_moves + f, "moves");
	for (size_t r = 0; r < l->n_exit_outcomes; r++)
		check_point(sim, exp, l->fy_exits_by_reason + r * l->n_fy + f, "exits by reason");
	cc_results_free(sim);
	cc_results_free(exp);
	cc_model_free(m);
}

static void test_cc_expected_run_conserves_children(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("models/example.json");
	cc_results *r = NULL;
	assert_int_equal(cc_expected_run(m, 120, &r), CC_OK);
	assert_true(cc_results_is_expected(r));
	const cc_layout *l = cc_results_layout(r);
	assert_near(cc_results_value(r, l->fy_cla_start, 0), (double)m->start_total, 1e-9);
	for (size_t f = 0; f < l->n_fy; f++) {
		double start = cc_results_value(r, l->fy_cla_start + f, 0);
		double end = cc_results_value(r, l->fy_cla_31_march + f, 0);
		double in = cc_results_value(r, l->fy_entries + f, 0);
		double out = cc_results_value(r, l->fy_exits + f, 0);
		assert_near(end, start + in - out, 1e-9 * end);
		/* Entries are the model's rates (no trend in the example). */
		double rate = 0;
		for (size_t b = 0; b < m->n_age_bands; b++)
			rate += m->params[b].rate_per_year;
		assert_near(in, rate, 1e-9 * rate);
	}
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_expected_run_trend_scales_entries(void **state)
{
	(void)state;
	/* A trend of +10% of the base-year rate a year: entries in year k
	 * (months 12k+1..12k+12) are rate * (1 + 0.1 * mean of (t - 0.5)/12). */
	const char *json = "{\"base_date\": \"2025-03-31\", \"categories\": [{\"name\": \"c\"}],"
	                   " \"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0,"
	                   "   \"5-9\": 120, \"10-15\": 0, \"16-17\": 0}, \"trend_per_year\": 0.1,"
	                   "   \"category_mix\": {\"5-9\": {\"c\": 1}}},"
	                   " \"starting_population\": []}";
	cc_model *m = cc_test_model_text(json);
	cc_results *r = NULL;
	assert_int_equal(cc_expected_run(m, 36, &r), CC_OK);
	const cc_layout *l = cc_results_layout(r);
	for (size_t k = 0; k < 3; k++) {
		double want = 0;
		for (size_t t = 12 * k + 1; t <= 12 * k + 12; t++)
			want += 10.0 * (1.0 + 0.1 * ((double)t - 0.5) / 12.0);
		assert_near(cc_results_value(r, l->fy_entries + k, 0), want, 1e-9 * want);
	}
	cc_results_free(r);
	cc_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_expected_run_matches_simulation_on_example_model),
		cmocka_unit_test(test_cc_expected_run_conserves_children),
		cmocka_unit_test(test_cc_expected_run_trend_scales_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
