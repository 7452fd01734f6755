/*
 * cmd_backtest.c - `carecast backtest ssda903`: fit on the returns up to a
 * past base date, project, and compare with the stock the same returns show
 * at each later 31 March (include/carecast/backtest.h, docs/backtest.md).
 * `carecast backtest dfe` is cmd_backtest_dfe.c.
 */
#include "carecast/backtest.h"
#include "carecast/fileio.h"
#include "carecast/fit.h"
#include "carecast/model.h"
#include "carecast/ssda903.h"
#include "cli.h"
#include "ssda903_cli.h"

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("Usage: carecast backtest ssda903 [DIR...] [--header H.csv --episodes E.csv]...\n"
	      "                                 --base-date D --horizon-years H --out DIR\n"
	      "                                 [OPTIONS]\n"
	      "Fit a model on the returns up to a past base date, project it, and compare\n"
	      "the projection with the children in care the same returns show at each\n"
	      "later 31 March: for the total and each category, the actual, the forecast\n"
	      "5/50/95% quantiles, the absolute percentage error of the median, whether the\n"
	      "actual is inside the 50% and 90% ranges, and the same errors for persistence\n"
	      "(the stock at the base date) and the linear trend over the window.\n"
	      "\n"
	      "Inputs as for 'carecast fit ssda903' (folders, or --header/--episodes pairs;\n"
	      "--la, --map, --prior-events, --year-label, --strict).\n"
	      "\n"
	      "Options:\n"
	      "  -b, --base-date DATE     the past base date, a month end within the data\n"
	      "                           (required); the fit uses nothing after it\n"
	      "  -H, --horizon-years N    years to project (1 to 50; required)\n"
	      "  -o, --out DIR            write DIR/backtest.json and DIR/model.json, the\n"
	      "                           model fitted at the base date (required)\n"
	      "  -w, --window-years N     the fit's reference window and the trend's (default 3)\n"
	      "  -r, --reps R             replications (default 1000)\n"
	      "  -s, --seed S             random seed (default 1)\n"
	      "  -t, --threads T          worker threads (default: all processors)\n"
	      "      --no-parameter-uncertainty\n"
	      "                           use the rates' point estimates in every replication\n"
	      "  -q, --quiet              no closing log line (data problems always show)\n"
	      "  -h, --help               show this help\n"
	      "\n"
	      "The table goes to standard output. Exit status: 0 success, 1 data or runtime\n"
	      "error (unusable data, no 31 March after the base date within the data and\n"
	      "the horizon, cannot write), 2 usage error, 130 interrupted. Method and\n"
	      "output: docs/backtest.md.\n",
	      out);
}

typedef struct {
	cli_ssda903_args in;
	const char *out, *map;
	cc_date base;
	int have_base, quiet, uncertainty;
	uint64_t horizon, window, reps, seed, threads;
	double prior;
} args;

static int parse(int argc, char **argv, args *a)
{
	enum { OPT_PRIOR = 256, OPT_NO_UNCERTAINTY };
	static const struct option opts[] = {
		{ "base-date", required_argument, NULL, 'b' },
		{ "horizon-years", required_argument, NULL, 'H' },
		{ "out", required_argument, NULL, 'o' },
		{ "window-years", required_argument, NULL, 'w' },
		{ "reps", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "no-parameter-uncertainty", no_argument, NULL, OPT_NO_UNCERTAINTY },
		{ "la", required_argument, NULL, 'l' },
		{ "map", required_argument, NULL, 'm' },
		{ "prior-events", required_argument, NULL, OPT_PRIOR },
		{ "year-label", required_argument, NULL, CLI_SSDA903_OPT_YEAR },
		{ "strict", no_argument, NULL, CLI_SSDA903_OPT_STRICT },
		{ "header", required_argument, NULL, CLI_SSDA903_OPT_HEADER },
		{ "episodes", required_argument, NULL, CLI_SSDA903_OPT_EPISODES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "backtest ssda903";
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":b:H:o:w:r:s:t:l:m:qh", opts, NULL)) != -1) {
		const char *arg = optarg;
		int shared = cli_ssda903_option(&a->in, c, arg, cmd);
		if (shared == EXIT_USAGE)
			return EXIT_USAGE;
		if (shared)
			continue;
		switch (c) {
		case 'b':
			if (cc_date_parse_iso(arg, &a->base) != CC_OK ||
			    !cc_date_is_month_end(a->base))
				return cli_usage_error(
				    cmd,
				    "--base-date: expected the last day of a month "
				    "YYYY-MM-DD (usually 31 March), found '%s'",
				    arg);
			a->have_base = 1;
			break;
		case 'H':
			if (cli_parse_u64(arg, 1, 50, &a->horizon) != 0)
				return cli_usage_error(
				    cmd, "--horizon-years: expected 1 to 50, found '%s'", arg);
			break;
		case 'o': a->out = arg; break;
		case 'w':
			if (cli_parse_u64(arg, 1, 50, &a->window) != 0)
				return cli_usage_error(
				    cmd, "--window-years: expected 1 to 50, found '%s'", arg);
			break;
		case 'r':
			if (cli_parse_u64(arg, 1, 10000000, &a->reps) != 0)
				return cli_usage_error(
				    cmd, "--reps: expected 1 to 10000000, found '%s'", arg);
			break;
		case 's':
			if (cli_parse_u64(arg, 0, UINT32_MAX, &a->seed) != 0)
				return cli_usage_error(
				    cmd, "--seed: expected 0 to 4294967295, found '%s'", arg);
			break;
		case 't':
			if (cli_parse_u64(arg, 1, 256, &a->threads) != 0)
				return cli_usage_error(
				    cmd, "--threads: expected 1 to 256, found '%s'", arg);
			break;
		case OPT_NO_UNCERTAINTY: a->uncertainty = 0; break;
		case 'm': a->map = arg; break;
		case OPT_PRIOR:
			if (cli_ssda903_prior(arg, cmd, &a->prior) != 0)
				return EXIT_USAGE;
			break;
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
		return cli_usage_error(cmd, "expected --base-date YYYY-MM-DD (the past base date)");
	if (!a->horizon)
		return cli_usage_error(cmd, "expected --horizon-years N");
	if (!a->out)
		return cli_usage_error(cmd, "expected --out DIR");
	return EXIT_OK;
}

/* The observed stock at each 31 March of the data (and the base date), in
 * the fitted model's category order: the history of a fit whose base date
 * is the end of the data. */
static int observations(const cc_ssda903 *ds, const cc_fit_opts *fo, const cc_model *m,
                        cc_history_point **out, size_t *n, cc_diags *d)
{
	cc_date end = INT32_MAX;
	for (size_t i = 0; i < cc_ssda903_nlas(ds); i++)
		if (cc_ssda903_la_at(ds, i)->last_year_end < end)
			end = cc_ssda903_la_at(ds, i)->last_year_end;
	cc_fit_opts all = *fo;
	all.base_date = end;
	all.window_years = 1;
	all.strict = 0;
	cc_fit *f = NULL;
	int rc = cc_fit_ssda903(ds, &all, &f, d);
	if (rc != CC_OK)
		return rc;
	size_t nh = cc_fit_nhistory(f);
	cc_history_point *h = calloc(nh ? nh : 1, sizeof *h);
	if (!h) {
		cc_fit_free(f);
		return CC_ENOMEM;
	}
	for (size_t i = 0; i < nh; i++) {
		const cc_history_point *p = cc_fit_history(f, i);
		h[i].date = p->date;
		h[i].cla_total = p->cla_total;
		for (size_t c = 0; c < CC_MAX_LIST; c++)
			h[i].by_category[c] = NAN;
		for (size_t fc = 0; fc < cc_fit_ncategories(f); fc++)
			for (size_t c = 0; c < m->n_categories; c++)
				if (strcmp(m->categories[c].name, cc_fit_category(f, fc)) == 0)
					h[i].by_category[c] = p->by_category[fc];
	}
	cc_fit_free(f);
	*out = h;
	*n = nh;
	return CC_OK;
}

/* SHA-256 of every input file, for the provenance in backtest.json. */
static int hash_inputs(const cli_ssda903_data *data, cc_input_ref *refs, char (*hex)[65], size_t *n,
                       cc_diags *d)
{
	*n = 0;
	for (size_t i = 0; i < data->nin; i++) {
		const char *paths[2] = { data->in[i].header, data->in[i].episodes };
		for (size_t k = 0; k < 2; k++) {
			if (!paths[k])
				continue;
			char *bytes;
			size_t len;
			int rc = cc_file_read(paths[k], CC_FILE_MAX_BYTES, &bytes, &len, d);
			if (rc != CC_OK)
				return rc;
			cc_sha256_hex(bytes, len, hex[*n]);
			free(bytes);
			refs[*n] = (cc_input_ref){ k ? "episodes" : "header", paths[k], hex[*n] };
			++*n;
		}
	}
	return CC_OK;
}

static int backtest_ssda903(int argc, char **argv)
{
	args a;
	memset(&a, 0, sizeof a);
	a.window = 3;
	a.reps = 1000;
	a.seed = 1;
	a.uncertainty = 1;
	int rc = parse(argc, argv, &a);
	if (rc < 0)
		return EXIT_OK;
	if (rc != EXIT_OK)
		return rc;
	if (a.threads == 0) {
		long nproc = sysconf(_SC_NPROCESSORS_ONLN);
		a.threads = nproc > 0 ? (uint64_t)(nproc < 64 ? nproc : 64) : 1;
	}

	int status = EXIT_DATA;
	cc_diags *d = cc_diags_alloc(CLI_SSDA903_DIAG_LIMIT);
	cli_ssda903_data data;
	memset(&data, 0, sizeof data);
	cc_fit_map *map = NULL;
	cc_fit *fit = NULL;
	cc_model *m = NULL;
	cc_history_point *obs = NULL;
	size_t n_obs = 0;
	cc_backtest *bt = NULL;
	cc_input_ref *refs = NULL;
	char(*hex)[65] = NULL;
	char *p_model = NULL, *p_json = NULL;
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

	cc_fit_opts fo;
	cc_fit_opts_default(&fo);
	fo.base_date = a.base;
	fo.window_years = (unsigned)a.window;
	fo.map = map;
	fo.prior_events = a.prior;
	fo.strict = a.in.strict;
	size_t before = cc_diags_count(d);
	rc = cc_fit_ssda903(data.ds, &fo, &fit, d);
	if (rc == CC_OK)
		rc = cc_fit_model(fit, &m, d);
	if (rc == CC_OK)
		rc = observations(data.ds, &fo, m, &obs, &n_obs, d);
	cli_print_diags_from(d, before);
	if (rc != CC_OK) {
		if (rc == CC_ENOMEM)
			goto oom;
		cli_error("cannot fit at the base date; nothing written");
		goto cleanup;
	}

	cli_catch_interrupts();

	cc_sim_options o;
	cc_sim_options_default(&o);
	o.replications = (size_t)a.reps;
	o.seed = (uint32_t)a.seed;
	o.threads = (unsigned)a.threads;
	o.parameter_uncertainty = a.uncertainty;
	o.cancel = &cli_interrupted;
	char label[128] = "";
	for (size_t i = 0; i < cc_ssda903_nlas(data.ds); i++) {
		const char *name = cc_ssda903_la_at(data.ds, i)->name;
		size_t used = strlen(label);
		snprintf(label + used, sizeof label - used, "%s%s", i ? ", " : "", name);
	}
	before = cc_diags_count(d);
	rc = cc_backtest_run(m, obs, n_obs, (unsigned)a.horizon, (unsigned)a.window, &o, label, &bt,
	                     d);
	cli_print_diags_from(d, before);
	if (rc == CC_EINTR || cli_interrupted) {
		cli_error("interrupted; nothing written");
		status = EXIT_INTERRUPTED;
		goto cleanup;
	}
	if (rc != CC_OK) {
		if (rc == CC_ENOMEM)
			goto oom;
		cli_error("backtest failed; nothing written");
		goto cleanup;
	}

	refs = calloc(2 * data.nin + 1, sizeof *refs);
	hex = calloc(2 * data.nin + 1, sizeof *hex);
	p_model = cc_path_join(a.out, "model.json");
	p_json = cc_path_join(a.out, "backtest.json");
	if (!refs || !hex || !p_model || !p_json)
		goto oom;
	size_t n_refs = 0;
	before = cc_diags_count(d);
	const cc_backtest *list[1] = { bt };
	cc_backtest_info info = { "ssda903", (uint32_t)a.seed, (size_t)a.reps, a.uncertainty, 0,
		                  refs };
	if (hash_inputs(&data, refs, hex, &n_refs, d) != CC_OK || cc_mkdir_p(a.out, d) != CC_OK) {
		cli_print_diags_from(d, before);
		cli_error("nothing written");
		goto cleanup;
	}
	info.n_inputs = n_refs;
	if (cc_fit_write_model(fit, p_model, d) != CC_OK ||
	    cc_backtest_write_json(p_json, list, 1, &info, d) != CC_OK) {
		cli_print_diags_from(d, before);
		remove(p_model);
		cli_error("cannot write the results");
		goto cleanup;
	}
	cc_backtest_print(stdout, bt);
	cc_backtest_score sc;
	if (cc_backtest_score_of(list, 1, "total", &sc) == CC_OK)
		cc_backtest_print_score(stdout, "total", &sc);
	if (cc_backtest_score_of(list, 1, NULL, &sc) == CC_OK)
		cc_backtest_print_score(stdout, "total and categories", &sc);
	if (!a.quiet)
		fprintf(stderr, "carecast: wrote %s and %s\n", p_json, p_model);
	status = EXIT_OK;
	goto cleanup;
oom:
	cli_error("out of memory");
	status = EXIT_DATA;
cleanup:
	free(p_model);
	free(p_json);
	free(refs);
	free(hex);
	cc_backtest_free(bt);
	free(obs);
	cc_model_free(m);
	cc_fit_free(fit);
	cc_fit_map_free(map);
	cli_ssda903_free(&data);
	cc_diags_free(d);
	return status;
}

int cmd_backtest(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "ssda903") == 0)
		return backtest_ssda903(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc < 2)
		return cli_usage_error("backtest", "expected the kind of data: 'carecast backtest "
		                                   "ssda903 ...' or 'carecast backtest dfe ...'");
	return cli_usage_error("backtest", "expected 'ssda903' or 'dfe', found '%s'", argv[1]);
}
