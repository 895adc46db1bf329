# The shape of growth in scenarios/growth.ini against Forrester's (1968)
# reference run: bookings per quarter (left axis) and reps employed (right
# axis), by month. Drawn by `make guide` from the run's quarterly.csv:
#   gnuplot -d -e "csv='results/growth/quarterly.csv'; out='docs/img/growth_shape.png'" docs/img/growth_shape.gp
if (!exists("csv")) csv = 'results/growth/quarterly.csv'
if (!exists("out")) out = 'docs/img/growth_shape.png'
set terminal pngcairo size 1200,700 noenhanced font 'DejaVu Sans,11' background rgb 'white'
set output out
set datafile separator ','
set linetype 1 lc rgb '#000000' lw 2 dt 1 pt 7 ps 1.1
set linetype 2 lc rgb '#D55E00' lw 2 dt 2 pt 5 ps 1.1
set linetype 3 lc rgb '#0072B2' lw 2 dt 4 pt 9 ps 1.1
set linetype 4 lc rgb '#D55E00' lw 1.5 dt 3 pt 4 ps 1.0
set linetype 5 lc rgb '#0072B2' lw 1.5 dt 3 pt 8 ps 1.0
set tmargin 7
set lmargin 12
set rmargin 12
set label 1 'Bookings per quarter as the company reinvests in reps' at screen 0.0125, screen 0.955 left font 'DejaVu Sans Bold,16'
set label 2 'Mean of 100 replications; grey marks: where Forrester''s 1968 reference run stops growing (month 30) and peaks (month 42)' at screen 0.0125, screen 0.91 left textcolor rgb '#555555'
set key at screen 0.08, screen 0.875 left top Left reverse horizontal maxcols 3 width 2 samplen 3 spacing 1.1 noautotitle
set border 11 lc rgb '#444444'
set grid ytics lc rgb '#e5e5e5' lw 1 dt 1
set xtics out nomirror 0,12
set ytics out nomirror
set y2tics out nomirror
set xlabel 'Month'
set ylabel 'Bookings per quarter (annual contract value)'
set y2label 'Reps employed (dotted)'
set xrange [0:*]
set yrange [0:*]
set y2range [0:*]
set format y '$%.1fM'
set object 1 rect from 28,graph 0 to 32,graph 1 fc rgb '#bbbbbb' fs transparent solid 0.25 noborder behind
set object 2 rect from 40,graph 0 to 44,graph 1 fc rgb '#bbbbbb' fs transparent solid 0.25 noborder behind
set label 3 'Forrester: growth ends' at 31,graph 0.04 right offset -0.5,0 textcolor rgb '#666666'
set label 4 'Forrester: peak' at 43,graph 0.04 left offset 0.5,0 textcolor rgb '#666666'
# Pick one series out of the tidy CSV into a data block.
series(s, m, name) = sprintf("set table $%s; plot csv every ::1 using ($2*3):4 with table if (strcol(1) eq '%s' && strcol(3) eq '%s'); unset table", name, s, m)
eval series('baseline', 'bookings', 'b0')
eval series('growth', 'bookings', 'b1')
eval series('growth_expand_ops', 'bookings', 'b2')
eval series('growth', 'reps_active', 'r1')
eval series('growth_expand_ops', 'reps_active', 'r2')
set datafile separator whitespace
plot $b0 using 1:($2/1e6) with linespoints lt 1 pi 4 title 'Baseline: 8 reps, 3 ops', \
     $b1 using 1:($2/1e6) with linespoints lt 2 pi 4 title 'Reinvest in reps; ops stays at 3', \
     $b2 using 1:($2/1e6) with linespoints lt 3 pi 4 title 'Reinvest; hire ops when delivery slips', \
     $r1 using 1:2 axes x1y2 with lines lt 4 title 'Reps (right axis): ops stays at 3', \
     $r2 using 1:2 axes x1y2 with lines lt 5 title 'Reps (right axis): hire ops when delivery slips'
