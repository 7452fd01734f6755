/*
 * jdoc.h - a parsed JSON input file that remembers where every value came from.
 *
 * cJSON parses but forgets positions. A cc_jdoc keeps the source text and,
 * after cJSON has accepted it, walks the text and the tree in lockstep to give
 * every node its line and column. Readers of JSON inputs (model, scenario)
 * then report problems as file:line:column with what was expected and what
 * was found, and keep going to report every problem, not just the first.
 *
 * This header is internal to the library (it exposes cJSON types); only JSON
 * readers include it.
 */
#ifndef CARECAST_JDOC_H
#define CARECAST_JDOC_H

#include "carecast/error.h"

#include <cjson/cJSON.h>
#include <stddef.h>

typedef struct cc_jdoc cc_jdoc;

/* Reads and parses a file. On failure adds diagnostics (with position) and
 * returns CC_EIO, CC_ERANGE or CC_EPARSE. Caller frees with cc_jdoc_free. */
int cc_jdoc_load(const char *path, cc_jdoc **out, cc_diags *diags);
/* Parses text (len bytes; need not be NUL-terminated) named `name` in
 * messages. Same results as cc_jdoc_load. */
int cc_jdoc_parse(const char *name, const char *text, size_t len, cc_jdoc **out, cc_diags *diags);
void cc_jdoc_free(cc_jdoc *doc);

const cJSON *cc_jdoc_root(const cc_jdoc *doc);
const char *cc_jdoc_name(const cc_jdoc *doc);
/* The raw bytes of the file as read (for hashing). */
const char *cc_jdoc_text(const cc_jdoc *doc, size_t *len);

/* Position of a node's value (or of its key, when key is non-zero and the
 * node is an object member). Unknown nodes give line 0. */
void cc_jdoc_pos(const cc_jdoc *doc, const cJSON *node, int key, size_t *line, size_t *column);

/* A short description of what a node is, for "found ..." in messages: the
 * source text of a scalar (shortened), or "an object" / "a list". */
void cc_jdoc_found(const cc_jdoc *doc, const cJSON *node, char *buf, size_t size);

/* Adds an error (or warning) located at node's value. */
void cc_jdoc_error(cc_jdoc *doc, const cJSON *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cc_jdoc_warning(cc_jdoc *doc, const cJSON *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds an error located at node's key. */
void cc_jdoc_key_error(cc_jdoc *doc, const cJSON *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The diagnostics list the document reports into (set by load/parse). */
cc_diags *cc_jdoc_diags(cc_jdoc *doc);

/*
 * Typed access with validation. Each getter reports its own error (naming the
 * key, the expected type and range, and what was found) and returns:
 *   1 when the key is present and valid (value stored),
 *   0 when the key is absent (an error is added if `required`),
 *  -1 when present but invalid (error added).
 */
int cc_jdoc_get_number(cc_jdoc *doc, const cJSON *obj, const char *key, int required, double min,
                       double max, double *out);
/* An integral number in [min, max]. */
int cc_jdoc_get_long(cc_jdoc *doc, const cJSON *obj, const char *key, int required, long min,
                     long max, long *out);
int cc_jdoc_get_string(cc_jdoc *doc, const cJSON *obj, const char *key, int required,
                       const char **out);
int cc_jdoc_get_bool(cc_jdoc *doc, const cJSON *obj, const char *key, int required, int *out);
/* An array (with at most max_items elements) or object member. */
int cc_jdoc_get_array(cc_jdoc *doc, const cJSON *obj, const char *key, int required,
                      size_t max_items, const cJSON **out);
int cc_jdoc_get_object(cc_jdoc *doc, const cJSON *obj, const char *key, int required,
                       const cJSON **out);

/* Checks a number node is finite and in [min, max]; reports against `what`. */
int cc_jdoc_number_value(cc_jdoc *doc, const cJSON *node, const char *what, double min, double max,
                         double *out);

/* Reports every member of obj whose key is not in the NULL-terminated list
 * `allowed` (keys beginning with '_' are always allowed), and every repeated
 * key. Returns the number of problems found. `what` names the object in
 * messages ("the model", "a moves row"). */
size_t cc_jdoc_check_keys(cc_jdoc *doc, const cJSON *obj, const char *what,
                          const char *const *allowed);

/* Reports every repeated key of obj (for objects whose keys are names from
 * the data, such as a map from age band to rate). Returns the count. */
size_t cc_jdoc_check_duplicates(cc_jdoc *doc, const cJSON *obj, const char *what);

#endif
