/*
 * cmd_backtest_dfe.c - `carecast backtest dfe`: fit from DfE's published
 * statistics with the years up to a base year, project, and compare with the
 * stock DfE published at each later 31 March (docs/dfe.md). The comparison
 * is the backtest library's (include/carecast/backtest.h).
 */
#include "carecast/backtest.h"
#include "carecast/dfe.h"
#include "carecast/fileio.h"
#include "carecast/model.h"
#include "carecast/report.h"
#include "carecast/sim.h"
#include "cli.h"
#include "dfe_cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("Usage: carecast backtest dfe --data DIR (--la NAME... | --region NAME... | --all)\n"
	      "                             --base-year Y[-Y2] --horizon-years H --out DIR\n"
	      "                             [OPTIONS]\n"
	      "Fit from DfE's published statistics with the years up to Y, project H years,\n"
	      "and compare with the published stock at each later 31 March: actual, forecast\n"
	      "p5 / p50 / p95, absolute percentage error of the median, inside the 50% and\n"
	      "90% ranges or not, and the same errors for persistence (the stock at Y) and a\n"
	      "linear trend over the window. Writes DIR/backtest.json; the tables go to\n"
	      "standard output.\n"
	      "\n"
	      "  -d, --data DIR          folder holding the three DfE tables (required)\n"
	      "  -l, --la NAME           a local authority, or England (repeatable: pooled)\n"
	      "  -g, --region NAME       a region (repeatable: pooled)\n"
	      "      --all               every local authority in the data, and England, one\n"
	      "                          backtest each, with the summary over them\n"
	      "      --regions           with --all: every region too\n"
	      "  -b, --base-year Y[-Y2]  the base year, or a range of base years\n"
	      "      --horizon-years H   years to project (1 to 50); later years the data\n"
	      "                          do not hold are left out\n"
	      "  -w, --window-years N    years the fit averages (default 3); also the\n"
	      "                          trend yardstick's window\n"
	      "  -r, --reps R            replications (default 1000)\n"
	      "  -s, --seed S            random seed (default 1)\n"
	      "  -t, --threads T         worker threads (default: all processors); results\n"
	      "                          do not depend on T\n"
	      "  -p, --population FILE, --no-population, -m, --moves-from MODEL,\n"
	      "      --entry-trend, --entries-per-population, --no-dispersion,\n"
	      "      --no-shrinkage\n"
	      "                          as for 'carecast fit dfe'\n"
	      "  -o, --out DIR           where to write backtest.json (required)\n"
	      "  -q, --quiet             no progress on standard error\n"
	      "  -h, --help              show this help\n"
	      "\n"
	      "Exit status: 0 success, 1 data error (or a backtest that could not run),\n"
	      "2 usage error, 130 interrupted.\n",
	      out);
}

/* One backtest: fit areas up to base_year, run, compare. */
static int run_one(const cc_dfe_cli *c, const cc_dfe *d, const cc_model *moves, const size_t *areas,
                   size_t n, int base_year, cc_backtest **out)
{
	*out = NULL;
	cc_diags *diags = cc_diags_alloc(0);
	if (!diags)
		return CC_ENOMEM;
	cc_dfe_fit_opts o;
	dfe_cli_opts(c, moves, base_year, &o);
	cc_dfe_fit *f = NULL;
	cc_model *m = NULL;
	cc_history_point *obs = NULL;
	size_t n_obs = 0;
	int rc = cc_dfe_fit_run(d, areas, n, &o, &f, diags);
	if (rc == CC_OK)
		rc = cc_dfe_fit_model(f, &m, diags);
	if (rc == CC_OK)
		rc = cc_dfe_observations(d, areas, n, m, &obs, &n_obs, diags);
	if (rc == CC_OK) {
		if (!c->quiet)
			dfe_cli_summary(f, m->name);
		cc_sim_options so;
		cc_sim_options_default(&so);
		so.replications = c->reps;
		so.seed = c->seed;
		so.threads = c->threads;
		so.cancel = &cli_interrupted;
		rc =
		    cc_backtest_run(m, obs, n_obs, c->horizon, c->window, &so, m->name, out, diags);
	}
	cli_print_diags(diags);
	free(obs);
	cc_model_free(m);
	cc_dfe_fit_free(f);
	cc_diags_free(diags);
	return rc;
}

int cmd_backtest_dfe(int argc, char **argv)
{
	cc_dfe_cli c;
	int rc = dfe_cli_parse(argc, argv, "backtest dfe", 1, &c);
	if (rc < 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (rc != EXIT_OK)
		return rc;
	if (c.threads == 0) {
		long np = sysconf(_SC_NPROCESSORS_ONLN);
		c.threads = np > 0 ? (unsigned)(np < 64 ? np : 64) : 1;
	}
	cc_diags *diags = cc_diags_alloc(0);
	if (!diags) {
		cli_error("out of memory");
		return EXIT_DATA;
	}
	cc_dfe *d = NULL;
	cc_model *moves = NULL;
	cc_backtest **bt = NULL;
	size_t n_bt = 0, cap_bt = 0;
	size_t *sets = NULL; /* area sets: each of size set_n */
	size_t n_sets = 0, set_n = 0;
	int status = dfe_cli_load(&c, &d, &moves, diags);
	if (status != EXIT_OK)
		goto done;
	/* The area sets to backtest. */
	if (c.all) {
		sets = malloc((cc_dfe_n_areas(d) ? cc_dfe_n_areas(d) : 1) * sizeof *sets);
		if (!sets) {
			status = EXIT_DATA;
			goto done;
		}
		set_n = 1;
		for (int pass = 0; pass < 3; pass++)
			for (size_t i = 0; i < cc_dfe_n_areas(d); i++) {
				cc_dfe_level l = cc_dfe_area_level(d, i);
				if ((pass == 0 && l == CC_DFE_LA) ||
				    (pass == 1 && l == CC_DFE_NATIONAL) ||
				    (pass == 2 && l == CC_DFE_REGION && c.regions))
					sets[n_sets++] = i;
			}
		if (n_sets == 0) {
			cli_error("--all: no local authority or England rows in the data");
			status = EXIT_DATA;
			goto done;
		}
	} else {
		sets = malloc(c.n_names * sizeof *sets);
		if (!sets) {
			status = EXIT_DATA;
			goto done;
		}
		if (dfe_cli_areas(&c, d, sets, diags) != 0) {
			cli_print_diags(diags);
			cli_error("nothing written");
			status = EXIT_DATA;
			goto done;
		}
		n_sets = 1;
		set_n = c.n_names;
	}
	int first, last;
	cc_dfe_year_range(d, &first, &last);
	if (c.base_from < first || c.base_to >= last) {
		cli_error(
		    "--base-year: expected base years from %d to %d (the data cover %d to %d, "
		    "and a backtest needs a later year to compare with), found %d%s%.0d",
		    first, last - 1, first, last, c.base_from, c.base_to != c.base_from ? "-" : "",
		    c.base_to != c.base_from ? c.base_to : 0);
		status = EXIT_DATA;
		goto done;
	}
	cli_catch_interrupts();

	for (int y = c.base_from; y <= c.base_to && !cli_interrupted; y++)
		for (size_t s = 0; s < n_sets && !cli_interrupted; s++) {
			const size_t *areas = &sets[s * set_n];
			cc_backtest *b = NULL;
			int r = run_one(&c, d, moves, areas, set_n, y, &b);
			if (r == CC_EINTR || cli_interrupted)
				break;
			if (r != CC_OK) {
				cli_error("%s, base year %d: backtest not run (%s)",
				          cc_dfe_area_name(d, areas[0]), y, cc_strerror(r));
				status = EXIT_DATA;
				continue;
			}
			if (n_bt == cap_bt) {
				size_t cap = cap_bt ? 2 * cap_bt : 16;
				cc_backtest **p = realloc(bt, cap * sizeof *p);
				if (!p) {
					cc_backtest_free(b);
					cli_error("out of memory");
					status = EXIT_DATA;
					goto done;
				}
				bt = p;
				cap_bt = cap;
			}
			bt[n_bt++] = b;
			cc_backtest_print(stdout, b);
			fputc('\n', stdout);
		}
	if (cli_interrupted) {
		cli_error("interrupted; nothing written");
		status = EXIT_INTERRUPTED;
		goto done;
	}
	if (n_bt == 0) {
		cli_error("no backtest could be run; nothing written");
		status = EXIT_DATA;
		goto done;
	}
	cc_backtest_score sc;
	if (cc_backtest_score_of((const cc_backtest *const *)bt, n_bt, "total", &sc) == CC_OK)
		cc_backtest_print_score(stdout, n_bt > 1 ? "total, all backtests" : "total", &sc);
	if (cc_backtest_score_of((const cc_backtest *const *)bt, n_bt, NULL, &sc) == CC_OK)
		cc_backtest_print_score(stdout, "every series with an observation", &sc);

	/* backtest.json */
	static const char *const files[] = { "cla_31_march.csv", "started.csv", "ceased.csv" };
	char *paths[4] = { NULL };
	char hex[4][65];
	cc_input_ref inputs[5];
	size_t n_in = 0;
	for (size_t i = 0; i < 4; i++) {
		const char *p = NULL;
		if (i < 3)
			p = paths[i] = cc_path_join(c.data, files[i]);
		else
			p = c.population;
		if (!p)
			continue;
		char *data = NULL;
		size_t len = 0;
		if (cc_file_read(p, CC_FILE_MAX_BYTES, &data, &len, NULL) != CC_OK) {
			free(data);
			continue;
		}
		cc_sha256_hex(data, len, hex[i]);
		free(data);
		inputs[n_in++] = (cc_input_ref){ i < 3 ? "dfe" : "population", p, hex[i] };
	}
	if (moves)
		inputs[n_in++] = (cc_input_ref){ "moves_from", c.moves_from, moves->sha256 };
	cc_backtest_info info = { .source = "dfe",
		                  .seed = c.seed,
		                  .replications = c.reps,
		                  .parameter_uncertainty = 1,
		                  .n_inputs = n_in,
		                  .inputs = inputs };
	char *json = NULL;
	int w = cc_mkdir_p(c.out, diags);
	if (w == CC_OK) {
		json = cc_path_join(c.out, "backtest.json");
		w = json ? cc_backtest_write_json(json, (const cc_backtest *const *)bt, n_bt, &info,
		                                  diags)
		         : CC_ENOMEM;
	}
	cli_print_diags(diags);
	if (w != CC_OK) {
		cli_error("%s: backtest.json not written", c.out);
		status = EXIT_DATA;
	} else if (!c.quiet) {
		fprintf(stderr, "carecast: %zu backtest%s; wrote %s\n", n_bt, n_bt == 1 ? "" : "s",
		        json);
	}
	free(json);
	for (size_t i = 0; i < 3; i++)
		free(paths[i]);
done:
	for (size_t i = 0; i < n_bt; i++)
		cc_backtest_free(bt[i]);
	free(bt);
	free(sets);
	cc_model_free(moves);
	cc_dfe_free(d);
	free(c.population_buf);
	cc_diags_free(diags);
	return status;
}
