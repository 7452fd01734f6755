/*
 * test_ssda903.c - reading SSDA903 returns: layouts, dates, codes, stitching
 * years, every validation rule (with file, line and message), LA selection,
 * the strict option, the privacy guarantee, and speed on a large return.
 *
 * Rule tests write a tiny Header and Episodes file into a temporary folder, so
 * the rows and the line numbers asserted sit side by side. Layout tests read
 * the fixtures in tests/data/ssda903 (some rows copied from the shared
 * samples: see tests/data/ssda903/README.md).
 */
#include "carecast/csv.h"
#include "carecast/error.h"
#include "carecast/ssda903.h"
#include "cc_test.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DATA "tests/data/ssda903"
#define HH "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
#define EH                                                                                      \
	"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_" \
	"POST,"                                                                                 \
	"URN\n"

/* ---- helpers ---------------------------------------------------------------- */

typedef struct {
	char dir[64];
	char hd[128], ep[128];
	cc_diags *d;
	cc_ssda903 *ds;
	cc_ssda903_quality q;
	int rc;
} run;

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static void start(run *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->dir, sizeof r->dir, "/tmp/cc_test_ssda903.XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	r->d = cc_diags_alloc(100000);
	assert_non_null(r->d);
	snprintf(r->hd, sizeof r->hd, "%s/header.csv", r->dir);
	snprintf(r->ep, sizeof r->ep, "%s/episodes.csv", r->dir);
}

static void finish(run *r)
{
	cc_ssda903_free(r->ds);
	cc_diags_free(r->d);
	cc_test_remove_tree(r->dir);
	r->ds = NULL;
}

/* Prints every diagnostic (for failing tests). */
static void dump(const run *r)
{
	for (size_t i = 0; i < cc_diags_count(r->d); i++) {
		char *s = cc_diag_format(cc_diags_get(r->d, i));
		fprintf(stderr, "  %s\n", s ? s : "?");
		free(s);
	}
}

/* Reads header/episodes texts (hd may be NULL) as the return for the year
 * ending 31 March `year_end`. */
static int read_texts(run *r, const char *hd, const char *ep, int year_end,
                      const cc_ssda903_opts *o)
{
	if (hd)
		put(r->dir, "header.csv", hd);
	put(r->dir, "episodes.csv", ep);
	cc_ssda903_input in = { hd ? r->hd : NULL, r->ep, year_end, 1, NULL };
	cc_ssda903_free(r->ds);
	r->ds = NULL;
	r->rc = cc_ssda903_read(&in, 1, o, &r->ds, &r->q, r->d);
	return r->rc;
}

/* Number of diagnostics at dir/where ("episodes.csv:5") containing text;
 * where NULL matches those without a file. */
static size_t count_diag(const run *r, const char *where, const char *text)
{
	char prefix[256];
	if (where)
		snprintf(prefix, sizeof prefix, "%s/%s: ", r->dir, where);
	size_t n = 0;
	for (size_t i = 0; i < cc_diags_count(r->d); i++) {
		char *s = cc_diag_format(cc_diags_get(r->d, i));
		assert_non_null(s);
		int at = where ? strncmp(s, prefix, strlen(prefix)) == 0
		               : cc_diags_get(r->d, i)->file == NULL;
		if (at && strstr(s, text))
			n++;
		free(s);
	}
	return n;
}

#define expect_diag(r, where, text)                                           \
	do {                                                                  \
		if (count_diag((r), (where), (text)) != 1) {                  \
			dump(r);                                              \
			fail_msg("expected one diagnostic at %s with \"%s\"", \
			         (where) ? (where) : "-", (text));            \
		}                                                             \
	} while (0)

static size_t rule_count(const run *r, cc_ssda903_rule rule) { return r->q.rule[rule].count; }

/* The episode of child c number k. */
static const cc_ssda903_episode *ep_of(const run *r, size_t c, size_t k)
{
	const cc_ssda903_child *ch = cc_ssda903_child_at(r->ds, c);
	assert_non_null(ch);
	assert_true(k < ch->nepisodes);
	return cc_ssda903_episode_at(r->ds, ch->first_episode + k);
}

static cc_date ymd(int y, int m, int d)
{
	cc_date out;
	assert_int_equal(cc_date_from_ymd(y, m, d, &out), CC_OK);
	return out;
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A clean header for children K1..K3. */
#define CLEAN_HEADER                                     \
	HH "K100001,1,05/06/2010,WBRI,A000000000001,,\n" \
	   "K100002,2,29/02/2004,WBRI,A000000000002,,\n" \
	   "K100003,2,17/11/2015,WBRI,A000000000003,,\n"

/* ---- a clean return and the accessors ------------------------------------------ */

static void test_cc_ssda903_read_clean_return(void **state)
{
	(void)state;
	run r;
	start(&r);
	read_texts(&r, CLEAN_HEADER,
	           EH "K100001,10/05/2019,S,V2,N1,U4,PR1,01/09/2019,X1,CARPL,AB1 2CD,EF3 4GH,1\n"
	              "K100001,01/09/2019,P,C2,N1,K2,PR4,,,,AB1 2CD,GH5 6IJ,2\n"
	              "K100002,15/01/2018,S,C1,N2,U6,PR1,03/02/2020,E11,,KL7 8MN,OP9 1QR,3\n"
	              "K100003,02/03/2020,S,V3,N4,T1,,10/03/2020,E13,,ST2 3UV,WX4 5YZ,4\n",
	           2020, NULL);
	if (r.rc != CC_OK || cc_diags_count(r.d) != 0)
		dump(&r);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_diags_count(r.d), 0);
	assert_int_equal(r.q.errors + r.q.warnings, 0);
	assert_int_equal(r.q.header_rows, 3);
	assert_int_equal(r.q.episode_rows, 4);
	assert_int_equal(r.q.children, 3);
	assert_int_equal(r.q.episodes, 4);
	const cc_ssda903 *ds = r.ds;
	assert_int_equal(cc_ssda903_nlas(ds), 1);
	const cc_ssda903_la *la = cc_ssda903_la_at(ds, 0);
	assert_string_equal(la->name, "");
	assert_int_equal(la->first_year_end, ymd(2020, 3, 31));
	assert_int_equal(la->last_year_end, ymd(2020, 3, 31));
	assert_int_equal(la->nyears, 1);
	assert_int_equal(la->nchildren, 3);
	assert_int_equal(cc_ssda903_nchildren(ds), 3);
	assert_int_equal(cc_ssda903_nepisodes(ds), 4);
	/* Children in CHILD order: K100001 first. */
	const cc_ssda903_child *c0 = cc_ssda903_child_at(ds, 0);
	assert_int_equal(c0->dob, ymd(2010, 6, 5));
	assert_int_equal(c0->sex, CC_SEX_MALE);
	assert_int_equal(c0->nepisodes, 2);
	const cc_ssda903_episode *e0 = ep_of(&r, 0, 0), *e1 = ep_of(&r, 0, 1);
	assert_int_equal(e0->decom, ymd(2019, 5, 10));
	assert_int_equal(e0->dec, ymd(2019, 9, 1));
	assert_int_equal(e0->rne, CC_RNE_S);
	assert_int_equal(e0->ls, CC_LS_V2);
	assert_int_equal(e0->cin, CC_CIN_N1);
	assert_int_equal(e0->place, CC_PLACE_U4);
	assert_int_equal(e0->provider, CC_PROV_PR1);
	assert_int_equal(e0->rec, CC_REC_X1);
	assert_int_equal(e0->reason, CC_RPC_CARPL);
	assert_int_equal(e0->flags, CC_SSDA903_EP_PERIOD_START);
	assert_int_equal(e0->line, 2);
	assert_string_equal(cc_ssda903_file(ds, e0->file), r.ep);
	assert_int_equal(e1->dec, CC_SSDA903_OPEN);
	assert_int_equal(e1->rec, CC_REC_BLANK);
	assert_int_equal(e1->flags, 0); /* X1 continuation: same period */
	assert_int_equal(e1->last_seen, ymd(2020, 3, 31));
	/* K100002 started before the collection year. */
	assert_int_equal(ep_of(&r, 1, 0)->flags, CC_SSDA903_EP_PERIOD_START | CC_SSDA903_EP_BEFORE);
	assert_int_equal(ep_of(&r, 2, 0)->provider, CC_PROV_BLANK); /* T1 needs none */
	/* In care at the end of a day: decom <= d < dec. */
	assert_int_equal(cc_ssda903_episode_on(ds, 0, ymd(2019, 5, 9)), CC_SSDA903_NONE);
	assert_int_equal(cc_ssda903_episode_on(ds, 0, ymd(2019, 5, 10)), 0);
	assert_int_equal(cc_ssda903_episode_on(ds, 0, ymd(2019, 8, 31)), 0);
	assert_int_equal(cc_ssda903_episode_on(ds, 0, ymd(2019, 9, 1)), 1);
	assert_int_equal(cc_ssda903_episode_on(ds, 0, ymd(2030, 1, 1)), 1);
	assert_int_equal(cc_ssda903_episode_on(ds, 1, ymd(2020, 2, 3)), CC_SSDA903_NONE);
	assert_int_equal(cc_ssda903_episode_on(ds, 99, ymd(2020, 2, 3)), CC_SSDA903_NONE);
	assert_int_equal(cc_ssda903_nreturns(ds), 1);
	const cc_ssda903_return *ret = cc_ssda903_return_at(ds, 0);
	assert_int_equal(ret->year_end, ymd(2020, 3, 31));
	assert_int_equal(ret->year_source, CC_SSDA903_FROM_INPUT);
	assert_int_equal(ret->episode_rows, 4);
	assert_string_equal(cc_ssda903_file(ds, ret->header_file), r.hd);
	assert_int_equal(cc_ssda903_nfiles(ds), 2);
	assert_null(cc_ssda903_la_at(ds, 1));
	assert_null(cc_ssda903_child_at(ds, 3));
	assert_null(cc_ssda903_episode_at(ds, 4));
	assert_null(cc_ssda903_return_at(ds, 1));
	assert_string_equal(cc_ssda903_file(ds, 9), "");
	assert_int_equal(cc_ssda903_summary(ds)->children, 3);
	finish(&r);
}

/* ---- dates ------------------------------------------------------------------------ */

static void test_cc_ssda903_read_date_formats(void **state)
{
	(void)state;
	run r;
	start(&r);
	/* ISO dates throughout are fine. */
	read_texts(&r, HH "K100001,1,2010-06-05,WBRI,,,\n",
	           EH "K100001,2019-05-10,S,V2,N1,U4,PR1,2019-09-01,E13,,,,\n", 2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_diags_count(r.d), 0);
	assert_int_equal(ep_of(&r, 0, 0)->dec, ymd(2019, 9, 1));
	finish(&r);

	start(&r);
	read_texts(&r, CLEAN_HEADER,
	           EH "K100001,,S,V2,N1,U4,PR1,,,,,,\n"                        /* 2: no DECOM */
	              "K100001,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n"              /* 3: sets DD/MM */
	              "K100001,2019-06-01,P,V2,N1,U4,PR1,,,,,,\n"              /* 4: mixed */
	              "K100002,31/02/2020,S,V2,N1,U4,PR1,,,,,,\n"              /* 5: no such day */
	              "K100002,1/1/20,S,V2,N1,U4,PR1,,,,,,\n"                  /* 6: wrong shape */
	              "K100003,02/03/2020,S,V2,N1,U4,PR1,2020-03-09,E13,,,,\n" /* 7 */
	              "K100003,03/13/2020,S,V2,N1,U4,PR1,,,,,,\n",             /* 8: month 13 */
	           2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	expect_diag(&r, "episodes.csv:2",
	            "DECOM: expected the date the episode started, found an empty cell; row left "
	            "out [date-invalid]");
	expect_diag(&r, "episodes.csv:4",
	            "DECOM: expected a date written DD/MM/YYYY as in the rest of the file (first "
	            "at line 3), found one written YYYY-MM-DD; row left out [date-mixed]");
	expect_diag(&r, "episodes.csv:5",
	            "DECOM: expected a calendar date, found a DD/MM/YYYY value with a day or "
	            "month that does not exist; row left out [date-invalid]");
	expect_diag(&r, "episodes.csv:6",
	            "DECOM: expected a date written DD/MM/YYYY, found text shaped \"9/9/99\"; row "
	            "left out [date-invalid]");
	expect_diag(&r, "episodes.csv:7",
	            "DEC: expected a date written DD/MM/YYYY as in the "
	            "rest of the file (first at line 3)");
	expect_diag(&r, "episodes.csv:8", "DECOM: expected a calendar date");
	assert_int_equal(rule_count(&r, CC_SSDA903_R_DATE_INVALID), 4);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_DATE_MIXED), 2);
	assert_int_equal(r.q.episodes, 1); /* only line 3 */
	finish(&r);

	/* The ISO form gets the same checks; a DOB that is not a date drops the
	 * Header row and its child's episodes say why. */
	start(&r);
	read_texts(&r, HH "K100001,1,2010-13-01,WBRI,,,\nK100002,1,,WBRI,,,\n",
	           EH "K100001,2019-05-10,S,V2,N1,U4,PR1,,,,,,\n"
	              "K100002,2019-05-10,S,V2,N1,U4,PR1,,,,,,\n",
	           2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	expect_diag(&r, "header.csv:2",
	            "DOB: expected a calendar date, found a YYYY-MM-DD value with a day or month "
	            "that does not exist; row left out [date-invalid]");
	expect_diag(&r, "header.csv:3",
	            "DOB: expected the child's date of birth, found an empty cell; row left out");
	char msg[400];
	snprintf(msg, sizeof msg,
	         "CHILD: expected a Header row with the child's DOB and SEX, found none usable: "
	         "its Header row (%s:2) was left out; episode left out [no-header]",
	         r.hd);
	expect_diag(&r, "episodes.csv:2", msg);
	assert_int_equal(r.q.children, 0);
	finish(&r);
}

/* ---- codes ---------------------------------------------------------------------------- */

static void test_cc_ssda903_read_codes(void **state)
{
	(void)state;
	run r;
	start(&r);
	read_texts(&r,
	           HH "K100001,3,05/06/2010,WBRI,,,\n"
	              "K100002,,29/02/2004,WBRI,,,\n"
	              "K100003,f,17/11/2015,WBRI,,,\n",
	           EH "K100001,10/05/2019,S,V2,N1,Z9,PR1,,,,,,\n" /* 2: PLACE unknown */
	              "K100001,11/05/2019,S,V2,N1,,PR1,,,,,,\n"   /* 3: PLACE empty */
	              "K100001,12/05/2019,Q,,N9,U4,PR7,13/05/2019,E99,WHY,,,\n"  /* 4 */
	              "K100002,10/05/2019,s,v2,n1,u4,,11/05/2019,e4a,carpl,,,\n" /* 5 */
	              "K100003,10/05/2019,S,V2,N1,T2,,11/05/2019,E13,,,,\n",     /* 6 */
	           2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	expect_diag(&r, "header.csv:2",
	            "warning: SEX: expected 1, 2, M, F or U, found \"3\" [code-sex]");
	expect_diag(&r, "header.csv:3",
	            "warning: SEX: expected 1, 2, M, F or U, found an empty cell [code-sex]");
	expect_diag(&r, "episodes.csv:2",
	            "PLACE: expected A3-A6, H5, K1-K3, P1-P3, Q1, Q2, R1-R3, R5, S1, T0-T4, U1-U6, "
	            "Z1 or Z11-Z14, found \"Z9\"; row left out [code-place]");
	expect_diag(&r, "episodes.csv:3", "PLACE: expected A3-A6");
	expect_diag(&r, "episodes.csv:3", "found an empty cell; row left out [code-place]");
	expect_diag(&r, "episodes.csv:4",
	            "warning: RNE: expected S, L, P, T, B or U, found \"Q\" [code-rne]");
	expect_diag(&r, "episodes.csv:4",
	            "warning: LS: expected C1, C2, D1, E1, J1-J3, L1-L3 or "
	            "V2-V4, found an empty cell [code-ls]");
	expect_diag(&r, "episodes.csv:4", "warning: CIN: expected N1-N8, found \"N9\" [code-cin]");
	expect_diag(&r, "episodes.csv:4",
	            "warning: PLACE_PROVIDER: expected PR0-PR5, found \"PR7\" [code-provider]");
	expect_diag(&r, "episodes.csv:4",
	            "warning: REC: expected X1, E11-E17, E2, E3, E41, "
	            "E43-E48, E4A, E4B or E5-E9, found \"E99\" [code-rec]");
	expect_diag(&r, "episodes.csv:4",
	            "warning: REASON_PLACE_CHANGE: expected ALLEG, APPRR, "
	            "CARPL, CHILD, CLOSE, CREQB, CREQO, CUSTOD, LAREQ, "
	            "OTHER, PLACE or STAND, found \"WHY\" [code-reason]");
	/* Lower case is accepted; an empty provider is reported unless T0-T4. */
	expect_diag(&r, "episodes.csv:5",
	            "warning: PLACE_PROVIDER: expected PR0-PR5, found an empty cell");
	assert_int_equal(count_diag(&r, "episodes.csv:6", ""), 0);
	assert_int_equal(r.q.episodes, 3);
	const cc_ssda903_episode *e = ep_of(&r, 0, 0);
	assert_int_equal(e->rne, CC_RNE_INVALID);
	assert_int_equal(e->ls, CC_LS_BLANK);
	assert_int_equal(e->cin, CC_CIN_INVALID);
	assert_int_equal(e->provider, CC_PROV_INVALID);
	assert_int_equal(e->rec, CC_REC_INVALID);
	assert_int_equal(e->reason, CC_RPC_INVALID);
	e = ep_of(&r, 1, 0);
	assert_int_equal(e->rne, CC_RNE_S);
	assert_int_equal(e->place, CC_PLACE_U4);
	assert_int_equal(e->rec, CC_REC_E4A);
	assert_int_equal(e->reason, CC_RPC_CARPL);
	assert_int_equal(cc_ssda903_child_at(r.ds, 0)->sex, CC_SEX_INVALID);
	assert_int_equal(cc_ssda903_child_at(r.ds, 1)->sex, CC_SEX_BLANK);
	assert_int_equal(cc_ssda903_child_at(r.ds, 2)->sex, CC_SEX_FEMALE);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_CODE_PLACE), 2);
	assert_int_equal(r.q.rule[CC_SSDA903_R_CODE_PLACE].severity, CC_DIAG_ERROR);
	assert_int_equal(r.q.rule[CC_SSDA903_R_CODE_RNE].severity, CC_DIAG_WARNING);
	finish(&r);
}

static void test_cc_ssda903_code_parse_and_names(void **state)
{
	(void)state;
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_PLACE, " k3 "), CC_PLACE_K3);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_PLACE, "Z14"), CC_PLACE_Z14);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_PLACE, "Q2"), CC_PLACE_Q2);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_PLACE, ""), CC_PLACE_BLANK);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_PLACE, "U44"), CC_PLACE_INVALID);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_PLACE, "A-VERY-LONG-VALUE"),
	                 CC_PLACE_INVALID);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_REC, "e43"), CC_REC_E43);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_SEX, "1"), CC_SEX_MALE);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_SEX, "m"), CC_SEX_MALE);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_SEX, "2"), CC_SEX_FEMALE);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_SEX, "U"), CC_SEX_U);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_REASON, "custod"), CC_RPC_CUSTOD);
	assert_int_equal(cc_ssda903_code_parse(CC_SSDA903_NLISTS, "X"), 1);
	assert_string_equal(cc_ssda903_code_name(CC_SSDA903_PLACE, CC_PLACE_U4), "U4");
	assert_string_equal(cc_ssda903_code_name(CC_SSDA903_REC, CC_REC_E4A), "E4A");
	assert_string_equal(cc_ssda903_code_name(CC_SSDA903_SEX, CC_SEX_FEMALE), "F");
	assert_string_equal(cc_ssda903_code_name(CC_SSDA903_LS, CC_LS_BLANK), "");
	assert_string_equal(cc_ssda903_code_name(CC_SSDA903_LS, CC_LS_INVALID), "?");
	assert_string_equal(cc_ssda903_code_name(CC_SSDA903_LS, 999), "?");
	assert_string_equal(cc_ssda903_code_description(CC_SSDA903_PLACE, CC_PLACE_K1),
	                    "Secure children's homes");
	assert_string_equal(cc_ssda903_code_description(CC_SSDA903_CIN, CC_CIN_N1),
	                    "Abuse or neglect");
	assert_string_equal(cc_ssda903_code_description(CC_SSDA903_CIN, 99), "");
	assert_int_equal(cc_ssda903_code_count(CC_SSDA903_PLACE), CC_PLACE_COUNT);
	assert_int_equal(cc_ssda903_code_count(CC_SSDA903_NLISTS), 0);
	/* Every code's name parses back to it. */
	for (int l = 0; l < CC_SSDA903_NLISTS; l++)
		for (unsigned c = 2; c < cc_ssda903_code_count((cc_ssda903_list)l); c++)
			assert_int_equal(
			    cc_ssda903_code_parse((cc_ssda903_list)l,
			                          cc_ssda903_code_name((cc_ssda903_list)l, c)),
			    c);
}

static void test_cc_ssda903_rule_info_complete(void **state)
{
	(void)state;
	for (int i = 0; i < CC_SSDA903_NRULES; i++) {
		cc_ssda903_rule_count a = cc_ssda903_rule_info((cc_ssda903_rule)i);
		assert_true(strlen(a.id) > 0 && strlen(a.description) > 0 && strlen(a.action) > 0);
		assert_int_equal(a.count, 0);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(a.id, cc_ssda903_rule_info((cc_ssda903_rule)j).id);
	}
	assert_string_equal(cc_ssda903_rule_info(CC_SSDA903_NRULES).id, "");
	assert_string_equal(cc_ssda903_rule_info(CC_SSDA903_R_OVERLAP).id, "overlap");
}

/* ---- row rules ------------------------------------------------------------------------ */

static void test_cc_ssda903_read_dec_rec_and_order(void **state)
{
	(void)state;
	run r;
	start(&r);
	read_texts(&r, CLEAN_HEADER,
	           EH "K100001,10/05/2019,S,V2,N1,U4,PR1,01/06/2019,,,,,\n"     /* 2: DEC, no REC */
	              "K100002,10/05/2019,S,V2,N1,U4,PR1,,X1,,,,\n"             /* 3: REC, no DEC */
	              "K100003,10/05/2019,S,V2,N1,U4,PR1,09/05/2019,E13,,,,\n", /* 4 */
	           2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	expect_diag(&r, "episodes.csv:2",
	            "warning: REC: expected the reason the episode ended, as DEC is set, found an "
	            "empty cell; kept as ended for an unknown reason [dec-rec]");
	expect_diag(&r, "episodes.csv:3",
	            "warning: DEC: expected the date the episode ended, as REC is set, found an "
	            "empty cell; kept as open [dec-rec]");
	expect_diag(&r, "episodes.csv:4",
	            "DEC: expected a date on or after DECOM, found an earlier one; row left out "
	            "[dec-before-decom]");
	assert_int_equal(r.q.episodes, 2);
	assert_int_equal(ep_of(&r, 0, 0)->rec, CC_REC_BLANK);
	assert_int_equal(ep_of(&r, 0, 0)->dec, ymd(2019, 6, 1));
	assert_int_equal(ep_of(&r, 1, 0)->rec, CC_REC_BLANK);
	assert_int_equal(ep_of(&r, 1, 0)->dec, CC_SSDA903_OPEN);
	finish(&r);
}

static void test_cc_ssda903_read_ages(void **state)
{
	(void)state;
	run r;
	start(&r);
	/* K100002 was born on 29 February 2004: 18 on 1 March 2022. */
	read_texts(&r, CLEAN_HEADER,
	           EH "K100001,04/06/2010,S,V2,N1,U4,PR1,,,,,,\n" /* 2: day before birth */
	              "K100002,28/02/2022,S,V2,N1,U4,PR1,01/03/2022,X1,,,,\n" /* 3: 17 */
	              "K100002,01/03/2022,L,V2,N1,U4,PR1,,,,,,\n"             /* 4: 18 */
	              "K100003,17/11/2015,S,V2,N1,U4,PR1,,,,,,\n",            /* 5: born that day */
	           2022, NULL);
	assert_int_equal(r.rc, CC_OK);
	expect_diag(&r, "episodes.csv:2",
	            "DECOM: expected a date on or after the child's DOB, found an earlier one; "
	            "episode left out [dob-after-decom]");
	expect_diag(&r, "episodes.csv:4",
	            "DECOM: expected a date before the child's 18th birthday, found one on or "
	            "after it; episode left out [age-18]");
	expect_diag(&r, "episodes.csv:3",
	            "warning: REC: expected an episode starting on DEC after X1, found none "
	            "[x1-no-next]");
	assert_int_equal(r.q.episodes, 2);
	assert_int_equal(r.q.children, 2); /* K100001 has no usable episode */
	finish(&r);
	assert_int_equal(cc_ssda903_birthday(ymd(2004, 2, 29), 18), ymd(2022, 3, 1));
	assert_int_equal(cc_ssda903_birthday(ymd(2004, 2, 29), 4), ymd(2008, 2, 29));
	assert_int_equal(cc_ssda903_birthday(ymd(2010, 6, 5), 1), ymd(2011, 6, 5));
	assert_int_equal(cc_ssda903_age(ymd(2004, 2, 29), ymd(2022, 2, 28)), 17);
	assert_int_equal(cc_ssda903_age(ymd(2004, 2, 29), ymd(2022, 3, 1)), 18);
	assert_int_equal(cc_ssda903_age(ymd(2010, 6, 5), ymd(2010, 6, 4)), -1);
	assert_int_equal(cc_ssda903_age(ymd(2010, 6, 5), ymd(2010, 6, 5)), 0);
}

static void test_cc_ssda903_read_headers(void **state)
{
	(void)state;
	run r;
	start(&r);
	read_texts(&r,
	           HH "K100001,1,05/06/2010,WBRI,,,\n"
	              "K100001,1,05/06/2010,WBRI,,,\n" /* 3: duplicate */
	              "K100002,1,05/06/2011,WBRI,,,\n"
	              "K100002,1,06/06/2011,WBRI,,,\n" /* 5: conflicting DOB */
	              "K100003,1,05/06/2012,WBRI,,,\n"
	              "K100003,2,05/06/2012,WBRI,,,\n" /* 7: SEX differs */
	              ",1,05/06/2012,WBRI,,,\n",       /* 8: no CHILD */
	           EH "K100001,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n"
	              "K100002,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n"
	              "K100003,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n"
	              "K100004,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n",
	           2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	expect_diag(&r, "header.csv:3",
	            "warning: the child's Header row repeats the one at line 2; that one is used "
	            "[header-duplicate]");
	expect_diag(&r, "header.csv:5",
	            "DOB: expected one date of birth per child, found another in the Header row at "
	            "line 4 of this return [header-conflict]");
	expect_diag(&r, "header.csv:7",
	            "warning: SEX: differs from the Header row at line 6 of this return; that one "
	            "is used [header-changed]");
	expect_diag(&r, "header.csv:8",
	            "CHILD: expected the child's identifier, found an empty cell; row left out "
	            "[child-blank]");
	expect_diag(&r, "episodes.csv:3",
	            "found none usable: its Header rows give different dates of birth; episode "
	            "left out [no-header]");
	expect_diag(&r, "episodes.csv:5",
	            "found none usable: no return of the data has a Header row for it; episode "
	            "left out [no-header]");
	assert_int_equal(r.q.children, 2);
	assert_int_equal(cc_ssda903_child_at(r.ds, 1)->sex, CC_SEX_MALE);
	finish(&r);

	/* No Header file at all. */
	start(&r);
	read_texts(&r, NULL, EH "K100001,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n", 2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	expect_diag(&r, "episodes.csv:2", "[no-header]");
	assert_int_equal(r.q.children, 0);
	assert_int_equal(cc_ssda903_nlas(r.ds), 1); /* the LA still has its year */
	finish(&r);
}

static void test_cc_ssda903_read_overlaps(void **state)
{
	(void)state;
	run r;
	start(&r);
	read_texts(&r, CLEAN_HEADER,
	           EH "K100001,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n"              /* 2: open */
	              "K100001,01/08/2019,S,V2,N1,K2,PR4,01/12/2019,E13,,,,\n" /* 3 */
	              "K100002,10/05/2019,S,V2,N1,U4,PR1,01/10/2019,E13,,,,\n" /* 4 */
	              "K100002,01/08/2019,P,V2,N1,K2,PR4,,,,,,\n",             /* 5 */
	           2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	char msg[400];
	snprintf(msg, sizeof msg,
	         "warning: DECOM: expected the child's previous episode (%s:2) to have ended by "
	         "this date, found it open; it is cut to end here [overlap]",
	         r.ep);
	expect_diag(&r, "episodes.csv:3", msg);
	snprintf(msg, sizeof msg,
	         "warning: DECOM: expected a date on or after the DEC of the child's previous "
	         "episode (%s:4), found an earlier one; that episode is cut to end here "
	         "[overlap]",
	         r.ep);
	expect_diag(&r, "episodes.csv:5", msg);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_OVERLAP), 2);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_CHAIN_CODES), 0); /* no cascade */
	const cc_ssda903_episode *e = ep_of(&r, 0, 0);
	assert_int_equal(e->dec, ymd(2019, 8, 1));
	assert_int_equal(e->rec, CC_REC_X1);
	assert_true(e->flags & CC_SSDA903_EP_CUT);
	assert_false(ep_of(&r, 0, 1)->flags & CC_SSDA903_EP_PERIOD_START);
	assert_int_equal(ep_of(&r, 1, 0)->dec, ymd(2019, 8, 1));
	finish(&r);
}

static void test_cc_ssda903_read_chains(void **state)
{
	(void)state;
	run r;
	start(&r);
	read_texts(&r, CLEAN_HEADER,
	           /* K100001: a first episode inside the year with RNE P, then a gap. */
	           EH "K100001,10/05/2019,P,V2,N1,U4,PR1,01/06/2019,X1,,,,\n"  /* 2 */
	              "K100001,05/06/2019,P,V2,N1,U4,PR1,01/07/2019,E13,,,,\n" /* 3 */
	              "K100001,01/07/2019,T,V2,N1,U4,PR1,01/08/2019,X1,,,,\n"  /* 4 */
	              "K100001,01/08/2019,S,V2,N1,U4,PR1,,,,,,\n"              /* 5 */
	              /* K100002: begun before the year: RNE L is fine. */
	              "K100002,10/05/2018,L,V2,N1,U4,PR1,01/06/2019,E13,,,,\n" /* 6 */
	              "K100002,01/06/2019,S,V2,N1,U4,PR1,,,,,,\n",             /* 7 */
	           2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	expect_diag(&r, "episodes.csv:2",
	            "warning: RNE: expected S for the child's first episode in the data, which "
	            "starts within the collection years read, found P [chain-first]");
	expect_diag(&r, "episodes.csv:2",
	            "warning: REC: expected an episode starting on DEC after X1, found the next "
	            "one starting later [x1-no-next]");
	char msg[400];
	snprintf(msg, sizeof msg,
	         "warning: RNE: expected S, as the child's previous episode (%s:2) ended before "
	         "this DECOM, found P [chain-gap]",
	         r.ep);
	expect_diag(&r, "episodes.csv:3", msg);
	snprintf(msg, sizeof msg,
	         "warning: RNE: expected S after the previous episode (%s:3) ended with E13 (an "
	         "exit) the same day, found T [chain-codes]",
	         r.ep);
	expect_diag(&r, "episodes.csv:4", msg);
	snprintf(msg, sizeof msg,
	         "warning: RNE: expected a continuation code (L, P, T, B or U) after the previous "
	         "episode (%s:4) ended with X1 the same day, found S [chain-codes]",
	         r.ep);
	expect_diag(&r, "episodes.csv:5", msg);
	assert_int_equal(count_diag(&r, "episodes.csv:6", ""), 0);
	assert_int_equal(count_diag(&r, "episodes.csv:7", ""), 0);
	/* Periods: 2 | 3 4 5 (same-day follow-ons are one period) | 6 | 7. */
	assert_true(ep_of(&r, 0, 0)->flags & CC_SSDA903_EP_PERIOD_START);
	assert_true(ep_of(&r, 0, 1)->flags & CC_SSDA903_EP_PERIOD_START);
	assert_false(ep_of(&r, 0, 2)->flags & CC_SSDA903_EP_PERIOD_START);
	assert_false(ep_of(&r, 0, 3)->flags & CC_SSDA903_EP_PERIOD_START);
	assert_true(ep_of(&r, 1, 1)->flags & CC_SSDA903_EP_PERIOD_START); /* E13 then S */
	assert_true(ep_of(&r, 1, 0)->flags & CC_SSDA903_EP_BEFORE);
	finish(&r);
}

/* ---- stitching years ----------------------------------------------------------------- */

static void test_cc_ssda903_read_stitches_years(void **state)
{
	(void)state;
	run r;
	start(&r);
	put(r.dir, "h19.csv", CLEAN_HEADER);
	put(r.dir, "h20.csv", CLEAN_HEADER);
	put(r.dir, "h21.csv", CLEAN_HEADER);
	put(r.dir, "e19.csv",
	    EH "K100001,10/05/2018,S,V2,N1,U4,PR1,,,,,,\n"   /* 2: closes in 2020 */
	       "K100002,10/05/2018,S,V2,N1,U6,PR1,,,,,,\n"   /* 3: PLACE differs */
	       "K100003,10/05/2018,S,V2,N1,U4,PR1,,,,,,\n"   /* 4: vanishes */
	       "K100003,10/05/2018,S,V2,N1,U4,PR1,,,,,,\n"   /* 5: duplicate */
	       "K100003,10/04/2019,S,V2,N1,U4,PR1,,,,,,\n"); /* 6: after the year */
	put(r.dir, "e20.csv",
	    EH "K100002,10/05/2018,S,V2,N1,U4,PR1,01/12/2019,X1,,,,\n" /* 2 */
	       "K100002,01/12/2019,P,V3,N1,U4,PR1,,,,,,\n");           /* 3: not in 2021 */
	put(r.dir, "e21.csv",
	    EH "K100001,10/05/2018,S,V2,N1,U4,PR1,20/06/2020,E4A,,,,\n"); /* 2: not in 2020 */
	char h[3][128], e[3][128];
	cc_ssda903_input in[3];
	for (int i = 0; i < 3; i++) {
		snprintf(h[i], sizeof h[i], "%s/h%d.csv", r.dir, 19 + i);
		snprintf(e[i], sizeof e[i], "%s/e%d.csv", r.dir, 19 + i);
		in[i] = (cc_ssda903_input){ h[i], e[i], 2019 + i, 1, NULL };
	}
	r.rc = cc_ssda903_read(in, 3, NULL, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	char msg[320];
	snprintf(msg, sizeof msg,
	         "warning: the same episode (child and DECOM) in the later return %s:2 differs "
	         "in PLACE (U6 here, U4 there); the later return is used [stitch-conflict]",
	         e[1]);
	expect_diag(&r, "e19.csv:3", msg);
	expect_diag(&r, "e19.csv:4",
	            "warning: expected this episode, open at the end of this return (31 March "
	            "2019), also in the LA's next return, found it in none later; kept open with "
	            "its end unknown [stitch-lost]");
	expect_diag(&r, "e19.csv:5",
	            "DECOM: expected one episode per child and start date in a return, found "
	            "another at line 4; row left out [episode-duplicate]");
	expect_diag(&r, "e19.csv:6",
	            "warning: DECOM: expected a date on or before 31 March 2019, which closes "
	            "this return's collection year, found a later one [date-after-return]");
	expect_diag(&r, "e20.csv:3", "[stitch-lost]");
	expect_diag(&r, "e21.csv:2",
	            "warning: expected this episode also in the LA's return for the year ending "
	            "31 March 2020, whose collection year it overlaps, found it in 2 other returns "
	            "only [stitch-missing]");
	assert_int_equal(count_diag(&r, "e20.csv:2", ""), 0); /* closing an open one is fine */
	assert_int_equal(r.q.errors, 1);
	/* K100001: one episode, from the latest return, closed. */
	const cc_ssda903_episode *k1 = ep_of(&r, 0, 0);
	assert_int_equal(cc_ssda903_child_at(r.ds, 0)->nepisodes, 1);
	assert_int_equal(k1->dec, ymd(2020, 6, 20));
	assert_int_equal(k1->rec, CC_REC_E4A);
	assert_string_equal(cc_ssda903_file(r.ds, k1->file), e[2]);
	assert_int_equal(k1->last_seen, ymd(2021, 3, 31));
	/* K100002: the later PLACE wins; the open episode missing from 2021 is lost. */
	assert_int_equal(ep_of(&r, 1, 0)->place, CC_PLACE_U4);
	assert_int_equal(ep_of(&r, 1, 0)->dec, ymd(2019, 12, 1));
	assert_true(ep_of(&r, 1, 1)->flags & CC_SSDA903_EP_LOST);
	assert_int_equal(ep_of(&r, 1, 1)->dec, CC_SSDA903_OPEN);
	assert_int_equal(ep_of(&r, 1, 1)->last_seen, ymd(2020, 3, 31));
	/* K100003: the lost one is cut by the next episode. */
	const cc_ssda903_episode *k3 = ep_of(&r, 2, 0);
	assert_true(k3->flags & CC_SSDA903_EP_CUT);
	assert_false(k3->flags & CC_SSDA903_EP_LOST);
	const cc_ssda903_la *la = cc_ssda903_la_at(r.ds, 0);
	assert_int_equal(la->first_year_end, ymd(2019, 3, 31));
	assert_int_equal(la->last_year_end, ymd(2021, 3, 31));
	assert_int_equal(la->nyears, 3);
	assert_int_equal(cc_ssda903_nreturns(r.ds), 3);
	finish(&r);
}

static void test_cc_ssda903_read_year_labels(void **state)
{
	(void)state;
	const char *ep = EH "K100001,10/05/2019,S,V2,N1,U4,PR1,01/09/2019,E13,,,,\n"
	                    "K100002,10/01/2020,S,V2,N1,U4,PR1,,,,,,\n";
	run r;
	/* Label 2019 with dates from April 2019 to March 2020: the starting year. */
	start(&r);
	put(r.dir, "header.csv", CLEAN_HEADER);
	put(r.dir, "episodes.csv", ep);
	cc_ssda903_input in = { r.hd, r.ep, 2019, 0, NULL };
	r.rc = cc_ssda903_read(&in, 1, NULL, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_diags_count(r.d), 0);
	assert_int_equal(cc_ssda903_year_labels(r.ds), CC_SSDA903_YEAR_STARTING);
	assert_int_equal(cc_ssda903_return_at(r.ds, 0)->year_end, ymd(2020, 3, 31));
	assert_int_equal(cc_ssda903_return_at(r.ds, 0)->year_source, CC_SSDA903_FROM_INPUT);
	/* Told that labels name the closing year, the dates are late. */
	cc_ssda903_opts o = { 0 };
	o.year_label = CC_SSDA903_YEAR_ENDING;
	cc_ssda903_free(r.ds);
	r.ds = NULL;
	r.rc = cc_ssda903_read(&in, 1, &o, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_ssda903_year_labels(r.ds), CC_SSDA903_YEAR_ENDING);
	assert_int_equal(cc_ssda903_return_at(r.ds, 0)->year_end, ymd(2019, 3, 31));
	assert_int_equal(rule_count(&r, CC_SSDA903_R_DATE_AFTER_RETURN), 2);
	finish(&r);

	/* No label anywhere: from the data. */
	start(&r);
	read_texts(&r, CLEAN_HEADER, ep, 0, NULL);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_ssda903_year_labels(r.ds), CC_SSDA903_YEAR_AUTO);
	assert_int_equal(cc_ssda903_return_at(r.ds, 0)->year_end, ymd(2020, 3, 31));
	assert_int_equal(cc_ssda903_return_at(r.ds, 0)->year_source, CC_SSDA903_FROM_DATA);
	finish(&r);

	/* A file name "2019-20": the year ending 31 March 2020, whatever the option. */
	start(&r);
	put(r.dir, "h.csv", CLEAN_HEADER);
	put(r.dir, "903_2019-20_episodes.csv", ep);
	char h[128], e[128];
	snprintf(h, sizeof h, "%s/h.csv", r.dir);
	snprintf(e, sizeof e, "%s/903_2019-20_episodes.csv", r.dir);
	cc_ssda903_input named = { h, e, 0, 0, NULL };
	o.year_label = CC_SSDA903_YEAR_STARTING;
	r.rc = cc_ssda903_read(&named, 1, &o, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_ssda903_return_at(r.ds, 0)->year_end, ymd(2020, 3, 31));
	assert_int_equal(cc_ssda903_return_at(r.ds, 0)->year_source, CC_SSDA903_FROM_NAME);
	assert_int_equal(cc_diags_count(r.d), 0);
	finish(&r);
}

static void test_cc_ssda903_read_year_missing(void **state)
{
	(void)state;
	run r;
	start(&r);
	put(r.dir, "h.csv", CLEAN_HEADER);
	put(r.dir, "e18.csv", EH "K100001,10/05/2017,S,V2,N1,U4,PR1,01/09/2017,E13,,,,\n");
	put(r.dir, "e20.csv", EH "K100002,10/05/2019,S,V2,N1,U4,PR1,01/09/2019,E13,,,,\n");
	char h[128], e18[128], e20[128];
	snprintf(h, sizeof h, "%s/h.csv", r.dir);
	snprintf(e18, sizeof e18, "%s/e18.csv", r.dir);
	snprintf(e20, sizeof e20, "%s/e20.csv", r.dir);
	cc_ssda903_input in[2] = { { h, e18, 2018, 1, NULL }, { NULL, e20, 2020, 1, NULL } };
	r.rc = cc_ssda903_read(in, 2, NULL, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	expect_diag(&r, NULL,
	            "warning: the data: expected a return for the year ending 31 March 2019, "
	            "between the returns read, found none [year-missing]");
	assert_int_equal(cc_ssda903_la_at(r.ds, 0)->nyears, 2);
	/* The Header of one return serves the other's episodes. */
	assert_int_equal(r.q.children, 2);
	finish(&r);

	/* The same year twice is an error. */
	start(&r);
	put(r.dir, "h.csv", CLEAN_HEADER);
	put(r.dir, "e18.csv", EH "K100001,10/05/2017,S,V2,N1,U4,PR1,01/09/2017,E13,,,,\n");
	snprintf(h, sizeof h, "%s/h.csv", r.dir);
	snprintf(e18, sizeof e18, "%s/e18.csv", r.dir);
	cc_ssda903_input twice[2] = { { h, e18, 2018, 1, NULL }, { NULL, e18, 2017, 0, NULL } };
	r.rc = cc_ssda903_read(twice, 2, NULL, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_EPARSE);
	assert_null(r.ds);
	char msg[400];
	snprintf(msg, sizeof msg,
	         "expected one return per collection year, found a second one for the data and "
	         "the year ending 31 March 2018 (also in %s) [file]",
	         e18);
	expect_diag(&r, "e18.csv", msg);
	finish(&r);
}

static void test_cc_ssda903_read_pooled_la_selection(void **state)
{
	(void)state;
	cc_ssda903_input in = { DATA "/pooled/header.csv", DATA "/pooled/episodes.csv", 0, 0,
		                NULL };
	run r;
	start(&r);
	r.rc = cc_ssda903_read(&in, 1, NULL, &r.ds, &r.q, r.d);
	if (cc_diags_count(r.d))
		dump(&r);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_diags_count(r.d), 0);
	assert_int_equal(cc_ssda903_year_labels(r.ds), CC_SSDA903_YEAR_ENDING);
	assert_int_equal(cc_ssda903_nlas(r.ds), 3);
	assert_string_equal(cc_ssda903_la_at(r.ds, 0)->name, "Bromley");
	assert_string_equal(cc_ssda903_la_at(r.ds, 1)->name, "Hillingdon");
	assert_string_equal(cc_ssda903_la_at(r.ds, 2)->name, "Southwark");
	assert_int_equal(cc_ssda903_la_at(r.ds, 1)->first_year_end, ymd(2019, 3, 31));
	assert_int_equal(cc_ssda903_la_at(r.ds, 2)->first_year_end, ymd(2018, 3, 31));
	/* CHILD P500001 in Bromley and in Southwark are two children. */
	assert_int_equal(r.q.children, 4);
	assert_int_equal(r.q.episodes, 5);
	assert_int_equal(cc_ssda903_child_at(r.ds, 0)->la, 0);
	assert_int_equal(cc_ssda903_child_at(r.ds, 0)->dob, ymd(2011, 3, 18));
	assert_int_equal(cc_ssda903_child_at(r.ds, 2)->la, 2);
	assert_int_equal(cc_ssda903_child_at(r.ds, 2)->dob, ymd(2009, 7, 29));
	assert_int_equal(ep_of(&r, 0, 0)->rec, CC_REC_E11);
	assert_int_equal(cc_ssda903_nreturns(r.ds), 5);
	assert_int_equal(cc_ssda903_return_at(r.ds, 0)->year_source, CC_SSDA903_FROM_COLUMN);
	finish(&r);

	/* Selection is case-insensitive and ignores surrounding blanks. */
	const char *sel[] = { "southwark", " BROMLEY " };
	cc_ssda903_opts o = { 0 };
	o.las = sel;
	o.nlas = 2;
	start(&r);
	r.rc = cc_ssda903_read(&in, 1, &o, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_ssda903_nlas(r.ds), 2);
	assert_string_equal(cc_ssda903_la_at(r.ds, 1)->name, "Southwark");
	assert_int_equal(r.q.children, 3);
	assert_int_equal(r.q.other_la_rows, 2);
	assert_int_equal(cc_ssda903_la_at(r.ds, 1)->first_child, 1);
	assert_int_equal(cc_ssda903_la_at(r.ds, 1)->nchildren, 2);
	finish(&r);

	const char *nowhere[] = { "Camden" };
	o.las = nowhere;
	o.nlas = 1;
	start(&r);
	r.rc = cc_ssda903_read(&in, 1, &o, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_EINVAL);
	assert_null(r.ds);
	expect_diag(&r, NULL,
	            "LA selection: expected one of the LAs in the data (Bromley, Southwark, "
	            "Hillingdon), found \"Camden\"");
	finish(&r);

	/* Without an LA column there is one unnamed LA: a selection cannot match. */
	start(&r);
	read_texts(&r, CLEAN_HEADER, EH "K100001,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n", 2020, &o);
	assert_int_equal(r.rc, CC_EINVAL);
	expect_diag(&r, NULL,
	            "LA selection: expected one of the LAs in the data (an unnamed LA: the files "
	            "have no LA column), found \"Camden\"");
	finish(&r);

	/* An LA for files without the column. */
	start(&r);
	put(r.dir, "header.csv", CLEAN_HEADER);
	put(r.dir, "episodes.csv", EH "K100001,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n");
	cc_ssda903_input camden = { r.hd, r.ep, 2020, 1, "Camden" };
	r.rc = cc_ssda903_read(&camden, 1, &o, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	assert_string_equal(cc_ssda903_la_at(r.ds, 0)->name, "Camden");
	finish(&r);
}

static void test_cc_ssda903_read_la_and_year_cells(void **state)
{
	(void)state;
	run r;
	start(&r);
	read_texts(&r,
	           "CHILD,SEX,DOB,LA,YEAR\nK100001,1,05/06/2010,Barnet,2020\n"
	           "K100002,1,05/06/2010,Barnet,2019-20\n",
	           "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,LA,YEAR\n"
	           "K100001,10/05/2019,S,V2,N1,U4,PR1,,,,2020\n"           /* 2: no LA */
	           "K100001,10/05/2019,S,V2,N1,U4,PR1,,,Barnet,20x9\n"     /* 3 */
	           "K100001,10/05/2019,S,V2,N1,U4,PR1,,,Barnet,123456\n"   /* 4 */
	           "K100001,10/05/2019,S,V2,N1,U4,PR1,,,Barnet,\n"         /* 5 */
	           "K100002,10/05/2019,S,V2,N1,U4,PR1,,,barnet,2019-20\n", /* 6 */
	           0, NULL);
	assert_int_equal(r.rc, CC_OK);
	expect_diag(&r, "episodes.csv:2",
	            "LA: expected the name of a local authority, found an empty cell; row left "
	            "out [la-blank]");
	expect_diag(&r, "episodes.csv:3",
	            "YEAR: expected a year such as 2019 or 2019-20, found \"20x9\"; row left "
	            "out [year-invalid]");
	expect_diag(&r, "episodes.csv:4", "found text shaped \"999999\"; row left out");
	expect_diag(&r, "episodes.csv:5", "found an empty cell; row left out [year-invalid]");
	assert_int_equal(r.q.episodes, 1);
	assert_string_equal(cc_ssda903_la_at(r.ds, 0)->name, "Barnet");
	finish(&r);

	/* An LA column in one table of an input only. */
	start(&r);
	read_texts(&r, CLEAN_HEADER,
	           "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,LA\n"
	           "K100001,10/05/2019,S,V2,N1,U4,PR1,,,Barnet\n",
	           2020, NULL);
	assert_int_equal(r.rc, CC_EPARSE);
	char msg[400];
	snprintf(msg, sizeof msg,
	         "expected an LA column as in %s (children are identified by LA and CHILD), found "
	         "none [columns]",
	         r.ep);
	expect_diag(&r, "header.csv:1", msg);
	finish(&r);
}

static void test_cc_ssda903_read_file_errors(void **state)
{
	(void)state;
	run r;
	start(&r);
	cc_ssda903_input in = { NULL, "/nonexistent/episodes.csv", 0, 0, NULL };
	r.rc = cc_ssda903_read(&in, 1, NULL, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_EIO);
	assert_null(r.ds);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_FILE), 1);
	finish(&r);

	/* The wrong table where the Header should be. */
	start(&r);
	read_texts(&r, "CHILD,SEX,DOB,DUC\nK100001,1,05/06/2010,05/06/2028\n",
	           EH "K100001,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n", 2020, NULL);
	assert_int_equal(r.rc, CC_EPARSE);
	expect_diag(&r, "header.csv:1", "expected the Header table, found the UASC table [file]");
	finish(&r);

	/* Missing columns, and a header line that is really data. */
	start(&r);
	read_texts(&r, CLEAN_HEADER, "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER\n", 2020, NULL);
	assert_int_equal(r.rc, CC_EPARSE);
	expect_diag(&r, "episodes.csv:1",
	            "expected the Episodes table's columns DEC, REC, found no such columns "
	            "[columns]");
	finish(&r);
	start(&r);
	read_texts(&r, CLEAN_HEADER, "K100001,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n", 2020, NULL);
	assert_int_equal(r.rc, CC_EPARSE);
	expect_diag(&r, "episodes.csv:1",
	            "(the first line looks like data: is the header line missing?) [columns]");
	finish(&r);

	/* A file that is not valid CSV; rows the CSV reader drops are counted. */
	start(&r);
	read_texts(&r, CLEAN_HEADER, EH "K100001,\"10/05/2019,S\n", 2020, NULL);
	assert_int_equal(r.rc, CC_EPARSE);
	expect_diag(&r, "episodes.csv:2:9", "expected a closing quote");
	finish(&r);
	start(&r);
	read_texts(&r, CLEAN_HEADER,
	           EH "K100001,10/05/2019,S,V2\nK100002,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n", 2020,
	           NULL);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_CSV_ROW), 1);
	expect_diag(&r, "episodes.csv:2:24", "expected 13 fields as in the header, found 4");
	assert_int_equal(r.q.episodes, 1);
	finish(&r);

	/* No inputs, or no Episodes file. */
	start(&r);
	assert_int_equal(cc_ssda903_read(NULL, 0, NULL, &r.ds, &r.q, r.d), CC_EINVAL);
	cc_ssda903_input half = { "h.csv", NULL, 0, 0, NULL };
	assert_int_equal(cc_ssda903_read(&half, 1, NULL, &r.ds, NULL, r.d), CC_EINVAL);
	expect_diag(&r, NULL, "expected at least one SSDA903 Episodes file, found none");
	finish(&r);
}

static void test_cc_ssda903_read_strict(void **state)
{
	(void)state;
	const char *ep = EH "K100001,10/05/2019,S,V2,N1,U4,PR1,01/06/2019,,,,,\n";
	run r;
	start(&r);
	read_texts(&r, CLEAN_HEADER, ep, 2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(r.q.warnings, 1);
	finish(&r);
	cc_ssda903_opts o = { 0 };
	o.strict = 1;
	start(&r);
	read_texts(&r, CLEAN_HEADER, ep, 2020, &o);
	assert_int_equal(r.rc, CC_EPARSE);
	assert_null(r.ds);
	assert_int_equal(r.q.errors, 1);
	assert_int_equal(r.q.warnings, 0);
	assert_int_equal(r.q.rule[CC_SSDA903_R_DEC_REC].severity, CC_DIAG_ERROR);
	assert_int_equal(r.q.rule[CC_SSDA903_R_DEC_REC].count, 1);
	assert_string_equal(r.q.rule[CC_SSDA903_R_DEC_REC].id, "dec-rec");
	/* Reported as an error, not a warning. */
	expect_diag(&r, "episodes.csv:2", "REC: expected the reason the episode ended");
	assert_int_equal(count_diag(&r, "episodes.csv:2", "warning:"), 0);
	finish(&r);
}

static void test_cc_ssda903_read_messages_capped(void **state)
{
	(void)state;
	size_t n = 50;
	char *ep = malloc(200 + n * 64);
	assert_non_null(ep);
	size_t len = (size_t)sprintf(ep, EH);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(ep + len, "K100001,%02zu/05/2019,S,V2,N1,XX,PR1,,,,,,\n",
		                       i % 28 + 1);
	run r;
	start(&r);
	read_texts(&r, CLEAN_HEADER, ep, 2020, NULL);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_CODE_PLACE), n);
	assert_int_equal(count_diag(&r, NULL, "[code-place]"), 1);
	expect_diag(&r, NULL, "30 more [code-place] problems not shown (50 in all)");
	assert_int_equal(cc_diags_count(r.d), 21);
	finish(&r);
	cc_ssda903_opts o = { 0 };
	o.messages_per_rule = 5;
	start(&r);
	read_texts(&r, CLEAN_HEADER, ep, 2020, &o);
	assert_int_equal(cc_diags_count(r.d), 6);
	expect_diag(&r, NULL, "45 more [code-place] problems not shown (50 in all)");
	finish(&r);
	free(ep);
}

/* ---- folders ---------------------------------------------------------------------- */

static cc_ssda903_files *discover_ok(const char *dir, cc_diags *d)
{
	cc_ssda903_files *f = NULL;
	int rc = cc_ssda903_discover(dir, &f, d);
	if (rc != CC_OK) {
		for (size_t i = 0; i < cc_diags_count(d); i++) {
			char *s = cc_diag_format(cc_diags_get(d, i));
			fprintf(stderr, "  %s\n", s);
			free(s);
		}
	}
	assert_int_equal(rc, CC_OK);
	return f;
}

static int skipped(const cc_ssda903_files *f, const char *path, const char *why)
{
	for (size_t i = 0; i < cc_ssda903_files_nskipped(f); i++) {
		const char *w;
		const char *p = cc_ssda903_files_skipped(f, i, &w);
		if (strcmp(p, path) == 0 && strcmp(w, why) == 0)
			return 1;
	}
	return 0;
}

static void read_found(run *r, const cc_ssda903_files *f)
{
	r->rc = cc_ssda903_read(cc_ssda903_files_inputs(f), cc_ssda903_files_count(f), NULL, &r->ds,
	                        &r->q, r->d);
}

static void test_cc_ssda903_discover_yearly_folders(void **state)
{
	(void)state;
	run r;
	start(&r);
	cc_ssda903_files *f = discover_ok(DATA "/yearly", r.d);
	assert_int_equal(cc_ssda903_files_count(f), 2);
	const cc_ssda903_input *in = cc_ssda903_files_inputs(f);
	assert_string_equal(in[0].header, DATA "/yearly/2019/header.csv");
	assert_string_equal(in[0].episodes, DATA "/yearly/2019/episodes.csv");
	assert_int_equal(in[0].year, 2019);
	assert_int_equal(in[1].year, 2020);
	assert_int_equal(cc_ssda903_files_nskipped(f), 3);
	assert_true(skipped(f, DATA "/yearly/2020/uasc.csv", "the UASC table; not used"));
	assert_true(skipped(f, DATA "/yearly/README.txt", "not a .csv file"));
	assert_true(skipped(f, DATA "/yearly/archive",
	                    "a folder without a year in its name; not searched"));
	const char *why = NULL;
	assert_string_equal(cc_ssda903_files_skipped(f, 99, &why), "");
	assert_string_equal(why, "");
	read_found(&r, f);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_ssda903_year_labels(r.ds), CC_SSDA903_YEAR_ENDING);
	assert_int_equal(r.q.children, 3);
	assert_int_equal(r.q.episodes, 4);
	assert_int_equal(r.q.errors, 0);
	assert_int_equal(r.q.warnings, 1);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_STITCH_CONFLICT), 1);
	assert_int_equal(ep_of(&r, 0, 1)->rec, CC_REC_E4A);
	assert_int_equal(cc_ssda903_child_at(r.ds, 2)->dob, ymd(2012, 2, 29));
	cc_ssda903_files_free(f);
	finish(&r);
}

static void test_cc_ssda903_discover_named_files(void **state)
{
	(void)state;
	run r;
	start(&r);
	cc_ssda903_files *f = discover_ok(DATA "/named", r.d);
	assert_int_equal(cc_ssda903_files_count(f), 2);
	assert_int_equal(cc_ssda903_files_inputs(f)[1].year, 2018);
	assert_true(skipped(f, DATA "/named/2017-missing.csv", "the Missing table; not used"));
	read_found(&r, f);
	assert_int_equal(r.rc, CC_OK);
	/* These samples name a year by the April it starts. */
	assert_int_equal(cc_ssda903_year_labels(r.ds), CC_SSDA903_YEAR_STARTING);
	assert_int_equal(cc_ssda903_la_at(r.ds, 0)->first_year_end, ymd(2018, 3, 31));
	assert_int_equal(r.q.children, 3);
	assert_int_equal(r.q.episodes, 7);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_DEC_REC), 2);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_STITCH_LOST), 1);
	assert_int_equal(r.q.errors + r.q.warnings, 3);
	cc_ssda903_files_free(f);
	finish(&r);
}

static void test_cc_ssda903_discover_pooled_single_and_liia(void **state)
{
	(void)state;
	run r;
	start(&r);
	cc_ssda903_files *f = discover_ok(DATA "/pooled", r.d);
	assert_int_equal(cc_ssda903_files_count(f), 1);
	assert_int_equal(cc_ssda903_files_inputs(f)[0].year, 0);
	assert_true(skipped(f, DATA "/pooled/uasc.csv", "the UASC table; not used"));
	read_found(&r, f);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(r.q.children, 4);
	cc_ssda903_files_free(f);
	finish(&r);

	/* A byte-order mark, CRLF, SEX as M/F and no year anywhere. */
	start(&r);
	f = discover_ok(DATA "/single", r.d);
	read_found(&r, f);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_diags_count(r.d), 0);
	const cc_ssda903_return *ret = cc_ssda903_return_at(r.ds, 0);
	assert_int_equal(ret->year_end, ymd(2024, 3, 31));
	assert_int_equal(ret->year_source, CC_SSDA903_FROM_DATA);
	assert_int_equal(cc_ssda903_child_at(r.ds, 1)->sex, CC_SEX_FEMALE);
	assert_int_equal(ep_of(&r, 0, 1)->place, CC_PLACE_K3);
	assert_true(ep_of(&r, 1, 0)->flags & CC_SSDA903_EP_BEFORE);
	cc_ssda903_files_free(f);
	finish(&r);

	/* liia-tools' test return: every child's Header rows disagree. */
	start(&r);
	f = discover_ok(DATA "/liia", r.d);
	read_found(&r, f);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_HEADER_CONFLICT), 3);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_NO_HEADER), 5);
	assert_int_equal(r.q.children, 0);
	cc_ssda903_files_free(f);
	finish(&r);
}

/* Number of diagnostics anywhere whose formatted text contains text. */
static size_t count_text(const run *r, const char *text)
{
	size_t n = 0;
	for (size_t i = 0; i < cc_diags_count(r->d); i++) {
		char *s = cc_diag_format(cc_diags_get(r->d, i));
		n += s && strstr(s, text);
		free(s);
	}
	return n;
}

static void test_cc_ssda903_read_liia_stitching_cases(void **state)
{
	(void)state;
	run r;
	start(&r);
	cc_ssda903_files *f = discover_ok(DATA "/liia_fixes", r.d);
	read_found(&r, f);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_ssda903_year_labels(r.ds), CC_SSDA903_YEAR_ENDING);
	assert_int_equal(r.q.children, 10);
	assert_int_equal(r.q.episodes, 23);
	assert_int_equal(r.q.errors, 0);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_STITCH_LOST), 6);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_STITCH_MISSING), 6);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_OVERLAP), 7);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_CHAIN_GAP), 1);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_CHAIN_FIRST), 1);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_X1_NO_NEXT), 1);
	assert_int_equal(rule_count(&r, CC_SSDA903_R_YEAR_MISSING), 1);
	assert_int_equal(r.q.warnings, 23);
	expect_diag(&r, NULL,
	            "warning: LA Barking and Dagenham: expected a return for the year ending 31 "
	            "March 2021, between the returns read, found none [year-missing]");
	/* RULE4_BAD (lines 19-22): each episode is cut where the next begins. */
	assert_int_equal(count_text(&r,
	                            DATA "/liia_fixes/episodes.csv:21: warning: DECOM: "
	                                 "expected a date on or after the DEC of the child's "
	                                 "previous episode (" DATA "/liia_fixes/episodes.csv:20)"),
	                 1);
	size_t c = 0;
	while (c < r.q.children && ep_of(&r, c, 0)->decom != ymd(2018, 11, 23))
		c++;
	assert_true(c < r.q.children);
	assert_int_equal(cc_ssda903_child_at(r.ds, c)->nepisodes, 4);
	for (size_t k = 0; k + 1 < 4; k++) {
		assert_int_equal(ep_of(&r, c, k)->dec, ep_of(&r, c, k + 1)->decom);
		assert_int_equal(ep_of(&r, c, k)->rec, CC_REC_X1);
	}
	assert_int_equal(ep_of(&r, c, 3)->rec, CC_REC_E4A);
	cc_ssda903_files_free(f);
	finish(&r);
}

static void test_cc_ssda903_discover_skips_odd_entries(void **state)
{
	(void)state;
	run r;
	start(&r);
	char sub[160], path[200];
	snprintf(sub, sizeof sub, "%s/2019", r.dir);
	assert_int_equal(mkdir(sub, 0777), 0);
	put(sub, "header.csv", CLEAN_HEADER);
	put(sub, "episodes.csv", EH "K100001,10/05/2018,S,V2,N1,U4,PR1,,,,,,\n");
	snprintf(path, sizeof path, "%s/2019/old", r.dir);
	assert_int_equal(mkdir(path, 0777), 0);
	snprintf(path, sizeof path, "%s/pipe.csv", r.dir);
	assert_int_equal(mkfifo(path, 0666), 0);
	put(r.dir, "broken.csv", "\"CHILD,DECOM\n");
	put(r.dir, "other.csv", "A,B\n1,2\n");
	put(r.dir, ".hidden.csv", "A,B\n");
	cc_ssda903_files *f = discover_ok(r.dir, r.d);
	assert_int_equal(cc_ssda903_files_count(f), 1);
	assert_int_equal(cc_ssda903_files_nskipped(f), 4);
	snprintf(path, sizeof path, "%s/2019/old", r.dir);
	assert_true(skipped(f, path, "a folder inside a yearly folder; not searched"));
	snprintf(path, sizeof path, "%s/pipe.csv", r.dir);
	assert_true(skipped(f, path, "not a regular file"));
	snprintf(path, sizeof path, "%s/broken.csv", r.dir);
	assert_true(skipped(f, path, "cannot be read as a CSV file"));
	snprintf(path, sizeof path, "%s/other.csv", r.dir);
	assert_true(skipped(f, path,
	                    "not an SSDA903 Header or Episodes table (its header line "
	                    "lacks the columns)"));
	cc_ssda903_files_free(f);
	cc_ssda903_files_free(NULL);
	finish(&r);
}

static void test_cc_ssda903_read_header_changed_between_years(void **state)
{
	(void)state;
	run r;
	start(&r);
	put(r.dir, "h19.csv", HH "K100001,1,05/06/2010,WBRI,,,\nK100002,1,05/06/2011,WBRI,,,\n");
	put(r.dir, "h20.csv", HH "K100001,1,06/06/2010,WBRI,,,\nK100002,2,05/06/2011,WBRI,,,\n");
	put(r.dir, "e19.csv", EH "K100001,10/05/2018,S,V2,N1,U4,PR1,,,,,,\n");
	put(r.dir, "e20.csv",
	    EH "K100001,10/05/2018,S,V2,N1,U4,PR1,,,,,,\n"
	       "K100002,10/05/2019,S,V2,N1,U4,PR1,,,,,,\n");
	char h19[128], h20[128], e19[128], e20[128];
	snprintf(h19, sizeof h19, "%s/h19.csv", r.dir);
	snprintf(h20, sizeof h20, "%s/h20.csv", r.dir);
	snprintf(e19, sizeof e19, "%s/e19.csv", r.dir);
	snprintf(e20, sizeof e20, "%s/e20.csv", r.dir);
	cc_ssda903_input in[2] = { { h19, e19, 2019, 1, NULL }, { h20, e20, 2020, 1, NULL } };
	r.rc = cc_ssda903_read(in, 2, NULL, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	char msg[400];
	snprintf(msg, sizeof msg,
	         "warning: DOB: differs from the child's Header row in the later return %s:2, "
	         "which is used [header-changed]",
	         h20);
	expect_diag(&r, "h19.csv:2", msg);
	expect_diag(&r, "h19.csv:3", "warning: SEX: differs from the child's Header row");
	assert_int_equal(cc_ssda903_child_at(r.ds, 0)->dob, ymd(2010, 6, 6));
	assert_int_equal(cc_ssda903_child_at(r.ds, 1)->sex, CC_SEX_FEMALE);
	assert_int_equal(r.q.warnings, 2);
	finish(&r);
}

static void test_cc_ssda903_discover_errors(void **state)
{
	(void)state;
	run r;
	start(&r);
	cc_ssda903_files *f = NULL;
	assert_int_equal(cc_ssda903_discover("/nonexistent/folder", &f, r.d), CC_EIO);
	assert_null(f);
	assert_int_equal(count_text(&r, "/nonexistent/folder: cannot read the folder: "), 1);
	finish(&r);

	start(&r);
	assert_int_equal(cc_ssda903_discover(r.dir, &f, r.d), CC_EPARSE);
	assert_int_equal(count_text(&r, ": expected SSDA903 Episodes tables (CSV files with CHILD, "
	                                "DECOM, RNE, LS and PLACE columns), found none"),
	                 1);
	finish(&r);

	start(&r);
	put(r.dir, "2019-header.csv", CLEAN_HEADER);
	put(r.dir, "2019-episodes.csv", EH);
	put(r.dir, "2019-episodes-copy.csv", EH);
	put(r.dir, "2020-header.csv", CLEAN_HEADER);
	put(r.dir, "broken.csv", "\"CHILD,DECOM\n");
	assert_int_equal(cc_ssda903_discover(r.dir, &f, r.d), CC_EPARSE);
	assert_null(f);
	expect_diag(&r, "2019-episodes.csv",
	            "expected one Episodes table and at most one Header table for year 2019, "
	            "found 2 and 1: this is one of them (name the files of each return "
	            "explicitly)");
	expect_diag(&r, "2020-header.csv",
	            "expected one Episodes table and at most one Header table for year 2020, "
	            "found 0 and 1");
	finish(&r);
}

/* ---- privacy ------------------------------------------------------------------------- */

typedef struct {
	char **v;
	size_t n, cap;
} strings;

static void add_string(strings *s, const char *v)
{
	if (strlen(v) < 3)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		assert_non_null(s->v);
	}
	s->v[s->n] = malloc(strlen(v) + 1);
	assert_non_null(s->v[s->n]);
	strcpy(s->v[s->n++], v);
}

/* Adds the identifying values of a CSV file: CHILD, UPN, postcodes and dates of
 * birth (in both date forms). */
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
				add_string(s, v);
				cc_date dt;
				char iso[CC_DATE_STRLEN], dmy[16];
				if (cc_date_parse_dmy(v, &dt) == CC_OK ||
				    cc_date_parse_iso(v, &dt) == CC_OK) {
					int y, m, dd;
					cc_date_to_ymd(dt, &y, &m, &dd);
					cc_date_format(dt, iso);
					snprintf(dmy, sizeof dmy, "%02d/%02d/%04d", dd, m, y);
					add_string(s, iso);
					add_string(s, dmy);
				}
			}
		}
	}
	cc_csv_free(t);
	cc_diags_free(d);
}

static void collect_tree(strings *s, const char *dir)
{
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode))
			collect_tree(s, path);
		else if (strstr(path, ".csv"))
			collect(s, path);
	}
	closedir(dp);
}

static void assert_no_personal_data(const cc_diags *d, const strings *s)
{
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		char *m = cc_diag_format(cc_diags_get(d, i));
		assert_non_null(m);
		/* The file name may hold anything the user chose; look past it. */
		const cc_diag *e = cc_diags_get(d, i);
		const char *text = e->message;
		for (size_t k = 0; k < s->n; k++)
			if (strstr(text, s->v[k]))
				fail_msg("diagnostic quotes \"%s\": %s", s->v[k], m);
		free(m);
	}
}

static void test_cc_ssda903_read_privacy(void **state)
{
	(void)state;
	run r;
	start(&r);
	/* Rows built to tempt a careless message: identifiers, dates of birth
	 * and postcodes in code and date columns. */
	const char *hd = HH "C123456,17/12/1999,17/12/2009,WBRI,A123456789012,,\n"
	                    "AB12,1,03/04/2008,WBRI,B123456789012,,\n"
	                    "D765432,1,2008-04-03,WBRI,UN1,,\n";
	const char *ep = EH "C123456,17/12/2009,S,C2,N1,U4,PR1,,,,AB1 2CD,EF3 4GH,1\n"
	                    "C123456,10/05/2019,C123456,AB1 2CD,N1,C123456,PR1,,,,,,\n"
	                    "C123456,2009-12-17,S,C2,N1,U4,PR1,,,,,,\n"
	                    "C123456,17/12/19999,S,C2,N1,U4,PR1,,,,,,\n"
	                    "AB12,03/04/2008,S,AB12,N1,AB12,EF3 4GH,03/04/2026,AB12,,,,\n"
	                    "D765432,01/01/2019,S,V2,N1,U4,PR1,,,,,,\n";
	put(r.dir, "header.csv", hd);
	put(r.dir, "episodes.csv", ep);
	strings s = { NULL, 0, 0 };
	collect(&s, r.hd);
	collect(&s, r.ep);
	add_string(&s, "AB1 2CD");
	add_string(&s, "EF3 4GH");
	cc_ssda903_input in = { r.hd, r.ep, 2020, 1, NULL };
	r.rc = cc_ssda903_read(&in, 1, NULL, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	assert_true(cc_diags_count(r.d) >= 8);
	/* Every fixture folder, read the same way. */
	collect_tree(&s, DATA);
	static const char *const dirs[] = { "yearly", "named", "pooled", "single", "liia" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char dir[128];
		snprintf(dir, sizeof dir, DATA "/%s", dirs[i]);
		cc_ssda903_files *f = discover_ok(dir, r.d);
		cc_ssda903 *ds = NULL;
		cc_ssda903_read(cc_ssda903_files_inputs(f), cc_ssda903_files_count(f), NULL, &ds,
		                NULL, r.d);
		/* Nor does the dataset hold identifiers: only LA and file names. */
		for (size_t k = 0; ds && k < cc_ssda903_nlas(ds); k++)
			for (size_t j = 0; j < s.n; j++)
				assert_null(strstr(cc_ssda903_la_at(ds, k)->name, s.v[j]));
		cc_ssda903_free(ds);
		cc_ssda903_files_free(f);
	}
	assert_true(s.n > 50);
	assert_no_personal_data(r.d, &s);
	for (size_t i = 0; i < s.n; i++)
		free(s.v[i]);
	free(s.v);
	finish(&r);
}

/* ---- size --------------------------------------------------------------------------- */

static void test_cc_ssda903_read_large_synthetic(void **state)
{
	(void)state;
	size_t nkids = cc_test_small() ? 7000 : 70000; /* three episodes each */
	run r;
	start(&r);
	FILE *h = fopen(r.hd, "w"), *e = fopen(r.ep, "w");
	assert_non_null(h);
	assert_non_null(e);
	fputs(HH, h);
	fputs(EH, e);
	cc_date base = ymd(2006, 1, 1), first = ymd(2019, 4, 1);
	for (size_t i = 0; i < nkids; i++) {
		int y, m, d;
		cc_date_to_ymd(base + (cc_date)(i * 37 % 4000), &y, &m, &d);
		fprintf(h, "N%07zu,%d,%02d/%02d/%04d,WBRI,A123456789012,,\n", i, 1 + (int)(i % 2),
		        d, m, y);
		cc_date t = first + (cc_date)(i % 200);
		for (int k = 0; k < 3; k++) {
			cc_date_to_ymd(t, &y, &m, &d);
			char dec[16] = "";
			if (k < 2) {
				int y2, m2, d2;
				cc_date_to_ymd(t + 30, &y2, &m2, &d2);
				snprintf(dec, sizeof dec, "%02d/%02d/%04d", d2, m2, y2);
			}
			fprintf(e,
			        "N%07zu,%02d/%02d/%04d,%s,C2,N1,U4,PR1,%s,%s,,AB1 2CD,EF3 4GH,1\n",
			        i, d, m, y, k ? "P" : "S", dec, k < 2 ? "X1" : "");
			t += 30;
		}
	}
	assert_int_equal(fclose(h), 0);
	assert_int_equal(fclose(e), 0);
	double t0 = seconds();
	cc_ssda903_input in = { r.hd, r.ep, 2020, 1, NULL };
	r.rc = cc_ssda903_read(&in, 1, NULL, &r.ds, &r.q, r.d);
	double dt = seconds() - t0;
	if (cc_diags_count(r.d))
		dump(&r);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_diags_count(r.d), 0);
	assert_int_equal(r.q.children, nkids);
	assert_int_equal(r.q.episodes, 3 * nkids);
	/* About 0.2 s optimised; generous for sanitizers and slow machines. */
	if (dt > 10.0)
		fail_msg("%zu rows took %.2f s", 3 * nkids, dt);
	finish(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_ssda903_read_clean_return),
		cmocka_unit_test(test_cc_ssda903_read_date_formats),
		cmocka_unit_test(test_cc_ssda903_read_codes),
		cmocka_unit_test(test_cc_ssda903_code_parse_and_names),
		cmocka_unit_test(test_cc_ssda903_rule_info_complete),
		cmocka_unit_test(test_cc_ssda903_read_dec_rec_and_order),
		cmocka_unit_test(test_cc_ssda903_read_ages),
		cmocka_unit_test(test_cc_ssda903_read_headers),
		cmocka_unit_test(test_cc_ssda903_read_overlaps),
		cmocka_unit_test(test_cc_ssda903_read_chains),
		cmocka_unit_test(test_cc_ssda903_read_stitches_years),
		cmocka_unit_test(test_cc_ssda903_read_year_labels),
		cmocka_unit_test(test_cc_ssda903_read_year_missing),
		cmocka_unit_test(test_cc_ssda903_read_pooled_la_selection),
		cmocka_unit_test(test_cc_ssda903_read_la_and_year_cells),
		cmocka_unit_test(test_cc_ssda903_read_file_errors),
		cmocka_unit_test(test_cc_ssda903_read_strict),
		cmocka_unit_test(test_cc_ssda903_read_messages_capped),
		cmocka_unit_test(test_cc_ssda903_discover_yearly_folders),
		cmocka_unit_test(test_cc_ssda903_discover_named_files),
		cmocka_unit_test(test_cc_ssda903_discover_pooled_single_and_liia),
		cmocka_unit_test(test_cc_ssda903_read_liia_stitching_cases),
		cmocka_unit_test(test_cc_ssda903_discover_skips_odd_entries),
		cmocka_unit_test(test_cc_ssda903_discover_errors),
		cmocka_unit_test(test_cc_ssda903_read_header_changed_between_years),
		cmocka_unit_test(test_cc_ssda903_read_privacy),
		cmocka_unit_test(test_cc_ssda903_read_large_synthetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
