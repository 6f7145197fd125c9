// A branching scenario, end to end in Chromium against the real server:
// opened from its module, played to an ending (debrief, score, the path
// taken), every choice synced as one `scenario_choice` event in order, and a
// new run started again, offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchContext, screenshot, seriousA11yViolations, PROJECTOR, PHONE, logIn } from '../lib/harness.mjs';

const COURSE = '/courses/can-bo-co-so';
const SET = 'tinh-huong-re-nhanh-dat-dai';
let server;
let context;
let page;

before(async () => {
  server = await startServer();
  context = await launchContext();
  page = await context.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
});

after(async () => {
  await context?.close();
  await server?.stop();
});

const login = (username) => logIn(page, server.url, username);

async function audit(name) {
  assert.deepEqual(await seriousA11yViolations(page), [], `axe on ${name}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} overflows the phone by ${overflow}px`);
  await screenshot(page, `${name}-360x740`);
  await page.setViewportSize(PROJECTOR);
  await screenshot(page, `${name}-1280x720`);
  await page.setViewportSize(PHONE);
}

const player = () => page.locator('.scenario-player');

/** Picks a choice at step `n` (1-based) and waits for what follows. */
async function choose(n, choiceId) {
  await player().getByRole('heading', { level: 3, name: `Bước ${n}` }).waitFor();
  const button = player().locator(`button[data-choice="${choiceId}"]`);
  const box = await button.boundingBox();
  assert.ok(box.height >= 48, `choice ${choiceId} is ${box.height}px tall`);
  // A second tap within 400 ms of a choice is ignored on purpose.
  await page.waitForTimeout(450);
  await button.click();
}

/** The `scenario_choice` events the server holds for this trainee. */
async function serverChoices() {
  return page.evaluate(async (set) => {
    const res = await fetch('/api/sync/pull?cursor=0');
    const body = await res.json();
    return body.events
      .map((op) => op.event)
      .filter((e) => e.type === 'scenario_choice' && e.situation_id === set);
  }, SET);
}

async function waitForServerChoices(count) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const events = await serverChoices();
    if (events.length >= count || Date.now() > deadline) return events;
    await page.waitForTimeout(250);
  }
}

// Step ids and choices of one path; `xuong-thuc-dia` is also reached
// directly from the first step.
const PATH = [
  ['nhan-don', 'hua-pha-tuong'],
  ['ong-binh-phan-ung', 'xin-loi'],
  ['xuong-thuc-dia', 'do-dac'],
  ['hoa-giai', 'goi-y-phuong-an'],
  ['sau-hoa-giai', 'lap-bien-ban'],
];

test('a branching scenario is played to an ending and every choice syncs in order', async () => {
  await login('hocvien');
  await page.goto(`${server.url}${COURSE}/modules/ky-nang-dan-van`);
  const item = page.locator('.situation-item', { hasText: 'Bức tường giữa hai nhà' });
  await item.locator('.meta', { hasText: 'Luyện tập · Tình huống rẽ nhánh' }).waitFor();
  await item.getByRole('link').click();

  await page.getByRole('heading', { level: 1, name: 'Bức tường giữa hai nhà' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Tình huống', exact: true }).waitFor();
  assert.equal(await page.getByTestId('answered-count').count(), 0, 'no "answered 0/0" for a set without questions');
  assert.equal(await page.getByRole('heading', { name: 'Định hướng của giảng viên' }).count(), 0);
  await player().getByRole('button', { name: 'Bắt đầu' }).click();

  await player().getByRole('heading', { level: 3, name: 'Bước 1' }).waitFor();
  await player().getByText('Bà Xuân đến xã.').waitFor();
  await player().getByText('Bạn sẽ làm gì?').waitFor();
  await player().locator('.scenario-choices').scrollIntoViewIfNeeded();
  await audit('branching-step');

  for (const [i, [, choice]] of PATH.entries()) {
    await choose(i + 1, choice);
  }

  const ending = player().locator('.scenario-ending');
  await ending.getByRole('heading', { level: 3, name: 'Kết thúc' }).waitFor();
  assert.equal(await ending.getByTestId('scenario-score').innerText(), 'Điểm: 10/10');
  await ending.getByText('Hoà giải thành, tình làng nghĩa xóm được giữ.').waitFor();
  await ending.getByRole('heading', { level: 4, name: 'Con đường bạn đã chọn' }).waitFor();
  const steps = await ending.locator('.scenario-path li').allInnerTexts();
  assert.equal(steps.length, 5, steps.join('\n'));
  assert.match(steps[0], /^Bà Xuân đến xã\.\s+Bạn chọn: Hứa với bà là xã sẽ cho phá bức tường ngay/);
  assert.match(steps[1], /^Ông Bình phản ứng\.\s+Bạn chọn: Nhận là mình đã hứa vội/);
  assert.match(steps[2], /^Xuống tận nơi\./);
  assert.match(steps[3], /^Buổi hoà giải ở xã\./);
  assert.match(steps[4], /^Hai nhà đã thống nhất\.\s+Bạn chọn: Lập biên bản hoà giải thành/);
  // Reaching an ending shows the lecturer's guidance, as answering does.
  await page.getByRole('heading', { name: 'Định hướng của giảng viên' }).waitFor();

  await page.locator('.sync-indicator').getByText('Đã đồng bộ', { exact: true }).waitFor({ timeout: 20_000 });
  const events = await waitForServerChoices(PATH.length);
  assert.deepEqual(events.map((e) => e.step), [0, 1, 2, 3, 4]);
  assert.deepEqual(events.map((e) => [e.step_id, e.choice_id]), PATH);
  assert.equal(new Set(events.map((e) => e.run_id)).size, 1, 'one run');
  assert.ok(events.every((e) => e.course_id === 'can-bo-co-so'));
  await audit('branching-ending');
});

test('starting again is a new run, and it works offline', async () => {
  const [first] = await serverChoices();
  await context.setOffline(true);
  await player().getByRole('button', { name: 'Làm lại từ đầu' }).click();
  await choose(1, 'lang-nghe');
  await choose(2, 'ket-luan-ngay');
  await choose(3, 'mac-ke');
  const ending = player().locator('.scenario-ending');
  assert.equal(await ending.getByTestId('scenario-score').innerText(), 'Điểm: 0/10');
  assert.equal(await ending.locator('.scenario-path li').count(), 3);

  await context.setOffline(false);
  const events = await waitForServerChoices(PATH.length + 3);
  const again = events.filter((e) => e.run_id !== first.run_id);
  assert.deepEqual(again.map((e) => [e.step, e.step_id, e.choice_id]), [
    [0, 'nhan-don', 'lang-nghe'],
    [1, 'xuong-thuc-dia', 'ket-luan-ngay'],
    [2, 'ket-luan-voi', 'mac-ke'],
  ]);
});
