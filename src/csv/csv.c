/*
 * csv.c - CSV files into tables of fields, on libcsv (format: csv.h).
 *
 * Two passes over the text, both linear, with the fields stored as they come:
 *
 *  1. check: reject NUL bytes and invalid UTF-8 (at their position), and
 *     record where every physical line starts (LF, CRLF or CR ends a line).
 *  2. tokenize: feed libcsv one physical line at a time (long lines in
 *     slices, so a huge field is caught as it grows). A row starts on the
 *     first non-blank line fed while no row is open, so each row's line
 *     number is exact even with quoted line breaks and blank lines. libcsv
 *     runs in strict mode; when it stops at a stray quote, the row is dropped
 *     and feeding resumes with a fresh parser on the next line.
 *  3. store: the fields of the row being read collect in a small
 *     row buffer; when the row ends and is accepted they are copied, trimmed
 *     and NUL-terminated, into the file buffer itself, behind the text still
 *     to be read. That is safe because a stored row is never longer than its
 *     raw text (unquoting and trimming only shrink it; each field's NUL takes
 *     the place of its comma or line break), and it keeps the current row's
 *     raw text intact, so an error in it can be located exactly: libcsv gives
 *     no positions, but a short re-scan of the row's raw text does.
 *
 * A table thus costs the file's size plus one 32-bit offset per field and one
 * line number per row; files are limited to under 4 GiB so offsets fit.
 */
#include "carecast/csv.h"

#include "carecast/fileio.h"
#include "csv_int.h"

#include <csv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Slice fed to libcsv at once: bounds how far past the field limit a field
 * can grow before it is noticed. */
#define FEED_SLICE ((size_t)64 * 1024)
/* libcsv grows its field buffer by a fixed block; a large block keeps a
 * long field from costing many reallocations. */
#define LIBCSV_BLOCK ((size_t)16 * 1024)
#define MAX_TEXT_BYTES ((size_t)UINT32_MAX - 16)

struct cc_csv {
	char *name;
	char *buf;      /* stored fields, each NUL-terminated */
	uint32_t *offs; /* (nrows + 1) * ncols offsets into buf; the header first */
	uint32_t *lines;
	size_t nrows, ncols, header_line, dropped;
};

enum { ROW_SHORT, ROW_LONG, ROW_QUOTE, ROW_KINDS };

typedef struct {
	cc_csv *t;
	cc_diags *diags;
	size_t max_field, max_columns, max_row_messages;
	/* The text: buf[0 .. len), lines start at line_start[0 .. nlines). */
	char *buf;
	size_t len, bom;
	uint32_t *line_start; /* nlines + 1 entries; the last is len */
	size_t nlines;
	/* The row being read. */
	char *rowbuf;
	size_t rowlen, rowcap;
	uint32_t *rowoff;
	size_t nstored, rowoff_cap;
	size_t nfields;     /* fields seen in this row, stored or not */
	int extra_nonempty; /* a field past the header's count was not empty */
	size_t row_line;    /* 0-based line where the row started */
	size_t cur_line;    /* 0-based line being fed */
	int in_row;         /* a row has started and not ended */
	int have_header;
	size_t w; /* stored bytes so far */
	size_t noffs, offs_cap;
	size_t lines_cap;
	int status;     /* CC_OK, or the first fatal status */
	int too_long;   /* a field passed max_field (reported by the feeder) */
	int fast;       /* use fast_line where it applies */
	uint32_t *span; /* fast_line: start and length of each field of a row */
	size_t row_errors[ROW_KINDS];
} parser;

/* ---- positions and messages --------------------------------------------- */

static size_t line_of(const parser *ps, size_t off)
{
	size_t lo = 0, hi = ps->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (ps->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* 1-based line and character column of byte offset off in the raw text. */
static void position(const parser *ps, size_t off, size_t *line, size_t *col)
{
	size_t l = line_of(ps, off), c = 1;
	for (size_t i = ps->line_start[l]; i < off && i < ps->len; i++)
		c += ((unsigned char)ps->buf[i] & 0xC0) != 0x80;
	*line = l + 1;
	*col = c;
}

static void report_at(parser *ps, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report_at(parser *ps, size_t off, const char *fmt, ...)
{
	size_t line, col;
	position(ps, off, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	cc_diags_vadd(ps->diags, CC_DIAG_ERROR, ps->t->name, line, col, fmt, ap);
	va_end(ap);
}

/* The name of column col while the table is being built. */
static const char *header_name(const parser *ps, size_t col)
{
	return col < ps->t->ncols ? ps->buf + ps->t->offs[col] : "";
}

/* 1 when a column name may be quoted in messages (see csv.h). */
static int name_shaped(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 40)
		return 0;
	if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return 0;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == ' ' || c == '_' || c == '-' || c == '.' || c == '/'))
			return 0;
	}
	return 1;
}

/* "column 4 (DEC)" or "column 4" into buf. */
static void describe_column(const char *name, size_t col, char *buf, size_t size)
{
	if (name_shaped(name))
		snprintf(buf, size, "column %zu (%s)", col + 1, name);
	else
		snprintf(buf, size, "column %zu", col + 1);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 1;
	size_t ncap = *cap ? *cap : 64;
	while (ncap < need)
		ncap *= 2;
	void *np = realloc(*p, ncap * elem);
	if (!np)
		return 0;
	*p = np;
	*cap = ncap;
	return 1;
}

/* ---- pass 1: bytes and lines -------------------------------------------- */

/* Length of the valid UTF-8 sequence at s[0 .. n), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

static int add_line(parser *ps, size_t *cap, size_t start)
{
	if (!grow((void **)&ps->line_start, cap, ps->nlines + 2, sizeof *ps->line_start))
		return 0;
	ps->line_start[ps->nlines++] = (uint32_t)start;
	return 1;
}

static int check_text(parser *ps)
{
	const unsigned char *s = (const unsigned char *)ps->buf;
	size_t len = ps->len, cap = 0;
	if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		cc_diags_add(ps->diags, CC_DIAG_ERROR, ps->t->name, 1, 1,
		             "expected UTF-8 text, found a UTF-16 byte-order mark (save the file "
		             "as CSV UTF-8)");
		return CC_EPARSE;
	}
	if (!add_line(ps, &cap, ps->bom))
		return CC_ENOMEM;
	int rc = CC_OK;
	for (size_t i = ps->bom; i < len;) {
		/* Fast path: eight printable ASCII bytes at a time. A byte of 0x80
		 * or more sets its top bit in x; one below 0x20 sets it in
		 * x - 0x20..20 (borrows can only add false alarms, which the slow
		 * path below then clears). */
		while (i + 8 <= len) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			if (((x | (x - 0x2020202020202020ULL)) & 0x8080808080808080ULL) != 0)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char c = s[i];
		if (c == '\n' || (c == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
			if (!add_line(ps, &cap, i + 1))
				return CC_ENOMEM;
			i++;
		} else if (c >= 0x80) {
			size_t ul = utf8_len(s + i, len - i);
			if (ul == 0) {
				rc = CC_EPARSE;
				ps->line_start[ps->nlines] = (uint32_t)len;
				report_at(
				    ps, i,
				    "expected UTF-8 text, found the byte 0x%02X (save the file as "
				    "CSV UTF-8)",
				    c);
				break;
			}
			i += ul;
		} else if (c == 0) {
			rc = CC_EPARSE;
			ps->line_start[ps->nlines] = (uint32_t)len;
			report_at(
			    ps, i,
			    "expected text, found a NUL byte (is this a spreadsheet or UTF-16 "
			    "file rather than CSV?)");
			break;
		} else {
			i++; /* other control characters are text */
		}
	}
	ps->line_start[ps->nlines] = (uint32_t)len;
	return rc;
}

/* ---- re-scanning one row's raw text --------------------------------------- */

/* The offset where field k (0-based) of the row starting at `from` begins,
 * after leading blanks; follows libcsv's rules for quoted fields. Returns
 * len if the row has fewer fields. */
static size_t field_start(const parser *ps, size_t from, size_t k)
{
	const char *s = ps->buf;
	size_t i = from, len = ps->len;
	for (size_t f = 0;; f++) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (f == k)
			return i;
		if (i < len && s[i] == '"') {
			for (i++; i < len; i++) {
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"')
						i++;
					else
						break;
				}
			}
			i++;
		}
		while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
			i++;
		if (i >= len || s[i] != ',')
			return len;
		i++;
	}
}

/* ---- pass 2: libcsv callbacks --------------------------------------------- */

static void on_field(void *field, size_t len, void *data)
{
	parser *ps = data;
	if (ps->status != CC_OK)
		return;
	const char *s = field ? field : "";
	if (len > ps->max_field) {
		ps->status = CC_EPARSE;
		ps->too_long = 1; /* reported by the feeding loop */
		return;
	}
	while (len > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	size_t limit = ps->have_header ? ps->t->ncols : ps->max_columns;
	ps->nfields++;
	if (ps->nstored >= limit) {
		if (len > 0)
			ps->extra_nonempty = 1;
		return;
	}
	if (!grow((void **)&ps->rowbuf, &ps->rowcap, ps->rowlen + len + 1, 1) ||
	    !grow((void **)&ps->rowoff, &ps->rowoff_cap, ps->nstored + 1, sizeof *ps->rowoff)) {
		ps->status = CC_ENOMEM;
		return;
	}
	ps->rowoff[ps->nstored++] = (uint32_t)ps->rowlen;
	memcpy(ps->rowbuf + ps->rowlen, s, len);
	ps->rowbuf[ps->rowlen + len] = '\0';
	ps->rowlen += len + 1;
}

static void reset_row(parser *ps)
{
	ps->rowlen = 0;
	ps->nstored = 0;
	ps->nfields = 0;
	ps->extra_nonempty = 0;
	ps->in_row = 0;
}

/* Copies the row buffer into the table; returns 0 when out of memory. */
static int store_row(parser *ps)
{
	cc_csv *t = ps->t;
	if (!grow((void **)&t->offs, &ps->offs_cap, ps->noffs + ps->nstored, sizeof *t->offs))
		return 0;
	memcpy(ps->buf + ps->w, ps->rowbuf, ps->rowlen);
	for (size_t i = 0; i < ps->nstored; i++)
		t->offs[ps->noffs++] = (uint32_t)(ps->w + ps->rowoff[i]);
	ps->w += ps->rowlen;
	return 1;
}

typedef struct {
	const char *name;
	size_t col;
} named_col;

static int cmp_named(const void *a, const void *b)
{
	const named_col *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);
	if (c)
		return c;
	return (x->col > y->col) - (x->col < y->col);
}

static void accept_header(parser *ps)
{
	cc_csv *t = ps->t;
	size_t row_off = ps->line_start[ps->row_line];
	if (ps->nfields > ps->max_columns) {
		report_at(ps, row_off, "expected at most %zu columns, found %zu in the header line",
		          ps->max_columns, ps->nfields);
		ps->status = CC_EPARSE;
		return;
	}
	/* Duplicate names, case-insensitively: sort (name, column) pairs so the
	 * check costs n log n even for thousands of columns. */
	named_col *v = malloc((ps->nstored ? ps->nstored : 1) * sizeof *v);
	if (!v) {
		ps->status = CC_ENOMEM;
		return;
	}
	for (size_t i = 0; i < ps->nstored; i++)
		v[i] = (named_col){ ps->rowbuf + ps->rowoff[i], i };
	qsort(v, ps->nstored, sizeof *v, cmp_named);
	size_t first = 0;
	for (size_t i = 1; i < ps->nstored; i++) {
		if (v[i].name[0] == '\0' || strcasecmp(v[i].name, v[i - 1].name) != 0) {
			first = i;
			continue;
		}
		size_t line, col;
		position(ps, field_start(ps, row_off, v[i].col), &line, &col);
		char what[80], again[80];
		describe_column(v[first].name, v[first].col, what, sizeof what);
		describe_column(v[i].name, v[i].col, again, sizeof again);
		cc_diags_add(ps->diags, CC_DIAG_ERROR, t->name, line, col,
		             "expected unique column names, found %s repeating %s", again, what);
		ps->status = CC_EPARSE;
	}
	free(v);
	if (ps->status != CC_OK)
		return;
	t->ncols = ps->nstored;
	t->header_line = ps->row_line + 1;
	/* Every row takes at least one line: reserve the offsets and line
	 * numbers once rather than growing them. */
	size_t rows_max = ps->nlines - ps->row_line;
	if (!grow((void **)&t->offs, &ps->offs_cap, rows_max * (t->ncols ? t->ncols : 1),
	          sizeof *t->offs) ||
	    !grow((void **)&t->lines, &ps->lines_cap, rows_max, sizeof *t->lines)) {
		ps->status = CC_ENOMEM;
		return;
	}
	if (!store_row(ps))
		ps->status = CC_ENOMEM;
	if (ps->fast) {
		ps->span = malloc((t->ncols ? t->ncols : 1) * 2 * sizeof *ps->span);
		if (!ps->span)
			ps->status = CC_ENOMEM;
	}
	ps->have_header = 1;
}

static void row_error(parser *ps, int kind, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void row_error(parser *ps, int kind, size_t off, const char *fmt, ...)
{
	ps->t->dropped++;
	if (ps->row_errors[kind]++ >= ps->max_row_messages)
		return;
	size_t line, col;
	position(ps, off, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	cc_diags_vadd(ps->diags, CC_DIAG_ERROR, ps->t->name, line, col, fmt, ap);
	va_end(ap);
}

/* Checks the finished row's field count (ps->nfields, ps->extra_nonempty)
 * and reports a short or long row; 1 when the row is to be stored. */
static int row_fits(parser *ps)
{
	cc_csv *t = ps->t;
	size_t row_off = ps->line_start[ps->row_line];
	if (ps->nfields < t->ncols) {
		/* Point at the end of the row when it is one line, else at its start. */
		size_t off = row_off;
		if (ps->cur_line == ps->row_line) {
			off = ps->line_start[ps->cur_line + 1];
			while (off > row_off &&
			       (ps->buf[off - 1] == '\n' || ps->buf[off - 1] == '\r'))
				off--;
		}
		char what[80];
		describe_column(header_name(ps, ps->nfields), ps->nfields, what, sizeof what);
		row_error(
		    ps, ROW_SHORT, off,
		    "expected %zu fields as in the header, found %zu: the row ends before %s; "
		    "row left out",
		    t->ncols, ps->nfields, what);
		return 0;
	}
	if (ps->extra_nonempty) {
		row_error(ps, ROW_LONG, field_start(ps, row_off, t->ncols),
		          "expected %zu fields as in the header, found %zu with text in the extra "
		          "ones (a comma inside an unquoted field?); row left out",
		          t->ncols, ps->nfields);
		return 0;
	}
	return 1;
}

static void on_row(int c, void *data)
{
	(void)c;
	parser *ps = data;
	if (ps->status != CC_OK)
		return;
	cc_csv *t = ps->t;
	if (!ps->have_header) {
		accept_header(ps);
		reset_row(ps);
		return;
	}
	if (row_fits(ps)) {
		if (!grow((void **)&t->lines, &ps->lines_cap, t->nrows + 1, sizeof *t->lines) ||
		    !store_row(ps)) {
			ps->status = CC_ENOMEM;
			return;
		}
		t->lines[t->nrows++] = (uint32_t)(ps->row_line + 1);
	}
	reset_row(ps);
}

static int is_blank_line(const parser *ps, size_t l)
{
	for (size_t i = ps->line_start[l]; i < ps->line_start[l + 1]; i++) {
		char c = ps->buf[i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return 0;
	}
	return 1;
}

static int start_parser(struct csv_parser *p)
{
	if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return 0;
	csv_set_blk_size(p, LIBCSV_BLOCK);
	return 1;
}

static void report_long_field(parser *ps)
{
	size_t off = field_start(ps, ps->line_start[ps->row_line], ps->nfields);
	if (off >= ps->len)
		off = ps->line_start[ps->row_line];
	report_at(ps, off, "expected a field of at most %zu bytes, found a longer one",
	          ps->max_field);
}

/* The first comma in s[i .. end), or end: eight bytes at a time where the
 * byte order allows (a byte of x equal to ',' is a zero byte of t, and the
 * lowest zero byte is found exactly). */
static size_t next_comma(const char *s, size_t i, size_t end)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; i + 8 <= end; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		uint64_t t = x ^ 0x2C2C2C2C2C2C2C2CULL;
		uint64_t m = (t - 0x0101010101010101ULL) & ~t & 0x8080808080808080ULL;
		if (m)
			return i + (size_t)(__builtin_ctzll(m) >> 3);
	}
#endif
	while (i < end && s[i] != ',')
		i++;
	return i;
}

/* The fast path: a whole line read without libcsv, when no row is open and
 * the line holds no quote, ends with a line break and fits in one slice.
 * Such a line is what libcsv would see as one row (or, when it holds only
 * blanks, nothing): fields split at commas, trimmed of spaces and tabs, the
 * length limit applied to the trimmed field, as libcsv measures it. The
 * accepted fields are moved straight into their place in the buffer (never
 * past their own raw text: each ends where its comma was). Returns 0 when the
 * line is not of that kind and libcsv must read it. */
static int fast_line(parser *ps, size_t l)
{
	const char *s = ps->buf;
	size_t from = ps->line_start[l], to = ps->line_start[l + 1], end = to;
	if (to - from > FEED_SLICE)
		return 0;
	if (end > from && s[end - 1] == '\n')
		end--;
	if (end > from && s[end - 1] == '\r')
		end--;
	if (end == to)
		return 0;
	cc_csv *t = ps->t;
	size_t ncols = t->ncols, k = 0, too_long = SIZE_MAX;
	uint32_t *span = ps->span;
	int extra_nonempty = 0, blank = 1;
	if (memchr(s + from, '"', end - from))
		return 0;
	for (size_t a = from;; a++) {
		size_t i = next_comma(s, a, end), b = i;
		while (a < b && (s[a] == ' ' || s[a] == '\t'))
			a++;
		while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		if (b - a > ps->max_field && too_long == SIZE_MAX)
			too_long = k;
		blank = blank && i == end && b == a;
		if (k < ncols) {
			span[2 * k] = (uint32_t)a;
			span[2 * k + 1] = (uint32_t)(b - a);
		} else if (b > a) {
			extra_nonempty = 1;
		}
		k++;
		if (i == end)
			break;
		a = i;
	}
	if (too_long != SIZE_MAX) {
		ps->row_line = l;
		ps->nfields = too_long;
		ps->status = CC_EPARSE;
		report_long_field(ps);
		return 1;
	}
	if (blank)
		return 1; /* only spaces and tabs: a blank line */
	ps->row_line = l;
	ps->nfields = k;
	ps->extra_nonempty = extra_nonempty;
	if (row_fits(ps)) {
		if (!grow((void **)&t->lines, &ps->lines_cap, t->nrows + 1, sizeof *t->lines) ||
		    !grow((void **)&t->offs, &ps->offs_cap, ps->noffs + ncols, sizeof *t->offs)) {
			ps->status = CC_ENOMEM;
			return 1;
		}
		char *buf = ps->buf;
		size_t w = ps->w;
		uint32_t *offs = t->offs + ps->noffs;
		for (size_t i = 0; i < ncols; i++) {
			size_t len = span[2 * i + 1];
			if (w != span[2 * i])
				memmove(buf + w, buf + span[2 * i], len);
			buf[w + len] = '\0';
			offs[i] = (uint32_t)w;
			w += len + 1;
		}
		ps->w = w;
		ps->noffs += ncols;
		t->lines[t->nrows++] = (uint32_t)(l + 1);
	}
	reset_row(ps);
	return 1;
}

static void tokenize(parser *ps)
{
	struct csv_parser p;
	if (!start_parser(&p)) {
		ps->status = CC_ENOMEM;
		return;
	}
	for (size_t l = 0; l < ps->nlines && ps->status == CC_OK; l++) {
		ps->cur_line = l;
		if (!ps->in_row) {
			if (ps->span && fast_line(ps, l))
				continue;
			if (is_blank_line(ps, l))
				continue;
			ps->in_row = 1;
			ps->row_line = l;
		}
		size_t from = ps->line_start[l], to = ps->line_start[l + 1];
		while (from < to && ps->status == CC_OK) {
			size_t n = to - from < FEED_SLICE ? to - from : FEED_SLICE;
			size_t done = csv_parse(&p, ps->buf + from, n, on_field, on_row, ps);
			if (ps->too_long) {
				report_long_field(ps);
				break;
			}
			if (ps->status != CC_OK)
				break;
			if (done < n) {
				int err = csv_error(&p);
				if (err != CSV_EPARSE) {
					ps->status = CC_ENOMEM;
					break;
				}
				size_t off = from + done;
				char found[8];
				unsigned char ch = (unsigned char)ps->buf[off];
				if (ch >= 0x20 && ch < 0x7F)
					snprintf(found, sizeof found, "'%c'", ch);
				else
					snprintf(found, sizeof found, "0x%02X", ch);
				if (p.quoted)
					row_error(ps, ROW_QUOTE, off,
					          "expected a comma or the end of the line after a "
					          "closing "
					          "quote, found %s; row left out",
					          found);
				else
					row_error(
					    ps, ROW_QUOTE, off,
					    "expected no quote inside an unquoted field (quote the "
					    "whole field and double the quote: \"a \"\"b\"\"\"), "
					    "found "
					    "one; row left out");
				csv_free(&p);
				reset_row(ps);
				if (!start_parser(&p)) {
					ps->status = CC_ENOMEM;
					return;
				}
				break; /* resume on the next line */
			}
			if (p.entry_pos > ps->max_field) {
				ps->status = CC_EPARSE;
				report_long_field(ps);
				break;
			}
			from += n;
		}
	}
	if (ps->status == CC_OK) {
		ps->cur_line = ps->nlines ? ps->nlines - 1 : 0;
		if (csv_fini(&p, on_field, on_row, ps) != 0 && ps->status == CC_OK) {
			size_t off = field_start(ps, ps->line_start[ps->row_line], ps->nfields);
			if (off >= ps->len)
				off = ps->line_start[ps->row_line];
			report_at(
			    ps, off,
			    "expected a closing quote for the field that starts here, found the "
			    "end of the file");
			ps->status = CC_EPARSE;
		} else if (ps->too_long) {
			report_long_field(ps);
		}
	}
	csv_free(&p);
}

/* ---- the table ------------------------------------------------------------ */

static void summarize_row_errors(parser *ps)
{
	static const char *const what[ROW_KINDS] = { "rows with too few fields",
		                                     "rows with too many fields",
		                                     "rows with a stray quote" };
	for (int k = 0; k < ROW_KINDS; k++)
		if (ps->row_errors[k] > ps->max_row_messages)
			cc_diags_add(ps->diags, CC_DIAG_ERROR, ps->t->name, 0, 0,
			             "%zu more %s not shown (%zu in all, each left out)",
			             ps->row_errors[k] - ps->max_row_messages, what[k],
			             ps->row_errors[k]);
}

/* Takes ownership of buf (len bytes plus room for one more). */
static int parse_owned(const char *name, char *buf, size_t len, const cc_csv_opts *opts, int fast,
                       cc_csv **out, cc_diags *diags)
{
	*out = NULL;
	cc_csv *t = calloc(1, sizeof *t);
	size_t nlen = strlen(name) + 1;
	char *tname = malloc(nlen);
	if (!t || !tname) {
		free(t);
		free(tname);
		free(buf);
		return CC_ENOMEM;
	}
	memcpy(tname, name, nlen);
	t->name = tname;
	parser ps = { 0 };
	ps.t = t;
	ps.diags = diags;
	ps.buf = buf;
	ps.len = len;
	ps.fast = fast;
	ps.max_field =
	    opts && opts->max_field_bytes ? opts->max_field_bytes : CC_CSV_MAX_FIELD_BYTES;
	ps.max_columns = opts && opts->max_columns ? opts->max_columns : CC_CSV_MAX_COLUMNS;
	ps.max_row_messages =
	    opts && opts->max_row_messages ? opts->max_row_messages : CC_CSV_MAX_ROW_MESSAGES;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		ps.bom = 3;
	int rc;
	if (len > MAX_TEXT_BYTES) {
		cc_diags_add(diags, CC_DIAG_ERROR, name, 0, 0,
		             "file is %zu bytes; CSV files are limited to %zu bytes", len,
		             MAX_TEXT_BYTES);
		rc = CC_ERANGE;
		goto cleanup;
	}
	rc = check_text(&ps);
	if (rc != CC_OK)
		goto cleanup;
	tokenize(&ps);
	rc = ps.status;
	if (rc == CC_OK && !ps.have_header) {
		cc_diags_add(diags, CC_DIAG_ERROR, name, 1, 1,
		             "expected a header line naming the columns, found an empty file");
		rc = CC_EPARSE;
	}
	if (rc != CC_OK)
		goto cleanup;
	summarize_row_errors(&ps);
	/* Shrink the buffer to the stored fields. */
	char *nb = realloc(buf, ps.w ? ps.w : 1);
	t->buf = nb ? nb : buf;
	buf = NULL;
	free(ps.span);
	free(ps.line_start);
	free(ps.rowbuf);
	free(ps.rowoff);
	*out = t;
	return CC_OK;
cleanup:
	if (rc == CC_ENOMEM)
		cc_diags_add(diags, CC_DIAG_ERROR, name, 0, 0, "out of memory reading the file");
	free(ps.span);
	free(ps.rowoff);
	free(ps.rowbuf);
	free(ps.line_start);
	free(buf);
	t->buf = NULL;
	cc_csv_free(t);
	return rc;
}

int cc_csv_read(const char *path, const cc_csv_opts *opts, cc_csv **out, cc_diags *diags)
{
	*out = NULL;
	size_t max = opts && opts->max_file_bytes ? opts->max_file_bytes : CC_FILE_MAX_BYTES;
	if (max > MAX_TEXT_BYTES)
		max = MAX_TEXT_BYTES;
	char *data;
	size_t len;
	int rc = cc_file_read(path, max, &data, &len, diags);
	if (rc != CC_OK)
		return rc;
	return parse_owned(path, data, len, opts, 1, out, diags);
}

static int parse_copy(const char *name, const char *text, size_t len, const cc_csv_opts *opts,
                      int fast, cc_csv **out, cc_diags *diags)
{
	*out = NULL;
	char *buf = malloc(len + 1);
	if (!buf)
		return CC_ENOMEM;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return parse_owned(name ? name : "", buf, len, opts, fast, out, diags);
}

int cc_csv_parse(const char *name, const char *text, size_t len, const cc_csv_opts *opts,
                 cc_csv **out, cc_diags *diags)
{
	return parse_copy(name, text, len, opts, 1, out, diags);
}

int cc_csv_parse_libcsv(const char *name, const char *text, size_t len, const cc_csv_opts *opts,
                        cc_csv **out, cc_diags *diags)
{
	return parse_copy(name, text, len, opts, 0, out, diags);
}

void cc_csv_free(cc_csv *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->buf);
	free(t->offs);
	free(t->lines);
	free(t);
}

const char *cc_csv_name(const cc_csv *t) { return t->name; }
size_t cc_csv_nrows(const cc_csv *t) { return t->nrows; }
size_t cc_csv_ncols(const cc_csv *t) { return t->ncols; }
size_t cc_csv_header_line(const cc_csv *t) { return t->header_line; }
size_t cc_csv_rows_dropped(const cc_csv *t) { return t->dropped; }

const char *cc_csv_header(const cc_csv *t, size_t col)
{
	return col < t->ncols && t->buf ? t->buf + t->offs[col] : "";
}

const char *cc_csv_field(const cc_csv *t, size_t row, size_t col)
{
	if (row >= t->nrows || col >= t->ncols)
		return "";
	return t->buf + t->offs[(row + 1) * t->ncols + col];
}

size_t cc_csv_line(const cc_csv *t, size_t row) { return row < t->nrows ? t->lines[row] : 0; }

size_t cc_csv_column(const cc_csv *t, const char *name)
{
	while (*name == ' ' || *name == '\t')
		name++;
	size_t n = strlen(name);
	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	if (n == 0)
		return CC_CSV_NOCOL;
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = cc_csv_header(t, c);
		if (strlen(h) == n && strncasecmp(h, name, n) == 0)
			return c;
	}
	return CC_CSV_NOCOL;
}
