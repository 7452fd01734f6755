/*
 * test_csv.c - the CSV table reader: RFC 4180 quoting, line numbers, trimming,
 * every error with its exact position, limits, and speed on large inputs.
 */
#include "carecast/csv.h"
#include "carecast/error.h"
#include "cc_test.h"

#include <time.h>
#include <unistd.h>

/* ---- helpers -------------------------------------------------------------- */

typedef struct {
	cc_csv *t;
	cc_diags *d;
	int rc;
} parsed;

static parsed parse_opts(const char *text, size_t len, const cc_csv_opts *opts)
{
	parsed p;
	p.d = cc_diags_alloc(1000);
	assert_non_null(p.d);
	p.t = NULL;
	p.rc = cc_csv_parse("t.csv", text, len, opts, &p.t, p.d);
	return p;
}

static parsed parse(const char *text) { return parse_opts(text, strlen(text), NULL); }

static void done(parsed *p)
{
	cc_csv_free(p->t);
	cc_diags_free(p->d);
}

/* The formatted diagnostic i. */
static char *diag(const parsed *p, size_t i)
{
	const cc_diag *e = cc_diags_get(p->d, i);
	assert_non_null(e);
	char *s = cc_diag_format(e);
	assert_non_null(s);
	return s;
}

static void assert_diag(const parsed *p, size_t i, const char *expected)
{
	char *s = diag(p, i);
	if (strcmp(s, expected) != 0) {
		fprintf(stderr, "diagnostic %zu:\n  got      %s\n  expected %s\n", i, s, expected);
		free(s);
		fail();
	}
	free(s);
}

static void assert_diag_has(const parsed *p, size_t i, const char *prefix, const char *part)
{
	char *s = diag(p, i);
	if (strncmp(s, prefix, strlen(prefix)) != 0 || !strstr(s, part)) {
		fprintf(stderr, "diagnostic %zu: %s\n  expected prefix \"%s\" and \"%s\"\n", i, s,
		        prefix, part);
		free(s);
		fail();
	}
	free(s);
}

/* ---- good input ------------------------------------------------------------ */

static void test_cc_csv_parse_quoted_fields(void **state)
{
	(void)state;
	parsed p = parse("id,text,n\n"
	                 "1,\"a, b\",2\n"
	                 "2,\"say \"\"hi\"\"\",3\n"
	                 "3,\"two\nlines\",4\n"
	                 "4,\"\",5\n"
	                 "5,plain,6\n");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_diags_count(p.d), 0);
	assert_int_equal(cc_csv_nrows(p.t), 5);
	assert_int_equal(cc_csv_ncols(p.t), 3);
	assert_string_equal(cc_csv_field(p.t, 0, 1), "a, b");
	assert_string_equal(cc_csv_field(p.t, 1, 1), "say \"hi\"");
	assert_string_equal(cc_csv_field(p.t, 2, 1), "two\nlines");
	assert_string_equal(cc_csv_field(p.t, 3, 1), "");
	assert_string_equal(cc_csv_field(p.t, 4, 2), "6");
	/* The row after a quoted line break starts two lines later. */
	assert_int_equal(cc_csv_header_line(p.t), 1);
	assert_int_equal(cc_csv_line(p.t, 2), 4);
	assert_int_equal(cc_csv_line(p.t, 3), 6);
	assert_int_equal(cc_csv_line(p.t, 4), 7);
	assert_string_equal(cc_csv_name(p.t), "t.csv");
	assert_int_equal(cc_csv_rows_dropped(p.t), 0);
	done(&p);
}

static void test_cc_csv_parse_bom_crlf_and_cr(void **state)
{
	(void)state;
	parsed p = parse("\xEF\xBB\xBF"
	                 "CHILD,DOB\r\n"
	                 "A1,01/02/2003\r\n"
	                 "A2,\"x\r\ny\"\r\n"
	                 "A3,z\r"
	                 "A4,w");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_diags_count(p.d), 0);
	assert_string_equal(cc_csv_header(p.t, 0), "CHILD");
	assert_int_equal(cc_csv_column(p.t, "CHILD"), 0);
	assert_int_equal(cc_csv_nrows(p.t), 4);
	assert_string_equal(cc_csv_field(p.t, 1, 1), "x\r\ny");
	assert_int_equal(cc_csv_line(p.t, 0), 2);
	assert_int_equal(cc_csv_line(p.t, 1), 3);
	assert_int_equal(cc_csv_line(p.t, 2), 5);
	assert_int_equal(cc_csv_line(p.t, 3), 6); /* a lone CR ends a line too */
	assert_string_equal(cc_csv_field(p.t, 3, 1), "w");
	done(&p);
}

static void test_cc_csv_parse_blank_lines_keep_line_numbers(void **state)
{
	(void)state;
	parsed p = parse("\n  \na,b\n\n1,2\n \t \n\n3,4\n\n\n\n");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_diags_count(p.d), 0);
	assert_int_equal(cc_csv_header_line(p.t), 3);
	assert_int_equal(cc_csv_nrows(p.t), 2);
	assert_int_equal(cc_csv_line(p.t, 0), 5);
	assert_int_equal(cc_csv_line(p.t, 1), 8);
	assert_string_equal(cc_csv_field(p.t, 1, 1), "4");
	done(&p);
}

static void test_cc_csv_parse_trims_fields(void **state)
{
	(void)state;
	parsed p = parse(" a ,\tb\t, \" c \" \n  1 , \" 2\t\",\t\n");
	assert_int_equal(p.rc, CC_OK);
	assert_string_equal(cc_csv_header(p.t, 0), "a");
	assert_string_equal(cc_csv_header(p.t, 1), "b");
	assert_string_equal(cc_csv_header(p.t, 2), "c");
	assert_string_equal(cc_csv_field(p.t, 0, 0), "1");
	assert_string_equal(cc_csv_field(p.t, 0, 1), "2");
	assert_string_equal(cc_csv_field(p.t, 0, 2), "");
	done(&p);
}

static void test_cc_csv_parse_last_row_without_newline(void **state)
{
	(void)state;
	parsed p = parse("a,b\n1,2\n3,\"4\"");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_csv_nrows(p.t), 2);
	assert_string_equal(cc_csv_field(p.t, 1, 1), "4");
	assert_int_equal(cc_csv_line(p.t, 1), 3);
	done(&p);
}

static void test_cc_csv_parse_header_only(void **state)
{
	(void)state;
	parsed p = parse("CHILD,SEX,DOB\n\n");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_diags_count(p.d), 0);
	assert_int_equal(cc_csv_nrows(p.t), 0);
	assert_int_equal(cc_csv_ncols(p.t), 3);
	assert_string_equal(cc_csv_field(p.t, 0, 0), ""); /* out of range reads as "" */
	done(&p);
	p = parse("a");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_csv_ncols(p.t), 1);
	done(&p);
}

static void test_cc_csv_parse_extra_empty_fields_dropped(void **state)
{
	(void)state;
	parsed p = parse("a,b\n1,2,,\n3,4, ,\"\"\n");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_diags_count(p.d), 0);
	assert_int_equal(cc_csv_nrows(p.t), 2);
	assert_string_equal(cc_csv_field(p.t, 1, 1), "4");
	done(&p);
}

static void test_cc_csv_column_case_insensitive_and_trimmed(void **state)
{
	(void)state;
	parsed p = parse("Child, dob ,,PLACE\n1,2,3,4\n");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_csv_column(p.t, "CHILD"), 0);
	assert_int_equal(cc_csv_column(p.t, " DOB\t"), 1);
	assert_int_equal(cc_csv_column(p.t, "place"), 3);
	assert_int_equal(cc_csv_column(p.t, "DEC"), CC_CSV_NOCOL);
	assert_int_equal(cc_csv_column(p.t, ""), CC_CSV_NOCOL); /* unnamed never matches */
	assert_string_equal(cc_csv_header(p.t, 2), "");
	assert_string_equal(cc_csv_header(p.t, 9), "");
	done(&p);
}

/* ---- row errors -------------------------------------------------------------- */

static void test_cc_csv_parse_short_row_names_missing_column(void **state)
{
	(void)state;
	parsed p = parse("CHILD,DECOM,DEC,REC\nA1,01/01/2020,02/01/2020,X1\nA2,03/01/2020\n"
	                 "A3,\"x\ny\"\nA4,1,2,3\n");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_csv_nrows(p.t), 2);
	assert_int_equal(cc_csv_rows_dropped(p.t), 2);
	assert_int_equal(cc_csv_line(p.t, 1), 6);
	assert_diag(&p, 0,
	            "t.csv:3:14: expected 4 fields as in the header, found 2: the row ends before "
	            "column 3 (DEC); row left out");
	/* A row over two lines is reported at its start. */
	assert_diag(&p, 1,
	            "t.csv:4:1: expected 4 fields as in the header, found 2: the row ends before "
	            "column 3 (DEC); row left out");
	assert_int_equal(cc_diags_errors(p.d), 2);
	done(&p);
}

static void test_cc_csv_parse_extra_fields_with_text_rejected(void **state)
{
	(void)state;
	parsed p = parse("a,b\n1,2\n1,2,3\n5,6\n");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_csv_nrows(p.t), 2);
	assert_int_equal(cc_csv_rows_dropped(p.t), 1);
	assert_diag(&p, 0,
	            "t.csv:3:5: expected 2 fields as in the header, found 3 with text in the "
	            "extra ones (a comma inside an unquoted field?); row left out");
	assert_string_equal(cc_csv_field(p.t, 1, 0), "5");
	done(&p);
}

static void test_cc_csv_parse_quote_in_unquoted_field(void **state)
{
	(void)state;
	parsed p = parse("a,b,c\n1,2,3\n4,5\"x,6\n7,8,9\n");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_csv_nrows(p.t), 2);
	assert_int_equal(cc_csv_rows_dropped(p.t), 1);
	assert_diag_has(&p, 0, "t.csv:3:4: expected no quote inside an unquoted field",
	                "found one; row left out");
	/* Reading resumed on the next line. */
	assert_string_equal(cc_csv_field(p.t, 1, 2), "9");
	assert_int_equal(cc_csv_line(p.t, 1), 4);
	done(&p);
}

static void test_cc_csv_parse_text_after_closing_quote(void **state)
{
	(void)state;
	parsed p = parse("a,b\n\"1\"x,2\n\"3\" \"y\",4\n5,6\n");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_csv_nrows(p.t), 1);
	assert_diag(&p, 0,
	            "t.csv:2:4: expected a comma or the end of the line after a closing quote, "
	            "found 'x'; row left out");
	assert_diag(&p, 1,
	            "t.csv:3:5: expected a comma or the end of the line after a closing quote, "
	            "found '\"'; row left out");
	done(&p);
}

static void test_cc_csv_parse_columns_count_characters(void **state)
{
	(void)state;
	/* "é" and "€" are one character each, two and three bytes. */
	parsed p = parse("a,b\n\xC3\xA9\xE2\x82\xAC,x\"y\n");
	assert_int_equal(p.rc, CC_OK);
	assert_diag_has(&p, 0, "t.csv:2:5: expected no quote", "row left out");
	done(&p);
}

static void test_cc_csv_parse_row_error_messages_capped(void **state)
{
	(void)state;
	size_t n = 100;
	char *text = malloc(16 + n * 8);
	assert_non_null(text);
	size_t len = (size_t)sprintf(text, "a,b,c\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "%zu,2\n", i);
	parsed p = parse_opts(text, len, NULL);
	free(text);
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_csv_nrows(p.t), 0);
	assert_int_equal(cc_csv_rows_dropped(p.t), n);
	assert_int_equal(cc_diags_count(p.d), CC_CSV_MAX_ROW_MESSAGES + 1);
	assert_diag(&p, CC_CSV_MAX_ROW_MESSAGES,
	            "t.csv: 80 more rows with too few fields not shown (100 in all, each left "
	            "out)");
	done(&p);
}

static void test_cc_csv_parse_does_not_echo_fields(void **state)
{
	(void)state;
	/* Row errors name positions and columns, never the data. */
	parsed p = parse("CHILD,DOB,SEX\nSECRET1,12/03/2010\nSECRET2,\"13/03/2011\"x,1\n"
	                 "SECRET3,14/03/2012,1,EXTRA\n");
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_diags_count(p.d), 3);
	for (size_t i = 0; i < 3; i++) {
		char *s = diag(&p, i);
		assert_null(strstr(s, "SECRET"));
		assert_null(strstr(s, "/20"));
		assert_null(strstr(s, "EXTRA"));
		free(s);
	}
	done(&p);
}

/* ---- file errors ---------------------------------------------------------------- */

static void test_cc_csv_parse_unterminated_quote_at_opening_quote(void **state)
{
	(void)state;
	parsed p = parse("a,b,c\n1,2,3\n4,  \"open\nmore\n\nstill open,\n");
	assert_int_equal(p.rc, CC_EPARSE);
	assert_null(p.t);
	assert_diag(&p, 0,
	            "t.csv:3:5: expected a closing quote for the field that starts here, found "
	            "the end of the file");
	done(&p);
}

static void test_cc_csv_parse_nul_byte(void **state)
{
	(void)state;
	static const char text[] = "a,b\n1,2\n3,4\0,5\n";
	parsed p = parse_opts(text, sizeof text - 1, NULL);
	assert_int_equal(p.rc, CC_EPARSE);
	assert_null(p.t);
	assert_diag(&p, 0,
	            "t.csv:3:4: expected text, found a NUL byte (is this a spreadsheet or UTF-16 "
	            "file rather than CSV?)");
	done(&p);
}

static void test_cc_csv_parse_invalid_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{ "a,b\n1,caf\xE9\n", "t.csv:2:6: expected UTF-8 text, found the byte 0xE9" },
		{ "a,b\n\xC0\xAF,1\n", "t.csv:2:1: expected UTF-8 text, found the byte 0xC0" },
		{ "a,b\n\xED\xA0\x80,1\n", "t.csv:2:1: expected UTF-8 text, found the byte 0xED" },
		{ "a,\xE2\x82\n", "t.csv:1:3: expected UTF-8 text, found the byte 0xE2" },
		{ "a,\xF4\x90\x80\x80\n", "t.csv:1:3: expected UTF-8 text, found the byte 0xF4" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		parsed p = parse(cases[i].text);
		assert_int_equal(p.rc, CC_EPARSE);
		assert_diag_has(&p, 0, cases[i].msg, "(save the file as CSV UTF-8)");
		done(&p);
	}
	parsed p = parse("\xFF\xFE"
	                 "a\0,\0");
	assert_int_equal(p.rc, CC_EPARSE);
	assert_diag_has(&p, 0, "t.csv:1:1: expected UTF-8 text, found a UTF-16 byte-order mark",
	                "");
	done(&p);
}

static void test_cc_csv_parse_empty_file(void **state)
{
	(void)state;
	static const char *const empties[] = { "", "\xEF\xBB\xBF", "\n\n", " \r\n\t\r\n" };
	for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
		parsed p = parse(empties[i]);
		assert_int_equal(p.rc, CC_EPARSE);
		assert_null(p.t);
		assert_diag(&p, 0,
		            "t.csv:1:1: expected a header line naming the columns, found an empty "
		            "file");
		done(&p);
	}
}

static void test_cc_csv_parse_duplicate_columns(void **state)
{
	(void)state;
	parsed p = parse("CHILD,DOB,child,x,,,DOB\n1,2,3,4,5,6,7\n");
	assert_int_equal(p.rc, CC_EPARSE);
	assert_null(p.t);
	assert_int_equal(cc_diags_count(p.d), 2);
	/* Reported in name order; empty names may repeat. */
	assert_diag(&p, 0,
	            "t.csv:1:11: expected unique column names, found column 3 (child) "
	            "repeating column 1 (CHILD)");
	assert_diag(&p, 1,
	            "t.csv:1:21: expected unique column names, found column 7 (DOB) repeating "
	            "column 2 (DOB)");
	done(&p);
	/* Names that look like data are not quoted. */
	p = parse("123456,01/02/2003,123456\n");
	assert_int_equal(p.rc, CC_EPARSE);
	assert_diag(&p, 0,
	            "t.csv:1:19: expected unique column names, found column 3 repeating column "
	            "1");
	done(&p);
}

static void test_cc_csv_parse_too_many_columns(void **state)
{
	(void)state;
	size_t n = 100000;
	char *text = malloc(2 * n + 16);
	assert_non_null(text);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		text[len++] = 'x';
		text[len++] = ',';
	}
	text[len - 1] = '\n';
	double t0 = cc_test_cpu_seconds();
	parsed p = parse_opts(text, len, NULL);
	double dt = cc_test_cpu_seconds() - t0;
	free(text);
	assert_int_equal(p.rc, CC_EPARSE);
	assert_diag(&p, 0,
	            "t.csv:1:1: expected at most 4096 columns, found 100000 in the header "
	            "line");
	assert_true(dt < 2.0);
	done(&p);
	/* A data row with 100,000 empty fields is fine (they are dropped). */
	text = malloc(n + 16);
	assert_non_null(text);
	len = (size_t)sprintf(text, "a\n1");
	memset(text + len, ',', n);
	len += n;
	text[len++] = '\n';
	p = parse_opts(text, len, NULL);
	free(text);
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_csv_nrows(p.t), 1);
	done(&p);
}

static void test_cc_csv_parse_field_too_long(void **state)
{
	(void)state;
	size_t n = (size_t)10 << 20;
	char *text = malloc(n + 64);
	assert_non_null(text);
	size_t len = (size_t)sprintf(text, "a,b\n1,2\n3,\"");
	memset(text + len, 'y', n);
	len += n;
	len += (size_t)sprintf(text + len, "\"\n");
	double t0 = cc_test_cpu_seconds();
	parsed p = parse_opts(text, len, NULL);
	double dt = cc_test_cpu_seconds() - t0;
	assert_int_equal(p.rc, CC_EPARSE);
	assert_diag(&p, 0,
	            "t.csv:3:3: expected a field of at most 1048576 bytes, found a longer one");
	assert_true(dt < 2.0);
	done(&p);
	/* The same unquoted, in the header. */
	memset(text, 'z', n);
	text[n] = '\n';
	p = parse_opts(text, n + 1, NULL);
	free(text);
	assert_int_equal(p.rc, CC_EPARSE);
	assert_diag(&p, 0,
	            "t.csv:1:1: expected a field of at most 1048576 bytes, found a longer one");
	done(&p);
}

static void test_cc_csv_parse_custom_limits(void **state)
{
	(void)state;
	cc_csv_opts o = { 0 };
	o.max_field_bytes = 4;
	o.max_columns = 2;
	o.max_row_messages = 1;
	const char *text = "a,b\n1234,1\n";
	parsed p = parse_opts(text, strlen(text), &o);
	assert_int_equal(p.rc, CC_OK);
	done(&p);
	text = "a,b\n12345,1\n";
	p = parse_opts(text, strlen(text), &o);
	assert_int_equal(p.rc, CC_EPARSE);
	assert_diag(&p, 0, "t.csv:2:1: expected a field of at most 4 bytes, found a longer one");
	done(&p);
	text = "a,b,c\n";
	p = parse_opts(text, strlen(text), &o);
	assert_int_equal(p.rc, CC_EPARSE);
	assert_diag(&p, 0, "t.csv:1:1: expected at most 2 columns, found 3 in the header line");
	done(&p);
	text = "a,b\n1\n2\n3\n";
	p = parse_opts(text, strlen(text), &o);
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_diags_count(p.d), 2);
	assert_diag(&p, 1,
	            "t.csv: 2 more rows with too few fields not shown (3 in all, each left "
	            "out)");
	done(&p);
}

/* ---- files -------------------------------------------------------------------------- */

static void test_cc_csv_read_file_and_errors(void **state)
{
	(void)state;
	char path[] = "/tmp/cc_test_csv.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "x,y\r\n1,2\r\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cc_diags *d = cc_diags_alloc(0);
	cc_csv *t = NULL;
	assert_int_equal(cc_csv_read(path, NULL, &t, d), CC_OK);
	assert_string_equal(cc_csv_name(t), path);
	assert_string_equal(cc_csv_field(t, 0, 1), "2");
	cc_csv_free(t);
	cc_csv_opts o = { 0 };
	o.max_file_bytes = 4;
	assert_int_equal(cc_csv_read(path, &o, &t, d), CC_ERANGE);
	assert_null(t);
	unlink(path);
	assert_int_equal(cc_csv_read(path, NULL, &t, d), CC_EIO);
	assert_null(t);
	assert_int_equal(cc_csv_read("/tmp", NULL, &t, d), CC_EIO);
	char *s = cc_diag_format(cc_diags_get(d, cc_diags_count(d) - 1));
	assert_string_equal(s, "/tmp: expected a file, found a directory");
	free(s);
	cc_csv_free(NULL);
	cc_diags_free(d);
}

/* ---- size and speed ------------------------------------------------------------------ */

static void test_cc_csv_parse_large_file_linear(void **state)
{
	(void)state;
	size_t n = cc_test_small() ? 20000 : 200000;
	size_t cap = n * 120 + 200;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t len = (size_t)sprintf(text, "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
	                                   "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN,LA,YEAR\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
		                        "%zu,01/04/2019,P,C2,N1,U4,PR1,\"02/05/2020\",X1,CARPL,AB1 "
		                        "2CD,EF3 4GH,1234567,Some LA,2020\n",
		                        100000 + i);
	double t0 = cc_test_cpu_seconds();
	parsed p = parse_opts(text, len, NULL);
	double dt = cc_test_cpu_seconds() - t0;
	free(text);
	assert_int_equal(p.rc, CC_OK);
	assert_int_equal(cc_csv_nrows(p.t), n);
	assert_int_equal(cc_csv_ncols(p.t), 15);
	assert_int_equal(cc_csv_line(p.t, n - 1), n + 1);
	assert_string_equal(cc_csv_field(p.t, n - 1, 7), "02/05/2020");
	assert_string_equal(cc_csv_field(p.t, n - 1, 13), "Some LA");
	/* About 0.1 s optimised; generous for sanitizers and slow machines. */
	if (dt > 5.0)
		fail_msg("%zu rows took %.2f s", n, dt);
	done(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_csv_parse_quoted_fields),
		cmocka_unit_test(test_cc_csv_parse_bom_crlf_and_cr),
		cmocka_unit_test(test_cc_csv_parse_blank_lines_keep_line_numbers),
		cmocka_unit_test(test_cc_csv_parse_trims_fields),
		cmocka_unit_test(test_cc_csv_parse_last_row_without_newline),
		cmocka_unit_test(test_cc_csv_parse_header_only),
		cmocka_unit_test(test_cc_csv_parse_extra_empty_fields_dropped),
		cmocka_unit_test(test_cc_csv_column_case_insensitive_and_trimmed),
		cmocka_unit_test(test_cc_csv_parse_short_row_names_missing_column),
		cmocka_unit_test(test_cc_csv_parse_extra_fields_with_text_rejected),
		cmocka_unit_test(test_cc_csv_parse_quote_in_unquoted_field),
		cmocka_unit_test(test_cc_csv_parse_text_after_closing_quote),
		cmocka_unit_test(test_cc_csv_parse_columns_count_characters),
		cmocka_unit_test(test_cc_csv_parse_row_error_messages_capped),
		cmocka_unit_test(test_cc_csv_parse_does_not_echo_fields),
		cmocka_unit_test(test_cc_csv_parse_unterminated_quote_at_opening_quote),
		cmocka_unit_test(test_cc_csv_parse_nul_byte),
		cmocka_unit_test(test_cc_csv_parse_invalid_utf8),
		cmocka_unit_test(test_cc_csv_parse_empty_file),
		cmocka_unit_test(test_cc_csv_parse_duplicate_columns),
		cmocka_unit_test(test_cc_csv_parse_too_many_columns),
		cmocka_unit_test(test_cc_csv_parse_field_too_long),
		cmocka_unit_test(test_cc_csv_parse_custom_limits),
		cmocka_unit_test(test_cc_csv_read_file_and_errors),
		cmocka_unit_test(test_cc_csv_parse_large_file_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
