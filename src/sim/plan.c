/*
 * plan.c - levers to month tables.
 *
 * A lever's effect in month t is scaled by its ramp r(t) in [0, 1], read on
 * the first day of the month (0 before its start, 1 from the end of its
 * phase-in, linear in days between):
 *   multipliers        1 + (m - 1) r(t)   (several levers on one cell multiply)
 *   additions          a r(t)             (entries a year, approvals a year)
 *   values             v0 + (v - v0) r(t) (usable share, framework share)
 *   programmes         quota per month    q r(t), accumulated
 * Prices follow the model: each 1 April after the price date the price rises
 * by the uplift in force on that day (a lever's value once it has started);
 * a price lever replaces the price from its start, and later 1 Aprils uplift
 * it. Opening and closing homes change places on the first day of the month.
 */
#include "plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cc_plan_free(cc_plan *p)
{
	if (!p)
		return;
	free(p->entry_mult);
	free(p->entry_add);
	free(p->haz_mult);
	free(p->haz_change);
	free(p->approvals_add);
	free(p->dereg_mult);
	free(p->usable);
	free(p->places);
	free(p->price_week);
	free(p->framework_share);
	for (size_t i = 0; i < p->n_programmes; i++)
		free(p->programmes[i].quota_cum);
	free(p->programmes);
	memset(p, 0, sizeof *p);
}

static cc_date first_day(const cc_layout *l, size_t t) { return l->dates[t - 1] + 1; }

static double ramped(double base, double target, double r) { return base + (target - base) * r; }

static void build_entries(cc_plan *p, const cc_model *m, const cc_scenario *s, const cc_layout *l)
{
	const size_t B = p->B, K = p->K;
	for (size_t t = 1; t <= p->months; t++) {
		double *mult = &p->entry_mult[t * B * K];
		double *add = &p->entry_add[t * B * K];
		for (size_t b = 0; b < B; b++)
			for (size_t c = 0; c < K; c++)
				mult[b * K + c] = m->entry_mix[b][c];
		for (size_t i = 0; s && i < s->n_levers; i++) {
			const cc_lever *lv = &s->levers[i];
			if (lv->type != CC_LEVER_ENTRIES)
				continue;
			double r = cc_lever_ramp(lv, first_day(l, t));
			if (r == 0)
				continue;
			p->entries_vary = 1;
			if (lv->has_multiplier) {
				for (size_t b = 0; b < B; b++)
					for (size_t c = 0; c < K; c++)
						if (((lv->age_bands >> b) & 1u) &&
						    ((lv->categories >> c) & 1u))
							mult[b * K + c] *=
							    1.0 + (lv->multiplier - 1.0) * r;
				continue;
			}
			/* A change in entries a year, shared over the filtered cells in
			 * proportion to their base entries. */
			double base = 0;
			for (size_t b = 0; b < B; b++)
				for (size_t c = 0; c < K; c++)
					if (((lv->age_bands >> b) & 1u) &&
					    ((lv->categories >> c) & 1u))
						base +=
						    m->params[b].rate_per_year * m->entry_mix[b][c];
			if (!(base > 0))
				continue;
			for (size_t b = 0; b < B; b++)
				for (size_t c = 0; c < K; c++)
					if (((lv->age_bands >> b) & 1u) &&
					    ((lv->categories >> c) & 1u))
						add[b * K + c] += lv->per_year * r *
						                  m->params[b].rate_per_year *
						                  m->entry_mix[b][c] / base;
		}
	}
}

static int build_hazards(cc_plan *p, const cc_model *m, const cc_scenario *s, const cc_layout *l)
{
	int any = 0;
	for (size_t i = 0; s && i < s->n_levers; i++)
		any |= s->levers[i].type == CC_LEVER_EXIT_HAZARD ||
		       s->levers[i].type == CC_LEVER_MOVE_HAZARD;
	if (!any)
		return CC_OK;
	const size_t C = p->cells, O = p->O, R = m->n_reasons;
	p->haz_mult = malloc((p->months + 1) * C * O * sizeof *p->haz_mult);
	p->haz_change = calloc(p->months + 1, 1);
	if (!p->haz_mult || !p->haz_change)
		return CC_ENOMEM;
	for (size_t t = 0; t <= p->months; t++) {
		double *h = &p->haz_mult[t * C * O];
		for (size_t k = 0; k < C * O; k++)
			h[k] = 1.0;
		if (t == 0)
			continue;
		for (size_t i = 0; i < s->n_levers; i++) {
			const cc_lever *lv = &s->levers[i];
			if (lv->type != CC_LEVER_EXIT_HAZARD && lv->type != CC_LEVER_MOVE_HAZARD)
				continue;
			double r = cc_lever_ramp(lv, first_day(l, t));
			if (r == 0)
				continue;
			if (lv->providers != 3u)
				p->haz_by_provider = 1;
			double f = 1.0 + (lv->multiplier - 1.0) * r;
			for (size_t b = 0; b < m->n_age_bands; b++)
				for (size_t c = 0; c < m->n_categories; c++)
					for (size_t tau = 0; tau < m->n_tic_bands; tau++)
						for (size_t pv = 0; pv < CC_NPROVIDERS; pv++) {
							if (!((lv->age_bands >> b) & 1u) ||
							    !((lv->providers >> pv) & 1u))
								continue;
							size_t g = cc_plan_cell(m, b, c, tau, pv);
							if (lv->type == CC_LEVER_EXIT_HAZARD) {
								if (!((lv->categories >> c) & 1u))
									continue;
								for (size_t rr = 0; rr < R; rr++)
									if ((lv->reasons >> rr) &
									    1u)
										h[g * O + rr] *= f;
							} else if (c == lv->from) {
								h[g * O + R + lv->to] *= f;
							}
						}
		}
		p->haz_change[t] = t == 1 || memcmp(h, h - C * O, C * O * sizeof *h) != 0;
	}
	return CC_OK;
}

static void build_pools(cc_plan *p, const cc_model *m, const cc_scenario *s, const cc_layout *l)
{
	const size_t P = p->P;
	for (size_t t = 0; t <= p->months; t++) {
		cc_date day = t ? first_day(l, t) : l->dates[0] + 1;
		for (size_t k = 0; k < P; k++) {
			const cc_pool *pool = &m->pools[k];
			double add = 0, dm = 1.0, usable = pool->usable_share;
			unsigned places = 0;
			for (size_t i = 0; s && i < s->n_levers; i++) {
				const cc_lever *lv = &s->levers[i];
				if (lv->pool != k)
					continue;
				double r = cc_lever_ramp(lv, day);
				if (lv->type == CC_LEVER_APPROVALS)
					add += lv->per_year * r;
				else if (lv->type == CC_LEVER_DEREGISTRATION)
					dm *= 1.0 + (lv->multiplier - 1.0) * r;
				else if (lv->type == CC_LEVER_USABLE_SHARE &&
				         pool->kind != CC_POOL_HOMES)
					usable = ramped(usable, lv->value, r);
			}
			if (pool->kind == CC_POOL_HOMES) {
				for (size_t h = 0; h < pool->n_homes; h++) {
					cc_home home = pool->homes[h];
					for (size_t i = 0; s && i < s->n_levers; i++) {
						const cc_lever *lv = &s->levers[i];
						if (lv->pool != k)
							continue;
						if (lv->type == CC_LEVER_CLOSE_HOME &&
						    lv->home_index == h &&
						    (home.closes == CC_DATE_NONE ||
						     home.closes > lv->start))
							home.closes = lv->start;
						if (lv->type == CC_LEVER_USABLE_SHARE &&
						    (!lv->home.name[0] ||
						     strcmp(lv->home.name, home.name) == 0))
							home.usable_share =
							    ramped(home.usable_share, lv->value,
							           cc_lever_ramp(lv, day));
					}
					cc_pool one = { .kind = CC_POOL_HOMES,
						        .n_homes = 1,
						        .homes = &home };
					places += cc_pool_places(&one, day, 0);
				}
				for (size_t i = 0; s && i < s->n_levers; i++) {
					const cc_lever *lv = &s->levers[i];
					if (lv->pool != k || lv->type != CC_LEVER_OPEN_HOME)
						continue;
					cc_home home = lv->home;
					for (size_t j = 0; j < s->n_levers; j++) {
						const cc_lever *u = &s->levers[j];
						if (u->type == CC_LEVER_USABLE_SHARE &&
						    u->pool == k &&
						    (!u->home.name[0] ||
						     strcmp(u->home.name, home.name) == 0))
							home.usable_share =
							    ramped(home.usable_share, u->value,
							           cc_lever_ramp(u, day));
					}
					cc_pool one = { .kind = CC_POOL_HOMES,
						        .n_homes = 1,
						        .homes = &home };
					places += cc_pool_places(&one, day, 0);
				}
			} else if (pool->kind == CC_POOL_UNITS) {
				cc_pool u = *pool;
				u.usable_share = usable;
				places = cc_pool_places(&u, day, 0);
			}
			p->approvals_add[t * P + k] = add;
			p->dereg_mult[t * P + k] = dm;
			p->usable[t * P + k] = usable;
			p->places[t * P + k] = places;
		}
	}
}

static void build_prices(cc_plan *p, const cc_model *m, const cc_scenario *s, const cc_layout *l)
{
	const size_t K = p->K;
	for (size_t c = 0; c < K; c++) {
		/* Framework share per month. */
		for (size_t t = 0; t <= p->months; t++) {
			double fs = m->has_costs ? m->prices[c].framework_share : 1.0;
			cc_date day = t ? first_day(l, t) : l->dates[0] + 1;
			for (size_t i = 0; s && i < s->n_levers; i++) {
				const cc_lever *lv = &s->levers[i];
				if (lv->type == CC_LEVER_FRAMEWORK_SHARE && lv->category == c)
					fs = ramped(fs, lv->value, cc_lever_ramp(lv, day));
			}
			p->framework_share[t * K + c] = fs;
		}
		if (!m->has_costs)
			continue;
		for (size_t k = 0; k < CC_NCONTRACTS; k++) {
			int prov = k == CC_CONTRACT_IN_HOUSE ? CC_IN_HOUSE : CC_EXTERNAL;
			double price = m->prices[c].per_week[k];
			int last_fy = cc_date_fy_start_year(m->price_date);
			for (size_t t = 1; t <= p->months; t++) {
				int fy = cc_date_fy_start_year(l->dates[t]);
				while (last_fy < fy) {
					last_fy++;
					cc_date april;
					cc_date_from_ymd(last_fy, 4, 1, &april);
					double u = m->prices[c].uplift[prov];
					for (size_t i = 0; s && i < s->n_levers; i++) {
						const cc_lever *lv = &s->levers[i];
						if (lv->type == CC_LEVER_UPLIFT &&
						    lv->category == c && lv->provider == prov &&
						    april >= lv->start)
							u = lv->value;
					}
					price *= 1.0 + u;
				}
				/* A price lever sets the price in the first month it is in
				 * force; later 1 Aprils uplift it. */
				for (size_t i = 0; s && i < s->n_levers; i++) {
					const cc_lever *lv = &s->levers[i];
					if (lv->type != CC_LEVER_PRICE || lv->category != c ||
					    lv->contract != (int)k)
						continue;
					int now = first_day(l, t) >= lv->start;
					int before = t > 1 && first_day(l, t - 1) >= lv->start;
					if (now && !before)
						price = lv->value;
				}
				p->price_week[t * K * 3 + c * 3 + k] = price;
			}
		}
	}
}

static int build_programmes(cc_plan *p, const cc_scenario *s, const cc_layout *l)
{
	size_t n = 0;
	for (size_t i = 0; s && i < s->n_levers; i++)
		n += s->levers[i].type == CC_LEVER_EXTRA_EXITS ||
		     s->levers[i].type == CC_LEVER_TRANSFERS;
	if (n == 0)
		return CC_OK;
	p->programmes = calloc(n, sizeof *p->programmes);
	if (!p->programmes)
		return CC_ENOMEM;
	for (size_t i = 0; i < s->n_levers; i++) {
		const cc_lever *lv = &s->levers[i];
		if (lv->type != CC_LEVER_EXTRA_EXITS && lv->type != CC_LEVER_TRANSFERS)
			continue;
		cc_programme *pr = &p->programmes[p->n_programmes++];
		pr->lever = lv;
		pr->index = i;
		pr->quota_cum = calloc(p->months + 1, sizeof *pr->quota_cum);
		if (!pr->quota_cum)
			return CC_ENOMEM;
		double per_month =
		    lv->type == CC_LEVER_EXTRA_EXITS ? lv->per_year / 12.0 : lv->per_month;
		for (size_t t = 1; t <= p->months; t++)
			pr->quota_cum[t] =
			    pr->quota_cum[t - 1] + per_month * cc_lever_ramp(lv, first_day(l, t));
	}
	return CC_OK;
}

int cc_plan_build(cc_plan *p, const cc_model *m, const cc_scenario *s, const cc_layout *l)
{
	memset(p, 0, sizeof *p);
	p->months = l->months;
	p->K = m->n_categories;
	p->B = m->n_age_bands;
	p->P = m->n_pools;
	p->O = m->n_reasons + m->n_categories;
	p->cells = m->n_age_bands * m->n_categories * m->n_tic_bands * 2;
	size_t T1 = p->months + 1, P1 = p->P ? p->P : 1;
	p->entry_mult = calloc(T1 * p->B * p->K, sizeof *p->entry_mult);
	p->entry_add = calloc(T1 * p->B * p->K, sizeof *p->entry_add);
	p->approvals_add = calloc(T1 * P1, sizeof *p->approvals_add);
	p->dereg_mult = calloc(T1 * P1, sizeof *p->dereg_mult);
	p->usable = calloc(T1 * P1, sizeof *p->usable);
	p->places = calloc(T1 * P1, sizeof *p->places);
	p->price_week = calloc(T1 * p->K * 3, sizeof *p->price_week);
	p->framework_share = calloc(T1 * p->K, sizeof *p->framework_share);
	if (!p->entry_mult || !p->entry_add || !p->approvals_add || !p->dereg_mult || !p->usable ||
	    !p->places || !p->price_week || !p->framework_share)
		goto oom;
	build_entries(p, m, s, l);
	if (build_hazards(p, m, s, l) != CC_OK)
		goto oom;
	build_pools(p, m, s, l);
	build_prices(p, m, s, l);
	if (build_programmes(p, s, l) != CC_OK)
		goto oom;
	return CC_OK;
oom:
	cc_plan_free(p);
	return CC_ENOMEM;
}
