/*
 * test_model.c - the model reader: every problem a model file can have is
 * reported with the right return code, file:line:column and a message that
 * says what was expected and what was found; several problems are all
 * reported; valid files fill in defaults, parameters and hazards as
 * docs/formats.md says.
 *
 * Bad inputs are small texts built from a minimal valid model (MODEL and its
 * variants below) with the part under test on line 2 onwards, so each
 * expected column can be counted from the text in the table.
 */
#include "carecast/date.h"
#include "carecast/error.h"
#include "carecast/fileio.h"
#include "carecast/model.h"
#include "cc_test.h"

#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- model texts ---------------------------------------------------------- */

#define DATE "\"base_date\": \"2025-03-31\""
#define RATES0 "{\"under1\": 0, \"1-4\": 0, \"5-9\": 0, \"10-15\": 0, \"16-17\": 0}"
#define RATES_U1 "{\"under1\": 5, \"1-4\": 0, \"5-9\": 0, \"10-15\": 0, \"16-17\": 0}"
#define ENTRIES0 "\"entries\": {\"rate_per_year\": " RATES0 "}"
#define START0 "\"starting_population\": []"

/* A valid model with x (one or more members, no trailing comma) first, from
 * line 2 column 1. The variants leave out the member x provides. */
#define MODEL(x) "{\n" x ",\n" DATE ",\n" ENTRIES0 ",\n" START0 "\n}\n"
#define MODEL_NO_DATE(x) "{\n" x ",\n" ENTRIES0 ",\n" START0 "\n}\n"
#define MODEL_NO_ENTRIES(x) "{\n" x ",\n" DATE ",\n" START0 "\n}\n"
#define MODEL_NO_START(x) "{\n" x ",\n" DATE ",\n" ENTRIES0 "\n}\n"
#define MODEL_MIN "{\n" DATE ",\n" ENTRIES0 ",\n" START0 "\n}\n"

/* Entries with the under1 rate X alone on line 3 (X starts at column 11). */
#define ENT_U1(X)                                            \
	"\"entries\": {\"rate_per_year\": {\n\"under1\": " X \
	",\n\"1-4\": 0, \"5-9\": 0, \"10-15\": 0, \"16-17\": 0}}"
/* Entries with a non-zero under1 rate and its category mix MIX on line 4
 * (MIX starts at column 11). */
#define ENT_MIX(MIX) \
	"\"entries\": {\"rate_per_year\": " RATES_U1 ",\n\"category_mix\": {\n\"under1\": " MIX "}}"
/* Entries with age weights W for band 1-4 on line 4 (W starts at column 8). */
#define ENT_W(W) \
	"\"entries\": {\"rate_per_year\": " RATES0 ",\n\"age_weights\": {\n\"1-4\": " W "}}"

#define SP_REST "\"category\": \"fostering\", \"provider\": \"in_house\""

/* ---- helpers -------------------------------------------------------------- */

static void dump_diags(const cc_diags *d)
{
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		char *s = cc_diag_format(cc_diags_get(d, i));
		print_error("    %s\n", s ? s : "(null)");
		free(s);
	}
}

static cc_model *parse_ok_len(const char *text, size_t len, int src_line)
{
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = NULL;
	int rc = cc_model_parse("m.json", text, len, &m, d);
	if (rc != CC_OK || !m || cc_diags_count(d) != 0) {
		dump_diags(d);
		fail_msg("line %d: rc %d (%s), %zu diagnostics; expected a valid model", src_line,
		         rc, cc_strerror(rc), cc_diags_count(d));
	}
	cc_diags_free(d);
	return m;
}
#define parse_ok(text) parse_ok_len(text, strlen(text), __LINE__)

/* The first diagnostic whose message contains msg, or NULL. */
static const cc_diag *find_diag(const cc_diags *d, const char *msg)
{
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		const cc_diag *e = cc_diags_get(d, i);
		if (e->message && strstr(e->message, msg))
			return e;
	}
	return NULL;
}

typedef struct {
	const char *label;
	const char *text;
	size_t line, col;
	const char *msg;
} bad_case;

/* Checks one bad input: cc_model_parse returns want_rc and no model, and
 * one of its error diagnostics, in file m.json, is at line:col and contains
 * msg. Returns 0 when all holds; otherwise prints why and returns 1. */
static int check_bad_len(const char *label, const char *text, size_t len, int want_rc, size_t line,
                         size_t col, const char *msg)
{
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = (cc_model *)(void *)d; /* must be reset to NULL */
	int rc = cc_model_parse("m.json", text, len, &m, d);
	int bad = 0;
	const cc_diag *e = find_diag(d, msg);
	if (rc != want_rc) {
		print_error("[%s] rc %d (%s), expected %d (%s)\n", label, rc, cc_strerror(rc),
		            want_rc, cc_strerror(want_rc));
		bad = 1;
	} else if (m != NULL) {
		print_error("[%s] a model was returned with an error\n", label);
		bad = 1;
	} else if (cc_diags_errors(d) == 0) {
		print_error("[%s] no error diagnostic\n", label);
		bad = 1;
	} else if (!e) {
		print_error("[%s] no diagnostic contains \"%s\"\n", label, msg);
		bad = 1;
	} else if (e->line != line || e->column != col) {
		print_error("[%s] \"%s\" at %zu:%zu, expected %zu:%zu\n", label, msg, e->line,
		            e->column, line, col);
		bad = 1;
	} else if (e->severity != CC_DIAG_ERROR || !e->file || strcmp(e->file, "m.json") != 0) {
		print_error("[%s] wrong severity or file name\n", label);
		bad = 1;
	}
	if (bad)
		dump_diags(d);
	if (rc == CC_OK)
		cc_model_free(m);
	cc_diags_free(d);
	return bad;
}

static void run_cases(const bad_case *c, size_t n, int src_line)
{
	int failures = 0;
	for (size_t i = 0; i < n; i++)
		failures += check_bad_len(c[i].label, c[i].text, strlen(c[i].text), CC_EPARSE,
		                          c[i].line, c[i].col, c[i].msg);
	if (failures)
		fail_msg("line %d: %d of %zu cases failed (see above)", src_line, failures, n);
}
#define RUN_CASES(table) run_cases(table, sizeof table / sizeof table[0], __LINE__)

#define expect_bad(text, line, col, msg)                                                     \
	do {                                                                                 \
		if (check_bad_len(#text, text, sizeof(text) - 1, CC_EPARSE, line, col, msg)) \
			fail_msg("bad input not reported as expected");                      \
	} while (0)

/* "[" + n copies of item separated by "," + "]", between prefix and suffix.
 * Caller frees. */
static char *repeat_list(const char *prefix, const char *item, size_t n, const char *suffix)
{
	size_t il = strlen(item), pl = strlen(prefix), sl = strlen(suffix);
	size_t cap = pl + sl + n * (il + 1) + 3;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t o = 0;
	memcpy(s, prefix, pl);
	o = pl;
	s[o++] = '[';
	for (size_t i = 0; i < n; i++) {
		if (i)
			s[o++] = ',';
		memcpy(s + o, item, il);
		o += il;
	}
	s[o++] = ']';
	memcpy(s + o, suffix, sl);
	o += sl;
	s[o] = '\0';
	return s;
}

static cc_date date_of(const char *iso)
{
	cc_date d;
	assert_int_equal(cc_date_parse_iso(iso, &d), CC_OK);
	return d;
}

/* ---- syntax and whole-file problems --------------------------------------- */

static void test_cc_model_parse_empty_and_blank(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "empty", "", 0, 0, "file is empty; expected a JSON object" },
		{ "spaces", "   ", 0, 0, "file is empty; expected a JSON object" },
		{ "whitespace lines", " \n\t\r\n \n", 0, 0,
		  "file is empty; expected a JSON object" },
		{ "BOM only", "\xEF\xBB\xBF", 0, 0, "file is empty; expected a JSON object" },
		{ "BOM and CRLF", "\xEF\xBB\xBF\r\n\r\n", 0, 0,
		  "file is empty; expected a JSON object" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_malformed_json(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "trailing junk", MODEL_MIN "x", 6, 1,
		  "expected the end of the file after the JSON value, found 'x'" },
		{ "second object", MODEL_MIN "\n  {}", 7, 3,
		  "expected the end of the file after the JSON value, found '{'" },
		{ "extra closing brace", "{\n" DATE ",\n" ENTRIES0 ",\n" START0 "\n}}\n", 5, 2,
		  "expected the end of the file after the JSON value, found '}'" },
		{ "value missing", "{\n\"name\": ,\n" DATE "}", 2, 9, "found ','" },
		{ "missing comma", "{\n\"name\": \"x\"\n" DATE "}", 3, 1, "found '\"'" },
		{ "cut short", "{\n" DATE ",\n\"entries\": {", 3, 13, "found the end of the file" },
		{ "bare word", "{\n\"parameter_uncertainty\": yes}", 2, 26, "found 'y'" },
		{ "NaN literal", "{\n\"format_version\": NaN}", 2, 19, "found 'N'" },
		{ "Infinity literal", "{\n\"format_version\": Infinity}", 2, 19, "found 'I'" },
		{ "unclosed list", "{\n\"exits\": [\n", 3, 1, "found the end of the file" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_nul_byte(void **state)
{
	(void)state;
	static const char text[] = "{\n" DATE ",\n\"name\": \"a\0b\"\n}";
	if (check_bad_len("NUL", text, sizeof text - 1, CC_EPARSE, 3, 11,
	                  "expected JSON text, found a NUL byte (is this a binary file?)"))
		fail_msg("NUL byte not reported as expected");
}

static void test_cc_model_parse_invalid_utf8(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "Latin-1 name", "{\n\"name\": \"Caf\xE9\"}", 2, 13,
		  "expected UTF-8 text, found the invalid byte 0xE9" },
		/* Characters, not bytes, before the bad one. */
		{ "after UTF-8", "{\n\"name\": \"\xC3\xA9\xC3\xA9\xFE\"}", 2, 12,
		  "expected UTF-8 text, found the invalid byte 0xFE" },
		{ "truncated at end", MODEL_MIN "\xE2\x82", 6, 1, "found the invalid byte 0xE2" },
	};
	RUN_CASES(cases);
}

static char *nested_model(size_t depth)
{
	/* A valid model with "_deep": [[[...]]] nested `depth` lists deep. */
	const char *head = "{\n" DATE ",\n" ENTRIES0 ",\n" START0 ",\n\"_deep\": ";
	size_t hl = strlen(head);
	char *s = malloc(hl + 2 * depth + 4);
	assert_non_null(s);
	memcpy(s, head, hl);
	for (size_t i = 0; i < depth; i++) {
		s[hl + i] = '[';
		s[hl + 2 * depth - 1 - i] = ']';
	}
	memcpy(s + hl + 2 * depth, "\n}", 3);
	return s;
}

static void test_cc_model_parse_nesting_limit(void **state)
{
	(void)state;
	/* The root object is one level: 999 lists make 1000, the most allowed. */
	char *ok = nested_model(999);
	cc_model *m = parse_ok(ok);
	cc_model_free(m);
	free(ok);
	char *deep = nested_model(1000);
	/* "_deep": starts line 5; the 1000th '[' is at column 10 + 999. */
	int bad = check_bad_len("1001 levels", deep, strlen(deep), CC_EPARSE, 5, 1009,
	                        "expected JSON nested at most 1000 levels deep");
	free(deep);
	if (bad)
		fail_msg("deep nesting not reported as expected");
}

static void test_cc_model_parse_not_an_object(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "list", "[]", 1, 1, "expected a JSON object (a carecast model), found a list" },
		{ "string", "\n  \"model\"", 2, 3,
		  "expected a JSON object (a carecast model), found \"model\"" },
		{ "number", "42", 1, 1, "expected a JSON object (a carecast model), found 42" },
		{ "null", "null", 1, 1, "expected a JSON object (a carecast model), found null" },
		{ "true", "true", 1, 1, "expected a JSON object (a carecast model), found true" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_bom_crlf_accepted(void **state)
{
	(void)state;
	static const char text[] =
	    "\xEF\xBB\xBF{\r\n"
	    "  \"name\": \"CRLF \xC3\xA9\",\r\n" DATE ",\r\n" ENTRIES0 ",\r\n" START0 ",\r\n"
	    "  \"parameter_uncertainty\": false\r\n"
	    "}\r\n";
	cc_model *m = parse_ok(text);
	assert_string_equal(m->name, "CRLF \xC3\xA9");
	assert_int_equal(m->parameter_uncertainty, 0);
	assert_int_equal(m->base_date, date_of("2025-03-31"));
	/* The hash is of the bytes as read, BOM included. */
	char sha[65];
	cc_sha256_hex(text, sizeof text - 1, sha);
	assert_string_equal(m->sha256, sha);
	cc_model_free(m);
}

static void test_cc_model_parse_bom_crlf_positions(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "BOM line 1", "\xEF\xBB\xBF[1]", 1, 1,
		  "expected a JSON object (a carecast model), found a list" },
		{ "BOM+CRLF line 2",
		  "\xEF\xBB\xBF{\r\n\"format_version\": 2,\r\n" DATE ",\r\n" ENTRIES0 ",\r\n" START0
		  "\r\n}\r\n",
		  2, 19,
		  "expected \"format_version\" 1 (the only version this carecast reads), found 2" },
		/* A value just before CR LF: found text stops before the CR. */
		{ "BOM+CRLF value at line end",
		  "\xEF\xBB\xBF{\r\n" DATE ",\r\n" ENTRIES0 ",\r\n" START0
		  ",\r\n\"parameter_uncertainty\": 1\r\n}\r\n",
		  5, 26, "expected true or false for \"parameter_uncertainty\", found 1" },
		{ "BOM+CRLF syntax", "\xEF\xBB\xBF{\r\n\"a\": 1\r\n\"b\": 2}", 3, 1, "found '\"'" },
		{ "BOM+CRLF trailing", "\xEF\xBB\xBF{}\r\n\r\n x", 3, 2,
		  "expected the end of the file after the JSON value, found 'x'" },
		{ "UTF-8 before value",
		  "{\n\"name\": \"\xC3\xA9\", \"note\": 5," DATE ",\n" ENTRIES0 ",\n" START0 "}", 2,
		  22, "expected a string for \"note\", found 5" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_control_whitespace(void **state)
{
	(void)state;
	/* Regression test; this was a bug: cJSON accepts any byte <= 0x20 as whitespace (RFC 8259
	 * allows only space, tab, LF, CR), and jdoc's position walk then goes wrong:
	 *   {\f"base_date": 5}  ->  1:4: expected a string for "base_date",
	 *                           found base_date":
	 *   {"base_date":\f5}   ->  1:14: ... found \f5 (a raw form feed)
	 * Expected: rejected as malformed JSON at the form feed (1:2), or at
	 * least the right position (1:15) and found text (5). */
	expect_bad("{\f\"base_date\": 5}", 1, 2, "malformed JSON");
}

static void test_cc_model_parse_escaped_nul_in_string(void **state)
{
	(void)state;
	/* Regression test; this was a bug: "\u0000" is accepted and cJSON ends the string there, so
	 * this loads as base date 31 March 2025 with no message (and a key "base_date\u0000x" would
	 * count as "base_date"). Expected: an error at the escape saying NUL characters are not
	 * allowed. */
	expect_bad("{\n\"base_date\": \"2025-03-31\\u0000junk\",\n" ENTRIES0 ",\n" START0 "}", 2,
	           25, "found the escaped NUL character");
}

static void test_cc_model_parse_found_text_is_valid_utf8(void **state)
{
	(void)state;
	/* Regression test; this was a bug: "found ..." is cut at 40 bytes, which can split a
	 * character:
	 * {"base_date": "<38 x a>ééé"} reports
	 * `found "aaaa...aaa\xC3...` with a lone UTF-8 lead byte, so the
	 * message itself is not valid UTF-8. Expected: cut on a character
	 * boundary. */
	static const char text[] =
	    "{\"base_date\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xC3\xA9\xC3\xA9\xC3\xA9\"}";
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m;
	assert_int_equal(cc_model_parse("m.json", text, sizeof text - 1, &m, d), CC_EPARSE);
	const cc_diag *e = find_diag(d, "base_date");
	assert_non_null(e);
	assert_null(strstr(e->message, "a\xC3..."));
	cc_diags_free(d);
}

/* ---- top-level members ---------------------------------------------------- */

static void test_cc_model_parse_root_member_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "unknown key", MODEL("\"nmae\": \"x\""), 2, 1,
		  "unknown key \"nmae\" in the model; expected one of \"format_version\", "
		  "\"name\", "
		  "\"description\", \"source\", \"note\", \"base_date\", \"age_bands\"" },
		{ "typo of entries", MODEL("\"entires\": {}"), 2, 1,
		  "unknown key \"entires\" in the model" },
		{ "case matters", MODEL("\"Name\": \"x\""), 2, 1,
		  "unknown key \"Name\" in the model" },
		{ "duplicate key", MODEL(DATE), 3, 1,
		  "duplicate key \"base_date\" in the model (first at line 2)" },
		{ "format_version 2", MODEL("\"format_version\": 2"), 2, 19,
		  "expected \"format_version\" 1 (the only version this carecast reads), found 2" },
		{ "format_version 0", MODEL("\"format_version\": 0"), 2, 19,
		  "expected \"format_version\" 1 (the only version this carecast reads), found 0" },
		{ "format_version string", MODEL("\"format_version\": \"1\""), 2, 19,
		  "expected \"format_version\" 1 (the only version this carecast reads), found "
		  "\"1\"" },
		{ "format_version 1.5", MODEL("\"format_version\": 1.5"), 2, 19,
		  "expected \"format_version\" 1 (the only version this carecast reads), found "
		  "1.5" },
		{ "name number", MODEL("\"name\": 5"), 2, 9,
		  "expected a string for \"name\", found 5" },
		{ "description list", MODEL("\"description\": []"), 2, 16,
		  "expected a string for \"description\", found a list" },
		{ "source object", MODEL("\"source\": {}"), 2, 11,
		  "expected a string for \"source\", found an object" },
		{ "note bool", MODEL("\"note\": true"), 2, 9,
		  "expected a string for \"note\", found true" },
		{ "parameter_uncertainty string", MODEL("\"parameter_uncertainty\": \"yes\""), 2,
		  26, "expected true or false for \"parameter_uncertainty\", found \"yes\"" },
		{ "parameter_uncertainty number", MODEL("\"parameter_uncertainty\": 1"), 2, 26,
		  "expected true or false for \"parameter_uncertainty\", found 1" },
		{ "entries missing", MODEL_NO_ENTRIES("\"name\": \"x\""), 1, 1,
		  "missing \"entries\": expected an object" },
		{ "entries list", MODEL_NO_ENTRIES("\"entries\": []"), 2, 12,
		  "expected an object for \"entries\", found a list" },
		{ "starting_population missing", MODEL_NO_START("\"name\": \"x\""), 1, 1,
		  "missing \"starting_population\": expected a list" },
		{ "starting_population object", MODEL_NO_START("\"starting_population\": {}"), 2,
		  24, "expected a list for \"starting_population\", found an object" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_base_date_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "missing", MODEL_NO_DATE("\"name\": \"x\""), 1, 1,
		  "missing \"base_date\": expected a date YYYY-MM-DD" },
		{ "number", MODEL_NO_DATE("\"base_date\": 20250331"), 2, 14,
		  "expected a string for \"base_date\", found 20250331" },
		{ "impossible day", MODEL_NO_DATE("\"base_date\": \"2025-02-30\""), 2, 14,
		  "expected a real date for \"base_date\", found \"2025-02-30\" (no such day)" },
		{ "day first", MODEL_NO_DATE("\"base_date\": \"31/03/2025\""), 2, 14,
		  "expected a date YYYY-MM-DD for \"base_date\", found \"31/03/2025\"" },
		{ "with time", MODEL_NO_DATE("\"base_date\": \"2025-03-31T00:00\""), 2, 14,
		  "expected a date YYYY-MM-DD for \"base_date\", found \"2025-03-31T00:00\"" },
		{ "empty", MODEL_NO_DATE("\"base_date\": \"\""), 2, 14,
		  "expected a date YYYY-MM-DD for \"base_date\", found \"\"" },
		{ "not a month end", MODEL_NO_DATE("\"base_date\": \"2025-03-30\""), 2, 14,
		  "expected \"base_date\" to be the last day of a month (usually 31 March), found "
		  "\"2025-03-30\"" },
		{ "28 Feb in a leap year", MODEL_NO_DATE("\"base_date\": \"2024-02-28\""), 2, 14,
		  "to be the last day of a month" },
	};
	RUN_CASES(cases);
}

/* ---- classifications ------------------------------------------------------ */

#define ZEROS33 "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]"

static void test_cc_model_parse_age_band_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "not a list", MODEL("\"age_bands\": \"DfE\""), 2, 14,
		  "expected a list for \"age_bands\", found \"DfE\"" },
		{ "empty", MODEL("\"age_bands\": []"), 2, 14,
		  "expected at least one age band, found an empty list" },
		{ "33 bands", MODEL("\"age_bands\": " ZEROS33), 2, 14,
		  "expected at most 32 items in \"age_bands\", found 33" },
		{ "not an object", MODEL("\"age_bands\": [5]"), 2, 15,
		  "expected an age band object, found 5" },
		{ "name missing", MODEL("\"age_bands\": [{\"from_years\": 0, \"to_years\": 18}]"),
		  2, 15, "missing \"name\": expected a name for the age band" },
		{ "name with space",
		  MODEL(
		      "\"age_bands\": [{\"name\": \"a b\", \"from_years\": 0, \"to_years\": 18}]"),
		  2, 24,
		  "expected a name of 1 to 32 characters from A-Z a-z 0-9 _ - + . for \"name\", "
		  "found "
		  "\"a b\"" },
		{ "name empty",
		  MODEL("\"age_bands\": [{\"name\": \"\", \"from_years\": 0, \"to_years\": 18}]"),
		  2, 24,
		  "expected a name of 1 to 32 characters from A-Z a-z 0-9 _ - + . for \"name\", "
		  "found "
		  "\"\"" },
		{ "name 33 characters",
		  MODEL("\"age_bands\": [{\"name\": \"abcdefghijabcdefghijabcdefghijabc\", "
		        "\"from_years\": 0, \"to_years\": 18}]"),
		  2, 24,
		  "expected a name of 1 to 32 characters from A-Z a-z 0-9 _ - + . for \"name\", "
		  "found "
		  "\"abcdefghijabcdefghijabcdefghijabc\"" },
		{ "name number",
		  MODEL("\"age_bands\": [{\"name\": 7, \"from_years\": 0, \"to_years\": 18}]"), 2,
		  24, "expected a name (string) for \"name\", found 7" },
		{ "name twice",
		  MODEL("\"age_bands\": [\n"
		        "{\"name\": \"a\", \"from_years\": 0, \"to_years\": 9},\n"
		        "{\"name\": \"a\", \"from_years\": 9, \"to_years\": 18}]"),
		  4, 10, "age band \"a\" is listed twice" },
		{ "from_years string",
		  MODEL("\"age_bands\": [\n{\"name\": \"a\", \"from_years\": \"0\", \"to_years\": "
		        "18}]"),
		  3, 29, "expected a whole number for \"from_years\", found \"0\"" },
		{ "from_years fraction",
		  MODEL("\"age_bands\": [\n{\"name\": \"a\", \"from_years\": 0.5, \"to_years\": "
		        "18}]"),
		  3, 29, "expected a whole number for \"from_years\", found 0.5" },
		{ "from_years 18",
		  MODEL(
		      "\"age_bands\": [\n{\"name\": \"a\", \"from_years\": 18, \"to_years\": 18}]"),
		  3, 29, "expected a number from 0 to 17 for \"from_years\", found 18" },
		{ "from_years missing",
		  MODEL("\"age_bands\": [\n{\"name\": \"a\", \"to_years\": 18}]"), 3, 1,
		  "missing \"from_years\": expected a whole number" },
		{ "to_years missing",
		  MODEL("\"age_bands\": [\n{\"name\": \"a\", \"from_years\": 0}]"), 3, 1,
		  "missing \"to_years\": expected a whole number" },
		{ "to_years 19",
		  MODEL(
		      "\"age_bands\": [\n{\"name\": \"a\", \"from_years\": 0, \"to_years\": 19}]"),
		  3, 44, "expected a number from 1 to 18 for \"to_years\", found 19" },
		{ "not from 0",
		  MODEL(
		      "\"age_bands\": [\n{\"name\": \"a\", \"from_years\": 1, \"to_years\": 18}]"),
		  3, 29, "expected \"from_years\" 0 (bands must be contiguous from 0), found 1" },
		{ "gap",
		  MODEL("\"age_bands\": [\n"
		        "{\"name\": \"a\", \"from_years\": 0, \"to_years\": 5},\n"
		        "{\"name\": \"b\", \"from_years\": 6, \"to_years\": 18}]"),
		  4, 29, "expected \"from_years\" 5 (bands must be contiguous from 0), found 6" },
		{ "overlap",
		  MODEL("\"age_bands\": [\n"
		        "{\"name\": \"a\", \"from_years\": 0, \"to_years\": 5},\n"
		        "{\"name\": \"b\", \"from_years\": 4, \"to_years\": 18}]"),
		  4, 29, "expected \"from_years\" 5 (bands must be contiguous from 0), found 4" },
		{ "empty band",
		  MODEL("\"age_bands\": [\n"
		        "{\"name\": \"a\", \"from_years\": 0, \"to_years\": 5},\n"
		        "{\"name\": \"b\", \"from_years\": 5, \"to_years\": 5}]"),
		  4, 44, "expected \"to_years\" greater than \"from_years\" 5, found 5" },
		{ "not ending at 18",
		  MODEL("\"age_bands\": [{\"name\": \"a\", \"from_years\": 0, \"to_years\": 16}]"),
		  2, 14, "expected age bands to end at 18 years (\"to_years\": 18), found 16" },
		{ "typo key",
		  MODEL("\"age_bands\": [\n"
		        "{\"name\": \"a\", \"from_years\": 0, \"to_years\": 18, \"to_yaers\": 1}]"),
		  3, 48,
		  "unknown key \"to_yaers\" in an age band; expected one of \"name\", "
		  "\"from_years\", "
		  "\"to_years\", \"note\"" },
		{ "duplicate key",
		  MODEL("\"age_bands\": [\n"
		        "{\"name\": \"a\", \"from_years\": 0, \"to_years\": 18, \"name\": \"b\"}]"),
		  3, 48, "duplicate key \"name\" in an age band (first at line 3)" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_tic_band_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "not a list", MODEL("\"time_in_care_bands\": 6"), 2, 23,
		  "expected a list for \"time_in_care_bands\", found 6" },
		{ "empty", MODEL("\"time_in_care_bands\": []"), 2, 23,
		  "expected at least one time-in-care band, found an empty list" },
		{ "33 bands", MODEL("\"time_in_care_bands\": " ZEROS33), 2, 23,
		  "expected at most 32 items in \"time_in_care_bands\", found 33" },
		{ "not an object", MODEL("\"time_in_care_bands\": [\"under6m\"]"), 2, 24,
		  "expected a time-in-care band object, found \"under6m\"" },
		{ "name missing", MODEL("\"time_in_care_bands\": [\n{\"from_months\": 0}]"), 3, 1,
		  "missing \"name\": expected a name for the time-in-care band" },
		{ "bad name",
		  MODEL("\"time_in_care_bands\": [\n{\"name\": \"6 m\", \"from_months\": 0}]"), 3,
		  10,
		  "expected a name of 1 to 32 characters from A-Z a-z 0-9 _ - + . for \"name\", "
		  "found "
		  "\"6 m\"" },
		{ "name twice",
		  MODEL("\"time_in_care_bands\": [\n"
		        "{\"name\": \"a\", \"from_months\": 0, \"to_months\": 6},\n"
		        "{\"name\": \"a\", \"from_months\": 6}]"),
		  4, 10, "time-in-care band \"a\" is listed twice" },
		{ "from_months string",
		  MODEL("\"time_in_care_bands\": [\n{\"name\": \"a\", \"from_months\": \"0\"}]"), 3,
		  30, "expected a whole number for \"from_months\", found \"0\"" },
		{ "from_months negative",
		  MODEL("\"time_in_care_bands\": [\n{\"name\": \"a\", \"from_months\": -1}]"), 3,
		  30, "expected a number from 0 to 240 for \"from_months\", found -1" },
		{ "from_months missing", MODEL("\"time_in_care_bands\": [\n{\"name\": \"a\"}]"), 3,
		  1, "missing \"from_months\": expected a whole number" },
		{ "not from 0",
		  MODEL("\"time_in_care_bands\": [\n{\"name\": \"a\", \"from_months\": 1}]"), 3, 30,
		  "expected \"from_months\" 0 (bands must be contiguous from 0), found 1" },
		{ "gap",
		  MODEL("\"time_in_care_bands\": [\n"
		        "{\"name\": \"a\", \"from_months\": 0, \"to_months\": 6},\n"
		        "{\"name\": \"b\", \"from_months\": 7}]"),
		  4, 30, "expected \"from_months\" 6 (bands must be contiguous from 0), found 7" },
		{ "empty band",
		  MODEL("\"time_in_care_bands\": [\n"
		        "{\"name\": \"a\", \"from_months\": 0, \"to_months\": 6},\n"
		        "{\"name\": \"b\", \"from_months\": 6, \"to_months\": 6},\n"
		        "{\"name\": \"c\", \"from_months\": 6}]"),
		  4, 46, "expected \"to_months\" greater than \"from_months\" 6, found 6" },
		{ "to_months 241",
		  MODEL("\"time_in_care_bands\": [\n"
		        "{\"name\": \"a\", \"from_months\": 0, \"to_months\": 241}]"),
		  3, 46, "expected a number from 1 to 240 for \"to_months\", found 241" },
		{ "to_months fraction",
		  MODEL("\"time_in_care_bands\": [\n"
		        "{\"name\": \"a\", \"from_months\": 0, \"to_months\": 5.5}]"),
		  3, 46, "expected a whole number for \"to_months\", found 5.5" },
		{ "band after open-ended",
		  MODEL("\"time_in_care_bands\": [\n"
		        "{\"name\": \"a\", \"from_months\": 0},\n"
		        "{\"name\": \"b\", \"from_months\": 0, \"to_months\": 6}]"),
		  4, 1,
		  "expected no band after the open-ended band (one without \"to_months\"), found "
		  "another band" },
		{ "last not open-ended",
		  MODEL("\"time_in_care_bands\": [{\"name\": \"a\", \"from_months\": 0, "
		        "\"to_months\": "
		        "6}]"),
		  2, 23,
		  "expected the last time-in-care band to be open-ended (no \"to_months\"), found "
		  "it "
		  "ends at 6 months" },
		{ "typo key",
		  MODEL("\"time_in_care_bands\": [\n"
		        "{\"name\": \"a\", \"from_months\": 0, \"to_month\": 6}]"),
		  3, 33, "unknown key \"to_month\" in a time-in-care band" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_category_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "not a list", MODEL("\"categories\": \"fostering\""), 2, 15,
		  "expected a list for \"categories\", found \"fostering\"" },
		{ "empty", MODEL("\"categories\": []"), 2, 15,
		  "expected at least one category, found an empty list" },
		{ "33 categories", MODEL("\"categories\": " ZEROS33), 2, 15,
		  "expected at most 32 items in \"categories\", found 33" },
		{ "not an object", MODEL("\"categories\": [\"fostering\"]"), 2, 16,
		  "expected a category object, found \"fostering\"" },
		{ "name missing", MODEL("\"categories\": [{\"in_house_share\": 1}]"), 2, 16,
		  "missing \"name\": expected a name for the category" },
		{ "bad name", MODEL("\"categories\": [{\"name\": \"foster care\"}]"), 2, 25,
		  "expected a name of 1 to 32 characters from A-Z a-z 0-9 _ - + . for \"name\", "
		  "found "
		  "\"foster care\"" },
		{ "name number", MODEL("\"categories\": [{\"name\": 3}]"), 2, 25,
		  "expected a name (string) for \"name\", found 3" },
		{ "name twice", MODEL("\"categories\": [{\"name\": \"a\"}, {\"name\": \"a\"}]"), 2,
		  40, "category \"a\" is listed twice" },
		{ "share over 1",
		  MODEL("\"categories\": [{\"name\": \"a\", \"in_house_share\": 1.5}]"), 2, 48,
		  "expected a number from 0 to 1 for \"in_house_share\", found 1.5" },
		{ "share negative",
		  MODEL("\"categories\": [{\"name\": \"a\", \"in_house_share\": -0.1}]"), 2, 48,
		  "expected a number from 0 to 1 for \"in_house_share\", found -0.1" },
		{ "share string",
		  MODEL("\"categories\": [{\"name\": \"a\", \"in_house_share\": \"0.5\"}]"), 2, 48,
		  "expected a number for \"in_house_share\", found \"0.5\"" },
		{ "share percent",
		  MODEL("\"categories\": [{\"name\": \"a\", \"in_house_share\": 60}]"), 2, 48,
		  "expected a number from 0 to 1 for \"in_house_share\", found 60" },
		{ "typo key", MODEL("\"categories\": [{\"name\": \"a\", \"in_house\": 0.5}]"), 2,
		  30,
		  "unknown key \"in_house\" in a category; expected one of \"name\", "
		  "\"in_house_share\", \"note\", \"source\"" },
	};
	RUN_CASES(cases);
}

#define NAMES32                                                                            \
	"[\"r1\",\"r2\",\"r3\",\"r4\",\"r5\",\"r6\",\"r7\",\"r8\",\"r9\",\"r10\",\"r11\"," \
	"\"r12\",\"r13\",\"r14\",\"r15\",\"r16\",\"r17\",\"r18\",\"r19\",\"r20\",\"r21\"," \
	"\"r22\",\"r23\",\"r24\",\"r25\",\"r26\",\"r27\",\"r28\",\"r29\",\"r30\",\"r31\",\"r32\"]"

static void test_cc_model_parse_exit_reason_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "not a list", MODEL("\"exit_reasons\": \"home\""), 2, 17,
		  "expected a list for \"exit_reasons\", found \"home\"" },
		{ "age18", MODEL("\"exit_reasons\": [\"home\", \"age18\"]"), 2, 26,
		  "\"age18\" is reserved (every child leaves care on the 18th birthday); leave it "
		  "out "
		  "of \"exit_reasons\"" },
		{ "twice", MODEL("\"exit_reasons\": [\"home\", \"home\"]"), 2, 26,
		  "exit reason \"home\" is listed twice" },
		{ "number", MODEL("\"exit_reasons\": [5]"), 2, 18,
		  "expected a name (string) for an exit reason, found 5" },
		{ "bad name", MODEL("\"exit_reasons\": [\"went home\"]"), 2, 18,
		  "expected a name of 1 to 32 characters from A-Z a-z 0-9 _ - + . for an exit "
		  "reason, found \"went home\"" },
		{ "32 reasons", MODEL("\"exit_reasons\": " NAMES32), 2, 17,
		  "expected at most 31 items in \"exit_reasons\", found 32" },
	};
	RUN_CASES(cases);
}

/* ---- entries -------------------------------------------------------------- */

static void test_cc_model_parse_entry_rate_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "string", MODEL_NO_ENTRIES(ENT_U1("\"10\"")), 3, 11,
		  "expected a number for the entry rate of age band \"under1\", found \"10\"" },
		{ "NaN string", MODEL_NO_ENTRIES(ENT_U1("\"NaN\"")), 3, 11,
		  "expected a number for the entry rate of age band \"under1\", found \"NaN\"" },
		{ "negative", MODEL_NO_ENTRIES(ENT_U1("-1")), 3, 11,
		  "expected a number from 0 to 10000000 for the entry rate of age band \"under1\", "
		  "found -1" },
		{ "infinite", MODEL_NO_ENTRIES(ENT_U1("1e999")), 3, 11,
		  "expected a finite number for the entry rate of age band \"under1\", found "
		  "1e999" },
		{ "minus infinite", MODEL_NO_ENTRIES(ENT_U1("-1e999")), 3, 11,
		  "expected a finite number for the entry rate of age band \"under1\", found "
		  "-1e999" },
		{ "over 10 million", MODEL_NO_ENTRIES(ENT_U1("10000001")), 3, 11,
		  "expected a number from 0 to 10000000 for the entry rate of age band \"under1\", "
		  "found 10000001" },
		{ "huge", MODEL_NO_ENTRIES(ENT_U1("1e308")), 3, 11,
		  "expected a number from 0 to 10000000 for the entry rate of age band \"under1\", "
		  "found 1e308" },
		{ "list", MODEL_NO_ENTRIES(ENT_U1("[5]")), 3, 11,
		  "expected a number for the entry rate of age band \"under1\", found a list" },
		{ "null", MODEL_NO_ENTRIES(ENT_U1("null")), 3, 11,
		  "expected a number for the entry rate of age band \"under1\", found null" },
		{ "events without exposure", MODEL_NO_ENTRIES(ENT_U1("{\"events\": 5}")), 3, 11,
		  "expected both \"events\" and \"exposure_years\" (the evidence for a rate), "
		  "found "
		  "only one" },
		{ "exposure without events", MODEL_NO_ENTRIES(ENT_U1("{\"exposure_years\": 2}")), 3,
		  11,
		  "expected both \"events\" and \"exposure_years\" (the evidence for a rate), "
		  "found "
		  "only one" },
		{ "empty object", MODEL_NO_ENTRIES(ENT_U1("{}")), 3, 11,
		  "missing \"rate_per_year\": expected a rate, or \"events\" and "
		  "\"exposure_years\"" },
		{ "typo key", MODEL_NO_ENTRIES(ENT_U1("{\"rate_per_yaer\": 5}")), 3, 12,
		  "unknown key \"rate_per_yaer\" in the entry rate of age band \"under1\"; "
		  "expected "
		  "one of \"rate_per_year\", \"events\", \"exposure_years\", \"source\", "
		  "\"note\"" },
		{ "typo key also missing", MODEL_NO_ENTRIES(ENT_U1("{\"rate_per_yaer\": 5}")), 3,
		  11, "missing \"rate_per_year\": expected a rate" },
		{ "duplicate key",
		  MODEL_NO_ENTRIES(ENT_U1("{\"events\": 1, \"exposure_years\": 1, \"events\": 1}")),
		  3, 46,
		  "duplicate key \"events\" in the entry rate of age band \"under1\" (first at "
		  "line 3)" },
		{ "exposure 0", MODEL_NO_ENTRIES(ENT_U1("{\"events\": 5, \"exposure_years\": 0}")),
		  3, 43, "expected \"exposure_years\" greater than 0, found 0" },
		{ "exposure negative",
		  MODEL_NO_ENTRIES(ENT_U1("{\"events\": 5, \"exposure_years\": -1}")), 3, 43,
		  "expected a number from 0 to 1e+12 for \"exposure_years\", found -1" },
		{ "exposure huge",
		  MODEL_NO_ENTRIES(ENT_U1("{\"events\": 5, \"exposure_years\": 2e12}")), 3, 43,
		  "expected a number from 0 to 1e+12 for \"exposure_years\", found 2e12" },
		{ "events negative",
		  MODEL_NO_ENTRIES(ENT_U1("{\"events\": -1, \"exposure_years\": 1}")), 3, 22,
		  "expected a number from 0 to 1000000000 for \"events\", found -1" },
		{ "events over 1e9",
		  MODEL_NO_ENTRIES(ENT_U1("{\"events\": 2000000000, \"exposure_years\": 1}")), 3,
		  22, "expected a number from 0 to 1000000000 for \"events\", found 2000000000" },
		{ "events NaN string",
		  MODEL_NO_ENTRIES(ENT_U1("{\"events\": \"NaN\", \"exposure_years\": 1}")), 3, 22,
		  "expected a number for \"events\", found \"NaN\"" },
		{ "events infinite",
		  MODEL_NO_ENTRIES(ENT_U1("{\"events\": 1e999, \"exposure_years\": 1}")), 3, 22,
		  "expected a finite number for \"events\", found 1e999" },
		{ "evidence over the limit",
		  MODEL_NO_ENTRIES(ENT_U1("{\"events\": 200000000, \"exposure_years\": 1}")), 3, 11,
		  "expected events / exposure_years of at most 10000000, found 200000000" },
		{ "rate disagrees with evidence",
		  MODEL_NO_ENTRIES(
		      ENT_U1("{\"rate_per_year\": 12, \"events\": 10, \"exposure_years\": 1}")),
		  3, 29,
		  "expected \"rate_per_year\" to agree within 1% with events / exposure_years = "
		  "10, "
		  "found 12" },
		{ "rate NaN string in object",
		  MODEL_NO_ENTRIES(ENT_U1("{\"rate_per_year\": \"NaN\"}")), 3, 29,
		  "expected a number for \"rate_per_year\", found \"NaN\"" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_entries_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "typo rate_per_year",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_yaer\": " RATES0 "}"), 2, 13,
		  "unknown key \"rate_per_yaer\" in \"entries\"; expected one of "
		  "\"rate_per_year\", "
		  "\"trend_per_year\", \"category_mix\", \"age_weights\", \"note\", \"source\"" },
		{ "rate_per_year missing", MODEL_NO_ENTRIES("\"entries\": {\"note\": \"none\"}"), 2,
		  12, "missing \"rate_per_year\": expected an object" },
		{ "rate_per_year number", MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": 5}"),
		  2, 30, "expected an object for \"rate_per_year\", found 5" },
		{ "band missing",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": {\"under1\": 0, \"1-4\": 0, "
		                   "\"5-9\": 0, \"10-15\": 0}}"),
		  2, 30,
		  "missing the entry rate for age band \"16-17\": expected children per year (0 is "
		  "allowed)" },
		{ "unknown band",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": {\"17+\": 0, \"under1\": 0, "
		                   "\"1-4\": 0, \"5-9\": 0, \"10-15\": 0, \"16-17\": 0}}"),
		  2, 31,
		  "expected an age band (one of \"under1\", \"1-4\", \"5-9\", \"10-15\", "
		  "\"16-17\"), "
		  "found \"17+\"" },
		{ "band twice",
		  MODEL_NO_ENTRIES(
		      "\"entries\": {\"rate_per_year\": {\n\"under1\": 0,\n\"under1\": 0, "
		      "\"1-4\": 0, \"5-9\": 0, \"10-15\": 0, \"16-17\": 0}}"),
		  4, 1, "duplicate key \"under1\" in entries \"rate_per_year\" (first at line 3)" },
		{ "trend over 1",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES0
		                   ",\n\"trend_per_year\": 1.5}"),
		  3, 19, "expected a number from -1 to 1 for \"trend_per_year\", found 1.5" },
		{ "trend under -1",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES0
		                   ",\n\"trend_per_year\": -2}"),
		  3, 19, "expected a number from -1 to 1 for \"trend_per_year\", found -2" },
		{ "trend string",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES0
		                   ",\n\"trend_per_year\": \"2%\"}"),
		  3, 19, "expected a number for \"trend_per_year\", found \"2%\"" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_category_mix_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "mix missing", MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES_U1 "}"),
		  2, 12,
		  "missing \"category_mix\" for age band \"under1\": expected the shares of first "
		  "placements by category" },
		{ "mix missing, evidence of zero events",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": {\"under1\": {\"events\": 0, "
		                   "\"exposure_years\": 10}, \"1-4\": 0, \"5-9\": 0, \"10-15\": 0, "
		                   "\"16-17\": 0}}"),
		  2, 12, "missing \"category_mix\" for age band \"under1\"" },
		{ "band missing from mix",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES_U1
		                   ",\n\"category_mix\": {\"1-4\": {\"fostering\": 1}}}"),
		  3, 17, "missing \"category_mix\" for age band \"under1\"" },
		{ "mix not an object",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES_U1
		                   ",\n\"category_mix\": []}"),
		  3, 17, "expected an object for \"category_mix\", found a list" },
		{ "band mix a number", MODEL_NO_ENTRIES(ENT_MIX("1")), 4, 11,
		  "expected an object of category shares for age band \"under1\", found 1" },
		{ "unknown category", MODEL_NO_ENTRIES(ENT_MIX("{\"foster\": 1}")), 4, 12,
		  "expected a category (one of \"fostering\", \"kinship\", \"residential\", "
		  "\"secure\", \"supported\", \"with_parents\", \"adoption\", \"other\") in the "
		  "category mix, found \"foster\"" },
		{ "category twice",
		  MODEL_NO_ENTRIES(ENT_MIX("{\"fostering\": 0.5, \"fostering\": 0.5}")), 4, 30,
		  "category \"fostering\" is listed twice in the mix" },
		{ "share over 1", MODEL_NO_ENTRIES(ENT_MIX("{\"fostering\": 1.5}")), 4, 25,
		  "expected a number from 0 to 1 for the share of \"fostering\", found 1.5" },
		{ "share negative",
		  MODEL_NO_ENTRIES(ENT_MIX("{\"fostering\": -0.5, \"kinship\": 1.5}")), 4, 25,
		  "expected a number from 0 to 1 for the share of \"fostering\", found -0.5" },
		{ "share string", MODEL_NO_ENTRIES(ENT_MIX("{\"fostering\": \"1\"}")), 4, 25,
		  "expected a number for the share of \"fostering\", found \"1\"" },
		{ "shares sum under 1",
		  MODEL_NO_ENTRIES(ENT_MIX("{\"fostering\": 0.5, \"kinship\": 0.4}")), 4, 11,
		  "expected the category shares for age band \"under1\" to sum to 1, found 0.9" },
		{ "shares sum over 1",
		  MODEL_NO_ENTRIES(ENT_MIX("{\"fostering\": 0.502, \"kinship\": 0.5}")), 4, 11,
		  "expected the category shares for age band \"under1\" to sum to 1, found 1.002" },
		{ "shares empty", MODEL_NO_ENTRIES(ENT_MIX("{}")), 4, 11,
		  "expected the category shares for age band \"under1\" to sum to 1, found 0" },
		{ "unknown band in mix",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES_U1
		                   ",\n\"category_mix\": {\n\"infant\": {\"fostering\": 1}, "
		                   "\"under1\": {\"fostering\": 1}}}"),
		  4, 1,
		  "expected an age band (one of \"under1\", \"1-4\", \"5-9\", \"10-15\", "
		  "\"16-17\"), "
		  "found \"infant\"" },
		{ "band twice in mix",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES_U1
		                   ",\n\"category_mix\": {\n\"under1\": {\"fostering\": 1},\n"
		                   "\"under1\": {\"fostering\": 1}}}"),
		  5, 1, "duplicate key \"under1\" in \"category_mix\" (first at line 4)" },
		{ "category not in a custom list",
		  "{\n\"categories\": [{\"name\": \"family\"}, {\"name\": \"residential\"}],\n" DATE
		  ",\n" START0 ",\n" ENT_MIX("{\"fostering\": 1}") "}",
		  7, 12,
		  "expected a category (one of \"family\", \"residential\") in the category mix, "
		  "found "
		  "\"fostering\"" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_age_weight_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "not an object",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES0
		                   ",\n\"age_weights\": [1]}"),
		  3, 16, "expected an object for \"age_weights\", found a list" },
		{ "band weights a number", MODEL_NO_ENTRIES(ENT_W("1")), 4, 8,
		  "expected a list of weights for age band \"1-4\", found 1" },
		{ "wrong length", MODEL_NO_ENTRIES(ENT_W("[1, 2, 3]")), 4, 8,
		  "expected 4 weights (one per year of age) or 48 (one per month) for age band "
		  "\"1-4\", found 3" },
		{ "empty list", MODEL_NO_ENTRIES(ENT_W("[]")), 4, 8,
		  "expected 4 weights (one per year of age) or 48 (one per month) for age band "
		  "\"1-4\", found 0" },
		{ "negative weight", MODEL_NO_ENTRIES(ENT_W("[1, -1, 1, 1]")), 4, 12,
		  "expected a number from 0 to 1e+12 for an age weight, found -1" },
		{ "string weight", MODEL_NO_ENTRIES(ENT_W("[1, \"2\", 1, 1]")), 4, 12,
		  "expected a number for an age weight, found \"2\"" },
		{ "infinite weight", MODEL_NO_ENTRIES(ENT_W("[1, 1e999, 1, 1]")), 4, 12,
		  "expected a finite number for an age weight, found 1e999" },
		{ "all zero", MODEL_NO_ENTRIES(ENT_W("[0, 0, 0, 0]")), 4, 8,
		  "expected age weights with a positive sum for age band \"1-4\", found all zero" },
		{ "unknown band",
		  MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES0
		                   ",\n\"age_weights\": {\n\"teen\": [1]}}"),
		  4, 1,
		  "expected an age band (one of \"under1\", \"1-4\", \"5-9\", \"10-15\", "
		  "\"16-17\"), "
		  "found \"teen\"" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_age_weights_duplicate_band(void **state)
{
	(void)state;
	/* Regression test; this was a bug: entries.age_weights is the one name-keyed object whose
	 * repeated keys are not checked (read_age_weights never calls cc_jdoc_check_duplicates), so
	 * this loads without a message and the second list silently wins. formats.md: "JSON objects
	 * must not repeat a key". Expected: 5:1 duplicate key "1-4" in "age_weights" (first at line
	 * 4). */
	expect_bad(MODEL_NO_ENTRIES("\"entries\": {\"rate_per_year\": " RATES0
	                            ",\n\"age_weights\": {\n\"1-4\": [1, 1, 1, 1],\n"
	                            "\"1-4\": [0, 0, 0, 1]}}"),
	           5, 1, "duplicate key \"1-4\"");
}

static void test_cc_model_parse_mix_not_looked_up_in_entries(void **state)
{
	(void)state;
	/* Regression test; this was a bug: when "category_mix" is absent, read_entries passes the
	 * "entries" object itself to read_mix as if it were the mix, so each
	 * band name is looked up among the members of "entries". An age band
	 * named "note" (a valid name) then meets entries' own "note":
	 *   m.json:4:51: expected an object of category shares for age band
	 *   "note", found "hello"
	 * although its rate is 0 and no mix is needed. Expected: valid. */
	cc_model *m =
	    parse_ok("{\n" DATE ",\n" START0 ",\n"
	             "\"entries\": {\"rate_per_year\": {\"note\": 0}, \"note\": \"hello\"},\n"
	             "\"age_bands\": [{\"name\": \"note\", \"from_years\": 0, \"to_years\": "
	             "18}]\n}");
	cc_model_free(m);
}

/* ---- moves ---------------------------------------------------------------- */

#define MOVES(rows) MODEL("\"moves\": [\n" rows "]")
#define FK "\"from\": \"fostering\", \"to\": \"kinship\""

static void test_cc_model_parse_moves_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "not a list", MODEL("\"moves\": {}"), 2, 10,
		  "expected a list for \"moves\", found an object" },
		{ "row not an object", MOVES("5"), 3, 1,
		  "expected a moves row (an object), found 5" },
		{ "from missing", MOVES("{\"to\": \"kinship\", \"rate_per_year\": 0.1}"), 3, 1,
		  "missing \"from\": expected a category" },
		{ "to missing", MOVES("{\"from\": \"kinship\", \"rate_per_year\": 0.1}"), 3, 1,
		  "missing \"to\": expected a category" },
		{ "from unknown",
		  MOVES("{\"from\": \"foster\", \"to\": \"kinship\", \"rate_per_year\": 0.1}"), 3,
		  10,
		  "expected a category (one of \"fostering\", \"kinship\", \"residential\", "
		  "\"secure\", \"supported\", \"with_parents\", \"adoption\", \"other\"), found "
		  "\"foster\"" },
		{ "from number",
		  MOVES("{\"from\": 3, \"to\": \"kinship\", \"rate_per_year\": 0.1}"), 3, 10,
		  "expected a name (string) for \"from\", found 3" },
		{ "to unknown",
		  MOVES("{\"to\": \"kin\", \"from\": \"fostering\", \"rate_per_year\": 0.1}"), 3, 8,
		  "expected a category (one of \"fostering\", \"kinship\"" },
		{ "to same as from",
		  MOVES("{\"to\": \"fostering\", \"from\": \"fostering\", \"rate_per_year\": 0.1}"),
		  3, 8,
		  "expected \"to\" to differ from \"from\", found \"fostering\" for both (a move "
		  "stays "
		  "in a category only by not moving)" },
		{ "age filter empty", MOVES("{\"age_bands\": [], " FK ", \"rate_per_year\": 0.1}"),
		  3, 15,
		  "expected at least one name in \"age_bands\", found an empty list (leave the key "
		  "out "
		  "to mean all)" },
		{ "age filter a string",
		  MOVES("{\"age_bands\": \"10-15\", " FK ", \"rate_per_year\": 0.1}"), 3, 15,
		  "expected a list for \"age_bands\", found \"10-15\"" },
		{ "age band unknown",
		  MOVES("{\"age_bands\": [\"teen\"], " FK ", \"rate_per_year\": 0.1}"), 3, 16,
		  "expected an age band (one of \"under1\", \"1-4\", \"5-9\", \"10-15\", "
		  "\"16-17\"), "
		  "found \"teen\"" },
		{ "age band number", MOVES("{\"age_bands\": [10], " FK ", \"rate_per_year\": 0.1}"),
		  3, 16, "expected a name (string) for \"age_bands\", found 10" },
		{ "age band twice",
		  MOVES("{\"age_bands\": [\"1-4\", \"1-4\"], " FK ", \"rate_per_year\": 0.1}"), 3,
		  23, "\"1-4\" is listed twice in \"age_bands\"" },
		{ "time-in-care band unknown",
		  MOVES("{\"time_in_care_bands\": [\"2y\"], " FK ", \"rate_per_year\": 0.1}"), 3,
		  25,
		  "expected a time-in-care band (one of \"under6m\", \"6-24m\", \"24m+\"), found "
		  "\"2y\"" },
		{ "time-in-care filter empty",
		  MOVES("{\"time_in_care_bands\": [], " FK ", \"rate_per_year\": 0.1}"), 3, 24,
		  "expected at least one name in \"time_in_care_bands\", found an empty list" },
		{ "rate missing", MOVES("{" FK "}"), 3, 1,
		  "missing \"rate_per_year\": expected a rate, or \"events\" and "
		  "\"exposure_years\"" },
		{ "rate over 1000", MOVES("{\"rate_per_year\": 1001, " FK "}"), 3, 19,
		  "expected a number from 0 to 1000 for \"rate_per_year\", found 1001" },
		{ "rate huge", MOVES("{\"rate_per_year\": 1e300, " FK "}"), 3, 19,
		  "expected a number from 0 to 1000 for \"rate_per_year\", found 1e300" },
		{ "rate negative", MOVES("{\"rate_per_year\": -0.1, " FK "}"), 3, 19,
		  "expected a number from 0 to 1000 for \"rate_per_year\", found -0.1" },
		{ "rate string", MOVES("{\"rate_per_year\": \"0.1\", " FK "}"), 3, 19,
		  "expected a number for \"rate_per_year\", found \"0.1\"" },
		{ "rate NaN string", MOVES("{\"rate_per_year\": \"NaN\", " FK "}"), 3, 19,
		  "expected a number for \"rate_per_year\", found \"NaN\"" },
		{ "rate infinite", MOVES("{\"rate_per_year\": 1e999, " FK "}"), 3, 19,
		  "expected a finite number for \"rate_per_year\", found 1e999" },
		{ "typo rate key", MOVES("{\"rate_per_yaer\": 0.1, " FK "}"), 3, 2,
		  "unknown key \"rate_per_yaer\" in a moves row; expected one of \"from\", \"to\", "
		  "\"age_bands\", \"time_in_care_bands\", \"rate_per_year\", \"events\", "
		  "\"exposure_years\", \"source\", \"note\"" },
		{ "typo rate key leaves rate missing", MOVES("{\"rate_per_yaer\": 0.1, " FK "}"), 3,
		  1, "missing \"rate_per_year\"" },
		{ "exits key in a moves row",
		  MOVES("{\"reason\": \"home\", " FK ", \"rate_per_year\": 1}"), 3, 2,
		  "unknown key \"reason\" in a moves row" },
		{ "duplicate key", MOVES("{" FK ", \"from\": \"kinship\", \"rate_per_year\": 0.1}"),
		  3, 40, "duplicate key \"from\" in a moves row (first at line 3)" },
		{ "events only", MOVES("{\"events\": 4, " FK "}"), 3, 1,
		  "expected both \"events\" and \"exposure_years\" (the evidence for a rate), "
		  "found "
		  "only one" },
		{ "exposure only", MOVES("{\"exposure_years\": 40, " FK "}"), 3, 1,
		  "expected both \"events\" and \"exposure_years\" (the evidence for a rate), "
		  "found "
		  "only one" },
		{ "exposure 0", MOVES("{\"exposure_years\": 0, \"events\": 4, " FK "}"), 3, 20,
		  "expected \"exposure_years\" greater than 0, found 0" },
		{ "rate disagrees over 1%",
		  MOVES("{\"rate_per_year\": 0.102, \"events\": 4, \"exposure_years\": 40, " FK
		        "}"),
		  3, 19,
		  "expected \"rate_per_year\" to agree within 1% with events / exposure_years = "
		  "0.1, "
		  "found 0.102" },
		{ "rate disagrees under",
		  MOVES("{\"rate_per_year\": 0.098, \"events\": 4, \"exposure_years\": 40, " FK
		        "}"),
		  3, 19,
		  "expected \"rate_per_year\" to agree within 1% with events / exposure_years = "
		  "0.1, "
		  "found 0.098" },
		{ "evidence over 1000", MOVES("{\"events\": 5000, \"exposure_years\": 1, " FK "}"),
		  3, 1, "expected events / exposure_years of at most 1000, found 5000" },
		{ "overlap",
		  MOVES("{" FK ", \"rate_per_year\": 0.1},\n"
		        "{" FK ", \"age_bands\": [\"5-9\"], \"rate_per_year\": 0.2}"),
		  4, 1,
		  "this row overlaps the row at line 3: both give the hazard from \"fostering\" to "
		  "\"kinship\" at age band \"5-9\", time in care \"under6m\"" },
		{ "overlap names the right row",
		  MOVES("{\"from\": \"kinship\", \"to\": \"fostering\", \"rate_per_year\": 0.3},\n"
		        "{" FK
		        ", \"time_in_care_bands\": [\"6-24m\", \"24m+\"], \"rate_per_year\": "
		        "0.1},\n"
		        "{\"from\": \"kinship\", \"to\": \"secure\", \"rate_per_year\": 0.3},\n"
		        "{" FK ", \"age_bands\": [\"16-17\"], \"time_in_care_bands\": [\"24m+\"], "
		        "\"rate_per_year\": 0.2}"),
		  6, 1,
		  "this row overlaps the row at line 4: both give the hazard from \"fostering\" to "
		  "\"kinship\" at age band \"16-17\", time in care \"24m+\"" },
	};
	RUN_CASES(cases);
}

/* ---- exits ---------------------------------------------------------------- */

#define EXITS(rows) MODEL("\"exits\": [\n" rows "]")

static void test_cc_model_parse_exits_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "not a list", MODEL("\"exits\": \"none\""), 2, 10,
		  "expected a list for \"exits\", found \"none\"" },
		{ "row not an object", EXITS("[]"), 3, 1,
		  "expected an exits row (an object), found a list" },
		{ "reason missing", EXITS("{\"rate_per_year\": 0.1}"), 3, 1,
		  "missing \"reason\": expected an exit reason" },
		{ "reason unknown", EXITS("{\"reason\": \"died\", \"rate_per_year\": 0.1}"), 3, 12,
		  "expected an exit reason (one of \"adoption\", \"sgo\", \"cao\", \"home\", "
		  "\"independent\", \"transfer\", \"custody\", \"other\"), found \"died\"" },
		{ "reason age18", EXITS("{\"reason\": \"age18\", \"rate_per_year\": 0.1}"), 3, 12,
		  "expected an exit reason other than \"age18\", which is applied on every child's "
		  "18th birthday without a rate" },
		{ "reason number", EXITS("{\"reason\": 5, \"rate_per_year\": 0.1}"), 3, 12,
		  "expected a name (string) for \"reason\", found 5" },
		{ "reason bad name", EXITS("{\"reason\": \"\", \"rate_per_year\": 0.1}"), 3, 12,
		  "expected a name of 1 to 32 characters from A-Z a-z 0-9 _ - + . for \"reason\", "
		  "found \"\"" },
		{ "category unknown",
		  EXITS("{\"categories\": [\"foster\"], \"reason\": \"home\", \"rate_per_year\": "
		        "0.1}"),
		  3, 17, "expected a category (one of \"fostering\", \"kinship\"" },
		{ "category filter empty",
		  EXITS("{\"categories\": [], \"reason\": \"home\", \"rate_per_year\": 0.1}"), 3,
		  16,
		  "expected at least one name in \"categories\", found an empty list (leave the "
		  "key "
		  "out to mean all)" },
		{ "category twice",
		  EXITS("{\"categories\": [\"kinship\", \"kinship\"], \"reason\": \"home\", "
		        "\"rate_per_year\": 0.1}"),
		  3, 28, "\"kinship\" is listed twice in \"categories\"" },
		{ "category filter an object",
		  EXITS("{\"categories\": {}, \"reason\": \"home\", \"rate_per_year\": 0.1}"), 3,
		  16, "expected a list for \"categories\", found an object" },
		{ "age band unknown",
		  EXITS("{\"age_bands\": [\"18+\"], \"reason\": \"home\", \"rate_per_year\": 0.1}"),
		  3, 16,
		  "expected an age band (one of \"under1\", \"1-4\", \"5-9\", \"10-15\", "
		  "\"16-17\"), "
		  "found \"18+\"" },
		{ "time-in-care band unknown",
		  EXITS("{\"time_in_care_bands\": [\"long\"], \"reason\": \"home\", "
		        "\"rate_per_year\": "
		        "0.1}"),
		  3, 25,
		  "expected a time-in-care band (one of \"under6m\", \"6-24m\", \"24m+\"), found "
		  "\"long\"" },
		{ "rate over 1000", EXITS("{\"rate_per_year\": 1000.5, \"reason\": \"home\"}"), 3,
		  19, "expected a number from 0 to 1000 for \"rate_per_year\", found 1000.5" },
		{ "rate string", EXITS("{\"rate_per_year\": \"0.2\", \"reason\": \"home\"}"), 3, 19,
		  "expected a number for \"rate_per_year\", found \"0.2\"" },
		{ "typo rate key", EXITS("{\"rate_per_yaer\": 0.1, \"reason\": \"home\"}"), 3, 2,
		  "unknown key \"rate_per_yaer\" in an exits row; expected one of \"reason\", "
		  "\"categories\", \"age_bands\", \"time_in_care_bands\", \"rate_per_year\", "
		  "\"events\", "
		  "\"exposure_years\", \"source\", \"note\"" },
		{ "moves key in an exits row",
		  EXITS("{\"from\": \"fostering\", \"reason\": \"home\", \"rate_per_year\": 0.1}"),
		  3, 2, "unknown key \"from\" in an exits row" },
		{ "events only", EXITS("{\"events\": 3, \"reason\": \"home\"}"), 3, 1,
		  "expected both \"events\" and \"exposure_years\" (the evidence for a rate), "
		  "found "
		  "only one" },
		{ "exposure 0",
		  EXITS("{\"exposure_years\": 0, \"events\": 0, \"reason\": \"home\"}"), 3, 20,
		  "expected \"exposure_years\" greater than 0, found 0" },
		{ "rate disagrees",
		  EXITS(
		      "{\"rate_per_year\": 0.5, \"events\": 3, \"exposure_years\": 10, \"reason\": "
		      "\"home\"}"),
		  3, 19,
		  "expected \"rate_per_year\" to agree within 1% with events / exposure_years = "
		  "0.3, "
		  "found 0.5" },
		{ "overlap",
		  EXITS("{\"reason\": \"home\", \"rate_per_year\": 0.1},\n"
		        "{\"reason\": \"sgo\", \"rate_per_year\": 0.1},\n"
		        "{\"reason\": \"home\", \"categories\": [\"kinship\"], \"age_bands\": "
		        "[\"1-4\"], "
		        "\"rate_per_year\": 0.2}"),
		  5, 1,
		  "this row overlaps the row at line 3: both give the \"home\" exit hazard for "
		  "category \"kinship\", age band \"1-4\", time in care \"under6m\"" },
		{ "reason not in a custom list",
		  MODEL("\"exit_reasons\": [\"home\", \"other\"],\n\"exits\": [\n"
		        "{\"reason\": \"adoption\", \"rate_per_year\": 0.1}]"),
		  4, 12,
		  "expected an exit reason (one of \"home\", \"other\"), found \"adoption\"" },
	};
	RUN_CASES(cases);
}

/* ---- starting population -------------------------------------------------- */

#define START(rows) MODEL_NO_START("\"starting_population\": [\n" rows "]")

static void test_cc_model_parse_start_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "row not an object", START("\"x\""), 3, 1,
		  "expected a starting population row (an object), found \"x\"" },
		{ "age 216", START("{\"age_months\": 216, \"months_in_care\": 12, " SP_REST "}"), 3,
		  16, "expected a number from 0 to 215 for \"age_months\", found 216" },
		{ "age negative", START("{\"age_months\": -1, \"months_in_care\": 0, " SP_REST "}"),
		  3, 16, "expected a number from 0 to 215 for \"age_months\", found -1" },
		{ "age fraction",
		  START("{\"age_months\": 12.5, \"months_in_care\": 1, " SP_REST "}"), 3, 16,
		  "expected a whole number for \"age_months\", found 12.5" },
		{ "age string",
		  START("{\"age_months\": \"30\", \"months_in_care\": 1, " SP_REST "}"), 3, 16,
		  "expected a whole number for \"age_months\", found \"30\"" },
		{ "age missing", START("{\"months_in_care\": 0, " SP_REST "}"), 3, 1,
		  "missing \"age_months\": expected a whole number" },
		{ "in care longer than alive",
		  START("{\"months_in_care\": 13, \"age_months\": 12, " SP_REST "}"), 3, 20,
		  "expected \"months_in_care\" at most \"age_months\" (12), found 13" },
		{ "months_in_care missing", START("{\"age_months\": 12, " SP_REST "}"), 3, 1,
		  "missing \"months_in_care\": expected a whole number" },
		{ "months_in_care 216",
		  START("{\"months_in_care\": 216, \"age_months\": 12, " SP_REST "}"), 3, 20,
		  "expected a number from 0 to 215 for \"months_in_care\", found 216" },
		{ "in placement longer than in care",
		  START("{\"months_in_placement\": 6, \"months_in_care\": 5, \"age_months\": "
		        "12, " SP_REST "}"),
		  3, 25,
		  "expected \"months_in_placement\" at most \"months_in_care\" (5), found 6" },
		{ "months_in_placement fraction",
		  START("{\"months_in_placement\": 1.5, \"months_in_care\": 5, \"age_months\": "
		        "12, " SP_REST "}"),
		  3, 25, "expected a whole number for \"months_in_placement\", found 1.5" },
		{ "no placement in the last year",
		  START("{\"placements_last_12_months\": 0, \"months_in_placement\": 3, "
		        "\"months_in_care\": 5, \"age_months\": 12, " SP_REST "}"),
		  3, 31,
		  "expected at least 1 placement in the last 12 months when the current one began "
		  "3 "
		  "months ago, found 0" },
		{ "13 placements in a year",
		  START("{\"placements_last_12_months\": 13, \"months_in_care\": 5, "
		        "\"age_months\": 12, " SP_REST "}"),
		  3, 31,
		  "expected a number from 0 to 12 for \"placements_last_12_months\", found 13" },
		{ "count 0",
		  START("{\"count\": 0, \"age_months\": 12, \"months_in_care\": 5, " SP_REST "}"),
		  3, 11, "expected a number from 1 to 10000000 for \"count\", found 0" },
		{ "count fraction",
		  START("{\"count\": 1.5, \"age_months\": 12, \"months_in_care\": 5, " SP_REST "}"),
		  3, 11, "expected a whole number for \"count\", found 1.5" },
		{ "count string",
		  START("{\"count\": \"2\", \"age_months\": 12, \"months_in_care\": 5, " SP_REST
		        "}"),
		  3, 11, "expected a whole number for \"count\", found \"2\"" },
		{ "count over 10 million",
		  START("{\"count\": 10000001, \"age_months\": 12, \"months_in_care\": 5, " SP_REST
		        "}"),
		  3, 11, "expected a number from 1 to 10000000 for \"count\", found 10000001" },
		{ "provider foo",
		  START("{\"provider\": \"foo\", \"category\": \"fostering\", \"age_months\": 12, "
		        "\"months_in_care\": 5}"),
		  3, 14, "expected \"in_house\" or \"external\" for \"provider\", found \"foo\"" },
		{ "provider wrong case",
		  START("{\"provider\": \"In_house\", \"category\": \"fostering\", \"age_months\": "
		        "12, "
		        "\"months_in_care\": 5}"),
		  3, 14,
		  "expected \"in_house\" or \"external\" for \"provider\", found \"In_house\"" },
		{ "provider number",
		  START("{\"provider\": 1, \"category\": \"fostering\", \"age_months\": 12, "
		        "\"months_in_care\": 5}"),
		  3, 14, "expected a string for \"provider\", found 1" },
		{ "provider missing",
		  START("{\"category\": \"fostering\", \"age_months\": 12, \"months_in_care\": 5}"),
		  3, 1, "missing \"provider\": expected \"in_house\" or \"external\"" },
		{ "category missing",
		  START("{\"provider\": \"in_house\", \"age_months\": 12, \"months_in_care\": 5}"),
		  3, 1, "missing \"category\": expected a category" },
		{ "category unknown",
		  START(
		      "{\"category\": \"foster\", \"provider\": \"in_house\", \"age_months\": 12, "
		      "\"months_in_care\": 5}"),
		  3, 14, "expected a category (one of \"fostering\", \"kinship\"" },
		{ "typo key",
		  START("{\"age_month\": 12, \"age_months\": 12, \"months_in_care\": 5, " SP_REST
		        "}"),
		  3, 2,
		  "unknown key \"age_month\" in a starting population row; expected one of "
		  "\"age_months\", \"category\", \"provider\", \"months_in_care\"" },
		{ "duplicate key",
		  START("{\"count\": 1, \"count\": 2, \"age_months\": 12, \"months_in_care\": "
		        "5, " SP_REST "}"),
		  3, 14, "duplicate key \"count\" in a starting population row (first at line 3)" },
		{ "over 10 million children",
		  START("{\"count\": 6000000, \"age_months\": 12, \"months_in_care\": 5, " SP_REST
		        "},\n"
		        "{\"count\": 5000000, \"age_months\": 13, \"months_in_care\": 5, " SP_REST
		        "}"),
		  4, 1,
		  "expected at most 10000000 children in the starting population, found more by "
		  "this "
		  "row" },
	};
	RUN_CASES(cases);
}

/* ---- population_0_17 ------------------------------------------------------ */

static void test_cc_model_parse_population_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "not an object", MODEL("\"population_0_17\": [50000]"), 2, 20,
		  "expected an object for \"population_0_17\", found a list" },
		{ "two-digit year", MODEL("\"population_0_17\": {\"25\": 50000}"), 2, 21,
		  "expected a year from 1900 to 2200 as key in \"population_0_17\", found \"25\"" },
		{ "financial year label", MODEL("\"population_0_17\": {\"2024-25\": 50000}"), 2, 21,
		  "expected a year from 1900 to 2200 as key in \"population_0_17\", found "
		  "\"2024-25\"" },
		{ "year 1899", MODEL("\"population_0_17\": {\"1899\": 50000}"), 2, 21,
		  "expected a year from 1900 to 2200 as key in \"population_0_17\", found "
		  "\"1899\"" },
		{ "year 2201", MODEL("\"population_0_17\": {\"2201\": 50000}"), 2, 21,
		  "found \"2201\"" },
		{ "signed year", MODEL("\"population_0_17\": {\"+202\": 50000}"), 2, 21,
		  "found \"+202\"" },
		{ "year with space", MODEL("\"population_0_17\": {\" 202\": 50000}"), 2, 21,
		  "found \" 202\"" },
		{ "count 0", MODEL("\"population_0_17\": {\"2025\": 0}"), 2, 29,
		  "expected a number from 1 to 1000000000 for the 0-17 population of 2025, found "
		  "0" },
		{ "count negative", MODEL("\"population_0_17\": {\"2025\": -5}"), 2, 29,
		  "expected a number from 1 to 1000000000 for the 0-17 population of 2025, found "
		  "-5" },
		{ "count string", MODEL("\"population_0_17\": {\"2025\": \"50000\"}"), 2, 29,
		  "expected a number for the 0-17 population of 2025, found \"50000\"" },
		{ "count infinite", MODEL("\"population_0_17\": {\"2025\": 1e999}"), 2, 29,
		  "expected a finite number for the 0-17 population of 2025, found 1e999" },
		{ "year twice", MODEL("\"population_0_17\": {\"2025\": 1, \"2025\": 2}"), 2, 32,
		  "duplicate key \"2025\" in \"population_0_17\" (first at line 2)" },
	};
	RUN_CASES(cases);
}

static void test_cc_model_parse_population_over_1000_years(void **state)
{
	(void)state;
	size_t cap = 1001 * 16 + 64;
	char *obj = malloc(cap);
	assert_non_null(obj);
	size_t o = (size_t)snprintf(obj, cap, "{\n\"population_0_17\": {");
	for (int y = 1900; y <= 2200 && o < cap; y++)
		o += (size_t)snprintf(obj + o, cap - o, "%s\"%d\": 1", y > 1900 ? ", " : "", y);
	/* 301 valid years and 700 comments make 1001 members. */
	for (int i = 0; i < 700 && o < cap; i++)
		o += (size_t)snprintf(obj + o, cap - o, ", \"_%d\": 1", i);
	const char *tail = "},\n" DATE ",\n" ENTRIES0 ",\n" START0 "}";
	char *text = malloc(o + strlen(tail) + 1);
	assert_non_null(text);
	memcpy(text, obj, o);
	strcpy(text + o, tail);
	int bad = check_bad_len("1001 years", text, strlen(text), CC_EPARSE, 2, 20,
	                        "expected at most 1000 years in \"population_0_17\", found 1001");
	free(text);
	free(obj);
	if (bad)
		fail_msg("too many years not reported as expected");
}

/* ---- long lists where a short one is expected ----------------------------- */

static void test_cc_model_parse_long_lists_rejected_quickly(void **state)
{
	(void)state;
	/* A million items where a short list is expected is reported in
	 * linear time (seconds of processor time at most; a quadratic walk would
	 * take hours), not walked quadratically. Under sanitizers and valgrind
	 * (CC_TEST_SCALE=small) the lists are shorter and not timed. */
	const int small = cc_test_small();
	const size_t million = small ? 100000 : 1000000;
	struct {
		size_t n;
		const char *label, *prefix, *item, *suffix;
		size_t line, col;
		const char *msg; /* followed by the item count */
	} cases[] = {
		{ million, "age_bands", "{\n\"age_bands\": ", "0",
		  ",\n" DATE ",\n" ENTRIES0 ",\n" START0 "}", 2, 14,
		  "expected at most 32 items in \"age_bands\", found " },
		{ 1000, "time_in_care_bands", "{\n\"time_in_care_bands\": ", "{}",
		  ",\n" DATE ",\n" ENTRIES0 ",\n" START0 "}", 2, 23,
		  "expected at most 32 items in \"time_in_care_bands\", found " },
		{ 1000, "categories", "{\n\"categories\": ", "{\"name\": \"a\"}",
		  ",\n" DATE ",\n" ENTRIES0 ",\n" START0 "}", 2, 15,
		  "expected at most 32 items in \"categories\", found " },
		{ million, "exit_reasons", "{\n\"exit_reasons\": ", "\"home\"",
		  ",\n" DATE ",\n" ENTRIES0 ",\n" START0 "}", 2, 17,
		  "expected at most 31 items in \"exit_reasons\", found " },
		{ million, "moves filter",
		  "{\n\"moves\": [{" FK ", \"rate_per_year\": 1, \"age_bands\": ", "\"1-4\"",
		  "}],\n" DATE ",\n" ENTRIES0 ",\n" START0 "}", 2, 83,
		  "expected at most 32 items in \"age_bands\", found " },
		{ 1000, "exits filter",
		  "{\n\"exits\": [{\"reason\": \"home\", \"rate_per_year\": 1, \"categories\": ",
		  "\"kinship\"", "}],\n" DATE ",\n" ENTRIES0 ",\n" START0 "}", 2, 64,
		  "expected at most 32 items in \"categories\", found " },
		{ 100001, "moves rows", "{\n\"moves\": ", "0",
		  ",\n" DATE ",\n" ENTRIES0 ",\n" START0 "}", 2, 10,
		  "expected at most 100000 items in \"moves\", found " },
		{ 100001, "exits rows", "{\n\"exits\": ", "0",
		  ",\n" DATE ",\n" ENTRIES0 ",\n" START0 "}", 2, 10,
		  "expected at most 100000 items in \"exits\", found " },
		{ million, "age weights",
		  "{\n" DATE ",\n" START0 ",\n\"entries\": {\"rate_per_year\": " RATES0
		  ", \"age_weights\": {\"1-4\": ",
		  "1", "}}}", 4, 112,
		  "expected 4 weights (one per year of age) or 48 (one per month) for age band "
		  "\"1-4\", found " },
	};
	int failures = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text =
		    repeat_list(cases[i].prefix, cases[i].item, cases[i].n, cases[i].suffix);
		char msg[256];
		snprintf(msg, sizeof msg, "%s%zu", cases[i].msg, cases[i].n);
		double t0 = cc_test_cpu_seconds();
		failures += check_bad_len(cases[i].label, text, strlen(text), CC_EPARSE,
		                          cases[i].line, cases[i].col, msg);
		double t = cc_test_cpu_seconds() - t0;
		if (!small && t > 5.0) {
			print_error("[%s] took %.2f s\n", cases[i].label, t);
			failures++;
		}
		free(text);
	}
	if (failures)
		fail_msg("%d long-list cases failed", failures);
}

static void test_cc_model_parse_reports_every_problem(void **state)
{
	(void)state;
	static const char text[] =
	    "{\n"
	    "\"format_version\": 2,\n"
	    "\"name\": 5,\n"
	    "\"base_date\": \"2025-03-30\",\n" ENTRIES0 ",\n"
	    "\"moves\": [{\"from\": \"fostering\", \"to\": \"fostering\", \"rate_per_year\": "
	    "0.1}],\n"
	    "\"starting_population\": [\n"
	    "{\"provider\": \"foo\", \"category\": \"fostering\", \"age_months\": 12, "
	    "\"months_in_care\": 5},\n"
	    "{\"age_months\": 216, \"months_in_care\": 5, " SP_REST "}],\n"
	    "\"population_0_17\": {\"25\": 1}\n"
	    "}\n";
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = NULL;
	assert_int_equal(cc_model_parse("m.json", text, sizeof text - 1, &m, d), CC_EPARSE);
	assert_null(m);
	static const struct {
		size_t line, col;
		const char *msg;
	} want[] = {
		{ 2, 19, "\"format_version\" 1 (the only version this carecast reads), found 2" },
		{ 3, 9, "expected a string for \"name\", found 5" },
		{ 4, 14, "to be the last day of a month" },
		{ 6, 39, "expected \"to\" to differ from \"from\"" },
		{ 8, 14, "for \"provider\", found \"foo\"" },
		{ 9, 16, "for \"age_months\", found 216" },
		{ 10, 21, "found \"25\"" },
	};
	size_t n = sizeof want / sizeof want[0];
	if (cc_diags_count(d) != n || cc_diags_errors(d) != n) {
		dump_diags(d);
		fail_msg("%zu diagnostics (%zu errors), expected %zu", cc_diags_count(d),
		         cc_diags_errors(d), n);
	}
	/* In file order, each where it belongs. */
	for (size_t i = 0; i < n; i++) {
		const cc_diag *e = cc_diags_get(d, i);
		if (e->line != want[i].line || e->column != want[i].col ||
		    !strstr(e->message, want[i].msg)) {
			dump_diags(d);
			fail_msg("diagnostic %zu is %zu:%zu \"%s\", expected %zu:%zu \"%s\"", i,
			         e->line, e->column, e->message, want[i].line, want[i].col,
			         want[i].msg);
		}
	}
	cc_diags_free(d);
}

static void test_cc_model_parse_many_problems_counted_past_limit(void **state)
{
	(void)state;
	/* 300 bad rows, one per line: every one counted, 200 kept. */
	const char *head = "{\n" DATE ",\n" ENTRIES0 ",\n\"starting_population\": [\n";
	const char *row =
	    "{\"provider\": \"foo\", \"category\": \"fostering\", \"age_months\": 12, "
	    "\"months_in_care\": 5}";
	size_t cap = strlen(head) + 300 * (strlen(row) + 2) + 8;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t o = (size_t)snprintf(text, cap, "%s", head);
	for (int i = 0; i < 300; i++)
		o += (size_t)snprintf(text + o, cap - o, "%s%s", i ? ",\n" : "", row);
	o += (size_t)snprintf(text + o, cap - o, "]}");
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m;
	assert_int_equal(cc_model_parse("m.json", text, o, &m, d), CC_EPARSE);
	assert_int_equal(cc_diags_errors(d), 300);
	assert_int_equal(cc_diags_count(d), 200);
	assert_int_equal(cc_diags_dropped(d), 100);
	assert_int_equal(cc_diags_get(d, 0)->line, 5);
	assert_int_equal(cc_diags_get(d, 199)->line, 204);
	cc_diags_free(d);
	free(text);
}

static void test_cc_model_parse_many_problems_one_line_fast(void **state)
{
	(void)state;
	/* Regression test; this was a bug: quadratic time. A minified (one-line) model with 20,000
	 * starting population rows, each with "provider": "In-house", takes about 10 s to report
	 * (100,000 rows: minutes), because every error computes its column by scanning the line
	 * from its start, even the errors dropped past the diagnostics limit. Expected: well under
	 * a second. */
	const size_t n = 20000;
	const char *row = "{\"age_months\":30,\"category\":\"fostering\",\"provider\":\"In-house\","
	                  "\"months_in_care\":3}";
	char *text = repeat_list("{" DATE "," ENTRIES0 ",\"starting_population\":", row, n, "}");
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m;
	double t0 = cc_test_cpu_seconds();
	assert_int_equal(cc_model_parse("m.json", text, strlen(text), &m, d), CC_EPARSE);
	double t = cc_test_cpu_seconds() - t0;
	assert_int_equal(cc_diags_errors(d), n);
	if (!cc_test_small() && t > 2.0)
		fail_msg("%zu errors on one line took %.2f s", n, t);
	cc_diags_free(d);
	free(text);
}

/* ---- valid models --------------------------------------------------------- */

static void test_cc_model_parse_defaults(void **state)
{
	(void)state;
	static const char text[] = MODEL_MIN;
	cc_model *m = parse_ok(text);
	assert_string_equal(m->name, "");
	assert_string_equal(m->path, "m.json");
	char sha[65];
	cc_sha256_hex(text, sizeof text - 1, sha);
	assert_string_equal(m->sha256, sha);
	assert_int_equal(m->base_date, date_of("2025-03-31"));

	static const char *const ages[] = { "under1", "1-4", "5-9", "10-15", "16-17" };
	static const unsigned age_from[] = { 0, 12, 60, 120, 192 };
	static const unsigned age_to[] = { 12, 60, 120, 192, 216 };
	assert_int_equal(m->n_age_bands, 5);
	for (size_t b = 0; b < 5; b++) {
		assert_string_equal(m->age_bands[b].name, ages[b]);
		assert_int_equal(m->age_bands[b].from_months, age_from[b]);
		assert_int_equal(m->age_bands[b].to_months, age_to[b]);
	}
	assert_int_equal(m->n_tic_bands, 3);
	assert_string_equal(m->tic_bands[0].name, "under6m");
	assert_string_equal(m->tic_bands[1].name, "6-24m");
	assert_string_equal(m->tic_bands[2].name, "24m+");
	assert_int_equal(m->tic_bands[0].from_months, 0);
	assert_int_equal(m->tic_bands[0].to_months, 6);
	assert_int_equal(m->tic_bands[1].from_months, 6);
	assert_int_equal(m->tic_bands[1].to_months, 24);
	assert_int_equal(m->tic_bands[2].from_months, 24);
	assert_int_equal(m->tic_bands[2].to_months, UINT_MAX);

	static const char *const cats[] = { "fostering", "kinship",      "residential", "secure",
		                            "supported", "with_parents", "adoption",    "other" };
	assert_int_equal(m->n_categories, 8);
	for (size_t c = 0; c < 8; c++) {
		assert_string_equal(m->categories[c].name, cats[c]);
		assert_near(m->categories[c].in_house_share, 1.0, 0);
	}
	static const char *const reasons[] = { "adoption",    "sgo",      "cao",     "home",
		                               "independent", "transfer", "custody", "other" };
	assert_int_equal(m->n_reasons, 8);
	for (size_t r = 0; r < 8; r++)
		assert_string_equal(m->reasons[r], reasons[r]);
	assert_int_equal(cc_model_age18(m), 8);

	assert_int_equal(m->n_params, 5);
	for (size_t p = 0; p < 5; p++) {
		assert_near(m->params[p].rate_per_year, 0, 0);
		assert_false(m->params[p].has_evidence);
		assert_int_equal(m->params[p].line, 3);
	}
	assert_near(m->entry_trend_per_year, 0, 0);
	for (size_t b = 0; b < CC_MAX_LIST; b++)
		assert_null(m->entry_age_cdf[b]);
	assert_int_equal(m->n_moves, 0);
	assert_int_equal(m->n_exits, 0);
	assert_int_equal(m->n_start, 0);
	assert_int_equal(m->start_total, 0);
	assert_int_equal(m->n_population, 0);
	assert_near(cc_model_population(m, 2025), 0, 0);
	assert_int_equal(m->parameter_uncertainty, 1);
	cc_model_free(m);
	cc_model_free(NULL);
}

static void test_cc_model_load_tiny_parameters_in_order(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = NULL;
	int rc = cc_model_load("tests/data/tiny.json", &m, d);
	if (rc != CC_OK) {
		dump_diags(d);
		fail_msg("tiny.json: rc %d", rc);
	}
	assert_string_equal(m->name, "Tiny test authority");
	assert_string_equal(m->path, "tests/data/tiny.json");
	/* The hash is of the file's bytes. */
	char *bytes;
	size_t len;
	assert_int_equal(cc_file_read("tests/data/tiny.json", CC_FILE_MAX_BYTES, &bytes, &len, d),
	                 CC_OK);
	char sha[65];
	cc_sha256_hex(bytes, len, sha);
	free(bytes);
	assert_string_equal(m->sha256, sha);

	assert_int_equal(m->n_categories, 3);
	assert_near(m->categories[0].in_house_share, 0.6, 0);
	assert_near(m->categories[1].in_house_share, 0.2, 0);
	assert_near(m->categories[2].in_house_share, 1.0, 0); /* default */

	/* params: 5 entry rates (bands in order), 2 move rows, 4 exit rows. */
	assert_int_equal(m->n_params, 11);
	static const double want[] = { 10, 8, 6, 12, 9, 0.05, 0.1, 0.6, 0.1, 0.2, 0.3 };
	for (size_t p = 0; p < 11; p++)
		assert_near(m->params[p].rate_per_year, want[p], 0);
	assert_true(m->params[3].has_evidence);
	assert_near(m->params[3].events, 12, 0);
	assert_near(m->params[3].exposure_years, 1, 0);
	assert_false(m->params[0].has_evidence);
	assert_true(m->params[6].has_evidence);
	assert_near(m->params[6].events, 4, 0);
	assert_near(m->params[6].exposure_years, 40, 0);
	/* Where each was given. */
	assert_int_equal(m->params[0].line, 10);
	assert_int_equal(m->params[3].line, 10);
	assert_int_equal(m->params[5].line, 20);
	assert_int_equal(m->params[6].line, 21);
	assert_int_equal(m->params[7].line, 24);
	assert_int_equal(m->params[10].line, 27);

	assert_int_equal(m->n_moves, 2);
	assert_int_equal(m->moves[0].param, 5);
	assert_int_equal(m->moves[1].param, 6);
	assert_int_equal(m->moves[0].from, 0);
	assert_int_equal(m->moves[0].to, 1);
	assert_int_equal(m->moves[0].age_bands, (1u << 3) | (1u << 4));
	assert_int_equal(m->moves[0].tic_bands, 0x7);
	assert_int_equal(m->moves[1].from, 1);
	assert_int_equal(m->moves[1].to, 0);
	assert_int_equal(m->moves[1].age_bands, 0x1F);
	assert_int_equal(m->n_exits, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(m->exits[i].param, 7 + i);
	assert_int_equal(m->exits[0].reason, 3); /* home */
	assert_int_equal(m->exits[0].tic_bands, 0x1);
	assert_int_equal(m->exits[0].categories, 0x7);
	assert_int_equal(m->exits[1].tic_bands, 0x6);
	assert_int_equal(m->exits[2].reason, 0); /* adoption */
	assert_int_equal(m->exits[2].categories, 0x1);
	assert_int_equal(m->exits[2].age_bands, 0x3);
	assert_int_equal(m->exits[3].reason, 4); /* independent */
	assert_int_equal(m->exits[3].categories, 0x4);
	assert_int_equal(m->exits[3].age_bands, 0x10);

	assert_near(m->entry_mix[0][0], 1, 0);
	assert_near(m->entry_mix[2][0], 0.9, 1e-15);
	assert_near(m->entry_mix[2][1], 0.1, 1e-15);
	assert_near(m->entry_mix[4][0], 0.4, 1e-15);
	assert_near(m->entry_mix[4][1], 0.2, 1e-15);
	assert_near(m->entry_mix[4][2], 0.4, 1e-15);

	assert_int_equal(m->n_start, 3);
	assert_int_equal(m->start_total, 28);
	assert_int_equal(m->start[0].age_months, 30);
	assert_int_equal(m->start[0].category, 0);
	assert_int_equal(m->start[0].provider, CC_IN_HOUSE);
	assert_int_equal(m->start[0].count, 20);
	assert_int_equal(m->start[1].provider, CC_EXTERNAL);
	assert_int_equal(m->start[2].category, 2);

	assert_int_equal(m->n_population, 2);
	assert_int_equal(m->population[0].year, 2025);
	assert_near(m->population[0].count, 50000, 0);
	assert_int_equal(m->population[1].year, 2026);
	cc_model_free(m);
	cc_diags_free(d);
}

static void test_cc_model_parse_evidence_only_rates(void **state)
{
	(void)state;
	cc_model *m = parse_ok(MODEL_NO_ENTRIES(
	    "\"entries\": {\"rate_per_year\": {\"under1\": {\"events\": 6, \"exposure_years\": 2}, "
	    "\"1-4\": {\"events\": 0, \"exposure_years\": 5}, \"5-9\": 0, \"10-15\": 0, \"16-17\": "
	    "0},\n\"category_mix\": {\"under1\": {\"fostering\": 1}, \"1-4\": {\"kinship\": 1}}},\n"
	    "\"moves\": [{" FK ", \"events\": 4, \"exposure_years\": 40}],\n"
	    "\"exits\": [{\"reason\": \"home\", \"events\": 2.5, \"exposure_years\": 10}]"));
	assert_int_equal(m->n_params, 7);
	assert_near(m->params[0].rate_per_year, 3, 0);
	assert_true(m->params[0].has_evidence);
	assert_near(m->params[0].events, 6, 0);
	assert_near(m->params[0].exposure_years, 2, 0);
	assert_near(m->params[1].rate_per_year, 0, 0);
	assert_true(m->params[1].has_evidence);
	assert_near(m->params[5].rate_per_year, 0.1, 1e-15);
	assert_true(m->params[5].has_evidence);
	assert_near(m->params[6].rate_per_year, 0.25, 0);
	assert_near(m->params[6].events, 2.5, 0);
	cc_model_free(m);
}

static void test_cc_model_parse_rate_within_1_percent_kept(void **state)
{
	(void)state;
	cc_model *m =
	    parse_ok(MOVES("{\"rate_per_year\": 0.1009, \"events\": 4, \"exposure_years\": 40, " FK
	                   "},\n{\"rate_per_year\": 0.0991, \"events\": 4, \"exposure_years\": 40, "
	                   "\"from\": \"kinship\", \"to\": \"fostering\"}"));
	/* The given point estimate wins; the evidence is kept for the posterior. */
	assert_near(m->params[5].rate_per_year, 0.1009, 0);
	assert_near(m->params[6].rate_per_year, 0.0991, 0);
	assert_true(m->params[5].has_evidence);
	cc_model_free(m);
}

static void test_cc_model_parse_limits_accepted_exactly(void **state)
{
	(void)state;
	/* Every value at its documented limit is accepted. */
	cc_model *m = parse_ok(
	    "{\n" DATE ",\n"
	    "\"format_version\": 1,\n"
	    "\"exit_reasons\": "
	    "[\"r1\",\"r2\",\"r3\",\"r4\",\"r5\",\"r6\",\"r7\",\"r8\",\"r9\",\"r10\","
	    "\"r11\",\"r12\",\"r13\",\"r14\",\"r15\",\"r16\",\"r17\",\"r18\",\"r19\",\"r20\","
	    "\"r21\","
	    "\"r22\",\"r23\",\"r24\",\"r25\",\"r26\",\"r27\",\"r28\",\"r29\",\"r30\","
	    "\"abcdefghijabcdefghijabcdefghijab\"],\n"
	    "\"entries\": {\"rate_per_year\": {\"under1\": 10000000, \"1-4\": 0, \"5-9\": 0, "
	    "\"10-15\": 0, \"16-17\": 0}, \"trend_per_year\": -1,\n"
	    "\"category_mix\": {\"under1\": {\"fostering\": 1}}},\n"
	    "\"moves\": [{" FK ", \"rate_per_year\": 1000},\n"
	    "{\"from\": \"kinship\", \"to\": \"fostering\", \"events\": 1000000000, "
	    "\"exposure_years\": "
	    "1000000}],\n"
	    "\"exits\": [{\"reason\": \"abcdefghijabcdefghijabcdefghijab\", \"rate_per_year\": "
	    "0}],\n"
	    "\"starting_population\": [{\"age_months\": 215, \"months_in_care\": 215, "
	    "\"months_in_placement\": 215, \"placements_last_12_months\": 12, \"count\": "
	    "10000000, " SP_REST "}]\n}");
	assert_int_equal(m->n_reasons, 31);
	assert_int_equal(cc_model_age18(m), 31);
	assert_string_equal(m->reasons[30], "abcdefghijabcdefghijabcdefghijab");
	assert_int_equal(m->exits[0].reason, 30);
	assert_near(m->params[0].rate_per_year, 1e7, 0);
	assert_near(m->entry_trend_per_year, -1, 0);
	assert_near(m->params[5].rate_per_year, 1000, 0);
	assert_near(m->params[6].rate_per_year, 1000, 0);
	assert_int_equal(m->start_total, 10000000);
	assert_int_equal(m->start[0].age_months, 215);
	assert_int_equal(m->start[0].placements_12m, 12);
	cc_model_free(m);
}

static void test_cc_model_parse_in_house_share_default(void **state)
{
	(void)state;
	cc_model *m =
	    parse_ok(MODEL("\"categories\": [{\"name\": \"family\", \"in_house_share\": 0}, "
	                   "{\"name\": \"residential\"}, {\"name\": \"x.y+z_-1\", "
	                   "\"in_house_share\": 0.25, \"note\": \"n\", \"source\": \"s\"}]"));
	assert_int_equal(m->n_categories, 3);
	assert_string_equal(m->categories[0].name, "family");
	assert_near(m->categories[0].in_house_share, 0, 0);
	assert_near(m->categories[1].in_house_share, 1, 0);
	assert_string_equal(m->categories[2].name, "x.y+z_-1");
	assert_near(m->categories[2].in_house_share, 0.25, 0);
	cc_model_free(m);
}

static void test_cc_model_parse_start_defaults(void **state)
{
	(void)state;
	cc_model *m =
	    parse_ok(START("{\"age_months\": 30, \"months_in_care\": 5, " SP_REST "},\n"
	                   "{\"age_months\": 30, \"months_in_care\": 20, " SP_REST "},\n"
	                   "{\"age_months\": 30, \"months_in_care\": 20, "
	                   "\"months_in_placement\": 15, " SP_REST "},\n"
	                   "{\"age_months\": 30, \"months_in_care\": 20, "
	                   "\"months_in_placement\": 4, \"placements_last_12_months\": 3, "
	                   "\"provider\": \"external\", \"category\": \"secure\", \"count\": "
	                   "7, \"note\": \"siblings\"}"));
	assert_int_equal(m->n_start, 4);
	/* months_in_placement defaults to months_in_care; placements in the last
	 * 12 months to 1 if the placement began within them, else 0. */
	assert_int_equal(m->start[0].months_in_placement, 5);
	assert_int_equal(m->start[0].placements_12m, 1);
	assert_int_equal(m->start[0].count, 1);
	assert_int_equal(m->start[1].months_in_placement, 20);
	assert_int_equal(m->start[1].placements_12m, 0);
	assert_int_equal(m->start[2].months_in_placement, 15);
	assert_int_equal(m->start[2].placements_12m, 0);
	assert_int_equal(m->start[3].months_in_placement, 4);
	assert_int_equal(m->start[3].placements_12m, 3);
	assert_int_equal(m->start[3].provider, CC_EXTERNAL);
	assert_int_equal(m->start[3].category, 3);
	assert_int_equal(m->start[3].count, 7);
	assert_int_equal(m->start_total, 10);
	cc_model_free(m);
}

static void test_cc_model_parse_category_mix_renormalised(void **state)
{
	(void)state;
	cc_model *m = parse_ok(MODEL_NO_ENTRIES(
	    "\"entries\": {\"rate_per_year\": {\"under1\": 5, \"1-4\": 3, \"5-9\": 0, \"10-15\": "
	    "0, "
	    "\"16-17\": 0},\n\"category_mix\": {\"under1\": {\"fostering\": 0.3333, \"kinship\": "
	    "0.3333, \"other\": 0.3333, \"_note\": \"thirds\"}, \"1-4\": {\"fostering\": 0.6006, "
	    "\"residential\": 0.4003}, \"5-9\": {\"secure\": 1}}}"));
	/* 0.9999 and 1.0009 are within the 0.001 tolerance and rescaled. */
	assert_near(m->entry_mix[0][0], 1.0 / 3, 1e-15);
	assert_near(m->entry_mix[0][1], 1.0 / 3, 1e-15);
	assert_near(m->entry_mix[0][7], 1.0 / 3, 1e-15);
	assert_near(m->entry_mix[0][2], 0, 0);
	assert_near(m->entry_mix[1][0], 0.6006 / 1.0009, 1e-15);
	assert_near(m->entry_mix[1][2], 0.4003 / 1.0009, 1e-15);
	for (size_t b = 0; b < 2; b++) {
		double sum = 0;
		for (size_t c = 0; c < m->n_categories; c++)
			sum += m->entry_mix[b][c];
		assert_near(sum, 1.0, 4e-16);
	}
	/* A band with rate 0 may still give a mix. */
	assert_near(m->entry_mix[2][3], 1, 0);
	/* No mix and rate 0: all zero. */
	for (size_t c = 0; c < m->n_categories; c++)
		assert_near(m->entry_mix[3][c], 0, 0);
	cc_model_free(m);
}

static void test_cc_model_parse_age_weights(void **state)
{
	(void)state;
	cc_model *m = parse_ok(MODEL_NO_ENTRIES(
	    "\"entries\": {\"rate_per_year\": " RATES0
	    ",\n\"age_weights\": {\"1-4\": [1, 1, 2, 0], "
	    "\"under1\": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], \"_note\": \"by year or month\"}}"));
	const double *cdf = m->entry_age_cdf[1];
	assert_non_null(cdf);
	/* One weight per year spread evenly over its 12 months. */
	assert_near(cdf[0], 1.0 / 48, 1e-15);
	assert_near(cdf[11], 0.25, 1e-15);
	assert_near(cdf[23], 0.5, 1e-15);
	assert_near(cdf[29], 0.5 + 6.0 / 24, 1e-15);
	assert_near(cdf[35], 1.0, 1e-15);
	assert_near(cdf[36], 1.0, 1e-15);
	assert_near(cdf[47], 1.0, 0);
	cdf = m->entry_age_cdf[0];
	assert_non_null(cdf);
	assert_near(cdf[0], 0.5, 1e-15);
	assert_near(cdf[10], 0.5, 1e-15);
	assert_near(cdf[11], 1.0, 0);
	assert_null(m->entry_age_cdf[2]);
	cc_model_free(m);
}

static void test_cc_model_parse_custom_bands_and_reasons(void **state)
{
	(void)state;
	cc_model *m = parse_ok(
	    "{\n" DATE ",\n"
	    "\"age_bands\": [{\"name\": \"child\", \"from_years\": 0, \"to_years\": 10, \"note\": "
	    "\"x\"},"
	    " {\"name\": \"teen\", \"from_years\": 10, \"to_years\": 18}],\n"
	    "\"time_in_care_bands\": [{\"name\": \"new\", \"from_months\": 0, \"to_months\": 12}, "
	    "{\"name\": \"long\", \"from_months\": 12}],\n"
	    "\"exit_reasons\": [\"home\", \"other\"],\n"
	    "\"entries\": {\"rate_per_year\": {\"child\": 4, \"teen\": 0}, \"category_mix\": "
	    "{\"child\": "
	    "{\"kinship\": 1}}},\n"
	    "\"exits\": [{\"reason\": \"other\", \"age_bands\": [\"teen\"], "
	    "\"time_in_care_bands\": "
	    "[\"long\"], \"rate_per_year\": 0.5}],\n" START0 "\n}");
	assert_int_equal(m->n_age_bands, 2);
	assert_int_equal(m->age_bands[1].from_months, 120);
	assert_int_equal(m->age_bands[1].to_months, 216);
	assert_int_equal(m->n_tic_bands, 2);
	assert_int_equal(m->tic_bands[0].to_months, 12);
	assert_int_equal(m->tic_bands[1].to_months, UINT_MAX);
	assert_int_equal(m->n_reasons, 2);
	assert_int_equal(cc_model_age18(m), 2);
	assert_int_equal(m->n_params, 3);
	assert_int_equal(m->exits[0].reason, 1);
	assert_int_equal(m->exits[0].age_bands, 0x2);
	assert_int_equal(m->exits[0].tic_bands, 0x2);
	assert_int_equal(cc_model_age_band(m, 119), 0);
	assert_int_equal(cc_model_age_band(m, 120), 1);
	assert_int_equal(cc_model_tic_band(m, 11), 0);
	assert_int_equal(cc_model_tic_band(m, 12), 1);
	cc_model_free(m);
}

static void test_cc_model_parse_comments_and_notes_accepted(void **state)
{
	(void)state;
	cc_model *m = parse_ok(
	    "{\n\"_comment\": \"anything\", \"_x\": [1, {\"y\": 2}],\n" DATE ",\n"
	    "\"description\": \"d\", \"source\": \"s\", \"note\": \"n\", \"name\": \"N\",\n"
	    "\"entries\": {\"_c\": 1, \"note\": \"n\", \"source\": \"s\", \"rate_per_year\": "
	    "{\"_c\": 1, "
	    "\"under1\": {\"rate_per_year\": 0, \"source\": \"s\", \"note\": \"n\", \"_c\": 2}, "
	    "\"1-4\": "
	    "0, \"5-9\": 0, \"10-15\": 0, \"16-17\": 0}, \"category_mix\": {\"_c\": 1}},\n"
	    "\"moves\": [{" FK
	    ", \"rate_per_year\": 0.1, \"source\": \"s\", \"note\": \"n\", \"_c\": "
	    "0}],\n"
	    "\"exits\": [{\"reason\": \"home\", \"rate_per_year\": 0.1, \"source\": \"s\", "
	    "\"note\": "
	    "\"n\", \"_c\": 0}],\n"
	    "\"starting_population\": [{\"age_months\": 3, \"months_in_care\": 1, " SP_REST
	    ", \"note\": \"n\", \"_c\": 0}],\n"
	    "\"population_0_17\": {\"_c\": \"DfE\", \"2025\": 1000}\n}");
	assert_string_equal(m->name, "N");
	assert_int_equal(m->n_population, 1);
	assert_int_equal(m->n_moves, 1);
	assert_int_equal(m->n_exits, 1);
	cc_model_free(m);
}

static void test_cc_model_parse_settings(void **state)
{
	(void)state;
	cc_model *m = parse_ok(MODEL_NO_ENTRIES(
	    "\"parameter_uncertainty\": false, \"format_version\": 1,\n"
	    "\"entries\": {\"rate_per_year\": " RATES0 ", \"trend_per_year\": -0.05}"));
	assert_int_equal(m->parameter_uncertainty, 0);
	assert_near(m->entry_trend_per_year, -0.05, 0);
	cc_model_free(m);
}

static void test_cc_model_parse_base_date_month_ends(void **state)
{
	(void)state;
	cc_model *m = parse_ok(MODEL_NO_DATE("\"base_date\": \"2024-02-29\""));
	assert_int_equal(m->base_date, date_of("2024-02-29"));
	cc_model_free(m);
	m = parse_ok(MODEL_NO_DATE("\"base_date\": \"2030-12-31\""));
	assert_int_equal(m->base_date, date_of("2030-12-31"));
	cc_model_free(m);
}

static void test_cc_model_parse_non_overlapping_rows_accepted(void **state)
{
	(void)state;
	cc_model *m = parse_ok(MODEL(
	    "\"moves\": [{" FK ", \"age_bands\": [\"under1\", \"1-4\"], \"rate_per_year\": 0.1},\n"
	    "{" FK ", \"age_bands\": [\"5-9\"], \"time_in_care_bands\": [\"under6m\"], "
	    "\"rate_per_year\": 0.2},\n"
	    "{" FK ", \"age_bands\": [\"5-9\"], \"time_in_care_bands\": [\"6-24m\", \"24m+\"], "
	    "\"rate_per_year\": 0.3},\n"
	    "{\"from\": \"kinship\", \"to\": \"fostering\", \"rate_per_year\": 0.4}],\n"
	    "\"exits\": [{\"reason\": \"home\", \"categories\": [\"fostering\"], "
	    "\"rate_per_year\": 0.5},\n"
	    "{\"reason\": \"home\", \"categories\": [\"kinship\", \"secure\"], \"rate_per_year\": "
	    "0.6},\n"
	    "{\"reason\": \"sgo\", \"categories\": [\"fostering\"], \"rate_per_year\": 0.7}]"));
	assert_int_equal(m->n_moves, 4);
	assert_int_equal(m->n_exits, 3);
	assert_int_equal(m->n_params, 5 + 4 + 3);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(m->moves[i].param, 5 + i);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(m->exits[i].param, 9 + i);
	assert_near(m->params[8].rate_per_year, 0.4, 0);
	assert_near(m->params[11].rate_per_year, 0.7, 0);
	cc_model_free(m);
}

/* ---- hazards -------------------------------------------------------------- */

static cc_model *load_tiny(void)
{
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = NULL;
	int rc = cc_model_load("tests/data/tiny.json", &m, d);
	if (rc != CC_OK)
		dump_diags(d);
	assert_int_equal(rc, CC_OK);
	cc_diags_free(d);
	return m;
}

static double hz(const cc_model *m, const cc_hazards *h, size_t b, size_t c, size_t t, size_t o)
{
	return h->hazard[cc_hazards_cell(m, b, c, t) * h->n_outcomes + o];
}

static void test_cc_hazards_build_point_estimates(void **state)
{
	(void)state;
	cc_model *m = load_tiny();
	cc_hazards h;
	assert_int_equal(cc_hazards_alloc(m, &h), CC_OK);
	assert_int_equal(h.n_cells, 5 * 3 * 3);
	assert_int_equal(h.n_outcomes, 8 + 3);
	cc_hazards_build(m, NULL, &h);
	const size_t R = m->n_reasons; /* move to category j is outcome R + j */
	for (size_t b = 0; b < 5; b++)
		for (size_t c = 0; c < 3; c++)
			for (size_t t = 0; t < 3; t++) {
				/* fostering -> residential for 10-15 and 16-17 only */
				assert_near(hz(m, &h, b, 0, t, R + 1), b >= 3 ? 0.05 : 0, 0);
				/* residential -> fostering everywhere */
				assert_near(hz(m, &h, b, 1, t, R + 0), 0.1, 0);
				/* never a move to the same category */
				assert_near(hz(m, &h, b, c, t, R + c), 0, 0);
				/* home by time in care */
				assert_near(hz(m, &h, b, c, t, 3), t == 0 ? 0.6 : 0.1, 0);
				/* adoption from fostering under 5 */
				assert_near(hz(m, &h, b, c, t, 0), c == 0 && b <= 1 ? 0.2 : 0, 0);
				/* independent from supported at 16-17 */
				assert_near(hz(m, &h, b, c, t, 4), c == 2 && b == 4 ? 0.3 : 0, 0);
			}
	/* Nothing else is set anywhere. */
	double sum = 0;
	for (size_t i = 0; i < h.n_cells * h.n_outcomes; i++)
		sum += h.hazard[i];
	double want =
	    0.05 * 2 * 3 + 0.1 * 5 * 3 + 0.6 * 5 * 3 + 0.1 * 5 * 3 * 2 + 0.2 * 2 * 3 + 0.3 * 1 * 3;
	assert_near(sum, want, 1e-12);
	cc_hazards_free(&h);
	assert_null(h.hazard);
	cc_hazards_free(&h); /* twice is harmless */
	cc_hazards_free(NULL);
	cc_model_free(m);
}

static void test_cc_hazards_build_drawn_values(void **state)
{
	(void)state;
	cc_model *m = load_tiny();
	cc_hazards h;
	assert_int_equal(cc_hazards_alloc(m, &h), CC_OK);
	double values[11];
	for (size_t p = 0; p < 11; p++)
		values[p] = 100.0 + (double)p;
	/* A stale table is overwritten, not added to. */
	for (size_t i = 0; i < h.n_cells * h.n_outcomes; i++)
		h.hazard[i] = -1;
	cc_hazards_build(m, values, &h);
	const size_t R = m->n_reasons;
	assert_near(hz(m, &h, 3, 0, 1, R + 1), 105, 0); /* move row 0 = param 5 */
	assert_near(hz(m, &h, 0, 1, 2, R + 0), 106, 0); /* move row 1 = param 6 */
	assert_near(hz(m, &h, 2, 2, 0, 3), 107, 0);     /* exit row 0 */
	assert_near(hz(m, &h, 2, 2, 2, 3), 108, 0);     /* exit row 1 */
	assert_near(hz(m, &h, 1, 0, 1, 0), 109, 0);     /* exit row 2 */
	assert_near(hz(m, &h, 4, 2, 2, 4), 110, 0);     /* exit row 3 */
	assert_near(hz(m, &h, 2, 0, 1, R + 1), 0, 0);
	assert_near(hz(m, &h, 4, 1, 1, 4), 0, 0);
	/* Entry rates (params 0-4) never appear in the table. */
	for (size_t i = 0; i < h.n_cells * h.n_outcomes; i++)
		assert_true(h.hazard[i] == 0 || h.hazard[i] >= 105);
	cc_hazards_free(&h);
	cc_model_free(m);
}

/* ---- band and population lookups ------------------------------------------ */

static void test_cc_model_age_band_edges(void **state)
{
	(void)state;
	cc_model *m = parse_ok(MODEL_MIN);
	static const struct {
		unsigned age;
		size_t band;
	} cases[] = { { 0, 0 },   { 11, 0 },   { 12, 1 },      { 59, 1 },  { 60, 2 },
		      { 119, 2 }, { 120, 3 },  { 191, 3 },     { 192, 4 }, { 215, 4 },
		      { 216, 4 }, { 1000, 4 }, { UINT_MAX, 4 } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (cc_model_age_band(m, cases[i].age) != cases[i].band)
			fail_msg("age %u months: band %zu, expected %zu", cases[i].age,
			         cc_model_age_band(m, cases[i].age), cases[i].band);
	cc_model_free(m);
}

static void test_cc_model_tic_band_edges(void **state)
{
	(void)state;
	cc_model *m = parse_ok(MODEL_MIN);
	static const struct {
		unsigned months;
		size_t band;
	} cases[] = { { 0, 0 },       { 5, 0 },   { 6, 1 },      { 23, 1 },
		      { 24, 2 },      { 240, 2 }, { 100000, 2 }, { UINT_MAX - 1, 2 },
		      { UINT_MAX, 2 } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (cc_model_tic_band(m, cases[i].months) != cases[i].band)
			fail_msg("%u months in care: band %zu, expected %zu", cases[i].months,
			         cc_model_tic_band(m, cases[i].months), cases[i].band);
	cc_model_free(m);
}

static void test_cc_model_population_extrapolates(void **state)
{
	(void)state;
	cc_model *m = parse_ok(
	    MODEL("\"population_0_17\": {\"2027\": 3000, \"2025\": 1000, \"2026\": 2000}"));
	assert_int_equal(m->n_population, 3);
	/* Sorted by year whatever the order in the file. */
	assert_int_equal(m->population[0].year, 2025);
	assert_int_equal(m->population[1].year, 2026);
	assert_int_equal(m->population[2].year, 2027);
	assert_near(cc_model_population(m, 1990), 1000, 0); /* first later one */
	assert_near(cc_model_population(m, 2024), 1000, 0);
	assert_near(cc_model_population(m, 2025), 1000, 0);
	assert_near(cc_model_population(m, 2026), 2000, 0);
	assert_near(cc_model_population(m, 2027), 3000, 0);
	assert_near(cc_model_population(m, 2100), 3000, 0); /* last earlier one */
	cc_model_free(m);
	m = parse_ok(MODEL("\"population_0_17\": {\"2030\": 5, \"2020\": 4}"));
	assert_near(cc_model_population(m, 2025), 4, 0); /* a gap: the last earlier year */
	cc_model_free(m);
	m = parse_ok(MODEL("\"population_0_17\": {}"));
	assert_int_equal(m->n_population, 0);
	assert_near(cc_model_population(m, 2025), 0, 0);
	cc_model_free(m);
}

/* ---- cc_model_load on files
 * -------------------------------------------- */

typedef struct {
	char dir[64];
} tmpdir;

static int dir_setup(void **state)
{
	tmpdir *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/cc_test_model.XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int dir_teardown(void **state)
{
	tmpdir *t = *state;
	static const char *const names[] = { "empty.json", "blank.json", "ok.json",  "nul.json",
		                             "big.json",   "fifo.json",  "crlf.json" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *p = cc_path_join(t->dir, names[i]);
		if (p)
			unlink(p);
		free(p);
	}
	char *sub = cc_path_join(t->dir, "sub.json");
	if (sub)
		rmdir(sub);
	free(sub);
	rmdir(t->dir);
	free(t);
	return 0;
}

static char *write_in(const tmpdir *t, const char *name, const char *data, size_t len)
{
	char *p = cc_path_join(t->dir, name);
	assert_non_null(p);
	FILE *fp = fopen(p, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return p;
}

/* cc_model_load(path) returns rc with one diagnostic for file `path` at
 * line:col containing msg. */
static void expect_load(const char *path, int rc_want, size_t line, size_t col, const char *msg)
{
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = (cc_model *)(void *)d;
	int rc = cc_model_load(path, &m, d);
	const cc_diag *e = find_diag(d, msg);
	if (rc != rc_want || m || !e || e->line != line || e->column != col || !e->file ||
	    strcmp(e->file, path) != 0) {
		dump_diags(d);
		fail_msg("%s: rc %d, expected %d and \"%s\" at %zu:%zu", path, rc, rc_want, msg,
		         line, col);
	}
	cc_diags_free(d);
}

static void test_cc_model_load_valid_file(void **state)
{
	tmpdir *t = *state;
	static const char text[] = MODEL("\"name\": \"from a file\"");
	char *p = write_in(t, "ok.json", text, sizeof text - 1);
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = NULL;
	assert_int_equal(cc_model_load(p, &m, d), CC_OK);
	assert_string_equal(m->name, "from a file");
	assert_string_equal(m->path, p);
	char sha[65];
	cc_sha256_hex(text, sizeof text - 1, sha);
	assert_string_equal(m->sha256, sha);
	cc_model_free(m);
	cc_diags_free(d);
	free(p);
}

static void test_cc_model_load_missing_file(void **state)
{
	tmpdir *t = *state;
	char *p = cc_path_join(t->dir, "nope.json");
	expect_load(p, CC_EIO, 0, 0, "cannot open: No such file or directory");
	free(p);
}

static void test_cc_model_load_directory(void **state)
{
	tmpdir *t = *state;
	char *p = cc_path_join(t->dir, "sub.json");
	assert_int_equal(mkdir(p, 0755), 0);
	expect_load(p, CC_EIO, 0, 0, "expected a file, found a directory");
	free(p);
}

static void test_cc_model_load_fifo(void **state)
{
	tmpdir *t = *state;
	char *p = cc_path_join(t->dir, "fifo.json");
	assert_int_equal(mkfifo(p, 0600), 0);
	alarm(5); /* a blocking open would hang: fail instead */
	expect_load(p, CC_EIO, 0, 0, "expected a regular file, found a device, FIFO or socket");
	alarm(0);
	free(p);
}

static void test_cc_model_load_empty_and_blank_files(void **state)
{
	tmpdir *t = *state;
	char *p = write_in(t, "empty.json", "", 0);
	expect_load(p, CC_EPARSE, 0, 0, "file is empty; expected a JSON object");
	free(p);
	p = write_in(t, "blank.json", " \r\n\t\n", 5);
	expect_load(p, CC_EPARSE, 0, 0, "file is empty; expected a JSON object");
	free(p);
}

static void test_cc_model_load_bad_files(void **state)
{
	tmpdir *t = *state;
	static const char nul[] = "{\n" DATE ",\n\0";
	char *p = write_in(t, "nul.json", nul, sizeof nul - 1);
	expect_load(p, CC_EPARSE, 3, 1, "found a NUL byte");
	free(p);
	static const char bad[] = "\xEF\xBB\xBF{\r\n" DATE ",\r\n" ENTRIES0 ",\r\n" START0
	                          ",\r\n\"moves\": [{" FK ", \"rate_per_year\": -1}]\r\n}\r\n";
	p = write_in(t, "crlf.json", bad, sizeof bad - 1);
	expect_load(p, CC_EPARSE, 5, 67,
	            "expected a number from 0 to 1000 for \"rate_per_year\", "
	            "found -1");
	free(p);
}

static void test_cc_model_load_file_over_size_limit(void **state)
{
	tmpdir *t = *state;
	/* A sparse file one byte over the 512 MiB limit: refused from its size,
	 * never read. Note cc_model_load's comment lists CC_EIO, CC_EPARSE and
	 * CC_ENOMEM only; CC_ERANGE comes through from cc_file_read. */
	char *p = cc_path_join(t->dir, "big.json");
	FILE *fp = fopen(p, "wb");
	assert_non_null(fp);
	assert_int_equal(ftruncate(fileno(fp), (off_t)CC_FILE_MAX_BYTES + 1), 0);
	assert_int_equal(fclose(fp), 0);
	expect_load(p, CC_ERANGE, 0, 0, "file is 536870913 bytes; the limit is 536870912 bytes");
	free(p);
}

#define D(fn) cmocka_unit_test_setup_teardown(fn, dir_setup, dir_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_model_parse_empty_and_blank),
		cmocka_unit_test(test_cc_model_parse_malformed_json),
		cmocka_unit_test(test_cc_model_parse_nul_byte),
		cmocka_unit_test(test_cc_model_parse_invalid_utf8),
		cmocka_unit_test(test_cc_model_parse_nesting_limit),
		cmocka_unit_test(test_cc_model_parse_not_an_object),
		cmocka_unit_test(test_cc_model_parse_bom_crlf_accepted),
		cmocka_unit_test(test_cc_model_parse_bom_crlf_positions),
		cmocka_unit_test(test_cc_model_parse_control_whitespace),
		cmocka_unit_test(test_cc_model_parse_escaped_nul_in_string),
		cmocka_unit_test(test_cc_model_parse_found_text_is_valid_utf8),
		cmocka_unit_test(test_cc_model_parse_root_member_errors),
		cmocka_unit_test(test_cc_model_parse_base_date_errors),
		cmocka_unit_test(test_cc_model_parse_age_band_errors),
		cmocka_unit_test(test_cc_model_parse_tic_band_errors),
		cmocka_unit_test(test_cc_model_parse_category_errors),
		cmocka_unit_test(test_cc_model_parse_exit_reason_errors),
		cmocka_unit_test(test_cc_model_parse_entry_rate_errors),
		cmocka_unit_test(test_cc_model_parse_entries_errors),
		cmocka_unit_test(test_cc_model_parse_category_mix_errors),
		cmocka_unit_test(test_cc_model_parse_age_weight_errors),
		cmocka_unit_test(test_cc_model_parse_age_weights_duplicate_band),
		cmocka_unit_test(test_cc_model_parse_mix_not_looked_up_in_entries),
		cmocka_unit_test(test_cc_model_parse_moves_errors),
		cmocka_unit_test(test_cc_model_parse_exits_errors),
		cmocka_unit_test(test_cc_model_parse_start_errors),
		cmocka_unit_test(test_cc_model_parse_population_errors),
		cmocka_unit_test(test_cc_model_parse_population_over_1000_years),
		cmocka_unit_test(test_cc_model_parse_long_lists_rejected_quickly),
		cmocka_unit_test(test_cc_model_parse_reports_every_problem),
		cmocka_unit_test(test_cc_model_parse_many_problems_counted_past_limit),
		cmocka_unit_test(test_cc_model_parse_many_problems_one_line_fast),
		cmocka_unit_test(test_cc_model_parse_defaults),
		cmocka_unit_test(test_cc_model_load_tiny_parameters_in_order),
		cmocka_unit_test(test_cc_model_parse_evidence_only_rates),
		cmocka_unit_test(test_cc_model_parse_rate_within_1_percent_kept),
		cmocka_unit_test(test_cc_model_parse_limits_accepted_exactly),
		cmocka_unit_test(test_cc_model_parse_in_house_share_default),
		cmocka_unit_test(test_cc_model_parse_start_defaults),
		cmocka_unit_test(test_cc_model_parse_category_mix_renormalised),
		cmocka_unit_test(test_cc_model_parse_age_weights),
		cmocka_unit_test(test_cc_model_parse_custom_bands_and_reasons),
		cmocka_unit_test(test_cc_model_parse_comments_and_notes_accepted),
		cmocka_unit_test(test_cc_model_parse_settings),
		cmocka_unit_test(test_cc_model_parse_base_date_month_ends),
		cmocka_unit_test(test_cc_model_parse_non_overlapping_rows_accepted),
		cmocka_unit_test(test_cc_hazards_build_point_estimates),
		cmocka_unit_test(test_cc_hazards_build_drawn_values),
		cmocka_unit_test(test_cc_model_age_band_edges),
		cmocka_unit_test(test_cc_model_tic_band_edges),
		cmocka_unit_test(test_cc_model_population_extrapolates),
		D(test_cc_model_load_valid_file),
		D(test_cc_model_load_missing_file),
		D(test_cc_model_load_directory),
		D(test_cc_model_load_fifo),
		D(test_cc_model_load_empty_and_blank_files),
		D(test_cc_model_load_bad_files),
		D(test_cc_model_load_file_over_size_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
