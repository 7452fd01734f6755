/*
 * test_csv_fast.c - the CSV reader's fast path (lines without quotes read
 * without libcsv) against libcsv reading every line: the same tables and the
 * same diagnostics on thousands of generated inputs, and on the inputs where
 * the two paths meet: quoted fields spanning lines, CR-only line ends, a
 * 10 MB field, fields and lines at the limits.
 *
 * Generated inputs come from a seeded generator; a failure prints the seed,
 * and CC_TEST_SEED=N replays that input alone.
 */
#include "carecast/csv.h"
#include "carecast/error.h"
#include "cc_test.h"
#include "csv/csv_int.h"

/* ---- comparing the two paths ------------------------------------------------- */

/* A growing text buffer. */
typedef struct {
	char *s;
	size_t len, cap;
} text;

static void put_bytes(text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		while (t->len + n + 1 > cap)
			cap *= 2;
		char *p = realloc(t->s, cap);
		assert_non_null(p);
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void put_str(text *t, const char *s) { put_bytes(t, s, strlen(s)); }

/* Everything a parse produced, as one text: status, shape, every header,
 * field and line number, and every diagnostic. */
static char *describe(int rc, const cc_csv *t, const cc_diags *d)
{
	text out = { NULL, 0, 0 };
	char buf[128];
	snprintf(buf, sizeof buf, "rc %d\n", rc);
	put_str(&out, buf);
	if (t) {
		snprintf(buf, sizeof buf, "rows %zu cols %zu header %zu dropped %zu\n",
		         cc_csv_nrows(t), cc_csv_ncols(t), cc_csv_header_line(t),
		         cc_csv_rows_dropped(t));
		put_str(&out, buf);
		for (size_t c = 0; c < cc_csv_ncols(t); c++) {
			put_str(&out, "[");
			put_str(&out, cc_csv_header(t, c));
			put_str(&out, "]");
		}
		put_str(&out, "\n");
		for (size_t r = 0; r < cc_csv_nrows(t); r++) {
			snprintf(buf, sizeof buf, "%zu:", cc_csv_line(t, r));
			put_str(&out, buf);
			for (size_t c = 0; c < cc_csv_ncols(t); c++) {
				put_str(&out, "[");
				put_str(&out, cc_csv_field(t, r, c));
				put_str(&out, "]");
			}
			put_str(&out, "\n");
		}
	}
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		char *s = cc_diag_format(cc_diags_get(d, i));
		assert_non_null(s);
		put_str(&out, s);
		put_str(&out, "\n");
		free(s);
	}
	snprintf(buf, sizeof buf, "diags %zu errors %zu dropped %zu\n", cc_diags_count(d),
	         cc_diags_errors(d), cc_diags_dropped(d));
	put_str(&out, buf);
	return out.s;
}

/* Parses text both ways; fails (showing both) unless they agree. Returns
 * the fast path's description; the caller frees it. */
static char *both_ways(const char *s, size_t len, const cc_csv_opts *o, unsigned long seed)
{
	char *got[2];
	for (int way = 0; way < 2; way++) {
		cc_diags *d = cc_diags_alloc(1000);
		assert_non_null(d);
		cc_csv *t = NULL;
		int rc = way == 0 ? cc_csv_parse("g.csv", s, len, o, &t, d)
		                  : cc_csv_parse_libcsv("g.csv", s, len, o, &t, d);
		got[way] = describe(rc, t, d);
		cc_csv_free(t);
		cc_diags_free(d);
	}
	if (strcmp(got[0], got[1]) != 0) {
		fprintf(stderr, "seed %lu: the fast path and libcsv differ\n", seed);
		if (len < 4000)
			fprintf(stderr, "input:\n%.*s\n", (int)len, s);
		fprintf(stderr, "fast path:\n%.3000s\nlibcsv:\n%.3000s\n", got[0], got[1]);
		free(got[0]);
		free(got[1]);
		fail_msg("seed %lu: replay with CC_TEST_SEED=%lu", seed, seed);
	}
	free(got[1]);
	return got[0];
}

/* ---- generated inputs ------------------------------------------------------------ */

/* xorshift64*: small, seedable, the same everywhere. */
static uint64_t rng_state;

static void rng_seed(unsigned long seed) { rng_state = 0x9E3779B97F4A7C15ULL ^ (seed + 1); }

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 0x2545F4914F6CDD1DULL) >> 33) % n;
}

static void put_field(text *t, size_t max_field)
{
	static const char *const plain[] = {
		"",           "a", "B2",   " c ",   "\td\t", "x y",
		"12345678",   "é", "€uro", "\x01",  "\v",    "CHILD",
		"01/04/2019", " ", "\t",   "  \t ", "U4",    "longer text with spaces",
		"2019-20",    "-",
	};
	static const char *const quoted[] = {
		"\"q\"",         "\"a,b\"",         "\"a\"\"b\"",   "\"line\nbreak\"",
		"\"cr\rbreak\"", "\"crlf\r\nbrk\"", " \"spaced\" ", "\"\"",
		"\"a\nb\nc\"",   "\" , \"",         "\"\"\"\"",     "\"\n\"",
	};
	static const char *const bad[] = {
		"\"closed\"x", "x\"y", "\"a\" \"b\"", "ab\"", "\"x\"\"y\"z",
	};
	unsigned k = rnd(1000);
	if (k < 700) {
		const char *p = plain[rnd(sizeof plain / sizeof *plain)];
		put_str(t, strlen(p) <= max_field || rnd(20) == 0 ? p : "");
	} else if (k < 900) {
		put_str(t, quoted[rnd(sizeof quoted / sizeof *quoted)]);
	} else if (k < 960) {
		put_str(t, bad[rnd(sizeof bad / sizeof *bad)]);
	} else {
		/* A field near the length limit (over it in one case in ten, which
		 * rejects the file), sometimes with blanks around. */
		size_t n = max_field - rnd(3) + (rnd(10) == 0);
		int q = rnd(4) == 0, blanks = rnd(3) == 0;
		if (blanks)
			put_str(t, "  ");
		if (q)
			put_str(t, "\"");
		for (size_t i = 0; i < n; i++)
			put_bytes(t, i % 7 == 3 ? " " : "z", 1);
		if (q)
			put_str(t, "\"");
		if (blanks)
			put_str(t, "\t ");
	}
}

static const char *line_end(void)
{
	static const char *const ends[] = { "\n", "\n", "\n", "\r\n", "\r\n", "\r" };
	return ends[rnd(sizeof ends / sizeof *ends)];
}

/* One input: a header line, then rows of about the header's width, blank
 * lines, stray quotes and limits, with mixed line ends. */
static void generate(text *t, cc_csv_opts *o)
{
	static const char *const names[] = { "CHILD", "DECOM", " rne ", "LS", "\"PLACE\"",
		                             "",      "dec",   "Rec",   "LA", "year" };
	static const size_t limits[] = { 0, 0, 4, 8, 9, 16 };
	memset(o, 0, sizeof *o);
	o->max_field_bytes = limits[rnd(sizeof limits / sizeof *limits)];
	if (rnd(5) == 0)
		o->max_row_messages = 1 + rnd(3);
	if (rnd(10) == 0)
		o->max_columns = 2 + rnd(3);
	size_t max_field = o->max_field_bytes ? o->max_field_bytes : 12;
	t->len = 0;
	put_str(t, "");
	if (rnd(8) == 0)
		put_str(t, "\xEF\xBB\xBF");
	for (unsigned i = rnd(3); i > 0; i--) {
		put_str(t, rnd(2) ? " " : "");
		put_str(t, line_end());
	}
	size_t ncols = 1 + rnd(6), first = rnd(10);
	for (size_t c = 0; c < ncols; c++) {
		if (c)
			put_str(t, ",");
		if (rnd(50) == 0)
			put_field(t, max_field);
		else /* unique, or now and then a repeat */
			put_str(
			    t,
			    names[(first + c + (rnd(50) == 0)) % (sizeof names / sizeof *names)]);
	}
	put_str(t, line_end());
	for (unsigned r = rnd(30); r > 0; r--) {
		unsigned kind = rnd(20);
		if (kind == 0) {
			put_str(t, rnd(2) ? "" : " \t ");
		} else {
			size_t n = ncols;
			if (kind == 1)
				n = ncols > 1 ? ncols - 1 - rnd((unsigned)ncols - 1) : 1;
			else if (kind == 2)
				n = ncols + 1 + rnd(2);
			for (size_t c = 0; c < n; c++) {
				if (c)
					put_str(t, ",");
				if (kind == 3 && c >= ncols - 1)
					put_str(t, "");
				else
					put_field(t, max_field);
			}
			if (kind == 3)
				put_str(t, ",,");
		}
		if (r > 1 || rnd(4) != 0)
			put_str(t, line_end());
	}
	if (rnd(40) == 0)
		put_str(t, "\"unterminated,field\n");
}

static void test_cc_csv_parse_fast_path_matches_libcsv(void **state)
{
	(void)state;
	const char *replay = getenv("CC_TEST_SEED");
	unsigned long first = 1, last = cc_test_small() ? 800 : 4000;
	if (replay)
		first = last = strtoul(replay, NULL, 10);
	text t = { NULL, 0, 0 };
	size_t tables = 0, rows = 0, row_errors = 0;
	for (unsigned long seed = first; seed <= last; seed++) {
		rng_seed(seed);
		cc_csv_opts o;
		generate(&t, &o);
		char *d = both_ways(t.s, t.len, &o, seed);
		const char *r = strstr(d, "\nrows ");
		if (r) {
			tables++;
			rows += (size_t)strtoul(r + 6, NULL, 10);
			row_errors += strstr(d, "row left out") != NULL;
		}
		free(d);
	}
	free(t.s);
	/* The generator must make tables with rows and rows with errors, not
	 * only rejected files. */
	size_t n = last - first + 1;
	if (!replay && (tables < n / 2 || rows < 5 * n || row_errors < n / 4))
		fail_msg("%zu inputs: %zu tables, %zu rows, %zu with row errors", n, tables, rows,
		         row_errors);
}

/* ---- where the two paths meet ------------------------------------------------------ */

static void expect_both(const char *s, const cc_csv_opts *o, const char *expected)
{
	char *d = both_ways(s, strlen(s), o, 0);
	if (strcmp(d, expected) != 0) {
		fprintf(stderr, "got:\n%s\nexpected:\n%s\n", d, expected);
		free(d);
		fail();
	}
	free(d);
}

static void test_cc_csv_parse_quoted_fields_spanning_lines(void **state)
{
	(void)state;
	/* A row that spans lines is libcsv's; the next one the fast path's,
	 * with the line numbers an editor shows. */
	expect_both("A,B\n\"x\ny\",2\n3,4\n\"p\r\nq\",\"r\rs\"\n5,6", NULL,
	            "rc 0\nrows 4 cols 2 header 1 dropped 0\n[A][B]\n"
	            "2:[x\ny][2]\n4:[3][4]\n5:[p\r\nq][r\rs]\n8:[5][6]\n"
	            "diags 0 errors 0 dropped 0\n");
	/* A quoted line break inside a short row: the row starts on line 2. */
	expect_both("A,B,C\n1,\"two\nlines\"\n7,8,9\n", NULL,
	            "rc 0\nrows 1 cols 3 header 1 dropped 1\n[A][B][C]\n4:[7][8][9]\n"
	            "g.csv:2:1: expected 3 fields as in the header, found 2: the row ends "
	            "before column 3 (C); row left out\n"
	            "diags 1 errors 1 dropped 0\n");
}

static void test_cc_csv_parse_cr_only_line_ends(void **state)
{
	(void)state;
	expect_both("A,B\r1,2\r\r \t\r3, 4 \r5\r6,7,8\r", NULL,
	            "rc 0\nrows 2 cols 2 header 1 dropped 2\n[A][B]\n2:[1][2]\n5:[3][4]\n"
	            "g.csv:6:2: expected 2 fields as in the header, found 1: the row ends "
	            "before column 2 (B); row left out\n"
	            "g.csv:7:5: expected 2 fields as in the header, found 3 with text in the "
	            "extra ones (a comma inside an unquoted field?); row left out\n"
	            "diags 2 errors 2 dropped 0\n");
	/* Mixed ends, and a last line without one. */
	expect_both("A\r\n1\r2\n3", NULL,
	            "rc 0\nrows 3 cols 1 header 1 dropped 0\n[A]\n2:[1]\n3:[2]\n4:[3]\n"
	            "diags 0 errors 0 dropped 0\n");
}

static void test_cc_csv_parse_ten_megabyte_field(void **state)
{
	(void)state;
	size_t big = (size_t)10 << 20;
	for (int quoted = 0; quoted < 2; quoted++) {
		text t = { NULL, 0, 0 };
		put_str(&t, "A,B\n1,2\n");
		if (quoted)
			put_str(&t, "\"");
		for (size_t i = 0; i < big; i += 64)
			put_str(&t,
			        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
		if (quoted)
			put_str(&t, "\"");
		put_str(&t, ",y\n3,4\n");
		/* Over the default limit of 1 MiB: the file is rejected at the field. */
		char *d = both_ways(t.s, t.len, NULL, 0);
		assert_non_null(strstr(d, "rc 4\n"));
		assert_non_null(strstr(d, "g.csv:3:1: expected a field of at most 1048576 bytes, "
		                          "found a longer one\n"));
		free(d);
		/* Within a raised limit it is read whole. */
		cc_csv_opts o = { .max_field_bytes = (size_t)16 << 20 };
		cc_diags *dg = cc_diags_alloc(10);
		cc_csv *tab = NULL;
		assert_int_equal(cc_csv_parse("g.csv", t.s, t.len, &o, &tab, dg), CC_OK);
		assert_int_equal(cc_csv_nrows(tab), 3);
		assert_int_equal(strlen(cc_csv_field(tab, 1, 0)), big);
		assert_string_equal(cc_csv_field(tab, 1, 1), "y");
		assert_string_equal(cc_csv_field(tab, 2, 1), "4");
		assert_int_equal(cc_csv_line(tab, 2), 4);
		cc_csv_free(tab);
		cc_diags_free(dg);
		free(both_ways(t.s, t.len, &o, 0));
		free(t.s);
	}
}

static void test_cc_csv_parse_fields_at_the_limit(void **state)
{
	(void)state;
	cc_csv_opts o = { .max_field_bytes = 8 };
	/* Exactly 8 bytes, trimmed or quoted: read. */
	expect_both("A,B\n12345678,  abcdefgh \t\n\"12345678\",\" 1234567\"\n", &o,
	            "rc 0\nrows 2 cols 2 header 1 dropped 0\n[A][B]\n"
	            "2:[12345678][abcdefgh]\n3:[12345678][1234567]\n"
	            "diags 0 errors 0 dropped 0\n");
	/* 9 bytes: the file is rejected at that field, unquoted or quoted, in
	 * a row or in the extra fields past the header's. */
	const char *nine[] = { "A,B\nx,123456789\n", "A,B\nx,\"123456789\"\n",
		               "A,B\nx,y,123456789\n", "A,B\nx,123456789" };
	for (size_t i = 0; i < sizeof nine / sizeof *nine; i++) {
		char *d = both_ways(nine[i], strlen(nine[i]), &o, 0);
		assert_non_null(strstr(d, "rc 4\n"));
		assert_non_null(
		    strstr(d, "expected a field of at most 8 bytes, found a longer one"));
		free(d);
	}
	/* Lines around the size fed to libcsv at once (64 KiB), unquoted. */
	for (size_t n = 65530; n <= 65540; n++) {
		text t = { NULL, 0, 0 };
		put_str(&t, "A,B\n");
		for (size_t i = 0; i + 3 < n; i++)
			put_str(&t, i % 9 == 8 ? " " : "w");
		put_str(&t, ",b\n1,2\n");
		cc_csv_opts big = { .max_field_bytes = 100000 };
		char *d = both_ways(t.s, t.len, &big, 0);
		assert_non_null(strstr(d, "rows 2 cols 2"));
		free(d);
		free(t.s);
	}
	/* libcsv is fed long lines in slices and checks the field being read
	 * after each: trailing blanks count there, so a short field followed
	 * by 70,000 blanks is too long. The fast path leaves such lines to
	 * libcsv and so agrees. */
	{
		text t = { NULL, 0, 0 };
		put_str(&t, "A,B\nabc");
		for (size_t i = 0; i < 70000; i++)
			put_str(&t, " ");
		put_str(&t, ",x\n1,2\n");
		char *d = both_ways(t.s, t.len, &o, 0);
		assert_non_null(strstr(d, "rc 4\n"));
		free(d);
		free(t.s);
	}
	/* The column limit counts the header's fields. */
	cc_csv_opts cols = { .max_columns = 3 };
	expect_both("A,B,C\n1,2,3\n", &cols,
	            "rc 0\nrows 1 cols 3 header 1 dropped 0\n[A][B][C]\n2:[1][2][3]\n"
	            "diags 0 errors 0 dropped 0\n");
	expect_both("A,B,C,D\n1,2,3,4\n", &cols,
	            "rc 4\ng.csv:1:1: expected at most 3 columns, found 4 in the header line\n"
	            "diags 1 errors 1 dropped 0\n");
}

static void test_cc_csv_parse_fast_path_blank_and_trailing(void **state)
{
	(void)state;
	/* Blank lines of blanks only, trailing empty fields, a BOM, blanks
	 * around fields and a row of empty fields. */
	expect_both("\xEF\xBB\xBF"
	            "A, B ,C\r\n \t \r\n1,2,3,,\r\n\r\n , , \r\n\t4\t,5 ,6 ,\r\n",
	            NULL,
	            "rc 0\nrows 3 cols 3 header 1 dropped 0\n[A][B][C]\n3:[1][2][3]\n"
	            "5:[][][]\n6:[4][5][6]\n"
	            "diags 0 errors 0 dropped 0\n");
	/* A stray quote: libcsv's message, and the next line read fast. */
	expect_both("A,B\nx\"y,1\n2,3\n", NULL,
	            "rc 0\nrows 1 cols 2 header 1 dropped 1\n[A][B]\n3:[2][3]\n"
	            "g.csv:2:2: expected no quote inside an unquoted field (quote the whole "
	            "field and double the quote: \"a \"\"b\"\"\"), found one; row left out\n"
	            "diags 1 errors 1 dropped 0\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_csv_parse_fast_path_matches_libcsv),
		cmocka_unit_test(test_cc_csv_parse_quoted_fields_spanning_lines),
		cmocka_unit_test(test_cc_csv_parse_cr_only_line_ends),
		cmocka_unit_test(test_cc_csv_parse_ten_megabyte_field),
		cmocka_unit_test(test_cc_csv_parse_fields_at_the_limit),
		cmocka_unit_test(test_cc_csv_parse_fast_path_blank_and_trailing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
