#!/usr/bin/env bash
# Relevance benchmark: builds a catalogue from an export (default: the sample), indexes the
# same built site with Pagefind 1.5 (npm `pagefind`, offer pages only), then scores both on
# the judged queries of tests/relevance/queries.json (relevant offers are defined by rules
# over the open-data records): zero-result rate, precision of the top 3, recall of the top
# 20, and the number of queries answered well. Prints both tools side by side.
# Needs: chromium, node + tests/browser/node_modules (tests/browser/run.sh installs them).
# Usage: [FILL_ADMIN=1 [FILL_ROME=1]] [QUERIES=file.json] scripts/bench-relevance.sh [EXPORT] [NAME]
#   (work under /dev/shm/search-relevance; FILL_ADMIN=1 for a public list without the
#   administrative columns, FILL_ROME=1 to give its offers their diploma's ROME codes and
#   Formacode domain, tests/fixtures/real/rome-par-diplome.csv; see
#   scripts/bench-relevance-fill.py)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export_file="$(realpath "${1:-$root/examples/sample/data/offre-apprentissage-2027.xlsx}")"
name="${2:-$(basename "${export_file%.*}")}"
work="${BENCH_DIR:-/dev/shm/search-relevance}"
dir="$work/$name"
mkdir -p "$work"
if [ ! -x "$work/pf/node_modules/.bin/pagefind" ]; then
  mkdir -p "$work/pf" && (cd "$work/pf" && npm install --no-audit --no-fund --loglevel=error pagefind@1.5 >/dev/null)
fi
(cd "$root" && cargo build --release --quiet)
[ -d "$root/tests/browser/node_modules" ] || (cd "$root/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
bin="${CARGO_TARGET_DIR:-$root/target}/release/vitrine"
communes="${COMMUNES:-$root/data/communes-france.csv}"
[ -f "$communes" ] || communes="$root/data/communes-paca.csv"

rm -rf "$dir"; mkdir -p "$dir"
# A public list without the administrative columns: fill those (only) so offers publish.
if [ "${FILL_ADMIN:-}" = 1 ]; then
  rome=()
  [ "${FILL_ROME:-}" = 1 ] && rome=("$root/tests/fixtures/real/rome-par-diplome.csv")
  python3 "$root/scripts/bench-relevance-fill.py" "$export_file" "$dir/export.csv" "${rome[@]}"
  export_file="$dir/export.csv"
fi
cat > "$dir/vitrine.toml" <<TOML
[input]
export = "$export_file"
communes = "$communes"
durations = "$root/data/durees-diplomes.toml"
calendar = "$root/data/calendrier-2027.toml"
ledger = "$dir/urls-publiees.csv"
content = "$root/content"
themes = "$root/themes"
[output]
public = "$dir/public"
report = "$dir/report"
build = "$dir/build"
TOML
"$bin" --config "$dir/vitrine.toml" build > "$dir/build.log"
"$work/pf/node_modules/.bin/pagefind" --site "$dir/public" --glob "formations/**/*.html" > "$dir/pagefind.log"
COMMUNES="$communes" VITRINE_BIN="$bin" node "$root/scripts/bench-relevance.mjs" "$dir/public" "$dir/vitrine.toml" \
  "${QUERIES:-$root/tests/relevance/queries.json}"
