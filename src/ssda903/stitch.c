/*
 * stitch.c - rows from several returns into one record per child and one per
 * episode.
 *
 * Every annual return repeats the Header row of each child in it, and every
 * episode still open at 31 March reappears in the next year's return with the
 * same DECOM (and, once it has ended, its DEC and REC). The latest return
 * knows most, so it wins: of the rows for one child, or for one (child,
 * DECOM), the one from the latest collection year is kept (the first in its
 * file if a return repeats it). The others are compared with it, and any
 * difference beyond an open episode having since closed is reported with both
 * rows' positions. Two rows for the same episode in the same return cannot
 * both be right: the later is left out.
 *
 * Rows are ordered with a sort on precomputed integer keys (child rank and
 * DECOM, then latest return first), so stitching is n log n whatever the
 * number of years.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	uint64_t a, b;
	uint32_t idx;
} sortkey;

static int cmp_key(const void *p, const void *q)
{
	const sortkey *x = p, *y = q;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Keys for "latest return first": the year end reversed, then the return. */
static uint64_t later_first(const work *w, uint32_t ret)
{
	uint32_t rev = (uint32_t)((int64_t)INT32_MAX - (int64_t)w->rets[ret].end);
	return ((uint64_t)rev << 32) | ret;
}

static uint32_t date_key(cc_date d) { return (uint32_t)((int64_t)d - (int64_t)INT32_MIN); }

static int year_of(cc_date d)
{
	int y, m, dd;
	cc_date_to_ymd(d, &y, &m, &dd);
	return y;
}

/* ---- Header rows ------------------------------------------------------------ */

void resolve_headers(work *w, const uint32_t *rank)
{
	sortkey *k = malloc((w->nhds ? w->nhds : 1) * sizeof *k);
	if (!k) {
		w->status = CC_ENOMEM;
		return;
	}
	for (size_t i = 0; i < w->nhds; i++)
		k[i] = (sortkey){ (uint64_t)rank[w->hds[i].child], later_first(w, w->hds[i].ret),
			          (uint32_t)i };
	qsort(k, w->nhds, sizeof *k, cmp_key);
	for (size_t i = 0; i < w->nhds;) {
		const hd_row *win = &w->hds[k[i].idx];
		struct kid *kid = &w->kid[win->child];
		kid->dob = win->dob;
		kid->sex = win->sex;
		kid->state = KID_OK;
		const hd_row *first = win; /* first row of the current return */
		size_t j = i + 1;
		for (; j < w->nhds && w->hds[k[j].idx].child == win->child; j++) {
			const hd_row *h = &w->hds[k[j].idx];
			const char *file = w->files[h->file];
			if (h->ret != first->ret) {
				first = h;
				if (h->dob != win->dob || h->sex != win->sex)
					rules_report(
					    &w->rb, CC_SSDA903_R_HEADER_CHANGED, file, h->line,
					    "%s: differs from the child's Header row in the later "
					    "return %s:%u, which is used",
					    h->dob != win->dob ? "DOB" : "SEX", w->files[win->file],
					    win->line);
				continue;
			}
			if (h->dob != first->dob && h->ret == win->ret) {
				rules_report(
				    &w->rb, CC_SSDA903_R_HEADER_CONFLICT, file, h->line,
				    "DOB: expected one date of birth per child, found another in "
				    "the Header row at line %u of this return",
				    first->line);
				kid->state = KID_CONFLICT;
			} else if (h->dob != first->dob || h->sex != first->sex) {
				rules_report(
				    &w->rb, CC_SSDA903_R_HEADER_CHANGED, file, h->line,
				    "%s: differs from the Header row at line %u of this return; "
				    "%s",
				    h->dob != first->dob ? "DOB" : "SEX", first->line,
				    h->ret == win->ret ? "that one is used"
				                       : "a later return's row is used");
			} else {
				rules_report(
				    &w->rb, CC_SSDA903_R_HEADER_DUPLICATE, file, h->line,
				    "the child's Header row repeats the one at line %u; that "
				    "one is used",
				    first->line);
			}
		}
		i = j;
	}
	free(k);
}

/* ---- episodes ----------------------------------------------------------------- */

/* Names of the fields in which an older row differs from the kept one. */
static size_t differences(const ep_row *old, const ep_row *win, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
#define DIFF(cond, text)                                                                \
	do {                                                                            \
		if (cond) {                                                             \
			size_t used = strlen(buf);                                      \
			snprintf(buf + used, size - used, "%s%s", n ? ", " : "", text); \
			n++;                                                            \
		}                                                                       \
	} while (0)
	char what[64];
	snprintf(what, sizeof what, "PLACE (%s here, %s there)",
	         cc_ssda903_code_name(CC_SSDA903_PLACE, old->place),
	         cc_ssda903_code_name(CC_SSDA903_PLACE, win->place));
	DIFF(old->place != win->place, what);
	DIFF(old->rne != win->rne, "RNE");
	DIFF(old->ls != win->ls, "LS");
	DIFF(old->cin != win->cin, "CIN");
	DIFF(old->provider != win->provider, "PLACE_PROVIDER");
	DIFF(old->dec != CC_SSDA903_OPEN && old->dec != win->dec, "DEC");
	DIFF(old->rec != CC_REC_BLANK && old->rec != win->rec, "REC");
	DIFF(old->reason != CC_RPC_BLANK && old->reason != win->reason, "REASON_PLACE_CHANGE");
#undef DIFF
	return n;
}

/* Reports returns of the LA whose year the episode overlaps but that lack it,
 * up to the latest holding it. ends[0 .. n) are the year ends holding it. */
static void check_missing(work *w, const ep_row *win, const cc_date *ends, size_t n)
{
	uint32_t la = strtab_ns(&w->kids, win->child);
	const struct la_years *ly = &w->lay[la];
	size_t missing = 0;
	cc_date first_missing = 0;
	cc_date last = w->rets[win->ret].end;
	for (size_t i = 0; i < ly->n && ly->ends[i] < last; i++) {
		cc_date e = ly->ends[i];
		cc_date start = march31(year_of(e) - 1) + 1;
		if (win->decom > e || (win->dec != CC_SSDA903_OPEN && win->dec < start))
			continue;
		int present = 0;
		for (size_t j = 0; j < n && !present; j++)
			present = ends[j] == e;
		if (!present && missing++ == 0)
			first_missing = e;
	}
	if (missing == 0)
		return;
	char more[48] = "";
	if (missing > 1)
		snprintf(more, sizeof more, " and %zu more", missing - 1);
	rules_report(&w->rb, CC_SSDA903_R_STITCH_MISSING, w->files[win->file], win->line,
	             "expected this episode also in the LA's return for the year ending 31 "
	             "March %d%s, whose collection year it overlaps, found it in %zu other "
	             "return%s only",
	             year_of(first_missing), more, n, n > 1 ? "s" : "");
}

int stitch_episodes(work *w, const uint32_t *rank, ep_row **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	sortkey *k = malloc((w->neps ? w->neps : 1) * sizeof *k);
	ep_row *res = malloc((w->neps ? w->neps : 1) * sizeof *res);
	cc_date *ends = NULL;
	size_t ends_cap = 0;
	if (!k || !res) {
		free(k);
		free(res);
		w->status = CC_ENOMEM;
		return CC_ENOMEM;
	}
	for (size_t i = 0; i < w->neps; i++) {
		const ep_row *e = &w->eps[i];
		k[i] = (sortkey){ ((uint64_t)rank[e->child] << 32) | date_key(e->decom),
			          later_first(w, e->ret), (uint32_t)i };
	}
	qsort(k, w->neps, sizeof *k, cmp_key);
	size_t n = 0;
	for (size_t i = 0; i < w->neps;) {
		const ep_row *win = &w->eps[k[i].idx];
		size_t nends = 0;
		if (!grow_array((void **)&ends, &ends_cap, 1, sizeof *ends))
			goto oom;
		ends[nends++] = w->rets[win->ret].end;
		size_t j = i + 1;
		for (; j < w->neps && w->eps[k[j].idx].child == win->child &&
		       w->eps[k[j].idx].decom == win->decom;
		     j++) {
			const ep_row *e = &w->eps[k[j].idx];
			const ep_row *prev = &w->eps[k[j - 1].idx];
			const char *file = w->files[e->file];
			if (e->ret == prev->ret) {
				rules_report(
				    &w->rb, CC_SSDA903_R_EPISODE_DUPLICATE, file, e->line,
				    "DECOM: expected one episode per child and start date in a "
				    "return, found another at line %u; row left out",
				    prev->line);
				continue;
			}
			if (!grow_array((void **)&ends, &ends_cap, nends + 1, sizeof *ends))
				goto oom;
			ends[nends++] = w->rets[e->ret].end;
			char diff[256];
			if (differences(e, win, diff, sizeof diff))
				rules_report(
				    &w->rb, CC_SSDA903_R_STITCH_CONFLICT, file, e->line,
				    "the same episode (child and DECOM) in the later return "
				    "%s:%u differs in %s; the later return is used",
				    w->files[win->file], win->line, diff);
		}
		ep_row r = *win;
		cc_date end = w->rets[win->ret].end;
		r.last_seen = end;
		uint32_t la = strtab_ns(&w->kids, win->child);
		const struct la_years *ly = &w->lay[la];
		if (r.dec == CC_SSDA903_OPEN && ly->n > 0 && ly->ends[ly->n - 1] > end) {
			r.flags |= CC_SSDA903_EP_LOST;
			rules_report(
			    &w->rb, CC_SSDA903_R_STITCH_LOST, w->files[win->file], win->line,
			    "expected this episode, open at the end of this return (31 March "
			    "%d), also in the LA's next return, found it in none later; kept "
			    "open with its end unknown",
			    year_of(end));
		}
		check_missing(w, win, ends, nends);
		res[n++] = r;
		i = j;
	}
	free(ends);
	free(k);
	*out = res;
	*nout = n;
	return CC_OK;
oom:
	free(ends);
	free(k);
	free(res);
	w->status = CC_ENOMEM;
	return CC_ENOMEM;
}
