/*
 * test_fit.c - fitting a model to SSDA903 returns: periods of care, temporary
 * placements, short breaks, exposure split at birthdays and time-in-care
 * boundaries (hand-computed), event counting, the reason map, the 18th
 * birthday, shrinkage, the starting population, the history, the placement
 * map, errors, the model written (it loads and carries the fitted rates), the
 * privacy guarantee on the shared samples, and speed.
 *
 * Most tests write a few children's episodes as annual returns (one folder
 * per year ending 31 March; each return holds the episodes open at some time
 * in its year, with DEC and REC blank when they fall after it, as real
 * returns do), read them and fit with base date 31 March 2022 and a 3-year
 * window (1 April 2019 to 31 March 2022). Day counts in the comments are
 * computed by hand.
 */
#include "carecast/csv.h"
#include "carecast/fit.h"
#include "carecast/model.h"
#include "cc_test.h"
#include "fit/fit_int.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HH "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
#define EH                                                                                      \
	"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_" \
	"POST,URN\n"
/* An episode row: CHILD, DECOM, RNE, LS, PLACE, PLACE_PROVIDER, DEC, REC. */
#define EP(c, decom, rne, ls, place, prov, dec, rec) \
	c "," decom "," rne "," ls ",N1," place "," prov "," dec "," rec ",,,,\n"
#define KID(c, dob) c ",1," dob ",WBRI,UN1,,\n"

enum { FOSTERING, KINSHIP, RESIDENTIAL, SECURE, SUPPORTED, WITH_PARENTS, ADOPTION, OTHER };
enum { UNDER1, A1_4, A5_9, A10_15, A16_17 };
enum { T_UNDER6M, T_6_24M, T_24M };

/* ---- helpers ------------------------------------------------------------------------- */

static cc_date ymd(int y, int m, int d)
{
	cc_date out;
	assert_int_equal(cc_date_from_ymd(y, m, d, &out), CC_OK);
	return out;
}

static void dump(const cc_diags *d)
{
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		char *s = cc_diag_format(cc_diags_get(d, i));
		fprintf(stderr, "  %s\n", s ? s : "?");
		free(s);
	}
}

/* A field of a CSV line (no quoting in these fixtures). */
static void field(const char *line, int k, char *out, size_t size)
{
	const char *p = line;
	for (int i = 0; i < k && p; i++) {
		p = strchr(p, ',');
		if (p)
			p++;
	}
	size_t n = 0;
	while (p && p[n] && p[n] != ',' && p[n] != '\n')
		n++;
	snprintf(out, size, "%.*s", (int)n, p ? p : "");
}

/* Writes annual returns for the years ending 31 March y0..y1 into dir. */
static void write_returns(const char *dir, int y0, int y1, const char *kids, const char *eps)
{
	for (int y = y0; y <= y1; y++) {
		char sub[256], path[300];
		snprintf(sub, sizeof sub, "%s/%d", dir, y);
		assert_int_equal(mkdir(sub, 0700), 0);
		snprintf(path, sizeof path, "%s/header.csv", sub);
		FILE *h = fopen(path, "w");
		assert_non_null(h);
		fputs(HH, h);
		fputs(kids, h);
		assert_int_equal(fclose(h), 0);
		snprintf(path, sizeof path, "%s/episodes.csv", sub);
		FILE *e = fopen(path, "w");
		assert_non_null(e);
		fputs(EH, e);
		cc_date from = ymd(y - 1, 4, 1), to = ymd(y, 3, 31);
		for (const char *line = eps; *line;) {
			const char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			char buf[512], f1[32], f7[32];
			snprintf(buf, sizeof buf, "%.*s", (int)len, line);
			field(buf, 1, f1, sizeof f1);
			field(buf, 7, f7, sizeof f7);
			cc_date decom, dec = INT32_MAX;
			assert_int_equal(cc_date_parse_dmy(f1, &decom), CC_OK);
			if (*f7)
				assert_int_equal(cc_date_parse_dmy(f7, &dec), CC_OK);
			if (decom <= to && (dec == INT32_MAX || dec >= from)) {
				if (dec != INT32_MAX && dec > to) {
					/* Still open at this return's 31 March. */
					char out[512], part[64];
					out[0] = '\0';
					for (int k = 0; k < 13; k++) {
						field(buf, k, part, sizeof part);
						if (k == 7 || k == 8)
							part[0] = '\0';
						strcat(out, part);
						strcat(out, k < 12 ? "," : "\n");
					}
					fputs(out, e);
				} else {
					fprintf(e, "%s\n", buf);
				}
			}
			line = nl ? nl + 1 : line + len;
		}
		assert_int_equal(fclose(e), 0);
	}
}

typedef struct {
	char dir[64];
	cc_diags *d;
	cc_ssda903 *ds;
	cc_fit *fit;
	int rc;
} run;

/* Reads returns 2020-2022 of the given children and fits them with base date
 * 31 March 2022 and window `years` (options o, or the defaults). */
static int fit_years(run *r, int y0, const char *kids, const char *eps, const cc_fit_opts *o)
{
	memset(r, 0, sizeof *r);
	snprintf(r->dir, sizeof r->dir, "/tmp/cc_test_fit.XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	r->d = cc_diags_alloc(2000);
	assert_non_null(r->d);
	write_returns(r->dir, y0, 2022, kids, eps);
	cc_ssda903_files *files = NULL;
	assert_int_equal(cc_ssda903_discover(r->dir, &files, r->d), CC_OK);
	cc_ssda903_opts ro = { .year_label = CC_SSDA903_YEAR_ENDING };
	int rc = cc_ssda903_read(cc_ssda903_files_inputs(files), cc_ssda903_files_count(files), &ro,
	                         &r->ds, NULL, r->d);
	cc_ssda903_files_free(files);
	if (rc != CC_OK)
		dump(r->d);
	assert_int_equal(rc, CC_OK);
	cc_fit_opts fo;
	if (o)
		fo = *o;
	else
		cc_fit_opts_default(&fo);
	if (!fo.base_date)
		fo.base_date = ymd(2022, 3, 31);
	r->rc = cc_fit_ssda903(r->ds, &fo, &r->fit, r->d);
	return r->rc;
}

static void fit_ok(run *r, const char *kids, const char *eps, const cc_fit_opts *o)
{
	if (fit_years(r, 2020, kids, eps, o) != CC_OK)
		dump(r->d);
	assert_int_equal(r->rc, CC_OK);
}

static void finish(run *r)
{
	cc_fit_free(r->fit);
	cc_ssda903_free(r->ds);
	cc_diags_free(r->d);
	cc_test_remove_tree(r->dir);
}

static double days(const cc_fit *f, size_t band, size_t cat, size_t tic)
{
	return cc_fit_exposure(f, band, cat, tic) * 365.25;
}

static double total_days(const cc_fit *f)
{
	double s = 0;
	for (size_t b = 0; b < CC_FIT_NAGE; b++)
		for (size_t c = 0; c < cc_fit_ncategories(f); c++)
			for (size_t t = 0; t < CC_FIT_NTIC; t++)
				s += days(f, b, c, t);
	return s;
}

static double exits_observed(const cc_fit *f, size_t reason, size_t band, size_t cat, size_t tic)
{
	return cc_fit_exit_rate(f, reason, band, cat, tic).events;
}

static double total_exits(const cc_fit *f)
{
	double s = 0;
	for (size_t r = 0; r < CC_FIT_NREASONS; r++)
		s += cc_fit_exit_rate_reason(f, r).events;
	return s;
}

static double total_moves(const cc_fit *f)
{
	double s = 0;
	for (size_t i = 0; i < cc_fit_ncategories(f); i++)
		s += cc_fit_move_rate_out(f, i).events;
	return s;
}

static double total_entries(const cc_fit *f)
{
	double s = 0;
	for (size_t b = 0; b < CC_FIT_NAGE; b++)
		s += cc_fit_entry_rate(f, b).events;
	return s;
}

/* ---- classifications ------------------------------------------------------------------ */

static void test_cc_fit_reason_of_every_code(void **state)
{
	(void)state;
	static const struct {
		unsigned rec;
		cc_fit_reason want;
		int unknown;
	} cases[] = {
		{ CC_REC_E11, CC_FIT_ADOPTION, 0 },   { CC_REC_E12, CC_FIT_ADOPTION, 0 },
		{ CC_REC_E43, CC_FIT_SGO, 0 },        { CC_REC_E44, CC_FIT_SGO, 0 },
		{ CC_REC_E45, CC_FIT_SGO, 0 },        { CC_REC_E46, CC_FIT_SGO, 0 },
		{ CC_REC_E47, CC_FIT_SGO, 0 },        { CC_REC_E48, CC_FIT_SGO, 0 },
		{ CC_REC_E41, CC_FIT_CAO, 0 },        { CC_REC_E4A, CC_FIT_HOME, 0 },
		{ CC_REC_E4B, CC_FIT_HOME, 0 },       { CC_REC_E13, CC_FIT_HOME, 0 },
		{ CC_REC_E5, CC_FIT_INDEPENDENT, 0 }, { CC_REC_E6, CC_FIT_INDEPENDENT, 0 },
		{ CC_REC_E3, CC_FIT_TRANSFER, 0 },    { CC_REC_E7, CC_FIT_TRANSFER, 0 },
		{ CC_REC_E9, CC_FIT_CUSTODY, 0 },     { CC_REC_E2, CC_FIT_OTHER, 0 },
		{ CC_REC_E8, CC_FIT_OTHER, 0 },       { CC_REC_E14, CC_FIT_OTHER, 0 },
		{ CC_REC_E15, CC_FIT_OTHER, 0 },      { CC_REC_E16, CC_FIT_OTHER, 0 },
		{ CC_REC_E17, CC_FIT_OTHER, 0 },      { CC_REC_X1, CC_FIT_OTHER, 1 },
		{ CC_REC_BLANK, CC_FIT_OTHER, 1 },    { CC_REC_INVALID, CC_FIT_OTHER, 1 },
	};
	size_t n = sizeof cases / sizeof cases[0];
	assert_int_equal(n, CC_REC_COUNT);
	for (size_t i = 0; i < n; i++) {
		int unknown = -1;
		assert_int_equal(cc_fit_reason_of(cases[i].rec, &unknown), cases[i].want);
		assert_int_equal(unknown, cases[i].unknown);
	}
	assert_int_equal(cc_fit_reason_of(CC_REC_E11, NULL), CC_FIT_ADOPTION);
	assert_string_equal(cc_fit_reason_name(CC_FIT_INDEPENDENT), "independent");
	assert_string_equal(cc_fit_reason_name(CC_FIT_AGE18), "age18");
	assert_string_equal(cc_fit_age_band_name(A10_15), "10-15");
	assert_string_equal(cc_fit_tic_band_name(T_24M), "24m+");
	assert_string_equal(cc_fit_age_band_name(99), "?");
}

static void test_cc_fit_map_default_every_place(void **state)
{
	(void)state;
	cc_fit_map *m = cc_fit_map_default();
	assert_non_null(m);
	assert_int_equal(cc_fit_map_ncategories(m), 8);
	static const char *const want[] = {
		"U1",  "kinship",     "U2",  "kinship",      "U3",  "kinship",
		"Q1",  "kinship",     "U4",  "fostering",    "U5",  "fostering",
		"U6",  "fostering",   "Q2",  "fostering",    "K2",  "residential",
		"R1",  "residential", "P3",  "residential",  "S1",  "residential",
		"K1",  "secure",      "H5",  "supported",    "K3",  "supported",
		"P2",  "supported",   "P1",  "with_parents", "A3",  "adoption",
		"A4",  "adoption",    "A5",  "adoption",     "A6",  "adoption",
		"R2",  "other",       "R3",  "other",        "R5",  "other",
		"Z1",  "other",       "Z11", "other",        "Z12", "other",
		"Z13", "other",       "Z14", "other",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i += 2) {
		unsigned p = cc_ssda903_code_parse(CC_SSDA903_PLACE, want[i]);
		int c = cc_fit_map_place(m, p);
		assert_true(c >= 0);
		assert_string_equal(cc_fit_map_category(m, (size_t)c), want[i + 1]);
	}
	for (unsigned p = CC_PLACE_T0; p <= CC_PLACE_T4; p++)
		assert_int_equal(cc_fit_map_place(m, p), -1);
	assert_string_equal(cc_fit_map_category(m, 99), "");
	cc_fit_map_free(m);
	cc_fit_map_free(NULL);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static size_t count_diag(const cc_diags *d, const char *text)
{
	size_t n = 0;
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		char *s = cc_diag_format(cc_diags_get(d, i));
		if (s && strstr(s, text))
			n++;
		free(s);
	}
	return n;
}

#define expect_diag(d, text)                                                 \
	do {                                                                 \
		if (count_diag((d), (text)) < 1) {                           \
			dump(d);                                             \
			fail_msg("expected a diagnostic with \"%s\"", text); \
		}                                                            \
	} while (0)

static void test_cc_fit_map_load(void **state)
{
	(void)state;
	char dir[64] = "/tmp/cc_test_fitmap.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/map.json", dir);
	cc_diags *d = cc_diags_alloc(0);
	cc_fit_map *m = NULL;

	/* Two categories named in order of appearance, the rest "other". */
	write_text(path,
	           "{\"place\": {\"U4\": \"family\", \"u1\": \"family\", \"K2\": \"group\"},\n"
	           " \"note\": \"a test\"}");
	assert_int_equal(cc_fit_map_load(path, &m, d), CC_OK);
	assert_int_equal(cc_fit_map_ncategories(m), 3);
	assert_string_equal(cc_fit_map_category(m, 0), "family");
	assert_string_equal(cc_fit_map_category(m, 1), "group");
	assert_string_equal(cc_fit_map_category(m, 2), "other");
	assert_int_equal(cc_fit_map_place(m, CC_PLACE_U1), 0);
	assert_int_equal(cc_fit_map_place(m, CC_PLACE_K2), 1);
	assert_int_equal(cc_fit_map_place(m, CC_PLACE_A3), 2);
	assert_int_equal(cc_fit_map_place(m, CC_PLACE_T2), -1);
	cc_fit_map_free(m);

	/* A fixed category order and a default. */
	write_text(path, "{\"categories\": [\"b\", \"a\"], \"place\": {\"K2\": \"a\"}, "
	                 "\"default\": \"b\"}");
	assert_int_equal(cc_fit_map_load(path, &m, d), CC_OK);
	assert_int_equal(cc_fit_map_ncategories(m), 2);
	assert_int_equal(cc_fit_map_place(m, CC_PLACE_K2), 1);
	assert_int_equal(cc_fit_map_place(m, CC_PLACE_U4), 0);
	cc_fit_map_free(m);
	assert_int_equal(cc_diags_count(d), 0);

	/* Errors, each with its position. */
	write_text(path, "{\"categories\": [\"a\", \"a\"],\n \"place\": {\"T1\": \"a\", \"XX\": "
	                 "\"a\", \"K2\": \"zz\", \"U4\": \"bad name!\"},\n \"colour\": 1}");
	assert_int_equal(cc_fit_map_load(path, &m, d), CC_EPARSE);
	assert_null(m);
	expect_diag(d, "map.json:1:22: category \"a\" is listed twice");
	expect_diag(d, "map.json:2:12: expected a PLACE code other than T0-T4, found \"T1\"");
	expect_diag(d, "expected a PLACE code (A3-A6");
	expect_diag(d, "expected one of the categories listed in \"categories\"");
	expect_diag(d, "expected a category name of 1 to 32 characters");
	expect_diag(d, "map.json:3:2: unknown key \"colour\"");
	expect_diag(d, "missing \"default\"");
	assert_int_equal(cc_fit_map_load("/nonexistent/map.json", &m, d), CC_EIO);
	write_text(path, "[1]");
	assert_int_equal(cc_fit_map_load(path, &m, d), CC_EPARSE);
	expect_diag(d, "expected a JSON object (a placement map");
	cc_diags_free(d);
	cc_test_remove_tree(dir);
}

static void test_fit_calendar(void **state)
{
	(void)state;
	/* Anniversaries that do not exist fall on the 1st of the next month. */
	assert_int_equal(fit_add_months(ymd(2019, 1, 31), 1), ymd(2019, 3, 1));
	assert_int_equal(fit_add_months(ymd(2020, 1, 31), 1), ymd(2020, 3, 1));
	assert_int_equal(fit_add_months(ymd(2019, 8, 31), 6), ymd(2020, 3, 2) - 1);
	assert_int_equal(fit_add_months(ymd(2019, 5, 15), 24), ymd(2021, 5, 15));
	assert_int_equal(fit_completed_months(ymd(2019, 1, 31), ymd(2019, 2, 28)), 0);
	assert_int_equal(fit_completed_months(ymd(2019, 1, 31), ymd(2019, 3, 1)), 1);
	assert_int_equal(fit_completed_months(ymd(2010, 1, 15), ymd(2022, 3, 31)), 146);
	assert_int_equal(fit_completed_months(ymd(2008, 2, 29), ymd(2009, 2, 28)), 11);
	assert_int_equal(fit_completed_months(ymd(2008, 2, 29), ymd(2009, 3, 1)), 12);
	/* completed_months(a, add_months(a, n)) == n, and one day earlier n - 1,
	 * over every day of four years and several n. */
	for (cc_date a = ymd(2019, 1, 1); a < ymd(2023, 1, 1); a++)
		for (int n = 1; n <= 30; n += 7) {
			cc_date b = fit_add_months(a, n);
			assert_int_equal(fit_completed_months(a, b), n);
			assert_int_equal(fit_completed_months(a, b - 1), n - 1);
		}
	/* Age bands from months agree with birthdays. */
	assert_int_equal(fit_age_band_of_months(0), UNDER1);
	assert_int_equal(fit_age_band_of_months(11), UNDER1);
	assert_int_equal(fit_age_band_of_months(12), A1_4);
	assert_int_equal(fit_age_band_of_months(119), A5_9);
	assert_int_equal(fit_age_band_of_months(120), A10_15);
	assert_int_equal(fit_age_band_of_months(215), A16_17);
}

/* ---- exposure ---------------------------------------------------------------------------- */

static void test_fit_exposure_split_at_birthdays_and_bands(void **state)
{
	(void)state;
	run r;
	/* Born 15 July 2010, in foster care from 1 April 2019 (the window's
	 * first day) and still at the base date. Bands change as the engine
	 * applies them, on the first day of the month after the birthday or
	 * anniversary: 10th birthday 15 July 2020, so 10-15 from 1 August 2020;
	 * 6 months in care on 1 October 2019, so 6-24 months from 1 November
	 * 2019; 24 months on 1 April 2021, so 24+ from 1 May 2021. */
	fit_ok(&r, KID("A1", "15/07/2010"), EP("A1", "01/04/2019", "S", "C2", "U4", "PR1", "", ""),
	       NULL);
	assert_near(days(r.fit, A5_9, FOSTERING, T_UNDER6M), 214, 1e-9); /* 1 Apr - 1 Nov 2019 */
	assert_near(days(r.fit, A5_9, FOSTERING, T_6_24M), 274, 1e-9);   /* - 1 Aug 2020 */
	assert_near(days(r.fit, A10_15, FOSTERING, T_6_24M), 273, 1e-9); /* - 1 May 2021 */
	assert_near(days(r.fit, A10_15, FOSTERING, T_24M), 335, 1e-9);   /* - 1 Apr 2022 */
	assert_near(total_days(r.fit), 1096, 1e-9);
	const cc_fit_counts *n = cc_fit_get_counts(r.fit);
	assert_near(n->entries, 1, 0);
	assert_near(n->exposure_years, 1096 / 365.25, 1e-9);
	assert_int_equal(n->window_start, ymd(2019, 4, 1));
	assert_int_equal(n->window_end, ymd(2022, 3, 31));
	assert_near(cc_fit_entries(r.fit, A5_9, FOSTERING), 1, 0);
	/* Age at entry in completed months at the end of the month of entry,
	 * as the engine draws it: 8 years 9 months on 30 April 2019. */
	assert_near(cc_fit_entries_at_age(r.fit, 8 * 12 + 9), 1, 0);
	finish(&r);

	/* Born 29 February 2004: 16th birthday 29 February 2020 (16-17 from 1
	 * March 2020), 18th on 1 March 2022 (no 29 February that year). In a
	 * children's home from 1 June 2019, still there after 18: exposure stops
	 * at the 18th birthday, which is an age18 exit and no rate; 6 months in
	 * care 1 December 2019 (6-24 months from 1 January 2020), 24 months 1
	 * June 2021 (24+ from 1 July 2021). */
	fit_ok(&r, KID("B1", "29/02/2004"), EP("B1", "01/06/2019", "S", "V2", "K2", "PR4", "", ""),
	       NULL);
	assert_near(days(r.fit, A10_15, RESIDENTIAL, T_UNDER6M), 214, 1e-9); /* - 1 Jan 2020 */
	assert_near(days(r.fit, A10_15, RESIDENTIAL, T_6_24M), 60, 1e-9);    /* - 1 Mar 2020 */
	assert_near(days(r.fit, A16_17, RESIDENTIAL, T_6_24M), 487, 1e-9);   /* - 1 Jul 2021 */
	assert_near(days(r.fit, A16_17, RESIDENTIAL, T_24M), 243, 1e-9);     /* - 1 Mar 2022 */
	assert_near(total_days(r.fit), 214 + 60 + 487 + 243, 1e-9);
	n = cc_fit_get_counts(r.fit);
	assert_near(n->exits[CC_FIT_AGE18], 1, 0);
	assert_near(total_exits(r.fit), 0, 0);
	assert_near(n->stock_base, 0, 0); /* 18 at the base date */
	assert_int_equal(cc_fit_nstart(r.fit), 0);
	finish(&r);
}

static void test_fit_exposure_window_edges_and_periods(void **state)
{
	(void)state;
	run r;
	/* C1: in care before the window (a period begun in the first return's
	 * year... before it: flagged, time in care counted from its DECOM), out
	 * on the window's first day: no exposure, one exit in the window.
	 * C2: enters on the base date: an entry, one day of exposure, in the
	 * starting population. C3: leaves on the base date: in the window, not
	 * in the stock. C4: episodes X1-chained into one period. */
	const char *kids = KID("C1", "01/01/2010") KID("C2", "01/01/2010") KID("C3", "01/01/2010")
	    KID("C4", "01/01/2010");
	const char *eps = EP("C1", "01/02/2019", "S", "C2", "U4", "PR1", "01/04/2019", "E4A")
	    EP("C2", "31/03/2022", "S", "C2", "U4", "PR1", "", "")
	        EP("C3", "01/03/2022", "S", "C2", "U4", "PR1", "31/03/2022", "E4B")
	            EP("C4", "01/05/2019", "S", "C2", "U4", "PR1", "01/06/2019", "X1")
	                EP("C4", "01/06/2019", "L", "C1", "U4", "PR1", "01/07/2019", "X1")
	                    EP("C4", "01/07/2019", "P", "C1", "U5", "PR4", "01/08/2019", "E13");
	fit_ok(&r, kids, eps, NULL);
	const cc_fit_counts *n = cc_fit_get_counts(r.fit);
	assert_near(n->entries, 3, 0); /* C2, C3, C4 once */
	assert_near(n->exits[CC_FIT_HOME], 3, 0);
	assert_near(n->moves, 0, 0); /* U4 -> U5 stays in fostering */
	assert_int_equal(n->periods, 4);
	/* 1 (C2) + 30 (C3: 1 - 31 March) + 92 (C4: 1 May - 1 August). */
	assert_near(total_days(r.fit), 1 + 30 + 92, 1e-9);
	assert_near(n->stock_base, 1, 0);
	assert_near(n->stock_window_start, 1, 0); /* C1 on 31 March 2019 */
	/* The exit on the window's first day is in the cell of the day before
	 * (C1, 9 years old, 2 months in care), with C4's; C3 is 12. */
	assert_near(exits_observed(r.fit, CC_FIT_HOME, A5_9, FOSTERING, T_UNDER6M), 2, 0);
	assert_near(exits_observed(r.fit, CC_FIT_HOME, A10_15, FOSTERING, T_UNDER6M), 1, 0);
	finish(&r);
}

/* ---- periods, temporary placements, short breaks ------------------------------------------ */

static void test_fit_temporary_placements(void **state)
{
	(void)state;
	run r;
	/* D1: fostering, a temporary stay in hospital (T1), back to the same
	 * carer, a legal status change, then a children's home (a move) and
	 * home. D2: a period starting with a temporary placement, then kinship.
	 * D3: only a temporary placement (category "other"). */
	const char *kids = KID("D1", "01/01/2012") KID("D2", "01/01/2015") KID("D3", "01/01/2015");
	const char *eps = EP("D1", "01/05/2019", "S", "C2", "U4", "PR1", "01/08/2019", "X1")
	    EP("D1", "01/08/2019", "P", "C2", "T1", "", "10/08/2019", "X1")
	        EP("D1", "10/08/2019", "P", "C2", "U4", "PR1", "01/02/2020", "X1")
	            EP("D1", "01/02/2020", "L", "C1", "U4", "PR1", "01/03/2021", "X1")
	                EP("D1", "01/03/2021", "P", "C1", "K2", "PR4", "01/09/2021", "E4A")
	                    EP("D2", "01/06/2019", "S", "V2", "T0", "", "05/06/2019", "X1")
	                        EP("D2", "05/06/2019", "P", "V2", "U1", "PR1", "", "")
	                            EP("D3", "01/07/2019", "S", "V2", "T4", "", "06/07/2019", "E8");
	fit_ok(&r, kids, eps, NULL);
	const cc_fit_counts *n = cc_fit_get_counts(r.fit);
	assert_int_equal(n->temporary_episodes, 3);
	assert_int_equal(n->temporary_starts, 1);
	assert_int_equal(n->temporary_only, 1);
	assert_near(n->moves, 1, 0);
	/* D1: fostering 1 May 2019 - 1 March 2021 (670 days, the hospital stay
	 * included), residential to 1 September 2021 (184 days). Age 7 at
	 * entry, 9 throughout. */
	double fost = days(r.fit, A5_9, FOSTERING, T_UNDER6M) +
	              days(r.fit, A5_9, FOSTERING, T_6_24M) + days(r.fit, A5_9, FOSTERING, T_24M);
	assert_near(fost, 670, 1e-9);
	/* 24 months in care on 1 May 2021: 24+ from 1 June. */
	assert_near(days(r.fit, A5_9, RESIDENTIAL, T_6_24M), 92, 1e-9); /* 1 Mar - 1 Jun 2021 */
	assert_near(days(r.fit, A5_9, RESIDENTIAL, T_24M), 92, 1e-9);   /* 1 Jun - 1 Sep 2021 */
	assert_near(cc_fit_move_rate(r.fit, FOSTERING, RESIDENTIAL, A5_9).events, 1, 0);
	assert_near(exits_observed(r.fit, CC_FIT_HOME, A5_9, RESIDENTIAL, T_24M), 1, 0);
	/* D2 entered in kinship (its first other placement); D3 in other. */
	assert_near(cc_fit_entries(r.fit, A1_4, KINSHIP), 1, 0);
	assert_near(cc_fit_entries(r.fit, A1_4, OTHER), 1, 0);
	assert_near(exits_observed(r.fit, CC_FIT_OTHER, A1_4, OTHER, T_UNDER6M), 1, 0);
	assert_near(days(r.fit, A1_4, OTHER, T_UNDER6M), 5, 1e-9);
	/* D2 at the base date: 33 months in care and in placement (the
	 * temporary stay began it), kinship, in-house. */
	assert_int_equal(cc_fit_nstart(r.fit), 1);
	const cc_start_group *g = cc_fit_start(r.fit, 0);
	assert_int_equal(g->category, KINSHIP);
	assert_int_equal(g->provider, CC_IN_HOUSE);
	assert_int_equal(g->months_in_care, 33);
	assert_int_equal(g->months_in_placement, 33);
	assert_int_equal(g->placements_12m, 0);
	assert_int_equal(g->age_months, 7 * 12 + 2);
	finish(&r);
}

static void test_fit_short_breaks_left_out(void **state)
{
	(void)state;
	run r;
	/* G1: a period made only of a short break (V3): left out. H1: a short
	 * break, then looked after (C2) from 10 May 2019: the entry is then.
	 * I1: in foster care, on a short break (V3) at the base date: in the
	 * flows (no exit), not in the stock. */
	const char *kids = KID("G1", "01/01/2012") KID("H1", "01/01/2012") KID("I1", "01/01/2012");
	const char *eps = EP("G1", "01/05/2019", "S", "V3", "U4", "PR1", "03/05/2019", "E8")
	    EP("H1", "01/05/2019", "S", "V3", "U4", "PR1", "10/05/2019", "X1")
	        EP("H1", "10/05/2019", "L", "C2", "U4", "PR1", "10/06/2019", "E4A")
	            EP("I1", "01/05/2019", "S", "C2", "U4", "PR1", "01/03/2022", "X1")
	                EP("I1", "01/03/2022", "L", "V3", "U4", "PR1", "", "");
	fit_ok(&r, kids, eps, NULL);
	const cc_fit_counts *n = cc_fit_get_counts(r.fit);
	assert_int_equal(n->respite_periods, 1);
	assert_int_equal(n->respite_bridged, 1);
	assert_near(n->entries, 2, 0);
	assert_near(total_exits(r.fit), 1, 0);
	/* H1: 31 days from 10 May; I1: 1 May 2019 - 1 April 2022 = 1066. */
	assert_near(total_days(r.fit), 31 + 1066, 1e-9);
	assert_near(n->stock_base, 0, 0);
	assert_int_equal(cc_fit_nstart(r.fit), 0);
	/* The history counts I1 on 31 March 2020 and 2021, not 2022. */
	assert_int_equal(cc_fit_nhistory(r.fit), 4);
	assert_near(cc_fit_history(r.fit, 1)->cla_total, 1, 0);
	assert_near(cc_fit_history(r.fit, 3)->cla_total, 0, 0);
	finish(&r);
}

/* ---- events --------------------------------------------------------------------------------- */

static void test_fit_events_reasons_and_age18(void **state)
{
	(void)state;
	run r;
	/* J1: adopted (E12) from an adoption placement, after a move from
	 * fostering at age 2. J2: SGO (E45) at 4, the day before the 5th
	 * birthday: in band 1-4. J3: exit with REC X1 and no next episode:
	 * "other", reason not recorded. J4: E17 at 15 (invalid): other.
	 * J5: leaves after the 18th birthday with E4A: age18 at the birthday.
	 * J6: leaves on the 18th birthday with E17: age18. J7: a move to
	 * supported on the 18th birthday: the reader leaves that episode out
	 * (DfE rule 352), so the period ends on the birthday: age18. */
	const char *kids = KID("J1", "01/01/2017") KID("J2", "02/09/2014") KID("J3", "01/01/2012")
	    KID("J4", "01/01/2005") KID("J5", "01/01/2003") KID("J6", "01/07/2002")
	        KID("J7", "01/08/2003");
	const char *eps = EP("J1", "01/05/2019", "S", "C2", "U4", "PR1", "01/10/2019", "X1")
	    EP("J1", "01/10/2019", "P", "E1", "A5", "PR1", "01/06/2020",
	       "E12") EP("J2", "01/05/2019", "S", "C2", "U1", "PR1", "01/09/2019",
	                 "E45") EP("J3", "01/05/2019", "S", "C2", "U4", "PR1", "01/06/2019", "X1")
	        EP("J4", "01/05/2019", "S", "C2", "U4", "PR1", "01/06/2020", "E17")
	            EP("J5", "01/05/2019", "S", "C2", "K2", "PR4", "01/03/2021", "E4A")
	                EP("J6", "01/05/2019", "S", "C2", "H5", "PR4", "01/07/2020", "E17")
	                    EP("J7", "01/05/2019", "S", "C2", "U4", "PR1", "01/08/2021", "X1")
	                        EP("J7", "01/08/2021", "P", "C2", "H5", "PR4", "01/09/2021", "E17");
	fit_ok(&r, kids, eps, NULL);
	const cc_fit_counts *n = cc_fit_get_counts(r.fit);
	assert_near(cc_fit_move_rate(r.fit, FOSTERING, ADOPTION, A1_4).events, 1, 0);
	assert_near(n->moves, 1, 0);
	assert_near(n->moves_after_18, 0, 0);
	assert_near(exits_observed(r.fit, CC_FIT_ADOPTION, A1_4, ADOPTION, T_6_24M), 1, 0);
	assert_near(exits_observed(r.fit, CC_FIT_SGO, A1_4, KINSHIP, T_UNDER6M), 1, 0);
	assert_near(exits_observed(r.fit, CC_FIT_OTHER, A5_9, FOSTERING, T_UNDER6M), 1, 0);
	assert_near(exits_observed(r.fit, CC_FIT_OTHER, A10_15, FOSTERING, T_6_24M), 1, 0);
	assert_near(n->exits_unknown_reason, 1, 0);
	assert_near(n->exits_e17_under18, 1, 0);
	assert_near(n->exits[CC_FIT_AGE18], 3, 0);
	assert_near(n->exits[CC_FIT_HOME], 0, 0);
	assert_near(total_exits(r.fit), 4, 0);
	/* J5's exposure stops at 18: 1 May 2019 - 1 January 2021. */
	double j5 = 0;
	for (size_t t = 0; t < CC_FIT_NTIC; t++)
		j5 += days(r.fit, A16_17, RESIDENTIAL, t);
	assert_near(j5, 611, 1e-9);
	/* Every exit cell's events add up to the reason totals. */
	for (size_t rs = 0; rs < CC_FIT_NREASONS; rs++) {
		double s = 0;
		for (size_t b = 0; b < CC_FIT_NAGE; b++)
			for (size_t c = 0; c < cc_fit_ncategories(r.fit); c++)
				for (size_t t = 0; t < CC_FIT_NTIC; t++)
					s += exits_observed(r.fit, rs, b, c, t);
		assert_near(s, n->exits[rs], 0);
	}
	finish(&r);
}

static void test_fit_lost_episode_censored(void **state)
{
	(void)state;
	run r;
	/* L1: open at the end of the 2020 return, absent from later ones:
	 * exposure stops after 31 March 2020, no exit, not in the stock. */
	memset(&r, 0, sizeof r);
	snprintf(r.dir, sizeof r.dir, "/tmp/cc_test_fit.XXXXXX");
	assert_non_null(mkdtemp(r.dir));
	r.d = cc_diags_alloc(2000);
	write_returns(r.dir, 2020, 2020, KID("L1", "01/01/2012"),
	              EP("L1", "01/10/2019", "S", "C2", "U4", "PR1", "", ""));
	write_returns(r.dir, 2021, 2022, KID("L2", "01/01/2012"),
	              EP("L2", "01/10/2020", "S", "C2", "U4", "PR1", "", ""));
	cc_ssda903_files *files = NULL;
	assert_int_equal(cc_ssda903_discover(r.dir, &files, r.d), CC_OK);
	cc_ssda903_opts ro = { .year_label = CC_SSDA903_YEAR_ENDING };
	assert_int_equal(cc_ssda903_read(cc_ssda903_files_inputs(files),
	                                 cc_ssda903_files_count(files), &ro, &r.ds, NULL, r.d),
	                 CC_OK);
	cc_ssda903_files_free(files);
	cc_fit_opts o;
	cc_fit_opts_default(&o);
	o.base_date = ymd(2022, 3, 31);
	assert_int_equal(cc_fit_ssda903(r.ds, &o, &r.fit, r.d), CC_OK);
	const cc_fit_counts *n = cc_fit_get_counts(r.fit);
	assert_int_equal(n->lost, 1);
	/* L1: 1 October 2019 - 1 April 2020 (183); L2: 1 October 2020 - 1 April
	 * 2022 (547). */
	assert_near(total_days(r.fit), 183 + 547, 1e-9);
	assert_near(n->stock_base, 1, 0);
	assert_near(cc_fit_history(r.fit, 1)->cla_total, 1, 0); /* 2020: L1 */
	assert_near(cc_fit_history(r.fit, 2)->cla_total, 1, 0); /* 2021: L2 */
	finish(&r);
}

/* ---- shrinkage --------------------------------------------------------------------------- */

static void test_fit_shrink_formula(void **state)
{
	(void)state;
	/* rate = (e + alpha) / (E + alpha / mu). */
	cc_fit_rate r = fit_shrink(0, 10, 0.5, 2);
	assert_near(r.rate_per_year, 2.0 / (10 + 4), 1e-15);
	assert_near(r.weight, 10.0 / 14, 1e-15);
	assert_near(r.eff_events, 2, 1e-15);
	assert_near(r.eff_exposure_years, 14, 1e-15);
	assert_true(r.rate_per_year > 0 && r.rate_per_year < 0.5);
	/* A well-observed cell barely moves. */
	r = fit_shrink(400, 1000, 0.2, 2);
	assert_near(r.rate_per_year, 402.0 / 1010, 1e-15);
	assert_true(fabs(r.rate_per_year - 0.4) / 0.4 < 0.01);
	/* No exposure: the pooled rate. No pooled rate: the observed one. */
	assert_near(fit_shrink(0, 0, 0.3, 1).rate_per_year, 0.3, 1e-15);
	assert_near(fit_shrink(3, 6, 0, 1).rate_per_year, 0.5, 1e-15);
	assert_near(fit_shrink(3, 6, 0, 1).weight, 1, 0);
	/* The moment estimate of alpha: homogeneous data -> the most pooling;
	 * overdispersed data -> little; no data -> the neutral value. */
	double e1[] = { 10, 10, 10, 10 }, x1[] = { 10, 10, 10, 10 };
	assert_near(fit_alpha_estimate(e1, x1, 4), FIT_ALPHA_MAX, 0);
	double e2[] = { 0, 40, 0, 40 }, x2[] = { 20, 20, 20, 20 };
	/* sum((e - x)^2 / x) = 4 * 400 / 20 = 80; 1 / alpha = (80 - 4) / 80. */
	assert_near(fit_alpha_estimate(e2, x2, 4), 80.0 / 76, 1e-12);
	/* Clayton-Kaldor weights: a small cell far from its expectation counts
	 * (7 events where 0.64 were expected). chi2 = 6.36^2 / 0.64 + 6.36^2 /
	 * 36.36; 1 / alpha = (chi2 - 2) / 37. */
	double e4[] = { 7, 30 }, x4[] = { 0.64, 36.36 };
	double chi2 = 6.36 * 6.36 / 0.64 + 6.36 * 6.36 / 36.36;
	assert_near(fit_alpha_estimate(e4, x4, 2), 37 / (chi2 - 2), 1e-12);
	double e3[] = { 0, 400, 0, 0 }, x3[] = { 100, 100, 100, 100 };
	assert_near(fit_alpha_estimate(e3, x3, 4), FIT_ALPHA_MIN, 0);
	assert_near(fit_alpha_estimate(e3, x3, 0), FIT_ALPHA_NONE, 0);
}

/* Many children in foster care aged 10-15 with 40 returning home within a
 * year each year, and a few in a children's home, none leaving: the
 * residential "home" cells get positive rates below the pooled rate; the
 * fostering cells barely move. */
static void test_fit_shrinkage_sparse_and_rich_cells(void **state)
{
	(void)state;
	char *kids = calloc(400, 64), *eps = calloc(400, 128);
	assert_non_null(kids);
	assert_non_null(eps);
	for (int i = 0; i < 300; i++) {
		char k[64], e[128];
		snprintf(k, sizeof k, "F%03d,1,01/01/2008,WBRI,UN1,,\n", i);
		strcat(kids, k);
		/* 120 leave home after 2 months, the others stay. */
		int y = 2019 + i % 3;
		if (i < 120)
			snprintf(e, sizeof e, "F%03d,01/05/%d,S,C2,N1,U4,PR1,01/07/%d,E4A,,,,\n", i,
			         y, y);
		else
			snprintf(e, sizeof e, "F%03d,01/05/2019,S,C2,N1,U4,PR1,,,,,,\n", i);
		strcat(eps, e);
	}
	for (int i = 0; i < 3; i++) {
		char k[64], e[128];
		snprintf(k, sizeof k, "R%03d,1,01/01/2008,WBRI,UN1,,\n", i);
		strcat(kids, k);
		snprintf(e, sizeof e, "R%03d,01/05/2021,S,C2,N1,K2,PR4,,,,,,\n", i);
		strcat(eps, e);
	}
	for (int fixed = 0; fixed < 2; fixed++) {
		run r;
		cc_fit_opts o;
		cc_fit_opts_default(&o);
		o.prior_events = fixed ? 2 : 0;
		fit_ok(&r, kids, eps, &o);
		cc_fit_rate fost =
		    cc_fit_exit_rate(r.fit, CC_FIT_HOME, A10_15, FOSTERING, T_UNDER6M);
		cc_fit_rate res =
		    cc_fit_exit_rate(r.fit, CC_FIT_HOME, A10_15, RESIDENTIAL, T_UNDER6M);
		cc_fit_rate res_cat = cc_fit_exit_rate_category(r.fit, CC_FIT_HOME, RESIDENTIAL);
		assert_near(fost.events, 120, 0);
		assert_near(res.events, 0, 0);
		assert_true(res.exposure_years > 0);
		assert_true(res.rate_per_year > 0 && isfinite(res.rate_per_year));
		assert_true(res.rate_per_year < res.pooled_rate);
		assert_true(res_cat.rate_per_year > 0);
		/* Within a quarter of its standard error (the data say the time
		 * in care matters, so little pooling), or one standard error with
		 * a fixed prior of 2 pseudo-events (the cell's rate is 4.5 times
		 * its parent's). */
		double observed = fost.events / fost.exposure_years;
		double se = sqrt(fost.events) / fost.exposure_years;
		if (fabs(fost.rate_per_year - observed) > (fixed ? 1.0 : 0.25) * se)
			fail_msg("fostering cell moved from %g to %g (standard error %g)", observed,
			         fost.rate_per_year, se);
		/* The prior carries no more than the evidence behind the pooled
		 * rate: pseudo-events at most the parent's effective events. */
		cc_fit_rate band = cc_fit_exit_rate_band(r.fit, CC_FIT_HOME, RESIDENTIAL, A10_15);
		assert_true(res.eff_events - res.events <= band.eff_events + 1e-12);
		assert_near(res.pooled_rate, band.rate_per_year, 1e-15);
		/* The evidence written gives the rate exactly. */
		assert_near(res.eff_events / res.eff_exposure_years, res.rate_per_year, 1e-12);
		assert_near(fost.eff_events / fost.eff_exposure_years, fost.rate_per_year, 1e-12);
		if (fixed)
			assert_near(cc_fit_prior_exit(r.fit, CC_FIT_HOME, 2), 2, 0);
		else
			assert_true(cc_fit_prior_exit(r.fit, CC_FIT_HOME, 0) >= FIT_ALPHA_MIN &&
			            cc_fit_prior_exit(r.fit, CC_FIT_HOME, 0) <= FIT_ALPHA_MAX);
		/* No moves in the data: no move rates, none written. */
		assert_near(cc_fit_move_rate(r.fit, FOSTERING, RESIDENTIAL, A10_15).rate_per_year,
		            0, 0);
		/* Entries per year: 120 + 180 in 2019, 3 in 2021. */
		assert_near(cc_fit_entry_rate(r.fit, A10_15).events, 303, 0);
		assert_near(cc_fit_entry_rate(r.fit, A10_15).rate_per_year, 101, 1e-12);
		finish(&r);
	}
	free(kids);
	free(eps);
}

/* ---- starting population and history --------------------------------------------------- */

static void test_fit_starting_population_and_history(void **state)
{
	(void)state;
	run r;
	/* K1, K2: identical: one row of 2. K3: external residential with two
	 * placements in the last year. K4: aged 18 at the base date: out. */
	const char *kids = KID("K1", "15/06/2012") KID("K2", "15/06/2012") KID("K3", "10/10/2009")
	    KID("K4", "01/03/2004");
	const char *eps = EP("K1", "20/01/2020", "S", "C2", "U4", "PR1", "", "")
	    EP("K2", "20/01/2020", "S", "C2", "U4", "PR1", "", "")
	        EP("K3", "01/01/2018", "S", "C2", "U4", "PR1", "01/06/2021", "X1")
	            EP("K3", "01/06/2021", "P", "C2", "K2", "PR4", "15/12/2021", "X1")
	                EP("K3", "15/12/2021", "P", "C2", "K2", "PR5", "", "")
	                    EP("K4", "01/01/2019", "S", "C2", "U4", "PR1", "", "");
	fit_ok(&r, kids, eps, NULL);
	assert_int_equal(cc_fit_nstart(r.fit), 2);
	const cc_start_group *a = cc_fit_start(r.fit, 0), *b = cc_fit_start(r.fit, 1);
	assert_non_null(a);
	assert_null(cc_fit_start(r.fit, 2));
	/* Sorted by category: fostering first. */
	assert_int_equal(a->category, FOSTERING);
	assert_int_equal(a->count, 2);
	assert_int_equal(a->age_months, 9 * 12 + 9);
	assert_int_equal(a->months_in_care, 26);
	assert_int_equal(a->months_in_placement, 26);
	assert_int_equal(a->placements_12m, 0);
	assert_int_equal(a->provider, CC_IN_HOUSE);
	assert_int_equal(b->category, RESIDENTIAL);
	assert_int_equal(b->count, 1);
	assert_int_equal(b->provider, CC_EXTERNAL);
	assert_int_equal(b->age_months, 12 * 12 + 5);
	assert_int_equal(b->months_in_care, 50);
	assert_int_equal(b->months_in_placement, 3);
	assert_int_equal(b->placements_12m, 2);
	const cc_fit_counts *n = cc_fit_get_counts(r.fit);
	assert_near(n->stock_base, 3, 0);
	assert_int_equal(n->start_rows, 2);
	/* History: 31 March 2019 .. 2022. */
	assert_int_equal(cc_fit_nhistory(r.fit), 4);
	const double total[] = { 2, 4, 4, 3 };
	for (size_t i = 0; i < 4; i++) {
		const cc_history_point *h = cc_fit_history(r.fit, i);
		assert_int_equal(h->date, ymd(2019 + (int)i, 3, 31));
		assert_near(h->cla_total, total[i], 0);
	}
	assert_near(cc_fit_history(r.fit, 3)->by_category[FOSTERING], 2, 0);
	assert_near(cc_fit_history(r.fit, 3)->by_category[RESIDENTIAL], 1, 0);
	assert_near(cc_fit_history(r.fit, 3)->by_category[KINSHIP], 0, 0);
	assert_true(isnan(cc_fit_history(r.fit, 3)->by_category[8]));
	assert_null(cc_fit_history(r.fit, 4));
	/* In-house shares from the placements started in the window (plus a
	 * half on each side): K1, K2 in-house fostering; K3's two external
	 * residential placements (the second a change of provider within the
	 * category, which starts no category spell). */
	double in, known;
	assert_near(cc_fit_in_house_share(r.fit, FOSTERING, &in, &known), 2.5 / 3, 1e-12);
	assert_near(known, 2, 0);
	assert_near(cc_fit_in_house_share(r.fit, RESIDENTIAL, &in, &known), 0.5 / 2, 1e-12);
	assert_near(cc_fit_in_house_share(r.fit, SECURE, NULL, NULL), 1, 0);
	finish(&r);
}

/* A base date that is not a 31 March: the history ends with it. */
static void test_fit_base_date_not_march(void **state)
{
	(void)state;
	run r;
	cc_fit_opts o;
	cc_fit_opts_default(&o);
	o.base_date = ymd(2021, 9, 30);
	o.window_years = 2;
	fit_ok(&r, KID("M1", "01/01/2012"), EP("M1", "01/05/2019", "S", "C2", "U4", "PR1", "", ""),
	       &o);
	assert_int_equal(cc_fit_get_counts(r.fit)->window_start, ymd(2019, 10, 1));
	size_t nh = cc_fit_nhistory(r.fit);
	assert_int_equal(nh, 4);
	assert_int_equal(cc_fit_history(r.fit, nh - 1)->date, ymd(2021, 9, 30));
	assert_int_equal(cc_fit_history(r.fit, nh - 2)->date, ymd(2021, 3, 31));
	/* 1 October 2019 - 1 October 2021. */
	assert_near(total_days(r.fit), 731, 1e-9);
	finish(&r);
}

/* ---- the model written ------------------------------------------------------------------- */

static void test_fit_model_loads_with_fitted_rates(void **state)
{
	(void)state;
	run r;
	char *kids = calloc(200, 64), *eps = calloc(200, 256);
	assert_non_null(kids);
	assert_non_null(eps);
	for (int i = 0; i < 60; i++) {
		char k[64], e[256];
		snprintf(k, sizeof k, "N%03d,2,%02d/03/%d,WBRI,UN1,,\n", i, 1 + i % 28,
		         2004 + i % 15);
		strcat(kids, k);
		int y = 2019 + i % 3;
		if (i % 4 == 0)
			snprintf(e, sizeof e,
			         "N%03d,01/06/%d,S,C2,N1,U4,PR1,01/09/%d,X1,,,,\n"
			         "N%03d,01/09/%d,P,C2,N1,K2,PR4,01/12/%d,E4A,,,,\n",
			         i, y, y, i, y, y);
		else if (i % 4 == 1)
			snprintf(e, sizeof e, "N%03d,0%d/06/%d,S,C2,N1,U1,PR1,,,,,,\n", i,
			         1 + i % 9, y);
		else
			snprintf(e, sizeof e, "N%03d,01/06/%d,S,C2,N1,U5,PR4,01/01/%d,E13,,,,\n", i,
			         y, y + 1);
		strcat(eps, e);
	}
	cc_fit_opts o;
	cc_fit_opts_default(&o);
	o.name = "Test LA";
	fit_ok(&r, kids, eps, &o);
	free(kids);
	free(eps);
	cc_model *m = NULL;
	int rc = cc_fit_model(r.fit, &m, r.d);
	if (rc != CC_OK)
		dump(r.d);
	assert_int_equal(rc, CC_OK);
	assert_string_equal(m->name, "Test LA");
	assert_int_equal(m->base_date, ymd(2022, 3, 31));
	assert_int_equal(m->n_categories, 8);
	assert_int_equal(m->n_reasons, 8);
	assert_int_equal(m->n_age_bands, CC_FIT_NAGE);
	assert_int_equal(m->n_tic_bands, CC_FIT_NTIC);
	/* Entry rates and their evidence. */
	for (size_t b = 0; b < CC_FIT_NAGE; b++) {
		cc_fit_rate e = cc_fit_entry_rate(r.fit, b);
		assert_true(m->params[b].has_evidence);
		assert_near(m->params[b].events, e.events, 0);
		assert_near(m->params[b].exposure_years, 3, 0);
		assert_near(m->params[b].rate_per_year, e.rate_per_year, 1e-5 * e.rate_per_year);
	}
	/* Every exit cell's hazard is the fitted rate (to the 6 digits written). */
	cc_hazards h;
	assert_int_equal(cc_hazards_alloc(m, &h), CC_OK);
	cc_hazards_build(m, NULL, &h);
	for (size_t rs = 0; rs < CC_FIT_NREASONS; rs++)
		for (size_t b = 0; b < CC_FIT_NAGE; b++)
			for (size_t c = 0; c < m->n_categories; c++)
				for (size_t t = 0; t < CC_FIT_NTIC; t++) {
					cc_fit_rate x = cc_fit_exit_rate(r.fit, rs, b, c, t);
					double got =
					    h.hazard[cc_hazards_cell(m, b, c, t) * h.n_outcomes +
					             rs];
					double want = x.written ? x.rate_per_year : 0;
					if (cc_fit_exit_rate_reason(r.fit, rs).written)
						want = 0;
					assert_near(got, want, 1e-5 * want + 1e-12);
				}
	for (size_t i = 0; i < m->n_categories; i++)
		for (size_t j = 0; j < m->n_categories; j++)
			for (size_t b = 0; b < CC_FIT_NAGE; b++) {
				if (i == j)
					continue;
				cc_fit_rate x = cc_fit_move_rate(r.fit, i, j, b);
				for (size_t t = 0; t < CC_FIT_NTIC; t++) {
					double got =
					    h.hazard[cc_hazards_cell(m, b, i, t) * h.n_outcomes +
					             m->n_reasons + j];
					double want = x.written ? x.rate_per_year : 0;
					assert_near(got, want, 1e-5 * want + 1e-12);
				}
			}
	cc_hazards_free(&h);
	double moved = 0;
	for (size_t b = 0; b < CC_FIT_NAGE; b++)
		moved += cc_fit_move_rate(r.fit, FOSTERING, RESIDENTIAL, b).events;
	assert_near(moved, 15, 0);
	/* Starting population and history. */
	assert_int_equal(m->start_total, (size_t)cc_fit_get_counts(r.fit)->stock_base);
	assert_int_equal(m->n_history, cc_fit_nhistory(r.fit));
	assert_near(m->history[m->n_history - 1].cla_total, (double)m->start_total, 0);
	/* The in-house shares. */
	for (size_t c = 0; c < m->n_categories; c++)
		assert_near(m->categories[c].in_house_share,
		            cc_fit_in_house_share(r.fit, c, NULL, NULL), 1e-6);
	cc_model_free(m);

	/* The report parses as JSON with the sections documented; so does the
	 * model text. */
	char *text = NULL;
	assert_int_equal(cc_fit_report_json(r.fit, &text), CC_OK);
	const char *bad = NULL;
	cJSON *rep = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, &bad, 1);
	if (!rep)
		fail_msg("the report is not JSON at \"%.60s\"", bad ? bad : "?");
	static const char *const keys[] = { "data_quality",
		                            "counts",
		                            "stock",
		                            "shrinkage",
		                            "entries",
		                            "in_house_share",
		                            "exits_by_reason",
		                            "exits_by_category",
		                            "exits_by_age_band",
		                            "exits",
		                            "moves_out",
		                            "moves_by_destination",
		                            "moves",
		                            "notes",
		                            "window" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!cJSON_GetObjectItemCaseSensitive(rep, keys[i]))
			fail_msg("the report has no \"%s\"", keys[i]);
	cJSON *exits = cJSON_GetObjectItemCaseSensitive(rep, "exits");
	assert_int_equal(cJSON_GetArraySize(exits),
	                 CC_FIT_NREASONS * CC_FIT_NAGE * 8 * CC_FIT_NTIC);
	cJSON_Delete(rep);
	free(text);
	finish(&r);
}

/* ---- errors ------------------------------------------------------------------------------ */

static void test_cc_fit_ssda903_errors(void **state)
{
	(void)state;
	run r;
	const char *kids = KID("E1", "01/01/2012");
	const char *eps = EP("E1", "01/05/2019", "S", "C2", "U4", "PR1", "", "");
	cc_fit_opts o;
	cc_fit_opts_default(&o);
	struct {
		cc_date base;
		unsigned years;
		const char *text;
	} cases[] = {
		{ ymd(2022, 3, 30), 3,
		  "base date: expected the last day of a month (usually 31 March), found "
		  "2022-03-30" },
		{ ymd(2023, 3, 31), 3,
		  "base date 2023-03-31 is after the data: the latest return in the data closes on "
		  "2022-03-31; expected a base date on or before it" },
		{ ymd(2019, 1, 31), 1,
		  "base date 2019-01-31 is before the data: the returns in the data begin on "
		  "2019-04-01" },
		{ ymd(2022, 3, 31), 4,
		  "the 4-year window from 2018-04-01 to 2022-03-31 starts before the data: the "
		  "returns in the data begin on 2019-04-01; a window of at most 3 years fits, or "
		  "choose a later base date" },
		{ ymd(2019, 9, 30), 1,
		  "the 1-year window from 2018-10-01 to 2019-09-30 starts before the data: the "
		  "returns in the data begin on 2019-04-01, less than a year before the base "
		  "date" },
		{ ymd(2022, 3, 31), 51, "window: expected 1 to 50 years, found 51" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		o.base_date = cases[i].base;
		o.window_years = cases[i].years;
		assert_int_equal(fit_years(&r, 2020, kids, eps, &o), CC_EINVAL);
		assert_null(r.fit);
		expect_diag(r.d, cases[i].text);
		finish(&r);
	}
	/* window_years 0 means the default (3). */
	o.base_date = ymd(2022, 3, 31);
	o.window_years = 0;
	assert_int_equal(fit_years(&r, 2020, kids, eps, &o), CC_OK);
	assert_int_equal(cc_fit_get_counts(r.fit)->window_years, 3);
	/* Out-of-range accessors give zeros. */
	assert_near(cc_fit_exit_rate(r.fit, 99, 0, 0, 0).rate_per_year, 0, 0);
	assert_near(cc_fit_exit_rate_band(r.fit, 0, 99, 0).rate_per_year, 0, 0);
	assert_near(cc_fit_exit_rate_category(r.fit, 0, 99).rate_per_year, 0, 0);
	assert_near(cc_fit_exit_rate_reason(r.fit, CC_FIT_AGE18).rate_per_year, 0, 0);
	assert_near(cc_fit_move_rate(r.fit, 0, 99, 0).rate_per_year, 0, 0);
	assert_near(cc_fit_move_rate_pair(r.fit, 99, 0).rate_per_year, 0, 0);
	assert_near(cc_fit_move_rate_out(r.fit, 99).rate_per_year, 0, 0);
	assert_near(cc_fit_entry_rate(r.fit, 99).rate_per_year, 0, 0);
	assert_near(cc_fit_entries(r.fit, 99, 0), 0, 0);
	assert_near(cc_fit_entries_at_age(r.fit, 216), 0, 0);
	assert_near(cc_fit_exposure(r.fit, 0, 99, 0), 0, 0);
	assert_near(cc_fit_in_house_share(r.fit, 99, NULL, NULL), 0, 0);
	assert_near(cc_fit_prior_exit(r.fit, 0, 3), 0, 0);
	assert_near(cc_fit_prior_move(r.fit, 3), 0, 0);
	assert_string_equal(cc_fit_note(r.fit, 9999), "");
	finish(&r);
	cc_fit_free(NULL);
}

/* A return missing inside the window: a warning, an error with strict. */
static void test_fit_missing_return_in_window(void **state)
{
	(void)state;
	for (int strict = 0; strict < 2; strict++) {
		run r;
		memset(&r, 0, sizeof r);
		snprintf(r.dir, sizeof r.dir, "/tmp/cc_test_fit.XXXXXX");
		assert_non_null(mkdtemp(r.dir));
		r.d = cc_diags_alloc(2000);
		const char *kids = KID("P1", "01/01/2012");
		const char *eps = EP("P1", "01/05/2019", "S", "C2", "U4", "PR1", "", "");
		write_returns(r.dir, 2020, 2020, kids, eps);
		write_returns(r.dir, 2022, 2022, kids, eps);
		cc_ssda903_files *files = NULL;
		assert_int_equal(cc_ssda903_discover(r.dir, &files, r.d), CC_OK);
		cc_ssda903_opts ro = { .year_label = CC_SSDA903_YEAR_ENDING };
		assert_int_equal(cc_ssda903_read(cc_ssda903_files_inputs(files),
		                                 cc_ssda903_files_count(files), &ro, &r.ds, NULL,
		                                 r.d),
		                 CC_OK);
		cc_ssda903_files_free(files);
		cc_fit_opts o;
		cc_fit_opts_default(&o);
		o.base_date = ymd(2022, 3, 31);
		o.strict = strict;
		int rc = cc_fit_ssda903(r.ds, &o, &r.fit, r.d);
		assert_int_equal(rc, strict ? CC_EPARSE : CC_OK);
		expect_diag(r.d, "no return in the data for the year ending 2021-03-31, inside the "
		                 "window");
		if (!strict)
			assert_int_equal(cc_fit_get_counts(r.fit)->missing_returns, 1);
		finish(&r);
	}
}

/* ---- pooled LAs, the shared samples and privacy --------------------------------------------- */

typedef struct {
	char **v;
	size_t n, cap;
} strings;

static void add_string(strings *s, const char *v)
{
	if (!*v)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		assert_non_null(s->v);
	}
	s->v[s->n] = strdup(v);
	assert_non_null(s->v[s->n]);
	s->n++;
}

/* Every CHILD, UPN, postcode and date of birth of a CSV file, dates in both
 * forms. */
static void collect(strings *s, const char *path)
{
	cc_diags *d = cc_diags_alloc(0);
	cc_csv *t = NULL;
	if (cc_csv_read(path, NULL, &t, d) == CC_OK) {
		static const char *const cols[] = { "CHILD",   "UPN", "HOME_POST",
			                            "PL_POST", "DOB", "MC_DOB" };
		for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
			size_t col = cc_csv_column(t, cols[c]);
			for (size_t i = 0; col != CC_CSV_NOCOL && i < cc_csv_nrows(t); i++) {
				const char *v = cc_csv_field(t, i, col);
				cc_date dt;
				if (cc_date_parse_dmy(v, &dt) == CC_OK ||
				    cc_date_parse_iso(v, &dt) == CC_OK) {
					int y, m, dd;
					char iso[CC_DATE_STRLEN], dmy[16];
					cc_date_to_ymd(dt, &y, &m, &dd);
					cc_date_format(dt, iso);
					snprintf(dmy, sizeof dmy, "%02d/%02d/%04d", dd, m, y);
					add_string(s, iso);
					add_string(s, dmy);
				} else {
					add_string(s, v);
				}
			}
		}
	}
	cc_csv_free(t);
	cc_diags_free(d);
}

static void collect_dir(strings *s, const char *dir)
{
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n > 4 && strcmp(e->d_name + n - 4, ".csv") == 0) {
			char path[512];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			collect(s, path);
		}
	}
	closedir(dp);
}

/* Dates the fit writes for reasons of its own: the base date, the window's
 * first day and the 31 March of each history point. A date of birth equal to
 * one of these is not a leak; every other date in the outputs must be one of
 * them (checked separately). */
static int structural_date(const cc_fit *f, const char *s)
{
	cc_date d;
	if (cc_date_parse_iso(s, &d) != CC_OK && cc_date_parse_dmy(s, &d) != CC_OK)
		return 0;
	const cc_fit_counts *n = cc_fit_get_counts(f);
	if (d == n->window_start || d == n->window_end)
		return 1;
	for (size_t i = 0; i < cc_fit_nhistory(f); i++)
		if (cc_fit_history(f, i)->date == d)
			return 1;
	return 0;
}

static int token_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '/' || c == '.' || c == '_';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every identifier, postcode and date of the input that appears in text as a
 * word (a run of letters, digits and - / . _, or for postcodes two such runs
 * with one space between) fails the test, unless it is a date the fit chose
 * itself; and every date-shaped word must be one the fit chose. The words of
 * the text are sorted once, so each of the thousands of values is a binary
 * search, not a scan of the whole output. */
static size_t leaks(const cc_fit *f, const char *text, const strings *s, const char *what)
{
	size_t found = 0, n = 0, cap = 1024;
	char **words = malloc(cap * sizeof *words);
	assert_non_null(words);
	const char *prev = NULL;
	size_t prev_len = 0;
	for (const char *p = text; *p;) {
		if (!token_char(*p)) {
			if (*p != ' ' || !token_char(p[1]))
				prev = NULL;
			p++;
			continue;
		}
		const char *start = p;
		while (token_char(*p))
			p++;
		size_t len = (size_t)(p - start);
		while (len > 1 && start[len - 1] == '.')
			len--; /* a full stop ends a sentence, not the word */
		if (n + 2 > cap) {
			cap *= 2;
			words = realloc(words, cap * sizeof *words);
			assert_non_null(words);
		}
		words[n] = strndup(start, len);
		assert_non_null(words[n]);
		n++;
		if (prev) {
			/* The pair "previous word" "this word", for postcodes. */
			words[n] = malloc(prev_len + 1 + len + 1);
			assert_non_null(words[n]);
			memcpy(words[n], prev, prev_len);
			words[n][prev_len] = ' ';
			memcpy(words[n] + prev_len + 1, start, len);
			words[n][prev_len + 1 + len] = '\0';
			n++;
		}
		prev = start;
		prev_len = len;
		if (*p != ' ')
			prev = NULL;
	}
	qsort(words, n, sizeof *words, cmp_str);
	for (size_t k = 0; k < s->n; k++) {
		const char *key = s->v[k];
		if (!structural_date(f, key) && bsearch(&key, words, n, sizeof *words, cmp_str)) {
			fprintf(stderr, "the %s holds \"%s\" from the input\n", what, key);
			found++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		cc_date d;
		if ((cc_date_parse_iso(words[i], &d) == CC_OK ||
		     cc_date_parse_dmy(words[i], &d) == CC_OK) &&
		    !structural_date(f, words[i])) {
			fprintf(stderr, "the %s holds the date %s\n", what, words[i]);
			found++;
		}
		if (strchr(words[i], '/') && cc_date_parse_dmy(words[i], &d) == CC_OK) {
			fprintf(stderr, "the %s holds a DD/MM/YYYY date\n", what);
			found++;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	free(words);
	return found;
}

#define assert_private(f, text, s, what)                                \
	do {                                                            \
		if (leaks((f), (text), (s), (what)) != 0)               \
			fail_msg("the %s holds personal data", (what)); \
	} while (0)

static cc_fit *fit_dir(const char *dir, const char *const *las, size_t nlas, cc_ssda903 **ds,
                       cc_diags *d)
{
	cc_ssda903_files *files = NULL;
	assert_int_equal(cc_ssda903_discover(dir, &files, d), CC_OK);
	cc_ssda903_opts ro = { .las = las, .nlas = nlas };
	assert_int_equal(cc_ssda903_read(cc_ssda903_files_inputs(files),
	                                 cc_ssda903_files_count(files), &ro, ds, NULL, d),
	                 CC_OK);
	cc_ssda903_files_free(files);
	cc_fit_opts o;
	cc_fit_opts_default(&o);
	o.base_date = ymd(2022, 3, 31);
	cc_fit *f = NULL;
	assert_int_equal(cc_fit_ssda903(*ds, &o, &f, d), CC_OK);
	return f;
}

static void test_fit_shared_samples_private_and_loadable(void **state)
{
	(void)state;
	static const char *const dirs[] = { "tests/data/ssda903/fit/d2i",
		                            "tests/data/ssda903/fit/regional" };
	static const char *const southwark[] = { "southwark" };
	for (size_t i = 0; i < 3; i++) {
		cc_diags *d = cc_diags_alloc(2000);
		const char *dir = dirs[i ? 1 : 0];
		cc_ssda903 *ds = NULL;
		cc_fit *f = fit_dir(dir, i == 2 ? southwark : NULL, i == 2 ? 1 : 0, &ds, d);
		strings s = { NULL, 0, 0 };
		collect_dir(&s, dir);
		/* Each value once. */
		qsort(s.v, s.n, sizeof *s.v, cmp_str);
		size_t u = 0;
		for (size_t k = 0; k < s.n; k++) {
			if (u > 0 && strcmp(s.v[u - 1], s.v[k]) == 0)
				free(s.v[k]);
			else
				s.v[u++] = s.v[k];
		}
		s.n = u;
		assert_true(s.n > 500);
		char *model = NULL, *report = NULL;
		assert_int_equal(cc_fit_model_json(f, &model), CC_OK);
		assert_int_equal(cc_fit_report_json(f, &report), CC_OK);
		assert_private(f, model, &s, "model");
		/* The check itself finds a planted identifier, date of birth
		 * (either form) and postcode. */
		if (i == 0) {
			char planted[256];
			for (size_t k = 0; k < s.n; k++)
				if (s.v[k][0] == 'C' && s.v[k][1] >= '0' && s.v[k][1] <= '9') {
					snprintf(planted, sizeof planted, "{\"x\": \"%s\"}",
					         s.v[k]);
					assert_int_equal(leaks(f, planted, &s, "planted text"), 1);
					break;
				}
			for (size_t k = 0; k < s.n; k++) {
				cc_date dt;
				if (cc_date_parse_dmy(s.v[k], &dt) == CC_OK &&
				    !structural_date(f, s.v[k])) {
					snprintf(planted, sizeof planted, "born %s.", s.v[k]);
					assert_true(leaks(f, planted, &s, "planted text") >= 2);
					break;
				}
			}
			for (size_t k = 0; k < s.n; k++)
				if (strchr(s.v[k], ' ')) {
					snprintf(planted, sizeof planted, "at %s,", s.v[k]);
					assert_true(leaks(f, planted, &s, "planted text") >= 1);
					break;
				}
			assert_int_equal(leaks(f, "{\"count\": 640353}", &s, "planted text"), 0);
		}
		assert_private(f, report, &s, "report");
		for (size_t k = 0; k < cc_fit_nnotes(f); k++)
			assert_private(f, cc_fit_note(f, k), &s, "note");
		/* The model loads, its stock is the history's last point. */
		cc_model *m = NULL;
		assert_int_equal(cc_fit_model(f, &m, d), CC_OK);
		assert_true(m->start_total > 0);
		assert_near(m->history[m->n_history - 1].cla_total, (double)m->start_total, 0);
		if (i == 1)
			assert_int_equal(cc_fit_get_counts(f)->las, 3);
		if (i == 2)
			assert_int_equal(cc_fit_get_counts(f)->las, 1);
		cc_model_free(m);
		free(model);
		free(report);
		for (size_t k = 0; k < s.n; k++)
			free(s.v[k]);
		free(s.v);
		cc_fit_free(f);
		cc_ssda903_free(ds);
		cc_diags_free(d);
	}
}

/* ---- size ---------------------------------------------------------------------------------- */

static void test_fit_large_synthetic(void **state)
{
	(void)state;
	size_t nkids = cc_test_small() ? 6000 : 60000; /* four episodes each */
	run r;
	memset(&r, 0, sizeof r);
	snprintf(r.dir, sizeof r.dir, "/tmp/cc_test_fit.XXXXXX");
	assert_non_null(mkdtemp(r.dir));
	r.d = cc_diags_alloc(2000);
	char hp[128], ep[128];
	snprintf(hp, sizeof hp, "%s/header.csv", r.dir);
	snprintf(ep, sizeof ep, "%s/episodes.csv", r.dir);
	FILE *h = fopen(hp, "w"), *e = fopen(ep, "w");
	assert_non_null(h);
	assert_non_null(e);
	fputs(HH, h);
	fputs(EH, e);
	static const char *const places[] = { "U4", "U1", "K2", "H5", "P1", "A5", "R2", "U6" };
	static const char *const recs[] = { "E4A", "E11", "E45", "E41", "E5", "E3", "E9", "E8" };
	cc_date base = ymd(2006, 4, 1), first = ymd(2021, 4, 1), we = ymd(2022, 4, 1);
	size_t want_exits = 0;
	for (size_t i = 0; i < nkids; i++) {
		int y, m, d;
		cc_date_to_ymd(base + (cc_date)(i * 37 % 3000), &y, &m, &d);
		fprintf(h, "Z%07zu,%d,%02d/%02d/%04d,WBRI,UN1,,\n", i, 1 + (int)(i % 2), d, m, y);
		cc_date t = first + (cc_date)(i % 300);
		for (int k = 0; k < 4; k++) {
			char dec[16] = "", rec[8] = "";
			if (k < 3 || i % 3 == 0) {
				int y2, m2, d2;
				cc_date_to_ymd(t + 20, &y2, &m2, &d2);
				snprintf(dec, sizeof dec, "%02d/%02d/%04d", d2, m2, y2);
				snprintf(rec, sizeof rec, "%s", k < 3 ? "X1" : recs[i % 8]);
			}
			cc_date_to_ymd(t, &y, &m, &d);
			fprintf(e, "Z%07zu,%02d/%02d/%04d,%s,C2,N1,%s,PR%d,%s,%s,,,,\n", i, d, m, y,
			        k ? "P" : "S", places[(i + (size_t)k) % 8], 1 + (int)(i % 5), dec,
			        rec);
			t += 20;
		}
		want_exits += i % 3 == 0 && t < we;
	}
	assert_int_equal(fclose(h), 0);
	assert_int_equal(fclose(e), 0);
	cc_ssda903_input in = { hp, ep, 2022, 1, NULL };
	assert_int_equal(cc_ssda903_read(&in, 1, NULL, &r.ds, NULL, r.d), CC_OK);
	cc_fit_opts o;
	cc_fit_opts_default(&o);
	o.base_date = ymd(2022, 3, 31);
	o.window_years = 1;
	double t0 = cc_test_cpu_seconds();
	assert_int_equal(cc_fit_ssda903(r.ds, &o, &r.fit, r.d), CC_OK);
	char *text = NULL;
	assert_int_equal(cc_fit_model_json(r.fit, &text), CC_OK);
	double dt = cc_test_cpu_seconds() - t0;
	free(text);
	const cc_fit_counts *n = cc_fit_get_counts(r.fit);
	assert_near(n->entries, (double)nkids, 0);
	assert_near(total_entries(r.fit), (double)nkids, 0);
	assert_near(total_exits(r.fit), (double)want_exits, 0);
	assert_near(n->exits[CC_FIT_AGE18], 0, 0);
	assert_near(n->stock_base, (double)(nkids - want_exits), 0);
	assert_near(n->stock_base, n->stock_window_start + n->entries - total_exits(r.fit), 0);
	assert_true(n->moves > 0 && n->moves == total_moves(r.fit));
	/* About 0.03 s optimised; generous for sanitizers and slow machines. */
	if (dt > 10.0)
		fail_msg("fitting %zu children took %.2f s", nkids, dt);
	finish(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_fit_reason_of_every_code),
		cmocka_unit_test(test_cc_fit_map_default_every_place),
		cmocka_unit_test(test_cc_fit_map_load),
		cmocka_unit_test(test_fit_calendar),
		cmocka_unit_test(test_fit_exposure_split_at_birthdays_and_bands),
		cmocka_unit_test(test_fit_exposure_window_edges_and_periods),
		cmocka_unit_test(test_fit_temporary_placements),
		cmocka_unit_test(test_fit_short_breaks_left_out),
		cmocka_unit_test(test_fit_events_reasons_and_age18),
		cmocka_unit_test(test_fit_lost_episode_censored),
		cmocka_unit_test(test_fit_shrink_formula),
		cmocka_unit_test(test_fit_shrinkage_sparse_and_rich_cells),
		cmocka_unit_test(test_fit_starting_population_and_history),
		cmocka_unit_test(test_fit_base_date_not_march),
		cmocka_unit_test(test_fit_model_loads_with_fitted_rates),
		cmocka_unit_test(test_cc_fit_ssda903_errors),
		cmocka_unit_test(test_fit_missing_return_in_window),
		cmocka_unit_test(test_fit_shared_samples_private_and_loadable),
		cmocka_unit_test(test_fit_large_synthetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
