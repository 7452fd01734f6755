/*
 * dfe_int.h - what the files of src/dfe share: the published cells carecast
 * reads ("slots"), the tables as read, the national structure, the cohort
 * steady state and the fit's state.
 */
#ifndef CARECAST_DFE_INT_H
#define CARECAST_DFE_INT_H

#include "carecast/dfe.h"

#include <stdint.h>

#define NB CC_DFE_NBANDS
#define NC CC_DFE_NCATS
#define NT 3 /* time-in-care bands: under 6 months, 6-24 months, 24 months+ */
#define NR 8 /* exit reasons with rates */
#define NA 216
#define MIC_CAP 24 /* months in care beyond this are "24 or more" */

/* Categories and reasons in the model's default order. */
enum {
	C_FOSTERING,
	C_KINSHIP,
	C_RESIDENTIAL,
	C_SECURE,
	C_SUPPORTED,
	C_WITH_PARENTS,
	C_ADOPTION,
	C_OTHER
};
enum { R_ADOPTION, R_SGO, R_CAO, R_HOME, R_INDEPENDENT, R_TRANSFER, R_CUSTODY, R_OTHER, R_AGE18 };

extern const char *const dfe_band_names[NB];
extern const char *const dfe_tic_names[NT];
extern const char *const dfe_cat_names[NC];
extern const char *const dfe_reason_names[NR];

/* ---- published cells ------------------------------------------------------ */

enum { TB_STOCK, TB_START, TB_CEASE, NTABLES };

/* Placement rows of the stock table. */
enum {
	PL_FOSTER,
	PL_SUPPORTED,
	PL_OTHER,
	PL_OTHER_RES,
	PL_ADOPTION,
	PL_PARENTS,
	PL_RES_SCHOOL,
	PL_HOMES,
	NPL
};
/* Provider rows. */
enum {
	PR_OWN,
	PR_OTHER_LA,
	PR_OTHER_PUBLIC,
	PR_PRIVATE,
	PR_VOLUNTARY,
	PR_PARENTS,
	PR_NOT_REPORTED,
	NPR
};
/* Age on ceasing: the five bands but 16 and 17 apart, and 18 and over. */
enum { CA_U1, CA_1_4, CA_5_9, CA_10_15, CA_16, CA_17, CA_18, NCA };
/* Reasons episode ceased (DfE's 17). */
#define NREASON17 17

/* A slot is one published cell of an (area, year). Each group ends with its
 * total. */
enum {
	SL_STOCK_AGE = 0,                      /* NB + total */
	SL_STOCK_PL = SL_STOCK_AGE + NB + 1,   /* NPL + total */
	SL_STOCK_PR = SL_STOCK_PL + NPL + 1,   /* NPR + total */
	SL_START_AGE = SL_STOCK_PR + NPR + 1,  /* NB + total */
	SL_CEASE_AGE = SL_START_AGE + NB + 1,  /* NCA + total */
	SL_CEASE_RSN = SL_CEASE_AGE + NCA + 1, /* NREASON17 + total */
	NSLOTS = SL_CEASE_RSN + NREASON17 + 1
};

/* A group of slots: first slot, number of parts (the total follows). */
typedef struct {
	int table;
	size_t first, n;
} dfe_group;
enum { G_STOCK_AGE, G_STOCK_PL, G_STOCK_PR, G_START_AGE, G_CEASE_AGE, G_CEASE_RSN, NGROUPS };
extern const dfe_group dfe_groups[NGROUPS];

/* Model reason of each published reason (R_AGE18 for "remained with current
 * carers"), and the assumed age profile (under 1, 1-4, 5-9, 10-15, 16-17,
 * 18+) before the cross. */
typedef struct {
	const char *label;
	int reason;
	double profile[NB + 1];
} dfe_reason17;
extern const dfe_reason17 dfe_reasons17[NREASON17];

/* Recognises (table, cla_group, characteristic): the slot, or -1 when the
 * row is not one carecast uses; *known_group = 1 when the group is used (so
 * an unrecognised characteristic is worth a warning). */
int dfe_slot_of(int table, const char *group, const char *characteristic, int *known_group);
/* Lowercase letters and digits of s only, into buf. */
void dfe_normalise(const char *s, char *buf, size_t size);

/* States of a slot. */
enum { CELL_ABSENT = 0, CELL_VALUE = 1, CELL_SUPPRESSED = 2 };

typedef struct {
	int year;
	double v[NSLOTS];
	uint8_t state[NSLOTS];
	size_t line[NSLOTS]; /* where the value was read (duplicates) */
	int present[NTABLES];
} dfe_year;

/* A problem in a cell, reported when its area is used. */
typedef struct {
	size_t area;
	const char *file; /* points into cc_dfe's file names */
	size_t line, column;
	char *message;
} dfe_problem;

typedef struct {
	char *name;
	char *region; /* region_name on LA rows, or NULL */
	cc_dfe_level level;
	size_t n_years, cap_years;
	dfe_year *years; /* sorted by year */
	size_t n_pop;
	int pop_year[128];
	double pop[128];
} dfe_area;

struct cc_dfe {
	char *files[NTABLES + 1]; /* paths; [NTABLES] the population file */
	size_t n_areas, cap_areas;
	dfe_area *areas;
	size_t n_problems, cap_problems;
	dfe_problem *problems;
	int first_year, last_year;
	int has_population;
};

/* The year record of an area, or NULL. */
const dfe_year *dfe_area_year(const dfe_area *a, int year);

/* Copies into out the problems of the areas given; returns how many. */
size_t dfe_report_problems(const cc_dfe *d, const size_t *areas, size_t n, cc_diags *diags);

/* ---- margins ----------------------------------------------------------------- */

/* One year's cells of the areas pooled, suppressed cells imputed. known[s]
 * is 1 when every area published the cell, 0 when imputed or absent;
 * present[t] when every area has table t for the year. */
typedef struct {
	int year;
	double v[NSLOTS];
	uint8_t known[NSLOTS];
	uint8_t usable[NGROUPS]; /* the group's parts are all values or imputed */
	int present[NTABLES];
} dfe_pooled;

/* Pools the areas' cells for one year (imputing each area's suppressed
 * cells from its totals, with national shares as the prior). Returns the
 * number of cells imputed. */
size_t dfe_pool_year(const cc_dfe *d, const size_t *areas, size_t n, int year, dfe_pooled *out);

/* The stock by category (default order) from the placement rows. */
void dfe_categories_of(const dfe_pooled *p, double cat[NC]);

/* ---- national structure ------------------------------------------------------ */

typedef struct {
	int reason;
	uint32_t cats, bands, tics;
	double rate;
} dfe_exit_row;
typedef struct {
	int from, to;
	uint32_t bands;
	double rate;
	const char *note;
} dfe_move_row;

extern const dfe_exit_row dfe_exit_rows[];
extern const size_t dfe_n_exit_rows;
extern const dfe_move_row dfe_move_rows[];
extern const size_t dfe_n_move_rows;
extern const double dfe_entry_mix[NB][NC];
extern const double dfe_age_weight_month[NA]; /* share of a band's entrants at each month */
extern const double dfe_in_house_assumed[NC];
extern const double dfe_kinship_share_of_foster;
extern const double dfe_secure_share_of_homes;

size_t dfe_band_of_age(unsigned age_months);
size_t dfe_tic_of(unsigned months_in_care);

/* ---- the cohort steady state ------------------------------------------------- */

/* Hazards per year by cell: exits [r][b][c][t], moves [c][j][b][t]. */
typedef struct {
	double exit[NR][NB][NC][NT];
	double move[NC][NC][NB][NT];
} dfe_hazards;

/* The expected-value steady state of the monthly process (docs/model.md §2)
 * with constant entries: stock at a month end by (age month, category,
 * months in care capped at MIC_CAP), and per year the child-years at risk by
 * cell (age band and time-in-care band at the start of each month; exits in
 * a cell are exactly hazard x child-years at risk). */
typedef struct {
	double stock[NA][NC][MIC_CAP + 1];
	double at_risk[NB][NC][NT]; /* child-years at risk a year */
	double stock_cell[NB][NC][NT];
	double age18_per_year; /* leaving at the 18th birthday */
} dfe_steady;

/* One month of the within-month chain of an (age band, time-in-care band):
 * E where children in care at the start end up, N1 their expected months in
 * each category (also where entrants end up), N2 entrants' expected months. */
typedef struct {
	double E[NC][NC], N1[NC][NC], N2[NC][NC];
} dfe_month_step;

void dfe_month_steps(const dfe_hazards *h, dfe_month_step T[NB][NT]);
void dfe_steady_from_steps(const double entries[NB], const double mix[NB][NC], double q17,
                           const dfe_month_step T[NB][NT], dfe_steady *out);

/* q17: the share of the 16-17 band's entrants aged 17 (the rest are 16),
 * uniform over the months of each year. */
void dfe_steady_state(const double entries[NB], const double mix[NB][NC], double q17,
                      const dfe_hazards *h, dfe_steady *out);

/* Rakes x[NA][NC][MIC_CAP+1] to band totals and category totals by
 * iterative proportional fitting (cells that are 0 stay 0; a band or
 * category with a positive target and no mass is seeded). */
void dfe_rake(double (*x)[NC][MIC_CAP + 1], const double band[NB], const double cat[NC]);

/* Rounds a table of non-negative values f[NB][NC] whose row and column sums
 * are (close to) the integer margins rows[], cols[] (same total) to integers
 * with exactly those margins, changing each cell by less than 1 where
 * possible. Returns 0, or -1 when the margins disagree. */
int dfe_round_table(const double f[NB][NC], const long rows[NB], const long cols[NC],
                    long out[NB][NC]);

/* Cumulative (systematic) rounding of v[0..n) in order, to integers summing
 * to total: each prefix sum is within 1/2 of its share, so counts spread
 * evenly along the order (ages) instead of piling on the largest cells. */
void dfe_round_cumulative(const double *v, size_t n, long total, long *out);

/* Largest-remainder rounding of v[0..n) to integers summing to total. */
void dfe_round_lr(const double *v, size_t n, long total, long *out);

/* ---- the fit ------------------------------------------------------------------ */

/* A rate as written: the fitted rate `mean` is the posterior mean the
 * engine draws around ((events + 0.5) / exposure); `rate` = events /
 * exposure is the point estimate (docs/model.md, "Calibrating from DfE
 * published statistics"). */
typedef struct {
	int reason;   /* exits */
	int from, to; /* moves */
	uint32_t cats, bands, tics;
	double mean; /* the fitted rate per year */
	double rate; /* written rate_per_year */
	double events, exposure;
	int has_evidence;
	const char *note; /* static text, or NULL */
} dfe_row;

typedef struct {
	uint16_t age, mic;
	uint8_t cat, prov;
	uint32_t count;
} dfe_start;

#define DFE_MAX_NOTES 32
#define DFE_MAX_YEARS 128

struct cc_dfe_fit {
	char *name, *description, *source;
	int base_year;
	dfe_row entry[NB];
	double trend;
	double q17; /* share of 16-17 entrants aged 17 */
	double rho; /* published: leaving at 18 a year / 16-17s at the start of the year */
	double mix[NB][NC];
	double in_house[NC];
	size_t n_exits, n_moves;
	dfe_row *exits, *moves;
	size_t n_start;
	dfe_start *start;
	size_t n_history;
	int hist_year[DFE_MAX_YEARS];
	double hist_total[DFE_MAX_YEARS];
	double hist_cat[DFE_MAX_YEARS][NC]; /* NaN where not published on its own */
	size_t n_pop;
	int pop_year[DFE_MAX_YEARS];
	double pop[DFE_MAX_YEARS];
	cc_dfe_fit_summary summary;
	size_t n_notes;
	char *notes[DFE_MAX_NOTES];
};

/* Writes the model file text (model_out.c). */
int dfe_model_text(const cc_dfe_fit *f, char **text, size_t *len);

#endif
