/*
 * cmd_run.c - `carecast run MODEL --out DIR`: simulate and write the outputs.
 */
#include "carecast/model.h"
#include "carecast/report.h"
#include "carecast/scenario.h"
#include "carecast/sim.h"
#include "cli.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_YEARS 5
#define DEFAULT_REPS 1000
#define DEFAULT_SEED 1
#define MAX_SCENARIOS 64

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: carecast run MODEL --out DIR [OPTIONS]\n"
	        "Simulate children looked after from a model file; write DIR/summary.json,\n"
	        "DIR/monthly.csv and DIR/financial_years.csv.\n"
	        "\n"
	        "  -o, --out DIR          output directory (created if missing; required)\n"
	        "  -S, --scenario FILE    also run this scenario (repeatable) on the same random\n"
	        "                         numbers and report its difference from the baseline\n"
	        "  -y, --years N          horizon in years (default %d; 1 to 100)\n"
	        "      --months N         horizon in months instead (1 to 1200)\n"
	        "  -r, --reps R           Monte Carlo replications (default %d)\n"
	        "  -s, --seed S           random seed, 0 to 4294967295 (default %d)\n"
	        "  -t, --threads T        worker threads (default: all processors); results\n"
	        "                         are identical whatever T\n"
	        "  -e, --expected         expected-value projection instead of simulation\n"
	        "                         (means only; fast)\n"
	        "      --no-parameter-uncertainty\n"
	        "                         use the rates' point estimates in every\n"
	        "                         replication instead of drawing them from their\n"
	        "                         posterior\n"
	        "  -p, --plots            also draw the charts into DIR/charts (as\n"
	        "                         'carecast plot DIR'; needs gnuplot)\n"
	        "      --gnuplot PATH     the gnuplot program for --plots (default\n"
	        "                         $CARECAST_GNUPLOT, else gnuplot on the PATH)\n"
	        "  -q, --quiet            no progress or log on standard error\n"
	        "  -h, --help             show this help\n"
	        "\n"
	        "Exit status: 0 success, 1 data or runtime error, 2 usage error,\n"
	        "130 interrupted (no outputs written).\n",
	        DEFAULT_YEARS, DEFAULT_REPS, DEFAULT_SEED);
}

typedef struct {
	int tty;
	size_t last_shown;
} progress_state;

static void progress(size_t done, size_t total, void *arg)
{
	progress_state *p = arg;
	if (!p->tty)
		return;
	size_t step = total / 100 ? total / 100 : 1;
	if (done != total && done - p->last_shown < step)
		return;
	p->last_shown = done;
	fprintf(stderr, "\rcarecast: replication %zu of %zu", done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Loads each scenario; prints problems. EXIT_OK or EXIT_DATA. */
static int load_scenarios(const cc_model *m, char **paths, size_t n, cc_scenario **out, cc_diags *d)
{
	int status = EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		size_t before = cc_diags_count(d);
		int rc = cc_scenario_load(paths[i], m, &out[i], d);
		(void)before;
		if (rc != CC_OK) {
			if (rc == CC_ENOMEM)
				cli_error("%s: out of memory", paths[i]);
			status = EXIT_DATA;
		}
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (out[i] && out[j] && strcmp(out[i]->name, out[j]->name) == 0) {
				cli_error(
				    "%s: scenario name \"%s\" is also the name of %s; names must "
				    "differ",
				    paths[i], out[i]->name, paths[j]);
				status = EXIT_DATA;
			}
	return status;
}

static void log_targets(const cc_scenario *s)
{
	for (size_t i = 0; i < s->n_levers; i++) {
		const cc_lever *t = &s->levers[i];
		if (t->type != CC_LEVER_TARGET || !t->solved)
			continue;
		const cc_lever *l = &s->levers[t->solve_lever];
		fprintf(
		    stderr,
		    "carecast: %s: target %.4g%% reduction %s: %s lever %zu = %.6g gives a median "
		    "reduction of %.2f%%\n",
		    s->name, t->reduce_percent, t->met ? "met" : "NOT met (lever at its limit)",
		    cc_lever_type_name(l->type), t->solve_lever, t->solved_value,
		    t->achieved_percent);
	}
}

int cmd_run(int argc, char **argv)
{
	enum { OPT_MONTHS = 256, OPT_NO_UNCERTAINTY, OPT_GNUPLOT };
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "scenario", required_argument, NULL, 'S' },
		{ "years", required_argument, NULL, 'y' },
		{ "months", required_argument, NULL, OPT_MONTHS },
		{ "reps", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "expected", no_argument, NULL, 'e' },
		{ "no-parameter-uncertainty", no_argument, NULL, OPT_NO_UNCERTAINTY },
		{ "plots", no_argument, NULL, 'p' },
		{ "gnuplot", required_argument, NULL, OPT_GNUPLOT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out_dir = NULL, *gnuplot = NULL;
	int plots = 0;
	char *scen_paths[MAX_SCENARIOS];
	size_t n_scen = 0;
	uint64_t years = DEFAULT_YEARS, months = 0, reps = DEFAULT_REPS, seed = DEFAULT_SEED;
	uint64_t threads = 0;
	int expected = 0, uncertainty = 1, quiet = 0;
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:S:y:r:s:t:epqh", opts, NULL)) != -1) {
		const char *arg = optarg;
		switch (c) {
		case 'o': out_dir = arg; break;
		case 'S':
			if (n_scen == MAX_SCENARIOS)
				return cli_usage_error("run", "--scenario: at most %d scenarios",
				                       MAX_SCENARIOS);
			scen_paths[n_scen++] = optarg;
			break;
		case 'y':
			if (cli_parse_u64(arg, 1, 100, &years) != 0)
				return cli_usage_error(
				    "run",
				    "--years: expected a whole number of years from 1 "
				    "to 100, found '%s'",
				    arg);
			break;
		case OPT_MONTHS:
			if (cli_parse_u64(arg, 1, 1200, &months) != 0)
				return cli_usage_error(
				    "run",
				    "--months: expected a whole number of months from "
				    "1 to 1200, found '%s'",
				    arg);
			break;
		case 'r':
			if (cli_parse_u64(arg, 1, 10000000, &reps) != 0)
				return cli_usage_error(
				    "run",
				    "--reps: expected a whole number of replications "
				    "from 1 to 10000000, found '%s'",
				    arg);
			break;
		case 's':
			if (cli_parse_u64(arg, 0, UINT32_MAX, &seed) != 0)
				return cli_usage_error("run",
				                       "--seed: expected a whole number from 0 to "
				                       "4294967295, found '%s'",
				                       arg);
			break;
		case 't':
			if (cli_parse_u64(arg, 1, 256, &threads) != 0)
				return cli_usage_error(
				    "run",
				    "--threads: expected a whole number from 1 to 256, "
				    "found '%s'",
				    arg);
			break;
		case 'e': expected = 1; break;
		case OPT_NO_UNCERTAINTY: uncertainty = 0; break;
		case 'p': plots = 1; break;
		case OPT_GNUPLOT: gnuplot = arg; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("run", "option '%s' needs a value",
			                       argv[optind - 1]);
		default: return cli_usage_error("run", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("run", "expected a model file");
	if (optind + 1 < argc)
		return cli_usage_error("run", "expected one model file, found also '%s'",
		                       argv[optind + 1]);
	if (!out_dir)
		return cli_usage_error("run", "expected --out DIR (where to write the results)");
	const char *model_path = argv[optind];
	if (months == 0)
		months = years * 12;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (uint64_t)(n < 64 ? n : 64) : 1;
	}

	/* With --plots, find out before simulating that gnuplot is usable. */
	cc_chart_options chart_opts;
	char templates_buf[PATH_MAX + 64];
	if (plots) {
		if (gnuplot && !*gnuplot)
			return cli_usage_error("run", "--gnuplot: expected a program, found ''");
		cli_chart_options(&chart_opts, gnuplot, NULL, templates_buf, sizeof templates_buf);
		cc_diags *gd = cc_diags_alloc(0);
		int grc = gd ? cc_chart_check_gnuplot(&chart_opts, NULL, gd) : CC_ENOMEM;
		cli_print_diags(gd);
		cc_diags_free(gd);
		if (grc != CC_OK) {
			cli_error("--plots: gnuplot is not usable; nothing written");
			return EXIT_DATA;
		}
	}

	cc_diags *d = cc_diags_alloc(0);
	if (!d) {
		cli_error("out of memory");
		return EXIT_DATA;
	}
	cc_model *m = NULL;
	cc_scenario *scen[MAX_SCENARIOS] = { 0 };
	cc_results *res[MAX_SCENARIOS + 1] = { 0 };
	cc_input_ref inputs[MAX_SCENARIOS + 1];
	int status = EXIT_OK;
	int rc = cc_model_load(model_path, &m, d);
	if (rc == CC_OK && load_scenarios(m, scen_paths, n_scen, scen, d) != EXIT_OK)
		rc = CC_EPARSE;
	cli_print_diags(d);
	if (rc != CC_OK) {
		if (rc == CC_EPARSE)
			cli_error("%zu problem%s found; nothing written", cc_diags_errors(d),
			          cc_diags_errors(d) == 1 ? "" : "s");
		else if (rc == CC_ENOMEM)
			cli_error("%s: out of memory", model_path);
		status = EXIT_DATA;
		goto cleanup;
	}

	cli_catch_interrupts();

	progress_state ps = { .tty = !quiet && isatty(STDERR_FILENO) };
	cc_sim_options o;
	cc_sim_options_default(&o);
	o.months = (size_t)months;
	o.replications = (size_t)reps;
	o.seed = (uint32_t)seed;
	o.threads = (unsigned)threads;
	o.parameter_uncertainty = uncertainty;
	o.cancel = &cli_interrupted;
	double t0 = now_seconds();
	for (size_t i = 0; i < n_scen && rc == CC_OK; i++) {
		rc = cc_scenario_solve(m, scen[i], &o, expected, d);
		if (rc == CC_OK && !quiet)
			log_targets(scen[i]);
	}
	if (rc == CC_OK) {
		o.progress = progress;
		o.progress_arg = &ps;
		if (expected)
			rc = cc_expected_run_scenarios(m, (const cc_scenario *const *)scen, n_scen,
			                               (size_t)months, res);
		else
			rc = cc_sim_run_scenarios(m, (const cc_scenario *const *)scen, n_scen, &o,
			                          res);
	}
	double elapsed = now_seconds() - t0;
	if (rc == CC_EINTR || cli_interrupted) {
		cli_error("interrupted; nothing written");
		status = EXIT_INTERRUPTED;
		goto cleanup;
	}
	if (rc != CC_OK) {
		cli_print_diags(d);
		if (rc != CC_EPARSE)
			cli_error("%s: simulation failed: %s", model_path, cc_strerror(rc));
		status = EXIT_DATA;
		goto cleanup;
	}

	inputs[0] = (cc_input_ref){ "model", model_path, m->sha256 };
	for (size_t i = 0; i < n_scen; i++)
		inputs[i + 1] = (cc_input_ref){ "scenario", scen[i]->path, scen[i]->sha256 };
	cc_run_info info = {
		.seed = (uint32_t)seed,
		.replications = expected ? 0 : (size_t)reps,
		.parameter_uncertainty = !expected && uncertainty && m->parameter_uncertainty,
		.n_inputs = n_scen + 1,
		.inputs = inputs,
	};
	rc = cc_report_write_scenarios(out_dir, m, res, (const cc_scenario *const *)scen, n_scen,
	                               &info, d);
	if (rc != CC_OK) {
		cli_print_diags(d);
		if (rc == CC_ENOMEM)
			cli_error("out of memory writing outputs");
		status = EXIT_DATA;
		goto cleanup;
	}
	if (!quiet) {
		double cm = 0;
		for (size_t i = 0; i <= n_scen; i++)
			cm += (double)cc_results_child_months(res[i]);
		if (expected)
			fprintf(
			    stderr,
			    "carecast: expected-value projection, %llu months, %zu scenario%s, in "
			    "%.3f s; wrote %s/summary.json\n",
			    (unsigned long long)months, n_scen, n_scen == 1 ? "" : "s", elapsed,
			    out_dir);
		else
			fprintf(stderr,
			        "carecast: %llu replications x %llu months x %zu run%s, %.3g "
			        "child-months in %.2f s (%.1f million/s on %llu threads); wrote "
			        "%s/summary.json\n",
			        (unsigned long long)reps, (unsigned long long)months, n_scen + 1,
			        n_scen ? "s" : "", cm, elapsed,
			        elapsed > 0 ? cm / elapsed / 1e6 : 0.0, (unsigned long long)threads,
			        out_dir);
	}
	if (plots)
		status = cli_render_charts(out_dir, &chart_opts, quiet, NULL);
cleanup:
	for (size_t i = 0; i <= n_scen; i++)
		cc_results_free(res[i]);
	for (size_t i = 0; i < n_scen; i++)
		cc_scenario_free(scen[i]);
	cc_model_free(m);
	cc_diags_free(d);
	return status;
}
