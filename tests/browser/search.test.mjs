// The search page against `vitrine search --json`: for fixed queries (single words,
// several words, prefixes, accents, case, typos, filters) the browser's top 10 are the
// same offers in the same order, with the same count; no console error or CSP violation;
// zero axe violations before and after a query; usable with the keyboard alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serve, launch, watchedPage, axeViolations, deployedCsp, SITE_DIR, VITRINE_BIN, ROOT } from './lib.mjs';

// Where `vitrine build` ran (its build/index is what `vitrine search` reads).
const CWD = process.env.VITRINE_ROOT ?? ROOT;
const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

const QUERIES = [
  { q: 'coiffure' }, { q: 'Coiffure' }, { q: 'COIFFURE' }, { q: 'coif' }, { q: 'co' },
  { q: 'boulanger' }, { q: 'boulangerie' }, { q: 'pâtissier' }, { q: 'patissier' },
  { q: 'cuisine' }, { q: 'cap cuisine' }, { q: 'bts' }, { q: 'bts commerce' },
  { q: 'électricité' }, { q: 'electricite' }, { q: 'électricien' }, { q: 'maçonnerie' },
  { q: 'informatique' }, { q: 'numérique' }, { q: 'esthétique cosmétique' },
  { q: 'transport logistique' }, { q: 'aide soignant' }, { q: 'hôtellerie restauration' },
  { q: 'mécanique' }, { q: 'métiers de la coiffure' }, { q: 'cfa des métiers' },
  { q: 'toulon' }, { q: 'marseille' }, { q: 'nice' }, { q: 'bac pro' }, { q: 'sanitaire social' },
  // one typo in a word of five letters or more
  { q: 'coifure' }, { q: 'boulamger' }, { q: 'cuisime' }, { q: 'electricitee' },
  // two words typed without a space (query.rs `unglued`)
  { q: 'boulangerpatissier' }, { q: 'cuisinemarseille' }, { q: 'btsmco' },
  // filters, with and without words
  { q: 'cap', dep: '13' }, { q: 'bts', niveau: '5' }, { q: 'bts', voie: 'parcoursup' },
  { q: '', diplome: 'cap' }, { q: 'coiffure', dep: '83' },
  // job words (ROME appellations, synonyms), acronyms, word families, transpositions
  { q: 'carreleur' }, { q: 'cariste' }, { q: 'serveur' }, { q: 'plombier' }, { q: 'resto' },
  { q: 'bts sam' }, { q: 'bts cg' }, { q: 'bac pro melec' }, { q: 'bts ndrc' }, { q: 'advf' },
  { q: 'informaticien' }, { q: 'esthéticienne' }, { q: 'maçon' }, { q: 'coiffrue' }, { q: 'pâtsisier' },
  // places, departments and diploma types in the main box
  { q: 'cap toulon' }, { q: 'coiffure nice' }, { q: 'bts marseille' }, { q: 'cap 83000' },
  { q: 'Vaucluse' }, { q: '06' }, { q: 'cuisine près de aubagne' }, { q: 'bac pro marseille 5' },
  { q: 'bts' }, { q: 'cap cuisine' }, { q: 'licence pro' },
  // the "près de" field: names without accents, postcodes, coordinates ("près de moi")
  { q: 'cap', ville: 'frejus' }, { q: '', ville: '84000' }, { q: 'bts', ville: '43.29695,5.38107' },
  { q: 'coiffure', ville: 'toulon', tri: 'date' },
  // words an offer has only in its bag of job names (counted as one), a synonym typed
  // as it is (ranked as the title) or completed
  { q: 'aide à domicile' }, { q: 'hôtellerie restauration', dep: '13' }, { q: 'assistante de direction' },
  { q: 'métiers de la vente' }, { q: 'cuisine près de gap' },
  // approaching results and nothing at all
  { q: 'coiffure astronaute' }, { q: 'cuisine xylophone toulon' }, { q: 'xyzzy plugh' },
];

let server;
let browser;
before(async () => {
  let csp = STRICT_CSP;
  try { csp = deployedCsp() ?? STRICT_CSP; } catch { /* no netlify.toml yet */ }
  server = await serve(SITE_DIR, { csp });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// The page shows one card per CFA, diploma and place (its intakes listed inside): the
// offers in order of their card's first appearance.
function grouped(hits) {
  const by = new Map();
  for (const h of hits) {
    const k = `${h.cfa}\u0000${h.title}\u0000${h.town ?? ''}`;
    if (!by.has(k)) by.set(k, []);
    by.get(k).push(h.id);
  }
  return [...by.values()].flat();
}

function cli({ q, ...filters }) {
  const args = ['search', '--json', '--limit', '10', q];
  for (const [k, v] of Object.entries(filters)) args.push('--filter', `${k}=${v}`);
  return JSON.parse(execFileSync(VITRINE_BIN, args, { cwd: CWD, encoding: 'utf8' }));
}

function pageUrl(query) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) u.set(k, v);
  return `${server.url}/recherche/?${u}`;
}

// Waits for the page to settle on an answer, then reads the ids shown and the count.
// The answer on screen once the status is said; with `q`, once it is the answer to `q`
// (while typing, the status still says the answer to an earlier keystroke's query).
async function browserAnswer(page, q) {
  await page.waitForFunction((q) => {
    const s = document.querySelector('[role="status"]');
    const said = s ? s.textContent.trim() : '';
    return said !== '' && (!q || said.includes(`« ${q} »`));
  }, q, { timeout: 10_000 });
  return page.evaluate(() => ({
    ids: [...document.querySelectorAll('#resultats > li')].flatMap((li) => li.dataset.ids.split(' ')),
    status: document.querySelector('[role="status"]').textContent,
  }));
}

test('the browser ranks exactly like vitrine search', async () => {
  const { page, problems } = await watchedPage(browser);
  let nonEmpty = 0;
  for (const query of QUERIES) {
    const expected = cli(query);
    await page.goto(pageUrl(query));
    const got = await browserAnswer(page);
    const ids = grouped(expected.hits);
    assert.deepEqual(got.ids, ids, `top 10 for ${JSON.stringify(query)}`);
    const count = expected.count === 0 ? /Aucune/ : new RegExp(`^${expected.count} formation`);
    assert.match(got.status, count, `count for ${JSON.stringify(query)}`);
    if (ids.length) nonEmpty++;
  }
  assert.ok(nonEmpty >= 20, `only ${nonEmpty} queries found something: the sample is too thin`);
  assert.deepEqual(problems, []);
});

async function shown(page, query) {
  await page.goto(pageUrl(query));
  return browserAnswer(page);
}

test('families find offers by job, acronym and town; approaching results are said', async () => {
  const { page, problems } = await watchedPage(browser);
  // A job word finds offers whose title names only the diploma.
  const job = cli({ q: 'carreleur' });
  const jobShown = await shown(page, { q: 'carreleur' });
  assert.deepEqual(jobShown.ids, grouped(job.hits));
  // An acronym puts the speciality first.
  const sam = cli({ q: 'bts sam' });
  assert.ok(sam.hits.length > 0, 'bts sam finds something');
  assert.match(sam.hits[0].title, /support à l.action managériale/i);
  const samShown = await shown(page, { q: 'bts sam' });
  assert.equal(samShown.ids[0], sam.hits[0].id);
  // A town in the main box: by distance, the radius said.
  const town = await shown(page, { q: 'cap toulon' });
  assert.match(town.status, /à moins de \d+ km de Toulon/);
  const km = await page.$$eval('#resultats > li', (lis) => lis.map((li) => Number(li.textContent.match(/à (\d+) km/)?.[1])));
  assert.ok(km.length && km.every((d, i) => i === 0 || d >= km[i - 1]), km.join(' '));
  // Not every word matches: the offers matching most words, under "Résultats approchants".
  const approx = await shown(page, { q: 'coiffure astronaute' });
  assert.ok(approx.ids.length > 0, 'never an empty page when one word matches');
  assert.match(await page.textContent('#notes'), /Résultats approchants/);
  assert.deepEqual(await axeViolations(page), [], 'approaching results');
  // Nothing at all: what to try next.
  await shown(page, { q: 'xyzzy plugh' });
  assert.ok(await page.locator('#notes a').count() >= 2, 'next steps offered');
  assert.deepEqual(await axeViolations(page), [], 'no result');
  assert.deepEqual(problems, []);
});

test('the query is kept in the URL and typing gives the same answer', async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${server.url}/recherche/`);
  // The script has started: it shows the filters (the box is there before it).
  await page.waitForSelector('#filtrer:not(.avec-js)');
  await page.focus('#q');
  await page.keyboard.type('cap cuisi', { delay: 30 });
  await page.waitForFunction(() => new URL(window.location.href).searchParams.get('q') === 'cap cuisi');
  const got = await browserAnswer(page, 'cap cuisi');
  assert.deepEqual(got.ids, grouped(cli({ q: 'cap cuisi' }).hits));
  // Tab reaches the folded filters: "Filtrer" opens them, their counts follow the query.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.match(await page.evaluate(() => document.activeElement.textContent), /^Filtrer/);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.closest('fieldset') !== null), true);
  // Department labels end in their code, "Var (83)": the count comes after, "Var (83) (4)".
  const option = await page.waitForFunction(() => {
    const o = document.querySelector('#f-dep option:nth-child(2)');
    return /\) \(\d+\)$/.test(o.textContent) ? [o.value, o.textContent] : null;
  });
  const [dep, text] = await option.jsonValue();
  const expected = cli({ q: 'cap cuisi', dep }).count;
  assert.match(text, new RegExp(`\\(${expected}\\)$`), `count for dep ${dep}`);
  // Choosing a value filters and lands in the URL.
  await page.selectOption('#f-dep', dep);
  await page.waitForFunction((d) => new URL(window.location.href).searchParams.get('dep') === d, dep);
  const filtered = await browserAnswer(page);
  assert.deepEqual(filtered.ids, grouped(cli({ q: 'cap cuisi', dep }).hits));
  assert.match(await page.textContent('#filtres-actifs'), /\(1\)/, 'Filtrer (1)');
  assert.deepEqual(problems, []);
});

test('the search page has no accessibility violation before and after a query', async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${server.url}/recherche/`);
  await page.waitForSelector('#filtrer:not(.avec-js)');
  assert.deepEqual(await axeViolations(page), [], 'before a query');
  await page.goto(pageUrl({ q: 'coiffure' }));
  await browserAnswer(page);
  assert.deepEqual(await axeViolations(page), [], 'after a query');
  assert.deepEqual(problems, []);
});

test('without JavaScript the page links to the browse pages and to the script-free search', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/recherche/`);
  const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  for (const l of ['/departements/', '/niveaux/', '/domaines/', '/diplomes/']) assert.ok(links.includes(l), l);
  // The box leads to the script-free search; the filters, which need the script, stay hidden.
  assert.equal(await page.$eval('#recherche form', (f) => f.getAttribute('action')), '/recherche/sans-js/');
  assert.equal(await page.isVisible('#filtrer summary'), false, 'the filters need JavaScript');
  await context.close();
});

test('near a town: results within the radius, nearest first; sorting by start date', async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(pageUrl({ q: 'cap', ville: 'Toulon (83)', tri: 'distance' }));
  const near = await browserAnswer(page);
  const radius = Number(near.status.match(/à moins de (\d+) km/)?.[1]);
  assert.ok([20, 30, 50, 75, 100].includes(radius), near.status);
  const km = await page.$$eval('#resultats > li', (lis) => lis.map((li) => Number(li.textContent.match(/à (\d+) km/)?.[1])));
  assert.ok(km.length > 0, 'something near Toulon');
  assert.ok(km.every((d, i) => d <= radius && (i === 0 || d >= km[i - 1])), km.join(' '));

  await page.goto(pageUrl({ q: 'cap', tri: 'date' }));
  await browserAnswer(page);
  const days = await page.$$eval('#resultats > li', (lis) => lis.map((li) => {
    const m = li.textContent.match(/(\d\d)\/(\d\d)\/(\d{4})/);
    return m ? `${m[3]}-${m[2]}-${m[1]}` : '9999';
  }));
  assert.deepEqual(days, [...days].sort(), 'earliest start first');
  assert.deepEqual(problems, []);
});

test('phone first: results right under the box, filters folded, "Afficher plus" only when there is more', async () => {
  const shots = process.env.SCREENSHOT_DIR ?? '/dev/shm/search-shots';
  const { mkdirSync } = await import('node:fs');
  mkdirSync(shots, { recursive: true });
  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${server.url}/recherche/`);
    await page.waitForSelector('#filtrer:not(.avec-js)');
    await page.screenshot({ path: `${shots}/recherche-vide-${name}.png` });
    await page.goto(pageUrl({ q: 'cap' }));
    await browserAnswer(page);
    const top = await page.$eval('#resultats > li', (li) => li.getBoundingClientRect().top);
    assert.ok(top < viewport.height, `${name}: first result at ${top} px, visible without scrolling`);
    assert.match(await page.title(), /^cap — /, 'the query in the page title');
    await page.screenshot({ path: `${shots}/recherche-cap-${name}.png` });
    await page.click('#filtrer summary');
    await page.screenshot({ path: `${shots}/recherche-filtres-${name}.png`, fullPage: true });
    assert.deepEqual(await axeViolations(page), [], `${name}, filters open`);
    // Nothing more to show: the button is not there (nor focusable).
    await page.goto(pageUrl({ q: 'xyzzy plugh' }));
    await browserAnswer(page);
    assert.equal(await page.isVisible('#plus'), false);
    await context.close();
  }
});
