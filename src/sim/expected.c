/*
 * expected.c - the exact expected value of the monthly process, without sampling.
 *
 * The simulation's state space, aggregated: expected numbers of children by
 * (age in months, category, months in care capped at the start of the open
 * time-in-care band, provider). Every child in a state faces the same
 * hazards, so the expected flows of one month are linear in the state:
 *
 *   exits_r   += x * p_g * h_r / H_g
 *   moves c>j  = x * p_g * h_j / H_g, split by provider with j's in-house share
 *   stay       = x * (1 - p_g),  p_g = 1 - exp(-H_g / 12)
 *
 * then everyone ages one month (leaving at 216 months with reason age18) and
 * the expected entries lambda_b(t) / 12, spread over ages, categories and
 * providers by the same distributions the simulation samples from, are
 * added. Linearity of expectation makes this exactly E[stochastic model]
 * when the rates are fixed at their point estimates. Cost does not depend
 * on the population size: about 10^5 state updates a month.
 */
#include "carecast/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const cc_model *m;
	size_t K, TC, R, O;
	double *p_event; /* [cells] */
	double *p_out;   /* [cells * O]: probability of each outcome this month */
	double *x, *y;   /* state, next state */
	double *rec;
} ctx;

static size_t sidx(const ctx *C, size_t a, size_t c, size_t s, size_t p)
{
	return ((a * C->K + c) * C->TC + s) * 2 + p;
}

static void ctx_free(ctx *C)
{
	free(C->p_event);
	free(C->p_out);
	free(C->x);
	free(C->y);
	free(C->rec);
}

int cc_expected_run(const cc_model *m, size_t months, cc_results **out)
{
	*out = NULL;
	if (!m || months == 0 || months > 0x7FFFFF)
		return CC_EINVAL;
	cc_results *res = cc_results_alloc(m, months, 1);
	if (!res)
		return CC_ENOMEM;
	cc_results_set_expected(res, 1);
	const cc_layout *l = cc_results_layout(res);

	ctx C = { .m = m, .K = m->n_categories, .R = m->n_reasons };
	C.O = m->n_reasons + m->n_categories;
	unsigned cap = m->tic_bands[m->n_tic_bands - 1].from_months;
	if (cap > CC_TIC_MAX_MONTHS)
		cap = CC_TIC_MAX_MONTHS;
	C.TC = cap + 1;
	size_t nstate = (size_t)CC_AGE_MONTHS_MAX * C.K * C.TC * 2;
	cc_hazards haz = { 0 };
	size_t cells = m->n_age_bands * m->n_categories * m->n_tic_bands;
	C.p_event = malloc(cells * sizeof *C.p_event);
	C.p_out = malloc(cells * C.O * sizeof *C.p_out);
	C.x = calloc(nstate, sizeof *C.x);
	C.y = calloc(nstate, sizeof *C.y);
	C.rec = calloc(l->n_points, sizeof *C.rec);
	int rc = CC_OK;
	if (!C.p_event || !C.p_out || !C.x || !C.y || !C.rec ||
	    cc_hazards_alloc(m, &haz) != CC_OK) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	cc_hazards_build(m, NULL, &haz);
	for (size_t g = 0; g < cells; g++) {
		const double *h = &haz.hazard[g * C.O];
		double H = 0;
		for (size_t o = 0; o < C.O; o++)
			H += h[o];
		double p = -expm1(-H / 12.0);
		C.p_event[g] = p;
		for (size_t o = 0; o < C.O; o++)
			C.p_out[g * C.O + o] = H > 0 ? p * h[o] / H : 0;
	}
	uint8_t band_of_age[CC_AGE_MONTHS_MAX];
	for (unsigned a = 0; a < CC_AGE_MONTHS_MAX; a++)
		band_of_age[a] = (uint8_t)cc_model_age_band(m, a);
	uint8_t tic_of[CC_TIC_MAX_MONTHS + 1];
	for (unsigned s = 0; s < C.TC; s++)
		tic_of[s] = (uint8_t)cc_model_tic_band(m, s);

	double stock = 0;
	for (size_t g = 0; g < m->n_start; g++) {
		const cc_start_group *sg = &m->start[g];
		unsigned s = sg->months_in_care < cap ? sg->months_in_care : cap;
		C.x[sidx(&C, sg->age_months, sg->category, s, sg->provider)] += sg->count;
		stock += sg->count;
	}
	for (size_t f = 0; f < l->n_fy; f++)
		if (l->fy[f].first_month == 1)
			C.rec[l->fy_cla_start + f] = stock;

	const size_t K = C.K, R = C.R, O = C.O, T = m->n_tic_bands;
	for (size_t t = 1; t <= months; t++) {
		memset(C.y, 0, nstate * sizeof *C.y);
		double exits[CC_MAX_LIST + 1] = { 0 };
		double moves = 0;
		for (size_t a = 0; a < CC_AGE_MONTHS_MAX; a++) {
			size_t b = band_of_age[a];
			for (size_t c = 0; c < K; c++) {
				for (size_t s = 0; s < C.TC; s++) {
					double xin = C.x[sidx(&C, a, c, s, 0)];
					double xex = C.x[sidx(&C, a, c, s, 1)];
					double x = xin + xex;
					if (x == 0)
						continue;
					size_t g = (b * K + c) * T + tic_of[s];
					const double *po = &C.p_out[g * O];
					for (size_t r = 0; r < R; r++)
						exits[r] += x * po[r];
					double stay = 1.0 - C.p_event[g];
					size_t a2 = a + 1;
					size_t s2 = s + 1 < C.TC ? s + 1 : s;
					double moved = 0;
					for (size_t j = 0; j < K; j++) {
						double mass = x * po[R + j];
						if (mass == 0)
							continue;
						moved += mass;
						if (a2 < CC_AGE_MONTHS_MAX) {
							double sh = m->categories[j].in_house_share;
							C.y[sidx(&C, a2, j, s2, 0)] += mass * sh;
							C.y[sidx(&C, a2, j, s2, 1)] +=
							    mass * (1.0 - sh);
						}
					}
					moves += moved;
					if (a2 >= CC_AGE_MONTHS_MAX) {
						exits[R] += x * stay + moved;
					} else {
						C.y[sidx(&C, a2, c, s2, 0)] += xin * stay;
						C.y[sidx(&C, a2, c, s2, 1)] += xex * stay;
					}
				}
			}
		}
		double entries = 0;
		double f_trend = 1.0 + m->entry_trend_per_year * ((double)t - 0.5) / 12.0;
		if (f_trend < 0)
			f_trend = 0;
		for (size_t b = 0; b < m->n_age_bands; b++) {
			double mu = m->params[b].rate_per_year * f_trend / 12.0;
			if (!(mu > 0))
				continue;
			entries += mu;
			const cc_band *band = &m->age_bands[b];
			unsigned width = band->to_months - band->from_months;
			const double *cdf = m->entry_age_cdf[b];
			for (unsigned k = 0; k < width; k++) {
				double w = cdf ? cdf[k] - (k ? cdf[k - 1] : 0) : 1.0 / width;
				for (size_t c = 0; c < K; c++) {
					double mass = mu * w * m->entry_mix[b][c];
					if (mass == 0)
						continue;
					double sh = m->categories[c].in_house_share;
					C.y[sidx(&C, band->from_months + k, c, 0, 0)] += mass * sh;
					C.y[sidx(&C, band->from_months + k, c, 0, 1)] +=
					    mass * (1.0 - sh);
				}
			}
		}
		double *tmp = C.x;
		C.x = C.y;
		C.y = tmp;

		double total = 0, cat[CC_MAX_LIST] = { 0 }, band[CC_MAX_LIST] = { 0 },
		       prov[2] = { 0 };
		for (size_t a = 0; a < CC_AGE_MONTHS_MAX; a++)
			for (size_t c = 0; c < K; c++)
				for (size_t s = 0; s < C.TC; s++)
					for (size_t p = 0; p < 2; p++) {
						double v = C.x[sidx(&C, a, c, s, p)];
						total += v;
						cat[c] += v;
						band[band_of_age[a]] += v;
						prov[p] += v;
					}
		double *rec = C.rec;
		rec[cc_layout_month(l, l->cla_total, t)] = total;
		for (size_t c = 0; c < K; c++)
			rec[cc_layout_month(l, l->by_category + c * months, t)] = cat[c];
		for (size_t bb = 0; bb < m->n_age_bands; bb++)
			rec[cc_layout_month(l, l->by_age_band + bb * months, t)] = band[bb];
		for (size_t p = 0; p < 2; p++)
			rec[cc_layout_month(l, l->by_provider + p * months, t)] = prov[p];
		size_t f = l->fy_of_month[t];
		if (f != SIZE_MAX) {
			double nexits = 0;
			for (size_t o = 0; o <= R; o++) {
				rec[l->fy_exits_by_reason + o * l->n_fy + f] += exits[o];
				nexits += exits[o];
			}
			rec[l->fy_exits + f] += nexits;
			rec[l->fy_entries + f] += entries;
			rec[l->fy_moves + f] += moves;
			if (l->fy[f].last_month == t)
				rec[l->fy_cla_31_march + f] = total;
			if (f + 1 < l->n_fy && l->fy[f + 1].first_month == t + 1)
				rec[l->fy_cla_start + f + 1] = total;
		}
	}
	cc_results_store(res, 0, C.rec);
cleanup:
	cc_hazards_free(&haz);
	ctx_free(&C);
	if (rc != CC_OK) {
		cc_results_free(res);
		return rc;
	}
	*out = res;
	return CC_OK;
}
