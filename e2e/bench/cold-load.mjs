// Cold load of one page as served: a fresh Chromium profile (empty cache, no
// service worker), load the URL, wait until the app has rendered (an <h1> is
// visible) and the network has been idle for 500 ms, then sum the bytes that
// came over the wire for every request, as Chromium counts them (CDP
// Network.loadingFinished encodedDataLength: compressed body plus headers).
//
//   node e2e/bench/cold-load.mjs URL OUT.json
//
// Writes { url, finalUrl, h1, totalBytes, resources: [...] } to OUT.json and
// exits non-zero if the page could not be measured.
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

  const started = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
  const h1 = page.locator('h1').first();
  await h1.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
  const renderedMs = Date.now() - started;
  // Network idle: nothing in flight and no network event for IDLE_MS.
  for (;;) {
    if (inflight.size === 0 && Date.now() - lastActivity >= IDLE_MS) break;
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
    pageErrors,
  };
  writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`cold load of ${url}: ${result.totalBytes} bytes in ${resources.length} requests; h1 "${result.h1}"`);
  if (serviceWorkers.length) {
    console.warn(`warning: a service worker is running (${serviceWorkers.join(', ')}); its own fetches are not in this page's count`);
  }
} finally {
  await context.close();
}
