/*
 * csv_int.h - what the tests may see of the CSV reader beyond csv.h.
 */
#ifndef CARECAST_CSV_INT_H
#define CARECAST_CSV_INT_H

#include "carecast/csv.h"

/* cc_csv_parse with every line read by libcsv, without the fast path for
 * lines that hold no quote. The result, diagnostics included, must be the
 * same as cc_csv_parse's; the tests compare the two. */
int cc_csv_parse_libcsv(const char *name, const char *text, size_t len, const cc_csv_opts *opts,
                        cc_csv **out, cc_diags *diags);

#endif
