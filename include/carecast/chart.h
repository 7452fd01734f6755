/*
 * chart.h - publication-ready charts from a run's outputs.
 *
 * cc_chart_render reads DIR/summary.json (docs/formats.md, "Run outputs") and
 * draws, with gnuplot and the templates in plots/ (docs/charts.md):
 *
 *   cla                      children looked after: history, forecast median,
 *                            50% and 90% bands, the forecast start
 *   placement-mix            children by category at each 31 March (stacked)
 *   sufficiency-<pool>       in-house places against demand, external overflow
 *                            and the yearly gap (with capacity)
 *   spend                    spend per financial year against budget, by
 *                            provider (with costs)
 *   scenarios[-N]            each scenario's stock, at most 4 per chart
 *   scenario-difference[-N]  each scenario minus the baseline
 *   entries-exits            entries and exits by reason per financial year
 *
 * Each chart is written as <name>.svg, <name>.png (CC_CHART_PNG_WIDTH x
 * CC_CHART_PNG_HEIGHT pixels, white background), <name>.csv (the data behind
 * it) and <name>.txt (its alt text). Charts whose data the run does not have
 * are skipped with a note, not an error. Every file is written to a temporary
 * name and renamed into place.
 *
 * gnuplot is run as a separate program (fork and exec, never a shell), with a
 * time limit. The library never reads the environment: the caller says which
 * gnuplot to run and where the templates are.
 */
#ifndef CARECAST_CHART_H
#define CARECAST_CHART_H

#include "carecast/error.h"

#include <stddef.h>

/* The SVG's size in pixels (CSS pixels: 6.67 x 4.58 inches at 96 dpi), and
 * the PNG's (the same size at 300 dpi). */
#define CC_CHART_SVG_WIDTH 640
#define CC_CHART_SVG_HEIGHT 440
#define CC_CHART_PNG_WIDTH 2000
#define CC_CHART_PNG_HEIGHT 1375
/* Base font size in pixels of the SVG (10.5 pt at the size above). */
#define CC_CHART_FONT_PX 14
/* Longest message title, in words. */
#define CC_CHART_TITLE_MAX_WORDS 10
/* Most series on one scenario chart (the baseline included). */
#define CC_CHART_MAX_SERIES 4
/* Default time limit for one gnuplot run. */
#define CC_CHART_TIMEOUT_MS 30000u

typedef struct {
	/* The gnuplot program: a path, or a name looked up in PATH.
	 * Default "gnuplot". */
	const char *gnuplot;
	/* Directory holding common.gp and the chart templates. Default
	 * "plots". */
	const char *templates;
	/* Where the chart files go; NULL: DIR/charts. Created if missing. */
	const char *out_dir;
	/* Time limit for each gnuplot run in milliseconds; 0: the default. */
	unsigned timeout_ms;
	/* Non-zero: keep each chart's data file and gnuplot script (named
	 * .<chart>.dat.XXXXXX and .<chart>.gp.XXXXXX) for working on templates. */
	int keep_temporary;
} cc_chart_options;

void cc_chart_options_default(cc_chart_options *o);

/* One chart written. Paths are absolute or relative as out_dir was given. */
typedef struct {
	char *name;    /* file stem, e.g. "cla", "sufficiency-fostering" */
	char *heading; /* what the chart shows, e.g. "Children looked after" */
	char *title;   /* the message title, at most CC_CHART_TITLE_MAX_WORDS words */
	char *caption; /* measure, area, period, model, replications and seed */
	char *alt;     /* alt text: the message with its key numbers */
	char *svg, *png, *csv, *txt;
} cc_chart_info;

/* The charts of one run. Opaque; free with cc_charts_free. */
typedef struct cc_charts cc_charts;

/* Checks that `gnuplot` runs and has the svg and pngcairo terminals. On
 * success *version (may be NULL; caller frees) is its version, e.g.
 * "5.4 patchlevel 4". CC_EIO with a diagnostic saying what is wrong (not
 * installed, not runnable, terminals missing, timed out). */
int cc_chart_check_gnuplot(const cc_chart_options *o, char **version, cc_diags *diags);

/* Draws every chart the run in `run_dir` has data for. On success *out (caller
 * frees with cc_charts_free) lists the charts written and notes on those
 * skipped. Errors: CC_EIO (summary.json or a template cannot be read, gnuplot
 * missing or failing, an output cannot be written; diagnostics added),
 * CC_EPARSE (summary.json malformed; every problem with file:line:column),
 * CC_ENOMEM. Charts already written when a later one fails stay in place.
 * Temporary files are always removed. */
int cc_chart_render(const char *run_dir, const cc_chart_options *o, cc_charts **out,
                    cc_diags *diags);

size_t cc_charts_count(const cc_charts *c);
const cc_chart_info *cc_charts_get(const cc_charts *c, size_t i);
/* Notes on charts skipped ("no capacity in the model: sufficiency charts
 * skipped"). */
size_t cc_charts_notes(const cc_charts *c);
const char *cc_charts_note(const cc_charts *c, size_t i);
/* The directory the charts were written to. */
const char *cc_charts_dir(const cc_charts *c);
/* gnuplot's version string, as from cc_chart_check_gnuplot. */
const char *cc_charts_gnuplot_version(const cc_charts *c);
void cc_charts_free(cc_charts *c);

#endif
