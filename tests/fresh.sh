#!/bin/sh
# tests/fresh.sh: the README's two commands on a fresh Debian 12 machine.
#
# Builds a minimal Debian root with debootstrap (minbase, plus git, make
# and ca-certificates, as a newcomer's machine has; sudo and a user with
# sudo rights for the second case), clones the current commit into a
# fresh copy of it for each case, and types the README's commands there
# as a newcomer would, each the first thing done on that machine:
#
#   root:  make demo, then make test
#   user:  make test, then make demo   (a sudo user, the reverse order)
#   ci:    .ci/run                     (only with --ci: about 20 minutes)
#
# After each command it checks what the README promises (./salescap
# exists; the charts and report.html are written; the tests' closing line
# says 0 failed) and that no warning was printed. LANG is unset, as on a
# fresh machine. It prints one line per step and a closing line
# 'N passed, N failed'; the logs stay in build/fresh/logs/.
#
# Needs root (debootstrap, chroot and bind mounts, in a private mount
# namespace) and Debian's mirror. The debootstrapped base is cached in
# build/fresh/base.tar.gz (remove it to start over); every case starts
# from a fresh copy of it. Run by `make fresh`, not by `make test`.
#
#   FRESH_MIRROR   the Debian mirror (default: the host's, else deb.debian.org)
#   FRESH_CASES    cases to run (default: "root user"; --ci adds "ci")
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
dir=$top/build/fresh
logs=$dir/logs
cases=${FRESH_CASES:-"root user"}
[ "${1:-}" = --ci ] && cases="$cases ci"

die() { echo "tests/fresh.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap and chroot): sudo make fresh"
for tool in debootstrap unshare chroot git; do
    command -v $tool >/dev/null 2>&1 || die "$tool not found (apt-get install debootstrap util-linux coreutils git)"
done
mirror=${FRESH_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' \
    /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}
mkdir -p "$logs" || die "cannot create $logs"
for case in $cases; do
    case $case in root|user|ci) ;; *) die "unknown case '$case' (root, user, ci)" ;; esac
done

# The base: debootstrap minbase, git, make, ca-certificates and sudo; a
# user 'newcomer' who may use sudo (without a password: the commands
# under test run without a terminal to type one).
if [ ! -s "$dir/base.tar.gz" ]; then
    echo "fresh: building the base root with debootstrap (a few minutes)"
    rm -rf "$dir/base"
    debootstrap --variant=minbase --include=git,make,ca-certificates,sudo \
        bookworm "$dir/base" "$mirror" >"$logs/debootstrap.log" 2>&1 ||
        die "debootstrap failed: see $logs/debootstrap.log"
    chroot "$dir/base" useradd -m -s /bin/sh newcomer &&
        echo 'newcomer ALL=(ALL) NOPASSWD: ALL' >"$dir/base/etc/sudoers.d/newcomer" &&
        chmod 440 "$dir/base/etc/sudoers.d/newcomer" ||
        die "cannot add the user newcomer"
    echo "127.0.1.1 $(cat /etc/hostname 2>/dev/null || hostname)" >>"$dir/base/etc/hosts"
    chroot "$dir/base" apt-get clean
    tar -C "$dir/base" -czf "$dir/base.tar.gz.tmp" . &&
        mv "$dir/base.tar.gz.tmp" "$dir/base.tar.gz" || die "cannot pack the base"
    rm -rf "$dir/base"
fi

# The commit under test, as a bundle the fresh machine clones from.
git bundle create "$dir/salescap.bundle" HEAD >/dev/null 2>&1 ||
    die "git bundle failed"
commit=$(git rev-parse --short HEAD)

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok    $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }

# in_root ROOT USER CMD: runs CMD in ROOT as USER in their clone, with the
# environment of a fresh login (no LANG), in a private mount namespace.
in_root() {
    r=$1 u=$2 c=$3
    if [ "$u" = root ]; then home=/root; else home=/home/$u; fi
    unshare --mount --propagation private sh -c '
        r=$1
        mount --bind /proc "$r/proc" && mount --bind /dev "$r/dev" &&
        mount --bind /dev/pts "$r/dev/pts" && mount --bind /sys "$r/sys" &&
        mount -t tmpfs tmpfs "$r/dev/shm" 2>/dev/null
        exec chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            HOME="$3" USER="$2" TERM=dumb \
            /bin/sh -c "cd \"\$HOME/salescap\" && exec su -s /bin/sh \"$2\" -c \"\$0\"" "$4"
    ' sh "$r" "$u" "$home" "$c"
}

# check_demo ROOT USER LOG: what make demo promises.
check_demo() {
    r=$1 u=$2 log=$3
    if [ "$u" = root ]; then w=$r/root/salescap; else w=$r/home/$u/salescap; fi
    [ -x "$w/salescap" ] || { echo "no ./salescap"; return 1; }
    for f in revenue lost_revenue pipeline; do
        [ -s "$w/plots/pull_two_weeks/$f.png" ] || { echo "no $f.png"; return 1; }
    done
    [ -s "$w/plots/pull_two_weeks/report.html" ] ||
        [ -s "$w/results/pull_two_weeks/report.html" ] || { echo "no report.html"; return 1; }
    ! grep -i 'warning' "$log" || return 1
}

check_test() {
    r=$1 u=$2 log=$3
    if [ "$u" = root ]; then w=$r/root/salescap; else w=$r/home/$u/salescap; fi
    [ -x "$w/salescap" ] || { echo "no ./salescap"; return 1; }
    tail -n 1 "$log" | grep -Eq '^[0-9]+ passed, 0 failed' || { echo "closing line: $(tail -n 1 "$log")"; return 1; }
    ! grep -i 'warning' "$log" || return 1
}

# step ROOT USER NAME CMD CHECK
step() {
    r=$1 u=$2 name=$3 c=$4 chk=$5
    log=$logs/$name.log
    t0=$(date +%s)
    in_root "$r" "$u" "$c" >"$log" 2>&1
    st=$?
    secs=$(( $(date +%s) - t0 ))
    if [ $st -ne 0 ]; then
        fail "$name: '$c' as $u exited $st (${secs}s; $log)"; tail -n 15 "$log" | sed 's/^/      /'
    elif [ -n "$chk" ] && ! why=$($chk "$r" "$u" "$log" 2>&1); then
        fail "$name: '$c' as $u: $why (${secs}s; $log)"
    else
        ok "$name: '$c' as $u (${secs}s)"
    fi
}

for case in $cases; do
    r=$dir/root-$case
    rm -rf "$r" && mkdir -p "$r" && tar -C "$r" -xzf "$dir/base.tar.gz" ||
        die "cannot unpack the base into $r"
    cp /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null
    case $case in user) u=newcomer ;; *) u=root ;; esac
    if [ "$u" = root ]; then home=$r/root; else home=$r/home/$u; fi
    cp "$dir/salescap.bundle" "$r/tmp/salescap.bundle"
    chroot "$r" su -s /bin/sh "$u" -c 'cd && git -c advice.detachedHead=false clone -q /tmp/salescap.bundle salescap' ||
        die "git clone failed in $r"
    echo "fresh: case $case, commit $commit, as $u"
    case $case in
    root) step "$r" root root-demo "make demo" check_demo
          step "$r" root root-test "make test" check_test ;;
    user) step "$r" newcomer user-test "make test" check_test
          step "$r" newcomer user-demo "make demo" check_demo ;;
    ci)   step "$r" root ci "sh .ci/run" "" ;;
    esac
    rm -rf "$r"
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
