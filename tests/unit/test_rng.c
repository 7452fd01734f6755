/*
 * test_rng.c - keyed Philox streams: determinism, independence of keys and
 * counters, uniformity, and the gsl_rng wrapper.
 */
#include "carecast/rng.h"
#include "cc_test.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

static void test_cc_rng_block_is_a_pure_function(void **state)
{
	(void)state;
	cc_rng_key k = cc_rng_key_make(7, 3);
	philox4x32_ctr_t a = cc_rng_block(k, CC_RNG_CHILD_MONTH, 12, 5, 0);
	philox4x32_ctr_t b = cc_rng_block(k, CC_RNG_CHILD_MONTH, 12, 5, 0);
	assert_memory_equal(a.v, b.v, sizeof a.v);
	/* Changing any coordinate changes every word (with overwhelming
	 * probability; these fixed inputs are checked). */
	philox4x32_ctr_t c[] = {
		cc_rng_block(cc_rng_key_make(8, 3), CC_RNG_CHILD_MONTH, 12, 5, 0),
		cc_rng_block(cc_rng_key_make(7, 4), CC_RNG_CHILD_MONTH, 12, 5, 0),
		cc_rng_block(k, CC_RNG_ENTRY_CHILD, 12, 5, 0),
		cc_rng_block(k, CC_RNG_CHILD_MONTH, 13, 5, 0),
		cc_rng_block(k, CC_RNG_CHILD_MONTH, 12, 6, 0),
		cc_rng_block(k, CC_RNG_CHILD_MONTH, 12, 5, 1),
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		for (size_t w = 0; w < 4; w++)
			assert_true(c[i].v[w] != a.v[w]);
}

static void test_cc_rng_block_uniform_chi_square(void **state)
{
	(void)state;
	/* 64 bins of the top 6 bits over 2^18 words: chi-square with 63
	 * degrees of freedom; reject beyond its 99.99% point. */
	size_t bins[64] = { 0 };
	const size_t blocks = 1u << 16;
	cc_rng_key k = cc_rng_key_make(1, 0);
	for (uint32_t i = 0; i < blocks; i++) {
		philox4x32_ctr_t r = cc_rng_block(k, CC_RNG_CHILD_MONTH, i & 0xFF, i >> 8, 0);
		for (size_t w = 0; w < 4; w++)
			bins[r.v[w] >> 26]++;
	}
	double n = 4.0 * (double)blocks, e = n / 64, chi2 = 0;
	for (size_t i = 0; i < 64; i++)
		chi2 += ((double)bins[i] - e) * ((double)bins[i] - e) / e;
	assert_true(chi2 < gsl_cdf_chisq_Pinv(0.9999, 63));
	assert_true(chi2 > gsl_cdf_chisq_Pinv(0.0001, 63));
}

static void test_cc_rng_u01_open_interval(void **state)
{
	(void)state;
	assert_true(cc_rng_u01(0) > 0);
	assert_true(cc_rng_u01(UINT32_MAX) < 1);
	assert_near(cc_rng_u01(1u << 31), 0.5, 1e-9);
}

static void test_cc_rng_stream_reset_replays(void **state)
{
	(void)state;
	gsl_rng *r = cc_rng_stream_alloc();
	assert_non_null(r);
	cc_rng_key k = cc_rng_key_make(42, 9);
	double first[20], other[20];
	cc_rng_stream_reset(r, k, CC_RNG_PARAMS, 0, 3, 0);
	for (size_t i = 0; i < 20; i++)
		first[i] = gsl_rng_uniform(r);
	cc_rng_stream_reset(r, k, CC_RNG_PARAMS, 0, 4, 0);
	for (size_t i = 0; i < 20; i++)
		other[i] = gsl_rng_uniform(r);
	cc_rng_stream_reset(r, k, CC_RNG_PARAMS, 0, 3, 0);
	size_t same_other = 0;
	for (size_t i = 0; i < 20; i++) {
		assert_true(gsl_rng_uniform(r) == first[i]);
		same_other += first[i] == other[i];
	}
	assert_int_equal(same_other, 0);
	gsl_rng_free(r);
}

static void test_cc_rng_stream_poisson_mean(void **state)
{
	(void)state;
	/* GSL's Poisson sampler on the stream: mean of 20000 draws of
	 * Poisson(7.5) within 4 standard errors. */
	gsl_rng *r = cc_rng_stream_alloc();
	cc_rng_key k = cc_rng_key_make(5, 0);
	double sum = 0;
	const size_t n = 20000;
	for (uint32_t i = 0; i < n; i++) {
		cc_rng_stream_reset(r, k, CC_RNG_ENTRY_COUNT, i, 0, 0);
		sum += gsl_ran_poisson(r, 7.5);
	}
	assert_near(sum / (double)n, 7.5, 4 * sqrt(7.5 / (double)n));
	gsl_rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_rng_block_is_a_pure_function),
		cmocka_unit_test(test_cc_rng_block_uniform_chi_square),
		cmocka_unit_test(test_cc_rng_u01_open_interval),
		cmocka_unit_test(test_cc_rng_stream_reset_replays),
		cmocka_unit_test(test_cc_rng_stream_poisson_mean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
