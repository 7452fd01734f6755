/*
 * results.h - what a run produces: per-replication totals and their statistics.
 *
 * A replication reduces to a fixed-length record of numbers (the layout):
 * month-end stocks by category, age band and provider, and per financial year
 * the opening and closing stocks, entries, exits by reason and moves. The
 * results keep one record per replication (points x replications doubles,
 * about 14 MB for the national model over 10 years and 1000 replications) and
 * nothing per child, so memory does not grow with the population simulated.
 *
 * Statistics over replications: the mean, and the 5, 25, 50, 75 and 95%
 * quantiles by linear interpolation between order statistics (Hyndman and Fan
 * type 7, as gsl_stats_quantile_from_sorted_data and R's default).
 */
#ifndef CARECAST_RESULTS_H
#define CARECAST_RESULTS_H

#include "carecast/date.h"
#include "carecast/model.h"

#include <stddef.h>
#include <stdint.h>

/* One financial year (1 April - 31 March) covered by the horizon. Months are
 * 1-based indices of simulated months; month 0 is the base date. */
typedef struct {
	int start_year;     /* 2025 for "2025-26" */
	size_t first_month; /* first simulated month in the year */
	size_t last_month;  /* the March month that ends it */
} cc_fy;

typedef struct {
	size_t months;  /* T: simulated months; month t ends at dates[t] */
	cc_date *dates; /* [T + 1]; dates[0] is the base date */
	size_t n_fy;
	cc_fy *fy;
	size_t *fy_of_month; /* [T + 1]; SIZE_MAX for months in no reported year */

	size_t n_categories, n_age_bands, n_exit_outcomes; /* outcomes: reasons + age18 */

	/* Offsets of series in a record. Monthly series have T points (months
	 * 1..T); financial-year series have n_fy points. A series "[X]" is X
	 * consecutive series, e.g. by_category + c * T. */
	size_t cla_total, by_category /*[K]*/, by_age_band /*[B]*/, by_provider /*[2]*/;
	size_t fy_cla_start, fy_cla_31_march, fy_entries, fy_exits, fy_exits_by_reason /*[R+1]*/,
	    fy_moves;

	/* Capacity (n_pools > 0): usable in-house places, occupied and free per
	 * pool at each month end and at each 31 March; external placements by
	 * category; placements forced external because in-house was full;
	 * foster households (summed over household pools). */
	size_t n_pools;
	size_t pool_places /*[P]*/, pool_occupied /*[P]*/, pool_free /*[P]*/;
	size_t external_by_category /*[K]*/;
	size_t fy_places /*[P]*/, fy_occupied /*[P]*/, fy_external /*[K]*/, fy_gap /*[K]*/;
	size_t fy_households, fy_approvals, fy_deregistrations;

	/* Costs (has_costs): spend per financial year in pounds, in total, by
	 * category and by contract (in-house including fixed costs, framework,
	 * spot); external placements at or above the high-cost threshold at 31
	 * March. */
	int has_costs;
	size_t fy_spend, fy_spend_by_category /*[K]*/, fy_spend_by_contract /*[3]*/, fy_high_cost;

	/* Scenario programmes (extra exits, transfers): delivered in the year
	 * and the shortfall against the cumulative target at the year end. */
	size_t n_programmes;
	size_t fy_prog_delivered /*[n_programmes]*/, fy_prog_shortfall /*[n_programmes]*/;

	size_t n_points;
} cc_layout;

/* Builds the layout for a model, horizon and number of scenario programmes.
 * CC_ENOMEM or CC_EINVAL (no months). Free with cc_layout_free. */
int cc_layout_init(cc_layout *l, const cc_model *m, size_t months, size_t n_programmes);
void cc_layout_free(cc_layout *l);

/* Adds the model's fixed costs (the same in every replication) to a
 * record's spend for each financial year. */
void cc_layout_add_fixed_costs(const cc_layout *l, const cc_model *m, double *rec);

/* Offset of month t (1..T) of the series starting at `series`, and of
 * financial year f of a yearly series. */
static inline size_t cc_layout_month(const cc_layout *l, size_t series, size_t t)
{
	(void)l;
	return series + (t - 1);
}
static inline size_t cc_layout_year(const cc_layout *l, size_t series, size_t f)
{
	(void)l;
	return series + f;
}

typedef struct {
	double mean, p5, p25, p50, p75, p95;
} cc_stats;

typedef struct cc_results cc_results;

/* Results for `replications` records (>= 1). Free with cc_results_free. */
cc_results *cc_results_alloc(const cc_model *m, size_t months, size_t replications,
                             size_t n_programmes);
void cc_results_free(cc_results *r);

const cc_layout *cc_results_layout(const cc_results *r);
size_t cc_results_replications(const cc_results *r);

/* Stores replication rep's record (n_points values). Thread-safe for
 * distinct rep. */
void cc_results_store(cc_results *r, size_t rep, const double *record);
/* Value of a point in one replication. */
double cc_results_value(const cc_results *r, size_t point, size_t rep);

/* Statistics of a point over replications. With one replication every
 * quantile equals the value. Uses a scratch buffer held by r (not
 * thread-safe). */
cc_stats cc_results_stats(cc_results *r, size_t point);

/* Statistics of any per-replication values (`values` has one number per
 * replication, in replication order): for quantities derived from several
 * points, such as spend minus budget. Same scratch caveat. */
cc_stats cc_results_stats_of(cc_results *r, const double *values);

/* 1 when the results are an exact expected-value projection (cc_expected_run)
 * rather than samples: then only the mean is meaningful. */
int cc_results_is_expected(const cc_results *r);
void cc_results_set_expected(cc_results *r, int expected);

/* Child-months simulated in all (children in care at the start of each
 * month, summed over months and replications): the benchmark's unit of work. */
uint64_t cc_results_child_months(const cc_results *r);
void cc_results_add_child_months(cc_results *r, uint64_t n);

#endif
