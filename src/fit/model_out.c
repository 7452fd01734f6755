/*
 * model_out.c - the fitted model as a model file (docs/formats.md).
 *
 * Rates are written in the model's row format: exits rows with reason and
 * category / age band / time-in-care band filters, moves rows with from, to
 * and age bands, each with rate_per_year, events and exposure_years (the
 * shrunk rate and its effective evidence, rounded to 6 significant digits so
 * that rate = events / exposure to 1 part in 10^5, well inside the loader's
 * 1%). Cells are merged into one row only where they had no exposure at all
 * (their rate is the pooled rate above them, identical for all of them), so
 * every observed cell keeps its own row and its own draw. A reason never
 * observed is one row of zero events over all the exposure. Each row's
 * "note" says what was observed.
 *
 * Keys starting with "_" are ignored by the loader; "_fit" records how the
 * model was made (window, LAs, prior, placement map).
 */
#include "carecast/report.h"
#include "fit_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_HAZARD 1000.0

typedef struct {
	uint32_t cats, bands, tics;
	size_t from, to; /* moves */
	cc_fit_rate r;
	int pooled; /* no exposure: the pooled rate */
} row;

/* The rate and evidence as written (rounded, consistent, within bounds). */
static void written_values(const cc_fit_rate *r, double *rate, double *events, double *exposure)
{
	double e = fit_round6(r->eff_events), x = fit_round6(r->eff_exposure_years);
	if (x > 0 && e / x > MAX_HAZARD)
		x = fit_round6(e / MAX_HAZARD * 1.00001);
	*events = e;
	*exposure = x;
	*rate = x > 0 ? fit_round6(e / x) : 0;
}

static int same_values(const cc_fit_rate *a, const cc_fit_rate *b)
{
	return a->eff_events == b->eff_events && a->eff_exposure_years == b->eff_exposure_years &&
	       a->rate_per_year == b->rate_per_year;
}

/* Merges pooled rows that differ in one filter only, until none do. */
static size_t merge_rows(row *rows, size_t n)
{
	int changed = 1;
	while (changed) {
		changed = 0;
		for (size_t i = 0; i < n; i++) {
			for (size_t j = i + 1; j < n; j++) {
				row *a = &rows[i], *b = &rows[j];
				if (!a->pooled || !b->pooled || a->from != b->from ||
				    a->to != b->to || !same_values(&a->r, &b->r))
					continue;
				int dc = a->cats != b->cats, db = a->bands != b->bands,
				    dt = a->tics != b->tics;
				if (dc + db + dt != 1)
					continue;
				a->cats |= b->cats;
				a->bands |= b->bands;
				a->tics |= b->tics;
				memmove(&rows[j], &rows[j + 1], (n - j - 1) * sizeof *rows);
				n--;
				j--;
				changed = 1;
			}
		}
	}
	return n;
}

static void name_list(FILE *f, const char *key, uint32_t mask, size_t n,
                      const char *(*name)(const void *, size_t), const void *ctx)
{
	uint32_t all = n >= 32 ? 0xFFFFFFFFu : (1u << n) - 1u;
	if ((mask & all) == all)
		return;
	fprintf(f, ", \"%s\": [", key);
	int first = 1;
	for (size_t i = 0; i < n; i++) {
		if (!((mask >> i) & 1u))
			continue;
		if (!first)
			fputs(", ", f);
		fit_json_str(f, name(ctx, i));
		first = 0;
	}
	fputc(']', f);
}

static const char *cat_name(const void *ctx, size_t i)
{
	return cc_fit_category((const cc_fit *)ctx, i);
}
static const char *age_name(const void *ctx, size_t i)
{
	(void)ctx;
	return cc_fit_age_band_name(i);
}
static const char *tic_name(const void *ctx, size_t i)
{
	(void)ctx;
	return cc_fit_tic_band_name(i);
}

static void rate_fields(FILE *f, const cc_fit_rate *r, int pooled)
{
	double rate, events, exposure;
	written_values(r, &rate, &events, &exposure);
	fputs(", \"rate_per_year\": ", f);
	fit_json_num(f, rate);
	fputs(", \"events\": ", f);
	fit_json_num(f, events);
	fputs(", \"exposure_years\": ", f);
	fit_json_num(f, exposure);
	char note[160];
	if (pooled)
		snprintf(note, sizeof note, "no exposure observed: the pooled rate");
	else if (r->weight < 1)
		snprintf(note, sizeof note, "observed %.6g in %.4g child-years; weight %.3g",
		         r->events, r->exposure_years, r->weight);
	else
		snprintf(note, sizeof note, "observed %.6g in %.4g child-years", r->events,
		         r->exposure_years);
	fputs(", \"note\": ", f);
	fit_json_str(f, note);
}

static size_t exit_rows(const cc_fit *fit, size_t rs, row *rows)
{
	size_t K = fit->tab.K, n = 0;
	for (size_t c = 0; c < K; c++)
		for (size_t b = 0; b < CC_FIT_NAGE; b++)
			for (size_t tau = 0; tau < CC_FIT_NTIC; tau++) {
				const cc_fit_rate *r = &fit->ex.cell[rs][b][c][tau];
				if (!r->written)
					continue;
				rows[n++] = (row){ .cats = 1u << c,
					           .bands = 1u << b,
					           .tics = 1u << tau,
					           .r = *r,
					           .pooled = r->exposure_years == 0 };
			}
	return merge_rows(rows, n);
}

static size_t move_rows(const cc_fit *fit, size_t i, size_t j, row *rows)
{
	size_t n = 0;
	for (size_t b = 0; b < CC_FIT_NAGE; b++) {
		const cc_fit_rate *r = &fit->mv.cell[i][j][b];
		if (!r->written)
			continue;
		rows[n++] = (row){ .from = i,
			           .to = j,
			           .bands = 1u << b,
			           .r = *r,
			           .pooled = r->exposure_years == 0 };
	}
	return merge_rows(rows, n);
}

static void write_bands(FILE *f)
{
	fputs("  \"age_bands\": [\n", f);
	for (size_t b = 0; b < CC_FIT_NAGE; b++)
		fprintf(f, "    {\"name\": \"%s\", \"from_years\": %d, \"to_years\": %d}%s\n",
		        cc_fit_age_band_name(b), fit_age_years[b], fit_age_years[b + 1],
		        b + 1 < CC_FIT_NAGE ? "," : "");
	fputs("  ],\n  \"time_in_care_bands\": [\n", f);
	for (size_t t = 0; t < CC_FIT_NTIC; t++) {
		fprintf(f, "    {\"name\": \"%s\", \"from_months\": %d", cc_fit_tic_band_name(t),
		        fit_tic_months[t]);
		if (t + 1 < CC_FIT_NTIC)
			fprintf(f, ", \"to_months\": %d},\n", fit_tic_months[t + 1]);
		else
			fputs("}\n", f);
	}
	fputs("  ],\n", f);
}

static void write_entries(const cc_fit *fit, FILE *f)
{
	size_t K = fit->tab.K;
	fputs("  \"entries\": {\n    \"rate_per_year\": {\n", f);
	for (size_t b = 0; b < CC_FIT_NAGE; b++) {
		fprintf(f, "      \"%s\": {", cc_fit_age_band_name(b));
		double rate, events, exposure;
		written_values(&fit->entry[b], &rate, &events, &exposure);
		fputs("\"rate_per_year\": ", f);
		fit_json_num(f, rate);
		fputs(", \"events\": ", f);
		fit_json_num(f, events);
		fputs(", \"exposure_years\": ", f);
		fit_json_num(f, exposure);
		fprintf(f, "}%s\n", b + 1 < CC_FIT_NAGE ? "," : "");
	}
	fputs("    },\n    \"category_mix\": {\n", f);
	for (size_t b = 0; b < CC_FIT_NAGE; b++) {
		fprintf(f, "      \"%s\": {", cc_fit_age_band_name(b));
		int first = 1;
		for (size_t c = 0; c < K; c++) {
			double s = fit_round6(fit->mix[b][c]);
			if (s == 0)
				continue;
			fprintf(f, "%s\"%s\": ", first ? "" : ", ", cc_fit_category(fit, c));
			fit_json_num(f, s);
			first = 0;
		}
		fprintf(f, "}%s\n", b + 1 < CC_FIT_NAGE ? "," : "");
	}
	fputs("    }", f);
	/* Age at entry within each band, per month: entries + 0.5 (docs/fit.md). */
	int any = 0;
	for (size_t b = 0; b < CC_FIT_NAGE; b++)
		any |= fit->entry[b].events > 0;
	if (any) {
		fputs(",\n    \"age_weights\": {\n", f);
		int firstb = 1;
		for (size_t b = 0; b < CC_FIT_NAGE; b++) {
			if (!(fit->entry[b].events > 0))
				continue;
			fprintf(f, "%s      \"%s\": [", firstb ? "" : ",\n",
			        cc_fit_age_band_name(b));
			unsigned from = (unsigned)fit_age_years[b] * 12,
			         to = (unsigned)fit_age_years[b + 1] * 12;
			for (unsigned m = from; m < to; m++) {
				if (m > from)
					fputs(", ", f);
				fit_json_num(f, fit->tab.entry_age[m] + 0.5);
			}
			fputc(']', f);
			firstb = 0;
		}
		fputs("\n    }", f);
	}
	fputs("\n  },\n", f);
}

static void write_rates(const cc_fit *fit, FILE *f, row *rows)
{
	size_t K = fit->tab.K;
	fputs("  \"moves\": [", f);
	int first = 1;
	for (size_t i = 0; i < K; i++)
		for (size_t j = 0; j < K; j++) {
			if (i == j)
				continue;
			size_t n = move_rows(fit, i, j, rows);
			for (size_t k = 0; k < n; k++) {
				fprintf(f, "%s\n    {\"from\": \"%s\", \"to\": \"%s\"",
				        first ? "" : ",", cc_fit_category(fit, i),
				        cc_fit_category(fit, j));
				name_list(f, "age_bands", rows[k].bands, CC_FIT_NAGE, age_name,
				          NULL);
				rate_fields(f, &rows[k].r, rows[k].pooled);
				fputc('}', f);
				first = 0;
			}
		}
	fputs(first ? "],\n" : "\n  ],\n", f);
	fputs("  \"exits\": [", f);
	first = 1;
	for (size_t rs = 0; rs < CC_FIT_NREASONS; rs++) {
		const cc_fit_rate *top = &fit->ex.top[rs];
		if (top->written) {
			fprintf(f, "%s\n    {\"reason\": \"%s\"", first ? "" : ",",
			        cc_fit_reason_name((cc_fit_reason)rs));
			rate_fields(f, top, 0);
			fputc('}', f);
			first = 0;
			continue;
		}
		size_t n = exit_rows(fit, rs, rows);
		for (size_t k = 0; k < n; k++) {
			fprintf(f, "%s\n    {\"reason\": \"%s\"", first ? "" : ",",
			        cc_fit_reason_name((cc_fit_reason)rs));
			name_list(f, "categories", rows[k].cats, K, cat_name, fit);
			name_list(f, "age_bands", rows[k].bands, CC_FIT_NAGE, age_name, NULL);
			name_list(f, "time_in_care_bands", rows[k].tics, CC_FIT_NTIC, tic_name,
			          NULL);
			rate_fields(f, &rows[k].r, rows[k].pooled);
			fputc('}', f);
			first = 0;
		}
	}
	fputs(first ? "],\n" : "\n  ],\n", f);
}

static void write_start(const cc_fit *fit, FILE *f)
{
	fputs("  \"starting_population\": [", f);
	for (size_t i = 0; i < fit->start.n; i++) {
		const cc_start_group *g = &fit->start.rows[i];
		fprintf(f,
		        "%s\n    {\"age_months\": %u, \"category\": \"%s\", \"provider\": \"%s\", "
		        "\"months_in_care\": %u, \"months_in_placement\": %u, "
		        "\"placements_last_12_months\": %u, \"count\": %u}",
		        i ? "," : "", (unsigned)g->age_months, cc_fit_category(fit, g->category),
		        cc_provider_names[g->provider], (unsigned)g->months_in_care,
		        (unsigned)g->months_in_placement, (unsigned)g->placements_12m,
		        (unsigned)g->count);
	}
	fputs(fit->start.n ? "\n  ],\n" : "],\n", f);
}

static void write_history(const cc_fit *fit, FILE *f)
{
	if (fit->nhistory == 0)
		return;
	fputs("  \"history\": [", f);
	for (size_t i = 0; i < fit->nhistory; i++) {
		const cc_history_point *h = &fit->history[i];
		fprintf(f, "%s\n    {\"date\": ", i ? "," : "");
		fit_json_date(f, h->date);
		fputs(", \"cla_total\": ", f);
		fit_json_num(f, h->cla_total);
		fputs(", \"by_category\": {", f);
		for (size_t c = 0; c < fit->tab.K; c++) {
			fprintf(f, "%s\"%s\": ", c ? ", " : "", cc_fit_category(fit, c));
			fit_json_num(f, h->by_category[c]);
		}
		fputs("}}", f);
	}
	fputs("\n  ],\n", f);
}

static void write_provenance(const cc_fit *fit, FILE *f)
{
	const cc_fit_counts *n = &fit->counts;
	fputs("  \"_fit\": {\n    \"tool\": ", f);
	char tool[96];
	snprintf(tool, sizeof tool, "carecast %s fit ssda903", cc_version());
	fit_json_str(f, tool);
	fputs(",\n    \"window\": {\"from\": ", f);
	fit_json_date(f, n->window_start);
	fputs(", \"to\": ", f);
	fit_json_date(f, n->window_end);
	fprintf(f, ", \"years\": %u},\n    \"las\": [", n->window_years);
	for (size_t i = 0; i < fit->nla; i++) {
		if (i)
			fputs(", ", f);
		fit_json_str(f, fit->la_names[i]);
	}
	fputs("],\n    \"prior_events\": ", f);
	if (fit->opts.prior_events > 0)
		fit_json_num(f, fit->opts.prior_events);
	else
		fputs("\"estimated from the data at each level\"", f);
	fputs(",\n    \"placement_map\": {", f);
	int first = 1;
	for (unsigned p = CC_PLACE_INVALID + 1; p < CC_PLACE_COUNT; p++) {
		int c = cc_fit_map_place(fit->map, p);
		fprintf(f, "%s\"%s\": ", first ? "" : ", ",
		        cc_ssda903_code_name(CC_SSDA903_PLACE, p));
		fit_json_str(f, c < 0 ? "(temporary: keeps the category)"
		                      : cc_fit_category(fit, (size_t)c));
		first = 0;
	}
	fputs("},\n    \"report\": \"the fit report beside this file has every rate with its "
	      "observed events, exposure and shrinkage (docs/fit.md)\"\n  },\n",
	      f);
}

int fit_model_print(const cc_fit *fit, FILE *f)
{
	size_t K = fit->tab.K;
	row *rows = calloc(CC_MAX_LIST * CC_FIT_NAGE * CC_FIT_NTIC, sizeof *rows);
	if (!rows)
		return CC_ENOMEM;
	fputs("{\n  \"format_version\": 1,\n  \"name\": ", f);
	fit_json_str(f, fit->name);
	fputs(",\n  \"description\": ", f);
	fit_json_str(f, fit->description);
	fputs(",\n  \"source\": \"carecast fit ssda903 (docs/fit.md)\",\n  \"base_date\": ", f);
	fit_json_date(f, fit->opts.base_date);
	fputs(",\n", f);
	write_bands(f);
	fputs("  \"categories\": [\n", f);
	for (size_t c = 0; c < K; c++) {
		fprintf(f, "    {\"name\": \"%s\", \"in_house_share\": ", cc_fit_category(fit, c));
		fit_json_num(f, fit_round6(fit->in_house_share[c]));
		fprintf(f, "}%s\n", c + 1 < K ? "," : "");
	}
	fputs("  ],\n  \"exit_reasons\": [", f);
	for (size_t r = 0; r < CC_FIT_NREASONS; r++)
		fprintf(f, "%s\"%s\"", r ? ", " : "", cc_fit_reason_name((cc_fit_reason)r));
	fputs("],\n", f);
	write_entries(fit, f);
	write_rates(fit, f, rows);
	write_start(fit, f);
	write_history(fit, f);
	write_provenance(fit, f);
	fputs("  \"parameter_uncertainty\": true\n}\n", f);
	free(rows);
	return ferror(f) ? CC_EIO : CC_OK;
}
