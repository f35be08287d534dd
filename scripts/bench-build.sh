#!/usr/bin/env bash
# Benchmark of the whole `vitrine build` (import, controls, search index, pages, write)
# on generated exports of 10,000 and 100,000 offers.
#
#   scripts/bench-build.sh [ROWS...]        default: 10000 100000
#   RUNS=3 scripts/bench-build.sh 10000
#   HUGO=0 scripts/bench-build.sh 10000     skip the Hugo + Pagefind comparison
#
# Inputs and outputs live under /dev/shm (memory), so the disk does not blur the figures.
# Each size is built RUNS times (default 3) with /usr/bin/time -v; the script prints
# the median wall time and the highest peak RSS, then (scripts/bench-hugo.sh) builds the
# same published offers with Hugo + Pagefind and prints the ratio. Targets on the 2-core machine:
# 10,000 offers < 2 s, 100,000 < 25 s, peak memory < 2 GiB.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
runs="${RUNS:-3}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
work="${BENCH_DIR:-/dev/shm/vitrine-bench}"
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

cargo build --release --quiet
cargo build --release --quiet --example make_sample
bin="$root/target/release/vitrine"
gen="$root/target/release/examples/make_sample"

# A site folder of its own: the built-in theme, content and tables, a fresh ledger in
# the work folder.
cat > "$work/vitrine.toml" <<TOML
[input]
ledger = "$work/urls-publiees.csv"
TOML

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-10s %-14s %12s %14s %8s\n' offers tool "median wall" "peak RSS" files
for n in "${sizes[@]}"; do
  export_file="$work/offres-$n.xlsx"
  [ -s "$export_file" ] || "$gen" --rows "$n" --out "$export_file" >/dev/null
  walls=()
  peak=0
  for i in $(seq "$runs"); do
    rm -f "$work/urls-publiees.csv"
    log="$work/time-$n-$i.log"
    /usr/bin/time -v "$bin" --config "$work/vitrine.toml" build --input "$export_file" \
      --out "$work/public-$n" --report "$work/report-$n" >"$work/out-$n-$i.log" 2>"$log"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
      awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    walls+=("$wall")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  files=$(find "$work/public-$n" -type f | wc -l)
  med=$(printf '%s\n' "${walls[@]}" | median)
  printf '%-10s %-14s %11.2fs %11d MiB %8d\n' "$n" vitrine "$med" $((peak / 1024)) "$files"
  echo "$med" > "$work/vitrine-$n.wall"

  if [ "${HUGO:-1}" = 1 ]; then
    bash "$root/scripts/bench-hugo.sh" "$n" "$work" "$runs"
  fi
done
