#!/bin/sh
# Runs each cmocka test program given as an argument, shows its output,
# and ends with one line "N passed, N failed" summed over all programs.
# A program that dies before printing cmocka's summary counts as one
# failed test, so a crash can never pass silently.
# SALESCAP (the binary under test) is exported by the Makefile.
passed=0
failed=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT INT TERM
for t in "$@"; do
    "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    if [ -z "$p" ] && [ -z "$f" ]; then
        echo "tests/run.sh: $t exited with status $rc before its summary"
        f=1
    elif [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        echo "tests/run.sh: $t exited with status $rc"
        f=1
    fi
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
