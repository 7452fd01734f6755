/*
 * gnuplot.c - running gnuplot as a separate program, safely.
 *
 * No shell is involved: the program is started with fork and execvp on an
 * argument vector, so no file name or text can be read as a command. Its
 * standard input is /dev/null; standard output and error go to one pipe we
 * read with poll() against a deadline, so a gnuplot that hangs (or waits for
 * input it will never get) is killed rather than hanging carecast. A second,
 * close-on-exec pipe carries errno from the child when exec itself fails, so
 * "not installed" is told apart from "ran and failed".
 */
#include "carecast/fileio.h"
#include "chart_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GP_OUTPUT_MAX ((size_t)64 * 1024)

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int make_pipe(int fd[2])
{
	if (pipe(fd) != 0)
		return -1;
	for (int i = 0; i < 2; i++)
		if (fcntl(fd[i], F_SETFD, FD_CLOEXEC) != 0) {
			close(fd[0]);
			close(fd[1]);
			return -1;
		}
	return 0;
}

/* In the child: only async-signal-safe calls until exec. */
static void child(char *const argv[], int out_fd, int err_fd)
{
	int in = open("/dev/null", O_RDONLY);
	if (in < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
	    dup2(out_fd, STDERR_FILENO) < 0) {
		int e = errno;
		(void)!write(err_fd, &e, sizeof e);
		_exit(127);
	}
	/* Default signal handling in the program we start. */
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	int e = errno;
	(void)!write(err_fd, &e, sizeof e);
	_exit(127);
}

/* Waits for pid until the deadline; kills it when the deadline passes.
 * Returns 1 when it exited (status in *st), 0 when it had to be killed. */
static int reap(pid_t pid, double deadline, int *st)
{
	for (;;) {
		pid_t r = waitpid(pid, st, WNOHANG);
		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR) {
			*st = 0;
			return 1;
		}
		if (now_ms() >= deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, st, 0) < 0 && errno == EINTR)
				;
			return 0;
		}
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

int gp_run(char *const argv[], unsigned timeout_ms, char **output, int *exit_status,
           cc_diags *diags)
{
	*output = NULL;
	*exit_status = -1;
	int out[2], err[2];
	if (make_pipe(out) != 0) {
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0, "cannot run %s: %s", argv[0],
		             strerror(errno));
		return CC_EIO;
	}
	if (make_pipe(err) != 0) {
		close(out[0]);
		close(out[1]);
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0, "cannot run %s: %s", argv[0],
		             strerror(errno));
		return CC_EIO;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0, "cannot run %s: %s", argv[0],
		             strerror(e));
		return CC_EIO;
	}
	if (pid == 0)
		child(argv, out[1], err[1]);
	/* Killed with carecast if carecast is interrupted (cc_cleanup_now). */
	int cslot = cc_child_register((long)pid);
	close(out[1]);
	close(err[1]);

	/* exec failed? The pipe closes on a successful exec, giving EOF. */
	int exec_errno = 0;
	ssize_t r;
	do
		r = read(err[0], &exec_errno, sizeof exec_errno);
	while (r < 0 && errno == EINTR);
	close(err[0]);
	if (r == (ssize_t)sizeof exec_errno) {
		close(out[0]);
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		cc_child_unregister(cslot);
		if (exec_errno == ENOENT)
			cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
			             "gnuplot is needed to draw charts but '%s' was not found; "
			             "install it (Debian: apt-get install gnuplot-nox) or give "
			             "its path with --gnuplot",
			             argv[0]);
		else
			cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
			             "cannot run gnuplot '%s': %s", argv[0], strerror(exec_errno));
		return CC_EIO;
	}

	double deadline = now_ms() + (double)timeout_ms;
	sbuf text;
	sb_init(&text);
	int timed_out = 0;
	for (;;) {
		double left = deadline - now_ms();
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		struct pollfd p = { .fd = out[0], .events = POLLIN };
		int pr = poll(&p, 1, (int)(left < 100 ? left + 1 : 100));
		if (pr < 0 && errno != EINTR)
			break;
		if (pr <= 0)
			continue;
		char buf[4096];
		do
			r = read(out[0], buf, sizeof buf);
		while (r < 0 && errno == EINTR);
		if (r <= 0)
			break;
		if (text.len < GP_OUTPUT_MAX)
			sb_addn(&text, buf, (size_t)r);
	}
	close(out[0]);
	int st = 0, killed = 0;
	if (timed_out) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		killed = 1;
	} else if (!reap(pid, deadline, &st)) {
		killed = 1;
	}
	cc_child_unregister(cslot);
	*output = sb_take(&text);
	if (killed) {
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "gnuplot ('%s') did not finish within %g s and was stopped", argv[0],
		             (double)timeout_ms / 1000.0);
		return CC_EIO;
	}
	if (WIFSIGNALED(st)) {
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "gnuplot ('%s') was killed by signal %d", argv[0], WTERMSIG(st));
		return CC_EIO;
	}
	*exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (*exit_status != 0)
		return CC_EIO; /* the caller reports, with what gnuplot said */
	return CC_OK;
}

void gp_excerpt(const char *output, char *buf, size_t size)
{
	/* The first lines, joined; gnuplot's messages are short. */
	size_t k = 0, lines = 0;
	const char *o = output ? output : "";
	while (*o == '\n' || *o == ' ')
		o++;
	for (; *o && k + 1 < size && lines < 6; o++) {
		if (*o == '\n') {
			lines++;
			while (o[1] == '\n' || o[1] == ' ')
				o++;
			if (!o[1])
				break;
			buf[k++] = ' ';
			continue;
		}
		buf[k++] = *o == '\t' ? ' ' : *o;
	}
	buf[k] = '\0';
}
