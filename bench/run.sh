#!/bin/sh
# bench/run.sh DIR OUT.csv
#
# Runs the benchmark programs built in DIR (by `make bench`), keeps the best
# of RUNS runs (default 3) of every timing, adds ratios and, when valgrind
# is installed, callgrind instruction counts; prints one table and writes
# OUT.csv with the columns name,value,unit.
#
# Every program prints rows "name,value,unit" on stdout. A unit says what
# "best" means: ns, s and ms are minimised, events/s maximised; any other
# unit (days, x, ...) is a result, not a timing, and must not vary.
# To add a benchmark: a bench/NAME.c that prints rows, and a line in
# BENCHES below (plus RATIOS or CALLGRIND lines if it wants them).
set -eu

dir=${1:?usage: bench/run.sh DIR OUT.csv}
out=${2:?usage: bench/run.sh DIR OUT.csv}
runs=${RUNS:-3}

# program and arguments, one per line
BENCHES='mm1_floor
engine
rng_cost'

# ratio name, numerator row, denominator row
RATIOS='mm1_engine_vs_floor mm1_engine_ns_per_event mm1_floor_ns_per_event'

# row name, program and arguments (run once under callgrind)
CALLGRIND='callgrind_mm1_floor mm1_floor
callgrind_mm1_engine engine mm1'

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
: >"$tmp/raw"

# Round robin, so that programs compared in a ratio see the same machine
# conditions (turbo, a busy neighbour core) as far as possible.
i=0
while [ "$i" -lt "$runs" ]; do
    echo "$BENCHES" | while read -r prog args; do
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
    $3 == "ns" || $3 == "s" || $3 == "ms" { if ($2 + 0 < v[$1] + 0) v[$1] = $2; next }
    $3 == "events/s" { if ($2 + 0 > v[$1] + 0) v[$1] = $2; next }
    $2 != v[$1] { printf "bench/run.sh: %s differs between runs: %s, %s\n", \
                  $1, v[$1], $2 > "/dev/stderr"; bad = 1 }
    END { for (i = 1; i <= n; i++) print order[i] "," v[order[i]] "," u[order[i]]
          exit bad }
' "$tmp/raw" >"$tmp/best"

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
    ratio "$tmp/cg" callgrind_mm1_engine_vs_floor callgrind_mm1_engine \
        callgrind_mm1_floor >>"$tmp/ratios"
else
    note="valgrind not found: callgrind instruction counts skipped"
fi

{ echo "name,value,unit"; cat "$tmp/best" "$tmp/cg" "$tmp/ratios"; } >"$tmp/csv"
mv "$tmp/csv" "$out"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "salescap benchmarks, best of $runs (${cpu:-unknown CPU}, $(nproc 2>/dev/null || echo ?) cores)"
awk -F, 'NR > 1 { printf "  %-40s %16s  %s\n", $1, $2, $3 }' "$out"
if [ -n "$note" ]; then
    echo "  ($note)"
fi
echo "wrote $out"
