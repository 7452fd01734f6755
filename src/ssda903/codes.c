/*
 * codes.c - the SSDA903 code lists, and helpers for values, names and years.
 *
 * The lists are those of the DfE SSDA903 guidance as collected in
 * ssda903_codelists.csv (shared data; compiled from the data-to-insight 903
 * validator and the Social Finance liia-tools code lists, which copy the
 * guidance's wording). Besides the current codes they accept the historical
 * PLACE Q1/Q2 and REC E43/E44 (older returns use them) and the 2025-26 PLACE
 * Z11-Z14, so that returns of any year from about 2010 read. Codes are matched
 * ASCII case-insensitively, as the DfE validator upper-cases before checking.
 */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	const char *code, *description;
} code_def;

static const code_def sex_codes[] = {
	{ "", "" },
	{ "?", "" },
	{ "M", "Male (code 1 to 2023-24, M from 2024-25)" },
	{ "F", "Female (code 2 to 2023-24, F from 2024-25)" },
	{ "U", "Not known (from 2024-25)" },
};

static const code_def rne_codes[] = {
	{ "", "" },
	{ "?", "" },
	{ "S", "Started to be looked-after" },
	{ "L", "Change of legal status only" },
	{ "P", "Change of placement and carer(s) only" },
	{ "T", "Change of placement (but same carer(s)) only" },
	{ "B", "Change of legal status and placement and carer(s) at the same time" },
	{ "U",
	  "Change of legal status and change of placement (but same carer(s)) at the same time" },
};

static const code_def ls_codes[] = {
	{ "", "" },
	{ "?", "" },
	{ "C1", "Interim care order" },
	{ "C2", "Full care order" },
	{ "D1", "Freeing order granted" },
	{ "E1", "Placement order granted" },
	{ "J1", "Remanded to local authority accommodation or to youth detention accommodation" },
	{ "J2", "Placed in local authority accommodation under the Police and Criminal Evidence "
	        "Act 1984, including secure accommodation. However, this would not necessarily be "
	        "accommodation where the child would be detained." },
	{ "J3", "Sentenced to Youth Rehabilitation Order (Criminal Justice and Immigration Act "
	        "2008 as amended by Legal Aid, Sentencing and Punishment of Offenders Act (LASPOA) "
	        "2012 with residence or intensive fostering requirement)" },
	{ "L1", "Under police protection and in local authority accommodation" },
	{ "L2", "Emergency protection order (EPO)" },
	{ "L3", "Under child assessment order and in local authority accommodation" },
	{ "V2", "Single period of accommodation under section 20 (Children Act 1989)" },
	{ "V3", "Accommodated under an agreed series of short-term breaks, when individual "
	        "episodes of care are recorded" },
	{ "V4", "Accommodated under an agreed series of short-term breaks, when agreements are "
	        "recorded (NOT individual episodes of care)" },
};

static const code_def cin_codes[] = {
	{ "", "" },
	{ "?", "" },
	{ "N1", "Abuse or neglect" },
	{ "N2", "Child's disability" },
	{ "N3", "Parental illness or disability" },
	{ "N4", "Family in acute stress" },
	{ "N5", "Family dysfunction" },
	{ "N6", "Socially unacceptable behaviour" },
	{ "N7", "Low income" },
	{ "N8", "Absent parenting" },
};

static const code_def place_codes[] = {
	{ "", "" },
	{ "?", "" },
	{ "A3", "Placed for adoption with parental/guardian consent with current foster carer(s) "
	        "(under Section 19 of the Adoption and Children Act 2002) or with a freeing order "
	        "where parental/guardian consent has been given (under Section 18(1)(a) of the "
	        "Adoption Act 1976)" },
	{ "A4", "Placed for adoption with parental/guardian consent not with current foster "
	        "carer(s) (under Section 19 of the Adoption and Children Act 2002) or with a "
	        "freeing order where parental/guardian consent has been given under Section "
	        "18(1)(a) of the Adoption Act 1976" },
	{ "A5",
	  "Placed for adoption with placement order with current foster carer(s) (under Section 21 "
	  "of the Adoption and Children Act 2002) or with a freeing order where parental/guardian "
	  "consent was dispensed with (under Section 18(1)(b) the Adoption Act 1976)" },
	{ "A6", "Placed for adoption with placement order not with current foster carer(s) (under "
	        "Section 21 of the Adoption and Children Act 2002) or with a freeing order where "
	        "parental/guardian consent was dispensed with (under Section 18(1)(b) of the "
	        "Adoption Act 1976)" },
	{ "H5",
	  "Semi-independent living accommodation not subject to children's homes regulations" },
	{ "K1", "Secure children's homes" },
	{ "K2", "Children's Homes subject to Children's Homes Regulations" },
	{ "K3", "Registered supported accommodation" },
	{ "P1", "Placed with own parent(s) or other person(s) with parental responsibility" },
	{ "P2", "Independent living for example in a flat, lodgings, bedsit, bed and breakfast "
	        "(B&B) or with friends, with or without formal support" },
	{ "P3", "Residential employment" },
	{ "Q1", "Foster placement with relative or friend - now U1-U3" },
	{ "Q2", "Foster placement with other foster carer - now U4-U6" },
	{ "R1", "Residential care home" },
	{ "R2", "National Health Service (NHS)/health trust or other establishment providing "
	        "medical or nursing care" },
	{ "R3", "Family centre or mother and baby unit" },
	{ "R5", "Young offender institution (YOI)" },
	{ "S1",
	  "All residential schools, except where dual-registered as a school and children's home" },
	{ "T0", "All types of temporary move (see paragraphs above for further details)" },
	{ "T1", "Temporary periods in hospital" },
	{ "T2", "Temporary absences of the child on holiday" },
	{ "T3", "Temporary accommodation whilst normal foster carer(s) is/are on holiday" },
	{ "T4", "Temporary accommodation of seven days or less, for any reason, not covered by "
	        "codes T1 to T3" },
	{ "U1", "Foster placement with relative(s) or friend(s) - long term fostering" },
	{ "U2", "Fostering placement with relative(s) or friend(s) who is/are also an approved "
	        "adopter(s) - fostering for adoption /concurrent planning" },
	{ "U3", "Fostering placement with relative(s) or friend(s) who is/are not longterm or "
	        "fostering for adoption /concurrent planning" },
	{ "U4", "Foster placement with other foster carer(s) - long term fostering" },
	{ "U5", "Foster placement with other foster carer(s) who is/are also an approved "
	        "adopter(s) - fostering for adoption /concurrent planning" },
	{ "U6", "Foster placement with other foster carer(s) - not long term or fostering for "
	        "adoption /concurrent planning" },
	{ "Z1",
	  "Other placements (must be listed on a schedule sent to DfE with annual submission)" },
	{ "Z11", "Other placement (2025-26 split of Z1; meaning not in the collected sources)" },
	{ "Z12", "Other placement (2025-26 split of Z1; meaning not in the collected sources)" },
	{ "Z13", "Other placement (2025-26 split of Z1; meaning not in the collected sources)" },
	{ "Z14", "Other placement (2025-26 split of Z1; meaning not in the collected sources)" },
};

static const code_def provider_codes[] = {
	{ "", "" },
	{ "?", "" },
	{ "PR0", "Parent(s) or other person(s) with parental responsibility" },
	{ "PR1", "Own provision (by the local authority) including a regional adoption agency "
	         "where the child's responsible local authority is the host authority" },
	{ "PR2", "Other local authority provision, including a regional adoption agency where "
	         "another local authority is the host authority" },
	{ "PR3", "Other public provision (for example, a primary care trust)" },
	{ "PR4", "Private provision" },
	{ "PR5", "Voluntary/third sector provision" },
};

static const code_def rec_codes[] = {
	{ "", "" },
	{ "?", "" },
	{ "X1", "Episode ceases, and new episode begins on same day, for any reason" },
	{ "E11", "Adopted - application for an adoption order unopposed" },
	{ "E12", "Adopted - consent dispensed with by the court" },
	{ "E13", "Left care to live with parent(s), relative(s), or other person(s) with no "
	         "parental responsibility." },
	{ "E14", "Accommodation on remand ended" },
	{ "E15",
	  "Age assessment determined child is aged 18 or over and E5, E6 and E7 do not apply, such "
	  "as an unaccompanied asylum-seeking child (UASC) whose age has been disputed" },
	{ "E16", "Child moved abroad" },
	{ "E17", "Aged 18 (or over) and remained with current carers (inc under staying put "
	         "arrangements)" },
	{ "E2", "Died" },
	{ "E3", "Care taken over by another local authority in the UK" },
	{ "E41", "Residence order (or, from 22 April 2014, a child arrangement order which sets "
	         "out with whom the child is to live) granted" },
	{ "E43", "Special guardianship made to former foster carers" },
	{ "E44", "Special guardianship made to carers other than former foster carers" },
	{ "E45", "Special guardianship order made to former foster carer(s), who was/are a "
	         "relative(s) or friend(s)" },
	{ "E46", "Special guardianship order made to former foster carer(s), other than "
	         "relative(s) or friend(s)" },
	{ "E47", "Special guardianship order made to carer(s), other than former foster carer(s), "
	         "who was/are a relative(s) or friend(s)" },
	{ "E48", "Special guardianship order made to carer(s), other than former foster carer(s), "
	         "other than relative(s) or friend(s)" },
	{ "E4A",
	  "Returned home to live with parent(s), relative(s), or other person(s) with parental "
	  "responsibility as part of the care planning process (not under a special guardianship "
	  "order or residence order or (from 22 April 2014) a child arrangement order)." },
	{ "E4B", "Returned home to live with parent(s), relative(s), or other person(s) with "
	         "parental responsibility which was not part of the current care planning process "
	         "(not under a special guardianship order or residence order or (from 22 April "
	         "2014) a child arrangement order)." },
	{ "E5", "Moved into independent living arrangement and no longer looked-after: supportive "
	        "accommodation providing formalised advice/support arrangements (such as most "
	        "hostels, young men's Christian association, foyers, staying close and care "
	        "leavers projects). Includes both children leaving care before and at age 18" },
	{ "E6",
	  "Moved into independent living arrangement and no longer looked-after : accommodation "
	  "providing no formalised advice/support arrangements (such as bedsit, own flat, living "
	  "with friend(s)). Includes both children leaving care before and at age 18" },
	{ "E7", "Transferred to residential care funded by adult social care services" },
	{ "E8", "Period of being looked-after ceased for any other reason (where none of the other "
	        "reasons apply)" },
	{ "E9", "Sentenced to custody" },
};

static const code_def reason_codes[] = {
	{ "", "" },
	{ "?", "" },
	{ "ALLEG", "Allegation (s47)" },
	{ "APPRR", "Approval removed" },
	{ "CARPL", "Change to/Implementation of Care Plan" },
	{ "CHILD", "Child requests placement end" },
	{ "CLOSE", "Resignation/ closure of provision" },
	{ "CREQB", "Carer(s) requests placement end due to child's behaviour" },
	{ "CREQO", "Carer(s) requests placement end other than due to child's behaviour" },
	{ "CUSTOD", "Custody arrangement" },
	{ "LAREQ", "Responsible/area authority requests placement end" },
	{ "OTHER", "Other" },
	{ "PLACE", "Change in the status of placement only" },
	{ "STAND", "Standards of care concern" },
};

typedef struct {
	const code_def *codes;
	unsigned n;
	const char *summary;
} code_list;

#define LIST(a, s)                                       \
	{                                                \
		a, (unsigned)(sizeof a / sizeof a[0]), s \
	}
static const code_list lists[CC_SSDA903_NLISTS] = {
	[CC_SSDA903_SEX] = LIST(sex_codes, "1, 2, M, F or U"),
	[CC_SSDA903_RNE] = LIST(rne_codes, "S, L, P, T, B or U"),
	[CC_SSDA903_LS] = LIST(ls_codes, "C1, C2, D1, E1, J1-J3, L1-L3 or V2-V4"),
	[CC_SSDA903_CIN] = LIST(cin_codes, "N1-N8"),
	[CC_SSDA903_PLACE] = LIST(place_codes, "A3-A6, H5, K1-K3, P1-P3, Q1, Q2, R1-R3, R5, S1, "
	                                       "T0-T4, U1-U6, Z1 or Z11-Z14"),
	[CC_SSDA903_PROVIDER] = LIST(provider_codes, "PR0-PR5"),
	[CC_SSDA903_REC] = LIST(rec_codes, "X1, E11-E17, E2, E3, E41, E43-E48, E4A, E4B or E5-E9"),
	[CC_SSDA903_REASON] = LIST(reason_codes, "ALLEG, APPRR, CARPL, CHILD, CLOSE, CREQB, CREQO, "
	                                         "CUSTOD, LAREQ, OTHER, PLACE or STAND"),
};
#undef LIST

_Static_assert(sizeof sex_codes / sizeof sex_codes[0] == CC_SEX_COUNT, "SEX list");
_Static_assert(sizeof rne_codes / sizeof rne_codes[0] == CC_RNE_COUNT, "RNE list");
_Static_assert(sizeof ls_codes / sizeof ls_codes[0] == CC_LS_COUNT, "LS list");
_Static_assert(sizeof cin_codes / sizeof cin_codes[0] == CC_CIN_COUNT, "CIN list");
_Static_assert(sizeof place_codes / sizeof place_codes[0] == CC_PLACE_COUNT, "PLACE list");
_Static_assert(sizeof provider_codes / sizeof provider_codes[0] == CC_PROV_COUNT, "PR list");
_Static_assert(sizeof rec_codes / sizeof rec_codes[0] == CC_REC_COUNT, "REC list");
_Static_assert(sizeof reason_codes / sizeof reason_codes[0] == CC_RPC_COUNT, "RPC list");

unsigned cc_ssda903_code_count(cc_ssda903_list list)
{
	return (unsigned)list < CC_SSDA903_NLISTS ? lists[list].n : 0;
}

const char *cc_ssda903_code_name(cc_ssda903_list list, unsigned code)
{
	if ((unsigned)list >= CC_SSDA903_NLISTS || code >= lists[list].n)
		return "?";
	return lists[list].codes[code].code;
}

const char *cc_ssda903_code_description(cc_ssda903_list list, unsigned code)
{
	if ((unsigned)list >= CC_SSDA903_NLISTS || code >= lists[list].n)
		return "";
	return lists[list].codes[code].description;
}

const char *code_list_summary(cc_ssda903_list list)
{
	return (unsigned)list < CC_SSDA903_NLISTS ? lists[list].summary : "";
}

/* Codes are looked up by their text packed into an integer (at most 7
 * characters, upper-cased, one per byte) in a small open-addressing table per
 * list, built once on first use: a probe or two instead of comparing with
 * every code of the list (PLACE has 34). */
#define CODE_SLOTS 128
_Static_assert(CODE_SLOTS >= 2 * CC_PLACE_COUNT, "code table at most half full");

static struct {
	uint64_t key[CODE_SLOTS]; /* 0: empty */
	uint8_t code[CODE_SLOTS];
} code_index[CC_SSDA903_NLISTS];
static pthread_once_t code_index_once = PTHREAD_ONCE_INIT;
static atomic_int code_index_ready; /* set once the table is built */

static size_t code_slot(uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 57) & (CODE_SLOTS - 1);
}

static void build_code_index(void)
{
	for (int list = 0; list < CC_SSDA903_NLISTS; list++) {
		const code_list *l = &lists[list];
		for (unsigned i = 2; i < l->n; i++) {
			uint64_t key = 0;
			const char *c = l->codes[i].code;
			for (size_t k = 0; c[k]; k++)
				key |= (uint64_t)(unsigned char)c[k] << (8 * k);
			size_t slot = code_slot(key);
			while (code_index[list].key[slot] != 0)
				slot = (slot + 1) & (CODE_SLOTS - 1);
			code_index[list].key[slot] = key;
			code_index[list].code[slot] = (uint8_t)i;
		}
	}
	atomic_store_explicit(&code_index_ready, 1, memory_order_release);
}

unsigned cc_ssda903_code_parse(cc_ssda903_list list, const char *text)
{
	if ((unsigned)list >= CC_SSDA903_NLISTS || !text)
		return 1; /* INVALID */
	while (*text == ' ' || *text == '\t')
		text++;
	/* Pack the first 8 characters; only a blank may follow them. */
	uint64_t key = 0;
	size_t n = 0, len = 0; /* characters read, and up to the last non-blank */
	for (; text[n] && n < 8; n++) {
		unsigned char c = (unsigned char)text[n];
		if (c != ' ' && c != '\t')
			len = n + 1;
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		key |= (uint64_t)c << (8 * n);
	}
	for (; text[n]; n++)
		if (text[n] != ' ' && text[n] != '\t')
			return 1; /* 9 characters or more */
	if (len == 0)
		return 0; /* BLANK */
	if (len >= 8)
		return 1;
	key &= ((uint64_t)1 << (8 * len)) - 1; /* the trailing blanks off */
	if (list == CC_SSDA903_SEX && len == 1) {
		if (key == '1')
			return CC_SEX_MALE;
		if (key == '2')
			return CC_SEX_FEMALE;
	}
	if (!atomic_load_explicit(&code_index_ready, memory_order_acquire) &&
	    pthread_once(&code_index_once, build_code_index) != 0)
		return 1;
	for (size_t slot = code_slot(key);; slot = (slot + 1) & (CODE_SLOTS - 1)) {
		uint64_t k = code_index[list].key[slot];
		if (k == key)
			return code_index[list].code[slot];
		if (k == 0)
			return 1;
	}
}

int rec_is_exit(unsigned rec) { return rec > CC_REC_X1 && rec < CC_REC_COUNT; }
int rne_continues(unsigned rne) { return rne > CC_RNE_S && rne < CC_RNE_COUNT; }

/* ---- values in messages ----------------------------------------------------- */

static int is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

void describe_value(const char *v, const char *child, char *buf, size_t size)
{
	size_t n = strlen(v), letters = 0;
	int code_like = n >= 1 && n <= 6;
	for (size_t i = 0; i < n && code_like; i++) {
		if (is_alpha(v[i]))
			letters++;
		else if (!is_digit(v[i]))
			code_like = 0;
	}
	if (code_like && (letters > 0 || n == 1) && !(child && strcmp(v, child) == 0)) {
		snprintf(buf, size, "\"%s\"", v);
		return;
	}
	if (n > 16) {
		snprintf(buf, size, "a value of %zu characters", n);
		return;
	}
	char shape[20];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (is_digit(c))
			shape[k++] = '9';
		else if (is_alpha(c))
			shape[k++] = 'A';
		else if (c >= 0x20 && c < 0x7F && c != '"')
			shape[k++] = c;
		else
			shape[k++] = '?';
	}
	shape[k] = '\0';
	snprintf(buf, size, "text shaped \"%s\"", shape);
}

/* ---- years ------------------------------------------------------------------ */

cc_date march31(int year)
{
	cc_date d = 0;
	if (year < CC_DATE_MIN_YEAR)
		year = CC_DATE_MIN_YEAR;
	if (year > CC_DATE_MAX_YEAR)
		year = CC_DATE_MAX_YEAR;
	cc_date_from_ymd(year, 3, 31, &d);
	return d;
}

cc_date year_end_of(cc_date d)
{
	int y, m, dd;
	cc_date_to_ymd(d, &y, &m, &dd);
	return march31(m <= 3 ? y : y + 1);
}

static int digits_at(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int year_in_name(const char *name, int *year, int *is_end)
{
	size_t n = strlen(name);
	for (size_t i = 0; i + 4 <= n; i++) {
		if (i > 0 && is_digit(name[i - 1]))
			continue;
		int y = digits_at(name + i, 4);
		if (y < 1900 || y > 2099 || (i + 4 < n && is_digit(name[i + 4])))
			continue;
		/* "2019-20", "2019_20", "2019/20", "2019-2020": the year ending 31
		 * March of the second year. */
		size_t j = i + 4;
		if (j < n && (name[j] == '-' || name[j] == '_' || name[j] == '/')) {
			int y2 = digits_at(name + j + 1, 2);
			if (y2 >= 0 && !(j + 3 < n && is_digit(name[j + 3])) &&
			    y2 == (y + 1) % 100) {
				*year = y + 1;
				*is_end = 1;
				return 1;
			}
			int y4 = j + 5 <= n ? digits_at(name + j + 1, 4) : -1;
			if (y4 == y + 1 && !(j + 5 < n && is_digit(name[j + 5]))) {
				*year = y + 1;
				*is_end = 1;
				return 1;
			}
		}
		*year = y;
		*is_end = 0;
		return 1;
	}
	return 0;
}
