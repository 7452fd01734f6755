/*
 * date.c - calendar arithmetic on day numbers.
 *
 * days_from_civil / civil_from_days shift the year to start on 1 March so the
 * leap day is the last day of the shifted year; then a 400-year era has a
 * fixed length of 146097 days and every conversion is integer arithmetic with
 * no tables and no loops.
 */
#include "carecast/date.h"

#include "carecast/error.h"

#include <stdio.h>

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int cc_date_days_in_month(int y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return len[m - 1] + (m == 2 && is_leap(y));
}

int cc_date_valid(int y, int m, int d)
{
	return y >= CC_DATE_MIN_YEAR && y <= CC_DATE_MAX_YEAR && m >= 1 && m <= 12 && d >= 1 &&
	       d <= cc_date_days_in_month(y, m);
}

static cc_date days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const int yoe = y - era * 400;                                  /* [0, 399] */
	const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
	const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
	return (cc_date)(era * 146097 + doe - 719468);
}

void cc_date_to_ymd(cc_date date, int *y, int *m, int *d)
{
	const int z = (int)date + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const int doe = z - era * 146097;
	const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const int mp = (5 * doy + 2) / 153;
	const int dd = doy - (153 * mp + 2) / 5 + 1;
	const int mm = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (mm <= 2);
	*m = mm;
	*d = dd;
}

int cc_date_from_ymd(int y, int m, int d, cc_date *out)
{
	if (!cc_date_valid(y, m, d))
		return CC_EINVAL;
	*out = days_from_civil(y, m, d);
	return CC_OK;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int cc_date_parse_iso(const char *s, cc_date *out)
{
	int y, m, d;
	if (!s || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || s[10] != '\0')
		return CC_EPARSE;
	return cc_date_from_ymd(y, m, d, out) == CC_OK ? CC_OK : CC_EPARSE;
}

int cc_date_parse_dmy(const char *s, cc_date *out)
{
	int y, m, d;
	if (!s || !digits(s, 2, &d) || s[2] != '/' || !digits(s + 3, 2, &m) || s[5] != '/' ||
	    !digits(s + 6, 4, &y) || s[10] != '\0')
		return CC_EPARSE;
	return cc_date_from_ymd(y, m, d, out) == CC_OK ? CC_OK : CC_EPARSE;
}

void cc_date_format(cc_date date, char buf[CC_DATE_STRLEN])
{
	int y, m, d;
	cc_date_to_ymd(date, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, CC_DATE_STRLEN, "0000-00-00");
		return;
	}
	snprintf(buf, CC_DATE_STRLEN, "%04d-%02d-%02d", y, m, d);
}

int cc_date_is_month_end(cc_date date)
{
	int y, m, d;
	cc_date_to_ymd(date, &y, &m, &d);
	return d == cc_date_days_in_month(y, m);
}

cc_date cc_date_month_end_add(cc_date date, int months)
{
	int y, m, d;
	cc_date_to_ymd(date, &y, &m, &d);
	int idx = y * 12 + (m - 1) + months;
	int ny = idx >= 0 ? idx / 12 : (idx - 11) / 12;
	int nm = idx - ny * 12 + 1;
	return days_from_civil(ny, nm, cc_date_days_in_month(ny, nm));
}

int cc_date_fy_start_year(cc_date date)
{
	int y, m, d;
	cc_date_to_ymd(date, &y, &m, &d);
	return m >= 4 ? y : y - 1;
}

void cc_date_fy_label(int fy_start_year, char buf[CC_FY_STRLEN])
{
	int end = (fy_start_year + 1) % 100;
	if (end < 0)
		end += 100;
	snprintf(buf, CC_FY_STRLEN, "%04d-%02d", fy_start_year, end);
}
