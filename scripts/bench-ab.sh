#!/usr/bin/env bash
# Interleaved A/B of two vitrine binaries on 1%-changed rebuilds: the machine is shared
# and noisy, so the two binaries are timed in turns rather than one after the other.
#
#   scripts/bench-ab.sh OLD_BINARY NEW_BINARY [ROUNDS] [ROWS]     (defaults: 2, 10000)
#   COLD=1 scripts/bench-ab.sh …      cold builds (--clean) instead of rebuilds
#   RAW=1 scripts/bench-ab.sh …       also each build's figures, in the order they ran
#
# Each round, for each binary in turn (which goes first alternates): a cold build (warm-up: a binary of another stamp
# makes everything again), then four rebuilds alternating the export and its 1%-changed
# copy (each one a 1% change). Prints, per binary, the median wall time and user and
# system CPU of those rebuilds. Inputs and outputs under /dev/shm (BENCH_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
[ $# -ge 2 ] || { sed -n '2,10p' "$0"; exit 2; }
old="$(realpath "$1")" new="$(realpath "$2")"
rounds="${3:-2}" n="${4:-10000}"
work="${BENCH_DIR:-/dev/shm/vitrine-bench}"
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

export_file="$work/offres-$n.xlsx"
changed_file="$work/offres-$n-1pc.xlsx"
if [ ! -s "$export_file" ]; then
  cargo build --release --quiet --example make_sample
  "$root/target/release/examples/make_sample" --rows "$n" --out "$export_file" >/dev/null
fi
[ -s "$changed_file" ] || python3 "$root/scripts/change-export.py" "$export_file" "$changed_file" 1
cat > "$work/ab.toml" <<TOML
[input]
ledger = "$work/ab-urls.csv"
TOML

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# One build: prints "wall user sys".
timed() {
  local bin="$1"; shift
  /usr/bin/time -f "%e %U %S" -o "$work/ab.time" "$bin" --config "$work/ab.toml" build \
    --out "$work/ab-public" --report "$work/ab-report" "$@" >/dev/null 2>&1
  cat "$work/ab.time"
}
declare -A lines
for round in $(seq "$rounds"); do
  # Turns swap each round: the second binary of a round was measured up to 10% faster
  # than the first with the same binary in both places.
  order="old new"
  [ $((round % 2)) = 0 ] && order="new old"
  for label in $order; do
    bin="$old"; [ "$label" = new ] && bin="$new"
    rm -f "$work/ab-urls.csv"
    if [ "${COLD:-0}" = 1 ]; then
      for _ in 1 2; do
        lines[$label]+="$(timed "$bin" --input "$export_file" --clean)"$'\n'
      done
      continue
    fi
    timed "$bin" --input "$export_file" --clean >/dev/null
    for input in "$changed_file" "$export_file" "$changed_file" "$export_file"; do
      lines[$label]+="$(timed "$bin" --input "$input")"$'\n'
    done
  done
done
kind="rebuilds" count=$((rounds * 4))
[ "${COLD:-0}" = 1 ] && kind="cold builds" count=$((rounds * 2))
# The range beside the median: when the two binaries' ranges overlap by more than
# their medians differ, the run has not told them apart (run more rounds, or count
# instructions).
printf '%-4s %-40s %8s %14s %8s %8s  (%s %s, %s offers)\n' "" binary wall "wall range" user sys \
  "$count" "$kind" "$n"
for label in old new; do
  bin="$old"; [ "$label" = new ] && bin="$new"
  col() { printf '%s' "${lines[$label]}" | awk -v c="$1" 'NF {print $c}' | median; }
  range() {
    printf '%s' "${lines[$label]}" | awk 'NF {print $1}' | sort -n |
      awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.2f–%.2fs", lo, hi}'
  }
  printf '%-4s %-40s %7.2fs %14s %7.2fs %7.2fs\n' "$label" "$bin" "$(col 1)" "$(range)" \
    "$(col 2)" "$(col 3)"
  # RAW=1: each build's wall, user and system seconds, in the order they ran.
  [ "${RAW:-0}" = 1 ] && printf '%s' "${lines[$label]}" | awk 'NF {printf "     %s %s %s\n", $1, $2, $3}'
done
