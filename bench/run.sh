#!/bin/sh
# bench/run.sh DIR OUT.csv
#
# Runs the benchmark programs built in DIR (by `make bench`; the salescap
# binary built with them is DIR/../salescap), keeps the best of RUNS runs
# (default 5) of every timing, adds ratios and, when valgrind is
# installed, callgrind instruction counts; then bench/scaling.sh (threads,
# MPI ranks, shared baselines, a 10,000-point sweep; SCALING=0 skips it);
# prints the tables and writes OUT.csv with the columns name,value,unit.
# Every figure comes from this one invocation.
#
# Every program prints rows "name,value,unit" on stdout. A unit says what
# "best" means: ns, s, ms and KB are minimised, events/s maximised; any
# other unit (days, tickets, ...) is a result, not a measurement, and must
# not vary. To add a benchmark: a bench/NAME.c that prints rows, and a line
# in BENCHES below (plus RATIOS or CALLGRIND lines if it wants them).
# In BENCHES, @SALESCAP@ is the salescap binary and @TMP@ a scratch folder.
set -eu

dir=${1:?usage: bench/run.sh DIR OUT.csv}
out=${2:?usage: bench/run.sh DIR OUT.csv}
runs=${RUNS:-5}
salescap=$dir/../salescap
flagship=scenarios/pull_two_weeks.ini

# program and arguments, one per line
BENCHES="mm1_floor
engine
rng_cost
model pure_queue
model simulate $flagship
runwall flagship_j1 @SALESCAP@ run $flagship --no-plot -q -j 1 -o @TMP@/j1
runwall flagship_j2 @SALESCAP@ run $flagship --no-plot -q -j 2 -o @TMP@/j2
runwall flagship_n10 @SALESCAP@ run $flagship --no-plot -q -n 10 -o @TMP@/n10
runwall flagship_n1000 @SALESCAP@ run $flagship --no-plot -q -n 1000 -o @TMP@/n1000"

# ratio name, numerator row, denominator row
RATIOS='mm1_engine_vs_floor mm1_engine_ns_per_event mm1_floor_ns_per_event
model_pure_queue_vs_floor model_pure_queue_ns_per_ticket mm1_floor_ns_per_customer
flagship_speedup_j2 flagship_j1_wall_s flagship_j2_wall_s
flagship_simulate_speedup_j2 flagship_simulate_j1_s flagship_simulate_j2_s
flagship_rss_n1000_vs_n10 flagship_n1000_peak_rss flagship_n10_peak_rss'

# row name, program and arguments (run once under callgrind)
CALLGRIND='callgrind_mm1_floor mm1_floor
callgrind_mm1_engine engine mm1
callgrind_model_pure_queue model pure_queue'

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
: >"$tmp/raw"

# Round robin, so that programs compared in a ratio see the same machine
# conditions (turbo, a busy neighbour core) as far as possible; five runs,
# because on a shared machine the best of three is often still a busy one.
i=0
while [ "$i" -lt "$runs" ]; do
    echo "$BENCHES" | while read -r prog args; do
        args=$(echo "$args" | sed "s|@SALESCAP@|$salescap|g; s|@TMP@|$tmp|g")
        # shellcheck disable=SC2086 # args split on purpose
        if ! "$dir/$prog" $args >>"$tmp/raw"; then
            echo "bench/run.sh: $prog $args failed" >&2
            exit 1
        fi
    done
    i=$((i + 1))
done

# Best of the runs, in first-seen order; results must agree across runs.
awk -F, '
    !($1 in v) { order[++n] = $1; v[$1] = $2; u[$1] = $3; next }
    $3 == "ns" || $3 == "s" || $3 == "ms" || $3 == "KB" {
        if ($2 + 0 < v[$1] + 0) v[$1] = $2; next }
    $3 == "events/s" { if ($2 + 0 > v[$1] + 0) v[$1] = $2; next }
    $2 != v[$1] { printf "bench/run.sh: %s differs between runs: %s, %s\n", \
                  $1, v[$1], $2 > "/dev/stderr"; bad = 1 }
    END { for (i = 1; i <= n; i++) print order[i] "," v[order[i]] "," u[order[i]]
          exit bad }
' "$tmp/raw" >"$tmp/best"

# Replications per second at the flagship's default count (from the
# run.ini that salescap wrote beside its results).
reps=$(sed -n 's/^replications *= *\([0-9][0-9]*\).*/\1/p' "$tmp/j1/run.ini" |
       head -n 1)
awk -F, -v reps="$reps" '
    $1 == "flagship_j1_wall_s" || $1 == "flagship_j2_wall_s" {
        j = substr($1, 10, 2)
        printf "flagship_%s_replications_per_s,%.1f,replications/s\n", j,
               reps / $2 }
' "$tmp/best" >"$tmp/rate"
cat "$tmp/rate" >>"$tmp/best"

# ratio NAME of rows NUM / DEN in file $1
ratio() {
    awk -F, -v name="$2" -v num="$3" -v den="$4" '
        $1 == num { a = $2 } $1 == den { b = $2 }
        END { if (a != "" && b > 0) printf "%s,%.3f,x\n", name, a / b }
    ' "$1"
}

echo "$RATIOS" | while read -r name num den; do
    ratio "$tmp/best" "$name" "$num" "$den"
done >"$tmp/ratios"

note=""
: >"$tmp/cg"
if command -v valgrind >/dev/null 2>&1; then
    echo "$CALLGRIND" | while read -r name prog args; do
        # shellcheck disable=SC2086
        valgrind --tool=callgrind --callgrind-out-file=/dev/null \
            "$dir/$prog" $args >/dev/null 2>"$tmp/cg.log" || true
        ir=$(sed -n 's/.*Collected : *\([0-9][0-9]*\).*/\1/p' "$tmp/cg.log")
        if [ -n "$ir" ]; then
            echo "$name,$ir,instructions"
        fi
    done >"$tmp/cg"
    # Per ticket and per customer: the model's count over its tickets,
    # the floor's over its 1,000,000 customers.
    awk -F, '
        FNR == NR && $1 == "model_pure_queue_tickets" { n = $2 }
        FNR != NR && $1 == "callgrind_model_pure_queue" && n > 0 {
            printf "callgrind_model_pure_queue_per_ticket,%.1f,instructions\n",
                   $2 / n }
        FNR != NR && $1 == "callgrind_mm1_floor" {
            printf "callgrind_mm1_floor_per_customer,%.1f,instructions\n",
                   $2 / 1000000 }
    ' "$tmp/best" "$tmp/cg" >"$tmp/cg_unit"
    cat "$tmp/cg_unit" >>"$tmp/cg"
    ratio "$tmp/cg" callgrind_mm1_engine_vs_floor callgrind_mm1_engine \
        callgrind_mm1_floor >>"$tmp/ratios"
    ratio "$tmp/cg" callgrind_model_pure_queue_vs_floor \
        callgrind_model_pure_queue_per_ticket \
        callgrind_mm1_floor_per_customer >>"$tmp/ratios"
else
    note="valgrind not found: callgrind instruction counts skipped"
fi

: >"$tmp/scaling"
: >"$tmp/scaling.txt"
if [ "${SCALING:-1}" != 0 ]; then
    sh bench/scaling.sh "$dir" "$tmp/scaling" "$tmp/scaling.txt"
fi

{ echo "name,value,unit"; cat "$tmp/best" "$tmp/cg" "$tmp/ratios" \
    "$tmp/scaling"; } >"$tmp/csv"
mv "$tmp/csv" "$out"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "salescap benchmarks, best of $runs (${cpu:-unknown CPU}, $(nproc 2>/dev/null || echo ?) cores)"
awk -F, 'NR > 1 && $1 !~ /^(scaling|sweep)/ {
    printf "  %-44s %16s  %s\n", $1, $2, $3 }' "$out"
if [ -n "$note" ]; then
    echo "  ($note)"
fi
cat "$tmp/scaling.txt"
echo "wrote $out"
