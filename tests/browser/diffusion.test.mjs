// Diffusion (issue 12) in a real browser: an offer page's links out have accessible
// names that say they leave the site and open in the same tab; a CFA's embeddable list
// renders in its iframe under the deployed headers (netlify.toml, per path) with no CSP
// violation, also when framed by another origin, while an ordinary page refuses to be.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { serve, launch, watchedPage, axeViolations, SITE_DIR } from './lib.mjs';

let server;
let browser;
let other;

before(async () => {
  server = await serve(SITE_DIR);
  browser = await launch();
  // Another origin (another port) standing for a CFA's own site: a page holding the
  // snippet of the CFA given in ?cfa=, and a page framing an ordinary page.
  other = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const src = `${server.url}${u.searchParams.get('src')}`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="fr"><title>Site du CFA</title><iframe src="${src}" title="Nos formations" width="100%" height="600"></iframe></html>`);
  });
  await new Promise((ok) => other.listen(0, '127.0.0.1', ok));
});
after(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((ok) => other?.close(ok) ?? ok());
});

/** The path of the first CFA page, from the list of CFAs. */
async function firstCfa(page) {
  await page.goto(`${server.url}/cfa/`);
  const href = await page.$$eval('main a[href^="/cfa/"]', (as) => as.map((a) => a.getAttribute('href'))
    .find((h) => h !== '/cfa/'));
  assert.ok(href, 'a CFA page is listed');
  return href;
}

test('an offer page links out with accessible names, in the same tab', async () => {
  const { page, problems } = await watchedPage(browser);
  const cfa = await firstCfa(page);
  await page.goto(server.url + cfa);
  const offer = await page.$eval('main a.offer-link', (a) => a.getAttribute('href'));
  await page.goto(server.url + offer);
  const employer = page.getByRole('link', { name: /Trouver un employeur.*site externe/ });
  assert.equal(await employer.count(), 1, 'the La bonne alternance link, named as external');
  assert.match(await employer.getAttribute('href'), /^https:\/\/labonnealternance\.[^?]+\?.*romes=/);
  const external = await page.$$eval('main a[href^="http"]', (as) => as.map((a) => ({
    href: a.href, target: a.getAttribute('target'), name: a.textContent,
  })));
  assert.ok(external.length >= 2, 'links out on the offer page');
  for (const l of external) {
    assert.equal(l.target, null, `${l.href} opens in the same tab`);
    assert.match(l.name, /site externe/, `${l.href} says it leaves the site`);
  }
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the integration page previews the CFA list in its iframe with no CSP violation', async () => {
  const { page, problems } = await watchedPage(browser);
  const cfa = await firstCfa(page);
  await page.goto(`${server.url}${cfa}integrer/`);
  const snippet = await page.textContent('pre.extrait');
  assert.match(snippet, /^<iframe src="[^"]+\/integrer\/[^"]+\/" title="[^"]+"/);
  const frame = page.frameLocator('iframe.apercu');
  await frame.locator('li a').first().waitFor();
  assert.ok(await frame.locator('li a').count() >= 1, 'the offers render inside the frame');
  assert.ok(await page.getAttribute('iframe.apercu', 'title'));
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(problems, [], 'no console error, no CSP violation');
  await page.close();
});

test('another site can frame the CFA list, and only it', async () => {
  const { page, problems } = await watchedPage(browser);
  const cfa = await firstCfa(page);
  const slug = cfa.replace(/^\/cfa\//, '');
  const host = `http://127.0.0.1:${other.address().port}`;
  await page.goto(`${host}/?src=${encodeURIComponent(`/integrer/${slug}`)}`);
  const list = page.frameLocator('iframe').locator('li a');
  await list.first().waitFor();
  assert.ok(await list.count() >= 1, 'the embedded list renders on another origin');
  assert.deepEqual(problems, []);

  // An ordinary page keeps frame-ancestors 'none': the frame stays empty.
  const blocked = await watchedPage(browser);
  await blocked.page.goto(`${host}/?src=${encodeURIComponent(cfa)}`);
  await blocked.page.waitForTimeout(500);
  const frame = blocked.page.frames().find((f) => f !== blocked.page.mainFrame());
  const text = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
  assert.ok(!text.includes('formation'), 'the CFA page is not shown inside another site');
  await blocked.page.close();
  await page.close();
});
