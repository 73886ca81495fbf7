#!/usr/bin/env bash
# tests/bench/run.sh BUILD — what `make bench` measures.
#
# Performance targets live here, never in the test suite: timings depend
# on the machine. Each measurement runs the command RUNS times and prints
# the median wall time, so that one slow run does not move the number.
#
#   check-polito   crownc check sites/polito: the PoliTo-sized site, every
#                  stage up to and including the checks
#   parse-5mb      crownc check --syntax on a generated 5 MB site file
#   fmt-5mb        crownc fmt on the same file
#   build-polito   crownc build sites/polito --repo, again over its own
#                  commit: every stage, sealing with reuse, tree, compare
#   out-polito     crownc build sites/polito --out into an empty
#                  directory: 3,478 files written, every value sealed anew
#                  (nothing to reuse); mostly file-system time
#
# Then a generated university (tests/bench/gen_site.py) of N people and
# N/40 courses, for each N of SIZES (default 1000 20000 100000), each
# figure the median of SCALE_RUNS (default 3) runs:
#   check-N        crownc check
#   out-N          build --out into a fresh directory
#   repo-N         build --repo into a fresh repository
#   noop-N         build --repo again, nothing changed
#   one-N          build --repo after one student's name changed
#   rss-check-N    peak resident memory of check, MiB
#   rss-out-N      the same of build --out
#   plain-N        the out-N tree written by tests/bench/plain_write.c
#   git-N          git add -A && git commit of the same tree
# and the ratios out/plain and repo/git of that run.
set -u
BUILD=${1:-build}
RUNS=${RUNS:-11}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
CROWNC="$BUILD/crownc"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/crownc-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' TERM

# median_prep_ms PREP CMD...: runs PREP (untimed, output discarded) and
# then CMD, RUNS times; prints the median of CMD's times in milliseconds.
# A failing CMD stops the benchmark: the time of an error says nothing.
median_prep_ms() {
    local prep=$1 times=() i start end st
    shift
    for ((i = 0; i < RUNS; i++)); do
        $prep >/dev/null 2>&1
        start=$(date +%s%N)
        "$@" >"$TMP/cmd.out" 2>&1
        st=$?
        end=$(date +%s%N)
        if [ "$st" != 0 ]; then
            { echo "bench: failed (status $st): $*"; tail -5 "$TMP/cmd.out"; } >&2
            kill -TERM $$
            exit 1
        fi
        times+=($(((end - start) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v n="$RUNS" \
        '{ t[NR] = $1 } END { printf "%.1f", t[int((n + 1) / 2)] / 1000 }'
}

# median_ms CMD...: the same with nothing to prepare.
median_ms() { median_prep_ms : "$@"; }

report() { printf '%-16s %10s ms   (median of %d)\n' "$1" "$2" "$RUNS"; }

# peak_mib CMD...: the peak resident memory of CMD, in MiB.
peak_mib() {
    python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if r.returncode:
    sys.exit("bench: failed (status %d): %s" % (r.returncode, " ".join(sys.argv[1:])))
print("%.0f" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))' "$@" ||
        { kill -TERM $$; exit 1; }
}

report check-polito "$(median_ms "$CROWNC" check sites/polito)"

awk 'BEGIN {
    for (i = 0; i < 40000; i++) {
        printf "server \"node-%d\" {\n  address = \"10.%d.%d.%d\"\n", i, i % 200, i % 250, i % 240
        printf "  roles   = [worker, storage]\n  cpu     = 32\n  memory  = 256Gi\n}\n\n"
    }
}' >"$TMP/big.crown"
report parse-5mb "$(median_ms "$CROWNC" check --syntax "$TMP/big.crown")"
report fmt-5mb "$(median_ms "$CROWNC" fmt "$TMP/big.crown")"

# Builds need the site's keys: the public test ones.
export CROWNC_MASTER_KEY SOURCE_DATE_EPOCH=1764000000
CROWNC_MASTER_KEY=$(cat tests/keys/master.key)
export CROWN_SECRET_SMTP_PASSWORD=bench CROWN_SECRET_BGP_PASSWORD=bench
"$CROWNC" build sites/polito --repo "$TMP/repo" >/dev/null 2>&1
report build-polito "$(median_ms "$CROWNC" build sites/polito --repo "$TMP/repo")"
fresh() { rm -rf "$TMP/fresh" && "$CROWNC" build sites/polito --out "$TMP/fresh"; }
report out-polito "$(median_ms fresh)"

# ---- a generated university ----------------------------------------------
RUNS=${SCALE_RUNS:-3}
cc -O2 -o "$TMP/plain_write" tests/bench/plain_write.c || exit 2
for n in ${SIZES:-1000 20000 100000}; do
    site="$TMP/u$n"
    python3 tests/bench/gen_site.py "$n" $((n / 40)) "$site" || exit 2
    students="$site/people/students.csv"
    report "check-$n" "$(median_ms "$CROWNC" check "$site")"
    out_fresh() { rm -rf "$TMP/out-$n"; }
    out=$(median_prep_ms out_fresh "$CROWNC" build "$site" --out "$TMP/out-$n")
    report "out-$n" "$out"
    repo_fresh() { rm -rf "$TMP/repo-$n"; }
    repo=$(median_prep_ms repo_fresh "$CROWNC" build "$site" --repo "$TMP/repo-$n")
    report "repo-$n" "$repo"
    report "noop-$n" "$(median_ms "$CROWNC" build "$site" --repo "$TMP/repo-$n")"
    # One student's first name, alternating, so that every run changes it.
    one_change() {
        if grep -q '^s000000,Zed,' "$students"; then sed -i '2s/^s000000,Zed,/s000000,Ada,/' "$students"
        else sed -i '2s/^s000000,[^,]*,/s000000,Zed,/' "$students"; fi
    }
    report "one-$n" "$(median_prep_ms one_change "$CROWNC" build "$site" --repo "$TMP/repo-$n")"
    printf '%-16s %10s MiB\n' "rss-check-$n" "$(peak_mib "$CROWNC" check "$site")"
    rm -rf "$TMP/out-$n"
    printf '%-16s %10s MiB\n' "rss-out-$n" "$(peak_mib "$CROWNC" build "$site" --out "$TMP/out-$n")"
    tree="$TMP/out-$n/uni"
    plain_fresh() { rm -rf "$TMP/plain-$n"; }
    plain=$(median_prep_ms plain_fresh "$TMP/plain_write" "$tree" "$TMP/plain-$n")
    report "plain-$n" "$plain"
    git_fresh() {
        rm -rf "$TMP/git-$n" && mkdir -p "$TMP/git-$n" && git init -q "$TMP/git-$n" &&
            cp -r "$tree" "$TMP/git-$n/uni"
    }
    git_commit() {
        git -C "$TMP/git-$n" add -A && git -C "$TMP/git-$n" -c user.name=b -c user.email=b@b commit -q -m b
    }
    gitms=$(median_prep_ms git_fresh git_commit)
    report "git-$n" "$gitms"
    awk -v o="$out" -v p="$plain" -v r="$repo" -v g="$gitms" -v n="$n" 'BEGIN {
        printf "ratios-%-9s out/plain %.2f   repo/git %.2f\n", n, o / p, r / g }'
    rm -rf "$site" "$TMP/out-$n" "$TMP/repo-$n" "$TMP/plain-$n" "$TMP/git-$n"
done
