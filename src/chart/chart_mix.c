/*
 * chart_mix.c - the placement mix: children by category at each 31 March,
 * stacked bars of the median (observed years first, where the history gives
 * every category).
 *
 * The palette has six colours, so with more than six categories the five
 * largest (at the last 31 March) are drawn and the rest are stacked together
 * as "All other categories"; the CSV keeps every category. Segments are
 * named by direct labels beside the last bar, spaced so they never overlap,
 * so colour is not the only way to tell them apart. Medians by category need
 * not add up to the median total; the caption says so.
 */
#include "chart_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BARS 256
#define MAX_SEGS 6

typedef struct {
	size_t n_bars, n_obs;
	cc_date date[MAX_BARS];
	double v[MAX_BARS][CC_MAX_LIST]; /* [bar][category] */
} mix_data;

/* Observed 31 Marches (or other history dates) where every category is known. */
static int observed_bars(chart_summary *S, mix_data *M)
{
	if (!S->hist_by_category)
		return 0;
	for (size_t i = 0; i < S->n_hist && M->n_bars < MAX_BARS / 2; i++) {
		if (S->hist_date[i] > S->base_date)
			continue;
		int all = 1;
		for (size_t k = 0; k < S->K && all; k++) {
			const cJSON *a =
			    cJSON_GetObjectItemCaseSensitive(S->hist_by_category, S->cat[k]);
			const cJSON *v = a ? cJSON_GetArrayItem(a, (int)i) : NULL;
			if (!cJSON_IsNumber(v))
				all = 0;
			else
				M->v[M->n_bars][k] = v->valuedouble;
		}
		if (all)
			M->date[M->n_bars++] = S->hist_date[i];
	}
	M->n_obs = M->n_bars;
	return 0;
}

typedef struct {
	size_t k;
	double last;
} cat_size;

static int cmp_size(const void *a, const void *b)
{
	const cat_size *x = a, *y = b;
	return x->last > y->last ? -1 : x->last < y->last ? 1 : (x->k > y->k) - (x->k < y->k);
}

int chart_mix(chart_ctx *c)
{
	chart_summary *S = c->S;
	if (S->n_fy == 0) {
		chart_note(c, "no 31 March in the horizon: placement mix chart skipped");
		return CC_OK;
	}
	mix_data *M = calloc(1, sizeof *M);
	if (!M)
		return CC_ENOMEM;
	observed_bars(S, M);
	int rc = CC_OK;
	for (size_t k = 0; k < S->K; k++) {
		char path[96];
		snprintf(path, sizeof path, "monthly/by_category/%s", S->cat[k]);
		chart_series s;
		int r = cs_series(S, S->scen[0], path, &s);
		if (r <= 0) {
			if (r == 0)
				cc_jdoc_error(S->doc, cs_at(S->scen[0], "monthly"),
				              "missing \"by_category\" series for \"%s\"",
				              S->cat[k]);
			free(M);
			return r == -2 ? CC_ENOMEM : CC_EPARSE;
		}
		for (size_t f = 0; f < S->n_fy && M->n_obs + f < MAX_BARS; f++)
			M->v[M->n_obs + f][k] = series_mid(&s, S->fy_month[f] - 1);
		cs_series_free(&s);
	}
	for (size_t f = 0; f < S->n_fy && M->n_bars < MAX_BARS; f++)
		M->date[M->n_bars++] = S->fy_to[f];
	size_t last = M->n_bars - 1;

	/* Segments: categories by size at the last bar; beyond five, the rest
	 * share one segment. */
	cat_size order[CC_MAX_LIST];
	for (size_t k = 0; k < S->K; k++) {
		order[k].k = k;
		order[k].last = M->v[last][k];
	}
	qsort(order, S->K, sizeof order[0], cmp_size);
	size_t n_seg = S->K <= MAX_SEGS ? S->K : MAX_SEGS;
	int grouped = S->K > MAX_SEGS;
	int seg_of[CC_MAX_LIST];
	for (size_t i = 0; i < S->K; i++)
		seg_of[order[i].k] = (int)(i < n_seg - (size_t)grouped ? i : n_seg - 1);

	chart_job j;
	rc = job_open(c, &j, "placement-mix", "mix", "Placement mix at 31 March");
	if (rc != CC_OK) {
		free(M);
		return rc;
	}

	/* Table: every category. */
	fputs("date,status", j.csv);
	for (size_t k = 0; k < S->K; k++) {
		fputc(',', j.csv);
		csv_text(j.csv, S->cat[k]);
	}
	fputs(",sum_of_categories\n", j.csv);
	double top = 0;
	for (size_t b = 0; b < M->n_bars; b++) {
		char ds[CC_DATE_STRLEN];
		cc_date_format(M->date[b], ds);
		fprintf(j.csv, "%s,%s", ds,
		        b < M->n_obs ? "observed"
		                     : (S->expected ? "forecast mean" : "forecast median"));
		double sum = 0;
		for (size_t k = 0; k < S->K; k++) {
			fputc(',', j.csv);
			csv_num(j.csv, M->v[b][k]);
			sum += M->v[b][k];
		}
		fputc(',', j.csv);
		csv_num(j.csv, sum);
		fputc('\n', j.csv);
		top = fmax(top, sum);
	}

	/* Data: block 0 bars (x, label, cumulative tops by segment). */
	double seg_v[MAX_SEGS];
	for (size_t b = 0; b < M->n_bars; b++) {
		memset(seg_v, 0, sizeof seg_v);
		for (size_t k = 0; k < S->K; k++)
			seg_v[seg_of[k]] += M->v[b][k];
		int y, mo, d;
		cc_date_to_ymd(M->date[b], &y, &mo, &d);
		static const char *const mon[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
			                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
		/* Bars at their dates (in years from the base date), so a
		 * missing year shows as a gap. */
		if (mo == 3 && d == 31)
			fprintf(j.dat, "%.10g\t%d", month_x(S, M->date[b]) / 12, y);
		else
			fprintf(j.dat, "%.10g\t%s %d", month_x(S, M->date[b]) / 12, mon[mo - 1], y);
		double cum = 0;
		for (size_t s = 0; s < n_seg; s++) {
			cum += seg_v[s];
			fprintf(j.dat, "\t%.10g", cum);
		}
		fputc('\n', j.dat);
	}
	/* Texts: the category whose share changes most. */
	size_t first = 0;
	double tot0 = 0, tot1 = 0;
	for (size_t k = 0; k < S->K; k++) {
		tot0 += M->v[first][k];
		tot1 += M->v[last][k];
	}
	size_t best = order[0].k;
	double best_d = 0;
	for (size_t k = 0; k < S->K && tot0 > 0 && tot1 > 0; k++) {
		double dsh = 100 * (M->v[last][k] / tot1 - M->v[first][k] / tot0);
		if (fabs(dsh) > fabs(best_d) + 1e-9) {
			best_d = dsh;
			best = k;
		}
	}
	char name[64], lname[64];
	display_category(S->cat[best], name, sizeof name);
	snprintf(lname, sizeof lname, "%s", name);
	lname[0] = (char)(lname[0] >= 'A' && lname[0] <= 'Z' ? lname[0] - 'A' + 'a' : lname[0]);
	double sh0 = tot0 > 0 ? 100 * M->v[first][best] / tot0 : 0;
	double sh1 = tot1 > 0 ? 100 * M->v[last][best] / tot1 : 0;
	int y1, mo, d;
	cc_date_to_ymd(M->date[last], &y1, &mo, &d);
	sbuf t1, t2, t3, alt, measure;
	sb_init(&t1);
	sb_init(&t2);
	sb_init(&t3);
	sb_init(&alt);
	sb_init(&measure);
	if (fabs(best_d) >= 2 && M->n_bars > 1) {
		sb_printf(&t1, "%s share forecast to %s from %.0f%% to %.0f%% by %d", name,
		          best_d > 0 ? "rise" : "fall", sh0, sh1, y1);
		sb_printf(&t2, "%s share forecast to %s to %.0f%% by %d", name,
		          best_d > 0 ? "rise" : "fall", sh1, y1);
		sb_printf(&t3, "Placement mix forecast to shift by %d", y1);
	} else {
		char big[64];
		display_category(S->cat[order[0].k], big, sizeof big);
		sb_printf(&t1, "Placement mix forecast to stay similar to %d", y1);
		sb_printf(&t2, "%s remains the largest placement type to %d", big, y1);
		sb_printf(&t3, "Placement mix to %d", y1);
	}
	const char *cands[] = { sb_str(&t1), sb_str(&t2), sb_str(&t3) };
	char *title = pick_title(cands, 3);

	sb_printf(&alt,
	          "Stacked bar chart of children looked after by placement category at each 31 "
	          "March in %s%s.",
	          S->model_name[0] ? S->model_name : "the area modelled",
	          M->n_obs ? ", observed years first" : "");
	size_t show[2] = { first, last };
	for (int i = 0; i < (M->n_bars > 1 ? 2 : 1); i++) {
		size_t b = show[i ? 1 : 0];
		char dl[40];
		fmt_date_long(M->date[b], dl, sizeof dl);
		double tot = i ? tot1 : tot0;
		sb_printf(&alt, " At %s (%s):", dl,
		          b < M->n_obs ? "observed"
		                       : (S->expected ? "expected values" : "median forecast"));
		int any = 0;
		for (size_t o = 0; o < S->K; o++) {
			size_t k = order[o].k;
			if (M->v[b][k] <= 0)
				continue;
			char cn[64], num[32];
			display_category(S->cat[k], cn, sizeof cn);
			fmt_num(M->v[b][k], num, sizeof num);
			sb_printf(&alt, "%s %s %s (%.0f%%)", any ? "," : "", cn, num,
			          tot > 0 ? 100 * M->v[b][k] / tot : 0.0);
			any = 1;
		}
		sb_add(&alt, any ? "." : " none.");
	}
	if (M->n_bars > 1 && fabs(best_d) >= 0.5)
		sb_printf(&alt, " The largest change in share is %s, from %.0f%% to %.0f%%.", lname,
		          sh0, sh1);
	sb_printf(&measure,
	          "Children looked after by placement category at each 31 March: %s by category "
	          "(these need not add up to the %s total)",
	          S->expected ? "expected values" : "medians", S->expected ? "expected" : "median");
	if (!title) {
		rc = CC_ENOMEM;
		goto done;
	}
	job_texts(&j, title, sb_str(&measure), NULL, sb_str(&alt));

	/* Block 1: direct labels beside the last bar: x, y, text, segment
	 * middle. */
	chart_axis ya;
	chart_axis_nice(0, top, 1, 1, 7, &ya);
	memset(seg_v, 0, sizeof seg_v);
	for (size_t k = 0; k < S->K; k++)
		seg_v[seg_of[k]] += M->v[last][k];
	double sum_last = 0, mid[MAX_SEGS], ly[MAX_SEGS];
	for (size_t s = 0; s < n_seg; s++)
		sum_last += seg_v[s];
	double cum = 0;
	char seg_name[MAX_SEGS][64];
	size_t label_chars = 0;
	for (size_t s = 0; s < n_seg; s++) {
		mid[s] = ly[s] = cum + seg_v[s] / 2;
		cum += seg_v[s];
		if (grouped && s == n_seg - 1)
			snprintf(seg_name[s], sizeof seg_name[s], "All other categories");
		else
			display_category(S->cat[order[s].k], seg_name[s], sizeof seg_name[s]);
	}
	/* Labels at least one text line apart, in data units. */
	double px = chart_plot_height_px(j.title_lines, j.caption_lines, 0);
	double gap = (ya.max - ya.min) * (CC_CHART_FONT_PX * 1.2) / px;
	repel_labels(ly, n_seg, gap, ya.min + gap / 2, ya.max);
	for (size_t s = 0; s < n_seg; s++) {
		char txt[96];
		snprintf(txt, sizeof txt, "%s %.0f%%", seg_name[s],
		         sum_last > 0 ? 100 * seg_v[s] / sum_last : 0.0);
		fprintf(j.dat, "%s%.10g\t%.10g\t%s\t%.10g\n", s == 0 ? "\n\n" : "",
		        month_x(S, M->date[last]) / 12 + 0.4, ly[s], txt, mid[s]);
		size_t n = strlen(txt);
		label_chars = n > label_chars ? n : label_chars;
	}

	/* Settings. */
	static const char *const colours[MAX_SEGS] = { "#12436D", "#28A197", "#801650",
		                                       "#F46A25", "#A285D1", "#3D3D3D" };
	sbuf cl;
	sb_init(&cl);
	for (size_t s = 0; s < n_seg; s++) {
		const char *col = colours[s];
		if (grouped && s == n_seg - 1)
			col = "#3D3D3D";
		else if (grouped && s == 4)
			col = "#A285D1";
		sb_printf(&cl, "%s%s", s ? " " : "", col);
	}
	job_str(&j, "seg_colours", sb_str(&cl));
	sb_free(&cl);
	job_num(&j, "n_seg", (double)n_seg);
	job_num(&j, "n_bars", (double)M->n_bars);
	job_num(&j, "n_obs", (double)M->n_obs);
	job_num(&j, "split_x",
	        M->n_obs > 0 && M->n_obs < M->n_bars
	            ? (month_x(S, M->date[M->n_obs - 1]) + month_x(S, M->date[M->n_obs])) / 24
	            : 0);
	job_num(&j, "right_px", 26 + (double)label_chars * CC_CHART_FONT_PX * 0.56);
	chart_axis_vars(&j.vars, "ytic", &ya, AXIS_COUNT);
	job_num(&j, "xmin", month_x(S, M->date[0]) / 12 - 0.6);
	job_num(&j, "xmax", month_x(S, M->date[last]) / 12 + 0.41);
	job_str(&j, "xtic_pos", "");
	job_str(&j, "xtic_lab", "");
	job_str(&j, "ylabel", "Children looked after at 31 March of each year");

	rc = job_finish(&j);
done:
	if (rc != CC_OK && j.ctx)
		job_abort(&j);
	free(title);
	sb_free(&t1);
	sb_free(&t2);
	sb_free(&t3);
	sb_free(&alt);
	sb_free(&measure);
	free(M);
	return rc;
}
