/*
 * structure.c - what DfE publish and what they do not: the labels of the
 * published cells carecast reads, and the national structure that fills in
 * what the margins cannot tell.
 *
 * DfE's tables are margins only (stock by age, stock by placement, starts by
 * age, ceases by age, ceases by reason; never crossed). What no table says
 * is taken from the national model models/england.json, derived by
 * tools/derive_models.py from the national tables for the year ending 31
 * March 2024 and documented figure by figure in docs/example-model.md:
 *   - how exit hazards differ between categories and times in care within
 *     a reason and age band (the 30 exit rows below: only their ratios
 *     within a reason and age band are used; each authority's level comes
 *     from its own ceases);
 *   - moves between categories (20 rows, used as they are unless a model is
 *     given with --moves-from);
 *   - the category of the first placement by age band and the age at entry
 *     within a band;
 *   - the age profile of each reason for ceasing (the prior of the age x
 *     reason cross);
 *   - in-house shares of new placements (fostering's own comes from each
 *     authority's "Own provision" count);
 *   - the kinship share of foster placements (Ofsted 2021-22 households:
 *     7,855 of 43,905) and the secure share of "secure homes and children's
 *     homes" (about 130 children nationally: 1.5%).
 */
#include "dfe_int.h"

#include <ctype.h>
#include <string.h>

#define BIT(i) (1u << (i))
#define ALL 0xffffffffu

const char *const dfe_band_names[NB] = { "under1", "1-4", "5-9", "10-15", "16-17" };
const char *const dfe_tic_names[NT] = { "under6m", "6-24m", "24m+" };
const char *const dfe_cat_names[NC] = { "fostering", "kinship",      "residential", "secure",
	                                "supported", "with_parents", "adoption",    "other" };
const char *const dfe_reason_names[NR] = { "adoption",    "sgo",      "cao",     "home",
	                                   "independent", "transfer", "custody", "other" };

const dfe_group dfe_groups[NGROUPS] = {
	{ TB_STOCK, SL_STOCK_AGE, NB },  { TB_STOCK, SL_STOCK_PL, NPL },
	{ TB_STOCK, SL_STOCK_PR, NPR },  { TB_START, SL_START_AGE, NB },
	{ TB_CEASE, SL_CEASE_AGE, NCA }, { TB_CEASE, SL_CEASE_RSN, NREASON17 },
};

/* Reasons, their model reason and the assumed age profile over under 1,
 * 1-4, 5-9, 10-15, 16-17, 18+ (tools/derive_models.py, ASSUMED_REASON_AGE). */
const dfe_reason17 dfe_reasons17[NREASON17] = {
	{ "Adopted", R_ADOPTION, { .08, .78, .13, .01, 0, 0 } },
	{ "Special guardianship order", R_SGO, { .09, .42, .26, .19, .04, 0 } },
	{ "Residence order or child arrangement order granted",
	  R_CAO,
	  { .08, .38, .26, .22, .06, 0 } },
	{ "Returned home to live with parents or other person with parental responsibility which "
	  "was part of the care planning process",
	  R_HOME,
	  { .10, .20, .15, .27, .13, .15 } },
	{ "Returned home to live with parents or other person with parental responsibility which "
	  "was not part of the care planning process",
	  R_HOME,
	  { .03, .07, .08, .35, .27, .20 } },
	{ "Left care to live with parents, relatives or other person with no parental "
	  "responsibility",
	  R_HOME,
	  { .02, .05, .05, .15, .18, .55 } },
	{ "Moved into independent living (with supportive accommodation)",
	  R_INDEPENDENT,
	  { 0, 0, 0, 0, .12, .88 } },
	{ "Moved into independent living (with no formalised support)",
	  R_INDEPENDENT,
	  { 0, 0, 0, 0, .15, .85 } },
	{ "Care taken by another local authority", R_TRANSFER, { .10, .25, .20, .30, .15, 0 } },
	{ "Transferred to residential care funded by adult social services",
	  R_TRANSFER,
	  { 0, 0, 0, 0, .02, .98 } },
	{ "Sentenced to custody", R_CUSTODY, { 0, 0, 0, .40, .45, .15 } },
	{ "Accommodation on remand ended", R_OTHER, { 0, 0, 0, .50, .45, .05 } },
	{ "Age assessment determined child aged 18 or over", R_OTHER, { 0, 0, 0, .05, .90, .05 } },
	{ "Died", R_OTHER, { .30, .20, .10, .20, .10, .10 } },
	{ "Child moved abroad", R_OTHER, { .10, .25, .25, .25, .10, .05 } },
	{ "Care ceased for any other reason", R_OTHER, { .04, .08, .08, .20, .20, .40 } },
	{ "Aged 18 (or over) and remained with current carers", R_AGE18, { 0, 0, 0, 0, 0, 1 } },
};

/* models/england.json, exit rows (categories in default order; bands under1,
 * 1-4, 5-9, 10-15, 16-17; time in care under6m, 6-24m, 24m+). */
const dfe_exit_row dfe_exit_rows[] = {
	{ R_ADOPTION, BIT(6), ALL, ALL, 1.534 },
	{ R_SGO, BIT(1) | BIT(0) | BIT(2) | BIT(7), BIT(0), ALL, 0.1206 },
	{ R_SGO, BIT(1), BIT(1), ALL, 0.5752 },
	{ R_SGO, BIT(1), BIT(2), ALL, 0.2978 },
	{ R_SGO, BIT(1), BIT(3), ALL, 0.1161 },
	{ R_SGO, BIT(0) | BIT(2) | BIT(7), BIT(1), ALL, 0.09985 },
	{ R_SGO, BIT(0) | BIT(2) | BIT(7), BIT(2), ALL, 0.04421 },
	{ R_SGO, BIT(0) | BIT(2) | BIT(7), BIT(3), ALL, 0.01244 },
	{ R_SGO, BIT(1) | BIT(0) | BIT(2) | BIT(7), BIT(4), ALL, 0.01095 },
	{ R_CAO, BIT(5), BIT(0) | BIT(1), ALL, 0.1514 },
	{ R_CAO, BIT(5), BIT(2) | BIT(3) | BIT(4), ALL, 0.05219 },
	{ R_CAO, BIT(0) | BIT(1) | BIT(2) | BIT(4) | BIT(7), BIT(0) | BIT(1), ALL, 0.02792 },
	{ R_CAO, BIT(0) | BIT(1) | BIT(2) | BIT(4) | BIT(7), BIT(2), ALL, 0.01658 },
	{ R_CAO, BIT(0) | BIT(1) | BIT(2) | BIT(4) | BIT(7), BIT(3) | BIT(4), ALL, 0.004598 },
	{ R_HOME, BIT(5) | BIT(7), ALL, BIT(0), 0.4318 },
	{ R_HOME, BIT(5) | BIT(7), ALL, BIT(1) | BIT(2), 0.1425 },
	{ R_HOME, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4), BIT(0) | BIT(1), BIT(0), 0.231 },
	{ R_HOME, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4), BIT(0) | BIT(1), BIT(1) | BIT(2),
	  0.07541 },
	{ R_HOME, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4), BIT(2) | BIT(3) | BIT(4), BIT(0),
	  0.1544 },
	{ R_HOME, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4), BIT(2) | BIT(3) | BIT(4),
	  BIT(1) | BIT(2), 0.0492 },
	{ R_INDEPENDENT, BIT(4), BIT(4), ALL, 0.09719 },
	{ R_INDEPENDENT, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(5) | BIT(7), BIT(4), ALL, 0.018 },
	{ R_TRANSFER, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(7), BIT(0) | BIT(1),
	  ALL, 0.0565 },
	{ R_TRANSFER, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(7), BIT(2), ALL,
	  0.03205 },
	{ R_TRANSFER, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(7), BIT(3) | BIT(4),
	  ALL, 0.0188 },
	{ R_CUSTODY, BIT(2) | BIT(3) | BIT(4) | BIT(7), BIT(3) | BIT(4), ALL, 0.009049 },
	{ R_CUSTODY, BIT(0) | BIT(1) | BIT(5), BIT(3) | BIT(4), ALL, 0.0009971 },
	{ R_OTHER, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(7), BIT(0) | BIT(1),
	  ALL, 0.03094 },
	{ R_OTHER, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(7), BIT(2) | BIT(3),
	  ALL, 0.02206 },
	{ R_OTHER, BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(7), BIT(4), ALL,
	  0.04762 },
};
const size_t dfe_n_exit_rows = sizeof dfe_exit_rows / sizeof dfe_exit_rows[0];

/* models/england.json, move rows (all time-in-care bands). */
const dfe_move_row dfe_move_rows[] = {
	{ C_FOSTERING, C_ADOPTION, BIT(0) | BIT(1), 0.3469, "placed for adoption, under 5" },
	{ C_FOSTERING, C_ADOPTION, BIT(2), 0.01625, "placed for adoption, 5-9" },
	{ C_ADOPTION, C_FOSTERING, ALL, 0.03, "adoption placement disrupted" },
	{ C_FOSTERING, C_KINSHIP, ALL, 0.02327, "to a kinship carer" },
	{ C_KINSHIP, C_FOSTERING, ALL, 0.04, "kinship placement ends" },
	{ C_FOSTERING, C_WITH_PARENTS, ALL, 0.02461, "placed with parents" },
	{ C_WITH_PARENTS, C_FOSTERING, ALL, 0.1, "placement with parents ends" },
	{ C_FOSTERING, C_RESIDENTIAL, BIT(3) | BIT(4), 0.09403, "foster placement to residential" },
	{ C_RESIDENTIAL, C_FOSTERING, BIT(2) | BIT(3) | BIT(4), 0.045, "step-down to fostering" },
	{ C_FOSTERING, C_SUPPORTED, BIT(4), 0.2232, "to supported accommodation" },
	{ C_RESIDENTIAL, C_SUPPORTED, BIT(4), 0.3348, "to supported accommodation" },
	{ C_OTHER, C_SUPPORTED, BIT(4), 0.2232, "to supported accommodation" },
	{ C_SUPPORTED, C_RESIDENTIAL, BIT(4), 0.04, "supported accommodation to residential" },
	{ C_SUPPORTED, C_FOSTERING, BIT(4), 0.03, "supported accommodation to fostering" },
	{ C_OTHER, C_FOSTERING, ALL, 0.3795, "temporary and other placements to fostering" },
	{ C_OTHER, C_KINSHIP, ALL, 0.0759, "temporary and other placements to kinship" },
	{ C_FOSTERING, C_OTHER, ALL, 0.01, "to temporary and other placements" },
	{ C_RESIDENTIAL, C_OTHER, BIT(3) | BIT(4), 0.02, "to temporary and other placements" },
	{ C_RESIDENTIAL, C_SECURE, BIT(3) | BIT(4), 0.015, "to a secure children's home" },
	{ C_SECURE, C_RESIDENTIAL, BIT(3) | BIT(4), 1.995,
	  "secure children's home to residential" },
};
const size_t dfe_n_move_rows = sizeof dfe_move_rows / sizeof dfe_move_rows[0];

/* Category of the first placement by age band (models/england.json). */
const double dfe_entry_mix[NB][NC] = {
	/* fostering kinship residential secure supported with_parents adoption other */
	{ .66, .12, 0, 0, 0, .08, 0, .14 },         { .70, .17, 0, 0, 0, .06, 0, .07 },
	{ .70, .17, .02, 0, 0, .05, 0, .06 },       { .62, .10, .13, .01, 0, .04, 0, .10 },
	{ .32, .05, .10, .005, .40, .03, 0, .095 },
};

/* Age at entry within each band (models/england.json "age_weights"): under 1
 * per month of age, the others per year of age (1-4: 1.15, 1.05, 0.95, 0.85;
 * 5-9: 1.1, 1.05, 1, 0.95, 0.9; 10-15: 0.7, 0.8, 0.9, 1.1, 1.2, 1.3; 16-17:
 * 0.6, 0.4, replaced by the fit's own split), expanded to months. */
#define M12(w)                                                                                    \
	(w) / 12, (w) / 12, (w) / 12, (w) / 12, (w) / 12, (w) / 12, (w) / 12, (w) / 12, (w) / 12, \
	    (w) / 12, (w) / 12, (w) / 12
/* Each band's weights divided by their sum (under 1: 100; 1-4: 4; 5-9: 5;
 * 10-15: 6; 16-17: 1). */
const double dfe_age_weight_month[NA] = {
	50.0 / 100,    10.0 / 100,    6.0 / 100,     5.0 / 100,     4.0 / 100,    4.0 / 100,
	4.0 / 100,     4.0 / 100,     4.0 / 100,     3.0 / 100,     3.0 / 100,    3.0 / 100,
	M12(1.15 / 4), M12(1.05 / 4), M12(0.95 / 4), M12(0.85 / 4), M12(1.1 / 5), M12(1.05 / 5),
	M12(1.0 / 5),  M12(0.95 / 5), M12(0.9 / 5),  M12(0.7 / 6),  M12(0.8 / 6), M12(0.9 / 6),
	M12(1.1 / 6),  M12(1.2 / 6),  M12(1.3 / 6),  M12(0.6 / 1),  M12(0.4 / 1),
};

/* In-house share of new placements (tools/derive_models.py, IN_HOUSE_ASSUMED;
 * fostering is computed for each authority, this is the fallback: England's). */
const double dfe_in_house_assumed[NC] = { 0.4635, 0.97, 0.17, 0.05, 0.20, 1.0, 0.85, 0.30 };
const double dfe_kinship_share_of_foster = 7855.0 / 43905.0;
const double dfe_secure_share_of_homes = 0.015;

size_t dfe_band_of_age(unsigned a)
{
	return a < 12 ? 0 : a < 60 ? 1 : a < 120 ? 2 : a < 192 ? 3 : 4;
}

size_t dfe_tic_of(unsigned m) { return m < 6 ? 0 : m < 24 ? 1 : 2; }

/* ---- labels ------------------------------------------------------------------- */

void dfe_normalise(const char *s, char *buf, size_t size)
{
	size_t k = 0;
	for (; *s && k + 1 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		if (isalnum(ch) && ch < 128)
			buf[k++] = (char)tolower(ch);
	}
	buf[k] = '\0';
}

typedef struct {
	int table;
	int slot;
	const char *labels; /* normalised, separated by '|' */
} label;

/* Groups: the normalised cla_group of each slot group. */
static const struct {
	int table;
	int group;
	const char *labels;
} group_labels[] = {
	{ TB_STOCK, G_STOCK_AGE, "agegroup|age|ageat31march" },
	{ TB_STOCK, G_STOCK_PL, "placement|placementtype|typeofplacement" },
	{ TB_STOCK, G_STOCK_PR,
	  "placeproviders|placeprovider|placementprovider|"
	  "placementproviders|provider" },
	{ TB_START, G_START_AGE, "ageonstarting|agestarting|agegroup|age" },
	{ TB_CEASE, G_CEASE_AGE, "ageonceasing|ageceasing|agegroup|age" },
	{ TB_CEASE, G_CEASE_RSN, "reasonepisodeceased|reasonceased|reasonforceasing|reason" },
};

#define TOTAL "total|all|allchildren|allages|allreasons|allplacements|allproviders"
#define U1 "under1year|under1|under1years|agedunder1|agedunder1year"
#define A14 "1to4years|1to4|aged1to4|aged1to4years"
#define A59 "5to9years|5to9|aged5to9|aged5to9years"
#define A1015 "10to15years|10to15|aged10to15|aged10to15years"
#define A16 "16yearsandover|16andover|16to17years|16to17|aged16andover|aged16yearsandover"

static const char *const age_labels[NB + 1] = { U1, A14, A59, A1015, A16, TOTAL };
static const char *const cease_age_labels[NCA + 1] = {
	U1,
	A14,
	A59,
	A1015,
	"16years|16|aged16|aged16years",
	"17years|17|aged17|aged17years",
	"18yearsandover|18andover|18years|aged18andover|aged18yearsandover",
	TOTAL,
};
static const char *const placement_labels[NPL + 1] = {
	"fosterplacements|foster|fostercare",
	"independentandsemiindependentlivingarrangementssupportedaccommodation|"
	"independentandsemiindependentlivingarrangements|supportedaccommodation",
	"otherplacements|other",
	"otherresidentialsettings",
	"placedforadoption",
	"placedwithparentsorotherpersonwithparentalresponsibility|placedwithparents",
	"residentialschools",
	"securehomesandchildrenshomes|"
	"secureunitschildrenshomesandsemiindependentlivingaccommodation",
	TOTAL,
};
static const char *const provider_labels[NPR + 1] = {
	"ownprovisionbythela|ownprovision",
	"otherlaprovision",
	"otherpublicprovisionegbyapctetc|otherpublicprovision",
	"privateprovision",
	"voluntarythirdsectorprovision|voluntaryprovision",
	"parentsorotherpersonwithparentalresponsibility",
	"placementprovidernotreported",
	TOTAL,
};

static int in_list(const char *list, const char *s)
{
	size_t n = strlen(s);
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncmp(p, s, n) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static int find_label(const char *const *labels, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (in_list(labels[i], s))
			return (int)i;
	return -1;
}

int dfe_slot_of(int table, const char *group, const char *characteristic, int *known_group)
{
	char g[128], c[512];
	dfe_normalise(group, g, sizeof g);
	dfe_normalise(characteristic, c, sizeof c);
	*known_group = 0;
	int grp = -1;
	for (size_t i = 0; i < sizeof group_labels / sizeof group_labels[0]; i++)
		if (group_labels[i].table == table && in_list(group_labels[i].labels, g)) {
			grp = group_labels[i].group;
			break;
		}
	if (grp < 0)
		return -1;
	*known_group = 1;
	int k = -1;
	switch (grp) {
	case G_STOCK_AGE:
	case G_START_AGE: k = find_label(age_labels, NB + 1, c); break;
	case G_CEASE_AGE: k = find_label(cease_age_labels, NCA + 1, c); break;
	case G_STOCK_PL: k = find_label(placement_labels, NPL + 1, c); break;
	case G_STOCK_PR: k = find_label(provider_labels, NPR + 1, c); break;
	case G_CEASE_RSN:
		if (in_list(TOTAL, c)) {
			k = NREASON17;
		} else {
			char r[512];
			for (size_t i = 0; i < NREASON17 && k < 0; i++) {
				dfe_normalise(dfe_reasons17[i].label, r, sizeof r);
				if (strcmp(r, c) == 0)
					k = (int)i;
			}
		}
		break;
	default: break;
	}
	if (k < 0)
		return -1;
	return (int)dfe_groups[grp].first + k;
}
