/*
 * backtest.h - how well would a forecast made at a past date have done?
 *
 * A backtest takes a model fitted on data up to a base date, projects it,
 * and compares the projection with the stocks actually observed at later
 * dates (each 31 March, from the same SSDA903 files or DfE tables). For the
 * total and each category it records the actual, the forecast mean and 5, 25,
 * 50, 75 and 95% quantiles, the absolute percentage error of the median and
 * whether the actual fell inside the 50% and 90% ranges, and the same errors
 * for two naive forecasts anyone could make without carecast:
 *   - persistence: the last observed stock at or before the base date;
 *   - trend: the least-squares line through the observations in the window
 *     (the window_years before the base date, base date included),
 *     extrapolated (and floored at 0).
 * The method and the output format are in docs/backtest.md.
 */
#ifndef CARECAST_BACKTEST_H
#define CARECAST_BACKTEST_H

#include "carecast/error.h"
#include "carecast/model.h"
#include "carecast/report.h"
#include "carecast/results.h"
#include "carecast/sim.h"

#include <stdio.h>

/* One observation date after the base date. Numbers are NaN where unknown:
 * an actual not observed (a suppressed DfE cell), an error where the actual
 * is 0 or unknown, a naive forecast without enough observations. */
typedef struct {
	cc_date date;
	double horizon_years; /* (date - base date) in years */
	double actual;
	cc_stats forecast;
	double ape;     /* 100 |p50 - actual| / actual */
	int in50, in90; /* 1 inside, 0 outside, -1 actual unknown */
	double persistence, ape_persistence;
	double trend, ape_trend;
} cc_backtest_point;

typedef struct {
	char name[CC_NAME_MAX + 1]; /* "total" or a category of the model */
	size_t n_points;
	cc_backtest_point *points;
} cc_backtest_series;

typedef struct {
	char label[128]; /* e.g. the authority; "" when not given */
	cc_date base_date;
	unsigned horizon_years, window_years;
	size_t n_series; /* 1 + the model's categories */
	cc_backtest_series *series;
} cc_backtest;

/* Runs the model m (fitted up to m->base_date) for horizon_years with o's
 * replications, seed and threads (o->months is ignored), and compares it
 * with the observations obs[0..n_obs) (any order; dates before, at and after
 * the base date; by_category in the model's category order, NaN where
 * unknown). Observations after the horizon, or not at a month end, are
 * ignored. CC_EINVAL (diagnostic added) when no observation falls after the
 * base date within the horizon; engine errors otherwise. *out is freed with
 * cc_backtest_free. */
int cc_backtest_run(const cc_model *m, const cc_history_point *obs, size_t n_obs,
                    unsigned horizon_years, unsigned window_years, const cc_sim_options *o,
                    const char *label, cc_backtest **out, cc_diags *diags);
void cc_backtest_free(cc_backtest *b);

/* Accuracy over the points of many backtests (one series by name, or every
 * series when series is NULL). Each method's errors are averaged over the
 * points where its error is defined; coverage over points with an actual. */
typedef struct {
	size_t n;                /* points with a known, non-zero actual */
	double mape, median_ape; /* carecast's median forecast */
	double mape_persistence, median_ape_persistence;
	double mape_trend, median_ape_trend;
	size_t n_covered;              /* points with a known actual */
	double coverage50, coverage90; /* share inside the 50% / 90% ranges */
} cc_backtest_score;

int cc_backtest_score_of(const cc_backtest *const *b, size_t n, const char *series,
                         cc_backtest_score *out);

/* What backtest.json records about how it was made. */
typedef struct {
	const char *source; /* "ssda903" or "dfe" */
	uint32_t seed;
	size_t replications;
	int parameter_uncertainty;
	size_t n_inputs;
	const cc_input_ref *inputs;
} cc_backtest_info;

/* Writes backtest.json (docs/backtest.md) for one or more backtests (one per
 * authority), with the score over all of them, atomically. CC_OK, CC_EIO
 * (diagnostic added) or CC_ENOMEM. */
int cc_backtest_write_json(const char *path, const cc_backtest *const *b, size_t n,
                           const cc_backtest_info *info, cc_diags *diags);

/* A readable table of one backtest, and a score line. */
void cc_backtest_print(FILE *out, const cc_backtest *b);
void cc_backtest_print_score(FILE *out, const char *what, const cc_backtest_score *s);

#endif
