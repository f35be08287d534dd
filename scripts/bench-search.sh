#!/usr/bin/env bash
# Search benchmark: builds 10,000- and 100,000-offer catalogues (make_sample, all under
# /dev/shm) and prints, for vitrine's static search and for Pagefind over the same built
# site: bytes downloaded for a first query (gzip, script included), total index size,
# keystroke-to-results time in headless Chromium, index build time and peak memory.
# Needs: chromium, node + tests/browser/node_modules (tests/browser/run.sh installs them),
# pip (pagefind-bin). Usage: scripts/bench-search.sh [ROWS...]   (default: 10000 100000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${BENCH_DIR:-/dev/shm/vitrine-bench-search}"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
queries=("coiffure" "boulanger" "cap cuisine" "bts commerce" "electricien" "aide soignant")

mkdir -p "$work"
if [ ! -x "$work/pf/bin/python" ]; then
  python3 -m venv "$work/pf" && "$work/pf/bin/pip" install -q pagefind-bin
fi
(cd "$root" && cargo build --release --quiet && cargo build --release --quiet --example make_sample)
[ -d "$root/tests/browser/node_modules" ] || (cd "$root/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/release/vitrine"

# Sum of the files' gzip sizes (level 6, as static hosts serve them).
gz() { python3 -c 'import os, sys, zlib
print(sum(len(zlib.compress(open(os.path.join(d, f), "rb").read(), 6)) + 18
          for d, _, fs in os.walk(sys.argv[1]) for f in fs))' "$1"; }
raw() { du -sb "$1" | cut -f1; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }

for n in "${sizes[@]}"; do
  dir="$work/$n"
  rm -rf "$dir"; mkdir -p "$dir"
  "$target/release/examples/make_sample" --rows "$n" --out "$dir/export.xlsx" >/dev/null
  cat > "$dir/vitrine.toml" <<TOML
[input]
export = "$dir/export.xlsx"
ledger = "$dir/urls-publiees.csv"
[output]
public = "$dir/public"
report = "$dir/report"
build = "$dir/build"
TOML
  /usr/bin/time -v "$bin" --config "$dir/vitrine.toml" build --verbose > "$dir/build.log" 2> "$dir/build.time"
  published=$(grep -m1 -E '^\s*published' "$dir/build.log" | awk '{print $NF}')
  index_time=$(grep -m1 'search index' "$dir/build.log" | awk '{print $3, $4}')
  build_rss=$(grep 'Maximum resident' "$dir/build.time" | awk '{print $NF}')
  build_wall=$(grep 'Elapsed (wall' "$dir/build.time" | awk '{print $NF}')

  /usr/bin/time -v "$work/pf/bin/python" -m pagefind_bin --site "$dir/public" --glob "formations/**/*.html" \
    > "$dir/pagefind.log" 2> "$dir/pagefind.time"
  pf_wall=$(grep 'Elapsed (wall' "$dir/pagefind.time" | awk '{print $NF}')
  pf_rss=$(grep 'Maximum resident' "$dir/pagefind.time" | awk '{print $NF}')

  json=$(cd "$root" && VITRINE_BIN="$bin" VITRINE_CONFIG="$dir/vitrine.toml" \
    node scripts/bench-search.mjs "$dir/public" "${queries[@]}")
  echo "$json" > "$dir/browser.json"

  echo
  echo "== $n rows ($published offers published) =="
  printf '%-44s %18s %18s\n' "" "vitrine" "Pagefind 1.5"
  printf '%-44s %18s %18s\n' "index on disk, raw (gzip)" \
    "$(kib "$(raw "$dir/public/recherche/index")") ($(kib "$(gz "$dir/public/recherche/index")"))" \
    "$(kib "$(raw "$dir/public/pagefind")") ($(kib "$(gz "$dir/public/pagefind")"))"
  printf '%-44s %18s %18s\n' "tantivy index (build/, not published)" "$(kib "$(raw "$dir/build/index")")" "-"
  printf '%-44s %18s %18s\n' "index build time" "$index_time" "$pf_wall (wall)"
  printf '%-44s %18s %18s\n' "peak memory (whole vitrine build / pagefind)" "$((build_rss / 1024)) MiB" "$((pf_rss / 1024)) MiB"
  printf '%-44s %18s\n' "whole vitrine build (wall)" "$build_wall"
  node -e '
    const r = JSON.parse(process.argv[1]);
    const kib = (b) => (b / 1024).toFixed(1) + " KiB";
    const pad = (s, n) => String(s).padStart(n);
    console.log("first query, gzip bytes (script + index files; files)   and time");
    for (const v of r.vitrine) {
      const p = r.pagefind.find((x) => x.q === v.q) ?? {};
      console.log(`  ${v.q.padEnd(16)} vitrine ${pad(kib(v.bytes), 10)} (${v.files} files, page ${kib(v.html)})`
        + ` | keystroke→results ${v.keystroke.toFixed(1)} ms, search+render ${v.compute.toFixed(1)} ms`
        + (v.parity === null ? "" : v.parity ? ", top 10 = vitrine search" : ", TOP 10 DIFFERS FROM vitrine search"));
      if (p.bytes !== undefined) console.log(`  ${"".padEnd(16)} Pagefind ${pad(kib(p.bytes), 9)} (${p.files} files)`
        + ` | first search+top10 ${p.cold.toFixed(1)} ms, again ${p.warm.toFixed(1)} ms, ${p.count} results`);
    }' "$json"
done
