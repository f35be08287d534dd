#!/usr/bin/env bash
# Time of the controls phase on a large export.
#
#   scripts/bench-controls.sh [ROWS] [RUNS]     (defaults: 100000 rows, 3 runs)
#
# Generates a deterministic sample export of ROWS rows in /dev/shm (once, with the
# import's generator), then runs `vitrine check --verbose` RUNS times and prints the
# per-phase timings of each run and the best controls time. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."

rows="${1:-100000}"
runs="${2:-3}"
dir="${BENCH_DIR:-/dev/shm/vitrine-bench}"
mkdir -p "$dir"
input="$dir/export-$rows.xlsx"

cargo build --release --quiet
if [[ ! -s "$input" ]]; then
    echo "generating $input ($rows rows)..."
    cargo run --release --quiet --example make_sample -- --rows "$rows" --out "$input"
fi

best=""
for i in $(seq 1 "$runs"); do
    out="$(./target/release/vitrine check --verbose --input "$input" --report "$dir/report")"
    echo "--- run $i"
    grep -E '^  (rows read|reference tables|import|controls|report|time) ' <<<"$out"
    ms="$(awk '$1 == "controls" && $3 == "ms" { print $2 }' <<<"$out")"
    if [[ -z "$best" ]] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then
        best="$ms"
    fi
done
echo "controls phase, best of $runs on $rows rows: $best ms (budget: well under 1000 ms)"
awk -v b="$best" 'BEGIN { exit !(b < 1000) }' || { echo "over budget" >&2; exit 1; }
