/*
 * summary.c - summary.json (cJSON) and the long-format CSVs.
 *
 * Both are built from the same walk over the series of the layout, so the
 * CSV always holds exactly the numbers of the JSON. Numbers are printed in
 * their shortest form that reads back to the same double (cJSON's rule: 15
 * significant digits, 17 when 15 do not round-trip).
 */
#include "carecast/report.h"

#include "carecast/fileio.h"
#include "carecast/rng.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_STATS 6
static const char *const stat_names[N_STATS] = { "mean", "p5", "p25", "p50", "p75", "p95" };

static double stat_get(const cc_stats *s, size_t i)
{
	switch (i) {
	case 0: return s->mean;
	case 1: return s->p5;
	case 2: return s->p25;
	case 3: return s->p50;
	case 4: return s->p75;
	default: return s->p95;
	}
}

/* Statistics are reported to 10 significant digits: more would only show
 * the binary representation of an interpolated quantile (307.04999999999995
 * for 307.05). Rounding happens once, here, so the JSON and the CSVs carry
 * the same numbers. */
static double tidy(double v)
{
	char buf[40];
	snprintf(buf, sizeof buf, "%.10g", v);
	double r = strtod(buf, NULL);
	return r == 0 ? 0 : r; /* no "-0" */
}

static void fmt_number(double v, char *buf, size_t size)
{
	snprintf(buf, size, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, size, "%.17g", v);
}

typedef struct {
	const cc_model *m;
	cc_results *res;
	const cc_layout *l;
	int expected;
	size_t n_stats; /* 1 (mean) in expected mode, else N_STATS */
	FILE *monthly_csv;
	FILE *fy_csv;
	char (*date_str)[CC_DATE_STRLEN];
	char (*fy_str)[CC_FY_STRLEN];
	/* The scenario being written: its label in the CSVs (escaped), and in
	 * difference mode the baseline whose values are subtracted, replication
	 * by replication, with "difference/" before every series name. */
	const char *label;
	cc_results *base;
	const char *prefix;
	double *tmp;                    /* [replications] */
	cc_results *const *all;         /* [n_scen + 1]: baseline first */
	const cc_scenario *const *scen; /* [n_scen] */
	size_t n_scen;
	const cc_scenario *cur; /* the scenario being written, NULL for the baseline */
	char **labels;          /* [n_scen + 1] CSV labels */
	int oom;
} writer;

/* Statistics of a point, or of its differences from the baseline. */
static cc_stats point_stats(writer *W, size_t point)
{
	if (!W->base)
		return cc_results_stats(W->res, point);
	size_t R = cc_results_replications(W->res);
	for (size_t r = 0; r < R; r++)
		W->tmp[r] =
		    cc_results_value(W->res, point, r) - cc_results_value(W->base, point, r);
	return cc_results_stats_of(W->res, W->tmp);
}

/* Population-based scale for month t: 10000 / population, or 0. */
static double per_10000_scale(const cc_model *m, cc_date date)
{
	int y, mo, d;
	cc_date_to_ymd(date, &y, &mo, &d);
	int fy_end = mo >= 4 ? y + 1 : y;
	double pop = cc_model_population(m, fy_end);
	return pop > 0 ? 10000.0 / pop : 0;
}

/* A monthly statistics object: {"mean": [...], "p5": [...], ...}. */
static cJSON *monthly_series(writer *W, size_t series, const char *name, int per_10000)
{
	const cc_layout *l = W->l;
	cJSON *obj = cJSON_CreateObject();
	double *arr[N_STATS] = { 0 };
	int ok = obj != NULL;
	for (size_t k = 0; k < W->n_stats && ok; k++) {
		arr[k] = malloc(l->months * sizeof *arr[k]);
		ok = arr[k] != NULL;
	}
	for (size_t t = 1; t <= l->months && ok; t++) {
		cc_stats s = point_stats(W, cc_layout_month(l, series, t));
		double scale = per_10000 ? per_10000_scale(W->m, l->dates[t]) : 1.0;
		for (size_t k = 0; k < W->n_stats; k++) {
			double v = tidy(stat_get(&s, k) * scale);
			arr[k][t - 1] = v;
			char num[40];
			fmt_number(v, num, sizeof num);
			fprintf(W->monthly_csv, "%s,%s%s,%s,%s,%s\n", W->date_str[t], W->prefix,
			        name, stat_names[k], num, W->label);
		}
	}
	for (size_t k = 0; k < W->n_stats && ok; k++) {
		cJSON *a = cJSON_CreateDoubleArray(arr[k], (int)l->months);
		if (!a || !cJSON_AddItemToObject(obj, stat_names[k], a)) {
			cJSON_Delete(a);
			ok = 0;
		}
	}
	for (size_t k = 0; k < N_STATS; k++)
		free(arr[k]);
	if (!ok) {
		W->oom = 1;
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

/* A yearly statistics object: {"mean": x, "p5": y, ...}, and its CSV rows. */
static cJSON *stats_object(writer *W, cc_stats s, size_t f, const char *name, double scale)
{
	cJSON *obj = cJSON_CreateObject();
	if (!obj) {
		W->oom = 1;
		return NULL;
	}
	for (size_t k = 0; k < W->n_stats; k++) {
		double v = tidy(stat_get(&s, k) * scale);
		if (!cJSON_AddNumberToObject(obj, stat_names[k], v))
			W->oom = 1;
		char num[40];
		fmt_number(v, num, sizeof num);
		fprintf(W->fy_csv, "%s,%s%s,%s,%s,%s\n", W->fy_str[f], W->prefix, name,
		        stat_names[k], num, W->label);
	}
	return obj;
}

static cJSON *year_stats(writer *W, size_t point, size_t f, const char *name, double scale)
{
	return stats_object(W, point_stats(W, point), f, name, scale);
}

/* A plain number in the JSON, and a CSV row with the given statistic name. */
static cJSON *year_number(writer *W, double v, size_t f, const char *name, const char *statistic)
{
	v = tidy(v);
	char num[40];
	fmt_number(v, num, sizeof num);
	fprintf(W->fy_csv, "%s,%s%s,%s,%s,%s\n", W->fy_str[f], W->prefix, name, statistic, num,
	        W->label);
	return cJSON_CreateNumber(v);
}

static void add(writer *W, cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		W->oom = 1;
	}
}

static cJSON *build_monthly(writer *W)
{
	const cc_model *m = W->m;
	const cc_layout *l = W->l;
	cJSON *mon = cJSON_CreateObject();
	if (!mon) {
		W->oom = 1;
		return NULL;
	}
	cJSON *dates = cJSON_CreateArray();
	for (size_t t = 1; t <= l->months && dates; t++) {
		cJSON *s = cJSON_CreateString(W->date_str[t]);
		if (!s || !cJSON_AddItemToArray(dates, s)) {
			cJSON_Delete(s);
			W->oom = 1;
		}
	}
	add(W, mon, "dates", dates);
	add(W, mon, "cla_total", monthly_series(W, l->cla_total, "cla_total", 0));
	char name[96];
	cJSON *bycat = cJSON_CreateObject();
	for (size_t c = 0; c < m->n_categories && bycat; c++) {
		snprintf(name, sizeof name, "by_category/%s", m->categories[c].name);
		add(W, bycat, m->categories[c].name,
		    monthly_series(W, l->by_category + c * l->months, name, 0));
	}
	add(W, mon, "by_category", bycat);
	cJSON *byage = cJSON_CreateObject();
	for (size_t b = 0; b < m->n_age_bands && byage; b++) {
		snprintf(name, sizeof name, "by_age_band/%s", m->age_bands[b].name);
		add(W, byage, m->age_bands[b].name,
		    monthly_series(W, l->by_age_band + b * l->months, name, 0));
	}
	add(W, mon, "by_age_band", byage);
	cJSON *byprov = cJSON_CreateObject();
	for (size_t p = 0; p < CC_NPROVIDERS && byprov; p++) {
		snprintf(name, sizeof name, "by_provider/%s", cc_provider_names[p]);
		add(W, byprov, cc_provider_names[p],
		    monthly_series(W, l->by_provider + p * l->months, name, 0));
	}
	add(W, mon, "by_provider", byprov);
	if (m->n_population > 0)
		add(W, mon, "cla_per_10000", monthly_series(W, l->cla_total, "cla_per_10000", 1));
	if (l->n_pools > 0) {
		cJSON *cap = cJSON_CreateObject();
		for (size_t k = 0; k < l->n_pools && cap; k++) {
			const char *pool = m->categories[m->pools[k].category].name;
			cJSON *po = cJSON_CreateObject();
			static const char *const what[3] = { "places", "occupied", "free" };
			const size_t series[3] = { l->pool_places, l->pool_occupied, l->pool_free };
			for (size_t j = 0; j < 3 && po; j++) {
				snprintf(name, sizeof name, "capacity/%s/%s", pool, what[j]);
				add(W, po, what[j],
				    monthly_series(W, series[j] + k * l->months, name, 0));
			}
			add(W, cap, pool, po);
		}
		add(W, mon, "capacity", cap);
		cJSON *ext = cJSON_CreateObject();
		for (size_t c = 0; c < m->n_categories && ext; c++) {
			snprintf(name, sizeof name, "external/%s", m->categories[c].name);
			add(W, ext, m->categories[c].name,
			    monthly_series(W, l->external_by_category + c * l->months, name, 0));
		}
		add(W, mon, "external", ext);
	}
	return mon;
}

/* Capacity members of a financial year. */
static void add_capacity_year(writer *W, cJSON *o, size_t f)
{
	const cc_model *m = W->m;
	const cc_layout *l = W->l;
	const size_t F = l->n_fy;
	char name[96];
	cJSON *cap = cJSON_CreateObject();
	int households = 0;
	for (size_t k = 0; k < l->n_pools && cap; k++) {
		const char *pool = m->categories[m->pools[k].category].name;
		households |= m->pools[k].kind == CC_POOL_HOUSEHOLDS;
		cJSON *po = cJSON_CreateObject();
		if (po) {
			snprintf(name, sizeof name, "capacity/%s/places", pool);
			add(W, po, "places", year_stats(W, l->fy_places + k * F + f, f, name, 1.0));
			snprintf(name, sizeof name, "capacity/%s/occupied", pool);
			add(W, po, "occupied",
			    year_stats(W, l->fy_occupied + k * F + f, f, name, 1.0));
		}
		add(W, cap, pool, po);
	}
	add(W, o, "capacity", cap);
	cJSON *ext = cJSON_CreateObject();
	for (size_t c = 0; c < m->n_categories && ext; c++) {
		snprintf(name, sizeof name, "external/%s", m->categories[c].name);
		add(W, ext, m->categories[c].name,
		    year_stats(W, l->fy_external + c * F + f, f, name, 1.0));
	}
	add(W, o, "external", ext);
	cJSON *gap = cJSON_CreateObject();
	for (size_t k = 0; k < l->n_pools && gap; k++) {
		size_t c = m->pools[k].category;
		snprintf(name, sizeof name, "gap/%s", m->categories[c].name);
		add(W, gap, m->categories[c].name,
		    year_stats(W, l->fy_gap + c * F + f, f, name, 1.0));
	}
	add(W, o, "gap", gap);
	if (households) {
		cJSON *h = cJSON_CreateObject();
		if (h) {
			add(W, h, "stock",
			    year_stats(W, l->fy_households + f, f, "households/stock", 1.0));
			add(W, h, "approvals",
			    year_stats(W, l->fy_approvals + f, f, "households/approvals", 1.0));
			add(W, h, "deregistrations",
			    year_stats(W, l->fy_deregistrations + f, f,
			               "households/deregistrations", 1.0));
		}
		add(W, o, "households", h);
	}
}

/* {"amount", "variance", "variance_percent", "p_overspend"} for one budget
 * line: spend in each replication (values) against the amount. */
static cJSON *budget_line(writer *W, const double *spend, double amount, size_t f,
                          const char *prefix)
{
	size_t R = cc_results_replications(W->res);
	double *v = malloc(R * sizeof *v);
	cJSON *o = cJSON_CreateObject();
	if (!v || !o) {
		free(v);
		cJSON_Delete(o);
		W->oom = 1;
		return NULL;
	}
	char name[128];
	snprintf(name, sizeof name, "%s/amount", prefix);
	add(W, o, "amount", year_number(W, amount, f, name, "value"));
	size_t over = 0;
	for (size_t r = 0; r < R; r++) {
		v[r] = spend[r] - amount;
		over += spend[r] > amount;
	}
	snprintf(name, sizeof name, "%s/variance", prefix);
	add(W, o, "variance", stats_object(W, cc_results_stats_of(W->res, v), f, name, 1.0));
	if (amount > 0) {
		for (size_t r = 0; r < R; r++)
			v[r] = 100.0 * (spend[r] - amount) / amount;
		snprintf(name, sizeof name, "%s/variance_percent", prefix);
		add(W, o, "variance_percent",
		    stats_object(W, cc_results_stats_of(W->res, v), f, name, 1.0));
	}
	if (!W->expected) {
		snprintf(name, sizeof name, "%s/p_overspend", prefix);
		add(W, o, "p_overspend",
		    year_number(W, (double)over / (double)R, f, name, "probability"));
	}
	free(v);
	return o;
}

/* Per-replication values of a point (or the sum of two points), less the
 * baseline's in difference mode. */
static void point_values(const writer *W, size_t a, size_t b, double *out)
{
	size_t R = cc_results_replications(W->res);
	for (size_t i = 0; i < R; i++) {
		out[i] = cc_results_value(W->res, a, i) +
		         (b != SIZE_MAX ? cc_results_value(W->res, b, i) : 0);
		if (W->base)
			out[i] -= cc_results_value(W->base, a, i) +
			          (b != SIZE_MAX ? cc_results_value(W->base, b, i) : 0);
	}
}

/* Spend members of a financial year. */
static void add_spend_year(writer *W, cJSON *o, size_t f)
{
	const cc_model *m = W->m;
	const cc_layout *l = W->l;
	const size_t F = l->n_fy;
	size_t R = cc_results_replications(W->res);
	double *v = malloc(R * sizeof *v);
	cJSON *sp = cJSON_CreateObject();
	if (!v || !sp) {
		free(v);
		cJSON_Delete(sp);
		W->oom = 1;
		return;
	}
	char name[128];
	add(W, sp, "total", year_stats(W, l->fy_spend + f, f, "spend/total", 1.0));
	cJSON *by = cJSON_CreateObject();
	for (size_t c = 0; c < m->n_categories && by; c++) {
		snprintf(name, sizeof name, "spend/by_category/%s", m->categories[c].name);
		add(W, by, m->categories[c].name,
		    year_stats(W, l->fy_spend_by_category + c * F + f, f, name, 1.0));
	}
	add(W, sp, "by_category", by);
	cJSON *bp = cJSON_CreateObject();
	if (bp) {
		const size_t in = l->fy_spend_by_contract + CC_CONTRACT_IN_HOUSE * F + f;
		const size_t fw = l->fy_spend_by_contract + CC_CONTRACT_FRAMEWORK * F + f;
		const size_t spot = l->fy_spend_by_contract + CC_CONTRACT_SPOT * F + f;
		add(W, bp, "in_house", year_stats(W, in, f, "spend/by_provider/in_house", 1.0));
		point_values(W, fw, spot, v);
		add(W, bp, "external",
		    stats_object(W, cc_results_stats_of(W->res, v), f, "spend/by_provider/external",
		                 1.0));
		add(W, bp, "framework", year_stats(W, fw, f, "spend/by_provider/framework", 1.0));
		add(W, bp, "spot", year_stats(W, spot, f, "spend/by_provider/spot", 1.0));
	}
	add(W, sp, "by_provider", bp);
	add(W, o, "spend", sp);
	add(W, o, "high_cost_placements",
	    year_stats(W, l->fy_high_cost + f, f, "high_cost_placements", 1.0));

	const cc_budget *b = W->base ? NULL : cc_model_budget(m, l->fy[f].start_year);
	if (b) {
		cJSON *bo = NULL;
		if (!isnan(b->total)) {
			point_values(W, l->fy_spend + f, SIZE_MAX, v);
			bo = budget_line(W, v, b->total, f, "budget");
		} else {
			bo = cJSON_CreateObject();
		}
		cJSON *bc = cJSON_CreateObject();
		for (size_t c = 0; c < m->n_categories && bc; c++) {
			if (isnan(b->by_category[c]))
				continue;
			snprintf(name, sizeof name, "budget/by_category/%s", m->categories[c].name);
			point_values(W, l->fy_spend_by_category + c * F + f, SIZE_MAX, v);
			add(W, bc, m->categories[c].name,
			    budget_line(W, v, b->by_category[c], f, name));
		}
		if (bo)
			add(W, bo, "by_category", bc);
		else
			cJSON_Delete(bc);
		add(W, o, "budget", bo);
	}
	free(v);
}

/* Delivered and shortfall of each programme lever in year f. */
static cJSON *programmes_year(writer *W, size_t f)
{
	const cc_layout *l = W->l;
	cJSON *arr = cJSON_CreateArray();
	size_t i = 0;
	for (size_t j = 0; W->cur && j < W->cur->n_levers && arr; j++) {
		const cc_lever *lv = &W->cur->levers[j];
		if (lv->type != CC_LEVER_EXTRA_EXITS && lv->type != CC_LEVER_TRANSFERS)
			continue;
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			W->oom = 1;
			break;
		}
		char name[96];
		add(W, o, "lever", cJSON_CreateNumber((double)j));
		add(W, o, "type", cJSON_CreateString(cc_lever_type_name(lv->type)));
		snprintf(name, sizeof name, "programmes/%zu/delivered", j);
		add(W, o, "delivered",
		    year_stats(W, l->fy_prog_delivered + i * l->n_fy + f, f, name, 1.0));
		snprintf(name, sizeof name, "programmes/%zu/shortfall", j);
		add(W, o, "shortfall",
		    year_stats(W, l->fy_prog_shortfall + i * l->n_fy + f, f, name, 1.0));
		i++;
	}
	return arr;
}

/* The amount of a lever, under the key the scenario file uses (after any
 * target has solved it), and the pool or category it acts on. */
static void add_lever_amounts(writer *W, cJSON *o, const cc_lever *lv)
{
	const cc_model *m = W->m;
	switch (lv->type) {
	case CC_LEVER_ENTRIES:
		if (lv->has_multiplier)
			add(W, o, "multiplier", cJSON_CreateNumber(tidy(lv->multiplier)));
		else
			add(W, o, "change_per_year", cJSON_CreateNumber(tidy(lv->per_year)));
		break;
	case CC_LEVER_MOVE_HAZARD:
		add(W, o, "from", cJSON_CreateString(m->categories[lv->from].name));
		add(W, o, "to", cJSON_CreateString(m->categories[lv->to].name));
		add(W, o, "multiplier", cJSON_CreateNumber(tidy(lv->multiplier)));
		break;
	case CC_LEVER_EXIT_HAZARD:
		add(W, o, "multiplier", cJSON_CreateNumber(tidy(lv->multiplier)));
		break;
	case CC_LEVER_EXTRA_EXITS:
		add(W, o, "reason", cJSON_CreateString(m->reasons[lv->reason]));
		add(W, o, "per_year", cJSON_CreateNumber(tidy(lv->per_year)));
		break;
	case CC_LEVER_TRANSFERS:
		add(W, o, "from", cJSON_CreateString(m->categories[lv->from].name));
		add(W, o, "to", cJSON_CreateString(m->categories[lv->to].name));
		add(W, o, "per_month", cJSON_CreateNumber(tidy(lv->per_month)));
		break;
	case CC_LEVER_APPROVALS:
		add(W, o, "pool",
		    cJSON_CreateString(m->categories[m->pools[lv->pool].category].name));
		add(W, o, "extra_per_year", cJSON_CreateNumber(tidy(lv->per_year)));
		break;
	case CC_LEVER_DEREGISTRATION:
		add(W, o, "pool",
		    cJSON_CreateString(m->categories[m->pools[lv->pool].category].name));
		add(W, o, "multiplier", cJSON_CreateNumber(tidy(lv->multiplier)));
		break;
	case CC_LEVER_OPEN_HOME:
		add(W, o, "pool",
		    cJSON_CreateString(m->categories[m->pools[lv->pool].category].name));
		add(W, o, "name", cJSON_CreateString(lv->home.name));
		add(W, o, "beds", cJSON_CreateNumber(lv->home.beds));
		break;
	case CC_LEVER_CLOSE_HOME:
		add(W, o, "pool",
		    cJSON_CreateString(m->categories[m->pools[lv->pool].category].name));
		add(W, o, "name", cJSON_CreateString(lv->home.name));
		break;
	case CC_LEVER_USABLE_SHARE:
		add(W, o, "pool",
		    cJSON_CreateString(m->categories[m->pools[lv->pool].category].name));
		add(W, o, "value", cJSON_CreateNumber(tidy(lv->value)));
		break;
	case CC_LEVER_UPLIFT:
	case CC_LEVER_FRAMEWORK_SHARE:
		add(W, o, "category", cJSON_CreateString(m->categories[lv->category].name));
		add(W, o, "value", cJSON_CreateNumber(tidy(lv->value)));
		break;
	case CC_LEVER_PRICE:
		add(W, o, "category", cJSON_CreateString(m->categories[lv->category].name));
		add(W, o, "per_week", cJSON_CreateNumber(tidy(lv->value)));
		break;
	default: break;
	}
}

/* What each lever of a scenario is, for the summary (and the solved value
 * of targets). */
static cJSON *levers_json(writer *W, const cc_scenario *sc)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t j = 0; j < sc->n_levers && arr; j++) {
		const cc_lever *lv = &sc->levers[j];
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			W->oom = 1;
			break;
		}
		char d[CC_DATE_STRLEN];
		add(W, o, "type", cJSON_CreateString(cc_lever_type_name(lv->type)));
		if (lv->start != INT32_MAX) {
			cc_date_format(lv->start, d);
			add(W, o, "start", cJSON_CreateString(d));
			cc_date_format(lv->full, d);
			add(W, o, "full_effect_from", cJSON_CreateString(d));
		}
		add_lever_amounts(W, o, lv);
		if (lv->type == CC_LEVER_TARGET) {
			add(W, o, "reduce_stock_percent", cJSON_CreateNumber(lv->reduce_percent));
			cc_date_format(lv->by, d);
			add(W, o, "by", cJSON_CreateString(d));
			add(W, o, "solves_lever", cJSON_CreateNumber((double)lv->solve_lever));
			if (lv->solved) {
				add(W, o, "solved_value",
				    cJSON_CreateNumber(tidy(lv->solved_value)));
				add(W, o, "achieved_median_reduction_percent",
				    cJSON_CreateNumber(tidy(lv->achieved_percent)));
				add(W, o, "met", cJSON_CreateBool(lv->met));
			}
		}
	}
	return arr;
}

static cJSON *build_years(writer *W)
{
	const cc_model *m = W->m;
	const cc_layout *l = W->l;
	cJSON *years = cJSON_CreateArray();
	if (!years) {
		W->oom = 1;
		return NULL;
	}
	for (size_t f = 0; f < l->n_fy; f++) {
		const cc_fy *fy = &l->fy[f];
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(years, o)) {
			cJSON_Delete(o);
			W->oom = 1;
			break;
		}
		char from[CC_DATE_STRLEN];
		/* The day after the previous month end. */
		cc_date_format(l->dates[fy->first_month - 1] + 1, from);
		add(W, o, "fy", cJSON_CreateString(W->fy_str[f]));
		add(W, o, "from", cJSON_CreateString(from));
		add(W, o, "to", cJSON_CreateString(W->date_str[fy->last_month]));
		add(W, o, "months",
		    cJSON_CreateNumber((double)(fy->last_month - fy->first_month + 1)));
		add(W, o, "cla_start", year_stats(W, l->fy_cla_start + f, f, "cla_start", 1.0));
		add(W, o, "cla_31_march",
		    year_stats(W, l->fy_cla_31_march + f, f, "cla_31_march", 1.0));
		if (m->n_population > 0) {
			double scale = per_10000_scale(m, l->dates[fy->last_month]);
			add(W, o, "cla_per_10000_31_march",
			    year_stats(W, l->fy_cla_31_march + f, f, "cla_per_10000_31_march",
			               scale));
		}
		add(W, o, "entries", year_stats(W, l->fy_entries + f, f, "entries", 1.0));
		cJSON *ex = cJSON_CreateObject();
		if (ex) {
			add(W, ex, "total", year_stats(W, l->fy_exits + f, f, "exits/total", 1.0));
			cJSON *by = cJSON_CreateObject();
			for (size_t r = 0; r < l->n_exit_outcomes && by; r++) {
				const char *rn = r < m->n_reasons ? m->reasons[r] : "age18";
				char name[96];
				snprintf(name, sizeof name, "exits/by_reason/%s", rn);
				add(W, by, rn,
				    year_stats(W, l->fy_exits_by_reason + r * l->n_fy + f, f, name,
				               1.0));
			}
			add(W, ex, "by_reason", by);
		}
		add(W, o, "exits", ex);
		add(W, o, "placement_moves",
		    year_stats(W, l->fy_moves + f, f, "placement_moves", 1.0));
		if (l->n_programmes > 0 && !W->base)
			add(W, o, "programmes", programmes_year(W, f));
		if (l->n_pools > 0)
			add_capacity_year(W, o, f);
		if (l->has_costs)
			add_spend_year(W, o, f);
	}
	return years;
}

static cJSON *names_array(const char *first, size_t stride, size_t n, const char *extra)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n && a; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(first + i * stride));
	if (a && extra)
		cJSON_AddItemToArray(a, cJSON_CreateString(extra));
	return a;
}

static cJSON *build_summary(writer *W, const cc_run_info *info)
{
	const cc_model *m = W->m;
	cJSON *root = cJSON_CreateObject();
	if (!root) {
		W->oom = 1;
		return NULL;
	}
	add(W, root, "carecast_version", cJSON_CreateString(cc_version()));
	cJSON *ver = cJSON_CreateObject();
	if (ver) {
		add(W, ver, "carecast", cJSON_CreateString(cc_version()));
		add(W, ver, "gsl", cJSON_CreateString(cc_version_gsl()));
		add(W, ver, "cjson", cJSON_CreateString(cc_version_cjson()));
	}
	add(W, root, "versions", ver);
	add(W, root, "mode", cJSON_CreateString(W->expected ? "expected" : "stochastic"));
	add(W, root, "seed", cJSON_CreateNumber(info->seed));
	add(W, root, "replications", cJSON_CreateNumber((double)info->replications));
	add(W, root, "rng",
	    cJSON_CreateString(W->expected ? "none (expected-value mode)" : CC_RNG_NAME));
	add(W, root, "parameter_uncertainty", cJSON_CreateBool(info->parameter_uncertainty));
	add(W, root, "quantiles",
	    cJSON_CreateString(W->expected ? "none (expected-value mode: means only)"
	                                   : "Hyndman-Fan type 7 (linear interpolation) over "
	                                     "replications"));
	cJSON *inputs = cJSON_CreateArray();
	for (size_t i = 0; i < info->n_inputs && inputs; i++) {
		cJSON *in = cJSON_CreateObject();
		if (!in || !cJSON_AddItemToArray(inputs, in)) {
			cJSON_Delete(in);
			W->oom = 1;
			break;
		}
		add(W, in, "role", cJSON_CreateString(info->inputs[i].role));
		add(W, in, "file", cJSON_CreateString(info->inputs[i].path));
		add(W, in, "sha256", cJSON_CreateString(info->inputs[i].sha256));
	}
	add(W, root, "inputs", inputs);
	add(W, root, "model_name", cJSON_CreateString(m->name));
	char base[CC_DATE_STRLEN];
	cc_date_format(m->base_date, base);
	add(W, root, "base_date", cJSON_CreateString(base));
	add(W, root, "months", cJSON_CreateNumber((double)W->l->months));
	add(W, root, "categories",
	    names_array(m->categories[0].name, sizeof m->categories[0], m->n_categories, NULL));
	add(W, root, "age_bands",
	    names_array(m->age_bands[0].name, sizeof m->age_bands[0], m->n_age_bands, NULL));
	add(W, root, "exit_reasons",
	    names_array(m->reasons[0], sizeof m->reasons[0], m->n_reasons, "age18"));
	add(W, root, "providers", cJSON_CreateStringArray(cc_provider_names, CC_NPROVIDERS));

	/* The observed stock: the model's history, ending with the base date
	 * (the starting population) when the history does not already hold it. */
	size_t nh = 0;
	cc_history_point *hist = malloc((m->n_history + 1) * sizeof *hist);
	if (!hist) {
		W->oom = 1;
		nh = 0;
	} else {
		for (size_t i = 0; i < m->n_history; i++)
			if (m->history[i].date <= m->base_date)
				hist[nh++] = m->history[i];
		if (nh == 0 || hist[nh - 1].date != m->base_date) {
			cc_history_point *b = &hist[nh++];
			b->date = m->base_date;
			b->cla_total = (double)m->start_total;
			for (size_t c = 0; c < CC_MAX_LIST; c++)
				b->by_category[c] = c < m->n_categories ? 0 : NAN;
			for (size_t g = 0; g < m->n_start; g++)
				b->by_category[m->start[g].category] += m->start[g].count;
		}
	}
	if (nh > 0) {
		cJSON *h = cJSON_CreateObject();
		cJSON *dates = cJSON_CreateArray();
		cJSON *tot = cJSON_CreateArray();
		cJSON *bycat = cJSON_CreateObject();
		for (size_t i = 0; i < nh && dates && tot; i++) {
			char d[CC_DATE_STRLEN];
			cc_date_format(hist[i].date, d);
			cJSON_AddItemToArray(dates, cJSON_CreateString(d));
			cJSON_AddItemToArray(tot, cJSON_CreateNumber(hist[i].cla_total));
		}
		for (size_t c = 0; c < m->n_categories && bycat; c++) {
			int any = 0;
			for (size_t i = 0; i < nh; i++)
				any |= !isnan(hist[i].by_category[c]);
			if (!any)
				continue;
			cJSON *a = cJSON_CreateArray();
			for (size_t i = 0; i < nh && a; i++) {
				double v = hist[i].by_category[c];
				cJSON_AddItemToArray(a, isnan(v) ? cJSON_CreateNull()
				                                 : cJSON_CreateNumber(v));
			}
			add(W, bycat, m->categories[c].name, a);
		}
		if (h) {
			add(W, h, "dates", dates);
			add(W, h, "cla_total", tot);
			add(W, h, "by_category", bycat);
		} else {
			cJSON_Delete(dates);
			cJSON_Delete(tot);
			cJSON_Delete(bycat);
		}
		add(W, root, "history", h);
	}
	free(hist);

	cJSON *scen = cJSON_CreateArray();
	for (size_t k = 0; k <= W->n_scen && scen; k++) {
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(scen, o)) {
			cJSON_Delete(o);
			W->oom = 1;
			break;
		}
		const cc_scenario *sc = k ? W->scen[k - 1] : NULL;
		add(W, o, "name", cJSON_CreateString(sc ? sc->name : "baseline"));
		if (sc && sc->description)
			add(W, o, "description", cJSON_CreateString(sc->description));
		if (sc) {
			add(W, o, "file", cJSON_CreateString(sc->path));
			add(W, o, "levers", levers_json(W, sc));
		}
		W->res = W->all[k];
		W->cur = sc;
		W->label = W->labels[k];
		W->base = NULL;
		W->prefix = "";
		add(W, o, "monthly", build_monthly(W));
		add(W, o, "financial_years", build_years(W));
		if (sc) {
			cJSON *d = cJSON_CreateObject();
			W->base = W->all[0];
			W->prefix = "difference/";
			if (d) {
				add(W, d, "monthly", build_monthly(W));
				add(W, d, "financial_years", build_years(W));
			}
			add(W, o, "difference_vs_baseline", d);
			W->base = NULL;
			W->prefix = "";
		}
	}
	add(W, root, "scenarios", scen);
	return root;
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static char *csv_field(const char *s)
{
	size_t n = strlen(s), q = 0;
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	for (size_t i = 0; i < n; i++)
		q += s[i] == '"';
	char *out = malloc(n + q + 3);
	if (!out)
		return NULL;
	size_t j = 0;
	if (quote)
		out[j++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			out[j++] = '"';
		out[j++] = s[i];
	}
	if (quote)
		out[j++] = '"';
	out[j] = '\0';
	return out;
}

int cc_report_write(const char *dir, const cc_model *m, cc_results *results,
                    const cc_run_info *info, cc_diags *diags)
{
	return cc_report_write_scenarios(dir, m, &results, NULL, 0, info, diags);
}

int cc_report_write_scenarios(const char *dir, const cc_model *m, cc_results *const *results,
                              const cc_scenario *const *scenarios, size_t n,
                              const cc_run_info *info, cc_diags *diags)
{
	int rc = cc_mkdir_p(dir, diags);
	if (rc != CC_OK)
		return rc;
	const cc_layout *l = cc_results_layout(results[0]);
	writer W = { .m = m,
		     .res = results[0],
		     .l = l,
		     .expected = cc_results_is_expected(results[0]),
		     .all = results,
		     .scen = scenarios,
		     .n_scen = n,
		     .label = "baseline",
		     .prefix = "" };
	W.n_stats = W.expected ? 1 : N_STATS;
	char *p_summary = cc_path_join(dir, "summary.json");
	char *p_monthly = cc_path_join(dir, "monthly.csv");
	char *p_fy = cc_path_join(dir, "financial_years.csv");
	W.date_str = malloc((l->months + 1) * sizeof *W.date_str);
	W.fy_str = malloc((l->n_fy + 1) * sizeof *W.fy_str);
	W.tmp = malloc(cc_results_replications(results[0]) * sizeof *W.tmp);
	W.labels = calloc(n + 1, sizeof *W.labels);
	cc_outfile *f_summary = NULL, *f_monthly = NULL, *f_fy = NULL;
	cJSON *root = NULL;
	char *text = NULL;
	if (!p_summary || !p_monthly || !p_fy || !W.date_str || !W.fy_str || !W.tmp || !W.labels) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	for (size_t k = 0; k <= n; k++) {
		W.labels[k] = csv_field(k ? scenarios[k - 1]->name : "baseline");
		if (!W.labels[k]) {
			rc = CC_ENOMEM;
			goto cleanup;
		}
	}
	for (size_t t = 0; t <= l->months; t++)
		cc_date_format(l->dates[t], W.date_str[t]);
	for (size_t f = 0; f < l->n_fy; f++)
		cc_date_fy_label(l->fy[f].start_year, W.fy_str[f]);

	if ((rc = cc_outfile_open(p_monthly, &f_monthly, diags)) != CC_OK ||
	    (rc = cc_outfile_open(p_fy, &f_fy, diags)) != CC_OK ||
	    (rc = cc_outfile_open(p_summary, &f_summary, diags)) != CC_OK)
		goto cleanup;
	W.monthly_csv = cc_outfile_stream(f_monthly);
	W.fy_csv = cc_outfile_stream(f_fy);
	fputs("date,series,statistic,value,scenario\n", W.monthly_csv);
	fputs("fy,series,statistic,value,scenario\n", W.fy_csv);

	root = build_summary(&W, info);
	if (W.oom || !root) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	text = cJSON_Print(root);
	if (!text) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	FILE *fs = cc_outfile_stream(f_summary);
	fputs(text, fs);
	fputc('\n', fs);

	/* Commit only when everything is written; a failed commit leaves the
	 * previous outputs (if any) in place. */
	rc = cc_outfile_commit(f_monthly, diags);
	f_monthly = NULL;
	if (rc == CC_OK) {
		rc = cc_outfile_commit(f_fy, diags);
		f_fy = NULL;
	}
	if (rc == CC_OK) {
		rc = cc_outfile_commit(f_summary, diags);
		f_summary = NULL;
	}
cleanup:
	cc_outfile_abort(f_monthly);
	cc_outfile_abort(f_fy);
	cc_outfile_abort(f_summary);
	if (text)
		cJSON_free(text);
	cJSON_Delete(root);
	for (size_t k = 0; W.labels && k <= n; k++)
		free(W.labels[k]);
	free(W.labels);
	free(W.tmp);
	free(W.date_str);
	free(W.fy_str);
	free(p_summary);
	free(p_monthly);
	free(p_fy);
	return rc;
}
