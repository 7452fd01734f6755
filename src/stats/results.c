/*
 * results.c - per-replication records and their statistics.
 *
 * Values are stored point-major ([point][replication]) so that the statistics
 * of one point read a contiguous run. Means are summed in replication order,
 * never in completion order, so they do not depend on thread scheduling.
 */
#include "carecast/results.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct cc_results {
	cc_layout layout;
	size_t reps;
	double *values;  /* [n_points * reps] */
	double *scratch; /* [reps] */
	int expected;
	_Atomic uint64_t child_months;
};

int cc_layout_init(cc_layout *l, const cc_model *m, size_t months, size_t n_programmes)
{
	memset(l, 0, sizeof *l);
	if (months == 0)
		return CC_EINVAL;
	l->months = months;
	l->dates = malloc((months + 1) * sizeof *l->dates);
	l->fy_of_month = malloc((months + 1) * sizeof *l->fy_of_month);
	l->fy = malloc((months / 12 + 2) * sizeof *l->fy);
	if (!l->dates || !l->fy_of_month || !l->fy) {
		cc_layout_free(l);
		return CC_ENOMEM;
	}
	for (size_t t = 0; t <= months; t++) {
		l->dates[t] = cc_date_month_end_add(m->base_date, (int)t);
		l->fy_of_month[t] = SIZE_MAX;
	}
	/* A financial year is reported when its 31 March falls within the
	 * horizon; the first may be partial when the base date is not 31 March. */
	size_t first = 1;
	for (size_t t = 1; t <= months; t++) {
		int y, mo, d;
		cc_date_to_ymd(l->dates[t], &y, &mo, &d);
		if (mo != 3)
			continue;
		cc_fy *f = &l->fy[l->n_fy];
		f->start_year = y - 1;
		f->first_month = first;
		f->last_month = t;
		for (size_t k = first; k <= t; k++)
			l->fy_of_month[k] = l->n_fy;
		l->n_fy++;
		first = t + 1;
	}
	l->n_categories = m->n_categories;
	l->n_age_bands = m->n_age_bands;
	l->n_exit_outcomes = m->n_reasons + 1;

	size_t T = months, F = l->n_fy, off = 0;
	l->cla_total = off;
	off += T;
	l->by_category = off;
	off += T * m->n_categories;
	l->by_age_band = off;
	off += T * m->n_age_bands;
	l->by_provider = off;
	off += T * CC_NPROVIDERS;
	l->fy_cla_start = off;
	off += F;
	l->fy_cla_31_march = off;
	off += F;
	l->fy_entries = off;
	off += F;
	l->fy_exits = off;
	off += F;
	l->fy_exits_by_reason = off;
	off += F * l->n_exit_outcomes;
	l->fy_moves = off;
	off += F;

	size_t P = m->n_pools, K = m->n_categories;
	l->n_pools = P;
	if (P > 0) {
		l->pool_places = off;
		off += T * P;
		l->pool_occupied = off;
		off += T * P;
		l->pool_free = off;
		off += T * P;
		l->external_by_category = off;
		off += T * K;
		l->fy_places = off;
		off += F * P;
		l->fy_occupied = off;
		off += F * P;
		l->fy_external = off;
		off += F * K;
		l->fy_gap = off;
		off += F * K;
		l->fy_households = off;
		off += F;
		l->fy_approvals = off;
		off += F;
		l->fy_deregistrations = off;
		off += F;
	}
	l->has_costs = m->has_costs;
	if (m->has_costs) {
		l->fy_spend = off;
		off += F;
		l->fy_spend_by_category = off;
		off += F * K;
		l->fy_spend_by_contract = off;
		off += F * CC_NCONTRACTS;
		l->fy_high_cost = off;
		off += F;
	}
	l->n_programmes = n_programmes;
	l->fy_prog_delivered = off;
	off += F * n_programmes;
	l->fy_prog_shortfall = off;
	off += F * n_programmes;
	l->n_points = off;
	return CC_OK;
}

void cc_layout_free(cc_layout *l)
{
	if (!l)
		return;
	free(l->dates);
	free(l->fy);
	free(l->fy_of_month);
	l->dates = NULL;
	l->fy = NULL;
	l->fy_of_month = NULL;
}

void cc_layout_add_fixed_costs(const cc_layout *l, const cc_model *m, double *rec)
{
	const size_t F = l->n_fy;
	for (size_t f = 0; f < F; f++) {
		cc_date from = l->dates[l->fy[f].first_month - 1] + 1;
		cc_date to = l->dates[l->fy[f].last_month];
		double total = cc_model_fixed_cost(m, -1, from, to);
		rec[l->fy_spend + f] += total;
		rec[l->fy_spend_by_contract + CC_CONTRACT_IN_HOUSE * F + f] += total;
		for (size_t c = 0; c < m->n_categories; c++)
			rec[l->fy_spend_by_category + c * F + f] +=
			    cc_model_fixed_cost(m, (int)c, from, to);
	}
}

cc_results *cc_results_alloc(const cc_model *m, size_t months, size_t replications,
                             size_t n_programmes)
{
	if (replications == 0)
		return NULL;
	cc_results *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if (cc_layout_init(&r->layout, m, months, n_programmes) != CC_OK) {
		free(r);
		return NULL;
	}
	r->reps = replications;
	if (r->layout.n_points > SIZE_MAX / sizeof(double) / replications)
		goto fail;
	r->values = calloc(r->layout.n_points * replications, sizeof *r->values);
	r->scratch = malloc(replications * sizeof *r->scratch);
	if (!r->values || !r->scratch)
		goto fail;
	atomic_init(&r->child_months, 0);
	return r;
fail:
	cc_results_free(r);
	return NULL;
}

void cc_results_free(cc_results *r)
{
	if (!r)
		return;
	cc_layout_free(&r->layout);
	free(r->values);
	free(r->scratch);
	free(r);
}

const cc_layout *cc_results_layout(const cc_results *r) { return &r->layout; }
size_t cc_results_replications(const cc_results *r) { return r->reps; }

void cc_results_store(cc_results *r, size_t rep, const double *record)
{
	for (size_t p = 0; p < r->layout.n_points; p++)
		r->values[p * r->reps + rep] = record[p];
}

double cc_results_value(const cc_results *r, size_t point, size_t rep)
{
	return r->values[point * r->reps + rep];
}

cc_stats cc_results_stats_of(cc_results *r, const double *v)
{
	memcpy(r->scratch, v, r->reps * sizeof *v);
	cc_stats s;
	/* Summed in replication order: deterministic whatever the threads. */
	double sum = 0;
	for (size_t i = 0; i < r->reps; i++)
		sum += v[i];
	s.mean = sum / (double)r->reps;
	gsl_sort(r->scratch, 1, r->reps);
	s.p5 = gsl_stats_quantile_from_sorted_data(r->scratch, 1, r->reps, 0.05);
	s.p25 = gsl_stats_quantile_from_sorted_data(r->scratch, 1, r->reps, 0.25);
	s.p50 = gsl_stats_quantile_from_sorted_data(r->scratch, 1, r->reps, 0.50);
	s.p75 = gsl_stats_quantile_from_sorted_data(r->scratch, 1, r->reps, 0.75);
	s.p95 = gsl_stats_quantile_from_sorted_data(r->scratch, 1, r->reps, 0.95);
	return s;
}

cc_stats cc_results_stats(cc_results *r, size_t point)
{
	return cc_results_stats_of(r, r->values + point * r->reps);
}

int cc_results_is_expected(const cc_results *r) { return r->expected; }
void cc_results_set_expected(cc_results *r, int expected) { r->expected = expected; }

uint64_t cc_results_child_months(const cc_results *r)
{
	return atomic_load(&((cc_results *)r)->child_months);
}

void cc_results_add_child_months(cc_results *r, uint64_t n)
{
	atomic_fetch_add(&r->child_months, n);
}
