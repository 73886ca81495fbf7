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
set -u
BUILD=${1:-build}
RUNS=${RUNS:-11}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
CROWNC="$BUILD/crownc"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/crownc-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# median_ms CMD...: runs CMD RUNS times (output discarded), prints the
# median in milliseconds.
median_ms() {
    local times=() i start end
    for ((i = 0; i < RUNS; i++)); do
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s%N)
        times+=($(((end - start) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v n="$RUNS" \
        '{ t[NR] = $1 } END { printf "%.1f", t[int((n + 1) / 2)] / 1000 }'
}

report() { printf '%-16s %10s ms   (median of %d)\n' "$1" "$2" "$RUNS"; }

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
