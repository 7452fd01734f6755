/*
 * fuzz_ssda903.c - SSDA903 Header and Episodes tables read, stitched and
 * validated. The input is split at the first form feed (\f): the Header
 * table before it, the Episodes table after (no form feed: Episodes only).
 */
#include "carecast/ssda903.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *ff = memchr(data, '\f', size);
	const char *header = NULL, *episodes;
	if (ff) {
		header = fuzz_tmpfile(0, data, (size_t)(ff - data));
		episodes = fuzz_tmpfile(1, ff + 1, size - (size_t)(ff - data) - 1);
	} else {
		episodes = fuzz_tmpfile(1, data, size);
	}
	if (!episodes || (ff && !header))
		return 0;
	cc_ssda903_input in = {
		.header = header, .episodes = episodes, .year = 2024, .year_is_end = 1
	};
	cc_ssda903_opts o;
	memset(&o, 0, sizeof o);
	cc_diags *d = cc_diags_alloc(0);
	cc_ssda903 *ds = NULL;
	cc_ssda903_quality q;
	if (d && cc_ssda903_read(&in, 1, &o, &ds, &q, d) == CC_OK)
		cc_ssda903_free(ds);
	for (size_t i = 0; d && i < cc_diags_count(d); i++)
		free(cc_diag_format(cc_diags_get(d, i)));
	cc_diags_free(d);
	return 0;
}
