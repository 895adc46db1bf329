#!/bin/sh
# bench/scaling.sh DIR ROWS TABLE
#
# The second part of `make bench` (bench/run.sh calls it): how the
# simulation scales over threads and MPI ranks, and what large sweeps
# cost. DIR holds the benchmark programs (runwall); the salescap built
# with them is DIR/../salescap and, when `make bench` found mpicc and
# mpirun, the MPI build is DIR/../mpi/salescap. Writes rows
# "name,value,unit" to ROWS and the printed table to TABLE.
#
# - Scaling: the flagship (`salescap run`, 200 replications) at -j 1, 2,
#   4, 8, 16, and a sweep (scenarios/sweeps/pull_length_team.ini, 27
#   points x 96 replications) at -j 1 ... 16 and under mpirun -n 1 ... 16
#   (one thread a rank): wall time (best of SCALING_RUNS, default 3),
#   speed-up over 1 and efficiency (speed-up / N). A count above this
#   machine's cores is skipped, and the table says so: on fewer cores it
#   would measure the oversubscription, not the program. The sweeps'
#   sweep.csv must be the same bytes at every count, or the script fails.
# - Shared baselines: bench/sweep49.ini (49 points of scenario keys, 200
#   replications) with shared and with separate baselines, once each (a
#   minute together on two cores): the ratio, and the same sweep.csv.
# - A large sweep: bench/sweep10k.ini (10,000 points, 2 replications):
#   points per second and peak RSS, against bench/sweep128.ini's (128
#   points) for the ratio, and the time to draw its charts.
set -eu

dir=${1:?usage: bench/scaling.sh DIR ROWS TABLE}
rows=${2:?usage: bench/scaling.sh DIR ROWS TABLE}
table=${3:?usage: bench/scaling.sh DIR ROWS TABLE}
runs=${SCALING_RUNS:-3}
salescap=$dir/../salescap
mpibin=$dir/../mpi/salescap
cores=$(nproc 2>/dev/null || echo 1)
counts="1 2 4 8 16"
sweep=scenarios/sweeps/pull_length_team.ini
sweep_n=96

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
: >"$rows"
: >"$table"

mpirun=""
if [ -x "$mpibin" ] && command -v mpirun >/dev/null 2>&1; then
    mpirun="mpirun"
    if [ "$(id -u)" = 0 ]; then
        mpirun="$mpirun --allow-run-as-root"
    fi
fi

# one NAME CMD...: "WALL RSS" of one run of CMD (s, KB), by runwall.
one() {
    "$dir/runwall" "$@" >"$tmp/rw" || {
        echo "bench/scaling.sh: ${2:-} failed" >&2
        exit 1
    }
    awk -F, '/_wall_s,/ { w = $2 } /_peak_rss,/ { r = $2 }
             END { print w, r }' "$tmp/rw"
}

# best NAME CMD...: the best wall time of $runs runs (s).
best() {
    b=""
    i=0
    while [ "$i" -lt "$runs" ]; do
        w=$(one "$@" | cut -d' ' -f1)
        b=$(awk -v a="$b" -v w="$w" \
            'BEGIN { print (a == "" || w + 0 < a + 0) ? w : a }')
        i=$((i + 1))
    done
    echo "$b"
}

row() { echo "$1,$2,$3" >>"$rows"; }

# ladder NAME LABEL 'CMD': CMD (split into words; @N@ stands for the
# count, @OUT@ for a fresh output folder) at each count this machine has
# cores for: rows, and three lines of the table. Sweeps (CSV set) must
# write the same sweep.csv at every count.
ladder() {
    name=$1 label=$2 cmd=$3 csv=${4:-}
    t1="" walls="" ups="" effs=""
    for n in $counts; do
        if [ "$n" -gt "$cores" ]; then
            walls="$walls -" ups="$ups -" effs="$effs -"
            continue
        fi
        out="$tmp/$name$n"
        # shellcheck disable=SC2046 # split on purpose
        w=$(best "$name$n" $(echo "$cmd" | sed "s|@N@|$n|g; s|@OUT@|$out|g"))
        if [ -n "$csv" ] && [ -n "$t1" ] &&
            ! cmp -s "$tmp/${name}1/sweep.csv" "$out/sweep.csv"; then
            echo "bench/scaling.sh: $label: sweep.csv at $n differs from 1" >&2
            exit 1
        fi
        [ -n "$t1" ] || t1=$w
        up=$(awk -v a="$t1" -v b="$w" 'BEGIN { printf "%.2f", a / b }')
        eff=$(awk -v u="$up" -v n="$n" 'BEGIN { printf "%.0f", 100 * u / n }')
        row "scaling_${name}_${n}_wall_s" "$w" s
        row "scaling_${name}_${n}_speedup" "$up" x
        row "scaling_${name}_${n}_efficiency" "$eff" %
        walls="$walls $(awk -v w="$w" 'BEGIN { printf "%.2f", w }')"
        ups="$ups ${up}x" effs="$effs ${eff}%"
    done
    # shellcheck disable=SC2086 # split on purpose
    {
        printf '  %-40s %-10s' "$label" "wall s"
        printf ' %7s' $walls
        printf '\n  %-40s %-10s' "" "speed-up"
        printf ' %7s' $ups
        printf '\n  %-40s %-10s' "" "efficiency"
        printf ' %7s' $effs
        printf '\n'
    } >>"$table"
}

# ---------------------------------------------------------------- scaling

skipped=""
for n in $counts; do
    if [ "$n" -gt "$cores" ]; then
        skipped="$skipped${skipped:+, }$n"
    fi
done
{
    printf 'scaling, best of %s runs (this machine has %s cores' "$runs" \
        "$cores"
    if [ -n "$skipped" ]; then
        printf '; %s skipped: more threads or ranks than cores' "$skipped"
    fi
    printf ')\n  %-40s %-10s' "threads or ranks:" ""
    # shellcheck disable=SC2086
    printf ' %7s' $counts
    printf '\n'
} >>"$table"
row scaling_cores "$cores" cores

ladder flagship "flagship: salescap run -j N" \
    "$salescap run scenarios/pull_two_weeks.ini --no-plot -q -j @N@ -o @OUT@"
ladder sweep_threads "sweep (27 x $sweep_n): -j N" \
    "$salescap sweep $sweep -n $sweep_n --no-plot -q -j @N@ -o @OUT@" csv
if [ -n "$mpirun" ]; then
    ladder sweep_ranks "sweep (27 x $sweep_n): mpirun -n N" \
        "$mpirun -n @N@ $mpibin sweep $sweep -n $sweep_n --no-plot -q -j 1 -o @OUT@" csv
    if ! cmp -s "$tmp/sweep_threads1/sweep.csv" "$tmp/sweep_ranks1/sweep.csv"
    then
        echo "bench/scaling.sh: the MPI build's sweep.csv differs" >&2
        exit 1
    fi
else
    echo "  sweep over MPI ranks: skipped (no MPI build: mpicc or mpirun" \
        "missing; MPI=1 make deps)" >>"$table"
fi

# ---------------------------------------------------------------- sweeps

j=$cores
[ "$j" -le 16 ] || j=16

# Shared baselines against one baseline per point: once each (long).
sh_w=$(one sweep49_shared "$salescap" sweep bench/sweep49.ini --no-plot -q \
    -j "$j" -o "$tmp/s49" | cut -d' ' -f1)
se_w=$(one sweep49_separate "$salescap" sweep bench/sweep49.ini --no-plot \
    -q -j "$j" --separate-baselines -o "$tmp/s49sep" | cut -d' ' -f1)
if ! cmp -s "$tmp/s49/sweep.csv" "$tmp/s49sep/sweep.csv"; then
    echo "bench/scaling.sh: shared and separate baselines differ" >&2
    exit 1
fi
ratio=$(awk -v a="$se_w" -v b="$sh_w" 'BEGIN { printf "%.2f", a / b }')
sh_w=$(awk -v w="$sh_w" 'BEGIN { printf "%.2f", w }')
se_w=$(awk -v w="$se_w" 'BEGIN { printf "%.2f", w }')
row sweep49_shared_wall_s "$sh_w" s
row sweep49_separate_wall_s "$se_w" s
row sweep49_shared_speedup "$ratio" x

# A large sweep, and a small one for the memory ratio ("WALL RSS" split
# into $1 and $2).
# shellcheck disable=SC2046
set -- $(one sweep10k "$salescap" sweep bench/sweep10k.ini --no-plot -q \
    -j "$j" -o "$tmp/big")
big_w=$1 big_rss=$2
# shellcheck disable=SC2046
set -- $(one sweep128 "$salescap" sweep bench/sweep128.ini --no-plot -q \
    -j "$j" -o "$tmp/small")
small_rss=$2
pps=$(awk -v w="$big_w" 'BEGIN { printf "%.0f", 10000 / w }')
rss_ratio=$(awk -v a="$big_rss" -v b="$small_rss" \
    'BEGIN { printf "%.2f", a / b }')
row sweep10k_wall_s "$big_w" s
row sweep10k_points_per_s "$pps" points/s
row sweep10k_peak_rss "$big_rss" KB
row sweep128_peak_rss "$small_rss" KB
row sweep10k_rss_vs_128 "$rss_ratio" x
charts="charts: skipped (no gnuplot)"
if command -v gnuplot >/dev/null 2>&1; then
    # shellcheck disable=SC2046
    set -- $(one sweep10k_plot "$salescap" plot "$tmp/big" --plots \
        "$tmp/bigp" -q)
    row sweep10k_plot_wall_s "$1" s
    charts="charts drawn in $1 s"
fi

{
    echo "sweeps (-j $j; once each)"
    echo "  bench/sweep49.ini, 49 points x 200 replications: shared baselines" \
        "$sh_w s, separate $se_w s: ${ratio}x"
    echo "  bench/sweep10k.ini, 10,000 points x 2 replications: $big_w s" \
        "($pps points/s), peak RSS $big_rss KB (128 points: $small_rss KB," \
        "${rss_ratio}x); $charts"
} >>"$table"
