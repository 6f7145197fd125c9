// Browser security and sessions (issue 14), in the real Chromium against the
// real server: every page carries a Content-Security-Policy the app runs
// under without a single violation (the harness fails any test that sees
// one) while an injected script is refused; too many wrong passwords get a
// message that says when to try again; an account whose password was reset
// is taken to the password change, and changing it signs out its other
// devices.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchContext, screenshot, seriousA11yViolations, logIn, menu, takeCspViolations,
  PHONE, PROJECTOR,
} from '../lib/harness.mjs';

let server;
let context;

before(async () => {
  server = await startServer();
  context = await launchContext();
});

after(async () => {
  await context?.close();
  await server?.stop();
});

async function audit(page, what) {
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(violations, [], `${what}: ${violations.join('\n')}`);
}

async function setLanguage(page, label) {
  await page.goto(`${server.url}/settings`);
  await page.getByLabel(label).check();
}

test('pages carry the policy, the app runs under it, an injected script is refused', async () => {
  const page = await context.newPage();
  const response = await page.goto(`${server.url}/`);
  const policy = response.headers()['content-security-policy'];
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+/);
  assert.match(policy, /object-src 'none'/);
  assert.match(policy, /frame-ancestors 'none'/);
  // The app started (its WebAssembly and inline start-up scripts allowed).
  await page.getByRole('link', { name: 'Đăng nhập' }).first().waitFor();
  await page.waitForFunction(() => !document.getElementById('boot'));
  assert.deepEqual(takeCspViolations(), [], 'the app itself breaks no rule');

  // A script someone managed to put into the page does not run, and the
  // harness sees the violation (so any other test would fail on one).
  const ran = await page.evaluate(() => new Promise((done) => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.head.append(script);
    setTimeout(() => done(window.__injected === true), 200);
  }));
  assert.equal(ran, false);
  await page.waitForTimeout(200);
  const seen = takeCspViolations();
  assert.ok(seen.length >= 1, 'the violation was reported');
  assert.match(seen.map((v) => v.text).join('\n'), /script-src|Content Security Policy/);
  await page.close();
});

test('a staff page, built apart, runs under its own inline scripts too', async () => {
  const lecturer = await launchContext({ viewport: PROJECTOR });
  try {
    const page = await lecturer.newPage();
    await logIn(page, server.url, 'giangvien', 'giangvien123');
    const response = await page.goto(`${server.url}/classes`);
    assert.match(response.headers()['content-security-policy'], /'sha256-/);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForFunction(() => !document.getElementById('boot'));
  } finally {
    await lecturer.close();
  }
});

test('too many wrong passwords: the login page says when to try again', async () => {
  const page = await context.newPage();
  await page.setViewportSize(PHONE);
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Tên đăng nhập').fill('quantri');
  // Ten wrong ones are answered (crates/server/src/throttle.rs)…
  for (let n = 0; n < 10; n += 1) {
    await page.getByLabel('Mật khẩu', { exact: true }).fill(`doan-sai-${n}`);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/login')),
      page.getByRole('button', { name: 'Đăng nhập' }).click(),
    ]);
    assert.equal(answer.status(), 401);
    await page.getByText('Tên đăng nhập hoặc mật khẩu không đúng').waitFor();
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
  }
  // Even the right password now waits, and the page says for how long.
  await page.getByLabel('Mật khẩu', { exact: true }).fill('quantri123');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  const alert = page.getByRole('alert');
  await alert.getByText(/Vui lòng thử lại sau \d+ giây\./).waitFor();
  assert.match(await alert.innerText(), /quá nhiều lần/);
  // What was typed stays.
  assert.equal(await page.getByLabel('Tên đăng nhập').inputValue(), 'quantri');
  await screenshot(page, 'login-throttled-360x740');
  await page.setViewportSize(PROJECTOR);
  await screenshot(page, 'login-throttled-1280x720');
  await audit(page, 'throttled login');

  // In English too, and the message follows the language.
  const en = await context.newPage();
  await en.setViewportSize(PROJECTOR);
  await setLanguage(en, 'English');
  await en.goto(`${server.url}/login`);
  await en.getByLabel('Username').fill('quantri');
  await en.getByLabel('Password', { exact: true }).fill('quantri123');
  await en.getByRole('button', { name: 'Log in' }).click();
  await en.getByRole('alert').getByText(/Please try again in \d+ seconds?\./).waitFor();
  await screenshot(en, 'login-throttled-1280x720-en');
  await en.setViewportSize(PHONE);
  await screenshot(en, 'login-throttled-360x740-en');
  await setLanguage(en, 'Tiếng Việt');
  await en.close();
  await page.close();
});

test('a reset account goes to the password change, and changing it signs out its other devices', async () => {
  // The lecturer resets Dung's password from the class page's API.
  const lecturer = await launchContext({ viewport: PROJECTOR });
  const phone = await launchContext();
  const computer = await launchContext({ viewport: PROJECTOR });
  try {
    const staff = await lecturer.newPage();
    await logIn(staff, server.url, 'giangvien', 'giangvien123');
    const initial = await staff.evaluate(async () => {
      const response = await fetch('/api/classes/1/trainees/4/password', { method: 'POST' });
      return (await response.json()).password;
    });
    assert.ok(initial, 'the reset gave a password');

    // Dung signs in on two devices with it: both land on the password change.
    const signIn = async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel('Tên đăng nhập').fill('hocvien2');
      await page.getByLabel('Mật khẩu', { exact: true }).fill(initial);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.getByTestId('must-change-password').waitFor();
      assert.equal(new URL(page.url()).pathname, '/settings');
      return page;
    };
    const onPhone = await signIn(phone);
    const onComputer = await signIn(computer);
    await screenshot(onPhone, 'password-change-required-360x740');
    await screenshot(onComputer, 'password-change-required-1280x720');
    await audit(onPhone, 'password change required');

    // Any other page sends her back here.
    await menu(onPhone, 'Trang chủ');
    await onPhone.getByTestId('must-change-password').waitFor();
    assert.equal(new URL(onPhone.url()).pathname, '/settings');

    // The form is the first thing on the page.
    const first = await onPhone.locator('main h2').first().innerText();
    assert.equal(first, 'Đổi mật khẩu');
    await onPhone.getByLabel('Mật khẩu hiện tại').fill(initial);
    await onPhone.getByLabel('Mật khẩu mới (ít nhất 8 ký tự)').fill('dung-tan-son-2026');
    await onPhone.getByLabel('Nhập lại mật khẩu mới').fill('dung-tan-son-2026');
    await onPhone.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await onPhone.getByText('Các thiết bị khác đang đăng nhập bằng tài khoản này đã được đăng xuất.').waitFor();
    // Free to go on now.
    await menu(onPhone, 'Trang chủ');
    await onPhone.getByRole('heading', { level: 1, name: /Xin chào/ }).waitFor();

    // The other device is signed out.
    const status = await onComputer.evaluate(async () => (await fetch('/api/me')).status);
    assert.equal(status, 401);

    // The same page in English, at the projector's size.
    const en = await computer.newPage();
    await setLanguage(en, 'English');
    await en.goto(`${server.url}/login`);
    await en.getByLabel('Username').fill('hocvien2');
    await en.getByLabel('Password', { exact: true }).fill('dung-tan-son-2026');
    await en.getByRole('button', { name: 'Log in' }).click();
    await en.getByRole('heading', { level: 1, name: /Hello/ }).waitFor();
    // Reset again: that session ends too, and the next login is sent to
    // the password change.
    const again = await staff.evaluate(async () => {
      const response = await fetch('/api/classes/1/trainees/4/password', { method: 'POST' });
      return (await response.json()).password;
    });
    await en.goto(`${server.url}/login`);
    await en.getByLabel('Username').fill('hocvien2');
    await en.getByLabel('Password', { exact: true }).fill(again);
    await en.getByRole('button', { name: 'Log in' }).click();
    await en.getByTestId('must-change-password').waitFor();
    await screenshot(en, 'password-change-required-1280x720-en');
    await en.setViewportSize(PHONE);
    await screenshot(en, 'password-change-required-360x740-en');
    await audit(en, 'password change required (en)');
  } finally {
    await lecturer.close();
    await phone.close();
    await computer.close();
  }
});
