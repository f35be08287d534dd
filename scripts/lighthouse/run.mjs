// Lighthouse (mobile, its default: simulated slow 4G and a mid-range phone) on every page
// kind of a built site, served like Netlify by the browser suite's static server (CSP and
// headers of netlify.toml). Prints page, performance, accessibility, best practices, SEO,
// CLS and LCP; the search page after a query is measured RUNS times and its median kept.
//
//   SITE_DIR=… node scripts/lighthouse/run.mjs [--assert] [--runs N] [--out DIR]
//
// --assert exits 1 unless accessibility, best practices and SEO are 100 on every page and
// performance ≥ 95 with CLS < 0.1 on the search page after a query (issue 14).
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { serve, SITE_DIR } from '../../tests/browser/lib.mjs';

const args = process.argv.slice(2);
const assertTargets = args.includes('--assert');
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', 3));
const OUT = opt('--out', null);

/** The first page of the sitemap under `/dir/` (a live page, not a redirect). */
function firstPage(dir) {
  const xml = readFileSync(join(SITE_DIR, 'sitemap.xml'), 'utf8');
  for (const m of xml.matchAll(/<loc>https?:\/\/[^/<]+(\/[^<]*)<\/loc>/g)) {
    if (m[1].startsWith(`/${dir}/`) && m[1] !== `/${dir}/`) return m[1];
  }
  throw new Error(`no page under /${dir}/ in the sitemap`);
}

/** A page of the search without JavaScript for two words. */
function pairPage() {
  const dir = join(SITE_DIR, 'recherche', 'sans-js');
  const pair = readdirSync(dir).filter((d) => /^[a-z0-9]+\+[a-z0-9]+$/.test(d)).sort()[0];
  return `/recherche/sans-js/${pair ?? ''}/`;
}

const PAGES = [
  ['accueil', '/'],
  ['recherche ?q=cuisine', '/recherche/?q=cuisine'],
  ['formation', firstPage('formations')],
  ['cfa', firstPage('cfa')],
  ['handicap', '/handicap/'],
  ['calendrier', '/calendrier/'],
  ['parcourir (niveau)', firstPage('niveaux')],
  ['sans JS, 2 mots', pairPage()],
];
// Pages kept out of search engines on purpose (`noindex`): their SEO score is not a target.
const NOINDEX = new Set(['sans JS, 2 mots']);
const SEARCH = 'recherche ?q=cuisine';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

const server = await serve(SITE_DIR);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
const problems = [];
try {
  for (const [name, path] of PAGES) {
    const runs = [];
    for (let i = 0; i < (name === SEARCH ? RUNS : 1); i++) {
      const { lhr } = await lighthouse(`${server.url}${path}`, {
        port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES,
      });
      if (OUT) {
        mkdirSync(OUT, { recursive: true });
        writeFileSync(join(OUT, `${name.replace(/[^a-z0-9]+/gi, '-')}-${i + 1}.json`), JSON.stringify(lhr));
      }
      runs.push(lhr);
    }
    const score = (lhr, c) => Math.round((lhr.categories[c].score ?? 0) * 100);
    // The median run by performance (its other figures come with it).
    const lhr = [...runs].sort((a, b) => score(a, 'performance') - score(b, 'performance'))[Math.floor(runs.length / 2)];
    const row = {
      page: name, path,
      perf: score(lhr, 'performance'),
      perfRuns: runs.map((r) => score(r, 'performance')),
      a11y: score(lhr, 'accessibility'),
      bp: score(lhr, 'best-practices'),
      seo: score(lhr, 'seo'),
      cls: median(runs.map((r) => r.audits['cumulative-layout-shift'].numericValue)),
      lcp: median(runs.map((r) => r.audits['largest-contentful-paint'].numericValue)),
    };
    rows.push(row);
    // What keeps a category under 100: the audits that failed, by id.
    for (const c of CATEGORIES) {
      for (const ref of lhr.categories[c].auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1 && (c !== 'performance' || a.score < 0.9)) {
          problems.push(`${name} [${c}] ${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}`);
        }
      }
    }
  }
} finally {
  await chrome.kill();
  await server.close();
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('page', 22)}${pad('perf', 18)}${pad('a11y', 6)}${pad('bp', 6)}${pad('seo', 6)}${pad('CLS', 8)}LCP`);
for (const r of rows) {
  const perf = r.perfRuns.length > 1 ? `${r.perf} (${r.perfRuns.join('/')})` : r.perf;
  console.log(`${pad(r.page, 22)}${pad(perf, 18)}${pad(r.a11y, 6)}${pad(r.bp, 6)}${pad(r.seo, 6)}${pad(r.cls.toFixed(3), 8)}${(r.lcp / 1000).toFixed(2)} s`);
}
if (problems.length) console.log(`\nAudits below their mark:\n  ${problems.join('\n  ')}`);

if (assertTargets) {
  const fails = [];
  for (const r of rows) {
    for (const k of ['a11y', 'bp', 'seo']) {
      if (r[k] < 100 && !(k === 'seo' && NOINDEX.has(r.page))) fails.push(`${r.page}: ${k} ${r[k]} < 100`);
    }
  }
  const s = rows.find((r) => r.page === SEARCH);
  if (s.perf < 95) fails.push(`${SEARCH}: performance ${s.perf} < 95`);
  if (s.cls >= 0.1) fails.push(`${SEARCH}: CLS ${s.cls} ≥ 0.1`);
  if (fails.length) {
    console.error(`\nLighthouse targets missed:\n  ${fails.join('\n  ')}`);
    process.exit(1);
  }
}
