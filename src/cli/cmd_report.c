/*
 * cmd_report.c - `carecast report DIR`: the run's charts and a
 * self-contained HTML report, DIR/report.html.
 */
#include "carecast/htmlreport.h"
#include "cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(FILE *out)
{
	fputs("Usage: carecast report DIR [OPTIONS]\n"
	      "Draw the charts of the run in DIR (as 'carecast plot') and write\n"
	      "DIR/report.html: one self-contained page with every chart, its alt text\n"
	      "and data table, the assumptions and the provenance. It needs no network\n"
	      "and no other file to be read.\n"
	      "\n"
	      "  -o, --out FILE         write the report here (default DIR/report.html)\n"
	      "      --gnuplot PATH     the gnuplot program (default $CARECAST_GNUPLOT,\n"
	      "                         else gnuplot on the PATH)\n"
	      "      --templates DIR    the chart templates (default $CARECAST_PLOTS,\n"
	      "                         else the plots/ directory of the installation)\n"
	      "  -q, --quiet            no notes or log on standard error\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "Exit status: 0 success, 1 data or runtime error (no summary.json, gnuplot\n"
	      "missing or failing, cannot write), 2 usage error.\n",
	      out);
}

int cmd_report(int argc, char **argv)
{
	enum { OPT_GNUPLOT = 256, OPT_TEMPLATES };
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "gnuplot", required_argument, NULL, OPT_GNUPLOT },
		{ "templates", required_argument, NULL, OPT_TEMPLATES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *gnuplot = NULL, *templates = NULL;
	int quiet = 0;
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case OPT_GNUPLOT: gnuplot = optarg; break;
		case OPT_TEMPLATES: templates = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("report", "option '%s' needs a value",
			                       argv[optind - 1]);
		default: return cli_usage_error("report", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("report", "expected a run directory (the --out DIR of "
		                                 "'carecast run')");
	if (optind + 1 < argc)
		return cli_usage_error("report", "expected one run directory, found also '%s'",
		                       argv[optind + 1]);
	if (gnuplot && !*gnuplot)
		return cli_usage_error("report", "--gnuplot: expected a program, found ''");
	const char *dir = argv[optind];
	cc_chart_options o;
	char buf[PATH_MAX + 64];
	cli_chart_options(&o, gnuplot, templates, buf, sizeof buf);
	cc_charts *charts = NULL;
	int status = cli_render_charts(dir, &o, quiet, &charts);
	if (status != EXIT_OK)
		return status;
	cc_diags *d = cc_diags_alloc(0);
	if (!d) {
		cc_charts_free(charts);
		cli_error("out of memory");
		return EXIT_DATA;
	}
	int rc = cc_htmlreport_write(dir, charts, out, d);
	cli_print_diags(d);
	if (rc != CC_OK) {
		if (rc == CC_ENOMEM)
			cli_error("out of memory writing the report");
		cli_error("report not written");
		status = EXIT_DATA;
	} else if (!quiet) {
		if (out)
			fprintf(stderr, "carecast: wrote %s\n", out);
		else
			fprintf(stderr, "carecast: wrote %s/report.html\n", dir);
	}
	cc_diags_free(d);
	cc_charts_free(charts);
	return status;
}
