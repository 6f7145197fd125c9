// Reload to interactive with no network, from the service worker: a fresh
// Chromium profile logs in as the trainee through the login page, waits until
// the service worker (/sw.js) controls the page, goes offline
// (context.setOffline) and reloads `/` RUNS times. Each reload is timed from
// the navigation's start to the frame that first shows the signed-in home
// page's <h1> ("Xin chào …"), in the page's own clock: performance.now() is
// measured from the navigation's start (timeOrigin), and an init script notes
// it in the requestAnimationFrame callback after the <h1> has a box. The wall
// clock of the test (page.reload() to the heading visible to Playwright) is
// kept beside it.
//
//   node e2e/bench/offline-reload.mjs URL OUT.json [RUNS]
//
// Writes { runs: [{ h1Ms, wallMs, responseEndMs, domContentLoadedMs,
// fromServiceWorker, h1 }], medianH1Ms, ... } to OUT.json and exits non-zero
// if the page could not be measured (no service worker, the reload did not
// come from it, or the signed-in page never showed).
import { writeFileSync } from 'node:fs';
import { launchContext } from '../lib/harness.mjs';

const [base, out, runsArg = '5'] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node offline-reload.mjs URL OUT.json [RUNS]');
  process.exit(2);
}
const RUNS = Number(runsArg);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('RUNS must be a positive integer');
  process.exit(2);
}
const TIMEOUT_MS = 30_000;
const HOME_H1 = /Xin chào/;
const url = new URL('/', base).href;

// Runs at the start of every document: notes when an <h1> first has a box,
// in the frame that paints it.
function markFirstH1() {
  const visibleH1 = () => {
    const h1 = document.querySelector('h1');
    if (!h1) return null;
    const box = h1.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(h1).visibility !== 'hidden' ? h1 : null;
  };
  let pending = false;
  const check = () => {
    if (pending) return;
    const h1 = visibleH1();
    if (!h1) return;
    pending = true;
    observer.disconnect();
    requestAnimationFrame(() => {
      window.__benchH1 = { at: performance.now(), text: h1.textContent.trim() };
    });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const context = await launchContext();
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.setDefaultTimeout(TIMEOUT_MS);

  // Log in through the login page, as a trainee does.
  await page.goto(new URL('/login', base).href);
  await page.getByLabel('Tên đăng nhập').fill('hocvien');
  await page.getByLabel('Mật khẩu', { exact: true }).fill('hocvien123');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { level: 1, name: HOME_H1 }).waitFor();

  // The service worker: registered by the app, activated, controlling the page.
  const registered = await page.evaluate(
    (ms) => Promise.race([
      navigator.serviceWorker.ready.then(() => true),
      new Promise((ok) => { setTimeout(() => ok(false), ms); }),
    ]),
    TIMEOUT_MS,
  );
  if (!registered) throw new Error('no service worker became ready (is dist/sw.js built and registered?)');
  const controlled = () => page.evaluate(() => navigator.serviceWorker.controller?.state === 'activated');
  let reloadsForControl = 0;
  if (!(await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 10_000 })
    .then(() => true, () => false))) {
    reloadsForControl = 1;
    await page.reload();
    await page.getByRole('heading', { level: 1, name: HOME_H1 }).waitFor();
    if (!(await controlled())) throw new Error('the service worker does not control the page after a reload');
  }
  const sw = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    const text = await (await fetch('/sw.js')).text();
    return {
      scriptUrl: navigator.serviceWorker.controller.scriptURL,
      scope: reg?.scope ?? null,
      version: text.match(/^const VERSION = '([^']*)';$/m)?.[1] ?? null,
    };
  });

  await page.addInitScript(markFirstH1);
  await context.setOffline(true);
  const online = await page.evaluate(() => navigator.onLine);
  if (online) throw new Error('navigator.onLine is still true after setOffline(true)');

  const runs = [];
  for (let i = 1; i <= RUNS; i++) {
    const t0 = performance.now();
    const response = await page.reload({ waitUntil: 'commit' });
    const heading = page.getByRole('heading', { level: 1, name: HOME_H1 });
    await heading.waitFor({ state: 'visible' });
    const wallMs = performance.now() - t0;
    await page.waitForFunction(() => window.__benchH1 !== undefined);
    const m = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        h1Ms: window.__benchH1.at,
        h1: window.__benchH1.text,
        workerStartMs: nav?.workerStart ?? null,
        responseEndMs: nav?.responseEnd ?? null,
        domContentLoadedMs: nav?.domContentLoadedEventEnd ?? null,
        loadMs: nav?.loadEventEnd ?? null,
        controlled: !!navigator.serviceWorker.controller,
        onLine: navigator.onLine,
      };
    });
    if (!HOME_H1.test(m.h1)) throw new Error(`reload ${i}: the first <h1> was "${m.h1}", not the signed-in home page`);
    const fromServiceWorker = Boolean(response?.fromServiceWorker());
    if (!fromServiceWorker) throw new Error(`reload ${i}: the navigation was not answered by the service worker`);
    if (!m.controlled || m.onLine) throw new Error(`reload ${i}: controlled=${m.controlled}, onLine=${m.onLine}`);
    const run = { run: i, ...m, wallMs, fromServiceWorker };
    runs.push(run);
    console.log(`  offline reload ${i}: h1 "${m.h1}" after ${m.h1Ms.toFixed(0)} ms `
      + `(wall ${wallMs.toFixed(0)} ms; document from the service worker at ${m.responseEndMs?.toFixed(0)} ms)`);
  }

  const result = {
    url,
    runs,
    medianH1Ms: median(runs.map((r) => r.h1Ms)),
    medianWallMs: median(runs.map((r) => r.wallMs)),
    medianResponseEndMs: median(runs.map((r) => r.responseEndMs ?? NaN)),
    reloadsForControl,
    serviceWorker: sw,
    pageErrors,
  };
  writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`offline reload of ${url}: median ${result.medianH1Ms.toFixed(0)} ms to the <h1> over ${RUNS} reloads`);
} finally {
  await context.close();
}
