/*
 * read.c - one input's Header and Episodes tables into rows of the work area.
 *
 * Each cell is checked where it is read, so a message can name the file, the
 * row's line and the column. A row with an error is left out and reading
 * goes on; a warning keeps the row with the cell marked BLANK or INVALID. No
 * message quotes a CHILD, a date or anything else that could identify a child
 * (describe_value decides what may be shown).
 *
 * Dates are DD/MM/YYYY (the return) or YYYY-MM-DD (pooled extracts); each
 * file uses one of the two, taken from its first date, and a date in the other
 * form is an error on that cell.
 */
#include "internal.h"

#include "carecast/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- recognising tables -------------------------------------------------- */

static const struct {
	table_kind kind;
	const char *name;
	const char *cols[6];
} kinds[] = {
	{ TK_EPISODES, "Episodes", { "CHILD", "DECOM", "RNE", "LS", "PLACE" } },
	{ TK_OTHER, "UASC", { "CHILD", "DUC" } },
	{ TK_HEADER, "Header", { "CHILD", "SEX", "DOB" } },
	{ TK_OTHER, "Reviews", { "CHILD", "REVIEW" } },
	{ TK_OTHER, "OC2", { "CHILD", "SDQ_SCORE" } },
	{ TK_OTHER, "OC3", { "CHILD", "IN_TOUCH" } },
	{ TK_OTHER, "AD1", { "CHILD", "DATE_INT" } },
	{ TK_OTHER, "PlacedAdoption", { "CHILD", "DATE_PLACED" } },
	{ TK_OTHER, "PrevPerm", { "CHILD", "PREV_PERM" } },
	{ TK_OTHER, "Missing", { "CHILD", "MIS_START" } },
	{ TK_OTHER, "SWEpisodes", { "CHILD", "SW_ID" } },
	{ TK_OTHER, "DoLo", { "CHILD", "DOLO_START" } },
};

table_kind table_kind_of(const cc_csv *t, const char **name)
{
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		int all = 1;
		for (size_t c = 0; c < 6 && kinds[k].cols[c] && all; c++)
			all = cc_csv_column(t, kinds[k].cols[c]) != CC_CSV_NOCOL;
		if (all) {
			*name = kinds[k].name;
			return kinds[k].kind;
		}
	}
	*name = NULL;
	return TK_UNKNOWN;
}

/* Looking children up is a random access into a table of megabytes, so the
 * reader asks for the slot of the child PREFETCH_AHEAD rows ahead while it
 * works on the current row, and keeps the hash for when it gets there. */
#define PREFETCH_AHEAD 12
#define PREFETCH_RING 16
_Static_assert(PREFETCH_RING > PREFETCH_AHEAD, "ring holds the rows ahead");

/* ---- one file ---------------------------------------------------------------- */

enum { FMT_UNKNOWN, FMT_DMY, FMT_ISO };

typedef struct {
	work *w;
	const cc_csv *t;
	const char *path;
	uint32_t file;
	size_t input;
	const cc_ssda903_input *in;
	int fmt;         /* date format of this file */
	size_t fmt_line; /* where it was seen first */
	size_t c_la, c_year, c_child;
	int name_year, name_is_end; /* from the episodes file's name */
	size_t row;
	size_t line;
	const char *child; /* the row's CHILD, for describe_value */
	int bad;           /* the row has an error */
	/* The return of the last row whose return was looked up. */
	int last_ret_ok, last_ret_label, last_ret_is_end;
	uint32_t last_ret, last_ret_la;
	/* The CHILD hashes of the rows ahead, their slots prefetched (see
	 * prefetch_child); ok = 0 where none was computed. */
	uint32_t ring_hash[PREFETCH_RING], ring_la[PREFETCH_RING];
	uint8_t ring_ok[PREFETCH_RING];
} file_ctx;

static const char *fmt_name(int fmt) { return fmt == FMT_ISO ? "YYYY-MM-DD" : "DD/MM/YYYY"; }

static int shape_dmy(const char *s)
{
	static const char pat[] = "99/99/9999";
	for (size_t i = 0; i < 10; i++)
		if (pat[i] == '9' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pat[i])
			return 0;
	return s[10] == '\0';
}

static int shape_iso(const char *s)
{
	static const char pat[] = "9999-99-99";
	for (size_t i = 0; i < 10; i++)
		if (pat[i] == '9' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pat[i])
			return 0;
	return s[10] == '\0';
}

/* The number written by the n digits at s. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static void row_problem(file_ctx *f, cc_ssda903_rule rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void row_problem(file_ctx *f, cc_ssda903_rule rule, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cc_ssda903_rule_count info = cc_ssda903_rule_info(rule);
	if (info.severity == CC_DIAG_ERROR) {
		f->bad = 1;
		rules_report(&f->w->rb, rule, f->path, f->line, "%s; row left out", msg);
	} else {
		rules_report(&f->w->rb, rule, f->path, f->line, "%s", msg);
	}
}

/* 1 with *out set, 0 for an empty cell, -1 after reporting a bad one. */
static int read_date(file_ctx *f, size_t col, const char *name, cc_date *out)
{
	const char *v = cc_csv_field(f->t, f->row, col);
	if (!*v)
		return 0;
	int dmy = shape_dmy(v), iso = !dmy && shape_iso(v);
	if (f->fmt == FMT_UNKNOWN && (dmy || iso)) {
		f->fmt = dmy ? FMT_DMY : FMT_ISO;
		f->fmt_line = f->line;
	}
	if ((dmy && f->fmt == FMT_ISO) || (iso && f->fmt == FMT_DMY)) {
		row_problem(f, CC_SSDA903_R_DATE_MIXED,
		            "%s: expected a date written %s as in the rest of the file (first at "
		            "line %zu), found one written %s",
		            name, fmt_name(f->fmt), f->fmt_line, dmy ? "DD/MM/YYYY" : "YYYY-MM-DD");
		return -1;
	}
	/* The shape is checked: what is left is whether the date exists (as
	 * cc_date_parse_dmy and cc_date_parse_iso decide). */
	int rc = dmy   ? cc_date_from_ymd(digits(v + 6, 4), digits(v + 3, 2), digits(v, 2), out)
	         : iso ? cc_date_from_ymd(digits(v, 4), digits(v + 5, 2), digits(v + 8, 2), out)
	               : CC_EPARSE;
	if (rc == CC_OK)
		return 1;
	if (dmy || iso) {
		row_problem(f, CC_SSDA903_R_DATE_INVALID,
		            "%s: expected a calendar date, found a %s value with a day or month "
		            "that does not exist",
		            name, fmt_name(dmy ? FMT_DMY : FMT_ISO));
	} else {
		char what[64];
		describe_value(v, f->child, what, sizeof what);
		row_problem(
		    f, CC_SSDA903_R_DATE_INVALID, "%s: expected a date written %s, found %s", name,
		    f->fmt == FMT_UNKNOWN ? "DD/MM/YYYY or YYYY-MM-DD" : fmt_name(f->fmt), what);
	}
	return -1;
}

static unsigned read_code(file_ctx *f, size_t col, const char *name, cc_ssda903_list list,
                          cc_ssda903_rule rule, int blank_ok)
{
	if (col == CC_CSV_NOCOL)
		return 0;
	const char *v = cc_csv_field(f->t, f->row, col);
	unsigned code = cc_ssda903_code_parse(list, v);
	if (code == 0 && !blank_ok)
		row_problem(f, rule, "%s: expected %s, found an empty cell", name,
		            code_list_summary(list));
	else if (code == 1) {
		char what[64];
		describe_value(v, f->child, what, sizeof what);
		row_problem(f, rule, "%s: expected %s, found %s", name, code_list_summary(list),
		            what);
	}
	return code;
}

/* A YEAR cell: "2019" (a label), or "2019-20" / "2019-2020" (the year ending
 * 31 March 2020). */
static int parse_year_cell(const char *v, int *year, int *is_end)
{
	size_t n = strlen(v);
	if (n != 4 && n != 7 && n != 9)
		return 0;
	if (!year_in_name(v, year, is_end))
		return 0;
	if (n == 4)
		return !*is_end && v[0] >= '1' && v[0] <= '2';
	return *is_end;
}

/* The return a row belongs to, created on first use; NONE32 when out of
 * memory. */
static uint32_t return_of(file_ctx *f, uint32_t la, int label, int is_end,
                          cc_ssda903_year_source src, int episodes)
{
	work *w = f->w;
	/* Rows of one return come together: try the last row's first. */
	if (f->last_ret_ok && f->last_ret_la == la && f->last_ret_label == label &&
	    f->last_ret_is_end == is_end)
		return f->last_ret;
	uint64_t key = ((uint64_t)f->input << 40) | ((uint64_t)la << 16) |
	               ((uint64_t)(unsigned)label << 1) | (uint64_t)(is_end != 0);
	uint32_t r = u64map_get(&w->retmap, key);
	if (r == NONE32) {
		if (!grow_array((void **)&w->rets, &w->rets_cap, w->nrets + 1, sizeof *w->rets))
			return NONE32;
		r = (uint32_t)w->nrets;
		if (!u64map_put(&w->retmap, key, r))
			return NONE32;
		ret_info *ri = &w->rets[w->nrets++];
		memset(ri, 0, sizeof *ri);
		ri->input = (uint32_t)f->input;
		ri->la = la;
		ri->label = label;
		ri->label_is_end = is_end;
		ri->source = src;
		ri->ep_file = CC_SSDA903_NONE;
		ri->hd_file = CC_SSDA903_NONE;
	}
	if (episodes)
		w->rets[r].ep_file = f->file;
	else
		w->rets[r].hd_file = f->file;
	f->last_ret_ok = 1;
	f->last_ret = r;
	f->last_ret_la = la;
	f->last_ret_label = label;
	f->last_ret_is_end = is_end;
	return r;
}

/* The LA, return and child of the current row; 0 if the row is skipped. */
static int row_keys(file_ctx *f, uint32_t *la_out, uint32_t *ret_out, uint32_t *kid_out,
                    int episodes)
{
	work *w = f->w;
	uint32_t la;
	if (f->c_la != CC_CSV_NOCOL) {
		const char *v = cc_csv_field(f->t, f->row, f->c_la);
		if (!*v) {
			row_problem(f, CC_SSDA903_R_LA_BLANK,
			            "LA: expected the name of a local "
			            "authority, found an empty cell");
			return 0;
		}
		la = work_la(w, v);
	} else {
		la = work_la(w, f->in->la ? f->in->la : "");
	}
	if (la == NONE32) {
		w->status = CC_ENOMEM;
		return 0;
	}
	if (!w->la_sel[la]) {
		w->other_la_rows++;
		return 0;
	}
	int label = 0, is_end = 0;
	cc_ssda903_year_source src = CC_SSDA903_FROM_DATA;
	if (f->c_year != CC_CSV_NOCOL) {
		const char *v = cc_csv_field(f->t, f->row, f->c_year);
		if (!parse_year_cell(v, &label, &is_end)) {
			char what[64];
			describe_value(v, NULL, what, sizeof what);
			row_problem(f, CC_SSDA903_R_YEAR_INVALID,
			            "YEAR: expected a year such as 2019 or 2019-20, found %s",
			            *v ? what : "an empty cell");
			return 0;
		}
		src = CC_SSDA903_FROM_COLUMN;
	} else if (f->in->year) {
		label = f->in->year;
		is_end = f->in->year_is_end != 0;
		src = CC_SSDA903_FROM_INPUT;
	} else if (f->name_year) {
		label = f->name_year;
		is_end = f->name_is_end;
		src = CC_SSDA903_FROM_NAME;
	}
	uint32_t r = return_of(f, la, label, is_end, src, episodes);
	if (r == NONE32) {
		w->status = CC_ENOMEM;
		return 0;
	}
	const char *child = cc_csv_field(f->t, f->row, f->c_child);
	if (!*child) {
		row_problem(f, CC_SSDA903_R_CHILD_BLANK,
		            "CHILD: expected the child's identifier, "
		            "found an empty cell");
		return 0;
	}
	size_t slot = f->row % PREFETCH_RING;
	uint32_t kid =
	    work_kid(w, la, child, f->ring_ok[slot] && f->ring_la[slot] == la, f->ring_hash[slot]);
	if (kid == NONE32) {
		w->status = CC_ENOMEM;
		return 0;
	}
	f->child = child;
	*la_out = la;
	*ret_out = r;
	*kid_out = kid;
	return 1;
}

static void read_episode_row(file_ctx *f, size_t cols[])
{
	work *w = f->w;
	uint32_t la, ret, kid;
	if (!row_keys(f, &la, &ret, &kid, 1))
		return;
	ep_row e;
	memset(&e, 0, sizeof e);
	e.child = kid;
	e.ret = ret;
	e.line = (uint32_t)f->line;
	int has_decom = read_date(f, cols[1], "DECOM", &e.decom);
	if (has_decom == 0)
		row_problem(f, CC_SSDA903_R_DATE_INVALID,
		            "DECOM: expected the date the episode started, found an empty cell");
	int has_dec = read_date(f, cols[7], "DEC", &e.dec);
	if (has_dec <= 0)
		e.dec = CC_SSDA903_OPEN;
	e.place =
	    (uint8_t)read_code(f, cols[5], "PLACE", CC_SSDA903_PLACE, CC_SSDA903_R_CODE_PLACE, 0);
	e.rne = (uint8_t)read_code(f, cols[2], "RNE", CC_SSDA903_RNE, CC_SSDA903_R_CODE_RNE, 0);
	e.ls = (uint8_t)read_code(f, cols[3], "LS", CC_SSDA903_LS, CC_SSDA903_R_CODE_LS, 0);
	e.cin = (uint8_t)read_code(f, cols[4], "CIN", CC_SSDA903_CIN, CC_SSDA903_R_CODE_CIN, 0);
	int temporary = (e.place >= CC_PLACE_T0 && e.place <= CC_PLACE_T4) ||
	                (e.place >= CC_PLACE_Z11 && e.place <= CC_PLACE_Z14);
	e.provider = (uint8_t)read_code(f, cols[6], "PLACE_PROVIDER", CC_SSDA903_PROVIDER,
	                                CC_SSDA903_R_CODE_PROVIDER, temporary || e.place <= 1);
	e.rec = (uint8_t)read_code(f, cols[8], "REC", CC_SSDA903_REC, CC_SSDA903_R_CODE_REC, 1);
	e.reason = (uint8_t)read_code(f, cols[9], "REASON_PLACE_CHANGE", CC_SSDA903_REASON,
	                              CC_SSDA903_R_CODE_REASON, 1);
	if (has_dec == 1 && e.rec == CC_REC_BLANK)
		row_problem(f, CC_SSDA903_R_DEC_REC,
		            "REC: expected the reason the episode ended, as DEC is set, found an "
		            "empty cell; kept as ended for an unknown reason");
	else if (has_dec == 0 && e.rec != CC_REC_BLANK) {
		row_problem(f, CC_SSDA903_R_DEC_REC,
		            "DEC: expected the date the episode ended, as REC is set, found an "
		            "empty cell; kept as open");
		e.rec = CC_REC_BLANK;
	}
	if (has_decom == 1 && has_dec == 1 && e.dec < e.decom)
		row_problem(f, CC_SSDA903_R_DEC_BEFORE_DECOM,
		            "DEC: expected a date on or after DECOM, found an earlier one");
	if (f->bad || has_decom != 1)
		return;
	if (!grow_array((void **)&w->eps, &w->eps_cap, w->neps + 1, sizeof *w->eps)) {
		w->status = CC_ENOMEM;
		return;
	}
	w->eps[w->neps++] = e;
	w->rets[ret].nep++;
}

static void read_header_row(file_ctx *f, size_t cols[])
{
	work *w = f->w;
	uint32_t la, ret, kid;
	if (!row_keys(f, &la, &ret, &kid, 0))
		return;
	hd_row h;
	memset(&h, 0, sizeof h);
	h.child = kid;
	h.ret = ret;
	h.line = (uint32_t)f->line;
	int has_dob = read_date(f, cols[2], "DOB", &h.dob);
	if (has_dob == 0)
		row_problem(f, CC_SSDA903_R_DATE_INVALID,
		            "DOB: expected the child's date of birth, found an empty cell");
	h.sex = (uint8_t)read_code(f, cols[1], "SEX", CC_SSDA903_SEX, CC_SSDA903_R_CODE_SEX, 0);
	if (f->bad) {
		if (w->kid[kid].bad_line == 0) {
			w->kid[kid].bad_file = f->file;
			w->kid[kid].bad_line = (uint32_t)f->line;
		}
		return;
	}
	if (!grow_array((void **)&w->hds, &w->hds_cap, w->nhds + 1, sizeof *w->hds)) {
		w->status = CC_ENOMEM;
		return;
	}
	w->hds[w->nhds++] = h;
}

/* Prefetches the slot of row's child, guessing its LA is the last row's
 * (a wrong guess costs only the hint). A row with the same CHILD as the row
 * before needs no lookup (work_kid tries the last child first). */
static void prefetch_child(file_ctx *f, size_t row)
{
	work *w = f->w;
	size_t slot = row % PREFETCH_RING;
	f->ring_ok[slot] = 0;
	if (w->last_la == NONE32)
		return;
	const char *c = cc_csv_field(f->t, row, f->c_child);
	if (row > 0 && strcmp(c, cc_csv_field(f->t, row - 1, f->c_child)) == 0)
		return;
	uint32_t h = strtab_hash(&w->kids, w->last_la, c);
	strtab_prefetch(&w->kids, h);
	f->ring_hash[slot] = h;
	f->ring_la[slot] = w->last_la;
	f->ring_ok[slot] = 1;
}

static const char *const episode_cols[] = {
	"CHILD", "DECOM",          "RNE", "LS",  "CIN",
	"PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE"
};
#define EPISODE_REQUIRED 9 /* REASON_PLACE_CHANGE came later (2015) */
static const char *const header_cols[] = { "CHILD", "SEX", "DOB" };

/* 1 when the first line looks like data rather than names. */
static int header_looks_like_data(const cc_csv *t)
{
	for (size_t c = 0; c < cc_csv_ncols(t); c++) {
		const char *h = cc_csv_header(t, c);
		if (shape_dmy(h) || shape_iso(h) || (h[0] >= '0' && h[0] <= '9'))
			return 1;
	}
	return 0;
}

/* Checks a table is the one expected and finds its columns. */
static int check_table(work *w, const cc_csv *t, int episodes, size_t cols[])
{
	const char *path = cc_csv_name(t), *kind_name;
	table_kind kind = table_kind_of(t, &kind_name);
	table_kind want = episodes ? TK_EPISODES : TK_HEADER;
	const char *want_name = episodes ? "Episodes" : "Header";
	if (kind != want && kind != TK_UNKNOWN) {
		rules_report(&w->rb, CC_SSDA903_R_FILE, path, cc_csv_header_line(t),
		             "expected the %s table, found the %s table", want_name, kind_name);
		return 0;
	}
	const char *const *names = episodes ? episode_cols : header_cols;
	size_t n = episodes ? sizeof episode_cols / sizeof *episode_cols : 3;
	size_t required = episodes ? EPISODE_REQUIRED : 3;
	char missing[256] = "";
	size_t nmissing = 0;
	for (size_t i = 0; i < n; i++) {
		cols[i] = cc_csv_column(t, names[i]);
		if (cols[i] == CC_CSV_NOCOL && i < required) {
			size_t used = strlen(missing);
			snprintf(missing + used, sizeof missing - used, "%s%s",
			         nmissing ? ", " : "", names[i]);
			nmissing++;
		}
	}
	if (nmissing) {
		rules_report(&w->rb, CC_SSDA903_R_COLUMNS, path, cc_csv_header_line(t),
		             "expected the %s table's column%s %s, found no such column%s%s",
		             want_name, nmissing > 1 ? "s" : "", missing, nmissing > 1 ? "s" : "",
		             header_looks_like_data(t)
		                 ? " (the first line looks like data: is the header line missing?)"
		                 : "");
		return 0;
	}
	return 1;
}

static void read_table(work *w, size_t input, const cc_ssda903_input *in, const cc_csv *t,
                       uint32_t file, int episodes, size_t cols[])
{
	file_ctx f;
	memset(&f, 0, sizeof f);
	f.w = w;
	f.t = t;
	f.path = cc_csv_name(t);
	f.file = file;
	f.input = input;
	f.in = in;
	f.c_la = cc_csv_column(t, "LA");
	f.c_year = cc_csv_column(t, "YEAR");
	f.c_child = cols[0];
	const char *base = strrchr(in->episodes, '/');
	if (!year_in_name(base ? base + 1 : in->episodes, &f.name_year, &f.name_is_end))
		f.name_year = 0;
	size_t nrows = cc_csv_nrows(t);
	w->rb.count[CC_SSDA903_R_CSV_ROW] += cc_csv_rows_dropped(t);
	for (f.row = 0; f.row < nrows && w->status == CC_OK; f.row++) {
		if (f.row + PREFETCH_AHEAD < nrows)
			prefetch_child(&f, f.row + PREFETCH_AHEAD);
		f.line = cc_csv_line(t, f.row);
		f.bad = 0;
		f.child = NULL;
		size_t before = w->other_la_rows;
		if (episodes)
			read_episode_row(&f, cols);
		else
			read_header_row(&f, cols);
		if (w->other_la_rows == before) {
			if (episodes)
				w->episode_rows++;
			else
				w->header_rows++;
		}
	}
}

/* Reads one table of an input; *has_la says whether it has an LA column.
 * Returns 0 if the file cannot be used. */
static int read_file(work *w, size_t index, const cc_ssda903_input *in, int episodes, int *has_la)
{
	const char *path = episodes ? in->episodes : in->header;
	size_t cols[sizeof episode_cols / sizeof *episode_cols];
	cc_csv *t = NULL;
	int rc = cc_csv_read(path, NULL, &t, w->diags);
	if (rc != CC_OK) {
		w->rb.count[CC_SSDA903_R_FILE]++;
		if (w->status == CC_OK)
			w->status = rc;
		return 0;
	}
	int ok = check_table(w, t, episodes, cols);
	*has_la = cc_csv_column(t, "LA") != CC_CSV_NOCOL;
	if (ok) {
		uint32_t file = work_file(w, path);
		size_t need = cc_csv_nrows(t) + (episodes ? w->neps : w->nhds);
		if (file == NONE32 ||
		    !(episodes ? grow_array((void **)&w->eps, &w->eps_cap, need, sizeof *w->eps)
		               : grow_array((void **)&w->hds, &w->hds_cap, need, sizeof *w->hds)))
			w->status = CC_ENOMEM;
		else
			read_table(w, index, in, t, file, episodes, cols);
	}
	cc_csv_free(t);
	return ok;
}

void read_input(work *w, size_t index, const cc_ssda903_input *in)
{
	/* One table at a time, so only one is in memory. */
	int hd_la = 0, ep_la = 0;
	int hd_ok = !in->header || read_file(w, index, in, 0, &hd_la);
	int ep_ok = read_file(w, index, in, 1, &ep_la);
	if (hd_ok && ep_ok && in->header && hd_la != ep_la) {
		rules_report(&w->rb, CC_SSDA903_R_COLUMNS, hd_la ? in->episodes : in->header, 1,
		             "expected an LA column as in %s (children are identified by LA and "
		             "CHILD), found none",
		             hd_la ? in->header : in->episodes);
		hd_ok = 0;
	}
	if ((!hd_ok || !ep_ok) && w->status == CC_OK)
		w->status = CC_EPARSE;
}
