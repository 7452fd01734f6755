/*
 * years.c - the collection year of every return.
 *
 * A collection year runs from 1 April to the 31 March that closes it, and a
 * return holds every episode open at some time in it: DECOM on or before the
 * closing 31 March, and DEC (if any) on or after the opening 1 April. That
 * gives a test of any candidate year for a return: how many of its episodes
 * fit it.
 *
 * Labels such as "2019" (a folder or file name, or the YEAR column) are used
 * both ways in practice: DfE publications call the year ending 31 March 2019
 * "2019", while extracts such as the cs-demand-model samples call it by the
 * year it starts. Unless the caller says which (opts.year_label), every label
 * is read the way that fits more episodes across all labelled returns, with
 * DfE's reading on a tie. A return with no label gets the candidate year that
 * fits most of its episodes, the earliest on a tie, which is the first 31
 * March on or after its latest DECOM when the data are clean.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cc_date year_start(cc_date end)
{
	int y, m, d;
	cc_date_to_ymd(end, &y, &m, &d);
	return march31(y - 1) + 1;
}

static size_t fits(const ep_row *eps, const uint32_t *idx, size_t n, cc_date end)
{
	cc_date start = year_start(end);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const ep_row *e = &eps[idx[i]];
		k += e->decom <= end && (e->dec == CC_SSDA903_OPEN || e->dec >= start);
	}
	return k;
}

static int cmp_date(const void *a, const void *b)
{
	cc_date x = *(const cc_date *)a, y = *(const cc_date *)b;
	return (x > y) - (x < y);
}

/* The best fitting year end for a return with no label. */
static cc_date from_data(const ep_row *eps, const uint32_t *idx, size_t n, cc_date *cand)
{
	size_t nc = 0;
	for (size_t i = 0; i < n; i++) {
		const ep_row *e = &eps[idx[i]];
		cand[nc++] = year_end_of(e->decom);
		if (e->dec != CC_SSDA903_OPEN)
			cand[nc++] = year_end_of(e->dec);
	}
	qsort(cand, nc, sizeof *cand, cmp_date);
	cc_date best = 0;
	size_t best_fit = 0;
	for (size_t i = 0; i < nc; i++) {
		if (i > 0 && cand[i] == cand[i - 1])
			continue;
		size_t f = fits(eps, idx, n, cand[i]);
		if (f > best_fit) {
			best_fit = f;
			best = cand[i];
		}
	}
	return best;
}

void la_label(const work *w, uint32_t la, char *buf, size_t size)
{
	const char *name = strtab_str(&w->las, la);
	if (*name)
		snprintf(buf, size, "LA %s", name);
	else
		snprintf(buf, size, "the data");
}

int la_has_year(const work *w, uint32_t la, cc_date year_end)
{
	if (la >= w->nlay)
		return 0;
	const struct la_years *ly = &w->lay[la];
	size_t lo = 0, hi = ly->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ly->ends[mid] == year_end)
			return 1;
		if (ly->ends[mid] < year_end)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int year_of(cc_date d)
{
	int y, m, dd;
	cc_date_to_ymd(d, &y, &m, &dd);
	return y;
}

/* Fills w->lay from the returns that have episodes; reports a year read
 * twice (file) and years missing between two read (year-missing). */
static void la_years(work *w)
{
	size_t nlas = w->las.n;
	w->lay = calloc(nlas ? nlas : 1, sizeof *w->lay);
	if (!w->lay) {
		w->status = CC_ENOMEM;
		return;
	}
	w->nlay = nlas;
	uint32_t *order = malloc((w->nrets ? w->nrets : 1) * sizeof *order);
	if (!order) {
		w->status = CC_ENOMEM;
		return;
	}
	size_t n = 0;
	for (size_t r = 0; r < w->nrets; r++)
		if (w->rets[r].nep > 0)
			order[n++] = (uint32_t)r;
	/* Sort by (LA, year end): a few hundred returns at most. */
	for (size_t i = 1; i < n; i++) {
		uint32_t v = order[i];
		size_t j = i;
		while (j > 0 && (w->rets[order[j - 1]].la > w->rets[v].la ||
		                 (w->rets[order[j - 1]].la == w->rets[v].la &&
		                  w->rets[order[j - 1]].end > w->rets[v].end))) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
	for (size_t i = 0; i < n && w->status == CC_OK; i++) {
		const ret_info *r = &w->rets[order[i]];
		struct la_years *ly = &w->lay[r->la];
		char who[160];
		la_label(w, r->la, who, sizeof who);
		if (ly->n > 0 && ly->ends[ly->n - 1] == r->end) {
			const ret_info *p = &w->rets[order[i - 1]];
			rules_report(
			    &w->rb, CC_SSDA903_R_FILE, w->files[r->ep_file], 0,
			    "expected one return per collection year, found a second one for "
			    "%s and the year ending 31 March %d (also in %s)",
			    who, year_of(r->end), w->files[p->ep_file]);
			w->status = CC_EPARSE;
			continue;
		}
		if (ly->n > 0) {
			for (int y = year_of(ly->ends[ly->n - 1]) + 1; y < year_of(r->end); y++)
				rules_report(
				    &w->rb, CC_SSDA903_R_YEAR_MISSING, NULL, 0,
				    "%s: expected a return for the year ending 31 March %d, "
				    "between the returns read, found none",
				    who, y);
		}
		cc_date *ends = realloc(ly->ends, (ly->n + 1) * sizeof *ends);
		if (ends)
			ly->ends = ends;
		cc_date *starts = ends ? realloc(ly->starts, (ly->n + 1) * sizeof *starts) : NULL;
		if (!starts) {
			w->status = CC_ENOMEM;
			break;
		}
		ly->starts = starts;
		ly->starts[ly->n] = year_start(r->end);
		ly->ends[ly->n++] = r->end;
	}
	free(order);
}

void resolve_years(work *w)
{
	size_t nr = w->nrets;
	uint32_t *start = calloc(nr + 1, sizeof *start);
	uint32_t *idx = malloc((w->neps ? w->neps : 1) * sizeof *idx);
	cc_date *cand = malloc((2 * w->neps + 1) * sizeof *cand);
	if (!start || !idx || !cand) {
		w->status = CC_ENOMEM;
		goto cleanup;
	}
	/* Episodes grouped by return (counting sort). */
	for (size_t i = 0; i < w->neps; i++)
		start[w->eps[i].ret + 1]++;
	for (size_t r = 0; r < nr; r++)
		start[r + 1] += start[r];
	{
		uint32_t *fill = malloc((nr + 1) * sizeof *fill);
		if (!fill) {
			w->status = CC_ENOMEM;
			goto cleanup;
		}
		memcpy(fill, start, (nr + 1) * sizeof *fill);
		for (size_t i = 0; i < w->neps; i++)
			idx[fill[w->eps[i].ret]++] = (uint32_t)i;
		free(fill);
	}
	/* How labels read: total fit of both readings over labelled returns. */
	size_t fit_ending = 0, fit_starting = 0, labelled = 0;
	for (size_t r = 0; r < nr; r++) {
		const ret_info *ri = &w->rets[r];
		if (ri->label == 0 || ri->label_is_end || ri->nep == 0)
			continue;
		labelled++;
		size_t n = start[r + 1] - start[r];
		fit_ending += fits(w->eps, idx + start[r], n, march31(ri->label));
		fit_starting += fits(w->eps, idx + start[r], n, march31(ri->label + 1));
	}
	int starting;
	if (w->opts.year_label == CC_SSDA903_YEAR_STARTING)
		starting = 1;
	else if (w->opts.year_label == CC_SSDA903_YEAR_ENDING)
		starting = 0;
	else
		starting = fit_starting > fit_ending;
	w->labels = labelled == 0 && w->opts.year_label == CC_SSDA903_YEAR_AUTO
	                ? CC_SSDA903_YEAR_AUTO
	                : (starting ? CC_SSDA903_YEAR_STARTING : CC_SSDA903_YEAR_ENDING);
	for (size_t r = 0; r < nr; r++) {
		ret_info *ri = &w->rets[r];
		if (ri->label && ri->label_is_end)
			ri->end = march31(ri->label);
		else if (ri->label)
			ri->end = march31(ri->label + starting);
		else if (ri->nep > 0)
			ri->end = from_data(w->eps, idx + start[r], start[r + 1] - start[r], cand);
	}
	/* A Header-only return without a label takes its input's year. */
	for (size_t r = 0; r < nr; r++) {
		ret_info *ri = &w->rets[r];
		if (ri->end != 0 || ri->nep > 0)
			continue;
		for (size_t q = 0; q < nr; q++)
			if (w->rets[q].input == ri->input && w->rets[q].la == ri->la &&
			    w->rets[q].nep > 0)
				ri->end = w->rets[q].end;
	}
	la_years(w);
	if (w->status != CC_OK)
		goto cleanup;
	/* Dates after the end of their return's year. */
	for (size_t i = 0; i < w->neps; i++) {
		const ep_row *e = &w->eps[i];
		cc_date end = w->rets[e->ret].end;
		int late_decom = e->decom > end;
		int late_dec = e->dec != CC_SSDA903_OPEN && e->dec > end;
		if (late_decom || late_dec)
			rules_report(
			    &w->rb, CC_SSDA903_R_DATE_AFTER_RETURN, ep_path(w, e), e->line,
			    "%s: expected a date on or before 31 March %d, which closes this "
			    "return's collection year, found a later one",
			    late_decom ? "DECOM" : "DEC", year_of(end));
	}
cleanup:
	free(cand);
	free(idx);
	free(start);
}
