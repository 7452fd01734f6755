/*
 * fuzz_csv.c - the CSV layer under every table reader (RFC 4180, BOM, CRLF,
 * limits), then every field of every row read back.
 */
#include "carecast/csv.h"
#include "fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cc_csv_opts o = { .max_columns = 2000 };
	cc_diags *d = cc_diags_alloc(0);
	cc_csv *t = NULL;
	if (d && cc_csv_parse("fuzz.csv", (const char *)data, size, &o, &t, d) == CC_OK) {
		size_t volatile sink = 0;
		for (size_t r = 0; r < cc_csv_nrows(t); r++)
			for (size_t c = 0; c < cc_csv_ncols(t); c++) {
				const char *f = cc_csv_field(t, r, c);
				sink += f ? (size_t)f[0] : 0;
			}
		(void)sink;
		cc_csv_free(t);
	}
	for (size_t i = 0; d && i < cc_diags_count(d); i++)
		free(cc_diag_format(cc_diags_get(d, i)));
	cc_diags_free(d);
	return 0;
}
