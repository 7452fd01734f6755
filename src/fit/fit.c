/*
 * fit.c - cc_fit_ssda903: options checked against the data, one pass over the
 * children, then rates, shares and notes; and the accessors.
 *
 * The pass is linear in the episodes and allocates only the growing
 * starting-population list and the per-child buffers, reused from child to
 * child (periods.c); the tables are fixed-size arrays inside cc_fit.
 */
#include "carecast/fileio.h"
#include "fit_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WINDOW_YEARS 50

void cc_fit_opts_default(cc_fit_opts *o)
{
	memset(o, 0, sizeof *o);
	o->window_years = 3;
}

static cc_date march31(int year)
{
	cc_date d;
	cc_date_from_ymd(year, 3, 31, &d);
	return d;
}

static int year_of(cc_date d)
{
	int y, m, dd;
	cc_date_to_ymd(d, &y, &m, &dd);
	return y;
}

/* The 31 March on or after d. */
static cc_date march31_on_or_after(cc_date d)
{
	int y = year_of(d);
	return d <= march31(y) ? march31(y) : march31(y + 1);
}

static void la_label(const cc_ssda903_la *la, char *buf, size_t size)
{
	if (*la->name)
		snprintf(buf, size, "of LA \"%s\"", la->name);
	else
		snprintf(buf, size, "in the data");
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

static int add_note(cc_fit *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add_note(cc_fit *f, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char **p = realloc(f->notes, (f->nnotes + 1) * sizeof *p);
	if (!p)
		return CC_ENOMEM;
	f->notes = p;
	if (!(p[f->nnotes] = xstrdup(buf)))
		return CC_ENOMEM;
	f->nnotes++;
	return CC_OK;
}

/* ---- checks --------------------------------------------------------------------- */

static int check_options(const cc_ssda903 *ds, const cc_fit_opts *o, cc_date *ws, cc_diags *d)
{
	char b[CC_DATE_STRLEN], x[CC_DATE_STRLEN], who[200];
	cc_date_format(o->base_date, b);
	if (!cc_date_is_month_end(o->base_date)) {
		cc_diags_add(d, CC_DIAG_ERROR, NULL, 0, 0,
		             "base date: expected the last day of a month (usually 31 March), "
		             "found %s",
		             b);
		return CC_EINVAL;
	}
	if (o->window_years < 1 || o->window_years > MAX_WINDOW_YEARS) {
		cc_diags_add(d, CC_DIAG_ERROR, NULL, 0, 0,
		             "window: expected 1 to %d years, found %u", MAX_WINDOW_YEARS,
		             o->window_years);
		return CC_EINVAL;
	}
	if (cc_ssda903_nlas(ds) == 0 || cc_ssda903_nchildren(ds) == 0) {
		cc_diags_add(d, CC_DIAG_ERROR, NULL, 0, 0,
		             "expected children with episodes of care to fit, found none");
		return CC_EINVAL;
	}
	*ws = cc_date_month_end_add(o->base_date, -12 * (int)o->window_years) + 1;
	char w[CC_DATE_STRLEN];
	cc_date_format(*ws, w);
	int rc = CC_OK;
	for (size_t i = 0; i < cc_ssda903_nlas(ds); i++) {
		const cc_ssda903_la *la = cc_ssda903_la_at(ds, i);
		la_label(la, who, sizeof who);
		cc_date first = cc_date_month_end_add(la->first_year_end, -12) + 1;
		if (o->base_date > la->last_year_end) {
			cc_date_format(la->last_year_end, x);
			cc_diags_add(
			    d, CC_DIAG_ERROR, NULL, 0, 0,
			    "base date %s is after the data: the latest return %s closes on "
			    "%s; expected a base date on or before it",
			    b, who, x);
			rc = CC_EINVAL;
		} else if (o->base_date < first) {
			cc_date_format(first, x);
			cc_diags_add(d, CC_DIAG_ERROR, NULL, 0, 0,
			             "base date %s is before the data: the returns %s begin on %s",
			             b, who, x);
			rc = CC_EINVAL;
		} else if (*ws < first) {
			cc_date_format(first, x);
			int months = 0;
			while (cc_date_month_end_add(o->base_date, -(months + 1)) + 1 >= first)
				months++;
			int fits = months / 12;
			if (fits >= 1)
				cc_diags_add(
				    d, CC_DIAG_ERROR, NULL, 0, 0,
				    "the %u-year window from %s to %s starts before the data: "
				    "the returns %s begin on %s; a window of at most %d "
				    "year%s fits, or choose a later base date",
				    o->window_years, w, b, who, x, fits, fits == 1 ? "" : "s");
			else
				cc_diags_add(
				    d, CC_DIAG_ERROR, NULL, 0, 0,
				    "the %u-year window from %s to %s starts before the data: "
				    "the returns %s begin on %s, less than a year before the "
				    "base date; choose a later base date",
				    o->window_years, w, b, who, x);
			rc = CC_EINVAL;
		}
	}
	return rc;
}

/* A return missing for a collection year inside the window. */
static size_t check_returns(const cc_ssda903 *ds, const cc_fit_opts *o, cc_date ws, cc_diags *d)
{
	size_t missing = 0;
	char who[200], y[CC_DATE_STRLEN];
	cc_date last = march31_on_or_after(o->base_date);
	for (size_t i = 0; i < cc_ssda903_nlas(ds); i++) {
		const cc_ssda903_la *la = cc_ssda903_la_at(ds, i);
		la_label(la, who, sizeof who);
		for (cc_date ye = march31_on_or_after(ws); ye <= last;
		     ye = march31(year_of(ye) + 1)) {
			int found = 0;
			for (size_t r = 0; r < cc_ssda903_nreturns(ds) && !found; r++) {
				const cc_ssda903_return *rt = cc_ssda903_return_at(ds, r);
				found = rt->la == i && rt->year_end == ye;
			}
			if (found)
				continue;
			missing++;
			cc_date_format(ye, y);
			cc_diags_add(d, o->strict ? CC_DIAG_ERROR : CC_DIAG_WARNING, NULL, 0, 0,
			             "no return %s for the year ending %s, inside the window: its "
			             "children and episodes may be missing, and the rates too low",
			             who, y);
		}
	}
	return missing;
}

/* ---- history dates ------------------------------------------------------------------ */

static int make_history(cc_fit *f, const cc_ssda903 *ds)
{
	cc_date from = INT32_MIN, to = f->opts.base_date;
	for (size_t i = 0; i < cc_ssda903_nlas(ds); i++) {
		const cc_ssda903_la *la = cc_ssda903_la_at(ds, i);
		cc_date first = cc_date_month_end_add(la->first_year_end, -12);
		if (first > from)
			from = first;
		if (la->last_year_end < to)
			to = la->last_year_end;
	}
	size_t n = 0;
	for (cc_date d = march31_on_or_after(from); d <= to; d = march31(year_of(d) + 1))
		n++;
	int extra = to == f->opts.base_date && march31(year_of(to)) != to;
	f->history = calloc(n + 1, sizeof *f->history);
	if (!f->history)
		return CC_ENOMEM;
	for (cc_date d = march31_on_or_after(from); d <= to; d = march31(year_of(d) + 1))
		f->history[f->nhistory++].date = d;
	if (extra)
		f->history[f->nhistory++].date = to;
	for (size_t i = 0; i < f->nhistory; i++)
		for (size_t c = 0; c < CC_MAX_LIST; c++)
			f->history[i].by_category[c] = c < f->tab.K ? 0 : NAN;
	return CC_OK;
}

/* ---- after the pass ----------------------------------------------------------------- */

static void entries_and_shares(cc_fit *f)
{
	size_t K = f->tab.K;
	double W = (double)f->opts.window_years;
	double all[CC_MAX_LIST] = { 0 }, total = 0, stock[CC_MAX_LIST] = { 0 }, stock_total = 0;
	for (size_t c = 0; c < K; c++) {
		for (size_t b = 0; b < CC_FIT_NAGE; b++)
			all[c] += f->tab.entries[b][c];
		total += all[c];
		stock[c] = f->tab.stock_prov[c][0] + f->tab.stock_prov[c][1];
		stock_total += stock[c];
	}
	for (size_t b = 0; b < CC_FIT_NAGE; b++) {
		double e = 0;
		for (size_t c = 0; c < K; c++)
			e += f->tab.entries[b][c];
		f->entry[b] = fit_shrink(e, W, 0, 0);
		f->entry[b].written = 1;
		for (size_t c = 0; c < K; c++) {
			if (e > 0)
				f->mix[b][c] = f->tab.entries[b][c] / e;
			else if (total > 0)
				f->mix[b][c] = all[c] / total;
			else if (stock_total > 0)
				f->mix[b][c] = stock[c] / stock_total;
			else
				f->mix[b][c] = c == f->map->default_cat ? 1 : 0;
		}
	}
	for (size_t c = 0; c < K; c++) {
		double known = f->tab.starts_known[c], in = f->tab.starts_in_house[c];
		if (known > 0)
			f->in_house_share[c] = (in + 0.5) / (known + 1);
		else if (stock[c] > 0)
			f->in_house_share[c] =
			    (f->tab.stock_prov[c][CC_IN_HOUSE] + 0.5) / (stock[c] + 1);
		else
			f->in_house_share[c] = 1;
	}
}

static int make_notes(cc_fit *f)
{
	const cc_fit_counts *n = &f->counts;
	int rc = CC_OK;
	size_t observed = 0, small = 0, pooled = 0, heavy = 0;
	for (size_t r = 0; r < CC_FIT_NREASONS; r++)
		for (size_t b = 0; b < CC_FIT_NAGE; b++)
			for (size_t c = 0; c < f->tab.K; c++)
				for (size_t t = 0; t < CC_FIT_NTIC; t++) {
					const cc_fit_rate *x = &f->ex.cell[r][b][c][t];
					if (!x->written)
						continue;
					if (x->exposure_years == 0) {
						pooled++;
						continue;
					}
					observed++;
					small += x->events < FIT_SMALL_EVENTS;
					heavy += x->weight < 0.5;
				}
	if (observed)
		rc |=
		    add_note(f,
		             "exit rates: %zu cells with exposure, %zu of them with fewer than %d "
		             "events; %zu lean more on the pooled rate than on their own data "
		             "(weight < 0.5); %zu cells never observed take the pooled rate",
		             observed, small, FIT_SMALL_EVENTS, heavy, pooled);
	for (size_t r = 0; r < CC_FIT_NREASONS; r++)
		if (f->ex.top[r].written)
			rc |= add_note(f,
			               "no \"%s\" exits in the window: written as one rate of 0 "
			               "events in %.4g child-years (with parameter uncertainty the "
			               "engine still draws small positive rates)",
			               cc_fit_reason_name((cc_fit_reason)r),
			               f->ex.top[r].exposure_years);
	if (n->entries < 20)
		rc |= add_note(f, "only %.0f entries in the window: entry rates are very uncertain",
		               n->entries);
	if (n->lost)
		rc |= add_note(f,
		               "%zu periods censored in the window: an open episode vanished from "
		               "later returns (stitch-lost); time after the last return holding it "
		               "is not counted, and no exit either",
		               n->lost);
	if (n->left_truncated)
		rc |=
		    add_note(f,
		             "%zu periods in care in the window began before the data; their time "
		             "in care counts from the first episode seen, a lower bound",
		             n->left_truncated);
	if (n->exits_unknown_reason > 0)
		rc |=
		    add_note(f,
		             "%.0f exits had no recorded reason (REC blank, not a code, or X1 with "
		             "no next episode) and count as \"other\"",
		             n->exits_unknown_reason);
	if (n->exits_e17_under18 > 0)
		rc |= add_note(
		    f, "%.0f exits with REC E17 before the 18th birthday count as \"other\"",
		    n->exits_e17_under18);
	if (n->respite_periods || n->respite_bridged)
		rc |= add_note(
		    f,
		    "short breaks (LS V3, V4): %zu periods made only of them left out; %zu "
		    "such episodes inside other periods keep the child's category and "
		    "are left out of the stock counts",
		    n->respite_periods, n->respite_bridged);
	if (n->temporary_episodes)
		rc |= add_note(f,
		               "temporary placements (T0-T4): %zu episodes keep the child's "
		               "category; %zu periods started with one (category of the next "
		               "placement); %zu had nothing else (category \"%s\")",
		               n->temporary_episodes, n->temporary_starts, n->temporary_only,
		               cc_fit_map_category(f->map, f->map->default_cat));
	if (n->zero_length)
		rc |= add_note(f, "%zu periods of care lasting no time (DEC = DECOM) left out",
		               n->zero_length);
	if (n->provider_unknown)
		rc |=
		    add_note(f,
		             "%zu placements with no usable PLACE_PROVIDER: taken as the previous "
		             "provider in the same category, else in-house",
		             n->provider_unknown);
	if (n->moves_after_18 > 0)
		rc |= add_note(f, "%.0f changes of category on or after the 18th birthday ignored",
		               n->moves_after_18);
	double flows = n->stock_window_start + n->entries;
	for (size_t r = 0; r <= CC_FIT_NREASONS; r++)
		flows -= n->exits[r];
	flows -= (double)n->lost;
	double gap = n->stock_base - flows;
	if (fabs(gap) > 0.5)
		rc |= add_note(f,
		               "stock at the base date %.0f = stock at the window start %.0f + "
		               "entries - exits - censored %+.0f: the difference is children on "
		               "short breaks at either date",
		               n->stock_base, n->stock_window_start, gap);
	return rc ? CC_ENOMEM : CC_OK;
}

static int make_names(cc_fit *f, const cc_ssda903 *ds, const char *name)
{
	f->nla = cc_ssda903_nlas(ds);
	f->la_names = calloc(f->nla ? f->nla : 1, sizeof *f->la_names);
	if (!f->la_names)
		return CC_ENOMEM;
	char list[400] = "";
	for (size_t i = 0; i < f->nla; i++) {
		const char *nm = cc_ssda903_la_at(ds, i)->name;
		if (!(f->la_names[i] = xstrdup(nm)))
			return CC_ENOMEM;
		size_t used = strlen(list);
		if (*nm && used + strlen(nm) + 8 < sizeof list)
			snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", nm);
		else if (*nm && !strstr(list, "..."))
			snprintf(list + used, sizeof list - used, ", ...");
	}
	char buf[700], b[CC_DATE_STRLEN], w[CC_DATE_STRLEN];
	cc_date_format(f->opts.base_date, b);
	cc_date_format(f->counts.window_start, w);
	if (name)
		snprintf(buf, sizeof buf, "%s", name);
	else if (*list)
		snprintf(buf, sizeof buf, "%s (fitted to SSDA903, base %s)", list, b);
	else
		snprintf(buf, sizeof buf, "Fitted to SSDA903, base %s", b);
	if (!(f->name = xstrdup(buf)))
		return CC_ENOMEM;
	snprintf(buf, sizeof buf,
	         "Fitted by carecast fit ssda903 to %zu SSDA903 return%s of %s%s; reference window "
	         "%s to %s (%u year%s); rates shrunk toward pooled rates where the data are thin "
	         "(docs/fit.md)",
	         f->nreturns, f->nreturns == 1 ? "" : "s", *list ? "" : "one unnamed LA",
	         *list ? list : "", w, b, f->opts.window_years,
	         f->opts.window_years == 1 ? "" : "s");
	if (!(f->description = xstrdup(buf)))
		return CC_ENOMEM;
	return CC_OK;
}

/* ---- the fit -------------------------------------------------------------------------- */

static cc_fit_map *copy_map(const cc_fit_map *m)
{
	cc_fit_map *c = malloc(sizeof *c);
	if (c)
		*c = *m;
	return c;
}

int cc_fit_ssda903(const cc_ssda903 *ds, const cc_fit_opts *opts, cc_fit **out, cc_diags *diags)
{
	*out = NULL;
	cc_fit_opts o;
	if (opts)
		o = *opts;
	else
		cc_fit_opts_default(&o);
	if (o.window_years == 0)
		o.window_years = 3;
	cc_date ws;
	int rc = check_options(ds, &o, &ws, diags);
	if (rc != CC_OK)
		return rc;
	size_t missing = check_returns(ds, &o, ws, diags);
	if (missing && o.strict)
		return CC_EPARSE;

	cc_fit *f = calloc(1, sizeof *f);
	if (!f)
		return CC_ENOMEM;
	fit_child w = { 0 };
	f->opts = o;
	f->opts.name = NULL; /* not kept: the caller's string */
	f->map = o.map ? copy_map(o.map) : cc_fit_map_default();
	if (!f->map)
		goto oom;
	f->opts.map = f->map;
	f->quality = *cc_ssda903_summary(ds);
	f->labels = cc_ssda903_year_labels(ds);
	f->nreturns = cc_ssda903_nreturns(ds);
	f->tab.K = f->map->ncat;
	cc_fit_counts *n = &f->counts;
	n->window_start = ws;
	n->window_end = o.base_date;
	n->window_years = o.window_years;
	n->las = cc_ssda903_nlas(ds);
	n->children = cc_ssda903_nchildren(ds);
	n->missing_returns = missing;
	if (make_history(f, ds) != CC_OK)
		goto oom;

	fit_window win = { ws, o.base_date + 1 };
	for (size_t i = 0; i < n->children; i++) {
		if (fit_child_periods(ds, i, f->map, &w) != CC_OK)
			goto oom;
		if (w.nperiods == 0)
			continue;
		fit_kid kid;
		fit_kid_init(&kid, cc_ssda903_child_at(ds, i)->dob);
		fit_accumulate(&win, &kid, &w, &f->tab, n);
		if (fit_start_add(&f->start, &kid, &w, o.base_date, &f->tab) != CC_OK)
			goto oom;
		fit_history_add(f->history, f->nhistory, &kid, &w);
		size_t pi, si;
		n->stock_window_start += (double)fit_stock_at(&w, &kid, ws - 1, &pi, &si);
	}
	n->respite_periods = w.respite_periods;
	n->respite_bridged = w.respite_bridged;
	n->temporary_episodes = w.temporary_episodes;
	n->temporary_starts = w.temporary_starts;
	n->temporary_only = w.temporary_only;
	n->provider_unknown = w.provider_unknown;
	n->zero_length = w.zero_length;
	fit_child_free(&w);
	fit_start_finish(&f->start);
	n->start_rows = f->start.n;
	for (size_t i = 0; i < f->start.n; i++)
		n->stock_base += f->start.rows[i].count;
	for (size_t b = 0; b < CC_FIT_NAGE; b++)
		for (size_t c = 0; c < f->tab.K; c++)
			for (size_t t = 0; t < CC_FIT_NTIC; t++)
				n->exposure_years += f->tab.expo_days[b][c][t] / FIT_DAYS_PER_YEAR;

	fit_exit_rates_compute(&f->tab, o.prior_events, &f->ex);
	fit_move_rates_compute(&f->tab, o.prior_events, &f->mv);
	entries_and_shares(f);
	if (make_names(f, ds, o.name) != CC_OK || make_notes(f) != CC_OK)
		goto oom;
	*out = f;
	return CC_OK;
oom:
	fit_child_free(&w);
	cc_fit_free(f);
	cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0, "out of memory fitting the model");
	return CC_ENOMEM;
}

void cc_fit_free(cc_fit *f)
{
	if (!f)
		return;
	cc_fit_map_free(f->map);
	free(f->name);
	free(f->description);
	for (size_t i = 0; f->la_names && i < f->nla; i++)
		free(f->la_names[i]);
	free(f->la_names);
	free(f->start.rows);
	free(f->history);
	for (size_t i = 0; i < f->nnotes; i++)
		free(f->notes[i]);
	free(f->notes);
	free(f);
}

/* ---- accessors ------------------------------------------------------------------------ */

static const cc_fit_rate zero_rate;

const cc_fit_counts *cc_fit_get_counts(const cc_fit *f) { return &f->counts; }
size_t cc_fit_ncategories(const cc_fit *f) { return f->tab.K; }
const char *cc_fit_category(const cc_fit *f, size_t c) { return cc_fit_map_category(f->map, c); }
const cc_ssda903_quality *cc_fit_quality(const cc_fit *f) { return &f->quality; }
size_t cc_fit_nnotes(const cc_fit *f) { return f->nnotes; }
const char *cc_fit_note(const cc_fit *f, size_t i) { return i < f->nnotes ? f->notes[i] : ""; }

cc_fit_rate cc_fit_exit_rate(const cc_fit *f, size_t reason, size_t age_band, size_t category,
                             size_t tic_band)
{
	if (reason >= CC_FIT_NREASONS || age_band >= CC_FIT_NAGE || category >= f->tab.K ||
	    tic_band >= CC_FIT_NTIC)
		return zero_rate;
	return f->ex.cell[reason][age_band][category][tic_band];
}

cc_fit_rate cc_fit_exit_rate_band(const cc_fit *f, size_t reason, size_t category, size_t age_band)
{
	if (reason >= CC_FIT_NREASONS || age_band >= CC_FIT_NAGE || category >= f->tab.K)
		return zero_rate;
	return f->ex.band[reason][category][age_band];
}

cc_fit_rate cc_fit_exit_rate_category(const cc_fit *f, size_t reason, size_t category)
{
	if (reason >= CC_FIT_NREASONS || category >= f->tab.K)
		return zero_rate;
	return f->ex.cat[reason][category];
}

cc_fit_rate cc_fit_exit_rate_reason(const cc_fit *f, size_t reason)
{
	return reason < CC_FIT_NREASONS ? f->ex.top[reason] : zero_rate;
}

cc_fit_rate cc_fit_move_rate(const cc_fit *f, size_t from, size_t to, size_t age_band)
{
	if (from >= f->tab.K || to >= f->tab.K || age_band >= CC_FIT_NAGE)
		return zero_rate;
	return f->mv.cell[from][to][age_band];
}

cc_fit_rate cc_fit_move_rate_pair(const cc_fit *f, size_t from, size_t to)
{
	if (from >= f->tab.K || to >= f->tab.K)
		return zero_rate;
	return f->mv.pair[from][to];
}

cc_fit_rate cc_fit_move_rate_out(const cc_fit *f, size_t from)
{
	return from < f->tab.K ? f->mv.out[from] : zero_rate;
}

cc_fit_rate cc_fit_entry_rate(const cc_fit *f, size_t age_band)
{
	return age_band < CC_FIT_NAGE ? f->entry[age_band] : zero_rate;
}

double cc_fit_entries(const cc_fit *f, size_t age_band, size_t category)
{
	if (age_band >= CC_FIT_NAGE || category >= f->tab.K)
		return 0;
	return f->tab.entries[age_band][category];
}

double cc_fit_entries_at_age(const cc_fit *f, unsigned age_months)
{
	return age_months < CC_AGE_MONTHS_MAX ? f->tab.entry_age[age_months] : 0;
}

double cc_fit_exposure(const cc_fit *f, size_t age_band, size_t category, size_t tic_band)
{
	if (age_band >= CC_FIT_NAGE || category >= f->tab.K || tic_band >= CC_FIT_NTIC)
		return 0;
	return f->tab.expo_days[age_band][category][tic_band] / FIT_DAYS_PER_YEAR;
}

double cc_fit_in_house_share(const cc_fit *f, size_t category, double *in_house, double *known)
{
	if (category >= f->tab.K)
		return 0;
	if (in_house)
		*in_house = f->tab.starts_in_house[category];
	if (known)
		*known = f->tab.starts_known[category];
	return f->in_house_share[category];
}

double cc_fit_prior_exit(const cc_fit *f, size_t reason, size_t level)
{
	return reason < CC_FIT_NREASONS && level < 3 ? f->ex.alpha[reason][level] : 0;
}

double cc_fit_prior_move(const cc_fit *f, size_t level)
{
	return level < 3 ? f->mv.alpha[level] : 0;
}

size_t cc_fit_nstart(const cc_fit *f) { return f->start.n; }
const cc_start_group *cc_fit_start(const cc_fit *f, size_t i)
{
	return i < f->start.n ? &f->start.rows[i] : NULL;
}
size_t cc_fit_nhistory(const cc_fit *f) { return f->nhistory; }
const cc_history_point *cc_fit_history(const cc_fit *f, size_t i)
{
	return i < f->nhistory ? &f->history[i] : NULL;
}

/* ---- output ------------------------------------------------------------------------------ */

typedef int (*printer)(const cc_fit *, FILE *);

static int to_text(const cc_fit *f, printer print, char **text)
{
	*text = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *s = open_memstream(&buf, &len);
	if (!s)
		return CC_ENOMEM;
	int rc = print(f, s);
	if (fclose(s) != 0 && rc == CC_OK)
		rc = CC_ENOMEM;
	if (rc != CC_OK) {
		free(buf);
		return CC_ENOMEM;
	}
	*text = buf;
	return CC_OK;
}

int cc_fit_model_json(const cc_fit *f, char **text) { return to_text(f, fit_model_print, text); }
int cc_fit_report_json(const cc_fit *f, char **text) { return to_text(f, fit_report_print, text); }

int cc_fit_model(const cc_fit *f, cc_model **out, cc_diags *diags)
{
	*out = NULL;
	char *text;
	int rc = cc_fit_model_json(f, &text);
	if (rc != CC_OK)
		return rc;
	rc = cc_model_parse(f->name, text, strlen(text), out, diags);
	free(text);
	return rc;
}

static int write_file(const cc_fit *f, printer print, const char *path, cc_diags *diags)
{
	cc_outfile *o;
	int rc = cc_outfile_open(path, &o, diags);
	if (rc != CC_OK)
		return rc;
	rc = print(f, cc_outfile_stream(o));
	if (rc == CC_ENOMEM) {
		cc_outfile_abort(o);
		return rc;
	}
	return cc_outfile_commit(o, diags);
}

int cc_fit_write_model(const cc_fit *f, const char *path, cc_diags *diags)
{
	return write_file(f, fit_model_print, path, diags);
}

int cc_fit_write_report(const cc_fit *f, const char *path, cc_diags *diags)
{
	return write_file(f, fit_report_print, path, diags);
}
