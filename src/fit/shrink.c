/*
 * shrink.c - rates from events and exposure, shrunk where the data are thin.
 *
 * Each cell's rate is the posterior mean of a Gamma-Poisson model whose prior
 * is centred on a pooled rate mu one level up and worth alpha pseudo-events
 * (Clayton and Kaldor 1987; the empirical-Bayes smoothing used for small-area
 * rates):
 *
 *   rate = (events + alpha) / (exposure + k),   k = alpha / mu child-years,
 *
 * i.e. the observed rate events / exposure and mu weighted by
 * exposure / (exposure + k) and k / (exposure + k). A cell with no events
 * gets a positive rate below mu that falls as its exposure grows; a cell with
 * many events barely moves. The written evidence is the posterior's:
 * events + alpha over exposure + k, so rate = events / exposure exactly and the
 * engine's parameter draws Gamma(events + 0.5, exposure) carry both the data
 * and the prior.
 *
 * A pooled rate seen in few events is itself uncertain, so the prior may carry
 * no more pseudo-events than the evidence behind it: alpha is capped at the
 * parent's effective events (for moves to a destination, the moves out of the
 * origin). That keeps the written evidence, and so the engine's parameter
 * uncertainty, honest for a small authority.
 *
 * Levels, each shrunk toward the fitted rate of the one above:
 *   exits (per reason):  all cells -> category -> category x age band
 *                        -> category x age band x time-in-care band
 *   moves:               all moves -> moves out of the origin category
 *                        -> origin to destination (prior: the moves out of the
 *                           origin shared as all moves into each destination)
 *                        -> origin to destination x age band
 * A move to a category in an age band where no child was ever observed in
 * that category (supported accommodation for a baby) is a structural zero,
 * not shrunk into existence.
 *
 * alpha is estimated at each level from the data by Clayton and Kaldor's
 * method of moments: with e_i observed and x_i expected events under the raw
 * parent rates (cells with x_i > 0, n of them), the relative rates e_i / x_i
 * have variance 1 / alpha + 1 / x_i, so
 *
 *   1 / alpha = max(0, sum((e_i - x_i)^2 / x_i) - n) / sum(x_i),
 *
 * (the Pearson statistic's excess over its Poisson expectation), clamped to
 * [FIT_ALPHA_MIN, FIT_ALPHA_MAX]: cells that differ little beyond Poisson
 * noise support strong pooling, cells that differ a lot little. Or alpha is
 * fixed by the caller.
 */
#include "fit_int.h"

#include <math.h>
#include <string.h>

cc_fit_rate fit_shrink(double events, double exposure_years, double mu, double alpha)
{
	cc_fit_rate r = { .events = events, .exposure_years = exposure_years, .pooled_rate = mu };
	if (!(mu > 0) || !(alpha > 0)) {
		r.weight = 1;
		r.rate_per_year = exposure_years > 0 ? events / exposure_years : 0;
		r.pooled_rate = r.rate_per_year;
		r.eff_events = events;
		r.eff_exposure_years = exposure_years;
		return r;
	}
	double k = alpha / mu;
	r.weight = exposure_years / (exposure_years + k);
	r.eff_events = events + alpha;
	r.eff_exposure_years = exposure_years + k;
	r.rate_per_year = r.eff_events / r.eff_exposure_years;
	return r;
}

/* Shrinks toward a fitted parent, whose prior can carry no more information
 * than the evidence behind it: alpha is capped at the parent's effective
 * events (a pooled rate seen in 13 events is not worth 50). */
static cc_fit_rate shrink_to(double events, double exposure_years, const cc_fit_rate *parent,
                             double share, double alpha)
{
	double cap = parent->eff_events;
	return fit_shrink(events, exposure_years, parent->rate_per_year * share,
	                  alpha < cap ? alpha : cap);
}

double fit_alpha_estimate(const double *e, const double *x, size_t n)
{
	double chi2 = 0, sum_x = 0, units = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(x[i] > 0))
			continue;
		double d = e[i] - x[i];
		chi2 += d * d / x[i];
		sum_x += x[i];
		units += 1;
	}
	if (!(sum_x > 0))
		return FIT_ALPHA_NONE;
	double phi = (chi2 - units) / sum_x;
	if (!(phi > 0))
		return FIT_ALPHA_MAX;
	double a = 1 / phi;
	return a < FIT_ALPHA_MIN ? FIT_ALPHA_MIN : a > FIT_ALPHA_MAX ? FIT_ALPHA_MAX : a;
}

static cc_fit_rate observed(double events, double exposure_years)
{
	return fit_shrink(events, exposure_years, 0, 0);
}

#define NCELLS (CC_MAX_LIST * CC_MAX_LIST * CC_FIT_NAGE)

/* ---- exits ------------------------------------------------------------------- */

void fit_exit_rates_compute(const fit_tables *t, double prior_events, fit_exit_rates *r)
{
	size_t K = t->K;
	double E_cbt[CC_FIT_NAGE][CC_MAX_LIST][CC_FIT_NTIC];
	double E_cb[CC_MAX_LIST][CC_FIT_NAGE], E_c[CC_MAX_LIST], E = 0;
	memset(E_cb, 0, sizeof E_cb);
	memset(E_c, 0, sizeof E_c);
	for (size_t b = 0; b < CC_FIT_NAGE; b++)
		for (size_t c = 0; c < K; c++)
			for (size_t tau = 0; tau < CC_FIT_NTIC; tau++) {
				double y = t->expo_days[b][c][tau] / FIT_DAYS_PER_YEAR;
				E_cbt[b][c][tau] = y;
				E_cb[c][b] += y;
				E_c[c] += y;
				E += y;
			}
	double ev[CC_MAX_LIST * CC_FIT_NAGE * CC_FIT_NTIC] = { 0 },
	                                      ex[CC_MAX_LIST * CC_FIT_NAGE * CC_FIT_NTIC] = { 0 };
	for (size_t rs = 0; rs < CC_FIT_NREASONS; rs++) {
		const double(*ecell)[CC_MAX_LIST][CC_FIT_NTIC] = t->exits[rs];
		double e_cb[CC_MAX_LIST][CC_FIT_NAGE], e_c[CC_MAX_LIST], e = 0;
		memset(e_cb, 0, sizeof e_cb);
		memset(e_c, 0, sizeof e_c);
		for (size_t b = 0; b < CC_FIT_NAGE; b++)
			for (size_t c = 0; c < K; c++)
				for (size_t tau = 0; tau < CC_FIT_NTIC; tau++) {
					e_cb[c][b] += ecell[b][c][tau];
					e_c[c] += ecell[b][c][tau];
					e += ecell[b][c][tau];
				}
		r->top[rs] = observed(e, E);
		double R = E > 0 ? e / E : 0;
		/* alpha at each level from the raw parents. */
		size_t n = 0;
		for (size_t c = 0; c < K; c++) {
			ev[n] = e_c[c];
			ex[n++] = E_c[c] * R;
		}
		double a2 = prior_events > 0 ? prior_events : fit_alpha_estimate(ev, ex, n);
		n = 0;
		for (size_t c = 0; c < K; c++)
			for (size_t b = 0; b < CC_FIT_NAGE; b++)
				if (E_c[c] > 0) {
					ev[n] = e_cb[c][b];
					ex[n++] = E_cb[c][b] * e_c[c] / E_c[c];
				}
		double a1 = prior_events > 0 ? prior_events : fit_alpha_estimate(ev, ex, n);
		n = 0;
		for (size_t c = 0; c < K; c++)
			for (size_t b = 0; b < CC_FIT_NAGE; b++)
				for (size_t tau = 0; tau < CC_FIT_NTIC; tau++)
					if (E_cb[c][b] > 0) {
						ev[n] = ecell[b][c][tau];
						ex[n++] =
						    E_cbt[b][c][tau] * e_cb[c][b] / E_cb[c][b];
					}
		double a0 = prior_events > 0 ? prior_events : fit_alpha_estimate(ev, ex, n);
		r->alpha[rs][0] = a0;
		r->alpha[rs][1] = a1;
		r->alpha[rs][2] = a2;
		/* A reason never observed is written as one row of zero events
		 * over all the exposure; its cells are not written. */
		int write_cells = e > 0;
		r->top[rs].written = E > 0 && !write_cells;
		for (size_t c = 0; c < K; c++) {
			r->cat[rs][c] = shrink_to(e_c[c], E_c[c], &r->top[rs], 1, a2);
			for (size_t b = 0; b < CC_FIT_NAGE; b++) {
				r->band[rs][c][b] =
				    shrink_to(e_cb[c][b], E_cb[c][b], &r->cat[rs][c], 1, a1);
				for (size_t tau = 0; tau < CC_FIT_NTIC; tau++) {
					cc_fit_rate *x = &r->cell[rs][b][c][tau];
					*x = shrink_to(ecell[b][c][tau], E_cbt[b][c][tau],
					               &r->band[rs][c][b], 1, a0);
					x->written = write_cells && x->rate_per_year > 0;
				}
			}
		}
	}
}

/* ---- moves ------------------------------------------------------------------- */

void fit_move_rates_compute(const fit_tables *t, double prior_events, fit_move_rates *r)
{
	size_t K = t->K;
	double E_cb[CC_MAX_LIST][CC_FIT_NAGE], E_c[CC_MAX_LIST], E = 0;
	memset(E_cb, 0, sizeof E_cb);
	memset(E_c, 0, sizeof E_c);
	for (size_t b = 0; b < CC_FIT_NAGE; b++)
		for (size_t c = 0; c < K; c++)
			for (size_t tau = 0; tau < CC_FIT_NTIC; tau++) {
				double y = t->expo_days[b][c][tau] / FIT_DAYS_PER_YEAR;
				E_cb[c][b] += y;
				E_c[c] += y;
				E += y;
			}
	double e_ij[CC_MAX_LIST][CC_MAX_LIST], e_i[CC_MAX_LIST], in_j[CC_MAX_LIST], M = 0;
	memset(e_ij, 0, sizeof e_ij);
	memset(e_i, 0, sizeof e_i);
	memset(in_j, 0, sizeof in_j);
	for (size_t i = 0; i < K; i++)
		for (size_t j = 0; j < K; j++)
			for (size_t b = 0; b < CC_FIT_NAGE; b++) {
				double v = t->moves[i][j][b];
				e_ij[i][j] += v;
				e_i[i] += v;
				in_j[j] += v;
				M += v;
			}
	r->all = observed(M, E);
	double R = E > 0 ? M / E : 0;
	double ev[NCELLS] = { 0 }, ex[NCELLS] = { 0 };
	/* Destination shares of the moves out of origin i: all moves into each
	 * other category. */
	double share[CC_MAX_LIST][CC_MAX_LIST];
	for (size_t i = 0; i < K; i++) {
		double tot = 0;
		for (size_t j = 0; j < K; j++)
			tot += j == i ? 0 : in_j[j];
		for (size_t j = 0; j < K; j++)
			share[i][j] = j == i ? 0 : tot > 0 ? in_j[j] / tot : 1.0 / (double)(K - 1);
	}
	size_t n = 0;
	for (size_t i = 0; i < K; i++) {
		ev[n] = e_i[i];
		ex[n++] = E_c[i] * R;
	}
	double a2 = prior_events > 0 ? prior_events : fit_alpha_estimate(ev, ex, n);
	n = 0;
	for (size_t i = 0; i < K; i++)
		for (size_t j = 0; j < K; j++)
			if (j != i && E_c[i] > 0) {
				ev[n] = e_ij[i][j];
				ex[n++] = e_i[i] * share[i][j];
			}
	double a1 = prior_events > 0 ? prior_events : fit_alpha_estimate(ev, ex, n);
	n = 0;
	for (size_t i = 0; i < K; i++)
		for (size_t j = 0; j < K; j++)
			for (size_t b = 0; b < CC_FIT_NAGE; b++)
				if (j != i && E_c[i] > 0) {
					ev[n] = t->moves[i][j][b];
					ex[n++] = E_cb[i][b] * e_ij[i][j] / E_c[i];
				}
	double a0 = prior_events > 0 ? prior_events : fit_alpha_estimate(ev, ex, n);
	r->alpha[0] = a0;
	r->alpha[1] = a1;
	r->alpha[2] = a2;
	for (size_t i = 0; i < K; i++) {
		r->out[i] = shrink_to(e_i[i], E_c[i], &r->all, 1, a2);
		for (size_t j = 0; j < K; j++) {
			if (j == i) {
				memset(&r->pair[i][j], 0, sizeof r->pair[i][j]);
				memset(r->cell[i][j], 0, sizeof r->cell[i][j]);
				continue;
			}
			r->pair[i][j] = shrink_to(e_ij[i][j], E_c[i], &r->out[i], share[i][j], a1);
			for (size_t b = 0; b < CC_FIT_NAGE; b++) {
				cc_fit_rate *x = &r->cell[i][j][b];
				*x =
				    shrink_to(t->moves[i][j][b], E_cb[i][b], &r->pair[i][j], 1, a0);
				double dest = 0;
				for (size_t tau = 0; tau < CC_FIT_NTIC; tau++)
					dest += t->expo_days[b][j][tau];
				if (t->moves[i][j][b] == 0 && dest == 0) {
					/* Structural zero: no child of this age was
					 * ever in the destination category. */
					x->rate_per_year = 0;
					x->eff_events = 0;
					x->eff_exposure_years = x->exposure_years;
					x->weight = 1;
				}
				x->written = x->rate_per_year > 0;
			}
		}
	}
}
