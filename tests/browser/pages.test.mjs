// Every kind of page of the built sample: no Content-Security-Policy violation (the CSP of
// netlify.toml is served), no console error, and valid HTML per the Nu Html Checker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { serve, launch, SITE_DIR } from './lib.mjs';

const require = createRequire(import.meta.url);
let server;
let browser;

before(async () => {
  server = await serve(SITE_DIR);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Crawls the site from the home page, keeping the first few pages of each section. */
async function samplePages(page, perSection = 3, max = 60) {
  const seen = new Set(['/']);
  const queue = ['/'];
  const bySection = new Map();
  const kept = [];
  while (queue.length && kept.length < max) {
    const path = queue.shift();
    const section = path.split('/')[1] || '(home)';
    const n = bySection.get(section) ?? 0;
    if (n >= perSection) continue;
    bySection.set(section, n + 1);
    kept.push(path);
    await page.goto(server.url + path);
    const links = await page.$$eval('a[href^="/"]', (as) => as.map((a) => a.getAttribute('href')));
    for (const l of links) {
      const clean = l.split('#')[0].split('?')[0];
      if (clean.endsWith('/') || clean.endsWith('.html')) {
        if (!seen.has(clean)) { seen.add(clean); queue.push(clean); }
      }
    }
  }
  return kept;
}

test('every kind of page satisfies the deployed CSP and logs no error', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs the 404 status of the page we open on purpose to see the 404 page.
    if (page.url().includes('/page-qui-n-existe-pas/') && m.text().includes('404')) return;
    problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      // Surfaces through the console listener above.
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const pages = await samplePages(page);
  const sections = new Set(pages.map((p) => p.split('/')[1] || '(home)'));
  for (const s of ['(home)', 'formations', 'cfa', 'handicap', 'recherche']) {
    assert.ok(sections.has(s), `the crawl reached no ${s} page (sections: ${[...sections]})`);
  }
  // The 404 page too, and a search with a query.
  for (const p of ['/page-qui-n-existe-pas/', '/recherche/?q=coiffure']) {
    await page.goto(server.url + p);
    pages.push(p);
  }
  await page.waitForTimeout(300);
  assert.deepEqual(problems, [], `problems on ${pages.length} pages`);
});

test('the HTML of every kind of page is valid (Nu Html Checker)', async () => {
  const page = await browser.newPage();
  const pages = await samplePages(page, 2, 40);
  const files = pages.map((p) => join(SITE_DIR, p.endsWith('/') ? `${p}index.html` : p));
  files.push(join(SITE_DIR, '404.html'));
  for (const f of files) assert.ok(existsSync(f), `missing ${f}`);
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  let report = '';
  try {
    execFileSync('java', ['-jar', jar, '--errors-only', '--format', 'text', ...files], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    report = `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  assert.equal(report.trim(), '', `vnu found errors in ${files.length} pages`);
});
