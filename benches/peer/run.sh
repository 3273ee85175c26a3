#!/bin/sh
# The peer job timed beside ledger-cli, alternately, in one run: wall time
# and peak resident set of each process by `/usr/bin/time -v`, then the
# medians and their ratio. benches/README.md ("The peer job") has the figures.
#
#   python3 ../shared/bench/peers-gen.py --seed 42 --n 1000000 --out ../peers-data/1000000
#   benches/peer/run.sh ../peers-data/1000000 [RUNS]      # RUNS of each, 3 unless given
#
# ledger-cli runs as ../shared/bench/README.md says; ours twice: as a user
# runs it, `posture check peer.toml` (the scenario `benches/peer/peer.toml`,
# linked into the folder, since its imports are relative to it), and
# through the library, `benches/peer.rs`, which also asks every host's total.
set -eu
out=$(cd "$1" && pwd)
runs=${2:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
ln -sf "$here/benches/peer/peer.toml" "$out/peer.toml"
bin=$(cd "$here" && cargo bench --features csv --bench peer --no-run 2>&1 |
    sed -n 's/.*Executable .*(\(.*\))$/\1/p')
[ -x "$bin" ] || { echo "run.sh: the peer bench did not build" >&2; exit 1; }
(cd "$here" && cargo build --quiet --release --features cli)
posture="${CARGO_TARGET_DIR:-$here/target}/release/posture"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Prints "SECONDS KB" for the command in $log.
measured() {
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                                          for (i = 1; i <= n; i++) s = s * 60 + t[i] }
                /Maximum resident set size/ { kb = $2 }
                END { printf "%.3f %d\n", s, kb }' "$log"
}

i=1
while [ "$i" -le "$runs" ]; do
    (cd "$out" && /usr/bin/time -v -o "$log" \
        ledger -f journal.ledger bal ^deployed --depth 3 -e 2013-01-01 >/dev/null) || true
    echo "ledger-cli $(measured)"
    (cd "$out" && /usr/bin/time -v -o "$log" "$posture" check peer.toml >/dev/null)
    echo "posture $(measured)"
    PEER_DATA="$out" /usr/bin/time -v -o "$log" "$bin" --bench >/dev/null
    echo "library $(measured)"
    i=$((i + 1))
done | awk '
    { print; fflush() }
    $1 == "ledger-cli" || $1 == "posture" || $1 == "library" { t[$1, ++n[$1]] = $2; m[$1, n[$1]] = $3 }
    function median(who, a,   k, j, x, v) {
        for (k = 1; k <= n[who]; k++) v[k] = a[who, k]
        for (k = 2; k <= n[who]; k++) for (j = k; j > 1 && v[j-1] > v[j]; j--) { x = v[j]; v[j] = v[j-1]; v[j-1] = x }
        return n[who] % 2 ? v[(n[who] + 1) / 2] : (v[n[who] / 2] + v[n[who] / 2 + 1]) / 2
    }
    END {
        lt = median("ledger-cli", t); lm = median("ledger-cli", m)
        pt = median("posture", t); pm = median("posture", m)
        bt = median("library", t); bm = median("library", m)
        printf "medians of %d: ledger-cli %.2f s, %.0f MB; posture check %.3f s, %.0f MB; library %.3f s, %.0f MB; ledger-cli / posture = %.1f\n",
            n["posture"], lt, lm * 1024 / 1e6, pt, pm * 1024 / 1e6, bt, bm * 1024 / 1e6, lt / pt
    }'
