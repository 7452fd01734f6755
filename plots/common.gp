# common.gp - the look every carecast chart shares (docs/charts.md).
#
# carecast writes a script that sets these variables and then loads a chart
# template, which loads this file:
#   fmt ('svg' or 'png'), out (the file to write), dat (the data file), tdir
#   (this directory), W, H (SVG size in pixels), png_w, png_h, png_scale (PNG
#   size and its ratio to the SVG), font_size (pixels), expected (1: means
#   only), title_l[] and caption_l[] (the wrapped lines of the message title
#   and the caption, title_l_lines and caption_l_lines of them), xmin, xmax,
#   xtic_pos, xtic_lab (space-separated tick positions and labels), ytic_min,
#   ytic_max, ytic_pos, ytic_lab, ylabel, and the chart's own settings.
# A template may set before loading this file: leg_n and the arrays
# leg_text[], leg_kind[] ('line', 'box' or 'linepoint') and leg_style[] (a
# gnuplot style, e.g. "lc rgb '#12436D' lw 2.5 dt (6,3)") for the legend
# under the title; right_px (the right margin, for direct labels).
#
# Layout is in screen units so the SVG and the PNG match: lh is one text
# line. Title and legend sit above the plot, the caption below it.
# src/chart/chart_util.c (chart_plot_height_px) mirrors these margins.

set encoding utf8
if (fmt eq 'svg') {
	set terminal svg size W, H fixed font 'Arial,'.font_size noenhanced \
	    background '#ffffff' linewidth 1 dashlength 1
} else {
	set terminal pngcairo size png_w, png_h font 'Arial,'.font_size \
	    fontscale png_scale * 0.75 linewidth png_scale dashlength png_scale * 0.8 \
	    noenhanced background '#ffffff'
}
set output out
# Point sizes: pngcairo does not scale points with its line width; templates
# write "ps 0.5 * pss".
pss = fmt eq 'svg' ? 1.0 : png_scale

# Government Analysis Function categorical palette; each colour has at
# least 3:1 contrast against white.
c1 = '#12436D'; c2 = '#28A197'; c3 = '#801650'; c4 = '#F46A25'
c5 = '#3D3D3D'; c6 = '#A285D1'
text_c = '#0B0C0C'
muted_c = '#505A5F'
grid_c = '#DDDDDD'
set style line 100 lc rgb grid_c lw 1 dt 1

set datafile separator "\t"
set border 3 lc rgb muted_c lw 1
set tics nomirror out scale 0.5 textcolor rgb text_c
set grid ytics ls 100
set grid back
set style fill solid 1.0 noborder
unset key

title_lines = title_l_lines
caption_lines = caption_l_lines
lh = font_size * 1.25 / (1.0 * H)
char_w = font_size * 0.56
if (!exists('right_px')) right_px = 18
if (!exists('leg_n')) leg_n = 0

# Legend: one row, wrapped when it would not fit the width.
key_rows = leg_n > 0 ? 1 : 0
if (leg_n > 0) {
	array leg_x[leg_n]
	array leg_row[leg_n]
	lx = 14
	do for [i = 1:leg_n] {
		lw_i = 28 + 6 + strlen(leg_text[i]) * char_w
		if (lx + lw_i > W - 14 && lx > 14) {
			key_rows = key_rows + 1
			lx = 14
		}
		leg_x[i] = lx
		leg_row[i] = key_rows
		lx = lx + lw_i + 20
	}
}

plot_top = 1 - (title_lines * 1.25 + key_rows * 1.1 + 1.8) * lh
plot_bottom = (caption_lines * 1.05 + 2.4) * lh

# The left margin fits the widest y tick label.
ylab_w = 0
do for [i = 1:words(ytic_lab)] {
	ylab_w = (strlen(word(ytic_lab, i)) > ylab_w) ? strlen(word(ytic_lab, i)) : ylab_w
}
plot_left = (14 + ylab_w * font_size * 0.6 + 8) / (1.0 * W)
set lmargin at screen plot_left
set rmargin at screen 1 - right_px / (1.0 * W)
set tmargin at screen plot_top
set bmargin at screen plot_bottom

do for [i = 1:title_lines] {
	set label 900 + i title_l[i] at screen 14.0 / W, screen 1 - (i * 1.25 - 0.2) * lh left \
	    font 'Arial:Bold,'.(font_size + 2) textcolor rgb text_c
}
do for [i = 1:caption_lines] {
	set label 920 + i caption_l[i] at screen 14.0 / W, \
	    screen (caption_lines - i + 0.6) * lh * 1.05 left \
	    font 'Arial,'.(font_size - 1) textcolor rgb muted_c
}
set label 940 ylabel at screen 14.0 / W, screen plot_top + 0.7 * lh left textcolor rgb text_c

do for [i = 1:leg_n] {
	ly = 1 - (title_lines * 1.25 + 0.75 + (leg_row[i] - 1) * 1.1) * lh
	x1 = leg_x[i] / (1.0 * W)
	x2 = (leg_x[i] + 28) / (1.0 * W)
	if (leg_kind[i] eq 'box') {
		eval sprintf("set object %d rect from screen %.5f, screen %.5f to screen %.5f, screen %.5f %s front", \
		    800 + i, x1, ly - 5.0 / H, x2, ly + 5.0 / H, leg_style[i])
	} else {
		eval sprintf("set arrow %d from screen %.5f, screen %.5f to screen %.5f, screen %.5f nohead %s front", \
		    800 + i, x1, ly, x2, ly, leg_style[i])
	}
	if (leg_kind[i] eq 'linepoint') {
		# The style starts "lc rgb '#RRGGBB'": the point takes that colour.
		set label 860 + i '' at screen (x1 + x2) / 2, screen ly \
		    point pt 7 ps 0.5 * pss * (fmt eq 'svg' ? 1 : 1.8) lc rgb leg_style[i][9:15] front
	}
	set label 830 + i leg_text[i] at screen (leg_x[i] + 34) / (1.0 * W), screen ly left \
	    textcolor rgb text_c front
}

set xrange [xmin:xmax]
set yrange [ytic_min:ytic_max]
set xtics () scale 0 textcolor rgb text_c
do for [i = 1:words(xtic_pos)] { set xtics add (word(xtic_lab, i) word(xtic_pos, i) + 0) }
set ytics ()
do for [i = 1:words(ytic_pos)] { set ytics add (word(ytic_lab, i) word(ytic_pos, i) + 0) }
set mxtics 1
set mytics 1
