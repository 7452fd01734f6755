/*
 * cli.h - shared pieces of the command-line front end.
 *
 * Only src/cli/ prints, exits or reads argv; everything here turns library
 * results into messages and exit codes.
 */
#ifndef CARECAST_CLI_H
#define CARECAST_CLI_H

#include "carecast/chart.h"
#include "carecast/error.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes (documented in --help and docs/cli.md). */
enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

/* Prints every diagnostic to stderr as "carecast: file:line:col: message". */
void cli_print_diags(const cc_diags *d);
/* Prints "carecast: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: prints the message and a pointer to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a whole decimal number in [min, max] (no sign, no spaces, no junk).
 * Returns 0 on success, -1 otherwise. */
int cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* For commands that stop cleanly on their own (run, backtest): after
 * cli_catch_interrupts(), SIGINT and SIGTERM only set cli_interrupted, which
 * the command passes as its cancel flag and checks (replacing main's handler,
 * which removes temporary files and leaves at once). */
extern volatile sig_atomic_t cli_interrupted;
void cli_catch_interrupts(void);

/* Flushes and closes stdout, reporting a write error (as jq does). Returns
 * EXIT_OK or EXIT_DATA. */
int cli_close_stdout(void);

int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_solve(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_fit_dfe(int argc, char **argv);      /* argv[0] = "dfe" */
int cmd_backtest_dfe(int argc, char **argv); /* argv[0] = "dfe" */

/* Charts (cmd_plot.c), shared by plot, report and run --plots. */
/* Chart options from --gnuplot and --templates (NULL when not given), else
 * $CARECAST_GNUPLOT and $CARECAST_PLOTS, else gnuplot on the PATH and the
 * plots/ directory beside the program or installed with it. buf holds a
 * found templates path. */
void cli_chart_options(cc_chart_options *o, const char *gnuplot, const char *templates, char *buf,
                       size_t size);
/* Draws the charts of the run in dir, printing diagnostics, notes and a log
 * line (unless quiet) on stderr. Returns an exit code; on success *out (when
 * not NULL) gets the charts (caller frees with cc_charts_free). */
int cli_render_charts(const char *dir, const cc_chart_options *o, int quiet, cc_charts **out);

#endif
