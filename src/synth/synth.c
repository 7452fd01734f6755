/*
 * synth.c - writing one simulated replication as SSDA903 returns.
 *
 * The engine reports every child event of replication 0 to a recorder
 * (cc_sim_options.on_event); the recorder keeps children (an invented CHILD
 * number, date of birth and sex) and episodes, and at the end writes one
 * Header and one Episodes table per collection year.
 *
 * Dates. Month t runs from the day after the (t-1)th month end to the t-th.
 * The engine puts entries, moves and exits at times within the month (a
 * fraction of it, cc_event.when); the day is the one that time falls on.
 * Displacement happens on the 1st, programme and bring-back moves on the last
 * day. A date of birth is the last day of the month `a` months before the
 * month end at which the child is `a` months old, so that the age in
 * completed months at each month end is the model's and every birthday falls
 * on a month end, where the engine changes age bands and where it ages
 * children out at 18 (the exit is dated on the 18th birthday; other events
 * of that month fall before it). Children born during the month they enter
 * care are born on a day before they enter.
 */
#include "carecast/synth.h"

#include "carecast/fileio.h"
#include "carecast/sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPEN INT32_MAX

/* SSDA903 codes written for each model notion. */
static const char *place_code(const char *category)
{
	static const struct {
		const char *cat, *code;
	} map[] = { { "fostering", "U6" }, { "kinship", "U3" },   { "residential", "K2" },
		    { "secure", "K1" },    { "supported", "K3" }, { "with_parents", "P1" },
		    { "adoption", "A6" },  { "other", "R2" } };
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].cat, category) == 0)
			return map[i].code;
	return "R2"; /* a category outside the defaults: "other" */
}

static const char *rec_code(const cc_model *m, size_t reason)
{
	if (reason >= m->n_reasons)
		return "E17";
	static const struct {
		const char *reason, *code;
	} map[] = { { "adoption", "E11" }, { "sgo", "E46" },        { "cao", "E41" },
		    { "home", "E4A" },     { "independent", "E5" }, { "transfer", "E3" },
		    { "custody", "E9" },   { "other", "E8" } };
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].reason, m->reasons[reason]) == 0)
			return map[i].code;
	return "E8";
}

typedef struct {
	cc_date dob;
	uint8_t sex, ls, cin;
	int32_t open; /* index of the open episode, -1 when none */
	uint32_t number;
} kid;

typedef struct {
	uint32_t kid;
	cc_date decom, dec; /* dec = OPEN while open */
	uint8_t rne, cat, prov;
	const char *rec;
} episode;

typedef struct {
	const cc_model *m;
	cc_date *dates; /* [months + 1] month ends */
	size_t months;
	kid *kids;
	size_t n_kids, cap_kids;
	episode *eps;
	size_t n_eps, cap_eps;
	uint64_t *keys; /* hash: child id + 1, 0 = empty */
	uint32_t *vals;
	size_t hcap;
	int oom;
} recorder;

static const char *const rne_names[] = { "S", "P" };
static const char *const ls_names[] = { "C2", "V2", "C1", "E1" };
static const char *const cin_names[] = { "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8" };

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 1024;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static int hash_put(recorder *R, uint64_t id, uint32_t v)
{
	if (2 * (R->n_kids + 1) > R->hcap) {
		size_t ncap = R->hcap ? 2 * R->hcap : 4096;
		uint64_t *nk = calloc(ncap, sizeof *nk);
		uint32_t *nv = malloc(ncap * sizeof *nv);
		if (!nk || !nv) {
			free(nk);
			free(nv);
			return -1;
		}
		for (size_t i = 0; i < R->hcap; i++)
			if (R->keys[i]) {
				size_t j = mix(R->keys[i]) & (ncap - 1);
				while (nk[j])
					j = (j + 1) & (ncap - 1);
				nk[j] = R->keys[i];
				nv[j] = R->vals[i];
			}
		free(R->keys);
		free(R->vals);
		R->keys = nk;
		R->vals = nv;
		R->hcap = ncap;
	}
	size_t j = mix(id + 1) & (R->hcap - 1);
	while (R->keys[j])
		j = (j + 1) & (R->hcap - 1);
	R->keys[j] = id + 1;
	R->vals[j] = v;
	return 0;
}

static int hash_get(const recorder *R, uint64_t id, uint32_t *v)
{
	if (!R->hcap)
		return 0;
	size_t j = mix(id + 1) & (R->hcap - 1);
	while (R->keys[j]) {
		if (R->keys[j] == id + 1) {
			*v = R->vals[j];
			return 1;
		}
		j = (j + 1) & (R->hcap - 1);
	}
	return 0;
}

/* The first day of the month that ends `back` months before month end d. */
static cc_date month_start(cc_date d, unsigned back)
{
	return cc_date_month_end_add(d, -(int)back - 1) + 1;
}

/* A date of birth for age a (completed months) at month end d, on or
 * before `latest`: the month end a months before d, or (age 0) a day of d's
 * month up to latest. */
static cc_date birth(cc_date d, unsigned a, uint32_t u, cc_date latest)
{
	cc_date dob = cc_date_month_end_add(d, -(int)a);
	int y, mo, dd;
	cc_date_to_ymd(dob, &y, &mo, &dd);
	if (mo == 2 && dd == 29)
		dob--; /* no 29 February birthdays: the 18th would move to 1 March */
	if (dob > latest) {
		cc_date first = month_start(d, a);
		cc_date span = latest >= first ? latest - first + 1 : 1;
		dob = first + (cc_date)(u % (uint32_t)span);
	}
	return dob;
}

/* The day of an event of month t: the 1st (at the start), the last day (at
 * the end), or the day its time falls on. */
static cc_date event_day(const recorder *R, size_t t, int at_end, double when)
{
	cc_date first = R->dates[t - 1] + 1, last = R->dates[t];
	if (at_end < 0)
		return first;
	if (at_end > 0)
		return last;
	double days = (double)(last - first + 1);
	cc_date day = first + (cc_date)floor(when * days);
	return day < first ? first : day > last ? last : day;
}

/* A child who turns 18 in month t has that month's other events before the
 * birthday (the engine ages children out at the month end). */
static cc_date before_birthday(const recorder *R, uint32_t k, size_t t, cc_date day)
{
	int y, mo, d;
	cc_date_to_ymd(R->kids[k].dob, &y, &mo, &d);
	cc_date bd;
	if (cc_date_from_ymd(y + 18, mo, d, &bd) != CC_OK)
		return day;
	cc_date first = R->dates[t - 1] + 1;
	if (bd >= first && bd <= R->dates[t] && day >= bd)
		return bd - 1 >= first ? bd - 1 : first;
	return day;
}

static int open_episode(recorder *R, uint32_t k, cc_date decom, int rne, unsigned cat,
                        unsigned prov)
{
	if (grow((void **)&R->eps, &R->cap_eps, R->n_eps + 1, sizeof *R->eps) != 0)
		return -1;
	R->eps[R->n_eps] =
	    (episode){ k, decom, OPEN, (uint8_t)rne, (uint8_t)cat, (uint8_t)prov, NULL };
	R->kids[k].open = (int32_t)R->n_eps++;
	return 0;
}

static void close_episode(recorder *R, uint32_t k, cc_date dec, const char *rec)
{
	int32_t e = R->kids[k].open;
	if (e < 0)
		return;
	if (dec < R->eps[e].decom)
		dec = R->eps[e].decom;
	R->eps[e].dec = dec;
	R->eps[e].rec = rec;
	R->kids[k].open = -1;
}

static int new_kid(recorder *R, uint64_t id, cc_date dob, const uint32_t *u, uint32_t *k)
{
	if (grow((void **)&R->kids, &R->cap_kids, R->n_kids + 1, sizeof *R->kids) != 0 ||
	    hash_put(R, id, (uint32_t)R->n_kids) != 0)
		return -1;
	*k = (uint32_t)R->n_kids;
	R->kids[R->n_kids] =
	    (kid){ .dob = dob,
		   .sex = (uint8_t)(1 + (u[1] & 1u)),
		   .ls = (uint8_t)((u[1] >> 1) % 10 < 6 ? 0 : 1),
		   .cin = (uint8_t)(((u[1] >> 8) % 10) < 7 ? 0 : 1 + (u[1] >> 16) % 7),
		   .open = -1,
		   .number = (uint32_t)R->n_kids + 1 };
	R->n_kids++;
	return 0;
}

static void on_event(const cc_event *e, void *arg)
{
	recorder *R = arg;
	if (R->oom)
		return;
	uint32_t k;
	switch (e->kind) {
	case CC_EVENT_START: {
		cc_date base = R->dates[0];
		cc_date dob = birth(base, e->age_months, e->random[0], base);
		if (new_kid(R, e->child, dob, e->random, &k) != 0)
			goto oom;
		cc_date period =
		    month_start(base, e->months_in_care) + (cc_date)(e->random[2] % 28);
		cc_date place =
		    month_start(base, e->months_in_placement) + (cc_date)(e->random[3] % 28);
		if (period < dob)
			period = dob;
		if (period > base)
			period = base;
		if (place < period)
			place = period;
		if (place > base)
			place = base;
		if (place > period) {
			if (open_episode(R, k, period, 0, e->category, e->provider) != 0)
				goto oom;
			close_episode(R, k, place, "X1");
			if (open_episode(R, k, place, 1, e->category, e->provider) != 0)
				goto oom;
		} else if (open_episode(R, k, period, 0, e->category, e->provider) != 0) {
			goto oom;
		}
		return;
	}
	case CC_EVENT_ENTER: {
		cc_date day = event_day(R, e->month, 0, e->when);
		cc_date dob = birth(R->dates[e->month], e->age_months, e->random[0], day);
		if (new_kid(R, e->child, dob, e->random, &k) != 0 ||
		    open_episode(R, k, day, 0, e->category, e->provider) != 0)
			goto oom;
		return;
	}
	case CC_EVENT_MOVE:
	case CC_EVENT_PROVIDER: {
		if (!hash_get(R, e->child, &k))
			return;
		cc_date day = before_birthday(R, k, e->month,
		                              event_day(R, e->month, e->at_month_end, e->when));
		int32_t open = R->kids[k].open;
		if (open >= 0 && R->eps[open].decom >= day) {
			/* A second placement on the day the episode began: a return
			 * holds one episode per child and day, so the day's last
			 * placement is the episode's. */
			R->eps[open].cat = (uint8_t)e->category;
			R->eps[open].prov = (uint8_t)e->provider;
			return;
		}
		close_episode(R, k, day, "X1");
		if (open_episode(R, k, day, 1, e->category, e->provider) != 0)
			goto oom;
		return;
	}
	case CC_EVENT_EXIT: {
		if (!hash_get(R, e->child, &k))
			return;
		cc_date day;
		if (e->reason >= R->m->n_reasons) {
			/* The 18th birthday. */
			int y, mo, d;
			cc_date_to_ymd(R->kids[k].dob, &y, &mo, &d);
			if (cc_date_from_ymd(y + 18, mo, d, &day) != CC_OK)
				day = R->dates[e->month];
		} else {
			day = before_birthday(R, k, e->month,
			                      event_day(R, e->month, e->at_month_end, e->when));
		}
		close_episode(R, k, day, rec_code(R->m, e->reason));
		return;
	}
	}
	return;
oom:
	R->oom = 1;
}

static int cmp_episode(const void *a, const void *b)
{
	const episode *x = a, *y = b;
	if (x->kid != y->kid)
		return x->kid < y->kid ? -1 : 1;
	return (x->decom > y->decom) - (x->decom < y->decom);
}

static void dmy(cc_date d, char out[11])
{
	int y, m, dd;
	cc_date_to_ymd(d, &y, &m, &dd);
	snprintf(out, 11, "%02d/%02d/%04d", dd, m, y);
}

/* One return: the episodes open at any time in the year ending 31 March Y. */
static int write_return(const recorder *R, const char *dir, int year, size_t *rows, cc_diags *diags)
{
	char name[32];
	snprintf(name, sizeof name, "%d", year);
	char *ydir = cc_path_join(dir, name);
	char *hp = ydir ? cc_path_join(ydir, "header.csv") : NULL;
	char *ep = ydir ? cc_path_join(ydir, "episodes.csv") : NULL;
	cc_outfile *hf = NULL, *ef = NULL;
	uint8_t *seen = calloc(R->n_kids ? R->n_kids : 1, 1);
	int rc = CC_OK;
	if (!ydir || !hp || !ep || !seen) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	if ((rc = cc_mkdir_p(ydir, diags)) != CC_OK ||
	    (rc = cc_outfile_open(hp, &hf, diags)) != CC_OK ||
	    (rc = cc_outfile_open(ep, &ef, diags)) != CC_OK)
		goto cleanup;
	cc_date from, to;
	cc_date_from_ymd(year - 1, 4, 1, &from);
	cc_date_from_ymd(year, 3, 31, &to);
	FILE *e = cc_outfile_stream(ef);
	fputs("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
	      "PL_POST,URN\n",
	      e);
	for (size_t i = 0; i < R->n_eps; i++) {
		const episode *x = &R->eps[i];
		if (x->decom > to || (x->dec != OPEN && x->dec < from))
			continue;
		const kid *c = &R->kids[x->kid];
		const char *cat = R->m->categories[x->cat].name;
		int adoption = strcmp(cat, "adoption") == 0;
		int parents = strcmp(cat, "with_parents") == 0;
		const char *provider = parents ? "PR0" : x->prov == CC_IN_HOUSE ? "PR1" : "PR4";
		char decom[11], dec[11] = "";
		dmy(x->decom, decom);
		const char *rec = "";
		if (x->dec != OPEN && x->dec <= to) {
			dmy(x->dec, dec);
			rec = x->rec ? x->rec : "X1";
		}
		fprintf(e, "SYN%07u,%s,%s,%s,%s,%s,%s,%s,%s,,,,\n", c->number, decom,
		        rne_names[x->rne], adoption ? ls_names[3] : ls_names[c->ls],
		        cin_names[c->cin], place_code(cat), provider, dec, rec);
		seen[x->kid] = 1;
		(*rows)++;
	}
	FILE *h = cc_outfile_stream(hf);
	fputs("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n", h);
	for (size_t k = 0; k < R->n_kids; k++) {
		if (!seen[k])
			continue;
		char dob[11];
		dmy(R->kids[k].dob, dob);
		fprintf(h, "SYN%07u,%u,%s,WBRI,UN1,,\n", R->kids[k].number, R->kids[k].sex, dob);
	}
	rc = cc_outfile_commit(hf, diags);
	hf = NULL;
	if (rc == CC_OK)
		rc = cc_outfile_commit(ef, diags);
	ef = NULL;
cleanup:
	cc_outfile_abort(hf);
	cc_outfile_abort(ef);
	free(seen);
	free(hp);
	free(ep);
	free(ydir);
	return rc;
}

int cc_synth_ssda903(const cc_model *m, const cc_synth_options *o, const char *dir,
                     cc_synth_stats *stats, cc_diags *diags)
{
	memset(stats, 0, sizeof *stats);
	if (!o || o->years == 0 || o->years > 100)
		return CC_EINVAL;
	recorder R = { .m = m, .months = o->years * 12 };
	R.dates = malloc((R.months + 1) * sizeof *R.dates);
	if (!R.dates)
		return CC_ENOMEM;
	for (size_t t = 0; t <= R.months; t++)
		R.dates[t] = cc_date_month_end_add(m->base_date, (int)t);
	cc_sim_options so;
	cc_sim_options_default(&so);
	so.months = R.months;
	so.replications = 1;
	so.threads = 1;
	so.seed = o->seed;
	so.parameter_uncertainty = o->draw_parameters;
	so.on_event = on_event;
	so.event_arg = &R;
	cc_results *res = NULL;
	int rc = cc_sim_run(m, &so, &res);
	cc_results_free(res);
	if (rc == CC_OK && R.oom)
		rc = CC_ENOMEM;
	if (rc == CC_OK) {
		qsort(R.eps, R.n_eps, sizeof *R.eps, cmp_episode);
		rc = cc_mkdir_p(dir, diags);
	}
	/* Returns for each year ending 31 March after the base date. */
	int first = cc_date_fy_start_year(m->base_date + 1) + 1;
	for (int y = first; rc == CC_OK; y++) {
		cc_date end;
		cc_date_from_ymd(y, 3, 31, &end);
		if (end > R.dates[R.months])
			break;
		rc = write_return(&R, dir, y, &stats->episode_rows, diags);
		if (rc == CC_OK)
			stats->returns++;
	}
	/* Count what the returns hold: episodes that ended before the first
	 * collection year (a starting child's earlier placement) are in none. */
	cc_date from, to;
	cc_date_from_ymd(first - 1, 4, 1, &from);
	cc_date_from_ymd(first - 1 + (int)stats->returns, 3, 31, &to);
	uint8_t *seen = calloc(R.n_kids ? R.n_kids : 1, 1);
	if (!seen && rc == CC_OK)
		rc = CC_ENOMEM;
	for (size_t i = 0; seen && i < R.n_eps; i++)
		if ((R.eps[i].dec == OPEN || R.eps[i].dec >= from) && R.eps[i].decom <= to) {
			stats->episodes++;
			seen[R.eps[i].kid] = 1;
		}
	for (size_t k = 0; seen && k < R.n_kids; k++)
		stats->children += seen[k];
	free(seen);
	free(R.dates);
	free(R.kids);
	free(R.eps);
	free(R.keys);
	free(R.vals);
	return rc;
}
