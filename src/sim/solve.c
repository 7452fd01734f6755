/*
 * solve.c - meeting a scenario's targets by bisection on a lever.
 *
 * A target lever asks for a reduction of X% in the stock at a date relative
 * to the stock at the base date, judged on the median over replications. The
 * solved lever's magnitude is mapped to an intervention level theta in
 * [0, 1] (none to a great deal):
 *
 *   entries multiplier          1 - theta
 *   entries change a year       -theta x the model's entries a year
 *   exit hazard multiplier      1 + 49 theta
 *   extra exits a year          theta x 10 x the stock at the base date
 *
 * and the smallest theta whose median reduction reaches X% is found by
 * bisection (16 halvings: the median moves in whole children, so finer steps change nothing). In
 * expected-value mode the expected stock stands for the median. Every evaluation reruns the
 * scenario with the same seed and replications, so the random numbers are common to all of them and
 * the median moves with the lever, not with noise.
 */
#include "carecast/sim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BISECTIONS 16

static void set_theta(const cc_model *m, cc_lever *lv, double theta)
{
	switch (lv->type) {
	case CC_LEVER_ENTRIES:
		if (lv->has_multiplier) {
			lv->multiplier = 1.0 - theta;
		} else {
			double entries = 0;
			for (size_t b = 0; b < m->n_age_bands; b++)
				entries += m->params[b].rate_per_year;
			lv->per_year = -theta * entries;
		}
		break;
	case CC_LEVER_EXIT_HAZARD: lv->multiplier = 1.0 + 49.0 * theta; break;
	case CC_LEVER_EXTRA_EXITS: lv->per_year = theta * 10.0 * (double)m->start_total; break;
	default: break;
	}
}

static double lever_value(const cc_lever *lv)
{
	switch (lv->type) {
	case CC_LEVER_ENTRIES: return lv->has_multiplier ? lv->multiplier : lv->per_year;
	case CC_LEVER_EXIT_HAZARD: return lv->multiplier;
	case CC_LEVER_EXTRA_EXITS: return lv->per_year;
	default: return 0;
	}
}

/* Median reduction (%) of the stock at month t_by at intervention theta. */
static int reduction(const cc_model *m, cc_scenario *s, cc_lever *solved, double theta,
                     const cc_sim_options *o, int expected, size_t t_by, double *out)
{
	set_theta(m, solved, theta);
	cc_sim_options opt = *o;
	opt.progress = NULL;
	opt.scenarios_only = 1;
	cc_results *res[2] = { NULL, NULL };
	const cc_scenario *list[1] = { s };
	int rc = expected ? cc_expected_run_scenarios(m, list, 1, o->months, res)
	                  : cc_sim_run_scenarios(m, list, 1, &opt, res);
	cc_results_free(res[0]);
	if (rc != CC_OK)
		return rc;
	const cc_layout *l = cc_results_layout(res[1]);
	cc_stats st = cc_results_stats(res[1], cc_layout_month(l, l->cla_total, t_by));
	double base = (double)m->start_total;
	*out = base > 0 ? 100.0 * (base - st.p50) / base : 0;
	cc_results_free(res[1]);
	return CC_OK;
}

int cc_scenario_solve(const cc_model *m, cc_scenario *s, const cc_sim_options *o, int expected,
                      cc_diags *diags)
{
	for (size_t i = 0; i < s->n_levers; i++) {
		cc_lever *target = &s->levers[i];
		if (target->type != CC_LEVER_TARGET)
			continue;
		cc_lever *solved = &s->levers[target->solve_lever];
		/* The month whose end is the last on or before the date. */
		size_t t_by = 0;
		for (size_t t = 1; t <= o->months; t++)
			if (cc_date_month_end_add(m->base_date, (int)t) <= target->by)
				t_by = t;
		if (t_by == 0) {
			char d[CC_DATE_STRLEN];
			cc_date_format(target->by, d);
			cc_diags_add(
			    diags, CC_DIAG_ERROR, s->path, target->line, 0,
			    "expected the target date %s within the horizon (at or after the "
			    "first month end, at most %zu months after the base date)",
			    d, o->months);
			return CC_EPARSE;
		}
		if (cc_date_month_end_add(m->base_date, (int)o->months) < target->by) {
			char d[CC_DATE_STRLEN];
			cc_date_format(target->by, d);
			cc_diags_add(diags, CC_DIAG_ERROR, s->path, target->line, 0,
			             "expected the target date %s within the horizon; run for more "
			             "years (--years)",
			             d);
			return CC_EPARSE;
		}
		double lo = 0, hi = 1, r;
		int rc = reduction(m, s, solved, 0, o, expected, t_by, &r);
		if (rc != CC_OK)
			return rc;
		double theta;
		if (r >= target->reduce_percent) {
			theta = 0;
		} else {
			rc = reduction(m, s, solved, 1, o, expected, t_by, &r);
			if (rc != CC_OK)
				return rc;
			if (r < target->reduce_percent) {
				theta = 1; /* unreachable with this lever */
			} else {
				for (int k = 0; k < BISECTIONS; k++) {
					double mid = 0.5 * (lo + hi);
					rc = reduction(m, s, solved, mid, o, expected, t_by, &r);
					if (rc != CC_OK)
						return rc;
					if (r >= target->reduce_percent)
						hi = mid;
					else
						lo = mid;
				}
				theta = hi;
			}
		}
		rc = reduction(m, s, solved, theta, o, expected, t_by, &r);
		if (rc != CC_OK)
			return rc;
		target->solved = 1;
		target->met = r >= target->reduce_percent;
		target->solved_value = lever_value(solved);
		target->achieved_percent = r;
	}
	return CC_OK;
}

/* ---- goal seeking ------------------------------------------------------------ */

/* Where a financial-year metric lives in the layout, or SIZE_MAX. */
static size_t metric_point(const cc_model *m, const cc_layout *l, const char *name, size_t f)
{
	const size_t F = l->n_fy;
	char buf[CC_NAME_MAX + 64];
	if (strcmp(name, "cla_31_march") == 0)
		return l->fy_cla_31_march + f;
	if (strcmp(name, "entries") == 0)
		return l->fy_entries + f;
	if (strcmp(name, "exits/total") == 0)
		return l->fy_exits + f;
	if (strcmp(name, "placement_moves") == 0)
		return l->fy_moves + f;
	for (size_t r = 0; r <= m->n_reasons; r++) {
		snprintf(buf, sizeof buf, "exits/by_reason/%s",
		         r < m->n_reasons ? m->reasons[r] : "age18");
		if (strcmp(name, buf) == 0)
			return l->fy_exits_by_reason + r * F + f;
	}
	if (l->n_pools > 0) {
		if (strcmp(name, "households/stock") == 0)
			return l->fy_households + f;
		for (size_t c = 0; c < m->n_categories; c++) {
			snprintf(buf, sizeof buf, "external/%s", m->categories[c].name);
			if (strcmp(name, buf) == 0)
				return l->fy_external + c * F + f;
			snprintf(buf, sizeof buf, "gap/%s", m->categories[c].name);
			if (strcmp(name, buf) == 0 && m->pool_of[c] >= 0)
				return l->fy_gap + c * F + f;
		}
		for (size_t k = 0; k < m->n_pools; k++) {
			const char *pool = m->categories[m->pools[k].category].name;
			snprintf(buf, sizeof buf, "capacity/%s/occupied", pool);
			if (strcmp(name, buf) == 0)
				return l->fy_occupied + k * F + f;
			snprintf(buf, sizeof buf, "capacity/%s/places", pool);
			if (strcmp(name, buf) == 0)
				return l->fy_places + k * F + f;
		}
	}
	if (l->has_costs) {
		if (strcmp(name, "spend/total") == 0)
			return l->fy_spend + f;
		if (strcmp(name, "high_cost_placements") == 0)
			return l->fy_high_cost + f;
		for (size_t c = 0; c < m->n_categories; c++) {
			snprintf(buf, sizeof buf, "spend/by_category/%s", m->categories[c].name);
			if (strcmp(name, buf) == 0)
				return l->fy_spend_by_category + c * F + f;
		}
	}
	return SIZE_MAX;
}

int cc_goal_parse(const char *text, const cc_model *m, size_t months, cc_goal *g, char *err,
                  size_t errlen)
{
	memset(g, 0, sizeof *g);
	char metric[sizeof g->metric], op[4], fy[16], rest[64];
	double value, p;
	int n = sscanf(text, " %95s %3s %lf by %15s with probability %lf %63s", metric, op, &value,
	               fy, &p, rest);
	if (n != 5) {
		snprintf(err, errlen,
		         "expected a target \"<metric> <= <value> by <YYYY-YY> with probability "
		         "<p>\", found \"%s\"",
		         text);
		return CC_EINVAL;
	}
	if (strcmp(op, "<=") == 0) {
		g->at_most = 1;
	} else if (strcmp(op, ">=") != 0) {
		snprintf(err, errlen, "expected \"<=\" or \">=\" in the target, found \"%s\"", op);
		return CC_EINVAL;
	}
	if (!isfinite(value)) {
		snprintf(err, errlen, "expected a finite target value, found %s", text);
		return CC_EINVAL;
	}
	if (!(p > 0 && p <= 1)) {
		snprintf(err, errlen, "expected a probability above 0 and at most 1, found %g", p);
		return CC_EINVAL;
	}
	int y1, y2;
	char tail;
	if (sscanf(fy, "%4d-%2d%c", &y1, &y2, &tail) != 2 || (y1 + 1) % 100 != y2) {
		snprintf(err, errlen, "expected a financial year such as 2027-28, found \"%s\"",
		         fy);
		return CC_EINVAL;
	}
	cc_layout l;
	if (cc_layout_init(&l, m, months, 0) != CC_OK)
		return CC_ENOMEM;
	size_t f = SIZE_MAX;
	for (size_t i = 0; i < l.n_fy; i++)
		if (l.fy[i].start_year == y1)
			f = i;
	size_t point = f == SIZE_MAX ? SIZE_MAX : metric_point(m, &l, metric, f);
	cc_layout_free(&l);
	if (f == SIZE_MAX) {
		snprintf(err, errlen, "expected a financial year within the horizon, found %s", fy);
		return CC_EINVAL;
	}
	if (point == SIZE_MAX) {
		snprintf(err, errlen,
		         "expected a metric such as cla_31_march, external/<category>, "
		         "gap/<category>, households/stock, capacity/<pool>/occupied, spend/total, "
		         "spend/by_category/<category> or high_cost_placements, found \"%s\"",
		         metric);
		return CC_EINVAL;
	}
	snprintf(g->metric, sizeof g->metric, "%s", metric);
	g->value = value;
	g->fy_start_year = y1;
	g->probability = p;
	return CC_OK;
}

/* The intervention amount x of a lever, its grid step and default maximum. */
static int lever_axis(const cc_model *m, const cc_lever *lv, double *step, double *max)
{
	double entries = 0;
	for (size_t b = 0; b < m->n_age_bands; b++)
		entries += m->params[b].rate_per_year;
	switch (lv->type) {
	case CC_LEVER_APPROVALS:
		*step = 1;
		*max = 500;
		return 1;
	case CC_LEVER_EXTRA_EXITS:
		*step = 1;
		*max = 10.0 * (double)m->start_total + 10;
		return 1;
	case CC_LEVER_TRANSFERS:
		*step = 1;
		*max = 100;
		return 1;
	case CC_LEVER_ENTRIES:
		if (lv->has_multiplier) {
			*step = 0.01;
			*max = 1;
		} else {
			*step = 1;
			*max = ceil(entries);
		}
		return 1;
	case CC_LEVER_EXIT_HAZARD:
	case CC_LEVER_MOVE_HAZARD:
		*step = 0.01;
		*max = 20;
		return 1;
	case CC_LEVER_DEREGISTRATION:
		*step = 0.01;
		*max = 1;
		return 1;
	case CC_LEVER_USABLE_SHARE:
	case CC_LEVER_FRAMEWORK_SHARE:
		*step = 0.01;
		*max = 1;
		return 1;
	default: return 0;
	}
}

static void set_amount(cc_lever *lv, double x)
{
	switch (lv->type) {
	case CC_LEVER_APPROVALS: lv->per_year = x; break;
	case CC_LEVER_EXTRA_EXITS: lv->per_year = x; break;
	case CC_LEVER_TRANSFERS: lv->per_month = x; break;
	case CC_LEVER_ENTRIES:
		if (lv->has_multiplier)
			lv->multiplier = 1.0 - x;
		else
			lv->per_year = -x;
		break;
	case CC_LEVER_EXIT_HAZARD:
	case CC_LEVER_MOVE_HAZARD: lv->multiplier = 1.0 + x; break;
	case CC_LEVER_DEREGISTRATION: lv->multiplier = 1.0 - x; break;
	case CC_LEVER_USABLE_SHARE:
	case CC_LEVER_FRAMEWORK_SHARE: lv->value = x; break;
	default: break;
	}
}

int cc_goal_lever_ok(const cc_model *m, const cc_lever *lv)
{
	double step, max;
	return lever_axis(m, lv, &step, &max);
}

/* P(metric op value) with the lever at amount x. */
static int goal_probability(const cc_model *m, cc_scenario *s, cc_lever *lv, const cc_goal *g,
                            const cc_sim_options *o, double x, double *p)
{
	set_amount(lv, x);
	cc_sim_options opt = *o;
	opt.progress = NULL;
	opt.scenarios_only = 1;
	cc_results *res[2] = { NULL, NULL };
	const cc_scenario *list[1] = { s };
	int rc = cc_sim_run_scenarios(m, list, 1, &opt, res);
	if (rc != CC_OK)
		return rc;
	const cc_layout *l = cc_results_layout(res[1]);
	size_t f = SIZE_MAX;
	for (size_t i = 0; i < l->n_fy; i++)
		if (l->fy[i].start_year == g->fy_start_year)
			f = i;
	size_t point = f == SIZE_MAX ? SIZE_MAX : metric_point(m, l, g->metric, f);
	if (point == SIZE_MAX) {
		cc_results_free(res[1]);
		return CC_EINVAL;
	}
	size_t R = cc_results_replications(res[1]), ok = 0;
	for (size_t r = 0; r < R; r++) {
		double v = cc_results_value(res[1], point, r);
		ok += g->at_most ? v <= g->value : v >= g->value;
	}
	*p = (double)ok / (double)R;
	cc_results_free(res[1]);
	return CC_OK;
}

int cc_goal_seek(const cc_model *m, cc_scenario *s, size_t lever, const cc_goal *g,
                 const cc_sim_options *o, double max, cc_goal_result *out)
{
	memset(out, 0, sizeof *out);
	if (lever >= s->n_levers)
		return CC_EINVAL;
	cc_lever *lv = &s->levers[lever];
	double step, dmax;
	if (!lever_axis(m, lv, &step, &dmax))
		return CC_EINVAL;
	if (!(max > 0))
		max = dmax;
	long top = (long)floor(max / step + 1e-9);
	out->step = step;
	double p;
	int rc = goal_probability(m, s, lv, g, o, 0, &p);
	if (rc != CC_OK)
		return rc;
	long k;
	if (p >= g->probability) {
		k = 0;
	} else {
		rc = goal_probability(m, s, lv, g, o, (double)top * step, &p);
		if (rc != CC_OK)
			return rc;
		if (p < g->probability) {
			out->achieved = 0;
			out->value = (double)top * step;
			out->probability = p;
			return CC_OK;
		}
		long lo = 0, hi = top; /* fails at lo, meets at hi */
		while (hi - lo > 1) {
			long mid = lo + (hi - lo) / 2;
			rc = goal_probability(m, s, lv, g, o, (double)mid * step, &p);
			if (rc != CC_OK)
				return rc;
			if (p >= g->probability)
				hi = mid;
			else
				lo = mid;
		}
		k = hi;
	}
	out->achieved = 1;
	out->value = (double)k * step;
	/* Verify by re-running: at the value, and one step less. */
	rc = goal_probability(m, s, lv, g, o, out->value, &out->probability);
	if (rc == CC_OK && k > 0)
		rc = goal_probability(m, s, lv, g, o, (double)(k - 1) * step,
		                      &out->probability_less);
	set_amount(lv, out->value);
	return rc;
}
