// The pure parts of e2e/bench/pages.mjs (the trainee pages under a mobile
// profile, issue 15): the pages measured, the network and device profile,
// and the arithmetic on what Chromium reports. No browser here, so
// e2e/tests/bench_pages.test.mjs checks it in milliseconds.

/** The demo course the server seeds from content/ (`--demo`). */
export const COURSE = 'can-bo-co-so';

/**
 * The trainee pages, in the order of the table. Ids are the demo course's
 * (content/can-bo-co-so/course.toml): its first module holds the lesson, a
 * situation set and the course's assessment.
 */
export const PAGES = [
  { name: 'home', path: '/', label: 'Home' },
  { name: 'course', path: `/courses/${COURSE}`, label: 'Course outline' },
  { name: 'module', path: `/courses/${COURSE}/modules/phong-chong-tham-nhung`, label: 'Module' },
  { name: 'lesson', path: `/courses/${COURSE}/lessons/nhan-dien-tham-nhung`, label: 'Lesson' },
  { name: 'situation', path: `/courses/${COURSE}/situations/tinh-huong-phong-bi`, label: 'Situation set' },
  { name: 'assessment', path: `/courses/${COURSE}/assessments/kiem-tra-chuyen-de-1`, label: 'Assessment, start page' },
  { name: 'progress', path: '/progress', label: 'Progress' },
  { name: 'live', path: '/live', label: 'Live session, join' },
];

/**
 * The pages named in `list` (names separated by spaces or commas, as in
 * BENCH_PAGES), in table order; every page when `list` is empty. An unknown
 * name is an error, not silently skipped.
 */
export function selectPages(list) {
  const names = String(list ?? '').split(/[\s,]+/).filter(Boolean);
  if (!names.length) return PAGES;
  const unknown = names.filter((n) => !PAGES.some((p) => p.name === n));
  if (unknown.length) {
    throw new Error(`unknown page ${unknown.join(', ')} (known: ${PAGES.map((p) => p.name).join(' ')})`);
  }
  return PAGES.filter((p) => names.includes(p.name));
}

/**
 * Lighthouse 12's mobile profile (its `constants.js` and Lantern's
 * `mobileSlow4G`): a Moto G Power's screen and user agent, CPU slowed ×4,
 * 150 ms round trip, 1.6 Mbit/s down (1,638.4 Kbit/s), 750 Kbit/s up, where
 * Lighthouse's Kbit is 1,024 bits (its own emulation divides by 8 the same
 * way): 209,715.2 B/s down, 96,000 B/s up.
 *
 * `simulated` applies those figures as they are, per request in Chromium's
 * network emulation: the network Lighthouse's default (simulated) mode
 * models, and what issue 15's figures were taken with. `devtools` is what
 * Lighthouse itself applies with `--throttling-method=devtools`: the same
 * figures adjusted for request-level emulation (latency × 3.75 = 562.5 ms,
 * throughput × 0.9), a harsher network.
 */
export const THROTTLING = {
  simulated: { latencyMs: 150, downKbps: 1638.4, upKbps: 750, cpu: 4 },
  devtools: { latencyMs: 150 * 3.75, downKbps: 1638.4 * 0.9, upKbps: 750 * 0.9, cpu: 4 },
};

export const MOBILE = {
  viewport: { width: 412, height: 823 },
  deviceScaleFactor: 1.75,
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36',
};

/** CDP Network.emulateNetworkConditions parameters for a throttling profile. */
export function networkConditions(t) {
  return {
    offline: false,
    latency: t.latencyMs,
    downloadThroughput: (t.downKbps * 1024) / 8,
    uploadThroughput: (t.upKbps * 1024) / 8,
  };
}

/** The median of numbers (the mean of the middle two for an even count). */
export function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Cumulative Layout Shift as Lighthouse (≥ 10) and web-vitals count it: the
 * shifts without recent input (`hadRecentInput`) grouped into session
 * windows — a window ends after a gap of more than 1 s between shifts, or
 * when it would last more than 5 s — and the largest window's sum.
 * `entries`: `{ startTime, value, hadRecentInput }` in ms.
 */
export function clsSessionWindowMax(entries) {
  const shifts = entries.filter((e) => !e.hadRecentInput).sort((a, b) => a.startTime - b.startTime);
  let best = 0;
  let sum = 0;
  let first = -Infinity;
  let prev = -Infinity;
  for (const e of shifts) {
    if (e.startTime - prev > 1000 || e.startTime - first > 5000) {
      sum = 0;
      first = e.startTime;
    }
    sum += e.value;
    prev = e.startTime;
    best = Math.max(best, sum);
  }
  return best;
}

/** Every layout shift without recent input, summed (the pre-2021 CLS). */
export function clsTotal(entries) {
  return entries.filter((e) => !e.hadRecentInput).reduce((sum, e) => sum + e.value, 0);
}

/**
 * The lists in a built /sw.js (scripts/sw-precache.sh): its VERSION, what
 * it precaches on install (PRECACHE) and what it caches once someone signs
 * in (APP). Throws when the file is not a built worker.
 */
export function parseServiceWorker(text) {
  const version = text.match(/^const VERSION = '([^']*)';/m)?.[1];
  const list = (name) => {
    const m = text.match(new RegExp(`^const ${name} = \\[([\\s\\S]*?)\\];`, 'm'));
    if (!m) throw new Error(`sw.js has no ${name} list`);
    return [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]);
  };
  if (!version || version === 'unbuilt') throw new Error('sw.js is not a built service worker (no VERSION)');
  const precache = list('PRECACHE');
  if (!precache.length) throw new Error('sw.js precaches nothing');
  return { version, precache, app: list('APP') };
}

/**
 * The session cookie of a login's `Set-Cookie` header, as a Playwright
 * cookie for `origin` (name, value, and the attributes the server set).
 */
export function sessionCookie(setCookie, origin, name = 'lophoc_session') {
  const line = String(setCookie ?? '').split(/\n|,(?=\s*[A-Za-z0-9_-]+=)/)
    .map((s) => s.trim()).find((s) => s.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie in the login's answer`);
  const [pair, ...attrs] = line.split(';').map((s) => s.trim());
  const attr = (key) => attrs.find((a) => a.toLowerCase().startsWith(key.toLowerCase()));
  const sameSite = attr('samesite=')?.split('=')[1]?.toLowerCase();
  return {
    name,
    value: pair.slice(name.length + 1),
    domain: new URL(origin).hostname,
    path: attr('path=')?.split('=')[1] || '/',
    httpOnly: Boolean(attr('httponly')),
    secure: Boolean(attr('secure')),
    sameSite: sameSite === 'strict' ? 'Strict' : sameSite === 'none' ? 'None' : 'Lax',
    expires: -1,
  };
}
