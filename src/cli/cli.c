/*
 * cli.c - messages, number parsing and stdout handling for the front end.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_print_diags(const cc_diags *d)
{
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		char *s = cc_diag_format(cc_diags_get(d, i));
		fprintf(stderr, "carecast: %s\n", s ? s : "(out of memory formatting a message)");
		free(s);
	}
	if (cc_diags_dropped(d) > 0)
		fprintf(stderr, "carecast: ... and %zu more problems not shown\n",
		        cc_diags_dropped(d));
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("carecast: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("carecast: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "Try 'carecast %s --help'.\n", cmd);
	else
		fputs("Try 'carecast --help'.\n", stderr);
	return EXIT_USAGE;
}

int cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno == ERANGE || *end != '\0' || v < min || v > max)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int cli_close_stdout(void)
{
	int bad = ferror(stdout);
	if (fclose(stdout) != 0 || bad) {
		fprintf(stderr, "carecast: error writing to standard output: %s\n",
		        bad ? "write failed" : strerror(errno));
		return EXIT_DATA;
	}
	return EXIT_OK;
}

volatile sig_atomic_t cli_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	cli_interrupted = 1;
}

void cli_catch_interrupts(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
