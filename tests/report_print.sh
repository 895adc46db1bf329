#!/bin/sh
# Prints report.html to PDF in headless Chromium, on A4 and on Letter, and
# checks the handout (make report-check; not part of make test, since it
# needs Chromium: apt-get install chromium poppler-utils).
#
# The report is that of the flagship scenario with a [report] section:
# an 80-character title, notes with every Markdown form, markup to be
# escaped and a long unbroken address, and a scenario with a long title.
# For each paper size, tests/report_print.py checks that
#   - the page fetches nothing (its src, href, @import and url(), and
#     Chromium's network log of the printing),
#   - nothing is cut at a page's edge (every block of text is in the PDF
#     whole, every word inside its page),
#   - no chart with its caption and no table row is split over two pages,
#     and headings sit on the page of what follows them.
# Then it proves the checks can fail: a page too wide, charts taller than
# a page, headings forced apart from their text and an image from the
# network must each be caught.
#
# Usage: tests/report_print.sh [KEEP_DIR]   (KEEP_DIR keeps the PDFs)
# SALESCAP names the binary (default ./salescap), CHROMIUM the browser.
set -eu

bin=${SALESCAP:-./salescap}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
check="python3 $here/report_print.py"
keep=${1:-}

chromium=${CHROMIUM:-}
for c in chromium chromium-browser google-chrome; do
    [ -n "$chromium" ] && break
    command -v "$c" >/dev/null 2>&1 && chromium=$c
done
if [ -z "$chromium" ] || ! command -v pdftotext >/dev/null 2>&1; then
    echo "report_print: needs Chromium and pdftotext:" \
         "apt-get install chromium poppler-utils" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/salescap-print.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

cat >"$tmp/board.ini" <<EOF
include = $root/scenarios/pull_two_weeks.ini

[report]
title = Lending the sales team to operations for two weeks: what it costs us
author = A. Consultant <a.consultant@example.com> & Partners
notes = notes.md

[scenario.hire_ops]
title = Hire two operations staff now, before the next incident floods the queue
EOF
cat >"$tmp/notes.md" <<'EOF'
# Recommendation

Do **not** lend the sales team to operations. Over two years the pull
costs about **$106k** of revenue, most of it a quarter or more after the
reps are back, when the deals they did not find fail to close.

- Hiring two ops staff gains revenue but costs far more than it gains.
- A sales support person comes close to paying for itself.
- Making the pull a habit costs nearly twice the single pull.

## What we would do instead

1. Fix the release process that caused the incident.
2. Contract temporary ops staff for the backlog (`contract.role = ops`).

Markup stays text: <script>alert("x")</script> & <img src=x onerror=y>.
A long address does not widen the page:
https://example.com/a/very/long/path/that/never/breaks/anywhere/at/all/0123456789/abcdefghijklmnopqrstuvwxyz
EOF

# chromium FILE.html OUT.pdf [NETLOG]: prints FILE to OUT.
chromium_print() {
    net=
    [ $# -ge 3 ] && net="--log-net-log=$3"
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
        --no-first-run --disable-background-networking --disable-sync \
        --disable-component-update --no-pdf-header-footer $net \
        --print-to-pdf="$2" "file://$1" >"$tmp/chromium.log" 2>&1 || {
        cat "$tmp/chromium.log" >&2
        echo "report_print: chromium failed on $1" >&2
        exit 1
    }
    [ -s "$2" ] || { echo "report_print: no PDF from $1" >&2; exit 1; }
}

# with_style FILE.html OUT.html CSS: FILE with CSS at the start of its
# style sheet (a paper size) or, with a 4th argument, at its end (so it
# overrides the report's own rules).
with_style() {
    if [ $# -ge 4 ]; then
        sed "0,/<\/style>/s||$3<\/style>|" "$1" >"$2"
    else
        sed "0,/<style>/s||<style>$3|" "$1" >"$2"
    fi
}

t0=$(date +%s.%N)
"$bin" run "$tmp/board.ini" -q -o "$tmp/run" --plots "$tmp/plots" --report
t1=$(date +%s.%N)
"$bin" plot "$tmp/run" --plots "$tmp/plots2" --report -q
t2=$(date +%s.%N)
report="$tmp/run/report.html"
bytes=$(wc -c <"$report")
echo "report_print: report.html $bytes bytes; run with report" \
     "$(awk "BEGIN{printf \"%.2f\", $t1 - $t0}") s, redraw with report" \
     "$(awk "BEGIN{printf \"%.2f\", $t2 - $t1}") s"

fail=0
if ! $check html "$report"; then
    echo "report_print: FAIL: report.html is not self-contained" >&2
    fail=1
fi
for paper in A4 letter; do
    with_style "$report" "$tmp/$paper.html" "@page{size:$paper}"
    chromium_print "$tmp/$paper.html" "$tmp/$paper.pdf" "$tmp/$paper.json"
    pages=$(pdfinfo "$tmp/$paper.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    if $check net "$tmp/$paper.json" && \
        $check pdf "$tmp/$paper.html" "$tmp/$paper.pdf"; then
        echo "report_print: $paper: $pages pages, nothing fetched, cut or split"
    else
        echo "report_print: FAIL: $paper ($pages pages)" >&2
        fail=1
    fi
    [ -n "$keep" ] && mkdir -p "$keep" && cp "$tmp/$paper.pdf" "$keep/"
done

# Each check must catch a page broken on purpose, with the problem meant.
broken() {
    name=$1 css=$2 want=$3
    with_style "$tmp/A4.html" "$tmp/$name.html" "$css" end
    chromium_print "$tmp/$name.html" "$tmp/$name.pdf"
    $check pdf "$tmp/$name.html" "$tmp/$name.pdf" >"$tmp/$name.out" 2>&1 || :
    if grep -q "$want" "$tmp/$name.out"; then
        echo "report_print: $name caught: $(grep "$want" "$tmp/$name.out" | head -n 1 | cut -c1-90)"
    else
        echo "report_print: FAIL: the check missed $name" >&2
        fail=1
    fi
}
broken too_wide "main{width:1500px;max-width:none}" "cut or missing"
broken split_charts "@media print{figure svg{height:300mm;max-height:none}}" \
    "figure split over pages"
broken split_rows \
    "@media print{tr{break-inside:auto!important}td{line-height:25mm}}" \
    "tr split over pages"
broken lone_headings "@media print{h2,h3{break-after:page!important}}" \
    "apart from what follows"
sed 's|</main>|<img src="http://example.invalid/x.png"></main>|' \
    "$tmp/A4.html" >"$tmp/fetch.html"
chromium_print "$tmp/fetch.html" "$tmp/fetch.pdf" "$tmp/fetch.json"
if $check net "$tmp/fetch.json" >/dev/null || \
    $check html "$tmp/fetch.html" >/dev/null; then
    echo "report_print: FAIL: the check missed a request to the network" >&2
    fail=1
else
    echo "report_print: fetch caught: $($check net "$tmp/fetch.json" | head -n 1)"
fi
[ "$fail" -eq 0 ] && echo "report_print: ok"
exit "$fail"
