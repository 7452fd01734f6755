/*
 * test_sim.c - the stochastic engine against closed forms and invariants.
 *
 * Closed forms used (fixed seeds; tolerances are 4 standard errors):
 *  - immigration-death: Poisson(lambda) entries a month and exit hazard h give
 *    a stationary stock ~ Poisson(lambda / (1 - exp(-h/12)));
 *  - pure death: N children with hazard h keep each with probability
 *    exp(-h t / 12) after t months, so the stock is Binomial;
 *  - parameter uncertainty: entries in a year with rate ~ Gamma(e + 0.5, E)
 *    are negative binomial: mean a/E, variance a/E + a/E^2 with a = e + 0.5.
 */
#include "carecast/model.h"
#include "carecast/results.h"
#include "carecast/sim.h"
#include "cc_test.h"

#include <gsl/gsl_cdf.h>

static cc_results *run(const cc_model *m, size_t months, size_t reps, uint32_t seed,
                       unsigned threads, int uncertainty)
{
	cc_sim_options o;
	cc_sim_options_default(&o);
	o.months = months;
	o.replications = reps;
	o.seed = seed;
	o.threads = threads;
	o.parameter_uncertainty = uncertainty;
	cc_results *r = NULL;
	assert_int_equal(cc_sim_run(m, &o, &r), CC_OK);
	assert_non_null(r);
	return r;
}

/* The p-quantile of Poisson(mu): the smallest k with P(X <= k) >= p. */
static double poisson_quantile(double p, double mu)
{
	unsigned k = 0;
	while (gsl_cdf_poisson_P(k, mu) < p)
		k++;
	return (double)k;
}

static size_t reps_for(size_t full) { return cc_test_small() ? full / 4 : full; }

/* One category, under-1 entries only, one exit hazard: the stock is an
 * immigration-death process in continuous time (entries at uniform times
 * within each month, exits at hazard h), the M/M/infinity queue. From an
 * empty start the stock at time t is exactly Poisson with mean
 * (lambda / h)(1 - exp(-h t)), whatever the monthly steps. */
static const char *immigration_death_model =
    "{\"base_date\": \"2025-03-31\", \"parameter_uncertainty\": false,"
    " \"categories\": [{\"name\": \"care\"}],"
    " \"entries\": {\"rate_per_year\": {\"under1\": 120, \"1-4\": 0, \"5-9\": 0, \"10-15\": 0,"
    "   \"16-17\": 0}, \"category_mix\": {\"under1\": {\"care\": 1}}},"
    " \"exits\": [{\"reason\": \"home\", \"rate_per_year\": 2.4}],"
    " \"starting_population\": []}";

static void test_cc_sim_run_immigration_death_is_poisson(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_text(immigration_death_model);
	const size_t T = 72, R = reps_for(4000);
	cc_results *r = run(m, T, R, 11, 2, 1);
	const cc_layout *l = cc_results_layout(r);
	double lambda = 120.0 / 12.0, h = 2.4 / 12.0; /* a month */
	double mu = lambda / h * -expm1(-h * (double)T);
	/* After 72 months the empty start is forgotten to exp(-h 72) = 6e-7. */
	size_t point = cc_layout_month(l, l->cla_total, T);
	double mean, var;
	cc_test_moments(r, point, &mean, &var);
	double se_mean = sqrt(mu / (double)R);
	double se_var = sqrt((mu + 2 * mu * mu) / (double)R);
	assert_near(mean, mu, 4 * se_mean);
	assert_near(var, mu, 4 * se_var);
	cc_stats s = cc_results_stats(r, point);
	/* Quantiles of a discrete law: the sample quantile sits within one
	 * child of the Poisson quantile. */
	assert_near(s.p5, poisson_quantile(0.05, mu), 1.0);
	assert_near(s.p95, poisson_quantile(0.95, mu), 1.0);
	assert_near(s.p50, poisson_quantile(0.50, mu), 1.0);
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_expected_run_immigration_death_closed_form(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_text(immigration_death_model);
	cc_results *r = NULL;
	assert_int_equal(cc_expected_run(m, 120, &r), CC_OK);
	const cc_layout *l = cc_results_layout(r);
	double lambda = 10.0, h = 2.4 / 12.0;
	for (size_t t = 1; t <= 120; t++) {
		/* E[N_t] = (lambda / h)(1 - exp(-h t)) from an empty start. */
		double want = lambda / h * -expm1(-h * (double)t);
		assert_near(cc_results_value(r, cc_layout_month(l, l->cla_total, t), 0), want,
		            1e-9 * want);
	}
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_sim_run_ageing_all_leave_on_18th_birthday(void **state)
{
	(void)state;
	cc_model *m =
	    cc_test_model_text("{\"base_date\": \"2025-03-31\","
	                       " \"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0,"
	                       "   \"5-9\": 0, \"10-15\": 0, \"16-17\": 0}},"
	                       " \"starting_population\": [{\"age_months\": 204,"
	                       "   \"category\": \"fostering\", \"provider\": \"in_house\","
	                       "   \"months_in_care\": 10, \"count\": 50}]}");
	cc_results *r = run(m, 24, 20, 3, 2, 1);
	const cc_layout *l = cc_results_layout(r);
	size_t age18 = cc_model_age18(m);
	for (size_t rep = 0; rep < 20; rep++) {
		for (size_t t = 1; t <= 11; t++)
			assert_near(cc_results_value(r, cc_layout_month(l, l->cla_total, t), rep),
			            50, 0);
		for (size_t t = 12; t <= 24; t++)
			assert_near(cc_results_value(r, cc_layout_month(l, l->cla_total, t), rep),
			            0, 0);
		/* Month 12 is March 2026, the last month of 2025-26. */
		assert_int_equal(l->fy[0].start_year, 2025);
		assert_near(cc_results_value(r, l->fy_exits_by_reason + age18 * l->n_fy + 0, rep),
		            50, 0);
		assert_near(cc_results_value(r, l->fy_exits + 0, rep), 50, 0);
		assert_near(cc_results_value(r, l->fy_exits + 1, rep), 0, 0);
	}
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_sim_run_conserves_children_every_replication(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	const size_t R = 50;
	cc_results *r = run(m, 60, R, 5, 2, 1);
	const cc_layout *l = cc_results_layout(r);
	assert_int_equal(l->n_fy, 5);
	for (size_t rep = 0; rep < R; rep++) {
		for (size_t f = 0; f < l->n_fy; f++) {
			double start = cc_results_value(r, l->fy_cla_start + f, rep);
			double end = cc_results_value(r, l->fy_cla_31_march + f, rep);
			double in = cc_results_value(r, l->fy_entries + f, rep);
			double out = cc_results_value(r, l->fy_exits + f, rep);
			assert_near(end, start + in - out, 0);
			double by = 0;
			for (size_t o = 0; o < l->n_exit_outcomes; o++)
				by += cc_results_value(r, l->fy_exits_by_reason + o * l->n_fy + f,
				                       rep);
			assert_near(by, out, 0);
			if (f + 1 < l->n_fy)
				assert_near(cc_results_value(r, l->fy_cla_start + f + 1, rep), end,
				            0);
			assert_near(
			    cc_results_value(
			        r, cc_layout_month(l, l->cla_total, l->fy[f].last_month), rep),
			    end, 0);
		}
		assert_near(cc_results_value(r, l->fy_cla_start, rep), (double)m->start_total, 0);
		for (size_t t = 1; t <= l->months; t++) {
			double total =
			    cc_results_value(r, cc_layout_month(l, l->cla_total, t), rep);
			double sc = 0, sb = 0, sp = 0;
			for (size_t c = 0; c < l->n_categories; c++)
				sc += cc_results_value(
				    r, cc_layout_month(l, l->by_category + c * l->months, t), rep);
			for (size_t b = 0; b < l->n_age_bands; b++)
				sb += cc_results_value(
				    r, cc_layout_month(l, l->by_age_band + b * l->months, t), rep);
			for (size_t p = 0; p < CC_NPROVIDERS; p++)
				sp += cc_results_value(
				    r, cc_layout_month(l, l->by_provider + p * l->months, t), rep);
			assert_near(sc, total, 0);
			assert_near(sb, total, 0);
			assert_near(sp, total, 0);
		}
	}
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_sim_run_identical_whatever_the_threads(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	cc_results *a = run(m, 36, 40, 99, 1, 1);
	cc_results *b = run(m, 36, 40, 99, 2, 1);
	cc_results *c = run(m, 36, 40, 99, 7, 1);
	const cc_layout *l = cc_results_layout(a);
	for (size_t p = 0; p < l->n_points; p++)
		for (size_t rep = 0; rep < 40; rep++) {
			double x = cc_results_value(a, p, rep);
			if (x != cc_results_value(b, p, rep) || x != cc_results_value(c, p, rep))
				fail_msg("point %zu replication %zu differs between thread counts",
				         p, rep);
		}
	cc_results_free(a);
	cc_results_free(b);
	cc_results_free(c);
	cc_model_free(m);
}

static void test_cc_sim_run_seeds_and_replications_differ(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	cc_results *a = run(m, 24, 10, 1, 1, 1);
	cc_results *b = run(m, 24, 10, 2, 1, 1);
	const cc_layout *l = cc_results_layout(a);
	size_t diff_seed = 0, diff_rep = 0;
	for (size_t t = 1; t <= 24; t++) {
		size_t p = cc_layout_month(l, l->cla_total, t);
		diff_seed += cc_results_value(a, p, 0) != cc_results_value(b, p, 0);
		diff_rep += cc_results_value(a, p, 0) != cc_results_value(a, p, 1);
	}
	assert_true(diff_seed > 0);
	assert_true(diff_rep > 0);
	cc_results_free(a);
	cc_results_free(b);
	cc_model_free(m);
}

static void test_cc_results_stats_quantiles_are_ordered(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/tiny.json");
	cc_results *r = run(m, 60, 101, 4, 2, 1);
	const cc_layout *l = cc_results_layout(r);
	for (size_t p = 0; p < l->n_points; p++) {
		cc_stats s = cc_results_stats(r, p);
		double lo = INFINITY, hi = -INFINITY;
		for (size_t rep = 0; rep < 101; rep++) {
			double v = cc_results_value(r, p, rep);
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
		assert_true(lo <= s.p5 && s.p5 <= s.p25 && s.p25 <= s.p50 && s.p50 <= s.p75 &&
		            s.p75 <= s.p95 && s.p95 <= hi);
		assert_true(lo <= s.mean && s.mean <= hi);
	}
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_sim_run_pure_death_is_binomial(void **state)
{
	(void)state;
	/* An exit hazard only in the first 6 months in care: children who start
	 * at 0 months in care face it for months 1-6 and never again. */
	cc_model *m = cc_test_model_text(
	    "{\"base_date\": \"2025-03-31\", \"categories\": [{\"name\": \"care\"}],"
	    " \"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0,"
	    "   \"5-9\": 0, \"10-15\": 0, \"16-17\": 0}},"
	    " \"exits\": [{\"reason\": \"home\", \"time_in_care_bands\": [\"under6m\"],"
	    "   \"rate_per_year\": 1.2}],"
	    " \"starting_population\": [{\"age_months\": 60, \"category\": \"care\","
	    "   \"provider\": \"in_house\", \"months_in_care\": 0, \"count\": 400}]}");
	const size_t R = reps_for(2000);
	cc_results *r = run(m, 24, R, 21, 2, 1);
	const cc_layout *l = cc_results_layout(r);
	double p = exp(-1.2 * 6 / 12.0);
	for (size_t rep = 0; rep < R; rep++)
		assert_near(cc_results_value(r, cc_layout_month(l, l->cla_total, 6), rep),
		            cc_results_value(r, cc_layout_month(l, l->cla_total, 24), rep), 0);
	double mean, var;
	cc_test_moments(r, cc_layout_month(l, l->cla_total, 6), &mean, &var);
	double mu = 400 * p, v = 400 * p * (1 - p);
	assert_near(mean, mu, 4 * sqrt(v / (double)R));
	/* Var(s^2) for a binomial is about 2 v^2 / R for large n. */
	assert_near(var, v, 4 * sqrt(2 * v * v / (double)R));
	/* Month 5 still had hazard: fewer than at the start in expectation. */
	cc_test_moments(r, cc_layout_month(l, l->cla_total, 5), &mean, &var);
	assert_near(mean, 400 * exp(-1.2 * 5 / 12.0), 4 * sqrt(400 * 0.4 / (double)R));
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_sim_run_parameter_uncertainty_is_negative_binomial(void **state)
{
	(void)state;
	const char *json = "{\"base_date\": \"2025-03-31\", \"categories\": [{\"name\": \"care\"}],"
	                   " \"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0, \"5-9\": "
	                   "0, \"10-15\": 0,"
	                   "   \"16-17\": {\"events\": 10, \"exposure_years\": 1}},"
	                   "   \"category_mix\": {\"16-17\": {\"care\": 1}}},"
	                   " \"starting_population\": []}";
	cc_model *m = cc_test_model_text(json);
	const size_t R = reps_for(8000);
	cc_results *r = run(m, 12, R, 8, 2, 1);
	const cc_layout *l = cc_results_layout(r);
	double a = 10.5, mean, var;
	cc_test_moments(r, l->fy_entries, &mean, &var);
	double mu = a, v = a + a; /* a/E + a/E^2 with E = 1 */
	assert_near(mean, mu, 4 * sqrt(v / (double)R));
	/* Var(s^2) = (mu4 - v^2) / R = v^2 (2 + excess kurtosis) / R; the
	 * excess kurtosis of this negative binomial is below 1. */
	assert_near(var, v, 4 * sqrt(3 * v * v / (double)R));
	cc_results_free(r);

	/* Switched off: Poisson with the point estimate 10. */
	r = run(m, 12, R, 8, 2, 0);
	l = cc_results_layout(r);
	cc_test_moments(r, l->fy_entries, &mean, &var);
	assert_near(mean, 10, 4 * sqrt(10 / (double)R));
	assert_near(var, 10, 4 * sqrt((10 + 2 * 100) / (double)R));
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_sim_run_entry_age_weights_respected(void **state)
{
	(void)state;
	/* Every under-1 entrant is 0 months old: nobody can be 1-4 until the
	 * first entrants are 12 months old at the end of month 13. */
	cc_model *m = cc_test_model_text(
	    "{\"base_date\": \"2025-03-31\", \"parameter_uncertainty\": false,"
	    " \"entries\": {\"rate_per_year\": {\"under1\": 60, \"1-4\": 0, \"5-9\": 0,"
	    "   \"10-15\": 0, \"16-17\": 0}, \"category_mix\": {\"under1\": {\"fostering\": 1}},"
	    "   \"age_weights\": {\"under1\": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}},"
	    " \"starting_population\": []}");
	cc_results *r = run(m, 14, 30, 2, 2, 1);
	const cc_layout *l = cc_results_layout(r);
	double later = 0;
	for (size_t rep = 0; rep < 30; rep++) {
		for (size_t t = 1; t <= 12; t++)
			assert_near(
			    cc_results_value(
			        r, cc_layout_month(l, l->by_age_band + 1 * l->months, t), rep),
			    0, 0);
		later += cc_results_value(r, cc_layout_month(l, l->by_age_band + 1 * l->months, 13),
		                          rep);
	}
	/* Entrants of month 1 (5 a month on average) are 1-4 at month 13. */
	assert_true(later > 0);
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_sim_run_category_mix_and_provider_share(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_text(
	    "{\"base_date\": \"2025-03-31\", \"parameter_uncertainty\": false,"
	    " \"categories\": [{\"name\": \"a\", \"in_house_share\": 0.6}, {\"name\": \"b\"}],"
	    " \"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0, \"5-9\": 1200,"
	    "   \"10-15\": 0, \"16-17\": 0}, \"category_mix\": {\"5-9\": {\"a\": 0.7, \"b\": "
	    "0.3}}},"
	    " \"starting_population\": []}");
	const size_t R = reps_for(400);
	cc_results *r = run(m, 1, R, 6, 2, 1);
	const cc_layout *l = cc_results_layout(r);
	double na = 0, nt = 0, nin = 0;
	for (size_t rep = 0; rep < R; rep++) {
		nt += cc_results_value(r, cc_layout_month(l, l->cla_total, 1), rep);
		na += cc_results_value(r, cc_layout_month(l, l->by_category, 1), rep);
		nin += cc_results_value(r, cc_layout_month(l, l->by_provider, 1), rep);
	}
	/* Category b is always in-house (default share 1). */
	double share_a = na / nt, share_in = nin / nt;
	assert_near(share_a, 0.7, 4 * sqrt(0.7 * 0.3 / nt));
	double p_in = 0.7 * 0.6 + 0.3;
	assert_near(share_in, p_in, 4 * sqrt(p_in * (1 - p_in) / nt));
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_sim_run_moves_competing_risks(void **state)
{
	(void)state;
	/* From a: exit hazard 0.6 and move hazard 0.3 to b. After one month a
	 * child has left with probability (1 - e^-0.075) * 2/3 and moved with
	 * (1 - e^-0.075) / 3. */
	cc_model *m = cc_test_model_text(
	    "{\"base_date\": \"2025-03-31\", \"parameter_uncertainty\": false,"
	    " \"categories\": [{\"name\": \"a\"}, {\"name\": \"b\"}],"
	    " \"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0, \"5-9\": 0,"
	    "   \"10-15\": 0, \"16-17\": 0}},"
	    " \"moves\": [{\"from\": \"a\", \"to\": \"b\", \"rate_per_year\": 0.3}],"
	    " \"exits\": [{\"reason\": \"sgo\", \"categories\": [\"a\"], \"rate_per_year\": 0.6}],"
	    " \"starting_population\": [{\"age_months\": 100, \"category\": \"a\","
	    "   \"provider\": \"in_house\", \"months_in_care\": 30, \"count\": 1000}]}");
	const size_t R = reps_for(400);
	cc_results *r = run(m, 12, R, 13, 2, 1);
	const cc_layout *l = cc_results_layout(r);
	double p = -expm1(-0.9 / 12.0);
	double p_move = p / 3, p_exit = 2 * p / 3;
	double mean, var;
	cc_test_moments(r, cc_layout_month(l, l->by_category + 1 * l->months, 1), &mean, &var);
	assert_near(mean, 1000 * p_move, 4 * sqrt(1000 * p_move * (1 - p_move) / (double)R));
	cc_test_moments(r, cc_layout_month(l, l->cla_total, 1), &mean, &var);
	assert_near(mean, 1000 * (1 - p_exit), 4 * sqrt(1000 * p_exit * (1 - p_exit) / (double)R));
	/* A year: b children never leave, a children leave at 0.6/yr. */
	cc_results *e = NULL;
	assert_int_equal(cc_expected_run(m, 12, &e), CC_OK);
	cc_test_moments(r, l->fy_moves, &mean, &var);
	double want = cc_results_value(e, l->fy_moves, 0);
	assert_near(mean, want, 4 * sqrt(var / (double)R));
	cc_test_moments(r, l->fy_exits_by_reason + 1 * l->n_fy, &mean, &var); /* sgo is reason 1 */
	want = cc_results_value(e, l->fy_exits_by_reason + 1 * l->n_fy, 0);
	assert_near(mean, want, 4 * sqrt(var / (double)R));
	cc_results_free(e);
	cc_results_free(r);
	cc_model_free(m);
}

static void test_cc_sim_run_cancel_and_bad_options(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_text(immigration_death_model);
	cc_sim_options o;
	cc_sim_options_default(&o);
	cc_results *r = NULL;
	o.months = 0;
	assert_int_equal(cc_sim_run(m, &o, &r), CC_EINVAL);
	cc_sim_options_default(&o);
	o.replications = 0;
	assert_int_equal(cc_sim_run(m, &o, &r), CC_EINVAL);
	cc_sim_options_default(&o);
	o.threads = 0;
	assert_int_equal(cc_sim_run(m, &o, &r), CC_EINVAL);
	assert_null(r);
	cc_sim_options_default(&o);
	volatile sig_atomic_t stop = 1;
	o.cancel = &stop;
	o.threads = 2;
	assert_int_equal(cc_sim_run(m, &o, &r), CC_EINTR);
	assert_null(r);
	assert_int_equal(cc_expected_run(m, 0, &r), CC_EINVAL);
	cc_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_sim_run_immigration_death_is_poisson),
		cmocka_unit_test(test_cc_expected_run_immigration_death_closed_form),
		cmocka_unit_test(test_cc_sim_run_ageing_all_leave_on_18th_birthday),
		cmocka_unit_test(test_cc_sim_run_conserves_children_every_replication),
		cmocka_unit_test(test_cc_sim_run_identical_whatever_the_threads),
		cmocka_unit_test(test_cc_sim_run_seeds_and_replications_differ),
		cmocka_unit_test(test_cc_results_stats_quantiles_are_ordered),
		cmocka_unit_test(test_cc_sim_run_pure_death_is_binomial),
		cmocka_unit_test(test_cc_sim_run_parameter_uncertainty_is_negative_binomial),
		cmocka_unit_test(test_cc_sim_run_entry_age_weights_respected),
		cmocka_unit_test(test_cc_sim_run_category_mix_and_provider_share),
		cmocka_unit_test(test_cc_sim_run_moves_competing_risks),
		cmocka_unit_test(test_cc_sim_run_cancel_and_bad_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
