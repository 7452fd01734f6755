/*
 * cmd_simulate.c - `carecast simulate MODEL --ssda903 DIR`: synthetic returns.
 */
#include "carecast/model.h"
#include "carecast/synth.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

static void usage(FILE *out)
{
	fputs("Usage: carecast simulate MODEL --ssda903 DIR [--years N] [--seed S]\n"
	      "Simulate one replication of the model and write it as synthetic SSDA903\n"
	      "returns: DIR/<YEAR>/header.csv and DIR/<YEAR>/episodes.csv for each year\n"
	      "ending 31 March after the base date. Children are invented.\n"
	      "\n"
	      "  -d, --ssda903 DIR    output directory (created if missing; required)\n"
	      "  -y, --years N        years of returns (default 5; 1 to 100)\n"
	      "  -s, --seed S         random seed (default 1)\n"
	      "      --draw-parameters  draw rates with evidence from their posterior instead\n"
	      "                       of using the point estimates\n"
	      "  -h, --help           show this help\n"
	      "\n"
	      "Exit status: 0 success, 1 data or runtime error, 2 usage error.\n",
	      out);
}

int cmd_simulate(int argc, char **argv)
{
	enum { OPT_DRAW = 256 };
	static const struct option opts[] = {
		{ "ssda903", required_argument, NULL, 'd' },
		{ "years", required_argument, NULL, 'y' },
		{ "seed", required_argument, NULL, 's' },
		{ "draw-parameters", no_argument, NULL, OPT_DRAW },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL;
	uint64_t years = 5, seed = 1;
	int draw = 0;
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":d:y:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'y':
			if (cli_parse_u64(optarg, 1, 100, &years) != 0)
				return cli_usage_error(
				    "simulate", "--years: expected 1 to 100, found '%s'", optarg);
			break;
		case 's':
			if (cli_parse_u64(optarg, 0, UINT32_MAX, &seed) != 0)
				return cli_usage_error(
				    "simulate", "--seed: expected 0 to 4294967295, found '%s'",
				    optarg);
			break;
		case OPT_DRAW: draw = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("simulate", "option '%s' needs a value",
			                       argv[optind - 1]);
		default:
			return cli_usage_error("simulate", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("simulate", "expected a model file");
	if (optind + 1 < argc)
		return cli_usage_error("simulate", "expected one model file, found also '%s'",
		                       argv[optind + 1]);
	if (!dir)
		return cli_usage_error("simulate", "expected --ssda903 DIR");
	cc_diags *d = cc_diags_alloc(0);
	if (!d)
		return EXIT_DATA;
	cc_model *m = NULL;
	int status = EXIT_OK;
	int rc = cc_model_load(argv[optind], &m, d);
	cc_synth_stats st;
	if (rc == CC_OK) {
		cc_synth_options o = { .years = (size_t)years,
			               .seed = (uint32_t)seed,
			               .draw_parameters = draw };
		rc = cc_synth_ssda903(m, &o, dir, &st, d);
	}
	cli_print_diags(d);
	if (rc != CC_OK) {
		if (rc != CC_EPARSE && rc != CC_EIO)
			cli_error("simulate failed: %s", cc_strerror(rc));
		status = EXIT_DATA;
	} else {
		fprintf(stderr,
		        "carecast: wrote %zu annual returns to %s: %zu children, %zu episodes, %zu "
		        "episode rows\n",
		        st.returns, dir, st.children, st.episodes, st.episode_rows);
	}
	cc_model_free(m);
	cc_diags_free(d);
	return status;
}
