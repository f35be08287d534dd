#!/usr/bin/env bash
# Instructions of a cold build, counted by valgrind (cachegrind, no cache simulation),
# for two vitrine binaries side by side: unlike times on this shared, noisy machine, a
# count varies little between runs, so a change of 1–3% shows.
#
#   scripts/bench-instructions.sh OLD_BINARY NEW_BINARY [ROWS]     (default: 2000)
#   REBUILD=1 scripts/bench-instructions.sh OLD NEW [ROWS]   a 1%-changed rebuild instead:
#     each binary's cold build of the export (not counted), then the count of its
#     rebuild from the same export with 1% of the descriptions changed
#     (scripts/change-export.py), as the benchmark's "1% changed, after cold"
#
# Prints each binary's instruction count and the change; the per-function counts stay
# in $BENCH_DIR/instructions-{old,new}.out (cg_annotate reads them). Caveat: valgrind
# counts each byte of a `rep stos`/`rep movs` (the large memset and memcpy) as an
# instruction, so those weigh more here than in time: check a saving there with
# scripts/bench-ab.sh. 2,000 offers take about 15 s, 10,000 about 45 s (both at once).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
[ $# -ge 2 ] || { sed -n '2,15p' "$0"; exit 2; }
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
rebuild="${REBUILD:-0}"
counted="$export_file" what="cold build"
if [ "$rebuild" = 1 ]; then
  counted="$work/offres-$n-1pc.xlsx" what="1%-changed rebuild"
  [ -s "$counted" ] || python3 "$root/scripts/change-export.py" "$export_file" "$counted" 1 >/dev/null
fi
count() { # name binary: a build in a folder of its own (its own ledger)
  local name="$1" bin="$2" dir="$work/instructions-$1"
  rm -rf "$dir" && mkdir "$dir"
  printf '[input]\nledger = "%s/urls.csv"\n' "$dir" >"$dir/vitrine.toml"
  local args=(--config "$dir/vitrine.toml" build --out "$dir/public" --report "$dir/report")
  if [ "$rebuild" = 1 ]; then
    "$bin" "${args[@]}" --input "$export_file" >/dev/null 2>&1
  fi
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$work/instructions-$name.out" \
    "$bin" "${args[@]}" --input "$counted" >/dev/null 2>"$work/instructions-$name.log"
  rm -rf "$dir"
  grep -E 'I *refs' "$work/instructions-$name.log" | awk '{gsub(",", "", $NF); print $NF}'
}
count old "$old" >"$work/instructions-old.count" &
count new "$new" >"$work/instructions-new.count" &
wait
a=$(cat "$work/instructions-old.count") b=$(cat "$work/instructions-new.count")
[ -n "$a" ] && [ -n "$b" ] || { echo "a build failed: see $work/instructions-*.log" >&2; exit 1; }
awk -v a="$a" -v b="$b" -v n="$n" -v what="$what" 'BEGIN {
  printf "%s of %d offers: %.3f G -> %.3f G instructions (%+.1f%%)\n", what, n, a / 1e9, b / 1e9, 100 * (b - a) / a
}'
