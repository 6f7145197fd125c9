// A trainee page's first screen in the document (crates/server/src/document.rs):
// a shared lesson link opened on a phone that has never run the app (only the
// session cookie, no service worker) reads before the app has arrived, and the
// app then takes the page's place (src/lib.rs, `start`) without moving what the
// trainee reads and without any element there twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchContext, screenshot, seriousA11yViolations, PHONE, PROJECTOR,
} from '../lib/harness.mjs';

const COURSE = '/courses/can-bo-co-so';
const LESSON = `${COURSE}/lessons/nhan-dien-tham-nhung`;
const LESSON_TITLE = 'Nhận diện hành vi tham nhũng trong công việc ở xã';

let server;
/** The session cookie of hocvien, signed in through the real login. */
let session;

before(async () => {
  server = await startServer();
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ username: 'hocvien', password: 'hocvien123' }),
  });
  assert.equal(response.status, 200);
  const [name, value] = response.headers.get('set-cookie').split(';')[0].split('=');
  session = { name, value, url: server.url };
});

after(async () => {
  await server?.stop();
});

/** A fresh phone with only the session cookie (and `cookies`), no service worker. */
async function newPhone(options = {}, cookies = []) {
  const context = await launchContext({ serviceWorkers: 'block', ...options });
  await context.addCookies([session, ...cookies.map((c) => ({ ...c, url: server.url }))]);
  return context;
}

/**
 * Records, every frame while the server's first screen is shown, where each of
 * `selectors` is drawn in it (`#boot-page SEL`); and counts the moments two
 * `<h1>` are in the document at once.
 */
function watchTakeOver(selectors) {
  const rects = (root) => Object.fromEntries(selectors.map((s) => {
    const el = document.querySelector(`${root} ${s}`);
    if (!el) return [s, null];
    const r = el.getBoundingClientRect();
    return [s, [r.x, r.y, r.width, r.height].map(Math.round)];
  }));
  window.__lophocBoot = null;
  window.__lophocTwins = 0;
  window.__lophocRects = rects;
  // Every frame until the app has its page: the first frames may come before
  // the parser has reached the first screen.
  const frame = () => {
    if (document.getElementById('boot-page')) {
      window.__lophocBoot = rects('#boot-page');
    }
    if (document.getElementById('boot') || !document.querySelector('#main h1')) {
      requestAnimationFrame(frame);
    }
  };
  requestAnimationFrame(frame);
  new MutationObserver(() => {
    // The start-up welcome (hidden beside a drawn page) does not count.
    if (document.querySelectorAll('h1:not(#boot-welcome h1)').length > 1) window.__lophocTwins += 1;
  }).observe(document, { childList: true, subtree: true });
}

/** Opens `path` on a fresh phone and checks the app takes over in place. */
async function takesOverInPlace(path, selectors, { lang = 'vi', name } = {}) {
  const cookies = lang === 'vi' ? [] : [{ name: 'lophoc_lang', value: lang }];
  const context = await newPhone({}, cookies);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
    if (lang !== 'vi') {
      await page.addInitScript((l) => localStorage.setItem('lophoc.lang', l), lang);
    }
    await page.addInitScript(watchTakeOver, selectors);
    await page.goto(server.url + path);
    // The app has the page: the start-up screen is gone, its own <main> is there.
    await page.waitForFunction(() => !document.getElementById('boot') && document.querySelector('#main h1'));
    const boot = await page.evaluate(() => window.__lophocBoot);
    assert.ok(boot, `${path}: the document drew no first screen`);
    const app = await page.evaluate((s) => window.__lophocRects('#main'), selectors);
    for (const s of selectors) {
      assert.ok(boot[s], `${path}: ${s} is not in the document's first screen`);
      assert.deepEqual(app[s], boot[s], `${path}: ${s} moved when the app took over`);
    }
    assert.equal(await page.evaluate(() => window.__lophocTwins), 0, `${path}: two <h1> at once`);
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    if (name) {
      assert.deepEqual(await seriousA11yViolations(page), [], `axe on ${name}`);
      await screenshot(page, `${name}-360x740`);
      await page.setViewportSize(PROJECTOR);
      await screenshot(page, `${name}-1280x720`);
      await page.setViewportSize(PHONE);
    }
    return { context, page };
  } catch (error) {
    await context.close();
    throw error;
  }
}

test('a lesson link reads on a phone that has not run the app, with no script at all', async () => {
  const context = await newPhone({ javaScriptEnabled: false });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url + LESSON);
    assert.equal(await page.locator('h1:visible').innerText(), LESSON_TITLE);
    assert.equal(await page.title(), `${LESSON_TITLE} · Lophoc`);
    const body = await page.locator('.lesson-body').innerText();
    assert.ok(body.length > 500, `the lesson's text is in the document (${body.length} characters)`);
    assert.ok(await page.locator('.eyebrow').innerText().then((t) => /CHUYÊN ĐỀ 1 · BÀI 1/i.test(t)));
    assert.equal(await page.getByText('Đang tải…').isVisible(), false, 'no "loading" beside the page');
    await screenshot(page, 'document-lesson-no-app-360x740');
    await page.setViewportSize(PROJECTOR);
    await screenshot(page, 'document-lesson-no-app-1280x720');
  } finally {
    await context.close();
  }
});

test('the app takes over the lesson in place, and works', async () => {
  const { context, page } = await takesOverInPlace(
    LESSON, ['h1', '.breadcrumb', '.eyebrow', '.lesson-body > :first-child'], { name: 'document-lesson' });
  try {
    // The app's own page: "mark as read" records and says so.
    await page.getByRole('button', { name: 'Đánh dấu đã học xong' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã học xong' }).first().waitFor();
  } finally {
    await context.close();
  }
});

test('home, course, module, situation set, assessment, progress and live join: the same', async () => {
  for (const [path, selectors] of [
    [COURSE, ['h1', '.lead', '.course-progress', '.download h2', '.card-list']],
    // Up to the lessons: a lesson read elsewhere is marked once this new
    // device has synced (the server drew it marked), as on any new device.
    [`${COURSE}/modules/phong-chong-tham-nhung`, ['h1', '.breadcrumb', '.lead', 'h2']],
    [`${COURSE}/situations/thao-luan-hop-thon`, ['h1', '.breadcrumb', '.eyebrow', '.scenario']],
    [`${COURSE}/assessments/kiem-tra-chuyen-de-1`, ['h1', '.breadcrumb', '.results h2', '.lesson-body > :first-child', '[data-testid=start-attempt]']],
    ['/progress', ['h1', '.course-result h2', '.percent-bar', '.next-step', '.module-status-list', '.score-list']],
    ['/', ['h1', 'h2', '.card h3', '.card .course-progress', '.card .button-primary', '.card-summary']],
    ['/live', ['h1', 'label', '#live-code', '.live-join-form button']],
  ]) {
    const { context } = await takesOverInPlace(path, selectors);
    await context.close();
  }
});

test('in English when the device reads English', async () => {
  const { context, page } = await takesOverInPlace(
    LESSON, ['h1', '.eyebrow', '.lesson-body > :first-child'], { lang: 'en', name: 'document-lesson-en' });
  try {
    assert.match(await page.locator('.eyebrow').innerText(), /MODULE 1 · LESSON 1/i);
  } finally {
    await context.close();
  }
});

test('a signed-out phone gets the plain start-up screen and the sign-in', async () => {
  const context = await launchContext({ serviceWorkers: 'block' });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const response = await page.goto(server.url + LESSON);
    assert.ok(!(await response.text()).includes(LESSON_TITLE), 'nothing of the lesson without a session');
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  } finally {
    await context.close();
  }
});

test('a live code typed before the app has arrived is kept, and joins', async () => {
  const context = await newPhone();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    // Hold the app back until the code is typed in the drawn field.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
    await page.goto(`${server.url}/live`);
    const field = page.locator('#boot-page #live-code');
    await field.fill('123 456');
    assert.equal(await page.locator('#boot-page button[type=submit]').isDisabled(), true, 'the drawn button waits for the app');
    release();
    await page.waitForFunction(() => !document.getElementById('boot'));
    assert.equal(await page.locator('#live-code').inputValue(), '123 456');
    await page.getByRole('button', { name: 'Tham gia' }).click();
    // No session 123456 is running: the app says so (it joined with what was typed).
    await page.waitForURL(/\/live\/123456$/);
  } finally {
    await context.close();
  }
});
