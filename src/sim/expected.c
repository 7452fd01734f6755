/*
 * expected.c - the expected value of the monthly process, without sampling.
 *
 * The simulation's state space, aggregated: expected numbers of children by
 * (age in months, category, months in care capped at the start of the open
 * time-in-care band, provider). Within a month a child's age band and
 * time-in-care band are fixed, and its category (and provider) follow a
 * continuous-time Markov chain with the monthly hazards: generator Q over the
 * categories (moves at h_j / 12, every exit reason leaving the chain), the
 * same chain the simulation samples event by event. So for each (age band,
 * time-in-care band) the month is three matrices, from one exponential:
 *
 *   exp([[Q, I, 0], [0, 0, I], [0, 0, 0]]) = [[E, N1, N2], ...]
 *   E  = exp(Q)                     where the month's survivors end up
 *   N1 = int_0^1 exp(Q u) du        expected time in each state (whole month)
 *   N2 = int_0^1 (1 - u) exp(Q u) du  the same for entrants, who start at a
 *                                   uniform time in the month
 *
 * Exits by reason and moves are occupancies times hazards; children without
 * an event (a fraction exp(-H_c / 12)) keep their placement, the others end
 * the month in a new placement. Then everyone ages one month (leaving at 216
 * months with reason age18) and the expected entries lambda(t) / 12, spread
 * over ages and categories by the same distributions the simulation samples
 * from, are added with their own month (N1, N2). New placements in a
 * category without an in-house pool are split by its in-house share.
 * Linearity of expectation makes all of this exactly E[stochastic model]
 * when the rates are fixed at their point estimates. (With hazards that
 * depend on the provider, the chain runs over (category, provider) and a
 * move's provider follows the in-house share, which for a pooled category is
 * an approximation, like the pools themselves.) Scenario levers enter
 * through the same plan as in the simulation (plan.h); a programme's quota
 * is taken in proportion from the eligible states.
 *
 * In-house pools make the process non-linear (whether a child is placed
 * in-house depends on how full the pool is), so with capacity the projection
 * is a fluid approximation: expected households evolve deterministically
 * (places = households x places per household x usable share, without
 * rounding down), places freed by exits and moves are counted first, and the
 * month's new placements in the category share the free places in
 * proportion (the rest are the gap). Spend uses expected group sizes with the
 * same trapezoid rule as the simulation and the contract prices (the heavy
 * tail has mean 1). Cost does not depend on the population size: about 10^5
 * state updates a month.
 */
#include "carecast/sim.h"

#include "plan.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One month of the within-month chain for one (age band, time-in-care band):
 * n states (categories, or (category, provider) pairs when hazards depend on
 * the provider), matrices row-major [from * n + to]. */
typedef struct {
	double *E, *N1, *N2; /* [n * n] each */
	double *stay;        /* [n] exp(-H_i): no event in the month */
	double *stay_entry;  /* [n] (1 - exp(-H_i)) / H_i: no event since a uniform start */
	double *exit_rate;   /* [n * R] monthly exit hazards */
	double *move_rate;   /* [n] monthly hazard of moving */
} month_chain;

typedef struct {
	const cc_model *m;
	const cc_plan *plan;
	size_t K, TC, R, O;
	size_t n;            /* chain states: K, or 2K with provider-specific hazards */
	month_chain *chains; /* [B * T] */
	double *work;        /* scratch: the chain's vectors */
	double *x, *y;       /* state, next state: [age][category][tic][provider] */
	double *z; /* new placements awaiting a pooled category's places: [age][cat][tic] */
	double *rec;
	/* Pools: expected households (active and in the approval pipeline). */
	double households[CC_MAX_LIST];
	double *pipeline[CC_MAX_LIST];
	double places[CC_MAX_LIST];
	double *delivered; /* [programmes] */
	int by_provider;   /* hazards differ by provider (scenario filters) */
	uint8_t band_of_age[CC_AGE_MONTHS_MAX];
	uint8_t tic_of[CC_TIC_MAX_MONTHS + 1];
} ctx;

static size_t sidx(const ctx *C, size_t a, size_t c, size_t s, size_t p)
{
	return ((a * C->K + c) * C->TC + s) * 2 + p;
}

static size_t zidx(const ctx *C, size_t a, size_t c, size_t s)
{
	return (a * C->K + c) * C->TC + s;
}

static void ctx_free(ctx *C)
{
	size_t nc = C->m ? C->m->n_age_bands * C->m->n_tic_bands : 0;
	for (size_t i = 0; C->chains && i < nc; i++) {
		month_chain *mc = &C->chains[i];
		free(mc->E);
		free(mc->N1);
		free(mc->N2);
		free(mc->stay);
		free(mc->stay_entry);
		free(mc->exit_rate);
		free(mc->move_rate);
	}
	free(C->chains);
	free(C->work);
	free(C->x);
	free(C->y);
	free(C->z);
	free(C->rec);
	free(C->delivered);
	for (size_t k = 0; k < CC_MAX_LIST; k++)
		free(C->pipeline[k]);
}

/* Event and outcome probabilities for month t from the point hazards and
 * the plan's multipliers. */
/* State i of the chain: category i (no provider), or category i / 2 and
 * provider i % 2. */
static size_t chain_cat(const ctx *C, size_t i) { return C->by_provider ? i / 2 : i; }

static int chains_alloc(ctx *C)
{
	const cc_model *m = C->m;
	size_t nc = m->n_age_bands * m->n_tic_bands, n = C->n;
	C->chains = calloc(nc, sizeof *C->chains);
	C->work = malloc((4 + 2 * nc) * n * sizeof *C->work);
	if (!C->chains || !C->work)
		return CC_ENOMEM;
	for (size_t i = 0; i < nc; i++) {
		month_chain *mc = &C->chains[i];
		mc->E = malloc(n * n * sizeof *mc->E);
		mc->N1 = malloc(n * n * sizeof *mc->N1);
		mc->N2 = malloc(n * n * sizeof *mc->N2);
		mc->stay = malloc(n * sizeof *mc->stay);
		mc->stay_entry = malloc(n * sizeof *mc->stay_entry);
		mc->exit_rate = malloc(n * (C->R ? C->R : 1) * sizeof *mc->exit_rate);
		mc->move_rate = malloc(n * sizeof *mc->move_rate);
		if (!mc->E || !mc->N1 || !mc->N2 || !mc->stay || !mc->stay_entry ||
		    !mc->exit_rate || !mc->move_rate)
			return CC_ENOMEM;
	}
	return CC_OK;
}

/* The month's chains from the point-estimate hazards times the plan's
 * multipliers for month t. */
static int build_chains(ctx *C, const cc_hazards *haz, size_t t)
{
	const cc_model *m = C->m;
	const cc_plan *plan = C->plan;
	const size_t O = C->O, R = C->R, K = C->K, T = m->n_tic_bands, n = C->n;
	const double *mult = plan->haz_mult ? &plan->haz_mult[t * plan->cells * O] : NULL;
	gsl_matrix *A = gsl_matrix_calloc(3 * n, 3 * n), *X = gsl_matrix_alloc(3 * n, 3 * n);
	int rc = A && X ? CC_OK : CC_ENOMEM;
	for (size_t b = 0; b < m->n_age_bands && rc == CC_OK; b++)
		for (size_t tb = 0; tb < T && rc == CC_OK; tb++) {
			month_chain *mc = &C->chains[b * T + tb];
			gsl_matrix_set_zero(A);
			for (size_t i = 0; i < n; i++) {
				size_t c = chain_cat(C, i), p = C->by_provider ? i % 2 : 0;
				size_t g = (((b * K + c) * T + tb) << 1) + p;
				const double *h = &haz->hazard[(g / 2) * O];
				double H = 0;
				for (size_t o = 0; o < O; o++)
					H += h[o] * (mult ? mult[g * O + o] : 1.0) / 12.0;
				double mv = 0;
				for (size_t r = 0; r < R; r++)
					mc->exit_rate[i * R + r] =
					    h[r] * (mult ? mult[g * O + r] : 1.0) / 12.0;
				for (size_t j = 0; j < K; j++) {
					double rate =
					    h[R + j] * (mult ? mult[g * O + R + j] : 1.0) / 12.0;
					if (rate == 0)
						continue;
					mv += rate;
					if (C->by_provider) {
						double sh = m->categories[j].in_house_share;
						*gsl_matrix_ptr(A, i, 2 * j) += rate * sh;
						*gsl_matrix_ptr(A, i, 2 * j + 1) +=
						    rate * (1.0 - sh);
					} else {
						*gsl_matrix_ptr(A, i, j) += rate;
					}
				}
				*gsl_matrix_ptr(A, i, i) -= H;
				mc->move_rate[i] = mv;
				mc->stay[i] = exp(-H);
				mc->stay_entry[i] = H > 0 ? -expm1(-H) / H : 1.0;
				gsl_matrix_set(A, i, n + i, 1.0);
				gsl_matrix_set(A, n + i, 2 * n + i, 1.0);
			}
			if (gsl_linalg_exponential_ss(A, X, GSL_PREC_DOUBLE) != 0) {
				rc = CC_ERANGE;
				break;
			}
			for (size_t i = 0; i < n; i++)
				for (size_t j = 0; j < n; j++) {
					mc->E[i * n + j] = gsl_matrix_get(X, i, j);
					mc->N1[i * n + j] = gsl_matrix_get(X, i, n + j);
					mc->N2[i * n + j] = gsl_matrix_get(X, i, 2 * n + j);
				}
		}
	gsl_matrix_free(A);
	gsl_matrix_free(X);
	return rc;
}

/* v (n states) through a month of chain mc: exits by reason and moves from
 * the occupancy v N (N1 for a whole month, N2 for entrants), the end state
 * v E (E, or N1 for entrants) into end. */
/* The end state of v (n states) after the month: v E (children in care at
 * the start) or v N1 (entrants). */
static void chain_end(const ctx *C, const month_chain *mc, const double *v, int entrants,
                      double *end)
{
	const size_t n = C->n;
	const double *E = entrants ? mc->N1 : mc->E;
	for (size_t j = 0; j < n; j++)
		end[j] = 0;
	for (size_t i = 0; i < n; i++) {
		double vi = v[i];
		if (vi == 0)
			continue;
		const double *Ei = &E[i * n];
		for (size_t j = 0; j < n; j++)
			end[j] += vi * Ei[j];
	}
}

/* Exits by reason and moves of the month from the children v (summed over
 * the states sharing chain mc): occupancies v N1 (or v N2 for entrants)
 * times hazards. */
static void chain_flows(const ctx *C, const month_chain *mc, const double *v, int entrants,
                        double *exits, double *moves)
{
	const size_t n = C->n, R = C->R;
	const double *N = entrants ? mc->N2 : mc->N1;
	double occ[2 * CC_MAX_LIST] = { 0 };
	for (size_t i = 0; i < n; i++) {
		double vi = v[i];
		if (vi == 0)
			continue;
		const double *Ni = &N[i * n];
		for (size_t j = 0; j < n; j++)
			occ[j] += vi * Ni[j];
	}
	for (size_t j = 0; j < n; j++) {
		if (occ[j] == 0)
			continue;
		const double *er = &mc->exit_rate[j * R];
		for (size_t r = 0; r < R; r++)
			exits[r] += occ[j] * er[r];
		*moves += occ[j] * mc->move_rate[j];
	}
}

/* A new placement of `mass` children in category c at state (a, c, s):
 * pooled categories wait in z for the month's allocation. */
static void new_placement(ctx *C, size_t a, size_t c, size_t s, double mass)
{
	const cc_model *m = C->m;
	if (m->pool_of[c] >= 0) {
		C->z[zidx(C, a, c, s)] += mass;
	} else {
		double sh = m->categories[c].in_house_share;
		C->y[sidx(C, a, c, s, 0)] += mass * sh;
		C->y[sidx(C, a, c, s, 1)] += mass * (1.0 - sh);
	}
}

/* Children by (category, provider) in state array v, in one pass. */
static void masses(const ctx *C, const double *v, double (*out)[2])
{
	memset(out, 0, C->K * sizeof *out);
	for (size_t a = 0; a < CC_AGE_MONTHS_MAX; a++)
		for (size_t c = 0; c < C->K; c++) {
			const double *row = &v[sidx(C, a, c, 0, 0)];
			for (size_t s = 0; s < C->TC; s++) {
				out[c][0] += row[2 * s];
				out[c][1] += row[2 * s + 1];
			}
		}
}

/* Sum over a category's states of one provider in state array v. */
static double category_mass(const ctx *C, const double *v, size_t c, size_t p)
{
	double sum = 0;
	for (size_t a = 0; a < CC_AGE_MONTHS_MAX; a++)
		for (size_t s = 0; s < C->TC; s++)
			sum += v[sidx(C, a, c, s, p)];
	return sum;
}

/* Moves a fraction of a category's children from provider `from` to the
 * other provider. */
static void shift_provider(ctx *C, double *v, size_t c, size_t from, double fraction)
{
	for (size_t a = 0; a < CC_AGE_MONTHS_MAX; a++)
		for (size_t s = 0; s < C->TC; s++) {
			double moved = v[sidx(C, a, c, s, from)] * fraction;
			v[sidx(C, a, c, s, from)] -= moved;
			v[sidx(C, a, c, s, 1 - from)] += moved;
		}
}

/* Start of month t: expected households and places; displacement. */
static void update_pools(ctx *C, size_t t, double *gap, double *approvals, double *deregistrations,
                         double (*mass)[2])
{
	const cc_model *m = C->m;
	const cc_plan *plan = C->plan;
	const size_t P = m->n_pools;
	for (size_t k = 0; k < P; k++) {
		const cc_pool *pool = &m->pools[k];
		if (pool->kind == CC_POOL_HOUSEHOLDS) {
			unsigned L1 = pool->approval_lag_months + 1;
			C->households[k] += C->pipeline[k][t % L1];
			C->pipeline[k][t % L1] = 0;
			double a = (m->params[pool->approvals_param].rate_per_year +
			            plan->approvals_add[t * P + k]) /
			           12.0;
			if (a < 0)
				a = 0;
			if (pool->approval_lag_months == 0)
				C->households[k] += a;
			else
				C->pipeline[k][(t + pool->approval_lag_months) % L1] += a;
			double h = m->params[pool->deregistration_param].rate_per_year *
			           plan->dereg_mult[t * P + k];
			double d = C->households[k] * -expm1(-h / 12.0);
			C->households[k] -= d;
			*approvals += a;
			*deregistrations += d;
			C->places[k] =
			    C->households[k] * pool->places_per_household * plan->usable[t * P + k];
		} else {
			C->places[k] = plan->places[t * P + k];
		}
		size_t c = pool->category;
		double occupied = mass[c][0];
		if (occupied > C->places[k]) {
			double excess = occupied - C->places[k];
			shift_provider(C, C->x, c, 0, excess / occupied);
			gap[c] += excess;
			mass[c][0] -= excess;
			mass[c][1] += excess;
		}
	}
}

/* End of month: pooled categories' new placements share the free places;
 * then bringing back in-house. */
static void allocate_pools(ctx *C, double *gap)
{
	const cc_model *m = C->m;
	if (m->n_pools == 0)
		return;
	double cm[CC_MAX_LIST][2];
	masses(C, C->y, cm);
	for (size_t k = 0; k < m->n_pools; k++) {
		const cc_pool *pool = &m->pools[k];
		size_t c = pool->category;
		double occupied = cm[c][0];
		double demand = 0;
		for (size_t a = 0; a < CC_AGE_MONTHS_MAX; a++)
			for (size_t s = 0; s < C->TC; s++)
				demand += C->z[zidx(C, a, c, s)];
		double free = C->places[k] > occupied ? C->places[k] - occupied : 0;
		double f = demand > 0 ? fmin(1.0, free / demand) : 0;
		for (size_t a = 0; a < CC_AGE_MONTHS_MAX; a++)
			for (size_t s = 0; s < C->TC; s++) {
				double mass = C->z[zidx(C, a, c, s)];
				if (mass == 0)
					continue;
				C->y[sidx(C, a, c, s, 0)] += mass * f;
				C->y[sidx(C, a, c, s, 1)] += mass * (1.0 - f);
				C->z[zidx(C, a, c, s)] = 0;
			}
		gap[c] += demand * (1.0 - f);
	}
}

static void bring_back(ctx *C)
{
	const cc_model *m = C->m;
	for (size_t k = 0; k < m->n_pools; k++) {
		const cc_pool *pool = &m->pools[k];
		if (pool->bring_back_per_month == 0)
			continue;
		size_t c = pool->category;
		double occupied = category_mass(C, C->x, c, 0);
		double room = C->places[k] > occupied ? C->places[k] - occupied : 0;
		double ext = category_mass(C, C->x, c, 1);
		double back = fmin(fmin(room, (double)pool->bring_back_per_month), ext);
		if (back > 0)
			shift_provider(C, C->x, c, 1, back / ext);
	}
}

/* A programme's eligibility of state (a, c, s, p); entrants of the month
 * (s = 0) are not eligible. */
static int eligible(const ctx *C, const cc_lever *lv, size_t a, size_t c, size_t s, size_t p)
{
	if (s == 0)
		return 0;
	if (lv->type == CC_LEVER_TRANSFERS ? c != lv->from : !((lv->categories >> c) & 1u))
		return 0;
	return ((lv->age_bands >> C->band_of_age[a]) & 1u) && ((lv->providers >> p) & 1u) &&
	       a >= lv->min_age_months && a < lv->max_age_months;
}

/* Programmes at the month end, in proportion over the eligible states. */
static void run_programmes(ctx *C, const cc_layout *l, size_t t, double *exits, double *moves,
                           double *gap)
{
	const cc_plan *plan = C->plan;
	for (size_t i = 0; i < plan->n_programmes; i++) {
		const cc_programme *pr = &plan->programmes[i];
		const cc_lever *lv = pr->lever;
		double due = floor(pr->quota_cum[t] + 1e-9) - C->delivered[i];
		double got = 0;
		if (due > 0) {
			double have = 0;
			for (size_t a = 0; a < CC_AGE_MONTHS_MAX; a++)
				for (size_t c = 0; c < C->K; c++)
					for (size_t s = 0; s < C->TC; s++)
						for (size_t p = 0; p < 2; p++)
							if (eligible(C, lv, a, c, s, p))
								have += C->x[sidx(C, a, c, s, p)];
			got = fmin(due, have);
			double f = have > 0 ? got / have : 0;
			/* Transfers look for places after the others are taken out. */
			for (size_t a = 0; a < CC_AGE_MONTHS_MAX && f > 0; a++)
				for (size_t c = 0; c < C->K; c++)
					for (size_t s = 0; s < C->TC; s++)
						for (size_t p = 0; p < 2; p++) {
							if (!eligible(C, lv, a, c, s, p))
								continue;
							double *v = &C->x[sidx(C, a, c, s, p)];
							double mass = *v * f;
							*v -= mass;
							if (lv->type == CC_LEVER_TRANSFERS) {
								double sh = C->m->categories[lv->to]
								                .in_house_share;
								if (C->m->pool_of[lv->to] >= 0) {
									/* Fluid allocation against
									 * the pool's room. */
									size_t k =
									    (size_t)C->m
									        ->pool_of[lv->to];
									double occ = category_mass(
									    C, C->x, lv->to, 0);
									double room =
									    C->places[k] > occ
									        ? C->places[k] - occ
									        : 0;
									double in =
									    fmin(mass, room);
									C->x[sidx(C, a, lv->to, s,
									          0)] += in;
									C->x[sidx(C, a, lv->to, s,
									          1)] += mass - in;
									gap[lv->to] += mass - in;
								} else {
									C->x[sidx(C, a, lv->to, s,
									          0)] += mass * sh;
									C->x[sidx(C, a, lv->to, s,
									          1)] +=
									    mass * (1.0 - sh);
								}
							}
						}
			if (lv->type == CC_LEVER_EXTRA_EXITS)
				exits[lv->reason] += got;
			else
				*moves += got;
			C->delivered[i] += got;
		}
		size_t f = l->fy_of_month[t];
		if (f != SIZE_MAX) {
			C->rec[l->fy_prog_delivered + i * l->n_fy + f] += got;
			if (l->fy[f].last_month == t) {
				double short_by = floor(pr->quota_cum[t] + 1e-9) - C->delivered[i];
				C->rec[l->fy_prog_shortfall + i * l->n_fy + f] =
				    short_by > 0 ? short_by : 0;
			}
		}
	}
}

/* Expected children per (category, contract) from masses, month t. */
static void group_sizes(const ctx *C, double (*mass)[2], size_t t, double *group)
{
	for (size_t c = 0; c < C->K; c++) {
		double in = mass[c][0], ext = mass[c][1];
		double fs = C->plan->framework_share[t * C->K + c];
		group[c * 3 + CC_CONTRACT_IN_HOUSE] = in;
		group[c * 3 + CC_CONTRACT_FRAMEWORK] = ext * fs;
		group[c * 3 + CC_CONTRACT_SPOT] = ext * (1.0 - fs);
	}
}

/* Expected external placements at or above the high-cost threshold. */
static double high_cost(const ctx *C, const double *group, size_t t)
{
	const cc_model *m = C->m;
	double n = 0;
	for (size_t c = 0; c < C->K; c++) {
		const cc_price *pr = &m->prices[c];
		for (size_t k = CC_CONTRACT_FRAMEWORK; k <= CC_CONTRACT_SPOT; k++) {
			double price = C->plan->price_week[t * C->K * 3 + c * 3 + k];
			double p;
			if (pr->external_cv > 0) {
				double sigma = sqrt(log1p(pr->external_cv * pr->external_cv));
				double mu = -0.5 * sigma * sigma;
				p = price > 0
				        ? gsl_cdf_ugaussian_Q(
				              (log(m->high_cost_per_week / price) - mu) / sigma)
				        : 0;
			} else {
				p = price >= m->high_cost_per_week;
			}
			n += group[c * 3 + k] * p;
		}
	}
	return n;
}

static int project(const cc_model *m, const cc_plan *plan, cc_results *res)
{
	const cc_layout *l = cc_results_layout(res);
	const size_t months = l->months;
	ctx C = { .m = m, .plan = plan, .K = m->n_categories, .R = m->n_reasons };
	C.O = m->n_reasons + m->n_categories;
	unsigned cap = m->tic_bands[m->n_tic_bands - 1].from_months;
	if (cap > CC_TIC_MAX_MONTHS)
		cap = CC_TIC_MAX_MONTHS;
	C.TC = cap + 1;
	size_t nstate = (size_t)CC_AGE_MONTHS_MAX * C.K * C.TC * 2;
	cc_hazards haz = { 0 };
	C.by_provider = plan->haz_by_provider;
	C.n = C.by_provider ? 2 * C.K : C.K;
	C.x = calloc(nstate, sizeof *C.x);
	C.y = calloc(nstate, sizeof *C.y);
	C.z = calloc(nstate / 2, sizeof *C.z);
	C.rec = calloc(l->n_points, sizeof *C.rec);
	C.delivered = calloc(plan->n_programmes + 1, sizeof *C.delivered);
	int rc = CC_OK;
	int ok = C.x && C.y && C.z && C.rec && C.delivered && chains_alloc(&C) == CC_OK &&
	         cc_hazards_alloc(m, &haz) == CC_OK;
	for (size_t k = 0; k < m->n_pools && ok; k++) {
		const cc_pool *pool = &m->pools[k];
		C.pipeline[k] = calloc(pool->approval_lag_months + 1u, sizeof *C.pipeline[k]);
		C.households[k] = pool->households;
		ok = C.pipeline[k] != NULL;
		/* Approvals of the lag months before the base date (as the
		 * simulation). */
		for (unsigned t = 1;
		     ok && pool->kind == CC_POOL_HOUSEHOLDS && t <= pool->approval_lag_months; t++)
			C.pipeline[k][t % (pool->approval_lag_months + 1u)] =
			    m->params[pool->approvals_param].rate_per_year / 12.0;
	}
	if (!ok) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	cc_hazards_build(m, NULL, &haz);
	if ((rc = build_chains(&C, &haz, 1)) != CC_OK)
		goto cleanup;
	for (unsigned a = 0; a < CC_AGE_MONTHS_MAX; a++)
		C.band_of_age[a] = (uint8_t)cc_model_age_band(m, a);
	for (unsigned s = 0; s < C.TC; s++)
		C.tic_of[s] = (uint8_t)cc_model_tic_band(m, s);

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
	double group_prev[CC_MAX_LIST * CC_NCONTRACTS], group[CC_MAX_LIST * CC_NCONTRACTS];

	const size_t K = C.K, R = C.R, T = m->n_tic_bands, F = l->n_fy, B = m->n_age_bands;
	for (size_t t = 1; t <= months; t++) {
		if (t > 1 && plan->haz_mult && plan->haz_change[t] &&
		    (rc = build_chains(&C, &haz, t)) != CC_OK)
			goto cleanup;
		double gap[CC_MAX_LIST] = { 0 }, approvals = 0, deregistrations = 0;
		double cm[CC_MAX_LIST][2];
		if (m->n_pools > 0 || m->has_costs)
			masses(&C, C.x, cm);
		update_pools(&C, t, gap, &approvals, &deregistrations, cm);
		if (m->has_costs)
			group_sizes(&C, cm, t, group_prev);
		memset(C.y, 0, nstate * sizeof *C.y);
		double exits[CC_MAX_LIST + 1] = { 0 };
		double moves = 0;
		const size_t n = C.n, NC = B * T;
		double *v = C.work, *end = C.work + n, *xin = C.work + 2 * n, *xex = C.work + 3 * n;
		/* Children per chain, in care at the start and entering: their
		 * month's exits and moves come from the sums. */
		double *vsum = C.work + 4 * n, *esum = vsum + NC * n;
		memset(vsum, 0, 2 * NC * n * sizeof *vsum);
		for (size_t a = 0; a < CC_AGE_MONTHS_MAX; a++) {
			size_t b = C.band_of_age[a];
			size_t a2 = a + 1;
			for (size_t s = 0; s < C.TC; s++) {
				double any = 0;
				for (size_t c = 0; c < K; c++) {
					xin[c] = C.x[sidx(&C, a, c, s, 0)];
					xex[c] = C.x[sidx(&C, a, c, s, 1)];
					any += xin[c] + xex[c];
					if (C.by_provider) {
						v[2 * c] = xin[c];
						v[2 * c + 1] = xex[c];
					} else {
						v[c] = xin[c] + xex[c];
					}
				}
				if (any == 0)
					continue;
				size_t ci = b * T + C.tic_of[s];
				const month_chain *mc = &C.chains[ci];
				chain_end(&C, mc, v, 0, end);
				for (size_t i = 0; i < n; i++)
					vsum[ci * n + i] += v[i];
				if (a2 >= CC_AGE_MONTHS_MAX) {
					for (size_t i = 0; i < n; i++)
						exits[R] += end[i];
					continue;
				}
				size_t s2 = s + 1 < C.TC ? s + 1 : s;
				for (size_t i = 0; i < n; i++) {
					size_t c = chain_cat(&C, i);
					double kept = v[i] * mc->stay[i];
					double placed = end[i] - kept;
					if (C.by_provider) {
						size_t p = i % 2;
						C.y[sidx(&C, a2, c, s2, p)] += kept;
						if (placed <= 0)
							continue;
						if (m->pool_of[c] >= 0)
							C.z[zidx(&C, a2, c, s2)] += placed;
						else
							C.y[sidx(&C, a2, c, s2, p)] += placed;
					} else {
						C.y[sidx(&C, a2, c, s2, 0)] += xin[c] * mc->stay[i];
						C.y[sidx(&C, a2, c, s2, 1)] += xex[c] * mc->stay[i];
						if (placed > 0)
							new_placement(&C, a2, c, s2, placed);
					}
				}
			}
		}
		double entries = 0;
		double f_trend = 1.0 + m->entry_trend_per_year * ((double)t - 0.5) / 12.0;
		if (f_trend < 0)
			f_trend = 0;
		for (size_t b = 0; b < B; b++) {
			const cc_band *band = &m->age_bands[b];
			unsigned width = band->to_months - band->from_months;
			const double *cdf = m->entry_age_cdf[b];
			for (size_t c = 0; c < K; c++) {
				double lam = m->params[b].rate_per_year * f_trend *
				                 plan->entry_mult[(t * B + b) * K + c] +
				             plan->entry_add[(t * B + b) * K + c];
				double mu = lam > 0 ? lam / 12.0 : 0;
				if (mu == 0)
					continue;
				entries += mu;
				/* Entrants start at a uniform time in the month in their
				 * first placement, then follow the month's chain with the
				 * age band of their age at the start of the month. */
				double sh = m->categories[c].in_house_share;
				for (unsigned k = 0; k < width; k++) {
					double w =
					    cdf ? cdf[k] - (k ? cdf[k - 1] : 0) : 1.0 / width;
					if (!(w > 0))
						continue;
					size_t a = band->from_months + k;
					const month_chain *mc =
					    &C.chains[C.band_of_age[a ? a - 1 : 0] * T +
					              C.tic_of[0]];
					for (size_t i = 0; i < n; i++)
						v[i] = 0;
					if (C.by_provider) {
						v[2 * c] = mu * w * sh;
						v[2 * c + 1] = mu * w * (1.0 - sh);
					} else {
						v[c] = mu * w;
					}
					chain_end(&C, mc, v, 1, end);
					size_t ci = (size_t)(mc - C.chains);
					for (size_t i = 0; i < n; i++)
						esum[ci * n + i] += v[i];
					for (size_t i = 0; i < n; i++) {
						size_t j = chain_cat(&C, i);
						/* Still in the first placement, or placed anew. */
						double first = v[i] * mc->stay_entry[i];
						double placed = end[i] - first;
						if (C.by_provider && m->pool_of[j] < 0) {
							C.y[sidx(&C, a, j, 0, i % 2)] +=
							    first + (placed > 0 ? placed : 0);
							continue;
						}
						if (first > 0)
							new_placement(&C, a, j, 0, first);
						if (placed > 0)
							new_placement(&C, a, j, 0, placed);
					}
				}
			}
		}
		for (size_t ci = 0; ci < NC; ci++) {
			chain_flows(&C, &C.chains[ci], &vsum[ci * n], 0, exits, &moves);
			chain_flows(&C, &C.chains[ci], &esum[ci * n], 1, exits, &moves);
		}
		allocate_pools(&C, gap);
		double *tmp = C.x;
		C.x = C.y;
		C.y = tmp;
		if (plan->n_programmes > 0)
			run_programmes(&C, l, t, exits, &moves, gap);
		bring_back(&C);

		double total = 0, cat[CC_MAX_LIST] = { 0 }, band[CC_MAX_LIST] = { 0 },
		       prov[2] = { 0 };
		double ext[CC_MAX_LIST] = { 0 };
		for (size_t a = 0; a < CC_AGE_MONTHS_MAX; a++)
			for (size_t c = 0; c < K; c++)
				for (size_t s = 0; s < C.TC; s++)
					for (size_t p = 0; p < 2; p++) {
						double xv = C.x[sidx(&C, a, c, s, p)];
						total += xv;
						cat[c] += xv;
						band[C.band_of_age[a]] += xv;
						prov[p] += xv;
						if (p == 1)
							ext[c] += xv;
					}
		if (m->has_costs) {
			for (size_t c = 0; c < K; c++) {
				cm[c][0] = cat[c] - ext[c];
				cm[c][1] = ext[c];
			}
			group_sizes(&C, cm, t, group);
		}
		double *rec = C.rec;
		rec[cc_layout_month(l, l->cla_total, t)] = total;
		for (size_t c = 0; c < K; c++)
			rec[cc_layout_month(l, l->by_category + c * months, t)] = cat[c];
		for (size_t bb = 0; bb < B; bb++)
			rec[cc_layout_month(l, l->by_age_band + bb * months, t)] = band[bb];
		for (size_t p = 0; p < 2; p++)
			rec[cc_layout_month(l, l->by_provider + p * months, t)] = prov[p];
		for (size_t k = 0; k < m->n_pools; k++) {
			size_t pc = m->pools[k].category;
			double occ = cat[pc] - ext[pc];
			rec[cc_layout_month(l, l->pool_places + k * months, t)] = C.places[k];
			rec[cc_layout_month(l, l->pool_occupied + k * months, t)] = occ;
			rec[cc_layout_month(l, l->pool_free + k * months, t)] = C.places[k] - occ;
		}
		if (m->n_pools > 0)
			for (size_t c = 0; c < K; c++)
				rec[cc_layout_month(l, l->external_by_category + c * months, t)] =
				    ext[c];
		size_t f = l->fy_of_month[t];
		if (f == SIZE_MAX)
			continue;
		double nexits = 0;
		for (size_t o = 0; o <= R; o++) {
			rec[l->fy_exits_by_reason + o * F + f] += exits[o];
			nexits += exits[o];
		}
		rec[l->fy_exits + f] += nexits;
		rec[l->fy_entries + f] += entries;
		rec[l->fy_moves + f] += moves;
		if (m->n_pools > 0) {
			for (size_t c = 0; c < K; c++)
				rec[l->fy_gap + c * F + f] += gap[c];
			rec[l->fy_approvals + f] += approvals;
			rec[l->fy_deregistrations + f] += deregistrations;
		}
		if (m->has_costs) {
			int y, mo, d;
			cc_date_to_ymd(l->dates[t], &y, &mo, &d);
			for (size_t c = 0; c < K; c++)
				for (size_t k = 0; k < CC_NCONTRACTS; k++) {
					double price = plan->price_week[t * K * 3 + c * 3 + k] *
					               (double)d / 7.0;
					double spend = 0.5 *
					               (group_prev[c * 3 + k] + group[c * 3 + k]) *
					               price;
					rec[l->fy_spend + f] += spend;
					rec[l->fy_spend_by_category + c * F + f] += spend;
					rec[l->fy_spend_by_contract + k * F + f] += spend;
				}
		}
		if (l->fy[f].last_month == t) {
			rec[l->fy_cla_31_march + f] = total;
			double households = 0;
			for (size_t k = 0; k < m->n_pools; k++) {
				rec[l->fy_places + k * F + f] = C.places[k];
				rec[l->fy_occupied + k * F + f] =
				    cat[m->pools[k].category] - ext[m->pools[k].category];
				if (m->pools[k].kind == CC_POOL_HOUSEHOLDS)
					households += C.households[k];
			}
			if (m->n_pools > 0) {
				rec[l->fy_households + f] = households;
				for (size_t c = 0; c < K; c++)
					rec[l->fy_external + c * F + f] = ext[c];
			}
			if (m->has_costs)
				rec[l->fy_high_cost + f] = high_cost(&C, group, t);
		}
		if (f + 1 < F && l->fy[f + 1].first_month == t + 1)
			rec[l->fy_cla_start + f + 1] = total;
	}
	if (m->has_costs)
		cc_layout_add_fixed_costs(l, m, C.rec);
	cc_results_store(res, 0, C.rec);
cleanup:
	cc_hazards_free(&haz);
	ctx_free(&C);
	return rc;
}

int cc_expected_run_scenarios(const cc_model *m, const cc_scenario *const *scenarios, size_t n,
                              size_t months, cc_results **out)
{
	for (size_t s = 0; s <= n; s++)
		out[s] = NULL;
	if (!m || months == 0 || months > 0x7FFFFF)
		return CC_EINVAL;
	int rc = CC_OK;
	for (size_t s = 0; s <= n && rc == CC_OK; s++) {
		const cc_scenario *sc = s ? scenarios[s - 1] : NULL;
		size_t n_prog = 0;
		for (size_t i = 0; sc && i < sc->n_levers; i++)
			n_prog += sc->levers[i].type == CC_LEVER_EXTRA_EXITS ||
			          sc->levers[i].type == CC_LEVER_TRANSFERS;
		out[s] = cc_results_alloc(m, months, 1, n_prog);
		if (!out[s]) {
			rc = CC_ENOMEM;
			break;
		}
		cc_results_set_expected(out[s], 1);
		cc_plan plan;
		rc = cc_plan_build(&plan, m, sc, cc_results_layout(out[s]));
		if (rc == CC_OK)
			rc = project(m, &plan, out[s]);
		cc_plan_free(&plan);
	}
	if (rc != CC_OK)
		for (size_t s = 0; s <= n; s++) {
			cc_results_free(out[s]);
			out[s] = NULL;
		}
	return rc;
}

int cc_expected_run(const cc_model *m, size_t months, cc_results **out)
{
	return cc_expected_run_scenarios(m, NULL, 0, months, out);
}
