# sufficiency.gp - one in-house pool: usable places (solid) against demand
# (dashed median, 90% band), demand above the places shaded; below, the
# placements made externally each financial year because in-house was full.
#
# Data (dat): block 0 months: x, places, demand, demand p5, demand p95,
# max(places, demand); block 1 years: x (the year's middle), median, p5, p95,
# the median as text, bar width.
# Settings: bands, gap_bands, has_gap, gtic_min, gtic_max, gtic_pos,
# gtic_lab (the lower panel's axis), glabel, central_label, xgrid.

band90 = '#C9D3DD'
over_fill = '#DDBACD'   # c3 at 30% on white; bounded by the two lines
places_style = "lc rgb '#F46A25' lw 2.5 dt 1"
demand_style = "lc rgb '#12436D' lw 2.5 dt (6, 3)"

leg_n = 3 + bands
array leg_text[leg_n]
array leg_kind[leg_n]
array leg_style[leg_n]
leg_text[1] = 'Usable in-house places'; leg_kind[1] = 'line'; leg_style[1] = places_style
leg_text[2] = 'Demand ('.central_label.')'; leg_kind[2] = 'line'; leg_style[2] = demand_style
k = 2
if (bands) {
	k = 3; leg_text[k] = 'Demand, 90% range'; leg_kind[k] = 'box'
	leg_style[k] = sprintf("fc rgb '%s' fs solid border lc rgb '#12436D'", band90)
}
leg_text[k + 1] = 'Demand above the places'; leg_kind[k + 1] = 'box'
leg_style[k + 1] = sprintf("fc rgb '%s' fs solid border lc rgb '#801650'", over_fill)

load tdir.'/common.gp'

# Both panels share the left margin: fit the wider of their tick labels.
do for [i = 1:words(gtic_lab)] {
	ylab_w = (strlen(word(gtic_lab, i)) > ylab_w) ? strlen(word(gtic_lab, i)) : ylab_w
}
plot_left = (14 + ylab_w * font_size * 0.6 + 8) / (1.0 * W)
set lmargin at screen plot_left

avail = plot_top - plot_bottom
split = has_gap ? plot_bottom + 0.27 * avail : plot_bottom
top_bottom = has_gap ? split + 2.3 * lh : plot_bottom

do for [i = 1:words(xgrid)] {
	set arrow 100 + i from first word(xgrid, i) + 0, graph 0 \
	    to first word(xgrid, i) + 0, graph 1 nohead lc rgb grid_c lw 1 back
}

band_plot = bands ? "dat index 0 using 1:4:5 with filledcurves lc rgb band90, " : ""
band_edges = bands ? "'' index 0 using 1:4 with lines lc rgb c1 lw 0.8, '' index 0 using 1:5 with lines lc rgb c1 lw 0.8, " : ""

# Macros are expanded when a block is read, so these are set outside it.
# Whiskers (5% to 95%) and their caps: dark on a white halo, so they show
# over the bar and over the white.
wh = "using 1:3:(0):($4 - $3) with vectors nohead"
cap_lo = "using ($1 - 1.2):3:(2.4):(0) with vectors nohead"
cap_hi = "using ($1 - 1.2):4:(2.4):(0) with vectors nohead"
dark = " lc rgb text_c lw 1.5, "
whiskers = gap_bands ? "'' index 1 ".wh." lc rgb '#FFFFFF' lw 4, '' index 1 ".wh.dark."'' index 1 ".cap_lo.dark."'' index 1 ".cap_hi.dark : ""
top_col = gap_bands ? 4 : 2

set multiplot
set bmargin at screen top_bottom
if (has_gap) {
	set xtics ()
	do for [i = 1:words(xtic_pos)] { set xtics add ('' word(xtic_pos, i) + 0) }
}
plot @band_plot \
  dat index 0 using 1:2:6 with filledcurves lc rgb over_fill, \
  @band_edges \
  '' index 0 using 1:3 with lines @demand_style, \
  '' index 0 using 1:2 with lines @places_style

if (has_gap) {
	# The lower panel: only its own axis label; the title, legend and
	# caption are drawn once, above.
	do for [i = 1:999] { unset label i }
	unset object
	unset arrow
	do for [i = 1:words(xgrid)] {
		set arrow 100 + i from first word(xgrid, i) + 0, graph 0 \
		    to first word(xgrid, i) + 0, graph 1 nohead lc rgb grid_c lw 1 back
	}
	set tmargin at screen split
	set bmargin at screen plot_bottom
	set label 940 glabel at screen 14.0 / W, screen split + 0.7 * lh left \
	    textcolor rgb text_c
	set yrange [gtic_min:gtic_max]
	set ytics ()
	do for [i = 1:words(gtic_pos)] { set ytics add (word(gtic_lab, i) word(gtic_pos, i) + 0) }
	set xtics ()
	do for [i = 1:words(xtic_pos)] { set xtics add (word(xtic_lab, i) word(xtic_pos, i) + 0) }
	plot dat index 1 using 1:2:6 with boxes fc rgb c3 fs solid 1.0 noborder, \
	  @whiskers \
	  '' index 1 using 1:(column(top_col)):5 with labels offset 0, 0.75 textcolor rgb text_c
}
unset multiplot
