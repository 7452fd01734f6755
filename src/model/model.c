/*
 * model.c - model lifetime, band lookups, population and hazard tables.
 *
 * The hazard table is the dense form of the move and exit rows: for every
 * cell (age band, category, time-in-care band) the hazard per year of each
 * outcome. A replication builds it once from its drawn parameters, so the
 * monthly loop only indexes it.
 */
#include "carecast/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const cc_contract_names[CC_NCONTRACTS] = { "in_house", "framework", "spot" };

void cc_model_free(cc_model *m)
{
	if (!m)
		return;
	for (size_t b = 0; b < CC_MAX_LIST; b++)
		free(m->entry_age_cdf[b]);
	free(m->moves);
	free(m->exits);
	free(m->params);
	free(m->start);
	free(m->population);
	free(m->history);
	for (size_t k = 0; k < m->n_pools; k++)
		free(m->pools[k].homes);
	free(m->fixed);
	free(m->budgets);
	free(m->name);
	free(m->path);
	free(m);
}

size_t cc_model_age_band(const cc_model *m, unsigned age_months)
{
	for (size_t b = 0; b < m->n_age_bands; b++)
		if (age_months < m->age_bands[b].to_months)
			return b;
	return m->n_age_bands - 1;
}

size_t cc_model_tic_band(const cc_model *m, unsigned months_in_care)
{
	for (size_t t = 0; t < m->n_tic_bands; t++)
		if (months_in_care < m->tic_bands[t].to_months)
			return t;
	return m->n_tic_bands - 1;
}

double cc_model_population(const cc_model *m, int year)
{
	if (m->n_population == 0)
		return 0;
	double v = m->population[0].count;
	for (size_t i = 0; i < m->n_population; i++)
		if (m->population[i].year <= year)
			v = m->population[i].count;
	return v;
}

int cc_hazards_alloc(const cc_model *m, cc_hazards *h)
{
	h->n_cells = m->n_age_bands * m->n_categories * m->n_tic_bands;
	h->n_outcomes = m->n_reasons + m->n_categories;
	h->hazard = calloc(h->n_cells * h->n_outcomes, sizeof *h->hazard);
	return h->hazard ? CC_OK : CC_ENOMEM;
}

void cc_hazards_free(cc_hazards *h)
{
	if (!h)
		return;
	free(h->hazard);
	h->hazard = NULL;
}

static double param_value(const cc_model *m, const double *values, size_t p)
{
	return values ? values[p] : m->params[p].rate_per_year;
}

void cc_hazards_build(const cc_model *m, const double *values, cc_hazards *h)
{
	const size_t O = h->n_outcomes;
	memset(h->hazard, 0, h->n_cells * O * sizeof *h->hazard);
	for (size_t i = 0; i < m->n_exits; i++) {
		const cc_exit_row *r = &m->exits[i];
		double v = param_value(m, values, r->param);
		for (size_t b = 0; b < m->n_age_bands; b++)
			for (size_t c = 0; c < m->n_categories; c++)
				for (size_t t = 0; t < m->n_tic_bands; t++)
					if (((r->age_bands >> b) & 1u) &&
					    ((r->categories >> c) & 1u) &&
					    ((r->tic_bands >> t) & 1u))
						h->hazard[cc_hazards_cell(m, b, c, t) * O +
						          r->reason] = v;
	}
	for (size_t i = 0; i < m->n_moves; i++) {
		const cc_move_row *r = &m->moves[i];
		double v = param_value(m, values, r->param);
		for (size_t b = 0; b < m->n_age_bands; b++)
			for (size_t t = 0; t < m->n_tic_bands; t++)
				if (((r->age_bands >> b) & 1u) && ((r->tic_bands >> t) & 1u))
					h->hazard[cc_hazards_cell(m, b, r->from, t) * O +
					          m->n_reasons + r->to] = v;
	}
}

unsigned cc_pool_places(const cc_pool *p, cc_date date, unsigned households)
{
	switch (p->kind) {
	case CC_POOL_HOUSEHOLDS:
		return (unsigned)floor(
		    (double)households * p->places_per_household * p->usable_share + 1e-9);
	case CC_POOL_UNITS: return (unsigned)floor((double)p->units * p->usable_share + 1e-9);
	case CC_POOL_HOMES: {
		unsigned total = 0;
		for (size_t i = 0; i < p->n_homes; i++) {
			const cc_home *h = &p->homes[i];
			if (h->opens != CC_DATE_NONE && date < h->opens)
				continue;
			if (h->closes != CC_DATE_NONE && date >= h->closes)
				continue;
			total += (unsigned)floor((double)h->beds * h->usable_share + 1e-9);
		}
		return total;
	}
	}
	return 0;
}

double cc_model_uplift(const cc_model *m, size_t category, int provider, int fy_start_year)
{
	if (!m->has_costs)
		return 1.0;
	/* k = the 1 Aprils strictly after the price date, up to 1 April of the
	 * year's start. */
	int y, mo, d;
	cc_date_to_ymd(m->price_date, &y, &mo, &d);
	int first = mo >= 4 ? y + 1 : y;
	int k = fy_start_year - first + 1;
	if (k < 0)
		k = 0;
	return pow(1.0 + m->prices[category].uplift[provider], (double)k);
}

double cc_model_fixed_cost(const cc_model *m, int category, cc_date from, cc_date to)
{
	/* An amount per year is spent evenly over the days of each financial
	 * year, so a whole year costs exactly the amount. */
	double total = 0;
	for (size_t i = 0; i < m->n_fixed; i++) {
		const cc_fixed_cost *f = &m->fixed[i];
		if (category >= 0 && f->category != category)
			continue;
		cc_date a = f->from == CC_DATE_NONE || f->from < from ? from : f->from;
		cc_date b = f->to == CC_DATE_NONE || f->to > to ? to : f->to;
		while (a <= b) {
			int fy = cc_date_fy_start_year(a);
			cc_date fs, fe;
			cc_date_from_ymd(fy, 4, 1, &fs);
			cc_date_from_ymd(fy + 1, 3, 31, &fe);
			cc_date end = fe < b ? fe : b;
			total += f->amount_per_year * (double)(end - a + 1) / (double)(fe - fs + 1);
			a = end + 1;
		}
	}
	return total;
}

const cc_budget *cc_model_budget(const cc_model *m, int fy_start_year)
{
	for (size_t i = 0; i < m->n_budgets; i++)
		if (m->budgets[i].fy_start_year == fy_start_year)
			return &m->budgets[i];
	return NULL;
}
