#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 120 s each) and prints, per target,
# the executions and whether a crash was found. The corpus lives in fuzz/corpus/ and grows
# in place; crashes land in fuzz/artifacts/ (turn each into a regression test).
# cargo fuzz needs nightly flags: RUSTC_BOOTSTRAP lets the stable toolchain accept them.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-120}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
targets=$(cargo fuzz list)
cargo fuzz build --release
status=0
for t in $targets; do
  mkdir -p "corpus/$t"
  log="$(mktemp)"
  cargo fuzz run --release "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 \
    -max_len=262144 >"$log" 2>&1
  rc=$?
  execs=$(grep -oE '#[0-9]+' "$log" | tail -1 | tr -d '#')
  if [ $rc -eq 0 ]; then verdict="no crash"; else verdict="CRASH (see fuzz/artifacts/$t)"; status=1; tail -30 "$log"; fi
  printf '%-16s %6ss  %12s execs  %s\n' "$t" "$seconds" "${execs:-?}" "$verdict"
  rm -f "$log"
done
exit $status
