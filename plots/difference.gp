# difference.gp - each scenario minus the baseline: children looked after
# (median lines told apart by dash pattern and colour, 90% ranges shaded)
# and, when the run has costs, spend per financial year below.
#
# Data (dat): block 0 one row per month: x, then for each series its
# median, p5, p95 difference; block 1 one row per financial year: x (the
# year's middle), each series' median difference in spend.
# Settings: n_series (at most 4), series_name[], bands, has_spend, stic_*
# (the lower panel's axis, pounds), slabel, xgrid.

array ser_col[4] = ['#12436D', '#28A197', '#801650', '#F46A25']
array ser_dt[4] = ['1', '(2, 2)', '(8, 3, 2, 3)', '(6, 3)']
array ser_pt[4] = [7, 5, 9, 13]

leg_n = n_series
array leg_text[leg_n]
array leg_kind[leg_n]
array leg_style[leg_n]
do for [i = 1:n_series] {
	leg_text[i] = series_name[i]; leg_kind[i] = 'line'
	leg_style[i] = sprintf("lc rgb '%s' lw 2.5 dt %s", ser_col[i], ser_dt[i])
}

load tdir.'/common.gp'

if (has_spend) {
	do for [i = 1:words(stic_lab)] {
		ylab_w = (strlen(word(stic_lab, i)) > ylab_w) ? strlen(word(stic_lab, i)) : ylab_w
	}
	plot_left = (14 + ylab_w * font_size * 0.6 + 8) / (1.0 * W)
	set lmargin at screen plot_left
}
avail = plot_top - plot_bottom
split = has_spend ? plot_bottom + 0.36 * avail : plot_bottom

do for [i = 1:words(xgrid)] {
	set arrow 100 + i from first word(xgrid, i) + 0, graph 0 \
	    to first word(xgrid, i) + 0, graph 1 nohead lc rgb grid_c lw 1 back
}
set arrow 99 from graph 0, first 0 to graph 1, first 0 nohead lc rgb text_c lw 1.2 front

cmd = ''
if (bands) {
	do for [i = 1:n_series] {
		cmd = cmd.sprintf("dat index 0 using 1:%d:%d with filledcurves fc rgb '%s' fs transparent solid 0.10 noborder, ", \
		    3 * i, 3 * i + 1, ser_col[i])
	}
	# Thin edges in the series' colour (3:1 or more against white) mark
	# each range where the tints overlap.
	do for [i = 1:n_series] {
		cmd = cmd.sprintf("%s %d with lines lc rgb '%s' lw 0.6, %s %d with lines lc rgb '%s' lw 0.6, ", \
		    "dat index 0 using 1:", 3 * i, ser_col[i], "dat index 0 using 1:", 3 * i + 1, ser_col[i])
	}
}
do for [i = 1:n_series] {
	cmd = cmd.sprintf("dat index 0 using 1:%d with lines lc rgb '%s' lw 2.5 dt %s%s", \
	    3 * i - 1, ser_col[i], ser_dt[i], i < n_series ? ', ' : '')
}
scmd = ''
do for [i = 1:n_series] {
	scmd = scmd.sprintf("dat index 1 using 1:%d with linespoints lc rgb '%s' lw 2 dt %s pt %d ps 0.6 * pss%s", \
	    i + 1, ser_col[i], ser_dt[i], ser_pt[i], i < n_series ? ', ' : '')
}

set multiplot
set bmargin at screen (has_spend ? split + 2.3 * lh : plot_bottom)
if (has_spend) {
	set xtics ()
	do for [i = 1:words(xtic_pos)] { set xtics add ('' word(xtic_pos, i) + 0) }
}
plot @cmd

if (has_spend) {
	do for [i = 1:999] { unset label i }
	unset object
	unset arrow
	do for [i = 1:words(xgrid)] {
		set arrow 100 + i from first word(xgrid, i) + 0, graph 0 \
		    to first word(xgrid, i) + 0, graph 1 nohead lc rgb grid_c lw 1 back
	}
	set arrow 99 from graph 0, first 0 to graph 1, first 0 nohead lc rgb text_c lw 1.2 front
	set tmargin at screen split
	set bmargin at screen plot_bottom
	set label 940 slabel at screen 14.0 / W, screen split + 0.7 * lh left textcolor rgb text_c
	set yrange [stic_min:stic_max]
	set ytics ()
	do for [i = 1:words(stic_pos)] { set ytics add (word(stic_lab, i) word(stic_pos, i) + 0) }
	set xtics ()
	do for [i = 1:words(xtic_pos)] { set xtics add (word(xtic_lab, i) word(xtic_pos, i) + 0) }
	plot @scmd
}
unset multiplot
