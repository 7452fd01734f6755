/*
 * fuzz_csv.c - the CSV layer under every table reader (RFC 4180, BOM, CRLF,
 * limits), then every field of every row read back. Differential: the
 * reader's fast path (lines without quotes split without libcsv) must give
 * exactly what libcsv alone gives, rows, fields and diagnostics; any
 * difference aborts.
 */
#include "carecast/csv.h"
#include "csv/csv_int.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void differ(const char *what)
{
	fprintf(stderr, "fuzz_csv: the fast path and libcsv differ: %s\n", what);
	abort();
}

static void compare(int s1, const cc_csv *a, const cc_diags *da, int s2, const cc_csv *b,
                    const cc_diags *db)
{
	if (s1 != s2)
		differ("status");
	if (cc_diags_count(da) != cc_diags_count(db))
		differ("number of diagnostics");
	for (size_t i = 0; i < cc_diags_count(da); i++) {
		char *x = cc_diag_format(cc_diags_get(da, i));
		char *y = cc_diag_format(cc_diags_get(db, i));
		int same = x && y && strcmp(x, y) == 0;
		free(x);
		free(y);
		if (!same)
			differ("a diagnostic");
	}
	if (s1 != CC_OK)
		return;
	if (cc_csv_nrows(a) != cc_csv_nrows(b) || cc_csv_ncols(a) != cc_csv_ncols(b))
		differ("rows or columns");
	for (size_t r = 0; r < cc_csv_nrows(a); r++) {
		if (cc_csv_line(a, r) != cc_csv_line(b, r))
			differ("a row's line");
		for (size_t c = 0; c < cc_csv_ncols(a); c++) {
			const char *f = cc_csv_field(a, r, c), *g = cc_csv_field(b, r, c);
			if ((f == NULL) != (g == NULL) || (f && strcmp(f, g) != 0))
				differ("a field");
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cc_csv_opts o = { .max_columns = 2000 };
	cc_diags *d = cc_diags_alloc(0), *d2 = cc_diags_alloc(0);
	cc_csv *t = NULL, *t2 = NULL;
	if (!d || !d2)
		goto out;
	int s1 = cc_csv_parse("fuzz.csv", (const char *)data, size, &o, &t, d);
	int s2 = cc_csv_parse_libcsv("fuzz.csv", (const char *)data, size, &o, &t2, d2);
	if (s1 != CC_ENOMEM && s2 != CC_ENOMEM)
		compare(s1, t, d, s2, t2, d2);
	if (s1 == CC_OK) {
		size_t volatile sink = 0;
		for (size_t r = 0; r < cc_csv_nrows(t); r++)
			for (size_t c = 0; c < cc_csv_ncols(t); c++) {
				const char *f = cc_csv_field(t, r, c);
				sink += f ? (size_t)f[0] : 0;
			}
		(void)sink;
	}
out:
	if (t)
		cc_csv_free(t);
	if (t2)
		cc_csv_free(t2);
	cc_diags_free(d);
	cc_diags_free(d2);
	return 0;
}
