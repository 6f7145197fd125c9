// The app shell offline, installability and the update flow, in Debian's
// Chromium against the real server. The service worker (dist/sw.js, written
// at build time by scripts/sw-precache.sh) must precache the shell, serve
// navigations with no network at all, leave /api/ to the network, and wait
// for the user before a new version takes over (the update banner).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT, startServer, launchContext, screenshot, seriousA11yViolations, logIn, menu } from '../lib/harness.mjs';

const DIST = join(ROOT, 'dist');
const VERSION_LINE = /^const VERSION = '([0-9a-f]{16})';$/m;

/** Opens `url` and waits until the service worker is activated and controls the page. */
async function openControlled(page, url) {
  await page.goto(url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // The first install claims the page; if it did not, a reload brings it under control.
  const controlled = await page
    .waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 10_000 })
    .then(() => true, () => false);
  if (!controlled) {
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
  }
}

/** Every URL in every cache of the page's origin, by cache name. */
function cachedUrls(page) {
  return page.evaluate(async () => {
    const all = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      all[name] = (await cache.keys()).map((r) => new URL(r.url).pathname);
    }
    return all;
  });
}

describe('the app shell offline', () => {
  let server;
  let context;
  let page;
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    context = await launchContext();
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await context?.close();
    await server?.stop();
  });

  test('sw.js is generated with this build\'s files and served no-cache from the root', async () => {
    const res = await fetch(`${server.url}/sw.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /javascript/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const sw = await res.text();
    assert.match(sw, VERSION_LINE, 'a 16-hex-digit version was written in');
    const list = JSON.parse(sw.match(/^const PRECACHE = (\[[^\]]*\]);$/m)[1].replace(/'/g, '"').replace(/,\s*\]/, ']'));
    // Everything index.html loads, the manifest and the icons it names.
    const index = readFileSync(join(DIST, 'index.html'), 'utf8');
    // (Files the page loads: <link href>, <script src>, the start script's
    // import() and module_or_path; not the start-up screen's <a href> links.)
    const referenced = [...index.matchAll(/(?:<link[^>]*\shref|<script[^>]*\ssrc)=['"](\/[^'"]+)['"]|(?:from|import\(|module_or_path:)\s*['"](\/[^'"]+)['"]/g)]
      .map((m) => m[1] ?? m[2]);
    assert.ok(referenced.some((p) => p.endsWith('_bg.wasm')) && referenced.some((p) => p.endsWith('.js')), `${referenced}`);
    const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8'));
    for (const path of ['/index.html', ...referenced, ...manifest.icons.map((i) => i.src)]) {
      assert.ok(list.includes(path), `${path} is precached`);
    }
    assert.ok(list.some((p) => p.endsWith('_bg.wasm')), 'the wasm is precached');
    assert.ok(!list.includes('/sw.js') && !list.some((p) => /\.(br|gz)$/.test(p) || p.startsWith('/api/')));
  });

  test('the first visit installs the worker, which caches the shell and controls the page', async () => {
    await openControlled(page, `${server.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Chào mừng đến với Lophoc' }).waitFor();
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
    assert.equal(scope, `${server.url}/`);
    const caches = await cachedUrls(page);
    const shell = Object.keys(caches).filter((n) => n.startsWith('lophoc-shell-'));
    assert.equal(shell.length, 1, `one shell cache: ${Object.keys(caches)}`);
    assert.ok(caches[shell[0]].includes('/index.html'));
    assert.ok(caches[shell[0]].some((p) => p.endsWith('_bg.wasm')));
  });

  test('the app is installable: manifest, icons and worker pass Chromium\'s checks', async () => {
    const cdp = await context.newCDPSession(page);
    const { errors } = await cdp.send('Page.getAppManifest');
    assert.deepEqual(errors, [], 'the manifest parses without errors');
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'no installability errors');
    await cdp.detach();
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector('link[rel=manifest]').href;
      return (await fetch(href)).json();
    });
    assert.equal(manifest.name, 'Lophoc — Lớp học');
    assert.equal(manifest.short_name, 'Lophoc');
    assert.equal(manifest.lang, 'vi');
    assert.equal(manifest.start_url, '/');
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.theme_color, '#8f1d1d');
    assert.equal(manifest.background_color, '#f5f3ef');
    // The PNG icons are really the sizes they claim.
    const sizes = await page.evaluate(async (icons) => Promise.all(icons.map(async (icon) => {
      const img = new Image();
      img.src = icon.src;
      await img.decode();
      return `${icon.purpose} ${icon.sizes} → ${img.naturalWidth}x${img.naturalHeight}`;
    })), manifest.icons.filter((i) => i.type === 'image/png'));
    for (const line of sizes) {
      const [, claimed, real] = line.match(/(\d+x\d+) → (\d+x\d+)/);
      assert.equal(real, claimed, line);
    }
    assert.ok(manifest.icons.some((i) => i.purpose === 'maskable' && i.sizes === '512x512'));
  });

  test('online, /api/ requests go to the network, not through the worker\'s cache', async () => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/health')),
      page.evaluate(() => fetch('/api/health')),
    ]);
    assert.equal(response.status(), 200);
    assert.equal(response.fromServiceWorker(), false);
  });

  test('with no network the app still starts, on / and on a deep link', async () => {
    await context.setOffline(true);
    try {
      const home = await page.reload();
      assert.ok(home.fromServiceWorker(), 'the worker answered the navigation');
      await page.locator('header.site-header').getByRole('link', { name: 'Lophoc' }).waitFor();
      await page.locator('#site-menu a[href="/settings"]').waitFor({ state: 'attached' });

      const settings = await page.goto(`${server.url}/settings`);
      assert.ok(settings.fromServiceWorker());
      await page.getByRole('heading', { level: 1, name: 'Cài đặt' }).waitFor();
      await page.locator('header.site-header').waitFor();
      assert.equal(await page.locator('#boot').count(), 0, 'the app mounted');
      await screenshot(page, 'offline-settings-360x740');

      // The worker does not answer the API from a cache: offline, it fails.
      const api = await page.evaluate(() => fetch('/api/health').then((r) => `status ${r.status}`, () => 'failed'));
      assert.equal(api, 'failed');
      const cached = Object.values(await cachedUrls(page)).flat();
      assert.deepEqual(cached.filter((p) => p.startsWith('/api')), [], 'nothing under /api/ is cached');
    } finally {
      await context.setOffline(false);
    }
    // Back online, the same page talks to the server again.
    const status = await page.evaluate(() => fetch('/api/health').then((r) => r.status));
    assert.equal(status, 200);
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});

describe('the staff build: lecturers\' pages are never downloaded by trainees', () => {
  let server;
  let traineeContext;
  let lecturerContext;

  before(async () => {
    server = await startServer();
    traineeContext = await launchContext();
    lecturerContext = await launchContext();
  });

  after(async () => {
    await traineeContext?.close();
    await lecturerContext?.close();
    await server?.stop();
  });

  test('a trainee loads and caches only the trainee build; offline, a staff page says it needs a connection', async () => {
    const page = await traineeContext.newPage();
    const fetched = [];
    traineeContext.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await openControlled(page, `${server.url}/`);
    await logIn(page, server.url, 'hocvien');
    await page.locator('#site-menu a[href="/settings"]').waitFor({ state: 'attached' });
    const cached = Object.values(await cachedUrls(page)).flat();
    assert.ok(cached.some((p) => p.endsWith('_bg.wasm')), 'the trainee build is cached');
    assert.deepEqual(cached.filter((p) => p.startsWith('/staff/')), [], 'nothing of the staff build is cached');
    assert.deepEqual(fetched.filter((p) => p.startsWith('/staff/')), [], 'nothing of the staff build was fetched');

    await traineeContext.setOffline(true);
    try {
      await page.goto(`${server.url}/classes`);
      await page.getByRole('heading', { level: 1, name: 'Trang này chưa có trên máy' }).waitFor();
      await page.getByText(/cần kết nối mạng để mở lần đầu/).waitFor();
      assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the message');
      await screenshot(page, 'staff-page-offline-360x740');
    } finally {
      await traineeContext.setOffline(false);
    }
  });

  test('a lecturer follows a link into the staff build, which is then kept for offline use', async () => {
    const page = await lecturerContext.newPage();
    await openControlled(page, `${server.url}/`);
    await logIn(page, server.url, 'giangvien', 'giangvien123');
    // Signed in as a lecturer, the page asks the worker to keep the staff build.
    await page.waitForFunction(async () => {
      for (const name of await caches.keys()) {
        if (await (await caches.open(name)).match('/staff/index.html')) return true;
      }
      return false;
    }, null, { timeout: 20_000 });
    const scripts = () => page.evaluate(() => [...document.querySelectorAll('script[type=module], link[rel=modulepreload]')]
      .map((e) => e.getAttribute('src') || e.getAttribute('href')).filter(Boolean));
    assert.ok((await scripts()).every((s) => !s.startsWith('/staff/')), 'the home page runs the trainee build');

    // A client-side link to a staff page reloads into the staff build.
    await menu(page, 'Lớp học');
    await page.getByRole('heading', { level: 1, name: 'Lớp học' }).waitFor();
    assert.ok((await scripts()).some((s) => s.startsWith('/staff/')), 'the class list runs the staff build');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('lophoc.staff-reload')), null, 'the staff build cleared the reload mark');

    // Offline, the staff build still starts (from the cache).
    await lecturerContext.setOffline(true);
    try {
      const res = await page.goto(`${server.url}/authoring`);
      assert.ok(res.fromServiceWorker(), 'the worker answered');
      await page.getByRole('heading', { level: 1, name: 'Soạn bài giảng' }).waitFor();
      assert.ok((await scripts()).some((s) => s.startsWith('/staff/')));
    } finally {
      await lecturerContext.setOffline(false);
    }
  });
});

describe('code split by page: a visitor downloads only what a visitor can open', () => {
  let server;
  let context;
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    context = await launchContext();
  });

  after(async () => {
    await context?.close();
    await server?.stop();
  });

  const GROUP = /-(split|chunk)_[A-Za-z0-9_]+\.wasm$/;
  const shellCache = async (page) => {
    const all = await cachedUrls(page);
    return Object.entries(all).filter(([name]) => name.startsWith('lophoc-shell-')).flatMap(([, urls]) => urls);
  };

  test('the home page loads the main module only; the worker keeps the visitor\'s pages, not the rest', async () => {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const loaded = [];
    page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
    await openControlled(page, `${server.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Chào mừng đến với Lophoc' }).waitFor();
    assert.ok(loaded.some((p) => p.endsWith('_bg.wasm')), `the main module was loaded: ${loaded}`);
    assert.deepEqual(loaded.filter((p) => GROUP.test(p)), [], 'the home page fetched no group of pages');
    const cached = await shellCache(page);
    assert.ok(cached.some((p) => p.endsWith('-split_open.wasm')), `settings and certificate check kept: ${cached}`);
    assert.ok(!cached.some((p) => p.endsWith('-split_learning.wasm')), 'courses and questions not downloaded for a visitor');

    // The settings page is in a group: opening it fetches it, and it works.
    await menu(page, 'Cài đặt');
    await page.getByRole('heading', { level: 1, name: 'Cài đặt' }).waitFor();
    assert.ok(loaded.some((p) => p.endsWith('-split_open.wasm')), 'the settings group was fetched when opened');
  });

  test('offline, a page whose code is not on the device says so, and the app goes on', async () => {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await openControlled(page, `${server.url}/`);
    await context.setOffline(true);
    try {
      await page.goto(`${server.url}/courses/can-bo-co-so/lessons/nhan-dien-tham-nhung`);
      await page.getByRole('heading', { level: 1, name: 'Trang này chưa có trên máy' }).waitFor();
      await page.getByText('Máy này chưa tải phần này của ứng dụng về, nên cần kết nối mạng để mở lần đầu.', { exact: false }).waitFor();
      assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the message');
      await screenshot(page, 'page-not-on-device-360x740');
      // Not a crash: the rest of the app still answers.
      await menu(page, 'Trang chủ');
      await page.getByRole('heading', { level: 1, name: 'Chào mừng đến với Lophoc' }).waitFor();
    } finally {
      await context.setOffline(false);
    }
  });

  test('once someone signs in, the worker keeps every group, and they open offline', async () => {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await openControlled(page, `${server.url}/`);
    await logIn(page, server.url, 'hocvien');
    await page.waitForFunction(async () => {
      for (const name of await caches.keys()) {
        const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
        if (['learning', 'sync', 'live'].every((g) => urls.some((u) => u.endsWith(`-split_${g}.wasm`)))) return true;
      }
      return false;
    }, null, { timeout: 20_000 });
    await context.setOffline(true);
    try {
      // A fresh page: nothing of the groups is in its memory.
      const offline = await context.newPage();
      offline.on('pageerror', (e) => pageErrors.push(e.message));
      await offline.goto(`${server.url}/progress`);
      await offline.getByRole('heading', { level: 1, name: 'Kết quả học tập' }).waitFor();
      await offline.close();
    } finally {
      await context.setOffline(false);
    }
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
  });
});

describe('a new version waits for the user', () => {
  let server;
  let context;
  let page;
  let dist;

  before(async () => {
    // A copy of dist/ whose sw.js the test can change: a rebuild is too slow.
    dist = mkdtempSync(join(tmpdir(), 'lophoc-dist-'));
    cpSync(DIST, dist, { recursive: true });
    server = await startServer({ dist });
    context = await launchContext();
    page = await context.newPage();
    page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  });

  after(async () => {
    await context?.close();
    await server?.stop();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  test('the banner offers the new version and reloading switches to it', async () => {
    await openControlled(page, `${server.url}/settings`);
    await page.getByRole('heading', { level: 1, name: 'Cài đặt' }).waitFor();
    const banner = page.getByRole('status').filter({ hasText: 'Đã có phiên bản mới' });
    assert.equal(await banner.count(), 0, 'no banner on the first install');
    const oldCache = Object.keys(await cachedUrls(page)).find((n) => n.startsWith('lophoc-shell-'));

    // "Deploy" a new version: another version line gives another sw.js
    // (and cache name). The server would send the stale .br/.gz copies.
    const swPath = join(dist, 'sw.js');
    const sw = readFileSync(swPath, 'utf8');
    const [, version] = sw.match(VERSION_LINE);
    const next = `${version.slice(0, 12)}beef`;
    assert.notEqual(next, version);
    writeFileSync(swPath, sw.replace(VERSION_LINE, `const VERSION = '${next}';`));
    rmSync(`${swPath}.br`, { force: true });
    rmSync(`${swPath}.gz`, { force: true });

    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await banner.waitFor();
    await page.getByRole('button', { name: 'Tải lại' }).waitFor();
    // The old version still runs the page meanwhile.
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller.state), 'activated');
    const waitingState = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).waiting?.state);
    assert.equal(waitingState, 'installed', 'the new worker waits');

    const height = await page.getByRole('button', { name: 'Tải lại' }).evaluate((b) => b.getBoundingClientRect().height);
    assert.ok(height >= 48, `the button is ${height}px tall`);
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe with the banner');
    await screenshot(page, 'update-banner-360x740');

    // A plain reload does not switch versions: the banner comes back (it
    // finds registration.waiting at start).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Cài đặt' }).waitFor();
    await banner.waitFor();

    // The button: SKIP_WAITING, then one reload under the new worker.
    await page.evaluate(() => { window.lophocBeforeUpdate = true; });
    const reloaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Tải lại' }).click();
    await reloaded;
    await page.getByRole('heading', { level: 1, name: 'Cài đặt' }).waitFor();
    assert.equal(await page.evaluate(() => window.lophocBeforeUpdate), undefined, 'the page was reloaded');
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
    const registration = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return { waiting: r.waiting, installing: r.installing };
    });
    assert.deepEqual(registration, { waiting: null, installing: null });
    assert.equal(await banner.count(), 0, 'the banner is gone');
    const shell = Object.keys(await cachedUrls(page)).filter((n) => n.startsWith('lophoc-shell-'));
    assert.deepEqual(shell, [`lophoc-shell-${next}`], `the old cache ${oldCache} was deleted on activate`);
  });
});
