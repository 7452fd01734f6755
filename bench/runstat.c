/*
 * runstat.c - runs a command and reports its wall time and peak memory, so
 * that bench/bench_fit.sh needs neither GNU time nor /proc.
 *
 *   runstat OUT CMD [ARG...]
 *
 * Runs CMD (found on PATH; stdin, stdout and stderr inherited), waits for it
 * and writes one line "seconds=S peak_kb=K" to the file OUT: the wall time
 * from start to exit, and the largest resident set of CMD (getrusage of the
 * waited-for child, in kilobytes on Linux). Exits with CMD's status, 127 if
 * it could not be started, 2 on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: runstat OUT CMD [ARG...]\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "runstat: cannot fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "runstat: cannot run %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "runstat: waitpid: %s\n", strerror(errno));
			return 127;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct rusage ru;
	if (getrusage(RUSAGE_CHILDREN, &ru) != 0) {
		fprintf(stderr, "runstat: getrusage: %s\n", strerror(errno));
		return 127;
	}
	double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	FILE *out = fopen(argv[1], "w");
	if (!out || fprintf(out, "seconds=%.3f peak_kb=%ld\n", seconds, (long)ru.ru_maxrss) < 0 ||
	    fclose(out) != 0) {
		fprintf(stderr, "runstat: cannot write %s\n", argv[1]);
		return 127;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
