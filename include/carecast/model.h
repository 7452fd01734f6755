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

/* An observed stock before (or at) the base date, e.g. from a fit. */
typedef struct {
	cc_date date;
	double cla_total;
	double by_category[CC_MAX_LIST]; /* NaN where not given */
} cc_history_point;

/* ---- capacity (in-house pools) ------------------------------------------- */

/* "No date": a home that was open before the base date, or never closes. */
#define CC_DATE_NONE INT32_MIN

typedef enum {
	CC_POOL_HOUSEHOLDS = 1, /* foster carer households: stock, approvals, deregistrations */
	CC_POOL_HOMES = 2,      /* children's homes: beds that open and close on dates */
	CC_POOL_UNITS = 3,      /* a fixed number of units (supported accommodation) */
} cc_pool_kind;

typedef struct {
	char name[CC_NAME_MAX + 1];
	unsigned beds;       /* registered beds */
	double usable_share; /* share of beds that can be used (staffing) */
	cc_date opens;       /* first day open, or CC_DATE_NONE (open at the base date) */
	cc_date closes;      /* first day closed, or CC_DATE_NONE (never) */
} cc_home;

/* The in-house places of one category. A child needing a placement in that
 * category is placed in-house when a usable place is free, else externally. */
typedef struct {
	cc_pool_kind kind;
	size_t category;
	/* CC_POOL_HOUSEHOLDS */
	unsigned households;          /* approved households at the base date */
	double places_per_household;  /* mean approved places per household */
	double usable_share;          /* also used by CC_POOL_UNITS */
	size_t approvals_param;       /* params[]: approvals per year (Poisson) */
	size_t deregistration_param;  /* params[]: deregistration hazard per household-year */
	unsigned approval_lag_months; /* approval to first placement */
	/* CC_POOL_HOMES */
	size_t n_homes;
	cc_home *homes;
	/* CC_POOL_UNITS */
	unsigned units;
	/* Optional: move up to this many external children of the category into
	 * free in-house places each month (0: off). */
	unsigned bring_back_per_month;
} cc_pool;

/* ---- costs --------------------------------------------------------------- */

/* What a placement is bought under. In-house placements are CC_IN_HOUSE
 * providers; external ones are framework or spot. */
typedef enum {
	CC_CONTRACT_IN_HOUSE = 0,
	CC_CONTRACT_FRAMEWORK = 1,
	CC_CONTRACT_SPOT = 2
} cc_contract;
#define CC_NCONTRACTS 3
extern const char *const cc_contract_names[CC_NCONTRACTS];

typedef struct {
	double per_week[CC_NCONTRACTS]; /* pounds per child-week at the price date */
	double framework_share;         /* share of new external placements on the framework */
	double
	    uplift[CC_NPROVIDERS]; /* annual uplift (fraction) each 1 April after the price date */
	double external_cv;        /* > 0: each external placement's price is the contract
	                              price times a lognormal factor, mean 1, this CV */
} cc_price;

typedef struct {
	char name[64];
	int category; /* -1 when not attributed to a category */
	double amount_per_year;
	cc_date from, to; /* inclusive days; CC_DATE_NONE for open-ended */
} cc_fixed_cost;

typedef struct {
	int fy_start_year;
	double total;                    /* NaN when only categories are budgeted */
	double by_category[CC_MAX_LIST]; /* NaN when not budgeted */
} cc_budget;

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

	/* Observed children looked after before the base date, ascending. */
	size_t n_history;
	cc_history_point *history;

	/* Capacity: pools[k] serves category pools[k].category;
	 * pool_of[category] is its pool index or -1. */
	size_t n_pools;
	cc_pool pools[CC_MAX_LIST];
	int pool_of[CC_MAX_LIST];

	/* Costs (has_costs = 0 when the model gives none). */
	int has_costs;
	cc_date price_date;
	double high_cost_per_week; /* threshold for high-cost placements */
	cc_price prices[CC_MAX_LIST];
	size_t n_fixed;
	cc_fixed_cost *fixed;
	size_t n_budgets;
	cc_budget *budgets;

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

/* Usable in-house places of a pool on a date, for the pools whose places do
 * not change randomly (homes and units). For households it is the places of
 * `households` households. */
unsigned cc_pool_places(const cc_pool *p, cc_date date, unsigned households);

/* Price factor for financial year fy_start_year: (1 + uplift)^k, k the number
 * of 1 Aprils after the price date up to the start of that year. */
double cc_model_uplift(const cc_model *m, size_t category, int provider, int fy_start_year);

/* Fixed costs falling in the days [from, to] (pro rata by day), in total and
 * for one category (category -1: all). */
double cc_model_fixed_cost(const cc_model *m, int category, cc_date from, cc_date to);

/* The budget for a financial year, or NULL. */
const cc_budget *cc_model_budget(const cc_model *m, int fy_start_year);

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
