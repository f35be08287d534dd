#!/usr/bin/env bash
# Instructions of a cold build, counted by valgrind (cachegrind, no cache simulation),
# for two vitrine binaries side by side: unlike times on this shared, noisy machine, a
# count varies little between runs, so a change of 1–3% shows.
#
#   scripts/bench-instructions.sh OLD_BINARY NEW_BINARY [ROWS]     (default: 2000)
#
# Prints each binary's instruction count and the change; the per-function counts stay
# in $BENCH_DIR/instructions-{old,new}.out (cg_annotate reads them). Caveat: valgrind
# counts each byte of a `rep stos`/`rep movs` (the large memset and memcpy) as an
# instruction, so those weigh more here than in time: check a saving there with
# scripts/bench-ab.sh. 2,000 offers take about 15 s, 10,000 about 45 s (both at once).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
[ $# -ge 2 ] || { sed -n '2,11p' "$0"; exit 2; }
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
old="$(realpath "$1")" new="$(realpath "$2")"
n="${3:-2000}"
work="${BENCH_DIR:-/dev/shm/vitrine-bench}"
mkdir -p "$work"
export_file="$work/offres-$n.xlsx"
if [ ! -s "$export_file" ]; then
  cargo build --release --quiet --example make_sample
  "$root/target/release/examples/make_sample" --rows "$n" --out "$export_file" >/dev/null
fi
count() { # name binary: a cold build in a folder of its own (its own ledger)
  local name="$1" bin="$2" dir="$work/instructions-$1"
  rm -rf "$dir" && mkdir "$dir"
  printf '[input]\nledger = "%s/urls.csv"\n' "$dir" >"$dir/vitrine.toml"
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$work/instructions-$name.out" \
    "$bin" --config "$dir/vitrine.toml" build --input "$export_file" \
    --out "$dir/public" --report "$dir/report" >/dev/null 2>"$work/instructions-$name.log"
  rm -rf "$dir"
  grep -E 'I *refs' "$work/instructions-$name.log" | awk '{gsub(",", "", $NF); print $NF}'
}
count old "$old" >"$work/instructions-old.count" &
count new "$new" >"$work/instructions-new.count" &
wait
a=$(cat "$work/instructions-old.count") b=$(cat "$work/instructions-new.count")
[ -n "$a" ] && [ -n "$b" ] || { echo "a build failed: see $work/instructions-*.log" >&2; exit 1; }
awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN {
  printf "cold build of %d offers: %.3f G -> %.3f G instructions (%+.1f%%)\n", n, a / 1e9, b / 1e9, 100 * (b - a) / a
}'
