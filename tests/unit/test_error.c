/*
 * test_error.c - status names and the diagnostics list: limits and dropped
 * counts, formatting with and without positions, warnings versus errors, and
 * NULL safety.
 */
#include "carecast/error.h"
#include "cc_test.h"

/* Formats entry i of d; the caller frees. Fails the test when i is out of
 * range or formatting fails. */
static char *fmt_entry(const cc_diags *d, size_t i)
{
	const cc_diag *e = cc_diags_get(d, i);
	assert_non_null(e);
	char *s = cc_diag_format(e);
	assert_non_null(s);
	return s;
}

static void test_cc_strerror_names_every_status(void **state)
{
	(void)state;
	assert_string_equal(cc_strerror(CC_OK), "success");
	assert_string_equal(cc_strerror(CC_EINVAL), "invalid argument");
	assert_string_equal(cc_strerror(CC_ENOMEM), "out of memory");
	assert_string_equal(cc_strerror(CC_EIO), "input/output error");
	assert_string_equal(cc_strerror(CC_EPARSE), "invalid input");
	assert_string_equal(cc_strerror(CC_ERANGE), "number out of range");
	assert_string_equal(cc_strerror(CC_EINTR), "interrupted");
	assert_string_equal(cc_strerror(-1), "unknown error");
	assert_string_equal(cc_strerror(999), "unknown error");
}

static void test_cc_diags_alloc_empty_list(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	assert_non_null(d);
	assert_int_equal(cc_diags_count(d), 0);
	assert_int_equal(cc_diags_errors(d), 0);
	assert_int_equal(cc_diags_warnings(d), 0);
	assert_int_equal(cc_diags_dropped(d), 0);
	assert_null(cc_diags_get(d, 0));
	cc_diags_free(d);
}

static void test_cc_diags_add_keeps_order_and_fields(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_diags_add(d, CC_DIAG_ERROR, "a.json", 3, 7, "first %d", 1);
	cc_diags_add(d, CC_DIAG_WARNING, "b.json", 4, 1, "second %s", "two");
	assert_int_equal(cc_diags_count(d), 2);
	const cc_diag *e = cc_diags_get(d, 0);
	assert_int_equal(e->severity, CC_DIAG_ERROR);
	assert_string_equal(e->file, "a.json");
	assert_int_equal(e->line, 3);
	assert_int_equal(e->column, 7);
	assert_string_equal(e->message, "first 1");
	e = cc_diags_get(d, 1);
	assert_int_equal(e->severity, CC_DIAG_WARNING);
	assert_string_equal(e->file, "b.json");
	assert_string_equal(e->message, "second two");
	assert_null(cc_diags_get(d, 2));
	cc_diags_free(d);
}

static void test_cc_diags_add_null_file_kept_as_null(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_diags_add(d, CC_DIAG_ERROR, NULL, 0, 0, "no file");
	const cc_diag *e = cc_diags_get(d, 0);
	assert_non_null(e);
	assert_null(e->file);
	assert_string_equal(e->message, "no file");
	cc_diags_free(d);
}

static void test_cc_diags_errors_and_warnings_counted_separately(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_diags_add(d, CC_DIAG_WARNING, "f", 1, 1, "w1");
	cc_diags_add(d, CC_DIAG_ERROR, "f", 1, 1, "e1");
	cc_diags_add(d, CC_DIAG_WARNING, "f", 1, 1, "w2");
	cc_diags_add(d, CC_DIAG_WARNING, "f", 1, 1, "w3");
	assert_int_equal(cc_diags_errors(d), 1);
	assert_int_equal(cc_diags_warnings(d), 3);
	assert_int_equal(cc_diags_count(d), 4);
	assert_int_equal(cc_diags_dropped(d), 0);
	cc_diags_free(d);
}

static void test_cc_diags_add_over_limit_counts_dropped(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(3);
	for (int i = 0; i < 10; i++)
		cc_diags_add(d, i % 2 ? CC_DIAG_WARNING : CC_DIAG_ERROR, "f", (size_t)i + 1, 1,
		             "message %d", i);
	assert_int_equal(cc_diags_count(d), 3);
	assert_int_equal(cc_diags_dropped(d), 7);
	/* Counts include the dropped entries. */
	assert_int_equal(cc_diags_errors(d), 5);
	assert_int_equal(cc_diags_warnings(d), 5);
	/* The first ones are the ones kept. */
	assert_string_equal(cc_diags_get(d, 0)->message, "message 0");
	assert_string_equal(cc_diags_get(d, 2)->message, "message 2");
	assert_null(cc_diags_get(d, 3));
	cc_diags_free(d);
}

static void test_cc_diags_alloc_zero_limit_means_200(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	for (int i = 0; i < 250; i++)
		cc_diags_add(d, CC_DIAG_ERROR, "f", 1, 1, "m%d", i);
	assert_int_equal(cc_diags_count(d), 200);
	assert_int_equal(cc_diags_dropped(d), 50);
	assert_int_equal(cc_diags_errors(d), 250);
	assert_string_equal(cc_diags_get(d, 199)->message, "m199");
	cc_diags_free(d);
}

static void test_cc_diags_add_limit_one(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(1);
	cc_diags_add(d, CC_DIAG_WARNING, "f", 1, 1, "kept");
	cc_diags_add(d, CC_DIAG_ERROR, "f", 1, 1, "dropped");
	assert_int_equal(cc_diags_count(d), 1);
	assert_int_equal(cc_diags_dropped(d), 1);
	assert_int_equal(cc_diags_errors(d), 1);
	assert_int_equal(cc_diags_warnings(d), 1);
	assert_string_equal(cc_diags_get(d, 0)->message, "kept");
	cc_diags_free(d);
}

static void test_cc_diag_format_with_line_and_column(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_diags_add(d, CC_DIAG_ERROR, "models/x.json", 12, 7,
	             "expected a number for \"rate_per_year\", found \"abc\"");
	char *s = fmt_entry(d, 0);
	assert_string_equal(
	    s, "models/x.json:12:7: expected a number for \"rate_per_year\", found \"abc\"");
	free(s);
	cc_diags_free(d);
}

static void test_cc_diag_format_line_without_column(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_diags_add(d, CC_DIAG_ERROR, "x.json", 12, 0, "msg");
	char *s = fmt_entry(d, 0);
	assert_string_equal(s, "x.json:12: msg");
	free(s);
	cc_diags_free(d);
}

static void test_cc_diag_format_without_position(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_diags_add(d, CC_DIAG_ERROR, "x.json", 0, 0, "file is empty");
	/* A column without a line is not a position. */
	cc_diags_add(d, CC_DIAG_ERROR, "x.json", 0, 5, "column only");
	char *s = fmt_entry(d, 0);
	assert_string_equal(s, "x.json: file is empty");
	free(s);
	s = fmt_entry(d, 1);
	assert_string_equal(s, "x.json: column only");
	free(s);
	cc_diags_free(d);
}

static void test_cc_diag_format_warning_prefix(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_diags_add(d, CC_DIAG_WARNING, "x.json", 2, 3, "odd but allowed");
	cc_diags_add(d, CC_DIAG_WARNING, NULL, 0, 0, "no file");
	char *s = fmt_entry(d, 0);
	assert_string_equal(s, "x.json:2:3: warning: odd but allowed");
	free(s);
	s = fmt_entry(d, 1);
	assert_string_equal(s, "warning: no file");
	free(s);
	cc_diags_free(d);
}

static void test_cc_diag_format_without_file(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	cc_diags_add(d, CC_DIAG_ERROR, NULL, 0, 0, "output directory name is empty");
	cc_diags_add(d, CC_DIAG_ERROR, "", 0, 0, "empty file name");
	char *s = fmt_entry(d, 0);
	assert_string_equal(s, "output directory name is empty");
	free(s);
	s = fmt_entry(d, 1);
	assert_string_equal(s, "empty file name");
	free(s);
	cc_diags_free(d);
}

static void test_cc_diag_format_hand_built_entry(void **state)
{
	(void)state;
	/* A diagnostic whose message was lost (out of memory) still formats. */
	cc_diag e = { CC_DIAG_ERROR, NULL, 0, 0, NULL };
	char *s = cc_diag_format(&e);
	assert_non_null(s);
	assert_string_equal(s, "(message lost: out of memory)");
	free(s);
	char file[] = "f.json";
	cc_diag w = { CC_DIAG_WARNING, file, 5, 9, NULL };
	s = cc_diag_format(&w);
	assert_string_equal(s, "f.json:5:9: warning: (message lost: out of memory)");
	free(s);
}

static void test_cc_diags_add_long_message_truncated_not_overflowed(void **state)
{
	(void)state;
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cc_diags *d = cc_diags_alloc(0);
	cc_diags_add(d, CC_DIAG_ERROR, "f", 1, 1, "%s", big);
	const cc_diag *e = cc_diags_get(d, 0);
	assert_non_null(e->message);
	/* Messages are kept up to 1023 bytes. */
	assert_int_equal(strlen(e->message), 1023);
	assert_int_equal(e->message[0], 'x');
	cc_diags_free(d);
}

static void vadd_helper(cc_diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vadd_helper(cc_diags *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cc_diags_vadd(d, CC_DIAG_ERROR, "v.json", 8, 2, fmt, ap);
	va_end(ap);
}

static void test_cc_diags_vadd_formats_arguments(void **state)
{
	(void)state;
	cc_diags *d = cc_diags_alloc(0);
	vadd_helper(d, "found %zu items, expected %s", (size_t)33, "at most 32");
	char *s = fmt_entry(d, 0);
	assert_string_equal(s, "v.json:8:2: found 33 items, expected at most 32");
	free(s);
	cc_diags_free(d);
}

static void test_cc_diags_null_safety(void **state)
{
	(void)state;
	cc_diags_free(NULL);
	cc_diags_add(NULL, CC_DIAG_ERROR, "f", 1, 1, "ignored");
	assert_int_equal(cc_diags_count(NULL), 0);
	assert_int_equal(cc_diags_errors(NULL), 0);
	assert_int_equal(cc_diags_warnings(NULL), 0);
	assert_int_equal(cc_diags_dropped(NULL), 0);
	assert_null(cc_diags_get(NULL, 0));
	assert_null(cc_diag_format(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_strerror_names_every_status),
		cmocka_unit_test(test_cc_diags_alloc_empty_list),
		cmocka_unit_test(test_cc_diags_add_keeps_order_and_fields),
		cmocka_unit_test(test_cc_diags_add_null_file_kept_as_null),
		cmocka_unit_test(test_cc_diags_errors_and_warnings_counted_separately),
		cmocka_unit_test(test_cc_diags_add_over_limit_counts_dropped),
		cmocka_unit_test(test_cc_diags_alloc_zero_limit_means_200),
		cmocka_unit_test(test_cc_diags_add_limit_one),
		cmocka_unit_test(test_cc_diag_format_with_line_and_column),
		cmocka_unit_test(test_cc_diag_format_line_without_column),
		cmocka_unit_test(test_cc_diag_format_without_position),
		cmocka_unit_test(test_cc_diag_format_warning_prefix),
		cmocka_unit_test(test_cc_diag_format_without_file),
		cmocka_unit_test(test_cc_diag_format_hand_built_entry),
		cmocka_unit_test(test_cc_diags_add_long_message_truncated_not_overflowed),
		cmocka_unit_test(test_cc_diags_vadd_formats_arguments),
		cmocka_unit_test(test_cc_diags_null_safety),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
