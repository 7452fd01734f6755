/*
 * chart_scenarios.c - scenarios against the baseline.
 *
 * "scenarios": the stock of children looked after under each scenario,
 * median and 90% band, the baseline on every chart and at most
 * CC_CHART_MAX_SERIES series per chart (more scenarios go on further charts,
 * scenarios-2, ...). "scenario-difference": each scenario minus the
 * baseline, from the statistics of the per-replication differences (common
 * random numbers, so the difference is the scenario's effect, not noise),
 * with, when the run has costs, the difference in spend per financial year
 * below. Series are told apart by dash pattern as well as colour, and named
 * in the legend.
 *
 * Input: summary.json "scenarios"; elements after the first carry
 * "difference_vs_baseline" {"monthly", "financial_years"} in the layout of a
 * scenario (formats.md). With only the baseline, both charts are skipped.
 */
#include "chart_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LEGEND_NAME_MAX 44

/* A name for the legend: at most LEGEND_NAME_MAX characters, with "..." when
 * cut (at a character boundary). */
static void short_name(const char *name, char *buf, size_t size)
{
	size_t n = strlen(name), chars = 0, cut = n;
	for (size_t i = 0; i < n; i++) {
		if (((unsigned char)name[i] & 0xC0) != 0x80) {
			if (chars == LEGEND_NAME_MAX - 3) {
				cut = i;
				break;
			}
			chars++;
		}
	}
	if (cut < n && chars + 3 >= LEGEND_NAME_MAX)
		snprintf(buf, size, "%.*s...", (int)cut, name);
	else
		snprintf(buf, size, "%s", name);
}

/* Gnuplot assignments of an array of strings. */
static void gp_string_array(chart_job *j, const char *var, const char *const *s, size_t n)
{
	sb_printf(&j->vars, "array %s[%zu]\n", var, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		sb_printf(&j->vars, "%s[%zu] = ", var, i + 1);
		sb_gp_quote(&j->vars, s[i]);
		sb_addc(&j->vars, '\n');
	}
}

static void csv_header_stat(FILE *f, const char *name, const char *what)
{
	sbuf b;
	sb_init(&b);
	sb_printf(&b, "%s %s", name, what);
	fputc(',', f);
	csv_text(f, sb_str(&b));
	sb_free(&b);
}

/* The end of the horizon: the last 31 March (or the last month). */
static size_t end_month(const chart_summary *S)
{
	return S->n_fy > 0 ? S->fy_month[S->n_fy - 1] : S->T;
}

/* Month t of series s in a chart's data (median, p5, p95) and table
 * (median, and p5 and p95 when it has bands), widening [lo, hi]. */
static void band_cells(chart_job *j, const chart_series *s, size_t t, int bands, double *lo,
                       double *hi)
{
	double m = series_mid(s, t);
	double a = bands ? s->v[ST_P5][t] : m, b = bands ? s->v[ST_P95][t] : m;
	fprintf(j->dat, "\t%.10g\t%.10g\t%.10g", m, a, b);
	fputc(',', j->csv);
	csv_num(j->csv, m);
	if (bands) {
		fputc(',', j->csv);
		csv_num(j->csv, a);
		fputc(',', j->csv);
		csv_num(j->csv, b);
	}
	*lo = fmin(*lo, a);
	*hi = fmax(*hi, b);
}

/* One chart of the stock under series idx[0..n-1] (scenario indices). */
static int stock_chart(chart_ctx *c, const size_t *idx, size_t n, chart_series *cla, size_t part)
{
	chart_summary *S = c->S;
	char stem[32];
	if (part == 1)
		snprintf(stem, sizeof stem, "scenarios");
	else
		snprintf(stem, sizeof stem, "scenarios-%zu", part);
	chart_job j;
	int rc = job_open(c, &j, stem, "scenarios", "Scenarios: children looked after");
	if (rc != CC_OK)
		return rc;
	int bands = series_has_band(&cla[0]);
	const char *central = S->expected ? "mean" : "median";

	fputs("date", j.csv);
	for (size_t i = 0; i < n; i++) {
		csv_header_stat(j.csv, S->scen_name[idx[i]], central);
		if (bands) {
			csv_header_stat(j.csv, S->scen_name[idx[i]], "p5");
			csv_header_stat(j.csv, S->scen_name[idx[i]], "p95");
		}
	}
	fputc('\n', j.csv);
	double lo = INFINITY, hi = -INFINITY;
	for (size_t t = 0; t < S->T; t++) {
		char ds[CC_DATE_STRLEN];
		cc_date_format(S->dates[t], ds);
		fputs(ds, j.csv);
		fprintf(j.dat, "%.10g", month_x(S, S->dates[t]));
		for (size_t i = 0; i < n; i++)
			band_cells(&j, &cla[idx[i]], t, bands, &lo, &hi);
		fputc('\n', j.csv);
		fputc('\n', j.dat);
	}
	chart_axis ya;
	chart_axis_nice(lo, hi, lo <= 0.6 * hi, 1, 7, &ya);
	chart_axis_vars(&j.vars, "ytic", &ya, AXIS_COUNT);
	job_fy_axis(&j, -0.5, (double)S->T + 0.5);
	job_num(&j, "n_series", (double)n);
	job_num(&j, "bands", bands);
	job_str(&j, "ylabel", "Children looked after");
	const char *names[CC_CHART_MAX_SERIES];
	char shortn[CC_CHART_MAX_SERIES][LEGEND_NAME_MAX * 4 + 8];
	for (size_t i = 0; i < n; i++) {
		short_name(S->scen_name[idx[i]], shortn[i], sizeof shortn[i]);
		if (idx[i] == 0 && strcmp(shortn[i], "baseline") == 0)
			shortn[i][0] = 'B';
		names[i] = shortn[i];
	}
	gp_string_array(&j, "series_name", names, n);

	/* Texts: the biggest effect on the stock at the end. */
	size_t te = end_month(S) - 1;
	double base_end = series_mid(&cla[0], te);
	size_t best = 0;
	double best_d = 0;
	for (size_t i = 1; i < n; i++) {
		double d = series_mid(&cla[idx[i]], te) - base_end;
		if (fabs(d) > fabs(best_d)) {
			best_d = d;
			best = i;
		}
	}
	int y_end, mo, dd;
	cc_date_to_ymd(S->dates[te], &y_end, &mo, &dd);
	char num[32], when_long[40];
	fmt_count(fabs(best_d), num, sizeof num);
	fmt_date_long(S->dates[te], when_long, sizeof when_long);
	sbuf t1, t2, t3, alt, measure;
	sb_init(&t1);
	sb_init(&t2);
	sb_init(&t3);
	sb_init(&alt);
	sb_init(&measure);
	const char *more = best_d < 0 ? "fewer" : "more";
	if (fabs(best_d) >= 0.5) {
		sb_printf(&t1, "%s: %s %s children looked after by %d", S->scen_name[idx[best]],
		          num, more, y_end);
		sb_printf(&t2, "Largest scenario effect: %s %s children looked after by %d", num,
		          more, y_end);
		sb_printf(&t3, "Scenarios change children looked after by up to %s", num);
	} else {
		sb_printf(&t1, "Scenarios make little difference to children looked after by %d",
		          y_end);
		sb_printf(&t2, "Scenarios change children looked after little");
		sb_printf(&t3, "Children looked after under each scenario");
	}
	const char *cands[] = { sb_str(&t1), sb_str(&t2), sb_str(&t3) };
	char *title = pick_title(cands, 3);
	sb_printf(&alt, "Line chart of children looked after under %zu scenario%s in %s (%s%s).", n,
	          n == 1 ? "" : "s", S->model_name[0] ? S->model_name : "the area modelled",
	          central, bands ? " and 90% range" : "");
	for (size_t i = 0; i < n; i++) {
		const chart_series *s = &cla[idx[i]];
		char m[32];
		fmt_count(series_mid(s, te), m, sizeof m);
		sb_printf(&alt, " %s: %s at %s", S->scen_name[idx[i]], m, when_long);
		if (bands) {
			char a[32], b[32];
			fmt_count(s->v[ST_P5][te], a, sizeof a);
			fmt_count(s->v[ST_P95][te], b, sizeof b);
			sb_printf(&alt, " (90%% range %s to %s)", a, b);
		}
		if (i > 0) {
			double d = series_mid(s, te) - base_end;
			char dn[32];
			fmt_count(fabs(d), dn, sizeof dn);
			if (fabs(d) >= 0.5)
				sb_printf(&alt, ", %s %s than the baseline", dn,
				          d < 0 ? "fewer" : "more");
			else
				sb_add(&alt, ", about the same as the baseline");
		}
		sb_add(&alt, ".");
	}
	sb_printf(&measure,
	          "Children looked after at each month end under each scenario: %s%s, the "
	          "baseline and at most %d series per chart",
	          central, bands ? " with 90% range (shaded)" : "", CC_CHART_MAX_SERIES);
	job_texts(&j, title, sb_str(&measure), NULL, sb_str(&alt));
	rc = job_finish(&j); /* CC_ENOMEM, the job released, when title is NULL */
	free(title);
	sb_free(&t1);
	sb_free(&t2);
	sb_free(&t3);
	sb_free(&alt);
	sb_free(&measure);
	return rc;
}

typedef struct {
	chart_series cla;  /* difference of the stock */
	chart_stat *spend; /* difference of total spend per year, or NULL */
} diff_data;

static int diff_chart(chart_ctx *c, const size_t *idx, size_t n, diff_data *D, size_t part)
{
	chart_summary *S = c->S;
	size_t F = S->n_fy;
	char stem[40];
	if (part == 1)
		snprintf(stem, sizeof stem, "scenario-difference");
	else
		snprintf(stem, sizeof stem, "scenario-difference-%zu", part);
	chart_job j;
	int rc = job_open(c, &j, stem, "difference", "Scenarios: difference from the baseline");
	if (rc != CC_OK)
		return rc;
	int bands = series_has_band(&D[idx[0]].cla);
	int spend = F > 0;
	for (size_t i = 0; i < n; i++)
		spend &= D[idx[i]].spend != NULL;
	int sp_bands = spend && stat_has_band(&D[idx[0]].spend[0]);
	const char *central = S->expected ? "mean" : "median";

	fputs("date", j.csv);
	for (size_t i = 0; i < n; i++) {
		csv_header_stat(j.csv, S->scen_name[idx[i]], "difference in children looked after");
		if (bands) {
			csv_header_stat(j.csv, S->scen_name[idx[i]], "difference p5");
			csv_header_stat(j.csv, S->scen_name[idx[i]], "difference p95");
		}
	}
	if (spend) {
		fputs(",financial_year", j.csv);
		for (size_t i = 0; i < n; i++) {
			csv_header_stat(j.csv, S->scen_name[idx[i]], "difference in spend");
			if (sp_bands) {
				csv_header_stat(j.csv, S->scen_name[idx[i]], "spend difference p5");
				csv_header_stat(j.csv, S->scen_name[idx[i]],
				                "spend difference p95");
			}
		}
	}
	fputc('\n', j.csv);
	double lo = 0, hi = 0, slo = 0, shi = 0;
	for (size_t t = 0; t < S->T; t++) {
		char ds[CC_DATE_STRLEN];
		cc_date_format(S->dates[t], ds);
		fputs(ds, j.csv);
		fprintf(j.dat, "%.10g", month_x(S, S->dates[t]));
		for (size_t i = 0; i < n; i++)
			band_cells(&j, &D[idx[i]].cla, t, bands, &lo, &hi);
		fputc('\n', j.dat);
		size_t f = F;
		for (size_t k = 0; k < F; k++)
			if (S->fy_month[k] == t + 1)
				f = k;
		if (spend) {
			if (f < F)
				fprintf(j.csv, ",%s", S->fy_label[f]);
			else
				fputc(',', j.csv);
			for (size_t i = 0; i < n; i++) {
				fputc(',', j.csv);
				if (f < F)
					csv_num(j.csv, stat_mid(&D[idx[i]].spend[f]));
				if (sp_bands) {
					fputc(',', j.csv);
					if (f < F)
						csv_num(j.csv, D[idx[i]].spend[f].v[ST_P5]);
					fputc(',', j.csv);
					if (f < F)
						csv_num(j.csv, D[idx[i]].spend[f].v[ST_P95]);
				}
			}
		}
		fputc('\n', j.csv);
	}
	fputs("\n\n", j.dat);
	for (size_t f = 0; f < F && spend; f++) {
		double months;
		if (cs_number(S, S->fy[f], "months", &months) <= 0)
			months = 12;
		fprintf(j.dat, "%.10g", (double)S->fy_month[f] - months / 2);
		for (size_t i = 0; i < n; i++) {
			double m = stat_mid(&D[idx[i]].spend[f]);
			fprintf(j.dat, "\t%.10g", m);
			slo = fmin(slo, m);
			shi = fmax(shi, m);
		}
		fputc('\n', j.dat);
	}
	if (!spend)
		fputs("0\tNaN\n", j.dat);
	chart_axis ya, sa;
	chart_axis_nice(lo, hi, 1, 1, 6, &ya);
	chart_axis_nice(slo, shi, 1, 0, 4, &sa);
	chart_axis_vars(&j.vars, "ytic", &ya, AXIS_COUNT);
	chart_axis_vars(&j.vars, "stic", &sa, AXIS_MONEY);
	job_fy_axis(&j, -0.5, (double)S->T + 0.5);
	job_num(&j, "n_series", (double)n);
	job_num(&j, "bands", bands);
	job_num(&j, "has_spend", spend);
	job_str(&j, "ylabel", "Difference from the baseline in children looked after");
	job_str(&j, "slabel", "Difference from the baseline in spend per financial year");
	const char *names[CC_CHART_MAX_SERIES];
	char shortn[CC_CHART_MAX_SERIES][LEGEND_NAME_MAX * 4 + 8];
	for (size_t i = 0; i < n; i++) {
		short_name(S->scen_name[idx[i]], shortn[i], sizeof shortn[i]);
		names[i] = shortn[i];
	}
	gp_string_array(&j, "series_name", names, n);

	/* Texts: spend when the run has costs (what the lever is for), else
	 * the stock. */
	size_t te = end_month(S) - 1;
	sbuf t1, t2, t3, alt, measure;
	sb_init(&t1);
	sb_init(&t2);
	sb_init(&t3);
	sb_init(&alt);
	sb_init(&measure);
	size_t best = 0;
	double best_d = 0;
	int y_end, mo, dd;
	cc_date_to_ymd(S->dates[te], &y_end, &mo, &dd);
	if (spend) {
		for (size_t i = 0; i < n; i++) {
			double d = stat_mid(&D[idx[i]].spend[F - 1]);
			if (fabs(d) > fabs(best_d)) {
				best_d = d;
				best = i;
			}
		}
		char m[32];
		fmt_money(fabs(best_d), 0, m, sizeof m);
		const char *lbl = S->fy_label[F - 1];
		if (fabs(best_d) >= 500) {
			if (best_d < 0) {
				sb_printf(&t1, "%s saves %s in %s", S->scen_name[idx[best]], m,
				          lbl);
				sb_printf(&t2, "Largest scenario saving: %s in %s", m, lbl);
			} else {
				sb_printf(&t1, "%s costs %s more in %s", S->scen_name[idx[best]], m,
				          lbl);
				sb_printf(&t2, "Largest scenario cost: %s more in %s", m, lbl);
			}
			sb_printf(&t3, "Scenarios change spend by up to %s a year", m);
		} else {
			sb_printf(&t1, "Scenarios make little difference to spend in %s", lbl);
			sb_printf(&t2, "Scenarios change spend little");
			sb_printf(&t3, "Scenario spend against the baseline");
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			double d = series_mid(&D[idx[i]].cla, te);
			if (fabs(d) > fabs(best_d)) {
				best_d = d;
				best = i;
			}
		}
		char m[32];
		fmt_count(fabs(best_d), m, sizeof m);
		const char *more = best_d < 0 ? "fewer" : "more";
		if (fabs(best_d) >= 0.5) {
			sb_printf(&t1, "%s: %s %s children looked after by %d",
			          S->scen_name[idx[best]], m, more, y_end);
			sb_printf(&t2, "Largest scenario effect: %s %s children by %d", m, more,
			          y_end);
			sb_printf(&t3, "Scenarios change children looked after by up to %s", m);
		} else {
			sb_printf(&t1, "Scenarios make little difference to children looked after");
			sb_printf(&t2, "Scenarios change children looked after little");
			sb_printf(&t3, "Scenarios against the baseline");
		}
	}
	const char *cands[] = { sb_str(&t1), sb_str(&t2), sb_str(&t3) };
	char *title = pick_title(cands, 3);
	char when_long[40];
	fmt_date_long(S->dates[te], when_long, sizeof when_long);
	sb_printf(&alt,
	          "Line chart of the difference each scenario makes to the number of children "
	          "looked after in %s, compared with the baseline on the same random numbers "
	          "(%s%s)%s.",
	          S->model_name[0] ? S->model_name : "the area modelled", central,
	          bands ? " and 90% range" : "",
	          spend ? ", with the difference in spend per financial year below" : "");
	for (size_t i = 0; i < n; i++) {
		const chart_series *s = &D[idx[i]].cla;
		char m[32];
		double d = series_mid(s, te);
		fmt_count(fabs(d), m, sizeof m);
		sb_printf(&alt, " %s: %s%s children at %s", S->scen_name[idx[i]],
		          d < -0.5 ? "-" : (d > 0.5 ? "+" : ""), m, when_long);
		if (bands) {
			char a[32], b[32];
			fmt_count(s->v[ST_P5][te], a, sizeof a);
			fmt_count(s->v[ST_P95][te], b, sizeof b);
			sb_printf(&alt, " (90%% range %s to %s)", a, b);
		}
		if (spend) {
			char sp[32];
			double v = stat_mid(&D[idx[i]].spend[F - 1]);
			fmt_money(fabs(v), 1, sp, sizeof sp);
			sb_printf(&alt, "; spend %s%s in %s", v < 0 ? "-" : (v > 0 ? "+" : ""), sp,
			          S->fy_label[F - 1]);
		}
		sb_add(&alt, ".");
	}
	sb_printf(&measure,
	          "Scenario minus baseline in children looked after at each month end (%s%s)%s",
	          central, bands ? ", 90% range shaded" : "",
	          spend ? "; below, in spend per financial year (pounds)" : "");
	job_texts(&j, title, sb_str(&measure), NULL, sb_str(&alt));
	rc = job_finish(&j); /* CC_ENOMEM, the job released, when title is NULL */
	free(title);
	sb_free(&t1);
	sb_free(&t2);
	sb_free(&t3);
	sb_free(&alt);
	sb_free(&measure);
	return rc;
}

int chart_scenarios(chart_ctx *c)
{
	chart_summary *S = c->S;
	size_t N = S->n_scen;
	if (N < 2) {
		chart_note(c, "only the baseline in this run: scenario charts skipped");
		return CC_OK;
	}
	chart_series *cla = calloc(N, sizeof *cla);
	diff_data *D = calloc(N, sizeof *D);
	size_t *idx = malloc(N * sizeof *idx);
	int rc = cla && D && idx ? CC_OK : CC_ENOMEM;
	size_t with_diff = 0;
	for (size_t s = 0; s < N && rc == CC_OK; s++) {
		int r = cs_series(S, S->scen[s], "monthly/cla_total", &cla[s]);
		if (r == 0)
			cc_jdoc_error(S->doc, S->scen[s],
			              "missing \"monthly\" with \"cla_total\" in scenario \"%s\"",
			              S->scen_name[s]);
		if (r <= 0) {
			rc = r == -2 ? CC_ENOMEM : CC_EPARSE;
			break;
		}
		if (s == 0)
			continue;
		const cJSON *dv = cs_at(S->scen[s], "difference_vs_baseline");
		if (!dv)
			continue;
		r = cs_series(S, dv, "monthly/cla_total", &D[s].cla);
		if (r == 0)
			continue;
		if (r < 0) {
			rc = r == -2 ? CC_ENOMEM : CC_EPARSE;
			break;
		}
		with_diff++;
		const cJSON *fys = cs_at(dv, "financial_years");
		if (S->n_fy > 0 && cJSON_IsArray(fys) &&
		    (size_t)cJSON_GetArraySize(fys) == S->n_fy &&
		    cs_at(cJSON_GetArrayItem(fys, 0), "spend/total")) {
			D[s].spend = calloc(S->n_fy, sizeof *D[s].spend);
			if (!D[s].spend) {
				rc = CC_ENOMEM;
				break;
			}
			size_t f = 0;
			for (const cJSON *y = fys->child; y && rc == CC_OK; y = y->next, f++)
				if (cs_stat(S, y, "spend/total", &D[s].spend[f]) <= 0) {
					cc_jdoc_error(S->doc, y,
					              "expected \"spend\" with \"total\"");
					rc = CC_EPARSE;
				}
		}
	}
	/* The stock: the baseline and up to three scenarios per chart. */
	size_t per = CC_CHART_MAX_SERIES - 1, part = 1;
	for (size_t s = 1; s < N && rc == CC_OK; s += per, part++) {
		size_t n = 1;
		idx[0] = 0;
		for (size_t k = s; k < N && k < s + per; k++)
			idx[n++] = k;
		rc = stock_chart(c, idx, n, cla, part);
	}
	/* The differences: up to four scenarios per chart. */
	if (rc == CC_OK && with_diff == 0)
		chart_note(c, "no \"difference_vs_baseline\" in the scenarios: difference chart "
		              "skipped");
	part = 1;
	size_t n = 0;
	for (size_t s = 1; s < N && rc == CC_OK; s++) {
		if (D[s].cla.n == 0)
			continue;
		idx[n++] = s;
		if (n == CC_CHART_MAX_SERIES) {
			rc = diff_chart(c, idx, n, D, part++);
			n = 0;
		}
	}
	if (rc == CC_OK && n > 0)
		rc = diff_chart(c, idx, n, D, part);
	for (size_t s = 0; s < N && cla && D; s++) {
		cs_series_free(&cla[s]);
		cs_series_free(&D[s].cla);
		free(D[s].spend);
	}
	free(cla);
	free(D);
	free(idx);
	return rc;
}
