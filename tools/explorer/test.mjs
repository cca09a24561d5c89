// Drives the explorer at /explore in headless Chromium the way an analyst
// does, on the seed dataset: search with type-ahead, the neighbourhood
// drawn and a node clicked on the canvas, expand, size by a measure, the
// path finder, the need matcher, the network tables, the exports, the
// keyboard alone, and axe-core's accessibility check. Every request that
// leaves the loopback is refused and fails the run, as does any console
// error. Screenshots go to $ARTIFACTS (default ./artifacts).
//
//   node test.mjs http://127.0.0.1:8080/
//   BENCH=actor-id node test.mjs URL   only times a 2,000-node view (docs/BENCHMARKS.md)
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STEP_MS = 60_000; // one step; generous, since CI shares two cores
const base = process.argv[2];
if (!base) {
  console.error('usage: node test.mjs BASE_URL');
  process.exit(2);
}
const origin = new URL(base).origin;
const artifacts = process.env.ARTIFACTS || join(process.cwd(), 'artifacts');
mkdirSync(artifacts, { recursive: true });

const consoleErrors = [];
const refused = [];
const userDataDir = mkdtempSync(join(tmpdir(), 'samverkan-explorer-'));
let context;
let page;
let failures = 0;

function check(cond, message) {
  if (!cond) {
    failures++;
    console.error(`FAIL: ${message}`);
  } else {
    console.log(`ok: ${message}`);
  }
}

async function shot(name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
}

async function text(selector) {
  return (await page.locator(selector).innerText()).trim();
}

// pick types into a type-ahead and chooses the option that contains want.
async function pick(inputId, typed, want) {
  const input = page.locator(`#${inputId}`);
  await input.fill('');
  await input.pressSequentially(typed, { delay: 20 });
  const option = page.locator(`#${inputId}-options [role=option]`, { hasText: want }).first();
  await option.waitFor({ timeout: STEP_MS });
  // The keyboard: down to the option, then Enter.
  const options = await page.locator(`#${inputId}-options [role=option]`).allInnerTexts();
  const index = options.findIndex((o) => o.includes(want));
  for (let i = 0; i <= index; i++) await input.press('ArrowDown');
  await input.press('Enter');
}

async function axe(name) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) console.error(`  axe ${v.impact}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  check(bad.length === 0, `axe-core finds no serious or critical violation (${name}; ${result.violations.length} minor or moderate)`);
}

async function stats() {
  return page.evaluate(() => window.explorerStats);
}

async function main() {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    args: [
      '--headless', '--no-sandbox', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // WebGL (sigma.js) on the CPU: the CI machine has no GPU.
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
    ],
    viewport: { width: 1500, height: 950 },
    timeout: STEP_MS,
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    refused.push(url);
    return route.abort('blockedbyclient');
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_MS);
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await page.goto(new URL('/explore', base).href);
  await page.locator('body[data-ready=true]').waitFor();

  if (process.env.BENCH) return bench(process.env.BENCH);

  await axe('empty page');
  check((await page.locator('nav a[href="/"]').count()) === 1, 'the page links back to GraphiQL');

  // 1. Search with type-ahead, diacritic-insensitive: "varmland" finds Värmland.
  await page.selectOption('#depth', '1');
  await pick('search', 'varmland', 'Landstinget i Värmland');
  await page.locator('#selection-body h3', { hasText: 'Landstinget i Värmland' }).waitFor();
  let s = await stats();
  check(s.nodes >= 3 && s.edges >= 2, `the neighbourhood is drawn (${s.nodes} nodes, ${s.edges} relationships)`);
  const list = await page.locator('#in-view-list li').allInnerTexts();
  check(list.length === s.nodes, 'the text list of the view has every node of the graph');
  // 2. Facts, sources and basis of the selection; relationships with properties.
  const sel = await text('#selection-body');
  check(/kind\s*REGION/.test(sel), 'the selection shows its facts (kind REGION)');
  check(sel.includes('Sources') && /basis (reported|stated|inferred|[a-z_]+)/.test(sel), 'the selection shows sources and the basis of each relationship');
  check(/role [A-Z]+/.test(sel), 'relationships show their properties (a participation role)');
  await shot('1-search-and-neighbourhood');

  // Click a node on the canvas: the selection follows.
  const other = await page.evaluate(() => {
    const d = window.explorerDebug;
    const id = d.graph.nodes().find((n) => n !== d.selected() && d.graph.getNodeAttribute(n, 'data').__typename === 'Project');
    const p = d.viewportPosition(id);
    return { id, name: d.graph.getNodeAttribute(id, 'label'), ...p };
  });
  const box = await page.locator('#graph').boundingBox();
  await page.mouse.click(box.x + other.x, box.y + other.y);
  await page.locator('#selection-body h3', { hasText: other.name }).waitFor();
  check(true, `a click on the canvas selects ${other.name}`);
  check((await text('#selection-body')).includes('Participants'), 'a project shows its participants');

  // Expand the selection in place.
  const before = (await stats()).nodes;
  await page.click('#expand');
  await page.waitForFunction((n) => window.explorerStats.nodes > n, before).catch(() => {});
  s = await stats();
  check(s.nodes > before, `expand keeps the view and adds the project's participants (${before} → ${s.nodes})`);
  check(await page.evaluate((id) => window.explorerDebug.graph.hasNode(id), 'landstinget-i-varmland'), 'the expanded view still holds the first node');

  // Size by a measure.
  const sizesBefore = await page.evaluate(() => window.explorerDebug.sizes());
  await page.selectOption('#depth', '2');
  await page.selectOption('#size-by', 'BETWEENNESS');
  await page.waitForFunction((b) => JSON.stringify(window.explorerDebug.sizes()) !== b, JSON.stringify(sizesBefore)).catch(() => {});
  const sizesAfter = await page.evaluate(() => window.explorerDebug.sizes());
  check(JSON.stringify(sizesAfter) !== JSON.stringify(sizesBefore), 'sizing by betweenness changes the node sizes');
  await page.selectOption('#size-by', 'CONSTRAINT');
  await page.waitForFunction((b) => JSON.stringify(window.explorerDebug.sizes()) !== b, JSON.stringify(sizesAfter)).catch(() => {});
  await page.waitForFunction(() => /Sizing by the measure: (done|failed)/.test(document.querySelector('#status')?.textContent ?? ''));
  check((await text('#status')).includes('done') && JSON.stringify(await page.evaluate(() => window.explorerDebug.sizes())) !== JSON.stringify(sizesAfter),
    'sizing by constraint answers and changes the sizes');
  await shot('2-expanded-sized-by-betweenness');

  // 6. Exports of the view.
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const pngBytes = readFileSync(await png.path());
  check(pngBytes.subarray(1, 4).toString() === 'PNG' && pngBytes.length > 5000, `Export PNG downloads a picture (${pngBytes.length} bytes)`);
  const [gexf] = await Promise.all([page.waitForEvent('download'), page.click('#export-gexf')]);
  const gexfText = readFileSync(await gexf.path(), 'utf8');
  const gexfNodes = (gexfText.match(/<node /g) || []).length;
  s = await stats();
  check(gexfText.includes('<gexf') && gexfNodes === s.nodes, `Export GEXF has every node of the view (${gexfNodes} of ${s.nodes})`);

  // 3. The path finder, with an exclusion and k.
  await page.click('#tab-paths');
  await pick('path-from', 'karlstad', 'Karlstads kommun');
  await pick('path-to', 'lillestrom', 'Kunnskapsbyen Lillestrøm');
  await page.fill('#path-k', '2');
  await page.click('#find-paths');
  await page.locator('#paths-result ol.paths li').first().waitFor();
  const paths = await page.locator('#paths-result ol.paths li').allInnerTexts();
  check(paths.length >= 1 && paths.length <= 2, `k=2 gives one or two paths (${paths.length})`);
  check(paths[0].startsWith('') && paths[0].includes('Karlstads kommun') && paths[0].includes('→') && paths[0].includes('Kunnskapsbyen Lillestrøm'),
    `a path is shown as text from Karlstads kommun to Kunnskapsbyen Lillestrøm: ${paths[0].split('\n')[0]}`);
  const firstPath = paths[0].split('\n')[0];
  const highlighted = await page.evaluate(() => window.explorerDebug.highlighted());
  check(highlighted >= 2, `the paths are drawn highlighted on the graph (${highlighted} nodes)`);
  await shot('3-paths');
  // Exclude a node of the first path's middle: the paths change.
  const middle = firstPath.split(': ')[1]?.split(' → ')[1];
  if (middle && middle !== 'Kunnskapsbyen Lillestrøm') {
    await pick('path-exclude', middle.split(' ')[0].toLowerCase(), middle);
    await page.locator('#path-excluded li', { hasText: middle }).waitFor();
    await page.click('#find-paths');
    await page.waitForFunction((m) => {
      const t = document.querySelector('#paths-result')?.innerText ?? '';
      return t.length > 0 && !t.split('\n').some((l) => l.includes(`→ ${m} →`));
    }, middle).catch(() => {});
    const after = await text('#paths-result');
    check(!after.includes(`→ ${middle} →`), `no path goes through the excluded ${middle}`);
  }

  // 4. The need matcher: candidates, the consortium, what stays missing.
  await page.click('#tab-needs');
  const needs = await page.locator('#need option').count();
  check(needs > 0, `the need list is filled (${needs} needs)`);
  await page.click('#match-need');
  await page.locator('#need-result table tbody tr').first().waitFor();
  const cands = await page.locator('#need-result table tbody tr').count();
  check(cands > 0, `the need has candidates with coverage and distance (${cands})`);
  check((await text('#need-result')).includes('Suggested consortium') && (await text('#need-result')).includes('Still missing'),
    'the suggested consortium and what stays missing are shown');
  await shot('4-need-matcher');
  await pick('fit-actor', 'dialogmakarna', 'Dialogmakarna');
  await page.click('#needs-for');
  await page.locator('#fit-result > *').first().waitFor();
  const fit = await text('#fit-result');
  check(fit.includes('Needs it could meet') && fit.includes('Introductions'),
    `the reverse for an actor shows the needs it could meet and its introductions: ${fit.split('\n').slice(0, 3).join(' | ')}`);
  const introRows = await page.locator('#fit-result table').nth(1).locator('tbody tr').count();
  check(introRows > 0, `Dialogmakarna has introductions, each with its reason and warm path (${introRows})`);
  await shot('4b-needs-for-and-introductions');

  // 5. Brokers as a table with filters (and measures, communities when the server has them).
  await page.click('#tab-network');
  await page.click('#net-run');
  await page.locator('#net-result table tbody tr').first().waitFor();
  const allRows = await page.locator('#net-result table tbody tr').count();
  check(allRows > 0, `the brokers table has rows (${allRows})`);
  await page.selectOption('#net-sector', 'PUBLIC');
  await page.click('#net-run');
  await page.waitForFunction(() => document.querySelector('#status')?.textContent.includes('done'));
  const publicRows = await page.locator('#net-result table tbody tr').allInnerTexts();
  check(publicRows.length > 0 && publicRows.every((r) => r.includes('PUBLIC')), 'the sector filter keeps only public actors');
  await page.selectOption('#net-sector', '');
  await page.check('#net-kind-COMPANY');
  await page.click('#net-run');
  await page.waitForFunction(() => /Computing brokers: (done|failed)/.test(document.querySelector('#status')?.textContent ?? ''));
  const companyRows = await page.locator('#net-result table tbody tr').allInnerTexts();
  check(companyRows.length > 0 && companyRows.every((r) => r.includes('COMPANY')), `the kind filter keeps only companies (${companyRows.length})`);
  await page.uncheck('#net-kind-COMPANY');
  await page.selectOption('#net-scope', 'ORGANISATIONS');
  await page.fill('#net-country', 'NO');
  await page.click('#net-run');
  await page.waitForFunction(() => /Computing brokers: (done|failed)/.test(document.querySelector('#status')?.textContent ?? ''));
  const orgRows = await page.locator('#net-result table tbody tr').allInnerTexts();
  check(orgRows.length > 0 && !orgRows.some((r) => r.includes('PERSON')), `the ORGANISATIONS scope has no person (${orgRows.length} Norwegian organisations)`);
  const countries = await page.locator('#net-result tbody tr td:nth-child(4)').allInnerTexts();
  check(countries.length > 0 && countries.every((c) => c.trim() === 'NO'), `the country filter keeps only NO (${countries.join(' ')})`);
  await page.selectOption('#net-scope', 'ALL');
  await page.fill('#net-country', '');
  for (const view of await page.locator('#net-view option').evaluateAll((os) => os.map((o) => o.value))) {
    if (view === 'brokers') continue;
    await page.selectOption('#net-view', view);
    await page.selectOption('#net-sector', '');
    await page.click('#net-run');
    await page.waitForFunction(() => /done|failed/.test(document.querySelector('#status')?.textContent ?? ''));
    check((await page.locator('#net-result table tbody tr').count()) > 0, `the ${view} table has rows`);
  }
  // A date, where the server has asOf: only ties active then.
  if (await page.locator('#asof-field').isVisible()) {
    await page.selectOption('#net-view', 'brokers');
    await page.selectOption('#net-sector', '');
    await page.fill('#net-asof', '2015-06-01');
    await page.click('#net-run');
    await page.waitForFunction(() => /Computing brokers: (done|failed)/.test(document.querySelector('#status')?.textContent ?? ''));
    check((await text('#status')).includes('done'), 'brokers as of 2015-06-01 answer');
    await page.fill('#net-asof', '');
  }
  await shot('5-network');
  await axe('every panel used');

  // 7. The keyboard alone: Tab to the search, type, arrows and Enter.
  await page.goto(new URL('/explore', base).href);
  await page.locator('body[data-ready=true]').waitFor();
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.id === 'search');
  }
  check(reached, 'the search box is reached with Tab');
  await page.keyboard.type('karlstad', { delay: 20 });
  await page.locator('#search-options [role=option]', { hasText: 'Karlstads kommun' }).first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.locator('#selection-body h3', { hasText: 'Karlstads kommun' }).waitFor();
  // The list of the view selects with the keyboard too.
  await page.locator('#in-view summary').focus();
  await page.keyboard.press('Enter');
  await page.locator('#in-view-list button').nth(1).focus();
  const target = await page.locator('#in-view-list button').nth(1).innerText();
  await page.keyboard.press('Enter');
  await page.locator('#selection-body h3', { hasText: target }).waitFor();
  check(true, `keyboard: search, pick and select ${target} from the list`);
  await page.keyboard.press('Shift+Tab');
  await shot('6-keyboard');
}

// bench loads the depth-3 neighbourhood of id (limit 2,000) and prints the
// time to lay it out and draw it.
async function bench(id) {
  const t0 = Date.now();
  await page.evaluate((i) => window.explorerDebug.load(i, 3), id);
  const total = Date.now() - t0;
  const s = await stats();
  console.log(JSON.stringify({ requestLayoutAndDrawMs: total, nodes: s.nodes, edges: s.edges, layoutAndDrawMs: Math.round(s.layoutAndDrawMs), layoutMs: Math.round(s.layoutMs) }));
  await shot('bench-2000');
}

try {
  await main();
} catch (e) {
  failures++;
  console.error(`FAIL: ${e.stack || e}`);
  if (page) await shot('failure').catch(() => {});
} finally {
  await context?.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
if (consoleErrors.length) {
  failures++;
  console.error('FAIL: console errors:\n  ' + consoleErrors.join('\n  '));
}
if (refused.length) {
  failures++;
  console.error('FAIL: requests that left the loopback:\n  ' + refused.join('\n  '));
}
console.log(failures === 0 ? 'explorer: every check passed' : `explorer: ${failures} failures`);
process.exit(failures === 0 ? 0 : 1);
