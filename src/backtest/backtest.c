/*
 * backtest.c - a projection from a past base date against what happened,
 * with persistence and linear-trend forecasts as yardsticks.
 */
#include "carecast/backtest.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double ape(double forecast, double actual)
{
	if (!isfinite(forecast) || !isfinite(actual) || actual <= 0)
		return NAN;
	return 100.0 * fabs(forecast - actual) / actual;
}

/* The value of series s (0: total, 1 + c: category c) in an observation. */
static double obs_value(const cc_history_point *h, size_t s)
{
	return s == 0 ? h->cla_total : h->by_category[s - 1];
}

/* Persistence: the latest finite observation at or before the base date. */
static double persistence(const cc_history_point *obs, size_t n, size_t s, cc_date base)
{
	cc_date best = INT32_MIN;
	double v = NAN;
	for (size_t i = 0; i < n; i++) {
		double x = obs_value(&obs[i], s);
		if (obs[i].date <= base && obs[i].date > best && isfinite(x)) {
			best = obs[i].date;
			v = x;
		}
	}
	return v;
}

/* Least-squares line through the finite observations in the window,
 * evaluated at `at`; NaN with fewer than two distinct dates. */
static double trend(const cc_history_point *obs, size_t n, size_t s, cc_date base, cc_date from,
                    cc_date at)
{
	double x[64], y[64];
	size_t k = 0;
	for (size_t i = 0; i < n && k < 64; i++) {
		double v = obs_value(&obs[i], s);
		if (obs[i].date >= from && obs[i].date <= base && isfinite(v)) {
			x[k] = (double)(obs[i].date - base) / 365.25;
			y[k] = v;
			k++;
		}
	}
	if (k < 2)
		return NAN;
	double c0, c1, cov00, cov01, cov11, sumsq;
	if (gsl_fit_linear(x, 1, y, 1, k, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != 0 ||
	    !isfinite(c0) || !isfinite(c1))
		return NAN;
	double t = (double)(at - base) / 365.25;
	double v = c0 + c1 * t;
	return v > 0 ? v : 0;
}

static int cmp_date(const void *a, const void *b)
{
	cc_date x = ((const cc_history_point *)a)->date, y = ((const cc_history_point *)b)->date;
	return (x > y) - (x < y);
}

void cc_backtest_free(cc_backtest *b)
{
	if (!b)
		return;
	for (size_t s = 0; b->series && s < b->n_series; s++)
		free(b->series[s].points);
	free(b->series);
	free(b);
}

int cc_backtest_run(const cc_model *m, const cc_history_point *obs_in, size_t n_obs,
                    unsigned horizon_years, unsigned window_years, const cc_sim_options *o,
                    const char *label, cc_backtest **out, cc_diags *diags)
{
	*out = NULL;
	if (horizon_years < 1 || horizon_years > 50 || window_years < 1 || window_years > 50) {
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "expected a horizon and a window of 1 to 50 years, found %u and %u",
		             horizon_years, window_years);
		return CC_EINVAL;
	}
	const size_t T = (size_t)horizon_years * 12;
	cc_date end = cc_date_month_end_add(m->base_date, (int)T);
	cc_date from = cc_date_month_end_add(m->base_date, -12 * (int)window_years);

	/* The observations in date order; the forecast dates after the base. */
	cc_history_point *obs = malloc((n_obs ? n_obs : 1) * sizeof *obs);
	if (!obs)
		return CC_ENOMEM;
	if (n_obs)
		memcpy(obs, obs_in, n_obs * sizeof *obs);
	qsort(obs, n_obs, sizeof *obs, cmp_date);
	size_t n_after = 0;
	for (size_t i = 0; i < n_obs; i++)
		n_after += obs[i].date > m->base_date && obs[i].date <= end &&
		           cc_date_is_month_end(obs[i].date);
	if (n_after == 0) {
		char b[CC_DATE_STRLEN], e[CC_DATE_STRLEN];
		cc_date_format(m->base_date, b);
		cc_date_format(end, e);
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "expected an observed stock after the base date %s and by %s to "
		             "compare with, found none (the data end too early for this base "
		             "date and horizon)",
		             b, e);
		free(obs);
		return CC_EINVAL;
	}

	cc_sim_options opt = *o;
	opt.months = T;
	cc_results *res = NULL;
	int rc = cc_sim_run(m, &opt, &res);
	if (rc != CC_OK) {
		free(obs);
		return rc;
	}
	const cc_layout *l = cc_results_layout(res);

	cc_backtest *b = calloc(1, sizeof *b);
	if (!b) {
		rc = CC_ENOMEM;
		goto fail;
	}
	snprintf(b->label, sizeof b->label, "%s", label ? label : "");
	b->base_date = m->base_date;
	b->horizon_years = horizon_years;
	b->window_years = window_years;
	b->n_series = 1 + m->n_categories;
	b->series = calloc(b->n_series, sizeof *b->series);
	if (!b->series) {
		rc = CC_ENOMEM;
		goto fail;
	}
	for (size_t s = 0; s < b->n_series; s++) {
		cc_backtest_series *S = &b->series[s];
		snprintf(S->name, sizeof S->name, "%s",
		         s == 0 ? "total" : m->categories[s - 1].name);
		S->points = calloc(n_after, sizeof *S->points);
		if (!S->points) {
			rc = CC_ENOMEM;
			goto fail;
		}
		double pers = persistence(obs, n_obs, s, m->base_date);
		size_t series = s == 0 ? l->cla_total : l->by_category + (s - 1) * T;
		for (size_t i = 0; i < n_obs; i++) {
			if (!(obs[i].date > m->base_date && obs[i].date <= end &&
			      cc_date_is_month_end(obs[i].date)))
				continue;
			size_t t = 1;
			while (t < T && l->dates[t] < obs[i].date)
				t++; /* l->dates[t] == obs[i].date: both are month ends */
			cc_backtest_point *p = &S->points[S->n_points++];
			p->date = obs[i].date;
			p->horizon_years = (double)(obs[i].date - m->base_date) / 365.25;
			p->actual = obs_value(&obs[i], s);
			p->forecast = cc_results_stats(res, cc_layout_month(l, series, t));
			p->ape = ape(p->forecast.p50, p->actual);
			if (isfinite(p->actual)) {
				p->in50 =
				    p->actual >= p->forecast.p25 && p->actual <= p->forecast.p75;
				p->in90 =
				    p->actual >= p->forecast.p5 && p->actual <= p->forecast.p95;
			} else {
				p->in50 = p->in90 = -1;
			}
			p->persistence = pers;
			p->ape_persistence = ape(pers, p->actual);
			p->trend = trend(obs, n_obs, s, m->base_date, from, obs[i].date);
			p->ape_trend = ape(p->trend, p->actual);
		}
	}
	cc_results_free(res);
	free(obs);
	*out = b;
	return CC_OK;
fail:
	cc_results_free(res);
	cc_backtest_free(b);
	free(obs);
	return rc;
}

/* ---- scores ----------------------------------------------------------------- */

/* Mean and median of the finite values among v[0..n) (compacts v). */
static void mean_median(double *v, size_t n, double *mean, double *median)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			v[k++] = v[i];
	if (k == 0) {
		*mean = *median = NAN;
		return;
	}
	gsl_sort(v, 1, k);
	*mean = gsl_stats_mean(v, 1, k);
	*median = gsl_stats_median_from_sorted_data(v, 1, k);
}

int cc_backtest_score_of(const cc_backtest *const *b, size_t n, const char *series,
                         cc_backtest_score *out)
{
	memset(out, 0, sizeof *out);
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t s = 0; s < b[i]->n_series; s++)
			if (!series || strcmp(b[i]->series[s].name, series) == 0)
				total += b[i]->series[s].n_points;
	double *v[3];
	for (int k = 0; k < 3; k++)
		v[k] = malloc((total ? total : 1) * sizeof(double));
	if (!v[0] || !v[1] || !v[2]) {
		for (int k = 0; k < 3; k++)
			free(v[k]);
		return CC_ENOMEM;
	}
	size_t j = 0, in50 = 0, in90 = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t s = 0; s < b[i]->n_series; s++) {
			const cc_backtest_series *S = &b[i]->series[s];
			if (series && strcmp(S->name, series) != 0)
				continue;
			for (size_t p = 0; p < S->n_points; p++) {
				const cc_backtest_point *P = &S->points[p];
				if (P->in50 >= 0) {
					out->n_covered++;
					in50 += (size_t)P->in50;
					in90 += (size_t)P->in90;
				}
				if (!isfinite(P->ape))
					continue;
				v[0][j] = P->ape;
				v[1][j] = P->ape_persistence;
				v[2][j] = P->ape_trend;
				j++;
			}
		}
	out->n = j;
	mean_median(v[0], j, &out->mape, &out->median_ape);
	mean_median(v[1], j, &out->mape_persistence, &out->median_ape_persistence);
	mean_median(v[2], j, &out->mape_trend, &out->median_ape_trend);
	out->coverage50 = out->n_covered ? (double)in50 / (double)out->n_covered : NAN;
	out->coverage90 = out->n_covered ? (double)in90 / (double)out->n_covered : NAN;
	for (int k = 0; k < 3; k++)
		free(v[k]);
	return CC_OK;
}

/* ---- backtest.json ------------------------------------------------------------ */

typedef struct {
	int oom;
} jw;

static void put(jw *W, cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		W->oom = 1;
	}
}

static void push(jw *W, cJSON *arr, cJSON *item)
{
	if (!item || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		W->oom = 1;
	}
}

static cJSON *date_json(cc_date d)
{
	char buf[CC_DATE_STRLEN];
	cc_date_format(d, buf);
	return cJSON_CreateString(buf);
}

static cJSON *flag_json(int v) { return v < 0 ? cJSON_CreateNull() : cJSON_CreateBool(v); }

static cJSON *score_json(jw *W, const cc_backtest_score *s)
{
	cJSON *o = cJSON_CreateObject();
	if (!o) {
		W->oom = 1;
		return NULL;
	}
	put(W, o, "points", cJSON_CreateNumber((double)s->n));
	const char *names[3] = { "carecast", "persistence", "trend" };
	const double mape[3] = { s->mape, s->mape_persistence, s->mape_trend };
	const double med[3] = { s->median_ape, s->median_ape_persistence, s->median_ape_trend };
	for (int k = 0; k < 3; k++) {
		cJSON *m = cJSON_CreateObject();
		if (m) {
			put(W, m, "mean_ape", cc_json_number(mape[k]));
			put(W, m, "median_ape", cc_json_number(med[k]));
		}
		put(W, o, names[k], m);
	}
	put(W, o, "points_with_actual", cJSON_CreateNumber((double)s->n_covered));
	put(W, o, "coverage_50", cc_json_number(s->coverage50));
	put(W, o, "coverage_90", cc_json_number(s->coverage90));
	return o;
}

static cJSON *point_json(jw *W, const cc_backtest_point *p)
{
	cJSON *o = cJSON_CreateObject();
	if (!o) {
		W->oom = 1;
		return NULL;
	}
	put(W, o, "date", date_json(p->date));
	put(W, o, "horizon_years", cc_json_number(p->horizon_years));
	put(W, o, "actual", cc_json_number(p->actual));
	put(W, o, "mean", cc_json_number(p->forecast.mean));
	put(W, o, "p5", cc_json_number(p->forecast.p5));
	put(W, o, "p25", cc_json_number(p->forecast.p25));
	put(W, o, "p50", cc_json_number(p->forecast.p50));
	put(W, o, "p75", cc_json_number(p->forecast.p75));
	put(W, o, "p95", cc_json_number(p->forecast.p95));
	put(W, o, "ape", cc_json_number(p->ape));
	put(W, o, "in_50", flag_json(p->in50));
	put(W, o, "in_90", flag_json(p->in90));
	cJSON *pe = cJSON_CreateObject(), *tr = cJSON_CreateObject();
	if (pe) {
		put(W, pe, "forecast", cc_json_number(p->persistence));
		put(W, pe, "ape", cc_json_number(p->ape_persistence));
	}
	if (tr) {
		put(W, tr, "forecast", cc_json_number(p->trend));
		put(W, tr, "ape", cc_json_number(p->ape_trend));
	}
	put(W, o, "persistence", pe);
	put(W, o, "trend", tr);
	return o;
}

static cJSON *backtest_json(jw *W, const cc_backtest *b)
{
	cJSON *o = cJSON_CreateObject(), *series = cJSON_CreateArray();
	if (!o || !series) {
		cJSON_Delete(o);
		cJSON_Delete(series);
		W->oom = 1;
		return NULL;
	}
	put(W, o, "name", cJSON_CreateString(b->label));
	put(W, o, "base_date", date_json(b->base_date));
	for (size_t s = 0; s < b->n_series; s++) {
		const cc_backtest_series *S = &b->series[s];
		cJSON *so = cJSON_CreateObject(), *pts = cJSON_CreateArray();
		if (!so || !pts) {
			cJSON_Delete(so);
			cJSON_Delete(pts);
			W->oom = 1;
			break;
		}
		put(W, so, "name", cJSON_CreateString(S->name));
		for (size_t p = 0; p < S->n_points; p++)
			push(W, pts, point_json(W, &S->points[p]));
		put(W, so, "points", pts);
		push(W, series, so);
	}
	put(W, o, "series", series);
	cc_backtest_score sc;
	if (cc_backtest_score_of(&b, 1, "total", &sc) != CC_OK)
		W->oom = 1;
	else
		put(W, o, "score_total", score_json(W, &sc));
	return o;
}

int cc_backtest_write_json(const char *path, const cc_backtest *const *b, size_t n,
                           const cc_backtest_info *info, cc_diags *diags)
{
	jw W = { 0 };
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return CC_ENOMEM;
	put(&W, root, "carecast_version", cJSON_CreateString(cc_version()));
	put(&W, root, "kind", cJSON_CreateString("backtest"));
	put(&W, root, "source", cJSON_CreateString(info->source));
	put(&W, root, "seed", cJSON_CreateNumber(info->seed));
	put(&W, root, "replications", cJSON_CreateNumber((double)info->replications));
	put(&W, root, "parameter_uncertainty", cJSON_CreateBool(info->parameter_uncertainty));
	if (n > 0) {
		put(&W, root, "horizon_years", cJSON_CreateNumber(b[0]->horizon_years));
		put(&W, root, "window_years", cJSON_CreateNumber(b[0]->window_years));
	}
	cJSON *inputs = cJSON_CreateArray();
	for (size_t i = 0; inputs && i < info->n_inputs; i++) {
		cJSON *in = cJSON_CreateObject();
		if (in) {
			put(&W, in, "role", cJSON_CreateString(info->inputs[i].role));
			put(&W, in, "file", cJSON_CreateString(info->inputs[i].path));
			put(&W, in, "sha256", cJSON_CreateString(info->inputs[i].sha256));
		}
		push(&W, inputs, in);
	}
	put(&W, root, "inputs", inputs);
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < n; i++)
		push(&W, arr, backtest_json(&W, b[i]));
	put(&W, root, "backtests", arr);
	cJSON *score = cJSON_CreateObject();
	cc_backtest_score sc;
	if (score && cc_backtest_score_of(b, n, "total", &sc) == CC_OK)
		put(&W, score, "total", score_json(&W, &sc));
	if (score && cc_backtest_score_of(b, n, NULL, &sc) == CC_OK)
		put(&W, score, "all_series", score_json(&W, &sc));
	put(&W, root, "score", score);
	int rc = W.oom ? CC_ENOMEM : cc_json_write_file(path, root, diags);
	cJSON_Delete(root);
	return rc;
}

/* ---- the table --------------------------------------------------------------- */

static void num(FILE *out, double v, int width, int decimals)
{
	if (isfinite(v))
		fprintf(out, " %*.*f", width, decimals, v);
	else
		fprintf(out, " %*s", width, "-");
}

void cc_backtest_print(FILE *out, const cc_backtest *b)
{
	char d[CC_DATE_STRLEN];
	cc_date_format(b->base_date, d);
	fprintf(out, "%s%sbase %s, horizon %u years, trend over %u years\n", b->label,
	        *b->label ? ": " : "", d, b->horizon_years, b->window_years);
	fprintf(out, "%-14s %-10s %8s %8s %8s %8s %6s %4s %4s %8s %6s %8s %6s\n", "series", "date",
	        "actual", "p5", "p50", "p95", "APE%", "50%", "90%", "persist", "APE%", "trend",
	        "APE%");
	for (size_t s = 0; s < b->n_series; s++) {
		const cc_backtest_series *S = &b->series[s];
		for (size_t p = 0; p < S->n_points; p++) {
			const cc_backtest_point *P = &S->points[p];
			cc_date_format(P->date, d);
			fprintf(out, "%-14.14s %-10s", S->name, d);
			num(out, P->actual, 8, 0);
			num(out, P->forecast.p5, 8, 0);
			num(out, P->forecast.p50, 8, 0);
			num(out, P->forecast.p95, 8, 0);
			num(out, P->ape, 6, 1);
			fprintf(out, " %4s %4s",
			        P->in50 < 0 ? "-"
			        : P->in50   ? "yes"
			                    : "no",
			        P->in90 < 0 ? "-"
			        : P->in90   ? "yes"
			                    : "no");
			num(out, P->persistence, 8, 0);
			num(out, P->ape_persistence, 6, 1);
			num(out, P->trend, 8, 0);
			num(out, P->ape_trend, 6, 1);
			fputc('\n', out);
		}
	}
}

void cc_backtest_print_score(FILE *out, const char *what, const cc_backtest_score *s)
{
	fprintf(out,
	        "%s: %zu points; APE%% mean / median: carecast %.1f / %.1f, persistence "
	        "%.1f / %.1f, trend %.1f / %.1f; inside the 50%% range %.0f%%, the 90%% range "
	        "%.0f%%\n",
	        what, s->n, s->mape, s->median_ape, s->mape_persistence, s->median_ape_persistence,
	        s->mape_trend, s->median_ape_trend, 100 * s->coverage50, 100 * s->coverage90);
}
