/*
 * error.c - status names and the diagnostics list.
 *
 * Diagnostics are kept in insertion order, which is the order a reader meets
 * problems in a file, so messages come out top to bottom. The list is bounded:
 * a file with a million bad rows must not make carecast use a million messages'
 * worth of memory; past the limit only the counts grow.
 */
#include "carecast/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 200

struct cc_diags {
	cc_diag *items;
	size_t n;
	size_t cap;
	size_t limit;
	size_t errors;
	size_t warnings;
	size_t dropped;
};

const char *cc_strerror(int status)
{
	switch (status) {
	case CC_OK: return "success";
	case CC_EINVAL: return "invalid argument";
	case CC_ENOMEM: return "out of memory";
	case CC_EIO: return "input/output error";
	case CC_EPARSE: return "invalid input";
	case CC_ERANGE: return "number out of range";
	case CC_EINTR: return "interrupted";
	default: return "unknown error";
	}
}

cc_diags *cc_diags_alloc(size_t limit)
{
	cc_diags *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->limit = limit ? limit : DEFAULT_LIMIT;
	return d;
}

void cc_diags_free(cc_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
	}
	free(d->items);
	free(d);
}

static char *dup_or_null(const char *s)
{
	if (!s)
		return NULL;
	size_t len = strlen(s) + 1;
	char *p = malloc(len);
	if (p)
		memcpy(p, s, len);
	return p;
}

void cc_diags_vadd(cc_diags *d, cc_diag_severity sev, const char *file, size_t line, size_t column,
                   const char *fmt, va_list ap)
{
	if (!d)
		return;
	if (sev == CC_DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (d->n >= d->limit) {
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		cc_diag *items = realloc(d->items, cap * sizeof *items);
		if (!items) {
			d->dropped++;
			return;
		}
		d->items = items;
		d->cap = cap;
	}
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	cc_diag *e = &d->items[d->n++];
	e->severity = sev;
	e->file = dup_or_null(file);
	e->line = line;
	e->column = column;
	e->message = dup_or_null(buf);
}

void cc_diags_add(cc_diags *d, cc_diag_severity sev, const char *file, size_t line, size_t column,
                  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cc_diags_vadd(d, sev, file, line, column, fmt, ap);
	va_end(ap);
}

size_t cc_diags_count(const cc_diags *d) { return d ? d->n : 0; }
size_t cc_diags_errors(const cc_diags *d) { return d ? d->errors : 0; }
size_t cc_diags_warnings(const cc_diags *d) { return d ? d->warnings : 0; }
size_t cc_diags_dropped(const cc_diags *d) { return d ? d->dropped : 0; }
int cc_diags_full(const cc_diags *d) { return d && d->n >= d->limit; }

const cc_diag *cc_diags_get(const cc_diags *d, size_t i)
{
	return (d && i < d->n) ? &d->items[i] : NULL;
}

char *cc_diag_format(const cc_diag *e)
{
	if (!e)
		return NULL;
	const char *file = e->file ? e->file : "";
	const char *msg = e->message ? e->message : "(message lost: out of memory)";
	const char *sev = e->severity == CC_DIAG_WARNING ? "warning: " : "";
	char where[64] = "";
	if (e->line && e->column)
		snprintf(where, sizeof where, ":%zu:%zu", e->line, e->column);
	else if (e->line)
		snprintf(where, sizeof where, ":%zu", e->line);
	size_t len = strlen(file) + strlen(where) + strlen(sev) + strlen(msg) + 4;
	char *out = malloc(len);
	if (!out)
		return NULL;
	if (*file)
		snprintf(out, len, "%s%s: %s%s", file, where, sev, msg);
	else if (*where)
		snprintf(out, len, "%s: %s%s", where + 1, sev, msg);
	else
		snprintf(out, len, "%s%s", sev, msg);
	return out;
}
