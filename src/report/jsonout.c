/*
 * jsonout.c - numbers and files for JSON outputs.
 */
#include "carecast/fileio.h"
#include "carecast/report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

cJSON *cc_json_number(double v)
{
	if (!isfinite(v))
		return cJSON_CreateNull();
	char buf[40];
	snprintf(buf, sizeof buf, "%.10g", v);
	double r = strtod(buf, NULL);
	return cJSON_CreateNumber(r == 0 ? 0 : r); /* no "-0" */
}

int cc_json_write_file(const char *path, const cJSON *root, cc_diags *diags)
{
	char *text = cJSON_Print(root);
	if (!text)
		return CC_ENOMEM;
	cc_outfile *f = NULL;
	int rc = cc_outfile_open(path, &f, diags);
	if (rc == CC_OK) {
		FILE *s = cc_outfile_stream(f);
		fputs(text, s);
		fputc('\n', s);
		rc = cc_outfile_commit(f, diags);
	}
	cJSON_free(text);
	return rc;
}
