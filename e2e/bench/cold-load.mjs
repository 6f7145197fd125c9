// Cold load of one page as served: a fresh Chromium profile (empty cache, no
// service worker), load the URL, wait until the app has rendered (an <h1> is
// visible) and the network has been idle for 500 ms, then sum the bytes that
// came over the wire for every request, as Chromium counts them (CDP
// Network.loadingFinished encodedDataLength: compressed body plus headers).
//
//   node e2e/bench/cold-load.mjs URL OUT.json
//
// The service worker the page registers then fetches, in the background, what
// it keeps for offline use; those requests are not the page's, and Chromium
// answers most of them from its HTTP cache (files the page just loaded).
// They are counted apart, as bytes that really came over the network
// (Playwright's request sizes for the worker's requests; a cache hit counts 0).
//
// Writes { url, finalUrl, h1, totalBytes, resources: [...], serviceWorkerBytes,
// serviceWorkerResources: [...] } to OUT.json and exits non-zero if the page
// could not be measured.
import { writeFileSync } from 'node:fs';
import { launchContext } from '../lib/harness.mjs';

const [url, out] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: node cold-load.mjs URL OUT.json');
  process.exit(2);
}

const IDLE_MS = 500;
const TIMEOUT_MS = 30_000;

const context = await launchContext();
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // Belt and braces: a fresh profile has an empty cache anyway.
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

  /** @type {Map<string, any>} */
  const requests = new Map();
  let lastActivity = Date.now();
  const inflight = new Set();
  const touch = () => { lastActivity = Date.now(); };

  cdp.on('Network.requestWillBeSent', (e) => {
    touch();
    inflight.add(e.requestId);
    const known = requests.get(e.requestId);
    // A redirect reuses the requestId: keep the bytes of the hop before it.
    const redirectBytes = e.redirectResponse
      ? (known?.redirectBytes ?? 0) + (e.redirectResponse.encodedDataLength ?? 0)
      : 0;
    requests.set(e.requestId, {
      url: e.request.url,
      method: e.request.method,
      type: e.type ?? 'Other',
      status: null,
      encoding: '',
      mimeType: '',
      fromCache: false,
      decodedBytes: 0,
      transferred: null,
      redirectBytes,
      failed: null,
    });
  });
  cdp.on('Network.responseReceived', (e) => {
    touch();
    const r = requests.get(e.requestId);
    if (!r) return;
    const headers = Object.fromEntries(
      Object.entries(e.response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    r.status = e.response.status;
    r.mimeType = e.response.mimeType;
    r.encoding = headers['content-encoding'] ?? '';
    r.fromCache = Boolean(e.response.fromDiskCache || e.response.fromServiceWorker
      || e.response.fromPrefetchCache);
    r.type = e.type ?? r.type;
  });
  cdp.on('Network.dataReceived', (e) => {
    touch();
    const r = requests.get(e.requestId);
    if (r) r.decodedBytes += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    touch();
    inflight.delete(e.requestId);
    const r = requests.get(e.requestId);
    if (r) r.transferred = e.encodedDataLength + r.redirectBytes;
  });
  cdp.on('Network.loadingFailed', (e) => {
    touch();
    inflight.delete(e.requestId);
    const r = requests.get(e.requestId);
    if (r) {
      r.failed = e.errorText || 'failed';
      r.transferred = r.redirectBytes;
    }
  });

  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));

  // The service worker's own requests (the page's are above, through CDP).
  const swInflight = new Set();
  const swResources = [];
  context.on('request', (r) => {
    if (!r.serviceWorker()) return;
    touch();
    swInflight.add(r);
  });
  const swDone = async (r, failed) => {
    if (!r.serviceWorker()) return;
    touch();
    const sizes = failed ? null : await r.sizes().catch(() => null);
    const response = failed ? null : await r.response().catch(() => null);
    // A body size below 0 is Playwright's way of saying "from the cache".
    const body = sizes ? Math.max(0, sizes.responseBodySize) : 0;
    const network = sizes && sizes.responseBodySize >= 0;
    swResources.push({
      path: new URL(r.url()).pathname,
      status: response?.status() ?? null,
      transferred: network ? body + sizes.responseHeadersSize : 0,
      failed: failed ? (r.failure()?.errorText || 'failed') : null,
    });
    swInflight.delete(r);
    touch();
  };
  context.on('requestfinished', (r) => swDone(r, false));
  context.on('requestfailed', (r) => swDone(r, true));

  const started = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
  const h1 = page.locator('h1').first();
  await h1.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
  const renderedMs = Date.now() - started;
  // Network idle: nothing in flight and no network event for IDLE_MS.
  for (;;) {
    if (inflight.size === 0 && swInflight.size === 0 && Date.now() - lastActivity >= IDLE_MS) break;
    if (Date.now() - started > TIMEOUT_MS) {
      throw new Error(`network never went idle; in flight: ${[...inflight]
        .map((id) => requests.get(id)?.url).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const resources = [...requests.values()]
    .filter((r) => !r.url.startsWith('data:'))
    .map((r) => ({
      url: r.url,
      path: new URL(r.url).pathname,
      type: r.type,
      status: r.status,
      encoding: r.encoding,
      fromCache: r.fromCache,
      decodedBytes: r.decodedBytes,
      transferred: r.transferred ?? 0,
      failed: r.failed,
    }));
  const unfinished = [...requests.values()].filter((r) => r.transferred === null);
  if (unfinished.length) {
    throw new Error(`requests never finished: ${unfinished.map((r) => r.url).join(', ')}`);
  }
  if (resources.length === 0) throw new Error('no request was seen');
  const serviceWorkers = context.serviceWorkers().map((w) => w.url());

  const result = {
    url,
    finalUrl: page.url(),
    h1: (await h1.innerText()).trim(),
    renderedMs,
    totalBytes: resources.reduce((sum, r) => sum + r.transferred, 0),
    resources,
    serviceWorkers,
    serviceWorkerBytes: swResources.reduce((sum, r) => sum + r.transferred, 0),
    serviceWorkerResources: swResources,
    pageErrors,
  };
  writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`cold load of ${url}: ${result.totalBytes} bytes in ${resources.length} requests; h1 "${result.h1}"`);
  if (serviceWorkers.length) {
    console.log(`the service worker then fetched ${result.serviceWorkerBytes} bytes over the network for offline use (${swResources.length} requests)`);
  }
} finally {
  await context.close();
}
