/*
 * internal.h - what the files of the SSDA903 reader share.
 *
 * Reading runs in stages over one work area (struct work):
 *   read.c      each input's Header and Episodes rows into hd_row / ep_row
 *   years.c     the collection year of every return
 *   stitch.c    Header rows into one row per child; episodes repeated across
 *               returns into one episode
 *   validate.c  each child's episodes in order: ages, overlaps, chains
 *   dataset.c   the result and its accessors; cc_ssda903_read runs the stages
 * with helpers in codes.c (code lists, year labels, describing values without
 * quoting personal data), rules.c (counting and capping messages) and keys.c
 * (string and integer hash tables). discover.c finds the inputs in a folder.
 */
#ifndef CARECAST_SSDA903_INTERNAL_H
#define CARECAST_SSDA903_INTERNAL_H

#include "carecast/csv.h"
#include "carecast/ssda903.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define NONE32 UINT32_MAX

/* ---- keys.c: interned strings and a u64 -> u32 map ----------------------- */

/* Strings interned per namespace: (ns, text) -> dense index. fold = 1 makes
 * the match ASCII case-insensitive (the first spelling is kept). */
typedef struct {
	uint64_t *slots; /* hash << 32 | (index + 1); 0 = empty */
	size_t nslots;
	struct strent {
		uint32_t ns, off, hash;
	} * ents;
	size_t n, cap;
	char *text;
	size_t tlen, tcap;
	int fold;
} strtab;

void strtab_init(strtab *t, int fold);
void strtab_free(strtab *t);
/* Returns the index of (ns, s), adding it if new; NONE32 when out of memory. */
uint32_t strtab_intern(strtab *t, uint32_t ns, const char *s);
/* The index of (ns, s) or NONE32. */
uint32_t strtab_find(const strtab *t, uint32_t ns, const char *s);
const char *strtab_str(const strtab *t, uint32_t i);
/* The hash of (ns, s); a hint to fetch its slot ahead of a lookup; and
 * strtab_intern with the hash already known. */
uint32_t strtab_hash(const strtab *t, uint32_t ns, const char *s);
void strtab_prefetch(const strtab *t, uint32_t hash);
uint32_t strtab_intern_hashed(strtab *t, uint32_t ns, const char *s, uint32_t hash);
uint32_t strtab_ns(const strtab *t, uint32_t i);

typedef struct {
	uint64_t *keys;
	uint32_t *vals; /* NONE32 = empty */
	size_t nslots, n;
} u64map;

void u64map_init(u64map *m);
void u64map_free(u64map *m);
uint32_t u64map_get(const u64map *m, uint64_t key);
int u64map_put(u64map *m, uint64_t key, uint32_t val); /* 0 when out of memory */

/* ---- rules.c: counting problems and capping messages --------------------- */

typedef struct {
	cc_diags *diags;
	int strict;
	size_t cap;
	size_t count[CC_SSDA903_NRULES];
} rulebook;

void rules_init(rulebook *rb, cc_diags *diags, int strict, size_t cap);
/* Counts one occurrence and, up to the cap, adds "message [rule-id]" at
 * file:line (line 0: the file as a whole; file NULL: the inputs as a whole). */
void rules_report(rulebook *rb, cc_ssda903_rule rule, const char *file, size_t line,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Adds the "N more not shown" lines and fills q's rule table and totals. */
void rules_finish(rulebook *rb, cc_ssda903_quality *q);
size_t rules_errors(const rulebook *rb);

/* ---- codes.c: values, names and years ------------------------------------ */

/* Describes a cell's value for a message without risking personal data: the
 * value in quotes if it looks like a code (1 to 6 letters and digits, with a
 * letter unless it is 1 character long) and is not the row's CHILD; else its
 * shape ("text shaped 99/99/99", "a value of 120 characters"). */
void describe_value(const char *value, const char *child, char *buf, size_t size);
/* Finds a year in a file or folder name: the first 19xx or 20xx standing
 * alone. "2019-20", "2019_20" and "2019-2020" name the year ending 31 March
 * 2020 (*is_end = 1, *year = 2020); "2019" alone sets *year = 2019,
 * *is_end = 0. Returns 0 when there is none. */
int year_in_name(const char *name, int *year, int *is_end);
/* 31 March of a calendar year. */
cc_date march31(int year);
/* The 31 March on or after d. */
cc_date year_end_of(cc_date d);
/* Codes the rules test. */
int rec_is_exit(unsigned rec);   /* an E code (not X1, BLANK or INVALID) */
int rne_continues(unsigned rne); /* L, P, T, B or U */
/* Writes the valid codes of a list compactly ("S, L, P, T, B or U") */
const char *code_list_summary(cc_ssda903_list list);

/* ---- the work area --------------------------------------------------------- */

enum { EPF_DROP = 0x80 }; /* internal: row left out */

/* Rows are kept small (a national return has about a million): the file
 * of a row is its return's (ep_file or hd_file; each return has one file of
 * each table), and an episode's last_seen is its return's end. */
typedef struct {
	uint32_t child; /* index in work.kids */
	uint32_t ret;   /* index in work.rets */
	uint32_t line;
	cc_date decom, dec;
	uint8_t rne, ls, cin, place, provider, rec, reason, flags;
} ep_row;

typedef struct {
	uint32_t child, ret, line;
	cc_date dob;
	uint8_t sex;
} hd_row;

typedef struct {
	uint32_t input, la;
	int label;        /* year label, 0 if none */
	int label_is_end; /* label is the calendar year of the closing 31 March */
	cc_ssda903_year_source source;
	size_t ep_file, hd_file; /* file indices, hd_file CC_SSDA903_NONE if none */
	size_t nep;              /* episode rows read */
	cc_date end;             /* collection year end, set by years.c */
} ret_info;

enum { KID_NONE = 0, KID_OK, KID_CONFLICT };

typedef struct {
	cc_ssda903_opts opts;
	rulebook rb;
	cc_diags *diags;
	int status; /* CC_OK, or the first failure that stops the read */
	char **files;
	size_t nfiles, files_cap;
	strtab las;                 /* every LA name seen (folded) */
	uint32_t last_la, last_kid; /* those of the previous row, tried first */
	uint8_t *la_sel;            /* per LA: selected */
	size_t la_sel_cap;
	strtab kids; /* (LA, CHILD) */
	struct kid {
		cc_date dob;
		uint8_t sex, state;
		uint32_t bad_file, bad_line; /* a Header row left out, for messages */
	} * kid;
	size_t kid_cap;
	u64map retmap; /* (input, LA, label) -> return */
	ret_info *rets;
	size_t nrets, rets_cap;
	ep_row *eps;
	size_t neps, eps_cap;
	hd_row *hds;
	size_t nhds, hds_cap;
	size_t header_rows, episode_rows, other_la_rows;
	cc_ssda903_year_label labels; /* as applied */
	/* Per LA (years.c): the collection year ends read, ascending. */
	struct la_years {
		cc_date *ends;
		cc_date *starts; /* the 1 April opening each year */
		size_t n;
	} * lay;
	size_t nlay;
} work;

/* The file an Episodes or Header row was read from. */
static inline const char *ep_path(const work *w, const ep_row *e)
{
	return w->files[w->rets[e->ret].ep_file];
}
static inline const char *hd_path(const work *w, const hd_row *h)
{
	return w->files[w->rets[h->ret].hd_file];
}

/* Grows *p (elements of size elem) to hold need; 0 when out of memory. */
int grow_array(void **p, size_t *cap, size_t need, size_t elem);
/* Adds a file name to work.files; returns its index or NONE32. */
uint32_t work_file(work *w, const char *path);
/* Interns an LA; grows the selection flags; NONE32 when out of memory. */
uint32_t work_la(work *w, const char *name);
/* Interns a child of an LA; grows work.kid; NONE32 when out of memory.
 * hash is strtab_hash(&w->kids, la, child) if known, else pass have_hash 0. */
uint32_t work_kid(work *w, uint32_t la, const char *child, int have_hash, uint32_t hash);

/* read.c */
typedef enum { TK_UNKNOWN, TK_HEADER, TK_EPISODES, TK_OTHER } table_kind;
/* Which SSDA903 table t is, by its columns; *name is its name (NULL when
 * unknown). */
table_kind table_kind_of(const cc_csv *t, const char **name);
void read_input(work *w, size_t index, const cc_ssda903_input *in);
/* years.c */
void resolve_years(work *w);
/* stitch.c: headers into w->kid; episodes into *out (sorted by child rank and
 * DECOM; rank[kid] = the child's position in (LA name, CHILD) order). */
void resolve_headers(work *w, const uint32_t *rank);
int stitch_episodes(work *w, const uint32_t *rank, ep_row **out, size_t *nout);
/* validate.c: marks EPF_DROP, cuts overlaps, sets flags, in place. */
void validate_children(work *w, ep_row *eps, size_t n);

/* Whether the return of LA la closing on year_end was read (years.c). */
int la_has_year(const work *w, uint32_t la, cc_date year_end);
/* A name for messages: "LA Bromley" or "the data" for the unnamed LA. */
void la_label(const work *w, uint32_t la, char *buf, size_t size);

#endif
