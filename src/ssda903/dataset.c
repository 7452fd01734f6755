/*
 * dataset.c - cc_ssda903_read, which runs the stages (internal.h), and the
 * finished dataset with its accessors.
 *
 * The finished dataset holds no identifiers: children are numbered in the
 * order of (LA name, CHILD), and the CHILD strings, kept only in the work
 * area to link rows, are freed with it.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct cc_ssda903 {
	char **files;
	size_t nfiles;
	char **la_names;
	cc_ssda903_la *las;
	size_t nlas;
	cc_ssda903_child *children;
	size_t nchildren;
	cc_ssda903_episode *episodes;
	size_t nepisodes;
	cc_ssda903_return *returns;
	size_t nreturns;
	cc_ssda903_quality quality;
	cc_ssda903_year_label labels;
};

/* ---- the work area ------------------------------------------------------------ */

uint32_t work_file(work *w, const char *path)
{
	for (size_t i = 0; i < w->nfiles; i++)
		if (strcmp(w->files[i], path) == 0)
			return (uint32_t)i;
	if (!grow_array((void **)&w->files, &w->files_cap, w->nfiles + 1, sizeof *w->files))
		return NONE32;
	char *p = strdup(path);
	if (!p)
		return NONE32;
	w->files[w->nfiles] = p;
	return (uint32_t)w->nfiles++;
}

/* Compares a selected name (any surrounding blanks) with an LA name. */
static int same_la(const char *sel, const char *name)
{
	while (*sel == ' ' || *sel == '\t')
		sel++;
	size_t n = strlen(sel);
	while (n > 0 && (sel[n - 1] == ' ' || sel[n - 1] == '\t'))
		n--;
	return strlen(name) == n && strncasecmp(sel, name, n) == 0;
}

uint32_t work_la(work *w, const char *name)
{
	/* Rows of one LA tend to come together: try the last one first. */
	if (w->last_la != NONE32 && strcmp(strtab_str(&w->las, w->last_la), name) == 0)
		return w->last_la;
	size_t before = w->las.n;
	uint32_t la = strtab_intern(&w->las, 0, name);
	if (la == NONE32 || w->las.n == before)
		return w->last_la = la;
	if (!grow_array((void **)&w->la_sel, &w->la_sel_cap, w->las.n, 1))
		return NONE32;
	uint8_t sel = w->opts.nlas == 0;
	for (size_t i = 0; i < w->opts.nlas && !sel; i++)
		sel = (uint8_t)same_la(w->opts.las[i], name);
	w->la_sel[la] = sel;
	return w->last_la = la;
}

uint32_t work_kid(work *w, uint32_t la, const char *child, int have_hash, uint32_t hash)
{
	/* A child's rows tend to come together: try the last one first. */
	uint32_t last = w->last_kid;
	if (last != NONE32 && strtab_ns(&w->kids, last) == la &&
	    strcmp(strtab_str(&w->kids, last), child) == 0)
		return last;
	size_t before = w->kids.n;
	uint32_t k = have_hash ? strtab_intern_hashed(&w->kids, la, child, hash)
	                       : strtab_intern(&w->kids, la, child);
	if (k == NONE32 || w->kids.n == before)
		return w->last_kid = k;
	if (!grow_array((void **)&w->kid, &w->kid_cap, w->kids.n, sizeof *w->kid))
		return NONE32;
	memset(&w->kid[k], 0, sizeof w->kid[k]);
	return w->last_kid = k;
}

static void work_free(work *w)
{
	for (size_t i = 0; i < w->nfiles; i++)
		free(w->files[i]);
	free(w->files);
	strtab_free(&w->las);
	free(w->la_sel);
	strtab_free(&w->kids);
	free(w->kid);
	u64map_free(&w->retmap);
	free(w->rets);
	free(w->eps);
	free(w->hds);
	for (size_t i = 0; i < w->nlay; i++) {
		free(w->lay[i].ends);
		free(w->lay[i].starts);
	}
	free(w->lay);
}

/* ---- ordering ------------------------------------------------------------------ */

typedef struct {
	uint32_t la_rank;
	uint32_t idx;
	uint64_t k1, k2; /* the first 16 characters folded as strcasecmp folds them */
	const char *text;
} named;

/* Bytes 8 * part .. 8 * part + 7 of s, lower-cased as strcasecmp does in the
 * C locale, big-endian and padded with zeros: comparing two such keys as
 * integers compares those bytes as strcasecmp would. */
static uint64_t fold_key(const char *s, size_t len, size_t part)
{
	uint64_t k = 0;
	for (size_t i = 8 * part; i < 8 * part + 8; i++) {
		unsigned char c = i < len ? (unsigned char)s[i] : 0;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		k = k << 8 | c;
	}
	return k;
}

static int cmp_named(const void *p, const void *q)
{
	const named *x = p, *y = q;
	if (x->la_rank != y->la_rank)
		return x->la_rank < y->la_rank ? -1 : 1;
	/* strcasecmp, settled on the first 16 characters where they differ */
	int c = x->k1 != y->k1   ? (x->k1 < y->k1 ? -1 : 1)
	        : x->k2 != y->k2 ? (x->k2 < y->k2 ? -1 : 1)
	                         : strcasecmp(x->text, y->text);
	if (!c)
		c = strcmp(x->text, y->text);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* rank[i] = position of item i of t when sorted by (rank of its namespace
 * under ns_rank, or 0, then text). */
static uint32_t *ranks(const strtab *t, const uint32_t *ns_rank)
{
	size_t n = t->n;
	named *v = malloc((n ? n : 1) * sizeof *v);
	uint32_t *rank = malloc((n ? n : 1) * sizeof *rank);
	if (!v || !rank) {
		free(v);
		free(rank);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = strtab_str(t, (uint32_t)i);
		size_t len = strlen(s);
		v[i] = (named){ ns_rank ? ns_rank[strtab_ns(t, (uint32_t)i)] : 0, (uint32_t)i,
			        fold_key(s, len, 0), fold_key(s, len, 1), s };
	}
	qsort(v, n, sizeof *v, cmp_named);
	for (size_t i = 0; i < n; i++)
		rank[v[i].idx] = (uint32_t)i;
	free(v);
	return rank;
}

/* ---- building the dataset ------------------------------------------------------ */

static int cmp_return(const void *p, const void *q)
{
	const cc_ssda903_return *x = p, *y = q;
	if (x->la != y->la)
		return x->la < y->la ? -1 : 1;
	return (x->year_end > y->year_end) - (x->year_end < y->year_end);
}

static cc_ssda903 *build(work *w, const uint32_t *la_rank, const ep_row *st, size_t nst)
{
	cc_ssda903 *ds = calloc(1, sizeof *ds);
	if (!ds)
		return NULL;
	size_t nlas_all = w->las.n;
	uint32_t *la_new = malloc((nlas_all ? nlas_all : 1) * sizeof *la_new);
	uint32_t *by_rank = malloc((nlas_all ? nlas_all : 1) * sizeof *by_rank);
	size_t kept = 0;
	for (size_t i = 0; i < nst; i++)
		kept += !(st[i].flags & EPF_DROP);
	ds->las = calloc(nlas_all ? nlas_all : 1, sizeof *ds->las);
	ds->la_names = calloc(nlas_all ? nlas_all : 1, sizeof *ds->la_names);
	ds->episodes = malloc((kept ? kept : 1) * sizeof *ds->episodes);
	ds->children = malloc((kept ? kept : 1) * sizeof *ds->children);
	ds->returns = malloc((w->nrets ? w->nrets : 1) * sizeof *ds->returns);
	if (!la_new || !by_rank || !ds->las || !ds->la_names || !ds->episodes || !ds->children ||
	    !ds->returns)
		goto oom;
	for (size_t la = 0; la < nlas_all; la++)
		by_rank[la_rank[la]] = (uint32_t)la;
	for (size_t r = 0; r < nlas_all; r++) {
		uint32_t la = by_rank[r];
		la_new[la] = NONE32;
		if (!w->la_sel[la] || la >= w->nlay || w->lay[la].n == 0)
			continue;
		const struct la_years *ly = &w->lay[la];
		cc_ssda903_la *l = &ds->las[ds->nlas];
		ds->la_names[ds->nlas] = strdup(strtab_str(&w->las, la));
		if (!ds->la_names[ds->nlas])
			goto oom;
		l->name = ds->la_names[ds->nlas];
		l->first_year_end = ly->ends[0];
		l->last_year_end = ly->ends[ly->n - 1];
		l->nyears = ly->n;
		la_new[la] = (uint32_t)ds->nlas++;
	}
	for (size_t i = 0; i < nst;) {
		size_t j = i, n = 0;
		for (; j < nst && st[j].child == st[i].child; j++)
			n += !(st[j].flags & EPF_DROP);
		if (n > 0) {
			const struct kid *kid = &w->kid[st[i].child];
			uint32_t la = la_new[strtab_ns(&w->kids, st[i].child)];
			cc_ssda903_child *c = &ds->children[ds->nchildren];
			c->la = la;
			c->dob = kid->dob;
			c->sex = kid->sex;
			c->first_episode = ds->nepisodes;
			c->nepisodes = n;
			cc_ssda903_la *l = &ds->las[la];
			if (l->nchildren++ == 0)
				l->first_child = ds->nchildren;
			for (size_t k = i; k < j; k++) {
				const ep_row *e = &st[k];
				if (e->flags & EPF_DROP)
					continue;
				ds->episodes[ds->nepisodes++] = (cc_ssda903_episode){
					.child = ds->nchildren,
					.decom = e->decom,
					.dec = e->dec,
					.last_seen = w->rets[e->ret].end,
					.rne = e->rne,
					.ls = e->ls,
					.cin = e->cin,
					.place = e->place,
					.provider = e->provider,
					.rec = e->rec,
					.reason = e->reason,
					.flags = (uint8_t)(e->flags & ~EPF_DROP),
					.file = (uint32_t)w->rets[e->ret].ep_file,
					.line = e->line,
				};
			}
			ds->nchildren++;
		}
		i = j;
	}
	for (size_t r = 0; r < w->nrets; r++) {
		const ret_info *ri = &w->rets[r];
		if (ri->nep == 0 || la_new[ri->la] == NONE32)
			continue;
		ds->returns[ds->nreturns++] = (cc_ssda903_return){
			.la = la_new[ri->la],
			.year_end = ri->end,
			.year_source = ri->source,
			.episodes_file = ri->ep_file,
			.header_file = ri->hd_file,
			.episode_rows = ri->nep,
		};
	}
	qsort(ds->returns, ds->nreturns, sizeof *ds->returns, cmp_return);
	ds->files = w->files;
	ds->nfiles = w->nfiles;
	w->files = NULL;
	w->nfiles = 0;
	ds->labels = w->labels;
	free(la_new);
	free(by_rank);
	return ds;
oom:
	free(la_new);
	free(by_rank);
	cc_ssda903_free(ds);
	return NULL;
}

/* ---- reading ----------------------------------------------------------------------- */

static int check_selection(work *w)
{
	int rc = CC_OK;
	for (size_t i = 0; i < w->opts.nlas; i++) {
		const char *sel = w->opts.las[i];
		int found = 0;
		for (uint32_t la = 0; la < w->las.n && !found; la++)
			found = same_la(sel, strtab_str(&w->las, la));
		if (found)
			continue;
		char list[512] = "";
		for (uint32_t la = 0; la < w->las.n; la++) {
			size_t used = strlen(list);
			const char *name = strtab_str(&w->las, la);
			snprintf(list + used, sizeof list - used, "%s%s", la ? ", " : "",
			         *name ? name : "an unnamed LA: the files have no LA column");
		}
		cc_diags_add(w->diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "LA selection: expected one of the LAs in the data (%s), found \"%s\"",
		             list, sel);
		rc = CC_EINVAL;
	}
	return rc;
}

int cc_ssda903_read(const cc_ssda903_input *inputs, size_t ninputs, const cc_ssda903_opts *opts,
                    cc_ssda903 **out, cc_ssda903_quality *quality, cc_diags *diags)
{
	*out = NULL;
	if (quality)
		memset(quality, 0, sizeof *quality);
	if (!inputs || ninputs == 0) {
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "expected at least one SSDA903 Episodes file, found none");
		return CC_EINVAL;
	}
	for (size_t i = 0; i < ninputs; i++) {
		if (!inputs[i].episodes) {
			cc_diags_add(diags, CC_DIAG_ERROR, inputs[i].header, 0, 0,
			             "expected an Episodes file to go with this Header file, found "
			             "none");
			return CC_EINVAL;
		}
	}
	work w;
	memset(&w, 0, sizeof w);
	if (opts)
		w.opts = *opts;
	w.diags = diags;
	w.last_la = NONE32;
	w.last_kid = NONE32;
	rules_init(&w.rb, diags, w.opts.strict, w.opts.messages_per_rule);
	strtab_init(&w.las, 1);
	strtab_init(&w.kids, 0);
	u64map_init(&w.retmap);
	uint32_t *la_rank = NULL, *rank = NULL;
	ep_row *st = NULL;
	size_t nst = 0;
	cc_ssda903 *ds = NULL;
	for (size_t i = 0; i < ninputs && w.status != CC_ENOMEM; i++) {
		int before = w.status;
		w.status = CC_OK;
		read_input(&w, i, &inputs[i]);
		if (before != CC_OK && w.status != CC_ENOMEM)
			w.status = before;
	}
	if (w.status == CC_OK && w.opts.nlas > 0)
		w.status = check_selection(&w);
	if (w.status != CC_OK)
		goto finish;
	la_rank = ranks(&w.las, NULL);
	rank = la_rank ? ranks(&w.kids, la_rank) : NULL;
	if (!rank) {
		w.status = CC_ENOMEM;
		goto finish;
	}
	resolve_years(&w);
	if (w.status != CC_OK)
		goto finish;
	resolve_headers(&w, rank);
	/* The children now hold what their Header rows said. */
	free(w.hds);
	w.hds = NULL;
	w.nhds = w.hds_cap = 0;
	if (w.status != CC_OK || stitch_episodes(&w, rank, &st, &nst) != CC_OK)
		goto finish;
	free(w.eps);
	w.eps = NULL;
	validate_children(&w, st, nst);
	ds = build(&w, la_rank, st, nst);
	if (!ds)
		w.status = CC_ENOMEM;
	else if (w.opts.strict && rules_errors(&w.rb) > 0)
		w.status = CC_EPARSE;
finish:
	if (w.status == CC_ENOMEM)
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "out of memory reading SSDA903 data");
	{
		cc_ssda903_quality q;
		memset(&q, 0, sizeof q);
		rules_finish(&w.rb, &q);
		q.header_rows = w.header_rows;
		q.episode_rows = w.episode_rows;
		q.other_la_rows = w.other_la_rows;
		if (ds) {
			q.children = ds->nchildren;
			q.episodes = ds->nepisodes;
			ds->quality = q;
		}
		if (quality)
			*quality = q;
	}
	free(st);
	free(rank);
	free(la_rank);
	work_free(&w);
	if (w.status != CC_OK) {
		cc_ssda903_free(ds);
		return w.status;
	}
	*out = ds;
	return CC_OK;
}

/* ---- the dataset ------------------------------------------------------------------ */

void cc_ssda903_free(cc_ssda903 *ds)
{
	if (!ds)
		return;
	for (size_t i = 0; i < ds->nfiles; i++)
		free(ds->files[i]);
	free(ds->files);
	if (ds->la_names)
		for (size_t i = 0; i < ds->nlas; i++)
			free(ds->la_names[i]);
	free(ds->la_names);
	free(ds->las);
	free(ds->children);
	free(ds->episodes);
	free(ds->returns);
	free(ds);
}

size_t cc_ssda903_nlas(const cc_ssda903 *ds) { return ds->nlas; }
size_t cc_ssda903_nchildren(const cc_ssda903 *ds) { return ds->nchildren; }
size_t cc_ssda903_nepisodes(const cc_ssda903 *ds) { return ds->nepisodes; }
size_t cc_ssda903_nreturns(const cc_ssda903 *ds) { return ds->nreturns; }
size_t cc_ssda903_nfiles(const cc_ssda903 *ds) { return ds->nfiles; }
const cc_ssda903_quality *cc_ssda903_summary(const cc_ssda903 *ds) { return &ds->quality; }
cc_ssda903_year_label cc_ssda903_year_labels(const cc_ssda903 *ds) { return ds->labels; }

const cc_ssda903_la *cc_ssda903_la_at(const cc_ssda903 *ds, size_t i)
{
	return i < ds->nlas ? &ds->las[i] : NULL;
}

const cc_ssda903_child *cc_ssda903_child_at(const cc_ssda903 *ds, size_t i)
{
	return i < ds->nchildren ? &ds->children[i] : NULL;
}

const cc_ssda903_episode *cc_ssda903_episode_at(const cc_ssda903 *ds, size_t i)
{
	return i < ds->nepisodes ? &ds->episodes[i] : NULL;
}

const cc_ssda903_return *cc_ssda903_return_at(const cc_ssda903 *ds, size_t i)
{
	return i < ds->nreturns ? &ds->returns[i] : NULL;
}

const char *cc_ssda903_file(const cc_ssda903 *ds, size_t i)
{
	return i < ds->nfiles ? ds->files[i] : "";
}

size_t cc_ssda903_episode_on(const cc_ssda903 *ds, size_t child, cc_date date)
{
	if (child >= ds->nchildren)
		return CC_SSDA903_NONE;
	const cc_ssda903_child *c = &ds->children[child];
	/* The last episode with decom <= date. */
	size_t lo = c->first_episode, hi = c->first_episode + c->nepisodes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ds->episodes[mid].decom <= date)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->first_episode)
		return CC_SSDA903_NONE;
	const cc_ssda903_episode *e = &ds->episodes[lo - 1];
	return date < e->dec ? lo - 1 : CC_SSDA903_NONE;
}
