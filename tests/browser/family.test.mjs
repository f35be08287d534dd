// Pages a family can act on, in Debian's Chromium at phone (390×844) and desktop
// (1280×900) sizes: zero axe-core violations with the maps present, screenshots to look
// at (tests/browser/screenshots/, git-ignored), the search without JavaScript keeping
// the query, "Copier le lien" / "Imprimer", map points reachable by keyboard, print
// (internal links as absolute URLs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, axeViolations, SITE_DIR, ROOT } from './lib.mjs';

const SHOTS = join(ROOT, 'tests', 'browser', 'screenshots');
const SIZES = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];

let files;
let server;
let browser;

/** Form-encodes a query-parameter value as Netlify's rules engine does when it puts it
 * in a placeholder (npm `netlify-redirector` 0.5.0: `cap cuisine` → `cap+cuisine`,
 * `électricité` → `%C3%A9lectricit%C3%A9`, `'` → `%27`). */
function formEncode(value) {
  return encodeURIComponent(value).replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Netlify in front of the static server, for the rules of `_redirects`: query-parameter
 * rules (`/from q=:q /to/:q/ 302!`), splats, shadowing (a file at the path wins over an
 * unforced rule), a redirect keeping the query string, a rewrite not evaluated again,
 * and files found without regard to case (Netlify lower-cases paths). */
async function withNetlifyRules(upstream) {
  const rules = readFileSync(join(SITE_DIR, '_redirects'), 'utf8').split('\n')
    .map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const f = l.split(/\s+/);
      const [from, cond, to, status] = f.length === 4 ? f : [f[0], null, f[1], f[2]];
      return { from, param: cond?.split('=')[0], to, status: parseInt(status, 10), force: status.endsWith('!') };
    });
  const exists = (path) => {
    const file = join(SITE_DIR, path);
    return existsSync(path.endsWith('/') ? join(file, 'index.html') : file);
  };
  const proxy = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const raw = decodeURIComponent(url.pathname);
    const path = exists(raw) ? raw : raw.toLowerCase();
    let target = path;
    for (const r of rules) {
      const splat = r.from.endsWith('*') && path.startsWith(r.from.slice(0, -1));
      if (!(splat || path === r.from)) continue;
      const value = r.param ? url.searchParams.get(r.param) : '';
      if (value === null) continue;
      if (!r.force && exists(path)) break;
      const to = r.to.replace(`:${r.param}`, formEncode(value))
        .replace(':splat', splat ? path.slice(r.from.length - 1) : '');
      if (r.status === 301 || r.status === 302) {
        res.writeHead(r.status, { Location: to + (to.includes('?') ? '' : url.search) });
        return res.end();
      }
      target = decodeURIComponent(to);
      break;
    }
    const fwd = request(upstream.url + encodeURI(target), { method: req.method, headers: req.headers }, (up) => {
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
  server = await withNetlifyRules(files);
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

/** Types a query in the home page's box with JavaScript off; resolves to the page's
 * heading, box, status and matching links. */
async function searchWithoutJs(page, query) {
  await page.goto(`${server.url}/`);
  await page.fill('#q', query);
  await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
  // Another spelling's page sends on to its query's page (meta refresh).
  await page.waitForSelector('#q');
  return {
    url: page.url(),
    heading: await page.textContent('h1'),
    box: await page.inputValue('#q'),
    links: await page.$$eval('.matches a', (as) => as.map((a) => a.getAttribute('href'))),
  };
}

test('without JavaScript the home search keeps the query and offers matching lists', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: SIZES[0] });
  const page = await context.newPage();
  const one = await searchWithoutJs(page, 'coiffure');
  assert.match(one.url, /\/recherche\/sans-js\/coiffure\/\?q=coiffure$/);
  assert.equal(one.box, 'coiffure', 'the query is still in the box');
  assert.match(one.heading, /coiffure/);
  assert.ok(one.links.length > 0, 'matching browse pages');
  assert.ok(one.links.some((l) => l.startsWith('/domaines/') || l.startsWith('/diplomes/')), one.links.join(' '));
  await page.screenshot({ path: join(SHOTS, 'sans-js-requete-390.png'), fullPage: true });
  // No dead button without JavaScript.
  await page.goto(server.url + (await pages(page)).formation);
  assert.equal(await page.isVisible('text=Copier le lien'), false);
  await context.close();
});

test('without JavaScript a query of two words, as typed, keeps both words', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: SIZES[0] });
  const page = await context.newPage();
  // Capitals (a desktop keyboard), accents and a space: a page of both words each time.
  for (const [query, words, page1] of [
    ['CAP Coiffure', 'cap coiffure', '/recherche/sans-js/cap+coiffure/'],
    ['coiffure Var', 'coiffure var', '/recherche/sans-js/coiffure+var/'],
    ['électricité Var', 'electricite var', '/recherche/sans-js/electricite+var/'],
  ]) {
    const got = await searchWithoutJs(page, query);
    // The address keeps the capitals typed: Netlify finds files whatever their case.
    assert.equal(decodeURIComponent(new URL(got.url).pathname).toLowerCase(), page1, `${query}: ${got.url}`);
    assert.equal(got.box, words, `${query}: both words in the box`);
    assert.ok(got.heading.includes(words), got.heading);
    // Lists holding the words, the ones with both first.
    const [a, b] = words.split(' ');
    const labels = await page.$$eval('.matches a', (as) => as.map((x) => x.textContent));
    const folded = (t) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    assert.ok(labels.length > 0 && labels.length <= 12, `${query}: ${labels.join(' | ')}`);
    assert.ok(labels.some((l) => folded(l).includes(a)) && labels.some((l) => folded(l).includes(b)),
      `${query}: ${labels.join(' | ')}`);
    if (query === 'CAP Coiffure') await page.screenshot({ path: join(SHOTS, 'sans-js-deux-mots-390.png'), fullPage: true });
  }
  // Words no page holds: the list of every page (not the 404 page), with its box.
  const res = await page.goto(`${server.url}/recherche/sans-js/?q=plombier+chauffagiste`);
  assert.equal(res.status(), 200);
  assert.ok((await page.$$('.matches a')).length > 20, 'every list');
  assert.ok(await page.isVisible('#q'));
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
