#!/bin/sh
# fuzz/seeds.sh NAME DIR: writes the seed corpus of harness NAME
# (fuzz_config, fuzz_dist, fuzz_model or fuzz_sweep) into DIR, from the
# repository's scenario files (scenarios/, tests/data/ and
# tests/data/hostile/). Run from the root.
# Multi-file inputs follow fuzz/fuzz_files.h: parts separated by "#@@"
# lines, an include or a sweep's file = pointing at the next part.
set -eu
name=$1
dir=$2
mkdir -p "$dir"
files=$(ls scenarios/*.ini scenarios/sweeps/*.ini tests/data/*.ini \
    tests/data/hostile/*.ini 2>/dev/null || true)
sep='#@@'

# The file an include = or file = line of $1 names, relative to $1.
named() {
    v=$(sed -n "s/^$2 *= *\\([^ ;]*\\).*/\\1/p" "$1" | head -n 1)
    [ -n "$v" ] && [ -f "$(dirname "$1")/$v" ] && echo "$(dirname "$1")/$v"
    return 0
}

i=0
case $name in
fuzz_config)
    for f in $files; do
        i=$((i + 1))
        inc=$(named "$f" include)
        if [ -n "$inc" ]; then
            { sed 's/^include *=.*/include = inc1.ini/' "$f"
              printf '\n%s\n' "$sep"
              cat "$inc"; } >"$dir/seed$i"
        else
            cp "$f" "$dir/seed$i"
        fi
    done
    # Two files including each other, and sets.
    printf 'include = inc1.ini\n[sales]\nreps = 3\n\n%s\ninclude = main.ini\n\n%s\n\n%s\nsales.reps=4\nstage.qualify.advance=0.5\nscenario.x.pull.weeks=2\n' \
        "$sep" "$sep" "$sep" >"$dir/seed_sets"
    ;;
fuzz_model)
    # Files that stand alone (no include), then a "#@@" part of --set lines.
    for f in $files; do
        grep -q '^include' "$f" && continue
        grep -q '^\[sweep\]' "$f" && continue
        i=$((i + 1))
        cp "$f" "$dir/seed$i"
    done
    printf '[simulation]\nhorizon_weeks = 8\n\n[scenario.p]\npull.weeks = 2\n\n%s\nsales.reps=0\noperations.staff=0\n' \
        "$sep" >"$dir/seed_sets"
    ;;
fuzz_sweep)
    for f in $files; do
        grep -q '^\[sweep\]' "$f" || continue
        i=$((i + 1))
        model=$(named "$f" file)
        { sed 's/^file *=.*/file = model.ini/' "$f"
          if [ -n "$model" ]; then
              printf '\n%s\n' "$sep"
              sed 's/^include *=.*/include = inc.ini/' "$model"
              inc=$(named "$model" include)
              if [ -n "$inc" ]; then
                  printf '\n%s\n' "$sep"
                  cat "$inc"
              fi
          fi; } >"$dir/seed$i"
    done
    ;;
fuzz_dist)
    # Every value of the files that looks like a number or a distribution,
    # once as a non-negative quantity (first byte 1), once as signed (0).
    cat $files | sed -n 's/^[A-Za-z_.]* *= *\([^;]*[0-9)][^;]*\).*/\1/p' |
        sed 's/ *$//' | sort -u >"$dir/.values"
    while IFS= read -r v; do
        i=$((i + 1))
        printf '\001%s' "$v" >"$dir/seed$i"
        printf '\000%s' "$v" >"$dir/seed${i}s"
    done <"$dir/.values"
    rm -f "$dir/.values"
    ;;
*)
    echo "fuzz/seeds.sh: unknown harness $name" >&2
    exit 2
    ;;
esac
