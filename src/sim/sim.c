/*
 * sim.c - the stochastic cohort simulation.
 *
 * Each replication follows every child month by month from the base date.
 * In month t (ending on the t-th month end after the base date):
 *
 *   0. Capacity. In-house pools update: foster households approved t - lag
 *      months ago become active, new approvals ~ Poisson(a / 12) join the
 *      pipeline, active households deregister each with probability
 *      1 - exp(-d / 12); children's homes open and close on their dates.
 *      Usable places follow. If fewer places remain than in-house children
 *      placed, the excess children (chosen at random) are placed externally.
 *   1. Events, in continuous time within the month. A child in cell g (age
 *      band and time-in-care band at the start of the month, category,
 *      provider) has total hazard H_g = sum of its exit hazards h_r and move
 *      hazards h_j (per year); its next event comes after an exponential
 *      time at rate H_g / 12 a month, if before the month end. The event is
 *      exit reason r with probability h_r / H_g or a move to category j with
 *      probability h_j / H_g. After a move (a new placement) the child goes on
 *      from the time of the move with its new cell's hazard (chain()), so a
 *      child can move and leave, or move twice, in one month.
 *      Each child has an integrated-hazard clock: a unit exponential E drawn
 *      after each event (and on entry), used up at its cell's hazard; the
 *      event comes when it is all used. The event is scheduled when the
 *      cell is set (schedule()); when the cell changes first (a new age
 *      band or time-in-care band, the scenario's hazards, a new provider or
 *      category from a displacement, bringing back or a programme) what is
 *      left of E is scheduled again at the new hazard (clock_interrupt()).
 *      Exact for hazards constant between changes, and coupling: a lever
 *      moves a child's events rather than drawing new ones. So a child is
 *      only visited in the months where something is due (visit_child()):
 *      an event, a change of cell, or a new age band at the month end; the
 *      counts by category, contract and age band are kept up to date as
 *      children change (occ_add(), occ_remove()).
 *   2. Ageing. Everyone still in care gains a month of age, of time in care
 *      and of time in placement (kept as at the last visit and caught up on
 *      the next: catch_up()). A child reaching 216 months (the 18th
 *      birthday) leaves with reason age18.
 *   3. Entries. For each age band and category of first placement,
 *      N ~ Poisson(lambda(t) / 12) children start to be looked after,
 *      lambda(t) = rate_b * mix_bc * max(0, 1 + trend * (t - 0.5) / 12) as the
 *      levers change it. Age (at the month end) within the band is drawn for
 *      each; each starts at a uniform time in the month and is at risk for
 *      the rest of it, with the age band of its age at the start of the
 *      month.
 *   4. Programmes of a scenario (extra exits, transfers) and bringing back
 *      in-house act on children chosen at random among the eligible.
 *
 * Placing a child (on entry, on a move, when displaced): in a category with an
 * in-house pool, in-house when a usable place is free, otherwise external (a
 * "gap" placement); in other categories, in-house with the category's
 * in-house share. External placements are framework with the category's
 * framework share, otherwise spot, and with a heavy tail their price is the
 * contract price times a lognormal factor of mean 1, drawn once.
 *
 * Spend: a child contributes days x weekly price / 7 for each month in a
 * placement. Exits, moves and entries happen during a month, so child-months
 * in a (category, contract) group are counted by the trapezoid rule: half the
 * group at the start of the month plus half at the end.
 *
 * Month-end stock(t) = stock(t-1) - exits(t) + entries(t), exactly, for every
 * replication; the financial-year totals inherit that identity (asserted).
 * In-house occupancy never exceeds usable places after step 0 (asserted).
 *
 * Random numbers: one Philox block per child per month visited, keyed by the
 * child's identity and the month, never by its position in the array
 * (rng.h): word 0 a new unit exponential (after an event), 1 the outcome of
 * the month's event, 2 and 3 the new placement. Probabilities are
 * compared as 32-bit integer thresholds (floor(p * 2^32)). Counts (entries,
 * approvals, deregistrations) are drawn by inverting their CDF with one
 * uniform, so a lever that changes a rate a little changes the count a
 * little. Before the monthly loop, a replication draws its parameters: with
 * parameter uncertainty, each rate with evidence (events e, exposure E) is
 * drawn from Gamma(e + 0.5, rate E), its own stream per parameter.
 *
 * Scenarios: every replication runs the baseline and then each scenario with
 * the same key and the same drawn parameters, so each child meets the same
 * luck everywhere (common random numbers). A scenario's levers reach the
 * engine as a plan (plan.h) of month-by-month tables.
 */
#include "carecast/sim.h"

#include "carecast/rng.h"
#include "plan.h"

#include <assert.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define TWO32 4294967296.0
#define NEVER 0xFFFFu /* ev_month / redraw: no such month */
#define MAX_MONTHS 0xFFF0u
#define LEAVING 2u   /* child flag: left care (an exit, or chosen for a programme exit) */
#define UNCOUNTED 4u /* child flag: not in w->occ / w->gsum */
#define MOVED 8u     /* child flag: displaced at this month's start */
#define HAVE_E 16u   /* child flag: x and rate hold a schedule of its clock */
#define TWO_PI 6.283185307179586476925

typedef struct {
	uint32_t id_lo, id_hi; /* stream identity: never reused within a replication */
	/* As at the end of month `seen`: a child is only visited in the months
	 * where something happens to it (catch_up() brings these up to date). */
	uint16_t age;  /* months */
	uint16_t tic;  /* months in care (saturates) */
	uint16_t tip;  /* months in the current placement (saturates) */
	uint16_t seen; /* the month these are as at */
	uint8_t cat, prov, contract, flags;
	uint16_t bin;     /* where the child is counted in w->occ, unless flags & UNCOUNTED */
	float price_mult; /* heavy-tail price factor of an external placement, else 1 */
	/* The child's next event, on its integrated-hazard clock: a unit
	 * exponential E (drawn after each event, flags & HAVE_E) is used up at
	 * the hazard of its cell, and the event comes when it is all used. The
	 * schedule is made when the cell is set, at rate (the cell's hazard a
	 * month), until month redraw, at whose start the cell may change (age
	 * band, time-in-care band, the scenario's hazards) and what is left of E
	 * is scheduled again; 0 means at the next month's start. When the event
	 * comes before then, it falls in month ev_month at x (a fraction of the
	 * month); otherwise ev_month is NEVER and x is what is left of E at the
	 * start of month redraw. */
	uint16_t ev_month, redraw;
	float x, rate;
} child;

/* Read-only state shared by all workers and scenarios. */
typedef struct {
	const cc_model *m;
	const cc_layout *l;
	size_t K, B, T, R, O, P, cells; /* cells include the provider */
	uint8_t band_of_age[CC_AGE_MONTHS_MAX];
	uint8_t tic_of[CC_TIC_MAX_MONTHS + 1];
	unsigned tic_cap;
	/* Months until the age band (time-in-care band) changes, from an age
	 * (a time in care up to tic_cap); NEVER when it does not. */
	uint16_t band_left[CC_AGE_MONTHS_MAX];
	uint16_t tic_left[CC_TIC_MAX_MONTHS + 1];
	uint64_t inhouse_thr[CC_MAX_LIST];
	int pool_of[CC_MAX_LIST];
	int heavy[CC_MAX_LIST];
	double log_mu[CC_MAX_LIST], log_sigma[CC_MAX_LIST];
	double *trend; /* [months + 1] */
	unsigned start_occupied[CC_MAX_LIST];
	child *initial;
	size_t n_initial;
	size_t cap_hint;
	uint32_t seed;
	int uncertainty;
	volatile sig_atomic_t *cancel;
	void (*on_event)(const cc_event *e, void *arg);
	void *event_arg;
	size_t event_rep;
} shared;

/* One scenario (or the baseline) as the engine reads it. */
typedef struct {
	cc_plan plan;
	double *price_month;     /* [months + 1][K * 3]: pounds per child-month */
	uint64_t *framework_thr; /* [months + 1][K] */
	uint16_t *next_change;   /* [months + 1]: the next month whose hazards differ, or NEVER */
	cc_results *res;
	int is_baseline;
} scen;

typedef struct {
	unsigned places, occupied, households;
	unsigned *pipeline; /* [lag + 1] approvals maturing, indexed by month mod (lag + 1) */
} pool_state;

typedef struct {
	child *kids;
	size_t cap;
	double *param;
	cc_hazards haz;
	uint64_t *cum; /* [cells * O] cumulative outcome thresholds */
	double *hm;    /* [cells] total hazard per month */
	double *rec;
	pool_state pool[CC_MAX_LIST];
	/* Children in care by (category, contract, age band at the month end),
	 * kept up to date as children change (occ_add, occ_remove), and the sum
	 * of their price factors by (category, contract) (exact: float factors
	 * summed in a double). */
	uint32_t *occ;   /* [K * 3 * B] */
	double *gsum;    /* [K * 3] */
	uint16_t *visit; /* [cap] the next month child i needs a visit (NEVER: none) */
	uint8_t *ptag;   /* [cap] 1 + the pool of child i when placed in-house in one, else 0 */
	uint32_t *due;   /* [cap] this month's children to visit */
	size_t dead;     /* children in kids[] who have left (flags & LEAVING) */
	double group_prev[CC_MAX_LIST * CC_NCONTRACTS]; /* group sizes at the last month end */
	double *delivered;                              /* [programmes] delivered so far */
	/* Displacement this month: for each pool, the sorted ranks (among the
	 * pool's in-house children, in array order) of the children who lose
	 * their place, found by displace(). */
	size_t *disp_rank[CC_MAX_LIST];
	size_t disp_cap[CC_MAX_LIST], disp_n[CC_MAX_LIST], disp_next[CC_MAX_LIST];
	int displacing;
	gsl_rng *stream;
} workspace;

void cc_sim_options_default(cc_sim_options *o)
{
	memset(o, 0, sizeof *o);
	o->months = 60;
	o->replications = 1000;
	o->seed = 1;
	o->threads = 1;
	o->parameter_uncertainty = 1;
}

static uint64_t share_threshold(double share)
{
	double v = floor(share * TWO32);
	if (v < 0)
		v = 0;
	if (v > TWO32)
		v = TWO32;
	return (uint64_t)v;
}

/* ---- set-up --------------------------------------------------------------- */

static void shared_free(shared *S)
{
	free(S->trend);
	free(S->initial);
}

static int shared_init(shared *S, const cc_model *m, const cc_layout *l, const cc_sim_options *opt)
{
	memset(S, 0, sizeof *S);
	S->m = m;
	S->l = l;
	S->K = m->n_categories;
	S->B = m->n_age_bands;
	S->T = m->n_tic_bands;
	S->R = m->n_reasons;
	S->O = m->n_reasons + m->n_categories;
	S->P = m->n_pools;
	S->cells = S->B * S->K * S->T * 2;
	S->seed = opt->seed;
	S->uncertainty = opt->parameter_uncertainty && m->parameter_uncertainty;
	S->cancel = opt->cancel;
	S->on_event = opt->on_event;
	S->event_arg = opt->event_arg;
	S->event_rep = opt->event_replication;
	for (unsigned a = 0; a < CC_AGE_MONTHS_MAX; a++)
		S->band_of_age[a] = (uint8_t)cc_model_age_band(m, a);
	S->tic_cap = m->tic_bands[m->n_tic_bands - 1].from_months;
	if (S->tic_cap > CC_TIC_MAX_MONTHS)
		S->tic_cap = CC_TIC_MAX_MONTHS;
	for (unsigned t = 0; t <= S->tic_cap; t++)
		S->tic_of[t] = (uint8_t)cc_model_tic_band(m, t);
	for (unsigned a = 0; a < CC_AGE_MONTHS_MAX; a++) {
		unsigned d = 1;
		while (a + d < CC_AGE_MONTHS_MAX && S->band_of_age[a + d] == S->band_of_age[a])
			d++;
		S->band_left[a] = (uint16_t)d; /* at 216 months the child leaves */
	}
	for (unsigned t = 0; t <= S->tic_cap; t++) {
		unsigned d = 1;
		while (t + d <= S->tic_cap && S->tic_of[t + d] == S->tic_of[t])
			d++;
		S->tic_left[t] = t + d <= S->tic_cap ? (uint16_t)d : (uint16_t)NEVER;
	}
	for (size_t c = 0; c < S->K; c++) {
		S->inhouse_thr[c] = share_threshold(m->categories[c].in_house_share);
		S->pool_of[c] = m->pool_of[c];
		double cv = m->has_costs ? m->prices[c].external_cv : 0;
		S->heavy[c] = cv > 0;
		/* Lognormal with mean 1 and coefficient of variation cv. */
		S->log_sigma[c] = sqrt(log1p(cv * cv));
		S->log_mu[c] = -0.5 * S->log_sigma[c] * S->log_sigma[c];
	}
	size_t T1 = l->months + 1;
	S->trend = malloc(T1 * sizeof *S->trend);
	S->initial = malloc((m->start_total ? m->start_total : 1) * sizeof *S->initial);
	if (!S->trend || !S->initial) {
		shared_free(S);
		return CC_ENOMEM;
	}
	for (size_t t = 0; t <= l->months; t++) {
		double f = 1.0 + m->entry_trend_per_year * ((double)t - 0.5) / 12.0;
		S->trend[t] = f > 0 ? f : 0;
	}
	size_t i = 0;
	for (size_t g = 0; g < m->n_start; g++) {
		const cc_start_group *sg = &m->start[g];
		if (sg->provider == CC_IN_HOUSE && m->pool_of[sg->category] >= 0)
			S->start_occupied[m->pool_of[sg->category]] += sg->count;
		for (uint32_t k = 0; k < sg->count; k++, i++) {
			S->initial[i] = (child){
				.id_lo = (uint32_t)i,
				.id_hi = 0,
				.age = sg->age_months,
				.tic = sg->months_in_care,
				.tip = sg->months_in_placement,
				.cat = sg->category,
				.prov = sg->provider,
				.contract = sg->provider == CC_IN_HOUSE ? CC_CONTRACT_IN_HOUSE
				                                        : CC_CONTRACT_FRAMEWORK,
				.price_mult = 1.0f,
			};
		}
	}
	S->n_initial = i;
	double entries_per_month = 0;
	for (size_t b = 0; b < S->B; b++)
		entries_per_month += m->params[b].rate_per_year / 12.0;
	double grow = entries_per_month * (double)l->months * 1.25 +
	              4.0 * sqrt(entries_per_month * (double)l->months);
	double hint = (double)S->n_initial + grow + 1024.0;
	S->cap_hint = hint < 1e8 ? (size_t)hint : (size_t)1e8;
	return CC_OK;
}

static void scen_free(scen *X)
{
	cc_plan_free(&X->plan);
	free(X->price_month);
	free(X->framework_thr);
	free(X->next_change);
	cc_results_free(X->res);
	memset(X, 0, sizeof *X);
}

/* A scenario's plan, the tables derived from it and its results. */
static int scen_init(scen *X, const cc_model *m, const cc_scenario *sc, const cc_sim_options *o)
{
	memset(X, 0, sizeof *X);
	size_t n_prog = 0;
	for (size_t i = 0; sc && i < sc->n_levers; i++)
		n_prog += sc->levers[i].type == CC_LEVER_EXTRA_EXITS ||
		          sc->levers[i].type == CC_LEVER_TRANSFERS;
	if (n_prog > CC_RNG_MAX_PROGRAMMES)
		return CC_ERANGE;
	X->res = cc_results_alloc(m, o->months, o->replications, n_prog);
	if (!X->res)
		return CC_ENOMEM;
	const cc_layout *l = cc_results_layout(X->res);
	if (cc_plan_build(&X->plan, m, sc, l) != CC_OK) {
		scen_free(X);
		return CC_ENOMEM;
	}
	const size_t K = m->n_categories, T1 = l->months + 1;
	X->price_month = calloc(T1 * K * 3, sizeof *X->price_month);
	X->framework_thr = calloc(T1 * K, sizeof *X->framework_thr);
	X->next_change = malloc(T1 * sizeof *X->next_change);
	if (!X->price_month || !X->framework_thr || !X->next_change) {
		scen_free(X);
		return CC_ENOMEM;
	}
	uint16_t next = NEVER;
	for (size_t t = T1; t-- > 0;) {
		X->next_change[t] = next;
		if (t > 1 && X->plan.haz_mult && X->plan.haz_change[t])
			next = (uint16_t)t;
	}
	for (size_t t = 0; t < T1; t++) {
		int y = 0, mo = 0, d = 0;
		if (t > 0)
			cc_date_to_ymd(l->dates[t], &y, &mo, &d);
		for (size_t c = 0; c < K; c++) {
			X->framework_thr[t * K + c] =
			    share_threshold(X->plan.framework_share[t * K + c]);
			for (size_t k = 0; k < CC_NCONTRACTS; k++)
				X->price_month[t * K * 3 + c * 3 + k] =
				    X->plan.price_week[t * K * 3 + c * 3 + k] * (double)d / 7.0;
		}
	}
	return CC_OK;
}

static void workspace_free(workspace *w)
{
	free(w->kids);
	free(w->param);
	cc_hazards_free(&w->haz);
	free(w->cum);
	free(w->hm);
	free(w->rec);
	free(w->occ);
	free(w->gsum);
	free(w->visit);
	free(w->ptag);
	free(w->due);
	free(w->delivered);
	for (size_t k = 0; k < CC_MAX_LIST; k++) {
		free(w->pool[k].pipeline);
		free(w->disp_rank[k]);
	}
	if (w->stream)
		gsl_rng_free(w->stream);
	memset(w, 0, sizeof *w);
}

static int workspace_init(workspace *w, const shared *S, size_t max_points, size_t max_prog)
{
	memset(w, 0, sizeof *w);
	w->cap = S->cap_hint;
	w->kids = malloc(w->cap * sizeof *w->kids);
	w->param = malloc((S->m->n_params ? S->m->n_params : 1) * sizeof *w->param);
	w->cum = malloc(S->cells * S->O * sizeof *w->cum);
	w->hm = malloc(S->cells * sizeof *w->hm);
	w->rec = malloc(max_points * sizeof *w->rec);
	w->stream = cc_rng_stream_alloc();
	w->occ = calloc(S->K * 3 * S->B, sizeof *w->occ);
	w->gsum = calloc(S->K * 3, sizeof *w->gsum);
	w->visit = malloc(w->cap * sizeof *w->visit);
	w->ptag = malloc(w->cap * sizeof *w->ptag);
	w->due = malloc(w->cap * sizeof *w->due);
	w->delivered = calloc(max_prog ? max_prog : 1, sizeof *w->delivered);
	int ok = w->kids && w->param && w->cum && w->hm && w->rec && w->stream && w->occ &&
	         w->gsum && w->visit && w->ptag && w->due && w->delivered &&
	         cc_hazards_alloc(S->m, &w->haz) == CC_OK;
	for (size_t k = 0; k < S->P && ok; k++) {
		w->pool[k].pipeline =
		    calloc(S->m->pools[k].approval_lag_months + 1u, sizeof *w->pool[k].pipeline);
		ok = w->pool[k].pipeline != NULL;
	}
	if (!ok) {
		workspace_free(w);
		return CC_ENOMEM;
	}
	return CC_OK;
}

/* Draws this replication's parameters (the same for every scenario). */
static void draw_params(const shared *S, workspace *w, cc_rng_key key)
{
	const cc_model *m = S->m;
	for (size_t p = 0; p < m->n_params; p++) {
		const cc_rate *r = &m->params[p];
		if (S->uncertainty && r->has_evidence) {
			cc_rng_stream_reset(w->stream, key, CC_RNG_PARAMS, 0, (uint32_t)p, 0);
			w->param[p] =
			    gsl_ran_gamma(w->stream, r->events + 0.5, 1.0 / r->exposure_years);
		} else {
			w->param[p] = r->rate_per_year;
		}
	}
	cc_hazards_build(m, w->param, &w->haz);
}

/* Event thresholds for month t: the drawn hazards times the plan's
 * multipliers (none for the baseline). */
static void build_thresholds(const shared *S, const scen *X, workspace *w, size_t t)
{
	const size_t O = S->O;
	const double *mult = X->plan.haz_mult ? &X->plan.haz_mult[t * S->cells * O] : NULL;
	for (size_t g = 0; g < S->cells; g++) {
		const double *h = &w->haz.hazard[(g / 2) * O];
		double hv[2 * CC_MAX_LIST + 1];
		double H = 0;
		for (size_t o = 0; o < O; o++) {
			hv[o] = h[o] * (mult ? mult[g * O + o] : 1.0);
			H += hv[o];
		}
		w->hm[g] = H / 12.0;
		double acc = 0;
		size_t last = 0;
		for (size_t o = 0; o < O; o++) {
			acc += hv[o];
			w->cum[g * O + o] = H > 0 ? share_threshold(acc / H) : 0;
			if (hv[o] > 0)
				last = o;
		}
		for (size_t o = last; o < O && H > 0; o++)
			w->cum[g * O + o] = (uint64_t)TWO32;
	}
}

static unsigned entry_age(const shared *S, size_t b, uint32_t x)
{
	const cc_band *band = &S->m->age_bands[b];
	unsigned width = band->to_months - band->from_months;
	const double *cdf = S->m->entry_age_cdf[b];
	if (!cdf)
		return band->from_months + (unsigned)(((uint64_t)x * width) >> 32);
	/* The first month whose cumulative share exceeds u (the last when
	 * none of the others does): the number of cdf[0 .. width - 2] at most
	 * u, found without unpredictable branches. */
	double u = cc_rng_u01(x);
	if (width < 2)
		return band->from_months;
	const double *base = cdf;
	unsigned len = width - 1;
	while (len > 1) {
		unsigned half = len / 2;
		base = base[half] <= u ? base + half : base;
		len -= half;
	}
	return band->from_months + (unsigned)(base - cdf) + (*base <= u);
}

/* *p resized to n elements of size bytes; 0 (and *p unchanged) when out of
 * memory. */
static int resize(void **p, size_t n, size_t size)
{
	void *q = realloc(*p, n * size);
	if (!q)
		return 0;
	*p = q;
	return 1;
}

static int ensure_capacity(workspace *w, size_t need)
{
	if (need <= w->cap)
		return CC_OK;
	size_t cap = w->cap * 2 > need ? w->cap * 2 : need;
	if (cap > CC_MAX_CHILDREN * 4)
		return CC_ERANGE;
	if (!resize((void **)&w->kids, cap, sizeof *w->kids) ||
	    !resize((void **)&w->visit, cap, sizeof *w->visit) ||
	    !resize((void **)&w->ptag, cap, sizeof *w->ptag) ||
	    !resize((void **)&w->due, cap, sizeof *w->due))
		return CC_ENOMEM;
	w->cap = cap;
	return CC_OK;
}

/* A count drawn by inverting its CDF, from the stream (purpose, t, id). */
static double keyed_u(cc_rng_key key, uint32_t purpose, uint32_t t, uint32_t id_lo, uint32_t id_hi)
{
	philox4x32_ctr_t r = cc_rng_block(key, purpose, t, id_lo, id_hi);
	return cc_rng_u01_53(r.v[0], r.v[1]);
}

/* ---- one month's bookkeeping --------------------------------------------- */

/* Per-month tallies of one replication. Counts by category, age band and
 * provider, and group sizes, are read from w->occ and w->gsum
 * (tally_counts) after the month's changes. */
typedef struct {
	size_t cat_count[CC_MAX_LIST], band_count[CC_MAX_LIST], prov_count[CC_NPROVIDERS];
	size_t ext_count[CC_MAX_LIST];
	size_t exits[CC_MAX_LIST + 1];
	size_t gap[CC_MAX_LIST];
	size_t moves, entries, approvals, deregistrations;
	/* Children (heavy tail: sum of price factors) per (category, contract)
	 * at the month end, and at the start (group_prev, after displacements). */
	double group[CC_MAX_LIST * CC_NCONTRACTS];
	double *group_prev;
} tally;

/* Everything a month's helpers need. */
typedef struct {
	const shared *S;
	const scen *X;
	workspace *w;
	tally *ty;
	cc_rng_key key;
	uint32_t t;
	int hook; /* this replication reports its events */
} month_ctx;

/* Reports an event of child c to the recorder (age: at the month end). */
static void emit(const month_ctx *M, cc_event_kind kind, const child *c, unsigned age,
                 size_t reason, int when, double frac)
{
	cc_event e = { .kind = kind,
		       .when = frac,
		       .month = M->t,
		       .child = ((uint64_t)c->id_hi << 32) | c->id_lo,
		       .age_months = age,
		       .category = c->cat,
		       .provider = c->prov,
		       .months_in_care = c->tic,
		       .months_in_placement = c->tip,
		       .reason = reason,
		       .at_month_end = when };
	philox4x32_ctr_t r =
	    cc_rng_block(M->key, CC_RNG_EVENT, ((uint32_t)kind << 20) | M->t, c->id_lo, c->id_hi);
	memcpy(e.random, r.v, sizeof e.random);
	M->S->on_event(&e, M->S->event_arg);
}

/* A new placement: provider, contract and price factor. Passed by value so
 * that the hot loop never takes a child's address (which would keep the
 * child in memory instead of registers). */
typedef struct {
	uint8_t prov, contract;
	float price_mult;
} placement;

/* The external contract and price factor of a new external placement
 * (the price block is drawn only for heavy tails). */
static placement external_contract(const month_ctx *M, size_t cat, uint32_t u_contract,
                                   uint32_t id_lo, uint32_t id_hi)
{
	const shared *S = M->S;
	placement p = { CC_EXTERNAL,
		        (uint64_t)u_contract < M->X->framework_thr[M->t * S->K + cat]
		            ? CC_CONTRACT_FRAMEWORK
		            : CC_CONTRACT_SPOT,
		        1.0f };
	if (S->heavy[cat]) {
		philox4x32_ctr_t r = cc_rng_block(M->key, CC_RNG_PRICE, M->t, id_lo, id_hi);
		/* Box-Muller: a standard normal from two uniforms. */
		double z = sqrt(-2.0 * log(cc_rng_u01(r.v[0]))) * cos(TWO_PI * cc_rng_u01(r.v[1]));
		p.price_mult = (float)exp(S->log_mu[cat] + S->log_sigma[cat] * z);
	}
	return p;
}

/* Places a child needing a new placement in category cat. */
static placement place(const month_ctx *M, size_t cat, uint32_t u_provider, uint32_t u_contract,
                       uint32_t id_lo, uint32_t id_hi)
{
	const shared *S = M->S;
	int k = S->pool_of[cat];
	int in_house;
	if (k >= 0) {
		pool_state *ps = &M->w->pool[k];
		in_house = ps->occupied < ps->places;
		if (in_house)
			ps->occupied++;
		else
			M->ty->gap[cat]++;
	} else {
		in_house = (uint64_t)u_provider < S->inhouse_thr[cat];
	}
	if (in_house)
		return (placement){ CC_IN_HOUSE, CC_CONTRACT_IN_HOUSE, 1.0f };
	return external_contract(M, cat, u_contract, id_lo, id_hi);
}

/* Frees the in-house place a child of category cat held, if any. */
static inline void release(const shared *S, workspace *w, size_t cat, unsigned prov)
{
	int k = S->pool_of[cat];
	if (k >= 0 && prov == CC_IN_HOUSE)
		w->pool[k].occupied--;
}

static void set_placement(child *c, placement p)
{
	c->prov = p.prov;
	c->contract = p.contract;
	c->price_mult = p.price_mult;
}

/* Month-end tallies: a child leaves its group and counts, or joins them. */
/* Brings a child's ages to the end of month t (it was not visited since). */
static inline void catch_up(child *c, uint32_t t)
{
	unsigned d = t - c->seen;
	c->age = (uint16_t)(c->age + d);
	c->tic = c->tic + d < UINT16_MAX ? (uint16_t)(c->tic + d) : (uint16_t)UINT16_MAX;
	c->tip = c->tip + d < UINT16_MAX ? (uint16_t)(c->tip + d) : (uint16_t)UINT16_MAX;
	c->seen = (uint16_t)t;
}

/* A child's age at the end of month t. */
static inline unsigned age_at(const child *c, uint32_t t) { return c->age + (t - c->seen); }

/* Counts a child (as at a month end) in w->occ and w->gsum. */
static inline void occ_add(const shared *S, workspace *w, child *c)
{
	c->bin = (uint16_t)(((size_t)c->cat * 3 + c->contract) * S->B + S->band_of_age[c->age]);
	w->occ[c->bin]++;
	w->gsum[(size_t)c->cat * 3 + c->contract] += (double)c->price_mult;
	c->flags &= (uint8_t)~UNCOUNTED;
}

/* Takes a child out of w->occ and w->gsum (before it changes). */
static inline void occ_remove(workspace *w, child *c)
{
	if (c->flags & UNCOUNTED)
		return;
	w->occ[c->bin]--;
	w->gsum[(size_t)c->cat * 3 + c->contract] -= (double)c->price_mult;
	c->flags |= UNCOUNTED;
}

/* A child who left care: no longer counted, never visited again. */
static inline void mark_left(workspace *w, size_t i)
{
	w->kids[i].flags |= LEAVING;
	w->visit[i] = NEVER;
	w->ptag[i] = 0;
	w->dead++;
}

/* What is left of a child's unit exponential at the start of month t (no
 * later than its scheduled event or change). */
static double clock_left(const child *c, uint32_t t)
{
	if (c->ev_month != NEVER)
		return (double)c->rate * ((double)c->ev_month - (double)t + (double)c->x);
	if (c->redraw == NEVER || !(c->rate > 0))
		return c->x;
	return c->x + (double)c->rate * ((double)c->redraw - (double)t);
}

/* The child's cell changes now (at the start of month t, or at the end of
 * month t - 1): what is left of its clock is scheduled again at its next
 * visit, which is this month's or the next. */
static void clock_interrupt(child *c, uint32_t t)
{
	if (c->flags & HAVE_E) {
		c->x = (float)clock_left(c, t);
		c->rate = 0;
		c->ev_month = NEVER;
	}
	c->redraw = 0;
}

/* Records where child i (as in kids[i] or c) is placed, for displacements. */
static inline void set_tag(const shared *S, workspace *w, size_t i, const child *c)
{
	int k = S->pool_of[c->cat];
	w->ptag[i] = c->prov == CC_IN_HOUSE && k >= 0 ? (uint8_t)(k + 1) : 0;
}

/*
 * `want` distinct ranks in [0, have), sorted, drawn from the stream
 * (purpose, month, id) by Floyd's algorithm: each rank set is equally
 * likely, and only `want` random numbers are used. CC_ENOMEM if the buffer
 * cannot grow (outside the hot loop: selections are rare).
 */
static int draw_ranks(const month_ctx *M, uint32_t purpose, uint32_t id, size_t have, size_t want,
                      size_t **buf, size_t *cap)
{
	if (want > *cap) {
		size_t *nb = realloc(*buf, want * sizeof *nb);
		if (!nb)
			return CC_ENOMEM;
		*buf = nb;
		*cap = want;
	}
	size_t *rank = *buf, k = 0;
	gsl_rng *r = M->w->stream;
	cc_rng_stream_reset(r, M->key, purpose, M->t, id, 0);
	for (size_t j = have - want; j < have; j++) {
		size_t x = (size_t)gsl_rng_uniform_int(r, (unsigned long)j + 1);
		/* Keep the ranks sorted; a repeat takes j, which is new. */
		size_t lo = 0, hi = k;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (rank[mid] < x)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < k && rank[lo] == x) {
			x = j;
			lo = k; /* j is larger than every rank drawn so far */
		}
		memmove(rank + lo + 1, rank + lo, (k - lo) * sizeof *rank);
		rank[lo] = x;
		k++;
	}
	return CC_OK;
}

/* Chooses `want` of the `have` children accepted by `eligible`, uniformly
 * at random, and applies `fn` to each; returns the number chosen. */
typedef int (*eligible_fn)(const child *, const void *);
static size_t select_children(child *kids, size_t n, eligible_fn eligible, const void *earg,
                              size_t have, size_t want, const month_ctx *M, uint32_t purpose,
                              uint32_t id, size_t **buf, size_t *cap, void (*fn)(child *, void *),
                              void *arg)
{
	if (want > have)
		want = have;
	if (want == 0 || draw_ranks(M, purpose, id, have, want, buf, cap) != CC_OK)
		return 0;
	const size_t *rank = *buf;
	size_t chosen = 0, e = 0;
	for (size_t i = 0; i < n && chosen < want; i++) {
		if (!eligible(&kids[i], earg))
			continue;
		if (e == rank[chosen]) {
			fn(&kids[i], arg);
			chosen++;
		}
		e++;
	}
	return chosen;
}

typedef struct {
	uint8_t cat, prov;
} cat_prov;

static int is_cat_prov(const child *c, const void *arg)
{
	const cat_prov *cp = arg;
	return !(c->flags & LEAVING) && c->cat == cp->cat && c->prov == cp->prov;
}

/* A child who loses an in-house place that closed: placed externally from
 * the start of the month (the whole month counts in the new placement). */
static placement displace_one(month_ctx *M, size_t cat, unsigned contract, float mult,
                              uint32_t id_lo, uint32_t id_hi)
{
	philox4x32_ctr_t r = cc_rng_block(M->key, CC_RNG_DISPLACE, M->t, id_lo, id_hi);
	M->ty->group_prev[cat * 3 + contract] -= (double)mult;
	placement p = external_contract(M, cat, r.v[1], id_lo, id_hi);
	M->ty->group_prev[cat * 3 + p.contract] += (double)p.price_mult;
	M->ty->gap[cat]++;
	return p;
}

static void bring_back(child *c, void *arg)
{
	month_ctx *M = arg;
	catch_up(c, M->t);
	occ_remove(M->w, c);
	set_placement(c, (placement){ CC_IN_HOUSE, CC_CONTRACT_IN_HOUSE, 1.0f });
	occ_add(M->S, M->w, c);
	set_tag(M->S, M->w, (size_t)(c - M->w->kids), c);
	c->tip = 0;
	clock_interrupt(c, M->t + 1); /* a new cell: in-house */
	M->w->visit[c - M->w->kids] = 0;
	if (M->hook)
		emit(M, CC_EVENT_PROVIDER, c, c->age, 0, 1, 1.0);
}

/* Step 0: pools at the start of month t. CC_OK or CC_ENOMEM. */
static int update_pools(month_ctx *M)
{
	const shared *S = M->S;
	const cc_plan *plan = &M->X->plan;
	workspace *w = M->w;
	const uint32_t t = M->t;
	for (size_t k = 0; k < S->P; k++) {
		const cc_pool *pool = &S->m->pools[k];
		pool_state *ps = &w->pool[k];
		if (pool->kind == CC_POOL_HOUSEHOLDS) {
			unsigned L1 = pool->approval_lag_months + 1;
			ps->households += ps->pipeline[t % L1];
			ps->pipeline[t % L1] = 0;
			double rate =
			    w->param[pool->approvals_param] + plan->approvals_add[t * S->P + k];
			unsigned a = rate > 0 ? cc_rng_poisson_inv(keyed_u(M->key, CC_RNG_CAPACITY,
			                                                   t, (uint32_t)(2 * k), 0),
			                                           rate / 12.0)
			                      : 0;
			if (pool->approval_lag_months == 0)
				ps->households += a;
			else
				ps->pipeline[(t + pool->approval_lag_months) % L1] += a;
			double h =
			    w->param[pool->deregistration_param] * plan->dereg_mult[t * S->P + k];
			double p = -expm1(-h / 12.0);
			unsigned d = cc_rng_binomial_inv(
			    keyed_u(M->key, CC_RNG_CAPACITY, t, (uint32_t)(2 * k + 1), 0),
			    ps->households, p);
			ps->households -= d;
			M->ty->approvals += a;
			M->ty->deregistrations += d;
			cc_pool u = *pool;
			u.usable_share = plan->usable[t * S->P + k];
			ps->places = cc_pool_places(&u, 0, ps->households);
		} else {
			ps->places = plan->places[t * S->P + k];
		}
		w->disp_n[k] = w->disp_next[k] = 0;
		if (ps->occupied > ps->places) {
			/* The children are found in the month's pass (run_replication). */
			size_t want = ps->occupied - ps->places;
			if (draw_ranks(M, CC_RNG_DISPLACE, (uint32_t)k, ps->occupied, want,
			               &w->disp_rank[k], &w->disp_cap[k]) != CC_OK)
				return CC_ENOMEM;
			w->disp_n[k] = want;
			w->displacing = 1;
			ps->occupied = ps->places;
		}
	}
	return CC_OK;
}

/* Bring external children back into free in-house places; returns how many. */
static size_t bring_back_in_house(month_ctx *M, size_t n)
{
	const shared *S = M->S;
	workspace *w = M->w;
	size_t moved = 0;
	for (size_t k = 0; k < S->P; k++) {
		const cc_pool *pool = &S->m->pools[k];
		pool_state *ps = &w->pool[k];
		size_t c = pool->category;
		if (pool->bring_back_per_month == 0 || ps->occupied >= ps->places)
			continue;
		size_t want = ps->places - ps->occupied;
		if (want > pool->bring_back_per_month)
			want = pool->bring_back_per_month;
		if (want > M->ty->ext_count[c])
			want = M->ty->ext_count[c];
		cat_prov cp = { (uint8_t)c, CC_EXTERNAL };
		size_t have = M->ty->ext_count[c];
		size_t got =
		    select_children(w->kids, n, is_cat_prov, &cp, have, want, M, CC_RNG_BRING_BACK,
		                    (uint32_t)k, &w->disp_rank[k], &w->disp_cap[k], bring_back, M);
		ps->occupied += (unsigned)got;
		moved += got;
	}
	return moved;
}

/* ---- programmes ----------------------------------------------------------- */

typedef struct {
	const shared *S;
	const cc_lever *lv;
	uint32_t t;
} prog_filter;

/* Eligible for a programme: in care before this month's entries, in the
 * lever's categories (transfers: its "from"), age band, age limits and
 * providers. */
static int programme_eligible(const child *c, const void *arg)
{
	const prog_filter *f = arg;
	const cc_lever *lv = f->lv;
	if (c->flags & LEAVING)
		return 0; /* chosen by an earlier programme this month */
	if ((c->id_hi >> 31) && ((c->id_hi >> 8) & 0x7FFFFFu) == f->t)
		return 0; /* entered this month */
	if (lv->type == CC_LEVER_TRANSFERS ? c->cat != lv->from
	                                   : !((lv->categories >> c->cat) & 1u))
		return 0;
	unsigned age = age_at(c, f->t);
	return ((lv->age_bands >> f->S->band_of_age[age]) & 1u) &&
	       ((lv->providers >> c->prov) & 1u) && age >= lv->min_age_months &&
	       age < lv->max_age_months;
}

typedef struct {
	month_ctx *M;
	const cc_lever *lv;
	size_t index;
} prog_act;

static void programme_exit(child *c, void *arg)
{
	prog_act *a = arg;
	month_ctx *M = a->M;
	catch_up(c, M->t);
	occ_remove(M->w, c);
	release(M->S, M->w, c->cat, c->prov);
	M->ty->exits[a->lv->reason]++;
	mark_left(M->w, (size_t)(c - M->w->kids));
	if (M->hook)
		emit(M, CC_EVENT_EXIT, c, c->age, a->lv->reason, 1, 1.0);
}

static void programme_transfer(child *c, void *arg)
{
	prog_act *a = arg;
	month_ctx *M = a->M;
	philox4x32_ctr_t r =
	    cc_rng_block(M->key, CC_RNG_PROGRAMME + (uint32_t)a->index, M->t, c->id_lo, c->id_hi);
	catch_up(c, M->t);
	occ_remove(M->w, c);
	release(M->S, M->w, c->cat, c->prov);
	c->cat = (uint8_t)a->lv->to;
	set_placement(c, place(M, c->cat, r.v[1], r.v[2], c->id_lo, c->id_hi));
	c->tip = 0;
	clock_interrupt(c, M->t + 1); /* a new cell */
	occ_add(M->S, M->w, c);
	set_tag(M->S, M->w, (size_t)(c - M->w->kids), c);
	M->w->visit[c - M->w->kids] = 0;
	M->ty->moves++;
	if (M->hook)
		emit(M, CC_EVENT_MOVE, c, c->age, 0, 1, 1.0);
}

/* Runs the month's programme quotas over kids[0, n). */
static void run_programmes(month_ctx *M, size_t n, double *rec)
{
	const cc_plan *plan = &M->X->plan;
	const cc_layout *l = cc_results_layout(M->X->res);
	workspace *w = M->w;
	for (size_t i = 0; i < plan->n_programmes; i++) {
		const cc_programme *pr = &plan->programmes[i];
		double due = floor(pr->quota_cum[M->t] + 1e-9) - w->delivered[i];
		size_t got = 0;
		if (due >= 1) {
			prog_filter f = { M->S, pr->lever, M->t };
			size_t have = 0;
			for (size_t j = 0; j < n; j++)
				have += programme_eligible(&w->kids[j], &f) ? 1u : 0u;
			prog_act a = { M, pr->lever, i };
			size_t want = (size_t)due < have ? (size_t)due : have;
			got = select_children(
			    w->kids, n, programme_eligible, &f, have, want, M,
			    CC_RNG_PROGRAMME + (uint32_t)i, 0, &w->disp_rank[0], &w->disp_cap[0],
			    pr->lever->type == CC_LEVER_EXTRA_EXITS ? programme_exit
			                                            : programme_transfer,
			    &a);
			w->delivered[i] += (double)got;
		}
		size_t f = l->fy_of_month[M->t];
		if (f != SIZE_MAX) {
			rec[l->fy_prog_delivered + i * l->n_fy + f] += (double)got;
			if (l->fy[f].last_month == M->t) {
				double short_by =
				    floor(pr->quota_cum[M->t] + 1e-9) - w->delivered[i];
				rec[l->fy_prog_shortfall + i * l->n_fy + f] =
				    short_by > 0 ? short_by : 0;
			}
		}
	}
}

/* ---- one replication ------------------------------------------------------ */

/* The month-end counts by category, age band, provider and external
 * category, and the group sizes, from w->occ and w->gsum. */
static void tally_counts(const shared *S, const workspace *w, tally *ty)
{
	const size_t K3 = S->K * 3, NB = K3 * S->B;
	memset(ty->cat_count, 0, sizeof ty->cat_count);
	memset(ty->band_count, 0, sizeof ty->band_count);
	memset(ty->prov_count, 0, sizeof ty->prov_count);
	memset(ty->ext_count, 0, sizeof ty->ext_count);
	for (size_t bin = 0; bin < NB; bin++) {
		uint32_t n = w->occ[bin];
		if (n == 0)
			continue;
		size_t g = bin / S->B, band = bin % S->B, cat = g / 3, contract = g % 3;
		int prov = contract == CC_CONTRACT_IN_HOUSE ? CC_IN_HOUSE : CC_EXTERNAL;
		ty->cat_count[cat] += n;
		ty->band_count[band] += n;
		ty->prov_count[prov] += n;
		if (prov == CC_EXTERNAL)
			ty->ext_count[cat] += n;
	}
	for (size_t g = 0; g < K3; g++)
		ty->group[g] = w->gsum[g];
}

/* External placements priced at or above the high-cost threshold. */
static size_t count_high_cost(const shared *S, const scen *X, const child *kids, size_t n, size_t t)
{
	size_t count = 0;
	const double *pw = &X->plan.price_week[t * S->K * 3];
	for (size_t i = 0; i < n; i++) {
		const child *c = &kids[i];
		if (!(c->flags & LEAVING) && c->prov == CC_EXTERNAL &&
		    pw[c->cat * 3 + c->contract] * (double)c->price_mult >=
		        S->m->high_cost_per_week)
			count++;
	}
	return count;
}

static void record_month(const month_ctx *M, double *rec, size_t n)
{
	const shared *S = M->S;
	const workspace *w = M->w;
	const tally *ty = M->ty;
	const cc_layout *l = cc_results_layout(M->X->res);
	const size_t t = M->t, T = l->months;
	rec[cc_layout_month(l, l->cla_total, t)] = (double)n;
	for (size_t c = 0; c < S->K; c++)
		rec[cc_layout_month(l, l->by_category + c * T, t)] = (double)ty->cat_count[c];
	for (size_t b = 0; b < S->B; b++)
		rec[cc_layout_month(l, l->by_age_band + b * T, t)] = (double)ty->band_count[b];
	for (size_t p = 0; p < CC_NPROVIDERS; p++)
		rec[cc_layout_month(l, l->by_provider + p * T, t)] = (double)ty->prov_count[p];
	for (size_t k = 0; k < S->P; k++) {
		const pool_state *ps = &w->pool[k];
		assert(ps->occupied <= ps->places);
		rec[cc_layout_month(l, l->pool_places + k * T, t)] = ps->places;
		rec[cc_layout_month(l, l->pool_occupied + k * T, t)] = ps->occupied;
		rec[cc_layout_month(l, l->pool_free + k * T, t)] = ps->places - ps->occupied;
	}
	if (S->P > 0)
		for (size_t c = 0; c < S->K; c++)
			rec[cc_layout_month(l, l->external_by_category + c * T, t)] =
			    (double)ty->ext_count[c];

	size_t f = l->fy_of_month[t];
	if (f == SIZE_MAX)
		return;
	const size_t F = l->n_fy;
	size_t nexits = 0;
	for (size_t o = 0; o <= S->R; o++) {
		rec[l->fy_exits_by_reason + o * F + f] += (double)ty->exits[o];
		nexits += ty->exits[o];
	}
	rec[l->fy_exits + f] += (double)nexits;
	rec[l->fy_entries + f] += (double)ty->entries;
	rec[l->fy_moves + f] += (double)ty->moves;
	if (S->P > 0) {
		for (size_t c = 0; c < S->K; c++)
			rec[l->fy_gap + c * F + f] += (double)ty->gap[c];
		rec[l->fy_approvals + f] += (double)ty->approvals;
		rec[l->fy_deregistrations + f] += (double)ty->deregistrations;
	}
	if (S->m->has_costs) {
		const double *pm = &M->X->price_month[t * S->K * 3];
		for (size_t c = 0; c < S->K; c++)
			for (size_t k = 0; k < CC_NCONTRACTS; k++) {
				double child_months =
				    0.5 * (ty->group_prev[c * 3 + k] + ty->group[c * 3 + k]);
				double spend = child_months * pm[c * 3 + k];
				rec[l->fy_spend + f] += spend;
				rec[l->fy_spend_by_category + c * F + f] += spend;
				rec[l->fy_spend_by_contract + k * F + f] += spend;
			}
	}
	if (l->fy[f].last_month == t) {
		rec[l->fy_cla_31_march + f] = (double)n;
		assert(rec[l->fy_cla_31_march + f] ==
		       rec[l->fy_cla_start + f] + rec[l->fy_entries + f] - rec[l->fy_exits + f]);
		unsigned households = 0;
		for (size_t k = 0; k < S->P; k++) {
			rec[l->fy_places + k * F + f] = w->pool[k].places;
			rec[l->fy_occupied + k * F + f] = w->pool[k].occupied;
			if (S->m->pools[k].kind == CC_POOL_HOUSEHOLDS)
				households += w->pool[k].households;
		}
		if (S->P > 0) {
			rec[l->fy_households + f] = households;
			for (size_t c = 0; c < S->K; c++)
				rec[l->fy_external + c * F + f] = (double)ty->ext_count[c];
		}
		if (S->m->has_costs)
			rec[l->fy_high_cost + f] = (double)count_high_cost(S, M->X, w->kids, n, t);
	}
	/* Years are contiguous from month 1, so a year starting next month
	 * follows the one this month belongs to. */
	if (f + 1 < F && l->fy[f + 1].first_month == t + 1)
		rec[l->fy_cla_start + f + 1] = (double)n;
}

/* Step 3: entries of month t. Returns CC_OK or an allocation error. */
/* 1 - U for the word x (U = cc_rng_u01(x)), exact in a double. */
static inline double one_minus_u(uint32_t x)
{
	return (4294967295.5 - (double)x) * (1.0 / 4294967296.0);
}

/* Events after the first within month t. From time `at` (a fraction of the
 * month) a child in care waits an exponential time at the total hazard of
 * its current cell (age band and time-in-care band as at the start of the
 * month, category and provider as now); an event that would fall after the
 * month end belongs to a later month. Each step uses the child's block
 * (CHILD_MONTH, t, k) for k = k0, k0 + 1, ...: word 0 the waiting time, 1 the
 * outcome, 2 and 3 the new placement. At most MAX_CHAIN steps a month (the
 * chance of more is negligible: below 10^-12 a child-month at any hazard
 * under 12 a year). age_end is the child's age at the month end. */
#define MAX_CHAIN 16

static int chain(const month_ctx *M, child *cp, size_t band, size_t tb, double at, uint32_t k0,
                 unsigned age_end)
{
	child c = *cp;
	const shared *S = M->S;
	workspace *w = M->w;
	const size_t K = S->K, T = S->T, O = S->O, R = S->R;
	const uint32_t ctr2 = ((uint32_t)CC_RNG_CHILD_MONTH << 24) | (M->t & 0xFFFFFFu);
	for (uint32_t k = k0; k < k0 + MAX_CHAIN; k++) {
		size_t g = (((band * K + c.cat) * T + tb) << 1) + c.prov;
		double hm = w->hm[g];
		if (!(hm > 0))
			break;
		philox4x32_ctr_t ctr = { { c.id_lo, c.id_hi, ctr2, k } };
		philox4x32_ctr_t r = philox4x32(ctr, M->key.key);
		/* The event falls before the month end when -log(1 - U) / hm <
		 * 1 - at, that is 1 - U > exp(-hm (1 - at)): one exp for the
		 * common case of no event, the log only for an event. */
		double v = one_minus_u(r.v[0]);
		if (!(v > exp(-hm * (1.0 - at))))
			break;
		at += -log(v) / hm;
		if (at >= 1.0)
			break;
		const uint64_t *cum = &w->cum[g * O];
		size_t o = 0;
		while (o + 1 < O && (uint64_t)r.v[1] >= cum[o])
			o++;
		release(S, w, c.cat, c.prov);
		if (o < R) {
			if (M->hook)
				emit(M, CC_EVENT_EXIT, &c, age_end, o, 0, at);
			M->ty->exits[o]++;
			*cp = c;
			return 1;
		}
		c.cat = (uint8_t)(o - R);
		placement p = place(M, c.cat, r.v[2], r.v[3], c.id_lo, c.id_hi);
		c.prov = p.prov;
		c.contract = p.contract;
		c.price_mult = p.price_mult;
		c.tip = 0;
		M->ty->moves++;
		if (M->hook)
			emit(M, CC_EVENT_MOVE, &c, age_end, 0, 0, at);
	}
	*cp = c;
	return 0;
}

/* Schedules a child's clock (rem of its unit exponential left) in cell g set
 * at the start of month t: the event falls e = rem / H_m months from then
 * (month t + floor(e), at fraction e - floor(e)) when that is before the
 * cell's next possible change at month redraw = t + d (a new age band,
 * time-in-care band or scenario hazards); otherwise the rest is scheduled
 * again then. Exact for hazards constant between changes (the event comes
 * when the integrated hazard reaches E), and coupling: a scenario that
 * changes a child's hazards or provider moves its events, never redraws
 * them. */
static void schedule(const month_ctx *M, child *c, size_t g, unsigned tic, double rem)
{
	const shared *S = M->S;
	const uint32_t t = M->t;
	unsigned d = S->band_left[c->age];
	if (S->tic_left[tic] < d)
		d = S->tic_left[tic];
	if (M->X->next_change[t] != NEVER && M->X->next_change[t] - t < d)
		d = M->X->next_change[t] - t;
	c->redraw = t + d < NEVER ? (uint16_t)(t + d) : (uint16_t)NEVER;
	double hm = M->w->hm[g];
	c->rate = (float)hm;
	c->ev_month = NEVER;
	if (hm > 0 && rem < hm * (double)d) {
		double e = rem / hm, m = floor(e);
		float at = (float)(e - m);
		c->ev_month = (uint16_t)(t + (unsigned)m);
		c->x = at < 1.0f ? at : 0x1.fffffep-1f;
	} else {
		c->x = (float)(hm > 0 ? rem - hm * (double)d : rem);
	}
}

/* Month t for a child in care at its start, in cell g, whose clock is due
 * to be scheduled (a new unit exponential from word 0 of its block
 * (CHILD_MONTH, t, 0) after an event) or whose event falls in this month. The
 * event (if any) is an exit, or a move followed by the rest of the month
 * (chain()), from the same block: word 1 the outcome, 2 and 3 the new
 * placement. Returns the child at the month end (before ageing), or left;
 * moved when it moved. Kept out of line: most child-months need none of
 * this, and the main loop runs faster without its registers. */
#define EV_LEFT 1
#define EV_MOVED 2
static __attribute__((noinline)) int month_event(month_ctx *M, child *cp, size_t g, unsigned tic)
{
	child c = *cp;
	const shared *S = M->S;
	workspace *w = M->w;
	const size_t O = S->O, R = S->R;
	const uint32_t ctr2 = ((uint32_t)CC_RNG_CHILD_MONTH << 24) | (M->t & 0xFFFFFFu);
	philox4x32_ctr_t ctr = { { c.id_lo, c.id_hi, ctr2, 0 } }, r = { { 0 } };
	int have_r = 0;
	if (c.redraw <= M->t) {
		double rem;
		if (c.flags & HAVE_E) {
			rem = clock_left(&c, M->t);
		} else {
			r = philox4x32(ctr, M->key.key);
			have_r = 1;
			rem = -log(one_minus_u(r.v[0]));
			c.flags |= HAVE_E;
		}
		schedule(M, &c, g, tic, rem);
	}
	if (c.ev_month != M->t) {
		*cp = c;
		return 0;
	}
	if (!have_r)
		r = philox4x32(ctr, M->key.key);
	const double at = c.x;
	c.flags &= (uint8_t)~HAVE_E; /* a new unit exponential after the event */
	const uint64_t *cum = &w->cum[g * O];
	size_t o = 0;
	while (o + 1 < O && (uint64_t)r.v[1] >= cum[o])
		o++;
	release(S, w, c.cat, c.prov);
	if (o < R) {
		if (M->hook)
			emit(M, CC_EVENT_EXIT, &c, c.age + 1u, o, 0, at);
		M->ty->exits[o]++;
		*cp = c;
		return EV_LEFT;
	}
	c.cat = (uint8_t)(o - R);
	placement p = place(M, c.cat, r.v[2], r.v[3], c.id_lo, c.id_hi);
	c.prov = p.prov;
	c.contract = p.contract;
	c.price_mult = p.price_mult;
	c.tip = 0;
	c.redraw = 0;
	M->ty->moves++;
	if (M->hook)
		emit(M, CC_EVENT_MOVE, &c, c.age + 1u, 0, 0, at);
	int left = chain(M, &c, S->band_of_age[c.age], S->tic_of[tic], at, 1, c.age + 1u);
	*cp = c;
	return left ? EV_LEFT : EV_MOVED;
}

static int enter_children(month_ctx *M, size_t *np)
{
	const shared *S = M->S;
	const cc_plan *plan = &M->X->plan;
	workspace *w = M->w;
	const size_t B = S->B, K = S->K, t = M->t;
	const size_t K3 = K * 3;
	for (size_t b = 0; b < B; b++) {
		/* Rates per category of first placement: the drawn band rate times
		 * the (scenario's) mix and multipliers, plus additions. */
		double lam[CC_MAX_LIST], total = 0;
		for (size_t c = 0; c < K; c++) {
			double v =
			    w->param[b] * S->trend[t] * plan->entry_mult[(t * B + b) * K + c] +
			    plan->entry_add[(t * B + b) * K + c];
			lam[c] = v > 0 ? v : 0;
			total += lam[c];
		}
		if (!(total > 0))
			continue;
		unsigned k = cc_rng_poisson_inv(
		    keyed_u(M->key, CC_RNG_ENTRY_COUNT, M->t, (uint32_t)b, 0), total / 12.0);
		int rc = ensure_capacity(w, *np + k);
		if (rc != CC_OK)
			return rc;
		uint64_t cum[CC_MAX_LIST];
		double acc = 0;
		size_t last = 0;
		for (size_t c = 0; c < K; c++) {
			acc += lam[c];
			cum[c] = share_threshold(acc / total);
			if (lam[c] > 0)
				last = c;
		}
		for (size_t c = last; c < K; c++)
			cum[c] = (uint64_t)TWO32;
		child *kids = w->kids;
		uint32_t entry_hi = 0x80000000u | ((uint32_t)t << 8) | (uint32_t)b;
		for (unsigned j = 0; j < k; j++) {
			philox4x32_ctr_t r =
			    cc_rng_block(M->key, CC_RNG_ENTRY_CHILD, 0, j, entry_hi);
			child c = { .id_lo = j, .id_hi = entry_hi, .seen = (uint16_t)t };
			c.age = (uint16_t)entry_age(S, b, r.v[0]);
			size_t cat = 0;
			while (cat + 1 < K && (uint64_t)r.v[1] >= cum[cat])
				cat++;
			c.cat = (uint8_t)cat;
			placement p = place(M, cat, r.v[2], r.v[3], j, entry_hi);
			c.prov = p.prov;
			c.contract = p.contract;
			c.price_mult = p.price_mult;
			/* The child starts at a uniform time in the month (word 0 of
			 * its month block) and is at risk for the rest of it. */
			double at = cc_rng_u01(
			    cc_rng_block(M->key, CC_RNG_CHILD_MONTH, M->t, j, entry_hi).v[0]);
			if (M->hook)
				emit(M, CC_EVENT_ENTER, &c, c.age, 0, 0, at);
			/* In its first month a child has the age band of its age at
			 * the start of the month, as everyone else. */
			if (chain(M, &c, S->band_of_age[c.age ? c.age - 1u : 0u], S->tic_of[0], at,
			          1, c.age))
				continue;
			occ_add(S, w, &c);
			w->visit[*np] = 0; /* its clock starts next month */
			set_tag(S, w, *np, &c);
			kids[(*np)++] = c;
		}
		M->ty->entries += k;
	}
	(void)K3;
	return CC_OK;
}

/* Draws the contracts of the starting population's external placements. */
static void start_contracts(const month_ctx *M, child *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		child *c = &kids[i];
		if (c->prov != CC_EXTERNAL)
			continue;
		philox4x32_ctr_t r =
		    cc_rng_block(M->key, CC_RNG_START_CHILD, 0, c->id_lo, c->id_hi);
		set_placement(c, external_contract(M, c->cat, r.v[0], c->id_lo, c->id_hi));
	}
}

/* Month t's displacements (update_pools found how many children each pool
 * must place externally, and which: ranks among its in-house children in
 * array order). A displaced child is visited this month (a new cell). */
static void displace(month_ctx *M, size_t n)
{
	const shared *S = M->S;
	workspace *w = M->w;
	const uint8_t *ptag = w->ptag;
	/* For each pool: in-house children seen so far, and the rank of the next
	 * one to displace (SIZE_MAX when none is left). */
	size_t seen[CC_MAX_LIST + 1], want[CC_MAX_LIST + 1], left = 0;
	seen[0] = 0;
	want[0] = SIZE_MAX; /* tag 0: not in-house in a pool */
	for (size_t k = 0; k < S->P; k++) {
		seen[k + 1] = 0;
		want[k + 1] = w->disp_n[k] > 0 ? w->disp_rank[k][0] : SIZE_MAX;
		left += w->disp_n[k];
	}
	for (size_t i = 0; i < n && left > 0; i++) {
		unsigned tg = ptag[i];
		if (seen[tg]++ != want[tg])
			continue;
		size_t k = tg - 1u;
		w->disp_next[k]++;
		want[tg] =
		    w->disp_next[k] < w->disp_n[k] ? w->disp_rank[k][w->disp_next[k]] : SIZE_MAX;
		left--;
		child *c = &w->kids[i];
		catch_up(c, M->t - 1);
		occ_remove(w, c);
		placement p =
		    displace_one(M, c->cat, c->contract, c->price_mult, c->id_lo, c->id_hi);
		c->prov = p.prov;
		c->contract = p.contract;
		c->price_mult = p.price_mult;
		c->tip = 0;
		clock_interrupt(c, M->t);
		c->flags |= MOVED;
		w->visit[i] = 0;
		w->ptag[i] = 0; /* now external */
		if (M->hook)
			emit(M, CC_EVENT_PROVIDER, c, c->age + 1u, 0, -1, 0.0);
	}
}

/* Month t for child i, which has something due: its event (if this month),
 * a new schedule when its cell changes, ageing, leaving at 18, and its
 * count at the month end. Sets the next month it needs a visit. */
static void visit_child(month_ctx *M, size_t i)
{
	const shared *S = M->S;
	workspace *w = M->w;
	const uint32_t t = M->t;
	child c = w->kids[i];
	catch_up(&c, t - 1);
	occ_remove(w, &c);
	unsigned tic = c.tic < S->tic_cap ? c.tic : S->tic_cap;
	unsigned moved = (c.flags & MOVED) != 0;
	c.flags &= (uint8_t)~MOVED;
	if (c.redraw <= t || c.ev_month == t) {
		size_t g = ((((size_t)S->band_of_age[c.age] * S->K + c.cat) * S->T + S->tic_of[tic])
		            << 1) +
		           c.prov;
		int ev = month_event(M, &c, g, tic);
		if (ev & EV_LEFT) {
			w->kids[i] = c;
			mark_left(w, i);
			return;
		}
		moved |= (ev & EV_MOVED) != 0;
	}
	c.age++;
	c.seen = (uint16_t)t;
	if (c.age >= CC_AGE_MONTHS_MAX) {
		release(S, w, c.cat, c.prov);
		if (M->hook)
			emit(M, CC_EVENT_EXIT, &c, c.age, S->R, 1, 1.0);
		M->ty->exits[S->R]++;
		w->kids[i] = c;
		mark_left(w, i);
		return;
	}
	if (c.tic < UINT16_MAX)
		c.tic++;
	if (!moved && c.tip < UINT16_MAX)
		c.tip++;
	occ_add(S, w, &c);
	set_tag(S, w, i, &c);
	w->kids[i] = c;
	unsigned v = t + S->band_left[c.age];
	if (c.redraw < v)
		v = c.redraw;
	if (c.ev_month < v)
		v = c.ev_month;
	w->visit[i] = v < NEVER ? (uint16_t)v : (uint16_t)NEVER;
}

/* Drops the children who left from kids[] and visit[], keeping the order. */
static void compact(workspace *w, size_t *np)
{
	size_t out = 0;
	for (size_t i = 0; i < *np; i++)
		if (!(w->kids[i].flags & LEAVING)) {
			w->kids[out] = w->kids[i];
			w->visit[out] = w->visit[i];
			w->ptag[out] = w->ptag[i];
			out++;
		}
	*np = out;
	w->dead = 0;
}

static int run_replication(const shared *S, const scen *X, workspace *w, size_t rep,
                           uint64_t *child_months)
{
	const cc_layout *l = cc_results_layout(X->res);
	const int costs = S->m->has_costs;
	cc_rng_key key = cc_rng_key_make(S->seed, (uint32_t)rep);
	tally ty;
	month_ctx M = { S, X, w, &ty, key, 0, 0 };
	M.hook = S->on_event && rep == S->event_rep && X->is_baseline;
	memset(w->rec, 0, l->n_points * sizeof *w->rec);
	memcpy(w->kids, S->initial, S->n_initial * sizeof *w->kids);
	size_t n = S->n_initial;
	if (costs)
		start_contracts(&M, w->kids, n);
	memset(w->occ, 0, S->K * 3 * S->B * sizeof *w->occ);
	memset(w->gsum, 0, S->K * 3 * sizeof *w->gsum);
	w->dead = 0;
	for (size_t i = 0; i < n; i++) {
		occ_add(S, w, &w->kids[i]);
		w->visit[i] = 0; /* every clock starts in month 1 */
		set_tag(S, w, i, &w->kids[i]);
	}
	memcpy(w->group_prev, w->gsum, S->K * 3 * sizeof *w->gsum);
	for (size_t i = 0; M.hook && i < n; i++)
		emit(&M, CC_EVENT_START, &w->kids[i], w->kids[i].age, 0, 0, 0.0);
	for (size_t k = 0; k < S->P; k++) {
		const cc_pool *pool = &S->m->pools[k];
		pool_state *ps = &w->pool[k];
		ps->occupied = S->start_occupied[k];
		ps->households = pool->households;
		memset(ps->pipeline, 0, (pool->approval_lag_months + 1u) * sizeof *ps->pipeline);
		/* Households approved in the lag months before the base date are in
		 * the pipeline then: they start taking children in months 1..lag. */
		if (pool->kind == CC_POOL_HOUSEHOLDS) {
			double rate = w->param[pool->approvals_param];
			unsigned L1 = pool->approval_lag_months + 1;
			for (unsigned t = 1; t <= pool->approval_lag_months && rate > 0; t++)
				ps->pipeline[t % L1] =
				    cc_rng_poisson_inv(keyed_u(key, CC_RNG_CAPACITY, 0xFFFFFFu - t,
				                               (uint32_t)(2 * k), 0),
				                       rate / 12.0);
		}
	}
	for (size_t i = 0; i < X->plan.n_programmes; i++)
		w->delivered[i] = 0;
	build_thresholds(S, X, w, 1);
	uint64_t cm = 0;
	double *rec = w->rec;

	for (size_t f = 0; f < l->n_fy; f++)
		if (l->fy[f].first_month == 1)
			rec[l->fy_cla_start + f] = (double)n;

	for (size_t t = 1; t <= l->months; t++) {
		if (S->cancel && *S->cancel)
			return CC_EINTR;
		memset(&ty, 0, sizeof ty);
		ty.group_prev = w->group_prev;
		M.t = (uint32_t)t;
		cm += n - w->dead;
		if (t > 1 && X->plan.haz_mult && X->plan.haz_change[t])
			build_thresholds(S, X, w, t);
		w->displacing = 0;
		if (update_pools(&M) != CC_OK)
			return CC_ENOMEM;
		if (w->displacing)
			displace(&M, n);

		/* Only the children with something due this month are visited: an
		 * event, a change of cell or a new age band at
		 * the month end. The others age without being touched. */
		const uint16_t *visit = w->visit;
		const child *kids = w->kids;
		uint32_t *due = w->due;
		size_t nd = 0;
		for (size_t i = 0; i < n; i++) {
			due[nd] = (uint32_t)i;
			nd += visit[i] <= t;
		}
		for (size_t j = 0; j < nd; j++) {
			if (j + 8 < nd)
				__builtin_prefetch(&kids[due[j + 8]], 1);
			visit_child(&M, due[j]);
		}

		int rc = enter_children(&M, &n);
		if (rc != CC_OK)
			return rc;
		if (X->plan.n_programmes > 0) {
			tally_counts(S, w, &ty);
			run_programmes(&M, n, rec);
		}
		tally_counts(S, w, &ty);
		if (bring_back_in_house(&M, n))
			tally_counts(S, w, &ty);
		if (w->dead > n / 8)
			compact(w, &n);
		size_t live = n - w->dead;
		record_month(&M, rec, live);
		memcpy(w->group_prev, ty.group, S->K * 3 * sizeof *ty.group);
	}
	if (costs)
		cc_layout_add_fixed_costs(l, S->m, rec);
	*child_months = cm;
	return CC_OK;
}

/* ---- thread pool -------------------------------------------------------- */

typedef struct {
	const shared *S;
	scen *X; /* [n_scen]: baseline first */
	size_t n_scen;
	const cc_sim_options *opt;
	atomic_size_t next;
	atomic_int error;
	pthread_mutex_t mu;
	size_t done;
} pool;

static void *worker(void *arg)
{
	pool *P = arg;
	workspace w;
	size_t max_points = 0, max_prog = 0;
	for (size_t s = 0; s < P->n_scen; s++) {
		const cc_layout *l = cc_results_layout(P->X[s].res);
		if (l->n_points > max_points)
			max_points = l->n_points;
		if (P->X[s].plan.n_programmes > max_prog)
			max_prog = P->X[s].plan.n_programmes;
	}
	int rc = workspace_init(&w, P->S, max_points, max_prog);
	if (rc != CC_OK) {
		int expected = CC_OK;
		atomic_compare_exchange_strong(&P->error, &expected, rc);
		return NULL;
	}
	for (;;) {
		if (atomic_load(&P->error) != CC_OK)
			break;
		size_t rep = atomic_fetch_add(&P->next, 1);
		if (rep >= P->opt->replications)
			break;
		draw_params(P->S, &w, cc_rng_key_make(P->S->seed, (uint32_t)rep));
		for (size_t s = P->opt->scenarios_only ? 1 : 0; s < P->n_scen && rc == CC_OK; s++) {
			uint64_t cm = 0;
			rc = run_replication(P->S, &P->X[s], &w, rep, &cm);
			if (rc == CC_OK) {
				cc_results_store(P->X[s].res, rep, w.rec);
				cc_results_add_child_months(P->X[s].res, cm);
			}
		}
		if (rc != CC_OK) {
			int expected = CC_OK;
			atomic_compare_exchange_strong(&P->error, &expected, rc);
			break;
		}
		pthread_mutex_lock(&P->mu);
		P->done++;
		if (P->opt->progress)
			P->opt->progress(P->done, P->opt->replications, P->opt->progress_arg);
		pthread_mutex_unlock(&P->mu);
	}
	workspace_free(&w);
	return NULL;
}

int cc_sim_run_scenarios(const cc_model *m, const cc_scenario *const *scenarios, size_t n,
                         const cc_sim_options *opt, cc_results **out)
{
	for (size_t s = 0; s <= n; s++)
		out[s] = NULL;
	if (!m || !opt || opt->months == 0 || opt->replications == 0 || opt->threads == 0 ||
	    opt->replications > UINT32_MAX || opt->months > MAX_MONTHS)
		return CC_EINVAL;
	scen *X = calloc(n + 1, sizeof *X);
	if (!X)
		return CC_ENOMEM;
	shared S;
	int rc = CC_OK;
	size_t built = 0;
	for (; built <= n && rc == CC_OK; built++) {
		rc = scen_init(&X[built], m, built ? scenarios[built - 1] : NULL, opt);
		X[built].is_baseline = built == 0;
	}
	if (rc != CC_OK) {
		built--; /* the failed one cleaned up after itself */
		goto cleanup_scen;
	}
	rc = shared_init(&S, m, cc_results_layout(X[0].res), opt);
	if (rc != CC_OK)
		goto cleanup_scen;

	pool P = { .S = &S, .X = X, .n_scen = n + 1, .opt = opt };
	atomic_init(&P.next, 0);
	atomic_init(&P.error, CC_OK);
	pthread_mutex_init(&P.mu, NULL);
	unsigned nthreads = opt->threads;
	if (nthreads > opt->replications)
		nthreads = (unsigned)opt->replications;
	pthread_t *tids = calloc(nthreads, sizeof *tids);
	unsigned started = 0;
	if (tids)
		for (; started < nthreads; started++)
			if (pthread_create(&tids[started], NULL, worker, &P) != 0)
				break;
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	rc = started == 0 ? CC_ENOMEM : atomic_load(&P.error);
	if (rc == CC_OK && P.done != opt->replications)
		rc = CC_ENOMEM;
	free(tids);
	pthread_mutex_destroy(&P.mu);
	shared_free(&S);
cleanup_scen:
	for (size_t s = 0; s < built; s++) {
		if (rc == CC_OK && !(s == 0 && opt->scenarios_only)) {
			out[s] = X[s].res;
			X[s].res = NULL;
		}
		scen_free(&X[s]);
	}
	free(X);
	return rc;
}

int cc_sim_run(const cc_model *m, const cc_sim_options *opt, cc_results **out)
{
	return cc_sim_run_scenarios(m, NULL, 0, opt, out);
}
