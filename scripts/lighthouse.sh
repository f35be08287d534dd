#!/usr/bin/env bash
# Lighthouse (mobile) on every page kind of the sample site, driving Debian's Chromium:
# builds the site in a scratch folder, serves it like Netlify (tests/browser/lib.mjs) and
# prints a table (see scripts/lighthouse/run.mjs). Arguments go to run.mjs:
#   scripts/lighthouse.sh [--assert] [--runs N] [--out DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

[ -x /usr/bin/chromium ] || { echo "needs /usr/bin/chromium (apt-get install chromium)" >&2; exit 1; }
# lighthouse (pinned in scripts/lighthouse/package-lock.json; 12.x runs on Node 20) and the
# browser suite's packages, for its static server.
(cd "$root/scripts/lighthouse" && { [ -d node_modules/lighthouse ] || npm ci --no-audit --no-fund --loglevel=error; })
(cd "$root/tests/browser" && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error; })

(cd "$root" && cargo build --release --quiet)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The sample site, built in a folder of its own (its committed ledger stays as it is).
cp -r "$root/examples/sample" "$work/site"
rm -rf "$work/site/public" "$work/site/report" "$work/site/build"
(cd "$work/site" && "$root/target/release/vitrine" build >/dev/null)

export SITE_DIR="$work/site/public"
export CHROME_PATH=/usr/bin/chromium
node "$root/scripts/lighthouse/run.mjs" "$@"
