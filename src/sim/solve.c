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
