/*
 * cmd_plot.c - `carecast plot DIR`: draw the charts of a run.
 *
 * Also the pieces `run --plots` and `report` share: where gnuplot and the
 * templates are (options first, then CARECAST_GNUPLOT / CARECAST_PLOTS, then
 * the plots/ directory beside the program or installed with it), and drawing
 * with notes and a log line on standard error. Only the front end reads the
 * environment; the library is told.
 */
#include "carecast/chart.h"
#include "carecast/fileio.h"
#include "cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("Usage: carecast plot DIR [OPTIONS]\n"
	      "Draw the charts of the run in DIR (from DIR/summary.json): for each chart\n"
	      "an SVG, a PNG, its data table (CSV) and its alt text (TXT), in DIR/charts.\n"
	      "Charts the run has no data for (no capacity, costs or scenarios) are\n"
	      "skipped with a note.\n"
	      "\n"
	      "  -o, --out CHARTDIR     where to write the charts (default DIR/charts)\n"
	      "      --gnuplot PATH     the gnuplot program (default $CARECAST_GNUPLOT,\n"
	      "                         else gnuplot on the PATH)\n"
	      "      --templates DIR    the chart templates (default $CARECAST_PLOTS,\n"
	      "                         else the plots/ directory of the installation)\n"
	      "      --keep-temporary   keep each chart's data file and gnuplot script\n"
	      "                         (hidden files in the charts directory), for\n"
	      "                         working on the templates\n"
	      "  -q, --quiet            no notes or log on standard error\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "Needs gnuplot 5 with the svg and pngcairo terminals (Debian: gnuplot-nox).\n"
	      "Exit status: 0 success, 1 data or runtime error (no summary.json, gnuplot\n"
	      "missing or failing, cannot write), 2 usage error.\n",
	      out);
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The templates directory: the option, $CARECAST_PLOTS, plots/ beside the
 * program (a build tree), ../share/carecast/plots beside it (an installation),
 * else plots/ in the current directory. */
static const char *find_templates(const char *given, char *buf, size_t size)
{
	if (given)
		return given;
	const char *env = getenv("CARECAST_PLOTS");
	if (env && *env)
		return env;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			static const char *const rel[] = { "plots", "../share/carecast/plots" };
			for (size_t i = 0; i < 2; i++) {
				char probe[PATH_MAX + 64];
				snprintf(buf, size, "%s/%s", exe, rel[i]);
				snprintf(probe, sizeof probe, "%s/common.gp", buf);
				if (is_file(probe))
					return buf;
			}
		}
	}
	return "plots";
}

void cli_chart_options(cc_chart_options *o, const char *gnuplot, const char *templates, char *buf,
                       size_t size)
{
	cc_chart_options_default(o);
	const char *env = getenv("CARECAST_GNUPLOT");
	o->gnuplot = gnuplot ? gnuplot : (env && *env ? env : "gnuplot");
	o->templates = find_templates(templates, buf, size);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cli_render_charts(const char *dir, const cc_chart_options *o, int quiet, cc_charts **out)
{
	cc_diags *d = cc_diags_alloc(0);
	if (!d) {
		cli_error("out of memory");
		return EXIT_DATA;
	}
	cc_charts *charts = NULL;
	double t0 = now_seconds();
	int rc = cc_chart_render(dir, o, &charts, d);
	double elapsed = now_seconds() - t0;
	if (rc == CC_OK && quiet) {
		/* Warnings still matter when quiet; notes do not. */
		for (size_t i = 0; i < cc_diags_count(d); i++) {
			char *s = cc_diag_format(cc_diags_get(d, i));
			fprintf(stderr, "carecast: %s\n", s ? s : "(out of memory)");
			free(s);
		}
	} else {
		cli_print_diags(d);
	}
	int status = EXIT_OK;
	if (rc != CC_OK) {
		if (rc == CC_ENOMEM)
			cli_error("out of memory drawing charts");
		cli_error("charts not drawn");
		status = EXIT_DATA;
	} else if (!quiet) {
		for (size_t i = 0; i < cc_charts_notes(charts); i++)
			fprintf(stderr, "carecast: note: %s\n", cc_charts_note(charts, i));
		size_t n = cc_charts_count(charts);
		fprintf(stderr, "carecast: %zu chart%s (SVG, PNG, CSV, alt text) in %s in %.2f s\n",
		        n, n == 1 ? "" : "s", cc_charts_dir(charts), elapsed);
	}
	if (out && status == EXIT_OK)
		*out = charts;
	else
		cc_charts_free(charts);
	cc_diags_free(d);
	return status;
}

int cmd_plot(int argc, char **argv)
{
	enum { OPT_GNUPLOT = 256, OPT_TEMPLATES, OPT_KEEP };
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "gnuplot", required_argument, NULL, OPT_GNUPLOT },
		{ "templates", required_argument, NULL, OPT_TEMPLATES },
		{ "keep-temporary", no_argument, NULL, OPT_KEEP },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *gnuplot = NULL, *templates = NULL;
	int quiet = 0, keep = 0;
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case OPT_GNUPLOT: gnuplot = optarg; break;
		case OPT_TEMPLATES: templates = optarg; break;
		case OPT_KEEP: keep = 1; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("plot", "option '%s' needs a value",
			                       argv[optind - 1]);
		default: return cli_usage_error("plot", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("plot", "expected a run directory (the --out DIR of "
		                               "'carecast run')");
	if (optind + 1 < argc)
		return cli_usage_error("plot", "expected one run directory, found also '%s'",
		                       argv[optind + 1]);
	if (gnuplot && !*gnuplot)
		return cli_usage_error("plot", "--gnuplot: expected a program, found ''");
	cc_chart_options o;
	char buf[PATH_MAX + 64];
	cli_chart_options(&o, gnuplot, templates, buf, sizeof buf);
	o.out_dir = out;
	o.keep_temporary = keep;
	return cli_render_charts(argv[optind], &o, quiet, NULL);
}
