// The conformity report in a real browser: the people who keep the data clean read it on
// a desk and sometimes on a phone. Its wide tables scroll in their own keyboard-reachable
// box, never the page, and axe-core finds no violation (WCAG 2.1 A/AA) at either size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serve, launch, axeViolations, SITE_DIR } from './lib.mjs';

/** The report of the site under test: $REPORT_DIR, set by run.sh. */
const REPORT_DIR = process.env.REPORT_DIR ?? join(SITE_DIR, '..', 'report');

let server;
let browser;

before(async () => {
  // The report is not deployed with the site: no CSP of the site's.
  server = await serve(REPORT_DIR, { csp: null });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The summary and the page of a CFA with offers to fix (the widest table). */
async function reportPages(page) {
  await page.goto(`${server.url}/index.html`);
  const cfa = await page.$$eval('tr', (rows) => rows
    .filter((r) => r.querySelector('td.bloquant'))
    .map((r) => r.querySelector('a[href^="cfa/"]')?.getAttribute('href'))
    .find(Boolean));
  assert.ok(cfa, 'no CFA with offers to fix in the report');
  return { synthèse: '/index.html', cfa: `/${cfa}` };
}

for (const [size, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 360, height: 740 }]]) {
  test(`the report's summary and a CFA's page pass axe-core and do not scroll sideways (${size})`, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const found = [];
    for (const [name, path] of Object.entries(await reportPages(page))) {
      const res = await page.goto(server.url + path);
      assert.equal(res.status(), 200, path);
      assert.ok(await page.locator('table').count() > 0, `${name}: no table`);
      for (const v of await axeViolations(page)) found.push(`${name} (${path}): ${v}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name}: ${overflow}px wider than the screen`);
      // Every table sits in a focusable scroll box named after what it lists.
      const bare = await page.$$eval('table', (ts) => ts.filter((t) => {
        const box = t.parentElement;
        return !(box.classList.contains('defile') && box.tabIndex === 0 && box.getAttribute('aria-label'));
      }).length);
      assert.equal(bare, 0, `${name}: a table outside its scroll box`);
    }
    assert.deepEqual(found, []);
    await context.close();
  });
}

test('on a phone, the widest table scrolls inside its box and the keyboard reaches it', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const { cfa } = await reportPages(page);
  await page.goto(server.url + cfa);
  const box = page.locator('.defile').first();
  const [client, scroll] = await box.evaluate((b) => [b.clientWidth, b.scrollWidth]);
  assert.ok(scroll > client, `the table fits (${scroll} ≤ ${client}px): nothing to test`);
  // Tab from the back link lands on the box; the arrow keys scroll it.
  await box.focus();
  assert.equal(await page.evaluate(() => document.activeElement.className), 'defile');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('.defile').scrollLeft > 0);
  await context.close();
});
