/*
 * rules.c - the validation rules: their ids, meanings and severities, and the
 * counting of problems.
 *
 * Every problem the reader finds is one of these rules. The first few
 * occurrences of each rule become messages; after that they are only counted,
 * so a file with a million bad rows yields a readable report and a summary
 * with exact counts. Severity is the rule's, unless the caller asked for
 * strict reading, which makes every rule an error (docs/formats.md lists the
 * rules; keep the two in step).
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_CAP 20

typedef struct {
	const char *id, *description, *action;
	cc_diag_severity severity;
} rule_def;

#define E CC_DIAG_ERROR
#define W CC_DIAG_WARNING
static const rule_def defs[CC_SSDA903_NRULES] = {
	[CC_SSDA903_R_FILE] = { "file",
	                        "an input file cannot be read, is not valid CSV, is not the table "
	                        "expected, or repeats a return already read",
	                        "the read fails", E },
	[CC_SSDA903_R_COLUMNS] = { "columns",
	                           "a table lacks a required column, or only one table of an "
	                           "input has an LA column",
	                           "the read fails", E },
	[CC_SSDA903_R_CSV_ROW] = { "csv-row",
	                           "a row has fewer or more fields than the header line, or a "
	                           "stray quote",
	                           "row left out", E },
	[CC_SSDA903_R_CHILD_BLANK] = { "child-blank", "CHILD is empty", "row left out", E },
	[CC_SSDA903_R_LA_BLANK] = { "la-blank", "the LA column is empty", "row left out", E },
	[CC_SSDA903_R_YEAR_INVALID] = { "year-invalid",
	                                "the YEAR column is not a year (1900-2999, or 2019-20)",
	                                "row left out", E },
	[CC_SSDA903_R_DATE_INVALID] = { "date-invalid",
	                                "DOB, DECOM or DEC is not a calendar date in the file's "
	                                "format, or DOB or DECOM is empty",
	                                "row left out", E },
	[CC_SSDA903_R_DATE_MIXED] = { "date-mixed",
	                              "a date is written YYYY-MM-DD in a file whose dates are "
	                              "DD/MM/YYYY, or the reverse",
	                              "row left out", E },
	[CC_SSDA903_R_CODE_SEX] = { "code-sex", "SEX is empty or not 1, 2, M, F or U",
	                            "kept; sex unknown", W },
	[CC_SSDA903_R_CODE_RNE] = { "code-rne", "RNE is empty or not an RNE code",
	                            "kept; RNE unknown (chain rules skip it)", W },
	[CC_SSDA903_R_CODE_LS] = { "code-ls", "LS is empty or not a legal status code",
	                           "kept; legal status unknown", W },
	[CC_SSDA903_R_CODE_CIN] = { "code-cin", "CIN is empty or not N1-N8",
	                            "kept; category of need unknown", W },
	[CC_SSDA903_R_CODE_PLACE] = { "code-place", "PLACE is empty or not a placement code",
	                              "row left out", E },
	[CC_SSDA903_R_CODE_PROVIDER] = { "code-provider",
	                                 "PLACE_PROVIDER is not PR0-PR5, or is empty with a "
	                                 "PLACE other than T0-T4 or Z11-Z14",
	                                 "kept; provider unknown", W },
	[CC_SSDA903_R_CODE_REC] = { "code-rec", "REC is not a reason-ceased code",
	                            "kept; reason unknown", W },
	[CC_SSDA903_R_CODE_REASON] = { "code-reason", "REASON_PLACE_CHANGE is not a reason code",
	                               "kept; reason unknown", W },
	[CC_SSDA903_R_DEC_REC] = { "dec-rec", "DEC without REC, or REC without DEC (DfE 148)",
	                           "kept; with DEC it ended for an unknown reason, without DEC "
	                           "it is open",
	                           W },
	[CC_SSDA903_R_DEC_BEFORE_DECOM] = { "dec-before-decom", "DEC is before DECOM (DfE 356)",
	                                    "row left out", E },
	[CC_SSDA903_R_DATE_AFTER_RETURN] = { "date-after-return",
	                                     "DECOM or DEC is after the 31 March closing the "
	                                     "return's collection year (DfE 354, 385)",
	                                     "kept", W },
	[CC_SSDA903_R_HEADER_DUPLICATE] = { "header-duplicate",
	                                    "a return has two identical Header rows for a child",
	                                    "the first row kept", W },
	[CC_SSDA903_R_HEADER_CONFLICT] = { "header-conflict",
	                                   "a return has two Header rows for a child with "
	                                   "different DOB",
	                                   "child left out, with all its episodes", E },
	[CC_SSDA903_R_HEADER_CHANGED] = { "header-changed",
	                                  "a child's DOB or SEX differs between the Header rows "
	                                  "of different returns (or SEX within one return)",
	                                  "kept; the latest return's first row wins", W },
	[CC_SSDA903_R_NO_HEADER] = { "no-header",
	                             "an episode's child has no usable Header row in any return "
	                             "of its LA",
	                             "episode left out", E },
	[CC_SSDA903_R_DOB_AFTER_DECOM] = { "dob-after-decom", "DOB is after DECOM (DfE 302)",
	                                   "episode left out", E },
	[CC_SSDA903_R_AGE_18] = { "age-18", "the child is 18 or over at DECOM (DfE 352)",
	                          "episode left out", E },
	[CC_SSDA903_R_EPISODE_DUPLICATE] = { "episode-duplicate",
	                                     "a return has two episodes of a child with the "
	                                     "same DECOM",
	                                     "the later row left out", E },
	[CC_SSDA903_R_STITCH_CONFLICT] = { "stitch-conflict",
	                                   "an episode repeated in a later return differs in "
	                                   "RNE, LS, CIN, PLACE, PLACE_PROVIDER, REASON_PLACE_"
	                                   "CHANGE, or an already recorded DEC or REC",
	                                   "kept; the later return wins", W },
	[CC_SSDA903_R_STITCH_LOST] = { "stitch-lost",
	                               "an episode open at the end of a return is absent from "
	                               "the LA's later returns (DfE 502)",
	                               "kept open, flagged LOST; last_seen is the end of the "
	                               "last return holding it",
	                               W },
	[CC_SSDA903_R_STITCH_MISSING] = { "stitch-missing",
	                                  "an episode is absent from an earlier return of its LA "
	                                  "whose collection year it overlaps (DfE 562)",
	                                  "kept", W },
	[CC_SSDA903_R_OVERLAP] = { "overlap",
	                           "an episode starts before the child's previous episode ended, "
	                           "or while it is open (DfE 501, 142)",
	                           "kept; the previous episode is cut to end at this DECOM "
	                           "with REC X1 (flagged CUT)",
	                           W },
	[CC_SSDA903_R_CHAIN_GAP] = { "chain-gap",
	                             "RNE says the episode continues a period of care, but the "
	                             "child's previous episode ended before this DECOM (DfE 433)",
	                             "kept; starts a new period of care", W },
	[CC_SSDA903_R_CHAIN_FIRST] = { "chain-first",
	                               "a child's first episode has a continuation RNE but "
	                               "starts within the collection years read (DfE 357)",
	                               "kept; starts a period of care", W },
	[CC_SSDA903_R_CHAIN_CODES] = { "chain-codes",
	                               "an episode starts the day the previous one ended, but "
	                               "the previous REC is X1 and RNE is S, or the previous REC "
	                               "is an exit and RNE is not S (DfE 431, 432)",
	                               "kept; the two are one period of care", W },
	[CC_SSDA903_R_X1_NO_NEXT] = { "x1-no-next",
	                              "REC is X1 but no episode of the child starts on its DEC "
	                              "(DfE 388)",
	                              "kept; the period of care ends there", W },
	[CC_SSDA903_R_YEAR_MISSING] = { "year-missing",
	                                "an LA has no return for a year between two years it "
	                                "has returns for",
	                                "kept; episodes of that year may be missing", W },
};
#undef E
#undef W

cc_ssda903_rule_count cc_ssda903_rule_info(cc_ssda903_rule rule)
{
	cc_ssda903_rule_count r = { "", "", "", CC_DIAG_ERROR, 0 };
	if ((unsigned)rule < CC_SSDA903_NRULES) {
		r.id = defs[rule].id;
		r.description = defs[rule].description;
		r.action = defs[rule].action;
		r.severity = defs[rule].severity;
	}
	return r;
}

void rules_init(rulebook *rb, cc_diags *diags, int strict, size_t cap)
{
	memset(rb, 0, sizeof *rb);
	rb->diags = diags;
	rb->strict = strict;
	rb->cap = cap ? cap : DEFAULT_CAP;
}

static cc_diag_severity severity(const rulebook *rb, cc_ssda903_rule rule)
{
	return rb->strict ? CC_DIAG_ERROR : defs[rule].severity;
}

void rules_report(rulebook *rb, cc_ssda903_rule rule, const char *file, size_t line,
                  const char *fmt, ...)
{
	if (rb->count[rule]++ >= rb->cap)
		return;
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cc_diags_add(rb->diags, severity(rb, rule), file, line, 0, "%s [%s]", msg, defs[rule].id);
}

size_t rules_errors(const rulebook *rb)
{
	size_t n = 0;
	for (int r = 0; r < CC_SSDA903_NRULES; r++)
		if (severity(rb, (cc_ssda903_rule)r) == CC_DIAG_ERROR)
			n += rb->count[r];
	return n;
}

void rules_finish(rulebook *rb, cc_ssda903_quality *q)
{
	for (int r = 0; r < CC_SSDA903_NRULES; r++) {
		cc_ssda903_rule rule = (cc_ssda903_rule)r;
		if (rb->count[r] > rb->cap)
			cc_diags_add(rb->diags, severity(rb, rule), NULL, 0, 0,
			             "%zu more [%s] problems not shown (%zu in all)",
			             rb->count[r] - rb->cap, defs[r].id, rb->count[r]);
		if (!q)
			continue;
		q->rule[r] = cc_ssda903_rule_info(rule);
		q->rule[r].severity = severity(rb, rule);
		q->rule[r].count = rb->count[r];
		if (q->rule[r].severity == CC_DIAG_ERROR)
			q->errors += rb->count[r];
		else
			q->warnings += rb->count[r];
	}
}
