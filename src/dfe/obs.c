/*
 * obs.c - the published stock at each 31 March, as observations a backtest
 * compares forecasts with.
 *
 * The total is the published "Age group" total (all areas must publish it:
 * a pooled total with an imputed part is not an observation). By category,
 * only the placements DfE publish on their own are observations: supported
 * accommodation, placed with parents, placed for adoption and other
 * placements. Foster placements hold fostering and kinship, and "secure
 * homes and children's homes" hold residential and secure, so those four
 * categories are NaN (unknown) rather than a split the model assumed.
 */
#include "dfe_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cc_dfe_observations(const cc_dfe *d, const size_t *areas, size_t n, const cc_model *m,
                        cc_history_point **out, size_t *n_out, cc_diags *diags)
{
	*out = NULL;
	*n_out = 0;
	for (size_t i = 0; i < n; i++)
		if (areas[i] >= d->n_areas)
			return CC_EINVAL;
	if (dfe_report_problems(d, areas, n, diags) > 0)
		return CC_EPARSE;
	if (d->last_year < d->first_year || n == 0)
		return CC_OK;
	size_t cap = (size_t)(d->last_year - d->first_year + 1);
	cc_history_point *h = calloc(cap, sizeof *h);
	if (!h)
		return CC_ENOMEM;
	static const struct {
		const char *cat;
		int pl;
	} direct[] = { { "supported", PL_SUPPORTED },
		       { "with_parents", PL_PARENTS },
		       { "adoption", PL_ADOPTION },
		       { "other", PL_OTHER } };
	size_t k = 0;
	for (int y = d->first_year; y <= d->last_year; y++) {
		dfe_pooled p;
		dfe_pool_year(d, areas, n, y, &p);
		size_t ts = SL_STOCK_AGE + NB;
		if (!p.present[TB_STOCK] || !p.known[ts] || !isfinite(p.v[ts]))
			continue;
		cc_history_point *pt = &h[k++];
		if (cc_date_from_ymd(y, 3, 31, &pt->date) != CC_OK) {
			k--;
			continue;
		}
		pt->cla_total = p.v[ts];
		for (size_t c = 0; c < CC_MAX_LIST; c++)
			pt->by_category[c] = NAN;
		for (size_t c = 0; m && c < m->n_categories; c++)
			for (size_t j = 0; j < sizeof direct / sizeof direct[0]; j++) {
				size_t s = SL_STOCK_PL + (size_t)direct[j].pl;
				if (strcmp(m->categories[c].name, direct[j].cat) == 0 && p.known[s])
					pt->by_category[c] = p.v[s];
			}
	}
	*out = h;
	*n_out = k;
	return CC_OK;
}
