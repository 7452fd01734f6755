/*
 * report.h - writing a run's outputs: summary.json and the long-format CSVs.
 *
 * The summary is the contract other tools read (docs/formats.md, "Run
 * outputs"). It records everything needed to replay the run (seed, generator,
 * replications, versions, SHA-256 of every input) and nothing that varies
 * between identical runs (no timestamps, durations or thread counts), so the
 * same inputs and seed give byte-identical files.
 */
#ifndef CARECAST_REPORT_H
#define CARECAST_REPORT_H

#include "carecast/error.h"
#include "carecast/model.h"
#include "carecast/results.h"
#include "carecast/scenario.h"

#include <stdint.h>

typedef struct {
	const char *role; /* "model", "scenario", ... */
	const char *path;
	const char *sha256; /* 64 hex digits */
} cc_input_ref;

/* What the summary says about how the results were made. */
typedef struct {
	uint32_t seed;
	size_t replications;       /* 0 in expected-value mode */
	int parameter_uncertainty; /* as applied */
	size_t n_inputs;
	const cc_input_ref *inputs;
} cc_run_info;

/* Writes DIR/summary.json, DIR/monthly.csv and DIR/financial_years.csv,
 * creating DIR if needed. All files are written to temporary names first and
 * renamed only when every one is complete. `results` is not const: statistics
 * use its scratch space. Returns CC_OK, CC_EIO (diagnostic added) or
 * CC_ENOMEM. */
int cc_report_write(const char *dir, const cc_model *m, cc_results *results,
                    const cc_run_info *info, cc_diags *diags);

/* The same for a baseline and n scenarios run together: results[0] is the
 * baseline, results[s] scenario s - 1. Each scenario's element in
 * summary.json adds "difference_vs_baseline" (statistics of the
 * per-replication differences); the CSVs gain the "scenario" column. */
int cc_report_write_scenarios(const char *dir, const cc_model *m, cc_results *const *results,
                              const cc_scenario *const *scenarios, size_t n,
                              const cc_run_info *info, cc_diags *diags);

/* JSON helpers shared by every writer of JSON outputs. A number printed
 * with at most 10 significant digits (so outputs do not show the noise of
 * the last bits), or JSON null for NaN and infinities. */
struct cJSON;
struct cJSON *cc_json_number(double v);
/* Prints root (formatted) to path atomically: the file appears complete or
 * not at all. CC_OK, CC_EIO (diagnostic added) or CC_ENOMEM. */
int cc_json_write_file(const char *path, const struct cJSON *root, cc_diags *diags);

/* Version strings. */
const char *cc_version(void);
const char *cc_version_gsl(void);
const char *cc_version_cjson(void);

#endif
