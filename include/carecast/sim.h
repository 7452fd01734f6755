/*
 * sim.h - the stochastic cohort simulation and its expected-value twin.
 *
 * cc_sim_run simulates individual children month by month for R
 * replications (docs/model.md gives the monthly step). Replications run on a
 * pool of threads; replication r's random numbers come only from the key
 * (seed, r), and its record lands in slot r of the results, so the results do
 * not depend on the number of threads.
 *
 * cc_expected_run computes the exact expected value of the same monthly
 * process by cohort arithmetic (no sampling), from the point estimates of the
 * rates.
 */
#ifndef CARECAST_SIM_H
#define CARECAST_SIM_H

#include "carecast/model.h"
#include "carecast/results.h"
#include "carecast/scenario.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* What happens to a child, as reported to an event recorder (one
 * replication of the baseline; see cc_sim_options.on_event). */
typedef enum {
	CC_EVENT_START = 1, /* in care at the base date (month 0) */
	CC_EVENT_ENTER,     /* starts to be looked after during the month */
	CC_EVENT_MOVE,      /* moves to another category during the month */
	CC_EVENT_PROVIDER,  /* changes provider in the same category (a place closed, or
	                       brought back in-house) */
	CC_EVENT_EXIT,      /* leaves care during the month (reason n_reasons: age18) */
} cc_event_kind;

typedef struct {
	cc_event_kind kind;
	size_t month;        /* 1..T (0 for START) */
	uint64_t child;      /* a child's identity, unique within the replication */
	unsigned age_months; /* completed months of age at the end of the month */
	unsigned category, provider;
	unsigned months_in_care, months_in_placement; /* START only */
	size_t reason;                                /* EXIT only */
	int at_month_end;   /* 1 when the event happens at the end of the month (programmes,
	                       bringing back), 0 for during, -1 at the start (displacement) */
	double when;        /* during the month (at_month_end 0): when, as a fraction of the
	                       month in [0, 1); entries, moves and exits happen in continuous
	                       time within the month */
	uint32_t random[4]; /* random words for the recorder's own choices (dates, codes) */
} cc_event;

typedef struct {
	size_t months;       /* horizon in months (>= 1) */
	size_t replications; /* >= 1 */
	uint32_t seed;
	unsigned threads; /* >= 1 */
	/* Draw rates with evidence from their posterior in each replication;
	 * applies only when the model also allows it. */
	int parameter_uncertainty;
	/* Called after each finished replication with the number finished so
	 * far, from a worker thread, one call at a time. May be NULL. */
	void (*progress)(size_t done, size_t total, void *arg);
	void *progress_arg;
	/* When non-NULL and set non-zero (e.g. by a signal handler), the run
	 * stops within a month of simulated time and returns CC_EINTR. */
	volatile sig_atomic_t *cancel;
	/* cc_sim_run_scenarios only: run the scenarios but not the baseline
	 * (out[0] is NULL); used when solving targets. */
	int scenarios_only;
	/* Optional event recorder: called for every child event of replication
	 * event_replication of the baseline, in time order, from the worker
	 * running it. Used to write synthetic SSDA903 returns. */
	void (*on_event)(const cc_event *e, void *arg);
	void *event_arg;
	size_t event_replication;
} cc_sim_options;

/* Sensible defaults: 60 months, 1000 replications, seed 1, 1 thread,
 * parameter uncertainty on. */
void cc_sim_options_default(cc_sim_options *o);

/* Runs the simulation. On success *out holds the results (caller frees with
 * cc_results_free). Returns CC_OK, CC_EINVAL (bad options), CC_ENOMEM,
 * CC_ERANGE (the population outgrew what carecast can hold) or CC_EINTR. */
int cc_sim_run(const cc_model *m, const cc_sim_options *opt, cc_results **out);

/* Runs the baseline and n scenarios on the same random numbers (common
 * random numbers: every replication runs each of them with the same key and
 * the same drawn parameters). out must have room for n + 1 results: out[0]
 * is the baseline, out[s] scenario s - 1; each is freed by the caller with
 * cc_results_free. Same errors as cc_sim_run, plus CC_ERANGE for more than
 * 200 programmes in a scenario. */
int cc_sim_run_scenarios(const cc_model *m, const cc_scenario *const *scenarios, size_t n,
                         const cc_sim_options *opt, cc_results **out);

/* Meets every target lever of s by bisection on the lever it solves for
 * (docs/scenarios.md), running the simulation with o's seed and
 * replications (or the expected-value projection when `expected`); records
 * the value found and the median reduction achieved in the target lever. CC_EPARSE (diagnostic
 * added) if a target date is outside the horizon; engine errors otherwise. */
int cc_scenario_solve(const cc_model *m, cc_scenario *s, const cc_sim_options *o, int expected,
                      cc_diags *diags);

/* Goal seeking: the smallest amount of one lever such that
 * P(metric <= value) (or >=) in a financial year reaches a probability. */
typedef struct {
	char metric[96]; /* a financial-year series, e.g. "external/fostering" */
	int at_most;     /* 1: metric <= value; 0: metric >= value */
	double value;
	int fy_start_year; /* 2027 for "2027-28" */
	double probability;
} cc_goal;

typedef struct {
	int achieved;            /* 0: not reached even at the maximum */
	double value;            /* the lever's amount (see docs/scenarios.md) */
	double step;             /* the grid the search runs on */
	double probability;      /* achieved at value (a re-run) */
	double probability_less; /* at value - step (when value > 0) */
} cc_goal_result;

/* Parses "<metric> <= <value> by <YYYY-YY> with probability <p>" against a
 * model and horizon. CC_EINVAL with a message in err. */
int cc_goal_parse(const char *text, const cc_model *m, size_t months, cc_goal *g, char *err,
                  size_t errlen);
/* 1 when the lever has an amount goal seeking can vary. */
int cc_goal_lever_ok(const cc_model *m, const cc_lever *lv);
/* Bisection on the lever's amount (a grid of whole children or households,
 * or steps of 0.01 for multipliers and shares) between 0 and max (<= 0: the
 * lever's default), with o's seed and replications for every evaluation;
 * the lever is left at the value found. */
int cc_goal_seek(const cc_model *m, cc_scenario *s, size_t lever, const cc_goal *g,
                 const cc_sim_options *o, double max, cc_goal_result *out);

/* The expected-value projection over `months` months. The results have one
 * "replication" holding the expected values and are marked expected. */
int cc_expected_run(const cc_model *m, size_t months, cc_results **out);

/* The expected-value projection of the baseline and n scenarios; out as for
 * cc_sim_run_scenarios. */
int cc_expected_run_scenarios(const cc_model *m, const cc_scenario *const *scenarios, size_t n,
                              size_t months, cc_results **out);

#endif
