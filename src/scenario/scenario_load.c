/*
 * scenario_load.c - reading and checking scenario files (docs/formats.md).
 *
 * A scenario is read against the model it will run with: every name is
 * resolved to an index here, and every problem is reported with
 * file:line:column. `extends` names another scenario file (relative to the
 * extending file's folder) whose levers come first; chains are followed to a
 * depth of 16 and cycles are errors.
 */
#include "carecast/scenario.h"

#include "../json/jdoc.h"
#include "carecast/fileio.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVERS 1000
#define MAX_EXTENDS_DEPTH 16

typedef struct {
	cc_jdoc *doc;
	const cc_model *m;
	cc_scenario *s;
	size_t cap;
	int oom;
} sloader;

static const struct {
	cc_lever_type type;
	const char *name;
} type_names[] = {
	{ CC_LEVER_ENTRIES, "entries" },
	{ CC_LEVER_EXIT_HAZARD, "exit_hazard" },
	{ CC_LEVER_EXTRA_EXITS, "extra_exits" },
	{ CC_LEVER_MOVE_HAZARD, "move_hazard" },
	{ CC_LEVER_TRANSFERS, "transfers" },
	{ CC_LEVER_APPROVALS, "approvals" },
	{ CC_LEVER_DEREGISTRATION, "deregistration" },
	{ CC_LEVER_OPEN_HOME, "open_home" },
	{ CC_LEVER_CLOSE_HOME, "close_home" },
	{ CC_LEVER_USABLE_SHARE, "usable_share" },
	{ CC_LEVER_UPLIFT, "uplift" },
	{ CC_LEVER_FRAMEWORK_SHARE, "framework_share" },
	{ CC_LEVER_PRICE, "price" },
	{ CC_LEVER_TARGET, "target" },
};
#define N_TYPES (sizeof type_names / sizeof type_names[0])

const char *cc_lever_type_name(cc_lever_type t)
{
	for (size_t i = 0; i < N_TYPES; i++)
		if (type_names[i].type == t)
			return type_names[i].name;
	return "unknown";
}

double cc_lever_ramp(const cc_lever *l, cc_date first_day)
{
	if (first_day < l->start)
		return 0.0;
	if (first_day >= l->full || l->full <= l->start)
		return 1.0;
	return (double)(first_day - l->start) / (double)(l->full - l->start);
}

/* ---- helpers ---------------------------------------------------------------- */

static int read_date(sloader *L, const cJSON *obj, const char *key, int required, cc_date *out)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!n) {
		if (required)
			cc_jdoc_error(L->doc, obj, "missing \"%s\": expected a date YYYY-MM-DD",
			              key);
		return required ? -1 : 0;
	}
	char found[64];
	cc_jdoc_found(L->doc, n, found, sizeof found);
	if (!cJSON_IsString(n) || cc_date_parse_iso(n->valuestring, out) != CC_OK) {
		cc_jdoc_error(L->doc, n, "expected a real date YYYY-MM-DD for \"%s\", found %s",
		              key, found);
		return -1;
	}
	return 1;
}

static int find_in(const char *first, size_t stride, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(first + i * stride, s) == 0)
			return (int)i;
	return -1;
}

static void list_names(char *buf, size_t size, const char *first, size_t stride, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + used, size - used, "%s\"%s\"", i ? ", " : "",
		                 first + i * stride);
		if (w < 0 || (size_t)w + 6 >= size - used) {
			snprintf(buf + used, size - used, ", ...");
			break;
		}
		used += (size_t)w;
	}
}

/* A name member resolved in a list; -1 (reported) when absent or unknown. */
static int read_named(sloader *L, const cJSON *obj, const char *key, const char *kind,
                      const char *first, size_t stride, size_t n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char list[512];
	list_names(list, sizeof list, first, stride, n);
	if (!v) {
		cc_jdoc_error(L->doc, obj, "missing \"%s\": expected %s (one of %s)", key, kind,
		              list);
		return -1;
	}
	int i = cJSON_IsString(v) ? find_in(first, stride, n, v->valuestring) : -1;
	if (i < 0) {
		char found[64];
		cc_jdoc_found(L->doc, v, found, sizeof found);
		cc_jdoc_error(L->doc, v, "expected %s (one of %s) for \"%s\", found %s", kind, list,
		              key, found);
	}
	return i;
}

/* A list of names as a bit mask; absent: all. 1 ok, -1 bad. */
static int read_mask(sloader *L, const cJSON *obj, const char *key, const char *kind,
                     const char *first, size_t stride, size_t n, uint32_t *mask)
{
	*mask = n >= 32 ? 0xFFFFFFFFu : (1u << n) - 1u;
	const cJSON *arr;
	int r = cc_jdoc_get_array(L->doc, obj, key, 0, CC_MAX_LIST, &arr);
	if (r <= 0)
		return r == 0 ? 1 : -1;
	if (!arr->child) {
		cc_jdoc_error(
		    L->doc, arr,
		    "expected at least one name in \"%s\", found an empty list (leave the key "
		    "out to mean all)",
		    key);
		return -1;
	}
	char list[512];
	list_names(list, sizeof list, first, stride, n);
	uint32_t m = 0;
	int ok = 1;
	for (const cJSON *it = arr->child; it; it = it->next) {
		int i = cJSON_IsString(it) ? find_in(first, stride, n, it->valuestring) : -1;
		if (i < 0) {
			char found[64];
			cc_jdoc_found(L->doc, it, found, sizeof found);
			cc_jdoc_error(L->doc, it, "expected %s (one of %s) in \"%s\", found %s",
			              kind, list, key, found);
			ok = 0;
			continue;
		}
		m |= 1u << i;
	}
	*mask = m;
	return ok ? 1 : -1;
}

static int pool_index(sloader *L, const cJSON *obj, cc_pool_kind want, size_t *out)
{
	const cc_model *m = L->m;
	char names[CC_MAX_LIST][CC_NAME_MAX + 1];
	size_t n = 0;
	for (size_t k = 0; k < m->n_pools; k++)
		if (!want || m->pools[k].kind == want)
			snprintf(names[n++], sizeof names[0], "%s",
			         m->categories[m->pools[k].category].name);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "pool");
	const char *kind = want == CC_POOL_HOUSEHOLDS ? "a foster household pool"
	                   : want == CC_POOL_HOMES    ? "a children's homes pool"
	                                              : "an in-house pool";
	if (n == 0) {
		cc_jdoc_error(L->doc, v ? v : obj, "expected %s, but the model has none", kind);
		return -1;
	}
	int i = read_named(L, obj, "pool", kind, names[0], sizeof names[0], n);
	if (i < 0)
		return -1;
	/* Back to the model's pool index. */
	for (size_t k = 0, j = 0; k < m->n_pools; k++)
		if (!want || m->pools[k].kind == want) {
			if ((int)j == i) {
				*out = k;
				return 1;
			}
			j++;
		}
	return -1;
}

/* ---- levers ----------------------------------------------------------------- */

#define COMMON "type", "start", "phase_in_end", "note", "source"

static const char *const *keys_for(cc_lever_type t)
{
	static const char *const entries[] = { COMMON,      "multiplier", "change_per_year",
		                               "age_bands", "categories", NULL };
	static const char *const exit_hazard[] = { COMMON,       "multiplier", "reasons",
		                                   "categories", "age_bands",  "providers",
		                                   NULL };
	static const char *const extra_exits[] = { COMMON,          "per_year",      "reason",
		                                   "categories",    "age_bands",     "providers",
		                                   "min_age_years", "max_age_years", NULL };
	static const char *const move_hazard[] = { COMMON,      "from",      "to", "multiplier",
		                                   "age_bands", "providers", NULL };
	static const char *const transfers[] = { COMMON,          "from",          "to",
		                                 "per_month",     "age_bands",     "providers",
		                                 "min_age_years", "max_age_years", NULL };
	static const char *const approvals[] = { COMMON, "pool", "extra_per_year", NULL };
	static const char *const dereg[] = { COMMON, "pool", "multiplier", NULL };
	static const char *const open_home[] = { COMMON,         "pool",   "name", "beds",
		                                 "usable_share", "closes", NULL };
	static const char *const close_home[] = { COMMON, "pool", "name", NULL };
	static const char *const usable[] = { COMMON, "pool", "value", "home", NULL };
	static const char *const uplift[] = { COMMON, "category", "provider", "value", NULL };
	static const char *const fshare[] = { COMMON, "category", "value", NULL };
	static const char *const price[] = { COMMON, "category", "contract", "per_week", NULL };
	static const char *const target[] = { COMMON, "reduce_stock_percent", "by", "solve_for",
		                              NULL };
	switch (t) {
	case CC_LEVER_ENTRIES: return entries;
	case CC_LEVER_EXIT_HAZARD: return exit_hazard;
	case CC_LEVER_EXTRA_EXITS: return extra_exits;
	case CC_LEVER_MOVE_HAZARD: return move_hazard;
	case CC_LEVER_TRANSFERS: return transfers;
	case CC_LEVER_APPROVALS: return approvals;
	case CC_LEVER_DEREGISTRATION: return dereg;
	case CC_LEVER_OPEN_HOME: return open_home;
	case CC_LEVER_CLOSE_HOME: return close_home;
	case CC_LEVER_USABLE_SHARE: return usable;
	case CC_LEVER_UPLIFT: return uplift;
	case CC_LEVER_FRAMEWORK_SHARE: return fshare;
	case CC_LEVER_PRICE: return price;
	case CC_LEVER_TARGET: return target;
	}
	return NULL;
}

static int read_age_limits(sloader *L, const cJSON *obj, cc_lever *lv)
{
	double lo = 0, hi = 18;
	int r1 = cc_jdoc_get_number(L->doc, obj, "min_age_years", 0, 0.0, 18.0, &lo);
	int r2 = cc_jdoc_get_number(L->doc, obj, "max_age_years", 0, 0.0, 18.0, &hi);
	if (r1 < 0 || r2 < 0)
		return -1;
	if (hi <= lo) {
		cc_jdoc_error(L->doc, obj, "expected \"max_age_years\" above \"min_age_years\"");
		return -1;
	}
	lv->min_age_months = (unsigned)lround(lo * 12.0);
	lv->max_age_months = (unsigned)lround(hi * 12.0);
	return 1;
}

static int need_costs(sloader *L, const cJSON *obj)
{
	if (L->m->has_costs)
		return 1;
	cc_jdoc_error(L->doc, obj,
	              "expected a model with \"costs\" for a price lever, but it has none");
	return 0;
}

static int read_lever(sloader *L, const cJSON *obj, cc_lever *lv)
{
	const cc_model *m = L->m;
	const cJSON *tn = cJSON_GetObjectItemCaseSensitive(obj, "type");
	char list[512] = "";
	size_t used = 0;
	for (size_t i = 0; i < N_TYPES; i++) {
		int w = snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "",
		                 type_names[i].name);
		if (w > 0 && (size_t)w < sizeof list - used)
			used += (size_t)w;
	}
	if (!tn) {
		cc_jdoc_error(L->doc, obj, "missing \"type\": expected a lever type (one of %s)",
		              list);
		return -1;
	}
	lv->type = 0;
	for (size_t i = 0; i < N_TYPES && cJSON_IsString(tn); i++)
		if (strcmp(tn->valuestring, type_names[i].name) == 0)
			lv->type = type_names[i].type;
	if (!lv->type) {
		char found[64];
		cc_jdoc_found(L->doc, tn, found, sizeof found);
		cc_jdoc_error(L->doc, tn, "expected a lever type (one of %s), found %s", list,
		              found);
		return -1;
	}
	char what[64];
	snprintf(what, sizeof what, "a \"%s\" lever", tn->valuestring);
	int ok = cc_jdoc_check_keys(L->doc, obj, what, keys_for(lv->type)) == 0;
	size_t line, col;
	cc_jdoc_pos(L->doc, obj, 0, &line, &col);
	lv->line = line;

	ok &= read_date(L, obj, "start", 1, &lv->start) == 1;
	lv->full = lv->start;
	int rf = read_date(L, obj, "phase_in_end", 0, &lv->full);
	if (rf < 0) {
		ok = 0;
	} else if (rf == 1 && ok && lv->full <= lv->start) {
		cc_jdoc_error(L->doc, cJSON_GetObjectItemCaseSensitive(obj, "phase_in_end"),
		              "expected \"phase_in_end\" after \"start\"");
		ok = 0;
	}
	/* Filters default to all. */
	ok &= read_mask(L, obj, "age_bands", "an age band", m->age_bands[0].name, sizeof(cc_band),
	                m->n_age_bands, &lv->age_bands) == 1;
	ok &= read_mask(L, obj, "categories", "a category", m->categories[0].name,
	                sizeof(cc_category), m->n_categories, &lv->categories) == 1;
	ok &= read_mask(L, obj, "reasons", "an exit reason", m->reasons[0], sizeof m->reasons[0],
	                m->n_reasons, &lv->reasons) == 1;
	{
		/* Providers are a fixed list of two. */
		const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "providers");
		lv->providers = 3u;
		if (arr) {
			lv->providers = 0;
			if (!cJSON_IsArray(arr) || !arr->child) {
				cc_jdoc_error(
				    L->doc, arr,
				    "expected a list of providers (\"in_house\", \"external\")");
				ok = 0;
			}
			for (const cJSON *it = cJSON_IsArray(arr) ? arr->child : NULL; it;
			     it = it->next) {
				int p = -1;
				for (int i = 0; i < CC_NPROVIDERS; i++)
					if (cJSON_IsString(it) &&
					    strcmp(it->valuestring, cc_provider_names[i]) == 0)
						p = i;
				if (p < 0) {
					char found[64];
					cc_jdoc_found(L->doc, it, found, sizeof found);
					cc_jdoc_error(L->doc, it,
					              "expected \"in_house\" or \"external\" in "
					              "\"providers\", "
					              "found %s",
					              found);
					ok = 0;
				} else {
					lv->providers |= 1u << p;
				}
			}
		}
	}
	lv->min_age_months = 0;
	lv->max_age_months = CC_AGE_MONTHS_MAX;
	lv->multiplier = 1.0;

	switch (lv->type) {
	case CC_LEVER_ENTRIES: {
		int rm =
		    cc_jdoc_get_number(L->doc, obj, "multiplier", 0, 0.0, 100.0, &lv->multiplier);
		int rc =
		    cc_jdoc_get_number(L->doc, obj, "change_per_year", 0, -1e7, 1e7, &lv->per_year);
		if (rm < 0 || rc < 0) {
			ok = 0;
		} else if (rm + rc != 1) {
			cc_jdoc_error(
			    L->doc, obj,
			    "expected exactly one of \"multiplier\" or \"change_per_year\" in an "
			    "entries lever");
			ok = 0;
		}
		lv->has_multiplier = rm == 1;
		break;
	}
	case CC_LEVER_EXIT_HAZARD:
	case CC_LEVER_DEREGISTRATION:
		ok &= cc_jdoc_get_number(L->doc, obj, "multiplier", 1, 0.0, 1000.0,
		                         &lv->multiplier) == 1;
		if (lv->type == CC_LEVER_DEREGISTRATION)
			ok &= pool_index(L, obj, CC_POOL_HOUSEHOLDS, &lv->pool) == 1;
		break;
	case CC_LEVER_EXTRA_EXITS: {
		ok &= cc_jdoc_get_number(L->doc, obj, "per_year", 1, 0.0, 1e6, &lv->per_year) == 1;
		int r = read_named(L, obj, "reason", "an exit reason", m->reasons[0],
		                   sizeof m->reasons[0], m->n_reasons);
		ok &= r >= 0;
		lv->reason = r >= 0 ? (size_t)r : 0;
		ok &= read_age_limits(L, obj, lv) == 1;
		break;
	}
	case CC_LEVER_MOVE_HAZARD:
	case CC_LEVER_TRANSFERS: {
		int f = read_named(L, obj, "from", "a category", m->categories[0].name,
		                   sizeof(cc_category), m->n_categories);
		int t = read_named(L, obj, "to", "a category", m->categories[0].name,
		                   sizeof(cc_category), m->n_categories);
		if (f < 0 || t < 0) {
			ok = 0;
		} else if (f == t) {
			cc_jdoc_error(L->doc, cJSON_GetObjectItemCaseSensitive(obj, "to"),
			              "expected \"to\" to differ from \"from\"");
			ok = 0;
		}
		lv->from = f >= 0 ? (size_t)f : 0;
		lv->to = t >= 0 ? (size_t)t : 0;
		if (lv->type == CC_LEVER_MOVE_HAZARD) {
			ok &= cc_jdoc_get_number(L->doc, obj, "multiplier", 1, 0.0, 1000.0,
			                         &lv->multiplier) == 1;
		} else {
			ok &= cc_jdoc_get_number(L->doc, obj, "per_month", 1, 0.0, 1e5,
			                         &lv->per_month) == 1;
			ok &= read_age_limits(L, obj, lv) == 1;
		}
		break;
	}
	case CC_LEVER_APPROVALS:
		ok &= pool_index(L, obj, CC_POOL_HOUSEHOLDS, &lv->pool) == 1;
		ok &= cc_jdoc_get_number(L->doc, obj, "extra_per_year", 1, -1e6, 1e6,
		                         &lv->per_year) == 1;
		break;
	case CC_LEVER_OPEN_HOME: {
		ok &= pool_index(L, obj, CC_POOL_HOMES, &lv->pool) == 1;
		const char *name = "";
		cc_jdoc_get_string(L->doc, obj, "name", 0, &name);
		snprintf(lv->home.name, sizeof lv->home.name, "%s", name);
		long beds = 0;
		ok &= cc_jdoc_get_long(L->doc, obj, "beds", 1, 1, 10000, &beds) == 1;
		lv->home.beds = (unsigned)beds;
		lv->home.usable_share = 1.0;
		ok &= cc_jdoc_get_number(L->doc, obj, "usable_share", 0, 0.0, 1.0,
		                         &lv->home.usable_share) >= 0;
		lv->home.opens = lv->start;
		lv->home.closes = CC_DATE_NONE;
		int rc = read_date(L, obj, "closes", 0, &lv->home.closes);
		if (rc < 0) {
			ok = 0;
		} else if (rc == 1 && ok && lv->home.closes <= lv->home.opens) {
			cc_jdoc_error(L->doc, cJSON_GetObjectItemCaseSensitive(obj, "closes"),
			              "expected \"closes\" after \"start\"");
			ok = 0;
		}
		break;
	}
	case CC_LEVER_CLOSE_HOME: {
		if (pool_index(L, obj, CC_POOL_HOMES, &lv->pool) != 1) {
			ok = 0;
			break;
		}
		const cc_pool *p = &m->pools[lv->pool];
		int h = read_named(L, obj, "name", "a home of the pool",
		                   p->n_homes ? p->homes[0].name : "", sizeof(cc_home), p->n_homes);
		ok &= h >= 0;
		lv->home_index = h >= 0 ? (size_t)h : 0;
		break;
	}
	case CC_LEVER_USABLE_SHARE: {
		ok &= pool_index(L, obj, 0, &lv->pool) == 1;
		ok &= cc_jdoc_get_number(L->doc, obj, "value", 1, 0.0, 1.0, &lv->value) == 1;
		/* Optionally one home of a homes pool (existing, or opened by an
		 * earlier lever of this scenario). */
		const char *home;
		int rh = cc_jdoc_get_string(L->doc, obj, "home", 0, &home);
		if (rh < 0) {
			ok = 0;
		} else if (rh == 1 && ok) {
			const cc_pool *p = &m->pools[lv->pool];
			int found = p->kind == CC_POOL_HOMES &&
			            find_in(p->homes ? p->homes[0].name : "", sizeof(cc_home),
			                    p->n_homes, home) >= 0;
			for (size_t i = 0; i < L->s->n_levers && !found; i++)
				found = L->s->levers[i].type == CC_LEVER_OPEN_HOME &&
				        L->s->levers[i].pool == lv->pool &&
				        strcmp(L->s->levers[i].home.name, home) == 0;
			if (!found) {
				cc_jdoc_error(
				    L->doc, cJSON_GetObjectItemCaseSensitive(obj, "home"),
				    "expected a home of the pool (or one opened by an earlier "
				    "lever), found \"%s\"",
				    home);
				ok = 0;
			}
			snprintf(lv->home.name, sizeof lv->home.name, "%s", home);
		}
		break;
	}
	case CC_LEVER_UPLIFT:
	case CC_LEVER_FRAMEWORK_SHARE:
	case CC_LEVER_PRICE: {
		ok &= need_costs(L, obj);
		int c = read_named(L, obj, "category", "a category", m->categories[0].name,
		                   sizeof(cc_category), m->n_categories);
		ok &= c >= 0;
		lv->category = c >= 0 ? (size_t)c : 0;
		if (lv->type == CC_LEVER_UPLIFT) {
			const cJSON *pn = cJSON_GetObjectItemCaseSensitive(obj, "provider");
			lv->provider = -1;
			for (int i = 0; i < CC_NPROVIDERS; i++)
				if (cJSON_IsString(pn) &&
				    strcmp(pn->valuestring, cc_provider_names[i]) == 0)
					lv->provider = i;
			if (lv->provider < 0) {
				char found[64];
				cc_jdoc_found(L->doc, pn, found, sizeof found);
				cc_jdoc_error(L->doc, pn ? pn : obj,
				              "expected \"in_house\" or \"external\" for "
				              "\"provider\", found %s",
				              pn ? found : "nothing");
				ok = 0;
			}
			ok &=
			    cc_jdoc_get_number(L->doc, obj, "value", 1, -0.5, 1.0, &lv->value) == 1;
		} else if (lv->type == CC_LEVER_FRAMEWORK_SHARE) {
			ok &=
			    cc_jdoc_get_number(L->doc, obj, "value", 1, 0.0, 1.0, &lv->value) == 1;
		} else {
			const cJSON *cn = cJSON_GetObjectItemCaseSensitive(obj, "contract");
			lv->contract = -1;
			for (int i = 0; i < CC_NCONTRACTS; i++)
				if (cJSON_IsString(cn) &&
				    strcmp(cn->valuestring, cc_contract_names[i]) == 0)
					lv->contract = i;
			if (lv->contract < 0) {
				char found[64];
				cc_jdoc_found(L->doc, cn, found, sizeof found);
				cc_jdoc_error(
				    L->doc, cn ? cn : obj,
				    "expected \"in_house\", \"framework\" or \"spot\" for "
				    "\"contract\", found %s",
				    cn ? found : "nothing");
				ok = 0;
			}
			ok &= cc_jdoc_get_number(L->doc, obj, "per_week", 1, 0.0, 1e6,
			                         &lv->value) == 1;
		}
		break;
	}
	case CC_LEVER_TARGET: {
		ok &= cc_jdoc_get_number(L->doc, obj, "reduce_stock_percent", 1, 0.0, 100.0,
		                         &lv->reduce_percent) == 1;
		ok &= read_date(L, obj, "by", 1, &lv->by) == 1;
		if (ok && lv->by <= m->base_date) {
			cc_jdoc_error(L->doc, cJSON_GetObjectItemCaseSensitive(obj, "by"),
			              "expected \"by\" after the model's base date");
			ok = 0;
		}
		long idx = -1;
		int rs = cc_jdoc_get_long(L->doc, obj, "solve_for", 0, 0, MAX_LEVERS, &idx);
		ok &= rs >= 0;
		lv->solve_lever = rs == 1 ? (size_t)idx : SIZE_MAX;
		break;
	}
	}
	return ok ? 1 : -1;
}

static int push_lever(sloader *L, cc_lever lv)
{
	cc_scenario *s = L->s;
	if (s->n_levers == L->cap) {
		size_t cap = L->cap ? 2 * L->cap : 8;
		cc_lever *v = realloc(s->levers, cap * sizeof *v);
		if (!v) {
			L->oom = 1;
			return -1;
		}
		s->levers = v;
		L->cap = cap;
	}
	s->levers[s->n_levers++] = lv;
	return 0;
}

/* Resolves each target's solved lever: a named one (checked), or a new
 * entries multiplier with the target's start and phase-in. */
static void resolve_targets(sloader *L, size_t first, const cJSON *arr)
{
	cc_scenario *s = L->s;
	size_t n = s->n_levers;
	const cJSON *node = arr->child;
	for (size_t i = first; i < n; i++, node = node ? node->next : NULL) {
		cc_lever *lv = &s->levers[i];
		if (lv->type != CC_LEVER_TARGET)
			continue;
		if (lv->solve_lever == SIZE_MAX) {
			cc_lever e = { .type = CC_LEVER_ENTRIES,
				       .line = lv->line,
				       .start = lv->start,
				       .full = lv->full,
				       .age_bands = 0xFFFFFFFFu,
				       .categories = 0xFFFFFFFFu,
				       .reasons = 0xFFFFFFFFu,
				       .providers = 3u,
				       .max_age_months = CC_AGE_MONTHS_MAX,
				       .multiplier = 1.0,
				       .has_multiplier = 1 };
			if (push_lever(L, e) != 0)
				return;
			lv = &s->levers[i];
			lv->solve_lever = s->n_levers - 1;
			continue;
		}
		size_t j = first + lv->solve_lever;
		const cc_lever *t = j < n ? &s->levers[j] : NULL;
		if (!t || j == i ||
		    !(t->type == CC_LEVER_ENTRIES || t->type == CC_LEVER_EXIT_HAZARD ||
		      t->type == CC_LEVER_EXTRA_EXITS)) {
			cc_jdoc_error(
			    L->doc, cJSON_GetObjectItemCaseSensitive(node, "solve_for"),
			    "expected \"solve_for\" to be the position (from 0) of an entries, "
			    "exit_hazard or extra_exits lever in this file");
			continue;
		}
		lv->solve_lever = j;
	}
}

static int load_file(const char *path, const cc_model *m, cc_scenario *s, size_t *cap,
                     cc_diags *diags, int depth, const char *const *chain);

static char *sibling_path(const char *base, const char *rel)
{
	if (rel[0] == '/')
		return strdup(rel);
	const char *slash = strrchr(base, '/');
	size_t dir = slash ? (size_t)(slash - base) + 1 : 0;
	size_t n = strlen(rel);
	char *p = malloc(dir + n + 1);
	if (!p)
		return NULL;
	memcpy(p, base, dir);
	memcpy(p + dir, rel, n + 1);
	return p;
}

static int load_doc(sloader *L, const char *path, int depth, const char *const *chain,
                    cc_diags *diags)
{
	const cJSON *root = cc_jdoc_root(L->doc);
	cc_scenario *s = L->s;
	if (!cJSON_IsObject(root)) {
		char found[64];
		cc_jdoc_found(L->doc, root, found, sizeof found);
		cc_jdoc_error(L->doc, root,
		              "expected a JSON object (a carecast scenario), found %s", found);
		return CC_EPARSE;
	}
	static const char *const keys[] = { "name", "description", "extends", "levers",
		                            "note", "source",      NULL };
	cc_jdoc_check_keys(L->doc, root, "the scenario", keys);
	const char *str;
	if (depth == 0) {
		if (cc_jdoc_get_string(L->doc, root, "name", 1, &str) == 1) {
			free(s->name);
			s->name = strdup(str);
			if (!s->name)
				L->oom = 1;
			else if (strlen(str) == 0 || strcmp(str, "baseline") == 0)
				cc_jdoc_error(
				    L->doc, cJSON_GetObjectItemCaseSensitive(root, "name"),
				    "expected a scenario name other than \"\" or \"baseline\"");
		}
		if (cc_jdoc_get_string(L->doc, root, "description", 0, &str) == 1) {
			free(s->description);
			s->description = strdup(str);
			if (!s->description)
				L->oom = 1;
		}
	} else {
		cc_jdoc_get_string(L->doc, root, "name", 0, &str);
		cc_jdoc_get_string(L->doc, root, "description", 0, &str);
	}
	if (cc_jdoc_get_string(L->doc, root, "extends", 0, &str) == 1) {
		const cJSON *en = cJSON_GetObjectItemCaseSensitive(root, "extends");
		char *base = sibling_path(path, str);
		int cycle = 0;
		for (size_t i = 0; chain[i]; i++)
			cycle |= base && strcmp(chain[i], base) == 0;
		if (!base) {
			L->oom = 1;
		} else if (cycle || depth + 1 >= MAX_EXTENDS_DEPTH) {
			cc_jdoc_error(L->doc, en,
			              cycle ? "\"extends\" makes a cycle: \"%s\" extends itself"
			                    : "\"extends\" chain deeper than 16 files at \"%s\"",
			              str);
		} else {
			const char *next[MAX_EXTENDS_DEPTH + 2] = { 0 };
			size_t k = 0;
			for (; chain[k]; k++)
				next[k] = chain[k];
			next[k] = base;
			int rc = load_file(base, L->m, s, &L->cap, diags, depth + 1, next);
			if (rc == CC_ENOMEM)
				L->oom = 1;
			else if (rc != CC_OK)
				cc_jdoc_error(L->doc, en,
				              "the scenario \"%s\" it extends has problems", str);
		}
		free(base);
	}
	const cJSON *arr;
	if (cc_jdoc_get_array(L->doc, root, "levers", 1, MAX_LEVERS, &arr) == 1) {
		size_t first = s->n_levers;
		for (const cJSON *it = arr->child; it; it = it->next) {
			if (!cJSON_IsObject(it)) {
				char found[64];
				cc_jdoc_found(L->doc, it, found, sizeof found);
				cc_jdoc_error(L->doc, it, "expected a lever (an object), found %s",
				              found);
				continue;
			}
			cc_lever lv;
			memset(&lv, 0, sizeof lv);
			if (read_lever(L, it, &lv) == 1)
				push_lever(L, lv);
			else
				/* Keep positions for solve_for: a placeholder that does nothing. */
				push_lever(L, (cc_lever){ .type = CC_LEVER_ENTRIES,
				                          .multiplier = 1,
				                          .has_multiplier = 1,
				                          .start = INT32_MAX,
				                          .full = INT32_MAX });
		}
		resolve_targets(L, first, arr);
	}
	return CC_OK;
}

static int load_file(const char *path, const cc_model *m, cc_scenario *s, size_t *cap,
                     cc_diags *diags, int depth, const char *const *chain)
{
	sloader L = { .m = m, .s = s, .cap = *cap };
	int rc = cc_jdoc_load(path, &L.doc, diags);
	if (rc != CC_OK)
		return rc;
	if (depth == 0) {
		size_t len;
		const char *text = cc_jdoc_text(L.doc, &len);
		cc_sha256_hex(text, len, s->sha256);
	}
	size_t before = cc_diags_errors(diags);
	rc = load_doc(&L, path, depth, chain, diags);
	*cap = L.cap;
	cc_jdoc_free(L.doc);
	if (L.oom)
		return CC_ENOMEM;
	if (rc == CC_OK && cc_diags_errors(diags) != before)
		rc = CC_EPARSE;
	return rc;
}

int cc_scenario_load(const char *path, const cc_model *m, cc_scenario **out, cc_diags *diags)
{
	*out = NULL;
	cc_scenario *s = calloc(1, sizeof *s);
	if (!s)
		return CC_ENOMEM;
	s->path = strdup(path);
	if (!s->path) {
		free(s);
		return CC_ENOMEM;
	}
	size_t cap = 0;
	const char *chain[2] = { path, NULL };
	int rc = load_file(path, m, s, &cap, diags, 0, chain);
	if (rc != CC_OK) {
		cc_scenario_free(s);
		return rc;
	}
	*out = s;
	return CC_OK;
}

void cc_scenario_free(cc_scenario *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->description);
	free(s->path);
	free(s->levers);
	free(s);
}
