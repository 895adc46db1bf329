#!/bin/sh
# tests/valgrind.sh BIN TEST...: runs the end-to-end test programs TEST...
# (through tests/run.sh) with SALESCAP set to a wrapper that starts BIN
# under valgrind memcheck, so that every salescap process the tests start
# is checked: invalid reads and writes, uses of uninitialised values, and
# definite or indirect leaks. A process with such an error exits 99 (so
# its test fails on the status) and leaves its report in a log, which is
# printed at the end. Exits 0 only if the tests pass and no log holds an
# error. Child processes (gnuplot) are not traced. make valgrind runs it.
set -u
bin=$1
shift
if ! command -v valgrind >/dev/null 2>&1; then
    echo "tests/valgrind.sh: valgrind not found (apt-get install valgrind)" >&2
    exit 1
fi
logs=$(mktemp -d) || exit 1
trap 'rm -rf "$logs"' EXIT INT TERM
wrapper=$logs/salescap
cat >"$wrapper" <<WRAP
#!/bin/sh
exec valgrind -q --tool=memcheck --leak-check=full \\
    --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \\
    --track-fds=no --log-file="$logs/vg.%p.log" "$bin" "\$@"
WRAP
chmod +x "$wrapper"
# Slower processes: the tests that calibrate on a first run still hold.
SALESCAP=$wrapper SALESCAP_VALGRIND=1 sh tests/run.sh "$@"
status=$?
bad=0
for f in "$logs"/vg.*.log; do
    [ -s "$f" ] || continue
    bad=$((bad + 1))
    echo "== valgrind: $(basename "$f")"
    cat "$f"
done
n=$(ls "$logs" | grep -c '^vg\.')
echo "valgrind: $n salescap processes checked, $bad with errors"
[ "$status" -eq 0 ] && [ "$bad" -eq 0 ]
