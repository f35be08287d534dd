#!/usr/bin/env bash
# Benchmark of the diffusion files (issue 12) at scale: one `vitrine build` of a generated
# export, then the size of the LHÉO, catalogue and open-data files, the peak memory of the
# build (the whole-catalogue lheo.xml is streamed to disk, never held), and the validation
# of lheo.xml against LHÉO 2.3 with xmllint's streaming validator.
#
#   scripts/bench-diffusion.sh [ROWS]        default: 100000
#
# Inputs and outputs under /dev/shm/diffusion-bench (override with BENCH_DIR). Needs GNU
# time and xmllint (apt-get install time libxml2-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
n="${1:-100000}"
work="${BENCH_DIR:-/dev/shm/diffusion-bench}"
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

cargo build --release --quiet
cargo build --release --quiet --example make_sample
bin="$root/target/release/vitrine"
gen="$root/target/release/examples/make_sample"

cat > "$work/vitrine.toml" <<TOML
[input]
themes = "$root/themes"
content = "$root/content"
calendar = "$root/data/calendrier-2027.toml"
communes = "$root/data/communes-paca.csv"
durations = "$root/data/durees-diplomes.toml"
ledger = "$work/urls-publiees.csv"
TOML

export_file="$work/offres-$n.csv"
[ -s "$export_file" ] || "$gen" --rows "$n" --csv --out "$export_file" >/dev/null
rm -f "$work/urls-publiees.csv"
/usr/bin/time -v "$bin" --config "$work/vitrine.toml" build --input "$export_file" \
  --out "$work/public" --report "$work/report" >"$work/build.log" 2>"$work/time.log"
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.log")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.log")
published=$(grep -c '"status": "published"' "$work/report/verdicts.json" || true)
actions=$(grep -c '^<action ' "$work/public/donnees/lheo.xml" || true)
size() { du -h --apparent-size "$1" | cut -f1; }
echo "offers in the export        $n"
echo "published (verdicts.json)   $published"
echo "<action> in lheo.xml        $actions"
echo "build wall time             $wall"
echo "build peak RSS              $((rss / 1024)) MiB"
echo "lheo.xml                    $(size "$work/public/donnees/lheo.xml")"
echo "catalogue.json              $(size "$work/public/donnees/catalogue.json")"
echo "offres.json / offres.csv    $(size "$work/public/donnees/offres.json") / $(size "$work/public/donnees/offres.csv")"
echo "per-CFA lheo.xml files      $(find "$work/public/cfa" -name lheo.xml | wc -l)"
if command -v xmllint >/dev/null 2>&1; then
  /usr/bin/time -v xmllint --noout --stream --schema "$root/tests/fixtures/lheo/lheo.xsd" \
    "$work/public/donnees/lheo.xml" 2>"$work/xmllint.log" >/dev/null && ok=valid || ok=INVALID
  echo "xmllint --stream --schema   $ok ($(grep -c 'validity error' "$work/xmllint.log" || true) errors, peak $(( $(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/xmllint.log") / 1024 )) MiB)"
else
  echo "xmllint not installed: lheo.xml not validated"
fi
