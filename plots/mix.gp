# mix.gp - placement mix: stacked bars of children by category at each
# 31 March, observed years first, with direct labels beside the last bar.
#
# Data (dat): block 0 one row per bar: x (years after the base date), its label, then the
# cumulative top of each segment (segment 1 at the bottom); block 1 one row
# per segment: label x, label y, text, the segment's middle.
# Settings: n_seg, n_bars, n_obs (observed bars, drawn first), split_x (between
# observed and forecast bars), seg_colours
# (one colour per segment), right_px (room for the labels).

load tdir.'/common.gp'

set boxwidth 0.62
set xtics scale 0 textcolor rgb text_c
if (n_obs > 0 && n_obs < n_bars) {
	set arrow 1 from first split_x, graph 0 to first split_x, graph 1 nohead \
	    lc rgb muted_c lw 1.5 dt (2, 3) front
	set label 1 'Observed' at first split_x, graph 1 offset -0.6, -0.8 right \
	    textcolor rgb text_c front
	set label 2 'Forecast' at first split_x, graph 1 offset 0.6, -0.8 left \
	    textcolor rgb text_c front
}

# White borders separate the segments; each segment is drawn from zero to
# its cumulative top, the tallest first.
plot \
  for [s = n_seg:1:-1] dat index 0 using 1:(column(s + 2)):xtic(2) with boxes \
      fc rgb word(seg_colours, s) fs solid 1.0 border lc rgb '#FFFFFF' lw 1.2, \
  dat index 1 using ($1 - 0.09):4:(0.07):($2 - $4) with vectors nohead lc rgb muted_c lw 1, \
  dat index 1 using 1:2:3 with labels left offset 0.3, 0 textcolor rgb text_c
