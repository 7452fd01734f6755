/*
 * summary_read.c - reading a run's summary.json for charts and the report.
 *
 * The file is the contract of docs/formats.md ("Run outputs"). It is read
 * with the JSON reader that keeps positions (json/jdoc.h), so a damaged or
 * hand-edited summary is reported as file:line:column with what was expected,
 * never as a crash or a silently wrong chart. Only the top-level structure is
 * checked here; each chart checks the members it uses when it reads them, and
 * a chart whose members are absent is skipped rather than failed.
 */
#include "chart_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const chart_stat_names[ST_N] = { "mean", "p5", "p25", "p50", "p75", "p95" };

static size_t list_len(const cJSON *a)
{
	size_t n = 0;
	for (const cJSON *c = a ? a->child : NULL; c; c = c->next)
		n++;
	return n;
}

/* A list of names (at most max) into out[]. */
static int read_names(chart_summary *S, const char *key, const char **out, size_t max, size_t *n)
{
	const cJSON *a;
	*n = 0;
	int r = cc_jdoc_get_array(S->doc, S->root, key, 1, max, &a);
	if (r <= 0)
		return -1;
	for (const cJSON *c = a->child; c; c = c->next) {
		if (!cJSON_IsString(c)) {
			cc_jdoc_error(S->doc, c, "expected a name in \"%s\"", key);
			return -1;
		}
		out[(*n)++] = c->valuestring;
	}
	return 1;
}

static int read_date(chart_summary *S, const cJSON *node, const char *what, cc_date *out)
{
	if (!cJSON_IsString(node) || cc_date_parse_iso(node->valuestring, out) != CC_OK) {
		char found[64];
		cc_jdoc_found(S->doc, node, found, sizeof found);
		cc_jdoc_error(S->doc, node, "expected a date YYYY-MM-DD for %s, found %s", what,
		              found);
		return -1;
	}
	return 1;
}

static int read_history(chart_summary *S)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(S->root, "history");
	if (!h)
		return 1;
	if (!cJSON_IsObject(h)) {
		cc_jdoc_error(S->doc, h, "expected an object for \"history\"");
		return -1;
	}
	const cJSON *dates, *tot;
	if (cc_jdoc_get_array(S->doc, h, "dates", 1, 100000, &dates) <= 0 ||
	    cc_jdoc_get_array(S->doc, h, "cla_total", 1, 100000, &tot) <= 0)
		return -1;
	size_t n = list_len(dates);
	if (list_len(tot) != n) {
		cc_jdoc_error(S->doc, tot, "expected %zu numbers in \"cla_total\" (one per date)",
		              n);
		return -1;
	}
	S->hist_date = malloc((n ? n : 1) * sizeof *S->hist_date);
	S->hist_total = malloc((n ? n : 1) * sizeof *S->hist_total);
	if (!S->hist_date || !S->hist_total)
		return -2;
	size_t i = 0;
	for (const cJSON *d = dates->child, *v = tot->child; d && v;
	     d = d->next, v = v->next, i++) {
		if (read_date(S, d, "a history date", &S->hist_date[i]) < 0 ||
		    cc_jdoc_number_value(S->doc, v, "a history count", 0, 1e12, &S->hist_total[i]) <
		        0)
			return -1;
		if (i > 0 && S->hist_date[i] <= S->hist_date[i - 1]) {
			cc_jdoc_error(S->doc, d, "expected history dates in increasing order");
			return -1;
		}
	}
	S->n_hist = n;
	const cJSON *bc = cJSON_GetObjectItemCaseSensitive(h, "by_category");
	if (bc) {
		if (!cJSON_IsObject(bc)) {
			cc_jdoc_error(S->doc, bc, "expected an object for \"by_category\"");
			return -1;
		}
		for (const cJSON *c = bc->child; c; c = c->next) {
			if (!cJSON_IsArray(c) || list_len(c) != n) {
				cc_jdoc_error(S->doc, c,
				              "expected a list of %zu numbers or nulls for \"%s\"",
				              n, c->string);
				return -1;
			}
			for (const cJSON *v = c->child; v; v = v->next) {
				double x;
				if (!cJSON_IsNull(v) &&
				    cc_jdoc_number_value(S->doc, v, "a history count", 0, 1e12,
				                         &x) < 0)
					return -1;
			}
		}
		S->hist_by_category = bc;
	}
	return 1;
}

static int read_years(chart_summary *S, const cJSON *base)
{
	const cJSON *fys;
	if (cc_jdoc_get_array(S->doc, base, "financial_years", 1, 10000, &fys) <= 0)
		return -1;
	size_t n = list_len(fys);
	size_t m = n ? n : 1;
	S->fy = calloc(m, sizeof *S->fy);
	S->fy_label = calloc(m, sizeof *S->fy_label);
	S->fy_to = calloc(m, sizeof *S->fy_to);
	S->fy_month = calloc(m, sizeof *S->fy_month);
	if (!S->fy || !S->fy_label || !S->fy_to || !S->fy_month)
		return -2;
	size_t i = 0;
	for (const cJSON *f = fys->child; f; f = f->next, i++) {
		const char *label;
		const cJSON *to = cJSON_GetObjectItemCaseSensitive(f, "to");
		if (!cJSON_IsObject(f)) {
			cc_jdoc_error(S->doc, f, "expected an object for a financial year");
			return -1;
		}
		if (cc_jdoc_get_string(S->doc, f, "fy", 1, &label) <= 0)
			return -1;
		if (!to) {
			cc_jdoc_error(S->doc, f, "missing \"to\": expected a date");
			return -1;
		}
		if (read_date(S, to, "\"to\"", &S->fy_to[i]) < 0)
			return -1;
		size_t t = 0;
		for (size_t k = 0; k < S->T; k++)
			if (S->dates[k] == S->fy_to[i])
				t = k + 1;
		if (t == 0) {
			cc_jdoc_error(S->doc, to, "expected \"to\" to be one of the monthly dates");
			return -1;
		}
		S->fy[i] = f;
		S->fy_label[i] = label;
		S->fy_month[i] = t;
	}
	S->n_fy = n;
	return 1;
}

int cs_load(const char *path, chart_summary *S, cc_diags *diags)
{
	memset(S, 0, sizeof *S);
	S->path = path;
	S->parameter_uncertainty = -1;
	int rc = cc_jdoc_load(path, &S->doc, diags);
	if (rc != CC_OK)
		return rc;
	S->root = cc_jdoc_root(S->doc);
	cc_jdoc *doc = S->doc;
	if (!cJSON_IsObject(S->root)) {
		cc_jdoc_error(doc, S->root, "expected a run summary (a JSON object)");
		return CC_EPARSE;
	}
	int r = 1;
	const cJSON *o;
	if (cc_jdoc_get_string(doc, S->root, "mode", 1, &S->mode) <= 0)
		return CC_EPARSE;
	if (strcmp(S->mode, "expected") == 0) {
		S->expected = 1;
	} else if (strcmp(S->mode, "stochastic") != 0) {
		cc_jdoc_error(doc, cJSON_GetObjectItemCaseSensitive(S->root, "mode"),
		              "expected \"stochastic\" or \"expected\" for \"mode\", found \"%s\"",
		              S->mode);
		return CC_EPARSE;
	}
	S->version = "";
	S->model_name = "";
	S->rng = "";
	S->quantiles = "";
	S->v_gsl = "";
	S->v_cjson = "";
	if (cc_jdoc_get_string(doc, S->root, "carecast_version", 0, &S->version) < 0 ||
	    cc_jdoc_get_string(doc, S->root, "model_name", 0, &S->model_name) < 0 ||
	    cc_jdoc_get_string(doc, S->root, "rng", 0, &S->rng) < 0 ||
	    cc_jdoc_get_string(doc, S->root, "quantiles", 0, &S->quantiles) < 0 ||
	    cc_jdoc_get_number(doc, S->root, "seed", 1, 0, 4294967295.0, &S->seed) <= 0 ||
	    cc_jdoc_get_number(doc, S->root, "replications", 1, 0, 1e12, &S->replications) <= 0)
		return CC_EPARSE;
	if (cc_jdoc_get_object(doc, S->root, "versions", 0, &o) > 0) {
		cc_jdoc_get_string(doc, o, "gsl", 0, &S->v_gsl);
		cc_jdoc_get_string(doc, o, "cjson", 0, &S->v_cjson);
	}
	cc_jdoc_get_bool(doc, S->root, "parameter_uncertainty", 0, &S->parameter_uncertainty);
	S->inputs = cJSON_GetObjectItemCaseSensitive(S->root, "inputs");
	o = cJSON_GetObjectItemCaseSensitive(S->root, "base_date");
	if (!o) {
		cc_jdoc_error(doc, S->root, "missing \"base_date\": expected a date");
		return CC_EPARSE;
	}
	if (read_date(S, o, "\"base_date\"", &S->base_date) < 0)
		return CC_EPARSE;
	if (read_names(S, "categories", S->cat, CC_MAX_LIST, &S->K) < 0 ||
	    read_names(S, "exit_reasons", S->reason, CC_MAX_LIST + 1, &S->n_reasons) < 0)
		return CC_EPARSE;

	const cJSON *sc;
	if (cc_jdoc_get_array(doc, S->root, "scenarios", 1, 100000, &sc) <= 0)
		return CC_EPARSE;
	size_t ns = list_len(sc);
	if (ns == 0) {
		cc_jdoc_error(doc, sc, "expected at least the baseline in \"scenarios\"");
		return CC_EPARSE;
	}
	S->scen = calloc(ns, sizeof *S->scen);
	S->scen_name = calloc(ns, sizeof *S->scen_name);
	if (!S->scen || !S->scen_name)
		return CC_ENOMEM;
	for (const cJSON *s = sc->child; s; s = s->next) {
		if (!cJSON_IsObject(s)) {
			cc_jdoc_error(doc, s, "expected an object for a scenario");
			return CC_EPARSE;
		}
		const char *name;
		if (cc_jdoc_get_string(doc, s, "name", 1, &name) <= 0)
			return CC_EPARSE;
		S->scen[S->n_scen] = s;
		S->scen_name[S->n_scen++] = name;
	}
	const cJSON *mon, *dates;
	if (cc_jdoc_get_object(doc, S->scen[0], "monthly", 1, &mon) <= 0 ||
	    cc_jdoc_get_array(doc, mon, "dates", 1, 100000, &dates) <= 0)
		return CC_EPARSE;
	S->T = list_len(dates);
	if (S->T == 0) {
		cc_jdoc_error(doc, dates, "expected at least one month in \"dates\"");
		return CC_EPARSE;
	}
	S->dates = malloc(S->T * sizeof *S->dates);
	if (!S->dates)
		return CC_ENOMEM;
	size_t t = 0;
	for (const cJSON *d = dates->child; d; d = d->next, t++) {
		if (read_date(S, d, "a monthly date", &S->dates[t]) < 0)
			return CC_EPARSE;
		if (S->dates[t] <= (t ? S->dates[t - 1] : S->base_date)) {
			cc_jdoc_error(doc, d,
			              "expected monthly dates after the base date, in order");
			return CC_EPARSE;
		}
	}
	r = read_history(S);
	if (r == 1)
		r = read_years(S, S->scen[0]);
	if (r == -2)
		return CC_ENOMEM;
	return r < 0 ? CC_EPARSE : CC_OK;
}

void cs_free(chart_summary *S)
{
	cc_jdoc_free(S->doc);
	free(S->dates);
	free(S->hist_date);
	free(S->hist_total);
	free(S->scen);
	free(S->scen_name);
	free(S->fy);
	free(S->fy_label);
	free(S->fy_to);
	free(S->fy_month);
	memset(S, 0, sizeof *S);
}

const cJSON *cs_at(const cJSON *obj, const char *path)
{
	char key[256];
	const char *p = path;
	while (obj && *p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n >= sizeof key || !cJSON_IsObject(obj))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		obj = cJSON_GetObjectItemCaseSensitive(obj, key);
		p += n;
		if (*p == '/')
			p++;
	}
	return obj;
}

int cs_number(chart_summary *S, const cJSON *obj, const char *path, double *out)
{
	const cJSON *n = cs_at(obj, path);
	if (!n)
		return 0;
	char what[300];
	snprintf(what, sizeof what, "\"%s\"", path);
	return cc_jdoc_number_value(S->doc, n, what, -1e300, 1e300, out) < 0 ? -1 : 1;
}

int cs_stat(chart_summary *S, const cJSON *obj, const char *path, chart_stat *out)
{
	memset(out, 0, sizeof *out);
	const cJSON *o = cs_at(obj, path);
	if (!o)
		return 0;
	if (!cJSON_IsObject(o)) {
		cc_jdoc_error(S->doc, o, "expected a statistics object for \"%s\"", path);
		return -1;
	}
	for (int k = 0; k < ST_N; k++) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, chart_stat_names[k]);
		if (!n)
			continue;
		char what[300];
		snprintf(what, sizeof what, "\"%s\" of \"%s\"", chart_stat_names[k], path);
		if (cc_jdoc_number_value(S->doc, n, what, -1e300, 1e300, &out->v[k]) < 0)
			return -1;
		out->have |= 1u << k;
	}
	if (!stat_has(out, ST_MEAN) && !stat_has(out, ST_P50)) {
		cc_jdoc_error(S->doc, o, "expected \"mean\" or \"p50\" in \"%s\"", path);
		return -1;
	}
	return 1;
}

void cs_series_free(chart_series *s)
{
	for (int k = 0; k < ST_N; k++)
		free(s->v[k]);
	memset(s, 0, sizeof *s);
}

int cs_series(chart_summary *S, const cJSON *obj, const char *path, chart_series *out)
{
	memset(out, 0, sizeof *out);
	const cJSON *o = cs_at(obj, path);
	if (!o)
		return 0;
	if (!cJSON_IsObject(o)) {
		cc_jdoc_error(S->doc, o, "expected a statistics object for \"%s\"", path);
		return -1;
	}
	out->n = S->T;
	for (int k = 0; k < ST_N; k++) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, chart_stat_names[k]);
		if (!a)
			continue;
		if (!cJSON_IsArray(a) || list_len(a) != S->T) {
			cc_jdoc_error(S->doc, a,
			              "expected a list of %zu numbers (one per month) for \"%s\" "
			              "of \"%s\"",
			              S->T, chart_stat_names[k], path);
			cs_series_free(out);
			return -1;
		}
		out->v[k] = malloc(S->T * sizeof(double));
		if (!out->v[k]) {
			cs_series_free(out);
			return -2;
		}
		size_t t = 0;
		char what[300];
		snprintf(what, sizeof what, "\"%s\" of \"%s\"", chart_stat_names[k], path);
		for (const cJSON *v = a->child; v; v = v->next, t++)
			if (cc_jdoc_number_value(S->doc, v, what, -1e300, 1e300, &out->v[k][t]) <
			    0) {
				cs_series_free(out);
				return -1;
			}
	}
	if (!out->v[ST_MEAN] && !out->v[ST_P50]) {
		cc_jdoc_error(S->doc, o, "expected \"mean\" or \"p50\" in \"%s\"", path);
		cs_series_free(out);
		return -1;
	}
	return 1;
}
