/*
 * bench_sim.c - measures the engine on one model: one run per process, so
 * the peak resident memory reported is that run's.
 *
 *   bench_sim MODEL expected [REPEATS]
 *   bench_sim MODEL sim YEARS REPS THREADS
 *   bench_sim MODEL sim-nocap YEARS REPS THREADS   (capacity and costs removed)
 *
 * Prints one line of key=value pairs on stdout.
 */
#include "carecast/model.h"
#include "carecast/sim.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double peak_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	if (argc < 3) {
		fprintf(
		    stderr,
		    "usage: bench_sim MODEL expected [REPEATS] | MODEL sim YEARS REPS THREADS\n");
		return 2;
	}
	cc_diags *d = cc_diags_alloc(0);
	cc_model *m = NULL;
	if (cc_model_load(argv[1], &m, d) != CC_OK) {
		fprintf(stderr, "bench_sim: cannot load %s\n", argv[1]);
		return 1;
	}
	cc_diags_free(d);
	if (strcmp(argv[2], "expected") == 0) {
		int repeats = argc > 3 ? atoi(argv[3]) : 5;
		double best = 1e300;
		for (int i = 0; i < repeats; i++) {
			cc_results *r = NULL;
			double t0 = now();
			if (cc_expected_run(m, 120, &r) != CC_OK)
				return 1;
			double t = now() - t0;
			if (t < best)
				best = t;
			cc_results_free(r);
		}
		printf("mode=expected months=120 best_seconds=%.4f peak_mb=%.1f\n", best,
		       peak_mb());
	} else if ((strcmp(argv[2], "sim") == 0 || strcmp(argv[2], "sim-nocap") == 0) &&
	           argc == 6) {
		if (strcmp(argv[2], "sim-nocap") == 0) {
			m->n_pools = 0;
			m->has_costs = 0;
			for (size_t c = 0; c < CC_MAX_LIST; c++)
				m->pool_of[c] = -1;
		}
		cc_sim_options o;
		cc_sim_options_default(&o);
		o.months = (size_t)atoi(argv[3]) * 12;
		o.replications = (size_t)atol(argv[4]);
		o.threads = (unsigned)atoi(argv[5]);
		o.seed = 1;
		cc_results *r = NULL;
		double t0 = now();
		int rc = cc_sim_run(m, &o, &r);
		double t = now() - t0;
		if (rc != CC_OK) {
			fprintf(stderr, "bench_sim: %s\n", cc_strerror(rc));
			return 1;
		}
		double cm = (double)cc_results_child_months(r);
		printf("mode=%s pools=%zu costs=%d threads=%u reps=%zu months=%zu "
		       "children_at_start=%zu "
		       "child_months=%.4g seconds=%.2f million_child_months_per_s=%.1f "
		       "per_core=%.1f peak_mb=%.1f\n",
		       argv[2], m->n_pools, m->has_costs, o.threads, o.replications, o.months,
		       m->start_total, cm, t, cm / t / 1e6, cm / t / 1e6 / o.threads, peak_mb());
		cc_results_free(r);
	} else {
		fprintf(stderr, "bench_sim: bad arguments\n");
		return 2;
	}
	cc_model_free(m);
	return 0;
}
