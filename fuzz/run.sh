#!/usr/bin/env bash
# Runs every fuzz target in turn and prints how many inputs each executed.
#
#   fuzz/run.sh runs 1000000        # 10^6 executions per target
#   fuzz/run.sh seconds 300         # 5 minutes per target
#   fuzz/run.sh seconds 300 scope_parse dates_figures   # only these targets
#
# Each target starts from fuzz/seeds/<target>/ and keeps what it learns in
# fuzz/corpus/<target>/ (ignored by git), so a second run goes on from the
# first. A crash leaves its input in fuzz/artifacts/<target>/ and stops the
# run with a non-zero status. Logs go to fuzz/logs/<target>.log.
#
# Runs under `nice -n 10`, single-threaded, with a 2 GB memory limit, since
# the machine is shared. Set FUZZ_BUILD=0 to skip the build step.
set -euo pipefail
cd "$(dirname "$0")"

# No sanitizer: the crate forbids `unsafe`, and without one a run makes about
# twice as many executions. Debug assertions on: the ledger's own invariant
# checks (`debug_assert!`) and integer overflow checks then run on every input.
FLAGS=(--sanitizer none --debug-assertions)

usage() {
    echo "usage: $0 runs|seconds N [target…]" >&2
    exit 2
}
[ $# -ge 2 ] || usage
case "$1" in
runs) limit="-runs=$2" ;;
seconds) limit="-max_total_time=$2" ;;
*) usage ;;
esac
shift 2
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

if [ "${FUZZ_BUILD:-1}" != 0 ]; then
    nice -n 10 cargo +nightly fuzz build "${FLAGS[@]}"
fi

mkdir -p logs
total=0
status=0
printf '%-16s %14s %10s %8s\n' target executions seconds exec/s
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    seeds=()
    [ -d "seeds/$t" ] && seeds=("seeds/$t")
    start=$(date +%s)
    # `--` hands the rest to libFuzzer; corpus first (where new inputs go), then seeds.
    if ! nice -n 10 cargo +nightly fuzz run "${FLAGS[@]}" "$t" "corpus/$t" "${seeds[@]}" -- \
        "$limit" -rss_limit_mb=2048 -print_final_stats=1 >"logs/$t.log" 2>&1; then
        status=1
        echo "$t: stopped with a failure, see fuzz/logs/$t.log and fuzz/artifacts/$t/" >&2
    fi
    secs=$(($(date +%s) - start))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | tail -n1)
    runs=${runs:-0}
    total=$((total + runs))
    printf '%-16s %14d %10d %8d\n' "$t" "$runs" "$secs" $((runs / (secs > 0 ? secs : 1)))
done
printf '%-16s %14d\n' total "$total"
exit $status
