/*
 * htmlreport.h - a run's report as one self-contained HTML file.
 *
 * cc_htmlreport_write writes DIR/report.html from DIR/summary.json and the
 * charts already drawn (cc_chart_render): each chart inline as SVG with its
 * message title, caption, alt text and data table; the assumptions (the
 * model's rates, capacity and prices when its file is still there and
 * unchanged, the scenarios' levers); and the provenance (versions, seed,
 * replications, SHA-256 of every input). No scripts, no external files, no
 * network: it reads the same from a disk, a share or an e-mail attachment.
 * All text from files is escaped. docs/charts.md describes it.
 */
#ifndef CARECAST_HTMLREPORT_H
#define CARECAST_HTMLREPORT_H

#include "carecast/chart.h"
#include "carecast/error.h"

/* Writes the report of the run in run_dir to out_path (NULL:
 * run_dir/report.html), through a temporary file renamed into place.
 * `charts` are the charts to include, in order (may be NULL: none). Returns
 * CC_OK, CC_EIO (summary.json, a chart or the output cannot be read or
 * written; diagnostics added), CC_EPARSE (summary.json malformed) or
 * CC_ENOMEM. */
int cc_htmlreport_write(const char *run_dir, const cc_charts *charts, const char *out_path,
                        cc_diags *diags);

#endif
