/*
 * sim.c - the stochastic cohort simulation.
 *
 * Each replication follows every child month by month from the base date.
 * In month t (ending on the t-th month end after the base date):
 *
 *   1. Events. A child in cell g (age band at the start of the month,
 *      category, time-in-care band) has total hazard H_g = sum of its exit
 *      hazards h_r and move hazards h_j (per year). With probability
 *      p_g = 1 - exp(-H_g / 12) it has one event this month; the event is
 *      exit reason r with probability h_r / H_g or a move to category j with
 *      probability h_j / H_g (competing risks with constant hazards within the
 *      month). A move starts a new placement; its provider is in-house with
 *      the category's in-house share.
 *   2. Ageing. Everyone still in care gains a month of age, of time in care
 *      and of time in placement. A child reaching 216 months (the 18th
 *      birthday) leaves with reason age18.
 *   3. Entries. For each age band, N ~ Poisson(lambda_b(t) / 12) children
 *      start to be looked after, lambda_b(t) = rate_b * max(0, 1 + trend *
 *      (t - 0.5) / 12). Age within the band, category of first placement and
 *      provider are drawn for each. They are in the month-end stock and first
 *      face the hazards in month t + 1.
 *
 * Month-end stock(t) = stock(t-1) - exits(t) + entries(t), exactly, for every
 * replication; the financial-year totals inherit that identity (asserted).
 *
 * Random numbers: one Philox block per child per month, keyed by the child's
 * identity, never by its position in the array (rng.h). Probabilities are
 * compared as 32-bit integer thresholds (floor(p * 2^32)), so a probability is
 * represented to within 2^-32.
 *
 * Before the monthly loop, a replication draws its parameters: with parameter
 * uncertainty, each rate with evidence (events e, exposure E) is drawn from
 * Gamma(e + 0.5, rate E), its own stream per parameter.
 */
#include "carecast/sim.h"

#include "carecast/rng.h"

#include <assert.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define TWO32 4294967296.0
#define CHUNK 256 /* children whose random words are made together */

typedef struct {
	uint32_t id_lo, id_hi; /* stream identity: never reused within a replication */
	uint16_t age;          /* months */
	uint16_t tic;          /* months in care (saturates) */
	uint16_t tip;          /* months in the current placement (saturates) */
	uint16_t recent;       /* bit i: a placement began i months ago, i < 12 */
	uint8_t cat, prov;
	uint16_t pad;
} child;

/* Read-only state shared by all workers. */
typedef struct {
	const cc_model *m;
	const cc_layout *l;
	size_t K, B, T, R, O, cells;
	uint8_t band_of_age[CC_AGE_MONTHS_MAX];
	uint8_t tic_of[CC_TIC_MAX_MONTHS + 1];
	unsigned tic_cap;
	uint64_t inhouse_thr[CC_MAX_LIST];
	uint64_t mix_cum[CC_MAX_LIST][CC_MAX_LIST];
	double *trend; /* [months + 1] */
	child *initial;
	size_t n_initial;
	size_t cap_hint;
	uint32_t seed;
	int uncertainty;
	volatile sig_atomic_t *cancel;
} shared;

typedef struct {
	child *kids;
	size_t cap;
	double *param;
	cc_hazards haz;
	uint32_t *thr; /* [cells] event threshold */
	uint64_t *cum; /* [cells * O] cumulative outcome thresholds */
	double *rec;
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
	S->cells = S->B * S->K * S->T;
	S->seed = opt->seed;
	S->uncertainty = opt->parameter_uncertainty && m->parameter_uncertainty;
	S->cancel = opt->cancel;
	for (unsigned a = 0; a < CC_AGE_MONTHS_MAX; a++)
		S->band_of_age[a] = (uint8_t)cc_model_age_band(m, a);
	S->tic_cap = m->tic_bands[m->n_tic_bands - 1].from_months;
	if (S->tic_cap > CC_TIC_MAX_MONTHS)
		S->tic_cap = CC_TIC_MAX_MONTHS;
	for (unsigned t = 0; t <= S->tic_cap; t++)
		S->tic_of[t] = (uint8_t)cc_model_tic_band(m, t);
	for (size_t c = 0; c < S->K; c++)
		S->inhouse_thr[c] = share_threshold(m->categories[c].in_house_share);
	for (size_t b = 0; b < S->B; b++) {
		double acc = 0;
		for (size_t c = 0; c < S->K; c++) {
			acc += m->entry_mix[b][c];
			S->mix_cum[b][c] = share_threshold(acc);
		}
		/* The last category with a positive share takes the rounding. */
		for (size_t c = S->K; c-- > 0;)
			if (m->entry_mix[b][c] > 0) {
				for (size_t k = c; k < S->K; k++)
					S->mix_cum[b][k] = (uint64_t)TWO32;
				break;
			}
	}
	S->trend = malloc((l->months + 1) * sizeof *S->trend);
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
		uint16_t recent = 0;
		if (sg->months_in_placement < 12) {
			recent = (uint16_t)(1u << sg->months_in_placement);
			/* Earlier placements in the last year, spread over the months
			 * before the current one began. */
			unsigned extra = sg->placements_12m ? sg->placements_12m - 1u : 0;
			for (unsigned k = 1; k <= extra && sg->months_in_placement + k < 12; k++)
				recent |= (uint16_t)(1u << (sg->months_in_placement + k));
		}
		for (uint32_t k = 0; k < sg->count; k++, i++) {
			S->initial[i] = (child){
				.id_lo = (uint32_t)i,
				.id_hi = 0,
				.age = sg->age_months,
				.tic = sg->months_in_care,
				.tip = sg->months_in_placement,
				.recent = recent,
				.cat = sg->category,
				.prov = sg->provider,
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

static void workspace_free(workspace *w)
{
	free(w->kids);
	free(w->param);
	cc_hazards_free(&w->haz);
	free(w->thr);
	free(w->cum);
	free(w->rec);
	if (w->stream)
		gsl_rng_free(w->stream);
	memset(w, 0, sizeof *w);
}

static int workspace_init(workspace *w, const shared *S)
{
	memset(w, 0, sizeof *w);
	w->cap = S->cap_hint;
	w->kids = malloc(w->cap * sizeof *w->kids);
	w->param = malloc((S->m->n_params ? S->m->n_params : 1) * sizeof *w->param);
	w->thr = malloc(S->cells * sizeof *w->thr);
	w->cum = malloc(S->cells * S->O * sizeof *w->cum);
	w->rec = malloc(S->l->n_points * sizeof *w->rec);
	w->stream = cc_rng_stream_alloc();
	if (!w->kids || !w->param || !w->thr || !w->cum || !w->rec || !w->stream ||
	    cc_hazards_alloc(S->m, &w->haz) != CC_OK) {
		workspace_free(w);
		return CC_ENOMEM;
	}
	return CC_OK;
}

/* Draws this replication's parameters and turns hazards into thresholds. */
static void prepare_rates(const shared *S, workspace *w, cc_rng_key key)
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
	const size_t O = S->O;
	for (size_t g = 0; g < S->cells; g++) {
		const double *h = &w->haz.hazard[g * O];
		double H = 0;
		for (size_t o = 0; o < O; o++)
			H += h[o];
		double p = -expm1(-H / 12.0);
		double thr = floor(p * TWO32);
		w->thr[g] = thr >= TWO32 ? UINT32_MAX : (uint32_t)thr;
		double acc = 0;
		size_t last = 0;
		for (size_t o = 0; o < O; o++) {
			acc += h[o];
			w->cum[g * O + o] = H > 0 ? share_threshold(acc / H) : 0;
			if (h[o] > 0)
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
	double u = cc_rng_u01(x);
	unsigned lo = 0, hi = width - 1;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (u < cdf[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return band->from_months + lo;
}

static int ensure_capacity(workspace *w, size_t need)
{
	if (need <= w->cap)
		return CC_OK;
	size_t cap = w->cap * 2 > need ? w->cap * 2 : need;
	if (cap > CC_MAX_CHILDREN * 4)
		return CC_ERANGE;
	child *k = realloc(w->kids, cap * sizeof *k);
	if (!k)
		return CC_ENOMEM;
	w->kids = k;
	w->cap = cap;
	return CC_OK;
}

static int run_replication(const shared *S, workspace *w, size_t rep, uint64_t *child_months)
{
	const cc_layout *l = S->l;
	const size_t K = S->K, B = S->B, T = S->T, R = S->R, O = S->O;
	cc_rng_key key = cc_rng_key_make(S->seed, (uint32_t)rep);
	prepare_rates(S, w, key);
	memset(w->rec, 0, l->n_points * sizeof *w->rec);
	memcpy(w->kids, S->initial, S->n_initial * sizeof *w->kids);
	size_t n = S->n_initial;
	uint64_t cm = 0;
	double *rec = w->rec;

	for (size_t f = 0; f < l->n_fy; f++)
		if (l->fy[f].first_month == 1)
			rec[l->fy_cla_start + f] = (double)n;

	uint32_t u_event[CHUNK], u_choice[CHUNK], u_prov[CHUNK], id_lo[CHUNK], id_hi[CHUNK];
	for (size_t t = 1; t <= l->months; t++) {
		if (S->cancel && *S->cancel)
			return CC_EINTR;
		size_t cat_count[CC_MAX_LIST] = { 0 };
		size_t band_count[CC_MAX_LIST] = { 0 };
		size_t prov_count[CC_NPROVIDERS] = { 0 };
		size_t exits[CC_MAX_LIST + 1] = { 0 };
		size_t moves = 0;
		cm += n;

		/* Random words for a chunk of children are made in a loop of their
		 * own (independent iterations the compiler can vectorise), then used. */
		size_t out = 0;
		child *kids = w->kids;
		const uint32_t ctr2 =
		    ((uint32_t)CC_RNG_CHILD_MONTH << 24) | ((uint32_t)t & 0xFFFFFFu);
		for (size_t base = 0; base < n; base += CHUNK) {
			const size_t len = n - base < CHUNK ? n - base : CHUNK;
			for (size_t i = 0; i < len; i++) {
				id_lo[i] = kids[base + i].id_lo;
				id_hi[i] = kids[base + i].id_hi;
			}
			for (size_t i = 0; i < len; i++) {
				philox4x32_ctr_t ctr = { { id_lo[i], id_hi[i], ctr2, 0 } };
				philox4x32_ctr_t r = philox4x32(ctr, key.key);
				u_event[i] = r.v[0];
				u_choice[i] = r.v[1];
				u_prov[i] = r.v[2];
			}
			for (size_t i = 0; i < len; i++) {
				child c = kids[base + i];
				unsigned tic = c.tic < S->tic_cap ? c.tic : S->tic_cap;
				size_t g = ((size_t)S->band_of_age[c.age] * K + c.cat) * T +
				           S->tic_of[tic];
				int moved = 0;
				if (u_event[i] < w->thr[g]) {
					const uint64_t *cum = &w->cum[g * O];
					size_t o = 0;
					while (o + 1 < O && (uint64_t)u_choice[i] >= cum[o])
						o++;
					if (o < R) {
						exits[o]++;
						continue;
					}
					c.cat = (uint8_t)(o - R);
					c.prov = (uint64_t)u_prov[i] < S->inhouse_thr[c.cat]
					             ? CC_IN_HOUSE
					             : CC_EXTERNAL;
					c.tip = 0;
					moved = 1;
					moves++;
				}
				c.age++;
				if (c.age >= CC_AGE_MONTHS_MAX) {
					exits[R]++;
					continue;
				}
				if (c.tic < UINT16_MAX)
					c.tic++;
				if (!moved && c.tip < UINT16_MAX)
					c.tip++;
				c.recent = (uint16_t)(((unsigned)c.recent << 1 | (unsigned)moved) &
				                      0xFFFu);
				cat_count[c.cat]++;
				band_count[S->band_of_age[c.age]]++;
				prov_count[c.prov]++;
				kids[out++] = c;
			}
		}
		n = out;

		/* Entries. */
		size_t entries = 0;
		for (size_t b = 0; b < B; b++) {
			double mu = w->param[b] * S->trend[t] / 12.0;
			if (!(mu > 0))
				continue;
			cc_rng_stream_reset(w->stream, key, CC_RNG_ENTRY_COUNT, (uint32_t)t,
			                    (uint32_t)b, 0);
			unsigned k = gsl_ran_poisson(w->stream, mu);
			int rc = ensure_capacity(w, n + k);
			if (rc != CC_OK)
				return rc;
			kids = w->kids;
			uint32_t entry_hi = 0x80000000u | ((uint32_t)t << 8) | (uint32_t)b;
			for (unsigned j = 0; j < k; j++) {
				philox4x32_ctr_t r =
				    cc_rng_block(key, CC_RNG_ENTRY_CHILD, 0, j, entry_hi);
				child c = { .id_lo = j, .id_hi = entry_hi, .recent = 1 };
				c.age = (uint16_t)entry_age(S, b, r.v[0]);
				size_t cat = 0;
				while (cat + 1 < K && (uint64_t)r.v[1] >= S->mix_cum[b][cat])
					cat++;
				c.cat = (uint8_t)cat;
				c.prov = (uint64_t)r.v[2] < S->inhouse_thr[cat] ? CC_IN_HOUSE
				                                                : CC_EXTERNAL;
				cat_count[c.cat]++;
				band_count[S->band_of_age[c.age]]++;
				prov_count[c.prov]++;
				kids[n++] = c;
			}
			entries += k;
		}

		/* Month-end record. */
		rec[cc_layout_month(l, l->cla_total, t)] = (double)n;
		for (size_t c = 0; c < K; c++)
			rec[cc_layout_month(l, l->by_category + c * l->months, t)] =
			    (double)cat_count[c];
		for (size_t b = 0; b < B; b++)
			rec[cc_layout_month(l, l->by_age_band + b * l->months, t)] =
			    (double)band_count[b];
		for (size_t p = 0; p < CC_NPROVIDERS; p++)
			rec[cc_layout_month(l, l->by_provider + p * l->months, t)] =
			    (double)prov_count[p];
		size_t f = l->fy_of_month[t];
		if (f != SIZE_MAX) {
			size_t nexits = 0;
			for (size_t o = 0; o <= R; o++) {
				rec[l->fy_exits_by_reason + o * l->n_fy + f] += (double)exits[o];
				nexits += exits[o];
			}
			rec[l->fy_exits + f] += (double)nexits;
			rec[l->fy_entries + f] += (double)entries;
			rec[l->fy_moves + f] += (double)moves;
			if (l->fy[f].last_month == t) {
				rec[l->fy_cla_31_march + f] = (double)n;
				assert(rec[l->fy_cla_31_march + f] == rec[l->fy_cla_start + f] +
				                                          rec[l->fy_entries + f] -
				                                          rec[l->fy_exits + f]);
			}
		}
		/* Years are contiguous from month 1, so a year starting next month
		 * follows the one this month belongs to. */
		if (f != SIZE_MAX && f + 1 < l->n_fy && l->fy[f + 1].first_month == t + 1)
			rec[l->fy_cla_start + f + 1] = (double)n;
	}
	*child_months = cm;
	return CC_OK;
}

/* ---- thread pool -------------------------------------------------------- */

typedef struct {
	const shared *S;
	cc_results *res;
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
	int rc = workspace_init(&w, P->S);
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
		uint64_t cm = 0;
		rc = run_replication(P->S, &w, rep, &cm);
		if (rc != CC_OK) {
			int expected = CC_OK;
			atomic_compare_exchange_strong(&P->error, &expected, rc);
			break;
		}
		cc_results_store(P->res, rep, w.rec);
		cc_results_add_child_months(P->res, cm);
		pthread_mutex_lock(&P->mu);
		P->done++;
		if (P->opt->progress)
			P->opt->progress(P->done, P->opt->replications, P->opt->progress_arg);
		pthread_mutex_unlock(&P->mu);
	}
	workspace_free(&w);
	return NULL;
}

int cc_sim_run(const cc_model *m, const cc_sim_options *opt, cc_results **out)
{
	*out = NULL;
	if (!m || !opt || opt->months == 0 || opt->replications == 0 || opt->threads == 0 ||
	    opt->replications > UINT32_MAX || opt->months > 0x7FFFFF)
		return CC_EINVAL;
	cc_results *res = cc_results_alloc(m, opt->months, opt->replications);
	if (!res)
		return CC_ENOMEM;
	shared S;
	int rc = shared_init(&S, m, cc_results_layout(res), opt);
	if (rc != CC_OK) {
		cc_results_free(res);
		return rc;
	}
	pool P = { .S = &S, .res = res, .opt = opt };
	atomic_init(&P.next, 0);
	atomic_init(&P.error, CC_OK);
	pthread_mutex_init(&P.mu, NULL);

	unsigned nthreads = opt->threads;
	if (nthreads > opt->replications)
		nthreads = (unsigned)opt->replications;
	pthread_t *tids = calloc(nthreads, sizeof *tids);
	if (!tids) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	unsigned started = 0;
	for (; started < nthreads; started++)
		if (pthread_create(&tids[started], NULL, worker, &P) != 0)
			break;
	if (started == 0) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	rc = atomic_load(&P.error);
	if (rc == CC_OK && P.done != opt->replications)
		rc = CC_ENOMEM;
cleanup:
	free(tids);
	pthread_mutex_destroy(&P.mu);
	shared_free(&S);
	if (rc != CC_OK) {
		cc_results_free(res);
		return rc;
	}
	*out = res;
	return CC_OK;
}
