/*
 * read.c - DfE's long-format tables and the ONS population, read into
 * published cells per area and year.
 *
 * A DfE table is one row per published number: time_period (2024 = the year
 * ending 31 March 2024; 202324 and 2023-24 are read the same way),
 * geographic_level (National, Regional, Local authority; other levels are
 * skipped), the area's name (la_name, or region_name for regional rows when
 * the file has it: ceased.csv puts the region in la_name), cla_group,
 * characteristic, and the count in `number` or a column named like
 * `cla_31_march_number`. Only the cells carecast uses are kept (structure.c
 * lists their labels); everything else is skipped unread, so a problem in an
 * unrelated row never stops a fit.
 *
 * Suppressed cells (c, k, x, z, u, low, and their bracketed forms, "..",
 * ":", empty) are unknown, never zero. A cell that is neither a count nor a
 * suppression code, a bad time_period, or two rows giving the same cell
 * different values are problems of that area, kept and reported (as
 * errors) when the area is used.
 */
#include "carecast/csv.h"
#include "carecast/fileio.h"
#include "dfe_int.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const table_files[NTABLES] = { "cla_31_march.csv", "started.csv", "ceased.csv" };

#define MAX_COUNT 1e9
#define MAX_WARN_PER_FILE 10

/* ---- small helpers -------------------------------------------------------- */

/* A cell's text for a message: at most 40 characters, printable ASCII. */
static void shown(const char *s, char *buf, size_t size)
{
	size_t k = 0;
	for (; *s && k + 5 < size && k < 40; s++)
		buf[k++] = (*s >= 32 && *s < 127) ? *s : '?';
	if (*s)
		buf[k++] = '.', buf[k++] = '.', buf[k++] = '.';
	buf[k] = '\0';
}

/* 1 value, 0 suppressed (unknown), -1 not a count. */
static int parse_count(const char *s, double *v)
{
	char low[16];
	size_t n = strlen(s);
	if (n < sizeof low) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (s[i] != '[' && s[i] != ']')
				low[k++] = (char)tolower((unsigned char)s[i]);
		low[k] = '\0';
		static const char *const codes[] = { "",  "c", "k",  "x", "z",  "u",  "low",
			                             ":", ".", "..", "-", "na", "n/a" };
		for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
			if (strcmp(low, codes[i]) == 0)
				return 0;
	}
	/* Digits with optional thousands separators and decimals; no sign, no
	 * exponent, nothing else. */
	char buf[64];
	size_t k = 0, digits = 0, group = 0;
	int seen_comma = 0, seen_point = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch >= '0' && ch <= '9') {
			if (k + 1 >= sizeof buf)
				return -1;
			buf[k++] = ch;
			digits++;
			group++;
		} else if (ch == ',' && !seen_point) {
			if (group == 0 || (seen_comma && group != 3) || (!seen_comma && group > 3))
				return -1;
			seen_comma = 1;
			group = 0;
		} else if (ch == '.' && !seen_point) {
			if (seen_comma && group != 3)
				return -1;
			if (k + 1 >= sizeof buf)
				return -1;
			buf[k++] = '.';
			seen_point = 1;
			group = 0;
		} else {
			return -1;
		}
	}
	if (digits == 0 || (seen_comma && !seen_point && group != 3))
		return -1;
	buf[k] = '\0';
	char *end;
	double x = strtod(buf, &end);
	if (*end != '\0' || !isfinite(x) || x < 0 || x > MAX_COUNT)
		return -1;
	*v = x;
	return 1;
}

/* The year ending 31 March: 2024, 202324, 2023-24, 2023/24, 2023-2024. */
static int parse_year(const char *s, int *year)
{
	int d[8], n = 0;
	size_t len = strlen(s);
	char sep = 0;
	for (size_t i = 0; i < len; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (n == 8)
				return -1;
			d[n++] = s[i] - '0';
		} else if ((s[i] == '-' || s[i] == '/') && n == 4 && !sep) {
			sep = s[i];
		} else {
			return -1;
		}
	}
	if (n < 4)
		return -1;
	int y = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3];
	if (n == 4 && !sep) {
		*year = y;
	} else if (n == 6) {
		int z = d[4] * 10 + d[5];
		if (z != (y + 1) % 100)
			return -1;
		*year = y + 1;
	} else if (n == 8 && sep) {
		int z = d[4] * 1000 + d[5] * 100 + d[6] * 10 + d[7];
		if (z != y + 1)
			return -1;
		*year = y + 1;
	} else {
		return -1;
	}
	return *year >= 1900 && *year <= 2200 ? 0 : -1;
}

/* ---- areas ------------------------------------------------------------------ */

static int same_name(const char *a, const char *b)
{
	char x[256], y[256];
	dfe_normalise(a, x, sizeof x);
	dfe_normalise(b, y, sizeof y);
	return strcmp(x, y) == 0;
}

/* The area's index, adding it when add is set; (size_t)-1 when not found or
 * out of memory (*oom set). */
static size_t area_index(cc_dfe *d, const char *name, cc_dfe_level level, int add, int *oom)
{
	for (size_t i = d->n_areas; i-- > 0;)
		if (d->areas[i].level == level && same_name(d->areas[i].name, name))
			return i;
	if (!add)
		return (size_t)-1;
	if (d->n_areas == d->cap_areas) {
		size_t cap = d->cap_areas ? 2 * d->cap_areas : 32;
		dfe_area *p = realloc(d->areas, cap * sizeof *p);
		if (!p) {
			*oom = 1;
			return (size_t)-1;
		}
		d->areas = p;
		d->cap_areas = cap;
	}
	dfe_area *a = &d->areas[d->n_areas];
	memset(a, 0, sizeof *a);
	a->name = strdup(name);
	if (!a->name) {
		*oom = 1;
		return (size_t)-1;
	}
	a->level = level;
	return d->n_areas++;
}

static dfe_year *year_of(dfe_area *a, int year, int *oom)
{
	size_t i = 0;
	while (i < a->n_years && a->years[i].year < year)
		i++;
	if (i < a->n_years && a->years[i].year == year)
		return &a->years[i];
	if (a->n_years == a->cap_years) {
		size_t cap = a->cap_years ? 2 * a->cap_years : 8;
		dfe_year *p = realloc(a->years, cap * sizeof *p);
		if (!p) {
			*oom = 1;
			return NULL;
		}
		a->years = p;
		a->cap_years = cap;
	}
	memmove(&a->years[i + 1], &a->years[i], (a->n_years - i) * sizeof *a->years);
	a->n_years++;
	dfe_year *y = &a->years[i];
	memset(y, 0, sizeof *y);
	y->year = year;
	return y;
}

const dfe_year *dfe_area_year(const dfe_area *a, int year)
{
	for (size_t i = 0; i < a->n_years; i++)
		if (a->years[i].year == year)
			return &a->years[i];
	return NULL;
}

static void problem(cc_dfe *d, size_t area, const char *file, size_t line, size_t col, int *oom,
                    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void problem(cc_dfe *d, size_t area, const char *file, size_t line, size_t col, int *oom,
                    const char *fmt, ...)
{
	if (d->n_problems == d->cap_problems) {
		size_t cap = d->cap_problems ? 2 * d->cap_problems : 16;
		dfe_problem *p = realloc(d->problems, cap * sizeof *p);
		if (!p) {
			*oom = 1;
			return;
		}
		d->problems = p;
		d->cap_problems = cap;
	}
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	dfe_problem *p = &d->problems[d->n_problems];
	p->message = strdup(buf);
	if (!p->message) {
		*oom = 1;
		return;
	}
	p->area = area;
	p->file = file;
	p->line = line;
	p->column = col;
	d->n_problems++;
}

size_t dfe_report_problems(const cc_dfe *d, const size_t *areas, size_t n, cc_diags *diags)
{
	size_t k = 0;
	for (size_t i = 0; i < d->n_problems; i++) {
		const dfe_problem *p = &d->problems[i];
		for (size_t j = 0; j < n; j++)
			if (areas[j] == p->area) {
				cc_diags_add(diags, CC_DIAG_ERROR, p->file, p->line, p->column,
				             "%s", p->message);
				k++;
				break;
			}
	}
	return k;
}

/* ---- columns ------------------------------------------------------------------ */

/* Lists the header's names into buf, for messages. */
static void header_list(const cc_csv *t, char *buf, size_t size)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t c = 0; c < cc_csv_ncols(t) && k + 1 < size; c++) {
		if (c == 12) {
			snprintf(buf + k, size - k, ", ...");
			return;
		}
		char s[48];
		shown(cc_csv_header(t, c), s, sizeof s);
		int w = snprintf(buf + k, size - k, "%s%s", c ? ", " : "", s);
		if (w < 0 || (size_t)w >= size - k)
			return;
		k += (size_t)w;
	}
}

static int missing_column(const cc_csv *t, const char *name, const char *expected, cc_diags *diags)
{
	char found[600];
	header_list(t, found, sizeof found);
	cc_diags_add(diags, CC_DIAG_ERROR, cc_csv_name(t), cc_csv_header_line(t), 1,
	             "missing column \"%s\": expected the columns %s; found %s", name, expected,
	             *found ? found : "no columns");
	return CC_EPARSE;
}

/* The count column: `number`, else the one column whose name ends in
 * "number" (cla_31_march_number, placements_number), else one of `extra`
 * (a '|' list, for the population). */
static size_t count_column(const cc_csv *t, const char *extra, cc_diags *diags,
                           const char *expected)
{
	size_t c = cc_csv_column(t, "number");
	if (c != CC_CSV_NOCOL)
		return c;
	size_t found = CC_CSV_NOCOL, n = 0;
	for (size_t i = 0; i < cc_csv_ncols(t); i++) {
		char h[128];
		dfe_normalise(cc_csv_header(t, i), h, sizeof h);
		size_t len = strlen(h);
		int match = len >= 6 && strcmp(h + len - 6, "number") == 0;
		if (!match && extra) {
			const char *p = extra;
			while (*p && !match) {
				const char *e = strchr(p, '|');
				size_t l = e ? (size_t)(e - p) : strlen(p);
				match = strlen(h) == l && strncmp(h, p, l) == 0;
				p = e ? e + 1 : p + l;
			}
		}
		if (match) {
			found = i;
			n++;
		}
	}
	if (n == 1)
		return found;
	if (n > 1) {
		char list[600];
		header_list(t, list, sizeof list);
		cc_diags_add(diags, CC_DIAG_ERROR, cc_csv_name(t), cc_csv_header_line(t), 1,
		             "expected one count column (\"number\", or a name ending in "
		             "\"_number\"), found several: %s",
		             list);
		return (size_t)-2;
	}
	missing_column(t, "number", expected, diags);
	return (size_t)-2;
}

/* geographic_level -> level, or 0 for levels carecast does not read. */
static int level_of(const char *s)
{
	char n[64];
	dfe_normalise(s, n, sizeof n);
	if (strcmp(n, "national") == 0 || strcmp(n, "country") == 0)
		return CC_DFE_NATIONAL;
	if (strcmp(n, "regional") == 0 || strcmp(n, "region") == 0)
		return CC_DFE_REGION;
	if (strcmp(n, "localauthority") == 0 || strcmp(n, "la") == 0)
		return CC_DFE_LA;
	return 0;
}

/* ---- one DfE table ------------------------------------------------------------ */

static const char *const expected_cols =
    "time_period, geographic_level, la_name, cla_group, characteristic and number (or a "
    "count column named like cla_31_march_number)";

static int read_table(cc_dfe *d, int table, cc_diags *diags)
{
	const char *path = d->files[table];
	cc_csv *t = NULL;
	int rc = cc_csv_read(path, NULL, &t, diags);
	if (rc != CC_OK)
		return rc;
	size_t c_year = cc_csv_column(t, "time_period"),
	       c_level = cc_csv_column(t, "geographic_level"), c_la = cc_csv_column(t, "la_name"),
	       c_region = cc_csv_column(t, "region_name"), c_group = cc_csv_column(t, "cla_group"),
	       c_char = cc_csv_column(t, "characteristic");
	const char *need[] = { "time_period", "geographic_level", "la_name", "cla_group",
		               "characteristic" };
	size_t cols[] = { c_year, c_level, c_la, c_group, c_char };
	for (size_t i = 0; i < 5; i++)
		if (cols[i] == CC_CSV_NOCOL) {
			missing_column(t, need[i], expected_cols, diags);
			cc_csv_free(t);
			return CC_EPARSE;
		}
	size_t c_num = count_column(t, NULL, diags, expected_cols);
	if (c_num == (size_t)-2) {
		cc_csv_free(t);
		return CC_EPARSE;
	}
	if (cc_csv_rows_dropped(t) > 0) {
		cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0,
		             "%zu row%s could not be read (above); a published count may be "
		             "missing, so nothing is fitted from this file",
		             cc_csv_rows_dropped(t), cc_csv_rows_dropped(t) == 1 ? "" : "s");
		cc_csv_free(t);
		return CC_EPARSE;
	}
	int oom = 0;
	size_t warnings = 0, last_area = (size_t)-1;
	char last_name[256] = "";
	int last_level = 0;
	for (size_t r = 0; r < cc_csv_nrows(t) && !oom; r++) {
		size_t line = cc_csv_line(t, r);
		int level = level_of(cc_csv_field(t, r, c_level));
		if (!level)
			continue;
		const char *name = "England";
		if (level == CC_DFE_REGION) {
			name = c_region != CC_CSV_NOCOL ? cc_csv_field(t, r, c_region) : "";
			if (!*name)
				name = cc_csv_field(t, r, c_la);
		} else if (level == CC_DFE_LA) {
			name = cc_csv_field(t, r, c_la);
		}
		if (!*name) {
			if (warnings++ < MAX_WARN_PER_FILE)
				cc_diags_add(
				    diags, CC_DIAG_WARNING, path, line,
				    level == CC_DFE_REGION && c_region != CC_CSV_NOCOL
				        ? c_region + 1
				        : c_la + 1,
				    "expected the name of the area, found an empty cell; row "
				    "not used");
			continue;
		}
		int known_group;
		int slot = dfe_slot_of(table, cc_csv_field(t, r, c_group),
		                       cc_csv_field(t, r, c_char), &known_group);
		if (slot < 0) {
			if (known_group && warnings++ < MAX_WARN_PER_FILE) {
				char s[48];
				shown(cc_csv_field(t, r, c_char), s, sizeof s);
				cc_diags_add(diags, CC_DIAG_WARNING, path, line, c_char + 1,
				             "characteristic \"%s\" of cla_group \"%s\" is not one "
				             "carecast knows; row not used",
				             s, cc_csv_field(t, r, c_group));
			}
			continue;
		}
		/* Only the stock table defines areas; the others must name them. */
		size_t ai;
		if (last_area != (size_t)-1 && level == last_level &&
		    strcmp(name, last_name) == 0) {
			ai = last_area;
		} else {
			ai = area_index(d, name, (cc_dfe_level)level, 1, &oom);
			if (ai == (size_t)-1)
				break;
			last_area = ai;
			last_level = level;
			snprintf(last_name, sizeof last_name, "%s", name);
		}
		dfe_area *a = &d->areas[ai];
		if (level == CC_DFE_LA && !a->region && c_region != CC_CSV_NOCOL &&
		    *cc_csv_field(t, r, c_region)) {
			a->region = strdup(cc_csv_field(t, r, c_region));
			if (!a->region) {
				oom = 1;
				break;
			}
		}
		int year;
		if (parse_year(cc_csv_field(t, r, c_year), &year) != 0) {
			char s[48];
			shown(cc_csv_field(t, r, c_year), s, sizeof s);
			problem(d, ai, path, line, c_year + 1, &oom,
			        "expected time_period as a year such as 2024 (the year ending 31 "
			        "March 2024), found \"%s\"",
			        s);
			continue;
		}
		double v = 0;
		const char *cell = cc_csv_field(t, r, c_num);
		int pc = parse_count(cell, &v);
		if (pc < 0) {
			char s[48];
			shown(cell, s, sizeof s);
			problem(d, ai, path, line, c_num + 1, &oom,
			        "expected a count of children (a whole number from 0 to 10^9) or a "
			        "suppression code (c, k, x, z, u, low) in column \"%s\", found "
			        "\"%s\"",
			        cc_csv_header(t, c_num), s);
			continue;
		}
		dfe_year *y = year_of(a, year, &oom);
		if (!y)
			break;
		y->present[table] = 1;
		uint8_t st = pc == 1 ? CELL_VALUE : CELL_SUPPRESSED;
		if (y->state[slot] != CELL_ABSENT) {
			if (y->state[slot] != st || (st == CELL_VALUE && y->v[slot] != v))
				problem(
				    d, ai, path, line, c_num + 1, &oom,
				    "this row gives %s %d \"%s\" / \"%s\" as \"%s\", but line %zu "
				    "gave a different value; expected one value per cell",
				    name, year, cc_csv_field(t, r, c_group),
				    cc_csv_field(t, r, c_char), cell, y->line[slot]);
			continue;
		}
		y->state[slot] = st;
		y->v[slot] = pc == 1 ? v : NAN;
		y->line[slot] = line;
		if (table == TB_STOCK) {
			if (year < d->first_year || d->first_year == 0)
				d->first_year = year;
			if (year > d->last_year)
				d->last_year = year;
		}
	}
	if (warnings > MAX_WARN_PER_FILE)
		cc_diags_add(diags, CC_DIAG_WARNING, path, 0, 0,
		             "%zu more rows not used (not shown)", warnings - MAX_WARN_PER_FILE);
	cc_csv_free(t);
	return oom ? CC_ENOMEM : CC_OK;
}

/* ---- the population ------------------------------------------------------------- */

/* Reads d->files[NTABLES]. With add_areas, every area the file names is
 * added; otherwise only the areas of the DfE tables are kept. */
static int read_population(cc_dfe *d, int add_areas, cc_diags *diags)
{
	const char *path = d->files[NTABLES];
	cc_csv *t = NULL;
	int rc = cc_csv_read(path, NULL, &t, diags);
	if (rc != CC_OK)
		return rc;
	static const char *const expected =
	    "time_period, geographic_level, la_name (and region_name) and "
	    "population_estimate";
	size_t c_year = cc_csv_column(t, "time_period"),
	       c_level = cc_csv_column(t, "geographic_level"), c_la = cc_csv_column(t, "la_name"),
	       c_region = cc_csv_column(t, "region_name"), c_age = cc_csv_column(t, "age_group");
	if (c_year == CC_CSV_NOCOL || c_level == CC_CSV_NOCOL) {
		missing_column(t, c_year == CC_CSV_NOCOL ? "time_period" : "geographic_level",
		               expected, diags);
		cc_csv_free(t);
		return CC_EPARSE;
	}
	if (c_la == CC_CSV_NOCOL && c_region == CC_CSV_NOCOL) {
		missing_column(t, "la_name", expected, diags);
		cc_csv_free(t);
		return CC_EPARSE;
	}
	size_t c_num = cc_csv_column(t, "population_estimate");
	if (c_num == CC_CSV_NOCOL)
		c_num = count_column(t, "population|populationestimate|estimate", diags, expected);
	if (c_num == (size_t)-2 || cc_csv_rows_dropped(t) > 0) {
		if (c_num != (size_t)-2)
			cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0,
			             "%zu row%s could not be read (above)", cc_csv_rows_dropped(t),
			             cc_csv_rows_dropped(t) == 1 ? "" : "s");
		cc_csv_free(t);
		return CC_EPARSE;
	}
	int oom = 0;
	for (size_t r = 0; r < cc_csv_nrows(t) && !oom; r++) {
		int level = level_of(cc_csv_field(t, r, c_level));
		if (!level)
			continue;
		if (c_age != CC_CSV_NOCOL) {
			char g[128];
			dfe_normalise(cc_csv_field(t, r, c_age), g, sizeof g);
			if (*g && !strstr(g, "0to17") && strcmp(g, "total") != 0)
				continue;
		}
		const char *name = "England";
		if (level == CC_DFE_REGION) {
			name = c_region != CC_CSV_NOCOL ? cc_csv_field(t, r, c_region) : "";
			if (!*name && c_la != CC_CSV_NOCOL)
				name = cc_csv_field(t, r, c_la);
		} else if (level == CC_DFE_LA) {
			name = c_la != CC_CSV_NOCOL ? cc_csv_field(t, r, c_la) : "";
		}
		if (!*name)
			continue;
		/* Only areas of the DfE tables matter (unless add_areas). */
		size_t ai = area_index(d, name, (cc_dfe_level)level, add_areas, &oom);
		if (ai == (size_t)-1)
			continue;
		size_t line = cc_csv_line(t, r);
		int year;
		if (parse_year(cc_csv_field(t, r, c_year), &year) != 0) {
			char s[48];
			shown(cc_csv_field(t, r, c_year), s, sizeof s);
			problem(d, ai, path, line, c_year + 1, &oom,
			        "expected time_period as a year such as 2024, found \"%s\"", s);
			continue;
		}
		double v;
		int pc = parse_count(cc_csv_field(t, r, c_num), &v);
		if (pc == 0)
			continue;
		if (pc < 0 || v <= 0) {
			char s[48];
			shown(cc_csv_field(t, r, c_num), s, sizeof s);
			problem(d, ai, path, line, c_num + 1, &oom,
			        "expected a population (a positive number), found \"%s\"", s);
			continue;
		}
		dfe_area *a = &d->areas[ai];
		size_t k = 0;
		while (k < a->n_pop && a->pop_year[k] != year)
			k++;
		if (k < a->n_pop) {
			if (a->pop[k] != v)
				problem(d, ai, path, line, c_num + 1, &oom,
				        "two different populations for %s %d; expected one", name,
				        year);
			continue;
		}
		if (a->n_pop == sizeof a->pop / sizeof a->pop[0])
			continue;
		/* Keep them sorted by year. */
		while (k > 0 && a->pop_year[k - 1] > year) {
			a->pop_year[k] = a->pop_year[k - 1];
			a->pop[k] = a->pop[k - 1];
			k--;
		}
		a->pop_year[k] = year;
		a->pop[k] = v;
		a->n_pop++;
		d->has_population = 1;
	}
	cc_csv_free(t);
	return oom ? CC_ENOMEM : CC_OK;
}

/* ---- public -------------------------------------------------------------------- */

void cc_dfe_free(cc_dfe *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_areas; i++) {
		free(d->areas[i].name);
		free(d->areas[i].region);
		free(d->areas[i].years);
	}
	free(d->areas);
	for (size_t i = 0; i < d->n_problems; i++)
		free(d->problems[i].message);
	free(d->problems);
	for (size_t i = 0; i <= NTABLES; i++)
		free(d->files[i]);
	free(d);
}

int cc_dfe_read(const char *dir, const char *population, cc_dfe **out, cc_diags *diags)
{
	*out = NULL;
	cc_dfe *d = calloc(1, sizeof *d);
	if (!d)
		return CC_ENOMEM;
	for (int i = 0; i < NTABLES; i++) {
		d->files[i] = cc_path_join(dir, table_files[i]);
		if (!d->files[i]) {
			cc_dfe_free(d);
			return CC_ENOMEM;
		}
	}
	if (population) {
		d->files[NTABLES] = strdup(population);
		if (!d->files[NTABLES]) {
			cc_dfe_free(d);
			return CC_ENOMEM;
		}
	}
	/* Read every file, so every problem is reported, then fail. */
	int status = CC_OK;
	for (int i = 0; i < NTABLES; i++) {
		int rc = read_table(d, i, diags);
		if (rc == CC_ENOMEM) {
			cc_dfe_free(d);
			return rc;
		}
		if (rc != CC_OK && status == CC_OK)
			status = rc;
	}
	if (status == CC_OK && d->n_areas == 0) {
		cc_diags_add(diags, CC_DIAG_ERROR, d->files[TB_STOCK], 0, 0,
		             "expected rows of children looked after at 31 March (cla_group "
		             "\"Age group\") for some area, found none");
		status = CC_EPARSE;
	}
	if (status == CC_OK && population) {
		int rc = read_population(d, 0, diags);
		if (rc != CC_OK)
			status = rc;
	}
	if (status != CC_OK) {
		cc_dfe_free(d);
		return status;
	}
	*out = d;
	return CC_OK;
}

int cc_dfe_read_population(const char *path, cc_dfe **out, cc_diags *diags)
{
	*out = NULL;
	cc_dfe *d = calloc(1, sizeof *d);
	if (!d)
		return CC_ENOMEM;
	d->files[NTABLES] = strdup(path);
	if (!d->files[NTABLES]) {
		cc_dfe_free(d);
		return CC_ENOMEM;
	}
	int rc = read_population(d, 1, diags);
	if (rc == CC_OK && d->n_problems > 0) {
		for (size_t i = 0; i < d->n_problems; i++) {
			const dfe_problem *p = &d->problems[i];
			cc_diags_add(diags, CC_DIAG_ERROR, p->file, p->line, p->column, "%s",
			             p->message);
		}
		rc = CC_EPARSE;
	}
	if (rc != CC_OK) {
		cc_dfe_free(d);
		return rc;
	}
	*out = d;
	return CC_OK;
}

int cc_dfe_population(const cc_dfe *d, size_t area, int year, double *v)
{
	if (area >= d->n_areas)
		return CC_EINVAL;
	const dfe_area *a = &d->areas[area];
	for (size_t i = 0; i < a->n_pop; i++)
		if (a->pop_year[i] == year) {
			*v = a->pop[i];
			return CC_OK;
		}
	return CC_EINVAL;
}

size_t cc_dfe_n_areas(const cc_dfe *d) { return d->n_areas; }
const char *cc_dfe_area_name(const cc_dfe *d, size_t i) { return d->areas[i].name; }
cc_dfe_level cc_dfe_area_level(const cc_dfe *d, size_t i) { return d->areas[i].level; }
int cc_dfe_has_population(const cc_dfe *d, size_t i) { return d->areas[i].n_pop > 0; }

void cc_dfe_year_range(const cc_dfe *d, int *first, int *last)
{
	*first = d->first_year;
	*last = d->last_year;
}

/* ---- finding an area by name ------------------------------------------------------ */

static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 255 || m > 255)
		return 1000;
	size_t prev[256], cur[256];
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1,
			       sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			cur[j] = del < ins ? (del < sub ? del : sub) : (ins < sub ? ins : sub);
		}
		memcpy(prev, cur, (m + 1) * sizeof *prev);
	}
	return prev[m];
}

int cc_dfe_find_area(const cc_dfe *d, const char *name, cc_dfe_level level, size_t *index,
                     cc_diags *diags)
{
	char q[256];
	dfe_normalise(name, q, sizeof q);
	int national = strcmp(q, "england") == 0 || strcmp(q, "national") == 0;
	for (size_t i = 0; i < d->n_areas; i++) {
		const dfe_area *a = &d->areas[i];
		if (national ? a->level == CC_DFE_NATIONAL
		             : a->level == level && same_name(a->name, name)) {
			*index = i;
			return CC_OK;
		}
	}
	const char *what = level == CC_DFE_REGION ? "region" : "local authority";
	if (national) {
		cc_diags_add(diags, CC_DIAG_ERROR, d->files[TB_STOCK], 0, 0,
		             "expected national rows (geographic_level \"National\") for "
		             "\"%s\", found none",
		             name);
		return CC_EINVAL;
	}
	/* Near matches at any level (a small edit distance, or one name holding
	 * the other); failing those, every area of the level asked for. */
	char list[800];
	size_t k = 0, count = 0, qlen = strlen(q);
	list[0] = '\0';
	for (int pass = 0; pass < 2 && count == 0; pass++) {
		for (size_t i = 0; i < d->n_areas; i++) {
			const dfe_area *a = &d->areas[i];
			char n[256];
			dfe_normalise(a->name, n, sizeof n);
			int near = edit_distance(q, n) <= qlen / 3 + 1 ||
			           (qlen >= 3 && *n && (strstr(n, q) || strstr(q, n)));
			if (pass == 0 ? !near : a->level != level)
				continue;
			if (k + 80 >= sizeof list) {
				snprintf(list + k, sizeof list - k, ", ...");
				break;
			}
			const char *note = a->level == level           ? ""
			                   : a->level == CC_DFE_REGION ? " (a region: use --region)"
			                   : a->level == CC_DFE_LA
			                       ? " (a local authority: use --la)"
			                       : " (use England)";
			int w = snprintf(list + k, sizeof list - k, "%s\"%s\"%s", count ? ", " : "",
			                 a->name, note);
			if (w > 0 && (size_t)w < sizeof list - k)
				k += (size_t)w;
			count++;
		}
		if (count && pass == 0)
			cc_diags_add(diags, CC_DIAG_ERROR, d->files[TB_STOCK], 0, 0,
			             "no %s called \"%s\" in the data; did you mean %s?", what,
			             name, list);
		else if (count)
			cc_diags_add(
			    diags, CC_DIAG_ERROR, d->files[TB_STOCK], 0, 0,
			    "no %s called \"%s\" in the data, nor one with a similar name; "
			    "the data have %s",
			    what, name, list);
	}
	if (count == 0)
		cc_diags_add(diags, CC_DIAG_ERROR, d->files[TB_STOCK], 0, 0,
		             "no %s called \"%s\" in the data, and the data have no %s rows", what,
		             name, what);
	return CC_EINVAL;
}
