/*
 * margins.c - one year's published cells for the areas pooled, with
 * suppressed cells filled in.
 *
 * A suppressed cell (c, k, x, z...) is unknown, never zero. Within each
 * group of cells that has a total (stock by age, by placement, by provider;
 * starts by age; ceases by age, by reason), the total less the known cells
 * is what the suppressed cells hold between them; it is shared among them
 * in proportion to England's cells of the same year (or equally when
 * England's are unknown too). A group's total, when suppressed itself, is
 * taken from another group of the same table and year (the stock's age,
 * placement and provider totals are all the same children; so are the
 * ceases' age and reason totals). A group with neither its total nor all of
 * its cells is unusable for that year. Each area is filled in on its own,
 * then the areas are summed.
 */
#include "dfe_int.h"

#include <math.h>
#include <string.h>

/* The national year record, or NULL. */
static const dfe_year *national_year(const cc_dfe *d, int year)
{
	for (size_t i = 0; i < d->n_areas; i++)
		if (d->areas[i].level == CC_DFE_NATIONAL)
			return dfe_area_year(&d->areas[i], year);
	return NULL;
}

/* The group's total for an area-year, from itself or a sibling group; NaN
 * when unknown. */
static double group_total(const dfe_year *y, int g)
{
	const dfe_group *G = &dfe_groups[g];
	size_t t = G->first + G->n;
	if (y->state[t] == CELL_VALUE)
		return y->v[t];
	static const int sib[NGROUPS][2] = {
		[G_STOCK_AGE] = { G_STOCK_PL, G_STOCK_PR },
		[G_STOCK_PL] = { G_STOCK_AGE, G_STOCK_PR },
		[G_STOCK_PR] = { G_STOCK_AGE, G_STOCK_PL },
		[G_START_AGE] = { -1, -1 },
		[G_CEASE_AGE] = { G_CEASE_RSN, -1 },
		[G_CEASE_RSN] = { G_CEASE_AGE, -1 },
	};
	for (int k = 0; k < 2; k++) {
		int h = sib[g][k];
		if (h < 0)
			continue;
		size_t ht = dfe_groups[h].first + dfe_groups[h].n;
		if (y->state[ht] == CELL_VALUE)
			return y->v[ht];
	}
	/* Every part known: their sum. */
	double s = 0;
	for (size_t i = 0; i < G->n; i++) {
		if (y->state[G->first + i] != CELL_VALUE)
			return NAN;
		s += y->v[G->first + i];
	}
	return s;
}

size_t dfe_pool_year(const cc_dfe *d, const size_t *areas, size_t n, int year, dfe_pooled *out)
{
	memset(out, 0, sizeof *out);
	out->year = year;
	for (int t = 0; t < NTABLES; t++)
		out->present[t] = n > 0;
	for (int g = 0; g < NGROUPS; g++)
		out->usable[g] = n > 0;
	for (size_t s = 0; s < NSLOTS; s++)
		out->known[s] = n > 0;
	const dfe_year *nat = national_year(d, year);
	size_t imputed = 0;
	for (size_t k = 0; k < n; k++) {
		const dfe_year *y = dfe_area_year(&d->areas[areas[k]], year);
		for (int t = 0; t < NTABLES; t++)
			if (!y || !y->present[t])
				out->present[t] = 0;
		for (int g = 0; g < NGROUPS; g++) {
			const dfe_group *G = &dfe_groups[g];
			if (!y || !y->present[G->table]) {
				out->usable[g] = 0;
				for (size_t i = 0; i <= G->n; i++)
					out->known[G->first + i] = 0;
				continue;
			}
			double total = group_total(y, g);
			double known = 0, prior = 0;
			size_t unknown = 0;
			for (size_t i = 0; i < G->n; i++) {
				size_t s = G->first + i;
				if (y->state[s] == CELL_VALUE) {
					known += y->v[s];
				} else {
					unknown++;
					prior += nat && nat->state[s] == CELL_VALUE ? nat->v[s] : 0;
				}
			}
			if (!isfinite(total)) {
				out->usable[g] = 0;
				for (size_t i = 0; i <= G->n; i++)
					out->known[G->first + i] = 0;
				continue;
			}
			double rest = total > known ? total - known : 0;
			for (size_t i = 0; i < G->n; i++) {
				size_t s = G->first + i;
				double v;
				if (y->state[s] == CELL_VALUE) {
					v = y->v[s];
				} else {
					double w = prior > 0 ? (nat && nat->state[s] == CELL_VALUE
					                            ? nat->v[s] / prior
					                            : 0)
					                     : 1.0 / (double)unknown;
					v = rest * w;
					out->known[s] = 0;
					if (y->state[s] == CELL_SUPPRESSED)
						imputed++;
				}
				out->v[s] += v;
			}
			size_t ts = G->first + G->n;
			out->v[ts] += total;
			if (y->state[ts] != CELL_VALUE)
				out->known[ts] = 0;
		}
	}
	return imputed;
}

void dfe_categories_of(const dfe_pooled *p, double cat[NC])
{
	const double *v = &p->v[SL_STOCK_PL];
	double foster = v[PL_FOSTER], homes = v[PL_HOMES];
	double k = dfe_kinship_share_of_foster, s = dfe_secure_share_of_homes;
	cat[C_FOSTERING] = foster * (1 - k);
	cat[C_KINSHIP] = foster * k;
	cat[C_RESIDENTIAL] = homes * (1 - s) + v[PL_OTHER_RES] + v[PL_RES_SCHOOL];
	cat[C_SECURE] = homes * s;
	cat[C_SUPPORTED] = v[PL_SUPPORTED];
	cat[C_WITH_PARENTS] = v[PL_PARENTS];
	cat[C_ADOPTION] = v[PL_ADOPTION];
	cat[C_OTHER] = v[PL_OTHER];
}
