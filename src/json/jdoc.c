/*
 * jdoc.c - JSON inputs with positions.
 *
 * Parsing is cJSON's (cJSON_ParseWithLengthOpts, requiring the text to end
 * after the value). Before it we reject what cJSON would accept but we must
 * not: NUL bytes (cJSON stops at them, silently ignoring the rest) and invalid
 * UTF-8 (which would flow into outputs). After it, `walk` re-scans the now
 * known-valid text in the same order cJSON built its tree (object members and
 * array elements in source order, duplicates included) and records for each
 * node the offsets of its key and value. Lookups sort that table by node
 * address and binary-search it.
 */
#include "jdoc.h"

#include "carecast/fileio.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const cJSON *node;
	size_t key_off; /* offset of the member's key string; SIZE_MAX if none */
	size_t start;   /* offset of the value's first byte */
	size_t end;     /* offset one past the value's last byte */
} pos_entry;

struct cc_jdoc {
	char *name;
	char *text; /* NUL-terminated copy of the input */
	size_t len;
	size_t bom; /* 3 if the text starts with a UTF-8 BOM */
	cJSON *root;
	pos_entry *pos;
	size_t npos;
	size_t *line_starts;
	size_t nlines;
	/* The last position computed, so that many messages on one long line
	 * (reported left to right) cost linear, not quadratic, time. */
	size_t last_off, last_line, last_col;
	cc_diags *diags;
};

/* ---- positions ---------------------------------------------------------- */

static void compute_lines(cc_jdoc *doc)
{
	size_t n = 1;
	for (size_t i = 0; i < doc->len; i++)
		n += doc->text[i] == '\n';
	doc->line_starts = malloc(n * sizeof *doc->line_starts);
	if (!doc->line_starts)
		return;
	doc->line_starts[0] = doc->bom;
	size_t k = 1;
	for (size_t i = 0; i < doc->len; i++)
		if (doc->text[i] == '\n')
			doc->line_starts[k++] = i + 1;
	doc->nlines = n;
}

static void offset_to_line_col(const cc_jdoc *cdoc, size_t off, size_t *line, size_t *col)
{
	cc_jdoc *doc = (cc_jdoc *)cdoc; /* the cache is not part of the value */
	if (!doc->line_starts) {
		*line = 0;
		*col = 0;
		return;
	}
	size_t lo = 0, hi = doc->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (doc->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	size_t from = doc->line_starts[lo], c = 1;
	if (doc->last_line == lo + 1 && doc->last_off <= off && doc->last_off >= from) {
		from = doc->last_off;
		c = doc->last_col;
	}
	for (size_t i = from; i < off && i < doc->len; i++) {
		unsigned char ch = (unsigned char)doc->text[i];
		if ((ch & 0xC0) != 0x80 && ch != '\r')
			c++;
	}
	doc->last_off = off;
	doc->last_line = lo + 1;
	doc->last_col = c;
	*line = lo + 1;
	*col = c;
}

static size_t skip_ws(const char *t, size_t len, size_t i)
{
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
		i++;
	return i;
}

static size_t skip_string(const char *t, size_t len, size_t i)
{
	/* t[i] == '"' */
	i++;
	while (i < len && t[i] != '"') {
		if (t[i] == '\\')
			i++;
		i++;
	}
	return i < len ? i + 1 : len;
}

static size_t skip_scalar(const char *t, size_t len, size_t i)
{
	while (i < len && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' &&
	       t[i] != '\t' && t[i] != '\n' && t[i] != '\r')
		i++;
	return i;
}

typedef struct {
	pos_entry *v;
	size_t n, cap;
	int oom;
} pos_vec;

static void push_pos(pos_vec *pv, const cJSON *node, size_t key_off, size_t start, size_t end)
{
	if (pv->oom)
		return;
	if (pv->n == pv->cap) {
		size_t cap = pv->cap ? pv->cap * 2 : 64;
		pos_entry *v = realloc(pv->v, cap * sizeof *v);
		if (!v) {
			pv->oom = 1;
			return;
		}
		pv->v = v;
		pv->cap = cap;
	}
	pv->v[pv->n++] = (pos_entry){ node, key_off, start, end };
}

/* Walks the value of `node` starting at or after offset i; returns the offset
 * after it. Depth is bounded by cJSON's nesting limit. */
static size_t walk(const char *t, size_t len, size_t i, const cJSON *node, size_t key_off,
                   pos_vec *pv)
{
	i = skip_ws(t, len, i);
	size_t start = i;
	if (i >= len)
		return len;
	if (t[i] == '{' || t[i] == '[') {
		int is_obj = t[i] == '{';
		i++;
		for (const cJSON *c = node->child; c; c = c->next) {
			i = skip_ws(t, len, i);
			size_t koff = SIZE_MAX;
			if (is_obj) {
				koff = i;
				i = skip_string(t, len, i);
				i = skip_ws(t, len, i);
				if (i < len && t[i] == ':')
					i++;
			}
			i = walk(t, len, i, c, koff, pv);
			i = skip_ws(t, len, i);
			if (i < len && t[i] == ',')
				i++;
		}
		i = skip_ws(t, len, i);
		if (i < len)
			i++; /* closing bracket */
	} else if (t[i] == '"') {
		i = skip_string(t, len, i);
	} else {
		i = skip_scalar(t, len, i);
	}
	push_pos(pv, node, key_off, start, i);
	return i;
}

static int cmp_pos(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const pos_entry *)a)->node;
	uintptr_t y = (uintptr_t)((const pos_entry *)b)->node;
	return (x > y) - (x < y);
}

static const pos_entry *find_pos(const cc_jdoc *doc, const cJSON *node)
{
	if (!doc->pos || !node)
		return NULL;
	size_t lo = 0, hi = doc->npos;
	uintptr_t key = (uintptr_t)node;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uintptr_t k = (uintptr_t)doc->pos[mid].node;
		if (k == key)
			return &doc->pos[mid];
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void cc_jdoc_pos(const cc_jdoc *doc, const cJSON *node, int key, size_t *line, size_t *column)
{
	const pos_entry *p = find_pos(doc, node);
	if (!p) {
		*line = 0;
		*column = 0;
		return;
	}
	size_t off = (key && p->key_off != SIZE_MAX) ? p->key_off : p->start;
	offset_to_line_col(doc, off, line, column);
}

void cc_jdoc_found(const cc_jdoc *doc, const cJSON *node, char *buf, size_t size)
{
	if (size == 0)
		return;
	if (!node) {
		snprintf(buf, size, "nothing");
		return;
	}
	if (cJSON_IsObject(node)) {
		snprintf(buf, size, "an object");
		return;
	}
	if (cJSON_IsArray(node)) {
		snprintf(buf, size, "a list");
		return;
	}
	const pos_entry *p = find_pos(doc, node);
	if (!p || p->end <= p->start) {
		snprintf(buf, size, "a value");
		return;
	}
	size_t n = p->end - p->start;
	size_t maxshow = 40;
	if (n > maxshow) {
		/* Cut at a character boundary so the message stays valid UTF-8. */
		while (maxshow > 0 && ((unsigned char)doc->text[p->start + maxshow] & 0xC0) == 0x80)
			maxshow--;
		snprintf(buf, size, "%.*s...", (int)maxshow, doc->text + p->start);
	} else
		snprintf(buf, size, "%.*s", (int)n, doc->text + p->start);
}

/* ---- loading ------------------------------------------------------------ */

/* Returns the length of a valid UTF-8 sequence at s (max n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	uint32_t cp;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static void add_at(cc_jdoc *doc, cc_diag_severity sev, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_at(cc_jdoc *doc, cc_diag_severity sev, size_t off, const char *fmt, ...)
{
	size_t line, col;
	offset_to_line_col(doc, off, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	cc_diags_vadd(doc->diags, sev, doc->name, line, col, fmt, ap);
	va_end(ap);
}

static int prescan(cc_jdoc *doc)
{
	const unsigned char *t = (const unsigned char *)doc->text;
	size_t i = doc->bom;
	while (i < doc->len) {
		if (t[i] == 0) {
			add_at(doc, CC_DIAG_ERROR, i,
			       "expected JSON text, found a NUL byte (is this a binary file?)");
			return CC_EPARSE;
		}
		size_t n = utf8_seq(t + i, doc->len - i);
		if (n == 0) {
			add_at(doc, CC_DIAG_ERROR, i,
			       "expected UTF-8 text, found the invalid byte 0x%02X", t[i]);
			return CC_EPARSE;
		}
		i += n;
	}
	if (skip_ws(doc->text, doc->len, doc->bom) == doc->len) {
		cc_diags_add(doc->diags, CC_DIAG_ERROR, doc->name, 0, 0,
		             "file is empty; expected a JSON object");
		return CC_EPARSE;
	}
	return CC_OK;
}

static void describe_char(const char *t, size_t len, size_t off, char *buf, size_t size)
{
	if (off >= len) {
		snprintf(buf, size, "the end of the file");
		return;
	}
	unsigned char c = (unsigned char)t[off];
	if (c >= 0x20 && c < 0x7F)
		snprintf(buf, size, "'%c'", c);
	else if (c == '\n' || c == '\r')
		snprintf(buf, size, "the end of the line");
	else
		snprintf(buf, size, "byte 0x%02X", c);
}

/*
 * A strict RFC 8259 check run before cJSON. cJSON is lenient where carecast
 * must not be (any byte up to 0x20 as whitespace, raw control characters and
 * "\u0000" inside strings, "01" and "1." as numbers) and its error pointer is
 * not always where the mistake is. The linter stops at the first error with a
 * message saying what was expected there and what was found.
 */
typedef struct {
	const char *t;
	size_t len;
	size_t i;
	size_t err;
	size_t values; /* values seen so far */
	char msg[200];
	int failed;
} lint;

/* At most this many values (objects, lists, strings, numbers, literals) in
 * one file: the national model has about 115,000. Each costs about 100 bytes
 * in memory once parsed, so the limit bounds memory whatever the input. */
#define CC_JSON_MAX_VALUES ((size_t)2000000)

static void lint_fail(lint *L, size_t off, const char *expected)
{
	char what[32];
	describe_char(L->t, L->len, off, what, sizeof what);
	snprintf(L->msg, sizeof L->msg, "malformed JSON: expected %s, found %s", expected, what);
	L->err = off;
	L->failed = 1;
}

static void lint_fail_text(lint *L, size_t off, const char *msg)
{
	snprintf(L->msg, sizeof L->msg, "%s", msg);
	L->err = off;
	L->failed = 1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void lint_ws(lint *L) { L->i = skip_ws(L->t, L->len, L->i); }

static int lint_string(lint *L)
{
	size_t start = L->i;
	L->i++; /* opening quote */
	while (L->i < L->len) {
		unsigned char c = (unsigned char)L->t[L->i];
		if (c == '"') {
			L->i++;
			return 0;
		}
		if (c == '\n' || c == '\r') {
			lint_fail_text(
			    L, start,
			    "malformed JSON: expected the string begun here to end with '\"' "
			    "before the end of the line");
			return -1;
		}
		if (c < 0x20) {
			lint_fail(L, L->i,
			          "no control characters inside a string (write \\t, \\n...)");
			return -1;
		}
		if (c == '\\') {
			char e = L->i + 1 < L->len ? L->t[L->i + 1] : '\0';
			if (e == 'u') {
				for (size_t k = 2; k < 6; k++)
					if (L->i + k >= L->len || !is_hex(L->t[L->i + k])) {
						lint_fail(L, L->i + k, "four hex digits after \\u");
						return -1;
					}
				if (memcmp(L->t + L->i + 2, "0000", 4) == 0) {
					lint_fail_text(
					    L, L->i,
					    "expected text in a string, found the escaped NUL "
					    "character \\u0000");
					return -1;
				}
				L->i += 6;
				continue;
			}
			if (!e || !strchr("\"\\/bfnrt", e)) {
				lint_fail(L, L->i + 1,
				          "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or "
				          "\\uXXXX) after '\\'");
				return -1;
			}
			L->i += 2;
			continue;
		}
		L->i++;
	}
	lint_fail_text(L, start,
	               "malformed JSON: expected the string begun here to end with '\"', found "
	               "the end of the file");
	return -1;
}

static int lint_number(lint *L)
{
	const char *t = L->t;
	if (t[L->i] == '-')
		L->i++;
	if (L->i >= L->len || !is_digit(t[L->i])) {
		lint_fail(L, L->i, "a digit");
		return -1;
	}
	if (t[L->i] == '0') {
		L->i++;
		if (L->i < L->len && is_digit(t[L->i])) {
			lint_fail(L, L->i, "a number without leading zeros");
			return -1;
		}
	} else {
		while (L->i < L->len && is_digit(t[L->i]))
			L->i++;
	}
	if (L->i < L->len && t[L->i] == '.') {
		L->i++;
		if (L->i >= L->len || !is_digit(t[L->i])) {
			lint_fail(L, L->i, "a digit after the decimal point");
			return -1;
		}
		while (L->i < L->len && is_digit(t[L->i]))
			L->i++;
	}
	if (L->i < L->len && (t[L->i] == 'e' || t[L->i] == 'E')) {
		L->i++;
		if (L->i < L->len && (t[L->i] == '+' || t[L->i] == '-'))
			L->i++;
		if (L->i >= L->len || !is_digit(t[L->i])) {
			lint_fail(L, L->i, "a digit in the exponent");
			return -1;
		}
		while (L->i < L->len && is_digit(t[L->i]))
			L->i++;
	}
	return 0;
}

static int lint_value(lint *L, size_t depth);

static int lint_container(lint *L, size_t depth)
{
	int obj = L->t[L->i] == '{';
	char close = obj ? '}' : ']';
	if (depth >= CJSON_NESTING_LIMIT) {
		char msg[120];
		snprintf(msg, sizeof msg,
		         "expected JSON nested at most %d levels deep, found deeper nesting",
		         CJSON_NESTING_LIMIT);
		lint_fail_text(L, L->i, msg);
		return -1;
	}
	L->i++;
	lint_ws(L);
	if (L->i < L->len && L->t[L->i] == close) {
		L->i++;
		return 0;
	}
	for (;;) {
		if (obj) {
			lint_ws(L);
			if (L->i >= L->len || L->t[L->i] != '"') {
				lint_fail(L, L->i, "a key (a name in double quotes)");
				return -1;
			}
			if (lint_string(L))
				return -1;
			lint_ws(L);
			if (L->i >= L->len || L->t[L->i] != ':') {
				lint_fail(L, L->i, "':' after the key");
				return -1;
			}
			L->i++;
		}
		if (lint_value(L, depth + 1))
			return -1;
		lint_ws(L);
		if (L->i < L->len && L->t[L->i] == ',') {
			L->i++;
			lint_ws(L);
			if (L->i < L->len && L->t[L->i] == close) {
				lint_fail_text(
				    L, L->i,
				    obj ? "malformed JSON: expected another member after ',', "
				          "found '}' (JSON does not allow a trailing comma)"
				        : "malformed JSON: expected another item after ',', "
				          "found ']' (JSON does not allow a trailing comma)");
				return -1;
			}
			continue;
		}
		if (L->i < L->len && L->t[L->i] == close) {
			L->i++;
			return 0;
		}
		lint_fail(L, L->i,
		          obj ? "',' or '}' after a member of an object"
		              : "',' or ']' after an item of a list");
		return -1;
	}
}

static int lint_value(lint *L, size_t depth)
{
	lint_ws(L);
	if (L->i >= L->len) {
		lint_fail(L, L->i, "a value");
		return -1;
	}
	if (++L->values > CC_JSON_MAX_VALUES) {
		char msg[160];
		snprintf(msg, sizeof msg,
		         "expected at most %zu values (numbers, strings, lists, objects) in one "
		         "JSON file, found more",
		         CC_JSON_MAX_VALUES);
		lint_fail_text(L, L->i, msg);
		return -1;
	}
	char c = L->t[L->i];
	if (c == '{' || c == '[')
		return lint_container(L, depth);
	if (c == '"')
		return lint_string(L);
	if (c == '-' || is_digit(c))
		return lint_number(L);
	static const char *const words[] = { "true", "false", "null" };
	for (size_t k = 0; k < 3; k++) {
		size_t n = strlen(words[k]);
		if (L->len - L->i >= n && memcmp(L->t + L->i, words[k], n) == 0) {
			L->i += n;
			return 0;
		}
	}
	lint_fail(L, L->i, "a value (an object, list, string, number, true, false or null)");
	return -1;
}

static int lint_text(cc_jdoc *doc)
{
	lint L = { .t = doc->text, .len = doc->len, .i = doc->bom };
	if (lint_value(&L, 0) == 0) {
		lint_ws(&L);
		if (L.i < L.len)
			lint_fail(&L, L.i, "the end of the file after the JSON value");
	}
	if (!L.failed)
		return CC_OK;
	add_at(doc, CC_DIAG_ERROR, L.err, "%s", L.msg);
	return CC_EPARSE;
}

static int parse_text(cc_jdoc *doc)
{
	int rc = prescan(doc);
	if (rc == CC_OK)
		rc = lint_text(doc);
	if (rc != CC_OK)
		return rc;
	const char *body = doc->text + doc->bom;
	size_t blen = doc->len - doc->bom;
	const char *end = NULL;
	/* Length includes the NUL so cJSON's require_null_terminated check can
	 * see it. The text is valid JSON by now; cJSON fails only for memory. */
	doc->root = cJSON_ParseWithLengthOpts(body, blen + 1, &end, 1);
	if (doc->root)
		return CC_OK;
	size_t off = end ? (size_t)(end - doc->text) : doc->bom;
	add_at(doc, CC_DIAG_ERROR, off > doc->len ? doc->len : off,
	       "cannot parse JSON here (out of memory?)");
	return CC_ENOMEM;
}

static int build_positions(cc_jdoc *doc)
{
	pos_vec pv = { 0 };
	walk(doc->text, doc->len, doc->bom, doc->root, SIZE_MAX, &pv);
	if (pv.oom) {
		free(pv.v);
		return CC_ENOMEM;
	}
	qsort(pv.v, pv.n, sizeof *pv.v, cmp_pos);
	doc->pos = pv.v;
	doc->npos = pv.n;
	return CC_OK;
}

int cc_jdoc_parse(const char *name, const char *text, size_t len, cc_jdoc **out, cc_diags *diags)
{
	*out = NULL;
	cc_jdoc *doc = calloc(1, sizeof *doc);
	if (!doc)
		return CC_ENOMEM;
	doc->diags = diags;
	size_t nlen = strlen(name);
	doc->name = malloc(nlen + 1);
	doc->text = malloc(len + 1);
	if (!doc->name || !doc->text) {
		cc_jdoc_free(doc);
		return CC_ENOMEM;
	}
	memcpy(doc->name, name, nlen + 1);
	memcpy(doc->text, text, len);
	doc->text[len] = '\0';
	doc->len = len;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		doc->bom = 3;
	compute_lines(doc);
	if (!doc->line_starts) {
		cc_jdoc_free(doc);
		return CC_ENOMEM;
	}
	int rc = parse_text(doc);
	if (rc == CC_OK)
		rc = build_positions(doc);
	if (rc != CC_OK) {
		cc_jdoc_free(doc);
		return rc;
	}
	*out = doc;
	return CC_OK;
}

int cc_jdoc_load(const char *path, cc_jdoc **out, cc_diags *diags)
{
	char *data;
	size_t len;
	*out = NULL;
	int rc = cc_file_read(path, CC_FILE_MAX_BYTES, &data, &len, diags);
	if (rc != CC_OK)
		return rc;
	rc = cc_jdoc_parse(path, data, len, out, diags);
	free(data);
	return rc;
}

void cc_jdoc_free(cc_jdoc *doc)
{
	if (!doc)
		return;
	cJSON_Delete(doc->root);
	free(doc->pos);
	free(doc->line_starts);
	free(doc->text);
	free(doc->name);
	free(doc);
}

const cJSON *cc_jdoc_root(const cc_jdoc *doc) { return doc->root; }
const char *cc_jdoc_name(const cc_jdoc *doc) { return doc->name; }
cc_diags *cc_jdoc_diags(cc_jdoc *doc) { return doc->diags; }

const char *cc_jdoc_text(const cc_jdoc *doc, size_t *len)
{
	*len = doc->len;
	return doc->text;
}

/* ---- reporting ---------------------------------------------------------- */

static void vreport(cc_jdoc *doc, cc_diag_severity sev, const cJSON *node, int key, const char *fmt,
                    va_list ap) __attribute__((format(printf, 5, 0)));
static void vreport(cc_jdoc *doc, cc_diag_severity sev, const cJSON *node, int key, const char *fmt,
                    va_list ap)
{
	size_t line = 0, col = 0;
	if (!cc_diags_full(doc->diags))
		cc_jdoc_pos(doc, node, key, &line, &col);
	cc_diags_vadd(doc->diags, sev, doc->name, line, col, fmt, ap);
}

void cc_jdoc_error(cc_jdoc *doc, const cJSON *node, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(doc, CC_DIAG_ERROR, node, 0, fmt, ap);
	va_end(ap);
}

void cc_jdoc_warning(cc_jdoc *doc, const cJSON *node, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(doc, CC_DIAG_WARNING, node, 0, fmt, ap);
	va_end(ap);
}

void cc_jdoc_key_error(cc_jdoc *doc, const cJSON *node, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(doc, CC_DIAG_ERROR, node, 1, fmt, ap);
	va_end(ap);
}

/* ---- typed getters ------------------------------------------------------ */

static const cJSON *member(const cJSON *obj, const char *key)
{
	/* Case-sensitive: "Rate_per_year" is a different (unknown) key. */
	return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

static int missing(cc_jdoc *doc, const cJSON *obj, const char *key, int required, const char *type)
{
	if (required)
		cc_jdoc_error(doc, obj, "missing \"%s\": expected %s", key, type);
	return 0;
}

static void fmt_num(double v, char *buf, size_t size) { snprintf(buf, size, "%.10g", v); }

int cc_jdoc_number_value(cc_jdoc *doc, const cJSON *node, const char *what, double min, double max,
                         double *out)
{
	char found[64];
	char lo[32], hi[32];
	fmt_num(min, lo, sizeof lo);
	fmt_num(max, hi, sizeof hi);
	if (!cJSON_IsNumber(node)) {
		cc_jdoc_found(doc, node, found, sizeof found);
		cc_jdoc_error(doc, node, "expected a number for %s, found %s", what, found);
		return -1;
	}
	double v = node->valuedouble;
	if (!isfinite(v)) {
		cc_jdoc_found(doc, node, found, sizeof found);
		cc_jdoc_error(doc, node, "expected a finite number for %s, found %s", what, found);
		return -1;
	}
	if (v < min || v > max) {
		cc_jdoc_found(doc, node, found, sizeof found);
		cc_jdoc_error(doc, node, "expected a number from %s to %s for %s, found %s", lo, hi,
		              what, found);
		return -1;
	}
	if (v == 0)
		v = 0; /* -0 reads as 0 */
	*out = v;
	return 1;
}

int cc_jdoc_get_number(cc_jdoc *doc, const cJSON *obj, const char *key, int required, double min,
                       double max, double *out)
{
	const cJSON *n = member(obj, key);
	if (!n)
		return missing(doc, obj, key, required, "a number");
	char what[96];
	snprintf(what, sizeof what, "\"%s\"", key);
	return cc_jdoc_number_value(doc, n, what, min, max, out);
}

int cc_jdoc_get_long(cc_jdoc *doc, const cJSON *obj, const char *key, int required, long min,
                     long max, long *out)
{
	const cJSON *n = member(obj, key);
	if (!n)
		return missing(doc, obj, key, required, "a whole number");
	double v;
	char what[96];
	snprintf(what, sizeof what, "\"%s\"", key);
	if (!cJSON_IsNumber(n)) {
		char found[64];
		cc_jdoc_found(doc, n, found, sizeof found);
		cc_jdoc_error(doc, n, "expected a whole number for %s, found %s", what, found);
		return -1;
	}
	int r = cc_jdoc_number_value(doc, n, what, (double)min, (double)max, &v);
	if (r != 1)
		return r;
	if (v != floor(v)) {
		char found[64];
		cc_jdoc_found(doc, n, found, sizeof found);
		cc_jdoc_error(doc, n, "expected a whole number for \"%s\", found %s", key, found);
		return -1;
	}
	*out = (long)v;
	return 1;
}

int cc_jdoc_get_string(cc_jdoc *doc, const cJSON *obj, const char *key, int required,
                       const char **out)
{
	const cJSON *n = member(obj, key);
	if (!n)
		return missing(doc, obj, key, required, "a string");
	if (!cJSON_IsString(n) || !n->valuestring) {
		char found[64];
		cc_jdoc_found(doc, n, found, sizeof found);
		cc_jdoc_error(doc, n, "expected a string for \"%s\", found %s", key, found);
		return -1;
	}
	*out = n->valuestring;
	return 1;
}

int cc_jdoc_get_bool(cc_jdoc *doc, const cJSON *obj, const char *key, int required, int *out)
{
	const cJSON *n = member(obj, key);
	if (!n)
		return missing(doc, obj, key, required, "true or false");
	if (!cJSON_IsBool(n)) {
		char found[64];
		cc_jdoc_found(doc, n, found, sizeof found);
		cc_jdoc_error(doc, n, "expected true or false for \"%s\", found %s", key, found);
		return -1;
	}
	*out = cJSON_IsTrue(n);
	return 1;
}

int cc_jdoc_get_array(cc_jdoc *doc, const cJSON *obj, const char *key, int required,
                      size_t max_items, const cJSON **out)
{
	const cJSON *n = member(obj, key);
	if (!n)
		return missing(doc, obj, key, required, "a list");
	if (!cJSON_IsArray(n)) {
		char found[64];
		cc_jdoc_found(doc, n, found, sizeof found);
		cc_jdoc_error(doc, n, "expected a list for \"%s\", found %s", key, found);
		return -1;
	}
	size_t count = 0;
	for (const cJSON *c = n->child; c; c = c->next)
		count++;
	if (count > max_items) {
		cc_jdoc_error(doc, n, "expected at most %zu items in \"%s\", found %zu", max_items,
		              key, count);
		return -1;
	}
	*out = n;
	return 1;
}

int cc_jdoc_get_object(cc_jdoc *doc, const cJSON *obj, const char *key, int required,
                       const cJSON **out)
{
	const cJSON *n = member(obj, key);
	if (!n)
		return missing(doc, obj, key, required, "an object");
	if (!cJSON_IsObject(n)) {
		char found[64];
		cc_jdoc_found(doc, n, found, sizeof found);
		cc_jdoc_error(doc, n, "expected an object for \"%s\", found %s", key, found);
		return -1;
	}
	*out = n;
	return 1;
}

typedef struct {
	const cJSON *node;
	size_t order;
} key_ref;

static int cmp_key_ref(const void *a, const void *b)
{
	const key_ref *x = a, *y = b;
	int c =
	    strcmp(x->node->string ? x->node->string : "", y->node->string ? y->node->string : "");
	if (c)
		return c;
	return (x->order > y->order) - (x->order < y->order);
}

/* Repeated keys, found by sorting (an object may have a million members). */
size_t cc_jdoc_check_duplicates(cc_jdoc *doc, const cJSON *obj, const char *what)
{
	if (!cJSON_IsObject(obj))
		return 0;
	size_t n = 0;
	for (const cJSON *c = obj->child; c; c = c->next)
		n++;
	if (n < 2)
		return 0;
	key_ref *refs = malloc(n * sizeof *refs);
	if (!refs)
		return 0;
	size_t i = 0;
	for (const cJSON *c = obj->child; c; c = c->next, i++)
		refs[i] = (key_ref){ c, i };
	qsort(refs, n, sizeof *refs, cmp_key_ref);
	size_t problems = 0, first = 0;
	for (i = 1; i < n; i++) {
		const char *a = refs[i - 1].node->string ? refs[i - 1].node->string : "";
		const char *b = refs[i].node->string ? refs[i].node->string : "";
		if (strcmp(a, b) != 0) {
			first = i; /* a new run of equal keys starts here */
			continue;
		}
		size_t line = 0, col;
		if (!cc_diags_full(doc->diags))
			cc_jdoc_pos(doc, refs[first].node, 1, &line, &col);
		cc_jdoc_key_error(doc, refs[i].node,
		                  "duplicate key \"%s\" in %s (first at line %zu)", b, what, line);
		problems++;
	}
	free(refs);
	return problems;
}

size_t cc_jdoc_check_keys(cc_jdoc *doc, const cJSON *obj, const char *what,
                          const char *const *allowed)
{
	if (!cJSON_IsObject(obj))
		return 0;
	size_t problems = cc_jdoc_check_duplicates(doc, obj, what);
	for (const cJSON *c = obj->child; c; c = c->next) {
		const char *k = c->string ? c->string : "";
		if (k[0] == '_')
			continue;
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, k) == 0) {
				ok = 1;
				break;
			}
		if (!ok) {
			char list[512] = "";
			size_t used = 0;
			for (const char *const *a = allowed; *a && used + 1 < sizeof list; a++) {
				int w = snprintf(list + used, sizeof list - used, "%s\"%s\"",
				                 a == allowed ? "" : ", ", *a);
				if (w < 0 || (size_t)w >= sizeof list - used)
					break;
				used += (size_t)w;
			}
			cc_jdoc_key_error(doc, c, "unknown key \"%s\" in %s; expected one of %s", k,
			                  what, list);
			problems++;
		}
	}
	return problems;
}
