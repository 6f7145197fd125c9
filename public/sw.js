// Lophoc service worker: the app shell works with no network at all.
//
// public/sw.js is a template that Trunk does not copy: its post_build hook,
// scripts/sw-precache.sh, writes the served /sw.js into each build, with the
// two marked lines below replaced by that build's file list (index.html, the
// hashed .js/.wasm/.css, the icons, the manifest) and a version hashed from
// the list, the files' contents and the template. Any change to the shell
// therefore gives a new sw.js, which the browser finds on its next update
// check; the page then offers "a new version is ready — reload".
//
// Policy:
// - /api/ is never intercepted and never cached: the browser sends API
//   requests to the network as if there were no worker. (Lessons kept for
//   offline reading are the client store's business, not this file's.)
// - Navigations (any path but /api/) get the precached index.html, the
//   client's router does the rest: CACHE-FIRST. We chose it over
//   network-first because on a slow or flaky mobile link network-first makes
//   every start wait for the network (or for a timeout) before falling back;
//   cache-first starts at once, also with no network at all. It never serves
//   a stale mix: the cached index.html names exactly the hashed files cached
//   beside it. The "background refresh" is the service worker update itself:
//   the browser re-fetches /sw.js (served no-cache) on navigations and when
//   the page asks (hourly, and when the device comes back online), installs
//   the new shell beside the old one, and waits.
// - Staff pages (classes, report, present, bank, grading, authoring, review —
//   the same list as lophoc_core::api::STAFF_PAGES, a server test keeps them
//   in step) are navigations too, but get /staff/index.html: the client build
//   with the lecturers' pages. Trainees never download it: its files (STAFF)
//   are cached only when a page asks ({type: "CACHE_STAFF"}, posted when a
//   lecturer or administrator is signed in, and by the staff build itself),
//   and an update caches them again if the previous version had them. A staff
//   page that is not cached falls back to the network, then to the trainee
//   shell, which tells the user that page needs a connection the first time.
// - The trainees' build is cut into a main module and groups of pages fetched
//   when first opened (README, "Code split by page"). PRECACHE holds what a
//   visitor needs (the main module, the settings and certificate-check
//   group); the other groups (APP: courses and questions, live quiz, sync)
//   are cached when a page asks ({type: "CACHE_APP"}, posted while someone
//   is signed in), and again on updates if the previous version had them.
// - Except the pages the server draws into the document (a trainee's home,
//   a course, module, lesson, situation set, assessment, progress, the live
//   code field:
//   crates/server/src/document.rs, `may_draw`): there a page that reads at once beats
//   the shell, so the network is asked first, but only for a moment
//   (DRAWN_WAIT_MS): a document that comes in time and belongs to this
//   version (it names this version's main module) is served; otherwise,
//   offline, or on a slow link, the cached shell, as for any page, and the
//   network request is cancelled. So a returning device opens a lesson as
//   fast as the network allows and never waits more than that moment, and
//   a newer build on the server never slips in past the update prompt.
//   Nothing of a drawn page is cached: it holds one user's data.
// - Hashed assets and the other precached files: cache-first, network if
//   missing. Anything else is left to the network untouched.
// - A new version never takes over on its own (no skipWaiting at install):
//   the page posts {type: "SKIP_WAITING"} when the user chooses to reload.
// - activate deletes this worker's older shell caches (only names starting
//   with CACHE_PREFIX: other caches belong to other parts of the app).
'use strict';

const VERSION = 'unbuilt'; // __LOPHOC_SW_VERSION__ (replaced at build time)
const PRECACHE = []; // __LOPHOC_SW_PRECACHE__ (replaced at build time)
const APP = []; // __LOPHOC_SW_APP__ (replaced at build time)
const STAFF = []; // __LOPHOC_SW_STAFF__ (replaced at build time)

const CACHE_PREFIX = 'lophoc-shell-';
const CACHE = CACHE_PREFIX + VERSION;
const SHELL = '/index.html';
const STAFF_SHELL = '/staff/index.html';
const STAFF_PAGE = /^\/(accounts|classes|report|present|bank|grading|authoring|review)(\/|$)/;
const PRECACHED = new Set(PRECACHE.concat(APP, STAFF));
// The pages the server may draw (document.rs), and how long to wait for one.
const DRAWN = /^\/(|live|progress|courses\/[^/]+(\/(modules|lessons|situations|assessments)\/[^/]+)?)$/;
const DRAWN_WAIT_MS = 600;
// This version's main module, named by the documents of this version.
const MAIN_MODULE = PRECACHE.find((path) => /_bg\.wasm$/.test(path));
// Trunk's content-hashed names: lophoc-0123456789abcdef_bg.wasm, style-….css,
// and the groups named after them, lophoc-…-split_learning.wasm (the same
// rule as the server's is_hashed_asset; Trunk drops leading zeros).
const HASHED = /-[0-9a-f]{12,}(?:[-._][^/]*)?$/i;
// The courses-and-questions group, always in APP: an older version that had
// it had APP.
const APP_MARK = /-split_learning\.wasm$/;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    await precache(PRECACHE);
    if (APP.length && await olderVersionHad((path) => APP_MARK.test(path))) await precache(APP);
    if (STAFF.length && await olderVersionHad((path) => path === STAFF_SHELL)) await precache(STAFF);
  })());
});

/** True when an older version of this worker had cached a path passing `test`. */
async function olderVersionHad(test) {
  const names = await caches.keys();
  for (const name of names) {
    if (name.startsWith(CACHE_PREFIX) && name !== CACHE) {
      const cache = await caches.open(name);
      const requests = await cache.keys();
      if (requests.some((request) => test(new URL(request.url).pathname))) return true;
    }
  }
  return false;
}

/** Caches `paths` unless this version already holds all of them. */
async function precacheOnce(paths) {
  const cache = await caches.open(CACHE);
  const held = await Promise.all(paths.map((path) => cache.match(path)));
  if (held.some((response) => !response)) await precache(paths);
}

/** Fetches `paths` into this version's cache; any failure fails the whole. */
async function precache(paths) {
  const cache = await caches.open(CACHE);
  await Promise.all(paths.map(async (path) => {
    // Hashed files never change, so the HTTP cache may answer; the others
    // (index.html, manifest, icons) are revalidated with the server.
    const request = new Request(path, { cache: HASHED.test(path) ? 'default' : 'no-cache' });
    const response = await fetch(request);
    if (!response.ok || response.redirected) {
      throw new Error(`precache: ${path} answered ${response.status}`);
    }
    // The server answers unknown paths with index.html: if a deployment
    // replaced the files during this install, do not keep HTML under a
    // script's name (the install fails and is retried on the next check).
    const type = response.headers.get('content-type') || '';
    if (type.startsWith('text/html') && !path.endsWith('.html')) {
      throw new Error(`precache: ${path} is no longer on the server`);
    }
    await cache.put(path, response);
  }));
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    // The first install controls the page that registered it at once (it is
    // the same version); an update only gets here after SKIP_WAITING.
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') {
    self.skipWaiting();
  } else if (event.data && event.data.type === 'CACHE_APP' && APP.length) {
    event.waitUntil(precacheOnce(APP));
  } else if (event.data && event.data.type === 'CACHE_STAFF' && STAFF.length) {
    event.waitUntil(precacheOnce(STAFF));
  }
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The API goes to the network untouched: no respondWith, no cache.
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return;
  if (url.pathname === '/sw.js') return;

  if (request.mode === 'navigate') {
    if (STAFF.length && STAFF_PAGE.test(url.pathname)) {
      event.respondWith(staffShell(request));
      return;
    }
    if (DRAWN.test(url.pathname) && MAIN_MODULE && self.navigator.onLine !== false) {
      event.respondWith(drawnOrShell(request));
      return;
    }
    const path = PRECACHED.has(url.pathname) ? url.pathname : SHELL;
    event.respondWith(fromCache(path, request));
  } else if (PRECACHED.has(url.pathname) || HASHED.test(url.pathname)) {
    event.respondWith(fromCache(url.pathname, request));
  }
});

/** The cached copy of `path`, else the network (before install, or if evicted). */
async function fromCache(path, request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(path, { ignoreVary: true });
  return cached || fetch(request);
}

/**
 * A page the server may draw: its document from the network if it comes
 * within DRAWN_WAIT_MS with the page drawn and this version's files, else
 * the cached shell.
 */
async function drawnOrShell(request) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), DRAWN_WAIT_MS);
  try {
    const response = await fetch(request, { signal: controller.signal });
    const text = response.ok && !response.redirected
      && (response.headers.get('content-type') || '').startsWith('text/html')
      ? await response.text() : '';
    if (text.includes('id="boot-page"') && text.includes(MAIN_MODULE)) {
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
  } catch (error) {
    // Too slow, offline, refused: the shell.
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return fromCache(SHELL, request);
}

/** A staff page: the cached staff build, else the network, else the trainee shell. */
async function staffShell(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(STAFF_SHELL, { ignoreVary: true });
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    const shell = await cache.match(SHELL, { ignoreVary: true });
    if (shell) return shell;
    throw error;
  }
}
