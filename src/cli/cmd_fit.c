/*
 * cmd_fit.c - `carecast fit ssda903`: fit a model file to SSDA903 returns.
 *
 * Reads the returns (folders given as arguments, or --header/--episodes
 * pairs), prints every data problem and the data-quality summary, fits
 * (include/carecast/fit.h), writes the model and the fit report atomically,
 * and prints a table of the rates on standard error. Nothing printed or
 * written holds a CHILD identifier or a date of birth: the reading layer's
 * messages name files, lines and codes, and the fit holds only counts.
 */
#include "carecast/fileio.h"
#include "carecast/fit.h"
#include "carecast/ssda903.h"
#include "cli.h"
#include "ssda903_cli.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
	fputs("Usage: carecast fit ssda903 [DIR...] [--header H.csv --episodes E.csv]...\n"
	      "                            --base-date YYYY-MM-DD -o MODEL.json [OPTIONS]\n"
	      "Fit a model file to SSDA903 returns (children looked after, England).\n"
	      "\n"
	      "Inputs (at least one):\n"
	      "  DIR                    a folder of returns: one folder per year (DIR/2019/),\n"
	      "                         the year in each file name (DIR/2019-episodes.csv),\n"
	      "                         or pooled files with LA and YEAR columns; with\n"
	      "                         several DIRs, each folder's name is the LA of files\n"
	      "                         that have no LA column\n"
	      "      --header FILE      a Header table; pairs with the next --episodes\n"
	      "      --episodes FILE    an Episodes table (repeat the pair per return)\n"
	      "\n"
	      "Options:\n"
	      "  -b, --base-date DATE   the forecast's base date, a month end (usually\n"
	      "                         31 March) within the data (required)\n"
	      "  -o, --out FILE         the model file to write (required); the fit report\n"
	      "                         goes beside it as FILE.fit.json (FILE without .json)\n"
	      "  -w, --window-years N   reference window before the base date (default 3)\n"
	      "  -l, --la NAME          fit this LA (repeat to pool several into a regional\n"
	      "                         model); default: every LA in the data, pooled\n"
	      "  -m, --map FILE         placement map: PLACE codes to categories (JSON;\n"
	      "                         docs/fit.md); default: the DfE-style map\n"
	      "      --prior-events A   shrinkage strength in pseudo-events at every level\n"
	      "                         (default: estimated from the data)\n"
	      "      --year-label L     what a year in a file or folder name means: ending\n"
	      "                         (2019 = year to 31 March 2019), starting, or auto\n"
	      "                         (default: decided from the dates)\n"
	      "      --strict           data warnings are errors: fit only clean data\n"
	      "      --name NAME        the model's name\n"
	      "      --report FILE      where to write the fit report instead\n"
	      "  -v, --verbose          print every rate written, not only the summary\n"
	      "  -q, --quiet            print problems and the data-quality summary only\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "Exit status: 0 success, 1 data or runtime error (unreadable or unusable\n"
	      "data, base date or window outside the data, unknown LA, cannot write),\n"
	      "2 usage error. Method and report: docs/fit.md.\n",
	      out);
}

/* ---- LA names: suggestions for a name not in the data -------------------------- */

/* ---- printing ------------------------------------------------------------------- */

static void print_rate_line(const char *label, const cc_fit_rate *r)
{
	double obs = r->exposure_years > 0 ? r->events / r->exposure_years : 0;
	fprintf(stderr, "  %-40s %8.6g %10.4g %9.4g %9.4g %7.3f %9.4g%s\n", label, r->events,
	        r->exposure_years, obs, r->pooled_rate, r->weight, r->rate_per_year,
	        r->events < 5 ? "  *" : "");
}

static void rate_header(void)
{
	fprintf(stderr, "  %-40s %8s %10s %9s %9s %7s %9s\n", "", "events", "child-yrs", "observed",
	        "pooled", "weight", "fitted");
}

static void print_table(const cc_fit *f, int verbose)
{
	const cc_fit_counts *n = cc_fit_get_counts(f);
	size_t K = cc_fit_ncategories(f);
	char ws[CC_DATE_STRLEN], we[CC_DATE_STRLEN], label[160];
	cc_date_format(n->window_start, ws);
	cc_date_format(n->window_end, we);
	fprintf(
	    stderr,
	    "\nWindow %s to %s (%u years): %zu periods of care in the window, %.1f child-years, "
	    "%.0f entries, %.0f moves, %.0f exits (%.0f at 18)\n",
	    ws, we, n->window_years, n->periods_in_window, n->exposure_years, n->entries, n->moves,
	    n->exits[0] + n->exits[1] + n->exits[2] + n->exits[3] + n->exits[4] + n->exits[5] +
	        n->exits[6] + n->exits[7] + n->exits[8],
	    n->exits[CC_FIT_AGE18]);
	fprintf(stderr, "\nEntries per year by age band at entry\n");
	fprintf(stderr, "  %-8s %8s %9s  %s\n", "band", "entries", "per year", "first category");
	for (size_t b = 0; b < CC_FIT_NAGE; b++) {
		cc_fit_rate r = cc_fit_entry_rate(f, b);
		fprintf(stderr, "  %-8s %8.0f %9.4g  ", cc_fit_age_band_name(b), r.events,
		        r.rate_per_year);
		int first = 1;
		for (size_t c = 0; c < K; c++) {
			double e = cc_fit_entries(f, b, c);
			if (e > 0) {
				fprintf(stderr, "%s%s %.0f", first ? "" : ", ",
				        cc_fit_category(f, c), e);
				first = 0;
			}
		}
		fprintf(stderr, "%s%s\n", first ? "-" : "", r.events < 5 ? "  *" : "");
	}
	fprintf(stderr, "\nExit hazards per child-year by reason and category (all ages and "
	                "times in care); * fewer than 5 events\n");
	rate_header();
	for (size_t r = 0; r < CC_FIT_NREASONS; r++) {
		cc_fit_rate top = cc_fit_exit_rate_reason(f, r);
		snprintf(label, sizeof label, "%s (all)", cc_fit_reason_name((cc_fit_reason)r));
		print_rate_line(label, &top);
		for (size_t c = 0; c < K; c++) {
			cc_fit_rate x = cc_fit_exit_rate_category(f, r, c);
			if (x.exposure_years == 0)
				continue;
			snprintf(label, sizeof label, "  %s", cc_fit_category(f, c));
			print_rate_line(label, &x);
		}
	}
	fprintf(stderr, "\nMove hazards per child-year between categories (all ages)\n");
	rate_header();
	for (size_t i = 0; i < K; i++) {
		cc_fit_rate out = cc_fit_move_rate_out(f, i);
		if (out.exposure_years == 0)
			continue;
		snprintf(label, sizeof label, "%s -> any", cc_fit_category(f, i));
		print_rate_line(label, &out);
		for (size_t j = 0; j < K; j++) {
			cc_fit_rate x = cc_fit_move_rate_pair(f, i, j);
			if (i == j || x.events == 0)
				continue;
			snprintf(label, sizeof label, "  -> %s", cc_fit_category(f, j));
			print_rate_line(label, &x);
		}
	}
	if (verbose) {
		fprintf(stderr, "\nEvery exit rate written (reason, category, age band, time in "
		                "care)\n");
		rate_header();
		for (size_t r = 0; r < CC_FIT_NREASONS; r++)
			for (size_t c = 0; c < K; c++)
				for (size_t b = 0; b < CC_FIT_NAGE; b++)
					for (size_t t = 0; t < CC_FIT_NTIC; t++) {
						cc_fit_rate x = cc_fit_exit_rate(f, r, b, c, t);
						if (!x.written)
							continue;
						snprintf(label, sizeof label, "%s %s %s %s",
						         cc_fit_reason_name((cc_fit_reason)r),
						         cc_fit_category(f, c),
						         cc_fit_age_band_name(b),
						         cc_fit_tic_band_name(t));
						print_rate_line(label, &x);
					}
		fprintf(stderr, "\nEvery move rate written (from, to, age band)\n");
		rate_header();
		for (size_t i = 0; i < K; i++)
			for (size_t j = 0; j < K; j++)
				for (size_t b = 0; b < CC_FIT_NAGE; b++) {
					cc_fit_rate x = cc_fit_move_rate(f, i, j, b);
					if (!x.written)
						continue;
					snprintf(label, sizeof label, "%s -> %s %s",
					         cc_fit_category(f, i), cc_fit_category(f, j),
					         cc_fit_age_band_name(b));
					print_rate_line(label, &x);
				}
	}
	fprintf(stderr, "\nShrinkage strength (pseudo-events) by level: exits time in care / age "
	                "band / category\n");
	for (size_t r = 0; r < CC_FIT_NREASONS; r++)
		fprintf(stderr, "  %-12s %6.3g %6.3g %6.3g\n", cc_fit_reason_name((cc_fit_reason)r),
		        cc_fit_prior_exit(f, r, 0), cc_fit_prior_exit(f, r, 1),
		        cc_fit_prior_exit(f, r, 2));
	fprintf(stderr, "  %-12s %6.3g %6.3g %6.3g  (age band / destination / origin)\n", "moves",
	        cc_fit_prior_move(f, 0), cc_fit_prior_move(f, 1), cc_fit_prior_move(f, 2));
	fprintf(stderr, "\nIn-house share of new placements\n");
	for (size_t c = 0; c < K; c++) {
		double in, known;
		double s = cc_fit_in_house_share(f, c, &in, &known);
		fprintf(stderr, "  %-14s %6.3f  (%.0f of %.0f placements started in the window)\n",
		        cc_fit_category(f, c), s, in, known);
	}
	fprintf(stderr, "\nChildren looked after (history; the last is the starting population)\n");
	for (size_t i = 0; i < cc_fit_nhistory(f); i++) {
		const cc_history_point *h = cc_fit_history(f, i);
		char d[CC_DATE_STRLEN];
		cc_date_format(h->date, d);
		fprintf(stderr, "  %s %6.0f\n", d, h->cla_total);
	}
	fprintf(stderr, "  starting population at %s: %.0f children in %zu rows\n", we,
	        n->stock_base, n->start_rows);
}

/* ---- the command ------------------------------------------------------------------ */

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static char *report_path(const char *model)
{
	size_t n = strlen(model);
	char *p = malloc(n + 10);
	if (!p)
		return NULL;
	memcpy(p, model, n + 1);
	if (n > 5 && strcmp(model + n - 5, ".json") == 0)
		p[n - 5] = '\0';
	strcat(p, ".fit.json");
	return p;
}

/* Creates the directory that will hold path, if missing. */
static int make_parent(const char *path, cc_diags *d)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return CC_OK;
	char *dir = malloc((size_t)(slash - path) + 1);
	if (!dir)
		return CC_ENOMEM;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	int rc = cc_mkdir_p(dir, d);
	free(dir);
	return rc;
}

typedef struct {
	cli_ssda903_args in;
	const char *out, *report, *map, *name;
	cc_date base;
	int have_base;
	uint64_t window;
	double prior;
	int verbose, quiet;
} args;

static int parse(int argc, char **argv, args *a)
{
	enum { OPT_PRIOR = 256, OPT_NAME, OPT_REPORT };
	static const struct option opts[] = {
		{ "base-date", required_argument, NULL, 'b' },
		{ "out", required_argument, NULL, 'o' },
		{ "window-years", required_argument, NULL, 'w' },
		{ "la", required_argument, NULL, 'l' },
		{ "map", required_argument, NULL, 'm' },
		{ "prior-events", required_argument, NULL, OPT_PRIOR },
		{ "year-label", required_argument, NULL, CLI_SSDA903_OPT_YEAR },
		{ "strict", no_argument, NULL, CLI_SSDA903_OPT_STRICT },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "header", required_argument, NULL, CLI_SSDA903_OPT_HEADER },
		{ "episodes", required_argument, NULL, CLI_SSDA903_OPT_EPISODES },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "fit ssda903";
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":b:o:w:l:m:vqh", opts, NULL)) != -1) {
		const char *arg = optarg;
		int shared = cli_ssda903_option(&a->in, c, arg, cmd);
		if (shared == EXIT_USAGE)
			return EXIT_USAGE;
		if (shared)
			continue;
		switch (c) {
		case 'b':
			if (cc_date_parse_iso(arg, &a->base) != CC_OK)
				return cli_usage_error(
				    cmd,
				    "--base-date: expected a date YYYY-MM-DD, found "
				    "'%s'",
				    arg);
			if (!cc_date_is_month_end(a->base))
				return cli_usage_error(
				    cmd,
				    "--base-date: expected the last day of a month "
				    "(usually 31 March), found '%s'",
				    arg);
			a->have_base = 1;
			break;
		case 'o': a->out = arg; break;
		case 'w':
			if (cli_parse_u64(arg, 1, 50, &a->window) != 0)
				return cli_usage_error(
				    cmd,
				    "--window-years: expected a whole number of years "
				    "from 1 to 50, found '%s'",
				    arg);
			break;
		case 'm': a->map = arg; break;
		case OPT_PRIOR:
			if (cli_ssda903_prior(arg, cmd, &a->prior) != 0)
				return EXIT_USAGE;
			break;
		case OPT_NAME: a->name = arg; break;
		case OPT_REPORT: a->report = arg; break;
		case 'v': a->verbose = 1; break;
		case 'q': a->quiet = 1; break;
		case 'h': usage(stdout); return -1;
		case ':':
			return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		default: return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++)
		if (cli_ssda903_folder(&a->in, argv[i], cmd) != 0)
			return EXIT_USAGE;
	if (cli_ssda903_check(&a->in, cmd) != 0)
		return EXIT_USAGE;
	if (!a->have_base)
		return cli_usage_error(cmd,
		                       "expected --base-date YYYY-MM-DD (the forecast's start, "
		                       "usually a 31 March)");
	if (!a->out)
		return cli_usage_error(cmd, "expected -o MODEL.json (the model file to write)");
	return EXIT_OK;
}

int cmd_fit(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		if (argc >= 2) {
			usage(stdout);
			return EXIT_OK;
		}
		return cli_usage_error(
		    "fit ssda903", "expected the kind of data to fit: 'carecast fit ssda903 ...' "
		                   "(returns) or 'carecast fit dfe ...' (published statistics)");
	}
	if (strcmp(argv[1], "ssda903") != 0)
		return cli_usage_error(
		    "fit ssda903",
		    "expected the kind of data to fit, 'ssda903' or 'dfe', found "
		    "'%s'",
		    argv[1]);
	args a;
	memset(&a, 0, sizeof a);
	a.window = 3;
	int rc = parse(argc - 1, argv + 1, &a);
	if (rc < 0)
		return EXIT_OK;
	if (rc != EXIT_OK)
		return rc;

	double t0 = now_seconds();
	int status = EXIT_DATA;
	cc_diags *d = cc_diags_alloc(CLI_SSDA903_DIAG_LIMIT);
	cli_ssda903_data data;
	memset(&data, 0, sizeof data);
	cc_fit_map *map = NULL;
	cc_fit *fit = NULL;
	char *report = NULL;
	if (!d)
		goto oom;

	if (a.map) {
		rc = cc_fit_map_load(a.map, &map, d);
		if (rc != CC_OK) {
			cli_print_diags(d);
			if (rc == CC_ENOMEM)
				goto oom;
			cli_error("%s: not a usable placement map; nothing written", a.map);
			goto cleanup;
		}
	}
	if (cli_ssda903_read(&a.in, d, &data) != EXIT_OK)
		goto cleanup;
	const cc_ssda903 *ds = data.ds;

	cc_fit_opts fo;
	cc_fit_opts_default(&fo);
	fo.base_date = a.base;
	fo.window_years = (unsigned)a.window;
	fo.map = map;
	fo.prior_events = a.prior;
	fo.strict = a.in.strict;
	fo.name = a.name;
	size_t before = cc_diags_count(d);
	rc = cc_fit_ssda903(ds, &fo, &fit, d);
	cli_print_diags_from(d, before);
	if (rc != CC_OK) {
		if (rc == CC_ENOMEM)
			goto oom;
		cli_error("cannot fit; nothing written");
		goto cleanup;
	}

	report = a.report ? strdup(a.report) : report_path(a.out);
	if (!report)
		goto oom;
	before = cc_diags_count(d);
	if (make_parent(a.out, d) != CC_OK || make_parent(report, d) != CC_OK ||
	    cc_fit_write_report(fit, report, d) != CC_OK ||
	    cc_fit_write_model(fit, a.out, d) != CC_OK) {
		cli_print_diags_from(d, before);
		cli_error("cannot write the model; nothing written");
		remove(report);
		goto cleanup;
	}
	if (!a.quiet) {
		print_table(fit, a.verbose);
		if (cc_fit_nnotes(fit))
			fprintf(stderr, "\nNotes\n");
		for (size_t i = 0; i < cc_fit_nnotes(fit); i++)
			fprintf(stderr, "  - %s\n", cc_fit_note(fit, i));
		fputc('\n', stderr);
	}
	const cc_fit_counts *n = cc_fit_get_counts(fit);
	fprintf(stderr,
	        "carecast: fitted %zu children (%zu LA%s) in %.2f s; %.0f children at the base "
	        "date; wrote %s and %s\n",
	        n->children, n->las, n->las == 1 ? "" : "s", now_seconds() - t0, n->stock_base,
	        a.out, report);
	status = EXIT_OK;
	goto cleanup;
oom:
	cli_error("out of memory");
	status = EXIT_DATA;
cleanup:
	free(report);
	cc_fit_free(fit);
	cc_fit_map_free(map);
	cli_ssda903_free(&data);
	cc_diags_free(d);
	return status;
}
