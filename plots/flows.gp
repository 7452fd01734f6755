# flows.gp - entries and exits per financial year: entries (left bars) and
# exits stacked by reason (right bars), reasons named beside the last bar.
#
# Data (dat): block 0 entries: x (0, 1, ...), median, year label; block 1
# exits: x, cumulative top of each reason segment; block 2 labels: x, y,
# text, segment middle.
# Settings: n_seg, seg_colours, central_label, right_px.

leg_n = 2
array leg_text[leg_n]
array leg_kind[leg_n]
array leg_style[leg_n]
leg_text[1] = 'Entries (left bar)'; leg_kind[1] = 'box'
leg_style[1] = "fc rgb '#12436D' fs solid noborder"
leg_text[2] = 'Exits by reason (right bar)'; leg_kind[2] = 'box'
leg_style[2] = "fc rgb '#28A197' fs solid noborder"

load tdir.'/common.gp'

set boxwidth 0.36
set xtics scale 0 textcolor rgb text_c
plot dat index 0 using ($1 - 0.2):2:xtic(3) with boxes fc rgb c1 fs solid 1.0 noborder, \
  for [s = n_seg:1:-1] dat index 1 using ($1 + 0.2):(column(s + 1)) with boxes \
      fc rgb word(seg_colours, s) fs solid 1.0 border lc rgb '#FFFFFF' lw 1.2, \
  dat index 2 using ($1 - 0.07):4:(0.06):($2 - $4) with vectors nohead lc rgb muted_c lw 1, \
  dat index 2 using 1:2:3 with labels left offset 0.2, 0 textcolor rgb text_c
