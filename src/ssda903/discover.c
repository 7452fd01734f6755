/*
 * discover.c - finding the SSDA903 tables in a folder.
 *
 * Layouts found in practice: one folder per year (DIR/2019/header.csv), a year
 * in each file name (DIR/2019-episodes.csv), or no year at all (one return,
 * or pooled files whose LA and YEAR columns say where each row belongs). A
 * table is recognised by its header line, never by its file name, since every
 * tool names them differently; only the year comes from names. Files are
 * considered in name order so the result does not depend on the order the
 * file system lists them in.
 */
#include "internal.h"

#include "carecast/fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNIFF_BYTES 65536

struct cc_ssda903_files {
	cc_ssda903_input *inputs;
	size_t n, cap;
	struct skipped {
		char *path, *why;
	} * skipped;
	size_t nskipped, skipped_cap;
	char **owned; /* the path strings the inputs point to */
	size_t nowned, owned_cap;
};

typedef struct {
	char *path;
	int year, is_end;
	int episodes; /* 1 Episodes, 0 Header */
} found;

typedef struct {
	found *v;
	size_t n, cap;
} found_list;

static int skip(cc_ssda903_files *f, const char *path, const char *why)
{
	if (!grow_array((void **)&f->skipped, &f->skipped_cap, f->nskipped + 1, sizeof *f->skipped))
		return 0;
	char *p = strdup(path), *y = strdup(why);
	if (!p || !y) {
		free(p);
		free(y);
		return 0;
	}
	f->skipped[f->nskipped++] = (struct skipped){ p, y };
	return 1;
}

/* Reads the first line of a regular file and says which table it is. */
static table_kind sniff(const char *path, const char **name, int *unreadable)
{
	*name = NULL;
	*unreadable = 1;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return TK_UNKNOWN;
	struct stat st;
	char *buf = malloc(SNIFF_BYTES);
	ssize_t got = -1;
	if (buf && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		do
			got = read(fd, buf, SNIFF_BYTES);
		while (got < 0 && errno == EINTR);
	}
	close(fd);
	if (got < 0) {
		free(buf);
		return TK_UNKNOWN;
	}
	size_t len = (size_t)got;
	char *nl = memchr(buf, '\n', len);
	if (nl)
		len = (size_t)(nl - buf) + 1;
	cc_diags *d = cc_diags_alloc(1);
	cc_csv *t = NULL;
	table_kind k = TK_UNKNOWN;
	if (d && cc_csv_parse(path, buf, len, NULL, &t, d) == CC_OK) {
		*unreadable = 0;
		k = table_kind_of(t, name);
	}
	cc_csv_free(t);
	cc_diags_free(d);
	free(buf);
	return k;
}

static int ends_with_csv(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcasecmp(name + n - 4, ".csv") == 0;
}

static int consider(cc_ssda903_files *f, found_list *fl, const char *path, const char *base,
                    int year, int is_end)
{
	if (!ends_with_csv(base))
		return skip(f, path, "not a .csv file");
	const char *tname;
	int unreadable;
	table_kind k = sniff(path, &tname, &unreadable);
	if (unreadable)
		return skip(f, path, "cannot be read as a CSV file");
	if (k == TK_OTHER) {
		char why[96];
		snprintf(why, sizeof why, "the %s table; not used", tname);
		return skip(f, path, why);
	}
	if (k == TK_UNKNOWN)
		return skip(f, path,
		            "not an SSDA903 Header or Episodes table (its header line lacks the "
		            "columns)");
	if (!grow_array((void **)&fl->v, &fl->cap, fl->n + 1, sizeof *fl->v))
		return 0;
	char *p = strdup(path);
	if (!p)
		return 0;
	fl->v[fl->n++] = (found){ p, year, is_end, k == TK_EPISODES };
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted; NULL (and *n = 0) if it cannot be read. */
static char **list_dir(const char *dir, size_t *n, int *err)
{
	*n = 0;
	*err = 0;
	DIR *dp = opendir(dir);
	if (!dp) {
		*err = errno;
		return NULL;
	}
	char **v = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *s = strdup(e->d_name);
		if (!s || !grow_array((void **)&v, &cap, *n + 1, sizeof *v)) {
			free(s);
			*err = ENOMEM;
			break;
		}
		v[(*n)++] = s;
	}
	closedir(dp);
	if (*err == 0 && !v)
		v = malloc(sizeof *v);
	if (*err) {
		for (size_t i = 0; i < *n; i++)
			free(v[i]);
		free(v);
		*n = 0;
		return NULL;
	}
	if (*n > 1)
		qsort(v, *n, sizeof *v, cmp_str);
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Scans one folder; sub = 1 inside a yearly folder (year given). */
static int scan(cc_ssda903_files *f, found_list *fl, const char *dir, int sub, int year, int is_end,
                cc_diags *diags)
{
	size_t n;
	int err;
	char **names = list_dir(dir, &n, &err);
	if (!names) {
		if (err == ENOMEM)
			return CC_ENOMEM;
		cc_diags_add(diags, CC_DIAG_ERROR, dir, 0, 0, "cannot read the folder: %s",
		             strerror(err));
		return CC_EIO;
	}
	int rc = CC_OK;
	for (size_t i = 0; i < n && rc == CC_OK; i++) {
		char *path = cc_path_join(dir, names[i]);
		struct stat st;
		if (!path) {
			rc = CC_ENOMEM;
			break;
		}
		int y = year, e = is_end, ok = 1;
		if (stat(path, &st) != 0) {
			ok = skip(f, path, "cannot be examined");
		} else if (S_ISDIR(st.st_mode)) {
			if (sub)
				ok = skip(f, path, "a folder inside a yearly folder; not searched");
			else if (!year_in_name(names[i], &y, &e))
				ok = skip(f, path,
				          "a folder without a year in its name; not searched");
			else
				rc = scan(f, fl, path, 1, y, e, diags);
		} else if (!S_ISREG(st.st_mode)) {
			ok = skip(f, path, "not a regular file");
		} else {
			if (!sub && !year_in_name(names[i], &y, &e)) {
				y = 0;
				e = 0;
			}
			ok = consider(f, fl, path, names[i], y, e);
		}
		if (!ok)
			rc = CC_ENOMEM;
		free(path);
	}
	free_list(names, n);
	return rc;
}

static int cmp_found(const void *a, const void *b)
{
	const found *x = a, *y = b;
	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	if (x->is_end != y->is_end)
		return x->is_end < y->is_end ? -1 : 1;
	if (x->episodes != y->episodes)
		return x->episodes > y->episodes ? -1 : 1;
	return strcmp(x->path, y->path);
}

static void year_text(int year, int is_end, char *buf, size_t size)
{
	if (year == 0)
		snprintf(buf, size, "files without a year in their names");
	else if (is_end)
		snprintf(buf, size, "the year ending 31 March %d", year);
	else
		snprintf(buf, size, "year %d", year);
}

/* Groups the tables by year into inputs. */
static int group(cc_ssda903_files *f, found_list *fl, const char *dir, cc_diags *diags)
{
	if (fl->n > 1)
		qsort(fl->v, fl->n, sizeof *fl->v, cmp_found);
	int rc = CC_OK;
	for (size_t i = 0; i < fl->n;) {
		size_t j = i;
		size_t neps = 0, nhd = 0, ep = 0, hd = 0;
		for (; j < fl->n && fl->v[j].year == fl->v[i].year &&
		       fl->v[j].is_end == fl->v[i].is_end;
		     j++) {
			if (fl->v[j].episodes && neps++ == 0)
				ep = j;
			if (!fl->v[j].episodes && nhd++ == 0)
				hd = j;
		}
		char when[64];
		year_text(fl->v[i].year, fl->v[i].is_end, when, sizeof when);
		if (neps != 1 || nhd > 1) {
			for (size_t k = i; k < j; k++)
				cc_diags_add(
				    diags, CC_DIAG_ERROR, fl->v[k].path, 0, 0,
				    "expected one Episodes table and at most one Header table "
				    "for %s, found %zu and %zu: this is one of them "
				    "(name the files of each return explicitly)",
				    when, neps, nhd);
			rc = CC_EPARSE;
			i = j;
			continue;
		}
		if (!grow_array((void **)&f->inputs, &f->cap, f->n + 1, sizeof *f->inputs) ||
		    !grow_array((void **)&f->owned, &f->owned_cap, f->nowned + 2, sizeof *f->owned))
			return CC_ENOMEM;
		cc_ssda903_input *in = &f->inputs[f->n++];
		memset(in, 0, sizeof *in);
		in->episodes = f->owned[f->nowned++] = fl->v[ep].path;
		fl->v[ep].path = NULL;
		if (nhd) {
			in->header = f->owned[f->nowned++] = fl->v[hd].path;
			fl->v[hd].path = NULL;
		}
		in->year = fl->v[i].year;
		in->year_is_end = fl->v[i].is_end;
		i = j;
	}
	if (rc == CC_OK && f->n == 0) {
		cc_diags_add(diags, CC_DIAG_ERROR, dir, 0, 0,
		             "expected SSDA903 Episodes tables (CSV files with CHILD, DECOM, RNE, "
		             "LS and PLACE columns), found none");
		rc = CC_EPARSE;
	}
	return rc;
}

int cc_ssda903_discover(const char *dir, cc_ssda903_files **out, cc_diags *diags)
{
	*out = NULL;
	cc_ssda903_files *f = calloc(1, sizeof *f);
	if (!f)
		return CC_ENOMEM;
	found_list fl = { NULL, 0, 0 };
	int rc = scan(f, &fl, dir, 0, 0, 0, diags);
	if (rc == CC_OK)
		rc = group(f, &fl, dir, diags);
	for (size_t i = 0; i < fl.n; i++)
		free(fl.v[i].path);
	free(fl.v);
	if (rc != CC_OK) {
		if (rc == CC_ENOMEM)
			cc_diags_add(diags, CC_DIAG_ERROR, dir, 0, 0, "out of memory");
		cc_ssda903_files_free(f);
		return rc;
	}
	*out = f;
	return CC_OK;
}

void cc_ssda903_files_free(cc_ssda903_files *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nowned; i++)
		free(f->owned[i]);
	for (size_t i = 0; i < f->nskipped; i++) {
		free(f->skipped[i].path);
		free(f->skipped[i].why);
	}
	free(f->owned);
	free(f->skipped);
	free(f->inputs);
	free(f);
}

size_t cc_ssda903_files_count(const cc_ssda903_files *f) { return f->n; }
const cc_ssda903_input *cc_ssda903_files_inputs(const cc_ssda903_files *f) { return f->inputs; }
size_t cc_ssda903_files_nskipped(const cc_ssda903_files *f) { return f->nskipped; }

const char *cc_ssda903_files_skipped(const cc_ssda903_files *f, size_t i, const char **why)
{
	if (i >= f->nskipped) {
		if (why)
			*why = "";
		return "";
	}
	if (why)
		*why = f->skipped[i].why;
	return f->skipped[i].path;
}
