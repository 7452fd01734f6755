/*
 * model_load.c - reading and validating a model file (docs/formats.md).
 *
 * The reader keeps going after a problem so that one run of `carecast
 * validate` lists everything wrong with a file. Each section is read by its
 * own function; sections that refer to names (categories, bands, reasons) look
 * them up in the lists read before them, so the lists come first.
 *
 * Rates become parameters as they are read: entry rates by age band occupy
 * params[0 .. n_age_bands-1], then one parameter per move row, then one per
 * exit row. A row covers a set of cells; overlapping rows are an error because
 * the total hazard in a cell would otherwise depend on which row "won".
 */
#include "carecast/model.h"

#include "../json/jdoc.h"
#include "carecast/fileio.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HAZARD_PER_YEAR 1000.0
#define MAX_ENTRIES_PER_YEAR 1e7
#define MAX_EVENTS 1e9
#define MAX_EXPOSURE 1e12
#define MAX_ROWS 100000
#define MAX_START_ROWS 2000000
#define SHARE_TOLERANCE 1e-3
#define RATE_AGREEMENT 0.01

const char *const cc_provider_names[CC_NPROVIDERS] = { "in_house", "external" };

typedef struct {
	cc_jdoc *doc;
	cc_model *m;
	size_t cap_params;
	int oom;              /* an allocation failed: the model is incomplete */
	size_t errors_before; /* errors in the list before this file */
} loader;

/* ---- small helpers ------------------------------------------------------ */

static size_t node_line(loader *L, const cJSON *n)
{
	size_t line, col;
	cc_jdoc_pos(L->doc, n, 0, &line, &col);
	return line;
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CC_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '+' || c == '.'))
			return 0;
	}
	return 1;
}

/* Reads a name string node into dst; reports problems. 1 ok, -1 bad. */
static int read_name(loader *L, const cJSON *n, const char *what, char *dst)
{
	char found[64];
	if (!cJSON_IsString(n) || !n->valuestring) {
		cc_jdoc_found(L->doc, n, found, sizeof found);
		cc_jdoc_error(L->doc, n, "expected a name (string) for %s, found %s", what, found);
		return -1;
	}
	if (!valid_name(n->valuestring)) {
		cc_jdoc_found(L->doc, n, found, sizeof found);
		cc_jdoc_error(L->doc, n,
		              "expected a name of 1 to %d characters from A-Z a-z 0-9 _ - + . for "
		              "%s, found %s",
		              CC_NAME_MAX, what, found);
		return -1;
	}
	snprintf(dst, CC_NAME_MAX + 1, "%s", n->valuestring);
	return 1;
}

static int find_name(const char (*names)[CC_NAME_MAX + 1], size_t stride, size_t n, const char *s)
{
	const char *base = (const char *)names;
	for (size_t i = 0; i < n; i++)
		if (strcmp(base + i * stride, s) == 0)
			return (int)i;
	return -1;
}

static int find_band(const cc_band *b, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(b[i].name, s) == 0)
			return (int)i;
	return -1;
}

static int find_category(const cc_model *m, const char *s)
{
	for (size_t i = 0; i < m->n_categories; i++)
		if (strcmp(m->categories[i].name, s) == 0)
			return (int)i;
	return -1;
}

static int find_reason(const cc_model *m, const char *s)
{
	return find_name(m->reasons, sizeof m->reasons[0], m->n_reasons, s);
}

/* A comma-separated list of the names in a list, for "expected one of". */
static void name_list(char *buf, size_t size, const char *first, size_t stride, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + used, size - used, "%s\"%s\"", i ? ", " : "",
		                 first + i * stride);
		if (w < 0 || (size_t)w + 6 >= size - used) {
			/* No room for this name whole: end the list at the last one. */
			buf[used] = '\0';
			snprintf(buf + used, size - used, ", ...");
			break;
		}
		used += (size_t)w;
	}
}

static void band_names(char *buf, size_t size, const cc_band *b, size_t n)
{
	name_list(buf, size, b[0].name, sizeof b[0], n);
}

static void category_names(char *buf, size_t size, const cc_model *m)
{
	name_list(buf, size, m->categories[0].name, sizeof m->categories[0], m->n_categories);
}

static int unknown_name(loader *L, const cJSON *n, const char *kind, const char *list)
{
	char found[64];
	cc_jdoc_found(L->doc, n, found, sizeof found);
	if (*list)
		cc_jdoc_error(L->doc, n, "expected %s (one of %s), found %s", kind, list, found);
	else
		cc_jdoc_error(L->doc, n, "expected %s, found %s, but the model lists none", kind,
		              found);
	return -1;
}

static int lookup_category(loader *L, const cJSON *n, const char *what)
{
	char name[CC_NAME_MAX + 1];
	if (read_name(L, n, what, name) != 1)
		return -1;
	int i = find_category(L->m, name);
	if (i < 0) {
		char list[512];
		category_names(list, sizeof list, L->m);
		return unknown_name(L, n, "a category", list);
	}
	return i;
}

static int lookup_age_band(loader *L, const cJSON *n, const char *what)
{
	char name[CC_NAME_MAX + 1];
	if (read_name(L, n, what, name) != 1)
		return -1;
	int i = find_band(L->m->age_bands, L->m->n_age_bands, name);
	if (i < 0) {
		char list[512];
		band_names(list, sizeof list, L->m->age_bands, L->m->n_age_bands);
		return unknown_name(L, n, "an age band", list);
	}
	return i;
}

/* ---- classifications ---------------------------------------------------- */

static void default_age_bands(cc_model *m)
{
	static const struct {
		const char *name;
		unsigned from, to;
	} d[] = { { "under1", 0, 1 },
		  { "1-4", 1, 5 },
		  { "5-9", 5, 10 },
		  { "10-15", 10, 16 },
		  { "16-17", 16, 18 } };
	m->n_age_bands = 5;
	for (size_t i = 0; i < 5; i++) {
		snprintf(m->age_bands[i].name, sizeof m->age_bands[i].name, "%s", d[i].name);
		m->age_bands[i].from_months = d[i].from * 12;
		m->age_bands[i].to_months = d[i].to * 12;
	}
}

static void default_tic_bands(cc_model *m)
{
	static const struct {
		const char *name;
		unsigned from, to;
	} d[] = { { "under6m", 0, 6 }, { "6-24m", 6, 24 }, { "24m+", 24, UINT_MAX } };
	m->n_tic_bands = 3;
	for (size_t i = 0; i < 3; i++) {
		snprintf(m->tic_bands[i].name, sizeof m->tic_bands[i].name, "%s", d[i].name);
		m->tic_bands[i].from_months = d[i].from;
		m->tic_bands[i].to_months = d[i].to;
	}
}

static void default_categories(cc_model *m)
{
	static const char *const d[] = { "fostering", "kinship",      "residential", "secure",
		                         "supported", "with_parents", "adoption",    "other" };
	m->n_categories = 8;
	for (size_t i = 0; i < 8; i++) {
		snprintf(m->categories[i].name, sizeof m->categories[i].name, "%s", d[i]);
		m->categories[i].in_house_share = 1.0;
	}
}

static void default_reasons(cc_model *m)
{
	static const char *const d[] = { "adoption",    "sgo",      "cao",     "home",
		                         "independent", "transfer", "custody", "other" };
	m->n_reasons = 8;
	for (size_t i = 0; i < 8; i++)
		snprintf(m->reasons[i], sizeof m->reasons[i], "%s", d[i]);
}

/* Checks a new name is not already in the first n of a list. */
static int check_unique(loader *L, const cJSON *n, const char *name, const char *first,
                        size_t stride, size_t count, const char *kind)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(first + i * stride, name) == 0) {
			cc_jdoc_error(L->doc, n, "%s \"%s\" is listed twice", kind, name);
			return -1;
		}
	return 0;
}

static void read_age_bands(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *arr;
	int r = cc_jdoc_get_array(L->doc, root, "age_bands", 0, CC_MAX_LIST, &arr);
	if (r != 1) {
		default_age_bands(m);
		return;
	}
	static const char *const keys[] = { "name", "from_years", "to_years", "note", NULL };
	size_t n = 0;
	long expect_from = 0;
	int ok = 1;
	for (const cJSON *row = arr->child; row; row = row->next) {
		if (!cJSON_IsObject(row)) {
			char found[64];
			cc_jdoc_found(L->doc, row, found, sizeof found);
			cc_jdoc_error(L->doc, row, "expected an age band object, found %s", found);
			ok = 0;
			continue;
		}
		cc_jdoc_check_keys(L->doc, row, "an age band", keys);
		cc_band b = { 0 };
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(row, "name");
		if (!nm) {
			cc_jdoc_error(L->doc, row,
			              "missing \"name\": expected a name for the age band");
			ok = 0;
		} else if (read_name(L, nm, "\"name\"", b.name) != 1 ||
		           check_unique(L, nm, b.name, m->age_bands[0].name, sizeof(cc_band), n,
		                        "age band") != 0) {
			ok = 0;
		}
		long from = 0, to = 0;
		int rf = cc_jdoc_get_long(L->doc, row, "from_years", 1, 0, 17, &from);
		int rt = cc_jdoc_get_long(L->doc, row, "to_years", 1, 1, 18, &to);
		if (rf == 1 && from != expect_from) {
			cc_jdoc_error(
			    L->doc, cJSON_GetObjectItemCaseSensitive(row, "from_years"),
			    "expected \"from_years\" %ld (bands must be contiguous from 0), "
			    "found %ld",
			    expect_from, from);
			ok = 0;
		}
		if (rf == 1 && rt == 1 && to <= from) {
			cc_jdoc_error(
			    L->doc, cJSON_GetObjectItemCaseSensitive(row, "to_years"),
			    "expected \"to_years\" greater than \"from_years\" %ld, found %ld",
			    from, to);
			ok = 0;
		}
		if (rf != 1 || rt != 1)
			ok = 0;
		if (rt == 1)
			expect_from = to;
		b.from_months = (unsigned)from * 12;
		b.to_months = (unsigned)to * 12;
		if (n < CC_MAX_LIST)
			m->age_bands[n++] = b;
	}
	if (ok && n == 0) {
		cc_jdoc_error(L->doc, arr, "expected at least one age band, found an empty list");
		ok = 0;
	}
	if (ok && expect_from != 18) {
		cc_jdoc_error(L->doc, arr,
		              "expected age bands to end at 18 years (\"to_years\": 18), found %ld",
		              expect_from);
		ok = 0;
	}
	m->n_age_bands = n;
	if (!ok && n == 0)
		default_age_bands(m);
}

static void read_tic_bands(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *arr;
	int r = cc_jdoc_get_array(L->doc, root, "time_in_care_bands", 0, CC_MAX_LIST, &arr);
	if (r != 1) {
		default_tic_bands(m);
		return;
	}
	static const char *const keys[] = { "name", "from_months", "to_months", "note", NULL };
	size_t n = 0;
	long expect_from = 0;
	int ended = 0, ok = 1;
	for (const cJSON *row = arr->child; row; row = row->next) {
		if (!cJSON_IsObject(row)) {
			char found[64];
			cc_jdoc_found(L->doc, row, found, sizeof found);
			cc_jdoc_error(L->doc, row, "expected a time-in-care band object, found %s",
			              found);
			ok = 0;
			continue;
		}
		cc_jdoc_check_keys(L->doc, row, "a time-in-care band", keys);
		cc_band b = { 0 };
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(row, "name");
		if (!nm) {
			cc_jdoc_error(
			    L->doc, row,
			    "missing \"name\": expected a name for the time-in-care band");
			ok = 0;
		} else if (read_name(L, nm, "\"name\"", b.name) != 1 ||
		           check_unique(L, nm, b.name, m->tic_bands[0].name, sizeof(cc_band), n,
		                        "time-in-care band") != 0) {
			ok = 0;
		}
		if (ended) {
			cc_jdoc_error(L->doc, row,
			              "expected no band after the open-ended band (one without "
			              "\"to_months\"), found another band");
			ok = 0;
		}
		long from = 0, to = 0;
		int rf =
		    cc_jdoc_get_long(L->doc, row, "from_months", 1, 0, CC_TIC_MAX_MONTHS, &from);
		int rt = cc_jdoc_get_long(L->doc, row, "to_months", 0, 1, CC_TIC_MAX_MONTHS, &to);
		if (rf == 1 && from != expect_from) {
			cc_jdoc_error(
			    L->doc, cJSON_GetObjectItemCaseSensitive(row, "from_months"),
			    "expected \"from_months\" %ld (bands must be contiguous from 0), "
			    "found %ld",
			    expect_from, from);
			ok = 0;
		}
		if (rt == 1 && rf == 1 && to <= from) {
			cc_jdoc_error(
			    L->doc, cJSON_GetObjectItemCaseSensitive(row, "to_months"),
			    "expected \"to_months\" greater than \"from_months\" %ld, found %ld",
			    from, to);
			ok = 0;
		}
		if (rf != 1 || rt < 0)
			ok = 0;
		b.from_months = (unsigned)from;
		if (rt == 1) {
			b.to_months = (unsigned)to;
			expect_from = to;
		} else if (rt == 0) {
			b.to_months = UINT_MAX;
			ended = 1;
		}
		if (n < CC_MAX_LIST)
			m->tic_bands[n++] = b;
	}
	if (ok && n == 0) {
		cc_jdoc_error(L->doc, arr,
		              "expected at least one time-in-care band, found an empty list");
		ok = 0;
	}
	if (ok && !ended) {
		cc_jdoc_error(L->doc, arr,
		              "expected the last time-in-care band to be open-ended (no "
		              "\"to_months\"), found it ends at %ld months",
		              expect_from);
		ok = 0;
	}
	m->n_tic_bands = n;
	if (!ok && n == 0)
		default_tic_bands(m);
}

static void read_categories(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *arr;
	int r = cc_jdoc_get_array(L->doc, root, "categories", 0, CC_MAX_LIST, &arr);
	if (r != 1) {
		default_categories(m);
		return;
	}
	static const char *const keys[] = { "name", "in_house_share", "note", "source", NULL };
	size_t n = 0;
	for (const cJSON *row = arr->child; row; row = row->next) {
		if (!cJSON_IsObject(row)) {
			char found[64];
			cc_jdoc_found(L->doc, row, found, sizeof found);
			cc_jdoc_error(L->doc, row, "expected a category object, found %s", found);
			continue;
		}
		cc_jdoc_check_keys(L->doc, row, "a category", keys);
		cc_category c = { .in_house_share = 1.0 };
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(row, "name");
		if (!nm) {
			cc_jdoc_error(L->doc, row,
			              "missing \"name\": expected a name for the category");
			continue;
		}
		if (read_name(L, nm, "\"name\"", c.name) != 1 ||
		    check_unique(L, nm, c.name, m->categories[0].name, sizeof(cc_category), n,
		                 "category") != 0)
			continue;
		cc_jdoc_get_number(L->doc, row, "in_house_share", 0, 0.0, 1.0, &c.in_house_share);
		m->categories[n++] = c;
	}
	if (n == 0 && cJSON_GetArraySize(arr) == 0)
		cc_jdoc_error(L->doc, arr, "expected at least one category, found an empty list");
	m->n_categories = n;
	if (n == 0)
		default_categories(m);
}

static void read_reasons(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *arr;
	int r = cc_jdoc_get_array(L->doc, root, "exit_reasons", 0, CC_MAX_LIST - 1, &arr);
	if (r != 1) {
		default_reasons(m);
		return;
	}
	size_t n = 0;
	for (const cJSON *it = arr->child; it; it = it->next) {
		char name[CC_NAME_MAX + 1];
		if (read_name(L, it, "an exit reason", name) != 1)
			continue;
		if (strcmp(name, "age18") == 0) {
			cc_jdoc_error(L->doc, it,
			              "\"age18\" is reserved (every child leaves care on the 18th "
			              "birthday); leave it out of \"exit_reasons\"");
			continue;
		}
		if (check_unique(L, it, name, m->reasons[0], sizeof m->reasons[0], n,
		                 "exit reason") != 0)
			continue;
		memcpy(m->reasons[n++], name, sizeof name);
	}
	m->n_reasons = n;
}

/* ---- rates -------------------------------------------------------------- */

static size_t add_param(loader *L, cc_rate rate)
{
	cc_model *m = L->m;
	if (m->n_params == L->cap_params) {
		size_t cap = L->cap_params ? 2 * L->cap_params : 64;
		cc_rate *p = realloc(m->params, cap * sizeof *p);
		if (!p) {
			L->oom = 1;
			return SIZE_MAX;
		}
		m->params = p;
		L->cap_params = cap;
	}
	m->params[m->n_params] = rate;
	return m->n_params++;
}

/* Reads rate_per_year / events / exposure_years from obj. Returns 1 if a
 * usable rate was read, -1 otherwise (errors reported). */
static int read_rate_fields(loader *L, const cJSON *obj, double max_rate, cc_rate *out)
{
	double rate = 0, events = 0, exposure = 0;
	int rr = cc_jdoc_get_number(L->doc, obj, "rate_per_year", 0, 0.0, max_rate, &rate);
	int re = cc_jdoc_get_number(L->doc, obj, "events", 0, 0.0, MAX_EVENTS, &events);
	const cJSON *expn = cJSON_GetObjectItemCaseSensitive(obj, "exposure_years");
	int rx = cc_jdoc_get_number(L->doc, obj, "exposure_years", 0, 0.0, MAX_EXPOSURE, &exposure);
	if (rr < 0 || re < 0 || rx < 0)
		return -1;
	if (rx == 1 && exposure <= 0) {
		cc_jdoc_error(L->doc, expn,
		              "expected \"exposure_years\" greater than 0, found %.10g", exposure);
		return -1;
	}
	if ((re == 1) != (rx == 1)) {
		cc_jdoc_error(L->doc, obj,
		              "expected both \"events\" and \"exposure_years\" "
		              "(the evidence for a rate), found only one");
		return -1;
	}
	if (rr == 0 && re == 0) {
		cc_jdoc_error(L->doc, obj,
		              "missing \"rate_per_year\": expected a rate, or "
		              "\"events\" and \"exposure_years\"");
		return -1;
	}
	cc_rate r = { .line = node_line(L, obj) };
	if (re == 1) {
		double est = events / exposure;
		if (!(est <= max_rate)) {
			cc_jdoc_error(
			    L->doc, obj,
			    "expected events / exposure_years of at most %.10g, found %.10g",
			    max_rate, est);
			return -1;
		}
		if (rr == 1) {
			double tol = RATE_AGREEMENT * fmax(rate, est);
			if (fabs(rate - est) > tol && fabs(rate - est) > 1e-12) {
				cc_jdoc_error(
				    L->doc, cJSON_GetObjectItemCaseSensitive(obj, "rate_per_year"),
				    "expected \"rate_per_year\" to agree within 1%% with events / "
				    "exposure_years = %.6g, found %.10g",
				    est, rate);
				return -1;
			}
		}
		r.rate_per_year = rr == 1 ? rate : est;
		r.events = events;
		r.exposure_years = exposure;
		r.has_evidence = 1;
	} else {
		r.rate_per_year = rate;
	}
	*out = r;
	return 1;
}

/* A rate given as a number or as an object of rate fields. */
static int read_rate_value(loader *L, const cJSON *n, const char *what, double max_rate,
                           cc_rate *out)
{
	if (cJSON_IsObject(n)) {
		static const char *const keys[] = { "rate_per_year", "events", "exposure_years",
			                            "source",        "note",   NULL };
		cc_jdoc_check_keys(L->doc, n, what, keys);
		return read_rate_fields(L, n, max_rate, out);
	}
	double v;
	int r = cc_jdoc_number_value(L->doc, n, what, 0.0, max_rate, &v);
	if (r != 1)
		return -1;
	*out = (cc_rate){ .rate_per_year = v, .line = node_line(L, n) };
	return 1;
}

/* A list filter of names into a bit mask. Absent = all. Returns 1 ok, -1 bad. */
typedef int (*lookup_fn)(loader *, const cJSON *, const char *);

static int lookup_tic_band(loader *L, const cJSON *n, const char *what)
{
	char name[CC_NAME_MAX + 1];
	if (read_name(L, n, what, name) != 1)
		return -1;
	int i = find_band(L->m->tic_bands, L->m->n_tic_bands, name);
	if (i < 0) {
		char list[512];
		band_names(list, sizeof list, L->m->tic_bands, L->m->n_tic_bands);
		return unknown_name(L, n, "a time-in-care band", list);
	}
	return i;
}

static int read_filter(loader *L, const cJSON *row, const char *key, size_t n_all, lookup_fn lookup,
                       uint32_t *mask)
{
	*mask = n_all >= 32 ? 0xFFFFFFFFu : ((1u << n_all) - 1u);
	const cJSON *arr;
	int r = cc_jdoc_get_array(L->doc, row, key, 0, CC_MAX_LIST, &arr);
	if (r == 0)
		return 1;
	if (r < 0)
		return -1;
	if (!arr->child) {
		cc_jdoc_error(L->doc, arr,
		              "expected at least one name in \"%s\", found an empty list (leave "
		              "the key out to mean all)",
		              key);
		return -1;
	}
	uint32_t m = 0;
	int ok = 1;
	char what[64];
	snprintf(what, sizeof what, "\"%s\"", key);
	for (const cJSON *it = arr->child; it; it = it->next) {
		int i = lookup(L, it, what);
		if (i < 0) {
			ok = 0;
			continue;
		}
		if (m & (1u << i)) {
			cc_jdoc_error(L->doc, it, "\"%s\" is listed twice in \"%s\"",
			              it->valuestring, key);
			ok = 0;
		}
		m |= 1u << i;
	}
	*mask = m;
	return ok ? 1 : -1;
}

/* ---- entries ------------------------------------------------------------ */

/* The mix of one band from `mixes` (NULL when "category_mix" is absent;
 * then problems are reported at `entries`). */
static void read_mix(loader *L, const cJSON *mixes, const cJSON *entries, size_t b)
{
	cc_model *m = L->m;
	const char *band = m->age_bands[b].name;
	const cJSON *mix = mixes ? cJSON_GetObjectItemCaseSensitive(mixes, band) : NULL;
	const cc_rate *rate = &m->params[b];
	int needed = rate->rate_per_year > 0 || rate->has_evidence;
	if (!mix) {
		if (needed)
			cc_jdoc_error(L->doc, mixes ? mixes : entries,
			              "missing \"category_mix\" for age band \"%s\": expected the "
			              "shares of first placements by category",
			              band);
		return;
	}
	if (!cJSON_IsObject(mix)) {
		char found[64];
		cc_jdoc_found(L->doc, mix, found, sizeof found);
		cc_jdoc_error(L->doc, mix,
		              "expected an object of category shares for age band \"%s\", found %s",
		              band, found);
		return;
	}
	double sum = 0;
	int ok = 1;
	uint32_t seen = 0;
	for (const cJSON *it = mix->child; it; it = it->next) {
		if (it->string && it->string[0] == '_')
			continue;
		int c = find_category(m, it->string ? it->string : "");
		if (c < 0) {
			char list[512];
			category_names(list, sizeof list, m);
			cc_jdoc_key_error(
			    L->doc, it,
			    "expected a category (one of %s) in the category mix, found "
			    "\"%s\"",
			    list, it->string ? it->string : "");
			ok = 0;
			continue;
		}
		if (seen & (1u << c)) {
			cc_jdoc_key_error(L->doc, it, "category \"%s\" is listed twice in the mix",
			                  it->string);
			ok = 0;
			continue;
		}
		seen |= 1u << c;
		double v;
		char what[96];
		snprintf(what, sizeof what, "the share of \"%s\"", it->string);
		if (cc_jdoc_number_value(L->doc, it, what, 0.0, 1.0, &v) != 1) {
			ok = 0;
			continue;
		}
		m->entry_mix[b][c] = v;
		sum += v;
	}
	if (!ok)
		return;
	if (fabs(sum - 1.0) > SHARE_TOLERANCE) {
		cc_jdoc_error(L->doc, mix,
		              "expected the category shares for age band \"%s\" to sum to 1, found "
		              "%.6g",
		              band, sum);
		return;
	}
	for (size_t c = 0; c < m->n_categories; c++)
		m->entry_mix[b][c] /= sum;
}

static void read_age_weights(loader *L, const cJSON *weights)
{
	cc_model *m = L->m;
	for (const cJSON *it = weights->child; it; it = it->next) {
		if (it->string && it->string[0] == '_')
			continue;
		int b = find_band(m->age_bands, m->n_age_bands, it->string ? it->string : "");
		if (b < 0) {
			char list[512];
			band_names(list, sizeof list, m->age_bands, m->n_age_bands);
			cc_jdoc_key_error(L->doc, it,
			                  "expected an age band (one of %s), found \"%s\"", list,
			                  it->string ? it->string : "");
			continue;
		}
		const cc_band *band = &m->age_bands[b];
		size_t months = band->to_months - band->from_months;
		size_t years = months / 12;
		if (!cJSON_IsArray(it)) {
			char found[64];
			cc_jdoc_found(L->doc, it, found, sizeof found);
			cc_jdoc_error(L->doc, it,
			              "expected a list of weights for age band \"%s\", found %s",
			              band->name, found);
			continue;
		}
		size_t n = (size_t)cJSON_GetArraySize(it);
		if (n != months && n != years) {
			cc_jdoc_error(L->doc, it,
			              "expected %zu weight%s (one per year of age) or %zu (one per "
			              "month) for age band \"%s\", found %zu",
			              years, years == 1 ? "" : "s", months, band->name, n);
			continue;
		}
		double *cdf = calloc(months, sizeof *cdf);
		if (!cdf) {
			L->oom = 1;
			return;
		}
		double total = 0;
		size_t i = 0;
		int ok = 1;
		for (const cJSON *w = it->child; w; w = w->next, i++) {
			double v;
			if (cc_jdoc_number_value(L->doc, w, "an age weight", 0.0, 1e12, &v) != 1) {
				ok = 0;
				continue;
			}
			if (n == months) {
				cdf[i] = v;
			} else {
				for (size_t k = 0; k < 12; k++)
					cdf[i * 12 + k] = v / 12.0;
			}
			total += v;
		}
		if (ok && !(total > 0)) {
			cc_jdoc_error(L->doc, it,
			              "expected age weights with a positive sum for age band "
			              "\"%s\", found all zero",
			              band->name);
			ok = 0;
		}
		if (!ok) {
			free(cdf);
			continue;
		}
		double acc = 0;
		for (size_t k = 0; k < months; k++) {
			acc += cdf[k];
			cdf[k] = acc / total;
		}
		cdf[months - 1] = 1.0;
		free(m->entry_age_cdf[b]);
		m->entry_age_cdf[b] = cdf;
	}
}

static void read_entries(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *e;
	int r = cc_jdoc_get_object(L->doc, root, "entries", 1, &e);
	/* Entry rates are params 0..n_age_bands-1 whatever happens, so later
	 * parameter indices stay valid. */
	for (size_t b = 0; b < m->n_age_bands; b++)
		add_param(L, (cc_rate){ 0 });
	if (r != 1)
		return;
	static const char *const keys[] = { "rate_per_year",
		                            "trend_per_year",
		                            "category_mix",
		                            "age_weights",
		                            "note",
		                            "source",
		                            NULL };
	cc_jdoc_check_keys(L->doc, e, "\"entries\"", keys);

	const cJSON *rates;
	if (cc_jdoc_get_object(L->doc, e, "rate_per_year", 1, &rates) == 1) {
		for (const cJSON *it = rates->child; it; it = it->next) {
			if (it->string && it->string[0] == '_')
				continue;
			int b =
			    find_band(m->age_bands, m->n_age_bands, it->string ? it->string : "");
			if (b < 0) {
				char list[512];
				band_names(list, sizeof list, m->age_bands, m->n_age_bands);
				cc_jdoc_key_error(L->doc, it,
				                  "expected an age band (one of %s), found \"%s\"",
				                  list, it->string ? it->string : "");
			}
		}
		cc_jdoc_check_duplicates(L->doc, rates, "entries \"rate_per_year\"");
		for (size_t b = 0; b < m->n_age_bands; b++) {
			const cJSON *v =
			    cJSON_GetObjectItemCaseSensitive(rates, m->age_bands[b].name);
			if (!v) {
				cc_jdoc_error(
				    L->doc, rates,
				    "missing the entry rate for age band \"%s\": expected children "
				    "per year (0 is allowed)",
				    m->age_bands[b].name);
				continue;
			}
			char what[96];
			snprintf(what, sizeof what, "the entry rate of age band \"%s\"",
			         m->age_bands[b].name);
			cc_rate rate;
			if (read_rate_value(L, v, what, MAX_ENTRIES_PER_YEAR, &rate) == 1 &&
			    m->params)
				m->params[b] = rate;
		}
	}
	cc_jdoc_get_number(L->doc, e, "trend_per_year", 0, -1.0, 1.0, &m->entry_trend_per_year);

	const cJSON *mixes = NULL;
	int rm = cc_jdoc_get_object(L->doc, e, "category_mix", 0, &mixes);
	if (rm == 1) {
		for (const cJSON *it = mixes->child; it; it = it->next) {
			if (it->string && it->string[0] == '_')
				continue;
			if (find_band(m->age_bands, m->n_age_bands, it->string ? it->string : "") <
			    0) {
				char list[512];
				band_names(list, sizeof list, m->age_bands, m->n_age_bands);
				cc_jdoc_key_error(L->doc, it,
				                  "expected an age band (one of %s), found \"%s\"",
				                  list, it->string ? it->string : "");
			}
		}
		cc_jdoc_check_duplicates(L->doc, mixes, "\"category_mix\"");
	}
	if (rm >= 0 && m->params)
		for (size_t b = 0; b < m->n_age_bands; b++)
			read_mix(L, rm == 1 ? mixes : NULL, e, b);

	const cJSON *weights;
	if (cc_jdoc_get_object(L->doc, e, "age_weights", 0, &weights) == 1) {
		cc_jdoc_check_duplicates(L->doc, weights, "\"age_weights\"");
		read_age_weights(L, weights);
	}
}

/* ---- moves and exits ---------------------------------------------------- */

static const char *const row_rate_keys_moves[] = { "from",           "to",
	                                           "age_bands",      "time_in_care_bands",
	                                           "rate_per_year",  "events",
	                                           "exposure_years", "source",
	                                           "note",           NULL };
static const char *const row_rate_keys_exits[] = { "reason",         "categories",
	                                           "age_bands",      "time_in_care_bands",
	                                           "rate_per_year",  "events",
	                                           "exposure_years", "source",
	                                           "note",           NULL };

static void read_moves(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *arr;
	if (cc_jdoc_get_array(L->doc, root, "moves", 0, MAX_ROWS, &arr) != 1)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	m->moves = calloc(n ? n : 1, sizeof *m->moves);
	/* Which row (+1) covers each (from, to, band, tic) cell; 0 = none. */
	size_t K = m->n_categories, B = m->n_age_bands, T = m->n_tic_bands;
	size_t *cover = calloc(K * K * B * T, sizeof *cover);
	const cJSON **rows = calloc(n ? n : 1, sizeof *rows);
	if (!m->moves || !cover || !rows) {
		free(cover);
		free(rows);
		L->oom = 1;
		return;
	}
	for (const cJSON *row = arr->child; row; row = row->next) {
		if (!cJSON_IsObject(row)) {
			char found[64];
			cc_jdoc_found(L->doc, row, found, sizeof found);
			cc_jdoc_error(L->doc, row, "expected a moves row (an object), found %s",
			              found);
			continue;
		}
		cc_jdoc_check_keys(L->doc, row, "a moves row", row_rate_keys_moves);
		int ok = 1;
		int from = -1, to = -1;
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(row, "from");
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(row, "to");
		if (!f) {
			cc_jdoc_error(L->doc, row, "missing \"from\": expected a category");
			ok = 0;
		} else if ((from = lookup_category(L, f, "\"from\"")) < 0) {
			ok = 0;
		}
		if (!t) {
			cc_jdoc_error(L->doc, row, "missing \"to\": expected a category");
			ok = 0;
		} else if ((to = lookup_category(L, t, "\"to\"")) < 0) {
			ok = 0;
		}
		if (from >= 0 && from == to) {
			cc_jdoc_error(
			    L->doc, t,
			    "expected \"to\" to differ from \"from\", found \"%s\" for both "
			    "(a move stays in a category only by not moving)",
			    m->categories[from].name);
			ok = 0;
		}
		cc_move_row mv = { 0 };
		if (read_filter(L, row, "age_bands", B, lookup_age_band, &mv.age_bands) < 0)
			ok = 0;
		if (read_filter(L, row, "time_in_care_bands", T, lookup_tic_band, &mv.tic_bands) <
		    0)
			ok = 0;
		cc_rate rate;
		if (read_rate_fields(L, row, MAX_HAZARD_PER_YEAR, &rate) != 1)
			ok = 0;
		if (!ok)
			continue;
		mv.from = (size_t)from;
		mv.to = (size_t)to;
		size_t idx = m->n_moves;
		int clash = 0;
		for (size_t b = 0; b < B && !clash; b++)
			for (size_t tau = 0; tau < T && !clash; tau++) {
				if (!((mv.age_bands >> b) & 1u) || !((mv.tic_bands >> tau) & 1u))
					continue;
				size_t cell = ((mv.from * K + mv.to) * B + b) * T + tau;
				if (cover[cell]) {
					size_t line, col;
					cc_jdoc_pos(L->doc, rows[cover[cell] - 1], 0, &line, &col);
					cc_jdoc_error(
					    L->doc, row,
					    "this row overlaps the row at line %zu: both give the "
					    "hazard from \"%s\" to \"%s\" at age band \"%s\", time "
					    "in "
					    "care \"%s\"",
					    line, m->categories[mv.from].name,
					    m->categories[mv.to].name, m->age_bands[b].name,
					    m->tic_bands[tau].name);
					clash = 1;
				}
			}
		if (clash)
			continue;
		for (size_t b = 0; b < B; b++)
			for (size_t tau = 0; tau < T; tau++)
				if (((mv.age_bands >> b) & 1u) && ((mv.tic_bands >> tau) & 1u))
					cover[((mv.from * K + mv.to) * B + b) * T + tau] = idx + 1;
		rows[idx] = row;
		mv.param = add_param(L, rate);
		if (mv.param == SIZE_MAX)
			break;
		m->moves[m->n_moves++] = mv;
	}
	free(cover);
	free(rows);
}

static void read_exits(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *arr;
	if (cc_jdoc_get_array(L->doc, root, "exits", 0, MAX_ROWS, &arr) != 1)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	size_t R = m->n_reasons, K = m->n_categories, B = m->n_age_bands, T = m->n_tic_bands;
	m->exits = calloc(n ? n : 1, sizeof *m->exits);
	size_t *cover = calloc((R ? R : 1) * K * B * T, sizeof *cover);
	const cJSON **rows = calloc(n ? n : 1, sizeof *rows);
	if (!m->exits || !cover || !rows) {
		free(cover);
		free(rows);
		L->oom = 1;
		return;
	}
	for (const cJSON *row = arr->child; row; row = row->next) {
		if (!cJSON_IsObject(row)) {
			char found[64];
			cc_jdoc_found(L->doc, row, found, sizeof found);
			cc_jdoc_error(L->doc, row, "expected an exits row (an object), found %s",
			              found);
			continue;
		}
		cc_jdoc_check_keys(L->doc, row, "an exits row", row_rate_keys_exits);
		int ok = 1;
		int reason = -1;
		const cJSON *rs = cJSON_GetObjectItemCaseSensitive(row, "reason");
		if (!rs) {
			cc_jdoc_error(L->doc, row, "missing \"reason\": expected an exit reason");
			ok = 0;
		} else {
			char name[CC_NAME_MAX + 1];
			if (read_name(L, rs, "\"reason\"", name) != 1) {
				ok = 0;
			} else if (strcmp(name, "age18") == 0) {
				cc_jdoc_error(
				    L->doc, rs,
				    "expected an exit reason other than \"age18\", which is "
				    "applied on every child's 18th birthday without a rate");
				ok = 0;
			} else if ((reason = find_reason(m, name)) < 0) {
				char list[512];
				name_list(list, sizeof list, m->reasons[0], sizeof m->reasons[0],
				          R);
				unknown_name(L, rs, "an exit reason", list);
				ok = 0;
			}
		}
		cc_exit_row ex = { 0 };
		if (read_filter(L, row, "categories", K, lookup_category, &ex.categories) < 0)
			ok = 0;
		if (read_filter(L, row, "age_bands", B, lookup_age_band, &ex.age_bands) < 0)
			ok = 0;
		if (read_filter(L, row, "time_in_care_bands", T, lookup_tic_band, &ex.tic_bands) <
		    0)
			ok = 0;
		cc_rate rate;
		if (read_rate_fields(L, row, MAX_HAZARD_PER_YEAR, &rate) != 1)
			ok = 0;
		if (!ok)
			continue;
		ex.reason = (size_t)reason;
		size_t idx = m->n_exits;
		int clash = 0;
		for (size_t c = 0; c < K && !clash; c++)
			for (size_t b = 0; b < B && !clash; b++)
				for (size_t tau = 0; tau < T && !clash; tau++) {
					if (!((ex.categories >> c) & 1u) ||
					    !((ex.age_bands >> b) & 1u) ||
					    !((ex.tic_bands >> tau) & 1u))
						continue;
					size_t cell = ((ex.reason * K + c) * B + b) * T + tau;
					if (cover[cell]) {
						size_t line, col;
						cc_jdoc_pos(L->doc, rows[cover[cell] - 1], 0, &line,
						            &col);
						cc_jdoc_error(L->doc, row,
						              "this row overlaps the row at line "
						              "%zu: both give the "
						              "\"%s\" exit hazard for category "
						              "\"%s\", age band "
						              "\"%s\", time in care \"%s\"",
						              line, m->reasons[ex.reason],
						              m->categories[c].name,
						              m->age_bands[b].name,
						              m->tic_bands[tau].name);
						clash = 1;
					}
				}
		if (clash)
			continue;
		for (size_t c = 0; c < K; c++)
			for (size_t b = 0; b < B; b++)
				for (size_t tau = 0; tau < T; tau++)
					if (((ex.categories >> c) & 1u) &&
					    ((ex.age_bands >> b) & 1u) &&
					    ((ex.tic_bands >> tau) & 1u))
						cover[((ex.reason * K + c) * B + b) * T + tau] =
						    idx + 1;
		rows[idx] = row;
		ex.param = add_param(L, rate);
		if (ex.param == SIZE_MAX)
			break;
		m->exits[m->n_exits++] = ex;
	}
	free(cover);
	free(rows);
}

/* ---- starting population ------------------------------------------------ */

static void read_start(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *arr;
	if (cc_jdoc_get_array(L->doc, root, "starting_population", 1, MAX_START_ROWS, &arr) != 1)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	m->start = calloc(n ? n : 1, sizeof *m->start);
	if (!m->start) {
		L->oom = 1;
		return;
	}
	static const char *const keys[] = { "age_months",
		                            "category",
		                            "provider",
		                            "months_in_care",
		                            "months_in_placement",
		                            "placements_last_12_months",
		                            "count",
		                            "note",
		                            NULL };
	unsigned long long total = 0;
	int over = 0;
	for (const cJSON *row = arr->child; row; row = row->next) {
		if (!cJSON_IsObject(row)) {
			char found[64];
			cc_jdoc_found(L->doc, row, found, sizeof found);
			cc_jdoc_error(L->doc, row,
			              "expected a starting population row (an object), found %s",
			              found);
			continue;
		}
		cc_jdoc_check_keys(L->doc, row, "a starting population row", keys);
		int ok = 1;
		long age = 0, tic = 0, tip = 0, p12 = 0, count = 1;
		if (cc_jdoc_get_long(L->doc, row, "age_months", 1, 0, CC_AGE_MONTHS_MAX - 1,
		                     &age) != 1)
			ok = 0;
		if (cc_jdoc_get_long(L->doc, row, "months_in_care", 1, 0, CC_AGE_MONTHS_MAX - 1,
		                     &tic) != 1)
			ok = 0;
		else if (ok && tic > age) {
			cc_jdoc_error(
			    L->doc, cJSON_GetObjectItemCaseSensitive(row, "months_in_care"),
			    "expected \"months_in_care\" at most \"age_months\" (%ld), found %ld",
			    age, tic);
			ok = 0;
		}
		int rp = cc_jdoc_get_long(L->doc, row, "months_in_placement", 0, 0,
		                          CC_AGE_MONTHS_MAX - 1, &tip);
		if (rp < 0)
			ok = 0;
		else if (rp == 0)
			tip = tic;
		else if (ok && tip > tic) {
			cc_jdoc_error(
			    L->doc, cJSON_GetObjectItemCaseSensitive(row, "months_in_placement"),
			    "expected \"months_in_placement\" at most \"months_in_care\" (%ld), "
			    "found %ld",
			    tic, tip);
			ok = 0;
		}
		int r12 =
		    cc_jdoc_get_long(L->doc, row, "placements_last_12_months", 0, 0, 12, &p12);
		if (r12 < 0)
			ok = 0;
		else if (r12 == 0)
			p12 = tip < 12 ? 1 : 0;
		else if (ok && tip < 12 && p12 < 1) {
			cc_jdoc_error(
			    L->doc,
			    cJSON_GetObjectItemCaseSensitive(row, "placements_last_12_months"),
			    "expected at least 1 placement in the last 12 months when the "
			    "current one began %ld months ago, found 0",
			    tip);
			ok = 0;
		}
		if (cc_jdoc_get_long(L->doc, row, "count", 0, 1, (long)CC_MAX_CHILDREN, &count) < 0)
			ok = 0;
		int cat = -1;
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(row, "category");
		if (!c) {
			cc_jdoc_error(L->doc, row, "missing \"category\": expected a category");
			ok = 0;
		} else if ((cat = lookup_category(L, c, "\"category\"")) < 0) {
			ok = 0;
		}
		int prov = -1;
		const char *ps;
		int rs = -1;
		if (!cJSON_GetObjectItemCaseSensitive(row, "provider"))
			cc_jdoc_error(
			    L->doc, row,
			    "missing \"provider\": expected \"in_house\" or \"external\"");
		else
			rs = cc_jdoc_get_string(L->doc, row, "provider", 1, &ps);
		if (rs == 1) {
			for (int i = 0; i < CC_NPROVIDERS; i++)
				if (strcmp(ps, cc_provider_names[i]) == 0)
					prov = i;
			if (prov < 0) {
				char found[64];
				const cJSON *pn = cJSON_GetObjectItemCaseSensitive(row, "provider");
				cc_jdoc_found(L->doc, pn, found, sizeof found);
				cc_jdoc_error(L->doc, pn,
				              "expected \"in_house\" or \"external\" for "
				              "\"provider\", found %s",
				              found);
			}
		}
		if (prov < 0)
			ok = 0;
		if (!ok)
			continue;
		total += (unsigned long long)count;
		if (total > CC_MAX_CHILDREN && !over) {
			cc_jdoc_error(
			    L->doc, row,
			    "expected at most %lu children in the starting population, found "
			    "more by this row",
			    CC_MAX_CHILDREN);
			over = 1;
		}
		m->start[m->n_start++] = (cc_start_group){
			.age_months = (uint16_t)age,
			.months_in_care = (uint16_t)tic,
			.months_in_placement = (uint16_t)tip,
			.category = (uint8_t)cat,
			.provider = (uint8_t)prov,
			.placements_12m = (uint8_t)p12,
			.count = (uint32_t)count,
		};
	}
	m->start_total = over ? 0 : (size_t)total;
}

static void read_population(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *obj;
	if (cc_jdoc_get_object(L->doc, root, "population_0_17", 0, &obj) != 1)
		return;
	size_t n = (size_t)cJSON_GetArraySize(obj);
	if (n > 1000) {
		cc_jdoc_error(L->doc, obj,
		              "expected at most 1000 years in \"population_0_17\", found %zu", n);
		return;
	}
	m->population = calloc(n ? n : 1, sizeof *m->population);
	if (!m->population) {
		L->oom = 1;
		return;
	}
	cc_jdoc_check_duplicates(L->doc, obj, "\"population_0_17\"");
	for (const cJSON *it = obj->child; it; it = it->next) {
		const char *k = it->string ? it->string : "";
		if (k[0] == '_')
			continue;
		char *end;
		long year = strtol(k, &end, 10);
		if (strlen(k) != 4 || *end != '\0' || year < 1900 || year > 2200) {
			cc_jdoc_key_error(L->doc, it,
			                  "expected a year from 1900 to 2200 as key in "
			                  "\"population_0_17\", found \"%s\"",
			                  k);
			continue;
		}
		double v;
		char what[64];
		snprintf(what, sizeof what, "the 0-17 population of %ld", year);
		if (cc_jdoc_number_value(L->doc, it, what, 1.0, 1e9, &v) != 1)
			continue;
		size_t i = m->n_population;
		while (i > 0 && m->population[i - 1].year > year) {
			m->population[i] = m->population[i - 1];
			i--;
		}
		m->population[i] = (cc_population_year){ (int)year, v };
		m->n_population++;
	}
}

/* ---- capacity ----------------------------------------------------------- */

/* A date string member, or CC_DATE_NONE when absent. 1 ok/absent, -1 bad. */
static int read_date_member(loader *L, const cJSON *obj, const char *key, cc_date *out)
{
	*out = CC_DATE_NONE;
	const char *s;
	int r = cc_jdoc_get_string(L->doc, obj, key, 0, &s);
	if (r <= 0)
		return r == 0 ? 1 : -1;
	if (cc_date_parse_iso(s, out) != CC_OK) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);
		char found[64];
		cc_jdoc_found(L->doc, n, found, sizeof found);
		cc_jdoc_error(L->doc, n, "expected a date YYYY-MM-DD for \"%s\", found %s", key,
		              found);
		return -1;
	}
	return 1;
}

/* A rate given as a member (number or object with evidence); adds a
 * parameter. Returns the parameter index or SIZE_MAX. */
static size_t read_rate_member(loader *L, const cJSON *obj, const char *key, double max_rate)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!n) {
		cc_jdoc_error(L->doc, obj, "missing \"%s\": expected a rate per year", key);
		return SIZE_MAX;
	}
	char what[96];
	snprintf(what, sizeof what, "\"%s\"", key);
	cc_rate rate;
	if (read_rate_value(L, n, what, max_rate, &rate) != 1)
		return SIZE_MAX;
	return add_param(L, rate);
}

static void read_homes(loader *L, const cJSON *arr, cc_pool *p)
{
	size_t n = (size_t)cJSON_GetArraySize(arr);
	p->homes = calloc(n ? n : 1, sizeof *p->homes);
	if (!p->homes) {
		L->oom = 1;
		return;
	}
	static const char *const keys[] = { "name",   "beds", "usable_share", "opens",
		                            "closes", "note", "source",       NULL };
	for (const cJSON *row = arr->child; row; row = row->next) {
		if (!cJSON_IsObject(row)) {
			char found[64];
			cc_jdoc_found(L->doc, row, found, sizeof found);
			cc_jdoc_error(L->doc, row, "expected a home (an object), found %s", found);
			continue;
		}
		cc_jdoc_check_keys(L->doc, row, "a home", keys);
		cc_home h = { .usable_share = 1.0 };
		const char *name = "";
		cc_jdoc_get_string(L->doc, row, "name", 0, &name);
		snprintf(h.name, sizeof h.name, "%s", name);
		long beds = 0;
		int ok = cc_jdoc_get_long(L->doc, row, "beds", 1, 0, 10000, &beds) == 1;
		ok &= cc_jdoc_get_number(L->doc, row, "usable_share", 0, 0.0, 1.0,
		                         &h.usable_share) >= 0;
		ok &= read_date_member(L, row, "opens", &h.opens) == 1;
		ok &= read_date_member(L, row, "closes", &h.closes) == 1;
		if (ok && h.opens != CC_DATE_NONE && h.closes != CC_DATE_NONE &&
		    h.closes <= h.opens) {
			cc_jdoc_error(L->doc, cJSON_GetObjectItemCaseSensitive(row, "closes"),
			              "expected \"closes\" after \"opens\" for home \"%s\"",
			              h.name);
			ok = 0;
		}
		h.beds = (unsigned)beds;
		if (ok)
			p->homes[p->n_homes++] = h;
	}
}

static void read_capacity(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	for (size_t c = 0; c < CC_MAX_LIST; c++)
		m->pool_of[c] = -1;
	const cJSON *cap;
	if (cc_jdoc_get_object(L->doc, root, "capacity", 0, &cap) != 1)
		return;
	cc_jdoc_check_duplicates(L->doc, cap, "\"capacity\"");
	static const char *const keys[] = { "households",
		                            "places_per_household",
		                            "usable_share",
		                            "approvals_per_year",
		                            "deregistration_per_year",
		                            "approval_lag_months",
		                            "homes",
		                            "units",
		                            "bring_back_per_month",
		                            "note",
		                            "source",
		                            NULL };
	for (const cJSON *it = cap->child; it; it = it->next) {
		const char *cname = it->string ? it->string : "";
		if (cname[0] == '_')
			continue;
		int c = find_category(m, cname);
		if (c < 0) {
			char list[512];
			category_names(list, sizeof list, m);
			cc_jdoc_key_error(
			    L->doc, it,
			    "expected a category (one of %s) as a capacity pool, found \"%s\"",
			    list, cname);
			continue;
		}
		if (!cJSON_IsObject(it)) {
			char found[64];
			cc_jdoc_found(L->doc, it, found, sizeof found);
			cc_jdoc_error(L->doc, it,
			              "expected an object for the \"%s\" pool, found %s", cname,
			              found);
			continue;
		}
		if (m->pool_of[c] >= 0)
			continue; /* duplicate key, reported above */
		char what[96];
		snprintf(what, sizeof what, "the \"%s\" pool", cname);
		cc_jdoc_check_keys(L->doc, it, what, keys);
		cc_pool p = { .category = (size_t)c, .usable_share = 1.0 };
		int has_h = cJSON_GetObjectItemCaseSensitive(it, "households") != NULL;
		int has_homes = cJSON_GetObjectItemCaseSensitive(it, "homes") != NULL;
		int has_units = cJSON_GetObjectItemCaseSensitive(it, "units") != NULL;
		if (has_h + has_homes + has_units != 1) {
			cc_jdoc_error(
			    L->doc, it,
			    "expected exactly one of \"households\", \"homes\" or \"units\" in "
			    "the \"%s\" pool, found %d",
			    cname, has_h + has_homes + has_units);
			continue;
		}
		int ok = 1;
		long v;
		if (has_h) {
			p.kind = CC_POOL_HOUSEHOLDS;
			ok &= cc_jdoc_get_long(L->doc, it, "households", 1, 0, 10000000, &v) == 1;
			p.households = (unsigned)v;
			ok &= cc_jdoc_get_number(L->doc, it, "places_per_household", 1, 0.0, 20.0,
			                         &p.places_per_household) == 1;
			ok &= cc_jdoc_get_number(L->doc, it, "usable_share", 0, 0.0, 1.0,
			                         &p.usable_share) >= 0;
			p.approvals_param = read_rate_member(L, it, "approvals_per_year", 1e6);
			p.deregistration_param =
			    read_rate_member(L, it, "deregistration_per_year", MAX_HAZARD_PER_YEAR);
			ok &= p.approvals_param != SIZE_MAX && p.deregistration_param != SIZE_MAX;
			v = 0;
			ok &=
			    cc_jdoc_get_long(L->doc, it, "approval_lag_months", 0, 0, 120, &v) >= 0;
			p.approval_lag_months = (unsigned)v;
		} else if (has_homes) {
			p.kind = CC_POOL_HOMES;
			const cJSON *arr;
			if (cc_jdoc_get_array(L->doc, it, "homes", 1, 10000, &arr) == 1)
				read_homes(L, arr, &p);
			else
				ok = 0;
			if (cJSON_GetObjectItemCaseSensitive(it, "usable_share"))
				cc_jdoc_error(
				    L->doc, cJSON_GetObjectItemCaseSensitive(it, "usable_share"),
				    "expected \"usable_share\" on each home, found it on the pool");
		} else {
			p.kind = CC_POOL_UNITS;
			ok &= cc_jdoc_get_long(L->doc, it, "units", 1, 0, 10000000, &v) == 1;
			p.units = (unsigned)v;
			ok &= cc_jdoc_get_number(L->doc, it, "usable_share", 0, 0.0, 1.0,
			                         &p.usable_share) >= 0;
		}
		v = 0;
		ok &= cc_jdoc_get_long(L->doc, it, "bring_back_per_month", 0, 0, 100000, &v) >= 0;
		p.bring_back_per_month = (unsigned)v;
		if (!ok) {
			free(p.homes);
			continue;
		}
		m->pool_of[c] = (int)m->n_pools;
		m->pools[m->n_pools++] = p;
	}
}

/* In-house children of a pooled category at the base date must fit the
 * usable places then: otherwise the inputs contradict each other. */
static void check_start_occupancy(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	size_t occupied[CC_MAX_LIST] = { 0 };
	for (size_t g = 0; g < m->n_start; g++)
		if (m->start[g].provider == CC_IN_HOUSE)
			occupied[m->start[g].category] += m->start[g].count;
	for (size_t k = 0; k < m->n_pools; k++) {
		const cc_pool *p = &m->pools[k];
		unsigned places = cc_pool_places(p, m->base_date + 1, p->households);
		if (occupied[p->category] > places) {
			const cJSON *cap = cJSON_GetObjectItemCaseSensitive(root, "capacity");
			cc_jdoc_error(
			    L->doc,
			    cJSON_GetObjectItemCaseSensitive(cap, m->categories[p->category].name),
			    "expected at least %zu usable in-house \"%s\" places at the base date "
			    "(the in-house children in the starting population), found %u",
			    occupied[p->category], m->categories[p->category].name, places);
		}
	}
}

/* ---- costs -------------------------------------------------------------- */

static void read_prices(loader *L, const cJSON *by)
{
	cc_model *m = L->m;
	static const char *const keys[] = { "in_house_per_week",
		                            "framework_per_week",
		                            "spot_per_week",
		                            "framework_share",
		                            "uplift_in_house",
		                            "uplift_external",
		                            "external_price_cv",
		                            "note",
		                            "source",
		                            NULL };
	cc_jdoc_check_duplicates(L->doc, by, "\"by_category\"");
	for (const cJSON *it = by->child; it; it = it->next)
		if (it->string && it->string[0] != '_' && find_category(m, it->string) < 0) {
			char list[512];
			category_names(list, sizeof list, m);
			cc_jdoc_key_error(L->doc, it,
			                  "expected a category (one of %s), found \"%s\"", list,
			                  it->string);
		}
	for (size_t c = 0; c < m->n_categories; c++) {
		const char *cname = m->categories[c].name;
		const cJSON *pc = cJSON_GetObjectItemCaseSensitive(by, cname);
		if (!pc) {
			cc_jdoc_error(
			    L->doc, by,
			    "missing prices for category \"%s\": expected weekly prices for "
			    "every category (0 where a placement costs nothing)",
			    cname);
			continue;
		}
		if (!cJSON_IsObject(pc)) {
			char found[64];
			cc_jdoc_found(L->doc, pc, found, sizeof found);
			cc_jdoc_error(L->doc, pc,
			              "expected an object of prices for \"%s\", found %s", cname,
			              found);
			continue;
		}
		char what[96];
		snprintf(what, sizeof what, "the prices of \"%s\"", cname);
		cc_jdoc_check_keys(L->doc, pc, what, keys);
		cc_price *pr = &m->prices[c];
		pr->framework_share = 1.0;
		cc_jdoc_get_number(L->doc, pc, "in_house_per_week", 1, 0.0, 1e6,
		                   &pr->per_week[CC_CONTRACT_IN_HOUSE]);
		cc_jdoc_get_number(L->doc, pc, "framework_per_week", 1, 0.0, 1e6,
		                   &pr->per_week[CC_CONTRACT_FRAMEWORK]);
		/* Spot defaults to the framework price when not given. */
		pr->per_week[CC_CONTRACT_SPOT] = pr->per_week[CC_CONTRACT_FRAMEWORK];
		cc_jdoc_get_number(L->doc, pc, "spot_per_week", 0, 0.0, 1e6,
		                   &pr->per_week[CC_CONTRACT_SPOT]);
		cc_jdoc_get_number(L->doc, pc, "framework_share", 0, 0.0, 1.0,
		                   &pr->framework_share);
		cc_jdoc_get_number(L->doc, pc, "uplift_in_house", 0, -0.5, 1.0,
		                   &pr->uplift[CC_IN_HOUSE]);
		cc_jdoc_get_number(L->doc, pc, "uplift_external", 0, -0.5, 1.0,
		                   &pr->uplift[CC_EXTERNAL]);
		cc_jdoc_get_number(L->doc, pc, "external_price_cv", 0, 0.0, 10.0, &pr->external_cv);
	}
}

static void read_fixed(loader *L, const cJSON *arr)
{
	cc_model *m = L->m;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	m->fixed = calloc(n ? n : 1, sizeof *m->fixed);
	if (!m->fixed) {
		L->oom = 1;
		return;
	}
	static const char *const keys[] = { "name", "category", "amount_per_year", "from",
		                            "to",   "note",     "source",          NULL };
	for (const cJSON *row = arr->child; row; row = row->next) {
		if (!cJSON_IsObject(row)) {
			char found[64];
			cc_jdoc_found(L->doc, row, found, sizeof found);
			cc_jdoc_error(L->doc, row, "expected a fixed cost (an object), found %s",
			              found);
			continue;
		}
		cc_jdoc_check_keys(L->doc, row, "a fixed cost", keys);
		cc_fixed_cost f = { .category = -1 };
		const char *name = "";
		cc_jdoc_get_string(L->doc, row, "name", 0, &name);
		snprintf(f.name, sizeof f.name, "%s", name);
		int ok = 1;
		const cJSON *cn = cJSON_GetObjectItemCaseSensitive(row, "category");
		if (cn && (f.category = lookup_category(L, cn, "\"category\"")) < 0)
			ok = 0;
		ok &= cc_jdoc_get_number(L->doc, row, "amount_per_year", 1, 0.0, 1e11,
		                         &f.amount_per_year) == 1;
		ok &= read_date_member(L, row, "from", &f.from) == 1;
		ok &= read_date_member(L, row, "to", &f.to) == 1;
		if (ok && f.from != CC_DATE_NONE && f.to != CC_DATE_NONE && f.to < f.from) {
			cc_jdoc_error(L->doc, cJSON_GetObjectItemCaseSensitive(row, "to"),
			              "expected \"to\" on or after \"from\"");
			ok = 0;
		}
		if (ok)
			m->fixed[m->n_fixed++] = f;
	}
}

static int parse_fy_label(const char *s, int *start)
{
	/* "2025-26" */
	if (strlen(s) != 7 || s[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int y = atoi(s);
	int e = atoi(s + 5);
	if ((y + 1) % 100 != e)
		return -1;
	*start = y;
	return 0;
}

static void read_budgets(loader *L, const cJSON *arr)
{
	cc_model *m = L->m;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	m->budgets = calloc(n ? n : 1, sizeof *m->budgets);
	if (!m->budgets) {
		L->oom = 1;
		return;
	}
	static const char *const keys[] = { "fy", "total", "by_category", "note", "source", NULL };
	for (const cJSON *row = arr->child; row; row = row->next) {
		if (!cJSON_IsObject(row)) {
			char found[64];
			cc_jdoc_found(L->doc, row, found, sizeof found);
			cc_jdoc_error(L->doc, row, "expected a budget (an object), found %s",
			              found);
			continue;
		}
		cc_jdoc_check_keys(L->doc, row, "a budget", keys);
		cc_budget b = { .total = NAN };
		for (size_t c = 0; c < CC_MAX_LIST; c++)
			b.by_category[c] = NAN;
		int ok = 1;
		const char *fy;
		if (cc_jdoc_get_string(L->doc, row, "fy", 1, &fy) != 1) {
			ok = 0;
		} else if (parse_fy_label(fy, &b.fy_start_year) != 0) {
			const cJSON *n2 = cJSON_GetObjectItemCaseSensitive(row, "fy");
			char found[64];
			cc_jdoc_found(L->doc, n2, found, sizeof found);
			cc_jdoc_error(
			    L->doc, n2,
			    "expected a financial year such as \"2025-26\" for \"fy\", found %s",
			    found);
			ok = 0;
		} else if (cc_model_budget(m, b.fy_start_year)) {
			cc_jdoc_error(L->doc, cJSON_GetObjectItemCaseSensitive(row, "fy"),
			              "financial year %s is budgeted twice", fy);
			ok = 0;
		}
		int rt = cc_jdoc_get_number(L->doc, row, "total", 0, 0.0, 1e12, &b.total);
		ok &= rt >= 0;
		const cJSON *by;
		int rb = cc_jdoc_get_object(L->doc, row, "by_category", 0, &by);
		ok &= rb >= 0;
		if (rb == 1) {
			cc_jdoc_check_duplicates(L->doc, by, "\"by_category\"");
			for (const cJSON *it = by->child; it; it = it->next) {
				if (it->string && it->string[0] == '_')
					continue;
				int c = find_category(m, it->string ? it->string : "");
				if (c < 0) {
					char list[512];
					category_names(list, sizeof list, m);
					cc_jdoc_key_error(
					    L->doc, it,
					    "expected a category (one of %s), found \"%s\"", list,
					    it->string ? it->string : "");
					ok = 0;
					continue;
				}
				char what[96];
				snprintf(what, sizeof what, "the budget of \"%s\"", it->string);
				if (cc_jdoc_number_value(L->doc, it, what, 0.0, 1e12,
				                         &b.by_category[c]) != 1)
					ok = 0;
			}
		}
		if (ok && rt == 0 && rb == 0) {
			cc_jdoc_error(L->doc, row,
			              "expected \"total\" or \"by_category\" in a budget");
			ok = 0;
		}
		if (ok)
			m->budgets[m->n_budgets++] = b;
	}
}

static void read_costs(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *costs;
	if (cc_jdoc_get_object(L->doc, root, "costs", 0, &costs) != 1)
		return;
	static const char *const keys[] = { "price_date",  "high_cost_per_week",
		                            "by_category", "fixed",
		                            "budgets",     "note",
		                            "source",      NULL };
	cc_jdoc_check_keys(L->doc, costs, "\"costs\"", keys);
	m->has_costs = 1;
	m->high_cost_per_week = 10000;
	if (!cJSON_GetObjectItemCaseSensitive(costs, "price_date")) {
		cc_jdoc_error(L->doc, costs,
		              "missing \"price_date\": expected the date the prices apply from "
		              "(YYYY-MM-DD)");
	} else {
		read_date_member(L, costs, "price_date", &m->price_date);
	}
	cc_jdoc_get_number(L->doc, costs, "high_cost_per_week", 0, 0.0, 1e7,
	                   &m->high_cost_per_week);
	const cJSON *by;
	if (cc_jdoc_get_object(L->doc, costs, "by_category", 1, &by) == 1)
		read_prices(L, by);
	const cJSON *arr;
	if (cc_jdoc_get_array(L->doc, costs, "fixed", 0, 10000, &arr) == 1)
		read_fixed(L, arr);
	if (cc_jdoc_get_array(L->doc, costs, "budgets", 0, 1000, &arr) == 1)
		read_budgets(L, arr);
}

/* ---- history ------------------------------------------------------------ */

static void read_history(loader *L, const cJSON *root)
{
	cc_model *m = L->m;
	const cJSON *arr;
	if (cc_jdoc_get_array(L->doc, root, "history", 0, 100000, &arr) != 1)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	m->history = calloc(n ? n : 1, sizeof *m->history);
	if (!m->history) {
		L->oom = 1;
		return;
	}
	static const char *const keys[] = { "date", "cla_total", "by_category",
		                            "note", "source",    NULL };
	for (const cJSON *row = arr->child; row; row = row->next) {
		if (!cJSON_IsObject(row)) {
			char found[64];
			cc_jdoc_found(L->doc, row, found, sizeof found);
			cc_jdoc_error(L->doc, row, "expected a history point (an object), found %s",
			              found);
			continue;
		}
		cc_jdoc_check_keys(L->doc, row, "a history point", keys);
		cc_history_point h = { 0 };
		for (size_t c = 0; c < CC_MAX_LIST; c++)
			h.by_category[c] = NAN;
		int ok = 1;
		if (!cJSON_GetObjectItemCaseSensitive(row, "date")) {
			cc_jdoc_error(L->doc, row, "missing \"date\": expected a date YYYY-MM-DD");
			ok = 0;
		} else if (read_date_member(L, row, "date", &h.date) != 1) {
			ok = 0;
		} else if (h.date > m->base_date) {
			cc_jdoc_error(L->doc, cJSON_GetObjectItemCaseSensitive(row, "date"),
			              "expected a history date on or before the base date");
			ok = 0;
		} else if (m->n_history > 0 && h.date <= m->history[m->n_history - 1].date) {
			cc_jdoc_error(L->doc, cJSON_GetObjectItemCaseSensitive(row, "date"),
			              "expected history dates in increasing order");
			ok = 0;
		}
		ok &= cc_jdoc_get_number(L->doc, row, "cla_total", 1, 0.0, 1e8, &h.cla_total) == 1;
		const cJSON *by;
		int rb = cc_jdoc_get_object(L->doc, row, "by_category", 0, &by);
		if (rb < 0)
			ok = 0;
		if (rb == 1) {
			cc_jdoc_check_duplicates(L->doc, by, "\"by_category\"");
			for (const cJSON *it = by->child; it; it = it->next) {
				if (it->string && it->string[0] == '_')
					continue;
				int c = find_category(m, it->string ? it->string : "");
				if (c < 0) {
					char list[512];
					category_names(list, sizeof list, m);
					cc_jdoc_key_error(
					    L->doc, it,
					    "expected a category (one of %s), found \"%s\"", list,
					    it->string ? it->string : "");
					ok = 0;
					continue;
				}
				if (cc_jdoc_number_value(L->doc, it, "a category's count", 0.0, 1e8,
				                         &h.by_category[c]) != 1)
					ok = 0;
			}
		}
		if (ok)
			m->history[m->n_history++] = h;
	}
}

/* ---- top level ---------------------------------------------------------- */

static void read_root(loader *L)
{
	const cJSON *root = cc_jdoc_root(L->doc);
	cc_model *m = L->m;
	if (!cJSON_IsObject(root)) {
		char found[64];
		cc_jdoc_found(L->doc, root, found, sizeof found);
		cc_jdoc_error(L->doc, root, "expected a JSON object (a carecast model), found %s",
		              found);
		return;
	}
	static const char *const keys[] = { "format_version",
		                            "name",
		                            "description",
		                            "source",
		                            "note",
		                            "base_date",
		                            "age_bands",
		                            "time_in_care_bands",
		                            "categories",
		                            "exit_reasons",
		                            "entries",
		                            "moves",
		                            "exits",
		                            "starting_population",
		                            "population_0_17",
		                            "capacity",
		                            "costs",
		                            "history",
		                            "parameter_uncertainty",
		                            NULL };
	cc_jdoc_check_keys(L->doc, root, "the model", keys);

	const cJSON *fv = cJSON_GetObjectItemCaseSensitive(root, "format_version");
	if (fv && !(cJSON_IsNumber(fv) && fv->valuedouble == 1)) {
		char found[64];
		cc_jdoc_found(L->doc, fv, found, sizeof found);
		cc_jdoc_error(
		    L->doc, fv,
		    "expected \"format_version\" 1 (the only version this carecast reads), "
		    "found %s",
		    found);
	}
	const char *s;
	if (cc_jdoc_get_string(L->doc, root, "name", 0, &s) == 1) {
		free(m->name);
		m->name = strdup(s);
		if (!m->name)
			L->oom = 1;
	}
	const char *ign;
	cc_jdoc_get_string(L->doc, root, "description", 0, &ign);
	cc_jdoc_get_string(L->doc, root, "source", 0, &ign);
	cc_jdoc_get_string(L->doc, root, "note", 0, &ign);

	const cJSON *bd = cJSON_GetObjectItemCaseSensitive(root, "base_date");
	if (!bd) {
		cc_jdoc_error(L->doc, root,
		              "missing \"base_date\": expected a date YYYY-MM-DD (the date the "
		              "starting population is counted, usually 31 March)");
	} else if (cc_jdoc_get_string(L->doc, root, "base_date", 1, &s) == 1) {
		char found[64];
		cc_jdoc_found(L->doc, bd, found, sizeof found);
		int y, mo, d;
		if (cc_date_parse_iso(s, &m->base_date) == CC_OK) {
			if (!cc_date_is_month_end(m->base_date))
				cc_jdoc_error(
				    L->doc, bd,
				    "expected \"base_date\" to be the last day of a month "
				    "(usually 31 March), found %s",
				    found);
		} else if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) == 3 &&
		           s[4] == '-' && s[7] == '-') {
			cc_jdoc_error(
			    L->doc, bd,
			    "expected a real date for \"base_date\", found %s (no such day)",
			    found);
		} else {
			cc_jdoc_error(L->doc, bd,
			              "expected a date YYYY-MM-DD for \"base_date\", found %s",
			              found);
		}
	}

	read_age_bands(L, root);
	read_tic_bands(L, root);
	read_categories(L, root);
	read_reasons(L, root);
	read_entries(L, root);
	read_moves(L, root);
	read_exits(L, root);
	read_start(L, root);
	read_population(L, root);
	read_capacity(L, root);
	if (cc_diags_errors(cc_jdoc_diags(L->doc)) == L->errors_before)
		check_start_occupancy(L, root);
	read_costs(L, root);
	read_history(L, root);
	m->parameter_uncertainty = 1;
	cc_jdoc_get_bool(L->doc, root, "parameter_uncertainty", 0, &m->parameter_uncertainty);
}

static int load_doc(cc_jdoc *doc, cc_model **out, cc_diags *diags)
{
	cc_model *m = calloc(1, sizeof *m);
	if (!m)
		return CC_ENOMEM;
	m->name = strdup("");
	m->path = strdup(cc_jdoc_name(doc));
	if (!m->name || !m->path) {
		cc_model_free(m);
		return CC_ENOMEM;
	}
	size_t len;
	const char *text = cc_jdoc_text(doc, &len);
	cc_sha256_hex(text, len, m->sha256);

	size_t errors_before = cc_diags_errors(diags);
	loader L = { .doc = doc, .m = m, .errors_before = errors_before };
	read_root(&L);
	if (L.oom) {
		cc_model_free(m);
		return CC_ENOMEM;
	}
	if (cc_diags_errors(diags) != errors_before) {
		cc_model_free(m);
		return CC_EPARSE;
	}
	*out = m;
	return CC_OK;
}

int cc_model_parse(const char *name, const char *text, size_t len, cc_model **out, cc_diags *diags)
{
	*out = NULL;
	cc_jdoc *doc;
	int rc = cc_jdoc_parse(name, text, len, &doc, diags);
	if (rc != CC_OK)
		return rc;
	rc = load_doc(doc, out, diags);
	cc_jdoc_free(doc);
	return rc;
}

int cc_model_load(const char *path, cc_model **out, cc_diags *diags)
{
	*out = NULL;
	cc_jdoc *doc;
	int rc = cc_jdoc_load(path, &doc, diags);
	if (rc != CC_OK)
		return rc;
	rc = load_doc(doc, out, diags);
	cc_jdoc_free(doc);
	return rc;
}
