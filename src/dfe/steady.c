/*
 * steady.c - the expected-value steady state of the monthly process, raking
 * it to published margins, and rounding to whole children.
 *
 * Steady state. With constant entries and hazards, every child in care at a
 * month end entered at most 215 months earlier, so the equilibrium stock is
 * the sum, over entry ages a0, of one monthly cohort of entrants
 * (entries_b / 12 x the share of the band's entrants aged a0, spread over
 * categories by the entry mix) followed month by month exactly as
 * docs/model.md §2 describes the simulation. Within a month a child's age
 * band and time-in-care band are those at the start of the month and its
 * category follows a continuous-time Markov chain with generator Q (move
 * hazards / 12 off the diagonal, minus the total hazard / 12 on it; exits
 * leave the chain). One matrix exponential per (age band, time-in-care
 * band) gives
 *     exp([[Q, I, 0], [0, 0, I], [0, 0, 0]]) = [[E, N1, N2], ...],
 * E = exp(Q) (where children in care at the start of the month end up),
 * N1 = int_0^1 exp(Qu) du (their expected months in each category), and N2
 * = int_0^1 (1 - u) exp(Qu) du (the same for entrants, who start at a
 * uniform time; for them N1 is where they end up). The survivors age one
 * month; those reaching 216 months leave at 18. Exits in a cell are exactly
 * hazard x the child-years at risk accumulated here.
 *
 * Raking (iterative proportional fitting) scales the cells so that they sum
 * to given totals by age band and by category, keeping the structure within
 * (ages, times in care, the association of age and category).
 *
 * Rounding keeps both margins exact: floors, then the remaining units are
 * placed one per cell on cells with a fractional part by augmenting paths
 * (a transportation problem whose fractional solution is the raked table,
 * so an integer one exists), larger fractions first.
 */
#include "dfe_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* exp(A) for an n x n matrix (n <= 3 NC) by scaling and squaring with a
 * Taylor series: A / 2^k has norm below 1/2, 20 terms. */
#define NX (3 * NC)
static void expm(const double A[NX][NX], double out[NX][NX])
{
	double norm = 0;
	for (size_t i = 0; i < NX; i++) {
		double r = 0;
		for (size_t j = 0; j < NX; j++)
			r += fabs(A[i][j]);
		norm = r > norm ? r : norm;
	}
	int k = 0;
	while (norm > 0.5 && k < 60) {
		norm /= 2;
		k++;
	}
	double scale = ldexp(1.0, -k);
	static const size_t n = NX;
	double X[NX][NX], term[NX][NX], tmp[NX][NX];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			X[i][j] = (i == j) + A[i][j] * scale;
			term[i][j] = A[i][j] * scale;
		}
	for (int q = 2; q <= 16; q++) {
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++) {
				double v = 0;
				for (size_t l = 0; l < n; l++)
					v += term[i][l] * A[l][j];
				tmp[i][j] = v * scale / q;
			}
		memcpy(term, tmp, sizeof term);
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++)
				X[i][j] += term[i][j];
	}
	for (int s = 0; s < k; s++) {
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++) {
				double v = 0;
				for (size_t l = 0; l < n; l++)
					v += X[i][l] * X[l][j];
				tmp[i][j] = v;
			}
		memcpy(X, tmp, sizeof X);
	}
	memcpy(out, X, sizeof X);
}

void dfe_month_steps(const dfe_hazards *h, dfe_month_step T[NB][NT])
{
	for (size_t b = 0; b < NB; b++)
		for (size_t t = 0; t < NT; t++) {
			double A[NX][NX], X[NX][NX];
			memset(A, 0, sizeof A);
			for (size_t c = 0; c < NC; c++) {
				double H = 0;
				for (size_t r = 0; r < NR; r++)
					H += h->exit[r][b][c][t];
				for (size_t j = 0; j < NC; j++)
					if (j != c) {
						H += h->move[c][j][b][t];
						A[c][j] = h->move[c][j][b][t] / 12.0;
					}
				A[c][c] = -H / 12.0;
				A[c][NC + c] = 1;
				A[NC + c][2 * NC + c] = 1;
			}
			expm((const double(*)[NX])A, X);
			dfe_month_step *m = &T[b][t];
			for (size_t i = 0; i < NC; i++)
				for (size_t j = 0; j < NC; j++) {
					m->E[i][j] = X[i][j] > 0 ? X[i][j] : 0;
					m->N1[i][j] = X[i][NC + j] > 0 ? X[i][NC + j] : 0;
					m->N2[i][j] = X[i][2 * NC + j] > 0 ? X[i][2 * NC + j] : 0;
				}
		}
}

void dfe_steady_state(const double entries[NB], const double mix[NB][NC], double q17,
                      const dfe_hazards *h, dfe_steady *out)
{
	dfe_month_step T[NB][NT];
	dfe_month_steps(h, T);
	dfe_steady_from_steps(entries, mix, q17, (const dfe_month_step(*)[NT])T, out);
}

void dfe_steady_from_steps(const double entries[NB], const double mix[NB][NC], double q17,
                           const dfe_month_step T[NB][NT], dfe_steady *out)
{
	memset(out, 0, sizeof *out);
	/* The stationary stock is the sum of the monthly cohorts; cohorts of the
	 * same age and months in care (24 or more together, one band) follow
	 * the same chain, so they are followed together, age by age: X[m][c]
	 * is the month-end stock aged a with m months in care. */
	double X[MIC_CAP + 1][NC], Y[MIC_CAP + 1][NC];
	memset(X, 0, sizeof X);
	for (unsigned a = 0; a < NA; a++) {
		size_t b = dfe_band_of_age(a);
		/* This month's entrants aged a at the month end: from a uniform
		 * time, in the band of the age at the start of the month. */
		double wa = b < NB - 1 ? dfe_age_weight_month[a] : (a < 204 ? 1 - q17 : q17) / 12;
		double n = entries[b] / 12.0 * wa;
		if (n > 0) {
			size_t be = dfe_band_of_age(a ? a - 1 : 0);
			const dfe_month_step *me = &T[be][0];
			for (size_t j = 0; j < NC; j++) {
				double s = 0, r = 0;
				for (size_t c = 0; c < NC; c++) {
					s += n * mix[b][c] * me->N1[c][j];
					r += n * mix[b][c] * me->N2[c][j];
				}
				X[0][j] += s;
				out->at_risk[be][j][0] += r;
			}
		}
		memset(Y, 0, sizeof Y);
		for (unsigned m = 0; m <= MIC_CAP && m <= a; m++) {
			size_t t = dfe_tic_of(m);
			const dfe_month_step *ms = &T[b][t];
			unsigned m2 = m < MIC_CAP ? m + 1 : MIC_CAP;
			for (size_t c = 0; c < NC; c++) {
				double x = X[m][c];
				out->stock[a][c][m] += x;
				out->stock_cell[b][c][t] += x;
				if (x == 0)
					continue;
				for (size_t j = 0; j < NC; j++) {
					Y[m2][j] += x * ms->E[c][j];
					out->at_risk[b][j][t] += x * ms->N1[c][j];
				}
			}
		}
		if (a == NA - 1) {
			for (size_t m = 0; m <= MIC_CAP; m++)
				for (size_t c = 0; c < NC; c++)
					out->age18_per_year += 12.0 * Y[m][c];
			break;
		}
		memcpy(X, Y, sizeof X);
	}
}

/* ---- raking ---------------------------------------------------------------------- */

/* IPF on the band x category table of sums; the factors found scale every
 * cell of x (raking scales whole band x category cells, so this is the same
 * as raking x itself). Returns the worst relative miss of the band sums
 * after the last category step. */
static double rake_table(double (*x)[NC][MIC_CAP + 1], const double band[NB], const double cat[NC],
                         int max_iter)
{
	double t[NB][NC] = { { 0 } }, rf[NB], cf[NC];
	for (unsigned a = 0; a < NA; a++) {
		size_t b = dfe_band_of_age(a);
		for (size_t c = 0; c < NC; c++)
			for (size_t m = 0; m <= MIC_CAP; m++)
				t[b][c] += x[a][c][m];
	}
	for (size_t b = 0; b < NB; b++)
		rf[b] = 1;
	for (size_t c = 0; c < NC; c++)
		cf[c] = 1;
	double worst = 1;
	for (int it = 0; it < max_iter && worst > 1e-12; it++) {
		for (size_t b = 0; b < NB; b++) {
			double s = 0;
			for (size_t c = 0; c < NC; c++)
				s += t[b][c] * rf[b] * cf[c];
			rf[b] *= s > 0 ? band[b] / s : 0;
		}
		for (size_t c = 0; c < NC; c++) {
			double s = 0;
			for (size_t b = 0; b < NB; b++)
				s += t[b][c] * rf[b] * cf[c];
			cf[c] *= s > 0 ? cat[c] / s : 0;
		}
		worst = 0;
		for (size_t b = 0; b < NB; b++) {
			double s = 0;
			for (size_t c = 0; c < NC; c++)
				s += t[b][c] * rf[b] * cf[c];
			double d = fabs(s - band[b]) / (band[b] > 1 ? band[b] : 1);
			worst = d > worst ? d : worst;
		}
	}
	for (unsigned a = 0; a < NA; a++) {
		size_t b = dfe_band_of_age(a);
		for (size_t c = 0; c < NC; c++)
			for (size_t m = 0; m <= MIC_CAP; m++)
				x[a][c][m] *= rf[b] * cf[c];
	}
	return worst;
}

/* Seeds a little mass where a target is positive and the structure has none:
 * a band gets its ages spread over the categories in proportion to their
 * targets; a category gets the structure of all categories. */
static void seed(double (*x)[NC][MIC_CAP + 1], const double band[NB], const double cat[NC],
                 int everywhere)
{
	double bs[NB] = { 0 }, cs[NC] = { 0 }, tot = 0;
	for (unsigned a = 0; a < NA; a++)
		for (size_t c = 0; c < NC; c++)
			for (size_t m = 0; m <= MIC_CAP; m++) {
				bs[dfe_band_of_age(a)] += x[a][c][m];
				cs[c] += x[a][c][m];
				tot += x[a][c][m];
			}
	double ct = 0;
	for (size_t c = 0; c < NC; c++)
		ct += cat[c];
	double eps = 1e-9 * (tot > 0 ? tot : 1);
	for (unsigned a = 0; a < NA; a++) {
		size_t b = dfe_band_of_age(a);
		unsigned m = a < 12 ? a : 12;
		for (size_t c = 0; c < NC; c++) {
			int need =
			    everywhere || (band[b] > 0 && bs[b] <= 0) || (cat[c] > 0 && cs[c] <= 0);
			if (need && cat[c] > 0)
				x[a][c][m] += eps * (ct > 0 ? cat[c] / ct : 1.0 / NC);
		}
	}
}

void dfe_rake(double (*x)[NC][MIC_CAP + 1], const double band[NB], const double cat[NC])
{
	seed(x, band, cat, 0);
	double worst = rake_table(x, band, cat, 1000);
	if (worst > 1e-6) {
		/* The structure cannot meet both margins (a category the model
		 * puts only at ages the authority has too few children of): allow
		 * every age in every category a little. */
		seed(x, band, cat, 1);
		rake_table(x, band, cat, 10000);
	}
}

/* ---- rounding ---------------------------------------------------------------------- */

void dfe_round_lr(const double *v, size_t n, long total, long *out)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i] > 0 ? v[i] : 0;
	long got = 0;
	for (size_t i = 0; i < n; i++) {
		double x = v[i] > 0 && sum > 0 ? v[i] * (double)total / sum : 0;
		out[i] = (long)floor(x);
		got += out[i];
	}
	/* Hand out the rest by largest remainder (ties: lowest index). */
	while (got < total) {
		size_t best = n;
		double br = -1;
		for (size_t i = 0; i < n; i++) {
			double x = v[i] > 0 && sum > 0 ? v[i] * (double)total / sum : 0;
			double r = x - (double)out[i];
			if (x > 0 && r > br) {
				br = r;
				best = i;
			}
		}
		if (best == n)
			break;
		out[best]++;
		got++;
	}
}

void dfe_round_cumulative(const double *v, size_t n, long total, long *out)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i] > 0 ? v[i] : 0;
	double cum = 0;
	long prev = 0;
	for (size_t i = 0; i < n; i++) {
		cum += v[i] > 0 && sum > 0 ? v[i] * (double)total / sum : 0;
		long r = i + 1 == n ? (sum > 0 ? total : 0) : (long)floor(cum + 0.5);
		if (r > total)
			r = total;
		out[i] = r > prev ? r - prev : 0;
		if (r > prev)
			prev = r;
	}
}

/* Augmenting path search for dfe_round_table: from row i, find a column
 * with remaining demand, possibly re-routing earlier units. */
typedef struct {
	long cap[NB][NC];  /* units still allowed in each cell */
	long flow[NB][NC]; /* units placed */
	long need_col[NC];
	int seen_row[NB], seen_col[NC];
	size_t order[NB][NC]; /* columns by decreasing fraction */
} flow_state;

static int augment(flow_state *F, size_t i)
{
	F->seen_row[i] = 1;
	for (size_t k = 0; k < NC; k++) {
		size_t j = F->order[i][k];
		if (F->cap[i][j] - F->flow[i][j] <= 0 || F->seen_col[j])
			continue;
		F->seen_col[j] = 1;
		int ok = F->need_col[j] > 0;
		if (!ok) {
			/* Take a unit of column j away from another row that can
			 * place it elsewhere. */
			for (size_t i2 = 0; i2 < NB && !ok; i2++)
				if (!F->seen_row[i2] && F->flow[i2][j] > 0 && augment(F, i2)) {
					F->flow[i2][j]--;
					F->need_col[j]++;
					ok = 1;
				}
		}
		if (ok) {
			F->flow[i][j]++;
			F->need_col[j]--;
			return 1;
		}
	}
	return 0;
}

int dfe_round_table(const double f[NB][NC], const long rows[NB], const long cols[NC],
                    long out[NB][NC])
{
	long rt = 0, ct = 0;
	for (size_t i = 0; i < NB; i++)
		rt += rows[i];
	for (size_t j = 0; j < NC; j++)
		ct += cols[j];
	if (rt != ct)
		return -1;
	flow_state F;
	memset(&F, 0, sizeof F);
	long need_row[NB];
	for (size_t i = 0; i < NB; i++) {
		long s = 0;
		for (size_t j = 0; j < NC; j++) {
			double v = f[i][j] > 0 ? f[i][j] : 0;
			out[i][j] = (long)floor(v + 1e-9);
			s += out[i][j];
		}
		/* A row whose floors exceed its margin (the table did not meet it
		 * exactly): take units back from the smallest fractions. */
		while (s > rows[i]) {
			size_t best = NC;
			for (size_t j = 0; j < NC; j++)
				if (out[i][j] > 0 &&
				    (best == NC || f[i][j] - (double)out[i][j] <
				                       f[i][best] - (double)out[i][best]))
					best = j;
			if (best == NC)
				break;
			out[i][best]--;
			s--;
		}
		need_row[i] = rows[i] - s;
	}
	for (size_t j = 0; j < NC; j++) {
		long s = 0;
		for (size_t i = 0; i < NB; i++)
			s += out[i][j];
		F.need_col[j] = cols[j] - s;
	}
	/* Columns in decreasing order of the fraction, per row. */
	for (size_t i = 0; i < NB; i++) {
		for (size_t j = 0; j < NC; j++)
			F.order[i][j] = j;
		for (size_t a = 1; a < NC; a++)
			for (size_t b = a; b > 0; b--) {
				size_t x = F.order[i][b - 1], y = F.order[i][b];
				double fx = f[i][x] - floor(f[i][x] + 1e-9),
				       fy = f[i][y] - floor(f[i][y] + 1e-9);
				if (fy > fx) {
					F.order[i][b - 1] = y;
					F.order[i][b] = x;
				}
			}
	}
	/* Attempt 1: one unit more in cells with a fraction; 2: any number of
	 * units in cells with positive values; 3: anywhere. */
	int done = 0;
	for (int attempt = 0; attempt < 3 && !done; attempt++) {
		long nr[NB];
		memcpy(nr, need_row, sizeof nr);
		long nc_save[NC];
		memcpy(nc_save, F.need_col, sizeof nc_save);
		memset(F.flow, 0, sizeof F.flow);
		for (size_t i = 0; i < NB; i++)
			for (size_t j = 0; j < NC; j++) {
				double fr = f[i][j] - (double)out[i][j];
				F.cap[i][j] = attempt == 0   ? (fr > 1e-9 ? 1 : 0)
				              : attempt == 1 ? (f[i][j] > 0 ? rt : 0)
				                             : rt;
			}
		int ok = 1;
		for (size_t i = 0; i < NB && ok; i++)
			while (nr[i] > 0) {
				memset(F.seen_row, 0, sizeof F.seen_row);
				memset(F.seen_col, 0, sizeof F.seen_col);
				if (!augment(&F, i)) {
					ok = 0;
					break;
				}
				nr[i]--;
			}
		if (ok) {
			for (size_t i = 0; i < NB; i++)
				for (size_t j = 0; j < NC; j++)
					out[i][j] += F.flow[i][j];
			done = 1;
		} else {
			memcpy(F.need_col, nc_save, sizeof nc_save);
		}
	}
	/* Columns whose floors exceeded their margins leave need_col < 0: the
	 * flow cannot fix that; report it. */
	for (size_t j = 0; j < NC; j++) {
		long s = 0;
		for (size_t i = 0; i < NB; i++)
			s += out[i][j];
		if (s != cols[j])
			done = 0;
	}
	return done ? 0 : -1;
}
