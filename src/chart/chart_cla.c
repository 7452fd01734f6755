/*
 * chart_cla.c - children looked after: the observed history (solid), the
 * forecast median (dashed) with its 50% and 90% bands, and the forecast start.
 *
 * The forecast is drawn from the base date, where it equals the starting
 * population (the first year's cla_start), so it joins the observed line.
 * The title compares the median at the last 31 March of the horizon with the
 * stock at the base date.
 */
#include "chart_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Words for a change: "rise 8%", "fall 5%", or "" when under half a percent. */
static void change_words(double from, double to, char *buf, size_t size)
{
	double pct = from > 0 ? 100.0 * (to - from) / from : 0;
	if (fabs(pct) < 0.5)
		buf[0] = '\0';
	else
		snprintf(buf, size, "%s %.0f%%", pct > 0 ? "rise" : "fall", fabs(pct));
}

int chart_cla(chart_ctx *c)
{
	chart_summary *S = c->S;
	const cJSON *base = S->scen[0];
	chart_series cla;
	int r = cs_series(S, base, "monthly/cla_total", &cla);
	if (r == 0) {
		cc_jdoc_error(S->doc, cs_at(base, "monthly"),
		              "missing \"cla_total\": expected a statistics object");
		return CC_EPARSE;
	}
	if (r < 0)
		return r == -2 ? CC_ENOMEM : CC_EPARSE;

	/* The stock at the base date. */
	double start = NAN;
	chart_stat st;
	if (S->n_fy > 0 && (r = cs_stat(S, S->fy[0], "cla_start", &st)) > 0)
		start = st.v[ST_MEAN];
	else if (r < 0) {
		cs_series_free(&cla);
		return CC_EPARSE;
	}
	if (isnan(start) && S->n_hist > 0 && S->hist_date[S->n_hist - 1] == S->base_date)
		start = S->hist_total[S->n_hist - 1];

	/* The end: the last 31 March in the horizon (or the last month). */
	size_t t_end = S->n_fy > 0 ? S->fy_month[S->n_fy - 1] : S->T;
	cc_date d_end = S->dates[t_end - 1];
	double end = series_mid(&cla, t_end - 1);
	int bands = series_has_band(&cla), iqr = series_has_iqr(&cla);

	chart_job j;
	int rc = job_open(c, &j, "cla", "cla", "Children looked after");
	if (rc != CC_OK) {
		cs_series_free(&cla);
		return rc;
	}
	const char *central = S->expected ? "mean" : "median";

	/* Data: block 0 the forecast, block 1 the history. */
	double lo = INFINITY, hi = -INFINITY;
	if (!isnan(start)) {
		fprintf(j.dat, "0\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\n", start, start, start, start,
		        start);
		lo = hi = start;
	}
	for (size_t t = 0; t < S->T; t++) {
		double m = series_mid(&cla, t);
		double p5 = bands ? cla.v[ST_P5][t] : m, p95 = bands ? cla.v[ST_P95][t] : m;
		double p25 = iqr ? cla.v[ST_P25][t] : m, p75 = iqr ? cla.v[ST_P75][t] : m;
		fprintf(j.dat, "%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\n",
		        month_x(S, S->dates[t]), m, p5, p25, p75, p95);
		lo = fmin(lo, fmin(m, p5));
		hi = fmax(hi, fmax(m, p95));
	}
	fputs("\n\n", j.dat);
	for (size_t i = 0; i < S->n_hist; i++) {
		fprintf(j.dat, "%.10g\t%.10g\n", month_x(S, S->hist_date[i]), S->hist_total[i]);
		lo = fmin(lo, S->hist_total[i]);
		hi = fmax(hi, S->hist_total[i]);
	}

	/* The table: observed and forecast side by side, one row per date. */
	fprintf(j.csv, "date,observed,%s", central);
	if (bands)
		fputs(iqr ? ",p5,p25,p75,p95" : ",p5,p95", j.csv);
	fputc('\n', j.csv);
	char ds[CC_DATE_STRLEN];
	for (size_t i = 0; i < S->n_hist; i++) {
		if (S->hist_date[i] == S->base_date)
			continue;
		cc_date_format(S->hist_date[i], ds);
		fprintf(j.csv, "%s,", ds);
		csv_num(j.csv, S->hist_total[i]);
		fputs(",", j.csv);
		if (bands)
			fputs(iqr ? ",,,," : ",,", j.csv);
		fputc('\n', j.csv);
	}
	cc_date_format(S->base_date, ds);
	fprintf(j.csv, "%s,", ds);
	if (S->n_hist > 0 && S->hist_date[S->n_hist - 1] == S->base_date)
		csv_num(j.csv, S->hist_total[S->n_hist - 1]);
	fputc(',', j.csv);
	csv_num(j.csv, start);
	if (bands)
		fputs(iqr ? ",,,," : ",,", j.csv);
	fputc('\n', j.csv);
	for (size_t t = 0; t < S->T; t++) {
		cc_date_format(S->dates[t], ds);
		fprintf(j.csv, "%s,,", ds);
		csv_num(j.csv, series_mid(&cla, t));
		if (bands) {
			int ks[4] = { ST_P5, ST_P25, ST_P75, ST_P95 };
			for (int k = 0; k < 4; k++) {
				if (!iqr && (ks[k] == ST_P25 || ks[k] == ST_P75))
					continue;
				fputc(',', j.csv);
				csv_num(j.csv, cla.v[ks[k]][t]);
			}
		}
		fputc('\n', j.csv);
	}

	/* Settings. */
	chart_axis ya;
	chart_axis_nice(lo, hi, lo <= 0.6 * hi, 1, 7, &ya);
	chart_axis_vars(&j.vars, "ytic", &ya, AXIS_COUNT);
	double x0 = S->n_hist > 0 ? fmin(0, month_x(S, S->hist_date[0])) : 0;
	job_fy_axis(&j, x0 - 0.5, (double)S->T + 0.5);
	job_num(&j, "has_history", S->n_hist > 0);
	job_num(&j, "bands", bands);
	job_num(&j, "iqr", iqr);
	job_num(&j, "forecast_x", 0);
	job_str(&j, "ylabel", "Children looked after");
	job_str(&j, "central_label", S->expected ? "Mean (expected)" : "Median");

	/* Texts. */
	char when[40], when_long[40], n_end[32], n_start[32], chg[32];
	fmt_month_year(d_end, when, sizeof when);
	fmt_date_long(d_end, when_long, sizeof when_long);
	fmt_count(end, n_end, sizeof n_end);
	fmt_count(start, n_start, sizeof n_start);
	change_words(start, end, chg, sizeof chg);
	sbuf t1, t2, t3, alt, measure, period;
	sb_init(&t1);
	sb_init(&t2);
	sb_init(&t3);
	sb_init(&alt);
	sb_init(&measure);
	sb_init(&period);
	if (isnan(start) || start <= 0)
		sb_printf(&t1, "Children looked after forecast to reach %s by %s", n_end, when);
	else if (chg[0])
		sb_printf(&t1, "Children looked after forecast to %s by %s", chg, when);
	else
		sb_printf(&t1, "Children looked after forecast to stay level to %s", when);
	sb_printf(&t2, "Children looked after: %s forecast for %s", n_end, when);
	sb_printf(&t3, "Children looked after forecast to %s", when);
	const char *cands[] = { sb_str(&t1), sb_str(&t2), sb_str(&t3) };
	char *title = pick_title(cands, 3);

	sb_printf(&alt, "Line chart of the number of children looked after in %s.",
	          S->model_name[0] ? S->model_name : "the area modelled");
	if (S->n_hist > 1) {
		char a[32], b[32], da[40], db[40];
		fmt_count(S->hist_total[0], a, sizeof a);
		fmt_count(S->hist_total[S->n_hist - 1], b, sizeof b);
		fmt_date_long(S->hist_date[0], da, sizeof da);
		fmt_date_long(S->hist_date[S->n_hist - 1], db, sizeof db);
		double h0 = S->hist_total[0], h1 = S->hist_total[S->n_hist - 1];
		sb_printf(&alt, " Observed figures %s from %s at %s to %s at %s.",
		          h1 > h0 ? "rise" : (h1 < h0 ? "fall" : "stay"), a, da, b, db);
	}
	char base_long[40];
	fmt_date_long(S->base_date, base_long, sizeof base_long);
	if (!isnan(start))
		sb_printf(&alt, " The forecast starts from %s children at %s.", n_start, base_long);
	sb_printf(&alt, " The %s forecast is %s at %s", S->expected ? "expected (mean)" : "median",
	          n_end, when_long);
	if (!isnan(start) && start > 0)
		sb_printf(&alt, ", %.0f%% %s than at the start", fabs(100 * (end - start) / start),
		          end >= start ? "higher" : "lower");
	sb_add(&alt, ".");
	if (bands) {
		char a[32], b[32];
		fmt_count(cla.v[ST_P5][t_end - 1], a, sizeof a);
		fmt_count(cla.v[ST_P95][t_end - 1], b, sizeof b);
		sb_printf(&alt, " In 90%% of simulations it is between %s and %s", a, b);
		if (iqr) {
			fmt_count(cla.v[ST_P25][t_end - 1], a, sizeof a);
			fmt_count(cla.v[ST_P75][t_end - 1], b, sizeof b);
			sb_printf(&alt, ", and in half of them between %s and %s", a, b);
		}
		sb_add(&alt, ".");
	}
	sb_printf(&measure, "Children looked after at each month end: %s%s",
	          S->n_hist > 0 ? "observed (solid), " : "",
	          S->expected ? "expected value (dashed)"
	                      : "forecast median (dashed) with 50% and 90% ranges of simulations");
	if (S->n_hist > 0) {
		char from[40];
		fmt_month_year(S->hist_date[0], from, sizeof from);
		sb_printf(&period, "observed from %s, forecast %s", from, c->period);
	}
	job_texts(&j, title, sb_str(&measure), S->n_hist > 0 ? sb_str(&period) : NULL,
	          sb_str(&alt));
	rc = job_finish(&j); /* CC_ENOMEM, the job released, when title is NULL */
	free(title);
	sb_free(&t1);
	sb_free(&t2);
	sb_free(&t3);
	sb_free(&alt);
	sb_free(&measure);
	sb_free(&period);
	cs_series_free(&cla);
	return rc;
}
