// Issue 19, the live session: letters on the phone as on the projector, the
// situation on both screens, a leaderboard that stays as chosen, right or
// wrong said clearly with the trainee's own marks, ending only after a
// question, ended sessions apart, a wrong code and no network said as they
// are, and ends with a personal result and somewhere to go. Screenshots of
// the phone (360×740) and the projector (1280×720), in Vietnamese and
// English, go to e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchContext, screenshot, seriousA11yViolations, logIn, menu, PROJECTOR,
} from '../lib/harness.mjs';

let server;
const contexts = [];
let lecturer; // the projector
let phone; // hocvien
let code;

const context = async (options) => {
  const c = await launchContext(options);
  contexts.push(c);
  const page = await c.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  return page;
};

before(async () => {
  server = await startServer();
  lecturer = await context({ viewport: PROJECTOR });
  phone = await context();
});

after(async () => {
  for (const c of contexts) await c.close();
  await server?.stop();
});

const control = (name) => lecturer.locator('.presenter-controls').getByRole('button', { name, exact: true }).click();
const fitsProjector = () => lecturer.evaluate(() => [...document.querySelectorAll('.presenter, .presenter-stage')]
  .every((el) => el.scrollHeight <= el.clientHeight && el.scrollWidth <= el.clientWidth));

test('14. the leaderboard box stays as the lecturer leaves it', async () => {
  await logIn(lecturer, server.url, 'giangvien', 'giangvien123');
  await menu(lecturer, 'Phiên trực tiếp');
  await lecturer.getByRole('heading', { name: 'Tạo phiên mới' }).waitFor();
  const board = lecturer.locator('#live-board');
  assert.equal(await board.isChecked(), false);
  await lecturer.locator('#pick-tinh-huong-phong-bi-q1').check();
  await lecturer.locator('#pick-tinh-huong-phong-bi-q3').check();
  assert.equal(await board.isChecked(), false, 'picking a scored question does not tick it');
  await board.check();
  await lecturer.locator('#live-seconds').fill('120');
  await lecturer.getByRole('button', { name: 'Tạo phiên' }).click();
  await lecturer.waitForURL(/\/present\/\d{6}$/);
  code = lecturer.url().slice(-6);
});

test('15. a wrong code is not a lost connection; offline, joining says so', async () => {
  await logIn(phone, server.url, 'hocvien');
  await phone.goto(`${server.url}/live/000000`);
  await phone.getByText('Không tìm thấy phiên với mã này', { exact: false }).waitFor();
  assert.equal(await phone.getByText('Mất kết nối, đang kết nối lại…').count(), 0);
  assert.equal(await phone.locator('.live-conn').count(), 0, 'no connection line for a session that does not exist');
  // Offline, before joining.
  await phone.goto(`${server.url}/live`);
  await phone.context().setOffline(true);
  await phone.getByLabel('Mã phiên').fill(code);
  await phone.getByRole('button', { name: 'Tham gia' }).click();
  await phone.getByTestId('live-offline').getByText(/^Không có mạng nên chưa vào được phiên/).waitFor();
  await screenshot(phone, 'live-phone-offline-360x740');
  await phone.context().setOffline(false);
  await phone.getByText('Xin chào Nguyễn Văn An!').waitFor({ timeout: 20_000 });
});

test('10, 13. letters and the situation on the phone as on the projector', async () => {
  await control('Bắt đầu');
  await phone.getByText('Câu 1/2').waitFor();
  const letters = await phone.locator('.live-question .option-letter').allInnerTexts();
  assert.deepEqual(letters.map((l) => l.trim()), ['A.', 'B.', 'C.', 'D.']);
  // Screen readers hear the letter with the option.
  await phone.getByRole('radio', { name: /^A\. / }).waitFor();
  const projector = await lecturer.locator('.stage-letter').allInnerTexts();
  assert.deepEqual(projector, ['A', 'B', 'C', 'D']);
  // The same option under the same letter on both screens.
  const phoneFirst = await phone.locator('.live-question .answer-choice label').first().innerText();
  assert.equal(`A. ${await lecturer.locator('.stage-option').first().locator('.stage-text').innerText()}`, phoneFirst);
  // The scenario, not only its title.
  const scenario = 'Anh Tuấn là công chức địa chính của xã Tân Sơn';
  assert.ok(await phone.locator('.live-scenario .lesson-body', { hasText: scenario }).isVisible());
  assert.ok(await lecturer.locator('.stage-scenario-side .lesson-body', { hasText: scenario }).isVisible());
  assert.deepEqual(await seriousA11yViolations(phone), [], 'axe on the phone question');
  await screenshot(phone, 'live-phone-question-360x740');
  await screenshot(lecturer, 'live-presenter-question-1280x720');
  assert.ok(await fitsProjector(), 'the question with its situation fits 1280×720');
});

test('12. after the reveal, a wrong answer is said clearly, with the trainee\'s marks', async () => {
  await phone.locator('.live-question .answer-choice label', { hasText: 'Nhận, vì hồ sơ đã xong' }).click();
  await phone.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  await phone.locator('.live-status-ok', { hasText: 'Đã nhận câu trả lời' }).waitFor();
  await control('Hiện đáp án');
  const verdict = phone.getByTestId('live-verdict');
  await verdict.waitFor();
  assert.match(await verdict.innerText(), /✗\s*Chưa đúng[\s\S]*Bạn được 0\/1 điểm ở câu này\./);
  assert.ok((await verdict.getAttribute('class')).includes('verdict-box-incorrect'));
  // Brought into view under the header, not left above the screen.
  await phone.waitForFunction(() => {
    const top = document.querySelector('[data-testid=live-verdict]').getBoundingClientRect().top;
    return top >= document.querySelector('.site-header').getBoundingClientRect().bottom - 1 && top < window.innerHeight / 2;
  }, null, { timeout: 5_000 });
  assert.equal(await phone.locator('.live-status-ok').count(), 0, 'no green "received" above it');
  await phone.getByText(/^Đáp án đúng: [A-D]\. Cảm ơn tấm lòng của bà/).waitFor();
  await screenshot(phone, 'live-phone-wrong-360x740');
  assert.ok(await fitsProjector(), 'the reveal fits 1280×720');
});

test('11. ending asks first, and an ended session leaves the open list', async () => {
  await control('Câu tiếp theo');
  await phone.getByText('Câu 2/2').waitFor();
  await control('Kết thúc phiên');
  const ask = lecturer.getByTestId('end-confirm');
  await ask.getByText(/^Kết thúc phiên cho tất cả mọi người\?/).waitFor();
  assert.deepEqual(await seriousA11yViolations(lecturer), [], 'axe on the confirmation');
  await screenshot(lecturer, 'live-presenter-end-confirm-1280x720');
  await ask.getByRole('button', { name: 'Huỷ' }).click();
  await phone.getByText('Câu 2/2').waitFor();
  assert.equal(await phone.getByTestId('live-ended').count(), 0, 'nothing ended');
  await phone.locator('.live-question .answer-choice label').first().click();
  await phone.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  await control('Hiện đáp án');
  await control('Tổng kết');
  await lecturer.getByTestId('end-confirm').getByRole('button', { name: 'Có, kết thúc phiên' }).click();
  await lecturer.getByRole('heading', { name: 'Tổng kết phiên' }).waitFor();
});

test('15. both ends of an ended session say what happened and where to go', async () => {
  const mine = phone.getByTestId('live-mine');
  await mine.waitFor();
  await mine.getByText('Bạn đã trả lời 2/2 câu.').waitFor();
  await mine.getByText(/^Trả lời đúng [0-2]\/2 câu có chấm điểm\.$/).waitFor();
  assert.equal(await phone.getByText('Đã kết nối').count(), 0, 'no "connected" after the end');
  await phone.getByTestId('live-ended').getByRole('link', { name: 'Về trang chủ' }).waitFor();
  assert.deepEqual(await seriousA11yViolations(phone), [], 'axe on the phone end');
  await screenshot(phone, 'live-phone-ended-360x740');
  for (const name of ['Mở phiên mới', 'Xem lớp học', 'Về trang chủ']) {
    await lecturer.locator('.stage-summary').getByRole('link', { name }).waitFor();
  }
  await screenshot(lecturer, 'live-presenter-summary-actions-1280x720');
  assert.ok(await fitsProjector(), 'the summary fits 1280×720');
  // In English too.
  for (const p of [phone, lecturer]) {
    await p.evaluate(() => localStorage.setItem('lophoc.lang', 'en'));
    await p.reload();
  }
  await phone.getByTestId('live-mine').getByText('You answered 2 of 2 questions.').waitFor();
  await lecturer.locator('.stage-summary').getByRole('link', { name: 'Open a new session' }).waitFor();
  await screenshot(phone, 'live-phone-ended-en-360x740');
  await screenshot(lecturer, 'live-presenter-summary-en-1280x720');
  for (const p of [phone, lecturer]) {
    await p.evaluate(() => localStorage.setItem('lophoc.lang', 'vi'));
  }
  // The ended session is listed apart from the open ones.
  await lecturer.goto(`${server.url}/present`);
  await lecturer.getByRole('heading', { name: 'Tạo phiên mới' }).waitFor();
  assert.equal(await lecturer.getByTestId('open-sessions').count(), 0, 'not under "open"');
  const ended = lecturer.getByTestId('ended-sessions');
  await ended.getByText('Phiên đã kết thúc (1)').click();
  await ended.getByRole('link', { name: new RegExp(`^${code} — `) }).waitFor();
  assert.deepEqual(await seriousA11yViolations(lecturer), [], 'axe on the sessions page');
});
