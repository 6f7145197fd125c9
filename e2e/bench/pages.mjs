// The trainee pages on a slow phone (issue 15): each page's LCP, CLS and
// bytes over the wire on a first visit and on a returning device, in Debian's
// Chromium under Lighthouse's mobile profile applied through CDP.
//
//   node e2e/bench/pages.mjs BASE_URL OUT.json     measure, write OUT.json
//   node e2e/bench/pages.mjs --list                print "name path" per page
//
// What the two visits are. "First visit": a new browser context (fresh
// profile: empty HTTP cache, no service worker, no IndexedDB) holding only
// the session cookie of a real `POST /api/auth/login` as `hocvien` and the
// localStorage mark `lophoc.signed-in` = "1", which the app's own sign-in
// sets on the device (src/state/session.rs; index.html reads it before the
// app starts); nothing else of the app's. The page's address is opened
// directly, as a link shared in the class's chat group is. "Returning
// device": the same context right after that first visit, once the service
// worker is activated and controls the page and its cache holds everything
// it keeps for a signed-in device (every file of PRECACHE and APP in the
// built /sw.js); the first tab is closed and a new tab opens the same
// address. Whether the service worker answered its document is noted (today
// it always does, from its cache); the API still goes to the (throttled)
// network.
// No course is downloaded for offline reading in either visit.
//
// The profile, applied through CDP to each tab before it navigates
// (pages-lib.mjs, THROTTLING and MOBILE): Emulation.setCPUThrottlingRate 4;
// Network.emulateNetworkConditions with 150 ms latency, 1,638.4 Kbit/s down
// and 750 Kbit/s up (Lighthouse's mobileSlow4G as its simulation models it;
// BENCH_PAGES_THROTTLING=devtools applies what `lighthouse
// --throttling-method=devtools` does instead); a 412×823 screen at
// devicePixelRatio 1.75, touch, the Moto G Power user agent Lighthouse sends.
// The service worker's own fetches run in its own target and are not
// throttled (as in Lighthouse): they are not the page's, and not counted.
//
// What is measured, per visit: LCP, the last `largest-contentful-paint`
// entry (buffered PerformanceObserver, read once the page has settled);
// CLS the way Lighthouse and web-vitals count it, the largest session window
// of layout shifts without recent input (gap 1 s, at most 5 s), and the plain
// sum beside it in OUT.json; bytes, the sum of what Chromium counts as
// received for the tab's requests (CDP Network.loadingFinished
// encodedDataLength: headers plus the body as sent, compressed; an open
// EventSource counts what it received so far), with what the service worker
// or the HTTP cache answered counted apart (those bytes did not cross the
// network). "Settled": the load event has fired, the app has mounted (the
// start-up screen `#boot` is gone), no "loading" line is left, an <h1> shows,
// and the tab's network has been quiet for 1 s (Lighthouse's threshold; the
// sync stream, which stays open, does not count); then two frames more. A
// visit that ends anywhere but the page's address, shows an error notice,
// or never settles within 60 s fails the run: a page that cannot be measured
// is an error; a figure over its budget is not.
//
// One Chromium, a context per run of a page; runs go round the pages (page
// 1..8, then again) so that a slow moment of the machine does not hit one
// page only. Knobs (environment): BENCH_PAGES_RUNS (runs per page, default
// 3; the median of each figure is reported), BENCH_PAGES (names of the
// pages to measure, default all: see --list), BENCH_PAGES_THROTTLING
// (simulated, the default, or devtools), BENCH_PAGES_MARK=0 (first visits
// without the signed-in mark, only the cookie, as Lighthouse's fresh profile
// with --extra-headers has), CHROME_PATH (default /usr/bin/chromium).
import { writeFileSync } from 'node:fs';
import {
  MOBILE, THROTTLING, clsSessionWindowMax, clsTotal, median, networkConditions,
  parseServiceWorker, selectPages, sessionCookie,
} from './pages-lib.mjs';

const SIGNED_IN_KEY = 'lophoc.signed-in';
const LOGIN = { username: 'hocvien', password: 'hocvien123' };
const QUIET_MS = 1000;
const TIMEOUT_MS = 60_000;

const args = process.argv.slice(2);
let pages;
try {
  pages = selectPages(process.env.BENCH_PAGES);
} catch (e) {
  console.error(`BENCH_PAGES: ${e.message}`);
  process.exit(2);
}
if (args[0] === '--list') {
  for (const p of pages) console.log(`${p.name} ${p.path}`);
  process.exit(0);
}
const [base, out] = args;
if (!base || !out) {
  console.error('usage: node e2e/bench/pages.mjs BASE_URL OUT.json | --list');
  process.exit(2);
}
const RUNS = Number(process.env.BENCH_PAGES_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('BENCH_PAGES_RUNS must be a positive integer');
  process.exit(2);
}
const throttlingName = process.env.BENCH_PAGES_THROTTLING || 'simulated';
const throttling = THROTTLING[throttlingName];
if (!throttling) {
  console.error(`BENCH_PAGES_THROTTLING must be one of ${Object.keys(THROTTLING).join(', ')}`);
  process.exit(2);
}
const origin = new URL(base).origin;
const SET_MARK = (process.env.BENCH_PAGES_MARK ?? '1') !== '0';
// Only now: `--list` runs before bench.sh has installed playwright-core.
const { chromium } = await import('playwright-core');
const { CHROMIUM_ARGS } = await import('../lib/harness.mjs');

// ---------------------------------------------------------------- set-up ---
const login = await fetch(`${origin}/api/auth/login`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(LOGIN),
});
if (login.status !== 200) throw new Error(`POST /api/auth/login answered ${login.status}`);
const cookie = sessionCookie(login.headers.getSetCookie().join('\n'), origin);
const swResponse = await fetch(`${origin}/sw.js`);
if (swResponse.status !== 200) throw new Error(`GET /sw.js answered ${swResponse.status}`);
const worker = parseServiceWorker(await swResponse.text());
const expectedCache = [...worker.precache, ...worker.app];

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});

/** A new tab of `context` under the mobile profile, with its network watched. */
async function openTab(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttling.cpu });
  await cdp.send('Network.emulateNetworkConditions', networkConditions(throttling));

  const requests = new Map();
  const state = { lastActivity: Date.now(), requests };
  const touch = () => { state.lastActivity = Date.now(); };
  cdp.on('Network.requestWillBeSent', (e) => {
    touch();
    const known = requests.get(e.requestId);
    // A redirect reuses the requestId: keep the bytes of the hop before it.
    const redirectBytes = e.redirectResponse
      ? (known?.redirectBytes ?? 0) + (e.redirectResponse.encodedDataLength ?? 0) : 0;
    requests.set(e.requestId, {
      url: e.request.url, type: e.type ?? 'Other', status: null, fromServiceWorker: false,
      fromCache: false, received: 0, transferred: null, redirectBytes, done: false,
    });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.fromCache = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    touch();
    const r = requests.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    r.type = e.type ?? r.type;
    r.fromServiceWorker = Boolean(e.response.fromServiceWorker);
    r.fromCache ||= Boolean(e.response.fromDiskCache || e.response.fromPrefetchCache);
    r.received += e.response.encodedDataLength ?? 0;
  });
  cdp.on('Network.dataReceived', (e) => {
    touch();
    const r = requests.get(e.requestId);
    if (r) r.received += e.encodedDataLength ?? 0;
  });
  cdp.on('Network.loadingFinished', (e) => {
    touch();
    const r = requests.get(e.requestId);
    if (r) { r.transferred = e.encodedDataLength + r.redirectBytes; r.done = true; }
  });
  cdp.on('Network.loadingFailed', (e) => {
    touch();
    const r = requests.get(e.requestId);
    if (r) { r.transferred = r.redirectBytes; r.done = true; r.failed = e.errorText || 'failed'; }
  });
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  return { page, cdp, state, pageErrors };
}

/** In flight on the tab, not counting the sync stream (it stays open). */
const inflight = (state) => [...state.requests.values()].filter((r) => !r.done && r.type !== 'EventSource');

/** Waits until the page has settled (see the header); throws with what is missing. */
async function settle(tab, path) {
  const { page, state } = tab;
  const deadline = Date.now() + TIMEOUT_MS;
  let last = '';
  for (;;) {
    const dom = await page.evaluate(() => {
      const visible = (el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
      };
      const h1 = [...document.querySelectorAll('h1')].find(visible);
      return {
        complete: document.readyState === 'complete',
        mounted: !document.getElementById('boot'),
        loading: [...document.querySelectorAll('.loading')].some(visible),
        h1: h1 ? h1.textContent.trim() : null,
        error: [...document.querySelectorAll('.notice-error')].map((e) => e.textContent.trim()).join(' ') || null,
        path: location.pathname,
      };
    }).catch((e) => ({ evaluateError: String(e) }));
    const quiet = inflight(state).length === 0 && Date.now() - state.lastActivity >= QUIET_MS;
    if (dom.complete && dom.mounted && !dom.loading && dom.h1 && quiet) {
      if (dom.path !== path) throw new Error(`${path} ended on ${dom.path} (h1 "${dom.h1}")`);
      if (dom.error) throw new Error(`${path} shows an error: ${dom.error}`);
      return dom;
    }
    last = JSON.stringify({ ...dom, quiet, inflight: inflight(state).map((r) => r.url) });
    if (Date.now() > deadline) throw new Error(`${path} did not settle within ${TIMEOUT_MS / 1000} s: ${last}`);
    await new Promise((r) => { setTimeout(r, 100); });
  }
}

/** Opens `path` in a new tab of `context` and measures it. */
async function visit(context, path) {
  const tab = await openTab(context);
  const { page, state } = tab;
  const response = await page.goto(origin + path, { waitUntil: 'commit', timeout: TIMEOUT_MS });
  if (!response) throw new Error(`${path}: no response to the navigation`);
  const dom = await settle(tab, path);
  const perf = await page.evaluate(async () => {
    await new Promise((r) => { requestAnimationFrame(() => requestAnimationFrame(r)); });
    const buffered = (type) => new Promise((ok) => {
      const seen = [];
      const po = new PerformanceObserver((list) => { seen.push(...list.getEntries()); });
      po.observe({ type, buffered: true });
      // Buffered entries are delivered in the observer's first task.
      setTimeout(() => { seen.push(...po.takeRecords()); po.disconnect(); ok(seen); }, 0);
    });
    const describe = (el) => {
      if (!el) return null;
      const text = (el.textContent || '').trim().replace(/\s+/g, ' ');
      const classes = typeof el.className === 'string' ? el.className.split(/\s+/).filter(Boolean).map((c) => `.${c}`).join('') : '';
      return { selector: `${el.tagName.toLowerCase()}${classes}`, text: text.length > 60 ? `${text.slice(0, 57)}…` : text };
    };
    const lcp = await buffered('largest-contentful-paint');
    const shifts = await buffered('layout-shift');
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    const last = lcp[lcp.length - 1];
    return {
      lcpMs: last ? (last.renderTime || last.loadTime || last.startTime) : null,
      lcpElement: last ? describe(last.element) : null,
      lcpSize: last?.size ?? null,
      lcpCandidates: lcp.length,
      fcpMs: fcp?.startTime ?? null,
      shifts: shifts.map((s) => ({ startTime: s.startTime, value: s.value, hadRecentInput: s.hadRecentInput })),
      responseEndMs: nav?.responseEnd ?? null,
      loadEventEndMs: nav?.loadEventEnd ?? null,
    };
  });
  if (!(perf.lcpMs > 0)) throw new Error(`${path}: no largest-contentful-paint entry`);

  const requests = [...state.requests.values()].filter((r) => !r.url.startsWith('data:'));
  const bytesOf = (r) => (r.done ? r.transferred : r.received + r.redirectBytes);
  const network = requests.filter((r) => !r.fromServiceWorker && !r.fromCache);
  const local = requests.filter((r) => r.fromServiceWorker || r.fromCache);
  const result = {
    h1: dom.h1,
    documentFromServiceWorker: response.fromServiceWorker(),
    documentStatus: response.status(),
    lcpMs: perf.lcpMs,
    lcpElement: perf.lcpElement,
    lcpCandidates: perf.lcpCandidates,
    fcpMs: perf.fcpMs,
    cls: clsSessionWindowMax(perf.shifts),
    clsTotal: clsTotal(perf.shifts),
    shifts: perf.shifts,
    bytes: network.reduce((s, r) => s + bytesOf(r), 0),
    requests: network.length,
    localRequests: local.length,
    localBytes: local.reduce((s, r) => s + bytesOf(r), 0),
    responseEndMs: perf.responseEndMs,
    resources: requests.map((r) => ({
      path: new URL(r.url).pathname, type: r.type, status: r.status,
      from: r.fromServiceWorker ? 'service worker' : r.fromCache ? 'cache' : 'network',
      bytes: bytesOf(r), failed: r.failed ?? null,
    })),
    pageErrors: tab.pageErrors,
  };
  if (tab.pageErrors.length) throw new Error(`${path}: page errors: ${tab.pageErrors.join('; ')}`);
  return { tab, result };
}

/** Waits until the service worker controls the tab and holds every file it keeps for a signed-in device. */
async function waitForWorker(page, path) {
  const ok = await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === 'activated', null, { timeout: TIMEOUT_MS })
    .then(() => true, () => false);
  if (!ok) throw new Error(`${path}: the service worker never controlled the page`);
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const missing = await page.evaluate(async ({ version, expected }) => {
      const name = `lophoc-shell-${version}`;
      if (!(await caches.keys()).includes(name)) return expected;
      const cache = await caches.open(name);
      const held = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
      return expected.filter((p) => !held.has(p));
    }, { version: worker.version, expected: expectedCache });
    if (!missing.length) return;
    if (Date.now() > deadline) throw new Error(`${path}: the service worker's cache still lacks ${missing.join(', ')}`);
    await new Promise((r) => { setTimeout(r, 200); });
  }
}

async function measure(p, run) {
  const context = await browser.newContext({
    ...MOBILE,
    locale: 'vi-VN',
    storageState: {
      cookies: [cookie],
      origins: SET_MARK ? [{ origin, localStorage: [{ name: SIGNED_IN_KEY, value: '1' }] }] : [],
    },
  });
  try {
    const first = await visit(context, p.path);
    if (first.result.documentFromServiceWorker) throw new Error(`${p.path}: a first visit was answered by a service worker`);
    await waitForWorker(first.tab.page, p.path);
    await first.tab.page.close();
    const returning = await visit(context, p.path);
    await returning.tab.page.close();
    const f = first.result;
    const r = returning.result;
    console.log(`  ${p.name} run ${run}: first visit LCP ${Math.round(f.lcpMs)} ms, CLS ${f.cls.toFixed(3)}, `
      + `${f.bytes} B in ${f.requests} requests; returning LCP ${Math.round(r.lcpMs)} ms, CLS ${r.cls.toFixed(3)}, `
      + `${r.bytes} B over the network${r.documentFromServiceWorker ? '' : ' (document not from the service worker)'}; h1 "${f.h1}"`);
    return { run, first: f, returning: r };
  } finally {
    await context.close();
  }
}

const summary = (visits) => ({
  lcpMs: median(visits.map((v) => v.lcpMs)),
  fcpMs: median(visits.map((v) => v.fcpMs)),
  cls: median(visits.map((v) => v.cls)),
  clsTotal: median(visits.map((v) => v.clsTotal)),
  bytes: median(visits.map((v) => v.bytes)),
  requests: median(visits.map((v) => v.requests)),
});

try {
  const started = Date.now();
  const runs = new Map(pages.map((p) => [p.name, []]));
  for (let run = 1; run <= RUNS; run++) {
    for (const p of pages) runs.get(p.name).push(await measure(p, run));
  }
  const result = {
    url: origin,
    runs: RUNS,
    throttling: { name: throttlingName, ...throttling, network: networkConditions(throttling) },
    device: MOBILE,
    signedInMark: SET_MARK ? SIGNED_IN_KEY : null,
    user: LOGIN.username,
    serviceWorker: { version: worker.version, files: expectedCache.length },
    chromium: browser.version(),
    seconds: (Date.now() - started) / 1000,
    pages: pages.map((p) => {
      const r = runs.get(p.name);
      return {
        ...p,
        h1: r[0].first.h1,
        first: { ...summary(r.map((x) => x.first)), lcpElement: r[0].first.lcpElement },
        returning: { ...summary(r.map((x) => x.returning)), lcpElement: r[0].returning.lcpElement },
        runs: r,
      };
    }),
  };
  writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`trainee pages: ${pages.length} pages × ${RUNS} runs in ${result.seconds.toFixed(0)} s`);
} finally {
  await browser.close();
}
