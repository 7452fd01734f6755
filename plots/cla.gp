# cla.gp - children looked after: observed (solid), forecast median (dashed),
# 50% and 90% ranges (fan bands), the forecast start (dotted line).
#
# Data (dat): block 0 the forecast: x, central, p5, p25, p75, p95 (x in
# months after the base date); block 1 the observed history: x, count.
# Settings: has_history, bands, iqr, forecast_x, central_label, xgrid (the
# 31 Marches).

# Band fills: c1 at 22% and 50% on white. The 90% band's edges are drawn in
# c1 (well over 3:1 against white) so the range never rests on a pale fill.
band90 = '#C9D3DD'
band50 = '#8AA0B5'
median_style = "lc rgb '#12436D' lw 2.5 dt (6, 3)"
observed_style = "lc rgb '#3D3D3D' lw 2.5 dt 1"

leg_n = has_history + 1 + iqr + bands
array leg_text[leg_n]
array leg_kind[leg_n]
array leg_style[leg_n]
k = 0
if (has_history) {
	k = k + 1; leg_text[k] = 'Observed'; leg_kind[k] = 'linepoint'
	leg_style[k] = observed_style
}
k = k + 1; leg_text[k] = central_label; leg_kind[k] = 'line'; leg_style[k] = median_style
if (iqr) {
	k = k + 1; leg_text[k] = '50% range'; leg_kind[k] = 'box'
	leg_style[k] = sprintf("fc rgb '%s' fs solid noborder", band50)
}
if (bands) {
	k = k + 1; leg_text[k] = '90% range'; leg_kind[k] = 'box'
	leg_style[k] = sprintf("fc rgb '%s' fs solid border lc rgb '#12436D'", band90)
}

load tdir.'/common.gp'

do for [i = 1:words(xgrid)] {
	set arrow 100 + i from first word(xgrid, i) + 0, graph 0 \
	    to first word(xgrid, i) + 0, graph 1 nohead lc rgb grid_c lw 1 back
}
set arrow 1 from first forecast_x, graph 0 to first forecast_x, graph 1 nohead \
    lc rgb muted_c lw 1.5 dt (2, 3) front
set label 1 'Forecast' at first forecast_x, graph 1 offset 0.5, -0.8 left \
    textcolor rgb text_c front

# Optional parts as macros: gnuplot reads a file even for an empty
# "for [i = 1:0]" iteration, and warns when it holds no points.
band_plots = bands ? "dat index 0 using 1:3:6 with filledcurves lc rgb band90, " : ""
if (iqr) band_plots = band_plots."'' index 0 using 1:4:5 with filledcurves lc rgb band50, "
if (bands) band_plots = band_plots."'' index 0 using 1:3 with lines lc rgb c1 lw 0.8, '' index 0 using 1:6 with lines lc rgb c1 lw 0.8, "
hist_plot = has_history ? ", dat index 1 using 1:2 with linespoints ".observed_style." pt 7 ps 0.45 * pss" : ""

plot @band_plots dat index 0 using 1:2 with lines @median_style @hist_plot
