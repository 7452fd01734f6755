/*
 * cc_test.h - what every carecast unit test includes.
 *
 * cmocka needs <stdarg.h>, <stddef.h>, <stdint.h> and <setjmp.h> first.
 * assert_float_equal compares in single precision, so doubles go through
 * assert_near, which prints both values and the tolerance.
 */
#ifndef CARECAST_CC_TEST_H
#define CARECAST_CC_TEST_H

/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define assert_near(actual, expected, tol)                                                       \
	do {                                                                                     \
		double a_ = (actual), e_ = (expected), t_ = (tol);                               \
		if (!(fabs(a_ - e_) <= t_))                                                      \
			fail_msg("%s = %.10g, expected %.10g within %.3g", #actual, a_, e_, t_); \
	} while (0)

/* 1 when the tests run under a sanitizer or valgrind and should use fewer
 * replications (tolerances follow the standard errors, so they stay honest). */
static inline int cc_test_small(void)
{
	const char *s = getenv("CC_TEST_SCALE");
	return s && strcmp(s, "small") == 0;
}

#ifdef CARECAST_MODEL_H
/* A model from JSON text or a file; fails the test (printing every
 * diagnostic) if it does not load. */
static inline cc_model *cc_test_model_text(const char *json)
{
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = NULL;
	int rc = cc_model_parse("test-model", json, strlen(json), &m, d);
	for (size_t i = 0; rc != CC_OK && i < cc_diags_count(d); i++) {
		char *s = cc_diag_format(cc_diags_get(d, i));
		fprintf(stderr, "%s\n", s);
		free(s);
	}
	cc_diags_free(d);
	assert_int_equal(rc, CC_OK);
	return m;
}

static inline cc_model *cc_test_model_file(const char *path)
{
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = NULL;
	int rc = cc_model_load(path, &m, d);
	cc_diags_free(d);
	assert_int_equal(rc, CC_OK);
	return m;
}
#endif

#ifdef CARECAST_RESULTS_H
/* Sample mean and variance of one point over the replications. */
static inline void cc_test_moments(const cc_results *r, size_t point, double *mean, double *var)
{
	size_t n = cc_results_replications(r);
	double s = 0, ss = 0;
	for (size_t i = 0; i < n; i++)
		s += cc_results_value(r, point, i);
	double mu = s / (double)n;
	for (size_t i = 0; i < n; i++) {
		double d = cc_results_value(r, point, i) - mu;
		ss += d * d;
	}
	*mean = mu;
	*var = n > 1 ? ss / (double)(n - 1) : 0;
}
#endif

/* Processor time of this process, in seconds: what a linear-time guard
 * measures (a busy machine adds wall time, not this). */
static inline double cc_test_cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Removes a file or a directory tree (test scratch space). */
static inline void cc_test_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *dp = opendir(path);
		struct dirent *e;
		while (dp && (e = readdir(dp)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			size_t len = strlen(path) + strlen(e->d_name) + 2;
			char *sub = malloc(len);
			if (!sub)
				continue;
			snprintf(sub, len, "%s/%s", path, e->d_name);
			cc_test_remove_tree(sub);
			free(sub);
		}
		if (dp)
			closedir(dp);
		rmdir(path);
	} else {
		unlink(path);
	}
}

#endif
