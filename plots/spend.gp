# spend.gp - placement spend per financial year: total (median bars, 90%
# whiskers) against budget (dashed); below, in-house (solid) and external
# (dashed) spend with direct labels.
#
# Data (dat): block 0 totals: x (0, 1, ...), median, p5, p95, median as text;
# block 1 budgets: x, amount, label (NaN amount when there is none; the
# amounts are in the legend's table, not on the chart); block 2
# providers: x, in-house median, p5, p95, external median, p5, p95; block 3
# line labels: x, y, text.
# Settings: n_fy, bands, any_budget, ptic_* (the lower panel's axis), plabel,
# central_label.

bar_fill = c1 = '#12436D'
in_style = "lc rgb '#28A197' lw 2.5 dt 1"
ex_style = "lc rgb '#801650' lw 2.5 dt (6, 3)"
budget_style = "lc rgb '#0B0C0C' lw 2 dt (4, 2)"

leg_n = 1 + bands + any_budget
array leg_text[leg_n]
array leg_kind[leg_n]
array leg_style[leg_n]
leg_text[1] = 'Total spend ('.central_label.')'; leg_kind[1] = 'box'
leg_style[1] = "fc rgb '#12436D' fs solid noborder"
k = 1
if (bands) {
	k = k + 1; leg_text[k] = '90% range'; leg_kind[k] = 'line'
	leg_style[k] = "lc rgb '#0B0C0C' lw 1.5 dt 1"
}
if (any_budget) {
	k = k + 1; leg_text[k] = 'Budget'; leg_kind[k] = 'line'; leg_style[k] = budget_style
}

load tdir.'/common.gp'

do for [i = 1:words(ptic_lab)] {
	ylab_w = (strlen(word(ptic_lab, i)) > ylab_w) ? strlen(word(ptic_lab, i)) : ylab_w
}
plot_left = (14 + ylab_w * font_size * 0.6 + 8) / (1.0 * W)
set lmargin at screen plot_left

avail = plot_top - plot_bottom
split = plot_bottom + 0.36 * avail
set boxwidth 0.55

# Macros are expanded when a block is read, so they are set out here.
wh = "using 1:3:(0):($4 - $3) with vectors nohead"
cap_lo = "using ($1 - 0.08):3:(0.16):(0) with vectors nohead"
cap_hi = "using ($1 - 0.08):4:(0.16):(0) with vectors nohead"
dark = " lc rgb text_c lw 1.5, "
whiskers = bands ? "'' index 0 ".wh." lc rgb '#FFFFFF' lw 4, '' index 0 ".wh.dark."'' index 0 ".cap_lo.dark."'' index 0 ".cap_hi.dark : ""
budget_plot = any_budget ? "'' index 1 using ($1 - 0.38):2:(0.76):(0) with vectors nohead lc rgb '#FFFFFF' lw 4, '' index 1 using ($1 - 0.38):2:(0.76):(0) with vectors nohead ".budget_style.", " : ""
p_wh_in = bands ? "'' index 2 using 1:3:(0):($4 - $3) with vectors nohead lc rgb '#28A197' lw 1.2, " : ""
p_wh_ex = bands ? "'' index 2 using ($1 + 0.06):6:(0):($7 - $6) with vectors nohead lc rgb '#801650' lw 1.2, " : ""

set multiplot
set bmargin at screen split + 2.3 * lh
set xtics ()
do for [i = 1:words(xtic_pos)] { set xtics add ('' word(xtic_pos, i) + 0) }
plot dat index 0 using 1:2 with boxes fc rgb bar_fill fs solid 1.0 noborder, \
  @whiskers @budget_plot \
  '' index 0 using 1:2 with points ps 0.01 lc rgb '#FFFFFF' notitle

do for [i = 1:999] { unset label i }
unset object
unset arrow
set tmargin at screen split
set bmargin at screen plot_bottom
set label 940 plabel at screen 14.0 / W, screen split + 0.7 * lh left textcolor rgb text_c
set yrange [ptic_min:ptic_max]
set ytics ()
do for [i = 1:words(ptic_pos)] { set ytics add (word(ptic_lab, i) word(ptic_pos, i) + 0) }
set xtics ()
do for [i = 1:words(xtic_pos)] { set xtics add (word(xtic_lab, i) word(xtic_pos, i) + 0) }
plot @p_wh_in @p_wh_ex \
  dat index 2 using 1:2 with linespoints @in_style pt 7 ps 0.55 * pss, \
  '' index 2 using ($1 + 0.06):5 with linespoints @ex_style pt 5 ps 0.55 * pss, \
  '' index 3 using 1:2:3 with labels left textcolor rgb text_c
unset multiplot
