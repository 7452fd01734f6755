/*
 * calendar.c - month arithmetic for the fit, consistent with birthdays.
 *
 * The engine counts age and time in care in completed months. A month is
 * complete on its anniversary: the same day of the month, or, when that day
 * does not exist (31 January + 1 month), the first day of the next month, as
 * English law has it for a 29 February birthday (cc_ssda903_birthday). With
 * that rule the age band of a child on a date is the same whether it is taken
 * from birthdays or from completed months, so the exposure split at birthdays
 * matches the bands the engine applies.
 */
#include "fit_int.h"

cc_date fit_add_months(cc_date d, int n)
{
	int y, m, day;
	cc_date_to_ymd(d, &y, &m, &day);
	int k = (y * 12 + (m - 1)) + n;
	y = k / 12;
	m = k % 12 + 1;
	if (y < CC_DATE_MIN_YEAR)
		return INT32_MIN;
	if (y > CC_DATE_MAX_YEAR)
		return INT32_MAX;
	cc_date out;
	if (day > cc_date_days_in_month(y, m)) {
		/* The first day of the following month. */
		cc_date_from_ymd(y, m, cc_date_days_in_month(y, m), &out);
		return out + 1;
	}
	cc_date_from_ymd(y, m, day, &out);
	return out;
}

int fit_completed_months(cc_date a, cc_date b)
{
	int y1, m1, d1, y2, m2, d2;
	cc_date_to_ymd(a, &y1, &m1, &d1);
	cc_date_to_ymd(b, &y2, &m2, &d2);
	/* With N the months from a's month to b's: if d2 >= d1 the anniversary
	 * (b's month, d1) exists and is on or before b, so N months are
	 * complete; if d2 < d1 the N-th anniversary is after b (or, when day d1
	 * does not exist in b's month, the 1st of the next month) while the
	 * (N-1)-th is on or before b (day d1 of the previous month, or the 1st
	 * of b's month). */
	int n = (y2 - y1) * 12 + (m2 - m1);
	return d2 < d1 ? n - 1 : n;
}

size_t fit_age_band_of_months(unsigned age_months)
{
	size_t b = 0;
	while (b + 1 < CC_FIT_NAGE && age_months >= (unsigned)fit_age_years[b + 1] * 12)
		b++;
	return b;
}
