/*
 * chart_int.h - shared pieces of the chart module (internal to src/chart/).
 *
 * The chart module turns a run's summary.json into publication charts. It is
 * split by job:
 *   summary_read.c   summary.json -> typed views with positions in messages
 *   chart_util.c     text buffers, number formats, axes, wrapping, names
 *   gnuplot.c        running gnuplot with fork+exec, a deadline and captured
 *                    output (no shell anywhere)
 *   svg.c            gnuplot's SVG -> an accessible SVG (own title and
 *                    description, unique ids, font fallbacks)
 *   chart.c          the jobs: data file, CSV, script, outputs, cleanup
 *   chart_cla.c, chart_mix.c, chart_sufficiency.c, chart_spend.c,
 *   chart_scenarios.c, chart_flows.c
 *                    one file per chart family: what to draw, its message
 *                    title, caption and alt text
 *   report_html.c    the self-contained HTML report
 *
 * The look (colours, fonts, layout) lives in the gnuplot templates in plots/;
 * the C code decides what the numbers are and what they say.
 */
#ifndef CARECAST_CHART_INT_H
#define CARECAST_CHART_INT_H

#include "carecast/chart.h"
#include "carecast/date.h"
#include "carecast/error.h"
#include "carecast/model.h"
#include "json/jdoc.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* ---- text buffers ------------------------------------------------------- */

/* A growing string. After an allocation failure `oom` is set and further
 * appends are ignored, so callers check once at the end. */
typedef struct {
	char *s;
	size_t len, cap;
	int oom;
} sbuf;

void sb_init(sbuf *b);
void sb_free(sbuf *b);
void sb_addn(sbuf *b, const char *s, size_t n);
void sb_add(sbuf *b, const char *s);
void sb_addc(sbuf *b, char c);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text (never NULL: "" when empty); valid until the next append. */
const char *sb_str(const sbuf *b);
/* Hands the text to the caller (free with free()), NULL after a failure;
 * the buffer is left empty. */
char *sb_take(sbuf *b);

/* A gnuplot single-quoted string literal: quotes doubled, control
 * characters replaced by spaces (nothing else is special inside single
 * quotes: no backquote or macro substitution). */
void sb_gp_quote(sbuf *b, const char *s);
/* Text escaped for XML and HTML element content and attribute values. */
void sb_xml(sbuf *b, const char *s);

/* ---- numbers and words --------------------------------------------------- */

/* "1,234" (rounded to a whole number). */
void fmt_count(double v, char *buf, size_t size);
/* A count, or a small non-integer with one decimal ("4.5"). */
void fmt_num(double v, char *buf, size_t size);
/* Pounds: "£950", "£850k", "£1.2m", "£123m"; `precise` gives one more
 * significant digit ("£3.54m", "£852k"). */
void fmt_money(double v, int precise, char *buf, size_t size);
/* "31 March 2030" and "March 2030". */
void fmt_date_long(cc_date d, char *buf, size_t size);
void fmt_month_year(cc_date d, char *buf, size_t size);
/* Words separated by spaces. */
size_t count_words(const char *s);
/* A category, exit reason or provider name for people: "with_parents" ->
 * "With parents", "sgo" -> "Special guardianship". */
void display_name(const char *name, char *buf, size_t size);
/* The same for a placement category: "supported" -> "Supported
 * accommodation". */
void display_category(const char *name, char *buf, size_t size);

/* A round axis: ticks min, min + step, ..., max. */
typedef struct {
	double min, max, step;
	size_t n;
} chart_axis;

/* Chooses round ticks covering [lo, hi] with at most max_ticks ticks (at
 * least 3 when possible). `from_zero`: start at 0 when the data are
 * non-negative. `integer`: steps of at least 1 (counts). */
void chart_axis_nice(double lo, double hi, int from_zero, int integer, size_t max_ticks,
                     chart_axis *a);

/* How axis tick labels are written. */
typedef enum { AXIS_COUNT, AXIS_MONEY, AXIS_PERCENT } axis_format;

/* Appends gnuplot assignments `<var>_pos = '...'` and `<var>_lab = '...'`
 * (space-separated, one word each) and `<var>_min`, `<var>_max`. */
void chart_axis_vars(sbuf *vars, const char *var, const chart_axis *a, axis_format f);

/* Wraps text at spaces to lines of at most `width` characters (UTF-8
 * characters, not bytes; a longer word gets a line of its own). Appends the
 * gnuplot array `var` of the lines and `var_lines`; returns the number of
 * lines. */
size_t gp_wrapped(sbuf *b, const char *var, const char *text, size_t width);

/* Moves label positions y[0..n-1] apart to at least `gap`, keeping them in
 * [lo, hi] where possible and close to where they were. */
void repel_labels(double *y, size_t n, double gap, double lo, double hi);

/* Picks the first candidate title of at most CC_CHART_TITLE_MAX_WORDS words
 * that fits on one line (CHART_TITLE_WIDTH characters), else the first of at
 * most that many words, else the last. Returns a copy or NULL. */
char *pick_title(const char *const *candidates, size_t n);

/* ---- summary.json --------------------------------------------------------- */

enum { ST_MEAN, ST_P5, ST_P25, ST_P50, ST_P75, ST_P95, ST_N };
extern const char *const chart_stat_names[ST_N];

/* A statistics object of one number each. have: bit k set when stat k is
 * present. */
typedef struct {
	double v[ST_N];
	unsigned have;
} chart_stat;

/* A monthly statistics object: arrays of n numbers, NULL when absent. */
typedef struct {
	size_t n;
	double *v[ST_N];
} chart_series;

typedef struct {
	cc_jdoc *doc;
	const cJSON *root;
	const char *path;
	int expected; /* mode "expected": statistics hold only the mean */
	const char *mode, *version, *model_name, *rng, *quantiles;
	const char *v_gsl, *v_cjson;
	double seed, replications;
	int parameter_uncertainty; /* -1 unknown */
	cc_date base_date;
	/* Month ends 1..T of the forecast. */
	size_t T;
	cc_date *dates;
	size_t K;
	const char *cat[CC_MAX_LIST];
	size_t n_reasons;
	const char *reason[CC_MAX_LIST + 1];
	/* Observed history (may be empty). */
	size_t n_hist;
	cc_date *hist_date;
	double *hist_total;
	const cJSON *hist_by_category; /* {category: [number or null]} or NULL */
	/* Scenarios: [0] is the baseline. */
	size_t n_scen;
	const cJSON **scen;
	const char **scen_name;
	/* The baseline's financial years. */
	size_t n_fy;
	const cJSON **fy;
	const char **fy_label;
	cc_date *fy_to;
	size_t *fy_month; /* month index t (1..T) of the year's last day */
	const cJSON *inputs;
} chart_summary;

/* Reads and checks the parts of summary.json every chart needs. Problems go
 * to diags with file:line:column; returns CC_OK, CC_EIO, CC_EPARSE or
 * CC_ENOMEM. Free with cs_free (also after a failure). */
int cs_load(const char *path, chart_summary *S, cc_diags *diags);
void cs_free(chart_summary *S);

/* Member at a '/'-separated path of objects ("spend/by_provider/in_house");
 * NULL when any step is missing. */
const cJSON *cs_at(const cJSON *obj, const char *path);

/* A yearly statistics object at path under obj: 1 read, 0 absent, -1
 * malformed (error added). At least the mean or the median is required. */
int cs_stat(chart_summary *S, const cJSON *obj, const char *path, chart_stat *out);
/* A monthly statistics object (arrays of S->T numbers): the same results,
 * and -2 when out of memory; free with cs_series_free. */
int cs_series(chart_summary *S, const cJSON *obj, const char *path, chart_series *out);
void cs_series_free(chart_series *s);
/* A number at path: 1, 0 or -1 as above. */
int cs_number(chart_summary *S, const cJSON *obj, const char *path, double *out);

/* The central value: the median, or the mean when only the mean is given. */
static inline double stat_mid(const chart_stat *s)
{
	return (s->have & (1u << ST_P50)) ? s->v[ST_P50] : s->v[ST_MEAN];
}
static inline int stat_has(const chart_stat *s, int k) { return (s->have >> k) & 1u; }
static inline int stat_has_band(const chart_stat *s)
{
	return stat_has(s, ST_P5) && stat_has(s, ST_P95);
}
static inline double series_mid(const chart_series *s, size_t t)
{
	return s->v[ST_P50] ? s->v[ST_P50][t] : s->v[ST_MEAN][t];
}
static inline int series_has_band(const chart_series *s) { return s->v[ST_P5] && s->v[ST_P95]; }
static inline int series_has_iqr(const chart_series *s) { return s->v[ST_P25] && s->v[ST_P75]; }

/* ---- running gnuplot ------------------------------------------------------ */

/* Runs argv[0] (looked up in PATH when it has no '/') with argv, stdin from
 * /dev/null, stdout and stderr captured together into *output (caller frees;
 * at most 64 KiB kept). Killed after timeout_ms. Returns CC_OK when it exited
 * with status 0. CC_EIO otherwise: with a diagnostic when it could not be
 * started, timed out or was killed (*exit_status -1); without one when it
 * exited with a non-zero status (*exit_status), which the caller reports
 * with what it said (gp_excerpt). */
int gp_run(char *const argv[], unsigned timeout_ms, char **output, int *exit_status,
           cc_diags *diags);
/* The first few lines of gnuplot's output, joined into one line. */
void gp_excerpt(const char *output, char *buf, size_t size);

/* ---- SVG post-processing ------------------------------------------------- */

/* Rewrites gnuplot's SVG: its own <title> and <desc> (ids prefix-title and
 * prefix-desc, referenced by role="img" aria-labelledby on the root), every
 * id and reference prefixed with `prefix-` so several charts can share one
 * HTML page, the per-plot <title> elements gnuplot names after its internal
 * ids removed, and font families given fallbacks (a ":Bold" suffix becomes
 * font-weight="bold"). CC_EPARSE when the text is not a gnuplot SVG. */
int svg_rewrite(const char *in, size_t len, const char *prefix, const char *title, const char *desc,
                sbuf *out);

/* ---- chart jobs ------------------------------------------------------------ */

struct cc_charts {
	size_t n, cap;
	cc_chart_info *v;
	size_t n_notes, cap_notes;
	char **notes;
	char *dir;
	char *gnuplot_version;
};

typedef struct {
	chart_summary *S;
	const cc_chart_options *o;
	const char *out_dir;
	cc_diags *d;
	struct cc_charts *list;
	/* "carecast 0.1.0 stochastic cohort model (capacity.json), 200
	 * replications, seed 3" */
	char *model_line;
	/* "April 2025 to March 2030" */
	char *period;
	/* Set once a chart has failed: later charts are not attempted. */
	int failed;
} chart_ctx;

/* One chart being made: its data file for gnuplot, its public CSV table,
 * the settings passed to its template, and its texts. */
typedef struct {
	chart_ctx *ctx;
	char stem[96];
	char tmpl[32];
	sbuf vars;
	char *dat_path;
	FILE *dat;
	char *csv_path;
	struct cc_outfile *csv_out;
	FILE *csv;
	char *heading, *title, *caption, *alt;
	size_t title_lines, caption_lines; /* as wrapped by job_texts */
} chart_job;

/* Starts a chart: opens a temporary data file and the CSV in the output
 * directory. stem is the file name without extension (made safe and unique
 * here). CC_OK, CC_EIO or CC_ENOMEM. */
int job_open(chart_ctx *c, chart_job *j, const char *stem, const char *tmpl, const char *heading);
/* Template settings. */
void job_num(chart_job *j, const char *var, double v);
void job_str(chart_job *j, const char *var, const char *s);
/* The message title, the caption and the alt text (all copied). The caption
 * is built as "<measure>. <model name>, <period>. <model line>." with the
 * run's period when `period` is NULL. A NULL title (its allocation failed)
 * makes job_finish release the job and return CC_ENOMEM. */
void job_texts(chart_job *j, const char *title, const char *measure, const char *period,
               const char *alt);
/* Renders SVG and PNG, writes the CSV and alt text, records the chart.
 * Always releases the job. */
int job_finish(chart_job *j);
void job_abort(chart_job *j);
/* Records a chart skipped for lack of data. */
void chart_note(chart_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* CSV output: a field quoted when needed, a number (%.10g; NaN: empty). */
void csv_text(FILE *f, const char *s);
void csv_num(FILE *f, double v);

/* Monthly x positions: months after the base date (the base date is 0),
 * fractional for dates that are not month ends. */
double month_x(const chart_summary *S, cc_date d);
/* Financial-year tick labels and grid lines for a monthly axis from x0 to
 * x1: sets xtic_pos, xtic_lab (every k-th year so labels never crowd) and
 * xgrid (each 31 March). */
void job_fy_axis(chart_job *j, double x0, double x1);

/* Chart families. Each returns CC_OK (also when skipped with a note) or an
 * error (CC_EPARSE for a malformed summary, CC_EIO when rendering failed). */
int chart_cla(chart_ctx *c);
int chart_mix(chart_ctx *c);
int chart_sufficiency(chart_ctx *c);
int chart_spend(chart_ctx *c);
int chart_scenarios(chart_ctx *c);
int chart_flows(chart_ctx *c);

/* Layout shared with plots/common.gp: the plot area's height in SVG pixels
 * for a chart with `title_lines` and `caption_lines` lines (used to space
 * direct labels). */
double chart_plot_height_px(size_t title_lines, size_t caption_lines, size_t key_rows);

/* Widths (in characters) to which titles and captions are wrapped. */
#define CHART_TITLE_WIDTH 64
#define CHART_CAPTION_WIDTH 94

#endif
