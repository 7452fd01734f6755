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
 * Rows are ordered as a sort on the keys (child rank, DECOM, latest return
 * first, reading order) would order them, without sorting them all: a
 * counting sort on the child's rank (a dense number per child) groups each
 * child's rows, and only each child's few rows are sorted on their keys. So
 * ordering is linear in the rows whatever the number of years; it needs 4
 * bytes per row and per child. The stitched episodes are gathered into a new
 * array in that order; the rows read are freed after.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ordering ----------------------------------------------------------------- */

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

/* Sorts the keys of one child's rows: insertion sort for the few rows a
 * child usually has, qsort beyond. cmp_key is a total order (idx breaks
 * ties), so the result is the same either way. */
static void sort_keys(sortkey *k, size_t n)
{
	if (n > 32) {
		qsort(k, n, sizeof *k, cmp_key);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		sortkey v = k[i];
		size_t j = i;
		for (; j > 0 && cmp_key(&k[j - 1], &v) > 0; j--)
			k[j] = k[j - 1];
		k[j] = v;
	}
}

/* Row indices ordered by the child's rank: a counting sort over the ranks
 * (a permutation of the children), stable, so each child's rows stay in
 * reading order. *bounds gets, for each rank, where its rows start (nkids + 1
 * entries). child(w, i) is row i's child. NULL when out of memory. */
static uint32_t *order_by_child(const work *w, const uint32_t *rank, size_t n,
                                uint32_t (*child)(const work *, size_t), uint32_t **bounds)
{
	size_t nkids = w->kids.n;
	uint32_t *order = malloc((n ? n : 1) * sizeof *order);
	uint32_t *start = calloc(nkids + 2, sizeof *start);
	if (!order || !start) {
		free(order);
		free(start);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		start[rank[child(w, i)] + 2]++;
	for (size_t r = 2; r < nkids + 2; r++)
		start[r] += start[r - 1];
	/* start[r + 1] is now where rank r begins; filling moves it to its end. */
	for (size_t i = 0; i < n; i++)
		order[start[rank[child(w, i)] + 1]++] = (uint32_t)i;
	*bounds = start;
	return order;
}

static uint32_t hd_child(const work *w, size_t i) { return w->hds[i].child; }
static uint32_t ep_child(const work *w, size_t i) { return w->eps[i].child; }

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

/* Row indices 0 .. n-1 in the order of the keys (child rank, then the keys
 * keys() gives a row: DECOM, latest return first, reading order): by child
 * with order_by_child, then each child's rows by their keys. NULL when out of
 * memory. */
static uint32_t *order_rows(const work *w, const uint32_t *rank, size_t n,
                            uint32_t (*child)(const work *, size_t),
                            void (*keys)(const work *, size_t, sortkey *))
{
	uint32_t *bounds = NULL;
	uint32_t *order = order_by_child(w, rank, n, child, &bounds);
	if (!order)
		return NULL;
	sortkey *k = NULL;
	size_t kcap = 0;
	for (size_t r = 0; r < w->kids.n; r++) {
		size_t from = bounds[r], m = bounds[r + 1] - from;
		if (m < 2)
			continue;
		if (!grow_array((void **)&k, &kcap, m, sizeof *k)) {
			free(order);
			order = NULL;
			break;
		}
		for (size_t i = 0; i < m; i++)
			keys(w, order[from + i], &k[i]);
		sort_keys(k, m);
		for (size_t i = 0; i < m; i++)
			order[from + i] = k[i].idx;
	}
	free(k);
	free(bounds);
	return order;
}

static void hd_keys(const work *w, size_t i, sortkey *k)
{
	*k = (sortkey){ 0, later_first(w, w->hds[i].ret), (uint32_t)i };
}

static void ep_keys(const work *w, size_t i, sortkey *k)
{
	const ep_row *e = &w->eps[i];
	*k = (sortkey){ date_key(e->decom), later_first(w, e->ret), (uint32_t)i };
}

/* ---- Header rows ------------------------------------------------------------ */

void resolve_headers(work *w, const uint32_t *rank)
{
	uint32_t *order = order_rows(w, rank, w->nhds, hd_child, hd_keys);
	if (!order) {
		w->status = CC_ENOMEM;
		return;
	}
	for (size_t i = 0; i < w->nhds;) {
		const hd_row *win = &w->hds[order[i]];
		struct kid *kid = &w->kid[win->child];
		kid->dob = win->dob;
		kid->sex = win->sex;
		kid->state = KID_OK;
		const hd_row *first = win; /* first row of the current return */
		size_t j = i + 1;
		for (; j < w->nhds && w->hds[order[j]].child == win->child; j++) {
			const hd_row *h = &w->hds[order[j]];
			const char *file = hd_path(w, h);
			if (h->ret != first->ret) {
				first = h;
				if (h->dob != win->dob || h->sex != win->sex)
					rules_report(
					    &w->rb, CC_SSDA903_R_HEADER_CHANGED, file, h->line,
					    "%s: differs from the child's Header row in the later "
					    "return %s:%u, which is used",
					    h->dob != win->dob ? "DOB" : "SEX", hd_path(w, win),
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
	free(order);
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
	/* Most repeated rows agree: settle that before formatting anything. */
	if (old->place == win->place && old->rne == win->rne && old->ls == win->ls &&
	    old->cin == win->cin && old->provider == win->provider &&
	    (old->dec == CC_SSDA903_OPEN || old->dec == win->dec) &&
	    (old->rec == CC_REC_BLANK || old->rec == win->rec) &&
	    (old->reason == CC_RPC_BLANK || old->reason == win->reason))
		return 0;
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
		cc_date e = ly->ends[i], start = ly->starts[i];
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
	rules_report(&w->rb, CC_SSDA903_R_STITCH_MISSING, ep_path(w, win), win->line,
	             "expected this episode also in the LA's return for the year ending 31 "
	             "March %d%s, whose collection year it overlaps, found it in %zu other "
	             "return%s only",
	             year_of(first_missing), more, n, n > 1 ? "s" : "");
}

int stitch_episodes(work *w, const uint32_t *rank, ep_row **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	uint32_t *order = order_rows(w, rank, w->neps, ep_child, ep_keys);
	if (!order) {
		w->status = CC_ENOMEM;
		return CC_ENOMEM;
	}
	const ep_row *eps = w->eps;
	ep_row *res = malloc((w->neps ? w->neps : 1) * sizeof *res);
	if (!res) {
		free(order);
		w->status = CC_ENOMEM;
		return CC_ENOMEM;
	}
	cc_date *ends = NULL;
	size_t ends_cap = 0;
	size_t n = 0;
	for (size_t i = 0; i < w->neps;) {
		const ep_row *win = &eps[order[i]];
		size_t nends = 0;
		if (!grow_array((void **)&ends, &ends_cap, 1, sizeof *ends))
			goto oom;
		ends[nends++] = w->rets[win->ret].end;
		size_t j = i + 1;
		for (; j < w->neps && eps[order[j]].child == win->child &&
		       eps[order[j]].decom == win->decom;
		     j++) {
			const ep_row *e = &eps[order[j]];
			const ep_row *prev = &eps[order[j - 1]];
			const char *file = ep_path(w, e);
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
				    ep_path(w, win), win->line, diff);
		}
		ep_row r = *win;
		cc_date end = w->rets[win->ret].end;
		uint32_t la = strtab_ns(&w->kids, win->child);
		const struct la_years *ly = &w->lay[la];
		if (r.dec == CC_SSDA903_OPEN && ly->n > 0 && ly->ends[ly->n - 1] > end) {
			r.flags |= CC_SSDA903_EP_LOST;
			rules_report(
			    &w->rb, CC_SSDA903_R_STITCH_LOST, ep_path(w, win), win->line,
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
	free(order);
	/* Give back the room of the rows stitched away. */
	ep_row *fit = realloc(res, (n ? n : 1) * sizeof *res);
	*out = fit ? fit : res;
	*nout = n;
	return CC_OK;
oom:
	free(ends);
	free(order);
	free(res);
	w->status = CC_ENOMEM;
	return CC_ENOMEM;
}
