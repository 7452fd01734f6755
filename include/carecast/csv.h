/*
 * csv.h - CSV files read whole into a table of text fields.
 *
 * The format is RFC 4180 with the leniencies real exports need: fields may be
 * quoted (a quoted field may hold commas, doubled quotes "" and line breaks);
 * lines end with LF, CRLF or CR; a UTF-8 byte-order mark at the start is
 * ignored; blank lines (empty or only spaces and tabs) are ignored wherever
 * they are, and never shift the line numbers reported. Every field is
 * trimmed of leading and trailing ASCII spaces and tabs, quoted or not (the
 * files carecast reads hold codes, dates and names, where surrounding blanks
 * are never meant).
 *
 * The first non-blank line is the header: one name per column. Names are
 * matched case-insensitively (after trimming) and must be unique; empty names
 * are allowed (Excel writes them for trailing blank columns) and never match.
 * Each later line is a row of fields, one per column:
 *   - a row with fewer fields than the header is an error naming the row and
 *     the first missing column; the row is left out and reading goes on;
 *   - a row with more fields is fine if the extra fields are empty (they are
 *     dropped); otherwise it is an error and the row is left out (a stray
 *     comma has probably shifted every field after it);
 *   - a stray quote (inside an unquoted field, or text after a closing quote)
 *     is an error at that character; the row is left out and reading resumes
 *     on the next line.
 * The file as a whole is rejected (CC_EPARSE, no table) when it is empty,
 * holds a NUL byte or bytes that are not UTF-8, ends inside a quoted field
 * (reported at the opening quote), repeats a column name, or exceeds a size
 * limit (cc_csv_opts). A file with a header and no rows is a valid, empty
 * table.
 *
 * Messages never quote the contents of data fields (they may be personal
 * data); they give the position and the column name (and, at a stray quote,
 * the one character found). Column names are quoted
 * only when they look like names (a letter, then letters, digits, spaces or
 * _ - . /, at most 40 characters), so a file whose header line is missing and
 * whose first row is data does not have that row echoed.
 *
 * Memory: the fields are stored, unquoted and NUL-terminated, in the buffer
 * the file was read into (they are never longer than their raw text), with one
 * 32-bit offset per field; there is no allocation per field or per row. A
 * table therefore takes the file's size plus 4 bytes per field.
 */
#ifndef CARECAST_CSV_H
#define CARECAST_CSV_H

#include "carecast/error.h"

#include <stddef.h>

/* Default limits (see cc_csv_opts). */
#define CC_CSV_MAX_FIELD_BYTES ((size_t)1 << 20) /* 1 MiB */
#define CC_CSV_MAX_COLUMNS ((size_t)4096)
/* Row errors of one kind reported as messages before only counting them. */
#define CC_CSV_MAX_ROW_MESSAGES ((size_t)20)

/* Returned by cc_csv_column for a name that is not in the header. */
#define CC_CSV_NOCOL ((size_t)-1)

/* Options; a zero field means the default. Pass NULL for all defaults. */
typedef struct {
	size_t max_file_bytes;   /* CC_FILE_MAX_BYTES (cc_csv_read only) */
	size_t max_field_bytes;  /* CC_CSV_MAX_FIELD_BYTES, after unquoting */
	size_t max_columns;      /* CC_CSV_MAX_COLUMNS, in the header */
	size_t max_row_messages; /* CC_CSV_MAX_ROW_MESSAGES per kind of row error */
} cc_csv_opts;

/* A table read from a CSV file. Opaque; free with cc_csv_free. */
typedef struct cc_csv cc_csv;

/* Reads the CSV file at path (a regular file; see cc_file_read). On success
 * returns CC_OK and *out (caller frees with cc_csv_free); row errors, if any,
 * are in diags and the rows concerned are left out (cc_csv_rows_dropped).
 * On failure *out is NULL and the status is CC_EIO (cannot read), CC_ERANGE
 * (file too large), CC_EPARSE (rejected, see above) or CC_ENOMEM; every
 * problem is in diags as file:line:column. */
int cc_csv_read(const char *path, const cc_csv_opts *opts, cc_csv **out, cc_diags *diags);

/* The same for text already in memory (len bytes, NUL bytes included; text
 * need not be NUL-terminated). name is used in messages. The text is copied. */
int cc_csv_parse(const char *name, const char *text, size_t len, const cc_csv_opts *opts,
                 cc_csv **out, cc_diags *diags);

/* Frees a table; NULL is allowed. */
void cc_csv_free(cc_csv *t);

/* The file name given to cc_csv_read or cc_csv_parse. */
const char *cc_csv_name(const cc_csv *t);

/* Data rows (the header is not a row) and columns (fields in the header). */
size_t cc_csv_nrows(const cc_csv *t);
size_t cc_csv_ncols(const cc_csv *t);

/* The name of column col (< ncols), trimmed; "" for an unnamed column. */
const char *cc_csv_header(const cc_csv *t, size_t col);

/* The index of the column called name (compared case-insensitively, both
 * sides trimmed of spaces and tabs), or CC_CSV_NOCOL. */
size_t cc_csv_column(const cc_csv *t, const char *name);

/* The text of field (row < nrows, col < ncols): NUL-terminated, trimmed,
 * unquoted; "" when empty. Valid until cc_csv_free. */
const char *cc_csv_field(const cc_csv *t, size_t row, size_t col);

/* The physical line (1-based) on which row starts. Blank lines and line
 * breaks inside quoted fields are counted, so this is the line an editor
 * shows. The header is on cc_csv_header_line(t). */
size_t cc_csv_line(const cc_csv *t, size_t row);
size_t cc_csv_header_line(const cc_csv *t);

/* Rows left out because of row errors (reported in diags). */
size_t cc_csv_rows_dropped(const cc_csv *t);

#endif
