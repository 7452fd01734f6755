/*
 * test_jdoc.c - JSON documents with positions: where nested values and keys
 * are, what "found ..." says, the typed getters' 1/0/-1 results and messages,
 * unknown and repeated keys, and the syntax errors reported before a tree
 * exists.
 */
#include "json/jdoc.h"

#include "carecast/error.h"
#include "cc_test.h"

#include <limits.h>
#include <time.h>
#include <unistd.h>

static void dump_diags(const cc_diags *d)
{
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		char *s = cc_diag_format(cc_diags_get(d, i));
		print_error("  diag %zu: %s\n", i, s ? s : "(null)");
		free(s);
	}
}

static cc_jdoc *parse_len(const char *text, size_t len, cc_diags *d)
{
	cc_jdoc *doc = NULL;
	int rc = cc_jdoc_parse("t.json", text, len, &doc, d);
	if (rc != CC_OK) {
		dump_diags(d);
		fail_msg("cc_jdoc_parse returned %d", rc);
	}
	assert_non_null(doc);
	return doc;
}

static cc_jdoc *parse_ok(const char *text, cc_diags *d) { return parse_len(text, strlen(text), d); }

static const cJSON *get(const cJSON *obj, const char *key)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!n)
		fail_msg("no member \"%s\"", key);
	return n;
}

static void expect_pos_at(const cc_jdoc *doc, const cJSON *node, int key, size_t line, size_t col,
                          int src_line)
{
	size_t l, c;
	cc_jdoc_pos(doc, node, key, &l, &c);
	if (l != line || c != col)
		fail_msg("line %d: %s position %zu:%zu, expected %zu:%zu", src_line,
		         key ? "key" : "value", l, c, line, col);
}
#define expect_pos(doc, node, key, line, col) expect_pos_at(doc, node, key, line, col, __LINE__)

/* The newest diagnostic is an error at line:col containing text. */
static void expect_last_at(const cc_diags *d, size_t line, size_t col, const char *text,
                           int src_line)
{
	size_t n = cc_diags_count(d);
	if (n == 0)
		fail_msg("line %d: no diagnostic, expected \"%s\"", src_line, text);
	const cc_diag *e = cc_diags_get(d, n - 1);
	if (e->line != line || e->column != col || !e->message || !strstr(e->message, text)) {
		dump_diags(d);
		fail_msg("line %d: last diagnostic %zu:%zu \"%s\", expected %zu:%zu containing "
		         "\"%s\"",
		         src_line, e->line, e->column, e->message ? e->message : "", line, col,
		         text);
	}
	assert_non_null(e->file);
	assert_string_equal(e->file, "t.json");
}
#define expect_last(d, line, col, text) expect_last_at(d, line, col, text, __LINE__)

/* Parsing fails with CC_EPARSE and exactly one diagnostic at line:col. */
static void expect_parse_error_at(const char *text, size_t len, size_t line, size_t col,
                                  const char *msg, int src_line)
{
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = (cc_jdoc *)(void *)d; /* anything non-NULL */
	int rc = cc_jdoc_parse("t.json", text, len, &doc, d);
	if (rc != CC_EPARSE)
		fail_msg("line %d: rc %d, expected CC_EPARSE", src_line, rc);
	assert_null(doc);
	if (cc_diags_count(d) != 1) {
		dump_diags(d);
		fail_msg("line %d: %zu diagnostics, expected 1", src_line, cc_diags_count(d));
	}
	expect_last_at(d, line, col, msg, src_line);
	cc_diags_free(d);
}
#define expect_parse_error(text, line, col, msg) \
	expect_parse_error_at(text, sizeof(text) - 1, line, col, msg, __LINE__)

/* ---- positions --------------------------------------------------------------- */

static const char nested_lf[] = "{\n"
                                "  \"a\": {\n"
                                "    \"b\": [1, {\"c\": \"x\"}],\n"
                                "    \"\xC3\xA9\": \"\xC3\xBC\", \"n\": -1.50e1\n"
                                "  },\n"
                                "\t\"t\": null\n"
                                "}\n";

static void check_nested_positions(const cc_jdoc *doc)
{
	const cJSON *root = cc_jdoc_root(doc);
	expect_pos(doc, root, 0, 1, 1);
	expect_pos(doc, root, 1, 1, 1); /* no key: the value's position */
	const cJSON *a = get(root, "a");
	expect_pos(doc, a, 1, 2, 3);
	expect_pos(doc, a, 0, 2, 8);
	const cJSON *b = get(a, "b");
	expect_pos(doc, b, 1, 3, 5);
	expect_pos(doc, b, 0, 3, 10);
	const cJSON *b0 = cJSON_GetArrayItem(b, 0);
	const cJSON *b1 = cJSON_GetArrayItem(b, 1);
	expect_pos(doc, b0, 0, 3, 11);
	expect_pos(doc, b0, 1, 3, 11); /* array elements have no key */
	expect_pos(doc, b1, 0, 3, 14);
	const cJSON *c = get(b1, "c");
	expect_pos(doc, c, 1, 3, 15);
	expect_pos(doc, c, 0, 3, 20);
	/* Columns count characters: the two-byte letters count once. */
	const cJSON *e = get(a, "\xC3\xA9");
	expect_pos(doc, e, 1, 4, 5);
	expect_pos(doc, e, 0, 4, 10);
	const cJSON *n = get(a, "n");
	expect_pos(doc, n, 1, 4, 15);
	expect_pos(doc, n, 0, 4, 20);
	/* A tab is one column. */
	const cJSON *t = get(root, "t");
	expect_pos(doc, t, 1, 6, 2);
	expect_pos(doc, t, 0, 6, 7);
}

static void test_cc_jdoc_pos_nested_values_and_keys(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok(nested_lf, d);
	check_nested_positions(doc);
	assert_int_equal(cc_diags_count(d), 0);
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

/* The same text with CRLF line ends and a byte-order mark. */
static char *crlf_bom(const char *lf)
{
	size_t n = strlen(lf);
	char *out = malloc(3 + 2 * n + 1);
	assert_non_null(out);
	size_t o = 0;
	memcpy(out, "\xEF\xBB\xBF", 3);
	o = 3;
	for (size_t i = 0; i < n; i++) {
		if (lf[i] == '\n')
			out[o++] = '\r';
		out[o++] = lf[i];
	}
	out[o] = '\0';
	return out;
}

static void test_cc_jdoc_pos_bom_and_crlf(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	char *text = crlf_bom(nested_lf);
	cc_jdoc *doc = parse_ok(text, d);
	check_nested_positions(doc);
	/* The raw bytes, BOM included, are kept for hashing. */
	size_t len;
	const char *raw = cc_jdoc_text(doc, &len);
	assert_int_equal(len, strlen(text));
	assert_memory_equal(raw, text, len);
	cc_jdoc_free(doc);
	cc_diags_free(d);
	free(text);
}

static void test_cc_jdoc_pos_unknown_node(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok("{\"a\": 1}", d);
	cJSON *other = cJSON_CreateNumber(1);
	size_t l = 9, c = 9;
	cc_jdoc_pos(doc, other, 0, &l, &c);
	assert_int_equal(l, 0);
	assert_int_equal(c, 0);
	l = c = 9;
	cc_jdoc_pos(doc, NULL, 1, &l, &c);
	assert_int_equal(l, 0);
	assert_int_equal(c, 0);
	cJSON_Delete(other);
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

static void test_cc_jdoc_pos_duplicate_keys_distinct(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok("{\"k\": 1,\n \"k\": [2]}", d);
	const cJSON *root = cc_jdoc_root(doc);
	const cJSON *first = root->child, *second = root->child->next;
	expect_pos(doc, first, 1, 1, 2);
	expect_pos(doc, first, 0, 1, 7);
	expect_pos(doc, second, 1, 2, 2);
	expect_pos(doc, second, 0, 2, 7);
	expect_pos(doc, second->child, 0, 2, 8);
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

static void test_cc_jdoc_pos_escaped_strings(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	/* Escaped quotes and backslashes must not end the string early. */
	cc_jdoc *doc = parse_ok("{\"q\\\"k\": \"a\\\\\", \"z\": \"\\u00e9\\\"\", \"w\": 5}", d);
	const cJSON *root = cc_jdoc_root(doc);
	const cJSON *q = get(root, "q\"k");
	expect_pos(doc, q, 1, 1, 2);
	expect_pos(doc, q, 0, 1, 10);
	const cJSON *z = get(root, "z");
	expect_pos(doc, z, 1, 1, 17);
	expect_pos(doc, z, 0, 1, 22);
	const cJSON *w = get(root, "w");
	expect_pos(doc, w, 1, 1, 34);
	expect_pos(doc, w, 0, 1, 39);
	char buf[64];
	cc_jdoc_found(doc, z, buf, sizeof buf);
	assert_string_equal(buf, "\"\\u00e9\\\"\"");
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

static void test_cc_jdoc_parse_control_whitespace_rejected(void **state)
{
	(void)state;
	/* Regression test; this was a bug: cJSON treats every byte <= 0x20 as whitespace, so a form
	 * feed (or \v, \x01...) between tokens is accepted although RFC 8259 allows only space,
	 * tab, LF and CR. jdoc's position walk skips only those four, so after a form feed
	 * positions and "found" texts are wrong: for {\f"a": 5} the value of "a" is placed at 1:4
	 * (inside the key) and found as `a":` (through cc_model_parse, `{\f"base_date": 5}` reports
	 * `1:4: expected a string for "base_date", found base_date":`). Expected: rejected as
	 * malformed JSON at 1:2. */
	expect_parse_error("{\f\"a\": 5}", 1, 2, "malformed JSON");
}

static void test_cc_jdoc_parse_escaped_nul_rejected(void **state)
{
	(void)state;
	/* Regression test; this was a bug: "\u0000" inside a string or key is accepted and cJSON
	 * cuts the string there, so {"a\u0000b": 1} has the key "a" and a model with "base_date":
	 * "2025-03-31\u0000junk" loads as 31 March 2025. Expected: an error naming the escape. */
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = NULL;
	const char text[] = "{\"a\\u0000b\": 1}";
	assert_int_equal(cc_jdoc_parse("t.json", text, sizeof text - 1, &doc, d), CC_EPARSE);
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

/* ---- parse errors ------------------------------------------------------------ */

static void test_cc_jdoc_parse_ok_and_accessors(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok("{\"a\": [true, false]}", d);
	assert_true(cJSON_IsObject(cc_jdoc_root(doc)));
	assert_string_equal(cc_jdoc_name(doc), "t.json");
	assert_ptr_equal(cc_jdoc_diags(doc), d);
	size_t len;
	assert_string_equal(cc_jdoc_text(doc, &len), "{\"a\": [true, false]}");
	assert_int_equal(len, 20);
	cc_jdoc_free(doc);
	cc_jdoc_free(NULL);
	cc_diags_free(d);
}

static void test_cc_jdoc_parse_uses_len_not_nul(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	/* Only the first len bytes are the document. */
	cc_jdoc *doc = parse_len("{\"a\": 1}garbage", 8, d);
	assert_int_equal(get(cc_jdoc_root(doc), "a")->valuedouble, 1);
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

static void test_cc_jdoc_parse_scalar_root(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok("  42  ", d);
	expect_pos(doc, cc_jdoc_root(doc), 0, 1, 3);
	char buf[16];
	cc_jdoc_found(doc, cc_jdoc_root(doc), buf, sizeof buf);
	assert_string_equal(buf, "42");
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

static void test_cc_jdoc_parse_empty_and_blank(void **state)
{
	(void)state;
	expect_parse_error("", 0, 0, "file is empty; expected a JSON object");
	expect_parse_error(" \n\t\r\n  ", 0, 0, "file is empty; expected a JSON object");
	expect_parse_error("\xEF\xBB\xBF", 0, 0, "file is empty; expected a JSON object");
	expect_parse_error("\xEF\xBB\xBF\r\n", 0, 0, "file is empty; expected a JSON object");
}

static void test_cc_jdoc_parse_trailing_junk(void **state)
{
	(void)state;
	expect_parse_error("{}\n  x", 2, 3,
	                   "expected the end of the file after the JSON value, found 'x'");
	expect_parse_error("{\"a\": 1}}", 1, 9,
	                   "expected the end of the file after the JSON value, found '}'");
	expect_parse_error("[1] [2]", 1, 5,
	                   "expected the end of the file after the JSON value, found '['");
}

static void test_cc_jdoc_parse_malformed(void **state)
{
	(void)state;
	expect_parse_error("{\n\"a\": }", 2, 6, "found '}'");
	expect_parse_error("[1,]", 1, 4, "found ']'");
	expect_parse_error("{\"a\" 1}", 1, 6, "found '1'");
	expect_parse_error("{\"a\": [}", 1, 8, "found '}'");
	expect_parse_error("{\"a\": 1e}", 1, 9, "expected a digit in the exponent, found '}'");
	expect_parse_error("{\"a\": tru}", 1, 7, "found 't'");
	expect_parse_error("{\"a\": NaN}", 1, 7, "found 'N'");
	expect_parse_error("{\"a\": +1}", 1, 7, "found '+'");
	expect_parse_error("{\"a\": 1}\n// comment", 2, 1,
	                   "expected the end of the file after the JSON value, found '/'");
	expect_parse_error("{\"a\":\n 1 \"b\": 2}", 2, 4, "found '\"'");
}

static void test_cc_jdoc_parse_bad_key_position(void **state)
{
	(void)state;
	/* Regression test; this was a bug: when an object key is expected and something else is
	 * found, the position is one character too far (cJSON's parse_string fails one byte in), so
	 * the message names the wrong character. A trailing comma, the commonest hand-editing slip,
	 * gives:
	 *   {"a": 1,}                -> 1:10 "malformed JSON: expected more,
	 *                               found the end of the file"
	 *   {\n  "a": 1,\n}\n        -> 3:2, the same message
	 *   {"x": {"a": 1,}, "b": 2} -> 1:16 "found unexpected ','"
	 *   {'a': 1}                 -> 1:3 "found unexpected 'a'"
	 *   {1: 2}                   -> 1:3 "found unexpected ':'"
	 * Expected: the position of the offending character, and a message
	 * saying a key (a string in double quotes) was expected. */
	expect_parse_error("{\"a\": 1,}", 1, 9, "'}'");
	expect_parse_error("{\n  \"a\": 1,\n}\n", 3, 1, "'}'");
	expect_parse_error("{'a': 1}", 1, 2, "'''");
	expect_parse_error("{1: 2}", 1, 2, "'1'");
}

static void test_cc_jdoc_parse_unexpected_end(void **state)
{
	(void)state;
	expect_parse_error("{\n\"a\": 1\n", 3, 1, "found the end of the file");
	expect_parse_error("[1, 2", 1, 6, "found the end of the file");
	expect_parse_error("{\"a\":", 1, 6, "found the end of the file");
}

static void test_cc_jdoc_parse_nul_byte(void **state)
{
	(void)state;
	expect_parse_error("{\n  \"a\"\0: 1}", 2, 6,
	                   "expected JSON text, found a NUL byte (is this a binary file?)");
	/* A NUL cJSON would stop at, with junk after it. */
	expect_parse_error("{}\0junk", 1, 3, "found a NUL byte");
}

static void test_cc_jdoc_parse_invalid_utf8(void **state)
{
	(void)state;
	expect_parse_error("{\n\"name\": \"\xC3\x28\"}", 2, 10,
	                   "expected UTF-8 text, found the invalid byte 0xC3");
	/* Columns before the bad byte count characters, not bytes. */
	expect_parse_error("{\"\xC3\xA9\xC3\xA9\": \"\xFF\"}", 1, 9,
	                   "expected UTF-8 text, found the invalid byte 0xFF");
	/* Overlong encoding of '/'. */
	expect_parse_error("{\"a\": \"\xC0\xAF\"}", 1, 8, "found the invalid byte 0xC0");
	/* Overlong three-byte encoding. */
	expect_parse_error("{\"a\": \"\xE0\x80\xAF\"}", 1, 8, "found the invalid byte 0xE0");
	/* A UTF-16 surrogate encoded in UTF-8. */
	expect_parse_error("{\"a\": \"\xED\xA0\x80\"}", 1, 8, "found the invalid byte 0xED");
	/* Beyond U+10FFFF. */
	expect_parse_error("{\"a\": \"\xF4\x90\x80\x80\"}", 1, 8, "found the invalid byte 0xF4");
	/* A lone continuation byte, and a sequence cut short by the end. */
	expect_parse_error("{\"a\": \"\x80\"}", 1, 8, "found the invalid byte 0x80");
	expect_parse_error("{\"a\": 1}\xE2\x82", 1, 9, "found the invalid byte 0xE2");
	/* Latin-1 text saved by mistake. */
	expect_parse_error("{\"caf\xE9\": 1}", 1, 6, "found the invalid byte 0xE9");
}

static void test_cc_jdoc_parse_valid_utf8_accepted(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	/* Two-, three- and four-byte characters, including U+10FFFF. */
	cc_jdoc *doc =
	    parse_ok("{\"a\": \"\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\"}", d);
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

/* Opening brackets nested `depth` deep, then the matching closers. */
static char *nested(size_t depth)
{
	char *s = malloc(2 * depth + 1);
	assert_non_null(s);
	for (size_t i = 0; i < depth; i++) {
		s[i] = '[';
		s[2 * depth - 1 - i] = ']';
	}
	s[2 * depth] = '\0';
	return s;
}

static void test_cc_jdoc_parse_nesting_limit(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	char *ok = nested(1000);
	cc_jdoc *doc = parse_ok(ok, d);
	cc_jdoc_free(doc);
	free(ok);
	char *deep = nested(1001);
	expect_parse_error_at(deep, strlen(deep), 1, 1001,
	                      "expected JSON nested at most 1000 levels deep", __LINE__);
	free(deep);
	/* A million opening brackets: reported, not a stack overflow. */
	size_t n = 1000000;
	char *huge = malloc(n + 1);
	assert_non_null(huge);
	memset(huge, '[', n);
	huge[n] = '\0';
	expect_parse_error_at(huge, n, 1, 1001, "expected JSON nested at most 1000 levels deep",
	                      __LINE__);
	free(huge);
	cc_diags_free(d);
}

static void test_cc_jdoc_load_file_and_missing(void **state)
{
	(void)state;
	char dir[] = "/tmp/cc_test_jdoc.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/x.json", dir);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("{\n  \"k\": 5\n}\n", fp);
	assert_int_equal(fclose(fp), 0);
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = NULL;
	assert_int_equal(cc_jdoc_load(path, &doc, d), CC_OK);
	assert_string_equal(cc_jdoc_name(doc), path);
	expect_pos(doc, get(cc_jdoc_root(doc), "k"), 0, 2, 8);
	cc_jdoc_free(doc);
	assert_int_equal(cc_jdoc_load(dir, &doc, d), CC_EIO);
	assert_null(doc);
	unlink(path);
	assert_int_equal(cc_jdoc_load(path, &doc, d), CC_EIO);
	assert_null(doc);
	assert_int_equal(cc_diags_count(d), 2);
	assert_string_equal(cc_diags_get(d, 1)->file, path);
	assert_non_null(strstr(cc_diags_get(d, 1)->message, "cannot open"));
	rmdir(dir);
	cc_diags_free(d);
}

/* ---- found ------------------------------------------------------------------- */

static void test_cc_jdoc_found_describes_nodes(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok("{\"o\": {}, \"l\": [], \"s\": \"abc\", \"n\": 1.50, \"e\": -2E+3, "
	                        "\"t\": true, \"f\": false, \"z\": null}",
	                        d);
	const cJSON *root = cc_jdoc_root(doc);
	char buf[64];
	struct {
		const char *key, *want;
	} cases[] = {
		{ "o", "an object" }, { "l", "a list" }, { "s", "\"abc\"" }, { "n", "1.50" },
		{ "e", "-2E+3" },     { "t", "true" },   { "f", "false" },   { "z", "null" }
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cc_jdoc_found(doc, get(root, cases[i].key), buf, sizeof buf);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("found for \"%s\" is \"%s\", expected \"%s\"", cases[i].key, buf,
			         cases[i].want);
	}
	cc_jdoc_found(doc, root, buf, sizeof buf);
	assert_string_equal(buf, "an object");
	cc_jdoc_found(doc, NULL, buf, sizeof buf);
	assert_string_equal(buf, "nothing");
	cJSON *other = cJSON_CreateString("elsewhere");
	cc_jdoc_found(doc, other, buf, sizeof buf);
	assert_string_equal(buf, "a value");
	cJSON_Delete(other);
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

static void test_cc_jdoc_found_shortens_long_values(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	char text[128];
	char fifty[51];
	memset(fifty, 'a', 50);
	fifty[50] = '\0';
	snprintf(text, sizeof text, "{\"s\": \"%s\"}", fifty);
	cc_jdoc *doc = parse_ok(text, d);
	char buf[64];
	cc_jdoc_found(doc, get(cc_jdoc_root(doc), "s"), buf, sizeof buf);
	/* The opening quote and 39 letters, then an ellipsis. */
	assert_int_equal(strlen(buf), 43);
	assert_memory_equal(buf, "\"aaaaaaaaa", 10);
	assert_string_equal(buf + 40, "...");
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

static void test_cc_jdoc_found_small_buffers(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok("{\"s\": \"abcdef\"}", d);
	const cJSON *s = get(cc_jdoc_root(doc), "s");
	char buf[8];
	memset(buf, 'Z', sizeof buf);
	cc_jdoc_found(doc, s, buf, 4);
	assert_string_equal(buf, "\"ab");
	assert_int_equal(buf[4], 'Z');
	memset(buf, 'Z', sizeof buf);
	cc_jdoc_found(doc, s, buf, 0); /* writes nothing */
	assert_int_equal(buf[0], 'Z');
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

/* 1 if s is valid UTF-8. */
static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = *p < 0x80         ? 1
		           : (*p >> 5) == 6  ? 2
		           : (*p >> 4) == 14 ? 3
		           : (*p >> 3) == 30 ? 4
		                             : 0;
		if (n == 0)
			return 0;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return 0;
		p += n;
	}
	return 1;
}

static void test_cc_jdoc_found_keeps_utf8_whole(void **state)
{
	(void)state;
	/* Regression test; this was a bug: the 40-byte cut in cc_jdoc_found can split a multi-byte
	 * character, so messages carry invalid UTF-8: for a base_date of 38
	 * 'a's then "ééé", the model reader reports
	 * `found "aaaa...aaa\xC3...` (a lone lead byte). Expected: cut at a
	 * character boundary. */
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok(
	    "{\"s\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xC3\xA9\xC3\xA9\xC3\xA9\"}", d);
	char buf[64];
	cc_jdoc_found(doc, get(cc_jdoc_root(doc), "s"), buf, sizeof buf);
	assert_true(valid_utf8(buf));
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

/* ---- reporting ---------------------------------------------------------------- */

static void test_cc_jdoc_error_warning_key_error(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok("{\n  \"key\": \"value\"\n}", d);
	const cJSON *k = get(cc_jdoc_root(doc), "key");
	cc_jdoc_error(doc, k, "bad %s", "value");
	expect_last(d, 2, 10, "bad value");
	assert_int_equal(cc_diags_get(d, 0)->severity, CC_DIAG_ERROR);
	cc_jdoc_key_error(doc, k, "bad key %d", 7);
	expect_last(d, 2, 3, "bad key 7");
	cc_jdoc_warning(doc, k, "just so");
	expect_last(d, 2, 10, "just so");
	assert_int_equal(cc_diags_get(d, 2)->severity, CC_DIAG_WARNING);
	assert_int_equal(cc_diags_errors(d), 2);
	assert_int_equal(cc_diags_warnings(d), 1);
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

/* ---- getters ------------------------------------------------------------------ */

static const char getters_text[] = "{\n"
                                   "\"num\": 2.5,\n"
                                   "\"int\": 3,\n"
                                   "\"frac\": 1.5,\n"
                                   "\"str\": \"s\",\n"
                                   "\"bool\": false,\n"
                                   "\"arr\": [1, 2, 3],\n"
                                   "\"obj\": {},\n"
                                   "\"inf\": 1e999,\n"
                                   "\"ninf\": -1e999,\n"
                                   "\"neg0\": -0,\n"
                                   "\"big\": 1e300\n"
                                   "}";

typedef struct {
	cc_diags *d;
	cc_jdoc *doc;
	const cJSON *root;
} getfix;

static int getters_setup(void **state)
{
	getfix *g = calloc(1, sizeof *g);
	if (!g)
		return -1;
	g->d = cc_diags_alloc(0);
	if (cc_jdoc_parse("t.json", getters_text, sizeof getters_text - 1, &g->doc, g->d) != CC_OK)
		return -1;
	g->root = cc_jdoc_root(g->doc);
	*state = g;
	return 0;
}

static int getters_teardown(void **state)
{
	getfix *g = *state;
	cc_jdoc_free(g->doc);
	cc_diags_free(g->d);
	free(g);
	return 0;
}

static void test_cc_jdoc_get_number_results(void **state)
{
	getfix *g = *state;
	double v = -7;
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "num", 1, 0, 10, &v), 1);
	assert_near(v, 2.5, 0);
	assert_int_equal(cc_diags_count(g->d), 0);
	/* Absent and optional: 0, no message, value untouched. */
	v = -7;
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "none", 0, 0, 10, &v), 0);
	assert_near(v, -7, 0);
	assert_int_equal(cc_diags_count(g->d), 0);
	/* Absent and required: 0 with a message at the object. */
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "none", 1, 0, 10, &v), 0);
	expect_last(g->d, 1, 1, "missing \"none\": expected a number");
	/* Wrong type. */
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "str", 1, 0, 10, &v), -1);
	expect_last(g->d, 5, 8, "expected a number for \"str\", found \"s\"");
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "arr", 1, 0, 10, &v), -1);
	expect_last(g->d, 7, 8, "expected a number for \"arr\", found a list");
	/* Out of range. */
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "num", 1, 3, 10, &v), -1);
	expect_last(g->d, 2, 8, "expected a number from 3 to 10 for \"num\", found 2.5");
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "big", 1, 0, 1e12, &v), -1);
	expect_last(g->d, 12, 8, "expected a number from 0 to 1e+12 for \"big\", found 1e300");
	/* Not finite. */
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "inf", 1, 0, 10, &v), -1);
	expect_last(g->d, 9, 8, "expected a finite number for \"inf\", found 1e999");
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "ninf", 1, -10, 10, &v), -1);
	expect_last(g->d, 10, 9, "expected a finite number for \"ninf\", found -1e999");
	/* -0 reads as +0. */
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "neg0", 1, 0, 10, &v), 1);
	assert_false(signbit(v));
	assert_int_equal(cc_diags_errors(g->d), 7);
}

static void test_cc_jdoc_get_number_not_an_object(void **state)
{
	getfix *g = *state;
	double v;
	const cJSON *arr = get(g->root, "arr");
	/* Members of a non-object are absent. */
	assert_int_equal(cc_jdoc_get_number(g->doc, arr, "num", 0, 0, 10, &v), 0);
	assert_int_equal(cc_diags_count(g->d), 0);
	assert_int_equal(cc_jdoc_get_number(g->doc, NULL, "num", 0, 0, 10, &v), 0);
}

static void test_cc_jdoc_get_long_results(void **state)
{
	getfix *g = *state;
	long v = -7;
	assert_int_equal(cc_jdoc_get_long(g->doc, g->root, "int", 1, 0, 5, &v), 1);
	assert_int_equal(v, 3);
	assert_int_equal(cc_jdoc_get_long(g->doc, g->root, "none", 0, 0, 5, &v), 0);
	assert_int_equal(cc_diags_count(g->d), 0);
	assert_int_equal(cc_jdoc_get_long(g->doc, g->root, "none", 1, 0, 5, &v), 0);
	expect_last(g->d, 1, 1, "missing \"none\": expected a whole number");
	assert_int_equal(cc_jdoc_get_long(g->doc, g->root, "frac", 1, 0, 5, &v), -1);
	expect_last(g->d, 4, 9, "expected a whole number for \"frac\", found 1.5");
	assert_int_equal(cc_jdoc_get_long(g->doc, g->root, "int", 1, 4, 5, &v), -1);
	expect_last(g->d, 3, 8, "expected a number from 4 to 5 for \"int\", found 3");
	assert_int_equal(cc_jdoc_get_long(g->doc, g->root, "big", 1, 0, LONG_MAX, &v), -1);
	expect_last(g->d, 12, 8, "for \"big\", found 1e300");
	assert_int_equal(cc_jdoc_get_long(g->doc, g->root, "bool", 1, 0, 5, &v), -1);
	expect_last(g->d, 6, 9, "expected a whole number for \"bool\", found false");
	assert_int_equal(v, 3);
}

static void test_cc_jdoc_get_string_results(void **state)
{
	getfix *g = *state;
	const char *s = NULL;
	assert_int_equal(cc_jdoc_get_string(g->doc, g->root, "str", 1, &s), 1);
	assert_string_equal(s, "s");
	assert_int_equal(cc_jdoc_get_string(g->doc, g->root, "none", 0, &s), 0);
	assert_int_equal(cc_diags_count(g->d), 0);
	assert_int_equal(cc_jdoc_get_string(g->doc, g->root, "none", 1, &s), 0);
	expect_last(g->d, 1, 1, "missing \"none\": expected a string");
	assert_int_equal(cc_jdoc_get_string(g->doc, g->root, "num", 1, &s), -1);
	expect_last(g->d, 2, 8, "expected a string for \"num\", found 2.5");
	assert_int_equal(cc_jdoc_get_string(g->doc, g->root, "obj", 1, &s), -1);
	expect_last(g->d, 8, 8, "expected a string for \"obj\", found an object");
}

static void test_cc_jdoc_get_bool_results(void **state)
{
	getfix *g = *state;
	int b = 7;
	assert_int_equal(cc_jdoc_get_bool(g->doc, g->root, "bool", 1, &b), 1);
	assert_int_equal(b, 0);
	assert_int_equal(cc_jdoc_get_bool(g->doc, g->root, "none", 0, &b), 0);
	assert_int_equal(cc_diags_count(g->d), 0);
	assert_int_equal(cc_jdoc_get_bool(g->doc, g->root, "none", 1, &b), 0);
	expect_last(g->d, 1, 1, "missing \"none\": expected true or false");
	assert_int_equal(cc_jdoc_get_bool(g->doc, g->root, "int", 1, &b), -1);
	expect_last(g->d, 3, 8, "expected true or false for \"int\", found 3");
	assert_int_equal(cc_jdoc_get_bool(g->doc, g->root, "str", 1, &b), -1);
	expect_last(g->d, 5, 8, "expected true or false for \"str\", found \"s\"");
}

static void test_cc_jdoc_get_array_results(void **state)
{
	getfix *g = *state;
	const cJSON *a = NULL;
	assert_int_equal(cc_jdoc_get_array(g->doc, g->root, "arr", 1, 3, &a), 1);
	assert_int_equal(cJSON_GetArraySize(a), 3);
	assert_int_equal(cc_jdoc_get_array(g->doc, g->root, "none", 0, 3, &a), 0);
	assert_int_equal(cc_diags_count(g->d), 0);
	assert_int_equal(cc_jdoc_get_array(g->doc, g->root, "none", 1, 3, &a), 0);
	expect_last(g->d, 1, 1, "missing \"none\": expected a list");
	assert_int_equal(cc_jdoc_get_array(g->doc, g->root, "arr", 1, 2, &a), -1);
	expect_last(g->d, 7, 8, "expected at most 2 items in \"arr\", found 3");
	assert_int_equal(cc_jdoc_get_array(g->doc, g->root, "obj", 1, 2, &a), -1);
	expect_last(g->d, 8, 8, "expected a list for \"obj\", found an object");
}

static void test_cc_jdoc_get_object_results(void **state)
{
	getfix *g = *state;
	const cJSON *o = NULL;
	assert_int_equal(cc_jdoc_get_object(g->doc, g->root, "obj", 1, &o), 1);
	assert_true(cJSON_IsObject(o));
	assert_int_equal(cc_jdoc_get_object(g->doc, g->root, "none", 0, &o), 0);
	assert_int_equal(cc_diags_count(g->d), 0);
	assert_int_equal(cc_jdoc_get_object(g->doc, g->root, "none", 1, &o), 0);
	expect_last(g->d, 1, 1, "missing \"none\": expected an object");
	assert_int_equal(cc_jdoc_get_object(g->doc, g->root, "arr", 1, &o), -1);
	expect_last(g->d, 7, 8, "expected an object for \"arr\", found a list");
}

static void test_cc_jdoc_get_case_sensitive(void **state)
{
	getfix *g = *state;
	double v;
	assert_int_equal(cc_jdoc_get_number(g->doc, g->root, "NUM", 0, 0, 10, &v), 0);
}

static void test_cc_jdoc_number_value_results(void **state)
{
	getfix *g = *state;
	double v = 0;
	assert_int_equal(cc_jdoc_number_value(g->doc, get(g->root, "num"), "the thing", 0, 5, &v),
	                 1);
	assert_near(v, 2.5, 0);
	assert_int_equal(cc_jdoc_number_value(g->doc, get(g->root, "num"), "the thing", 0, 1, &v),
	                 -1);
	expect_last(g->d, 2, 8, "expected a number from 0 to 1 for the thing, found 2.5");
	assert_int_equal(cc_jdoc_number_value(g->doc, get(g->root, "str"), "the thing", 0, 1, &v),
	                 -1);
	expect_last(g->d, 5, 8, "expected a number for the thing, found \"s\"");
	assert_int_equal(cc_jdoc_number_value(g->doc, NULL, "the thing", 0, 1, &v), -1);
	assert_non_null(strstr(cc_diags_get(g->d, 2)->message, "found nothing"));
}

/* ---- keys ---------------------------------------------------------------------- */

static void test_cc_jdoc_check_keys_unknown_and_repeated(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc =
	    parse_ok("{\"a\": 1,\n \"b\": 2,\n \"_c\": 3, \"_c\": 4,\n \"rate_per_yaer\": 4,\n"
	             " \"a\": 5}",
	             d);
	static const char *const allowed[] = { "a", "b", "rate_per_year", NULL };
	/* Repeated "_c" (a comment key) still counts as repeated. */
	assert_int_equal(cc_jdoc_check_keys(doc, cc_jdoc_root(doc), "the thing", allowed), 3);
	assert_int_equal(cc_diags_count(d), 3);
	const cc_diag *e;
	int seen_a = 0, seen_c = 0, seen_typo = 0;
	for (size_t i = 0; i < 3; i++) {
		e = cc_diags_get(d, i);
		if (strstr(e->message, "duplicate key \"a\" in the thing (first at line 1)")) {
			assert_int_equal(e->line, 5);
			assert_int_equal(e->column, 2);
			seen_a++;
		} else if (strstr(e->message,
		                  "duplicate key \"_c\" in the thing (first at line 3)")) {
			assert_int_equal(e->line, 3);
			assert_int_equal(e->column, 11);
			seen_c++;
		} else if (strstr(e->message,
		                  "unknown key \"rate_per_yaer\" in the thing; expected "
		                  "one of \"a\", \"b\", \"rate_per_year\"")) {
			assert_int_equal(e->line, 4);
			assert_int_equal(e->column, 2);
			seen_typo++;
		} else {
			fail_msg("unexpected diagnostic \"%s\"", e->message);
		}
	}
	assert_int_equal(seen_a + seen_c + seen_typo, 3);
	assert_int_equal(seen_a * seen_c * seen_typo, 1);
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

static void test_cc_jdoc_check_keys_not_an_object(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok("[{\"x\": 1}]", d);
	static const char *const allowed[] = { "a", NULL };
	assert_int_equal(cc_jdoc_check_keys(doc, cc_jdoc_root(doc), "a list", allowed), 0);
	assert_int_equal(cc_jdoc_check_duplicates(doc, cc_jdoc_root(doc), "a list"), 0);
	assert_int_equal(cc_jdoc_check_keys(doc, cc_jdoc_root(doc)->child, "row", allowed), 1);
	expect_last(d, 1, 3, "unknown key \"x\" in row; expected one of \"a\"");
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

static void test_cc_jdoc_check_duplicates_three_copies(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok("{\n\"2025\": 1,\n\"2026\": 2,\n\"2025\": 3,\n\"2025\": 4\n}", d);
	assert_int_equal(cc_jdoc_check_duplicates(doc, cc_jdoc_root(doc), "the years"), 2);
	assert_int_equal(cc_diags_count(d), 2);
	for (size_t i = 0; i < 2; i++) {
		const cc_diag *e = cc_diags_get(d, i);
		assert_non_null(
		    strstr(e->message, "duplicate key \"2025\" in the years (first at line 2)"));
		assert_int_equal(e->line, 4 + i);
		assert_int_equal(e->column, 1);
	}
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

static void test_cc_jdoc_check_duplicates_none(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_jdoc *doc = parse_ok("{\"a\": 1, \"A\": 2, \"b\": {\"a\": 3}}", d);
	assert_int_equal(cc_jdoc_check_duplicates(doc, cc_jdoc_root(doc), "x"), 0);
	cc_jdoc_free(doc);
	doc = parse_ok("{}", d);
	assert_int_equal(cc_jdoc_check_duplicates(doc, cc_jdoc_root(doc), "x"), 0);
	cc_jdoc_free(doc);
	doc = parse_ok("{\"a\": 1}", d);
	assert_int_equal(cc_jdoc_check_duplicates(doc, cc_jdoc_root(doc), "x"), 0);
	assert_int_equal(cc_diags_count(d), 0);
	cc_jdoc_free(doc);
	cc_diags_free(d);
}

#define BIG_MEMBERS 100000

/* One line of n members "<prefix><key(i)>": i, minified as tools write it. */
static char *big_object(size_t n, const char *prefix, int all_same)
{
	size_t cap = n * (strlen(prefix) + 24) + 8;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t o = 0;
	s[o++] = '{';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(s + o, cap - o, "%s\"%s%zu\":%zu", i ? "," : "", prefix,
		                 all_same ? (size_t)0 : i, i);
		assert_true(w > 0 && (size_t)w < cap - o);
		o += (size_t)w;
	}
	s[o++] = '}';
	s[o] = '\0';
	return s;
}

static void test_cc_jdoc_check_duplicates_100000_members_fast(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	char *text = big_object(BIG_MEMBERS, "k", 0);
	cc_jdoc *doc = parse_ok(text, d);
	double t0 = cc_test_cpu_seconds();
	assert_int_equal(cc_jdoc_check_duplicates(doc, cc_jdoc_root(doc), "x"), 0);
	double t1 = cc_test_cpu_seconds();
	if (!cc_test_small() && t1 - t0 > 2.0)
		fail_msg("check_duplicates took %.2f s for %d members", t1 - t0, BIG_MEMBERS);
	cc_jdoc_free(doc);
	free(text);
	cc_diags_free(d);
}

static void test_cc_jdoc_check_keys_100000_comment_members_fast(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	char *text = big_object(BIG_MEMBERS, "_note", 0);
	cc_jdoc *doc = parse_ok(text, d);
	static const char *const allowed[] = { "a", NULL };
	double t0 = cc_test_cpu_seconds();
	assert_int_equal(cc_jdoc_check_keys(doc, cc_jdoc_root(doc), "x", allowed), 0);
	double t1 = cc_test_cpu_seconds();
	if (!cc_test_small() && t1 - t0 > 2.0)
		fail_msg("check_keys took %.2f s for %d members", t1 - t0, BIG_MEMBERS);
	cc_jdoc_free(doc);
	free(text);
	cc_diags_free(d);
}

static void test_cc_jdoc_check_keys_100000_unknown_members_fast(void **state)
{
	(void)state;
	/* Regression test; this was a bug: quadratic. 100,000 unknown keys in a one-line object
	 * take 35 to 50 s (measured, -O2): every report computes its column by scanning from the
	 * start of the line (offset_to_line_col), even after the diagnostics list is full and the
	 * message is dropped. Same cause makes cc_model_parse take 10 s on a one-line model with
	 * 20,000 starting population rows that each have "provider": "In-house" (about 4 min at
	 * 100,000). Expected: well under a second; at most `limit` messages need a position. */
	cc_diags *d = cc_diags_alloc(0);
	char *text = big_object(BIG_MEMBERS, "k", 0);
	cc_jdoc *doc = parse_ok(text, d);
	static const char *const allowed[] = { "a", NULL };
	double t0 = cc_test_cpu_seconds();
	assert_int_equal(cc_jdoc_check_keys(doc, cc_jdoc_root(doc), "x", allowed), BIG_MEMBERS);
	double t1 = cc_test_cpu_seconds();
	if (!cc_test_small() && t1 - t0 > 2.0)
		fail_msg("check_keys took %.2f s for %d unknown members", t1 - t0, BIG_MEMBERS);
	assert_int_equal(cc_diags_errors(d), BIG_MEMBERS);
	cc_jdoc_free(doc);
	free(text);
	cc_diags_free(d);
}

static void test_cc_jdoc_check_duplicates_100000_repeats_fast(void **state)
{
	(void)state;
	/* Regression test; this was a bug: quadratic. 100,000 copies of one key take 16 s even one
	 * member per line, 35 to 50 s on one line: for every repeat
	 * cc_jdoc_check_duplicates walks back through all earlier copies to
	 * find the first (the `while (first > 0 && strcmp(...))` loop), and
	 * computes two columns by scanning the line. Expected: one pass over
	 * each run of equal keys. */
	cc_diags *d = cc_diags_alloc(0);
	char *text = big_object(BIG_MEMBERS, "k", 1);
	cc_jdoc *doc = parse_ok(text, d);
	double t0 = cc_test_cpu_seconds();
	assert_int_equal(cc_jdoc_check_duplicates(doc, cc_jdoc_root(doc), "x"), BIG_MEMBERS - 1);
	double t1 = cc_test_cpu_seconds();
	if (!cc_test_small() && t1 - t0 > 2.0)
		fail_msg("check_duplicates took %.2f s for %d repeats", t1 - t0, BIG_MEMBERS);
	cc_jdoc_free(doc);
	free(text);
	cc_diags_free(d);
}

#define G(fn) cmocka_unit_test_setup_teardown(fn, getters_setup, getters_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_jdoc_pos_nested_values_and_keys),
		cmocka_unit_test(test_cc_jdoc_pos_bom_and_crlf),
		cmocka_unit_test(test_cc_jdoc_pos_unknown_node),
		cmocka_unit_test(test_cc_jdoc_pos_duplicate_keys_distinct),
		cmocka_unit_test(test_cc_jdoc_pos_escaped_strings),
		cmocka_unit_test(test_cc_jdoc_parse_control_whitespace_rejected),
		cmocka_unit_test(test_cc_jdoc_parse_escaped_nul_rejected),
		cmocka_unit_test(test_cc_jdoc_parse_ok_and_accessors),
		cmocka_unit_test(test_cc_jdoc_parse_uses_len_not_nul),
		cmocka_unit_test(test_cc_jdoc_parse_scalar_root),
		cmocka_unit_test(test_cc_jdoc_parse_empty_and_blank),
		cmocka_unit_test(test_cc_jdoc_parse_trailing_junk),
		cmocka_unit_test(test_cc_jdoc_parse_malformed),
		cmocka_unit_test(test_cc_jdoc_parse_bad_key_position),
		cmocka_unit_test(test_cc_jdoc_parse_unexpected_end),
		cmocka_unit_test(test_cc_jdoc_parse_nul_byte),
		cmocka_unit_test(test_cc_jdoc_parse_invalid_utf8),
		cmocka_unit_test(test_cc_jdoc_parse_valid_utf8_accepted),
		cmocka_unit_test(test_cc_jdoc_parse_nesting_limit),
		cmocka_unit_test(test_cc_jdoc_load_file_and_missing),
		cmocka_unit_test(test_cc_jdoc_found_describes_nodes),
		cmocka_unit_test(test_cc_jdoc_found_shortens_long_values),
		cmocka_unit_test(test_cc_jdoc_found_small_buffers),
		cmocka_unit_test(test_cc_jdoc_found_keeps_utf8_whole),
		cmocka_unit_test(test_cc_jdoc_error_warning_key_error),
		G(test_cc_jdoc_get_number_results),
		G(test_cc_jdoc_get_number_not_an_object),
		G(test_cc_jdoc_get_long_results),
		G(test_cc_jdoc_get_string_results),
		G(test_cc_jdoc_get_bool_results),
		G(test_cc_jdoc_get_array_results),
		G(test_cc_jdoc_get_object_results),
		G(test_cc_jdoc_get_case_sensitive),
		G(test_cc_jdoc_number_value_results),
		cmocka_unit_test(test_cc_jdoc_check_keys_unknown_and_repeated),
		cmocka_unit_test(test_cc_jdoc_check_keys_not_an_object),
		cmocka_unit_test(test_cc_jdoc_check_duplicates_three_copies),
		cmocka_unit_test(test_cc_jdoc_check_duplicates_none),
		cmocka_unit_test(test_cc_jdoc_check_duplicates_100000_members_fast),
		cmocka_unit_test(test_cc_jdoc_check_keys_100000_comment_members_fast),
		cmocka_unit_test(test_cc_jdoc_check_keys_100000_unknown_members_fast),
		cmocka_unit_test(test_cc_jdoc_check_duplicates_100000_repeats_fast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
