/*
 * model.h - a cohort model of children looked after, as read from a model file.
 *
 * A model holds the classifications (age bands, time-in-care bands, need
 * categories, exit reasons), the rates (entries per year by age band; move and
 * exit hazards per year as rows that cover cells of age band x category x
 * time-in-care band), the starting population as counts, and settings. The
 * file format is documented in docs/formats.md; how the numbers are used in
 * docs/model.md.
 *
 * Every rate is also a *parameter*: params[] lists them all (entry rates by
 * band first, then move rows, then exit rows) with their evidence, so a
 * replication can draw each from its posterior in one place (cc_params_draw)
 * and the hazard tables are built from the drawn values (cc_hazards_build).
 */
#ifndef CARECAST_MODEL_H
#define CARECAST_MODEL_H

#include "carecast/date.h"
#include "carecast/error.h"

#include <stddef.h>
#include <stdint.h>

#define CC_AGE_MONTHS_MAX 216 /* the 18th birthday: children leave care here */
#define CC_MAX_LIST 32        /* most bands, categories or reasons in a list */
#define CC_NAME_MAX 32        /* longest name, in bytes */
#define CC_TIC_MAX_MONTHS 240 /* largest time-in-care band boundary */
#define CC_MAX_CHILDREN 10000000UL

/* Who provides a child's current placement. */
typedef enum { CC_IN_HOUSE = 0, CC_EXTERNAL = 1 } cc_provider;
#define CC_NPROVIDERS 2
extern const char *const cc_provider_names[CC_NPROVIDERS];

/* A rate with the evidence it was estimated from. */
typedef struct {
	double rate_per_year;  /* point estimate: hazard per year, or entries per year */
	double events;         /* events observed, when has_evidence */
	double exposure_years; /* child-years (or years) at risk, when has_evidence */
	int has_evidence;
	size_t line; /* where it was given in the model file (0 for defaults) */
} cc_rate;

typedef struct {
	char name[CC_NAME_MAX + 1];
	unsigned from_months; /* inclusive */
	unsigned to_months;   /* exclusive; for the last time-in-care band, UINT_MAX-like */
} cc_band;

typedef struct {
	char name[CC_NAME_MAX + 1];
	double in_house_share; /* probability a new placement is in-house */
} cc_category;

/* A move hazard row: from -> to, for the age bands and time-in-care bands in
 * the bit masks. */
typedef struct {
	size_t from, to;
	uint32_t age_bands, tic_bands;
	size_t param; /* index into params */
} cc_move_row;

/* An exit hazard row for one reason. */
typedef struct {
	size_t reason;
	uint32_t categories, age_bands, tic_bands;
	size_t param;
} cc_exit_row;

/* Children with identical state at the base date. */
typedef struct {
	uint16_t age_months;
	uint16_t months_in_care;
	uint16_t months_in_placement;
	uint8_t category;
	uint8_t provider;
	uint8_t placements_12m;
	uint32_t count;
} cc_start_group;

typedef struct {
	int year; /* the year of the 31 March, as DfE's time_period */
	double count;
} cc_population_year;

typedef struct {
	char *name; /* never NULL after loading ("" if not given) */
	char *path; /* the file it was read from */
	char sha256[65];

	cc_date base_date; /* a month end */

	size_t n_age_bands;
	cc_band age_bands[CC_MAX_LIST];
	size_t n_tic_bands;
	cc_band tic_bands[CC_MAX_LIST];
	size_t n_categories;
	cc_category categories[CC_MAX_LIST];
	/* Exit reasons from the file; reason index n_reasons is the implicit
	 * "age18" (the 18th birthday). */
	size_t n_reasons;
	char reasons[CC_MAX_LIST][CC_NAME_MAX + 1];

	/* Entries: params[b] is the rate for age band b. */
	double entry_trend_per_year;
	double entry_mix[CC_MAX_LIST][CC_MAX_LIST]; /* [band][category], rows sum to 1 */
	/* Cumulative weights over the months of each band (length = band width in
	 * months, last = 1), or NULL for uniform. */
	double *entry_age_cdf[CC_MAX_LIST];

	size_t n_moves;
	cc_move_row *moves;
	size_t n_exits;
	cc_exit_row *exits;

	size_t n_params;
	cc_rate *params;

	size_t n_start;
	cc_start_group *start;
	size_t start_total; /* children at the base date */

	size_t n_population;
	cc_population_year *population;

	int parameter_uncertainty;
} cc_model;

/* Index of the implicit 18th-birthday exit reason. */
static inline size_t cc_model_age18(const cc_model *m) { return m->n_reasons; }

/* Reads and validates a model file, reporting every problem found into diags
 * (file:line:column, expected, found). On success *out is a model the caller
 * frees with cc_model_free. Returns CC_OK, CC_EIO (cannot read, or not a
 * regular file), CC_ERANGE (larger than CC_FILE_MAX_BYTES), CC_EPARSE
 * (malformed or invalid; diagnostics added) or CC_ENOMEM. */
int cc_model_load(const char *path, cc_model **out, cc_diags *diags);
/* The same from text in memory; `name` is used in messages. */
int cc_model_parse(const char *name, const char *text, size_t len, cc_model **out, cc_diags *diags);
void cc_model_free(cc_model *m);

/* Band index of an age in months (0..215), time in care in months (any). */
size_t cc_model_age_band(const cc_model *m, unsigned age_months);
size_t cc_model_tic_band(const cc_model *m, unsigned months_in_care);

/* The 0-17 population for the financial year ending 31 March of `year`:
 * the value for that year, the last earlier one, or the first later one
 * (constant extrapolation). 0 when the model has none. */
double cc_model_population(const cc_model *m, int year);

/* ---- hazard tables ------------------------------------------------------- */

/* Dense hazards per cell g = (age band * n_categories + category) * n_tic +
 * tic band. Outcomes o: 0..n_reasons-1 exits, then n_reasons + j a move to
 * category j (the diagonal is 0). */
typedef struct {
	size_t n_cells;
	size_t n_outcomes;
	double *hazard; /* [n_cells * n_outcomes], per year */
} cc_hazards;

static inline size_t cc_hazards_cell(const cc_model *m, size_t band, size_t cat, size_t tic)
{
	return (band * m->n_categories + cat) * m->n_tic_bands + tic;
}

/* Allocates tables sized for m. CC_ENOMEM on failure. Free with
 * cc_hazards_free. */
int cc_hazards_alloc(const cc_model *m, cc_hazards *h);
void cc_hazards_free(cc_hazards *h);
/* Fills h from parameter values (one per m->params; NULL means the point
 * estimates). */
void cc_hazards_build(const cc_model *m, const double *param_values, cc_hazards *h);

#endif
