/*
 * dfe_cli.h - what `carecast fit dfe` and `carecast backtest dfe` share:
 * their options, loading the tables and naming the areas.
 */
#ifndef CARECAST_DFE_CLI_H
#define CARECAST_DFE_CLI_H

#include "carecast/dfe.h"
#include "carecast/model.h"

#include <stddef.h>
#include <stdint.h>

#define DFE_CLI_MAX_NAMES 64

typedef struct {
	const char *data, *population, *moves_from, *name, *out;
	char *population_buf; /* found beside the data; freed by the caller */
	const char *names[DFE_CLI_MAX_NAMES];
	int is_region[DFE_CLI_MAX_NAMES];
	size_t n_names;
	int base_from, base_to;
	unsigned window, horizon, threads;
	size_t reps;
	uint32_t seed;
	int no_population, trend, per_population, dispersion, shrinkage, each, all, regions, quiet;
	int backtest;
	char source[1024];
} cc_dfe_cli;

/* Parses the options of `fit dfe` (backtest 0) or `backtest dfe` (1).
 * EXIT_OK, a usage error's exit code, or -1 for --help. */
int dfe_cli_parse(int argc, char **argv, const char *cmd, int backtest, cc_dfe_cli *c);
/* Reads the tables (and --moves-from); prints problems. EXIT_OK or
 * EXIT_DATA. */
int dfe_cli_load(cc_dfe_cli *c, cc_dfe **d, cc_model **moves, cc_diags *diags);
/* The areas named with --la and --region; -1 (diagnostics added) if any is
 * unknown. */
int dfe_cli_areas(const cc_dfe_cli *c, const cc_dfe *d, size_t *areas, cc_diags *diags);
/* Fit options from the command line for one base year. */
void dfe_cli_opts(const cc_dfe_cli *c, const cc_model *moves, int base_year, cc_dfe_fit_opts *o);
/* The fit's summary and notes on standard error. */
void dfe_cli_summary(const cc_dfe_fit *f, const char *name);

#endif
