/*
 * chart_sufficiency.c - one chart per in-house pool: usable places against
 * demand, and the overflow to external placements.
 *
 * Demand for a pooled category is every child needing it: in-house
 * (occupying a place) plus external, which is the category's stock
 * (monthly.by_category; formats.md). The top panel draws usable in-house
 * places (solid), demand (dashed median, 90% band) and shades demand above
 * the places; the bottom panel gives, per financial year, the placements made
 * externally because in-house was full (financial_years[].gap), median with
 * 90% whiskers.
 */
#include "chart_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void lower_first(char *s)
{
	/* "Fostering" -> "fostering" inside a sentence; "In-house" stays. */
	if (s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z'))
		s[0] = (char)(s[0] - 'A' + 'a');
}

typedef struct {
	chart_series places, occupied, external, demand;
} pool_series;

static void pool_free(pool_series *p)
{
	cs_series_free(&p->places);
	cs_series_free(&p->occupied);
	cs_series_free(&p->external);
	cs_series_free(&p->demand);
}

static int read_pool(chart_summary *S, const char *pool, pool_series *p)
{
	char path[4][128];
	snprintf(path[0], sizeof path[0], "monthly/capacity/%s/places", pool);
	snprintf(path[1], sizeof path[1], "monthly/capacity/%s/occupied", pool);
	snprintf(path[2], sizeof path[2], "monthly/external/%s", pool);
	snprintf(path[3], sizeof path[3], "monthly/by_category/%s", pool);
	chart_series *dst[4] = { &p->places, &p->occupied, &p->external, &p->demand };
	for (int i = 0; i < 4; i++) {
		int r = cs_series(S, S->scen[0], path[i], dst[i]);
		if (r == 0)
			cc_jdoc_error(S->doc, cs_at(S->scen[0], "monthly"),
			              "missing \"%s\": expected a statistics object", path[i] + 8);
		if (r <= 0)
			return r == -2 ? CC_ENOMEM : CC_EPARSE;
	}
	return CC_OK;
}

static int one_pool(chart_ctx *c, const char *pool)
{
	chart_summary *S = c->S;
	pool_series P;
	memset(&P, 0, sizeof P);
	int rc = read_pool(S, pool, &P);
	if (rc != CC_OK) {
		pool_free(&P);
		return rc;
	}
	size_t F = S->n_fy;
	chart_stat *gap = calloc(F ? F : 1, sizeof *gap);
	if (!gap) {
		pool_free(&P);
		return CC_ENOMEM;
	}
	int has_gap = F > 0;
	for (size_t f = 0; f < F; f++) {
		char path[96];
		snprintf(path, sizeof path, "gap/%s", pool);
		int r = cs_stat(S, S->fy[f], path, &gap[f]);
		if (r < 0) {
			free(gap);
			pool_free(&P);
			return CC_EPARSE;
		}
		if (r == 0)
			has_gap = 0;
	}
	int bands = series_has_band(&P.demand);
	int gap_bands = has_gap && stat_has_band(&gap[0]);

	char name[64], lname[64], stem[96], heading[128];
	display_category(pool, name, sizeof name);
	snprintf(lname, sizeof lname, "%s", name);
	lower_first(lname);
	snprintf(stem, sizeof stem, "sufficiency-%s", pool);
	snprintf(heading, sizeof heading, "Sufficiency: in-house %s places against demand", lname);
	chart_job j;
	rc = job_open(c, &j, stem, "sufficiency", heading);
	if (rc != CC_OK) {
		free(gap);
		pool_free(&P);
		return rc;
	}

	/* Data block 0: months; block 1: years. */
	double top = 0;
	for (size_t t = 0; t < S->T; t++) {
		double pl = series_mid(&P.places, t), dm = series_mid(&P.demand, t);
		double lo = bands ? P.demand.v[ST_P5][t] : dm,
		       hi = bands ? P.demand.v[ST_P95][t] : dm;
		fprintf(j.dat, "%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\n",
		        month_x(S, S->dates[t]), pl, dm, lo, hi, fmax(pl, dm));
		top = fmax(top, fmax(pl, hi));
	}
	fputs("\n\n", j.dat);
	double gtop = 0;
	for (size_t f = 0; f < F && has_gap; f++) {
		chart_stat *g = &gap[f];
		double m = stat_mid(g);
		double lo = gap_bands ? g->v[ST_P5] : m, hi = gap_bands ? g->v[ST_P95] : m;
		double months;
		if (cs_number(S, S->fy[f], "months", &months) <= 0)
			months = 12;
		char lab[32];
		fmt_num(m, lab, sizeof lab);
		fprintf(j.dat, "%.10g\t%.10g\t%.10g\t%.10g\t%s\t%.10g\n",
		        (double)S->fy_month[f] - months / 2, m, lo, hi, lab, months * 0.62);
		gtop = fmax(gtop, hi);
	}

	/* Table. */
	const char *central = S->expected ? "mean" : "median";
	fprintf(j.csv,
	        "date,usable_places_%s,in_house_%s,external_%s,demand_%s%s,financial_year,"
	        "placed_externally_as_full_%s%s\n",
	        central, central, central, central, bands ? ",demand_p5,demand_p95" : "", central,
	        gap_bands ? ",placed_externally_as_full_p5,placed_externally_as_full_p95" : "");
	for (size_t t = 0; t < S->T; t++) {
		char ds[CC_DATE_STRLEN];
		cc_date_format(S->dates[t], ds);
		fprintf(j.csv, "%s,", ds);
		csv_num(j.csv, series_mid(&P.places, t));
		fputc(',', j.csv);
		csv_num(j.csv, series_mid(&P.occupied, t));
		fputc(',', j.csv);
		csv_num(j.csv, series_mid(&P.external, t));
		fputc(',', j.csv);
		csv_num(j.csv, series_mid(&P.demand, t));
		if (bands) {
			fputc(',', j.csv);
			csv_num(j.csv, P.demand.v[ST_P5][t]);
			fputc(',', j.csv);
			csv_num(j.csv, P.demand.v[ST_P95][t]);
		}
		size_t f = F;
		for (size_t k = 0; k < F; k++)
			if (S->fy_month[k] == t + 1)
				f = k;
		if (f < F && has_gap) {
			fprintf(j.csv, ",%s,", S->fy_label[f]);
			csv_num(j.csv, stat_mid(&gap[f]));
			if (gap_bands) {
				fputc(',', j.csv);
				csv_num(j.csv, gap[f].v[ST_P5]);
				fputc(',', j.csv);
				csv_num(j.csv, gap[f].v[ST_P95]);
			}
		} else {
			fputs(gap_bands ? ",,,," : ",,", j.csv);
		}
		fputc('\n', j.csv);
	}

	/* Settings. */
	chart_axis ya, ga;
	chart_axis_nice(0, top, 1, 1, 5, &ya);
	chart_axis_nice(0, gtop * 1.3, 1, 1, 3, &ga); /* room for the value labels */
	chart_axis_vars(&j.vars, "ytic", &ya, AXIS_COUNT);
	chart_axis_vars(&j.vars, "gtic", &ga, AXIS_COUNT);
	job_fy_axis(&j, -0.5, (double)S->T + 0.5);
	job_num(&j, "bands", bands);
	job_num(&j, "gap_bands", gap_bands);
	job_num(&j, "has_gap", has_gap);
	sbuf yl, gl;
	sb_init(&yl);
	sb_init(&gl);
	sb_printf(&yl, "Children needing %s, and usable in-house places", lname);
	sb_printf(&gl, "Placed externally each year because in-house %s was full", lname);
	job_str(&j, "ylabel", sb_str(&yl));
	job_str(&j, "glabel", sb_str(&gl));
	job_str(&j, "central_label", S->expected ? "mean" : "median");
	sb_free(&yl);
	sb_free(&gl);

	/* Texts. */
	size_t t_end = F > 0 ? S->fy_month[F - 1] : S->T;
	cc_date d_end = S->dates[t_end - 1];
	double dem = series_mid(&P.demand, t_end - 1), pl = series_mid(&P.places, t_end - 1);
	double over = dem - pl;
	char when[40], when_long[40], n_over[32], n_dem[32], n_pl[32], n_pl0[32], d0[40];
	fmt_month_year(d_end, when, sizeof when);
	fmt_date_long(d_end, when_long, sizeof when_long);
	fmt_count(fabs(over), n_over, sizeof n_over);
	fmt_num(dem, n_dem, sizeof n_dem);
	fmt_num(pl, n_pl, sizeof n_pl);
	fmt_num(series_mid(&P.places, 0), n_pl0, sizeof n_pl0);
	fmt_date_long(S->dates[0], d0, sizeof d0);
	int y_end, mo, dd;
	cc_date_to_ymd(d_end, &y_end, &mo, &dd);
	double gap_total = 0;
	for (size_t f = 0; f < F && has_gap; f++)
		gap_total += stat_mid(&gap[f]);
	sbuf t1, t2, t3, alt, measure;
	sb_init(&t1);
	sb_init(&t2);
	sb_init(&t3);
	sb_init(&alt);
	sb_init(&measure);
	if (over >= 0.5) {
		sb_printf(&t1, "%s demand exceeds in-house places by %s in %s", name, n_over, when);
		sb_printf(&t2, "%s demand exceeds in-house places by %s by %d", name, n_over,
		          y_end);
		sb_printf(&t3, "%s demand exceeds in-house places by %s", name, n_over);
	} else if (has_gap && gap_total >= 0.5) {
		/* Enough places at the end, but not on the way there. */
		char n_gap[32];
		fmt_count(gap_total, n_gap, sizeof n_gap);
		sb_printf(&t1, "%s: %s placements made externally as in-house was full", name,
		          n_gap);
		sb_printf(&t2, "%s: %s placed externally for lack of in-house places", name, n_gap);
		sb_printf(&t3, "In-house %s places meet demand by %s", lname, when);
	} else {
		sb_printf(&t1, "In-house %s places meet forecast demand to %s", lname, when);
		sb_printf(&t2, "In-house %s places meet forecast demand to %d", lname, y_end);
		sb_printf(&t3, "In-house %s places meet forecast demand", lname);
	}
	const char *cands[] = { sb_str(&t1), sb_str(&t2), sb_str(&t3) };
	char *title = pick_title(cands, 3);
	sb_printf(&alt,
	          "Line chart of usable in-house %s places against the number of children "
	          "needing %s in %s, with a bar chart below of placements made externally each "
	          "year because in-house places were full.",
	          lname, lname, S->model_name[0] ? S->model_name : "the area modelled");
	sb_printf(&alt, " Usable in-house places (%s): %s at %s and %s at %s.", central, n_pl0, d0,
	          n_pl, when_long);
	sb_printf(&alt, " Children needing %s (%s): %s at %s", lname, central, n_dem, when_long);
	if (bands) {
		char a[32], b[32];
		fmt_count(P.demand.v[ST_P5][t_end - 1], a, sizeof a);
		fmt_count(P.demand.v[ST_P95][t_end - 1], b, sizeof b);
		sb_printf(&alt, " (90%% range %s to %s)", a, b);
	}
	if (over >= 0.5)
		sb_printf(&alt, ", %s more than the places.", n_over);
	else
		sb_add(&alt, ", within the places.");
	if (has_gap) {
		sb_add(&alt, " Placements made externally because in-house was full:");
		for (size_t f = 0; f < F; f++) {
			char m[32];
			fmt_num(stat_mid(&gap[f]), m, sizeof m);
			sb_printf(&alt, "%s %s %s", f ? "," : "", S->fy_label[f], m);
			if (gap_bands) {
				char a[32], b[32];
				fmt_num(gap[f].v[ST_P5], a, sizeof a);
				fmt_num(gap[f].v[ST_P95], b, sizeof b);
				sb_printf(&alt, " (90%% range %s to %s)", a, b);
			}
		}
		sb_add(&alt, ".");
	}
	sb_printf(&measure,
	          "In-house %s: usable places and children needing %s at each month end (%s%s); "
	          "below, placements made externally in each financial year because in-house "
	          "places were full",
	          lname, lname, central, bands ? ", 90% range of demand" : "");
	job_texts(&j, title, sb_str(&measure), NULL, sb_str(&alt));
	rc = job_finish(&j); /* CC_ENOMEM, the job released, when title is NULL */
	free(title);
	sb_free(&t1);
	sb_free(&t2);
	sb_free(&t3);
	sb_free(&alt);
	sb_free(&measure);
	free(gap);
	pool_free(&P);
	return rc;
}

int chart_sufficiency(chart_ctx *c)
{
	chart_summary *S = c->S;
	const cJSON *cap = cs_at(S->scen[0], "monthly/capacity");
	if (!cap) {
		chart_note(c, "no capacity in the model: sufficiency charts skipped");
		return CC_OK;
	}
	if (!cJSON_IsObject(cap)) {
		cc_jdoc_error(S->doc, cap, "expected an object for \"capacity\"");
		return CC_EPARSE;
	}
	int rc = CC_OK;
	for (const cJSON *p = cap->child; p && rc == CC_OK; p = p->next)
		rc = one_pool(c, p->string);
	return rc;
}
