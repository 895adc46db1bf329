# Forrester's run G in scenarios/growth_g.ini: the reps employed (left
# axis) and the bookings per quarter (right axis) by month, for the
# budget policy that never lets go and for the ones that adjust both
# ways. Drawn by `make guide` from the run's quarterly.csv:
#   gnuplot -d -e "csv='results/growth_g/quarterly.csv'; out='docs/img/growth_g_reps.png'" docs/img/growth_g_reps.gp
if (!exists("csv")) csv = 'results/growth_g/quarterly.csv'
if (!exists("out")) out = 'docs/img/growth_g_reps.png'
set terminal pngcairo size 1200,700 noenhanced font 'DejaVu Sans,11' background rgb 'white'
set output out
set datafile separator ','
set linetype 1 lc rgb '#000000' lw 2 dt 1 pt 7 ps 1.1
set linetype 2 lc rgb '#D55E00' lw 2 dt 2 pt 5 ps 1.1
set linetype 3 lc rgb '#0072B2' lw 2 dt 4 pt 9 ps 1.1
set linetype 4 lc rgb '#D55E00' lw 1.5 dt 3 pt 4 ps 1.0
set tmargin 11
set lmargin 12
set rmargin 12
set label 1 'Reps employed as the company reinvests a third of its revenue' at screen 0.0125, screen 0.955 left font 'DejaVu Sans Bold,16'
set label 2 'Mean of 100 replications, at each quarter''s end; dotted: bookings per quarter when the budget adjusts both ways and ops stays at 3' at screen 0.0125, screen 0.91 left textcolor rgb '#555555'
set key at screen 0.08, screen 0.875 left top Left reverse vertical maxrows 3 width 2 samplen 3 spacing 1.1 noautotitle
set border 11 lc rgb '#444444'
set grid ytics lc rgb '#e5e5e5' lw 1 dt 1
set xtics out nomirror 0,12
set ytics out nomirror
set y2tics out nomirror
set xlabel 'Month'
set ylabel 'Reps employed'
set y2label 'Bookings per quarter (dotted)'
set xrange [0:*]
set yrange [0:*]
set y2range [0:*]
set format y2 '$%.2fM'
# Pick one series out of the tidy CSV into a data block.
series(s, m, name) = sprintf("set table $%s; plot csv every ::1 using ($2*3):4 with table if (strcol(1) eq '%s' && strcol(3) eq '%s'); unset table", name, s, m)
eval series('baseline', 'reps_active', 'r0')
eval series('growth', 'reps_active', 'r1')
eval series('run_g', 'reps_active', 'r2')
eval series('run_g_eroding', 'reps_active', 'r3')
eval series('run_g', 'bookings', 'b2')
set datafile separator whitespace
plot $r0 using 1:2 with linespoints lt 1 pi 4 title 'Baseline: 8 reps, 3 ops', \
     $r1 using 1:2 with linespoints lt 2 pi 4 title 'Never let go; ops stays at 3', \
     $r2 using 1:2 with linespoints lt 3 pi 4 title 'Adjust both ways over 26 weeks; ops stays at 3 (run G)', \
     $r3 using 1:2 with linespoints lt 1 lc rgb '#009E73' dt 5 pi 4 title 'Adjust both ways; ops hired against an eroding goal', \
     $b2 using 1:($2/1e6) axes x1y2 with lines lt 4 title 'Bookings per quarter (right axis), run G'
