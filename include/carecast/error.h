/*
 * error.h - status codes and diagnostics shared by every carecast module.
 *
 * Functions return an int status (CC_OK on success) and pass results through
 * out-pointers. Problems found in a user's file are not status codes alone: they
 * are collected as diagnostics (file, line, column, message) in a cc_diags list,
 * so a reader can report every problem it finds, not just the first, and the
 * program decides how to print them. The library never prints.
 */
#ifndef CARECAST_ERROR_H
#define CARECAST_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum {
	CC_OK = 0,
	CC_EINVAL = 1, /* invalid argument from the caller */
	CC_ENOMEM = 2, /* out of memory */
	CC_EIO = 3,    /* a file could not be read or written */
	CC_EPARSE = 4, /* a user's file is malformed or fails validation */
	CC_ERANGE = 5, /* a number is out of the range carecast supports */
	CC_EINTR = 6,  /* interrupted on request (signal) */
};

/* A short English name for a status code; never NULL. */
const char *cc_strerror(int status);

typedef enum { CC_DIAG_ERROR = 0, CC_DIAG_WARNING = 1 } cc_diag_severity;

/* One problem found in an input. line and column are 1-based; 0 means unknown
 * (then the message is about the file as a whole). */
typedef struct {
	cc_diag_severity severity;
	char *file;
	size_t line;
	size_t column;
	char *message;
} cc_diag;

/* A list of diagnostics. Opaque; create with cc_diags_alloc, free with
 * cc_diags_free. Keeps at most `limit` entries and counts the rest. */
typedef struct cc_diags cc_diags;

/* limit = 0 means the default (200). Returns NULL when out of memory. */
cc_diags *cc_diags_alloc(size_t limit);
void cc_diags_free(cc_diags *d);

/* Adds a diagnostic. file may be NULL. Never fails from the caller's point of
 * view: if memory runs out the entry is counted but its text is lost. */
void cc_diags_add(cc_diags *d, cc_diag_severity sev, const char *file, size_t line, size_t column,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void cc_diags_vadd(cc_diags *d, cc_diag_severity sev, const char *file, size_t line, size_t column,
                   const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

size_t cc_diags_count(const cc_diags *d);    /* entries kept */
size_t cc_diags_errors(const cc_diags *d);   /* errors, including dropped */
size_t cc_diags_warnings(const cc_diags *d); /* warnings, including dropped */
size_t cc_diags_dropped(const cc_diags *d);  /* entries over the limit */
/* 1 when further entries would only be counted (the limit is reached), so a
 * caller can skip the work of locating them. */
int cc_diags_full(const cc_diags *d);
const cc_diag *cc_diags_get(const cc_diags *d, size_t i); /* i < count */

/* Formats entry i as "file:line:column: [warning: ]message" into a buffer the
 * caller frees with free(); NULL when out of memory. */
char *cc_diag_format(const cc_diag *e);

#endif
