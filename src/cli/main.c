/*
 * main.c - carecast's entry point: global options and command dispatch.
 */
#include "carecast/fileio.h"
#include "carecast/report.h"
#include "cli.h"

#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("Usage: carecast COMMAND [OPTIONS]\n"
	      "Forecast demand for placements for children looked after.\n"
	      "\n"
	      "Commands:\n"
	      "  run MODEL --out DIR     simulate the model; write DIR/summary.json and CSVs\n"
	      "  validate FILE...        check model files and list every problem\n"
	      "  plot DIR                draw the charts of the run in DIR (gnuplot)\n"
	      "  report DIR              write DIR/report.html: charts, tables, assumptions\n"
	      "  fit ssda903 DIR --base-date D -o MODEL.json\n"
	      "                          fit a model file to SSDA903 returns\n"
	      "  fit dfe --data DIR --la NAME --base-year YYYY -o MODEL.json\n"
	      "                          fit a model file to DfE's published statistics\n"
	      "  backtest dfe --data DIR --la NAME --base-year Y --horizon-years H --out DIR\n"
	      "                          forecast from a past year and compare with DfE's\n"
	      "                          published stock\n"
	      "  backtest ssda903 DIR --base-date D --horizon-years H --out DIR\n"
	      "                          fit up to a past date, project, compare with the\n"
	      "                          returns' later stock\n"
	      "  simulate MODEL --ssda903 DIR\n"
	      "                          write one replication as synthetic SSDA903 returns\n"
	      "  solve MODEL --lever F --target T\n"
	      "                          smallest amount of a lever that meets a target\n"
	      "  help                    show this help\n"
	      "\n"
	      "Options:\n"
	      "  -h, --help              show this help and exit\n"
	      "  -V, --version           show carecast, GSL and cJSON versions and exit\n"
	      "\n"
	      "'carecast COMMAND --help' describes a command's options.\n"
	      "\n"
	      "Exit status: 0 success, 1 data or runtime error (bad input file, cannot\n"
	      "write outputs), 2 usage error (bad command line), 130 interrupted.\n"
	      "Documentation: docs/cli.md, docs/formats.md, docs/model.md.\n",
	      out);
}

static void version(void)
{
	printf("carecast %s\nGSL %s\ncJSON %s\n", cc_version(), cc_version_gsl(),
	       cc_version_cjson());
}

/* SIGINT or SIGTERM: remove the temporary files of outputs being written,
 * stop any gnuplot, and leave at once (only async-signal-safe calls).
 * Commands that can stop cleanly on their own (run, backtest) install their
 * own (cli_catch_interrupts) instead. */
static void on_interrupt(int sig)
{
	(void)sig;
	cc_cleanup_now();
	static const char msg[] = "carecast: interrupted; nothing written\n";
	(void)!write(STDERR_FILENO, msg, sizeof msg - 1);
	_exit(EXIT_INTERRUPTED);
}

int main(int argc, char **argv)
{
	/* GSL's default handler aborts; carecast checks every status instead. */
	gsl_set_error_handler_off();
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	int rc;
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return cli_close_stdout();
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		version();
		return cli_close_stdout();
	}
	if (strcmp(cmd, "run") == 0)
		rc = cmd_run(argc - 1, argv + 1);
	else if (strcmp(cmd, "validate") == 0)
		rc = cmd_validate(argc - 1, argv + 1);
	else if (strcmp(cmd, "plot") == 0)
		rc = cmd_plot(argc - 1, argv + 1);
	else if (strcmp(cmd, "report") == 0)
		rc = cmd_report(argc - 1, argv + 1);
	else if (strcmp(cmd, "solve") == 0)
		rc = cmd_solve(argc - 1, argv + 1);
	else if (strcmp(cmd, "fit") == 0 && argc > 2 && strcmp(argv[2], "dfe") == 0)
		rc = cmd_fit_dfe(argc - 2, argv + 2);
	else if (strcmp(cmd, "backtest") == 0 && argc > 2 && strcmp(argv[2], "dfe") == 0)
		rc = cmd_backtest_dfe(argc - 2, argv + 2);
	else if (strcmp(cmd, "fit") == 0)
		rc = cmd_fit(argc - 1, argv + 1);
	else if (strcmp(cmd, "backtest") == 0)
		rc = cmd_backtest(argc - 1, argv + 1);
	else if (strcmp(cmd, "simulate") == 0)
		rc = cmd_simulate(argc - 1, argv + 1);
	else
		return cli_usage_error(NULL, "unknown command '%s'", cmd);
	int rc2 = cli_close_stdout();
	return rc != EXIT_OK ? rc : rc2;
}
