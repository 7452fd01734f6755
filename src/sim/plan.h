/*
 * plan.h - a scenario turned into month-by-month tables for the engines.
 *
 * Both engines (the simulation and the expected-value projection) read a
 * plan rather than the levers: for every month the entry multipliers and
 * additions, the hazard multipliers per cell and outcome, the pools' extra
 * approvals, deregistration multipliers, usable shares and fixed places, the
 * prices and framework shares, and the programmes' cumulative quotas. The
 * baseline is the plan of no levers. Internal to the library.
 */
#ifndef CARECAST_PLAN_H
#define CARECAST_PLAN_H

#include "carecast/model.h"
#include "carecast/results.h"
#include "carecast/scenario.h"

#include <stdint.h>

/* A programme of extra exits or transfers (a lever with a quota). */
typedef struct {
	const cc_lever *lever;
	size_t index;      /* the lever's position in the scenario */
	double *quota_cum; /* [T + 1]: target count through the end of month t */
} cc_programme;

typedef struct {
	size_t months, K, B, P, O, cells; /* cells include the provider: (band, cat, tic, prov) */

	/* Entries in month t for (band b, category c), per year:
	 * rate_b * entry_mult[t][b][c] + entry_add[t][b][c]; entry_mult is the
	 * model's mix times the levers' multipliers. */
	int entries_vary;
	double *entry_mult; /* [(T + 1) * B * K] */
	double *entry_add;  /* [(T + 1) * B * K] */

	/* Hazard multipliers (NULL when no lever changes hazards). */
	double *haz_mult;    /* [(T + 1) * cells * O] */
	uint8_t *haz_change; /* [T + 1]: month t differs from month t - 1 */
	int haz_by_provider; /* some multiplier applies to one provider only */

	/* Pools, per month. */
	double *approvals_add; /* [(T + 1) * P] extra approvals a year */
	double *dereg_mult;    /* [(T + 1) * P] */
	double *usable;        /* [(T + 1) * P] usable share (households and units) */
	unsigned *places;      /* [(T + 1) * P] places of homes and units pools */

	/* Prices, per month: pounds per child-week for (category, contract), and
	 * the framework share of new external placements. */
	double *price_week;      /* [(T + 1) * K * 3] */
	double *framework_share; /* [(T + 1) * K] */

	size_t n_programmes;
	cc_programme *programmes;
} cc_plan;

/* Cell index with provider, matching the engines. */
static inline size_t cc_plan_cell(const cc_model *m, size_t band, size_t cat, size_t tic,
                                  size_t prov)
{
	return ((band * m->n_categories + cat) * m->n_tic_bands + tic) * 2 + prov;
}

/* Builds the plan of scenario s (NULL: the baseline) over the layout's
 * months. CC_OK or CC_ENOMEM. */
int cc_plan_build(cc_plan *p, const cc_model *m, const cc_scenario *s, const cc_layout *l);
void cc_plan_free(cc_plan *p);

#endif
