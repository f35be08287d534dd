// Scores vitrine and Pagefind on judged queries over one built site. Called by
// bench-relevance.sh:  node scripts/bench-relevance.mjs PUBLIC_DIR VITRINE_TOML QUERIES_JSON
// An offer is relevant to a query when its open-data record satisfies the query's rule.
// Per tool: zero-result rate (over queries that have relevant offers), mean precision of
// the top 3 (relevant among the first min(3, |relevant|)), mean recall of the top 20
// (relevant found among min(20, |relevant|)), and queries answered well (precision@3 ≥ 2/3
// and recall@20 ≥ 0.8).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = await import(join(root, 'tests/browser/lib.mjs'));
const [site, config, queriesFile] = process.argv.slice(2);
const { queries } = JSON.parse(readFileSync(queriesFile, 'utf8'));
const offers = JSON.parse(readFileSync(join(site, 'donnees', 'offres.json'), 'utf8'));
const fold = (s) => (s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  .replace(/œ/g, 'oe').replace(/[’']/g, "'");
const path = (u) => { try { return new URL(u, 'http://x').pathname; } catch { return u; } };
const byPath = new Map(offers.map((o) => [path(o.url), o.id]));
// Offers the export gives no coordinates: their town's, from the communes table (by INSEE
// code, else postcode and name, else postcode), as vitrine's search locates them.
if (process.env.COMMUNES) {
  const rows = readFileSync(process.env.COMMUNES, 'utf8').split('\n').slice(1).map((l) => l.split(','));
  const key = (s) => fold(s).replace(/[^a-z0-9]+/g, ' ').trim().replace(/^st /, 'saint ');
  const byInsee = new Map(), byCpName = new Map(), byCp = new Map(), byDepName = new Map();
  for (const [insee, nom, , cps, lat, lon, , type] of rows) {
    if (!lat || (type && type !== 'ARM')) continue;
    const at = [Number(lat), Number(lon)];
    byInsee.set(insee, at);
    // Arrondissements too: an offer in "Lyon 1er Arrondissement" with a CEDEX postcode
    // (69283) is found by its department and name only.
    const depName = `${insee.slice(0, 2)} ${key(nom)}`;
    if (!type || !byDepName.has(depName)) byDepName.set(depName, at);
    for (const cp of (cps ?? '').split(' ')) { byCpName.set(`${cp} ${key(nom)}`, at); if (!byCp.has(cp)) byCp.set(cp, at); }
  }
  for (const o of offers) {
    if (o.latitude != null) continue;
    const at = byInsee.get(o.code_commune) ?? byCpName.get(`${o.code_postal} ${key(o.commune ?? '')}`)
      ?? byDepName.get(`${(o.code_postal ?? '').slice(0, 2)} ${key(o.commune ?? '')}`) ?? byCp.get(o.code_postal);
    if (at) [o.latitude, o.longitude] = at;
  }
}

function km(lat1, lon1, lat2, lon2) {
  const R = 6371.0088, rad = Math.PI / 180;
  const h = Math.sin((lat2 - lat1) * rad / 2) ** 2
    + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin((lon2 - lon1) * rad / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
function holds(rule, o) {
  if (rule.all) return rule.all.every((r) => holds(r, o));
  if (rule.any) return rule.any.some((r) => holds(r, o));
  if (rule.title) return rule.title.some((p) => new RegExp(p).test(fold(o.intitule)));
  if (rule.rome) return (o.codes_rome ?? []).some((c) => rule.rome.includes(c));
  if (rule.diplome) return rule.diplome.includes(fold(o.diplome));
  if (rule.dep) return rule.dep.includes(o.departement);
  if (rule.near) {
    const [lat, lon, d] = rule.near;
    return o.latitude != null && km(lat, lon, o.latitude, o.longitude) <= d;
  }
  throw new Error(`unknown rule ${JSON.stringify(rule)}`);
}

function vitrine(q) {
  const out = JSON.parse(execFileSync(process.env.VITRINE_BIN ?? join(root, 'target/release/vitrine'),
    ['--config', config, 'search', '--json', '--limit', '20', q], { encoding: 'utf8' }));
  return { ids: out.hits.map((h) => h.id), count: out.count };
}

const server = await lib.serve(site, { csp: null });
const browser = await lib.launch();
writeFileSync(join(site, 'pagefind-bench.html'), '<!doctype html><html lang="fr"><title>pf</title><body></body></html>');
const page = await browser.newPage();
await page.goto(`${server.url}/pagefind-bench.html`);
await page.evaluate(async () => { window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); });
async function pagefind(q) {
  const r = await page.evaluate(async (query) => {
    const s = await window.pf.search(query);
    const data = await Promise.all(s.results.slice(0, 20).map((x) => x.data()));
    return { urls: data.map((d) => d.url), count: s.results.length };
  }, q);
  return { ids: r.urls.map((u) => byPath.get(path(u).replace(/index\.html$/, '')) ?? byPath.get(path(u)) ?? u), count: r.count };
}

const tools = { vitrine: [], pagefind: [] };
const rows = [];
for (const { q, kind, rel } of queries) {
  const relevant = new Set(offers.filter((o) => holds(rel, o)).map((o) => o.id));
  const row = { q, kind, relevant: relevant.size };
  for (const [name, run] of [['vitrine', vitrine], ['pagefind', pagefind]]) {
    const { ids, count } = await run(q);
    if (!relevant.size) { row[name] = { count }; continue; }
    const p3 = ids.slice(0, 3).filter((id) => relevant.has(id)).length / Math.min(3, relevant.size);
    const r20 = ids.slice(0, 20).filter((id) => relevant.has(id)).length / Math.min(20, relevant.size);
    const score = { count, p3, r20, zero: count === 0, well: p3 >= 2 / 3 - 1e-9 && r20 >= 0.8 };
    row[name] = score; tools[name].push(score);
  }
  rows.push(row);
}
await browser.close();
await server.close();

const pct = (x) => `${(100 * x).toFixed(1)} %`;
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
console.log(`${offers.length} offers, ${queries.length} judged queries, ${tools.vitrine.length} with relevant offers\n`);
console.log(`${'query'.padEnd(30)} ${'kind'.padEnd(16)} rel | vitrine n  P@3  R@20 | pagefind n  P@3  R@20`);
const cell = (s) => (s.p3 === undefined ? `${String(s.count).padStart(9)}    -     -`
  : `${String(s.count).padStart(9)} ${s.p3.toFixed(2)} ${s.r20.toFixed(2)}${s.well ? ' ' : '*'}`);
for (const r of rows) console.log(`${r.q.padEnd(30)} ${r.kind.padEnd(16)} ${String(r.relevant).padStart(3)} |${cell(r.vitrine)} |${cell(r.pagefind)}`);
console.log('\n(* = not answered well: precision@3 < 2/3 or recall@20 < 0.8)\n');
console.log(`${''.padEnd(34)} ${'vitrine'.padStart(10)} ${'Pagefind 1.5'.padStart(14)}`);
const line = (label, f) => console.log(`${label.padEnd(34)} ${f(tools.vitrine).padStart(10)} ${f(tools.pagefind).padStart(14)}`);
line('zero-result rate', (t) => pct(mean(t.map((s) => (s.zero ? 1 : 0)))));
line('precision@3 (mean)', (t) => mean(t.map((s) => s.p3)).toFixed(3));
line('recall@20 (mean)', (t) => mean(t.map((s) => s.r20)).toFixed(3));
line('answered well', (t) => `${t.filter((s) => s.well).length}/${t.length}`);
