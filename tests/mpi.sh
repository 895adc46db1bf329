#!/bin/sh
# The MPI build's promise: sweep.csv under `mpirun -n 1, 2, 3` (and with
# threads in each rank) is byte-identical to the serial build's. Builds
# build/mpi/salescap with `make MPI=1` (leaving ./salescap alone) and
# build/salescap. Skips, successfully, when mpicc or mpirun is missing.
# Run by .ci/run after `make test`.
set -eu
cd "$(dirname "$0")/.."
if ! command -v mpicc >/dev/null 2>&1 || ! command -v mpirun >/dev/null 2>&1
then
    echo "tests/mpi.sh: skipped: mpicc or mpirun not installed"
    exit 0
fi
make --no-print-directory MPI=1 build/mpi/salescap >/dev/null
make --no-print-directory build/salescap >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mpi="mpirun --oversubscribe"
if [ "$(id -u)" = 0 ]; then
    mpi="$mpi --allow-run-as-root"
fi
passed=0
failed=0
check() { # NAME SWEEP MPIRUN-ARGS SWEEP-ARGS [REFERENCE FOLDER]
    name=$1 file=$2 margs=$3 sargs=$4 ref=${5:-serial-$(basename "$2")}
    if $mpi $margs build/mpi/salescap sweep "$file" -o "$tmp/$name" \
        --no-plot -q $sargs >"$tmp/$name.log" 2>&1 &&
        cmp -s "$tmp/$ref/sweep.csv" "$tmp/$name/sweep.csv"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "tests/mpi.sh: FAILED: mpirun $margs ... $file $sargs"
        cat "$tmp/$name.log"
    fi
}
for f in tests/data/sweep_tiny.ini tests/data/sweep_slow.ini \
    tests/data/sweep_scen.ini tests/data/sweep_shared.ini; do
    build/salescap sweep "$f" -o "$tmp/serial-$(basename "$f")" --no-plot \
        -q -j 2
done
# Each point to its own precision: batches of 20 while ranks hand on.
prec="--precision 10% --max-replications 200"
build/salescap sweep tests/data/sweep_tiny.ini -o "$tmp/serial-prec" \
    --no-plot -q -j 2 $prec
for n in 1 2 3; do
    check "tiny-$n" tests/data/sweep_tiny.ini "-n $n" ""
    check "slow-$n" tests/data/sweep_slow.ini "-n $n" ""
done
check scen-2 tests/data/sweep_scen.ini "-n 2" ""
check shared-3 tests/data/sweep_shared.ini "-n 3" ""
check prec-3 tests/data/sweep_tiny.ini "-n 3" "$prec" serial-prec
check separate-2 tests/data/sweep_shared.ini "-n 2" "--separate-baselines"
check threads-2x2 tests/data/sweep_slow.ini "-n 2 --bind-to none" "-j 2"
# Resume under MPI: keep two finished points of tiny-2, finish on 3 ranks.
head -n 3 "$tmp/tiny-2/sweep.journal" >"$tmp/journal"
mv "$tmp/journal" "$tmp/tiny-2/sweep.journal"
rm "$tmp/tiny-2/sweep.csv"
check tiny-2 tests/data/sweep_tiny.ini "-n 3" "--resume"
echo "tests/mpi.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
