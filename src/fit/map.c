/*
 * map.c - the fit's classifications: PLACE codes to need categories (the
 * placement map, default or read from a JSON file), REC codes to exit reason
 * groups, and the names of the bands.
 *
 * The default map follows the commissioning view of docs/domain.md and the
 * groupings D2I and Social Finance use in their demand models: U1-U3 kinship,
 * U4-U6 fostering, K2/R1/P3/S1 residential, K1 secure, H5/K3/P2 supported,
 * P1 with parents, A3-A6 adoption, the rest other. The historical Q1
 * (relative or friend) and Q2 (other foster carer) codes, replaced by U1-U3
 * and U4-U6, go to kinship and fostering. Temporary placements (T0-T4) are
 * never mapped: a child in one keeps the category it had (docs/fit.md).
 */
#include "fit_int.h"

#include "../json/jdoc.h"

#include <stdlib.h>
#include <string.h>

const int fit_age_years[CC_FIT_NAGE + 1] = { 0, 1, 5, 10, 16, 18 };
const int fit_tic_months[CC_FIT_NTIC] = { 0, 6, 24 };

static const char *const age_names[CC_FIT_NAGE] = { "under1", "1-4", "5-9", "10-15", "16-17" };
static const char *const tic_names[CC_FIT_NTIC] = { "under6m", "6-24m", "24m+" };
static const char *const reason_names[CC_FIT_NREASONS + 1] = {
	"adoption", "sgo", "cao", "home", "independent", "transfer", "custody", "other", "age18"
};

const char *cc_fit_age_band_name(size_t band) { return band < CC_FIT_NAGE ? age_names[band] : "?"; }
const char *cc_fit_tic_band_name(size_t band) { return band < CC_FIT_NTIC ? tic_names[band] : "?"; }
const char *cc_fit_reason_name(cc_fit_reason r)
{
	return (unsigned)r <= CC_FIT_NREASONS ? reason_names[r] : "?";
}

cc_fit_reason cc_fit_reason_of(unsigned rec, int *unknown)
{
	if (unknown)
		*unknown = 0;
	switch (rec) {
	case CC_REC_E11:
	case CC_REC_E12: return CC_FIT_ADOPTION;
	case CC_REC_E43:
	case CC_REC_E44:
	case CC_REC_E45:
	case CC_REC_E46:
	case CC_REC_E47:
	case CC_REC_E48: return CC_FIT_SGO;
	case CC_REC_E41: return CC_FIT_CAO;
	case CC_REC_E4A:
	case CC_REC_E4B:
	case CC_REC_E13: return CC_FIT_HOME;
	case CC_REC_E5:
	case CC_REC_E6: return CC_FIT_INDEPENDENT;
	case CC_REC_E3:
	case CC_REC_E7: return CC_FIT_TRANSFER;
	case CC_REC_E9: return CC_FIT_CUSTODY;
	case CC_REC_E2:
	case CC_REC_E8:
	case CC_REC_E14:
	case CC_REC_E15:
	case CC_REC_E16:
	case CC_REC_E17: return CC_FIT_OTHER;
	default:
		/* BLANK, INVALID, X1 (no next episode): not recorded. */
		if (unknown)
			*unknown = 1;
		return CC_FIT_OTHER;
	}
}

/* ---- the map ------------------------------------------------------------------ */

static const char *const default_categories[] = { "fostering", "kinship",   "residential",
	                                          "secure",    "supported", "with_parents",
	                                          "adoption",  "other" };

enum { FOSTERING, KINSHIP, RESIDENTIAL, SECURE, SUPPORTED, WITH_PARENTS, ADOPTION, OTHER };

static int is_temporary(unsigned place) { return place >= CC_PLACE_T0 && place <= CC_PLACE_T4; }

cc_fit_map *cc_fit_map_default(void)
{
	cc_fit_map *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->ncat = sizeof default_categories / sizeof default_categories[0];
	for (size_t i = 0; i < m->ncat; i++)
		snprintf(m->cat[i], sizeof m->cat[i], "%s", default_categories[i]);
	m->default_cat = OTHER;
	m->is_default = 1;
	for (unsigned p = 0; p < CC_PLACE_COUNT; p++) {
		int c = OTHER;
		switch (p) {
		case CC_PLACE_U1:
		case CC_PLACE_U2:
		case CC_PLACE_U3:
		case CC_PLACE_Q1: c = KINSHIP; break;
		case CC_PLACE_U4:
		case CC_PLACE_U5:
		case CC_PLACE_U6:
		case CC_PLACE_Q2: c = FOSTERING; break;
		case CC_PLACE_K2:
		case CC_PLACE_R1:
		case CC_PLACE_P3:
		case CC_PLACE_S1: c = RESIDENTIAL; break;
		case CC_PLACE_K1: c = SECURE; break;
		case CC_PLACE_H5:
		case CC_PLACE_K3:
		case CC_PLACE_P2: c = SUPPORTED; break;
		case CC_PLACE_P1: c = WITH_PARENTS; break;
		case CC_PLACE_A3:
		case CC_PLACE_A4:
		case CC_PLACE_A5:
		case CC_PLACE_A6: c = ADOPTION; break;
		default: break;
		}
		m->place_cat[p] = (int8_t)(is_temporary(p) ? -1 : c);
	}
	return m;
}

void cc_fit_map_free(cc_fit_map *map) { free(map); }
size_t cc_fit_map_ncategories(const cc_fit_map *map) { return map->ncat; }
const char *cc_fit_map_category(const cc_fit_map *map, size_t i)
{
	return i < map->ncat ? map->cat[i] : "";
}
int cc_fit_map_place(const cc_fit_map *map, unsigned place)
{
	if (place >= CC_PLACE_COUNT)
		return (int)map->default_cat;
	return map->place_cat[place];
}

/* ---- reading a map file ------------------------------------------------------- */

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CC_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '+' || c == '.'))
			return 0;
	}
	return 1;
}

static int find_cat(const cc_fit_map *m, const char *s)
{
	for (size_t i = 0; i < m->ncat; i++)
		if (strcmp(m->cat[i], s) == 0)
			return (int)i;
	return -1;
}

/* A category name node: its index, adding it when `add`; -1 after an error. */
static int category_node(cc_jdoc *doc, cc_fit_map *m, const cJSON *n, int add, const char *what)
{
	char found[64];
	if (!cJSON_IsString(n) || !valid_name(n->valuestring)) {
		cc_jdoc_found(doc, n, found, sizeof found);
		cc_jdoc_error(doc, n,
		              "expected a category name of 1 to %d characters from A-Z a-z 0-9 _ - "
		              "+ . for %s, found %s",
		              CC_NAME_MAX, what, found);
		return -1;
	}
	int c = find_cat(m, n->valuestring);
	if (c >= 0 || !add) {
		if (c < 0) {
			cc_jdoc_found(doc, n, found, sizeof found);
			cc_jdoc_error(doc, n,
			              "expected one of the categories listed in \"categories\" for "
			              "%s, found %s",
			              what, found);
		}
		return c;
	}
	if (m->ncat == CC_MAX_LIST) {
		cc_jdoc_error(doc, n, "expected at most %d categories, found more", CC_MAX_LIST);
		return -1;
	}
	snprintf(m->cat[m->ncat], sizeof m->cat[0], "%s", n->valuestring);
	return (int)m->ncat++;
}

static void read_map(cc_jdoc *doc, cc_fit_map *m)
{
	const cJSON *root = cc_jdoc_root(doc);
	if (!cJSON_IsObject(root)) {
		char found[64];
		cc_jdoc_found(doc, root, found, sizeof found);
		cc_jdoc_error(doc, root,
		              "expected a JSON object (a placement map: \"place\" mapping PLACE "
		              "codes to categories), found %s",
		              found);
		return;
	}
	static const char *const keys[] = {
		"categories", "place", "default", "note", "source", NULL
	};
	cc_jdoc_check_keys(doc, root, "the placement map", keys);
	const cJSON *cats;
	int fixed = cc_jdoc_get_array(doc, root, "categories", 0, CC_MAX_LIST, &cats) == 1;
	if (fixed) {
		for (const cJSON *it = cats->child; it; it = it->next) {
			if (cJSON_IsString(it) && find_cat(m, it->valuestring) >= 0) {
				cc_jdoc_error(doc, it, "category \"%s\" is listed twice",
				              it->valuestring);
				continue;
			}
			category_node(doc, m, it, 1, "\"categories\"");
		}
	}
	const cJSON *place;
	if (cc_jdoc_get_object(doc, root, "place", 1, &place) == 1) {
		cc_jdoc_check_duplicates(doc, place, "\"place\"");
		for (const cJSON *it = place->child; it; it = it->next) {
			if (it->string && it->string[0] == '_')
				continue;
			const char *code = it->string ? it->string : "";
			unsigned p = cc_ssda903_code_parse(CC_SSDA903_PLACE, code);
			if (p == CC_PLACE_BLANK || p == CC_PLACE_INVALID) {
				cc_jdoc_key_error(
				    doc, it,
				    "expected a PLACE code (A3-A6, H5, K1-K3, P1-P3, Q1, "
				    "Q2, R1-R3, R5, S1, U1-U6, Z1, Z11-Z14), found \"%s\"",
				    code);
				continue;
			}
			if (is_temporary(p)) {
				cc_jdoc_key_error(doc, it,
				                  "expected a PLACE code other than T0-T4, found "
				                  "\"%s\": a child in "
				                  "a temporary placement keeps the category it had",
				                  code);
				continue;
			}
			int c = category_node(doc, m, it, !fixed, "a PLACE code's category");
			if (c >= 0)
				m->place_cat[p] = (int8_t)c;
		}
	}
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(root, "default");
	int dc = -1;
	if (def) {
		dc = category_node(doc, m, def, !fixed, "\"default\"");
	} else {
		dc = find_cat(m, "other");
		if (dc < 0 && !fixed && m->ncat < CC_MAX_LIST) {
			snprintf(m->cat[m->ncat], sizeof m->cat[0], "other");
			dc = (int)m->ncat++;
		} else if (dc < 0) {
			cc_jdoc_error(doc, root,
			              "missing \"default\": expected the category of PLACE codes "
			              "not listed in \"place\" (there is no \"other\" category)");
		}
	}
	if (dc >= 0)
		m->default_cat = (size_t)dc;
	if (m->ncat == 0)
		cc_jdoc_error(doc, root, "expected at least one category, found none");
}

int cc_fit_map_load(const char *path, cc_fit_map **out, cc_diags *diags)
{
	*out = NULL;
	cc_jdoc *doc;
	int rc = cc_jdoc_load(path, &doc, diags);
	if (rc != CC_OK)
		return rc;
	cc_fit_map *m = calloc(1, sizeof *m);
	if (!m) {
		cc_jdoc_free(doc);
		return CC_ENOMEM;
	}
	/* Unlisted codes take the default category, resolved after reading. */
	for (unsigned p = 0; p < CC_PLACE_COUNT; p++)
		m->place_cat[p] = (int8_t)(is_temporary(p) ? -1 : -2);
	size_t before = cc_diags_errors(diags);
	read_map(doc, m);
	cc_jdoc_free(doc);
	if (cc_diags_errors(diags) != before) {
		free(m);
		return CC_EPARSE;
	}
	for (unsigned p = 0; p < CC_PLACE_COUNT; p++)
		if (m->place_cat[p] == -2)
			m->place_cat[p] = (int8_t)m->default_cat;
	*out = m;
	return CC_OK;
}
