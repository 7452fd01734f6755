# scenarios.gp - children looked after under each scenario: median lines
# (told apart by dash pattern and colour, named in the legend) with their
# 90% ranges shaded.
#
# Data (dat): one row per month: x, then for each series its median, p5, p95.
# Settings: n_series (at most 4; the baseline first), series_name[], bands,
# xgrid.

array ser_col[4] = ['#3D3D3D', '#12436D', '#28A197', '#801650']
array ser_dt[4] = ['(6, 3)', '1', '(2, 2)', '(8, 3, 2, 3)']

leg_n = n_series
array leg_text[leg_n]
array leg_kind[leg_n]
array leg_style[leg_n]
do for [i = 1:n_series] {
	leg_text[i] = series_name[i]; leg_kind[i] = 'line'
	leg_style[i] = sprintf("lc rgb '%s' lw 2.5 dt %s", ser_col[i], ser_dt[i])
}

load tdir.'/common.gp'

do for [i = 1:words(xgrid)] {
	set arrow 100 + i from first word(xgrid, i) + 0, graph 0 \
	    to first word(xgrid, i) + 0, graph 1 nohead lc rgb grid_c lw 1 back
}

# The plot is built as text (one clause per series) and run as a macro.
cmd = ''
if (bands) {
	do for [i = 1:n_series] {
		cmd = cmd.sprintf("dat using 1:%d:%d with filledcurves fc rgb '%s' fs transparent solid 0.10 noborder, ", \
		    3 * i, 3 * i + 1, ser_col[i])
	}
	# Thin edges in the series' colour (3:1 or more against white) mark
	# each range where the tints overlap.
	do for [i = 1:n_series] {
		cmd = cmd.sprintf("%s %d with lines lc rgb '%s' lw 0.6, %s %d with lines lc rgb '%s' lw 0.6, ", \
		    "dat using 1:", 3 * i, ser_col[i], "dat using 1:", 3 * i + 1, ser_col[i])
	}
}
# The baseline (series 1) last, so where a scenario follows it both show.
do for [i = 2:n_series] {
	cmd = cmd.sprintf("dat using 1:%d with lines lc rgb '%s' lw 2.5 dt %s, ", \
	    3 * i - 1, ser_col[i], ser_dt[i])
}
cmd = cmd.sprintf("dat using 1:2 with lines lc rgb '%s' lw 2.5 dt %s", ser_col[1], ser_dt[1])
plot @cmd
