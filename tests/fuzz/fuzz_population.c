/*
 * fuzz_population.c - an ONS 0-17 population file (population_0to17.csv)
 * read on its own with cc_dfe_read_population, and every area's figures
 * looked up.
 */
#include "carecast/dfe.h"
#include "fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_tmpfile(2, data, size);
	if (!path)
		return 0;
	cc_diags *d = cc_diags_alloc(0);
	cc_dfe *p = NULL;
	if (d && cc_dfe_read_population(path, &p, d) == CC_OK) {
		for (size_t a = 0; a < cc_dfe_n_areas(p); a++) {
			double v;
			(void)cc_dfe_area_name(p, a);
			for (int y = 2010; y <= 2026; y++)
				(void)cc_dfe_population(p, a, y, &v);
		}
		cc_dfe_free(p);
	}
	for (size_t i = 0; d && i < cc_diags_count(d); i++)
		free(cc_diag_format(cc_diags_get(d, i)));
	cc_diags_free(d);
	return 0;
}
