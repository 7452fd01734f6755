/*
 * cmd_fit_dfe.c - `carecast fit dfe`: a model file from DfE's published
 * statistics for one or more areas (docs/dfe.md).
 */
#include "carecast/dfe.h"
#include "carecast/fileio.h"
#include "carecast/model.h"
#include "cli.h"
#include "dfe_cli.h"

#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_AREAS 256

static void usage(FILE *out)
{
	fputs("Usage: carecast fit dfe --data DIR --la NAME [--la NAME...] [--region NAME...]\n"
	      "                        --base-year YYYY -o MODEL.json [OPTIONS]\n"
	      "Fit a model from DfE's published statistics on children looked after\n"
	      "(DIR/cla_31_march.csv, DIR/started.csv, DIR/ceased.csv) for a local\n"
	      "authority, a region or England; several are pooled into one model.\n"
	      "\n"
	      "  -d, --data DIR          folder holding the three DfE tables (required)\n"
	      "  -l, --la NAME           a local authority, or England (repeatable)\n"
	      "  -g, --region NAME       a region, from its own published rows (repeatable)\n"
	      "  -b, --base-year YYYY    the 31 March of the starting population (required;\n"
	      "                          2024 = 31 March 2024); nothing later is read\n"
	      "  -w, --window-years N    years of starts and ceases to average, ending at\n"
	      "                          the base year (default 3; 1 to 50)\n"
	      "  -p, --population FILE   ONS 0-17 population (default: population_0to17.csv\n"
	      "                          in DIR or its parent, if there)\n"
	      "      --no-population     do not look for a population file\n"
	      "  -m, --moves-from MODEL  take moves between categories from this model (for\n"
	      "                          example one fitted from SSDA903) instead of the\n"
	      "                          national structure\n"
	      "      --entry-trend       fit a linear trend to starts over the window\n"
	      "      --entries-per-population\n"
	      "                          starts as a rate per 10,000 children aged 0-17,\n"
	      "                          following the population's trend\n"
	      "      --no-dispersion     Poisson evidence only (no year-to-year variation)\n"
	      "      --no-shrinkage      keep the window's rates even when they would move\n"
	      "                          the stock far from where it is\n"
	      "  -e, --each              also write one model per area: MODEL-<area>.json\n"
	      "  -n, --name NAME         the model's name (default: the areas' names)\n"
	      "  -o, --out MODEL.json    the model file to write (required)\n"
	      "  -q, --quiet             no summary on standard error\n"
	      "  -h, --help              show this help\n"
	      "\n"
	      "Exit status: 0 success, 1 data error (bad or missing table, unknown area,\n"
	      "no data for the base year), 2 usage error.\n",
	      out);
}

/* Looks for population_0to17.csv in dir, then in its parent. */
static char *find_population(const char *dir)
{
	static const char *const tries[] = { "population_0to17.csv", "../population_0to17.csv" };
	for (size_t i = 0; i < 2; i++) {
		char *p = cc_path_join(dir, tries[i]);
		struct stat st;
		if (p && stat(p, &st) == 0 && S_ISREG(st.st_mode))
			return p;
		free(p);
	}
	return NULL;
}

/* "name (sha256 ...)" for each input, for the model's "source". */
static void source_of(const cc_dfe_cli *c, char *buf, size_t size)
{
	static const char *const files[] = { "cla_31_march.csv", "started.csv", "ceased.csv" };
	size_t k = 0;
	int w = snprintf(buf, size, "DfE, Children looked after in England including adoptions: ");
	k = w > 0 ? (size_t)w : 0;
	for (size_t i = 0; i < 4 && k < size; i++) {
		char *path = i < 3 ? cc_path_join(c->data, files[i]) : NULL;
		const char *p = i < 3 ? path : c->population;
		if (!p) {
			free(path);
			continue;
		}
		char *data = NULL;
		size_t len = 0;
		char hex[65] = "unreadable";
		if (cc_file_read(p, CC_FILE_MAX_BYTES, &data, &len, NULL) == CC_OK)
			cc_sha256_hex(data, len, hex);
		free(data);
		const char *base = strrchr(p, '/');
		w = snprintf(buf + k, size - k, "%s%s%s (sha256 %.16s...)", i ? "; " : "",
		             i == 3 ? "ONS 0-17 population: " : "", base ? base + 1 : p, hex);
		if (w > 0)
			k += (size_t)w;
		free(path);
	}
}

int dfe_cli_parse(int argc, char **argv, const char *cmd, int backtest, cc_dfe_cli *c)
{
	enum {
		OPT_NO_POP = 256,
		OPT_TREND,
		OPT_PER_POP,
		OPT_NO_DISP,
		OPT_NO_SHRINK,
		OPT_HORIZON,
		OPT_REPS,
		OPT_SEED,
		OPT_THREADS,
		OPT_ALL,
		OPT_REGIONS,
	};
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "la", required_argument, NULL, 'l' },
		{ "region", required_argument, NULL, 'g' },
		{ "base-year", required_argument, NULL, 'b' },
		{ "window-years", required_argument, NULL, 'w' },
		{ "population", required_argument, NULL, 'p' },
		{ "no-population", no_argument, NULL, OPT_NO_POP },
		{ "moves-from", required_argument, NULL, 'm' },
		{ "entry-trend", no_argument, NULL, OPT_TREND },
		{ "entries-per-population", no_argument, NULL, OPT_PER_POP },
		{ "no-dispersion", no_argument, NULL, OPT_NO_DISP },
		{ "no-shrinkage", no_argument, NULL, OPT_NO_SHRINK },
		{ "each", no_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "horizon-years", required_argument, NULL, OPT_HORIZON },
		{ "reps", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "regions", no_argument, NULL, OPT_REGIONS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	memset(c, 0, sizeof *c);
	c->window = 3;
	c->dispersion = 1;
	c->shrinkage = 1;
	c->reps = 1000;
	c->seed = 1;
	c->backtest = backtest;
	optind = 0;
	opterr = 0;
	int ch;
	uint64_t v;
	while ((ch = getopt_long(argc, argv, ":d:l:g:b:w:p:m:en:o:r:s:t:qh", opts, NULL)) != -1) {
		const char *arg = optarg;
		switch (ch) {
		case 'd': c->data = arg; break;
		case 'l':
		case 'g':
			if (c->n_names == DFE_CLI_MAX_NAMES)
				return cli_usage_error(cmd, "at most %d areas", DFE_CLI_MAX_NAMES);
			if (!*arg)
				return cli_usage_error(cmd, "--%s: expected a name, found ''",
				                       ch == 'l' ? "la" : "region");
			c->names[c->n_names] = arg;
			c->is_region[c->n_names++] = ch == 'g';
			break;
		case 'b': {
			const char *dash = strchr(arg, '-');
			char first[16];
			size_t len = dash ? (size_t)(dash - arg) : strlen(arg);
			if (len >= sizeof first)
				len = sizeof first - 1;
			memcpy(first, arg, len);
			first[len] = '\0';
			uint64_t to;
			if (cli_parse_u64(first, 1900, 2200, &v) != 0 ||
			    (dash && (!backtest || cli_parse_u64(dash + 1, 1900, 2200, &to) != 0 ||
			              to < v)))
				return cli_usage_error(
				    cmd,
				    "--base-year: expected a year such as 2023 (the 31 March of "
				    "the "
				    "starting population)%s, found '%s'",
				    backtest ? " or a range such as 2021-2024" : "", arg);
			c->base_from = (int)v;
			c->base_to = dash ? (int)to : (int)v;
			break;
		}
		case 'w':
			if (cli_parse_u64(arg, 1, 50, &v) != 0)
				return cli_usage_error(cmd,
				                       "--window-years: expected a whole number "
				                       "from 1 to 50, found '%s'",
				                       arg);
			c->window = (unsigned)v;
			break;
		case 'p': c->population = arg; break;
		case OPT_NO_POP: c->no_population = 1; break;
		case 'm': c->moves_from = arg; break;
		case OPT_TREND: c->trend = 1; break;
		case OPT_PER_POP: c->per_population = 1; break;
		case OPT_NO_DISP: c->dispersion = 0; break;
		case OPT_NO_SHRINK: c->shrinkage = 0; break;
		case 'e':
			if (backtest)
				return cli_usage_error(cmd, "unknown option '--each'");
			c->each = 1;
			break;
		case 'n': c->name = arg; break;
		case 'o': c->out = arg; break;
		case OPT_HORIZON:
			if (!backtest)
				return cli_usage_error(cmd, "unknown option '--horizon-years'");
			if (cli_parse_u64(arg, 1, 50, &v) != 0)
				return cli_usage_error(
				    cmd,
				    "--horizon-years: expected a whole number from 1 to 50, found "
				    "'%s'",
				    arg);
			c->horizon = (unsigned)v;
			break;
		case 'r':
			if (!backtest || cli_parse_u64(arg, 1, 10000000, &v) != 0)
				return cli_usage_error(cmd,
				                       backtest
				                           ? "--reps: expected a whole number from "
				                             "1 to 10000000, found '%s'"
				                           : "unknown option '--reps' ('%s')",
				                       arg);
			c->reps = (size_t)v;
			break;
		case 's':
			if (!backtest || cli_parse_u64(arg, 0, UINT32_MAX, &v) != 0)
				return cli_usage_error(cmd,
				                       backtest
				                           ? "--seed: expected a whole number from "
				                             "0 to 4294967295, found '%s'"
				                           : "unknown option '--seed' ('%s')",
				                       arg);
			c->seed = (uint32_t)v;
			break;
		case 't':
			if (!backtest || cli_parse_u64(arg, 1, 256, &v) != 0)
				return cli_usage_error(cmd,
				                       backtest
				                           ? "--threads: expected a whole number "
				                             "from 1 to 256, found '%s'"
				                           : "unknown option '--threads' ('%s')",
				                       arg);
			c->threads = (unsigned)v;
			break;
		case OPT_ALL:
			if (!backtest)
				return cli_usage_error(cmd, "unknown option '--all'");
			c->all = 1;
			break;
		case OPT_REGIONS:
			if (!backtest)
				return cli_usage_error(cmd, "unknown option '--regions'");
			c->regions = 1;
			break;
		case 'q': c->quiet = 1; break;
		case 'h': return -1;
		case ':':
			return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		default: return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!c->data)
		return cli_usage_error(cmd, "expected --data DIR (the folder of the DfE tables)");
	if (c->n_names == 0 && !c->all)
		return cli_usage_error(cmd, "expected --la NAME or --region NAME%s",
		                       backtest ? " (or --all)" : "");
	if (c->all && c->n_names)
		return cli_usage_error(cmd, "--all runs every area: give no --la or --region");
	if (c->regions && !c->all)
		return cli_usage_error(cmd, "--regions goes with --all");
	if (!c->base_from)
		return cli_usage_error(cmd, "expected --base-year YYYY");
	if (backtest && !c->horizon)
		return cli_usage_error(cmd, "expected --horizon-years N");
	if (!c->out)
		return cli_usage_error(cmd, backtest
		                                ? "expected --out DIR"
		                                : "expected -o MODEL.json (the file to write)");
	if (c->per_population && c->no_population)
		return cli_usage_error(cmd, "--entries-per-population needs the population");
	return EXIT_OK;
}

int dfe_cli_load(cc_dfe_cli *c, cc_dfe **d, cc_model **moves, cc_diags *diags)
{
	*d = NULL;
	*moves = NULL;
	if (!c->population && !c->no_population) {
		c->population_buf = find_population(c->data);
		c->population = c->population_buf;
	}
	int rc = cc_dfe_read(c->data, c->population, d, diags);
	cli_print_diags(diags);
	if (rc != CC_OK) {
		if (rc == CC_ENOMEM)
			cli_error("out of memory reading the DfE tables");
		cli_error("the DfE tables in %s could not be used; nothing written", c->data);
		return EXIT_DATA;
	}
	if (c->per_population && !c->population) {
		cli_error("--entries-per-population: no population_0to17.csv in %s or its "
		          "parent (give --population FILE)",
		          c->data);
		return EXIT_DATA;
	}
	if (c->moves_from) {
		cc_diags *md = cc_diags_alloc(0);
		if (!md)
			return EXIT_DATA;
		rc = cc_model_load(c->moves_from, moves, md);
		cli_print_diags(md);
		cc_diags_free(md);
		if (rc != CC_OK) {
			cli_error("--moves-from %s: not a valid model; nothing written",
			          c->moves_from);
			return EXIT_DATA;
		}
	}
	source_of(c, c->source, sizeof c->source);
	return EXIT_OK;
}

int dfe_cli_areas(const cc_dfe_cli *c, const cc_dfe *d, size_t *areas, cc_diags *diags)
{
	int bad = 0;
	for (size_t i = 0; i < c->n_names; i++) {
		if (cc_dfe_find_area(d, c->names[i], c->is_region[i] ? CC_DFE_REGION : CC_DFE_LA,
		                     &areas[i], diags) != CC_OK)
			bad = 1;
	}
	return bad ? -1 : 0;
}

void dfe_cli_opts(const cc_dfe_cli *c, const cc_model *moves, int base_year, cc_dfe_fit_opts *o)
{
	cc_dfe_fit_opts_default(o);
	o->base_year = base_year;
	o->window_years = c->window;
	o->entry_trend = c->trend;
	o->entries_follow_population = c->per_population;
	o->dispersion = c->dispersion;
	o->shrinkage = c->shrinkage;
	o->moves_from = moves;
	o->name = c->name;
	o->source = c->source;
}

void dfe_cli_summary(const cc_dfe_fit *f, const char *name)
{
	const cc_dfe_fit_summary *s = cc_dfe_fit_get_summary(f);
	fprintf(stderr,
	        "carecast: %s: %.0f children looked after at 31 March %d (under1 %.0f, 1-4 %.0f, "
	        "5-9 %.0f, 10-15 %.0f, 16-17 %.0f)\n",
	        name, s->stock_base, s->base_year, s->stock_band[0], s->stock_band[1],
	        s->stock_band[2], s->stock_band[3], s->stock_band[4]);
	fprintf(stderr,
	        "carecast: %s: over the years ending 31 March %d-%d: %.1f starts a year (%zu "
	        "year%s), %.1f ceased before 18 and %.1f at 18 or over a year (%zu year%s; "
	        "the latter left to the 18th birthday)\n",
	        name, s->window_first, s->window_last, s->entries_per_year, s->years_entries,
	        s->years_entries == 1 ? "" : "s", s->exits_under18_per_year, s->ceased_18_per_year,
	        s->years_exits, s->years_exits == 1 ? "" : "s");
	char ev[64], xv[64];
	if (isfinite(s->entries_cv_data))
		snprintf(ev, sizeof ev, "%.3f", s->entries_cv_data);
	else
		snprintf(ev, sizeof ev, "not estimable");
	if (isfinite(s->exits_cv_data))
		snprintf(xv, sizeof xv, "%.3f", s->exits_cv_data);
	else
		snprintf(xv, sizeof xv, "not estimable");
	fprintf(stderr,
	        "carecast: %s: year-to-year variation beyond Poisson (CV): starts %s in the "
	        "window, %.3f used; exit rate %s, %.3f used; effective events %.0f (entries), "
	        "%.0f (exits under 18)\n",
	        name, ev, s->entries_cv_used, xv, s->exits_cv_used, s->entries_effective_events,
	        s->exits_effective_events);
	fprintf(stderr,
	        "carecast: %s: the window's rates would settle the stock at %.0f children (now "
	        "%.0f, changing %+.1f%% a year; anchor %.0f); moved to %.0f (weight %.2f kept "
	        "on the rates: entries x %.3f, exits under 18 x %.3f)\n",
	        name, s->equilibrium_fitted, s->stock_base, 100 * s->stock_growth, s->anchor,
	        s->equilibrium, s->shrinkage_theta, s->entries_factor, s->exits_factor);
	for (size_t i = 0; i < cc_dfe_fit_nnotes(f); i++)
		fprintf(stderr, "carecast: %s: note: %s\n", name, cc_dfe_fit_note(f, i));
}

/* MODEL.json -> MODEL-<slug>.json */
static char *each_path(const char *out, const char *name)
{
	char slug[128];
	size_t k = 0;
	int dash = 0;
	for (const char *p = name; *p && k + 1 < sizeof slug; p++) {
		unsigned char ch = (unsigned char)*p;
		if (isalnum(ch) && ch < 128) {
			slug[k++] = (char)tolower(ch);
			dash = 0;
		} else if (!dash && k > 0) {
			slug[k++] = '-';
			dash = 1;
		}
	}
	while (k > 0 && slug[k - 1] == '-')
		k--;
	slug[k] = '\0';
	if (k == 0)
		snprintf(slug, sizeof slug, "area");
	size_t n = strlen(out);
	const char *dot = strrchr(out, '.');
	const char *sl = strrchr(out, '/');
	size_t stem = dot && (!sl || dot > sl) ? (size_t)(dot - out) : n;
	char *p = malloc(n + strlen(slug) + 8);
	if (!p)
		return NULL;
	memcpy(p, out, stem);
	sprintf(p + stem, "-%s%s", slug, dot && stem < n ? out + stem : "");
	return p;
}

/* Fits areas[0..n) and writes path. EXIT_OK or EXIT_DATA. */
static int fit_one(const cc_dfe_cli *c, const cc_dfe *d, const cc_model *moves, const size_t *areas,
                   size_t n, const char *name, const char *path)
{
	cc_diags *diags = cc_diags_alloc(0);
	if (!diags) {
		cli_error("out of memory");
		return EXIT_DATA;
	}
	cc_dfe_fit_opts o;
	dfe_cli_opts(c, moves, c->base_from, &o);
	if (name)
		o.name = name;
	cc_dfe_fit *f = NULL;
	cc_model *m = NULL;
	int status = EXIT_OK;
	int rc = cc_dfe_fit_run(d, areas, n, &o, &f, diags);
	if (rc == CC_OK)
		rc = cc_dfe_fit_model(f, &m, diags); /* the file must load */
	if (rc == CC_OK)
		rc = cc_dfe_fit_write_model(f, path, diags);
	cli_print_diags(diags);
	if (rc != CC_OK) {
		if (rc == CC_ENOMEM)
			cli_error("out of memory");
		cli_error("%s: not written", path);
		status = EXIT_DATA;
	} else if (!c->quiet) {
		dfe_cli_summary(f, m->name);
		fprintf(stderr,
		        "carecast: wrote %s: %zu children in %zu starting rows, %zu exit and %zu "
		        "move rows\n",
		        path, m->start_total, m->n_start, m->n_exits, m->n_moves);
	}
	cc_model_free(m);
	cc_dfe_fit_free(f);
	cc_diags_free(diags);
	return status;
}

int cmd_fit_dfe(int argc, char **argv)
{
	cc_dfe_cli c;
	int rc = dfe_cli_parse(argc, argv, "fit dfe", 0, &c);
	if (rc < 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (rc != EXIT_OK)
		return rc;
	cc_diags *diags = cc_diags_alloc(0);
	if (!diags) {
		cli_error("out of memory");
		return EXIT_DATA;
	}
	cc_dfe *d = NULL;
	cc_model *moves = NULL;
	size_t areas[DFE_CLI_MAX_NAMES];
	int status = dfe_cli_load(&c, &d, &moves, diags);
	if (status != EXIT_OK)
		goto done;
	if (dfe_cli_areas(&c, d, areas, diags) != 0) {
		cli_print_diags(diags);
		cli_error("nothing written");
		status = EXIT_DATA;
		goto done;
	}
	int first, last;
	cc_dfe_year_range(d, &first, &last);
	if (c.base_from < first || c.base_from > last) {
		cli_error("--base-year %d: expected a year the data cover, %d to %d", c.base_from,
		          first, last);
		status = EXIT_DATA;
		goto done;
	}
	if (c.each) {
		for (size_t i = 0; i < c.n_names; i++) {
			char *p = each_path(c.out, cc_dfe_area_name(d, areas[i]));
			if (!p) {
				cli_error("out of memory");
				status = EXIT_DATA;
				goto done;
			}
			int s =
			    fit_one(&c, d, moves, &areas[i], 1, cc_dfe_area_name(d, areas[i]), p);
			free(p);
			if (s != EXIT_OK)
				status = s;
		}
	}
	int s = fit_one(&c, d, moves, areas, c.n_names, NULL, c.out);
	if (s != EXIT_OK)
		status = s;
done:
	cc_model_free(moves);
	cc_dfe_free(d);
	free(c.population_buf);
	cc_diags_free(diags);
	return status;
}
