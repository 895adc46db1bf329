#!/bin/sh
# fuzz/run.sh BUILD SECONDS NAME...: runs each libFuzzer harness NAME
# (built in BUILD) for SECONDS on its corpus (BUILD/corpus/NAME, kept
# between runs) seeded by fuzz/seeds.sh, with its dictionary. A finding
# stops the script with status 1; the input is in BUILD/artifacts/.
# FUZZ_JOBS > 1 runs that many fuzzing processes per harness (-fork).
# Run from the repository root (make fuzz).
set -eu
build=$1
secs=$2
shift 2
jobs=${FUZZ_JOBS:-1}
mkdir -p "$build/artifacts"
status=0
for name in "$@"; do
    corpus=$build/corpus/$name
    seeds=$build/seeds/$name
    rm -rf "$seeds"
    mkdir -p "$corpus"
    sh fuzz/seeds.sh "$name" "$seeds"
    log=$build/$name.log
    fork=""
    [ "$jobs" -gt 1 ] && fork="-fork=$jobs -ignore_crashes=0"
    echo "fuzz: $name for ${secs}s ($jobs process(es)), log $log"
    # shellcheck disable=SC2086
    if ! ASAN_OPTIONS=detect_leaks=1 \
        "$build/$name" -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
        -dict="fuzz/$name.dict" -artifact_prefix="$build/artifacts/$name-" \
        $fork "$corpus" "$seeds" >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "fuzz: $name found a problem: see $log and $build/artifacts/"
        status=1
        continue
    fi
    grep -E '^(Done|stat::number_of_executed_units)' "$log" || true
done
exit $status
