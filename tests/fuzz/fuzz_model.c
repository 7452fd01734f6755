/*
 * fuzz_model.c - the model file reader (strict JSON, then every check).
 */
#include "carecast/model.h"
#include "fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = NULL;
	if (d && cc_model_parse("fuzz.json", (const char *)data, size, &m, d) == CC_OK)
		cc_model_free(m);
	for (size_t i = 0; d && i < cc_diags_count(d); i++)
		free(cc_diag_format(cc_diags_get(d, i)));
	cc_diags_free(d);
	return 0;
}
