/*
 * ssda903_cli.h - the SSDA903 inputs shared by `fit ssda903` and
 * `backtest ssda903`: folders and --header/--episodes pairs, LA selection,
 * year labels, strictness; reading them with every problem and the
 * data-quality summary printed.
 */
#ifndef CARECAST_SSDA903_CLI_H
#define CARECAST_SSDA903_CLI_H

#include "carecast/ssda903.h"

#include <stddef.h>

#define CLI_SSDA903_MAX_INPUTS 1024
#define CLI_SSDA903_MAX_LAS 256
#define CLI_SSDA903_DIAG_LIMIT 2000

typedef struct {
	const char *dirs[CLI_SSDA903_MAX_INPUTS];
	size_t ndirs;
	const char *headers[CLI_SSDA903_MAX_INPUTS], *episodes[CLI_SSDA903_MAX_INPUTS];
	size_t nheaders, nepisodes;
	const char *las[CLI_SSDA903_MAX_LAS];
	size_t nlas;
	cc_ssda903_year_label label;
	int strict;
} cli_ssda903_args;

/* Option codes for getopt_long tables (long options only, except -l). */
enum {
	CLI_SSDA903_OPT_HEADER = 512,
	CLI_SSDA903_OPT_EPISODES,
	CLI_SSDA903_OPT_YEAR,
	CLI_SSDA903_OPT_STRICT
};

/* Handles one of the shared options (CLI_SSDA903_OPT_*, or 'l' for --la):
 * returns 1 when handled, 0 when c is not one of them, or EXIT_USAGE after
 * printing a usage error for command cmd. */
int cli_ssda903_option(cli_ssda903_args *a, int c, const char *arg, const char *cmd);
/* A positional argument: a folder of returns. Returns 0 or EXIT_USAGE. */
int cli_ssda903_folder(cli_ssda903_args *a, const char *dir, const char *cmd);
/* After parsing: inputs given and paired. Returns 0 or EXIT_USAGE. */
int cli_ssda903_check(const cli_ssda903_args *a, const char *cmd);
/* --prior-events: a number in (0, 1000] into *out. Returns 0 or EXIT_USAGE. */
int cli_ssda903_prior(const char *arg, const char *cmd, double *out);

/* Data read from the inputs. */
typedef struct {
	cc_ssda903_files *files[CLI_SSDA903_MAX_INPUTS];
	char *la_of_dir[CLI_SSDA903_MAX_INPUTS];
	size_t ndirs;
	cc_ssda903_input *in;
	size_t nin;
	cc_ssda903 *ds;
} cli_ssda903_data;

/* Finds and reads the returns, printing every problem, the data-quality
 * summary, near matches for an --la not in the data, and a closing error
 * when the data cannot be used. Returns EXIT_OK or EXIT_DATA; free *out with
 * cli_ssda903_free whatever the result. */
int cli_ssda903_read(const cli_ssda903_args *a, cc_diags *d, cli_ssda903_data *out);
void cli_ssda903_free(cli_ssda903_data *data);

/* Prints the diagnostics added since index `from`. */
void cli_print_diags_from(const cc_diags *d, size_t from);

#endif
