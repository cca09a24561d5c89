// Opens Samverkan's GraphiQL page in headless Chromium the way a visitor
// does: `/` redirects to the tour, the editor shows it, the ▶ button offers
// the tour's operations, and running SearchVarmland shows its result.
//
// Every file the page needs is served by the server itself. The browser
// runs as if offline: any request to another host than the loopback
// server is refused and fails the test, and so does any console error
// (a refused request, a failed integrity check, a CSP violation, an
// uncaught exception).
//
//   SCREENSHOT=out.png node test.mjs http://127.0.0.1:8080/
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STEP_MS = 30_000; // one step: load, render, a click, a result
const TOTAL_MS = 150_000; // the whole run, browser start included

const OPERATION = 'SearchVarmland';
const EXPECTED_RESULT = 'Landstinget i Värmland';

const base = process.argv[2];
if (!base || process.argv.length > 3) {
  console.error('usage: node test.mjs BASE_URL   (e.g. http://127.0.0.1:8080/)');
  process.exit(2);
}
const origin = new URL(base).origin;
const loopback = ['127.0.0.1', 'localhost', '[::1]'];
if (!loopback.includes(new URL(base).hostname)) {
  console.error(`the server must be on loopback, not ${new URL(base).hostname}`);
  process.exit(2);
}
const screenshot = process.env.SCREENSHOT || join(tmpdir(), `samverkan-graphiql-${process.pid}.png`);

const consoleErrors = [];
const refusedRequests = [];
let context;
let page;
const userDataDir = mkdtempSync(join(tmpdir(), 'samverkan-chromium-'));

function fail(message) {
  console.error(`FAIL: ${message}`);
  if (consoleErrors.length > 0) {
    console.error('page console errors:');
    for (const e of consoleErrors) console.error(`  ${e}`);
  }
  if (refusedRequests.length > 0) {
    console.error('requests to other hosts, refused (the page must need none):');
    for (const u of refusedRequests) console.error(`  ${u}`);
  }
  return 1;
}

// Bounds the run even if the browser or a Playwright call hangs.
const watchdog = setTimeout(() => {
  process.exitCode = fail(`the test did not finish within ${TOTAL_MS / 1000}s`);
  if (page) page.screenshot({ path: screenshot, timeout: 4_000 }).catch(() => {}).finally(() => process.exit(1));
  setTimeout(() => process.exit(1), 5_000).unref();
}, TOTAL_MS);

// step runs fn and turns a timeout or error into a message naming the step.
async function step(name, fn) {
  console.log(`- ${name}`);
  try {
    return await fn();
  } catch (err) {
    throw new Error(`${name}: ${err.message.split('\n')[0]}`);
  }
}

async function run() {
  context = await step('start Chromium', () =>
    chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
      timeout: STEP_MS,
    }));
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);

  // Only the server under test answers; everything else is refused, as on
  // a network that cannot reach any CDN.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin) return route.continue();
    refusedRequests.push(url.href);
    return route.abort('internetdisconnected');
  });
  // Websockets are not routes: one to another host is closed the same way.
  await context.routeWebSocket((url) => new URL(url).host !== new URL(base).host, (ws) => {
    refusedRequests.push(ws.url());
    ws.close();
  });

  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));

  const response = await step(`open ${base}`, () => page.goto(base, { waitUntil: 'load' }));
  await step('follow the redirect to the tour', async () => {
    const first = response.request().redirectedFrom();
    if (!first) throw new Error(`no redirect; landed on ${page.url()}`);
    const redirect = await first.response();
    if (redirect.status() !== 302) throw new Error(`redirect status ${redirect.status()}, want 302`);
    if (!response.ok()) throw new Error(`the GraphiQL page answered ${response.status()}`);
    const query = new URL(page.url()).searchParams.get('query') ?? '';
    if (!query.includes(`query ${OPERATION}`)) throw new Error(`the URL's query parameter lacks ${OPERATION}`);
  });

  const editor = page.locator('.graphiql-query-editor');
  await step(`GraphiQL's editor shows the tour (${OPERATION})`, () =>
    editor.getByText(OPERATION, { exact: false }).first().waitFor({ state: 'visible' }));

  const result = page.locator('.graphiql-response');
  const answer = result.getByText(EXPECTED_RESULT, { exact: false }).first();
  await step('open the execute button\'s operation list', () =>
    page.locator('button.graphiql-execute-button').click());
  // The button lists the document's operations; once GraphiQL has taken the
  // operation under the editor's cursor (on a slow machine, before the
  // click) it runs that one at once instead. Either way SearchVarmland runs.
  await step(`run ${OPERATION} from the list`, async () => {
    const item = page.getByRole('menuitem', { name: OPERATION, exact: true });
    await item.or(answer).first().waitFor({ state: 'visible' });
    if (await item.isVisible()) await item.click();
  });

  await step(`the result pane shows "${EXPECTED_RESULT}"`, () =>
    result.getByText(EXPECTED_RESULT, { exact: false }).first().waitFor({ state: 'visible' }));

  await page.screenshot({ path: screenshot });
  console.log(`screenshot: ${screenshot}`);

  await step('the link to the explorer opens /explore', async () => {
    await page.getByRole('link', { name: /Explorer/ }).click();
    await page.waitForURL('**/explore');
    await page.locator('body[data-ready=true]').waitFor();
  });

  if (refusedRequests.length > 0) throw new Error('the page requested files from other hosts');
  if (consoleErrors.length > 0) throw new Error('the page logged errors');
}

let status = 0;
try {
  await run();
  console.log('ok: GraphiQL rendered the tour and ran ' + OPERATION);
} catch (err) {
  status = fail(err.message);
  if (page) {
    await page.screenshot({ path: screenshot, timeout: 10_000 }).then(
      () => console.error(`screenshot of the failure: ${screenshot}`),
      () => {});
  }
} finally {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
  clearTimeout(watchdog);
}
process.exit(status);
