#!/usr/bin/env bash
# Import benchmark: generates a BROF export of ROWS offers (default 100,000) under
# /dev/shm, runs `vitrine check` on it three times under /usr/bin/time -v, and prints the
# median wall time, the median import phase and the peak resident memory.
# Target (issue 2): under 5 s and under 1 GiB on the 2-core build machine.
#
#   scripts/bench-import.sh            # 100,000 rows
#   ROWS=10000 scripts/bench-import.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-100000}
DIR=${BENCH_DIR:-/dev/shm/vitrine-bench-import}
RUNS=3

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time" >&2
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

cargo build --release --quiet --example make_sample --bin vitrine
mkdir -p "$DIR"
EXPORT="$DIR/export-$ROWS.xlsx"
./target/release/examples/make_sample --rows "$ROWS" --out "$EXPORT"
echo "export: $EXPORT ($(du -h "$EXPORT" | cut -f1))"

seconds() { # h:mm:ss or m:ss.ss -> seconds
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f\n", s }'
}

walls=(); imports=(); rss=()
for i in $(seq 1 $RUNS); do
    /usr/bin/time -v ./target/release/vitrine check --verbose --input "$EXPORT" \
        --report "$DIR/report" >"$DIR/out-$i.txt" 2>"$DIR/time-$i.txt"
    wall=$(grep "Elapsed (wall clock)" "$DIR/time-$i.txt" | awk '{print $NF}' | seconds)
    kb=$(grep "Maximum resident set size" "$DIR/time-$i.txt" | awk '{print $NF}')
    imp=$(grep -E "^  import " "$DIR/out-$i.txt" | awk '{print $2}')
    echo "run $i: wall ${wall} s, import ${imp} ms, peak RSS $((kb / 1024)) MiB"
    walls+=("$wall"); imports+=("$imp"); rss+=("$kb")
done

median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }
echo "---"
grep -E "rows read|published|non r|closed|new|changed" "$DIR/out-1.txt"
echo "median wall time: $(median "${walls[@]}") s (import phase $(median "${imports[@]}") ms) over $RUNS runs of $ROWS rows"
echo "peak RSS: $(( $(max "${rss[@]}") / 1024 )) MiB"
