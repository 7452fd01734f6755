/*
 * test_dfe.c - fitting from DfE's published statistics (include/carecast/dfe.h).
 *
 * The fixtures in tests/data/dfe are rows copied from the shared DfE tables
 * (see tests/data/dfe/README.md): Warwickshire, Wiltshire, Leicester, the
 * West Midlands and England, 2021-2025. Variants (a BOM, CRLF line ends, a
 * renamed count column, a missing column, suppressed or bad cells, a year
 * left out) are written to a temporary folder by the tests themselves.
 * What is checked is what a user relies on: the starting population is the
 * published stock at the base date, entries are the published starts over
 * the window, exits at 18 are not counted twice, suppressed cells are never
 * zero, and every problem names its file, line and column.
 */
#include "carecast/backtest.h"
#include "carecast/dfe.h"
#include "carecast/model.h"
#include "carecast/sim.h"
#include "cc_test.h"

#include <gsl/gsl_errno.h>
#include <unistd.h>

#define DATA "tests/data/dfe"
#define POP DATA "/population_0to17.csv"

static const char *const tables[3] = { "cla_31_march.csv", "started.csv", "ceased.csv" };

/* ---- helpers ---------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A temporary copy of the fixtures; edit(name, text) may rewrite a table
 * (returns a new malloc'd text, or NULL to keep it). */
typedef char *(*edit_fn)(const char *table, const char *text, void *arg);

typedef struct {
	char dir[64];
} tmpdir;

static void copy_fixtures(tmpdir *t, edit_fn edit, void *arg)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/cc_dfe_XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	for (int i = 0; i < 3; i++) {
		char src[256], dst[256];
		snprintf(src, sizeof src, "%s/%s", DATA, tables[i]);
		snprintf(dst, sizeof dst, "%s/%s", t->dir, tables[i]);
		size_t len;
		char *text = slurp(src, &len);
		char *out = edit ? edit(tables[i], text, arg) : NULL;
		if (out) {
			spit(dst, out, strlen(out));
			free(out);
		} else {
			spit(dst, text, len);
		}
		free(text);
	}
}

static void remove_fixtures(tmpdir *t)
{
	for (int i = 0; i < 3; i++) {
		char p[256];
		snprintf(p, sizeof p, "%s/%s", t->dir, tables[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

static void print_diags(const cc_diags *d)
{
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		char *s = cc_diag_format(cc_diags_get(d, i));
		fprintf(stderr, "  %s\n", s ? s : "?");
		free(s);
	}
}

/* 1 when some diagnostic contains every one of the strings (NULL-ended). */
static int diag_has(const cc_diags *d, const char *a, const char *b, const char *c)
{
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		char *s = cc_diag_format(cc_diags_get(d, i));
		int ok = s && strstr(s, a) && (!b || strstr(s, b)) && (!c || strstr(s, c));
		free(s);
		if (ok)
			return 1;
	}
	return 0;
}

static cc_dfe *read_dir(const char *dir, const char *pop)
{
	cc_diags *d = cc_diags_alloc(0);
	cc_dfe *t = NULL;
	int rc = cc_dfe_read(dir, pop, &t, d);
	if (rc != CC_OK)
		print_diags(d);
	cc_diags_free(d);
	assert_int_equal(rc, CC_OK);
	return t;
}

static size_t area(const cc_dfe *t, const char *name, cc_dfe_level level)
{
	cc_diags *d = cc_diags_alloc(0);
	size_t i = 0;
	assert_int_equal(cc_dfe_find_area(t, name, level, &i, d), CC_OK);
	cc_diags_free(d);
	return i;
}

typedef struct {
	cc_dfe_fit *fit;
	cc_model *model;
	char *text;
} fitted;

static fitted fit_areas(const cc_dfe *t, const size_t *areas, size_t n, int base, int shrink)
{
	cc_dfe_fit_opts o;
	cc_dfe_fit_opts_default(&o);
	o.base_year = base;
	o.shrinkage = shrink;
	cc_diags *d = cc_diags_alloc(0);
	fitted r = { 0 };
	int rc = cc_dfe_fit_run(t, areas, n, &o, &r.fit, d);
	if (rc == CC_OK)
		rc = cc_dfe_fit_model(r.fit, &r.model, d);
	if (rc == CC_OK)
		rc = cc_dfe_fit_model_json(r.fit, &r.text);
	if (rc != CC_OK)
		print_diags(d);
	cc_diags_free(d);
	assert_int_equal(rc, CC_OK);
	return r;
}

static fitted fit_one(const cc_dfe *t, const char *name, cc_dfe_level level, int base, int shrink)
{
	size_t a = area(t, name, level);
	return fit_areas(t, &a, 1, base, shrink);
}

static void fitted_free(fitted *r)
{
	cc_model_free(r->model);
	cc_dfe_fit_free(r->fit);
	free(r->text);
}

static size_t cat_index(const cc_model *m, const char *name)
{
	for (size_t c = 0; c < m->n_categories; c++)
		if (strcmp(m->categories[c].name, name) == 0)
			return c;
	fail_msg("no category %s", name);
	return 0;
}

/* The starting population by age band and by category. */
static void start_margins(const cc_model *m, double band[5], double cat[CC_MAX_LIST])
{
	memset(band, 0, 5 * sizeof *band);
	memset(cat, 0, CC_MAX_LIST * sizeof *cat);
	for (size_t i = 0; i < m->n_start; i++) {
		const cc_start_group *g = &m->start[i];
		band[cc_model_age_band(m, g->age_months)] += g->count;
		cat[g->category] += g->count;
		assert_true(g->months_in_care <= g->age_months);
	}
}

/* The posterior mean of an entry rate: what the simulation draws around. */
static double entry_mean(const cc_model *m, size_t band)
{
	const cc_rate *r = &m->params[band];
	return r->has_evidence ? (r->events + 0.5) / r->exposure_years : r->rate_per_year;
}

/* ---- the published figures, from the fixtures --------------------------------- */

/* Warwickshire, Wiltshire, Leicester stock at 31 March 2023 by age band
 * (under 1, 1-4, 5-9, 10-15, 16+) and placement rows used (supported,
 * with parents, adoption, other, foster, homes, other residential,
 * residential schools; -1 suppressed). */
static const struct {
	const char *name;
	double total, band[5];
	double supported, parents, adoption, other, foster, homes, other_res, schools;
} stock2023[] = {
	{ "Warwickshire", 778, { 23, 105, 134, 272, 244 }, 95, 63, 21, 17, 502, 76, -1, -1 },
	{ "Wiltshire", 455, { 27, 51, 63, 195, 119 }, 28, 15, 17, -1, 343, 45, -1, 0 },
	{ "Leicester", 628, { 43, 95, 110, 244, 136 }, 62, 41, 17, -1, 440, 56, 7, -1 },
};

/* Starts 2021-2023 by age band. */
static const double starts_warks[3][5] = { { 54, 65, 55, 108, 77 },
	                                   { 51, 42, 35, 99, 87 },
	                                   { 36, 35, 33, 78, 86 } };

/* ---- tests --------------------------------------------------------------------- */

static void test_read_areas_and_years(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, POP);
	int first, last;
	cc_dfe_year_range(t, &first, &last);
	assert_int_equal(first, 2021);
	assert_int_equal(last, 2025);
	assert_int_equal(cc_dfe_area_level(t, area(t, "Warwickshire", CC_DFE_LA)), CC_DFE_LA);
	assert_int_equal(cc_dfe_area_level(t, area(t, "england", CC_DFE_LA)), CC_DFE_NATIONAL);
	assert_int_equal(cc_dfe_area_level(t, area(t, "West Midlands", CC_DFE_REGION)),
	                 CC_DFE_REGION);
	/* Case, spaces and punctuation do not matter. */
	assert_int_equal(area(t, "  leicester ", CC_DFE_LA), area(t, "LEICESTER", CC_DFE_LA));
	assert_true(cc_dfe_has_population(t, area(t, "Wiltshire", CC_DFE_LA)));
	cc_dfe_free(t);
}

/* For each authority: the model loads, its starting population is the
 * published stock at 31 March 2023 in total, by age band, and by every
 * placement DfE publish on its own; the combined rows add up. */
static void test_fit_authorities_start_is_published_stock(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, POP);
	for (size_t k = 0; k < 3; k++) {
		fitted r = fit_one(t, stock2023[k].name, CC_DFE_LA, 2023, 1);
		const cc_model *m = r.model;
		assert_int_equal(m->start_total, (size_t)stock2023[k].total);
		int y, mo, dd;
		cc_date_to_ymd(m->base_date, &y, &mo, &dd);
		assert_int_equal(y * 10000 + mo * 100 + dd, 20230331);
		double band[5], cat[CC_MAX_LIST];
		start_margins(m, band, cat);
		for (size_t b = 0; b < 5; b++)
			assert_near(band[b], stock2023[k].band[b], 0);
		assert_near(cat[cat_index(m, "supported")], stock2023[k].supported, 0);
		assert_near(cat[cat_index(m, "with_parents")], stock2023[k].parents, 0);
		assert_near(cat[cat_index(m, "adoption")], stock2023[k].adoption, 0);
		if (stock2023[k].other >= 0)
			assert_near(cat[cat_index(m, "other")], stock2023[k].other, 0);
		double fk = cat[cat_index(m, "fostering")] + cat[cat_index(m, "kinship")];
		assert_near(fk, stock2023[k].foster, 1); /* within rounding of the split */
		/* History: the published stock at each 31 March up to the base. */
		assert_int_equal(m->n_history, 3);
		assert_near(m->history[2].cla_total, stock2023[k].total, 0);
		fitted_free(&r);
	}
	cc_dfe_free(t);
}

/* Entries: the simulation draws each band's rate around the published
 * starts averaged over the window (with equilibrium shrinkage off, exactly;
 * with it, times the factor the fit reports). */
static void test_fit_entries_are_published_starts(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, POP);
	fitted r = fit_one(t, "Warwickshire", CC_DFE_LA, 2023, 0);
	for (size_t b = 0; b < 5; b++) {
		double mean = (starts_warks[0][b] + starts_warks[1][b] + starts_warks[2][b]) / 3;
		assert_near(entry_mean(r.model, b), mean, 1e-6 * mean);
		/* The point estimate is within 0.5 / N_MIN (5%) of it. */
		assert_true(fabs(r.model->params[b].rate_per_year - mean) <= 0.05 * mean + 1e-9);
	}
	const cc_dfe_fit_summary *s = cc_dfe_fit_get_summary(r.fit);
	assert_near(s->entries_per_year, (359 + 314 + 268) / 3.0, 1e-9);
	assert_int_equal(s->years_entries, 3);
	fitted_free(&r);

	fitted q = fit_one(t, "Warwickshire", CC_DFE_LA, 2023, 1);
	s = cc_dfe_fit_get_summary(q.fit);
	assert_true(s->shrinkage_theta > 0 && s->shrinkage_theta < 1);
	for (size_t b = 0; b < 5; b++) {
		double mean = (starts_warks[0][b] + starts_warks[1][b] + starts_warks[2][b]) / 3;
		assert_near(entry_mean(q.model, b), mean * s->entries_factor, 1e-6 * mean);
	}
	/* The equilibrium moved towards the anchor, never past it. */
	double before = s->equilibrium_fitted - s->anchor, after = s->equilibrium - s->anchor;
	assert_true(fabs(after) <= fabs(before) + 1e-9);
	assert_true(after * before >= 0);
	fitted_free(&q);
	cc_dfe_free(t);
}

/* Exits: the hazards reproduce the ceases under 18 over the window's
 * exposure; "18 years and over" is left to the engine's ageing (the fit
 * counts it separately, and no hazard row carries it). */
static void test_fit_exits_leave_18_to_ageing(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, POP);
	fitted r = fit_one(t, "Warwickshire", CC_DFE_LA, 2023, 0);
	const cc_dfe_fit_summary *s = cc_dfe_fit_get_summary(r.fit);
	/* Ceased 2021-2023: total 257, 359, 313; 18 and over 113, 129, 132. */
	assert_near(s->exits_under18_per_year, ((257 - 113) + (359 - 129) + (313 - 132)) / 3.0,
	            1e-9);
	assert_near(s->ceased_18_per_year, (113 + 129 + 132) / 3.0, 1e-9);
	assert_near(s->exits_fitted_per_year, s->exits_under18_per_year,
	            1e-6 * s->exits_under18_per_year);
	for (size_t i = 0; i < r.model->n_exits; i++)
		assert_true(r.model->exits[i].reason < cc_model_age18(r.model));
	/* With shrinkage, the exit level moves by the reported factor. */
	fitted q = fit_one(t, "Warwickshire", CC_DFE_LA, 2023, 1);
	s = cc_dfe_fit_get_summary(q.fit);
	assert_near(s->exits_fitted_per_year, s->exits_under18_per_year * s->exits_factor,
	            1e-6 * s->exits_under18_per_year);
	fitted_free(&q);
	fitted_free(&r);
	cc_dfe_free(t);
}

static void test_fit_england_and_region(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, POP);
	fitted e = fit_one(t, "England", CC_DFE_LA, 2024, 1);
	assert_int_equal(e.model->start_total, 83530);
	assert_int_equal(e.model->n_population, 13); /* 2012 to 2024 */
	assert_near(cc_model_population(e.model, 2024), 12183016, 0);
	double band[5], cat[CC_MAX_LIST];
	start_margins(e.model, band, cat);
	assert_near(band[4], 22620, 0);
	fitted_free(&e);
	/* A region from its own published rows. */
	fitted w = fit_one(t, "West Midlands", CC_DFE_REGION, 2023, 1);
	assert_int_equal(w.model->start_total, 11820);
	assert_non_null(strstr(w.text, "\"name\": \"West Midlands\""));
	fitted_free(&w);
	cc_dfe_free(t);
}

/* Several authorities are pooled: their counts summed. */
static void test_fit_pooled(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, POP);
	size_t a[2] = { area(t, "Warwickshire", CC_DFE_LA), area(t, "Leicester", CC_DFE_LA) };
	fitted r = fit_areas(t, a, 2, 2023, 0);
	assert_int_equal(r.model->start_total, 778 + 628);
	assert_string_equal(r.model->name, "Warwickshire + Leicester");
	/* Leicester's starts 2021-2023: 151, 183, 221. */
	const cc_dfe_fit_summary *s = cc_dfe_fit_get_summary(r.fit);
	assert_near(s->entries_per_year, (359 + 314 + 268 + 151 + 183 + 221) / 3.0, 1e-9);
	assert_int_equal(s->areas, 2);
	assert_near(cc_model_population(r.model, 2023), 126202 + 89532, 0);
	fitted_free(&r);

	/* An area inside another is an error: its children would count twice. */
	size_t b[2] = { area(t, "West Midlands", CC_DFE_REGION), a[0] };
	cc_dfe_fit_opts o;
	cc_dfe_fit_opts_default(&o);
	o.base_year = 2023;
	cc_diags *d = cc_diags_alloc(0);
	cc_dfe_fit *f = NULL;
	assert_int_equal(cc_dfe_fit_run(t, b, 2, &o, &f, d), CC_EINVAL);
	assert_null(f);
	assert_true(diag_has(d, "West Midlands", "Warwickshire", "overlap"));
	size_t c[2] = { a[0], a[0] };
	assert_int_equal(cc_dfe_fit_run(t, c, 2, &o, &f, d), CC_EINVAL);
	assert_true(diag_has(d, "named twice", NULL, NULL));
	cc_diags_free(d);
	cc_dfe_free(t);
}

/* Leicester's 2024 starts at 1-4 and 5-9 are suppressed ("c"): they are the
 * published total less the known bands (196 - 142 = 54), shared as England's
 * 2024 starts at those ages (4830 : 4900), never zero. */
static void test_suppressed_cells_are_not_zero(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, POP);
	fitted r = fit_one(t, "Leicester", CC_DFE_LA, 2024, 0);
	double imp14 = 54.0 * 4830 / (4830 + 4900), imp59 = 54.0 * 4900 / (4830 + 4900);
	assert_near(entry_mean(r.model, 1), (32 + 29 + imp14) / 3, 1e-6);
	assert_near(entry_mean(r.model, 2), (27 + 33 + imp59) / 3, 1e-6);
	const cc_dfe_fit_summary *s = cc_dfe_fit_get_summary(r.fit);
	assert_true(s->cells_imputed > 0);
	assert_near(s->entries_per_year, (183 + 221 + 196) / 3.0, 1e-9);
	fitted_free(&r);
	cc_dfe_free(t);
}

/* A suppressed cell with no total to fill it from leaves its group unusable
 * for that year, which the fit then does without. */
static char *suppress_warks_2023_starts(const char *table, const char *text, void *arg)
{
	(void)arg;
	if (strcmp(table, "started.csv") != 0)
		return NULL;
	/* Warwickshire 2023: the total and under 1 suppressed. */
	char *out = malloc(strlen(text) + 1);
	assert_non_null(out);
	strcpy(out, text);
	const char *pats[2] = { "2023,Local authority,E12000005,West Midlands,E10000031,937,"
		                "Warwickshire,Age on starting,Total,268,",
		                "2023,Local authority,E12000005,West Midlands,E10000031,937,"
		                "Warwickshire,Age on starting,Under 1 year,36," };
	for (int i = 0; i < 2; i++) {
		char *p = strstr(out, pats[i]);
		assert_non_null(p);
		char *num = p + strlen(pats[i]) - 4 + (i == 0 ? 0 : 1);
		/* Replace the count (3 or 2 digits) by "c" and pad with spaces,
		 * which the reader trims. */
		size_t n = i == 0 ? 3 : 2;
		num[0] = 'c';
		for (size_t j = 1; j < n; j++)
			num[j] = ' ';
	}
	return out;
}

static void test_suppressed_without_total(void **state)
{
	(void)state;
	tmpdir td;
	copy_fixtures(&td, suppress_warks_2023_starts, NULL);
	cc_dfe *t = read_dir(td.dir, NULL);
	fitted r = fit_one(t, "Warwickshire", CC_DFE_LA, 2023, 0);
	const cc_dfe_fit_summary *s = cc_dfe_fit_get_summary(r.fit);
	assert_int_equal(s->years_entries, 2);
	assert_near(s->entries_per_year, (359 + 314) / 2.0, 1e-9);
	assert_near(entry_mean(r.model, 0), (54 + 51) / 2.0, 1e-6);
	int noted = 0;
	for (size_t i = 0; i < cc_dfe_fit_nnotes(r.fit); i++)
		noted |= strstr(cc_dfe_fit_note(r.fit, i), "2023") != NULL;
	assert_true(noted);
	fitted_free(&r);
	cc_dfe_free(t);
	remove_fixtures(&td);
}

/* A year missing from a table: the window uses the years there are. */
static char *drop_2022(const char *table, const char *text, void *arg)
{
	const char *which = arg;
	if (strcmp(table, which) != 0)
		return NULL;
	char *out = malloc(strlen(text) + 1);
	assert_non_null(out);
	size_t k = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
		if (strncmp(p, "2022,", 5) != 0) {
			memcpy(out + k, p, len);
			k += len;
		}
		p += len;
	}
	out[k] = '\0';
	return out;
}

static void test_missing_years(void **state)
{
	(void)state;
	tmpdir td;
	copy_fixtures(&td, drop_2022, (void *)"started.csv");
	cc_dfe *t = read_dir(td.dir, NULL);
	fitted r = fit_one(t, "Warwickshire", CC_DFE_LA, 2023, 0);
	const cc_dfe_fit_summary *s = cc_dfe_fit_get_summary(r.fit);
	assert_int_equal(s->years_entries, 2);
	assert_int_equal(s->years_exits, 3);
	assert_near(s->entries_per_year, (359 + 268) / 2.0, 1e-9);
	int noted = 0;
	for (size_t i = 0; i < cc_dfe_fit_nnotes(r.fit); i++)
		noted |=
		    strstr(cc_dfe_fit_note(r.fit, i), "starts: no usable figures for 2022") != NULL;
	assert_true(noted);
	fitted_free(&r);
	cc_dfe_free(t);
	remove_fixtures(&td);

	/* The stock of the base year missing: a clear error. */
	copy_fixtures(&td, drop_2022, (void *)"cla_31_march.csv");
	t = read_dir(td.dir, NULL);
	size_t a = area(t, "Wiltshire", CC_DFE_LA);
	cc_dfe_fit_opts o;
	cc_dfe_fit_opts_default(&o);
	o.base_year = 2022;
	cc_diags *d = cc_diags_alloc(0);
	cc_dfe_fit *f = NULL;
	assert_int_equal(cc_dfe_fit_run(t, &a, 1, &o, &f, d), CC_EINVAL);
	assert_true(diag_has(d, "cla_31_march.csv", "31 March 2022", "Wiltshire"));
	cc_diags_free(d);
	cc_dfe_free(t);
	remove_fixtures(&td);
}

static void test_unknown_area_lists_near_matches(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, NULL);
	cc_diags *d = cc_diags_alloc(0);
	size_t i;
	assert_int_equal(cc_dfe_find_area(t, "Warwickshir", CC_DFE_LA, &i, d), CC_EINVAL);
	assert_true(diag_has(d, "no local authority called \"Warwickshir\"", "did you mean",
	                     "\"Warwickshire\""));
	/* A region asked for as an authority is pointed at --region. */
	assert_int_equal(cc_dfe_find_area(t, "West Midland", CC_DFE_LA, &i, d), CC_EINVAL);
	assert_true(diag_has(d, "\"West Midlands\" (a region: use --region)", NULL, NULL));
	/* Nothing near: the authorities in the data are listed. */
	assert_int_equal(cc_dfe_find_area(t, "Narnia", CC_DFE_LA, &i, d), CC_EINVAL);
	assert_true(diag_has(d, "Narnia", "\"Leicester\"", "\"Wiltshire\""));
	cc_diags_free(d);
	cc_dfe_free(t);
}

/* A table missing a required column is refused with the file, the line of
 * the header, the column and what was found. */
static char *drop_column(const char *table, const char *text, void *arg)
{
	(void)arg;
	if (strcmp(table, "cla_31_march.csv") != 0)
		return NULL;
	const char *p = strstr(text, "cla_group");
	assert_non_null(p);
	char *out = malloc(strlen(text) + strlen("kind_of_thing") + 1);
	assert_non_null(out);
	size_t k = (size_t)(p - text);
	memcpy(out, text, k);
	strcpy(out + k, "kind_of_thing");
	strcat(out, p + strlen("cla_group"));
	return out;
}

static void test_missing_column(void **state)
{
	(void)state;
	tmpdir td;
	copy_fixtures(&td, drop_column, NULL);
	cc_diags *d = cc_diags_alloc(0);
	cc_dfe *t = NULL;
	assert_int_equal(cc_dfe_read(td.dir, NULL, &t, d), CC_EPARSE);
	assert_null(t);
	assert_true(
	    diag_has(d, "cla_31_march.csv:1:1", "missing column \"cla_group\"", "kind_of_thing"));
	cc_diags_free(d);
	remove_fixtures(&td);
}

/* A BOM, CRLF line ends and DfE's other name for the count column change
 * nothing: the model is the same, byte for byte. */
static char *bom_crlf_rename(const char *table, const char *text, void *arg)
{
	(void)arg;
	size_t n = strlen(text), lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += text[i] == '\n';
	char *out = malloc(n + lines + 64);
	assert_non_null(out);
	size_t k = 0;
	memcpy(out, "\xEF\xBB\xBF", 3);
	k = 3;
	const char *num = strstr(text, ",number,");
	for (size_t i = 0; i < n; i++) {
		if (num && text + i == num) {
			const char *nn = strcmp(table, "cla_31_march.csv") == 0
			                     ? ",cla_31_march_number,"
			                     : ",placements_number,";
			memcpy(out + k, nn, strlen(nn));
			k += strlen(nn);
			i += strlen(",number,") - 1;
			continue;
		}
		if (text[i] == '\n')
			out[k++] = '\r';
		out[k++] = text[i];
	}
	out[k] = '\0';
	return out;
}

static void test_bom_crlf_and_count_names(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, NULL);
	fitted a = fit_one(t, "Wiltshire", CC_DFE_LA, 2024, 1);
	cc_dfe_free(t);
	tmpdir td;
	copy_fixtures(&td, bom_crlf_rename, NULL);
	t = read_dir(td.dir, NULL);
	fitted b = fit_one(t, "Wiltshire", CC_DFE_LA, 2024, 1);
	assert_string_equal(a.text, b.text);
	fitted_free(&a);
	fitted_free(&b);
	cc_dfe_free(t);
	remove_fixtures(&td);
}

/* Nasty cells: each is reported with file:line:column, what was expected
 * and what was found, for the area they belong to; other areas still fit. */
static char *bad_cells(const char *table, const char *text, void *arg)
{
	(void)arg;
	if (strcmp(table, "ceased.csv") != 0)
		return NULL;
	static const char *const bad[] = { "abc", "NaN", "1e400", "-5", "12.5.3", "inf" };
	size_t n = strlen(text);
	char *out = malloc(n + 64 * 6);
	assert_non_null(out);
	size_t k = 0, done = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
		/* Warwickshire 2023 ceases by age: the count is the 8th field. */
		if (done < 6 && strncmp(p, "2023,Local authority,Warwickshire,", 34) == 0 &&
		    strstr(p, "Age on ceasing") && strstr(p, "Age on ceasing") < p + len) {
			const char *f = p;
			for (int c = 0; c < 7; c++)
				f = strchr(f, ',') + 1;
			const char *g = strchr(f, ',');
			memcpy(out + k, p, (size_t)(f - p));
			k += (size_t)(f - p);
			k += (size_t)sprintf(out + k, "%s", bad[done++]);
			memcpy(out + k, g, (size_t)(p + len - g));
			k += (size_t)(p + len - g);
		} else {
			memcpy(out + k, p, len);
			k += len;
		}
		p += len;
	}
	out[k] = '\0';
	assert_int_equal(done, 6);
	return out;
}

static void test_bad_cells_are_reported(void **state)
{
	(void)state;
	tmpdir td;
	copy_fixtures(&td, bad_cells, NULL);
	cc_dfe *t = read_dir(td.dir, NULL);
	size_t w = area(t, "Warwickshire", CC_DFE_LA);
	cc_dfe_fit_opts o;
	cc_dfe_fit_opts_default(&o);
	o.base_year = 2023;
	cc_diags *d = cc_diags_alloc(0);
	cc_dfe_fit *f = NULL;
	assert_int_equal(cc_dfe_fit_run(t, &w, 1, &o, &f, d), CC_EPARSE);
	assert_null(f);
	assert_int_equal(cc_diags_errors(d), 6);
	static const char *const bad[] = { "\"abc\"", "\"NaN\"",    "\"1e400\"",
		                           "\"-5\"",  "\"12.5.3\"", "\"inf\"" };
	for (int i = 0; i < 6; i++)
		assert_true(diag_has(d, "ceased.csv:", ":8: expected a count of children", bad[i]));
	/* The same problems stop the observations; another area is unaffected. */
	cc_history_point *h = NULL;
	size_t nh = 0;
	assert_int_equal(cc_dfe_observations(t, &w, 1, NULL, &h, &nh, d), CC_EPARSE);
	cc_diags_free(d);
	fitted r = fit_one(t, "Wiltshire", CC_DFE_LA, 2023, 1);
	fitted_free(&r);
	cc_dfe_free(t);
	remove_fixtures(&td);
}

static void test_empty_and_missing_files(void **state)
{
	(void)state;
	tmpdir td;
	copy_fixtures(&td, NULL, NULL);
	char p[256];
	snprintf(p, sizeof p, "%s/started.csv", td.dir);
	spit(p, "", 0);
	cc_diags *d = cc_diags_alloc(0);
	cc_dfe *t = NULL;
	assert_int_not_equal(cc_dfe_read(td.dir, NULL, &t, d), CC_OK);
	assert_null(t);
	assert_true(diag_has(d, "started.csv", NULL, NULL));
	unlink(p);
	cc_diags_free(d);
	d = cc_diags_alloc(0);
	assert_int_equal(cc_dfe_read(td.dir, NULL, &t, d), CC_EIO);
	assert_true(diag_has(d, "started.csv", NULL, NULL));
	cc_diags_free(d);
	remove_fixtures(&td);
}

static void test_observations(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, NULL);
	fitted r = fit_one(t, "Warwickshire", CC_DFE_LA, 2023, 1);
	size_t a = area(t, "Warwickshire", CC_DFE_LA);
	cc_diags *d = cc_diags_alloc(0);
	cc_history_point *h = NULL;
	size_t n = 0;
	assert_int_equal(cc_dfe_observations(t, &a, 1, r.model, &h, &n, d), CC_OK);
	assert_int_equal(n, 5);
	static const double totals[5] = { 861, 821, 778, 805, 727 };
	static const double supported[5] = { 82, 82, 95, 51, 82 };
	for (size_t i = 0; i < 5; i++) {
		int y, mo, dd;
		cc_date_to_ymd(h[i].date, &y, &mo, &dd);
		assert_int_equal(y, 2021 + (int)i);
		assert_near(h[i].cla_total, totals[i], 0);
		assert_near(h[i].by_category[cat_index(r.model, "supported")], supported[i], 0);
		/* Published only with kinship: unknown, not a guess. */
		assert_true(isnan(h[i].by_category[cat_index(r.model, "fostering")]));
		assert_true(isnan(h[i].by_category[cat_index(r.model, "kinship")]));
	}
	/* "Other placements" is suppressed in 2021: unknown. */
	assert_true(isnan(h[0].by_category[cat_index(r.model, "other")]));
	free(h);
	cc_diags_free(d);
	fitted_free(&r);
	cc_dfe_free(t);
}

/* The backtest library on a DfE fit: the published stock after the base
 * date is compared, persistence is the base year's stock. */
static void test_backtest(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, NULL);
	fitted r = fit_one(t, "Wiltshire", CC_DFE_LA, 2023, 1);
	size_t a = area(t, "Wiltshire", CC_DFE_LA);
	cc_diags *d = cc_diags_alloc(0);
	cc_history_point *h = NULL;
	size_t n = 0;
	assert_int_equal(cc_dfe_observations(t, &a, 1, r.model, &h, &n, d), CC_OK);
	cc_sim_options o;
	cc_sim_options_default(&o);
	o.replications = cc_test_small() ? 20 : 100;
	o.seed = 5;
	cc_backtest *b = NULL;
	assert_int_equal(cc_backtest_run(r.model, h, n, 2, 3, &o, "Wiltshire", &b, d), CC_OK);
	assert_string_equal(b->series[0].name, "total");
	assert_int_equal(b->series[0].n_points, 2);
	assert_near(b->series[0].points[0].actual, 475, 0);
	assert_near(b->series[0].points[1].actual, 478, 0);
	assert_near(b->series[0].points[0].persistence, 455, 0);
	/* A forecast of the right size: within 20% of the stock. */
	assert_true(fabs(b->series[0].points[0].forecast.p50 - 455) < 91);
	cc_backtest_free(b);
	free(h);
	cc_diags_free(d);
	fitted_free(&r);
	cc_dfe_free(t);
}

static void test_moves_from_model(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, NULL);
	cc_model *src = cc_test_model_file("tests/data/tiny.json");
	size_t a = area(t, "Leicester", CC_DFE_LA);
	cc_dfe_fit_opts o;
	cc_dfe_fit_opts_default(&o);
	o.base_year = 2024;
	o.moves_from = src;
	cc_diags *d = cc_diags_alloc(0);
	cc_dfe_fit *f = NULL;
	assert_int_equal(cc_dfe_fit_run(t, &a, 1, &o, &f, d), CC_OK);
	cc_model *m = NULL;
	assert_int_equal(cc_dfe_fit_model(f, &m, d), CC_OK);
	assert_int_equal(m->n_moves, 2);
	const cc_rate *r = &m->params[m->moves[1].param];
	assert_true(r->has_evidence);
	assert_near(r->events, 4, 0);
	assert_near(r->exposure_years, 40, 0);
	assert_string_equal(m->categories[m->moves[0].from].name, "fostering");
	assert_string_equal(m->categories[m->moves[0].to].name, "residential");
	cc_model_free(m);
	cc_dfe_fit_free(f);
	cc_diags_free(d);
	cc_model_free(src);
	cc_dfe_free(t);
}

/* The same inputs give the same file; it is written atomically and loads. */
static void test_write_and_determinism(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, POP);
	fitted a = fit_one(t, "England", CC_DFE_LA, 2023, 1);
	fitted b = fit_one(t, "England", CC_DFE_LA, 2023, 1);
	assert_string_equal(a.text, b.text);
	char dir[] = "/tmp/cc_dfe_wXXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/m.json", dir);
	cc_diags *d = cc_diags_alloc(0);
	assert_int_equal(cc_dfe_fit_write_model(a.fit, path, d), CC_OK);
	cc_model *m = cc_test_model_file(path);
	assert_int_equal(m->start_total, 83750);
	cc_model_free(m);
	size_t len;
	char *text = slurp(path, &len);
	assert_string_equal(text, a.text);
	free(text);
	unlink(path);
	rmdir(dir);
	cc_diags_free(d);
	fitted_free(&a);
	fitted_free(&b);
	cc_dfe_free(t);
}

/* The shrinkage anchor: the base stock carried along its recent growth
 * (the log-slope of the 31 March stocks over the window) for the
 * relaxation time; without a history (base year 2021, the data's first)
 * it is the base stock itself. */
static void test_fit_anchor_follows_recent_growth(void **state)
{
	(void)state;
	cc_dfe *t = read_dir(DATA, POP);
	fitted r = fit_one(t, "Warwickshire", CC_DFE_LA, 2023, 1);
	const cc_dfe_fit_summary *s = cc_dfe_fit_get_summary(r.fit);
	/* 861, 821, 778 at 31 March 2021-2023: slope of the logs over 3 points. */
	double g = (log(778.0) - log(861.0)) / 2;
	assert_near(s->stock_growth, g, 1e-12);
	assert_true(s->relaxation_years > 1 && s->relaxation_years < 6);
	assert_near(s->anchor, 778 * exp(g * s->relaxation_years), 1e-9);
	assert_true(s->anchor < 778);
	/* The equilibrium lies between the anchor and the window's rates' own. */
	assert_true((s->equilibrium - s->anchor) * (s->equilibrium_fitted - s->equilibrium) >= 0);
	fitted_free(&r);

	fitted w = fit_one(t, "Wiltshire", CC_DFE_LA, 2023, 1);
	s = cc_dfe_fit_get_summary(w.fit);
	assert_true(s->stock_growth > 0 && s->anchor > 455); /* 417, 426, 455 */
	fitted_free(&w);

	fitted f = fit_one(t, "Wiltshire", CC_DFE_LA, 2021, 1);
	s = cc_dfe_fit_get_summary(f.fit);
	assert_near(s->stock_growth, 0, 0);
	assert_near(s->anchor, 417, 1e-9);
	fitted_free(&f);
	cc_dfe_free(t);
}

/* The population file on its own: every area it names, each year's figure. */
static void test_read_population_alone(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_dfe *p = NULL;
	assert_int_equal(cc_dfe_read_population(POP, &p, d), CC_OK);
	size_t i = 0;
	assert_int_equal(cc_dfe_find_area(p, "England", CC_DFE_LA, &i, d), CC_OK);
	double v = 0;
	assert_int_equal(cc_dfe_population(p, i, 2024, &v), CC_OK);
	assert_near(v, 12183016, 0);
	assert_int_equal(cc_dfe_population(p, i, 1990, &v), CC_EINVAL);
	assert_int_equal(cc_dfe_find_area(p, "Leicester", CC_DFE_LA, &i, d), CC_OK);
	assert_int_equal(cc_dfe_population(p, i, 2023, &v), CC_OK);
	assert_near(v, 89532, 0);
	assert_int_equal(cc_dfe_population(p, cc_dfe_n_areas(p), 2023, &v), CC_EINVAL);
	cc_dfe_free(p);

	/* A bad figure is an error naming its line and column. */
	char path[] = "/tmp/cc_dfe_pop_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	const char *text = "time_period,geographic_level,la_name,population_estimate\n"
	                   "2023,Local authority,Leicester,89532\n"
	                   "2024,Local authority,Leicester,-7\n";
	spit(path, text, strlen(text));
	p = NULL;
	assert_int_equal(cc_dfe_read_population(path, &p, d), CC_EPARSE);
	assert_null(p);
	assert_true(
	    diag_has(d, ":3:4:", "expected a population (a positive number), found \"-7\"", NULL));
	/* Not a population file at all. */
	text = "a,b\n1,2\n";
	spit(path, text, strlen(text));
	assert_int_equal(cc_dfe_read_population(path, &p, d), CC_EPARSE);
	assert_true(diag_has(d, ":1:1:", "missing column \"time_period\"", NULL));
	unlink(path);
	assert_int_equal(cc_dfe_read_population("/nonexistent/pop.csv", &p, d), CC_EIO);
	cc_diags_free(d);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_areas_and_years),
		cmocka_unit_test(test_fit_authorities_start_is_published_stock),
		cmocka_unit_test(test_fit_entries_are_published_starts),
		cmocka_unit_test(test_fit_exits_leave_18_to_ageing),
		cmocka_unit_test(test_fit_england_and_region),
		cmocka_unit_test(test_fit_pooled),
		cmocka_unit_test(test_suppressed_cells_are_not_zero),
		cmocka_unit_test(test_suppressed_without_total),
		cmocka_unit_test(test_missing_years),
		cmocka_unit_test(test_unknown_area_lists_near_matches),
		cmocka_unit_test(test_missing_column),
		cmocka_unit_test(test_bom_crlf_and_count_names),
		cmocka_unit_test(test_bad_cells_are_reported),
		cmocka_unit_test(test_empty_and_missing_files),
		cmocka_unit_test(test_observations),
		cmocka_unit_test(test_backtest),
		cmocka_unit_test(test_moves_from_model),
		cmocka_unit_test(test_write_and_determinism),
		cmocka_unit_test(test_fit_anchor_follows_recent_growth),
		cmocka_unit_test(test_read_population_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
