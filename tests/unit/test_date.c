/*
 * test_date.c - calendar arithmetic: parsing, month ends, financial years.
 */
#include "carecast/date.h"
#include "carecast/error.h"
#include "cc_test.h"

static void test_cc_date_parse_iso_valid(void **state)
{
	(void)state;
	cc_date d;
	assert_int_equal(cc_date_parse_iso("1970-01-01", &d), CC_OK);
	assert_int_equal(d, 0);
	assert_int_equal(cc_date_parse_iso("2024-02-29", &d), CC_OK);
	char buf[CC_DATE_STRLEN];
	cc_date_format(d, buf);
	assert_string_equal(buf, "2024-02-29");
	assert_int_equal(cc_date_parse_iso("2000-03-01", &d), CC_OK);
	assert_int_equal(d, 11017);
}

static void test_cc_date_parse_iso_rejects_impossible_dates(void **state)
{
	(void)state;
	cc_date d;
	const char *bad[] = { "2020-02-30",  "2020-13-01",  "2019-02-29", "1900-02-29",
		              "2020-00-10",  "2020-01-00",  "2020-1-01",  "20-01-01",
		              "2020-01-01x", " 2020-01-01", "",           "31/02/2020",
		              "2020/01/01",  "0000-01-01",  "2020-04-31" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (cc_date_parse_iso(bad[i], &d) != CC_EPARSE)
			fail_msg("accepted \"%s\"", bad[i]);
}

static void test_cc_date_parse_dmy_valid_and_invalid(void **state)
{
	(void)state;
	cc_date d, e;
	assert_int_equal(cc_date_parse_dmy("31/03/2025", &d), CC_OK);
	assert_int_equal(cc_date_parse_iso("2025-03-31", &e), CC_OK);
	assert_int_equal(d, e);
	assert_int_equal(cc_date_parse_dmy("31/02/2020", &d), CC_EPARSE);
	assert_int_equal(cc_date_parse_dmy("1/1/20", &d), CC_EPARSE);
	assert_int_equal(cc_date_parse_dmy("38/04/2019", &d), CC_EPARSE);
	assert_int_equal(cc_date_parse_dmy("01/01/19", &d), CC_EPARSE);
}

static void test_cc_date_roundtrip_every_day(void **state)
{
	(void)state;
	/* Every day from 1600 to 2400 converts to y-m-d and back. */
	cc_date from, to;
	assert_int_equal(cc_date_from_ymd(1600, 1, 1, &from), CC_OK);
	assert_int_equal(cc_date_from_ymd(2400, 12, 31, &to), CC_OK);
	int py = 1599, pm = 12, pd = 31;
	for (cc_date d = from; d <= to; d++) {
		int y, m, dd;
		cc_date_to_ymd(d, &y, &m, &dd);
		assert_true(cc_date_valid(y, m, dd));
		cc_date back;
		assert_int_equal(cc_date_from_ymd(y, m, dd, &back), CC_OK);
		assert_int_equal(back, d);
		/* Consecutive: the next day of the previous one. */
		if (dd == 1)
			assert_int_equal(pd, cc_date_days_in_month(py, pm));
		else
			assert_int_equal(dd, pd + 1);
		py = y;
		pm = m;
		pd = dd;
	}
}

static void test_cc_date_month_end_add_handles_leap_years(void **state)
{
	(void)state;
	cc_date base, d;
	char buf[CC_DATE_STRLEN];
	assert_int_equal(cc_date_parse_iso("2025-03-31", &base), CC_OK);
	assert_true(cc_date_is_month_end(base));
	d = cc_date_month_end_add(base, 1);
	cc_date_format(d, buf);
	assert_string_equal(buf, "2025-04-30");
	d = cc_date_month_end_add(base, 35);
	cc_date_format(d, buf);
	assert_string_equal(buf, "2028-02-29");
	d = cc_date_month_end_add(base, -3);
	cc_date_format(d, buf);
	assert_string_equal(buf, "2024-12-31");
	assert_false(cc_date_is_month_end(base - 1));
}

static void test_cc_date_fy_boundaries(void **state)
{
	(void)state;
	cc_date d;
	char buf[CC_FY_STRLEN];
	assert_int_equal(cc_date_parse_iso("2025-03-31", &d), CC_OK);
	assert_int_equal(cc_date_fy_start_year(d), 2024);
	assert_int_equal(cc_date_fy_start_year(d + 1), 2025);
	cc_date_fy_label(2025, buf);
	assert_string_equal(buf, "2025-26");
	cc_date_fy_label(1999, buf);
	assert_string_equal(buf, "1999-00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_date_parse_iso_valid),
		cmocka_unit_test(test_cc_date_parse_iso_rejects_impossible_dates),
		cmocka_unit_test(test_cc_date_parse_dmy_valid_and_invalid),
		cmocka_unit_test(test_cc_date_roundtrip_every_day),
		cmocka_unit_test(test_cc_date_month_end_add_handles_leap_years),
		cmocka_unit_test(test_cc_date_fy_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
