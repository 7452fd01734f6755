/*
 * chart_spend.c - placement spend per financial year against budget, and by
 * provider.
 *
 * Top panel: total spend, median bars with 5-95% whiskers, and the budget as
 * a dashed line across the bar of each year that has one (labelled with its
 * amount). Bottom panel: in-house and external spend as lines with markers
 * and whiskers, named by direct labels at their ends (solid and dashed, so
 * colour is not the only cue). Amounts are pounds; axes show "£1.2m".
 */
#include "chart_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	chart_stat total, in_house, external;
	int has_budget;
	double budget, p_over;
	int has_p_over;
} spend_year;

static int read_year(chart_summary *S, const cJSON *fy, spend_year *y)
{
	memset(y, 0, sizeof *y);
	int r = cs_stat(S, fy, "spend/total", &y->total);
	if (r <= 0)
		return r;
	if (cs_stat(S, fy, "spend/by_provider/in_house", &y->in_house) <= 0 ||
	    cs_stat(S, fy, "spend/by_provider/external", &y->external) <= 0) {
		cc_jdoc_error(S->doc, cs_at(fy, "spend"),
		              "expected \"by_provider\" with \"in_house\" and \"external\"");
		return -1;
	}
	r = cs_number(S, fy, "budget/amount", &y->budget);
	if (r < 0)
		return -1;
	y->has_budget = r > 0;
	r = cs_number(S, fy, "budget/p_overspend", &y->p_over);
	if (r < 0)
		return -1;
	y->has_p_over = r > 0;
	return 1;
}

int chart_spend(chart_ctx *c)
{
	chart_summary *S = c->S;
	size_t F = S->n_fy;
	if (F == 0 || !cs_at(S->fy[0], "spend")) {
		chart_note(c, "no costs in the model: spend chart skipped");
		return CC_OK;
	}
	spend_year *Y = calloc(F, sizeof *Y);
	if (!Y)
		return CC_ENOMEM;
	for (size_t f = 0; f < F; f++) {
		int r = read_year(S, S->fy[f], &Y[f]);
		if (r <= 0) {
			if (r == 0)
				cc_jdoc_error(S->doc, S->fy[f], "missing \"spend\" in %s",
				              S->fy_label[f]);
			free(Y);
			return CC_EPARSE;
		}
	}
	int bands = stat_has_band(&Y[0].total);
	int any_budget = 0;
	for (size_t f = 0; f < F; f++)
		any_budget |= Y[f].has_budget;

	chart_job j;
	int rc = job_open(c, &j, "spend", "spend", "Placement spend per financial year");
	if (rc != CC_OK) {
		free(Y);
		return rc;
	}
	const char *central = S->expected ? "mean" : "median";

	/* Table. */
	fprintf(j.csv, "financial_year,total_%s%s,budget%s,in_house_%s%s,external_%s%s\n", central,
	        bands ? ",total_p5,total_p95" : "", bands ? ",p_overspend" : "", central,
	        bands ? ",in_house_p5,in_house_p95" : "", central,
	        bands ? ",external_p5,external_p95" : "");
	for (size_t f = 0; f < F; f++) {
		fprintf(j.csv, "%s", S->fy_label[f]);
		const chart_stat *st[3] = { &Y[f].total, &Y[f].in_house, &Y[f].external };
		for (int k = 0; k < 3; k++) {
			fputc(',', j.csv);
			csv_num(j.csv, stat_mid(st[k]));
			if (bands) {
				fputc(',', j.csv);
				csv_num(j.csv, st[k]->v[ST_P5]);
				fputc(',', j.csv);
				csv_num(j.csv, st[k]->v[ST_P95]);
			}
			if (k == 0) {
				fputc(',', j.csv);
				if (Y[f].has_budget)
					csv_num(j.csv, Y[f].budget);
				if (bands) {
					fputc(',', j.csv);
					if (Y[f].has_p_over)
						csv_num(j.csv, Y[f].p_over);
				}
			}
		}
		fputc('\n', j.csv);
	}

	/* Data: 0 totals, 1 budgets, 2 providers, 3 line labels. */
	double top = 0, ptop = 0;
	for (size_t f = 0; f < F; f++) {
		double m = stat_mid(&Y[f].total);
		double lo = bands ? Y[f].total.v[ST_P5] : m, hi = bands ? Y[f].total.v[ST_P95] : m;
		char lab[32];
		fmt_money(m, 0, lab, sizeof lab);
		fprintf(j.dat, "%zu\t%.10g\t%.10g\t%.10g\t%s\n", f, m, lo, hi, lab);
		top = fmax(top, fmax(hi, Y[f].has_budget ? Y[f].budget : 0));
	}
	fputs("\n\n", j.dat);
	int wrote = 0;
	for (size_t f = 0; f < F; f++) {
		if (!Y[f].has_budget)
			continue;
		char lab[48];
		fmt_money(Y[f].budget, 0, lab, sizeof lab);
		fprintf(j.dat, "%zu\t%.10g\tBudget %s\n", f, Y[f].budget, lab);
		wrote = 1;
	}
	if (!wrote)
		fputs("0\tNaN\t-\n", j.dat);
	fputs("\n\n", j.dat);
	for (size_t f = 0; f < F; f++) {
		const chart_stat *a = &Y[f].in_house, *b = &Y[f].external;
		double am = stat_mid(a), bm = stat_mid(b);
		fprintf(j.dat, "%zu\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\n", f, am,
		        bands ? a->v[ST_P5] : am, bands ? a->v[ST_P95] : am, bm,
		        bands ? b->v[ST_P5] : bm, bands ? b->v[ST_P95] : bm);
		ptop = fmax(ptop, fmax(bands ? a->v[ST_P95] : am, bands ? b->v[ST_P95] : bm));
	}
	chart_axis ya, pa;
	chart_axis_nice(0, top * 1.08, 1, 0, 5, &ya);
	chart_axis_nice(0, ptop, 1, 0, 4, &pa);
	chart_axis_vars(&j.vars, "ytic", &ya, AXIS_MONEY);
	chart_axis_vars(&j.vars, "ptic", &pa, AXIS_MONEY);

	/* Ticks: one label per year. */
	sbuf pos, lab;
	sb_init(&pos);
	sb_init(&lab);
	for (size_t f = 0; f < F; f++) {
		sb_printf(&pos, "%s%zu", f ? " " : "", f);
		sb_printf(&lab, "%s%s", f ? " " : "", S->fy_label[f]);
	}
	job_str(&j, "xtic_pos", sb_str(&pos));
	job_str(&j, "xtic_lab", sb_str(&lab));
	sb_free(&pos);
	sb_free(&lab);
	job_num(&j, "xmin", -0.6);
	job_num(&j, "xmax", (double)F - 0.4);
	job_num(&j, "n_fy", (double)F);
	job_num(&j, "bands", bands);
	job_num(&j, "any_budget", any_budget);
	job_str(&j, "ylabel", "Total placement spend");
	job_str(&j, "plabel", "Spend by provider");
	job_str(&j, "central_label", central);

	/* Texts. */
	size_t fb = F;
	for (size_t f = 0; f < F && fb == F; f++)
		if (Y[f].has_budget)
			fb = f;
	const spend_year *L = &Y[F - 1], *Fi = &Y[0];
	char m0[32], m1[32];
	fmt_money(stat_mid(&Fi->total), 0, m0, sizeof m0);
	fmt_money(stat_mid(&L->total), 0, m1, sizeof m1);
	sbuf t1, t2, t3, alt, measure;
	sb_init(&t1);
	sb_init(&t2);
	sb_init(&t3);
	sb_init(&alt);
	sb_init(&measure);
	if (fb < F) {
		double pct = Y[fb].budget > 0
		                 ? 100 * (stat_mid(&Y[fb].total) - Y[fb].budget) / Y[fb].budget
		                 : 0;
		if (pct >= 0.5)
			sb_printf(&t1, "Spend forecast %.0f%% over budget in %s", pct,
			          S->fy_label[fb]);
		else if (pct <= -0.5)
			sb_printf(&t1, "Spend forecast %.0f%% under budget in %s", -pct,
			          S->fy_label[fb]);
		else
			sb_printf(&t1, "Spend forecast in line with budget in %s", S->fy_label[fb]);
	}
	double g = stat_mid(&Fi->total) > 0
	               ? 100 * (stat_mid(&L->total) - stat_mid(&Fi->total)) / stat_mid(&Fi->total)
	               : 0;
	if (F > 1 && fabs(g) >= 0.5)
		sb_printf(&t2, "Placement spend forecast to %s to %s by %s",
		          g > 0 ? "rise" : "fall", m1, S->fy_label[F - 1]);
	else
		sb_printf(&t2, "Placement spend forecast at %s in %s", m1, S->fy_label[F - 1]);
	sb_printf(&t3, "Placement spend forecast");
	const char *cands[] = { fb < F ? sb_str(&t1) : NULL, sb_str(&t2), sb_str(&t3) };
	char *title = pick_title(cands, 3);
	sb_printf(&alt,
	          "Bar chart of placement spend per financial year in %s (%s%s)%s, with a line "
	          "chart below of spend on in-house and external placements.",
	          S->model_name[0] ? S->model_name : "the area modelled", central,
	          bands ? ", with 90% ranges" : "", any_budget ? " against budget" : "");
	for (size_t f = 0; f < F; f++) {
		char a[32], b[32], m[32];
		fmt_money(stat_mid(&Y[f].total), 1, m, sizeof m);
		sb_printf(&alt, " %s: %s", S->fy_label[f], m);
		if (bands) {
			fmt_money(Y[f].total.v[ST_P5], 1, a, sizeof a);
			fmt_money(Y[f].total.v[ST_P95], 1, b, sizeof b);
			sb_printf(&alt, " (90%% range %s to %s)", a, b);
		}
		if (Y[f].has_budget) {
			fmt_money(Y[f].budget, 1, a, sizeof a);
			double pct = Y[f].budget > 0
			                 ? 100 * (stat_mid(&Y[f].total) - Y[f].budget) / Y[f].budget
			                 : 0;
			sb_printf(&alt, " against a budget of %s, %.0f%% %s", a, fabs(pct),
			          pct >= 0 ? "over" : "under");
			if (Y[f].has_p_over)
				sb_printf(&alt, "; %.0f%% of simulations overspend",
				          100 * Y[f].p_over);
		}
		sb_add(&alt, ".");
	}
	{
		char a[32], b[32];
		fmt_money(stat_mid(&L->in_house), 1, a, sizeof a);
		fmt_money(stat_mid(&L->external), 1, b, sizeof b);
		sb_printf(&alt, " By provider in %s: in-house %s, external %s.", S->fy_label[F - 1],
		          a, b);
	}
	sb_printf(&measure,
	          "Placement spend per financial year in pounds (%s%s)%s; below, spend on in-house "
	          "(including fixed costs) and external placements",
	          central, bands ? ", bars with 90% ranges" : "",
	          any_budget ? ", against budget (dashed)" : "");

	/* Direct labels for the provider lines, kept apart. */
	if (title)
		job_texts(&j, title, sb_str(&measure), NULL, sb_str(&alt));
	double ly[2] = { stat_mid(&L->in_house), stat_mid(&L->external) };
	double px = chart_plot_height_px(j.title_lines, j.caption_lines, 1) * 0.27;
	double gap = (pa.max - pa.min) * (CC_CHART_FONT_PX * 1.15) / (px > 20 ? px : 20);
	repel_labels(ly, 2, gap, pa.min, pa.max);
	fprintf(j.dat, "\n\n%.10g\t%.10g\tIn-house\n%.10g\t%.10g\tExternal\n", (double)F - 0.85,
	        ly[0], (double)F - 0.85, ly[1]);
	job_num(&j, "right_px", 24 + 8 * CC_CHART_FONT_PX * 0.56); /* "External" */
	if (!title) {
		job_abort(&j);
		rc = CC_ENOMEM;
	} else {
		rc = job_finish(&j);
	}
	free(title);
	sb_free(&t1);
	sb_free(&t2);
	sb_free(&t3);
	sb_free(&alt);
	sb_free(&measure);
	free(Y);
	return rc;
}
