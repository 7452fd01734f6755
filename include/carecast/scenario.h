/*
 * scenario.h - commissioning scenarios: levers applied to a model over time.
 *
 * A scenario is a list of levers read from a JSON file (docs/formats.md,
 * "Scenario files"; docs/scenarios.md), checked against the model it will be
 * run with, so every name it uses (age bands, categories, reasons, pools,
 * homes) is resolved to an index at load time and the engine never looks a
 * name up. Each lever starts on a date; with a phase-in end date its effect
 * ramps linearly from none to full between the two dates (model.md,
 * "Scenarios").
 */
#ifndef CARECAST_SCENARIO_H
#define CARECAST_SCENARIO_H

#include "carecast/date.h"
#include "carecast/error.h"
#include "carecast/model.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
	CC_LEVER_ENTRIES = 1,     /* entries x multiplier, or + change_per_year */
	CC_LEVER_EXIT_HAZARD,     /* exit hazards x multiplier */
	CC_LEVER_EXTRA_EXITS,     /* a programme of extra exits per year */
	CC_LEVER_MOVE_HAZARD,     /* move hazard from -> to x multiplier */
	CC_LEVER_TRANSFERS,       /* a programme of transfers per month from -> to */
	CC_LEVER_APPROVALS,       /* extra household approvals per year */
	CC_LEVER_DEREGISTRATION,  /* deregistration hazard x multiplier */
	CC_LEVER_OPEN_HOME,       /* a new home with beds from a date */
	CC_LEVER_CLOSE_HOME,      /* an existing home closes at a date */
	CC_LEVER_USABLE_SHARE,    /* a pool's usable share moves to a value */
	CC_LEVER_UPLIFT,          /* a category's uplift for one provider changes */
	CC_LEVER_FRAMEWORK_SHARE, /* a category's framework share changes */
	CC_LEVER_PRICE,           /* a weekly price is set from a date */
	CC_LEVER_TARGET,          /* reduce the stock by X% by a date (solved) */
} cc_lever_type;

typedef struct {
	cc_lever_type type;
	size_t line;         /* where it was given, for messages */
	cc_date start, full; /* the effect ramps from 0 at start to 1 at full (= start: a step) */

	/* Filters as bit masks over the model's lists (all bits: no filter). */
	uint32_t age_bands, categories, reasons, providers;
	unsigned min_age_months, max_age_months; /* programmes: eligible ages [min, max) */

	double multiplier;  /* hazard, entry or deregistration multiplier */
	double per_year;    /* entries change, extra exits, extra approvals (a year) */
	double per_month;   /* transfers a month */
	int has_multiplier; /* entries: multiplier rather than change_per_year */
	size_t reason;      /* extra exits */
	size_t from, to;    /* categories of moves and transfers */
	size_t pool;        /* capacity levers: index into model pools */
	size_t category;    /* price levers */
	int provider;       /* uplift */
	int contract;       /* price */
	double value;       /* usable share, uplift, framework share, price per week */
	cc_home home;       /* open home; close home uses home.name */
	size_t home_index;  /* close home: index in the pool's homes */

	/* Target: reduce the stock at `by` by `reduce_percent` relative to the
	 * base date, by solving for the magnitude of lever `solve_lever` (an
	 * entries multiplier added by the loader when none is named). */
	double reduce_percent;
	cc_date by;
	size_t solve_lever;
	/* Set by cc_scenario_solve: the value found for the solved lever's
	 * magnitude and the median reduction it achieves. */
	int solved, met;
	double solved_value, achieved_percent;
} cc_lever;

typedef struct {
	char *name;
	char *description;
	char *path; /* the file it was read from (NULL for the baseline) */
	char sha256[65];
	size_t n_levers;
	cc_lever *levers;
} cc_scenario;

/* Reads a scenario file and the files it extends, checking every lever
 * against the model; reports every problem with file:line:column. On success
 * *out is a scenario the caller frees with cc_scenario_free. Returns CC_OK,
 * CC_EIO, CC_EPARSE or CC_ENOMEM. */
int cc_scenario_load(const char *path, const cc_model *m, cc_scenario **out, cc_diags *diags);
void cc_scenario_free(cc_scenario *s);

/* The ramp of a lever for month t starting on `first_day` (the effect
 * applied during that month): 0 before the start, 1 from the full date,
 * linear in days between. */
double cc_lever_ramp(const cc_lever *l, cc_date first_day);

const char *cc_lever_type_name(cc_lever_type t);

#endif
