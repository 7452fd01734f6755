/*
 * report_html.c - the self-contained HTML report of a run.
 *
 * One file, readable offline: inline CSS, each chart's SVG inline (its ids
 * are already prefixed with the chart's name, so they do not clash), the
 * data tables from the charts' CSV files, the assumptions and the
 * provenance. The markup is also well-formed XML (void elements closed,
 * only the five XML entities), so any XML tool can check it.
 *
 * Assumptions come from summary.json and, for the rates, from the model
 * file the summary names: it is read with cc_model_load only when it is
 * still there and its SHA-256 matches the one recorded for the run, so a
 * report never shows rates from a file edited after the run.
 */
#include "carecast/htmlreport.h"

#include "carecast/csv.h"
#include "carecast/fileio.h"
#include "carecast/model.h"
#include "chart_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char css[] =
    "body{font-family:Arial,Helvetica,'Liberation Sans',sans-serif;color:#0b0c0c;"
    "background:#fff;margin:0;line-height:1.45;font-size:1rem}"
    "header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}"
    "header{border-bottom:4px solid #12436d;margin-bottom:1.5rem}"
    "h1{font-size:2rem;margin:1.5rem 0 .5rem}h2{font-size:1.5rem;margin-top:2.5rem}"
    "h3{font-size:1.15rem}a{color:#1d70b8}a:focus{outline:3px solid #fd0;background:#fd0}"
    "figure{margin:1rem 0}figure svg{max-width:100%;height:auto;display:block}"
    "figcaption{color:#505a5f;font-size:.95rem}figcaption .title{color:#0b0c0c;"
    "font-weight:bold;font-size:1.05rem;margin:.25rem 0}"
    ".table-wrap{overflow-x:auto}table{border-collapse:collapse;margin:.5rem 0;"
    "font-size:.9rem}caption{text-align:left;font-weight:bold;padding:.25rem 0}"
    "th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .6rem;text-align:left;"
    "vertical-align:top}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
    "details{margin:.5rem 0 1rem}summary{cursor:pointer;color:#1d70b8;font-weight:bold}"
    ".note{border-left:5px solid #b1b4b6;padding-left:.75rem;color:#505a5f}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:bold}"
    "dd{margin:0}code{font-size:.9em;word-break:break-all}"
    "@media print{details{display:block}summary{display:none}a{color:#0b0c0c}"
    "section{break-inside:avoid-page}}";

/* ---- small writers --------------------------------------------------------- */

static void text(sbuf *h, const char *s) { sb_xml(h, s ? s : ""); }

static void el(sbuf *h, const char *tag, const char *s)
{
	sb_printf(h, "<%s>", tag);
	text(h, s);
	sb_printf(h, "</%s>", tag);
}

static void dl_item(sbuf *h, const char *term, const char *value)
{
	el(h, "dt", term);
	el(h, "dd", value);
	sb_addc(h, '\n');
}

/* A table cell: numbers right-aligned and readable ("3,537,882", "43.95"). */
static void cell(sbuf *h, const char *s, int header)
{
	char *end;
	errno = 0;
	double v = *s ? strtod(s, &end) : 0;
	int num = *s && *end == '\0' && errno == 0 && isfinite(v);
	if (header) {
		sb_add(h, "<th scope=\"col\">");
		text(h, s);
		sb_add(h, "</th>");
		return;
	}
	if (!num) {
		sb_add(h, "<td>");
		text(h, s);
		sb_add(h, "</td>");
		return;
	}
	char buf[64];
	if (fabs(v) >= 100) {
		fmt_count(v, buf, sizeof buf);
	} else {
		snprintf(buf, sizeof buf, "%.2f", v);
		char *dot = strchr(buf, '.');
		if (dot) {
			char *e = buf + strlen(buf) - 1;
			while (e > dot && *e == '0')
				*e-- = '\0';
			if (e == dot)
				*e = '\0';
		}
	}
	sb_printf(h, "<td class=\"num\">%s</td>", buf);
}

/* The CSV behind a chart as an HTML table. */
static int csv_table(sbuf *h, const char *path, const char *caption, cc_diags *d)
{
	cc_csv *t = NULL;
	int rc = cc_csv_read(path, NULL, &t, d);
	if (rc != CC_OK)
		return rc;
	sb_add(h, "<div class=\"table-wrap\"><table>\n<caption>");
	text(h, caption);
	sb_add(h, "</caption>\n<thead><tr>");
	for (size_t c = 0; c < cc_csv_ncols(t); c++)
		cell(h, cc_csv_header(t, c), 1);
	sb_add(h, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < cc_csv_nrows(t); r++) {
		sb_add(h, "<tr>");
		for (size_t c = 0; c < cc_csv_ncols(t); c++)
			cell(h, cc_csv_field(t, r, c), 0);
		sb_add(h, "</tr>\n");
	}
	sb_add(h, "</tbody></table></div>\n");
	cc_csv_free(t);
	return CC_OK;
}

/* A chart's SVG without the XML declaration, for inlining. */
static int inline_svg(sbuf *h, const char *path, cc_diags *d)
{
	char *s;
	size_t n;
	int rc = cc_file_read(path, CC_FILE_MAX_BYTES, &s, &n, d);
	if (rc != CC_OK)
		return rc;
	const char *start = strstr(s, "<svg");
	if (!start) {
		cc_diags_add(d, CC_DIAG_ERROR, path, 0, 0, "expected an SVG image");
		free(s);
		return CC_EIO;
	}
	sb_addn(h, start, n - (size_t)(start - s));
	free(s);
	return CC_OK;
}

/* ---- assumptions from the model -------------------------------------------- */

/* The names picked by a bit mask ("all" when every one is): names are
 * `stride` bytes apart from `first`. */
static void names_of(sbuf *h, uint32_t mask, size_t n, const char *first, size_t stride)
{
	uint32_t all = n >= 32 ? 0xFFFFFFFFu : ((1u << n) - 1);
	if ((mask & all) == all) {
		sb_add(h, "all");
		return;
	}
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(mask >> i & 1u))
			continue;
		if (any)
			sb_add(h, ", ");
		text(h, first + i * stride);
		any = 1;
	}
}

static void rate_cells(sbuf *h, const cc_rate *r)
{
	sb_printf(h, "<td class=\"num\">%.4g</td>", r->rate_per_year);
	if (r->has_evidence)
		sb_printf(h, "<td>%.4g events in %.4g years</td>", r->events, r->exposure_years);
	else
		sb_add(h, "<td>point value</td>");
}

static void model_assumptions(sbuf *h, const cc_model *m)
{
	char buf[96];
	sb_add(h, "<h3>Entries</h3>\n<div class=\"table-wrap\"><table>\n<caption>Children "
	          "entering care per year by age band at entry</caption>\n<thead><tr><th "
	          "scope=\"col\">Age band</th><th scope=\"col\" class=\"num\">Rate per year</th>"
	          "<th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
	for (size_t b = 0; b < m->n_age_bands && b < m->n_params; b++) {
		sb_add(h, "<tr><td>");
		text(h, m->age_bands[b].name);
		sb_add(h, "</td>");
		rate_cells(h, &m->params[b]);
		sb_add(h, "</tr>\n");
	}
	sb_add(h, "</tbody></table></div>\n");
	sb_printf(h, "<p>Trend in entries: %+.1f%% of the base-year rate a year.</p>\n",
	          100 * m->entry_trend_per_year);

	sb_add(h, "<h3>Exits</h3>\n<div class=\"table-wrap\"><table>\n<caption>Hazards of leaving "
	          "care (per child-year)</caption>\n<thead><tr><th scope=\"col\">Reason</th><th "
	          "scope=\"col\">Categories</th><th scope=\"col\">Age bands</th><th "
	          "scope=\"col\">Time in care</th><th scope=\"col\" class=\"num\">Rate per "
	          "year</th><th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < m->n_exits; i++) {
		const cc_exit_row *e = &m->exits[i];
		sb_add(h, "<tr><td>");
		text(h, e->reason < m->n_reasons ? m->reasons[e->reason] : "age18");
		sb_add(h, "</td><td>");
		names_of(h, e->categories, m->n_categories, m->categories[0].name,
		         sizeof m->categories[0]);
		sb_add(h, "</td><td>");
		names_of(h, e->age_bands, m->n_age_bands, m->age_bands[0].name,
		         sizeof m->age_bands[0]);
		sb_add(h, "</td><td>");
		names_of(h, e->tic_bands, m->n_tic_bands, m->tic_bands[0].name,
		         sizeof m->tic_bands[0]);
		sb_add(h, "</td>");
		rate_cells(h, &m->params[e->param]);
		sb_add(h, "</tr>\n");
	}
	sb_add(h, "</tbody></table></div>\n<p>Every child leaves care on their 18th "
	          "birthday.</p>\n");

	if (m->n_moves > 0) {
		sb_add(h, "<h3>Moves between placement categories</h3>\n<div "
		          "class=\"table-wrap\"><table>\n<caption>Hazards of moving (per "
		          "child-year)</caption>\n<thead><tr><th scope=\"col\">From</th><th "
		          "scope=\"col\">To</th><th scope=\"col\">Age bands</th><th "
		          "scope=\"col\">Time in care</th><th scope=\"col\" class=\"num\">Rate per "
		          "year</th><th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < m->n_moves; i++) {
			const cc_move_row *mv = &m->moves[i];
			sb_add(h, "<tr>");
			el(h, "td", m->categories[mv->from].name);
			el(h, "td", m->categories[mv->to].name);
			sb_add(h, "<td>");
			names_of(h, mv->age_bands, m->n_age_bands, m->age_bands[0].name,
			         sizeof m->age_bands[0]);
			sb_add(h, "</td><td>");
			names_of(h, mv->tic_bands, m->n_tic_bands, m->tic_bands[0].name,
			         sizeof m->tic_bands[0]);
			sb_add(h, "</td>");
			rate_cells(h, &m->params[mv->param]);
			sb_add(h, "</tr>\n");
		}
		sb_add(h, "</tbody></table></div>\n");
	}

	sb_add(h, "<h3>Placement categories</h3>\n<div class=\"table-wrap\"><table>\n<caption>"
	          "Share of new placements made in-house (before capacity)</caption>\n<thead><tr>"
	          "<th scope=\"col\">Category</th><th scope=\"col\" class=\"num\">In-house "
	          "share</th></tr></thead>\n<tbody>\n");
	for (size_t c = 0; c < m->n_categories; c++) {
		sb_add(h, "<tr>");
		el(h, "td", m->categories[c].name);
		sb_printf(h, "<td class=\"num\">%.3g</td></tr>\n", m->categories[c].in_house_share);
	}
	sb_add(h, "</tbody></table></div>\n");

	if (m->n_pools > 0) {
		sb_add(h, "<h3>In-house capacity</h3>\n<ul>\n");
		for (size_t k = 0; k < m->n_pools; k++) {
			const cc_pool *p = &m->pools[k];
			sb_add(h, "<li><strong>");
			text(h, m->categories[p->category].name);
			sb_add(h, "</strong>: ");
			if (p->kind == CC_POOL_HOUSEHOLDS) {
				sb_printf(
				    h,
				    "%u foster households at the base date, %.3g places each, "
				    "%.0f%% usable; %.3g approvals a year, deregistration "
				    "%.3g a household-year, %u months from approval to a "
				    "first child",
				    p->households, p->places_per_household, 100 * p->usable_share,
				    m->params[p->approvals_param].rate_per_year,
				    m->params[p->deregistration_param].rate_per_year,
				    p->approval_lag_months);
			} else if (p->kind == CC_POOL_HOMES) {
				sb_printf(h, "%zu children's home%s: ", p->n_homes,
				          p->n_homes == 1 ? "" : "s");
				for (size_t i = 0; i < p->n_homes; i++) {
					const cc_home *hm = &p->homes[i];
					if (i)
						sb_add(h, "; ");
					text(h, hm->name);
					sb_printf(h, " (%u beds, %.0f%% usable", hm->beds,
					          100 * hm->usable_share);
					if (hm->opens != CC_DATE_NONE) {
						cc_date_format(hm->opens, buf);
						sb_printf(h, ", opens %s", buf);
					}
					if (hm->closes != CC_DATE_NONE) {
						cc_date_format(hm->closes, buf);
						sb_printf(h, ", closes %s", buf);
					}
					sb_add(h, ")");
				}
			} else {
				sb_printf(h, "%u units, %.0f%% usable", p->units,
				          100 * p->usable_share);
			}
			if (p->bring_back_per_month)
				sb_printf(h, "; up to %u brought back in-house a month",
				          p->bring_back_per_month);
			sb_add(h, "</li>\n");
		}
		sb_add(h, "</ul>\n");
	}

	if (m->has_costs) {
		cc_date_format(m->price_date, buf);
		sb_printf(h,
		          "<h3>Prices</h3>\n<div class=\"table-wrap\"><table>\n<caption>Weekly "
		          "prices per child at %s, and yearly uplifts</caption>\n<thead><tr><th "
		          "scope=\"col\">Category</th><th scope=\"col\" class=\"num\">In-house</th>"
		          "<th scope=\"col\" class=\"num\">Framework</th><th scope=\"col\" "
		          "class=\"num\">Spot</th><th scope=\"col\" class=\"num\">Framework "
		          "share</th><th scope=\"col\" class=\"num\">Uplift in-house</th><th "
		          "scope=\"col\" class=\"num\">Uplift external</th><th scope=\"col\" "
		          "class=\"num\">Price variation (CV)</th></tr></thead>\n<tbody>\n",
		          buf);
		for (size_t c = 0; c < m->n_categories; c++) {
			const cc_price *p = &m->prices[c];
			sb_add(h, "<tr>");
			el(h, "td", m->categories[c].name);
			for (int k = 0; k < CC_NCONTRACTS; k++) {
				char mny[32];
				fmt_count(p->per_week[k], mny, sizeof mny);
				sb_printf(h, "<td class=\"num\">£%s</td>", mny);
			}
			sb_printf(h,
			          "<td class=\"num\">%.0f%%</td><td class=\"num\">%.1f%%</td><td "
			          "class=\"num\">%.1f%%</td><td class=\"num\">%.2g</td></tr>\n",
			          100 * p->framework_share, 100 * p->uplift[CC_IN_HOUSE],
			          100 * p->uplift[CC_EXTERNAL], p->external_cv);
		}
		sb_add(h, "</tbody></table></div>\n");
		char hc[32];
		fmt_count(m->high_cost_per_week, hc, sizeof hc);
		sb_printf(h, "<p>High-cost placements: £%s a week or more.</p>\n", hc);
		if (m->n_fixed > 0) {
			sb_add(h, "<p>Fixed costs:</p>\n<ul>\n");
			for (size_t i = 0; i < m->n_fixed; i++) {
				char mny[32];
				fmt_money(m->fixed[i].amount_per_year, 1, mny, sizeof mny);
				sb_add(h, "<li>");
				text(h, m->fixed[i].name);
				sb_printf(h, ": %s a year", mny);
				if (m->fixed[i].category >= 0) {
					sb_add(h, " (");
					text(h, m->categories[m->fixed[i].category].name);
					sb_add(h, ")");
				}
				sb_add(h, "</li>\n");
			}
			sb_add(h, "</ul>\n");
		}
		if (m->n_budgets > 0) {
			sb_add(h, "<p>Budgets:</p>\n<ul>\n");
			for (size_t i = 0; i < m->n_budgets; i++) {
				char fy[CC_FY_STRLEN], mny[32];
				cc_date_fy_label(m->budgets[i].fy_start_year, fy);
				sb_printf(h, "<li>%s: ", fy);
				if (!isnan(m->budgets[i].total)) {
					fmt_money(m->budgets[i].total, 1, mny, sizeof mny);
					sb_printf(h, "%s in total", mny);
				}
				for (size_t c = 0; c < m->n_categories; c++) {
					if (isnan(m->budgets[i].by_category[c]))
						continue;
					fmt_money(m->budgets[i].by_category[c], 1, mny, sizeof mny);
					sb_add(h, "; ");
					text(h, m->categories[c].name);
					sb_printf(h, " %s", mny);
				}
				sb_add(h, "</li>\n");
			}
			sb_add(h, "</ul>\n");
		}
	}
}

/* A JSON value as short text (levers). */
static void json_text(sbuf *h, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		text(h, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		sb_printf(h, "%.10g", v->valuedouble);
	} else if (cJSON_IsBool(v)) {
		sb_add(h, cJSON_IsTrue(v) ? "yes" : "no");
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		int first = 1;
		for (const cJSON *c = v->child; c; c = c->next) {
			if (!first)
				sb_add(h, ", ");
			if (c->string) {
				text(h, c->string);
				sb_add(h, " ");
			}
			json_text(h, c);
			first = 0;
		}
	} else {
		sb_add(h, "none");
	}
}

static void levers(sbuf *h, chart_summary *S)
{
	sb_add(h, "<h3>Scenarios and levers</h3>\n");
	if (S->n_scen < 2) {
		sb_add(h, "<p>This run has only the baseline: no levers.</p>\n");
		return;
	}
	for (size_t s = 1; s < S->n_scen; s++) {
		const cJSON *sc = S->scen[s];
		sb_add(h, "<h4>");
		text(h, S->scen_name[s]);
		sb_add(h, "</h4>\n");
		const cJSON *desc = cJSON_GetObjectItemCaseSensitive(sc, "description");
		if (cJSON_IsString(desc))
			el(h, "p", desc->valuestring);
		const cJSON *file = cJSON_GetObjectItemCaseSensitive(sc, "file");
		if (cJSON_IsString(file)) {
			sb_add(h, "<p>File: <code>");
			text(h, file->valuestring);
			sb_add(h, "</code></p>\n");
		}
		const cJSON *lv = cJSON_GetObjectItemCaseSensitive(sc, "levers");
		if (cJSON_IsArray(lv) && lv->child) {
			sb_add(h, "<ul>\n");
			for (const cJSON *l = lv->child; l; l = l->next) {
				sb_add(h, "<li>");
				json_text(h, l);
				sb_add(h, "</li>\n");
			}
			sb_add(h, "</ul>\n");
		}
		/* Anything else the scenario carries, shown as it is. */
		for (const cJSON *m = sc->child; m; m = m->next) {
			static const char *const known[] = { "name",
				                             "description",
				                             "file",
				                             "levers",
				                             "monthly",
				                             "financial_years",
				                             "difference_vs_baseline" };
			int k = 0;
			for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
				k |= strcmp(m->string, known[i]) == 0;
			if (k)
				continue;
			sb_add(h, "<p>");
			text(h, m->string);
			sb_add(h, ": ");
			json_text(h, m);
			sb_add(h, "</p>\n");
		}
	}
}

/* The model file named in the summary, if it is still the file the run used. */
static void assumptions(sbuf *h, chart_summary *S, cc_diags *d)
{
	sb_add(h, "<section id=\"assumptions\" aria-labelledby=\"h-assumptions\">\n<h2 "
	          "id=\"h-assumptions\">Assumptions</h2>\n<dl>\n");
	char buf[128];
	cc_date_format(S->base_date, buf);
	dl_item(h, "Base date", buf);
	snprintf(buf, sizeof buf, "%zu months", S->T);
	dl_item(h, "Horizon", buf);
	dl_item(h, "Projection",
	        S->expected ? "expected values (means only)"
	                    : "stochastic simulation of individual children");
	if (S->parameter_uncertainty >= 0)
		dl_item(h, "Parameter uncertainty",
		        S->parameter_uncertainty
		            ? "included: rates with evidence drawn from their posterior in "
		              "each replication"
		            : "not included: point estimates of the rates");
	sbuf l;
	sb_init(&l);
	for (size_t k = 0; k < S->K; k++)
		sb_printf(&l, "%s%s", k ? ", " : "", S->cat[k]);
	dl_item(h, "Placement categories", sb_str(&l));
	l.len = 0;
	if (l.s)
		l.s[0] = '\0';
	for (size_t r = 0; r < S->n_reasons; r++)
		sb_printf(&l, "%s%s", r ? ", " : "", S->reason[r]);
	dl_item(h, "Exit reasons", sb_str(&l));
	sb_free(&l);
	sb_add(h, "</dl>\n");

	const char *file = NULL, *hash = NULL;
	for (const cJSON *i = S->inputs ? S->inputs->child : NULL; i; i = i->next) {
		const cJSON *role = cJSON_GetObjectItemCaseSensitive(i, "role");
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(i, "file");
		const cJSON *sh = cJSON_GetObjectItemCaseSensitive(i, "sha256");
		if (cJSON_IsString(role) && strcmp(role->valuestring, "model") == 0 &&
		    cJSON_IsString(f) && cJSON_IsString(sh)) {
			file = f->valuestring;
			hash = sh->valuestring;
			break;
		}
	}
	cc_diags *quiet = cc_diags_alloc(0);
	char *data = NULL;
	size_t len = 0;
	cc_model *m = NULL;
	const char *why = NULL;
	if (!file) {
		why = "the summary names no model file";
	} else if (!quiet || cc_file_read(file, CC_FILE_MAX_BYTES, &data, &len, quiet) != CC_OK) {
		why = "the model file is not available where the run read it";
	} else {
		char hex[65];
		cc_sha256_hex(data, len, hex);
		if (strcmp(hex, hash) != 0)
			why = "the model file has changed since the run (its SHA-256 differs)";
		else if (cc_model_parse(file, data, len, &m, quiet) != CC_OK)
			why = "the model file could not be read";
	}
	sb_add(h, "<h3>Model inputs and rates</h3>\n");
	if (why) {
		sb_add(
		    h,
		    "<p class=\"note\">The model's rates, capacity and prices are unavailable: ");
		text(h, why);
		if (file) {
			sb_add(h, " (<code>");
			text(h, file);
			sb_add(h, "</code>)");
		}
		sb_add(h, ". The charts and tables above are unaffected.</p>\n");
	} else {
		sb_add(h, "<p>From <code>");
		text(h, file);
		sb_add(h, "</code>, unchanged since the run.</p>\n");
		model_assumptions(h, m);
	}
	(void)d;
	cc_model_free(m);
	free(data);
	cc_diags_free(quiet);
	levers(h, S);
	sb_add(h, "</section>\n");
}

static void provenance(sbuf *h, chart_summary *S, const cc_charts *charts)
{
	sb_add(h, "<section id=\"provenance\" aria-labelledby=\"h-provenance\">\n<h2 "
	          "id=\"h-provenance\">Provenance</h2>\n<p>Everything needed to reproduce these "
	          "results: the same inputs, seed and replications give identical "
	          "numbers.</p>\n<dl>\n");
	char buf[64];
	dl_item(h, "carecast", S->version);
	dl_item(h, "GSL", S->v_gsl);
	dl_item(h, "cJSON", S->v_cjson);
	if (charts)
		dl_item(h, "gnuplot", cc_charts_gnuplot_version(charts));
	dl_item(h, "Mode", S->mode);
	snprintf(buf, sizeof buf, "%.0f", S->seed);
	dl_item(h, "Seed", buf);
	fmt_count(S->replications, buf, sizeof buf);
	dl_item(h, "Replications", buf);
	dl_item(h, "Random numbers", S->rng);
	dl_item(h, "Quantiles", S->quantiles);
	sb_add(h, "</dl>\n<div class=\"table-wrap\"><table>\n<caption>Input files</caption>\n"
	          "<thead><tr><th scope=\"col\">Role</th><th scope=\"col\">File</th><th "
	          "scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n");
	for (const cJSON *i = S->inputs ? S->inputs->child : NULL; i; i = i->next) {
		const cJSON *v[3] = { cJSON_GetObjectItemCaseSensitive(i, "role"),
			              cJSON_GetObjectItemCaseSensitive(i, "file"),
			              cJSON_GetObjectItemCaseSensitive(i, "sha256") };
		sb_add(h, "<tr>");
		for (int k = 0; k < 3; k++) {
			sb_add(h, k ? "<td><code>" : "<td>");
			text(h, cJSON_IsString(v[k]) ? v[k]->valuestring : "");
			sb_add(h, k ? "</code></td>" : "</td>");
		}
		sb_add(h, "</tr>\n");
	}
	sb_add(h, "</tbody></table></div>\n</section>\n");
}

/* A chart file's path relative to the report, when it is under run_dir. */
static const char *relative(const char *run_dir, const char *path)
{
	size_t n = strlen(run_dir);
	while (n > 1 && run_dir[n - 1] == '/')
		n--;
	if (strncmp(path, run_dir, n) == 0 && path[n] == '/')
		return path + n + 1;
	return NULL;
}

int cc_htmlreport_write(const char *run_dir, const cc_charts *charts, const char *out_path,
                        cc_diags *diags)
{
	chart_summary S;
	memset(&S, 0, sizeof S);
	char *summary = cc_path_join(run_dir, "summary.json");
	char *out = out_path ? strdup(out_path) : cc_path_join(run_dir, "report.html");
	sbuf h;
	sb_init(&h);
	int rc = summary && out ? cs_load(summary, &S, diags) : CC_ENOMEM;
	if (rc != CC_OK)
		goto cleanup;

	const char *name = S.model_name[0] ? S.model_name : "the area modelled";
	sb_add(&h, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\" />\n"
	           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
	           "<title>Placement forecast: ");
	text(&h, name);
	sb_printf(&h,
	          "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>Placement "
	          "forecast: ",
	          css);
	text(&h, name);
	char base[40], from[40], to[40], reps[32];
	fmt_date_long(S.base_date, base, sizeof base);
	fmt_month_year(S.base_date + 1, from, sizeof from);
	fmt_month_year(S.dates[S.T - 1], to, sizeof to);
	fmt_count(S.replications, reps, sizeof reps);
	sb_add(&h, "</h1>\n<p>Children looked after and their placements, forecast from ");
	text(&h, base);
	sb_printf(&h, " for %s to %s", from, to);
	if (S.expected)
		sb_add(&h, " as expected values (means).");
	else
		sb_printf(&h,
		          " from %s simulations (seed %.0f); ranges show where 50%% and 90%% "
		          "of them fall.",
		          reps, S.seed);
	sb_add(&h, " Made with carecast ");
	text(&h, S.version);
	sb_add(&h, ".</p>\n</header>\n");

	size_t n = cc_charts_count(charts);
	sb_add(&h, "<nav aria-label=\"Contents\">\n<div style=\"max-width:60rem;margin:0 "
	           "auto;padding:0 1rem\">\n<h2>Contents</h2>\n<ol>\n"
	           "<li><a href=\"#key-messages\">Key messages</a></li>\n");
	for (size_t i = 0; i < n; i++) {
		const cc_chart_info *c = cc_charts_get(charts, i);
		sb_printf(&h, "<li><a href=\"#chart-%s\">", c->name);
		text(&h, c->heading);
		sb_add(&h, "</a></li>\n");
	}
	sb_add(&h, "<li><a href=\"#assumptions\">Assumptions</a></li>\n<li><a "
	           "href=\"#provenance\">Provenance</a></li>\n</ol>\n</div>\n</nav>\n<main>\n");

	sb_add(&h, "<section id=\"key-messages\" aria-labelledby=\"h-key\">\n<h2 id=\"h-key\">Key "
	           "messages</h2>\n<ul>\n");
	for (size_t i = 0; i < n; i++) {
		const cc_chart_info *c = cc_charts_get(charts, i);
		sb_printf(&h, "<li><a href=\"#chart-%s\">", c->name);
		text(&h, c->title);
		sb_add(&h, "</a></li>\n");
	}
	sb_add(&h, "</ul>\n");
	if (cc_charts_notes(charts) > 0) {
		sb_add(&h, "<p class=\"note\">Not shown: ");
		for (size_t i = 0; i < cc_charts_notes(charts); i++) {
			if (i)
				sb_add(&h, "; ");
			text(&h, cc_charts_note(charts, i));
		}
		sb_add(&h, ".</p>\n");
	}
	sb_add(&h, "</section>\n");

	for (size_t i = 0; i < n && rc == CC_OK; i++) {
		const cc_chart_info *c = cc_charts_get(charts, i);
		sb_printf(&h,
		          "<section id=\"chart-%s\" aria-labelledby=\"h-%s\">\n<h2 id=\"h-%s\">",
		          c->name, c->name, c->name);
		text(&h, c->heading);
		sb_add(&h, "</h2>\n<figure>\n");
		rc = inline_svg(&h, c->svg, diags);
		if (rc != CC_OK)
			break;
		sb_add(&h, "\n<figcaption>\n<p class=\"title\">");
		text(&h, c->title);
		sb_add(&h, "</p>\n<p>");
		text(&h, c->caption);
		sb_add(&h, "</p>\n</figcaption>\n</figure>\n<h3>Description</h3>\n<p>");
		text(&h, c->alt);
		sb_add(&h, "</p>\n<details>\n<summary>Data table: ");
		text(&h, c->heading);
		sb_add(&h, "</summary>\n");
		rc = csv_table(&h, c->csv, c->heading, diags);
		if (rc != CC_OK)
			break;
		sb_add(&h, "</details>\n");
		const char *svg = relative(run_dir, c->svg), *png = relative(run_dir, c->png);
		const char *csv = relative(run_dir, c->csv);
		if (svg && png && csv) {
			sb_add(&h, "<p>Files: <a href=\"");
			text(&h, svg);
			sb_add(&h, "\">SVG</a>, <a href=\"");
			text(&h, png);
			sb_add(&h, "\">PNG (print)</a>, <a href=\"");
			text(&h, csv);
			sb_add(&h, "\">CSV (data)</a></p>\n");
		}
		sb_add(&h, "</section>\n");
	}
	if (rc != CC_OK)
		goto cleanup;
	assumptions(&h, &S, diags);
	provenance(&h, &S, charts);
	sb_add(&h, "</main>\n<footer>\n<p>Forecasts are ranges, not predictions of one number: "
	           "the model's assumptions are listed above. Figures are rounded in the text "
	           "and tables; the CSV files hold them in full.</p>\n</footer>\n</body>\n"
	           "</html>\n");
	if (h.oom) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	cc_outfile *f;
	rc = cc_outfile_open(out, &f, diags);
	if (rc == CC_OK) {
		fwrite(h.s, 1, h.len, cc_outfile_stream(f));
		rc = cc_outfile_commit(f, diags);
	}
cleanup:
	cs_free(&S);
	sb_free(&h);
	free(summary);
	free(out);
	return rc;
}
