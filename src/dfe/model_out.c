/*
 * model_out.c - the fitted model as a model file (docs/formats.md), written
 * as text so that each starting population row stays on one line (a
 * national model has tens of thousands), then read back with the model
 * loader so the file is exactly what carecast will run.
 *
 * Every number is printed with 10 significant digits. Each rate carries
 * its effective evidence (fit.c); rate_per_year is events / exposure_years.
 * Keys starting with "_" are ignored by the loader: "_fit" records what the
 * fit used and found (window, years with data, year-to-year variation,
 * effective events, cells imputed, notes).
 */
#include "carecast/fileio.h"
#include "dfe_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void num(FILE *o, double v) { fprintf(o, "%.10g", isfinite(v) ? v : 0.0); }

static void str(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(o, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", o);
		else if (c == '\t')
			fputs("\\t", o);
		else if (c < 0x20 || c == 0x7f)
			fprintf(o, "\\u%04x", c);
		else
			fputc(c, o);
	}
	fputc('"', o);
}

static void names(FILE *o, uint32_t mask, const char *const *list, size_t n)
{
	fputc('[', o);
	int first = 1;
	for (size_t i = 0; i < n; i++)
		if (mask >> i & 1) {
			fputs(first ? "" : ", ", o);
			str(o, list[i]);
			first = 0;
		}
	fputc(']', o);
}

static void rate_fields(FILE *o, const dfe_row *r)
{
	if (r->has_evidence) {
		fputs("\"rate_per_year\": ", o);
		num(o, r->events / r->exposure);
		fputs(", \"events\": ", o);
		num(o, r->events);
		fputs(", \"exposure_years\": ", o);
		num(o, r->exposure);
	} else {
		fputs("\"rate_per_year\": ", o);
		num(o, r->rate > 0 ? r->rate : r->mean);
	}
}

static void age_weights(FILE *o, double q17)
{
	static const double u1[12] = { 50, 10, 6, 5, 4, 4, 4, 4, 4, 3, 3, 3 };
	static const double a1[4] = { 1.15, 1.05, 0.95, 0.85 };
	static const double a5[5] = { 1.1, 1.05, 1.0, 0.95, 0.9 };
	static const double a10[6] = { 0.7, 0.8, 0.9, 1.1, 1.2, 1.3 };
	const double a16[2] = { 1 - q17, q17 };
	const double *w[NB] = { u1, a1, a5, a10, a16 };
	const size_t n[NB] = { 12, 4, 5, 6, 2 };
	fputs("\t\t\"age_weights\": {", o);
	for (size_t b = 0; b < NB; b++) {
		fputs(b ? ", " : "", o);
		str(o, dfe_band_names[b]);
		fputs(": [", o);
		for (size_t i = 0; i < n[b]; i++) {
			fputs(i ? ", " : "", o);
			num(o, w[b][i]);
		}
		fputc(']', o);
	}
	fputs("}\n", o);
}

static void print_model(const cc_dfe_fit *f, FILE *o)
{
	const cc_dfe_fit_summary *s = &f->summary;
	fputs("{\n\t\"format_version\": 1,\n\t\"name\": ", o);
	str(o, f->name);
	fputs(",\n\t\"description\": ", o);
	str(o, f->description ? f->description : "");
	if (f->source) {
		fputs(",\n\t\"source\": ", o);
		str(o, f->source);
	}
	fputs(",\n\t\"note\": ", o);
	str(o, "Rates carry effective evidence: the engine draws each rate around its fitted "
	       "value ((events + 0.5) / exposure_years) with the spread of the year-to-year "
	       "variation seen in the window; rate_per_year = events / exposure_years is the "
	       "point estimate (docs/model.md, 'Calibrating from DfE published statistics').");
	fprintf(o, ",\n\t\"base_date\": \"%04d-03-31\",\n", f->base_year);

	/* What the fit used, for the reader (ignored by the loader). */
	fputs("\t\"_fit\": {\"method\": \"carecast fit dfe\", \"base_year\": ", o);
	fprintf(o,
	        "%d, \"window\": [%d, %d], \"years_with_starts\": %zu, \"years_with_ceases\": "
	        "%zu, \"areas\": %zu, ",
	        s->base_year, s->window_first, s->window_last, s->years_entries, s->years_exits,
	        s->areas);
	fputs("\"stock_base\": ", o);
	num(o, s->stock_base);
	fputs(", \"starts_per_year\": ", o);
	num(o, s->entries_per_year);
	fputs(", \"ceased_under_18_per_year\": ", o);
	num(o, s->exits_under18_per_year);
	fputs(", \"ceased_18_and_over_per_year\": ", o);
	num(o, s->ceased_18_per_year);
	fputs(", \"exposure_years\": ", o);
	num(o, s->exposure_years);
	fputs(", \"entries_cv_window\": ", o);
	if (isfinite(s->entries_cv_data))
		num(o, s->entries_cv_data);
	else
		fputs("null", o);
	fputs(", \"entries_cv_used\": ", o);
	num(o, s->entries_cv_used);
	fputs(", \"exits_cv_window\": ", o);
	if (isfinite(s->exits_cv_data))
		num(o, s->exits_cv_data);
	else
		fputs("null", o);
	fputs(", \"exits_cv_used\": ", o);
	num(o, s->exits_cv_used);
	fputs(", \"entries_effective_events\": ", o);
	num(o, s->entries_effective_events);
	fputs(", \"exits_effective_events\": ", o);
	num(o, s->exits_effective_events);
	fputs(", \"equilibrium_of_window_rates\": ", o);
	num(o, s->equilibrium_fitted);
	fputs(", \"stock_growth_per_year\": ", o);
	num(o, s->stock_growth);
	fputs(", \"relaxation_years\": ", o);
	num(o, s->relaxation_years);
	fputs(", \"anchor\": ", o);
	num(o, s->anchor);
	fputs(", \"weight_on_window_rates\": ", o);
	num(o, s->shrinkage_theta);
	fputs(", \"equilibrium\": ", o);
	num(o, s->equilibrium);
	fputs(", \"leaving_at_18_per_16_17\": ", o);
	if (isfinite(f->rho))
		num(o, f->rho);
	else
		fputs("null", o);
	fputs(", \"entrants_16_17_aged_17\": ", o);
	num(o, f->q17);
	fprintf(o, ", \"cells_imputed\": %zu, \"notes\": [", s->cells_imputed);
	for (size_t i = 0; i < f->n_notes; i++) {
		fputs(i ? ", " : "", o);
		str(o, f->notes[i]);
	}
	fputs("]},\n", o);

	fputs("\t\"categories\": [", o);
	for (size_t c = 0; c < NC; c++) {
		fputs(c ? ",\n\t\t" : "\n\t\t", o);
		fputs("{\"name\": ", o);
		str(o, dfe_cat_names[c]);
		fputs(", \"in_house_share\": ", o);
		num(o, f->in_house[c]);
		fputc('}', o);
	}
	fputs("\n\t],\n", o);

	fputs("\t\"entries\": {\n\t\t\"rate_per_year\": {", o);
	for (size_t b = 0; b < NB; b++) {
		fputs(b ? ",\n\t\t\t" : "\n\t\t\t", o);
		str(o, dfe_band_names[b]);
		fputs(": ", o);
		if (f->entry[b].has_evidence) {
			fputc('{', o);
			rate_fields(o, &f->entry[b]);
			fputc('}', o);
		} else {
			num(o, 0);
		}
	}
	fputs("\n\t\t},\n\t\t\"trend_per_year\": ", o);
	num(o, f->trend);
	fputs(",\n\t\t\"category_mix\": {", o);
	for (size_t b = 0; b < NB; b++) {
		fputs(b ? ",\n\t\t\t" : "\n\t\t\t", o);
		str(o, dfe_band_names[b]);
		fputs(": {", o);
		int first = 1;
		for (size_t c = 0; c < NC; c++)
			if (f->mix[b][c] > 0) {
				fputs(first ? "" : ", ", o);
				str(o, dfe_cat_names[c]);
				fputs(": ", o);
				num(o, f->mix[b][c]);
				first = 0;
			}
		fputc('}', o);
	}
	fputs("\n\t\t},\n", o);
	age_weights(o, f->q17);
	fputs("\t},\n", o);

	fputs("\t\"moves\": [", o);
	for (size_t i = 0; i < f->n_moves; i++) {
		const dfe_row *m = &f->moves[i];
		fputs(i ? ",\n\t\t" : "\n\t\t", o);
		fputs("{\"from\": ", o);
		str(o, dfe_cat_names[m->from]);
		fputs(", \"to\": ", o);
		str(o, dfe_cat_names[m->to]);
		if ((m->bands & 0x1f) != 0x1f) {
			fputs(", \"age_bands\": ", o);
			names(o, m->bands, dfe_band_names, NB);
		}
		if ((m->tics & 0x7) != 0x7) {
			fputs(", \"time_in_care_bands\": ", o);
			names(o, m->tics, dfe_tic_names, NT);
		}
		fputs(", ", o);
		rate_fields(o, m);
		if (m->note) {
			fputs(", \"note\": ", o);
			str(o, m->note);
		}
		fputc('}', o);
	}
	fputs(f->n_moves ? "\n\t],\n" : "],\n", o);

	fputs("\t\"exits\": [", o);
	for (size_t i = 0; i < f->n_exits; i++) {
		const dfe_row *x = &f->exits[i];
		fputs(i ? ",\n\t\t" : "\n\t\t", o);
		fputs("{\"reason\": ", o);
		str(o, dfe_reason_names[x->reason]);
		if ((x->cats & 0xff) != 0xff) {
			fputs(", \"categories\": ", o);
			names(o, x->cats, dfe_cat_names, NC);
		}
		fputs(", \"age_bands\": ", o);
		names(o, x->bands, dfe_band_names, NB);
		if ((x->tics & 0x7) != 0x7) {
			fputs(", \"time_in_care_bands\": ", o);
			names(o, x->tics, dfe_tic_names, NT);
		}
		fputs(", ", o);
		rate_fields(o, x);
		fputc('}', o);
	}
	fputs(f->n_exits ? "\n\t],\n" : "],\n", o);

	fputs("\t\"starting_population\": [", o);
	for (size_t i = 0; i < f->n_start; i++) {
		const dfe_start *r = &f->start[i];
		fprintf(o,
		        "%s{\"age_months\": %u, \"category\": \"%s\", \"provider\": \"%s\", "
		        "\"months_in_care\": %u, \"count\": %u}",
		        i ? ",\n\t\t" : "\n\t\t", (unsigned)r->age, dfe_cat_names[r->cat],
		        r->prov ? "external" : "in_house", (unsigned)r->mic, (unsigned)r->count);
	}
	fputs(f->n_start ? "\n\t],\n" : "],\n", o);

	if (f->n_pop) {
		fputs("\t\"population_0_17\": {", o);
		for (size_t i = 0; i < f->n_pop; i++) {
			fprintf(o, "%s\"%d\": ", i ? ", " : "", f->pop_year[i]);
			num(o, f->pop[i]);
		}
		fputs("},\n", o);
	}
	if (f->n_history) {
		fputs("\t\"history\": [", o);
		for (size_t i = 0; i < f->n_history; i++) {
			fprintf(o, "%s{\"date\": \"%04d-03-31\", \"cla_total\": ",
			        i ? ",\n\t\t" : "\n\t\t", f->hist_year[i]);
			num(o, f->hist_total[i]);
			int first = 1;
			for (size_t c = 0; c < NC; c++) {
				if (!isfinite(f->hist_cat[i][c]))
					continue;
				fputs(first ? ", \"by_category\": {" : ", ", o);
				str(o, dfe_cat_names[c]);
				fputs(": ", o);
				num(o, f->hist_cat[i][c]);
				first = 0;
			}
			fputs(first ? "}" : "}}", o);
		}
		fputs("\n\t],\n", o);
	}
	fputs("\t\"parameter_uncertainty\": true\n}\n", o);
}

int dfe_model_text(const cc_dfe_fit *f, char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	char *buf = NULL;
	size_t size = 0;
	FILE *o = open_memstream(&buf, &size);
	if (!o)
		return CC_ENOMEM;
	print_model(f, o);
	int bad = ferror(o);
	if (fclose(o) != 0 || bad) {
		free(buf);
		return CC_ENOMEM;
	}
	*text = buf;
	*len = size;
	return CC_OK;
}

int cc_dfe_fit_model_json(const cc_dfe_fit *f, char **text)
{
	size_t len;
	return dfe_model_text(f, text, &len);
}

int cc_dfe_fit_model(const cc_dfe_fit *f, cc_model **out, cc_diags *diags)
{
	*out = NULL;
	char *text;
	size_t len;
	int rc = dfe_model_text(f, &text, &len);
	if (rc != CC_OK)
		return rc;
	rc = cc_model_parse(f->name, text, len, out, diags);
	free(text);
	return rc;
}

int cc_dfe_fit_write_model(const cc_dfe_fit *f, const char *path, cc_diags *diags)
{
	char *text;
	size_t len;
	int rc = dfe_model_text(f, &text, &len);
	if (rc != CC_OK)
		return rc;
	cc_outfile *o;
	rc = cc_outfile_open(path, &o, diags);
	if (rc != CC_OK) {
		free(text);
		return rc;
	}
	if (fwrite(text, 1, len, cc_outfile_stream(o)) != len) {
		cc_outfile_abort(o);
		free(text);
		cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0, "cannot write the model file");
		return CC_EIO;
	}
	free(text);
	return cc_outfile_commit(o, diags);
}
