/*
 * fit.c - a carecast model from DfE's published margins (the method is in
 * docs/model.md, "Calibrating from DfE published statistics").
 *
 * With Y the base year and W the window (years ending 31 March Y-W+1..Y):
 *
 *   entries_b     = mean over the window of the published starts at age
 *                   band b (or the level of a fitted line at the base date,
 *                   or a rate per 10,000 children x the base population);
 *   E[r][b]       = ceases by reason x age band over the window: the two
 *                   published margins crossed by iterative proportional
 *                   fitting from assumed age profiles of each reason; the
 *                   "18 years and over" column is dropped (the engine ends
 *                   every period of care at the 18th birthday), and so is
 *                   "remained with current carers" (all 18 and over);
 *   X[b][c][t]    = child-years at risk over the window: the average stock
 *                   of each year ((31 March y-1 + 31 March y) / 2) by age
 *                   band and by category, spread over time in care (and the
 *                   age x category association) by the model's own steady
 *                   state raked to those margins;
 *   h[r][b][c][t] = k[r][b] w[r][b][c][t], w the national structure and
 *                   k[r][b] = E[r][b] / sum_{c,t} w X  (so the model
 *                   reproduces the exits by reason and band exactly);
 *
 * iterated a few times, because the steady state depends on the hazards.
 * The entry mix by category is scaled, category by category (and the
 * fostering -> adoption moves for adoption), until the steady state's
 * category shares are the window's. The starting population is the steady
 * state raked to the published stock at 31 March Y by age band and by
 * category and rounded so both margins are exact.
 *
 * Evidence. The engine draws each rate per replication from Gamma(events +
 * 0.5, exposure). The fit chooses each rate's effective events n and writes
 * events = n - 0.5, exposure = n / rate, so the draws are centred on the
 * fitted rate with coefficient of variation 1/sqrt(n). n for the total of
 * entries (and of exits under 18) combines how well the window pins the
 * level (Poisson and year-to-year variation, var / W) with how far next
 * years' level may stray from it (the year-to-year variation itself),
 * estimated from the window's years and shrunk towards a prior (the method
 * constants below, the same for every authority); the total's n is then
 * shared among the rows so that their independent draws add up to it.
 */
#include "carecast/fileio.h"
#include "dfe_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Method constants (docs/model.md explains them and how they were chosen
 * on the backtests; they are the same for every authority). */
/* Year-to-year variance of a year's count m beyond Poisson, before seeing
 * the window: PRIOR_PHI m (local dispersion) + (PRIOR_CV m)^2 (a shock
 * common to the whole area), worth PRIOR_DF years of data. */
#define PRIOR_PHI 2.0
#define PRIOR_CV 0.055
#define PRIOR_DF 3.0
/* Years of that variation the drawn level carries for the future, beyond
 * the uncertainty of the window's estimate (0: none; 1 gave 90% ranges
 * holding 97.5% of the backtests' outcomes, docs/model.md). */
#define DRIFT_YEARS 0.0
/* No rate is written with fewer effective events (its point estimate is
 * then within 0.5 / N_MIN of the fitted rate). */
#define N_MIN 10.0
/* Equilibrium shrinkage: how far, relatively, an area's flows genuinely
 * settle from its present stock (see shrink_equilibrium). */
#define TAU_EQ 0.05
/* Momentum: the share of the stock's recent growth rate (its log-slope over
 * the window) the anchor of that shrinkage carries for the stock's
 * relaxation time (see shrink_equilibrium); 0 anchors at the stock at the
 * base date. */
#define MOMENTUM 1.0
#define ITERATIONS 8
#define MAX_HAZARD 100.0
#define MAX_ENTRIES 1e7
#define MAX_TREND 0.5

void cc_dfe_fit_opts_default(cc_dfe_fit_opts *o)
{
	memset(o, 0, sizeof *o);
	o->window_years = 3;
	o->dispersion = 1;
	o->shrinkage = 1;
}

void cc_dfe_fit_free(cc_dfe_fit *f)
{
	if (!f)
		return;
	free(f->name);
	free(f->description);
	free(f->source);
	free(f->exits);
	free(f->moves);
	free(f->start);
	for (size_t i = 0; i < f->n_notes; i++)
		free(f->notes[i]);
	free(f);
}

const cc_dfe_fit_summary *cc_dfe_fit_get_summary(const cc_dfe_fit *f) { return &f->summary; }
size_t cc_dfe_fit_nnotes(const cc_dfe_fit *f) { return f->n_notes; }
const char *cc_dfe_fit_note(const cc_dfe_fit *f, size_t i) { return f->notes[i]; }

static void note(cc_dfe_fit *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(cc_dfe_fit *f, const char *fmt, ...)
{
	if (f->n_notes == DFE_MAX_NOTES)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	size_t n = strlen(buf) + 1;
	char *p = malloc(n);
	if (!p)
		return;
	memcpy(p, buf, n);
	f->notes[f->n_notes++] = p;
}

/* ---- the age x reason cross of ceases ----------------------------------------- */

/* Crosses ceases by published reason (rows) with ceases by age (columns:
 * under 1, 1-4, 5-9, 10-15, 16-17, 18+) by IPF from the assumed profiles;
 * the column margins come out exact. */
static void cease_cross(const double reasons[NREASON17], const double ages[NB + 1],
                        double cross[NREASON17][NB + 1])
{
	double rt = 0, at = 0;
	for (size_t i = 0; i < NREASON17; i++)
		rt += reasons[i];
	for (size_t j = 0; j <= NB; j++)
		at += ages[j];
	for (size_t i = 0; i < NREASON17; i++)
		for (size_t j = 0; j <= NB; j++)
			cross[i][j] =
			    dfe_reasons17[i].profile[j] * (rt > 0 ? reasons[i] / rt : 1.0);
	for (int it = 0; it < 500; it++) {
		for (size_t i = 0; i < NREASON17 && rt > 0; i++) {
			double s = 0;
			for (size_t j = 0; j <= NB; j++)
				s += cross[i][j];
			double target = reasons[i] * at / rt;
			for (size_t j = 0; j <= NB; j++)
				cross[i][j] = s > 0 ? cross[i][j] * target / s : 0;
		}
		double worst = 0;
		for (size_t j = 0; j <= NB; j++) {
			double s = 0;
			for (size_t i = 0; i < NREASON17; i++)
				s += cross[i][j];
			if (s > 0) {
				for (size_t i = 0; i < NREASON17; i++)
					cross[i][j] *= ages[j] / s;
				double dv = fabs(s - ages[j]) / (ages[j] > 1 ? ages[j] : 1);
				worst = dv > worst ? dv : worst;
			} else if (ages[j] > 0) {
				/* No reason's profile reaches this age: spread it over
				 * the reasons in proportion to their totals. */
				for (size_t i = 0; i < NREASON17; i++)
					cross[i][j] =
					    ages[j] * (rt > 0 ? reasons[i] / rt : 1.0 / NREASON17);
			}
		}
		if (worst < 1e-12)
			break;
	}
}

/* ---- hazards -------------------------------------------------------------------- */

/* w[r][b][c][t] from the national exit rows. */
static void exit_structure(double w[NR][NB][NC][NT])
{
	memset(w, 0, sizeof(double) * NR * NB * NC * NT);
	for (size_t i = 0; i < dfe_n_exit_rows; i++) {
		const dfe_exit_row *e = &dfe_exit_rows[i];
		for (size_t b = 0; b < NB; b++)
			for (size_t c = 0; c < NC; c++)
				for (size_t t = 0; t < NT; t++)
					if ((e->bands >> b & 1) && (e->cats >> c & 1) &&
					    (e->tics >> t & 1))
						w[e->reason][b][c][t] = e->rate;
	}
}

typedef struct {
	/* inputs */
	double entries[NB];
	double band_target[NB], cat_target[NC]; /* average stock over the window */
	double years;                           /* years with ceases */
	double E[NR][NB];                       /* under-18 ceases over the window */
	double w[NR][NB][NC][NT];
	int fallback[NR][NB]; /* no cell of the structure has exposure: all cells */
	size_t n_moves;
	dfe_row *moves; /* rates in `mean` */
	/* state */
	double rho; /* leaving at 18 a year / 16-17s at the start of the year, or NaN */
	double k[NR][NB];
	double q17; /* share of 16-17 entrants aged 17 */
	double mix_factor[NC], adoption_factor;
	double mix[NB][NC];
	double X[NB][NC][NT]; /* child-years at risk over the window */
	dfe_hazards h;
	dfe_month_step steps[NB][NT];
	dfe_steady ss;
	double x[NA][NC][MIC_CAP + 1];
} calib;

static void build_hazards(calib *C)
{
	dfe_hazards *h = &C->h;
	memset(h, 0, sizeof *h);
	for (size_t r = 0; r < NR; r++)
		for (size_t b = 0; b < NB; b++)
			for (size_t c = 0; c < NC; c++)
				for (size_t t = 0; t < NT; t++)
					h->exit[r][b][c][t] =
					    C->k[r][b] *
					    (C->fallback[r][b] ? 1.0 : C->w[r][b][c][t]);
	for (size_t i = 0; i < C->n_moves; i++) {
		const dfe_row *m = &C->moves[i];
		double f = (m->from == C_FOSTERING && m->to == C_ADOPTION) ? C->adoption_factor : 1;
		for (size_t b = 0; b < NB; b++)
			for (size_t t = 0; t < NT; t++)
				if ((m->bands >> b & 1) && (m->tics >> t & 1))
					h->move[m->from][m->to][b][t] = m->mean * f;
	}
	for (size_t b = 0; b < NB; b++) {
		double s = 0;
		for (size_t c = 0; c < NC; c++)
			s += dfe_entry_mix[b][c] * C->mix_factor[c];
		for (size_t c = 0; c < NC; c++)
			C->mix[b][c] = s > 0 ? dfe_entry_mix[b][c] * C->mix_factor[c] / s
			                     : dfe_entry_mix[b][c];
	}
}

static void calibrate(calib *C)
{
	for (size_t r = 0; r < NR; r++)
		for (size_t b = 0; b < NB; b++)
			C->k[r][b] = 1;
	for (size_t c = 0; c < NC; c++)
		C->mix_factor[c] = 1;
	C->adoption_factor = 1;
	double ct = 0;
	for (size_t c = 0; c < NC; c++)
		ct += C->cat_target[c];
	C->q17 = 0.4;
	for (int it = 0; it < ITERATIONS; it++) {
		build_hazards(C);
		if (isfinite(C->rho) && C->entries[NB - 1] > 0) {
			/* The 16/17 split of entrants so that the steady state ages out
			 * the published share of its 16-17s each year (bisection: more
			 * entrants at 17 age out sooner). */
			double lo = 0.0, hi = 1.0;
			dfe_month_steps(&C->h, C->steps);
			for (int k = 0; k < 11; k++) {
				double q = (lo + hi) / 2;
				dfe_steady_from_steps(C->entries, (const double(*)[NC])C->mix, q,
				                      (const dfe_month_step(*)[NT])C->steps,
				                      &C->ss);
				double s16 = 0;
				for (size_t c = 0; c < NC; c++)
					for (size_t t = 0; t < NT; t++)
						s16 += C->ss.stock_cell[NB - 1][c][t];
				double rho = s16 > 0 ? C->ss.age18_per_year / s16 : 0;
				if (rho < C->rho)
					lo = q;
				else
					hi = q;
			}
			C->q17 = (lo + hi) / 2;
		}
		dfe_steady_state(C->entries, (const double(*)[NC])C->mix, C->q17, &C->h, &C->ss);
		/* Category levers: the steady state's shares towards the window's. */
		double sc[NC] = { 0 }, st = 0;
		for (size_t b = 0; b < NB; b++)
			for (size_t c = 0; c < NC; c++)
				for (size_t t = 0; t < NT; t++)
					sc[c] += C->ss.stock_cell[b][c][t];
		for (size_t c = 0; c < NC; c++)
			st += sc[c];
		if (st > 0 && ct > 0)
			for (size_t c = 0; c < NC; c++) {
				double target = C->cat_target[c] / ct, now = sc[c] / st;
				double g = now > 0 ? pow(target > 0 ? target / now : 0.01, 0.7) : 1;
				g = g < 0.2 ? 0.2 : g > 5 ? 5 : g;
				if (c == C_ADOPTION) {
					C->adoption_factor *= g;
					if (C->adoption_factor > 100)
						C->adoption_factor = 100;
					if (C->adoption_factor < 0.01)
						C->adoption_factor = 0.01;
				} else {
					C->mix_factor[c] *= g;
					if (C->mix_factor[c] > 100)
						C->mix_factor[c] = 100;
					if (C->mix_factor[c] < 0.001)
						C->mix_factor[c] = 0.001;
				}
			}
		/* Exposure: the steady state raked to the window's average stock. */
		memcpy(C->x, C->ss.stock, sizeof C->x);
		dfe_rake(C->x, C->band_target, C->cat_target);
		double cell[NB][NC][NT];
		memset(cell, 0, sizeof cell);
		for (unsigned a = 0; a < NA; a++)
			for (size_t c = 0; c < NC; c++)
				for (unsigned m = 0; m <= MIC_CAP; m++)
					cell[dfe_band_of_age(a)][c][dfe_tic_of(m)] += C->x[a][c][m];
		for (size_t b = 0; b < NB; b++)
			for (size_t c = 0; c < NC; c++)
				for (size_t t = 0; t < NT; t++) {
					double s = C->ss.stock_cell[b][c][t];
					double f = s > 0 ? C->ss.at_risk[b][c][t] / s : 1;
					C->X[b][c][t] = cell[b][c][t] * f * C->years;
				}
		for (size_t r = 0; r < NR; r++)
			for (size_t b = 0; b < NB; b++) {
				double den = 0, all = 0;
				for (size_t c = 0; c < NC; c++)
					for (size_t t = 0; t < NT; t++) {
						den += C->w[r][b][c][t] * C->X[b][c][t];
						all += C->X[b][c][t];
					}
				C->fallback[r][b] = C->E[r][b] > 0 && !(den > 0) && all > 0;
				if (C->fallback[r][b])
					den = all;
				double k = den > 0 ? C->E[r][b] / den : 0;
				double wmax = 0;
				for (size_t c = 0; c < NC; c++)
					for (size_t t = 0; t < NT; t++)
						if (C->w[r][b][c][t] > wmax)
							wmax = C->w[r][b][c][t];
				if (C->fallback[r][b])
					wmax = 1;
				if (wmax > 0 && k * wmax > MAX_HAZARD)
					k = MAX_HAZARD / wmax;
				C->k[r][b] = k;
			}
	}
	build_hazards(C);
	dfe_steady_state(C->entries, (const double(*)[NC])C->mix, C->q17, &C->h, &C->ss);
}

/* ---- evidence --------------------------------------------------------------------- */

/* Writes a fitted rate with n effective events (see the top of the file). */
static void set_evidence(dfe_row *r, double mean, double n)
{
	r->mean = mean;
	if (!(mean > 0)) {
		r->mean = r->rate = r->events = r->exposure = 0;
		r->has_evidence = 0;
		return;
	}
	if (!(n >= 1))
		n = 1;
	if (n > 1e9)
		n = 1e9;
	r->events = n - 0.5;
	r->exposure = n / mean;
	r->rate = r->events / r->exposure;
	r->has_evidence = 1;
}

/* The window's estimate of the variance of yearly counts x[i] beyond their
 * Poisson variances pv[i], about their mean (df_lost 1) or a line (2); NaN
 * with too few years. */
static double data_extra_var(const double *x, const double *pv, const double *t, size_t n,
                             int df_lost)
{
	if (n <= (size_t)df_lost || n > 64)
		return NAN;
	double m = 0, tm = 0;
	for (size_t i = 0; i < n; i++) {
		m += x[i] / (double)n;
		tm += t[i] / (double)n;
	}
	double beta = 0;
	if (df_lost == 2) {
		double sxy = 0, sxx = 0;
		for (size_t i = 0; i < n; i++) {
			sxy += (t[i] - tm) * (x[i] - m);
			sxx += (t[i] - tm) * (t[i] - tm);
		}
		beta = sxx > 0 ? sxy / sxx : 0;
	}
	double ss = 0, p = 0;
	for (size_t i = 0; i < n; i++) {
		double r = x[i] - (m + beta * (t[i] - tm));
		ss += r * r;
		p += pv[i] / (double)n;
	}
	double v = ss / (double)(n - (size_t)df_lost) - p;
	return v > 0 ? v : 0;
}

/* The variance beyond Poisson used for a yearly count of mean m: the prior
 * and the window's estimate (df degrees of freedom) pooled. */
static double extra_var(double m, double data, double df)
{
	double prior = PRIOR_PHI * m + PRIOR_CV * PRIOR_CV * m * m;
	if (!isfinite(data) || df <= 0)
		return prior;
	return (PRIOR_DF * prior + df * data) / (PRIOR_DF + df);
}

/* The variance of the level a replication draws for a flow of m a year
 * estimated from n years: how well the window pins it, (m + tau2) / n,
 * plus DRIFT_YEARS of year-to-year variation tau2. */
static double level_var(double m, double tau2, double n)
{
	return (m + tau2) / n + DRIFT_YEARS * tau2;
}

/* Effective events for rows with expected window counts e[0..n): all the
 * same, so that their independent draws give the sum a relative variance
 * rv, but never fewer than N_MIN. With rv <= 0 (Poisson evidence) each row
 * gets its own count. Returns the relative variance of the sum carried. */
static double allocate(const double *e, size_t n, double rv, double *out)
{
	double s = 0, s2 = 0;
	for (size_t i = 0; i < n; i++) {
		s += e[i];
		s2 += e[i] * e[i];
	}
	if (!(s > 0)) {
		for (size_t i = 0; i < n; i++)
			out[i] = N_MIN;
		return 0;
	}
	if (!(rv > 0)) {
		double carried = 0;
		for (size_t i = 0; i < n; i++) {
			out[i] = e[i] > N_MIN ? e[i] : N_MIN;
			carried += e[i] * e[i] / out[i];
		}
		return carried / (s * s);
	}
	double q = s2 / (s * s), nn = q / rv;
	if (nn < N_MIN)
		nn = N_MIN;
	for (size_t i = 0; i < n; i++)
		out[i] = nn;
	return q / nn;
}

/* ---- helpers ------------------------------------------------------------------------ */

static double population_of(const cc_dfe *d, const size_t *areas, size_t n, int year)
{
	double s = 0;
	for (size_t k = 0; k < n; k++) {
		const dfe_area *a = &d->areas[areas[k]];
		double v = NAN;
		for (size_t i = 0; i < a->n_pop; i++)
			if (a->pop_year[i] == year)
				v = a->pop[i];
		if (!isfinite(v))
			return NAN;
		s += v;
	}
	return s;
}

static int check_areas(const cc_dfe *d, const size_t *areas, size_t n, cc_diags *diags)
{
	for (size_t i = 0; i < n; i++) {
		const dfe_area *a = &d->areas[areas[i]];
		for (size_t j = 0; j < n; j++) {
			if (i == j)
				continue;
			const dfe_area *b = &d->areas[areas[j]];
			const char *why = NULL;
			if (j > i && areas[i] == areas[j])
				why = "is named twice";
			else if (a->level == CC_DFE_NATIONAL)
				why = "(England) already holds every other area";
			else if (a->level == CC_DFE_REGION && b->level == CC_DFE_LA && b->region &&
			         strcmp(b->region, a->name) == 0)
				why = "already holds the local authority named with it";
			if (why) {
				cc_diags_add(
				    diags, CC_DIAG_ERROR, NULL, 0, 0,
				    "\"%s\" %s (\"%s\"): pooled areas must not overlap, or "
				    "their children would be counted twice",
				    a->name, why, b->name);
				return CC_EINVAL;
			}
		}
	}
	return CC_OK;
}

/* The area names joined with " + ". */
static char *names_of(const cc_dfe *d, const size_t *areas, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(d->areas[areas[i]].name) + 3;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, " + ");
		strcat(s, d->areas[areas[i]].name);
	}
	return s;
}

/* Least-squares slope of y on t. */
static double slope(const double *t, const double *y, size_t n)
{
	if (n < 2)
		return 0;
	double tm = 0, ym = 0, sxy = 0, sxx = 0;
	for (size_t i = 0; i < n; i++) {
		tm += t[i];
		ym += y[i];
	}
	tm /= (double)n;
	ym /= (double)n;
	for (size_t i = 0; i < n; i++) {
		sxy += (t[i] - tm) * (y[i] - ym);
		sxx += (t[i] - tm) * (t[i] - tm);
	}
	return sxx > 0 ? sxy / sxx : 0;
}

/* ---- the fit ---------------------------------------------------------------------- */

typedef struct {
	const cc_dfe *d;
	const size_t *areas;
	size_t n;
	const cc_dfe_fit_opts *o;
	cc_dfe_fit *f;
	cc_diags *diags;
	int Y;
	unsigned W;
	dfe_pooled *P; /* years Y - W .. Y: P[i] is year Y - W + i */
	calib *C;
	double base_band[NB], base_cat[NC], base_total;
	double entries_var, entries_years; /* the entry level's variance, years of starts */
	double entries_data_var;           /* the window's own estimate of tau^2 (NaN) */
	double exits_shortfall;            /* exit variance the rows could not carry */
} fitter;

static const dfe_pooled *pooled(const fitter *F, int year)
{
	int i = year - (F->Y - (int)F->W);
	return i >= 0 && i <= (int)F->W ? &F->P[i] : NULL;
}

/* Entries: rates at the base date by band, trend, and the effective events
 * of the total. */
static int fit_entries(fitter *F)
{
	cc_dfe_fit *f = F->f;
	const cc_dfe_fit_opts *o = F->o;
	double N[64][NB], tot[64], t[64], pv[64], popv[64];
	size_t n = 0;
	char missing[256] = "";
	size_t ml = 0;
	for (int y = F->Y - (int)F->W + 1; y <= F->Y; y++) {
		const dfe_pooled *p = pooled(F, y);
		double pop =
		    o->entries_follow_population ? population_of(F->d, F->areas, F->n, y) : 1;
		if (!p || !p->usable[G_START_AGE] || !isfinite(pop)) {
			int w =
			    snprintf(missing + ml, sizeof missing - ml, "%s%d", ml ? ", " : "", y);
			if (w > 0 && (size_t)w < sizeof missing - ml)
				ml += (size_t)w;
			continue;
		}
		tot[n] = 0;
		for (size_t b = 0; b < NB; b++) {
			N[n][b] = p->v[SL_START_AGE + b];
			tot[n] += N[n][b];
		}
		t[n] = (double)y - 0.5; /* the middle of the year, in years */
		popv[n] = pop;
		n++;
	}
	if (n == 0) {
		cc_diags_add(F->diags, CC_DIAG_ERROR, F->d->files[TB_START], 0, 0,
		             "expected children who started to be looked after (cla_group \"Age "
		             "on starting\") for %s in the years ending 31 March %d to %d%s, found "
		             "none",
		             f->name, F->Y - (int)F->W + 1, F->Y,
		             o->entries_follow_population ? " with a population" : "");
		return CC_EINVAL;
	}
	if (ml)
		note(f,
		     "starts: no usable figures for %s (years ending 31 March); the window's "
		     "other %zu year%s used",
		     missing, n, n == 1 ? "" : "s");
	double mean_b[NB] = { 0 }, mean_tot = 0;
	for (size_t i = 0; i < n; i++) {
		double s = o->entries_follow_population ? 1.0 / popv[i] : 1;
		for (size_t b = 0; b < NB; b++)
			mean_b[b] += N[i][b] * s / (double)n;
		mean_tot += tot[i] / (double)n;
	}
	f->summary.entries_per_year = mean_tot;
	f->summary.years_entries = n;
	/* Level at the base date and trend. */
	double level = 1, trend = 0;
	double base_pop = 1;
	if (o->entries_follow_population) {
		base_pop = population_of(F->d, F->areas, F->n, F->Y);
		for (int y = F->Y; !isfinite(base_pop) && y > F->Y - 50; y--)
			base_pop = population_of(F->d, F->areas, F->n, y);
		double pt[64], py[64];
		size_t pn = 0;
		for (int y = F->Y - (int)F->W + 1; y <= F->Y && pn < 64; y++) {
			double v = population_of(F->d, F->areas, F->n, y);
			if (isfinite(v)) {
				pt[pn] = y;
				py[pn++] = v;
			}
		}
		trend += base_pop > 0 ? slope(pt, py, pn) / base_pop : 0;
	}
	double series[64];
	for (size_t i = 0; i < n; i++)
		series[i] = o->entries_follow_population ? tot[i] / popv[i] : tot[i];
	double smean = 0;
	for (size_t i = 0; i < n; i++)
		smean += series[i] / (double)n;
	if (o->entry_trend && n >= 2 && smean > 0) {
		double beta = slope(t, series, n), tm = 0;
		for (size_t i = 0; i < n; i++)
			tm += t[i] / (double)n;
		double at_base = smean + beta * ((double)F->Y - tm);
		if (at_base < 0.1 * smean)
			at_base = 0.1 * smean;
		level = at_base / smean;
		trend += beta / at_base;
	} else if (o->entry_trend) {
		note(f, "entries: a trend needs starts in two years of the window or more; none "
		        "fitted");
	}
	if (trend > MAX_TREND || trend < -MAX_TREND) {
		note(f, "entries: trend of %+.3f a year limited to %+.2f", trend,
		     trend > 0 ? MAX_TREND : -MAX_TREND);
		trend = trend > 0 ? MAX_TREND : -MAX_TREND;
	}
	f->trend = trend;
	f->summary.entry_trend_per_year = trend;
	double rate[NB], total = 0;
	for (size_t b = 0; b < NB; b++) {
		rate[b] = mean_b[b] * level * (o->entries_follow_population ? base_pop : 1);
		if (!isfinite(rate[b]) || rate[b] < 0)
			rate[b] = 0;
		total += rate[b];
	}
	if (total > MAX_ENTRIES) {
		cc_diags_add(F->diags, CC_DIAG_ERROR, F->d->files[TB_START], 0, 0,
		             "expected at most %.0f children starting to be looked after a year, "
		             "found %.6g for %s",
		             MAX_ENTRIES, total, f->name);
		return CC_EINVAL;
	}
	/* The level's variance (children a year, squared); the effective events
	 * are set once the exits have taken their share (set_entry_evidence). */
	double counts[64];
	for (size_t i = 0; i < n; i++) {
		counts[i] = series[i] * (smean > 0 ? mean_tot / smean : 0);
		pv[i] = counts[i];
	}
	int lost = o->entry_trend ? 2 : 1;
	double data = data_extra_var(counts, pv, t, n, lost);
	double tau2 = extra_var(total, data, (double)n - lost);
	F->entries_data_var = data;
	f->summary.entries_cv_data = isfinite(data) && mean_tot > 0 ? sqrt(data) / mean_tot : NAN;
	f->summary.entries_cv_used = o->dispersion && total > 0 ? sqrt(tau2) / total : 0;
	F->entries_var = o->dispersion ? level_var(total, tau2, (double)n) : total / (double)n;
	F->entries_years = (double)n;
	for (size_t b = 0; b < NB; b++) {
		F->C->entries[b] = rate[b];
		f->summary.entry_rate[b] = rate[b];
		f->entry[b].mean = rate[b];
	}
	return CC_OK;
}

static void set_entry_evidence(fitter *F)
{
	cc_dfe_fit *f = F->f;
	double e[NB], nb[NB], total = 0;
	for (size_t b = 0; b < NB; b++) {
		e[b] = f->entry[b].mean * F->entries_years;
		total += f->entry[b].mean;
	}
	double rv = F->o->dispersion && total > 0
	                ? (F->entries_var + F->exits_shortfall) / (total * total)
	                : 0;
	double carried = allocate(e, NB, rv, nb);
	f->summary.entries_effective_events = carried > 0 ? 1 / carried : 0;
	for (size_t b = 0; b < NB; b++)
		set_evidence(&f->entry[b], f->entry[b].mean, nb[b]);
}

/* Exits: ceases crossed by reason and age, and the window's average stock. */
static int fit_exit_inputs(fitter *F, double *xs, double *as, size_t *nx)
{
	cc_dfe_fit *f = F->f;
	calib *C = F->C;
	double reasons[NREASON17] = { 0 }, ages[NB + 1] = { 0 };
	double band_sum[NB] = { 0 }, cat_sum[NC] = { 0 };
	size_t n = 0, n_cat = 0, n_reason = 0;
	double ceased18 = 0, under18 = 0, rho_num = 0, rho_den = 0;
	char missing[256] = "";
	size_t ml = 0;
	for (int y = F->Y - (int)F->W + 1; y <= F->Y; y++) {
		const dfe_pooled *p = pooled(F, y), *q = pooled(F, y - 1);
		int s_now = p && p->usable[G_STOCK_AGE], s_prev = q && q->usable[G_STOCK_AGE];
		if (!p || !p->usable[G_CEASE_AGE] || (!s_now && !s_prev)) {
			int w =
			    snprintf(missing + ml, sizeof missing - ml, "%s%d", ml ? ", " : "", y);
			if (w > 0 && (size_t)w < sizeof missing - ml)
				ml += (size_t)w;
			continue;
		}
		/* Average stock by band (and by category when published). */
		double A = 0;
		for (size_t b = 0; b < NB; b++) {
			double a = s_now && s_prev
			               ? (p->v[SL_STOCK_AGE + b] + q->v[SL_STOCK_AGE + b]) / 2
			           : s_now ? p->v[SL_STOCK_AGE + b]
			                   : q->v[SL_STOCK_AGE + b];
			band_sum[b] += a;
			A += a;
		}
		int c_now = p && p->usable[G_STOCK_PL], c_prev = q && q->usable[G_STOCK_PL];
		if (c_now || c_prev) {
			double cn[NC], cp[NC];
			if (c_now)
				dfe_categories_of(p, cn);
			if (c_prev)
				dfe_categories_of(q, cp);
			double s = 0;
			for (size_t c = 0; c < NC; c++)
				s += c_now && c_prev ? (cn[c] + cp[c]) / 2 : c_now ? cn[c] : cp[c];
			for (size_t c = 0; c < NC; c++) {
				double v = c_now && c_prev ? (cn[c] + cp[c]) / 2
				           : c_now         ? cn[c]
				                           : cp[c];
				cat_sum[c] += s > 0 ? v * A / s : 0;
			}
			n_cat++;
		}
		double x18 = 0;
		for (size_t j = 0; j < NCA; j++) {
			double v = p->v[SL_CEASE_AGE + j];
			size_t col = j < CA_16 ? j : j == CA_18 ? NB : NB - 1;
			ages[col] += v;
			if (j == CA_18)
				x18 += v;
		}
		double total_c = 0;
		for (size_t j = 0; j < NCA; j++)
			total_c += p->v[SL_CEASE_AGE + j];
		ceased18 += x18;
		under18 += total_c - x18;
		/* Leaving at 18 in the year over the 16-17s at its start. */
		if (s_prev || s_now) {
			rho_num += x18;
			rho_den +=
			    s_prev ? q->v[SL_STOCK_AGE + NB - 1] : p->v[SL_STOCK_AGE + NB - 1];
		}
		if (p->usable[G_CEASE_RSN]) {
			for (size_t i = 0; i < NREASON17; i++)
				reasons[i] += p->v[SL_CEASE_RSN + i];
			n_reason++;
		}
		xs[n] = total_c - x18;
		as[n] = A;
		n++;
	}
	*nx = n;
	if (n == 0) {
		cc_diags_add(F->diags, CC_DIAG_ERROR, F->d->files[TB_CEASE], 0, 0,
		             "expected children who ceased to be looked after (cla_group \"Age on "
		             "ceasing\") and the stock at 31 March for %s in the years ending 31 "
		             "March %d to %d, found none",
		             f->name, F->Y - (int)F->W + 1, F->Y);
		return CC_EINVAL;
	}
	if (ml)
		note(f,
		     "ceases: no usable figures (or no stock either side) for %s; the window's "
		     "other %zu year%s used",
		     missing, n, n == 1 ? "" : "s");
	if (n_reason == 0) {
		/* No reasons published: England's for the same years, else the
		 * profiles alone. */
		note(f, "ceases by reason not published for these years: reasons shared as "
		        "England's");
		for (size_t k = 0; k < F->d->n_areas; k++)
			if (F->d->areas[k].level == CC_DFE_NATIONAL)
				for (int y = F->Y - (int)F->W + 1; y <= F->Y; y++) {
					const dfe_year *ny = dfe_area_year(&F->d->areas[k], y);
					for (size_t i = 0; ny && i < NREASON17; i++)
						if (ny->state[SL_CEASE_RSN + i] == CELL_VALUE)
							reasons[i] += ny->v[SL_CEASE_RSN + i];
				}
	}
	double cross[NREASON17][NB + 1];
	cease_cross(reasons, ages, cross);
	memset(C->E, 0, sizeof C->E);
	for (size_t i = 0; i < NREASON17; i++) {
		int r = dfe_reasons17[i].reason;
		if (r == R_AGE18)
			continue;
		for (size_t b = 0; b < NB; b++)
			C->E[r][b] += cross[i][b];
	}
	C->years = (double)n;
	C->rho = rho_den > 0 && rho_num > 0 ? rho_num / rho_den : NAN;
	double A = 0;
	for (size_t b = 0; b < NB; b++) {
		C->band_target[b] = band_sum[b] / (double)n;
		A += C->band_target[b];
	}
	if (n_cat > 0) {
		double s = 0;
		for (size_t c = 0; c < NC; c++)
			s += cat_sum[c];
		for (size_t c = 0; c < NC; c++)
			C->cat_target[c] = s > 0 ? cat_sum[c] * A / s : A / NC;
	} else {
		note(f, "placements not published in the window: England's 2024 category mix "
		        "used");
		double mix[NC] = { 0.58, 0.12, 0.12, 0.002, 0.09, 0.065, 0.025, 0.013 };
		for (size_t c = 0; c < NC; c++)
			C->cat_target[c] = A * mix[c];
	}
	f->summary.years_exits = n;
	f->summary.exits_under18_per_year = under18 / (double)n;
	f->summary.ceased_18_per_year = ceased18 / (double)n;
	f->summary.exposure_years = A * (double)n;
	return CC_OK;
}

static int fit_moves(fitter *F)
{
	const cc_model *src = F->o->moves_from;
	calib *C = F->C;
	if (!src) {
		C->n_moves = dfe_n_move_rows;
		C->moves = calloc(C->n_moves, sizeof *C->moves);
		if (!C->moves)
			return CC_ENOMEM;
		for (size_t i = 0; i < dfe_n_move_rows; i++) {
			const dfe_move_row *m = &dfe_move_rows[i];
			C->moves[i] = (dfe_row){ .from = m->from,
				                 .to = m->to,
				                 .bands = m->bands,
				                 .tics = 0x7,
				                 .mean = m->rate,
				                 .note = m->note };
		}
		return CC_OK;
	}
	/* Bands must be the default ones (by name). */
	int ok = src->n_age_bands == NB && src->n_tic_bands == NT;
	for (size_t b = 0; ok && b < NB; b++)
		ok = strcmp(src->age_bands[b].name, dfe_band_names[b]) == 0;
	for (size_t t = 0; ok && t < NT; t++)
		ok = strcmp(src->tic_bands[t].name, dfe_tic_names[t]) == 0;
	if (!ok) {
		cc_diags_add(F->diags, CC_DIAG_ERROR, src->path, 0, 0,
		             "--moves-from: expected a model with the default age bands (under1, "
		             "1-4, 5-9, 10-15, 16-17) and time-in-care bands (under6m, 6-24m, "
		             "24m+), found other bands");
		return CC_EINVAL;
	}
	C->moves = calloc(src->n_moves ? src->n_moves : 1, sizeof *C->moves);
	if (!C->moves)
		return CC_ENOMEM;
	size_t skipped = 0;
	for (size_t i = 0; i < src->n_moves; i++) {
		const cc_move_row *mr = &src->moves[i];
		int from = -1, to = -1;
		for (int c = 0; c < NC; c++) {
			if (strcmp(src->categories[mr->from].name, dfe_cat_names[c]) == 0)
				from = c;
			if (strcmp(src->categories[mr->to].name, dfe_cat_names[c]) == 0)
				to = c;
		}
		if (from < 0 || to < 0) {
			skipped++;
			continue;
		}
		const cc_rate *r = &src->params[mr->param];
		dfe_row *d = &C->moves[C->n_moves++];
		*d = (dfe_row){ .from = from,
			        .to = to,
			        .bands = mr->age_bands,
			        .tics = mr->tic_bands,
			        .mean = r->rate_per_year,
			        .rate = r->rate_per_year,
			        .events = r->events,
			        .exposure = r->exposure_years,
			        .has_evidence = r->has_evidence,
			        .note = "from --moves-from" };
	}
	if (skipped)
		note(F->f,
		     "--moves-from: %zu move row%s between categories this model does not "
		     "have left out",
		     skipped, skipped == 1 ? "" : "s");
	return CC_OK;
}

/* The year-to-year variance beyond Poisson of under-18 exits (m a year at
 * the model's rates): the window's yearly exit rates xs/as, as counts at the
 * window's mean exposure, pooled with the prior. *data gets the window's
 * own estimate (NaN with one year), *mean the window's mean count. */
static double exit_tau2(const double *xs, const double *as, size_t nx, double m, double *data,
                        double *mean)
{
	double pv[64] = { 0 }, t[64] = { 0 }, cnt[64] = { 0 }, A = 0, X = 0;
	if (nx > 64)
		nx = 64;
	for (size_t i = 0; i < nx && i < 64; i++) {
		A += as[i] / (double)nx;
		X += xs[i] / (double)nx;
	}
	double rate = A > 0 ? X / A : 0;
	for (size_t i = 0; i < nx && i < 64; i++) {
		cnt[i] = as[i] > 0 ? xs[i] / as[i] * A : 0;
		pv[i] = as[i] > 0 ? rate * A * A / as[i] : 0;
		t[i] = (double)i;
	}
	*data = data_extra_var(cnt, pv, t, nx, 1);
	*mean = X;
	return extra_var(m, *data, (double)nx - 1);
}

/* Exit rows: the national rows split by age band, at k[r][b] x w. */
static int write_exit_rows(fitter *F, const double *xs, const double *as, size_t nx)
{
	cc_dfe_fit *f = F->f;
	calib *C = F->C;
	size_t cap = dfe_n_exit_rows * NB + NR * NB;
	f->exits = calloc(cap, sizeof *f->exits);
	double *e = calloc(cap, sizeof *e), *ne = calloc(cap, sizeof *ne);
	if (!f->exits || !e || !ne) {
		free(e);
		free(ne);
		return CC_ENOMEM;
	}
	size_t n = 0;
	for (size_t r = 0; r < NR; r++)
		for (size_t b = 0; b < NB; b++) {
			if (!(C->k[r][b] > 0))
				continue;
			if (C->fallback[r][b]) {
				double X = 0;
				for (size_t c = 0; c < NC; c++)
					for (size_t t = 0; t < NT; t++)
						X += C->X[b][c][t];
				f->exits[n] = (dfe_row){ .reason = (int)r,
					                 .cats = (1u << NC) - 1,
					                 .bands = 1u << b,
					                 .tics = 0x7,
					                 .mean = C->k[r][b] };
				e[n++] = C->k[r][b] * X;
				continue;
			}
			for (size_t i = 0; i < dfe_n_exit_rows; i++) {
				const dfe_exit_row *x = &dfe_exit_rows[i];
				if ((int)r != x->reason || !(x->bands >> b & 1))
					continue;
				double X = 0;
				for (size_t c = 0; c < NC; c++)
					for (size_t t = 0; t < NT; t++)
						if ((x->cats >> c & 1) && (x->tics >> t & 1))
							X += C->X[b][c][t];
				f->exits[n] = (dfe_row){ .reason = (int)r,
					                 .cats = x->cats & ((1u << NC) - 1),
					                 .bands = 1u << b,
					                 .tics = x->tics & 0x7,
					                 .mean = C->k[r][b] * x->rate };
				e[n++] = C->k[r][b] * x->rate * X;
			}
		}
	f->n_exits = n;
	/* Effective events: the under-18 exit rate's yearly variation. */
	double etot = 0;
	for (size_t i = 0; i < n; i++)
		etot += e[i];
	double m = etot / C->years; /* under-18 exits a year */
	f->summary.exits_fitted_per_year = m;
	double data, X;
	double tau2 = exit_tau2(xs, as, nx, m, &data, &X);
	f->summary.exits_cv_data = isfinite(data) && X > 0 ? sqrt(data) / X : NAN;
	f->summary.exits_cv_used = F->o->dispersion && m > 0 ? sqrt(tau2) / m : 0;
	double V = F->o->dispersion ? level_var(m, tau2, C->years) : 0;
	double carried = allocate(e, n, m > 0 ? V / (m * m) : 0, ne);
	f->summary.exits_effective_events = carried > 0 ? 1 / carried : 0;
	/* What the rows cannot carry goes to the entries: for the stock, a level
	 * of exits a little higher is much like entries a little lower. */
	F->exits_shortfall = F->o->dispersion && V > carried * m * m ? V - carried * m * m : 0;
	for (size_t i = 0; i < n; i++)
		set_evidence(&f->exits[i], f->exits[i].mean, ne[i]);
	free(e);
	free(ne);
	return CC_OK;
}

static int write_move_rows(fitter *F)
{
	cc_dfe_fit *f = F->f;
	calib *C = F->C;
	f->moves = calloc(C->n_moves ? C->n_moves : 1, sizeof *f->moves);
	if (!f->moves)
		return CC_ENOMEM;
	for (size_t i = 0; i < C->n_moves; i++) {
		dfe_row m = C->moves[i];
		if (F->o->moves_from) {
			f->moves[f->n_moves++] = m;
			continue;
		}
		double g = (m.from == C_FOSTERING && m.to == C_ADOPTION) ? C->adoption_factor : 1;
		double X = 0;
		for (size_t b = 0; b < NB; b++)
			for (size_t t = 0; t < NT; t++)
				if ((m.bands >> b & 1) && (m.tics >> t & 1))
					X += C->X[b][m.from][t];
		/* Poisson evidence: what the authority would record over the
		 * window if the rate held. */
		set_evidence(&m, m.mean * g, m.mean * g * X);
		if (m.mean > 0)
			f->moves[f->n_moves++] = m;
	}
	return CC_OK;
}

/* In-house shares: fostering's from the published "Own provision" at the
 * base date, the others assumed (structure.c). */
static void fit_in_house(fitter *F)
{
	cc_dfe_fit *f = F->f;
	memcpy(f->in_house, dfe_in_house_assumed, sizeof f->in_house);
	const dfe_pooled *p = pooled(F, F->Y);
	if (!p || !p->usable[G_STOCK_PR] || !(F->base_cat[C_FOSTERING] > 0))
		return;
	double own = p->v[SL_STOCK_PR + PR_OWN], rest = 0;
	for (size_t c = 0; c < NC; c++)
		if (c != C_FOSTERING && c != C_WITH_PARENTS && c != C_OTHER)
			rest += F->base_cat[c] * dfe_in_house_assumed[c];
	double s = (own - rest) / F->base_cat[C_FOSTERING];
	if (!isfinite(s))
		return;
	s = s < 0.05 ? 0.05 : s > 0.95 ? 0.95 : s;
	f->in_house[C_FOSTERING] = round(s * 10000) / 10000;
}

/* The starting population: the steady state raked to the base date's
 * published margins, rounded with both margins exact. */
static int fit_start(fitter *F)
{
	cc_dfe_fit *f = F->f;
	calib *C = F->C;
	long T = lround(F->base_total);
	long rows[NB], cols[NC];
	dfe_round_lr(F->base_band, NB, T, rows);
	dfe_round_lr(F->base_cat, NC, T, cols);
	double band[NB], cat[NC];
	for (size_t b = 0; b < NB; b++)
		band[b] = (double)rows[b];
	for (size_t c = 0; c < NC; c++)
		cat[c] = (double)cols[c];
	memcpy(C->x, C->ss.stock, sizeof C->x);
	if (T > 0)
		dfe_rake(C->x, band, cat);
	double cell[NB][NC] = { { 0 } };
	for (unsigned a = 0; a < NA; a++)
		for (size_t c = 0; c < NC; c++)
			for (unsigned m = 0; m <= MIC_CAP; m++)
				cell[dfe_band_of_age(a)][c] += C->x[a][c][m];
	long F2[NB][NC];
	if (T > 0 && dfe_round_table((const double(*)[NC])cell, rows, cols, F2) != 0) {
		note(f, "the starting population could not match the published stock by age and by "
		        "placement at once; the age bands are exact");
		for (size_t b = 0; b < NB; b++)
			dfe_round_lr(cell[b], NC, rows[b], F2[b]);
	}
	if (T == 0)
		memset(F2, 0, sizeof F2);
	/* Counts by (age, category, provider, months in care). */
	size_t ncell = (size_t)NA * NC * 2 * (MIC_CAP + 1);
	long *cnt = calloc(ncell, sizeof *cnt);
	double *wv = malloc((size_t)NA * (MIC_CAP + 1) * sizeof *wv);
	long *lv = malloc((size_t)NA * (MIC_CAP + 1) * sizeof *lv);
	if (!cnt || !wv || !lv) {
		free(cnt);
		free(wv);
		free(lv);
		return CC_ENOMEM;
	}
#define CNT(a, c, p, m) \
	cnt[(((size_t)(a)*NC + (size_t)(c)) * 2 + (size_t)(p)) * (MIC_CAP + 1) + (size_t)(m)]
	static const unsigned band_from[NB + 1] = { 0, 12, 60, 120, 192, 216 };
	for (size_t c = 0; c < NC; c++) {
		/* In-house children of the category, shared over bands. */
		long total_c = 0;
		double share[NB];
		for (size_t b = 0; b < NB; b++) {
			total_c += F2[b][c];
			share[b] = (double)F2[b][c];
		}
		long ih[NB];
		dfe_round_lr(share, NB, lround((double)total_c * f->in_house[c]), ih);
		for (size_t b = 0; b < NB; b++) {
			unsigned a0 = band_from[b], a1 = band_from[b + 1];
			size_t k = 0;
			double ws = 0;
			for (unsigned a = a0; a < a1; a++)
				for (unsigned m = 0; m <= MIC_CAP; m++) {
					wv[k] = m <= a ? C->x[a][c][m] : 0;
					ws += wv[k];
					k++;
				}
			if (!(ws > 0))
				for (size_t i = 0, a = a0; a < a1; a++)
					for (unsigned m = 0; m <= MIC_CAP; m++, i++)
						wv[i] = m == 0 ? 1 : 0;
			for (int p = 0; p < 2; p++) {
				long want = p == 0 ? ih[b] : F2[b][c] - ih[b];
				if (want <= 0)
					continue;
				dfe_round_cumulative(wv, k, want, lv);
				size_t i = 0;
				for (unsigned a = a0; a < a1; a++)
					for (unsigned m = 0; m <= MIC_CAP; m++, i++)
						CNT(a, c, p, m) += lv[i];
			}
		}
	}
	size_t rows_n = 0;
	for (size_t i = 0; i < ncell; i++)
		rows_n += cnt[i] > 0;
	f->start = calloc(rows_n ? rows_n : 1, sizeof *f->start);
	if (!f->start) {
		free(cnt);
		free(wv);
		free(lv);
		return CC_ENOMEM;
	}
	double by_cat[NC] = { 0 };
	for (unsigned a = 0; a < NA; a++)
		for (unsigned c = 0; c < NC; c++)
			for (unsigned p = 0; p < 2; p++)
				for (unsigned m = 0; m <= MIC_CAP; m++) {
					long v = CNT(a, c, p, m);
					if (v <= 0)
						continue;
					f->start[f->n_start++] =
					    (dfe_start){ .age = (uint16_t)a,
						         .mic = (uint16_t)m,
						         .cat = (uint8_t)c,
						         .prov = (uint8_t)p,
						         .count = (uint32_t)v };
					by_cat[c] += (double)v;
				}
#undef CNT
	for (size_t c = 0; c < NC; c++)
		f->summary.stock_category[c] = by_cat[c];
	f->summary.start_rows = f->n_start;
	free(cnt);
	free(wv);
	free(lv);
	return CC_OK;
}

/* The published stock at each 31 March up to the base date. */
static void fit_history(fitter *F)
{
	cc_dfe_fit *f = F->f;
	int first = F->d->first_year ? F->d->first_year : F->Y;
	if (first < F->Y - (DFE_MAX_YEARS - 1))
		first = F->Y - (DFE_MAX_YEARS - 1);
	for (int y = first; y <= F->Y; y++) {
		dfe_pooled p;
		dfe_pool_year(F->d, F->areas, F->n, y, &p);
		size_t ts = SL_STOCK_AGE + NB;
		if (!p.present[TB_STOCK] || !p.known[ts] || !isfinite(p.v[ts]))
			continue;
		size_t i = f->n_history++;
		f->hist_year[i] = y;
		f->hist_total[i] = p.v[ts];
		for (size_t c = 0; c < NC; c++)
			f->hist_cat[i][c] = NAN;
		static const int direct[][2] = { { C_SUPPORTED, PL_SUPPORTED },
			                         { C_WITH_PARENTS, PL_PARENTS },
			                         { C_ADOPTION, PL_ADOPTION },
			                         { C_OTHER, PL_OTHER } };
		for (size_t k = 0; k < 4; k++) {
			size_t s = SL_STOCK_PL + (size_t)direct[k][1];
			if (p.known[s])
				f->hist_cat[i][direct[k][0]] = p.v[s];
		}
	}
}

static double stock_total(const dfe_steady *ss)
{
	double S = 0;
	for (size_t b = 0; b < NB; b++)
		for (size_t c = 0; c < NC; c++)
			for (size_t t = 0; t < NT; t++)
				S += ss->stock_cell[b][c][t];
	return S;
}

/* Equilibrium shrinkage. The window's flows are noisy estimates of the
 * flows to come, and a stock rarely settles far from where it is going: the
 * level at which the fitted rates would hold the stock (the steady state
 * S*) is moved towards an anchor A,
 *     ln S*' = ln A + theta (ln S* - ln A),
 *     theta = TAU_EQ^2 / (TAU_EQ^2 + v),
 * v the relative variance of S* from estimating the entry level and the
 * exit level over the window's years. The anchor is the stock at the base
 * date S0 carried along part of its recent growth:
 *     ln A = ln S0 + MOMENTUM g T,
 * g the least-squares slope of ln(stock) over the window's 31 Marches (0
 * with fewer than two) and T = S0 / (children leaving a year) the stock's
 * relaxation time, so the projection starts out growing at about MOMENTUM g
 * a year (with MOMENTUM 1, at its recent rate) and levels off over T: a
 * damped trend, carried by the flows rather than drawn as a line.
 * Entries are scaled by g_N and the under-18 exit hazards by g_X, each
 * taking the share of the move that its estimate's variance has of v (the
 * noisier flow moves more). */
static void shrink_equilibrium(fitter *F, const double *xs, const double *as, size_t nx)
{
	calib *C = F->C;
	cc_dfe_fit_summary *s = &F->f->summary;
	double S = stock_total(&C->ss);
	s->equilibrium_fitted = S;
	s->equilibrium = S;
	s->shrinkage_theta = 1;
	s->entries_factor = s->exits_factor = 1;
	s->anchor = F->base_total;
	double S0 = F->base_total, mN = 0, mX = 0;
	for (size_t b = 0; b < NB; b++)
		mN += C->entries[b];
	for (size_t r = 0; r < NR; r++)
		for (size_t b = 0; b < NB; b++)
			mX += C->E[r][b] / C->years;
	if (!F->o->shrinkage || !(S0 > 0) || !(S > 0) || !(mN > 0) || !(mX > 0))
		return;
	double dX, XN;
	double tN = extra_var(mN, F->entries_data_var, F->entries_years - 1);
	double tX = exit_tau2(xs, as, nx, mX, &dX, &XN);
	double vN = (mN + tN) / (F->entries_years * mN * mN), vX = (mX + tX) / (C->years * mX * mX);
	double v = vN + vX, theta = TAU_EQ * TAU_EQ / (TAU_EQ * TAU_EQ + v);
	double ty[DFE_MAX_YEARS], ly[DFE_MAX_YEARS];
	size_t nl = 0;
	for (unsigned i = 1; i <= F->W && nl < DFE_MAX_YEARS; i++) {
		const dfe_pooled *p = &F->P[i];
		size_t ts = SL_STOCK_AGE + NB;
		if (!p->present[TB_STOCK] || !p->known[ts] || !(p->v[ts] > 0))
			continue;
		ty[nl] = (double)i;
		ly[nl++] = log(p->v[ts]);
	}
	double g = nl >= 2 ? slope(ty, ly, nl) : 0;
	double outflow = mX + C->ss.age18_per_year;
	double T = outflow > 0 ? S0 / outflow : 0;
	double anchor = log(S0) + MOMENTUM * g * T;
	s->stock_growth = g;
	s->relaxation_years = T;
	s->anchor = exp(anchor);
	double target = anchor + theta * (log(S) - anchor);
	double e0[NB], k0[NR][NB], gN = 1, gX = 1;
	memcpy(e0, C->entries, sizeof e0);
	memcpy(k0, C->k, sizeof k0);
	for (int it = 0; it < 4; it++) {
		/* Elasticity of S* to the exit hazards, numerically. */
		for (size_t r = 0; r < NR; r++)
			for (size_t b = 0; b < NB; b++)
				C->k[r][b] = k0[r][b] * gX * 1.02;
		build_hazards(C);
		dfe_steady_state(C->entries, (const double(*)[NC])C->mix, C->q17, &C->h, &C->ss);
		double S2 = stock_total(&C->ss);
		double eh = S2 > 0 ? -(log(S2) - log(S)) / log(1.02) : 1;
		if (!(eh > 0.05))
			eh = 0.05;
		double d = target - log(S);
		gN *= exp(vN / v * d);
		gX *= exp(-vX / v * d / eh);
		for (size_t b = 0; b < NB; b++)
			C->entries[b] = e0[b] * gN;
		for (size_t r = 0; r < NR; r++)
			for (size_t b = 0; b < NB; b++)
				C->k[r][b] = k0[r][b] * gX;
		build_hazards(C);
		dfe_steady_state(C->entries, (const double(*)[NC])C->mix, C->q17, &C->h, &C->ss);
		S = stock_total(&C->ss);
	}
	s->equilibrium = S;
	s->shrinkage_theta = theta;
	s->entries_factor = gN;
	s->exits_factor = gX;
}

int cc_dfe_fit_run(const cc_dfe *d, const size_t *areas, size_t n, const cc_dfe_fit_opts *o,
                   cc_dfe_fit **out, cc_diags *diags)
{
	*out = NULL;
	if (n == 0 || n > d->n_areas) {
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "expected at least one area to fit, found none");
		return CC_EINVAL;
	}
	unsigned W = o->window_years ? o->window_years : 3;
	if (W > 50 || o->base_year < 1900 || o->base_year > 2200) {
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "expected a base year from 1900 to 2200 and a window of 1 to 50 "
		             "years, found %d and %u",
		             o->base_year, W);
		return CC_EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (areas[i] >= d->n_areas)
			return CC_EINVAL;
	if (dfe_report_problems(d, areas, n, diags) > 0)
		return CC_EPARSE;
	int rc = check_areas(d, areas, n, diags);
	if (rc != CC_OK)
		return rc;

	cc_dfe_fit *f = calloc(1, sizeof *f);
	fitter F = { .d = d,
		     .areas = areas,
		     .n = n,
		     .o = o,
		     .f = f,
		     .diags = diags,
		     .Y = o->base_year,
		     .W = W };
	F.P = calloc(W + 1, sizeof *F.P);
	F.C = calloc(1, sizeof *F.C);
	double *xs = calloc(W + 1, sizeof *xs), *as = calloc(W + 1, sizeof *as);
	if (!f || !F.P || !F.C || !xs || !as) {
		rc = CC_ENOMEM;
		goto fail;
	}
	f->base_year = o->base_year;
	f->name = o->name ? strdup(o->name) : names_of(d, areas, n);
	if (!f->name) {
		rc = CC_ENOMEM;
		goto fail;
	}
	if (o->source) {
		f->source = strdup(o->source);
		if (!f->source) {
			rc = CC_ENOMEM;
			goto fail;
		}
	}
	f->summary.base_year = F.Y;
	f->summary.window_first = F.Y - (int)W + 1;
	f->summary.window_last = F.Y;
	f->summary.areas = n;
	size_t imputed = 0;
	for (unsigned i = 0; i <= W; i++)
		imputed += dfe_pool_year(d, areas, n, F.Y - (int)W + (int)i, &F.P[i]);
	f->summary.cells_imputed = imputed;
	if (imputed)
		note(f,
		     "%zu suppressed cell%s filled in from the published totals (never taken as "
		     "zero)",
		     imputed, imputed == 1 ? "" : "s");

	/* The stock at the base date. */
	const dfe_pooled *base = pooled(&F, F.Y);
	if (!base->usable[G_STOCK_AGE]) {
		cc_diags_add(diags, CC_DIAG_ERROR, d->files[TB_STOCK], 0, 0,
		             "expected the children looked after at 31 March %d (cla_group \"Age "
		             "group\") for %s, found %s: the starting population needs them",
		             F.Y, f->name,
		             base->present[TB_STOCK] ? "them suppressed with no total" : "none");
		rc = CC_EINVAL;
		goto fail;
	}
	F.base_total = base->v[SL_STOCK_AGE + NB];
	if (F.base_total > (double)CC_MAX_CHILDREN) {
		cc_diags_add(diags, CC_DIAG_ERROR, d->files[TB_STOCK], 0, 0,
		             "expected at most %lu children looked after, found %.6g for %s at 31 "
		             "March %d",
		             CC_MAX_CHILDREN, F.base_total, f->name, F.Y);
		rc = CC_EINVAL;
		goto fail;
	}
	for (size_t b = 0; b < NB; b++)
		F.base_band[b] = base->v[SL_STOCK_AGE + b];
	if (base->usable[G_STOCK_PL]) {
		dfe_categories_of(base, F.base_cat);
	} else {
		note(f, "placements at 31 March %d not published: England's mix used", F.Y);
		double mix[NC] = { 0.58, 0.12, 0.12, 0.002, 0.09, 0.065, 0.025, 0.013 };
		for (size_t c = 0; c < NC; c++)
			F.base_cat[c] = F.base_total * mix[c];
	}
	f->summary.stock_base = F.base_total;
	for (size_t b = 0; b < NB; b++)
		f->summary.stock_band[b] = F.base_band[b];

	exit_structure(F.C->w);
	size_t nx = 0;
	if ((rc = fit_entries(&F)) != CC_OK || (rc = fit_exit_inputs(&F, xs, as, &nx)) != CC_OK ||
	    (rc = fit_moves(&F)) != CC_OK)
		goto fail;
	calibrate(F.C);
	shrink_equilibrium(&F, xs, as, nx);
	for (size_t b = 0; b < NB; b++) {
		f->entry[b].mean = F.C->entries[b];
		f->summary.entry_rate[b] = F.C->entries[b];
	}
	memcpy(f->mix, F.C->mix, sizeof f->mix);

	f->q17 = F.C->q17;
	f->rho = F.C->rho;
	fit_in_house(&F);
	if ((rc = write_exit_rows(&F, xs, as, nx)) != CC_OK ||
	    (rc = write_move_rows(&F)) != CC_OK || (rc = fit_start(&F)) != CC_OK)
		goto fail;
	set_entry_evidence(&F);
	fit_history(&F);
	/* Population up to the base year. */
	for (int y = F.Y - (DFE_MAX_YEARS - 1); y <= F.Y; y++) {
		double v = population_of(d, areas, n, y);
		if (isfinite(v) && f->n_pop < DFE_MAX_YEARS) {
			f->pop_year[f->n_pop] = y;
			f->pop[f->n_pop++] = v;
		}
	}
	if (d->has_population && f->n_pop == 0)
		note(f, "no 0-17 population for %s: rates per 10,000 children are not reported",
		     f->name);
	char desc[512];
	snprintf(desc, sizeof desc,
	         "Fitted by carecast fit dfe from DfE's published statistics (children looked "
	         "after in England): stock at 31 March %d; starts and ceases averaged over the "
	         "years ending 31 March %d to %d (%zu and %zu years with data); %zu area%s "
	         "pooled.",
	         F.Y, F.Y - (int)W + 1, F.Y, f->summary.years_entries, f->summary.years_exits, n,
	         n == 1 ? "" : "s");
	f->description = strdup(desc);
	if (!f->description) {
		rc = CC_ENOMEM;
		goto fail;
	}
	free(F.C->moves);
	free(F.C);
	free(F.P);
	free(xs);
	free(as);
	*out = f;
	return CC_OK;
fail:
	if (F.C)
		free(F.C->moves);
	free(F.C);
	free(F.P);
	free(xs);
	free(as);
	cc_dfe_fit_free(f);
	return rc;
}
