/*
 * periods.c - one child's episodes as modelled periods of care and spells.
 *
 * The reader (ssda903.h) has already stitched the years, sorted the episodes
 * and flagged the first episode of each period of care (PERIOD_START: a
 * period is a run of episodes each starting the day the previous one ended).
 * Here each period becomes what the model sees: a start date, an end (exit
 * date and reason group, or open), and spells, each a stretch of time in one
 * need category with one provider. The rules (docs/fit.md, "Periods"):
 *
 *   - Short breaks (LS V3, V4) are left out, as DfE does: a period made only
 *     of short breaks is not modelled; leading short breaks are dropped (the
 *     period starts at the first other episode); a short break later in the
 *     period keeps the child's category (a bridged spell, flagged `respite`
 *     so the stock counts leave it out as DfE's "looked after at 31 March"
 *     does).
 *   - A temporary placement (T0-T4) is not a move: the child keeps its
 *     category and provider. A period that starts with one takes the
 *     category of its first other placement (the temporary stay is the start
 *     of that placement); a period with no other placement is in the map's
 *     default category.
 *   - A change of legal status, carer or provider within a category is not a
 *     move; only a change of category is.
 *   - An episode that lasts no time (DEC = DECOM) gives way to the next one;
 *     a period that lasts no time is left out (counted in the report).
 *   - A new placement starts (for months in placement and the placements in
 *     the last 12 months) at the first episode, and at every later episode
 *     that changes placement (RNE P, T, B, U; for other RNE codes, a change
 *     of PLACE or provider) unless it returns from a temporary placement to
 *     the same PLACE and provider (DfE rule 383).
 *   - An open period whose episode vanished from later returns (LOST) is
 *     censored at the end of the last return holding it.
 *
 * Linear in the child's episodes; the buffers in fit_child are reused from
 * child to child, so a national return makes no allocation per child.
 */
#include "fit_int.h"

#include <stdlib.h>

static int is_respite(const cc_ssda903_episode *e)
{
	return e->ls == CC_LS_V3 || e->ls == CC_LS_V4;
}
static int is_temp(const cc_ssda903_episode *e)
{
	return e->place >= CC_PLACE_T0 && e->place <= CC_PLACE_T4;
}

static int provider_of(unsigned code)
{
	switch (code) {
	case CC_PROV_PR0:
	case CC_PROV_PR1:
	case CC_PROV_PR2:
	case CC_PROV_PR3: return CC_IN_HOUSE;
	case CC_PROV_PR4:
	case CC_PROV_PR5: return CC_EXTERNAL;
	default: return -1;
	}
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return CC_OK;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * size);
	if (!q)
		return CC_ENOMEM;
	*p = q;
	*cap = c;
	return CC_OK;
}

/* Appends a spell to the current period (whose first spell is spell0),
 * merging it with the last when nothing the model sees changes, and letting
 * it replace a last spell that lasted no time. */
static int push_spell(fit_child *w, size_t spell0, fit_spell s)
{
	if (w->nspells > spell0) {
		fit_spell *last = &w->spells[w->nspells - 1];
		if (last->start == s.start) {
			/* The last spell lasted no time: this one replaces it. */
			s.placement |= last->placement;
			*last = s;
			if (w->nspells - spell0 >= 2) {
				fit_spell *prev = &w->spells[w->nspells - 2];
				if (prev->cat == last->cat && prev->prov == last->prov &&
				    prev->respite == last->respite && !last->placement)
					w->nspells--;
			}
			return CC_OK;
		}
		if (last->cat == s.cat && last->prov == s.prov && last->respite == s.respite &&
		    !s.placement)
			return CC_OK;
	}
	if (grow((void **)&w->spells, &w->cap_spells, w->nspells + 1, sizeof *w->spells) != CC_OK)
		return CC_ENOMEM;
	w->spells[w->nspells++] = s;
	return CC_OK;
}

/* Episodes [i, j) of the dataset are one period of care. */
static int walk_period(const cc_ssda903 *ds, size_t i, size_t j, const cc_fit_map *map,
                       fit_child *w)
{
	const cc_ssda903_episode *ep = cc_ssda903_episode_at(ds, 0);
	size_t s = i;
	while (s < j && is_respite(&ep[s]))
		s++;
	if (s == j) {
		w->respite_periods++;
		return CC_OK;
	}
	/* The first placement that says what the child needs. */
	size_t f = s;
	while (f < j && (is_respite(&ep[f]) || is_temp(&ep[f])))
		f++;
	int cat, prov;
	if (f < j) {
		cat = cc_fit_map_place(map, ep[f].place);
		prov = provider_of(ep[f].provider);
		if (is_temp(&ep[s]))
			w->temporary_starts++;
	} else {
		cat = (int)map->default_cat;
		prov = provider_of(ep[s].provider);
		w->temporary_only++;
	}
	if (prov < 0) {
		prov = CC_IN_HOUSE;
		w->provider_unknown++;
	}
	if (grow((void **)&w->periods, &w->cap_periods, w->nperiods + 1, sizeof *w->periods) !=
	    CC_OK)
		return CC_ENOMEM;
	fit_period *p = &w->periods[w->nperiods];
	*p = (fit_period){
		.start = ep[s].decom,
		.end = FIT_OPEN,
		.censor = FIT_OPEN,
		.spell0 = (uint32_t)w->nspells,
	};
	p->left_truncated = s == i && (ep[i].flags & CC_SSDA903_EP_BEFORE) && ep[i].rne != CC_RNE_S;
	size_t spell0 = w->nspells;
	if (push_spell(w, spell0, (fit_spell){ ep[s].decom, (uint8_t)cat, (uint8_t)prov, 0, 1 }) !=
	    CC_OK)
		return CC_ENOMEM;
	/* The last placement that was not temporary, to recognise a return
	 * from a temporary placement. */
	unsigned last_place = f < j ? ep[f].place : ep[s].place;
	unsigned last_prov = f < j ? ep[f].provider : ep[s].provider;
	int after_temp = 0;
	for (size_t e = s; e < j; e++) {
		const cc_ssda903_episode *x = &ep[e];
		if (is_temp(x))
			w->temporary_episodes++;
		if (e == s)
			continue;
		if (is_respite(x)) {
			w->respite_bridged++;
			after_temp = 1;
			if (push_spell(w, spell0,
			               (fit_spell){ x->decom, (uint8_t)cat, (uint8_t)prov, 1,
			                            0 }) != CC_OK)
				return CC_ENOMEM;
			continue;
		}
		if (is_temp(x) || e < f) {
			/* Temporary: nothing the model sees changes. e < f cannot be
			 * other than temporary or respite. */
			after_temp = 1;
			if (push_spell(w, spell0,
			               (fit_spell){ x->decom, (uint8_t)cat, (uint8_t)prov, 0,
			                            0 }) != CC_OK)
				return CC_ENOMEM;
			continue;
		}
		int placement;
		if (e == f) {
			/* The first real placement after a temporary start: the
			 * period's placement began with the temporary stay. */
			placement = 0;
		} else if (after_temp && x->place == last_place && x->provider == last_prov) {
			placement = 0;
		} else if (x->rne == CC_RNE_P || x->rne == CC_RNE_T || x->rne == CC_RNE_B ||
		           x->rne == CC_RNE_U) {
			placement = 1;
		} else if (x->rne == CC_RNE_L) {
			placement = 0;
		} else {
			placement = x->place != last_place || x->provider != last_prov;
		}
		int c = cc_fit_map_place(map, x->place);
		int pv = provider_of(x->provider);
		if (pv < 0) {
			/* Keep the provider within a category; else in-house. */
			pv = c == cat ? prov : CC_IN_HOUSE;
			w->provider_unknown++;
		}
		cat = c;
		prov = pv;
		last_place = x->place;
		last_prov = x->provider;
		after_temp = 0;
		if (push_spell(w, spell0,
		               (fit_spell){ x->decom, (uint8_t)cat, (uint8_t)prov, 0,
		                            (uint8_t)placement }) != CC_OK)
			return CC_ENOMEM;
	}
	p = &w->periods[w->nperiods];
	p->nspells = (uint32_t)(w->nspells - spell0);
	const cc_ssda903_episode *last = &ep[j - 1];
	if (last->dec == p->start) {
		/* In care for no time at all: neither an entry nor an exit. */
		w->nspells = spell0;
		w->zero_length++;
		return CC_OK;
	}
	if (last->dec == CC_SSDA903_OPEN) {
		if (last->flags & CC_SSDA903_EP_LOST)
			p->censor = last->last_seen + 1;
	} else {
		int unknown;
		p->end = last->dec;
		p->reason = (uint8_t)cc_fit_reason_of(last->rec, &unknown);
		p->reason_unknown = (uint8_t)unknown;
		p->e17 = last->rec == CC_REC_E17;
	}
	w->nperiods++;
	return CC_OK;
}

int fit_child_periods(const cc_ssda903 *ds, size_t child, const cc_fit_map *map, fit_child *w)
{
	w->nperiods = 0;
	w->nspells = 0;
	const cc_ssda903_child *c = cc_ssda903_child_at(ds, child);
	const cc_ssda903_episode *ep = cc_ssda903_episode_at(ds, 0);
	size_t i = c->first_episode, end = c->first_episode + c->nepisodes;
	while (i < end) {
		size_t j = i + 1;
		while (j < end && !(ep[j].flags & CC_SSDA903_EP_PERIOD_START))
			j++;
		if (walk_period(ds, i, j, map, w) != CC_OK)
			return CC_ENOMEM;
		i = j;
	}
	return CC_OK;
}

void fit_child_free(fit_child *w)
{
	free(w->periods);
	free(w->spells);
	w->periods = NULL;
	w->spells = NULL;
	w->nperiods = w->cap_periods = w->nspells = w->cap_spells = 0;
}
