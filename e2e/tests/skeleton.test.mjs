// The walking skeleton, end to end in Debian's Chromium against the real
// server (fresh database, demo content): a trainee logs in, reads lessons,
// switches language, logs out. axe-core runs on every page; screenshots at
// phone (360×740) and projector (1280×720) width go to e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchContext, screenshot, seriousA11yViolations, PHONE, PROJECTOR, menu } from '../lib/harness.mjs';

let server;
let context;
let page;
const COURSE = '/courses/can-bo-co-so';
const FIRST_LESSON = `${COURSE}/lessons/nhan-dien-tham-nhung`;

before(async () => {
  server = await startServer();
  context = await launchContext();
  page = await context.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  page.on('console', (m) => { if (m.type() === 'error') console.log('CONSOLE', m.text().slice(0, 600)); });
});

after(async () => {
  await context?.close();
  await server?.stop();
});

/** Audits the page with axe and saves phone and projector screenshots. */
async function checkPage(name) {
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(violations, [], `axe on ${name}`);
  // Nothing overflows sideways on a 360 px phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} is ${overflow}px wider than the phone`);
  await screenshot(page, `${name}-360x740`);
  await page.setViewportSize(PROJECTOR);
  await screenshot(page, `${name}-1280x720`);
  await page.setViewportSize(PHONE);
}

/** Every visible control outside running text is at least 44 px tall. */
async function assertTouchTargets(name) {
  const small = await page.evaluate(() => [...document.querySelectorAll('a, button, input')]
    .filter((el) => !el.closest('.lesson-body') && el.offsetParent !== null && !el.classList.contains('skip-link'))
    .map((el) => {
      const box = el.getBoundingClientRect();
      // A checkbox or radio counts with its label, which fills the row.
      const target = el.matches('input[type=checkbox], input[type=radio]') ? el.parentElement.getBoundingClientRect() : box;
      return { text: (el.textContent || el.id).trim().slice(0, 30), height: Math.round(target.height) };
    })
    .filter((t) => t.height < 44));
  assert.deepEqual(small, [], `small touch targets on ${name}`);
}

test('the home page loads in Vietnamese', async () => {
  await page.goto(`${server.url}/`);
  // The start-up screen shows the same welcome before the app starts: wait
  // until the app has replaced it.
  await page.locator('#boot').waitFor({ state: 'detached', timeout: 20_000 });
  await page.getByRole('heading', { level: 1, name: 'Chào mừng đến với Lophoc' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  assert.equal(await page.locator('main').count(), 1, 'one main landmark: the app\'s');
  await checkPage('home');
  await assertTouchTargets('home');
});

test('a wrong password gets a clear Vietnamese message and keeps what was typed', async () => {
  await page.getByRole('main').getByRole('link', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/login$/);
  await page.getByLabel('Tên đăng nhập').fill('hocvien');
  await page.getByLabel('Mật khẩu', { exact: true }).fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  const alert = page.locator('#login-error');
  await alert.getByText('Tên đăng nhập hoặc mật khẩu không đúng').waitFor();
  assert.equal(await page.getByLabel('Tên đăng nhập').inputValue(), 'hocvien');
  assert.equal(await page.getByLabel('Mật khẩu', { exact: true }).inputValue(), 'sai-mat-khau');
  await checkPage('login-error');
  await assertTouchTargets('login');
});

test('an empty form is caught before it is sent', async () => {
  await page.getByLabel('Mật khẩu', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('#login-error').getByText('Vui lòng nhập cả tên đăng nhập và mật khẩu').waitFor();
});

test('the trainee logs in and sees the demo course', async () => {
  await page.getByLabel('Mật khẩu', { exact: true }).fill('hocvien123');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { level: 1, name: 'Xin chào, Nguyễn Văn An' }).waitFor();
  const card = page.locator('.card').first();
  await card.getByText('4 chuyên đề · 12 bài học').waitFor();
  await card.getByText('Đã học 0/12 bài · Hoàn thành 0%').waitFor();
  await card.getByRole('link', { name: 'Học tiếp: Nhận diện hành vi tham nhũng trong công việc ở xã' }).waitFor();
  await checkPage('dashboard');
  await card.getByRole('link', { name: /^Bồi dưỡng/ }).click();
  await page.waitForURL(new RegExp(`${COURSE}$`));
  await page.getByRole('heading', { level: 2, name: 'Các chuyên đề' }).waitFor();
  assert.equal(await page.locator('.card').count(), 4);
  await checkPage('course');
  await assertTouchTargets('course');
});

test('the trainee opens a module and reads a lesson with rich content', async () => {
  await page.locator('.card').first().getByRole('link').click();
  await page.waitForURL(/\/modules\/phong-chong-tham-nhung$/);
  await page.getByText('Chuyên đề 1', { exact: true }).waitFor();
  await checkPage('module');
  await page.locator('.lesson-list a').first().click();
  await page.waitForURL(new RegExp(`${FIRST_LESSON}$`));
  await page.getByRole('heading', { level: 1, name: 'Nhận diện hành vi tham nhũng trong công việc ở xã' }).waitFor();
  const body = page.locator('.lesson-body');
  for (const selector of ['h2', 'ul li', 'blockquote', 'table td', 'img']) {
    assert.ok(await body.locator(selector).count() > 0, `the lesson has ${selector}`);
  }
  // The image really loaded (it needs the session cookie and the right type).
  await page.waitForFunction(() => [...document.querySelectorAll('.lesson-body img')].every((i) => i.complete && i.naturalWidth > 0));
  assert.match(await page.title(), /Nhận diện hành vi tham nhũng/);
  await checkPage('lesson');
  await assertTouchTargets('lesson');
});

test('next and previous lead through the course in order', async () => {
  await page.getByRole('link', { name: /Bài tiếp theo/ }).click();
  await page.waitForURL(/\/lessons\/ke-khai-tai-san-thu-nhap$/);
  await page.getByText('Chuyên đề 1 · Bài 2').waitFor();
  await page.getByRole('link', { name: /Bài trước/ }).click();
  await page.waitForURL(new RegExp(`${FIRST_LESSON}$`));
  await page.getByText('Chuyên đề 1 · Bài 1').waitFor();
  assert.equal(await page.getByRole('link', { name: /Bài trước/ }).count(), 0, 'the first lesson has no previous');
});

test('a deep link to a lesson survives a reload', async () => {
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Nhận diện hành vi tham nhũng trong công việc ở xã' }).waitFor();
});

test('the interface switches to English and back', async () => {
  await menu(page, 'Cài đặt');
  await page.getByRole('heading', { level: 1, name: 'Cài đặt' }).waitFor();
  await page.getByText('Bạn đang đăng nhập với tên Nguyễn Văn An (học viên).').waitFor();
  await checkPage('settings');
  await page.getByLabel('English').check();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByText('You are signed in as Nguyễn Văn An (trainee).').waitFor();
  await checkPage('settings-en');
  // The choice holds across pages and a reload.
  await page.goto(`${server.url}${FIRST_LESSON}`);
  await page.getByText('Module 1 · Lesson 1 · 8 min read').waitFor();
  await page.getByRole('link', { name: /Next lesson/ }).waitFor();
  await checkPage('lesson-en');
  await menu(page, 'Settings');
  await page.getByLabel('Tiếng Việt').check();
  await page.getByRole('heading', { level: 1, name: 'Cài đặt' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
});

test('an unknown page says so in Vietnamese', async () => {
  await page.goto(`${server.url}/khong-co-trang-nay`);
  await page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' }).waitFor();
  await page.goto(`${server.url}${COURSE}/lessons/khong-co-bai-nay`);
  await page.getByText('Không tìm thấy nội dung này.').waitFor();
});

test('logging out ends the session; a lesson link then asks to log in and returns', async () => {
  await page.goto(`${server.url}/`);
  await menu(page, 'Đăng xuất', 'button');
  await page.waitForURL(/\/login$/);
  await page.getByText('Bạn đã đăng xuất.').waitFor();
  const me = await page.evaluate(() => fetch('/api/me').then((r) => r.status));
  assert.equal(me, 401);

  await page.goto(`${server.url}${FIRST_LESSON}`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('Tên đăng nhập').fill('hocvien');
  await page.getByLabel('Mật khẩu', { exact: true }).fill('hocvien123');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(new RegExp(`${FIRST_LESSON}$`));
  await page.getByRole('heading', { level: 1, name: 'Nhận diện hành vi tham nhũng trong công việc ở xã' }).waitFor();
});
