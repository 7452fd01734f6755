/*
 * jsonout.c - the few JSON primitives the fit's writers need.
 *
 * The model and the report are written as a stream, row by row, one row per
 * line (readable, diffable, and a national starting population never sits in
 * memory twice as a tree and as text). Names written here are category, band
 * and reason names (checked to be plain), LA names and file paths, which are
 * escaped.
 */
#include "fit_int.h"

#include <math.h>
#include <stdlib.h>

double fit_round6(double v)
{
	if (!isfinite(v) || v == 0)
		return 0;
	char buf[32];
	snprintf(buf, sizeof buf, "%.6g", v);
	return strtod(buf, NULL);
}

void fit_json_num(FILE *f, double v)
{
	if (!isfinite(v) || v == 0) {
		fputc('0', f);
		return;
	}
	char buf[40];
	snprintf(buf, sizeof buf, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof buf, "%.17g", v);
	fputs(buf, f);
}

void fit_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void fit_json_date(FILE *f, cc_date d)
{
	char buf[CC_DATE_STRLEN];
	cc_date_format(d, buf);
	fprintf(f, "\"%s\"", buf);
}
