/*
 * exposure.c - time at risk and events inside the reference window.
 *
 * Time is counted in days. A period of care covers the days [start, end): the
 * child is in care at the end of day d when start <= d < end (DfE's rule for
 * "looked after at 31 March"), and an event on day x (an entry on its DECOM,
 * an exit on its DEC, a move on the DECOM of the new placement) belongs to
 * the window [ws, we) when ws <= x < we. With we = base date + 1 and ws the
 * day after the 31 March (or month end) that opens the window, the stock
 * identity holds exactly:
 *
 *   stock(we - 1) = stock(ws - 1) + entries - exits - (left by censoring)
 *
 * Exposure of a spell [a, b) is the part inside [ws, we), before the 18th
 * birthday (children leave at 18; any exit on or after it is "age18") and
 * before censoring, split where the age band and the time-in-care band
 * change: as the engine applies them, on the first day of the month after
 * the birthday or the anniversary of the period start (fit_kid_init).
 * An event is put in the cell the child was in on its last day before the
 * event (day x - 1), where its exposure was accruing. Everything is linear in
 * the spells and allocation-free.
 */
#include "fit_int.h"

static size_t band_at(const cc_date *bday, cc_date t)
{
	size_t k = 0;
	while (k + 1 < CC_FIT_NAGE && bday[k + 1] <= t)
		k++;
	return k;
}

static size_t tic_at(const cc_date *tb, cc_date t)
{
	size_t k = 0;
	while (k + 1 < CC_FIT_NTIC && tb[k + 1] <= t)
		k++;
	return k;
}

/* The spell of period p in force on day t (the last starting on or before
 * it; the first if none). */
static const fit_spell *spell_at(const fit_child *w, const fit_period *p, cc_date t)
{
	const fit_spell *s = &w->spells[p->spell0];
	for (uint32_t k = 1; k < p->nspells; k++) {
		if (w->spells[p->spell0 + k].start > t)
			break;
		s = &w->spells[p->spell0 + k];
	}
	return s;
}

static cc_date min_date(cc_date a, cc_date b) { return a < b ? a : b; }
static cc_date max_date(cc_date a, cc_date b) { return a > b ? a : b; }

/* The days the age band changes, converting the date of birth once. The
 * engine applies in each calendar month the band of the age in completed
 * months at the end of the previous month, so a band starts on the first day
 * of the month after the birthday (1, 5, 10, 16). The 18th birthday itself
 * (bday[CC_FIT_NAGE]) is the day care ends, as cc_ssda903_birthday gives it
 * (29 February on 1 March in other years). */
void fit_kid_init(fit_kid *k, cc_date dob)
{
	int y, m, d;
	cc_date_to_ymd(dob, &y, &m, &d);
	k->bday[0] = dob;
	for (size_t i = 1; i <= CC_FIT_NAGE; i++) {
		int yy = y + fit_age_years[i], mm = m, dd = d;
		if (yy > CC_DATE_MAX_YEAR) {
			k->bday[i] = INT32_MAX;
			continue;
		}
		if (mm == 2 && dd == 29 && !cc_date_valid(yy, 2, 29)) {
			mm = 3;
			dd = 1;
		}
		cc_date_from_ymd(yy, mm, dd, &k->bday[i]);
		if (i < CC_FIT_NAGE && k->bday[i] < INT32_MAX)
			k->bday[i] = cc_date_month_end_add(k->bday[i], 0) + 1;
	}
}

static void add_exposure(fit_tables *t, const cc_date *bday, const cc_date *tb, size_t cat,
                         cc_date a, cc_date b)
{
	size_t band = band_at(bday, a), tic = tic_at(tb, a);
	while (a < b) {
		cc_date next = b;
		if (band + 1 < CC_FIT_NAGE && bday[band + 1] < next)
			next = bday[band + 1];
		if (tic + 1 < CC_FIT_NTIC && tb[tic + 1] < next)
			next = tb[tic + 1];
		t->expo_days[band][cat][tic] += (double)(next - a);
		a = next;
		while (band + 1 < CC_FIT_NAGE && bday[band + 1] <= a)
			band++;
		while (tic + 1 < CC_FIT_NTIC && tb[tic + 1] <= a)
			tic++;
	}
}

void fit_accumulate(const fit_window *win, const fit_kid *kid, const fit_child *w, fit_tables *t,
                    cc_fit_counts *n)
{
	const cc_date *bday = kid->bday;
	cc_date dob = bday[0];
	cc_date b18 = bday[CC_FIT_NAGE];
	cc_date ws = win->ws, we = win->we;
	for (size_t pi = 0; pi < w->nperiods; pi++) {
		const fit_period *p = &w->periods[pi];
		n->periods++;
		cc_date stop = p->end != FIT_OPEN ? p->end : p->censor;
		/* In the window: time in it, or an event on its first day. */
		int touches = p->start < we && stop >= ws;
		if (!touches)
			continue;
		n->periods_in_window++;
		if (p->left_truncated)
			n->left_truncated++;
		/* Time-in-care bands as the engine applies them: months in care
		 * completed at the end of the previous month, so band k starts on
		 * the first day of the month after the one holding the
		 * anniversary. */
		cc_date tb[CC_FIT_NTIC];
		tb[0] = p->start;
		for (size_t k = 1; k < CC_FIT_NTIC; k++)
			tb[k] = cc_date_month_end_add(p->start, fit_tic_months[k]) + 1;

		/* Exposure. */
		cc_date obs_end = min_date(min_date(stop, b18), we);
		for (uint32_t k = 0; k < p->nspells; k++) {
			const fit_spell *s = &w->spells[p->spell0 + k];
			cc_date a = s->start;
			cc_date b = k + 1 < p->nspells ? w->spells[p->spell0 + k + 1].start : stop;
			a = max_date(a, ws);
			b = min_date(b, obs_end);
			if (a < b)
				add_exposure(t, bday, tb, s->cat, a, b);
		}

		/* Entry. */
		const fit_spell *first = &w->spells[p->spell0];
		if (p->start >= ws && p->start < we) {
			/* Age at entry as the engine draws it: completed months at
			 * the end of the month of entry. */
			int months = fit_completed_months(dob, cc_date_month_end_add(p->start, 0));
			if (months >= 0 && months < CC_AGE_MONTHS_MAX) {
				size_t band = fit_age_band_of_months((unsigned)months);
				t->entries[band][first->cat] += 1;
				t->entry_age[months] += 1;
				n->entries += 1;
				t->starts_known[first->cat] += 1;
				t->starts_in_house[first->cat] += first->prov == CC_IN_HOUSE;
			}
		}

		/* Moves: a change of category between spells. */
		for (uint32_t k = 1; k < p->nspells; k++) {
			const fit_spell *s = &w->spells[p->spell0 + k];
			const fit_spell *prev = &w->spells[p->spell0 + k - 1];
			cc_date x = s->start;
			if (s->cat == prev->cat || x < ws || x >= we || x >= stop)
				continue;
			if (x >= b18) {
				n->moves_after_18 += 1;
				continue;
			}
			t->moves[prev->cat][s->cat][band_at(bday, x - 1)] += 1;
			n->moves += 1;
			t->starts_known[s->cat] += 1;
			t->starts_in_house[s->cat] += s->prov == CC_IN_HOUSE;
		}

		/* Exit, or the 18th birthday. */
		if (p->end != FIT_OPEN && p->end >= ws && p->end < we && p->end < b18) {
			cc_date last = max_date(p->end - 1, p->start);
			const fit_spell *s = spell_at(w, p, last);
			size_t r = p->reason;
			t->exits[r][band_at(bday, last)][s->cat][tic_at(tb, last)] += 1;
			n->exits[r] += 1;
			n->exits_unknown_reason += p->reason_unknown;
			n->exits_e17_under18 += p->e17;
		}
		if (b18 >= ws && b18 < we && p->start < b18 && stop >= b18)
			n->exits[CC_FIT_AGE18] += 1;
		if (p->end == FIT_OPEN && p->censor >= ws && p->censor < we && p->censor < b18)
			n->lost++;
	}
}

int fit_stock_at(const fit_child *w, const fit_kid *kid, cc_date date, size_t *period,
                 size_t *spell)
{
	if (date >= kid->bday[CC_FIT_NAGE])
		return 0;
	for (size_t pi = 0; pi < w->nperiods; pi++) {
		const fit_period *p = &w->periods[pi];
		cc_date stop = p->end != FIT_OPEN ? p->end : p->censor;
		if (!(p->start <= date && date < stop))
			continue;
		const fit_spell *s = spell_at(w, p, date);
		if (s->respite)
			return 0;
		*period = pi;
		*spell = (size_t)(s - w->spells);
		return 1;
	}
	return 0;
}
