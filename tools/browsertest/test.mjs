// Opens Samverkan's GraphiQL page in headless Chromium the way a visitor
// does: `/` redirects to the tour, the editor shows it, the ▶ button offers
// the tour's operations, and running SearchVarmland shows its result.
//
// The page loads GraphiQL, React and the explorer plugin from a public CDN
// with SRI hashes. CI has no such network, so every /npm/<pkg>@<version>/<file>
// request is answered from the same package versions installed here; the
// browser still checks the integrity hashes against those bytes.
//
//   SCREENSHOT=out.png node test.mjs http://127.0.0.1:8080/
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

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
const screenshot = process.env.SCREENSHOT || join(tmpdir(), `samverkan-graphiql-${process.pid}.png`);
const here = dirname(fileURLToPath(import.meta.url));

const consoleErrors = [];
const unexpectedRequests = [];
// Assets answered with other bytes than the URL names; their SRI check is
// expected to fail and is reported, not hidden.
const substituted = new Map();
let context;
let page;
const userDataDir = mkdtempSync(join(tmpdir(), 'samverkan-chromium-'));

function fail(message) {
  console.error(`FAIL: ${message}`);
  if (consoleErrors.length > 0) {
    console.error('page console errors:');
    for (const e of consoleErrors) {
      const expected = [...substituted.keys()].some((p) => e.includes(p));
      console.error(`  ${e}${expected ? '  (expected: no such file in the package)' : ''}`);
    }
  }
  if (unexpectedRequests.length > 0) {
    console.error('requests the test refused (no local copy):');
    for (const u of unexpectedRequests) console.error(`  ${u}`);
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

// localAsset maps a CDN path /npm/<pkg>@<version>/<file> to the installed
// package, refusing a version other than the one installed here.
function localAsset(pathname) {
  const m = /^\/npm\/((?:@[^/@]+\/)?[^/@]+)@([^/]+)\/(.+)$/.exec(pathname);
  if (!m) return null;
  const [, pkg, version, file] = m;
  const dir = join(here, 'node_modules', pkg);
  const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  if (installed !== version) {
    throw new Error(`the page asks for ${pkg}@${version} but ${pkg}@${installed} is installed; update package.json`);
  }
  let path = join(dir, file);
  if (!existsSync(path) && file.endsWith('.min.css')) {
    // The CDN minifies on demand files the package does not ship.
    const plain = join(dir, file.replace(/\.min\.css$/, '.css'));
    if (existsSync(plain)) {
      substituted.set(pathname, file.replace(/\.min\.css$/, '.css'));
      path = plain;
    }
  }
  if (!existsSync(path)) throw new Error(`${pkg}@${version} has no file ${file}`);
  return path;
}

const types = { '.js': 'application/javascript', '.css': 'text/css', '.map': 'application/json' };

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

  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin) return route.continue();
    let path = null;
    try {
      path = localAsset(url.pathname);
    } catch (err) {
      consoleErrors.push(err.message);
    }
    if (!path) {
      unexpectedRequests.push(url.href);
      return route.abort('blockedbyclient');
    }
    const ext = path.slice(path.lastIndexOf('.'));
    return route.fulfill({
      status: 200,
      // crossorigin="anonymous" makes the browser require CORS for SRI.
      headers: { 'content-type': types[ext] ?? 'application/octet-stream', 'access-control-allow-origin': '*' },
      body: readFileSync(path),
    });
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

  await step('open the execute button\'s operation list', () =>
    page.locator('button.graphiql-execute-button').click());
  await step(`run ${OPERATION} from the list`, () =>
    page.getByRole('menuitem', { name: OPERATION, exact: true }).click());

  const result = page.locator('.graphiql-response');
  await step(`the result pane shows "${EXPECTED_RESULT}"`, () =>
    result.getByText(EXPECTED_RESULT, { exact: false }).first().waitFor({ state: 'visible' }));

  await page.screenshot({ path: screenshot });
  console.log(`screenshot: ${screenshot}`);

  // Integrity failures of byte-identical assets mean the pinned packages no
  // longer match what the page expects: that is a failure, not a note.
  const sri = consoleErrors.filter((e) => e.includes("'integrity'"));
  const known = sri.filter((e) => [...substituted.keys()].some((p) => e.includes(p)));
  for (const [p, file] of substituted) {
    console.log(`note: ${p} is not in the package; served ${file} instead, so its SRI check fails here ` +
      '(the page still works without that stylesheet)');
  }
  if (sri.length > known.length) throw new Error('an asset failed its SRI check');
  if (unexpectedRequests.length > 0) throw new Error('the page requested assets the test cannot serve');
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
