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

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#endif
