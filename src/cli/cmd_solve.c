/*
 * cmd_solve.c - `carecast solve MODEL --lever FILE[:N] --target "..."`: goal seeking.
 */
#include "carecast/model.h"
#include "carecast/scenario.h"
#include "carecast/sim.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("Usage: carecast solve MODEL --lever FILE[:N] --target TARGET [OPTIONS]\n"
	      "Find the smallest amount of a scenario lever that meets a target with a\n"
	      "given probability, on common random numbers, and check it by re-running.\n"
	      "\n"
	      "  -l, --lever FILE[:N]   lever N (counting from 0; default: the first lever that\n"
	      "                         can be varied) of scenario file FILE\n"
	      "  -g, --target TARGET    \"<metric> <= <value> by <YYYY-YY> with probability <p>\"\n"
	      "                         (or >=); metrics: cla_31_march, entries, exits/total,\n"
	      "                         external/<category>, gap/<category>, households/stock,\n"
	      "                         capacity/<pool>/occupied, spend/total,\n"
	      "                         spend/by_category/<category>, high_cost_placements\n"
	      "      --max X            largest amount to try (default depends on the lever)\n"
	      "  -y, --years N          horizon in years (default 5)\n"
	      "  -r, --reps R           replications for every evaluation (default 1000)\n"
	      "  -s, --seed S           random seed (default 1)\n"
	      "  -t, --threads T        worker threads (default: all processors)\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "Prints the value found, the probability it achieves and the probability one\n"
	      "step less achieves. Exit status: 0 found, 1 not reachable within --max or a\n"
	      "data error, 2 usage error.\n",
	      out);
}

int cmd_solve(int argc, char **argv)
{
	enum { OPT_MAX = 256 };
	static const struct option opts[] = {
		{ "lever", required_argument, NULL, 'l' },
		{ "target", required_argument, NULL, 'g' },
		{ "max", required_argument, NULL, OPT_MAX },
		{ "years", required_argument, NULL, 'y' },
		{ "reps", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lever_arg = NULL, *target = NULL;
	uint64_t years = 5, reps = 1000, seed = 1, threads = 0;
	double max = 0;
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":l:g:y:r:s:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': lever_arg = optarg; break;
		case 'g': target = optarg; break;
		case OPT_MAX: {
			char *end;
			max = strtod(optarg, &end);
			if (*end || !(max > 0) || max > 1e9)
				return cli_usage_error(
				    "solve", "--max: expected a positive number, found '%s'",
				    optarg);
			break;
		}
		case 'y':
			if (cli_parse_u64(optarg, 1, 100, &years) != 0)
				return cli_usage_error(
				    "solve", "--years: expected 1 to 100, found '%s'", optarg);
			break;
		case 'r':
			if (cli_parse_u64(optarg, 1, 10000000, &reps) != 0)
				return cli_usage_error(
				    "solve", "--reps: expected 1 to 10000000, found '%s'", optarg);
			break;
		case 's':
			if (cli_parse_u64(optarg, 0, UINT32_MAX, &seed) != 0)
				return cli_usage_error(
				    "solve", "--seed: expected 0 to 4294967295, found '%s'",
				    optarg);
			break;
		case 't':
			if (cli_parse_u64(optarg, 1, 256, &threads) != 0)
				return cli_usage_error(
				    "solve", "--threads: expected 1 to 256, found '%s'", optarg);
			break;
		case 'h': usage(stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("solve", "option '%s' needs a value",
			                       argv[optind - 1]);
		default: return cli_usage_error("solve", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("solve", "expected a model file");
	if (optind + 1 < argc)
		return cli_usage_error("solve", "expected one model file, found also '%s'",
		                       argv[optind + 1]);
	if (!lever_arg)
		return cli_usage_error("solve", "expected --lever FILE[:N]");
	if (!target)
		return cli_usage_error("solve",
		                       "expected --target \"<metric> <= <value> by <YYYY-YY> "
		                       "with probability <p>\"");
	char path[4096];
	long index = -1;
	snprintf(path, sizeof path, "%s", lever_arg);
	char *colon = strrchr(path, ':');
	if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
		index = strtol(colon + 1, NULL, 10);
		*colon = '\0';
	}
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (uint64_t)(n < 64 ? n : 64) : 1;
	}

	int status = EXIT_OK;
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = NULL;
	cc_scenario *s = NULL;
	if (!d)
		return EXIT_DATA;
	int rc = cc_model_load(argv[optind], &m, d);
	if (rc == CC_OK)
		rc = cc_scenario_load(path, m, &s, d);
	cli_print_diags(d);
	if (rc != CC_OK) {
		status = EXIT_DATA;
		goto cleanup;
	}
	if (index < 0) {
		for (size_t i = 0; i < s->n_levers && index < 0; i++)
			if (cc_goal_lever_ok(m, &s->levers[i]))
				index = (long)i;
		if (index < 0) {
			cli_error("%s: no lever in the file can be varied (approvals, extra_exits, "
			          "transfers, entries, exit_hazard, move_hazard, deregistration, "
			          "usable_share, framework_share)",
			          path);
			status = EXIT_DATA;
			goto cleanup;
		}
	} else if ((size_t)index >= s->n_levers || !cc_goal_lever_ok(m, &s->levers[index])) {
		status = cli_usage_error("solve", "--lever: %s has no lever %ld that can be varied",
		                         path, index);
		goto cleanup;
	}
	cc_goal g;
	char err[512];
	if (cc_goal_parse(target, m, (size_t)years * 12, &g, err, sizeof err) != CC_OK) {
		status = cli_usage_error("solve", "--target: %s", err);
		goto cleanup;
	}
	cc_sim_options o;
	cc_sim_options_default(&o);
	o.months = (size_t)years * 12;
	o.replications = (size_t)reps;
	o.seed = (uint32_t)seed;
	o.threads = (unsigned)threads;
	cc_goal_result r;
	rc = cc_goal_seek(m, s, (size_t)index, &g, &o, max, &r);
	if (rc != CC_OK) {
		cli_error("solve failed: %s", cc_strerror(rc));
		status = EXIT_DATA;
		goto cleanup;
	}
	const cc_lever *lv = &s->levers[index];
	printf("lever: %s (lever %ld of %s)\n", cc_lever_type_name(lv->type), index, path);
	printf("target: P(%s %s %g in %d-%02d) >= %g\n", g.metric, g.at_most ? "<=" : ">=", g.value,
	       g.fy_start_year, (g.fy_start_year + 1) % 100, g.probability);
	if (!r.achieved) {
		printf("solution: none up to %g (probability there %.4f)\n", r.value,
		       r.probability);
		cli_error("the target is not reached even at %g; try a larger --max", r.value);
		status = EXIT_DATA;
		goto cleanup;
	}
	printf("solution: %g\n", r.value);
	printf("achieved probability: %.4f (checked by a re-run)\n", r.probability);
	if (r.value > 0)
		printf("one step less (%g): %.4f\n", r.value - r.step, r.probability_less);
	else
		printf("the target is met without the lever\n");
cleanup:
	cc_scenario_free(s);
	cc_model_free(m);
	cc_diags_free(d);
	return status;
}
