// Measures, in headless Chromium, what the first query costs on the search page of a
// built site, and the same for Pagefind over the same site. Called by bench-search.sh:
//   node scripts/bench-search.mjs PUBLIC_DIR QUERY...
// Bytes are gzip sizes (files Pagefind already compresses are counted as they are).
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = await import(join(root, 'tests/browser/lib.mjs'));
const [site, ...queries] = process.argv.slice(2);

const server = await lib.serve(site, { csp: null });
const browser = await lib.launch();
const gz = (b) => Math.min(b.length, gzipSync(b).length);

// Records every response body of a page with its gzip size, by path.
async function recorded(context) {
  const page = await context.newPage();
  const got = [];
  page.on('response', async (r) => {
    try { const b = await r.body(); got.push({ path: new URL(r.url()).pathname, bytes: gz(b) }); } catch { /* redirect */ }
  });
  return { page, got };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const out = { vitrine: [], pagefind: [] };

for (const q of queries) {
  // vitrine: a fresh browser (empty cache) opens the page with the query in the URL.
  const context = await browser.newContext();
  const { page, got } = await recorded(context);
  await page.goto(`${server.url}/recherche/?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => performance.getEntriesByName('vitrine-results').length > 0, null, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  const isSearch = (p) => p.includes('/recherche/index/') || /\/search\.[0-9a-f]+\.js$/.test(p) || p.endsWith('/search.js');
  const search = got.filter((r) => isSearch(r.path)).reduce((s, r) => s + r.bytes, 0);
  const html = got.filter((r) => r.path === '/recherche/').reduce((s, r) => s + r.bytes, 0);
  const files = got.filter((r) => isSearch(r.path)).length;
  // Same top 10 as the index itself (when the bench says where the build's config is).
  let parity = null;
  if (process.env.VITRINE_BIN && process.env.VITRINE_CONFIG) {
    const cli = JSON.parse(execFileSync(process.env.VITRINE_BIN,
      ['--config', process.env.VITRINE_CONFIG, 'search', '--json', q], { encoding: 'utf8' }));
    // One card per CFA, diploma and place: the offers in order of their card.
    const shown = await page.$$eval('#resultats > li', (lis) => lis.flatMap((li) => li.dataset.ids.split(' ')));
    const cards = new Map();
    for (const h of cli.hits) {
      const k = `${h.cfa}\u0000${h.title}\u0000${h.town ?? ''}`;
      cards.set(k, [...(cards.get(k) ?? []), h.id]);
    }
    parity = JSON.stringify(shown) === JSON.stringify([...cards.values()].flat());
  }
  // Keystroke to results, data already loaded: type one more letter then take it back.
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = await page.evaluate(async (word) => {
      performance.clearMeasures();
      const input = document.getElementById('q');
      const t0 = performance.now();
      input.value = word;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      while (!performance.getEntriesByName('vitrine-results').length) await new Promise((r) => setTimeout(r, 1));
      return { keystroke: performance.now() - t0, compute: performance.getEntriesByName('vitrine-results')[0].duration };
    }, i % 2 ? q : `${q} `);
    times.push(t);
  }
  out.vitrine.push({ q, bytes: search, html, files, parity, compute: median(times.map((t) => t.compute)), keystroke: median(times.map((t) => t.keystroke)) });
  await context.close();

  // Pagefind over the same site: its JS API, search then the top 10 results' data.
  if (!process.env.NO_PAGEFIND && existsSync(join(site, 'pagefind', 'pagefind.js'))) {
    writeFileSync(join(site, 'pagefind-bench.html'), '<!doctype html><html lang="fr"><title>pf</title><body></body></html>');
    const c2 = await browser.newContext();
    const r2 = await recorded(c2);
    await r2.page.goto(`${server.url}/pagefind-bench.html`);
    const pf = await r2.page.evaluate(async (query) => {
      const pagefind = await import('/pagefind/pagefind.js');
      await pagefind.init();
      const t0 = performance.now();
      const s = await pagefind.search(query);
      await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
      const cold = performance.now() - t0;
      const t1 = performance.now();
      const s2 = await pagefind.search(query);
      await Promise.all(s2.results.slice(0, 10).map((r) => r.data()));
      return { count: s.results.length, cold, warm: performance.now() - t1 };
    }, q);
    await r2.page.waitForLoadState('networkidle');
    const bytes = r2.got.filter((r) => r.path.startsWith('/pagefind/')).reduce((s, r) => s + r.bytes, 0);
    out.pagefind.push({ q, bytes, files: r2.got.filter((r) => r.path.startsWith('/pagefind/')).length, ...pf });
    await c2.close();
  }
}
await browser.close();
await server.close();
console.log(JSON.stringify(out));
