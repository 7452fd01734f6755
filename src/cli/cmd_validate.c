/*
 * cmd_validate.c - `carecast validate FILE...`: check model files.
 */
#include "carecast/model.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

static void usage(FILE *out)
{
	fputs("Usage: carecast validate FILE...\n"
	      "Check model files and report every problem found, each as\n"
	      "file:line:column: what was expected and what was found.\n"
	      "\n"
	      "  -h, --help   show this help\n"
	      "\n"
	      "Prints one line per valid file to standard output. Exit status: 0 when\n"
	      "every file is valid, 1 when any has a problem, 2 for a usage error.\n",
	      out);
}

int cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, NULL, 'h' },
		                              { NULL, 0, NULL, 0 } };
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return EXIT_OK;
		default:
			return cli_usage_error("validate", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("validate", "expected a model file to check");
	int status = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		cc_diags *d = cc_diags_alloc(0);
		if (!d) {
			cli_error("out of memory");
			return EXIT_DATA;
		}
		cc_model *m = NULL;
		int rc = cc_model_load(argv[i], &m, d);
		cli_print_diags(d);
		if (rc == CC_OK) {
			char date[CC_DATE_STRLEN];
			cc_date_format(m->base_date, date);
			printf(
			    "%s: valid model: %zu age bands, %zu categories, %zu exit reasons, %zu "
			    "rates, %zu children at %s\n",
			    argv[i], m->n_age_bands, m->n_categories, m->n_reasons, m->n_params,
			    m->start_total, date);
		} else {
			size_t e = cc_diags_errors(d);
			if (rc == CC_ENOMEM)
				cli_error("%s: out of memory", argv[i]);
			else
				cli_error("%s: %zu problem%s found", argv[i], e, e == 1 ? "" : "s");
			status = EXIT_DATA;
		}
		cc_model_free(m);
		cc_diags_free(d);
	}
	return status;
}
