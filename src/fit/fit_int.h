/*
 * fit_int.h - the pieces of the fit shared by its files (not installed).
 *
 *   map.c       PLACE codes to categories, REC codes to reason groups
 *   periods.c   one child's episodes to modelled periods and spells
 *   exposure.c  exposure and events inside the window
 *   shrink.c    rates and their empirical-Bayes shrinkage
 *   stock.c     starting population and history
 *   fit.c       options, checks against the data, the walk, accessors
 *   jsonout.c   a small streaming JSON writer (no cJSON: the outputs are
 *               large for a national return and written once, in order)
 *   model_out.c the model file;  report_out.c the fit report
 */
#ifndef CARECAST_FIT_INT_H
#define CARECAST_FIT_INT_H

#include "carecast/fit.h"

#include <stdint.h>
#include <stdio.h>

#define FIT_OPEN ((cc_date)INT32_MAX)
#define FIT_DAYS_PER_YEAR 365.25
/* A rate with fewer observed events than this is flagged "small count". */
#define FIT_SMALL_EVENTS 5

struct cc_fit_map {
	size_t ncat;
	char cat[CC_MAX_LIST][CC_NAME_MAX + 1];
	int8_t place_cat[CC_PLACE_COUNT]; /* -1: temporary */
	size_t default_cat;
	int is_default;
};

/* ---- bands ----------------------------------------------------------------- */

/* Age band boundaries in years (CC_FIT_NAGE + 1) and time-in-care band
 * boundaries in months (CC_FIT_NTIC; the last band is open-ended). */
extern const int fit_age_years[CC_FIT_NAGE + 1];
extern const int fit_tic_months[CC_FIT_NTIC];

/* The date n months after d: the same day of the month, or the 1st of the
 * next month when that day does not exist (as for 29 February birthdays),
 * so completed_months(d, add_months(d, n)) == n. */
cc_date fit_add_months(cc_date d, int n);
/* Whole months from a to b (b >= a), counting a month complete on its
 * anniversary as fit_add_months defines it. */
int fit_completed_months(cc_date a, cc_date b);
size_t fit_age_band_of_months(unsigned age_months);

/* ---- one child's periods ----------------------------------------------------- */

/* A spell: from `start` until the next spell of the period (or its end) the
 * child is in category `cat` with provider `prov`. A bridged short break is a
 * spell with `respite` set: in care for the flows, not in the stock. */
typedef struct {
	cc_date start;
	uint8_t cat;
	uint8_t prov;
	uint8_t respite;
	uint8_t placement; /* a new placement starts here */
} fit_spell;

typedef struct {
	cc_date start;  /* first day in care (first episode other than a short break) */
	cc_date end;    /* day care ended, FIT_OPEN if open at the end of the data */
	cc_date censor; /* open periods: the day observation stops (FIT_OPEN: never) */
	uint8_t reason; /* cc_fit_reason of the exit (before any age18 override) */
	uint8_t reason_unknown;
	uint8_t e17;
	uint8_t left_truncated; /* began before the data; start is a lower bound */
	uint32_t spell0, nspells;
} fit_period;

typedef struct {
	fit_period *periods;
	size_t nperiods, cap_periods;
	fit_spell *spells;
	size_t nspells, cap_spells;
	/* counts, added to as children are walked */
	size_t respite_periods, respite_bridged, temporary_episodes, temporary_starts,
	    temporary_only, provider_unknown, zero_length;
} fit_child;

/* Walks child `child` of ds into w (periods and spells replaced, counts
 * added). CC_OK or CC_ENOMEM. */
int fit_child_periods(const cc_ssda903 *ds, size_t child, const cc_fit_map *map, fit_child *w);
void fit_child_free(fit_child *w);

/* ---- tables ------------------------------------------------------------------ */

typedef struct {
	size_t K; /* categories */
	double expo_days[CC_FIT_NAGE][CC_MAX_LIST][CC_FIT_NTIC];
	double exits[CC_FIT_NREASONS][CC_FIT_NAGE][CC_MAX_LIST][CC_FIT_NTIC];
	double moves[CC_MAX_LIST][CC_MAX_LIST][CC_FIT_NAGE];
	double entries[CC_FIT_NAGE][CC_MAX_LIST];
	double entry_age[CC_AGE_MONTHS_MAX];
	/* Providers of placements that start a category spell (entry or move)
	 * in the window. */
	double starts_in_house[CC_MAX_LIST], starts_known[CC_MAX_LIST];
	/* The stock at the base date by category and provider (fallback share). */
	double stock_prov[CC_MAX_LIST][CC_NPROVIDERS];
} fit_tables;

typedef struct {
	cc_date ws, we; /* the window: days [ws, we) */
} fit_window;

/* A child's birthdays at the age band boundaries: bday[0] is the date of
 * birth, bday[CC_FIT_NAGE] the 18th birthday. Computed once per child. */
typedef struct {
	cc_date bday[CC_FIT_NAGE + 1];
} fit_kid;

void fit_kid_init(fit_kid *k, cc_date dob);

/* Adds one child's periods to the tables and counts. */
void fit_accumulate(const fit_window *win, const fit_kid *kid, const fit_child *w, fit_tables *t,
                    cc_fit_counts *n);

/* The period and spell of w in which the child counts in the stock at the
 * end of day `date` (in care, not a short break, not censored, under 18);
 * returns 0 if none. */
int fit_stock_at(const fit_child *w, const fit_kid *kid, cc_date date, size_t *period,
                 size_t *spell);

/* ---- starting population and history --------------------------------------------- */

typedef struct {
	cc_start_group *rows;
	size_t n, cap;
} fit_start;

/* Adds the child to the starting population at base (if in the stock then).
 * CC_OK or CC_ENOMEM. */
int fit_start_add(fit_start *s, const fit_kid *kid, const fit_child *w, cc_date base,
                  fit_tables *t);
/* Sorts and merges identical rows. */
void fit_start_finish(fit_start *s);

/* Adds the child to each history point. */
void fit_history_add(cc_history_point *h, size_t nh, const fit_kid *kid, const fit_child *w);

/* ---- rates ------------------------------------------------------------------- */

typedef struct {
	cc_fit_rate cell[CC_FIT_NREASONS][CC_FIT_NAGE][CC_MAX_LIST][CC_FIT_NTIC];
	cc_fit_rate band[CC_FIT_NREASONS][CC_MAX_LIST][CC_FIT_NAGE];
	cc_fit_rate cat[CC_FIT_NREASONS][CC_MAX_LIST];
	cc_fit_rate top[CC_FIT_NREASONS];
	double alpha[CC_FIT_NREASONS][3];
} fit_exit_rates;

typedef struct {
	cc_fit_rate cell[CC_MAX_LIST][CC_MAX_LIST][CC_FIT_NAGE];
	cc_fit_rate pair[CC_MAX_LIST][CC_MAX_LIST];
	cc_fit_rate out[CC_MAX_LIST];
	cc_fit_rate all;
	double alpha[3];
} fit_move_rates;

/* Shrinkage bounds on the estimated prior strength (pseudo-events). */
#define FIT_ALPHA_MIN 0.5
#define FIT_ALPHA_MAX 50.0
#define FIT_ALPHA_NONE 1.0 /* when the data say nothing about heterogeneity */

/* The shrunk rate of (events, exposure) toward prior mean mu with alpha
 * pseudo-events. */
cc_fit_rate fit_shrink(double events, double exposure_years, double mu, double alpha);
/* Moment estimate of the prior strength from observed events e[i] and
 * expected events x[i] under the parent rates (docs/fit.md). */
double fit_alpha_estimate(const double *e, const double *x, size_t n);

void fit_exit_rates_compute(const fit_tables *t, double prior_events, fit_exit_rates *r);
void fit_move_rates_compute(const fit_tables *t, double prior_events, fit_move_rates *r);

/* ---- the fit ------------------------------------------------------------------ */

struct cc_fit {
	cc_fit_opts opts;
	cc_fit_map *map; /* own copy */
	char *name;
	char *description;
	char **la_names;
	size_t nla;
	cc_ssda903_quality quality;
	cc_ssda903_year_label labels;
	size_t nreturns;
	cc_fit_counts counts;
	fit_tables tab;
	fit_exit_rates ex;
	fit_move_rates mv;
	cc_fit_rate entry[CC_FIT_NAGE];
	double mix[CC_FIT_NAGE][CC_MAX_LIST];
	double in_house_share[CC_MAX_LIST];
	fit_start start;
	cc_history_point *history;
	size_t nhistory;
	/* Warnings the fit itself found (kept for the report). */
	char **notes;
	size_t nnotes;
};

/* ---- JSON output ------------------------------------------------------------- */

/* Rounds to 6 significant digits (what the files carry). */
double fit_round6(double v);
void fit_json_str(FILE *f, const char *s);
/* Shortest text that reads back to the same double; 0 for -0. */
void fit_json_num(FILE *f, double v);
void fit_json_date(FILE *f, cc_date d);

/* Writes the model / report to f. CC_OK or CC_EIO (ferror). */
int fit_model_print(const cc_fit *fit, FILE *f);
int fit_report_print(const cc_fit *fit, FILE *f);

#endif
