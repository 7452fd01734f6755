/*
 * test_capacity.c - in-house capacity, external overflow, spend and budgets.
 *
 * Closed forms: with no flows, spend is exactly days x price; zero in-house
 * capacity sends every new placement external, unlimited capacity none;
 * uplifts compound by hand; hand-checked half-month spend at an exit; pool
 * invariants (occupied <= places) in every replication; approvals lag;
 * homes opening and closing; bringing children back in-house; budgets.
 */
#include "carecast/model.h"
#include "carecast/results.h"
#include "carecast/sim.h"
#include "cc_test.h"

/* A model with two categories (fostering, residential) from a base date of
 * 31 March 2025; `flows` goes in as entries/moves/exits, `start` as the
 * starting population, `extra` adds capacity and costs. */
static cc_model *build(const char *flows, const char *start, const char *extra)
{
	char *json = malloc(16384);
	snprintf(json, 16384,
	         "{\"base_date\": \"2025-03-31\", \"parameter_uncertainty\": false,"
	         " \"categories\": [{\"name\": \"fostering\"}, {\"name\": \"residential\"}],"
	         " %s, \"starting_population\": [%s]%s%s}",
	         flows, start, *extra ? ", " : "", extra);
	cc_model *m = cc_test_model_text(json);
	free(json);
	return m;
}

#define NO_ENTRIES                                                                                \
	"\"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0, \"5-9\": 0, \"10-15\": 0, " \
	"\"16-17\": 0}}"

#define PRICES(fw_in, fw_ext, res_in, res_ext, uplift)                                            \
	"\"costs\": {\"price_date\": \"2025-04-01\", \"by_category\": {"                          \
	"\"fostering\": {\"in_house_per_week\": " #fw_in ", \"framework_per_week\": " #fw_ext     \
	", \"uplift_in_house\": " #uplift ", \"uplift_external\": " #uplift "},"                  \
	"\"residential\": {\"in_house_per_week\": " #res_in ", \"framework_per_week\": " #res_ext \
	"}}}"

static cc_results *run(const cc_model *m, size_t months, size_t reps, uint32_t seed)
{
	cc_sim_options o;
	cc_sim_options_default(&o);
	o.months = months;
	o.replications = reps;
	o.seed = seed;
	o.threads = 2;
	cc_results *r = NULL;
	assert_int_equal(cc_sim_run(m, &o, &r), CC_OK);
	return r;
}

static void test_spend_fixed_population_is_days_times_price(void **state)
{
	(void)state;
	/* 10 in-house and 4 external fostering children, 3 external residential,
	 * aged 5 (none reaches 18), no flows: every day of every year is paid. */
	cc_model *m = build(NO_ENTRIES,
	                    "{\"age_months\": 60, \"category\": \"fostering\", \"provider\": "
	                    "\"in_house\", \"months_in_care\": 12, \"count\": 10},"
	                    "{\"age_months\": 60, \"category\": \"fostering\", \"provider\": "
	                    "\"external\", \"months_in_care\": 12, \"count\": 4},"
	                    "{\"age_months\": 70, \"category\": \"residential\", \"provider\": "
	                    "\"external\", \"months_in_care\": 12, \"count\": 3}",
	                    PRICES(500, 900, 4000, 5600, 0.05));
	cc_results *r = run(m, 36, 5, 1);
	const cc_layout *l = cc_results_layout(r);
	/* Days: 2025-26 has 365, 2026-27 365, 2027-28 366 (29 February 2028). */
	const double days[3] = { 365, 365, 366 };
	for (size_t f = 0; f < 3; f++) {
		double up = pow(1.05, (double)f); /* fostering uplift from 1 April 2026 */
		double fost = (10 * 500 + 4 * 900) * up * days[f] / 7.0;
		double resi = 3 * 5600 * days[f] / 7.0; /* no residential uplift */
		for (size_t rep = 0; rep < 5; rep++) {
			assert_near(cc_results_value(r, l->fy_spend + f, rep), fost + resi, 1e-6);
			assert_near(cc_results_value(r, l->fy_spend_by_category + 0 * 3 + f, rep),
			            fost, 1e-6);
			assert_near(
			    cc_results_value(
			        r, l->fy_spend_by_contract + CC_CONTRACT_IN_HOUSE * 3 + f, rep),
			    10 * 500 * up * days[f] / 7.0, 1e-6);
		}
	}
	cc_results_free(r);
	cc_model_free(m);
}

static void test_uplift_compounds_from_price_date(void **state)
{
	(void)state;
	cc_model *m = build(NO_ENTRIES, "", PRICES(500, 900, 4000, 5600, 0.05));
	/* Price date 1 April 2025: no uplift in 2025-26, then 5% a year. */
	assert_near(cc_model_uplift(m, 0, CC_IN_HOUSE, 2025), 1.0, 0);
	assert_near(cc_model_uplift(m, 0, CC_IN_HOUSE, 2026), 1.05, 1e-12);
	assert_near(cc_model_uplift(m, 0, CC_EXTERNAL, 2028), 1.05 * 1.05 * 1.05, 1e-12);
	assert_near(cc_model_uplift(m, 0, CC_IN_HOUSE, 2024), 1.0, 0);
	/* A price date in October: the next 1 April already uplifts. */
	m->price_date -= 183; /* 30 September 2024 */
	assert_near(cc_model_uplift(m, 0, CC_IN_HOUSE, 2025), 1.05, 1e-12);
	/* A price date in March: 1 April of the same year uplifts. */
	cc_date d;
	cc_date_parse_iso("2025-03-15", &d);
	m->price_date = d;
	assert_near(cc_model_uplift(m, 0, CC_IN_HOUSE, 2025), 1.05, 1e-12);
	cc_model_free(m);
}

static void test_spend_half_month_at_exit(void **state)
{
	(void)state;
	/* One external residential child with an exit hazard of 1000 a year
	 * (probability 1 - e^-83 of leaving in month 1): half of April is paid,
	 * 0.5 x 30 days x 7000 / 7 = 15,000. */
	cc_model *m =
	    build(NO_ENTRIES ", \"exits\": [{\"reason\": \"home\", \"rate_per_year\": 1000}]",
	          "{\"age_months\": 150, \"category\": \"residential\", \"provider\": "
	          "\"external\", \"months_in_care\": 30}",
	          PRICES(500, 900, 4000, 7000, 0));
	cc_results *r = run(m, 12, 3, 2);
	const cc_layout *l = cc_results_layout(r);
	for (size_t rep = 0; rep < 3; rep++)
		assert_near(cc_results_value(r, l->fy_spend, rep), 0.5 * 30 * 7000 / 7.0, 1e-6);
	cc_results_free(r);
	cc_model_free(m);
}

/* Entries into fostering only: 120 a year, aged 5-9. */
#define FOSTER_ENTRIES                                                                    \
	"\"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0, \"5-9\": 120, "     \
	"\"10-15\": 0, \"16-17\": 0}, \"category_mix\": {\"5-9\": {\"fostering\": 1}}}, " \
	"\"exits\": [{\"reason\": \"home\", \"rate_per_year\": 0.5}]"

static void test_zero_capacity_sends_everyone_external(void **state)
{
	(void)state;
	cc_model *m = build(FOSTER_ENTRIES, "",
	                    "\"capacity\": {\"fostering\": {\"households\": 0, "
	                    "\"places_per_household\": 2, \"approvals_per_year\": 0, "
	                    "\"deregistration_per_year\": 0}}");
	cc_results *r = run(m, 24, 20, 3);
	const cc_layout *l = cc_results_layout(r);
	const size_t T = l->months, F = l->n_fy;
	for (size_t rep = 0; rep < 20; rep++) {
		for (size_t t = 1; t <= T; t++) {
			double total =
			    cc_results_value(r, cc_layout_month(l, l->cla_total, t), rep);
			assert_near(cc_results_value(r, cc_layout_month(l, l->pool_places, t), rep),
			            0, 0);
			assert_near(
			    cc_results_value(r, cc_layout_month(l, l->pool_occupied, t), rep), 0,
			    0);
			assert_near(cc_results_value(
			                r, cc_layout_month(l, l->external_by_category, t), rep),
			            total, 0);
		}
		/* Every entry was a gap placement. */
		for (size_t f = 0; f < F; f++)
			assert_near(cc_results_value(r, l->fy_gap + 0 * F + f, rep),
			            cc_results_value(r, l->fy_entries + f, rep), 0);
	}
	cc_results_free(r);
	cc_model_free(m);
}

static void test_unlimited_capacity_sends_no_one_external(void **state)
{
	(void)state;
	cc_model *m = build(FOSTER_ENTRIES, "",
	                    "\"capacity\": {\"fostering\": {\"households\": 100000, "
	                    "\"places_per_household\": 2, \"approvals_per_year\": 0, "
	                    "\"deregistration_per_year\": 0}}");
	cc_results *r = run(m, 24, 20, 3);
	const cc_layout *l = cc_results_layout(r);
	for (size_t rep = 0; rep < 20; rep++) {
		for (size_t t = 1; t <= l->months; t++) {
			double total =
			    cc_results_value(r, cc_layout_month(l, l->cla_total, t), rep);
			assert_near(cc_results_value(
			                r, cc_layout_month(l, l->external_by_category, t), rep),
			            0, 0);
			assert_near(
			    cc_results_value(r, cc_layout_month(l, l->pool_occupied, t), rep),
			    total, 0);
			assert_near(cc_results_value(r, cc_layout_month(l, l->pool_places, t), rep),
			            200000, 0);
		}
		assert_near(cc_results_value(r, l->fy_gap, rep), 0, 0);
	}
	cc_results_free(r);
	cc_model_free(m);
}

static void test_pool_invariants_every_replication(void **state)
{
	(void)state;
	/* Few households, fast deregistration and approvals: places move up and
	 * down, children are displaced, moves in and out of fostering. */
	cc_model *m = build(
	    "\"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0, \"5-9\": 60, "
	    "\"10-15\": 60, \"16-17\": 0}, \"category_mix\": {\"5-9\": {\"fostering\": 1}, "
	    "\"10-15\": {\"fostering\": 0.6, \"residential\": 0.4}}},"
	    " \"moves\": [{\"from\": \"fostering\", \"to\": \"residential\", \"rate_per_year\": "
	    "0.2},"
	    "   {\"from\": \"residential\", \"to\": \"fostering\", \"rate_per_year\": 0.4}],"
	    " \"exits\": [{\"reason\": \"home\", \"rate_per_year\": 0.4}]",
	    "{\"age_months\": 100, \"category\": \"fostering\", \"provider\": \"in_house\","
	    " \"months_in_care\": 20, \"count\": 20}",
	    "\"capacity\": {\"fostering\": {\"households\": 15, \"places_per_household\": 1.7, "
	    "\"usable_share\": 0.9, \"approvals_per_year\": 8, \"deregistration_per_year\": 0.6, "
	    "\"approval_lag_months\": 4, \"bring_back_per_month\": 2},"
	    " \"residential\": {\"homes\": [{\"name\": \"A\", \"beds\": 4, \"usable_share\": 0.5},"
	    "   {\"name\": \"B\", \"beds\": 6, \"opens\": \"2025-09-01\", \"closes\": "
	    "\"2026-07-01\"}]}}");
	const size_t R = 200;
	cc_results *r = run(m, 36, R, 4);
	const cc_layout *l = cc_results_layout(r);
	const size_t T = l->months;
	size_t displaced_or_full = 0;
	for (size_t rep = 0; rep < R; rep++)
		for (size_t k = 0; k < l->n_pools; k++)
			for (size_t t = 1; t <= T; t++) {
				double places = cc_results_value(
				    r, cc_layout_month(l, l->pool_places + k * T, t), rep);
				double occ = cc_results_value(
				    r, cc_layout_month(l, l->pool_occupied + k * T, t), rep);
				double fr = cc_results_value(
				    r, cc_layout_month(l, l->pool_free + k * T, t), rep);
				assert_true(occ >= 0 && occ <= places);
				assert_near(fr, places - occ, 0);
				displaced_or_full += fr == 0;
			}
	/* Homes: B counts only from September 2025 (month 6) to June 2026
	 * (month 15): 2 + 6 beds then, 2 otherwise. */
	for (size_t rep = 0; rep < R; rep++) {
		assert_near(cc_results_value(r, cc_layout_month(l, l->pool_places + T, 5), rep), 2,
		            0);
		assert_near(cc_results_value(r, cc_layout_month(l, l->pool_places + T, 6), rep), 8,
		            0);
		assert_near(cc_results_value(r, cc_layout_month(l, l->pool_places + T, 15), rep), 8,
		            0);
		assert_near(cc_results_value(r, cc_layout_month(l, l->pool_places + T, 16), rep), 2,
		            0);
	}
	/* The test means something: pools were full often. */
	assert_true(displaced_or_full > 100);
	cc_results_free(r);
	cc_model_free(m);
}

static void test_households_approvals_lag_and_rates(void **state)
{
	(void)state;
	/* No households at the start, 120 approvals a year, a 6-month lag, no
	 * deregistration. The pipeline at the base date holds the 6 months
	 * approved before it, active in months 1-6; approvals of month t are
	 * active from month t + 6. So the places at the end of month 6 are the
	 * 6 seeded months (mean 60) and at month 12 twelve months (mean 120);
	 * with no lag month 6 would already have 120. */
	cc_model *m = build(NO_ENTRIES, "",
	                    "\"capacity\": {\"fostering\": {\"households\": 0, "
	                    "\"places_per_household\": 1, \"approvals_per_year\": 120, "
	                    "\"deregistration_per_year\": 0, \"approval_lag_months\": 6}}");
	const size_t R = cc_test_small() ? 200 : 1000;
	cc_results *r = run(m, 24, R, 5);
	const cc_layout *l = cc_results_layout(r);
	for (size_t rep = 0; rep < R; rep++) {
		/* Places never fall (no deregistration) and equal households. */
		for (size_t t = 2; t <= 24; t++)
			assert_true(
			    cc_results_value(r, cc_layout_month(l, l->pool_places, t), rep) >=
			    cc_results_value(r, cc_layout_month(l, l->pool_places, t - 1), rep));
		assert_near(cc_results_value(r, l->fy_households, rep),
		            cc_results_value(r, cc_layout_month(l, l->pool_places, 12), rep), 0);
	}
	double mean, var;
	cc_test_moments(r, cc_layout_month(l, l->pool_places, 6), &mean, &var);
	assert_near(mean, 60, 4 * sqrt(60.0 / (double)R));
	cc_test_moments(r, cc_layout_month(l, l->pool_places, 12), &mean, &var);
	assert_near(mean, 120, 4 * sqrt(120.0 / (double)R));
	cc_test_moments(r, l->fy_approvals, &mean, &var);
	assert_near(mean, 120, 4 * sqrt(120.0 / (double)R));
	assert_near(var, 120, 4 * sqrt((120.0 + 2 * 120.0 * 120.0) / (double)R));
	cc_results_free(r);
	cc_model_free(m);
}

static void test_deregistration_binomial(void **state)
{
	(void)state;
	/* 500 households, hazard 0.12 a year, no approvals: after a year the
	 * stock is Binomial(500, e^-0.12). */
	cc_model *m = build(NO_ENTRIES, "",
	                    "\"capacity\": {\"fostering\": {\"households\": 500, "
	                    "\"places_per_household\": 1, \"approvals_per_year\": 0, "
	                    "\"deregistration_per_year\": 0.12}}");
	const size_t R = cc_test_small() ? 200 : 1000;
	cc_results *r = run(m, 12, R, 6);
	const cc_layout *l = cc_results_layout(r);
	double p = exp(-0.12), mean, var;
	cc_test_moments(r, l->fy_households, &mean, &var);
	assert_near(mean, 500 * p, 4 * sqrt(500 * p * (1 - p) / (double)R));
	cc_test_moments(r, l->fy_deregistrations, &mean, &var);
	assert_near(mean, 500 * (1 - p), 4 * sqrt(500 * p * (1 - p) / (double)R));
	cc_results_free(r);
	cc_model_free(m);
}

static void test_bring_back_in_house(void **state)
{
	(void)state;
	/* 10 external fostering children, 6 free places, at most 2 brought
	 * back a month: 2, 4, 6, then full. */
	cc_model *m =
	    build(NO_ENTRIES,
	          "{\"age_months\": 100, \"category\": \"fostering\", \"provider\": "
	          "\"external\", \"months_in_care\": 20, \"count\": 10}",
	          "\"capacity\": {\"fostering\": {\"units\": 6, \"bring_back_per_month\": 2}}");
	cc_results *r = run(m, 6, 10, 7);
	const cc_layout *l = cc_results_layout(r);
	const double want[6] = { 2, 4, 6, 6, 6, 6 };
	for (size_t rep = 0; rep < 10; rep++)
		for (size_t t = 1; t <= 6; t++) {
			assert_near(
			    cc_results_value(r, cc_layout_month(l, l->pool_occupied, t), rep),
			    want[t - 1], 0);
			assert_near(cc_results_value(
			                r, cc_layout_month(l, l->external_by_category, t), rep),
			            10 - want[t - 1], 0);
		}
	cc_results_free(r);
	cc_model_free(m);
}

static void test_budget_variance_and_overspend(void **state)
{
	(void)state;
	/* Deterministic spend 10 x 500 x 365 / 7 = 260,714.29 in 2025-26. */
	cc_model *m =
	    build(NO_ENTRIES,
	          "{\"age_months\": 60, \"category\": \"fostering\", \"provider\": "
	          "\"in_house\", \"months_in_care\": 12, \"count\": 10}",
	          "\"costs\": {\"price_date\": \"2025-04-01\", \"by_category\": {"
	          "\"fostering\": {\"in_house_per_week\": 500, \"framework_per_week\": 900},"
	          "\"residential\": {\"in_house_per_week\": 0, \"framework_per_week\": 0}},"
	          " \"budgets\": [{\"fy\": \"2025-26\", \"total\": 250000}]}");
	const cc_budget *b = cc_model_budget(m, 2025);
	assert_non_null(b);
	assert_near(b->total, 250000, 0);
	assert_null(cc_model_budget(m, 2026));
	cc_results *r = run(m, 12, 4, 8);
	const cc_layout *l = cc_results_layout(r);
	double spend = 10 * 500 * 365 / 7.0;
	for (size_t rep = 0; rep < 4; rep++)
		assert_near(cc_results_value(r, l->fy_spend, rep) - b->total, spend - 250000, 1e-6);
	cc_results_free(r);
	cc_model_free(m);
}

static void test_fixed_costs_pro_rata(void **state)
{
	(void)state;
	cc_model *m =
	    build(NO_ENTRIES, "",
	          "\"costs\": {\"price_date\": \"2025-04-01\", \"by_category\": {"
	          "\"fostering\": {\"in_house_per_week\": 0, \"framework_per_week\": 0},"
	          "\"residential\": {\"in_house_per_week\": 0, \"framework_per_week\": 0}},"
	          " \"fixed\": [{\"name\": \"home running costs\", \"category\": "
	          "\"residential\", \"amount_per_year\": 730000, \"from\": \"2025-10-01\"}]}");
	cc_results *r = run(m, 24, 2, 9);
	const cc_layout *l = cc_results_layout(r);
	/* 2025-26: 1 October to 31 March = 182 of 365 days. */
	assert_near(cc_results_value(r, l->fy_spend, 0), 730000.0 * 182 / 365, 1e-6);
	assert_near(cc_results_value(r, l->fy_spend + 1, 1), 730000.0, 1e-6);
	assert_near(cc_results_value(r, l->fy_spend_by_category + 1 * 2 + 1, 1), 730000.0, 1e-6);
	assert_near(cc_results_value(r, l->fy_spend_by_contract + CC_CONTRACT_IN_HOUSE * 2 + 1, 0),
	            730000.0, 1e-6);
	cc_results_free(r);
	cc_model_free(m);
}

static void test_heavy_tail_mean_and_high_cost_count(void **state)
{
	(void)state;
	/* 2000 external residential children at 5000 a week with a lognormal
	 * factor (mean 1, CV 1): the high-cost count (>= 10,000) is
	 * Binomial(2000, Q(z)) with z = (ln 2 - mu) / sigma. Placements are
	 * drawn when they start: for the starting population, once per
	 * replication. */
	cc_model *m =
	    build(NO_ENTRIES,
	          "{\"age_months\": 150, \"category\": \"residential\", \"provider\": "
	          "\"external\", \"months_in_care\": 20, \"count\": 2000}",
	          "\"costs\": {\"price_date\": \"2025-04-01\", \"by_category\": {"
	          "\"fostering\": {\"in_house_per_week\": 0, \"framework_per_week\": 0},"
	          "\"residential\": {\"in_house_per_week\": 0, \"framework_per_week\": 5000,"
	          " \"external_price_cv\": 1}}}");
	const size_t R = cc_test_small() ? 100 : 400;
	cc_results *r = run(m, 12, R, 10);
	const cc_layout *l = cc_results_layout(r);
	double sigma = sqrt(log(2.0)), mu = -0.5 * sigma * sigma;
	double z = (log(2.0) - mu) / sigma;
	double q = 0.5 * erfc(z / sqrt(2.0));
	double mean, var;
	cc_test_moments(r, l->fy_high_cost, &mean, &var);
	assert_near(mean, 2000 * q, 4 * sqrt(2000 * q * (1 - q) / (double)R));
	/* Spend: mean factor 1, so the mean spend is the contract price's. */
	cc_test_moments(r, l->fy_spend, &mean, &var);
	double want = 2000.0 * 5000 * 365 / 7.0;
	/* Each replication's spend is a sum of 2000 factors with CV 1. */
	assert_near(mean, want, 4 * want / sqrt(2000.0 * (double)R));
	cc_results_free(r);
	cc_model_free(m);
}

static void test_expected_matches_simulation_with_unlimited_capacity_and_costs(void **state)
{
	(void)state;
	/* Unlimited places make allocation linear, so the expected mode is exact
	 * again: spend and placements agree within 4 standard errors. */
	cc_model *m = build(
	    FOSTER_ENTRIES ", \"moves\": [{\"from\": \"fostering\", \"to\": "
	                   "\"residential\", \"rate_per_year\": 0.1}]",
	    "{\"age_months\": 100, \"category\": \"residential\", \"provider\": "
	    "\"external\", \"months_in_care\": 20, \"count\": 5}",
	    "\"capacity\": {\"fostering\": {\"units\": 100000}}, "
	    "\"costs\": {\"price_date\": \"2025-04-01\", \"by_category\": {"
	    "\"fostering\": {\"in_house_per_week\": 500, \"framework_per_week\": 900},"
	    "\"residential\": {\"in_house_per_week\": 4000, \"framework_per_week\": 5000,"
	    " \"spot_per_week\": 6000, \"framework_share\": 0.3, \"uplift_external\": 0.06}}}");
	const size_t R = cc_test_small() ? 300 : 1000;
	cc_results *sim = run(m, 36, R, 11);
	cc_results *exp = NULL;
	assert_int_equal(cc_expected_run(m, 36, &exp), CC_OK);
	const cc_layout *l = cc_results_layout(sim);
	const size_t F = l->n_fy;
	size_t points[] = { l->fy_spend + 2, l->fy_spend_by_category + 1 * F + 2,
		            l->fy_spend_by_contract + CC_CONTRACT_SPOT * F + 2,
		            l->fy_external + 1 * F + 2, l->fy_occupied + 2 };
	for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
		double mean, var;
		cc_test_moments(sim, points[i], &mean, &var);
		double want = cc_results_value(exp, points[i], 0);
		if (!(fabs(mean - want) <= 4 * sqrt(var / (double)R) + 1e-9))
			fail_msg("point %zu: simulated %.3f, expected %.3f, 4 SE %.3f", i, mean,
			         want, 4 * sqrt(var / (double)R));
	}
	cc_results_free(sim);
	cc_results_free(exp);
	cc_model_free(m);
}

static void test_model_capacity_and_cost_errors(void **state)
{
	(void)state;
	static const struct {
		const char *extra;
		const char *msg;
	} cases[] = {
		{ "\"capacity\": {\"unicorn\": {\"units\": 3}}",
		  "as a capacity pool, found \"unicorn\"" },
		{ "\"capacity\": {\"fostering\": {\"units\": 3, \"homes\": []}}",
		  "expected exactly one of \"households\", \"homes\" or \"units\"" },
		{ "\"capacity\": {\"fostering\": {\"households\": 5, \"places_per_household\": 1}}",
		  "missing \"approvals_per_year\"" },
		{ "\"capacity\": {\"residential\": {\"homes\": [{\"beds\": 2, \"opens\": "
		  "\"2026-02-30\"}]}}",
		  "expected a date YYYY-MM-DD for \"opens\"" },
		{ "\"capacity\": {\"residential\": {\"homes\": [{\"beds\": 2, \"opens\": "
		  "\"2027-01-01\", "
		  "\"closes\": \"2026-01-01\"}]}}",
		  "expected \"closes\" after \"opens\"" },
		{ "\"capacity\": {\"fostering\": {\"units\": 1}}",
		  "expected at least 3 usable in-house \"fostering\" places at the base date" },
		{ "\"capacity\": {\"fostering\": {\"units\": 5, \"usable_share\": 1.5}}",
		  "expected a number from 0 to 1 for \"usable_share\"" },
		{ "\"costs\": {\"price_date\": \"2025-04-01\", \"by_category\": {\"fostering\": "
		  "{\"in_house_per_week\": 1, \"framework_per_week\": 1}}}",
		  "missing prices for category \"residential\"" },
		{ "\"costs\": {\"by_category\": {}}", "missing \"price_date\"" },
		{ "\"costs\": {\"price_date\": \"2025-04-01\", \"by_category\": {\"fostering\": "
		  "{\"in_house_per_week\": -1, \"framework_per_week\": 1}, \"residential\": "
		  "{\"in_house_per_week\": 1, \"framework_per_week\": 1}}}",
		  "expected a number from 0 to 1000000 for \"in_house_per_week\", found -1" },
		{ "\"costs\": {\"price_date\": \"2025-04-01\", \"by_category\": {\"fostering\": "
		  "{\"in_house_per_week\": 1, \"framework_per_week\": 1}, \"residential\": "
		  "{\"in_house_per_week\": 1, \"framework_per_week\": 1}}, \"budgets\": [{\"fy\": "
		  "\"2025-2026\", \"total\": 5}]}",
		  "expected a financial year such as \"2025-26\"" },
		{ "\"costs\": {\"price_date\": \"2025-04-01\", \"by_category\": {\"fostering\": "
		  "{\"in_house_per_week\": 1, \"framework_per_week\": 1}, \"residential\": "
		  "{\"in_house_per_week\": 1, \"framework_per_week\": 1}}, \"budgets\": [{\"fy\": "
		  "\"2025-26\"}]}",
		  "expected \"total\" or \"by_category\" in a budget" },
	};
	const char *start = "{\"age_months\": 60, \"category\": \"fostering\", \"provider\": "
	                    "\"in_house\", \"months_in_care\": 12, \"count\": 3}";
	int failed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *json = malloc(8192);
		snprintf(
		    json, 8192,
		    "{\"base_date\": \"2025-03-31\", \"categories\": [{\"name\": \"fostering\"}, "
		    "{\"name\": \"residential\"}, {\"name\": \"kinship\"}], " NO_ENTRIES
		    ", \"starting_population\": [%s], %s}",
		    start, cases[i].extra);
		cc_diags *d = cc_diags_alloc(0);
		cc_model *m = NULL;
		int rc = cc_model_parse("cap.json", json, strlen(json), &m, d);
		int found = 0;
		for (size_t k = 0; k < cc_diags_count(d); k++)
			found |= strstr(cc_diags_get(d, k)->message, cases[i].msg) != NULL &&
			         cc_diags_get(d, k)->line > 0;
		if (rc != CC_EPARSE || !found) {
			fprintf(stderr, "case %zu: rc %d, no diagnostic with \"%s\":\n", i, rc,
			        cases[i].msg);
			for (size_t k = 0; k < cc_diags_count(d); k++)
				fprintf(stderr, "    %s\n", cc_diags_get(d, k)->message);
			failed++;
		}
		cc_model_free(m);
		cc_diags_free(d);
		free(json);
	}
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spend_fixed_population_is_days_times_price),
		cmocka_unit_test(test_uplift_compounds_from_price_date),
		cmocka_unit_test(test_spend_half_month_at_exit),
		cmocka_unit_test(test_zero_capacity_sends_everyone_external),
		cmocka_unit_test(test_unlimited_capacity_sends_no_one_external),
		cmocka_unit_test(test_pool_invariants_every_replication),
		cmocka_unit_test(test_households_approvals_lag_and_rates),
		cmocka_unit_test(test_deregistration_binomial),
		cmocka_unit_test(test_bring_back_in_house),
		cmocka_unit_test(test_budget_variance_and_overspend),
		cmocka_unit_test(test_fixed_costs_pro_rata),
		cmocka_unit_test(test_heavy_tail_mean_and_high_cost_count),
		cmocka_unit_test(
		    test_expected_matches_simulation_with_unlimited_capacity_and_costs),
		cmocka_unit_test(test_model_capacity_and_cost_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
