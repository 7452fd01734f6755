/*
 * ssda903.h - SSDA903 returns (children looked after, England) read into an
 * in-memory dataset of children and their episodes of care.
 *
 * Each annual return has a Header table (one row per child: CHILD, SEX, DOB)
 * and an Episodes table (one row per episode: CHILD, DECOM, RNE, LS, CIN,
 * PLACE, PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE). Several returns, of
 * one or several local authorities (LAs), are read together; episodes that
 * appear in more than one year are stitched into one (the latest return wins),
 * the data are checked against the rules listed in docs/formats.md ("SSDA903
 * input files"), and what can be used is kept:
 *   - an error means the row cannot be used and is left out (a whole input
 *     file only when it cannot be read or lacks a required column);
 *   - a warning means the row is kept as described by its rule.
 * Every problem is a diagnostic "file:line: message [rule-id]" (line = the
 * physical line of the row), and the counts per rule form a data-quality
 * summary (cc_ssda903_quality).
 *
 * Privacy: SSDA903 holds personal data. Nothing this module produces as text
 * contains a CHILD identifier, UPN, postcode, date of birth or any other date
 * from the input: messages point at rows by file and line and name columns and
 * codes only. UPN, HOME_POST, PL_POST, URN, ETHNIC and the other Header
 * columns are never read into the dataset; CHILD identifiers are used only
 * while reading, to link rows, and are not kept.
 *
 * Dates are cc_date day numbers. An episode covers the days [decom, dec): a
 * child is in care at the end of day d when decom <= d < dec, the rule DfE
 * uses for "looked after at 31 March".
 */
#ifndef CARECAST_SSDA903_H
#define CARECAST_SSDA903_H

#include "carecast/date.h"
#include "carecast/error.h"

#include <stddef.h>
#include <stdint.h>

/* ---- code lists ----------------------------------------------------------
 * Every code list starts with BLANK (the cell was empty) and INVALID (the
 * cell held something not in the list; kept only where that is a warning).
 * Lists and their sources: src/ssda903/codes.c. */

typedef enum {
	CC_SSDA903_SEX,
	CC_SSDA903_RNE,
	CC_SSDA903_LS,
	CC_SSDA903_CIN,
	CC_SSDA903_PLACE,
	CC_SSDA903_PROVIDER,
	CC_SSDA903_REC,
	CC_SSDA903_REASON,
	CC_SSDA903_NLISTS
} cc_ssda903_list;

/* SEX: 1 or M male, 2 or F female, U not known (2024-25 on). */
typedef enum {
	CC_SEX_BLANK,
	CC_SEX_INVALID,
	CC_SEX_MALE,
	CC_SEX_FEMALE,
	CC_SEX_U,
	CC_SEX_COUNT
} cc_ssda903_sex;

/* RNE: reason for new episode. S = started to be looked after; the others
 * continue a period of care (L legal status, P placement and carer, T
 * placement same carer, B and U both). */
typedef enum {
	CC_RNE_BLANK,
	CC_RNE_INVALID,
	CC_RNE_S,
	CC_RNE_L,
	CC_RNE_P,
	CC_RNE_T,
	CC_RNE_B,
	CC_RNE_U,
	CC_RNE_COUNT
} cc_ssda903_rne;

/* LS: legal status. V3 and V4 are short breaks (respite). */
typedef enum {
	CC_LS_BLANK,
	CC_LS_INVALID,
	CC_LS_C1,
	CC_LS_C2,
	CC_LS_D1,
	CC_LS_E1,
	CC_LS_J1,
	CC_LS_J2,
	CC_LS_J3,
	CC_LS_L1,
	CC_LS_L2,
	CC_LS_L3,
	CC_LS_V2,
	CC_LS_V3,
	CC_LS_V4,
	CC_LS_COUNT
} cc_ssda903_ls;

/* CIN: category of need N1-N8. */
typedef enum {
	CC_CIN_BLANK,
	CC_CIN_INVALID,
	CC_CIN_N1,
	CC_CIN_N2,
	CC_CIN_N3,
	CC_CIN_N4,
	CC_CIN_N5,
	CC_CIN_N6,
	CC_CIN_N7,
	CC_CIN_N8,
	CC_CIN_COUNT
} cc_ssda903_cin;

/* PLACE: placement type, including the historical Q1/Q2 and the 2025-26
 * Z11-Z14. */
typedef enum {
	CC_PLACE_BLANK,
	CC_PLACE_INVALID,
	CC_PLACE_A3,
	CC_PLACE_A4,
	CC_PLACE_A5,
	CC_PLACE_A6,
	CC_PLACE_H5,
	CC_PLACE_K1,
	CC_PLACE_K2,
	CC_PLACE_K3,
	CC_PLACE_P1,
	CC_PLACE_P2,
	CC_PLACE_P3,
	CC_PLACE_Q1,
	CC_PLACE_Q2,
	CC_PLACE_R1,
	CC_PLACE_R2,
	CC_PLACE_R3,
	CC_PLACE_R5,
	CC_PLACE_S1,
	CC_PLACE_T0,
	CC_PLACE_T1,
	CC_PLACE_T2,
	CC_PLACE_T3,
	CC_PLACE_T4,
	CC_PLACE_U1,
	CC_PLACE_U2,
	CC_PLACE_U3,
	CC_PLACE_U4,
	CC_PLACE_U5,
	CC_PLACE_U6,
	CC_PLACE_Z1,
	CC_PLACE_Z11,
	CC_PLACE_Z12,
	CC_PLACE_Z13,
	CC_PLACE_Z14,
	CC_PLACE_COUNT
} cc_ssda903_place;

/* PLACE_PROVIDER: PR0 parents, PR1 own LA, PR2 other LA, PR3 other public,
 * PR4 private, PR5 voluntary. */
typedef enum {
	CC_PROV_BLANK,
	CC_PROV_INVALID,
	CC_PROV_PR0,
	CC_PROV_PR1,
	CC_PROV_PR2,
	CC_PROV_PR3,
	CC_PROV_PR4,
	CC_PROV_PR5,
	CC_PROV_COUNT
} cc_ssda903_provider;

/* REC: reason episode ceased. X1 = a new episode starts the same day (not an
 * exit); E43/E44 are legacy special guardianship codes. */
typedef enum {
	CC_REC_BLANK,
	CC_REC_INVALID,
	CC_REC_X1,
	CC_REC_E11,
	CC_REC_E12,
	CC_REC_E13,
	CC_REC_E14,
	CC_REC_E15,
	CC_REC_E16,
	CC_REC_E17,
	CC_REC_E2,
	CC_REC_E3,
	CC_REC_E41,
	CC_REC_E43,
	CC_REC_E44,
	CC_REC_E45,
	CC_REC_E46,
	CC_REC_E47,
	CC_REC_E48,
	CC_REC_E4A,
	CC_REC_E4B,
	CC_REC_E5,
	CC_REC_E6,
	CC_REC_E7,
	CC_REC_E8,
	CC_REC_E9,
	CC_REC_COUNT
} cc_ssda903_rec;

/* REASON_PLACE_CHANGE. */
typedef enum {
	CC_RPC_BLANK,
	CC_RPC_INVALID,
	CC_RPC_ALLEG,
	CC_RPC_APPRR,
	CC_RPC_CARPL,
	CC_RPC_CHILD,
	CC_RPC_CLOSE,
	CC_RPC_CREQB,
	CC_RPC_CREQO,
	CC_RPC_CUSTOD,
	CC_RPC_LAREQ,
	CC_RPC_OTHER,
	CC_RPC_PLACE,
	CC_RPC_STAND,
	CC_RPC_COUNT
} cc_ssda903_reason;

/* The code for text (case-insensitive, trimmed): BLANK for "", INVALID when
 * not in the list. SEX accepts 1, 2, M, F and U. */
unsigned cc_ssda903_code_parse(cc_ssda903_list list, const char *text);
/* The code as written in returns ("U4", "E4A"; "M"/"F"/"U" for SEX), "" for
 * BLANK, "?" for INVALID or out of range. */
const char *cc_ssda903_code_name(cc_ssda903_list list, unsigned code);
/* What the code means, from the DfE guidance as collected in
 * ssda903_codelists.csv; "" for BLANK and INVALID. */
const char *cc_ssda903_code_description(cc_ssda903_list list, unsigned code);
/* Number of codes in a list, BLANK and INVALID included. */
unsigned cc_ssda903_code_count(cc_ssda903_list list);

/* ---- validation rules and the data-quality summary ----------------------- */

typedef enum {
	CC_SSDA903_R_FILE,         /* file unreadable or not a known table */
	CC_SSDA903_R_COLUMNS,      /* a required column is missing */
	CC_SSDA903_R_CSV_ROW,      /* CSV row with wrong field count or stray quote */
	CC_SSDA903_R_CHILD_BLANK,  /* CHILD empty */
	CC_SSDA903_R_LA_BLANK,     /* LA column empty */
	CC_SSDA903_R_YEAR_INVALID, /* YEAR column not a year */
	CC_SSDA903_R_DATE_INVALID, /* DOB / DECOM / DEC not a date */
	CC_SSDA903_R_DATE_MIXED,   /* date format differs from the file's */
	CC_SSDA903_R_CODE_SEX,
	CC_SSDA903_R_CODE_RNE,
	CC_SSDA903_R_CODE_LS,
	CC_SSDA903_R_CODE_CIN,
	CC_SSDA903_R_CODE_PLACE,
	CC_SSDA903_R_CODE_PROVIDER,
	CC_SSDA903_R_CODE_REC,
	CC_SSDA903_R_CODE_REASON,
	CC_SSDA903_R_DEC_REC, /* DEC without REC or the reverse */
	CC_SSDA903_R_DEC_BEFORE_DECOM,
	CC_SSDA903_R_DATE_AFTER_RETURN, /* DECOM or DEC after the collection year */
	CC_SSDA903_R_HEADER_DUPLICATE,  /* same child twice in a return, same values */
	CC_SSDA903_R_HEADER_CONFLICT,   /* same child twice in a return, DOB differs */
	CC_SSDA903_R_HEADER_CHANGED,    /* DOB or SEX differs between rows */
	CC_SSDA903_R_NO_HEADER,         /* episode of a child with no usable header row */
	CC_SSDA903_R_DOB_AFTER_DECOM,
	CC_SSDA903_R_AGE_18,            /* aged 18 or over at DECOM */
	CC_SSDA903_R_EPISODE_DUPLICATE, /* same child and DECOM twice in a return */
	CC_SSDA903_R_STITCH_CONFLICT,   /* same episode differs between returns */
	CC_SSDA903_R_STITCH_LOST,       /* open episode missing from the next return */
	CC_SSDA903_R_STITCH_MISSING,    /* episode missing from an earlier return */
	CC_SSDA903_R_OVERLAP,           /* starts before the previous episode ended */
	CC_SSDA903_R_CHAIN_GAP,         /* continuation RNE after a gap */
	CC_SSDA903_R_CHAIN_FIRST,       /* first episode seen is a continuation */
	CC_SSDA903_R_CHAIN_CODES,       /* same-day follow-on with disagreeing codes */
	CC_SSDA903_R_X1_NO_NEXT,        /* REC X1 but no episode starts that day */
	CC_SSDA903_R_YEAR_MISSING,      /* an LA lacks a return between two it has */
	CC_SSDA903_NRULES
} cc_ssda903_rule;

typedef struct {
	const char *id;            /* stable identifier, e.g. "dec-before-decom" */
	const char *description;   /* one line; what the rule checks */
	const char *action;        /* what happens to the data, e.g. "row left out" */
	cc_diag_severity severity; /* as applied (opts.strict makes all errors) */
	size_t count;              /* times the rule fired (rows, or files for file rules) */
} cc_ssda903_rule_count;

typedef struct {
	cc_ssda903_rule_count rule[CC_SSDA903_NRULES];
	size_t errors, warnings; /* sums of the counts by severity */
	size_t header_rows;      /* Header rows read (selected LAs) */
	size_t episode_rows;     /* Episodes rows read (selected LAs) */
	size_t other_la_rows;    /* rows skipped because their LA is not selected */
	size_t children;         /* children in the dataset */
	size_t episodes;         /* episodes in the dataset, after stitching */
} cc_ssda903_quality;

/* The rule's id, description, action and default severity (count 0). */
cc_ssda903_rule_count cc_ssda903_rule_info(cc_ssda903_rule rule);

/* ---- inputs ---------------------------------------------------------------- */

/* One input: a Header file and an Episodes file of the same return(s).
 * Pooled files (with LA and YEAR columns) hold many returns in one pair. */
typedef struct {
	const char *header;   /* Header table; NULL when there is none */
	const char *episodes; /* Episodes table; required */
	/* Collection year label: 0 to take it from the YEAR column, else the
	 * episodes file's name (its first 19xx/20xx), else the data. A label
	 * such as 2019 is read by opts.year_label; with year_is_end set, year is
	 * known to be the calendar year of the closing 31 March. */
	int year;
	int year_is_end;
	/* LA of the rows when the files have no LA column; NULL: one unnamed
	 * LA (""). */
	const char *la;
} cc_ssda903_input;

/* How a year label such as "2019" maps to a collection year. */
typedef enum {
	CC_SSDA903_YEAR_AUTO = 0, /* decide from the dates in the returns (below) */
	CC_SSDA903_YEAR_ENDING,   /* 2019 = the year ending 31 March 2019 (DfE usage) */
	CC_SSDA903_YEAR_STARTING  /* 2019 = the year starting 1 April 2019 */
} cc_ssda903_year_label;

typedef struct {
	/* LAs to keep, matched case-insensitively; nlas = 0 keeps every LA,
	 * each separately (children are identified by LA and CHILD). */
	const char *const *las;
	size_t nlas;
	/* Report every warning as an error, and fail (CC_EPARSE, no dataset)
	 * when there is any error. */
	int strict;
	/* Messages per rule before only counting (0: 20). */
	size_t messages_per_rule;
	cc_ssda903_year_label year_label;
} cc_ssda903_opts;

/* ---- the dataset ------------------------------------------------------------ */

/* An episode still open at the end of the data. */
#define CC_SSDA903_OPEN ((cc_date)INT32_MAX)
/* "No such index". */
#define CC_SSDA903_NONE ((size_t)-1)

/* Episode flags. */
#define CC_SSDA903_EP_PERIOD_START 1u /* starts a period of care (see docs) */
#define CC_SSDA903_EP_CUT 2u          /* DEC and REC set by the overlap rule */
#define CC_SSDA903_EP_LOST 4u         /* open, but absent from later returns */
#define CC_SSDA903_EP_BEFORE 8u       /* DECOM before the LA's first collection year */

typedef struct {
	const char *name;       /* as first written in the data; "" without LA column */
	cc_date first_year_end; /* 31 March closing the earliest collection year */
	cc_date last_year_end;  /* 31 March closing the latest */
	size_t nyears;          /* collection years read (fewer than the span if missing) */
	size_t first_child, nchildren;
} cc_ssda903_la;

typedef struct {
	size_t la;
	cc_date dob;
	uint8_t sex; /* cc_ssda903_sex */
	size_t first_episode, nepisodes;
} cc_ssda903_child;

typedef struct {
	size_t child;
	cc_date decom;
	cc_date dec;       /* CC_SSDA903_OPEN when open */
	cc_date last_seen; /* 31 March closing the latest return that holds the episode */
	uint8_t rne;       /* cc_ssda903_rne */
	uint8_t ls;        /* cc_ssda903_ls */
	uint8_t cin;       /* cc_ssda903_cin */
	uint8_t place;     /* cc_ssda903_place */
	uint8_t provider;  /* cc_ssda903_provider */
	uint8_t rec;       /* cc_ssda903_rec; BLANK when open, or ended without REC */
	uint8_t reason;    /* cc_ssda903_reason */
	uint8_t flags;     /* CC_SSDA903_EP_* */
	uint32_t file;     /* cc_ssda903_file index of the row kept */
	uint32_t line;     /* and its line */
} cc_ssda903_episode;

typedef enum {
	CC_SSDA903_FROM_INPUT,  /* cc_ssda903_input.year */
	CC_SSDA903_FROM_COLUMN, /* the YEAR column */
	CC_SSDA903_FROM_NAME,   /* the episodes file's name */
	CC_SSDA903_FROM_DATA    /* the dates in the return */
} cc_ssda903_year_source;

/* One annual return of one LA as read. */
typedef struct {
	size_t la;
	cc_date year_end; /* 31 March closing the collection year */
	cc_ssda903_year_source year_source;
	size_t episodes_file; /* cc_ssda903_file index */
	size_t header_file;   /* or CC_SSDA903_NONE */
	size_t episode_rows;  /* rows of this return read (before stitching) */
} cc_ssda903_return;

typedef struct cc_ssda903 cc_ssda903;

/* Reads the inputs. On success returns CC_OK and *out (free with
 * cc_ssda903_free); errors and warnings about rows are in diags, and the rows
 * they concern were left out or kept as the rules say. quality (may be NULL)
 * is filled whatever happens, so a failed strict read can still print it.
 * Failures (*out NULL): CC_EINVAL (no inputs, a selected LA not in the data),
 * CC_EIO / CC_ERANGE (a file cannot be read), CC_EPARSE (a file is not a
 * usable table, or strict and any error), CC_ENOMEM. */
int cc_ssda903_read(const cc_ssda903_input *inputs, size_t ninputs, const cc_ssda903_opts *opts,
                    cc_ssda903 **out, cc_ssda903_quality *quality, cc_diags *diags);

void cc_ssda903_free(cc_ssda903 *ds);

/* LAs sorted by name; children sorted by LA (each LA's children are
 * first_child .. first_child + nchildren - 1); episodes sorted by child and
 * DECOM (each child's are first_episode .. + nepisodes - 1). Indices are
 * < the matching count; pointers stay valid until cc_ssda903_free. */
size_t cc_ssda903_nlas(const cc_ssda903 *ds);
const cc_ssda903_la *cc_ssda903_la_at(const cc_ssda903 *ds, size_t i);
size_t cc_ssda903_nchildren(const cc_ssda903 *ds);
const cc_ssda903_child *cc_ssda903_child_at(const cc_ssda903 *ds, size_t i);
size_t cc_ssda903_nepisodes(const cc_ssda903 *ds);
const cc_ssda903_episode *cc_ssda903_episode_at(const cc_ssda903 *ds, size_t i);
size_t cc_ssda903_nreturns(const cc_ssda903 *ds);
const cc_ssda903_return *cc_ssda903_return_at(const cc_ssda903 *ds, size_t i);
size_t cc_ssda903_nfiles(const cc_ssda903 *ds);
const char *cc_ssda903_file(const cc_ssda903 *ds, size_t i);
const cc_ssda903_quality *cc_ssda903_summary(const cc_ssda903 *ds);
/* How year labels were read (ENDING or STARTING; AUTO if there were none). */
cc_ssda903_year_label cc_ssda903_year_labels(const cc_ssda903 *ds);

/* The episode of child in which the child is in care at the end of day
 * `date` (decom <= date < dec), or CC_SSDA903_NONE. Binary search. */
size_t cc_ssda903_episode_on(const cc_ssda903 *ds, size_t child, cc_date date);

/* The date of the birthday at which a child born on dob turns `years` (a
 * child born on 29 February has it on 1 March in other years, as in English
 * law). Use it to split exposure at birthdays. */
cc_date cc_ssda903_birthday(cc_date dob, int years);
/* Age in whole years on date (negative before birth). */
int cc_ssda903_age(cc_date dob, cc_date date);

/* ---- finding the files -------------------------------------------------------- */

/* The inputs found in a directory. Opaque; free with cc_ssda903_files_free. */
typedef struct cc_ssda903_files cc_ssda903_files;

/* Looks for returns in dir: yearly folders (dir/2019/, dir/2019-20/ ...)
 * holding the tables, files whose names carry a year (dir/2019-header.csv),
 * or files without a year (one return, or pooled files with LA and YEAR
 * columns). Tables are recognised by their header line, never by name:
 * Episodes has CHILD, DECOM, RNE, LS and PLACE; Header has CHILD, SEX and DOB
 * (and not DUC, which marks UASC). Other files and tables are skipped and
 * listed (cc_ssda903_files_skipped); names starting with '.' are ignored.
 * Fails with CC_EIO (dir unreadable) or CC_EPARSE (no Episodes table, two for
 * one year, a Header table without Episodes), with diagnostics; on success
 * *out (free with cc_ssda903_files_free) lists the inputs by year. */
int cc_ssda903_discover(const char *dir, cc_ssda903_files **out, cc_diags *diags);
void cc_ssda903_files_free(cc_ssda903_files *f);
size_t cc_ssda903_files_count(const cc_ssda903_files *f);
const cc_ssda903_input *cc_ssda903_files_inputs(const cc_ssda903_files *f);
size_t cc_ssda903_files_nskipped(const cc_ssda903_files *f);
/* Path of skipped file i, and why it was skipped (e.g. "the UASC table; not
 * used"). */
const char *cc_ssda903_files_skipped(const cc_ssda903_files *f, size_t i, const char **why);

#endif
