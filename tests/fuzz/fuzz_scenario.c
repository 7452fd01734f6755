/*
 * fuzz_scenario.c - the scenario file reader, checked against the example
 * model (capacity and costs, so every lever type can be reached).
 */
#include "carecast/model.h"
#include "carecast/scenario.h"
#include "fuzz.h"

#include <stdlib.h>

static cc_model *model;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!model) {
		cc_diags *d = cc_diags_alloc(0);
		if (!d || cc_model_load("models/example.json", &model, d) != CC_OK)
			abort(); /* run from the repository's top directory */
		cc_diags_free(d);
	}
	const char *path = fuzz_tmpfile(0, data, size);
	cc_diags *d = cc_diags_alloc(0);
	cc_scenario *s = NULL;
	if (path && d && cc_scenario_load(path, model, &s, d) == CC_OK)
		cc_scenario_free(s);
	for (size_t i = 0; d && i < cc_diags_count(d); i++)
		free(cc_diag_format(cc_diags_get(d, i)));
	cc_diags_free(d);
	return 0;
}
