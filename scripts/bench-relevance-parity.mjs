// The browser's ranking without a browser: runs the page's own search.js (StaticIndex) in
// Node against a built site and compares, query by query, its top 10, count and
// "approaching" flag with `vitrine search --json`. A quick check between browser-suite runs.
//   node scripts/bench-relevance-parity.mjs PUBLIC_DIR VITRINE_BIN VITRINE_TOML QUERIES_JSON
// QUERIES_JSON: an array of {q, ...filters} (tests/relevance/queries.json's {queries} works too).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import vm from 'node:vm';
const [site, bin, config, queriesFile] = process.argv.slice(2);
const src = readFileSync(new URL('../themes/default/static/search.js', import.meta.url), 'utf8') + '\n;globalThis.StaticIndex = StaticIndex;';
const ctx = { document: { getElementById: () => null, baseURI: 'http://x/' }, URL, TextDecoder, TextEncoder, console, Math, Promise,
  fetch: async (u) => { const p = site + decodeURIComponent(new URL(u).pathname); try { const b = readFileSync(p); return { ok: true, json: async () => JSON.parse(b.toString('utf8')), arrayBuffer: async () => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) }; } catch { return { ok: false, status: 404 }; } } };
ctx.globalThis = ctx; vm.createContext(ctx); vm.runInContext(src, ctx);
const html = readFileSync(site + '/recherche/index.html', 'utf8');
const manifest = 'http://x' + html.match(/data-manifest="?([^" >]+)/)[1];
const facets = {};
for (const m of html.matchAll(/<select id="?f-(\w+)"? name="?\w+"?>([\s\S]*?)<\/select>/g)) {
  facets[m[1]] = [...m[2].matchAll(/<option value=?"?([^"> ]*)"?>/g)].map((x) => x[1]).filter(Boolean);
}
const valueIndex = (name, v) => { if (name === 'voie') return v === 'parcoursup' ? 1 : v === 'affelnet' ? 2 : -1; const k = (facets[name] ?? []).indexOf(v); return k < 0 ? -1 : k + 1; };
const index = await new ctx.StaticIndex(manifest).open();
const loaded = JSON.parse(readFileSync(queriesFile, 'utf8'));
const queries = Array.isArray(loaded) ? loaded : loaded.queries.map(({ q }) => ({ q }));
let bad = 0;
for (const query of queries) {
  const { q, ...filters } = query;
  const args = ['--config', config, 'search', '--json', '--limit', '10', q];
  for (const [k, v] of Object.entries(filters)) args.push('--filter', `${k}=${v}`);
  const cli = JSON.parse(execFileSync(bin, args, { encoding: 'utf8' }));
  const r = await index.rank({ q, ...filters }, valueIndex);
  const ords = r ? r.ords.slice(0, 10) : [];
  const ids = (await index.records(ords)).map((x) => x.id);
  const want = cli.hits.map((h) => h.id);
  const count = r ? r.ords.length : 0;
  const ok = JSON.stringify(ids) === JSON.stringify(want) && count === cli.count && !!(r?.approx) === cli.approx;
  if (!ok) { bad++; console.log('DIFF', JSON.stringify(query), count, cli.count, ids.slice(0,3), want.slice(0,3)); }
}
console.log(`${queries.length - bad}/${queries.length} identical`);
