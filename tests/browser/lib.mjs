// Shared helpers of the browser suite: a static server for the built site that answers
// like Netlify (index.html in folders, 404.html with status 404, the CSP of netlify.toml),
// Debian's Chromium driven by playwright-core, and axe-core.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, extname, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The project root (two folders up). */
export const ROOT = join(here, '..', '..');

/** The built site under test: $SITE_DIR, set by run.sh. */
export const SITE_DIR = process.env.SITE_DIR ?? join(ROOT, 'public');

/** The vitrine binary: $VITRINE_BIN, set by run.sh. */
export const VITRINE_BIN = process.env.VITRINE_BIN ?? join(ROOT, 'target', 'release', 'vitrine');

/** The netlify.toml every site gets from `vitrine init` (its source in the tool). */
export const NETLIFY_TOML = join(ROOT, 'src', 'init', 'netlify.toml');

/** The Content-Security-Policy the site is deployed with (from netlify.toml). */
export function deployedCsp() {
  const toml = readFileSync(NETLIFY_TOML, 'utf8');
  const m = toml.match(/Content-Security-Policy\s*=\s*"([^"]+)"/);
  return m ? m[1] : null;
}

/** The header rules of netlify.toml for paths other than "/*", in file order, as
 * { path, re, values }: a later matching rule's value replaces an earlier one, as on
 * Netlify (the embeddable CFA lists relax frame-ancestors this way). */
export function deployedPathRules() {
  const toml = readFileSync(NETLIFY_TOML, 'utf8');
  return toml.split('[[headers]]').slice(1).map((block) => {
    const f = block.match(/for\s*=\s*"([^"]+)"/);
    if (!f) return null;
    const values = {};
    for (const m of block.matchAll(/^\s*([A-Za-z-]+)\s*=\s*"([^"]*)"\s*$/gm)) {
      if (m[1] !== 'for') values[m[1]] = m[2];
    }
    const re = new RegExp(`^${f[1].replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return { path: f[1], re, values };
  }).filter((r) => r && r.path !== '/*');
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.csv': 'text/csv; charset=utf-8', '.xml': 'application/xml',
  '.ics': 'text/calendar', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.bin': 'application/octet-stream', '.atom': 'application/atom+xml',
};

/** Serves `root` on 127.0.0.1 (free port). Resolves to { url, close, hits } where hits
 * lists every path requested (to measure what a page downloads). */
export async function serve(root = SITE_DIR, { csp = deployedCsp() } = {}) {
  const hits = [];
  const rules = csp ? deployedPathRules() : [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    hits.push(path);
    const headers = { 'X-Content-Type-Options': 'nosniff' };
    if (csp) headers['Content-Security-Policy'] = csp;
    for (const r of rules) {
      if (!r.re.test(path)) continue;
      for (const k of ['Content-Security-Policy', 'X-Frame-Options']) {
        if (r.values[k]) headers[k] = r.values[k];
      }
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(normalize(root))) { res.writeHead(403, headers); return res.end(); }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      let body = '';
      try { body = await readFile(join(root, '404.html')); } catch { /* no 404 page */ }
      res.writeHead(404, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
      res.end(body);
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((ok) => server.close(ok)) };
}

/** Debian's Chromium, headless, with the flags this machine needs. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records console errors, page errors and CSP violations. */
export async function watchedPage(browser) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { page, problems };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.1 A/AA rules) on the current page; resolves to its violations.
 * Injected through the DevTools protocol, so the page's CSP does not block it. */
export async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}
