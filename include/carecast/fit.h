/*
 * fit.h - fitting a carecast model (model.h, docs/formats.md) to SSDA903
 * returns read by ssda903.h.
 *
 * The fit turns each child's episodes into modelled periods of care, each a
 * run of spells in one placement category (temporary placements and short
 * breaks inside a period keep the child's category; periods made only of short
 * breaks are left out), then counts, inside a reference window ending on the
 * base date:
 *   - exposure in child-years by age band x category x time-in-care band
 *     (split at birthdays and at time-in-care band boundaries);
 *   - entries by age band and first category, and by age in months;
 *   - moves between categories by age band;
 *   - exits by reason group by age band x category x time-in-care band (an
 *     exit on or after the 18th birthday is "age18", which the engine applies
 *     itself, and is not a rate).
 * Rates are events / exposure, shrunk toward pooled rates by empirical Bayes
 * (Gamma-Poisson) so that sparse cells get finite, positive, plausible rates;
 * each is written with "effective" evidence (events and exposure including the
 * prior), so rate = events / exposure exactly and the engine's parameter
 * uncertainty reflects data and prior. The starting population (children in
 * care at the base date, as aggregated counts) and the history (children in
 * care at each 31 March the data cover) complete the model. The method, the
 * mapping tables and the report format are in docs/fit.md.
 *
 * Privacy: nothing here keeps or writes a CHILD identifier or a date of birth;
 * the model and the report hold only counts, rates and the dates the user
 * chose (base date, window) or that the data cover (31 March of each year).
 */
#ifndef CARECAST_FIT_H
#define CARECAST_FIT_H

#include "carecast/date.h"
#include "carecast/error.h"
#include "carecast/model.h"
#include "carecast/ssda903.h"

#include <stddef.h>

/* ---- classifications ------------------------------------------------------ */

/* The model's default age bands (DfE: under 1, 1-4, 5-9, 10-15, 16-17) and
 * time-in-care bands (under 6 months, 6 to 24 months, 24 months and over). */
#define CC_FIT_NAGE 5
#define CC_FIT_NTIC 3

/* Exit reason groups, in the model's default order; AGE18 is the 18th
 * birthday (not a rate). */
typedef enum {
	CC_FIT_ADOPTION,
	CC_FIT_SGO,
	CC_FIT_CAO,
	CC_FIT_HOME,
	CC_FIT_INDEPENDENT,
	CC_FIT_TRANSFER,
	CC_FIT_CUSTODY,
	CC_FIT_OTHER,
	CC_FIT_AGE18
} cc_fit_reason;
#define CC_FIT_NREASONS 8 /* reasons with rates (AGE18 excluded) */

/* "adoption", "sgo", ..., "other", "age18". */
const char *cc_fit_reason_name(cc_fit_reason r);
/* The reason group of a REC code (cc_ssda903_rec) for an exit before the 18th
 * birthday: E11, E12 adoption; E43-E48 sgo; E41 cao; E4A, E4B, E13 home;
 * E5, E6 independent; E3, E7 transfer; E9 custody; everything else other
 * (E2, E8, E14-E16, E17 before 18, X1 without a next episode, blank,
 * invalid). *unknown (may be NULL) is set to 1 when the reason was not
 * recorded (blank, invalid, or X1). */
cc_fit_reason cc_fit_reason_of(unsigned rec, int *unknown);

const char *cc_fit_age_band_name(size_t band);
const char *cc_fit_tic_band_name(size_t band);

/* ---- the placement map ---------------------------------------------------- */

/* PLACE codes to need categories. Opaque; free with cc_fit_map_free.
 * Temporary placements (T0-T4) are never mapped: the child keeps its
 * category. */
typedef struct cc_fit_map cc_fit_map;

/* The default map (docs/fit.md): U1-U3 and Q1 kinship; U4-U6 and Q2
 * fostering; K2, R1, P3, S1 residential; K1 secure; H5, K3, P2 supported;
 * P1 with_parents; A3-A6 adoption; everything else other. NULL when out of
 * memory. */
cc_fit_map *cc_fit_map_default(void);
/* Reads a map file: {"categories": [names] (optional order), "place":
 * {"U1": "kinship", ...}, "default": "other" (category of codes not listed;
 * optional, default "other")}. Problems are reported with file:line:column.
 * CC_OK, CC_EIO, CC_ERANGE, CC_EPARSE or CC_ENOMEM; *out freed with
 * cc_fit_map_free. */
int cc_fit_map_load(const char *path, cc_fit_map **out, cc_diags *diags);
void cc_fit_map_free(cc_fit_map *map);
size_t cc_fit_map_ncategories(const cc_fit_map *map);
const char *cc_fit_map_category(const cc_fit_map *map, size_t i);
/* The category index of a PLACE code (cc_ssda903_place), or -1 for T0-T4. */
int cc_fit_map_place(const cc_fit_map *map, unsigned place);

/* ---- fitting ---------------------------------------------------------------- */

typedef struct {
	cc_date base_date;     /* a month end, within the data (required) */
	unsigned window_years; /* reference window before the base date; 0: 3 */
	const cc_fit_map *map; /* NULL: the default map */
	/* Prior strength in pseudo-events for every shrinkage level; 0
	 * (default): estimated from the data, level by level (docs/fit.md). */
	double prior_events;
	/* Problems the fit finds in the data (a missing return inside the
	 * window) are errors instead of warnings. */
	int strict;
	const char *name; /* the model's name; NULL: made from the LA names */
} cc_fit_opts;

void cc_fit_opts_default(cc_fit_opts *o);

/* A fitted model and everything the report needs. Opaque. */
typedef struct cc_fit cc_fit;

/* Fits ds. Fails with CC_EINVAL and a diagnostic when the options do not fit
 * the data (no children; base date not a month end, before or after the data
 * of an LA; window starting before an LA's first return; window_years out of
 * 1..50), CC_ENOMEM. Warnings (a return missing inside the window) are added to diags;
 * with opts->strict they are errors and the fit fails with CC_EPARSE. On
 * success *out is freed with cc_fit_free. */
int cc_fit_ssda903(const cc_ssda903 *ds, const cc_fit_opts *opts, cc_fit **out, cc_diags *diags);
void cc_fit_free(cc_fit *f);

/* The model file as JSON text (docs/formats.md), in *text (caller frees with
 * free()). CC_OK or CC_ENOMEM. */
int cc_fit_model_json(const cc_fit *f, char **text);
/* The fitted model in memory, parsed from that text (so it is exactly what
 * the file holds). Caller frees with cc_model_free. CC_OK, CC_ENOMEM, or
 * CC_EPARSE (a bug: diagnostics added). */
int cc_fit_model(const cc_fit *f, cc_model **out, cc_diags *diags);
/* The fit report (docs/fit.md, "Outputs") as JSON text; caller frees. */
int cc_fit_report_json(const cc_fit *f, char **text);
/* Write the model / the report atomically (cc_outfile). CC_OK, CC_EIO
 * (diagnostic added) or CC_ENOMEM. */
int cc_fit_write_model(const cc_fit *f, const char *path, cc_diags *diags);
int cc_fit_write_report(const cc_fit *f, const char *path, cc_diags *diags);

/* ---- results ------------------------------------------------------------------ */

/* A fitted rate and the evidence behind it. */
typedef struct {
	double events;             /* observed in the window */
	double exposure_years;     /* observed child-years at risk (entries: window years) */
	double pooled_rate;        /* the rate it was shrunk toward (per year) */
	double weight;             /* data weight exposure / (exposure + k), 1 = no shrinkage */
	double rate_per_year;      /* the fitted rate */
	double eff_events;         /* the evidence written: events + prior pseudo-events */
	double eff_exposure_years; /* exposure + k */
	int written;               /* 1 if the model file carries it */
} cc_fit_rate;

/* Counts behind the fit, for the report. */
typedef struct {
	cc_date window_start; /* first day of the window */
	cc_date window_end;   /* the base date (last day) */
	unsigned window_years;
	size_t las;                /* LAs pooled */
	size_t children;           /* children in the dataset */
	size_t periods;            /* periods of care modelled */
	size_t periods_in_window;  /* ... with time in the window */
	size_t respite_periods;    /* periods made only of short breaks (V3/V4): left out */
	size_t zero_length;        /* periods lasting no time (DEC = DECOM): left out */
	size_t respite_bridged;    /* V3/V4 episodes inside a period: category kept */
	size_t temporary_episodes; /* T0-T4 episodes: category kept */
	size_t temporary_starts;   /* periods starting with T0-T4: category of the first
	                              other placement */
	size_t temporary_only;     /* periods with only T0-T4 placements: default category */
	size_t left_truncated;     /* periods begun before the data (time in care a lower
	                              bound) in care in the window */
	size_t provider_unknown;   /* placements with no usable provider (taken as the
	                              previous one, or in-house) */
	size_t lost;               /* periods censored in the window because an open episode
	                              vanished from later returns */
	double entries;            /* in the window */
	double exits[CC_FIT_NREASONS + 1]; /* by reason, [CC_FIT_AGE18] at the 18th birthday */
	double exits_unknown_reason;       /* exits before 18 with REC blank, invalid or X1 */
	double exits_e17_under18;          /* REC E17 before the 18th birthday (counted as other) */
	double moves;                      /* between categories in the window */
	double moves_after_18;     /* category changes on or after the 18th birthday, ignored */
	double exposure_years;     /* total child-years in the window */
	double stock_window_start; /* in care at the end of the day before the window */
	double stock_base;         /* in care at the end of the base date */
	size_t start_rows;         /* starting population rows (aggregated) */
	size_t missing_returns;    /* returns missing inside the window (all LAs) */
} cc_fit_counts;

const cc_fit_counts *cc_fit_get_counts(const cc_fit *f);
size_t cc_fit_ncategories(const cc_fit *f);
const char *cc_fit_category(const cc_fit *f, size_t c);

/* Exit hazard of a reason (< CC_FIT_NREASONS) in a cell. */
cc_fit_rate cc_fit_exit_rate(const cc_fit *f, size_t reason, size_t age_band, size_t category,
                             size_t tic_band);
/* The pooled levels: reason x category x age band (all time in care), reason
 * x category (all ages and times), reason (everything). */
cc_fit_rate cc_fit_exit_rate_band(const cc_fit *f, size_t reason, size_t category, size_t age_band);
cc_fit_rate cc_fit_exit_rate_category(const cc_fit *f, size_t reason, size_t category);
cc_fit_rate cc_fit_exit_rate_reason(const cc_fit *f, size_t reason);
/* Move hazard from one category to another at an age band, and pooled over
 * age bands; moves out of a category to anywhere. */
cc_fit_rate cc_fit_move_rate(const cc_fit *f, size_t from, size_t to, size_t age_band);
cc_fit_rate cc_fit_move_rate_pair(const cc_fit *f, size_t from, size_t to);
cc_fit_rate cc_fit_move_rate_out(const cc_fit *f, size_t from);
/* Entries per year at an age band (events = entries, exposure = window
 * years; no shrinkage). */
cc_fit_rate cc_fit_entry_rate(const cc_fit *f, size_t age_band);
/* Entries in the window by age band and first category; by age in months. */
double cc_fit_entries(const cc_fit *f, size_t age_band, size_t category);
double cc_fit_entries_at_age(const cc_fit *f, unsigned age_months);
/* Observed exposure in child-years of a cell. */
double cc_fit_exposure(const cc_fit *f, size_t age_band, size_t category, size_t tic_band);
/* The in-house share written for a category, and the placement starts it
 * came from (in-house, all with a known provider). */
double cc_fit_in_house_share(const cc_fit *f, size_t category, double *in_house, double *known);
/* Prior strength (pseudo-events) used at each shrinkage level: exits by
 * reason (level 0 time in care, 1 age band, 2 category), moves (level 0 age
 * band, 1 destination, 2 origin). */
double cc_fit_prior_exit(const cc_fit *f, size_t reason, size_t level);
double cc_fit_prior_move(const cc_fit *f, size_t level);

/* Notes on the fit for the user (small counts, censoring, assumptions),
 * also in the report. */
size_t cc_fit_nnotes(const cc_fit *f);
const char *cc_fit_note(const cc_fit *f, size_t i);
/* The data-quality summary of the dataset fitted. */
const cc_ssda903_quality *cc_fit_quality(const cc_fit *f);

/* The starting population (aggregated, sorted) and the history. */
size_t cc_fit_nstart(const cc_fit *f);
const cc_start_group *cc_fit_start(const cc_fit *f, size_t i);
size_t cc_fit_nhistory(const cc_fit *f);
const cc_history_point *cc_fit_history(const cc_fit *f, size_t i);

#endif
