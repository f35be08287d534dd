// The public catalogue in a real browser (Debian's Chromium): zero axe-core violations
// (WCAG 2.1 A/AA) on every kind of page a family meets, keyboard basics (skip link,
// visible focus), browsing without JavaScript, and the print stylesheet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, axeViolations, SITE_DIR } from './lib.mjs';

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

/** First link of the page whose href starts with `prefix`. */
async function firstLink(page, prefix) {
  const href = await page.$$eval('a[href]', (as, p) =>
    as.map((a) => a.getAttribute('href')).find((h) => h.startsWith(p)), prefix);
  assert.ok(href, `no link to ${prefix}… on ${page.url()}`);
  return href;
}

/** The pages to check, found by following links as a visitor would. */
async function pagesToCheck(page) {
  await page.goto(`${server.url}/niveaux/`);
  const browse = await firstLink(page, '/niveaux/');
  await page.goto(server.url + browse);
  const offer = await firstLink(page, '/formations/');
  await page.goto(server.url + offer);
  const cfa = await firstLink(page, '/cfa/');
  await page.goto(`${server.url}/calendrier/`);
  const calendar = await firstLink(page, '/calendrier/');
  return {
    accueil: '/',
    formation: offer,
    cfa,
    handicap: '/handicap/',
    calendrier: calendar,
    liste: browse,
    'page introuvable': '/cette-page-n-existe-pas/',
  };
}

test('no axe-core violation on the home, an offer, a CFA, the disability page, a calendar, a list and the 404', async () => {
  const page = await browser.newPage();
  const pages = await pagesToCheck(page);
  const found = [];
  for (const [name, path] of Object.entries(pages)) {
    const res = await page.goto(server.url + path);
    if (name === 'page introuvable') assert.equal(res.status(), 404);
    else assert.equal(res.status(), 200, path);
    for (const v of await axeViolations(page)) found.push(`${name} (${path}): ${v}`);
  }
  assert.deepEqual(found, []);
});

test('the same pages pass axe-core on a phone-sized screen', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const pages = await pagesToCheck(page);
  const found = [];
  for (const [name, path] of Object.entries(pages)) {
    await page.goto(server.url + path);
    for (const v of await axeViolations(page)) found.push(`${name} (${path}): ${v}`);
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name}: ${overflow}px wider than the screen`);
  }
  assert.deepEqual(found, []);
  await context.close();
});

test('the skip link is the first stop of the keyboard and leads to the main content', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({
    text: document.activeElement.textContent.trim(),
    href: document.activeElement.getAttribute('href'),
    outline: getComputedStyle(document.activeElement).outlineStyle,
    top: document.activeElement.getBoundingClientRect().top,
  }));
  assert.equal(first.text, 'Aller au contenu');
  assert.equal(first.href, '#contenu');
  assert.notEqual(first.outline, 'none', 'focus is visible');
  assert.ok(first.top >= 0, 'the focused skip link is on screen');
  await page.keyboard.press('Enter');
  const id = await page.evaluate(() => document.activeElement.id);
  assert.equal(id, 'contenu');
});

test('every offer is reachable without JavaScript, through the lists and their pagination', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  const level = await firstLink(page, '/niveaux/');
  await page.goto(server.url + level);
  const status = await page.textContent('[role="status"]');
  assert.match(status, /\d+ formation/);
  const offer = await firstLink(page, '/formations/');
  const res = await page.goto(server.url + offer);
  assert.equal(res.status(), 200);
  assert.ok(await page.$('h1'));
  const next = await page.$('nav[aria-label="Pagination"] a[rel="next"]');
  if (next) {
    await page.goto(server.url + level);
    await page.click('nav[aria-label="Pagination"] a[rel="next"]');
    assert.match(page.url(), /\/page\/2\/$/);
    assert.equal(await page.getAttribute('nav[aria-label="Pagination"] [aria-current="page"]', 'href'),
      new URL(page.url()).pathname);
  }
  await context.close();
});

test('the print stylesheet hides the navigation and spells out links as absolute URLs', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/handicap/`);
  await page.emulateMedia({ media: 'print' });
  const nav = await page.evaluate(() => getComputedStyle(document.querySelector('header nav')).display);
  assert.equal(nav, 'none');
  const after = await page.evaluate(() => {
    const a = document.querySelector('main a[href^="/cfa/"]');
    return a ? getComputedStyle(a, '::after').content : 'none';
  });
  assert.match(after, /"https?:\/\/[^"]+" attr\(href\)|https?:\/\/[^ ]+\/cfa\//);
});
