/*
 * date.h - proleptic Gregorian calendar dates as day numbers.
 *
 * A cc_date is the number of days since 1970-01-01 (negative before). Civil
 * conversions follow the well-known "days from civil" construction (era of 400
 * years = 146097 days), exact for every date from year 1 to 9999, which is the
 * range carecast accepts in files.
 */
#ifndef CARECAST_DATE_H
#define CARECAST_DATE_H

#include <stdint.h>

typedef int32_t cc_date;

#define CC_DATE_MIN_YEAR 1
#define CC_DATE_MAX_YEAR 9999
/* Length of "YYYY-MM-DD" plus the terminating NUL. */
#define CC_DATE_STRLEN 11

/* 1 when y-m-d is a real calendar date in years 1..9999, else 0. */
int cc_date_valid(int y, int m, int d);
int cc_date_days_in_month(int y, int m);

/* Converts a valid y-m-d; CC_EINVAL if it is not a real date. */
int cc_date_from_ymd(int y, int m, int d, cc_date *out);
void cc_date_to_ymd(cc_date date, int *y, int *m, int *d);

/* Parses exactly "YYYY-MM-DD" (ISO 8601 calendar date, nothing before or
 * after). Returns CC_OK, or CC_EPARSE for wrong shape or a date that does not
 * exist (2020-02-30, 2020-13-01). */
int cc_date_parse_iso(const char *s, cc_date *out);

/* Parses exactly "DD/MM/YYYY" (the SSDA903 form) with the same checks. */
int cc_date_parse_dmy(const char *s, cc_date *out);

/* Writes "YYYY-MM-DD" into buf (at least CC_DATE_STRLEN bytes). */
void cc_date_format(cc_date date, char buf[CC_DATE_STRLEN]);

/* 1 if date is the last day of its month. */
int cc_date_is_month_end(cc_date date);

/* The last day of the month `months` months after date's month
 * (months may be negative). */
cc_date cc_date_month_end_add(cc_date date, int months);

/* The financial year (1 April - 31 March) containing date, as the calendar
 * year it starts in: 2025 for any date from 2025-04-01 to 2026-03-31. */
int cc_date_fy_start_year(cc_date date);

/* Room for a financial year label such as "2025-26". */
#define CC_FY_STRLEN 16
/* Writes the financial year label "2025-26" into buf. */
void cc_date_fy_label(int fy_start_year, char buf[CC_FY_STRLEN]);

#endif
