/*
 * validate.c - each child's episodes in order: who can be used, and how the
 * episodes chain into periods of care.
 *
 * An episode is left out when its child has no usable Header row (no DOB:
 * no age), when DOB is after DECOM, or when the child was 18 or over at
 * DECOM (outside what carecast models). The rest are walked in DECOM order:
 *
 *   - overlap: an episode starting before the previous one ended (or while it
 *     is open) cuts the previous one at its DECOM, with REC X1, so a child is
 *     never in two placements at once;
 *   - periods of care: an episode continues the previous one's period when it
 *     starts the day that one ended, unless the codes agree it is a new start
 *     (previous REC an exit and RNE S). Otherwise it starts a new period
 *     (flag PERIOD_START);
 *   - chain rules compare the codes with the dates: a continuation RNE after
 *     a gap (chain-gap) or as the first episode seen (chain-first, unless it
 *     began before the first collection year read, whose predecessor was
 *     never in the data), disagreeing codes on a same-day follow-on
 *     (chain-codes), REC X1 with nothing starting that day (x1-no-next).
 */
#include "internal.h"

#include <stdio.h>

static int year_of(cc_date d)
{
	int y, m, dd;
	cc_date_to_ymd(d, &y, &m, &dd);
	return y;
}

cc_date cc_ssda903_birthday(cc_date dob, int years)
{
	int y, m, d;
	cc_date_to_ymd(dob, &y, &m, &d);
	y += years;
	if (y < CC_DATE_MIN_YEAR || y > CC_DATE_MAX_YEAR)
		return y < CC_DATE_MIN_YEAR ? INT32_MIN : INT32_MAX;
	cc_date out;
	if (m == 2 && d == 29 && !cc_date_valid(y, 2, 29)) {
		m = 3;
		d = 1;
	}
	cc_date_from_ymd(y, m, d, &out);
	return out;
}

int cc_ssda903_age(cc_date dob, cc_date date)
{
	int y1, m1, d1, y2, m2, d2;
	cc_date_to_ymd(dob, &y1, &m1, &d1);
	cc_date_to_ymd(date, &y2, &m2, &d2);
	int age = y2 - y1;
	if (cc_ssda903_birthday(dob, age) > date)
		age--;
	return age;
}

static void drop_all(work *w, ep_row *eps, size_t n, const struct kid *kid, uint32_t la)
{
	char why[256];
	if (kid->state == KID_CONFLICT)
		snprintf(why, sizeof why, "its Header rows give different dates of birth");
	else if (kid->bad_line)
		snprintf(why, sizeof why, "its Header row (%s:%u) was left out",
		         w->files[kid->bad_file], kid->bad_line);
	else {
		char who[160];
		la_label(w, la, who, sizeof who);
		snprintf(why, sizeof why, "no return of %s has a Header row for it", who);
	}
	for (size_t i = 0; i < n; i++) {
		eps[i].flags |= EPF_DROP;
		rules_report(
		    &w->rb, CC_SSDA903_R_NO_HEADER, ep_path(w, &eps[i]), eps[i].line,
		    "CHILD: expected a Header row with the child's DOB and SEX, found none "
		    "usable: %s; episode left out",
		    why);
	}
}

static void check_child(work *w, ep_row *eps, size_t n)
{
	uint32_t kid_i = eps[0].child;
	const struct kid *kid = &w->kid[kid_i];
	uint32_t la = strtab_ns(&w->kids, kid_i);
	if (kid->state != KID_OK) {
		drop_all(w, eps, n, kid, la);
		return;
	}
	cc_date adult = cc_ssda903_birthday(kid->dob, 18);
	const struct la_years *ly = &w->lay[la];
	cc_date window_start = ly->n ? march31(year_of(ly->ends[0]) - 1) + 1 : 0;
	cc_date window_end = ly->n ? ly->ends[ly->n - 1] : 0;
	ep_row *prev = NULL;
	for (size_t i = 0; i < n; i++) {
		ep_row *e = &eps[i];
		const char *file = ep_path(w, e);
		if (kid->dob > e->decom) {
			rules_report(&w->rb, CC_SSDA903_R_DOB_AFTER_DECOM, file, e->line,
			             "DECOM: expected a date on or after the child's DOB, found an "
			             "earlier one; episode left out");
			e->flags |= EPF_DROP;
			continue;
		}
		if (e->decom >= adult) {
			rules_report(
			    &w->rb, CC_SSDA903_R_AGE_18, file, e->line,
			    "DECOM: expected a date before the child's 18th birthday, found "
			    "one on or after it; episode left out");
			e->flags |= EPF_DROP;
			continue;
		}
		if (e->decom < window_start)
			e->flags |= CC_SSDA903_EP_BEFORE;
		int new_period = 1;
		if (!prev) {
			if (rne_continues(e->rne) && e->decom >= window_start)
				rules_report(
				    &w->rb, CC_SSDA903_R_CHAIN_FIRST, file, e->line,
				    "RNE: expected S for the child's first episode in the data, "
				    "which starts within the collection years read, found %s",
				    cc_ssda903_code_name(CC_SSDA903_RNE, e->rne));
		} else {
			int cut = prev->dec == CC_SSDA903_OPEN || prev->dec > e->decom;
			if (cut) {
				if (prev->dec == CC_SSDA903_OPEN)
					rules_report(
					    &w->rb, CC_SSDA903_R_OVERLAP, file, e->line,
					    "DECOM: expected the child's previous episode (%s:%u) "
					    "to have ended by this date, found it open; it is cut "
					    "to end here",
					    ep_path(w, prev), prev->line);
				else
					rules_report(
					    &w->rb, CC_SSDA903_R_OVERLAP, file, e->line,
					    "DECOM: expected a date on or after the DEC of the "
					    "child's previous episode (%s:%u), found an earlier "
					    "one; that episode is cut to end here",
					    ep_path(w, prev), prev->line);
				prev->dec = e->decom;
				prev->rec = CC_REC_X1;
				prev->flags = (uint8_t)((prev->flags | CC_SSDA903_EP_CUT) &
				                        ~CC_SSDA903_EP_LOST);
			}
			if (prev->dec == e->decom) {
				/* After a cut the X1 is ours: nothing to compare. */
				if (cut)
					;
				else if (prev->rec == CC_REC_X1 && e->rne == CC_RNE_S)
					rules_report(
					    &w->rb, CC_SSDA903_R_CHAIN_CODES, file, e->line,
					    "RNE: expected a continuation code (L, P, T, B or "
					    "U) after the previous episode (%s:%u) ended with X1 "
					    "the same day, found S",
					    ep_path(w, prev), prev->line);
				else if (rec_is_exit(prev->rec) && rne_continues(e->rne))
					rules_report(
					    &w->rb, CC_SSDA903_R_CHAIN_CODES, file, e->line,
					    "RNE: expected S after the previous episode (%s:%u) "
					    "ended with %s (an exit) the same day, found %s",
					    ep_path(w, prev), prev->line,
					    cc_ssda903_code_name(CC_SSDA903_REC, prev->rec),
					    cc_ssda903_code_name(CC_SSDA903_RNE, e->rne));
				new_period = rec_is_exit(prev->rec) && e->rne == CC_RNE_S;
			} else {
				if (rne_continues(e->rne))
					rules_report(
					    &w->rb, CC_SSDA903_R_CHAIN_GAP, file, e->line,
					    "RNE: expected S, as the child's previous episode "
					    "(%s:%u) ended before this DECOM, found %s",
					    ep_path(w, prev), prev->line,
					    cc_ssda903_code_name(CC_SSDA903_RNE, e->rne));
				if (prev->rec == CC_REC_X1)
					rules_report(
					    &w->rb, CC_SSDA903_R_X1_NO_NEXT, ep_path(w, prev),
					    prev->line,
					    "REC: expected an episode starting on DEC after X1, "
					    "found the next one starting later");
			}
		}
		if (new_period)
			e->flags |= CC_SSDA903_EP_PERIOD_START;
		prev = e;
	}
	if (prev && prev->rec == CC_REC_X1 && prev->dec != CC_SSDA903_OPEN &&
	    prev->dec <= window_end)
		rules_report(&w->rb, CC_SSDA903_R_X1_NO_NEXT, ep_path(w, prev), prev->line,
		             "REC: expected an episode starting on DEC after X1, found none");
}

void validate_children(work *w, ep_row *eps, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && eps[j].child == eps[i].child)
			j++;
		check_child(w, eps + i, j - i);
		i = j;
	}
}
