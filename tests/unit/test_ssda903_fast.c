/*
 * test_ssda903_fast.c - the SSDA903 reader's fast paths against what they
 * replace: code lookup by table against a scan of the code lists, the
 * ordering of rows (a counting sort by child, then a small sort per child)
 * on children with many rows, children ordered by identifiers that share
 * long prefixes or differ only in case, the last-return and prefetched-hash
 * shortcuts on rows whose LA and year keep changing, and many children with
 * identifiers of every length.
 */
#include "carecast/error.h"
#include "carecast/ssda903.h"
#include "cc_test.h"

#include <dirent.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define HH "CHILD,SEX,DOB\n"
#define EH "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE\n"

/* ---- helpers ------------------------------------------------------------------- */

typedef struct {
	char *s;
	size_t len, cap;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(text *t, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (t->s && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap ? 2 * t->cap : 4096;
		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		char *p = realloc(t->s, cap);
		assert_non_null(p);
		t->s = p;
		t->cap = cap;
	}
}

typedef struct {
	char dir[64];
	cc_diags *d;
	cc_ssda903 *ds;
	cc_ssda903_quality q;
	int rc;
} run;

static void start(run *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->dir, sizeof r->dir, "/tmp/cc_test_ssda903_fast.XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	r->d = cc_diags_alloc(100000);
	assert_non_null(r->d);
}

/* Writes dir/name; returns its path (static buffer, one of four). */
static const char *put(const run *r, const char *name, const char *body)
{
	static char paths[4][128];
	static int next;
	char *path = paths[next++ % 4];
	snprintf(path, 128, "%s/%s", r->dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(body, 1, strlen(body), f), strlen(body));
	assert_int_equal(fclose(f), 0);
	return path;
}

static void finish(run *r)
{
	cc_ssda903_free(r->ds);
	cc_diags_free(r->d);
	DIR *dp = opendir(r->dir);
	struct dirent *e;
	while (dp && (e = readdir(dp)) != NULL) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", r->dir, e->d_name);
		if (e->d_name[0] != '.')
			unlink(path);
	}
	if (dp)
		closedir(dp);
	rmdir(r->dir);
}

static void dump(const run *r)
{
	for (size_t i = 0; i < cc_diags_count(r->d); i++) {
		char *s = cc_diag_format(cc_diags_get(r->d, i));
		fprintf(stderr, "  %s\n", s ? s : "?");
		free(s);
	}
}

/* Diagnostics whose text contains part. */
static size_t count_diag(const run *r, const char *part)
{
	size_t n = 0;
	for (size_t i = 0; i < cc_diags_count(r->d); i++) {
		char *s = cc_diag_format(cc_diags_get(r->d, i));
		assert_non_null(s);
		n += strstr(s, part) != NULL;
		free(s);
	}
	return n;
}

static cc_date ymd(int y, int m, int d)
{
	cc_date out;
	assert_int_equal(cc_date_from_ymd(y, m, d, &out), CC_OK);
	return out;
}

static void dmy(cc_date d, char buf[11])
{
	int y, m, dd;
	cc_date_to_ymd(d, &y, &m, &dd);
	snprintf(buf, 11, "%02d/%02d/%04d", dd, m, y);
}

/* ---- code lists ----------------------------------------------------------------------- */

/* The lookup as it was: trim, upper-case, scan the list. */
static unsigned reference_code(cc_ssda903_list list, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return 0;
	if (n >= 8)
		return 1;
	char up[8];
	for (size_t i = 0; i < n; i++)
		up[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
	up[n] = '\0';
	if (list == CC_SSDA903_SEX && n == 1 && (up[0] == '1' || up[0] == '2'))
		return up[0] == '1' ? CC_SEX_MALE : CC_SEX_FEMALE;
	for (unsigned i = 2; i < cc_ssda903_code_count(list); i++)
		if (strcmp(cc_ssda903_code_name(list, i), up) == 0)
			return i;
	return 1;
}

static void test_cc_ssda903_code_parse_matches_scan(void **state)
{
	(void)state;
	static const char *const pieces[] = { "",  " ",  "\t", "a",   "U",   "4",  "e",    "4a",
		                              "R", "1",  "2",  "m",   "F",   "PR", "0",    "5",
		                              "X", "Z1", "1",  "CUS", "tod", "é",  "\x01", "  x" };
	size_t npieces = sizeof pieces / sizeof *pieces;
	char buf[64];
	size_t checked = 0, codes = 0;
	for (int l = 0; l < CC_SSDA903_NLISTS; l++) {
		cc_ssda903_list list = (cc_ssda903_list)l;
		/* Every code, in any case, with blanks around and a character more. */
		for (unsigned c = 2; c < cc_ssda903_code_count(list); c++) {
			const char *name = cc_ssda903_code_name(list, c);
			const char *before[] = { "", " ", "", " \t", "", "X", "" };
			const char *after[] = { "", "", "\t", "  ", "X", "", " " };
			for (size_t f = 0; f < sizeof before / sizeof *before; f++) {
				snprintf(buf, sizeof buf, "%s%s%s%s", before[f], name, after[f],
				         f == 6 ? name : "");
				for (size_t i = 0; buf[i]; i++)
					if ((i + f) % 2 && buf[i] >= 'A' && buf[i] <= 'Z')
						buf[i] = (char)(buf[i] - 'A' + 'a');
				unsigned got = cc_ssda903_code_parse(list, buf);
				assert_int_equal(got, reference_code(list, buf));
				codes += got == c;
				checked++;
			}
		}
		/* Strings of up to four pieces: lengths 0 to 12, blanks anywhere. */
		for (size_t a = 0; a < npieces; a++)
			for (size_t b = 0; b < npieces; b++)
				for (size_t c = 0; c < npieces; c += 3)
					for (size_t d = 0; d < npieces; d += 5) {
						snprintf(buf, sizeof buf, "%s%s%s%s", pieces[a],
						         pieces[b], pieces[c], pieces[d]);
						unsigned got = cc_ssda903_code_parse(list, buf);
						if (got != reference_code(list, buf))
							fail_msg("list %d, \"%s\": %u, expected %u",
							         l, buf, got,
							         reference_code(list, buf));
						checked++;
					}
	}
	assert_true(checked > 100000);
	assert_true(codes > 4 * 100);
}

/* ---- ordering ------------------------------------------------------------------------- */

/* One child with 40 episodes in each of two returns, written in a shuffled
 * order, some repeated within a return and some changed between returns:
 * more rows for one child than the small sort handles, so the general sort
 * orders them. */
static void test_cc_ssda903_read_many_rows_for_one_child(void **state)
{
	(void)state;
	run r;
	start(&r);
	enum { N = 40 };
	cc_date start_day = ymd(2020, 1, 1);
	text e1 = { NULL, 0, 0 }, e2 = { NULL, 0, 0 };
	add(&e1, EH);
	add(&e2, EH);
	/* Row order in each file: a fixed shuffle. */
	size_t line1[N], line2[N];
	size_t l1 = 2, l2 = 2;
	for (size_t k = 0; k < N; k++) {
		size_t i = (k * 17 + 5) % N, j = (k * 23 + 11) % N;
		char decom[11], dec[11];
		dmy(start_day + (cc_date)(3 * i), decom);
		dmy(start_day + (cc_date)(3 * i + 3), dec);
		/* Return 1 (to 31 March 2020): all open; episode 7 twice. */
		add(&e1, "K1,%s,%s,C2,N1,U4,PR1,,,\n", decom, i ? "P" : "S");
		line1[i] = l1++;
		if (i == 7)
			add(&e1, "K1,%s,P,C2,N1,U4,PR1,,,\n", decom), l1++;
		/* Return 2 (to 31 March 2021): closed; PLACE differs for i % 10 == 3. */
		dmy(start_day + (cc_date)(3 * j), decom);
		dmy(start_day + (cc_date)(3 * j + 3), dec);
		add(&e2, "K1,%s,%s,C2,N1,%s,PR1,%s,%s,\n", decom, j ? "P" : "S",
		    j % 10 == 3 ? "U5" : "U4", dec, j == N - 1 ? "E11" : "X1");
		line2[j] = l2++;
	}
	const char *h1 = put(&r, "h1.csv", HH "K1,1,01/01/2010\n");
	const char *h2 = put(&r, "h2.csv", HH "K1,1,01/01/2010\n");
	char hp1[128], hp2[128], ep1[128], ep2[128];
	snprintf(hp1, sizeof hp1, "%s", h1);
	snprintf(hp2, sizeof hp2, "%s", h2);
	snprintf(ep1, sizeof ep1, "%s", put(&r, "e1.csv", e1.s));
	snprintf(ep2, sizeof ep2, "%s", put(&r, "e2.csv", e2.s));
	cc_ssda903_input in[2] = { { hp1, ep1, 2020, 1, NULL }, { hp2, ep2, 2021, 1, NULL } };
	r.rc = cc_ssda903_read(in, 2, NULL, &r.ds, &r.q, r.d);
	if (r.rc != CC_OK)
		dump(&r);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_ssda903_nchildren(r.ds), 1);
	assert_int_equal(cc_ssda903_nepisodes(r.ds), N);
	for (size_t i = 0; i < N; i++) {
		const cc_ssda903_episode *e = cc_ssda903_episode_at(r.ds, i);
		assert_int_equal(e->decom, start_day + (cc_date)(3 * i));
		assert_int_equal(e->dec, start_day + (cc_date)(3 * i + 3));
		assert_int_equal(e->place, i % 10 == 3 ? CC_PLACE_U5 : CC_PLACE_U4);
		assert_string_equal(cc_ssda903_file(r.ds, e->file), ep2);
		assert_int_equal(e->line, line2[i]);
		assert_int_equal(e->last_seen, ymd(2021, 3, 31));
	}
	/* The repeated row is the later one in its file; PLACE changes are
	 * reported at the earlier return's rows, in DECOM order. */
	assert_int_equal(r.q.rule[CC_SSDA903_R_EPISODE_DUPLICATE].count, 1);
	char msg[256];
	snprintf(msg, sizeof msg,
	         "%s:%zu: DECOM: expected one episode per child and start date "
	         "in a return, found another at line %zu; row left out",
	         ep1, line1[7] + 1, line1[7]);
	assert_int_equal(count_diag(&r, msg), 1);
	assert_int_equal(r.q.rule[CC_SSDA903_R_STITCH_CONFLICT].count, 4);
	size_t seen = 0;
	for (size_t i = 0; i < cc_diags_count(r.d); i++) {
		const cc_diag *g = cc_diags_get(r.d, i);
		if (!strstr(g->message, "[stitch-conflict]"))
			continue;
		size_t want = 3 + 10 * seen++;
		assert_int_equal(g->line, line1[want]);
		snprintf(msg, sizeof msg,
		         "in the later return %s:%zu differs in PLACE (U4 here, "
		         "U5 there)",
		         ep2, line2[want]);
		assert_non_null(strstr(g->message, msg));
	}
	assert_int_equal(seen, 4);
	free(e1.s);
	free(e2.s);
	finish(&r);
}

/* Identifiers sharing their first 16 or more characters, or differing only
 * in case: children are ordered as strcasecmp, then strcmp, order them. */
static const char *const ids[] = {
	"ABCDEFGHIJKLMNOPQRS1",
	"abcdefghijklmnopqrs0",
	"ABCDEFGHIJKLMNOPQRS0",
	"ABCDEFGHIJKLMNOP",
	"abcdefghijklmnop",
	"ABCDEFGHIJKLMNOPa",
	"ABCDEFGHIJKLMNOP_",
	"ABCDEFGH",
	"abcdefgh_",
	"A_",
	"a",
	"B",
	"_",
	"Z9",
	"z9",
	"ABCDEFGHIJKLMNOPQRS1X",
	"0001",
	"001",
};
#define NIDS (sizeof ids / sizeof *ids)

static int cmp_id(const void *a, const void *b)
{
	const char *x = ids[*(const size_t *)a], *y = ids[*(const size_t *)b];
	int c = strcasecmp(x, y);
	return c ? c : strcmp(x, y);
}

static void test_cc_ssda903_read_children_ordered_by_identifier(void **state)
{
	(void)state;
	run r;
	start(&r);
	text h = { NULL, 0, 0 }, e = { NULL, 0, 0 };
	add(&h, HH);
	add(&e, EH);
	/* Child i is born on day i after 1 January 2010: the DOB names it. */
	for (size_t i = 0; i < NIDS; i++) {
		char dob[11];
		dmy(ymd(2010, 1, 1) + (cc_date)i, dob);
		add(&h, "%s,1,%s\n", ids[i], dob);
		add(&e, "%s,01/05/2019,S,C2,N1,U4,PR1,,,\n", ids[i]);
	}
	char hp[128], ep[128];
	snprintf(hp, sizeof hp, "%s", put(&r, "header.csv", h.s));
	snprintf(ep, sizeof ep, "%s", put(&r, "episodes.csv", e.s));
	cc_ssda903_input in = { hp, ep, 2020, 1, NULL };
	r.rc = cc_ssda903_read(&in, 1, NULL, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_ssda903_nchildren(r.ds), NIDS);
	size_t order[NIDS];
	for (size_t i = 0; i < NIDS; i++)
		order[i] = i;
	qsort(order, NIDS, sizeof *order, cmp_id);
	for (size_t k = 0; k < NIDS; k++)
		assert_int_equal(cc_ssda903_child_at(r.ds, k)->dob,
		                 ymd(2010, 1, 1) + (cc_date)order[k]);
	free(h.s);
	free(e.s);
	finish(&r);
}

/* Pooled files whose LA and YEAR change from row to row (the LA also in
 * case), so that the last return and the prefetched hash (computed with the
 * last row's LA) are often wrong: every row must still land in its return
 * and its child. */
static void test_cc_ssda903_read_alternating_las_and_years(void **state)
{
	(void)state;
	run r;
	start(&r);
	static const char *const las[] = { "Camden", "Brent", "camden", "BRENT", "Ealing" };
	text h = { NULL, 0, 0 }, e = { NULL, 0, 0 };
	add(&h, "LA,YEAR,CHILD,SEX,DOB\n");
	add(&e, "LA,YEAR,CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
	        "REASON_PLACE_CHANGE\n");
	enum { NK = 120 };
	size_t rows[3][2] = { { 0 } }; /* LA (Camden, Brent, Ealing) x year */
	int child_in[3][7] = { { 0 } };
	for (size_t k = 0; k < NK; k++) {
		/* The LA changes every other row, the year every row, and the
		 * two patterns drift against each other every 30 rows. */
		size_t a = (k / 2 + k / 30) % 5;
		int year = (int)((k + k / 30) % 2);
		size_t li = a == 4 ? 2 : a % 2 == 0 ? 0 : 1;
		/* The same CHILD in every LA: one child per LA. */
		add(&h, "%s,%d,C%zu,2,01/02/2012\n", las[a], 2019 + year, k % 7);
		add(&e, "%s,%d,C%zu,01/05/%d,S,C2,N1,U4,PR1,,,\n", las[a], 2019 + year, k % 7,
		    2018 + year);
		rows[li][year]++;
		child_in[li][k % 7] = 1;
	}
	char hp[128], ep[128];
	snprintf(hp, sizeof hp, "%s", put(&r, "header.csv", h.s));
	snprintf(ep, sizeof ep, "%s", put(&r, "episodes.csv", e.s));
	cc_ssda903_input in = { hp, ep, 0, 0, NULL };
	cc_ssda903_opts o = { 0 };
	o.year_label = CC_SSDA903_YEAR_ENDING;
	r.rc = cc_ssda903_read(&in, 1, &o, &r.ds, &r.q, r.d);
	if (r.rc != CC_OK)
		dump(&r);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_ssda903_nlas(r.ds), 3);
	assert_string_equal(cc_ssda903_la_at(r.ds, 0)->name, "Brent");
	assert_string_equal(cc_ssda903_la_at(r.ds, 1)->name, "Camden");
	assert_string_equal(cc_ssda903_la_at(r.ds, 2)->name, "Ealing");
	assert_int_equal(cc_ssda903_nreturns(r.ds), 6);
	size_t la_of_name[3] = { 1, 0, 2 }; /* Camden, Brent, Ealing -> dataset index */
	for (size_t li = 0; li < 3; li++)
		for (int year = 0; year < 2; year++) {
			const cc_ssda903_return *ret =
			    cc_ssda903_return_at(r.ds, 2 * la_of_name[li] + (size_t)year);
			assert_int_equal(ret->la, la_of_name[li]);
			assert_int_equal(ret->year_end, ymd(2019 + year, 3, 31));
			assert_int_equal(ret->episode_rows, rows[li][year]);
		}
	/* C0..C6 in each LA where they occur, each with its own episodes. */
	size_t children = 0;
	for (size_t li = 0; li < 3; li++) {
		size_t in_la = 0;
		for (size_t c = 0; c < 7; c++)
			in_la += (size_t)child_in[li][c];
		assert_int_equal(cc_ssda903_la_at(r.ds, la_of_name[li])->nchildren, in_la);
		children += in_la;
	}
	assert_int_equal(cc_ssda903_nchildren(r.ds), children);
	size_t episodes = 0;
	for (size_t c = 0; c < cc_ssda903_nchildren(r.ds); c++)
		episodes += cc_ssda903_child_at(r.ds, c)->nepisodes;
	assert_int_equal(episodes, cc_ssda903_nepisodes(r.ds));
	free(h.s);
	free(e.s);
	finish(&r);
}

/* Many children whose identifiers have every length from 1 to 24
 * characters: the hash table grows many times and hashes every tail. */
static void test_cc_ssda903_read_many_children(void **state)
{
	(void)state;
	size_t n = cc_test_small() ? 3000 : 30000;
	run r;
	start(&r);
	text h = { NULL, 0, 0 }, e = { NULL, 0, 0 };
	add(&h, HH);
	add(&e, EH);
	char **id = malloc(n * sizeof *id);
	assert_non_null(id);
	for (size_t i = 0; i < n; i++) {
		size_t len = 1 + i % 24;
		id[i] = malloc(len + 1);
		assert_non_null(id[i]);
		size_t v = i;
		for (size_t k = 0; k < len; k++) {
			id[i][len - 1 - k] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"[v % 34];
			v /= 34;
		}
		id[i][len] = '\0';
	}
	/* Lengths 1 and 2 repeat: keep the first of each identifier only. */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		int dup = 0;
		for (size_t j = 0; j < i && !dup && strlen(id[i]) <= 2; j++)
			dup = strcmp(id[i], id[j]) == 0;
		if (dup)
			continue;
		kept++;
		add(&h, "%s,%d,01/01/2012\n", id[i], 1 + (int)(i % 2));
		add(&e, "%s,01/05/2019,S,C2,N1,U4,PR1,,,\n", id[i]);
	}
	/* And every child again, in reverse, with a second episode. */
	for (size_t i = n; i-- > 0;)
		add(&e, "%s,01/06/2019,P,C2,N1,U4,PR1,,,\n", id[i]);
	char hp[128], ep[128];
	snprintf(hp, sizeof hp, "%s", put(&r, "header.csv", h.s));
	snprintf(ep, sizeof ep, "%s", put(&r, "episodes.csv", e.s));
	cc_ssda903_input in = { hp, ep, 2020, 1, NULL };
	r.rc = cc_ssda903_read(&in, 1, NULL, &r.ds, &r.q, r.d);
	assert_int_equal(r.rc, CC_OK);
	assert_int_equal(cc_ssda903_nchildren(r.ds), kept);
	assert_int_equal(cc_ssda903_nepisodes(r.ds), 2 * kept);
	/* The repeated short identifiers' second rows are duplicates. */
	assert_int_equal(r.q.rule[CC_SSDA903_R_EPISODE_DUPLICATE].count, n - kept);
	for (size_t c = 0; c < kept; c++)
		assert_int_equal(cc_ssda903_child_at(r.ds, c)->nepisodes, 2);
	for (size_t i = 0; i < n; i++)
		free(id[i]);
	free(id);
	free(h.s);
	free(e.s);
	finish(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_ssda903_code_parse_matches_scan),
		cmocka_unit_test(test_cc_ssda903_read_many_rows_for_one_child),
		cmocka_unit_test(test_cc_ssda903_read_children_ordered_by_identifier),
		cmocka_unit_test(test_cc_ssda903_read_alternating_las_and_years),
		cmocka_unit_test(test_cc_ssda903_read_many_children),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
