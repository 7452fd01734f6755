/*
 * chart_flows.c - entries and exits per financial year, exits by reason.
 *
 * Each year has two bars: entries (left) and exits stacked by reason
 * (right), medians. The four commonest reasons over the horizon are drawn
 * and the rest stacked as "Other reasons" (the CSV keeps every reason); the
 * reasons are named by direct labels beside the last bar. Medians by reason
 * need not add up to the median of all exits; the caption says so.
 */
#include "chart_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REASON_SEGS 5

typedef struct {
	size_t k;
	double total;
} reason_size;

static int cmp_reason(const void *a, const void *b)
{
	const reason_size *x = a, *y = b;
	return x->total > y->total ? -1 : x->total < y->total ? 1 : (x->k > y->k) - (x->k < y->k);
}

int chart_flows(chart_ctx *c)
{
	chart_summary *S = c->S;
	size_t F = S->n_fy, R = S->n_reasons;
	if (F == 0) {
		chart_note(c, "no whole financial year in the horizon: entries and exits chart "
		              "skipped");
		return CC_OK;
	}
	chart_stat *ent = calloc(F, sizeof *ent), *ext = calloc(F, sizeof *ext);
	chart_stat *by = calloc(F * (R ? R : 1), sizeof *by);
	if (!ent || !ext || !by) {
		free(ent);
		free(ext);
		free(by);
		return CC_ENOMEM;
	}
	int rc = CC_OK;
	for (size_t f = 0; f < F && rc == CC_OK; f++) {
		if (cs_stat(S, S->fy[f], "entries", &ent[f]) <= 0 ||
		    cs_stat(S, S->fy[f], "exits/total", &ext[f]) <= 0) {
			cc_jdoc_error(S->doc, S->fy[f],
			              "expected \"entries\" and \"exits\" statistics in %s",
			              S->fy_label[f]);
			rc = CC_EPARSE;
		}
		for (size_t r = 0; r < R && rc == CC_OK; r++) {
			char path[96];
			snprintf(path, sizeof path, "exits/by_reason/%s", S->reason[r]);
			if (cs_stat(S, S->fy[f], path, &by[f * R + r]) < 0)
				rc = CC_EPARSE;
		}
	}
	if (rc != CC_OK) {
		free(ent);
		free(ext);
		free(by);
		return rc;
	}
	int bands = stat_has_band(&ent[0]);

	/* Segments: the commonest reasons; the rest together. */
	reason_size order[CC_MAX_LIST + 1];
	for (size_t r = 0; r < R; r++) {
		order[r].k = r;
		order[r].total = 0;
		for (size_t f = 0; f < F; f++)
			order[r].total += stat_mid(&by[f * R + r]);
	}
	qsort(order, R, sizeof order[0], cmp_reason);
	size_t n_seg = R <= MAX_REASON_SEGS ? R : MAX_REASON_SEGS;
	int grouped = R > MAX_REASON_SEGS;
	int seg_of[CC_MAX_LIST + 1];
	for (size_t i = 0; i < R; i++)
		seg_of[order[i].k] = (int)(i < n_seg - (size_t)grouped ? i : n_seg - 1);

	chart_job j;
	rc = job_open(c, &j, "entries-exits", "flows", "Entries and exits per financial year");
	if (rc != CC_OK) {
		free(ent);
		free(ext);
		free(by);
		return rc;
	}
	const char *central = S->expected ? "mean" : "median";

	/* Table: every reason. */
	fprintf(j.csv, "financial_year,entries_%s%s,exits_%s%s", central,
	        bands ? ",entries_p5,entries_p95" : "", central,
	        bands ? ",exits_p5,exits_p95" : "");
	for (size_t r = 0; r < R; r++) {
		fputs(",exits_", j.csv);
		csv_text(j.csv, S->reason[r]);
		fprintf(j.csv, "_%s", central);
	}
	fputc('\n', j.csv);
	double top = 0;
	for (size_t f = 0; f < F; f++) {
		fprintf(j.csv, "%s,", S->fy_label[f]);
		csv_num(j.csv, stat_mid(&ent[f]));
		if (bands) {
			fputc(',', j.csv);
			csv_num(j.csv, ent[f].v[ST_P5]);
			fputc(',', j.csv);
			csv_num(j.csv, ent[f].v[ST_P95]);
		}
		fputc(',', j.csv);
		csv_num(j.csv, stat_mid(&ext[f]));
		if (bands) {
			fputc(',', j.csv);
			csv_num(j.csv, ext[f].v[ST_P5]);
			fputc(',', j.csv);
			csv_num(j.csv, ext[f].v[ST_P95]);
		}
		for (size_t r = 0; r < R; r++) {
			fputc(',', j.csv);
			csv_num(j.csv, stat_mid(&by[f * R + r]));
		}
		fputc('\n', j.csv);
	}

	/* Data: 0 entries (x, median, label); 1 exits (x, cumulative tops). */
	for (size_t f = 0; f < F; f++) {
		fprintf(j.dat, "%zu\t%.10g\t%s\n", f, stat_mid(&ent[f]), S->fy_label[f]);
		top = fmax(top, stat_mid(&ent[f]));
	}
	fputs("\n\n", j.dat);
	double seg_last[MAX_REASON_SEGS] = { 0 };
	for (size_t f = 0; f < F; f++) {
		double seg[MAX_REASON_SEGS] = { 0 };
		for (size_t r = 0; r < R; r++)
			seg[seg_of[r]] += stat_mid(&by[f * R + r]);
		fprintf(j.dat, "%zu", f);
		double cum = 0;
		for (size_t s = 0; s < n_seg; s++) {
			cum += seg[s];
			fprintf(j.dat, "\t%.10g", cum);
			if (f == F - 1)
				seg_last[s] = seg[s];
		}
		fputc('\n', j.dat);
		top = fmax(top, cum);
	}

	/* Texts. */
	size_t up = 0, down = 0;
	double net = 0;
	for (size_t f = 0; f < F; f++) {
		double d = stat_mid(&ent[f]) - stat_mid(&ext[f]);
		up += d >= 0.5;
		down += d <= -0.5;
		net += d;
	}
	const char *last = S->fy_label[F - 1];
	sbuf t1, t2, alt, measure;
	sb_init(&t1);
	sb_init(&t2);
	sb_init(&alt);
	sb_init(&measure);
	const char *span = F == 1 ? "in" : "in every year to";
	if (up == F)
		sb_printf(&t1, "Entries forecast to exceed exits %s %s", span, last);
	else if (down == F)
		sb_printf(&t1, "Exits forecast to exceed entries %s %s", span, last);
	else if (net >= 0.5 * (double)F)
		sb_printf(&t1, "Entries forecast to exceed exits overall to %s", last);
	else if (net <= -0.5 * (double)F)
		sb_printf(&t1, "Exits forecast to exceed entries overall to %s", last);
	else
		sb_printf(&t1, "Entries and exits forecast to balance to %s", last);
	sb_printf(&t2, "Entries and exits forecast to %s", last);
	const char *cands[] = { sb_str(&t1), sb_str(&t2) };
	char *title = pick_title(cands, 2);
	sb_printf(&alt,
	          "Bar chart of children starting and ceasing to be looked after in each "
	          "financial year in %s (%ss): entries beside exits stacked by reason.",
	          S->model_name[0] ? S->model_name : "the area modelled", central);
	for (size_t f = 0; f < F; f++) {
		char a[32], b[32];
		fmt_num(stat_mid(&ent[f]), a, sizeof a);
		fmt_num(stat_mid(&ext[f]), b, sizeof b);
		sb_printf(&alt, " %s: %s entries, %s exits", S->fy_label[f], a, b);
		int any = 0;
		for (size_t o = 0; o < R; o++) {
			size_t r = order[o].k;
			double v = stat_mid(&by[f * R + r]);
			if (v < 0.5)
				continue;
			char n[64], num[32];
			display_name(S->reason[r], n, sizeof n);
			fmt_num(v, num, sizeof num);
			sb_printf(&alt, "%s%s %s", any ? ", " : " (", n, num);
			any = 1;
		}
		sb_add(&alt, any ? ")." : ".");
	}
	if (R > 0) {
		char n[64], num[32];
		display_name(S->reason[order[0].k], n, sizeof n);
		fmt_num(order[0].total, num, sizeof num);
		sb_printf(&alt, " The commonest exit reason is %s (%s over the period).", n, num);
	}
	sb_printf(&measure,
	          "Children starting (left bars) and ceasing (right bars, by reason) to be looked "
	          "after in each financial year: %ss (by reason they need not add up to the %s of "
	          "all exits)",
	          central, central);
	if (!title) {
		rc = CC_ENOMEM;
		job_abort(&j);
		goto done;
	}
	job_texts(&j, title, sb_str(&measure), NULL, sb_str(&alt));

	/* Block 2: reason labels beside the last exits bar. */
	chart_axis ya;
	chart_axis_nice(0, top, 1, 1, 6, &ya);
	double mid[MAX_REASON_SEGS], ly[MAX_REASON_SEGS], cum = 0;
	for (size_t s = 0; s < n_seg; s++) {
		mid[s] = ly[s] = cum + seg_last[s] / 2;
		cum += seg_last[s];
	}
	double px = chart_plot_height_px(j.title_lines, j.caption_lines, 1);
	double gap = (ya.max - ya.min) * (CC_CHART_FONT_PX * 1.2) / px;
	repel_labels(ly, n_seg, gap, ya.min + gap / 2, ya.max);
	fputs("\n\n", j.dat);
	size_t label_chars = 0;
	for (size_t s = 0; s < n_seg; s++) {
		char name[64];
		if (grouped && s == n_seg - 1)
			snprintf(name, sizeof name, "Other reasons");
		else
			display_name(S->reason[order[s].k], name, sizeof name);
		fprintf(j.dat, "%.10g\t%.10g\t%s\t%.10g\n", (double)F - 1 + 0.46, ly[s], name,
		        mid[s]);
		label_chars = strlen(name) > label_chars ? strlen(name) : label_chars;
	}
	static const char *const colours[MAX_REASON_SEGS] = { "#28A197", "#801650", "#F46A25",
		                                              "#A285D1", "#3D3D3D" };
	sbuf cl;
	sb_init(&cl);
	for (size_t s = 0; s < n_seg; s++)
		sb_printf(&cl, "%s%s", s ? " " : "",
		          grouped && s == n_seg - 1 ? "#3D3D3D" : colours[s]);
	job_str(&j, "seg_colours", sb_str(&cl));
	sb_free(&cl);
	job_num(&j, "n_seg", (double)n_seg);
	job_num(&j, "right_px", 26 + (double)label_chars * CC_CHART_FONT_PX * 0.56);
	chart_axis_vars(&j.vars, "ytic", &ya, AXIS_COUNT);
	job_num(&j, "xmin", -0.6);
	job_num(&j, "xmax", (double)F - 1 + 0.47);
	job_str(&j, "xtic_pos", "");
	job_str(&j, "xtic_lab", "");
	job_str(&j, "ylabel", "Children a year");
	job_str(&j, "central_label", central);
	rc = job_finish(&j);
done:
	free(title);
	sb_free(&t1);
	sb_free(&t2);
	sb_free(&alt);
	sb_free(&measure);
	free(ent);
	free(ext);
	free(by);
	return rc;
}
