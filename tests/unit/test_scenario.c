/*
 * test_scenario.c - scenario files, levers in both engines, common random
 * numbers, programmes, phase-in and targets.
 */
#include "carecast/model.h"
#include "carecast/results.h"
#include "carecast/scenario.h"
#include "carecast/sim.h"
#include "cc_test.h"

#include <unistd.h>

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/cc_test_scenario.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *write_file(const char *name, const char *text)
{
	char *path = malloc(strlen(tmpdir) + strlen(name) + 2);
	sprintf(path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static cc_scenario *load(const cc_model *m, const char *name, const char *text)
{
	char *path = write_file(name, text);
	cc_diags *d = cc_diags_alloc(0);
	cc_scenario *s = NULL;
	int rc = cc_scenario_load(path, m, &s, d);
	for (size_t i = 0; rc != CC_OK && i < cc_diags_count(d); i++) {
		char *msg = cc_diag_format(cc_diags_get(d, i));
		fprintf(stderr, "%s\n", msg);
		free(msg);
	}
	assert_int_equal(rc, CC_OK);
	cc_diags_free(d);
	free(path);
	return s;
}

static void run_both(const cc_model *m, const cc_scenario *s, size_t months, size_t reps,
                     unsigned threads, cc_results **out)
{
	cc_sim_options o;
	cc_sim_options_default(&o);
	o.months = months;
	o.replications = reps;
	o.seed = 17;
	o.threads = threads;
	const cc_scenario *list[1] = { s };
	assert_int_equal(cc_sim_run_scenarios(m, list, 1, &o, out), CC_OK);
}

static void test_neutral_levers_reproduce_the_baseline_exactly(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/capacity.json");
	cc_scenario *s = load(
	    m, "neutral.json",
	    "{\"name\": \"Neutral\", \"levers\": ["
	    " {\"type\": \"entries\", \"start\": \"2025-04-01\", \"multiplier\": 1},"
	    " {\"type\": \"entries\", \"start\": \"2025-04-01\", \"change_per_year\": 0},"
	    " {\"type\": \"exit_hazard\", \"start\": \"2025-04-01\", \"multiplier\": 1},"
	    " {\"type\": \"move_hazard\", \"start\": \"2025-04-01\", \"from\": \"fostering\","
	    "  \"to\": \"residential\", \"multiplier\": 1},"
	    " {\"type\": \"extra_exits\", \"start\": \"2025-04-01\", \"reason\": \"sgo\", "
	    "\"per_year\": 0},"
	    " {\"type\": \"approvals\", \"start\": \"2025-04-01\", \"pool\": \"fostering\","
	    "  \"extra_per_year\": 0},"
	    " {\"type\": \"deregistration\", \"start\": \"2026-04-01\", \"pool\": \"fostering\","
	    "  \"multiplier\": 1},"
	    " {\"type\": \"usable_share\", \"start\": \"2025-04-01\", \"pool\": \"fostering\", "
	    "\"value\": 0.9},"
	    " {\"type\": \"framework_share\", \"start\": \"2025-04-01\", \"category\": "
	    "\"residential\","
	    "  \"value\": 0.6},"
	    " {\"type\": \"uplift\", \"start\": \"2026-01-01\", \"category\": \"residential\","
	    "  \"provider\": \"external\", \"value\": 0.06}]}");
	cc_results *r[2];
	run_both(m, s, 36, 30, 2, r);
	const cc_layout *lb = cc_results_layout(r[0]), *ls = cc_results_layout(r[1]);
	/* The scenario's layout adds its programmes at the end. */
	assert_true(ls->n_points >= lb->n_points);
	for (size_t p = 0; p < lb->n_points; p++)
		for (size_t rep = 0; rep < 30; rep++)
			if (cc_results_value(r[0], p, rep) != cc_results_value(r[1], p, rep))
				fail_msg("point %zu replication %zu differs: %.17g vs %.17g", p,
				         rep, cc_results_value(r[0], p, rep),
				         cc_results_value(r[1], p, rep));
	cc_results_free(r[0]);
	cc_results_free(r[1]);
	cc_scenario_free(s);
	cc_model_free(m);
}

/* A still population: no entries or hazards; fostering children in-house. */
#define STILL_MODEL                                                                               \
	"{\"base_date\": \"2025-03-31\", \"parameter_uncertainty\": false,"                       \
	" \"categories\": [{\"name\": \"fostering\"}, {\"name\": \"residential\"}],"              \
	" \"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0, \"5-9\": 0, \"10-15\": 0," \
	"   \"16-17\": 0}},"                                                                      \
	" \"starting_population\": [{\"age_months\": 60, \"category\": \"fostering\","            \
	"   \"provider\": \"in_house\", \"months_in_care\": 12, \"count\": %d},"                  \
	"  {\"age_months\": 120, \"category\": \"residential\", \"provider\": \"external\","      \
	"   \"months_in_care\": 12, \"count\": 10}]}"

static void test_extra_exits_delivered_exactly_and_shortfall(void **state)
{
	(void)state;
	char json[2048];
	snprintf(json, sizeof json, STILL_MODEL, 100);
	cc_model *m = cc_test_model_text(json);
	cc_scenario *s = load(m, "sgo.json",
	                      "{\"name\": \"More SGOs\", \"levers\": [{\"type\": \"extra_exits\","
	                      " \"start\": \"2025-04-01\", \"reason\": \"sgo\", \"per_year\": 12,"
	                      " \"categories\": [\"fostering\"]}]}");
	cc_results *r[2];
	run_both(m, s, 24, 10, 1, r);
	const cc_layout *l = cc_results_layout(r[1]);
	for (size_t rep = 0; rep < 10; rep++) {
		/* One a month exactly: no flows otherwise. */
		for (size_t t = 1; t <= 24; t++)
			assert_near(
			    cc_results_value(r[1], cc_layout_month(l, l->cla_total, t), rep),
			    110.0 - (double)t, 0);
		assert_near(cc_results_value(r[1], l->fy_prog_delivered, rep), 12, 0);
		assert_near(cc_results_value(r[1], l->fy_prog_shortfall, rep), 0, 0);
		assert_near(cc_results_value(r[1], l->fy_exits_by_reason + 1 * l->n_fy, rep), 12,
		            0);
		/* Residential children are not eligible. */
		assert_near(
		    cc_results_value(r[1], cc_layout_month(l, l->by_category + 24, 24), rep), 10,
		    0);
	}
	cc_results_free(r[0]);
	cc_results_free(r[1]);
	cc_model_free(m);

	/* Only 5 eligible children: 5 delivered, 7 short at the year end. */
	snprintf(json, sizeof json, STILL_MODEL, 5);
	m = cc_test_model_text(json);
	run_both(m, s, 12, 4, 1, r);
	l = cc_results_layout(r[1]);
	for (size_t rep = 0; rep < 4; rep++) {
		assert_near(cc_results_value(r[1], l->fy_prog_delivered, rep), 5, 0);
		assert_near(cc_results_value(r[1], l->fy_prog_shortfall, rep), 7, 0);
	}
	cc_results_free(r[0]);
	cc_results_free(r[1]);
	cc_scenario_free(s);
	cc_model_free(m);
}

static void test_transfers_step_down_by_age(void **state)
{
	(void)state;
	/* 10 residential children aged 10 (eligible: 8 and over), 1 a month to
	 * fostering: after 6 months 4 remain. */
	char json[2048];
	snprintf(json, sizeof json, STILL_MODEL, 20);
	cc_model *m = cc_test_model_text(json);
	cc_scenario *s = load(
	    m, "stepdown.json",
	    "{\"name\": \"Step-down\", \"levers\": [{\"type\": \"transfers\", \"start\": "
	    "\"2025-04-01\", \"from\": \"residential\", \"to\": \"fostering\", \"per_month\": 1,"
	    " \"min_age_years\": 8}]}");
	cc_results *r[2];
	run_both(m, s, 12, 5, 2, r);
	const cc_layout *l = cc_results_layout(r[1]);
	for (size_t rep = 0; rep < 5; rep++) {
		assert_near(cc_results_value(r[1], cc_layout_month(l, l->by_category + 12, 6), rep),
		            4, 0);
		assert_near(cc_results_value(r[1], cc_layout_month(l, l->by_category, 6), rep), 26,
		            0);
		assert_near(cc_results_value(r[1], l->fy_moves, rep), 10, 0);
		assert_near(cc_results_value(r[1], l->fy_prog_shortfall, rep), 2, 0);
	}
	cc_results_free(r[0]);
	cc_results_free(r[1]);
	cc_scenario_free(s);
	cc_model_free(m);
}

static void test_phase_in_half_effect_at_midpoint_expected(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("models/example.json");
	cc_scenario *s = load(m, "phase.json",
	                      "{\"name\": \"Fewer entries\", \"levers\": [{\"type\": \"entries\","
	                      " \"start\": \"2025-04-01\", \"phase_in_end\": \"2027-04-01\","
	                      " \"multiplier\": 0.5}]}");
	/* Month 13 starts on 1 April 2026, half way: multiplier 0.75. */
	cc_date mid;
	cc_date_parse_iso("2026-04-01", &mid);
	assert_near(cc_lever_ramp(&s->levers[0], mid), 0.5, 1e-15);
	const cc_scenario *list[1] = { s };
	cc_results *r[2];
	assert_int_equal(cc_expected_run_scenarios(m, list, 1, 36, r), CC_OK);
	const cc_layout *l = cc_results_layout(r[0]);
	/* Entries of 2026-27 (months 13-24): ramp 0.5 + k/24 in month 13 + k. */
	double base = cc_results_value(r[0], l->fy_entries + 1, 0);
	double want = 0;
	for (int k = 0; k < 12; k++) {
		cc_date d = cc_date_month_end_add(m->base_date, 12 + k) + 1;
		double ramp = cc_lever_ramp(&s->levers[0], d);
		want += base / 12.0 * (1.0 - 0.5 * ramp);
	}
	assert_near(cc_results_value(r[1], l->fy_entries + 1, 0), want, 1e-9 * want);
	/* Full effect from April 2027. */
	assert_near(cc_results_value(r[1], l->fy_entries + 2, 0),
	            0.5 * cc_results_value(r[0], l->fy_entries + 2, 0), 1e-9 * base);
	cc_results_free(r[0]);
	cc_results_free(r[1]);
	cc_scenario_free(s);
	cc_model_free(m);
}

static void test_common_random_numbers_make_differences_precise(void **state)
{
	(void)state;
	/* A 10% cut in entries: the paired difference varies far less than the
	 * stock itself (independent runs would give about sqrt(2) times its
	 * spread). */
	cc_model *m = cc_test_model_file("models/example.json");
	cc_scenario *s = load(m, "cut.json",
	                      "{\"name\": \"Cut\", \"levers\": [{\"type\": \"entries\","
	                      " \"start\": \"2025-04-01\", \"multiplier\": 0.9}]}");
	cc_results *r[2];
	run_both(m, s, 36, 200, 2, r);
	const cc_layout *l = cc_results_layout(r[0]);
	size_t p = cc_layout_month(l, l->cla_total, 36);
	double mean, var;
	cc_test_moments(r[0], p, &mean, &var);
	double *d = malloc(200 * sizeof *d);
	for (size_t rep = 0; rep < 200; rep++)
		d[rep] = cc_results_value(r[1], p, rep) - cc_results_value(r[0], p, rep);
	double dm = 0, dv = 0;
	for (size_t rep = 0; rep < 200; rep++)
		dm += d[rep] / 200.0;
	for (size_t rep = 0; rep < 200; rep++)
		dv += (d[rep] - dm) * (d[rep] - dm) / 199.0;
	assert_true(dm < 0);
	assert_true(dv < 0.25 * var);
	free(d);
	cc_results_free(r[0]);
	cc_results_free(r[1]);
	cc_scenario_free(s);
	cc_model_free(m);
}

static void test_capacity_lever_leaves_children_looked_after_unchanged(void **state)
{
	(void)state;
	/* More foster households change who provides placements, never how many
	 * children are looked after: hazards do not depend on the provider, and
	 * a child whose provider changes keeps its own clock (common random
	 * numbers), so the stock is the same in every replication and month,
	 * while fewer children are placed externally. */
	cc_model *m = cc_test_model_file("models/example.json");
	cc_scenario *s = load(m, "households.json",
	                      "{\"name\": \"Households\", \"levers\": [{\"type\": \"approvals\","
	                      " \"start\": \"2025-04-01\", \"pool\": \"fostering\","
	                      " \"extra_per_year\": 30}]}");
	cc_results *r[2];
	run_both(m, s, 48, 50, 2, r);
	const cc_layout *l = cc_results_layout(r[0]);
	double ext0 = 0, ext1 = 0;
	for (size_t rep = 0; rep < 50; rep++) {
		for (size_t t = 1; t <= 48; t++) {
			size_t p = cc_layout_month(l, l->cla_total, t);
			if (cc_results_value(r[0], p, rep) != cc_results_value(r[1], p, rep))
				fail_msg("replication %zu month %zu: %g children in the baseline, "
				         "%g with "
				         "more households",
				         rep, t, cc_results_value(r[0], p, rep),
				         cc_results_value(r[1], p, rep));
		}
		size_t fostering = 0;
		for (size_t c = 0; c < m->n_categories; c++)
			if (strcmp(m->categories[c].name, "fostering") == 0)
				fostering = c;
		size_t e = cc_layout_month(l, l->external_by_category + fostering * l->months, 48);
		ext0 += cc_results_value(r[0], e, rep);
		ext1 += cc_results_value(r[1], e, rep);
	}
	assert_true(ext1 < ext0);
	cc_results_free(r[0]);
	cc_results_free(r[1]);
	cc_scenario_free(s);
	cc_model_free(m);
}

static void test_target_solves_median_reduction(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("models/example.json");
	cc_scenario *s =
	    load(m, "target.json",
	         "{\"name\": \"Reduce by a quarter\", \"levers\": [{\"type\": \"target\","
	         " \"start\": \"2025-04-01\", \"phase_in_end\": \"2026-04-01\","
	         " \"reduce_stock_percent\": 25, \"by\": \"2028-03-31\"}]}");
	assert_int_equal(s->n_levers, 2); /* the target and its entries multiplier */
	assert_int_equal(s->levers[0].solve_lever, 1);
	cc_sim_options o;
	cc_sim_options_default(&o);
	o.months = 36;
	o.replications = cc_test_small() ? 100 : 300;
	o.threads = 2;
	o.seed = 5;
	cc_diags *d = cc_diags_alloc(0);
	assert_int_equal(cc_scenario_solve(m, s, &o, 0, d), CC_OK);
	cc_diags_free(d);
	assert_true(s->levers[0].solved);
	assert_true(s->levers[0].met);
	assert_true(s->levers[1].multiplier > 0 && s->levers[1].multiplier < 1);
	/* Re-run: the median reduction at 31 March 2028 is within one point
	 * of 25%. */
	cc_results *r[2];
	const cc_scenario *list[1] = { s };
	assert_int_equal(cc_sim_run_scenarios(m, list, 1, &o, r), CC_OK);
	const cc_layout *l = cc_results_layout(r[1]);
	cc_stats st = cc_results_stats(r[1], cc_layout_month(l, l->cla_total, 36));
	double red = 100.0 * ((double)m->start_total - st.p50) / (double)m->start_total;
	assert_near(red, 25.0, 1.0);
	assert_near(red, s->levers[0].achieved_percent, 1e-9);
	cc_results_free(r[0]);
	cc_results_free(r[1]);
	cc_scenario_free(s);
	cc_model_free(m);
}

/* Goal seeking: the amount found meets the target's probability when the
 * scenario is re-run independently of the search, and one step less does
 * not. The target is set from the baseline itself so the test cannot pass
 * at zero. */
static void test_goal_seek_smallest_lever_meeting_probability(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("models/example.json");
	cc_scenario *s = load(m, "goal.json",
	                      "{\"name\": \"More carers\", \"levers\": [{\"type\": \"approvals\","
	                      " \"start\": \"2025-04-01\", \"pool\": \"fostering\","
	                      " \"extra_per_year\": 0}]}");
	size_t fost = SIZE_MAX;
	for (size_t c = 0; c < m->n_categories; c++)
		if (strcmp(m->categories[c].name, "fostering") == 0)
			fost = c;
	assert_true(fost != SIZE_MAX);
	cc_sim_options o;
	cc_sim_options_default(&o);
	o.months = 36;
	o.replications = cc_test_small() ? 100 : 200;
	o.threads = 2;
	o.seed = 11;
	/* Baseline: external fostering (average placements) in 2027-28. */
	cc_results *r[2];
	const cc_scenario *list[1] = { s };
	assert_int_equal(cc_sim_run_scenarios(m, list, 1, &o, r), CC_OK);
	const cc_layout *l = cc_results_layout(r[0]);
	size_t f = SIZE_MAX;
	for (size_t i = 0; i < l->n_fy; i++)
		if (l->fy[i].start_year == 2027)
			f = i;
	assert_true(f != SIZE_MAX);
	size_t point = l->fy_external + fost * l->n_fy + f;
	cc_stats base = cc_results_stats(r[0], point);
	cc_results_free(r[0]);
	cc_results_free(r[1]);
	double value = floor(base.p50) - 15;
	assert_true(value > 0);
	char text[160], err[256];
	snprintf(text, sizeof text, "external/fostering <= %g by 2027-28 with probability 0.8",
	         value);
	cc_goal g;
	assert_int_equal(cc_goal_parse(text, m, o.months, &g, err, sizeof err), CC_OK);
	cc_goal_result res;
	assert_int_equal(cc_goal_seek(m, s, 0, &g, &o, 200, &res), CC_OK);
	assert_true(res.achieved);
	assert_true(res.value > 0 && res.value < 200);
	assert_near(res.value, floor(res.value), 0); /* whole households */
	assert_true(res.probability >= 0.8);
	assert_true(res.probability_less < 0.8);
	/* Independent re-runs at the value and one household less. */
	for (int less = 0; less <= 1; less++) {
		s->levers[0].per_year = res.value - less;
		assert_int_equal(cc_sim_run_scenarios(m, list, 1, &o, r), CC_OK);
		size_t ok = 0, R = cc_results_replications(r[1]);
		for (size_t k = 0; k < R; k++)
			ok += cc_results_value(r[1], point, k) <= value;
		double p = (double)ok / (double)R;
		if (less)
			assert_true(p < 0.8);
		else
			assert_true(p >= 0.8);
		cc_results_free(r[0]);
		cc_results_free(r[1]);
	}
	/* The parser refuses what it cannot evaluate. */
	assert_int_equal(cc_goal_parse("external/fostering <= 10 by 2040-41 with probability 0.8",
	                               m, o.months, &g, err, sizeof err),
	                 CC_EINVAL);
	assert_non_null(strstr(err, "within the horizon"));
	assert_int_equal(cc_goal_parse("external/nowhere <= 10 by 2026-27 with probability 0.8", m,
	                               o.months, &g, err, sizeof err),
	                 CC_EINVAL);
	assert_non_null(strstr(err, "external/nowhere"));
	assert_int_equal(cc_goal_parse("external/fostering <= 10 by 2026-27 with probability 1.5",
	                               m, o.months, &g, err, sizeof err),
	                 CC_EINVAL);
	cc_scenario_free(s);
	cc_model_free(m);
}

static void test_scenario_load_errors(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/capacity.json");
	static const struct {
		const char *text;
		size_t line;
		const char *msg;
	} cases[] = {
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"magic\", \"start\": "
		  "\"2025-04-01\"}]}",
		  2, "expected a lever type (one of \"entries\"" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"entries\", \"start\": "
		  "\"2025-02-30\","
		  " \"multiplier\": 0.5}]}",
		  2, "expected a real date YYYY-MM-DD for \"start\", found \"2025-02-30\"" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"entries\", \"start\": "
		  "\"2026-04-01\","
		  " \"phase_in_end\": \"2025-04-01\", \"multiplier\": 0.5}]}",
		  2, "expected \"phase_in_end\" after \"start\"" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"entries\", \"start\": "
		  "\"2025-04-01\","
		  " \"multiplier\": 0.5, \"age_bands\": [\"11-14\"]}]}",
		  2, "expected an age band (one of \"under1\"" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"exit_hazard\", \"start\": "
		  "\"2025-04-01\","
		  " \"multiplier\": 2, \"categories\": [\"unicorn\"]}]}",
		  2, "expected a category (one of \"fostering\"" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"extra_exits\", \"start\": "
		  "\"2025-04-01\","
		  " \"per_year\": 5, \"reason\": \"lottery\"}]}",
		  2, "expected an exit reason (one of \"adoption\"" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"approvals\", \"start\": "
		  "\"2025-04-01\","
		  " \"pool\": \"residential\", \"extra_per_year\": 5}]}",
		  2, "expected a foster household pool (one of \"fostering\")" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"close_home\", \"start\": "
		  "\"2025-04-01\","
		  " \"pool\": \"residential\", \"name\": \"Elm House\"}]}",
		  2, "expected a home of the pool (one of \"Oak House\", \"New home\")" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"entries\", \"start\": "
		  "\"2025-04-01\"}]}",
		  2, "expected exactly one of \"multiplier\" or \"change_per_year\"" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"entries\", \"start\": "
		  "\"2025-04-01\","
		  " \"multiplier\": -1}]}",
		  2, "expected a number from 0 to 100 for \"multiplier\", found -1" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"target\", \"start\": "
		  "\"2025-04-01\","
		  " \"reduce_stock_percent\": 25, \"by\": \"2028-03-31\", \"solve_for\": 0}]}",
		  2, "expected \"solve_for\" to be the position" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"moves\", \"start\": "
		  "\"2025-04-01\"}]}",
		  2, "found \"moves\"" },
		{ "{\"name\": \"baseline\", \"levers\": []}", 1,
		  "other than \"\" or \"baseline\"" },
		{ "{\"name\": \"x\", \"extends\": \"nowhere.json\", \"levers\": []}", 0,
		  "nowhere.json: cannot open" },
		{ "{\"name\": \"x\", \"extends\": \"loop.json\", \"levers\": []}", 1,
		  "\"extends\" makes a cycle" },
		{ "{\"name\": \"x\", \"levers\": [\n{\"type\": \"entries\", \"start\": "
		  "\"2025-04-01\","
		  " \"multiplier\": 0.5, \"multiplyer\": 2}]}",
		  2, "unknown key \"multiplyer\"" },
	};
	int failed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = write_file("loop.json", cases[i].text);
		cc_diags *d = cc_diags_alloc(0);
		cc_scenario *s = NULL;
		int rc = cc_scenario_load(path, m, &s, d);
		int found = 0;
		for (size_t k = 0; k < cc_diags_count(d); k++) {
			const cc_diag *e = cc_diags_get(d, k);
			char *msg = cc_diag_format(e);
			found |= strstr(msg, cases[i].msg) != NULL &&
			         (cases[i].line == 0 || e->line == cases[i].line);
			free(msg);
		}
		if (rc == CC_OK || !found) {
			fprintf(stderr, "case %zu: rc %d, no diagnostic at line %zu with \"%s\":\n",
			        i, rc, cases[i].line, cases[i].msg);
			for (size_t k = 0; k < cc_diags_count(d); k++) {
				char *msg = cc_diag_format(cc_diags_get(d, k));
				fprintf(stderr, "    %s\n", msg);
				free(msg);
			}
			failed++;
		}
		cc_scenario_free(s);
		cc_diags_free(d);
		free(path);
	}
	assert_int_equal(failed, 0);
	cc_model_free(m);
}

static void test_extends_puts_base_levers_first(void **state)
{
	(void)state;
	cc_model *m = cc_test_model_file("tests/data/capacity.json");
	free(write_file("base.json", "{\"name\": \"Base\", \"levers\": [{\"type\": \"entries\","
	                             " \"start\": \"2025-04-01\", \"multiplier\": 0.9}]}"));
	cc_scenario *s = load(m, "more.json",
	                      "{\"name\": \"More\", \"extends\": \"base.json\", \"levers\": ["
	                      "{\"type\": \"approvals\", \"start\": \"2025-04-01\", \"pool\":"
	                      " \"fostering\", \"extra_per_year\": 10}]}");
	assert_string_equal(s->name, "More");
	assert_int_equal(s->n_levers, 2);
	assert_int_equal(s->levers[0].type, CC_LEVER_ENTRIES);
	assert_int_equal(s->levers[1].type, CC_LEVER_APPROVALS);
	cc_scenario_free(s);
	cc_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_neutral_levers_reproduce_the_baseline_exactly),
		cmocka_unit_test(test_extra_exits_delivered_exactly_and_shortfall),
		cmocka_unit_test(test_transfers_step_down_by_age),
		cmocka_unit_test(test_phase_in_half_effect_at_midpoint_expected),
		cmocka_unit_test(test_common_random_numbers_make_differences_precise),
		cmocka_unit_test(test_capacity_lever_leaves_children_looked_after_unchanged),
		cmocka_unit_test(test_target_solves_median_reduction),
		cmocka_unit_test(test_goal_seek_smallest_lever_meeting_probability),
		cmocka_unit_test(test_scenario_load_errors),
		cmocka_unit_test(test_extends_puts_base_levers_first),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
