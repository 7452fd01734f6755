/*
 * inverse.c - Poisson and binomial counts by inverting their CDFs.
 *
 * For small means the walk starts at 0 with P(0); otherwise at the mode,
 * where GSL gives the CDF and the mass, and walks down or up with the
 * ratio of consecutive masses. The walks are bounded (far beyond any
 * reachable quantile), so rounding can never make them run on.
 */
#include "carecast/rng.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

unsigned cc_rng_poisson_inv(double u, double mu)
{
	if (!(mu > 0))
		return 0;
	if (mu < 20) {
		double p = exp(-mu), F = p;
		unsigned k = 0;
		while (u > F && k < 1000) {
			k++;
			p *= mu / k;
			F += p;
		}
		return k;
	}
	unsigned mode = (unsigned)floor(mu);
	double F = gsl_cdf_poisson_P(mode, mu);
	double p = gsl_ran_poisson_pdf(mode, mu);
	unsigned k = mode;
	unsigned limit = (unsigned)(50.0 * sqrt(mu) + 100.0);
	if (u <= F) {
		/* Down: while the CDF below k still reaches u. */
		for (unsigned steps = 0; k > 0 && steps < limit; steps++) {
			double below = F - p;
			if (u > below)
				break;
			F = below;
			p *= k / mu;
			k--;
		}
		return k;
	}
	for (unsigned steps = 0; u > F && steps < limit; steps++) {
		k++;
		p *= mu / k;
		F += p;
	}
	return k;
}

unsigned cc_rng_binomial_inv(double u, unsigned n, double p)
{
	if (n == 0 || !(p > 0))
		return 0;
	if (p >= 1)
		return n;
	unsigned mode = (unsigned)floor((n + 1.0) * p);
	if (mode > n)
		mode = n;
	double F = gsl_cdf_binomial_P(mode, p, n);
	double q = gsl_ran_binomial_pdf(mode, p, n);
	double odds = p / (1.0 - p);
	unsigned k = mode;
	double sd = sqrt(n * p * (1.0 - p));
	unsigned limit = (unsigned)(50.0 * sd + 100.0);
	if (u <= F) {
		for (unsigned steps = 0; k > 0 && steps < limit; steps++) {
			double below = F - q;
			if (u > below)
				break;
			F = below;
			q *= k / ((n - k + 1.0) * odds);
			k--;
		}
		return k;
	}
	for (unsigned steps = 0; u > F && k < n && steps < limit; steps++) {
		q *= (n - k) / (k + 1.0) * odds;
		k++;
		F += q;
	}
	return k;
}
