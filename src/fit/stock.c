/*
 * stock.c - the children in care on a date: the starting population at the
 * base date and the history at each 31 March.
 *
 * A child counts on date d when in care at the end of that day (DfE's rule:
 * DECOM <= d < DEC), not on a short break (LS V3/V4), not censored (an open
 * episode that vanished from later returns stops counting after the last
 * return holding it) and under 18. The starting population is aggregated to
 * counts of children with the same (age in months, category, provider,
 * months in care, months in placement, placements in the last 12 months):
 * no identifiers, no dates.
 */
#include "fit_int.h"

#include <stdlib.h>
#include <string.h>

int fit_start_add(fit_start *s, const fit_kid *kid, const fit_child *w, cc_date base, fit_tables *t)
{
	size_t pi, si;
	cc_date dob = kid->bday[0];
	if (!fit_stock_at(w, kid, base, &pi, &si))
		return CC_OK;
	const fit_period *p = &w->periods[pi];
	const fit_spell *cur = &w->spells[si];
	int age = fit_completed_months(dob, base);
	int tic = fit_completed_months(p->start, base);
	/* The current placement began at the last placement start on or before
	 * the base date; placements in the last 12 months are the distinct
	 * months (counted back from the base date) in which one began, as the
	 * engine's rolling 12-month record holds them. */
	cc_date placed = p->start;
	unsigned months12 = 0;
	for (size_t k = p->spell0; k <= si; k++) {
		const fit_spell *sp = &w->spells[k];
		if (!sp->placement)
			continue;
		placed = sp->start;
		int ago = fit_completed_months(sp->start, base);
		if (ago >= 0 && ago < 12)
			months12 |= 1u << ago;
	}
	int tip = fit_completed_months(placed, base);
	if (age < 0 || age >= CC_AGE_MONTHS_MAX)
		return CC_OK;
	if (tic > age)
		tic = age;
	if (tip > tic)
		tip = tic;
	if (tip < 12)
		months12 |= 1u << tip;
	unsigned p12 = 0;
	for (unsigned b = 0; b < 12; b++)
		p12 += (months12 >> b) & 1u;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		cc_start_group *r = realloc(s->rows, cap * sizeof *r);
		if (!r)
			return CC_ENOMEM;
		s->rows = r;
		s->cap = cap;
	}
	s->rows[s->n++] = (cc_start_group){
		.age_months = (uint16_t)age,
		.months_in_care = (uint16_t)tic,
		.months_in_placement = (uint16_t)tip,
		.category = cur->cat,
		.provider = cur->prov,
		.placements_12m = (uint8_t)p12,
		.count = 1,
	};
	t->stock_prov[cur->cat][cur->prov] += 1;
	return CC_OK;
}

static int cmp_group(const void *a, const void *b)
{
	const cc_start_group *x = a, *y = b;
	int d;
	if ((d = (int)x->category - (int)y->category) != 0)
		return d;
	if ((d = (int)x->provider - (int)y->provider) != 0)
		return d;
	if ((d = (int)x->age_months - (int)y->age_months) != 0)
		return d;
	if ((d = (int)x->months_in_care - (int)y->months_in_care) != 0)
		return d;
	if ((d = (int)x->months_in_placement - (int)y->months_in_placement) != 0)
		return d;
	return (int)x->placements_12m - (int)y->placements_12m;
}

void fit_start_finish(fit_start *s)
{
	if (s->n == 0)
		return;
	qsort(s->rows, s->n, sizeof *s->rows, cmp_group);
	size_t out = 0;
	for (size_t i = 1; i < s->n; i++) {
		if (cmp_group(&s->rows[out], &s->rows[i]) == 0)
			s->rows[out].count += s->rows[i].count;
		else
			s->rows[++out] = s->rows[i];
	}
	s->n = out + 1;
}

void fit_history_add(cc_history_point *h, size_t nh, const fit_kid *kid, const fit_child *w)
{
	for (size_t i = 0; i < nh; i++) {
		size_t pi, si;
		if (!fit_stock_at(w, kid, h[i].date, &pi, &si))
			continue;
		h[i].cla_total += 1;
		h[i].by_category[w->spells[si].cat] += 1;
	}
}
