/*
 * model.c - model lifetime, band lookups, population and hazard tables.
 *
 * The hazard table is the dense form of the move and exit rows: for every
 * cell (age band, category, time-in-care band) the hazard per year of each
 * outcome. A replication builds it once from its drawn parameters, so the
 * monthly loop only indexes it.
 */
#include "carecast/model.h"

#include <stdlib.h>
#include <string.h>

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
