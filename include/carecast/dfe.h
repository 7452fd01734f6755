/*
 * dfe.h - calibrating a carecast model from DfE's published statistics
 * ("Children looked after in England including adoptions"), for any local
 * authority, region, England, or several of them pooled.
 *
 * DfE publish, for every authority and year ending 31 March, margins only:
 * the stock at 31 March by age group and (separately) by placement and
 * provider, starts by age, ceases by age and (separately) by reason. The fit
 * turns them into a model file (docs/formats.md):
 *   - entries per year by age band: the published starts averaged over the
 *     window (optionally with a linear trend, or as a rate per 10,000
 *     children following the 0-17 population);
 *   - exit hazards by reason and age band: ceases (age x reason crossed by
 *     iterative proportional fitting, "18 years and over" left to the
 *     engine's 18th birthday) over the average stock, spread over categories
 *     and time in care with the national structure;
 *   - moves between categories: the national structure, or the rows of a
 *     model given (for example one fitted from SSDA903);
 *   - the starting population: the model's own steady state over age,
 *     category and time in care, raked to the published stock by age and by
 *     placement at the base date and rounded so both margins are exact;
 *   - evidence on every rate, inflated for the year-to-year variation seen
 *     in the window, so the engine's parameter uncertainty gives honest
 *     ranges;
 *   - shrinkage: the stock at which the window's rates would settle is
 *     moved, in proportion to how noisily the window estimates it, towards
 *     the present stock carried along its recent growth (a damped trend).
 * Suppressed cells (c, k, x, z, low, u, ...) are unknown, never zero: they
 * are imputed from the published totals. The method and its limits are in
 * docs/model.md ("Calibrating from DfE published statistics"); the command
 * line, inputs and backtest in docs/dfe.md.
 *
 * Nothing here prints: problems go to a cc_diags list as file:line:column.
 */
#ifndef CARECAST_DFE_H
#define CARECAST_DFE_H

#include "carecast/error.h"
#include "carecast/model.h"

#include <stddef.h>

/* What kind of area a name is. */
typedef enum { CC_DFE_LA = 1, CC_DFE_REGION = 2, CC_DFE_NATIONAL = 3 } cc_dfe_level;

/* The three tables (and optionally the population) as read. Opaque. */
typedef struct cc_dfe cc_dfe;

/* Reads DIR/cla_31_march.csv, DIR/started.csv and DIR/ceased.csv, and the
 * ONS 0-17 population from `population` (NULL: none). Problems that stop the
 * read (a file missing or not CSV, a required column missing, rows that
 * cannot be parsed) are errors in diags and the status is CC_EIO, CC_ERANGE,
 * CC_EPARSE or CC_ENOMEM. Problems in a cell (a count that is not a number,
 * a bad time_period, two rows disagreeing) are kept with their area and
 * reported, as errors, only when that area is used (cc_dfe_fit_run,
 * cc_dfe_observations). On success *out is freed with cc_dfe_free. */
int cc_dfe_read(const char *dir, const char *population, cc_dfe **out, cc_diags *diags);
void cc_dfe_free(cc_dfe *d);

/* Reads only an ONS 0-17 population file (time_period, geographic_level,
 * la_name and region_name, population_estimate; rows of other age groups
 * skipped): every area it names becomes an area of *out, with no DfE
 * cells. Errors as for cc_dfe_read; a bad cell (not a positive number, a
 * bad time_period, two values for one year) is an error here (CC_EPARSE).
 * On success *out is freed with cc_dfe_free. */
int cc_dfe_read_population(const char *path, cc_dfe **out, cc_diags *diags);
/* The 0-17 population of area i in the year ending 31 March `year` (the
 * mid-year estimate published under that time_period): CC_OK with *v, or
 * CC_EINVAL when the data hold none. */
int cc_dfe_population(const cc_dfe *d, size_t area, int year, double *v);

/* The areas found in the stock table, in the order first seen. */
size_t cc_dfe_n_areas(const cc_dfe *d);
const char *cc_dfe_area_name(const cc_dfe *d, size_t i);
cc_dfe_level cc_dfe_area_level(const cc_dfe *d, size_t i);
/* First and last time_period (year ending 31 March) of the stock table. */
void cc_dfe_year_range(const cc_dfe *d, int *first, int *last);
/* 1 when the data hold a population for the area. */
int cc_dfe_has_population(const cc_dfe *d, size_t area);

/* Finds an area by name (case-insensitive, spaces and punctuation
 * ignored): a local authority when level is CC_DFE_LA, a region when
 * CC_DFE_REGION; "England" (or "National") names the national rows at
 * either level. CC_OK with *index; CC_EINVAL with an error in diags that
 * lists the near matches (or the areas of that level when none is near). */
int cc_dfe_find_area(const cc_dfe *d, const char *name, cc_dfe_level level, size_t *index,
                     cc_diags *diags);

/* ---- fitting ------------------------------------------------------------- */

typedef struct {
	int base_year;         /* the 31 March of the starting population (required) */
	unsigned window_years; /* years ending at base_year to average; 0: 3 */
	/* Entries: a linear trend fitted over the window (trend_per_year). */
	int entry_trend;
	/* Entries as a rate per 10,000 children aged 0-17 over the window,
	 * applied to the base year's population, with the population's own
	 * trend as trend_per_year. Needs the population. */
	int entries_follow_population;
	/* Inflate the evidence for the year-to-year variation of entries and
	 * exits seen in the window (default 1; 0: Poisson evidence only). */
	int dispersion;
	/* Move the rates' steady state towards the stock at the base date in
	 * proportion to how noisily the window estimates them (default 1). */
	int shrinkage;
	/* Move rows to copy instead of the national structure (categories and
	 * bands matched by name), or NULL. */
	const cc_model *moves_from;
	const char *name; /* the model's name; NULL: the areas' names */
	/* What the input files were, recorded in the model's "source". */
	const char *source;
} cc_dfe_fit_opts;

void cc_dfe_fit_opts_default(cc_dfe_fit_opts *o);

/* A fitted model and what the report needs. Opaque. */
typedef struct cc_dfe_fit cc_dfe_fit;

/* Fits the areas areas[0..n) pooled (their counts summed). Reads nothing
 * after o->base_year. CC_EINVAL with a diagnostic when the options do not
 * fit the data (no stock at the base year, no starts or ceases in the
 * window, overlapping areas), CC_EPARSE when an area's cells are bad (every
 * problem reported), CC_ENOMEM. On success *out is freed with
 * cc_dfe_fit_free. */
int cc_dfe_fit_run(const cc_dfe *d, const size_t *areas, size_t n, const cc_dfe_fit_opts *o,
                   cc_dfe_fit **out, cc_diags *diags);
void cc_dfe_fit_free(cc_dfe_fit *f);

/* The model file as JSON text in *text (caller frees with free()). */
int cc_dfe_fit_model_json(const cc_dfe_fit *f, char **text);
/* The model in memory, parsed from that text (exactly what the file holds);
 * caller frees with cc_model_free. CC_EPARSE would be a bug (diagnostics
 * added). */
int cc_dfe_fit_model(const cc_dfe_fit *f, cc_model **out, cc_diags *diags);
/* Writes the model file atomically. CC_OK, CC_EIO (diagnostic) or
 * CC_ENOMEM. */
int cc_dfe_fit_write_model(const cc_dfe_fit *f, const char *path, cc_diags *diags);

#define CC_DFE_NBANDS 5 /* DfE age bands: under 1, 1-4, 5-9, 10-15, 16-17 */
#define CC_DFE_NCATS 8  /* the default categories */

/* What went into the fit, for the report on standard error. Counts are per
 * year (averages over the window's years with data). */
typedef struct {
	int base_year;
	int window_first, window_last; /* the window asked for */
	size_t years_entries;          /* years in the window with starts */
	size_t years_exits;            /* years in the window with ceases */
	double stock_base;             /* published stock at the base date */
	double stock_band[CC_DFE_NBANDS];
	double stock_category[CC_DFE_NCATS]; /* the starting population */
	double entries_per_year;             /* mean published starts */
	double entry_rate[CC_DFE_NBANDS];    /* entries per year written (at the base date) */
	double entry_trend_per_year;
	double exits_under18_per_year; /* ceases before 18 */
	/* Under-18 exits a year the written hazards give over the window's
	 * exposure: exits_under18_per_year x exits_factor. */
	double exits_fitted_per_year;
	double ceased_18_per_year; /* "18 years and over": left to the engine's ageing */
	double exposure_years;     /* average stock x years with ceases */
	/* Year-to-year variation beyond Poisson (coefficients of variation of
	 * the yearly level), as estimated and as used after the prior. */
	double entries_cv_data, entries_cv_used;
	double exits_cv_data, exits_cv_used;
	/* Effective events of the total entry and under-18 exit rates. */
	double entries_effective_events, exits_effective_events;
	/* Equilibrium shrinkage: the steady-state stock of the window's rates,
	 * the weight kept on it (theta), the anchor it moves towards (the base
	 * stock carried along part of its recent growth: stock_growth, the
	 * log-slope a year over the window, for relaxation_years), the steady
	 * state written, and the factors applied to entries and under-18 exit
	 * hazards. */
	double equilibrium_fitted, shrinkage_theta, equilibrium;
	double anchor, stock_growth, relaxation_years;
	double entries_factor, exits_factor;
	size_t cells_imputed; /* suppressed cells filled from totals */
	size_t areas;
	size_t start_rows; /* starting population rows written */
} cc_dfe_fit_summary;

const cc_dfe_fit_summary *cc_dfe_fit_get_summary(const cc_dfe_fit *f);
/* Notes for the user (missing years, imputed cells, assumptions). */
size_t cc_dfe_fit_nnotes(const cc_dfe_fit *f);
const char *cc_dfe_fit_note(const cc_dfe_fit *f, size_t i);

/* ---- observations for a backtest ---------------------------------------- */

/* The published stock at each 31 March of the data for the areas pooled:
 * total, and by_category in m's category order for the categories DfE
 * publish on their own (supported, with_parents, adoption, other; NaN for
 * fostering, kinship, residential and secure, published only combined, and
 * NaN where suppressed or the model has no such category). *out (caller
 * frees with free()) in date order. CC_EPARSE when an area's cells are bad,
 * CC_ENOMEM. */
int cc_dfe_observations(const cc_dfe *d, const size_t *areas, size_t n, const cc_model *m,
                        cc_history_point **out, size_t *n_out, cc_diags *diags);

#endif
