// Pages a family can act on, in Debian's Chromium at phone (390×844) and desktop
// (1280×900) sizes: zero axe-core violations with the maps present, screenshots to look
// at (tests/browser/screenshots/, git-ignored), the search without JavaScript keeping
// the query, "Copier le lien" / "Imprimer", map points reachable by keyboard, print
// (internal links as absolute URLs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, axeViolations, SITE_DIR, ROOT } from './lib.mjs';

const SHOTS = join(ROOT, 'tests', 'browser', 'screenshots');
const SIZES = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];

let files;
let server;
let browser;

/** Netlify's query-parameter rewrites of `_redirects` (`/from q=:q /to/:q/ 200`),
 * in front of the static server: the host does them in production. */
async function withQueryRewrites(upstream) {
  const rules = readFileSync(join(SITE_DIR, '_redirects'), 'utf8').split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 4 && /^\w+=:\w+$/.test(f[1]) && f[3] === '200');
  const proxy = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = url.pathname + url.search;
    for (const [from, param, to] of rules) {
      const [name, placeholder] = param.split('=');
      const value = url.searchParams.get(name);
      if (url.pathname === from && value !== null) {
        path = to.replace(placeholder, encodeURIComponent(value));
        break;
      }
    }
    const fwd = request(upstream.url + path, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    req.pipe(fwd);
  });
  await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${proxy.address().port}`, close: () => new Promise((ok) => proxy.close(ok)) };
}

before(async () => {
  files = await serve(SITE_DIR);
  server = await withQueryRewrites(files);
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await files?.close();
});

async function firstHref(page, selector) {
  const href = await page.$eval(selector, (a) => a.getAttribute('href'));
  assert.ok(href, `no ${selector} on ${page.url()}`);
  return href;
}

/** An offer and its CFA, reached as a visitor would (home → a level → an offer). */
async function pages(page) {
  await page.goto(`${server.url}/niveaux/`);
  await page.goto(server.url + await firstHref(page, 'main a[href^="/niveaux/"]'));
  const offer = await firstHref(page, '.offer-link');
  await page.goto(server.url + offer);
  const cfa = await firstHref(page, '.breadcrumb a[href^="/cfa/"]');
  return { accueil: '/', formation: offer, cfa, handicap: '/handicap/', 'sans-js': '/recherche/sans-js/' };
}

test('every page kind: no axe-core violation at both sizes, maps present, screenshots taken', async () => {
  const found = [];
  for (const size of SIZES) {
    const context = await browser.newContext({ viewport: size });
    const page = await context.newPage();
    const list = await pages(page);
    for (const [name, path] of Object.entries(list)) {
      const res = await page.goto(server.url + path);
      assert.equal(res.status(), 200, path);
      if (name === 'formation' || name === 'cfa') {
        assert.ok(await page.$('figure.map svg a'), `${name}: a map with links (${path})`);
        const img = await page.$eval('figure.map image', (i) => i.getAttribute('href'));
        assert.ok(img.startsWith('/assets/carte.'), img);
      }
      for (const v of await axeViolations(page)) found.push(`${name} ${size.width}px (${path}): ${v}`);
      await page.screenshot({ path: join(SHOTS, `${name}-${size.width}.png`), fullPage: true });
    }
    await context.close();
  }
  assert.deepEqual(found, []);
});

test('without JavaScript the home search keeps the query and offers matching lists', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: SIZES[0] });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.fill('#q', 'coiffure');
  await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
  assert.match(page.url(), /\/recherche\/sans-js\/\?q=coiffure$/);
  assert.equal(await page.inputValue('#q'), 'coiffure', 'the query is still in the box');
  const heading = await page.textContent('h1');
  assert.match(heading, /coiffure/);
  const links = await page.$$eval('.matches a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length > 0, 'matching browse pages');
  assert.ok(links.some((l) => l.startsWith('/domaines/') || l.startsWith('/diplomes/')), links.join(' '));
  await page.screenshot({ path: join(SHOTS, 'sans-js-requete-390.png'), fullPage: true });
  // No dead button without JavaScript.
  await page.goto(server.url + (await pages(page)).formation);
  assert.equal(await page.isVisible('text=Copier le lien'), false);
  await context.close();
});

test('"Copier le lien" copies the page address; "Imprimer" is offered; print spells out absolute URLs', async () => {
  const context = await browser.newContext({ viewport: SIZES[1], permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const { formation } = await pages(page);
  await page.goto(server.url + formation);
  await page.click('text=Copier le lien');
  await page.waitForSelector('text=Lien copié.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const canonical = await page.$eval('link[rel=canonical]', (l) => l.href);
  assert.equal(copied, canonical);
  assert.ok(await page.isVisible('text=Imprimer'));
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('text=Copier le lien'), false);
  assert.equal(await page.isVisible('figure.map'), false);
  const after = await page.$eval('main a[href^="/cfa/"]', (a) => getComputedStyle(a, '::after').content);
  assert.match(after, /https?:\/\//, `an internal link is printed as an absolute URL (${after})`);
  assert.ok(await page.isVisible('.print-only'));
  await context.close();
});

test('a CFA map point is reached by keyboard and leads to its place in the list', async () => {
  const context = await browser.newContext({ viewport: SIZES[0] });
  const page = await context.newPage();
  const { cfa } = await pages(page);
  await page.goto(server.url + cfa);
  const point = page.locator('figure.map svg a').first();
  // Its accessible name is its <title> (text, not an attribute: see map.rs).
  const name = await point.evaluate((a) => a.querySelector('title')?.textContent ?? '');
  assert.match(name, /formation/);
  await point.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.startsWith('#lieu-'));
  const target = await page.evaluate(() => document.querySelector(location.hash).textContent);
  assert.match(target, /Qui appeler/);
  await context.close();
});
