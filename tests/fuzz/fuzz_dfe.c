/*
 * fuzz_dfe.c - DfE's published tables read, then the first areas fitted and
 * their observations taken. The input is split at form feeds (\f) into
 * cla_31_march.csv, started.csv and ceased.csv (missing parts: empty
 * files), written to a private folder because the reader takes a folder.
 * The first area read is fitted at the last year of the data (or the first
 * two pooled at the year before with a trend on entries), so the margins,
 * the imputation of suppressed cells, the age x reason cross, the steady
 * state and the rounding of the starting population all meet hostile
 * numbers.
 */
#include "carecast/dfe.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *folder(void)
{
	static char dir[64];
	if (!dir[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		char tmpl[64];
		snprintf(tmpl, sizeof tmpl, "%s/carecast-fuzz-dfe-XXXXXX", base);
		if (!mkdtemp(tmpl))
			return NULL;
		snprintf(dir, sizeof dir, "%s", tmpl);
	}
	return dir;
}

static int write_part(const char *dir, const char *name, const uint8_t *data, size_t size)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(data, 1, size, f) == size;
	ok &= fclose(f) == 0;
	return ok ? 0 : -1;
}

static void drain(cc_diags *d)
{
	for (size_t i = 0; d && i < cc_diags_count(d); i++)
		free(cc_diag_format(cc_diags_get(d, i)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[3] = { "cla_31_march.csv", "started.csv", "ceased.csv" };
	const char *dir = folder();
	if (!dir)
		return 0;
	const uint8_t *p = data, *end = data + size;
	for (int i = 0; i < 3; i++) {
		const uint8_t *ff = p < end ? memchr(p, '\f', (size_t)(end - p)) : NULL;
		const uint8_t *stop = ff ? ff : end;
		if (write_part(dir, names[i], p, (size_t)(stop - p)) != 0)
			return 0;
		p = ff ? ff + 1 : end;
	}
	cc_diags *d = cc_diags_alloc(0);
	cc_dfe *t = NULL;
	if (d && cc_dfe_read(dir, NULL, &t, d) == CC_OK) {
		int first, last;
		cc_dfe_year_range(t, &first, &last);
		size_t n = cc_dfe_n_areas(t);
		/* One fit (it computes the steady state a dozen times, slow under
		 * the sanitizers): the first area at the last year, or, for odd
		 * sizes, the first two pooled at the year before with a trend on
		 * entries. */
		int k = (int)(size & 1);
		if (n > (size_t)k) {
			size_t areas[2] = { 0, 1 };
			cc_dfe_fit_opts o;
			cc_dfe_fit_opts_default(&o);
			o.base_year = last - k;
			o.entry_trend = k;
			cc_dfe_fit *f = NULL;
			char *text = NULL;
			/* The model text is written but not parsed back (fuzz_model
			 * fuzzes the loader; parsing a big model is slow under the
			 * sanitizers). */
			if (cc_dfe_fit_run(t, areas, (size_t)k + 1, &o, &f, d) == CC_OK &&
			    cc_dfe_fit_model_json(f, &text) == CC_OK) {
				cc_history_point *h = NULL;
				size_t nh = 0;
				if (cc_dfe_observations(t, areas, (size_t)k + 1, NULL, &h, &nh,
				                        d) == CC_OK)
					free(h);
			}
			free(text);
			cc_dfe_fit_free(f);
		}
		cc_dfe_free(t);
	}
	drain(d);
	cc_diags_free(d);
	return 0;
}
