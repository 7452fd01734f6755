/*
 * report_out.c - the fit report: every rate with the evidence behind it.
 *
 * One JSON object (docs/fit.md, "Report"): the options, the data-quality
 * summary of the read, the counts of the walk (periods, short breaks,
 * temporary placements, censoring), the stock balance, the shrinkage
 * strengths, and one line per rate: observed events and exposure, observed
 * rate, the pooled rate it was shrunk toward, the data's weight, the fitted
 * rate and the evidence written into the model. Only counts, rates and the
 * window's dates: no identifiers, no dates of birth.
 */
#include "carecast/report.h"
#include "fit_int.h"

static void num(FILE *f, const char *key, double v)
{
	fprintf(f, "\"%s\": ", key);
	fit_json_num(f, fit_round6(v));
}

static void rate_fields(FILE *f, const cc_fit_rate *r)
{
	num(f, "events", r->events);
	fputs(", ", f);
	num(f, "exposure_years", r->exposure_years);
	fputs(", ", f);
	num(f, "observed_rate", r->exposure_years > 0 ? r->events / r->exposure_years : 0);
	fputs(", ", f);
	num(f, "pooled_rate", r->pooled_rate);
	fputs(", ", f);
	num(f, "weight", r->weight);
	fputs(", ", f);
	num(f, "rate_per_year", r->rate_per_year);
	fputs(", ", f);
	num(f, "effective_events", r->eff_events);
	fputs(", ", f);
	num(f, "effective_exposure_years", r->eff_exposure_years);
	fprintf(f, ", \"small_count\": %s, \"written\": %s",
	        r->events < FIT_SMALL_EVENTS ? "true" : "false", r->written ? "true" : "false");
}

static void counts(const cc_fit *fit, FILE *f)
{
	const cc_fit_counts *n = &fit->counts;
	fprintf(f,
	        "  \"counts\": {\"las\": %zu, \"children\": %zu, \"periods\": %zu, "
	        "\"periods_in_window\": %zu, \"short_break_periods_left_out\": %zu, "
	        "\"short_break_episodes_bridged\": %zu, \"zero_length_periods_left_out\": %zu, "
	        "\"temporary_episodes\": %zu, \"periods_starting_temporary\": %zu, "
	        "\"periods_only_temporary\": %zu, \"periods_begun_before_the_data\": %zu, "
	        "\"placements_provider_unknown\": %zu, \"periods_censored_lost\": %zu, "
	        "\"missing_returns_in_window\": %zu, ",
	        n->las, n->children, n->periods, n->periods_in_window, n->respite_periods,
	        n->respite_bridged, n->zero_length, n->temporary_episodes, n->temporary_starts,
	        n->temporary_only, n->left_truncated, n->provider_unknown, n->lost,
	        n->missing_returns);
	num(f, "exposure_years", n->exposure_years);
	fputs(", ", f);
	num(f, "entries", n->entries);
	fputs(", ", f);
	num(f, "moves", n->moves);
	fputs(", ", f);
	num(f, "moves_after_18_ignored", n->moves_after_18);
	fputs(", \"exits\": {", f);
	for (size_t r = 0; r <= CC_FIT_NREASONS; r++) {
		if (r)
			fputs(", ", f);
		num(f, cc_fit_reason_name((cc_fit_reason)r), n->exits[r]);
	}
	fputs("}, ", f);
	num(f, "exits_reason_not_recorded", n->exits_unknown_reason);
	fputs(", ", f);
	num(f, "exits_e17_under_18", n->exits_e17_under18);
	fputs("},\n", f);
	double flows = n->stock_window_start + n->entries;
	for (size_t r = 0; r <= CC_FIT_NREASONS; r++)
		flows -= n->exits[r];
	flows -= (double)n->lost;
	fputs("  \"stock\": {", f);
	num(f, "window_start", n->stock_window_start);
	fputs(", ", f);
	num(f, "base_date", n->stock_base);
	fputs(", ", f);
	num(f, "window_start_plus_flows", flows);
	fprintf(f, ", \"starting_population_rows\": %zu},\n", n->start_rows);
}

static void quality(const cc_fit *fit, FILE *f)
{
	const cc_ssda903_quality *q = &fit->quality;
	fprintf(f,
	        "  \"data_quality\": {\"header_rows\": %zu, \"episode_rows\": %zu, "
	        "\"other_la_rows\": %zu, \"children\": %zu, \"episodes\": %zu, \"errors\": %zu, "
	        "\"warnings\": %zu, \"rules\": [",
	        q->header_rows, q->episode_rows, q->other_la_rows, q->children, q->episodes,
	        q->errors, q->warnings);
	int first = 1;
	for (size_t i = 0; i < CC_SSDA903_NRULES; i++) {
		const cc_ssda903_rule_count *r = &q->rule[i];
		if (!r->count)
			continue;
		fprintf(f, "%s\n    {\"id\": ", first ? "" : ",");
		fit_json_str(f, r->id);
		fprintf(f, ", \"severity\": \"%s\", \"count\": %zu, \"action\": ",
		        r->severity == CC_DIAG_ERROR ? "error" : "warning", r->count);
		fit_json_str(f, r->action);
		fputs(", \"description\": ", f);
		fit_json_str(f, r->description);
		fputc('}', f);
		first = 0;
	}
	fputs(first ? "]},\n" : "\n  ]},\n", f);
}

static void shrinkage(const cc_fit *fit, FILE *f)
{
	fputs("  \"shrinkage\": {\"method\": \"empirical-Bayes Gamma-Poisson: rate = (events + "
	      "alpha) / (exposure + alpha / pooled rate), alpha pseudo-events per level\", ",
	      f);
	fputs("\"alpha\": {\"exits\": {", f);
	for (size_t r = 0; r < CC_FIT_NREASONS; r++) {
		fprintf(f, "%s\"%s\": {", r ? ", " : "", cc_fit_reason_name((cc_fit_reason)r));
		num(f, "time_in_care", fit->ex.alpha[r][0]);
		fputs(", ", f);
		num(f, "age_band", fit->ex.alpha[r][1]);
		fputs(", ", f);
		num(f, "category", fit->ex.alpha[r][2]);
		fputc('}', f);
	}
	fputs("}, \"moves\": {", f);
	num(f, "age_band", fit->mv.alpha[0]);
	fputs(", ", f);
	num(f, "destination", fit->mv.alpha[1]);
	fputs(", ", f);
	num(f, "origin", fit->mv.alpha[2]);
	fputs("}}, \"prior_events\": ", f);
	if (fit->opts.prior_events > 0)
		fit_json_num(f, fit->opts.prior_events);
	else
		fputs("\"estimated\"", f);
	fputs("},\n", f);
}

static void entries(const cc_fit *fit, FILE *f)
{
	fputs("  \"entries\": [", f);
	for (size_t b = 0; b < CC_FIT_NAGE; b++) {
		fprintf(f, "%s\n    {\"age_band\": \"%s\", ", b ? "," : "",
		        cc_fit_age_band_name(b));
		rate_fields(f, &fit->entry[b]);
		fputs(", \"by_category\": {", f);
		for (size_t c = 0; c < fit->tab.K; c++) {
			if (c)
				fputs(", ", f);
			num(f, cc_fit_category(fit, c), fit->tab.entries[b][c]);
		}
		fputs("}, \"category_mix\": {", f);
		for (size_t c = 0; c < fit->tab.K; c++) {
			if (c)
				fputs(", ", f);
			num(f, cc_fit_category(fit, c), fit->mix[b][c]);
		}
		fputs("}}", f);
	}
	fputs("\n  ],\n  \"in_house_share\": [", f);
	for (size_t c = 0; c < fit->tab.K; c++) {
		double stock = fit->tab.stock_prov[c][0] + fit->tab.stock_prov[c][1];
		const char *src = fit->tab.starts_known[c] > 0 ? "placements started in the window"
		                  : stock > 0                  ? "the stock at the base date"
		                                               : "default";
		fprintf(f, "%s\n    {\"category\": \"%s\", ", c ? "," : "",
		        cc_fit_category(fit, c));
		num(f, "placements", fit->tab.starts_known[c]);
		fputs(", ", f);
		num(f, "in_house", fit->tab.starts_in_house[c]);
		fputs(", ", f);
		num(f, "stock_in_house", fit->tab.stock_prov[c][CC_IN_HOUSE]);
		fputs(", ", f);
		num(f, "stock_external", fit->tab.stock_prov[c][CC_EXTERNAL]);
		fputs(", ", f);
		num(f, "share", fit->in_house_share[c]);
		fputs(", \"from\": ", f);
		fit_json_str(f, src);
		fputc('}', f);
	}
	fputs("\n  ],\n", f);
}

static void exits(const cc_fit *fit, FILE *f)
{
	size_t K = fit->tab.K;
	fputs("  \"exits_by_reason\": [", f);
	for (size_t r = 0; r < CC_FIT_NREASONS; r++) {
		fprintf(f, "%s\n    {\"reason\": \"%s\", ", r ? "," : "",
		        cc_fit_reason_name((cc_fit_reason)r));
		rate_fields(f, &fit->ex.top[r]);
		fputc('}', f);
	}
	fputs("\n  ],\n  \"exits_by_category\": [", f);
	int first = 1;
	for (size_t r = 0; r < CC_FIT_NREASONS; r++)
		for (size_t c = 0; c < K; c++) {
			fprintf(f, "%s\n    {\"reason\": \"%s\", \"category\": \"%s\", ",
			        first ? "" : ",", cc_fit_reason_name((cc_fit_reason)r),
			        cc_fit_category(fit, c));
			rate_fields(f, &fit->ex.cat[r][c]);
			fputc('}', f);
			first = 0;
		}
	fputs("\n  ],\n  \"exits_by_age_band\": [", f);
	first = 1;
	for (size_t r = 0; r < CC_FIT_NREASONS; r++)
		for (size_t c = 0; c < K; c++)
			for (size_t b = 0; b < CC_FIT_NAGE; b++) {
				fprintf(f,
				        "%s\n    {\"reason\": \"%s\", \"category\": \"%s\", "
				        "\"age_band\": \"%s\", ",
				        first ? "" : ",", cc_fit_reason_name((cc_fit_reason)r),
				        cc_fit_category(fit, c), cc_fit_age_band_name(b));
				rate_fields(f, &fit->ex.band[r][c][b]);
				fputc('}', f);
				first = 0;
			}
	fputs("\n  ],\n  \"exits\": [", f);
	first = 1;
	for (size_t r = 0; r < CC_FIT_NREASONS; r++)
		for (size_t c = 0; c < K; c++)
			for (size_t b = 0; b < CC_FIT_NAGE; b++)
				for (size_t t = 0; t < CC_FIT_NTIC; t++) {
					fprintf(
					    f,
					    "%s\n    {\"reason\": \"%s\", \"category\": \"%s\", "
					    "\"age_band\": \"%s\", \"time_in_care_band\": \"%s\", ",
					    first ? "" : ",", cc_fit_reason_name((cc_fit_reason)r),
					    cc_fit_category(fit, c), cc_fit_age_band_name(b),
					    cc_fit_tic_band_name(t));
					rate_fields(f, &fit->ex.cell[r][b][c][t]);
					fputc('}', f);
					first = 0;
				}
	fputs("\n  ],\n", f);
}

static void moves(const cc_fit *fit, FILE *f)
{
	size_t K = fit->tab.K;
	fputs("  \"moves_out\": [", f);
	for (size_t i = 0; i < K; i++) {
		fprintf(f, "%s\n    {\"from\": \"%s\", ", i ? "," : "", cc_fit_category(fit, i));
		rate_fields(f, &fit->mv.out[i]);
		fputc('}', f);
	}
	fputs("\n  ],\n  \"moves_by_destination\": [", f);
	int first = 1;
	for (size_t i = 0; i < K; i++)
		for (size_t j = 0; j < K; j++) {
			if (i == j)
				continue;
			fprintf(f, "%s\n    {\"from\": \"%s\", \"to\": \"%s\", ", first ? "" : ",",
			        cc_fit_category(fit, i), cc_fit_category(fit, j));
			rate_fields(f, &fit->mv.pair[i][j]);
			fputc('}', f);
			first = 0;
		}
	fputs("\n  ],\n  \"moves\": [", f);
	first = 1;
	for (size_t i = 0; i < K; i++)
		for (size_t j = 0; j < K; j++)
			for (size_t b = 0; b < CC_FIT_NAGE; b++) {
				if (i == j)
					continue;
				fprintf(f,
				        "%s\n    {\"from\": \"%s\", \"to\": \"%s\", \"age_band\": "
				        "\"%s\", ",
				        first ? "" : ",", cc_fit_category(fit, i),
				        cc_fit_category(fit, j), cc_fit_age_band_name(b));
				rate_fields(f, &fit->mv.cell[i][j][b]);
				fputc('}', f);
				first = 0;
			}
	fputs("\n  ],\n", f);
}

int fit_report_print(const cc_fit *fit, FILE *f)
{
	const cc_fit_counts *n = &fit->counts;
	fputs("{\n  \"carecast_version\": ", f);
	fit_json_str(f, cc_version());
	fputs(",\n  \"report\": \"carecast fit ssda903\",\n  \"model_name\": ", f);
	fit_json_str(f, fit->name);
	fputs(",\n  \"base_date\": ", f);
	fit_json_date(f, fit->opts.base_date);
	fputs(",\n  \"window\": {\"from\": ", f);
	fit_json_date(f, n->window_start);
	fputs(", \"to\": ", f);
	fit_json_date(f, n->window_end);
	fprintf(f, ", \"years\": %u},\n  \"las\": [", n->window_years);
	for (size_t i = 0; i < fit->nla; i++) {
		if (i)
			fputs(", ", f);
		fit_json_str(f, fit->la_names[i]);
	}
	fprintf(f, "],\n  \"returns\": %zu,\n  \"year_labels\": \"%s\",\n", fit->nreturns,
	        fit->labels == CC_SSDA903_YEAR_ENDING     ? "ending"
	        : fit->labels == CC_SSDA903_YEAR_STARTING ? "starting"
	                                                  : "none");
	quality(fit, f);
	counts(fit, f);
	shrinkage(fit, f);
	entries(fit, f);
	exits(fit, f);
	moves(fit, f);
	fputs("  \"notes\": [", f);
	for (size_t i = 0; i < fit->nnotes; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		fit_json_str(f, fit->notes[i]);
	}
	fputs(fit->nnotes ? "\n  ]\n}\n" : "]\n}\n", f);
	return ferror(f) ? CC_EIO : CC_OK;
}
