// Records the server can trust, end to end: a free-text answer stops at the
// server's limit while typing and says so in Vietnamese; an op the server
// refuses for good (here one a device must never author, planted in the
// phone's outbox as a tampered app would) does not block the ones after it,
// is listed in the trainee's settings with its reason, and shows in the
// lecturer's view of the trainee.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchContext, screenshot, seriousA11yViolations, logIn, PROJECTOR,
} from '../lib/harness.mjs';

const COURSE = '/courses/can-bo-co-so';
const DISCUSSION = `${COURSE}/situations/thao-luan-hop-thon`;
const LESSON = `${COURSE}/lessons/nhan-dien-tham-nhung`;

let server;
let phone;
let desk;

before(async () => {
  server = await startServer();
  phone = await launchContext();
  desk = await launchContext({ viewport: PROJECTOR });
});

after(async () => {
  await phone?.close();
  await desk?.close();
  await server?.stop();
});

async function audit(page, what) {
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(violations, [], `${what}: ${violations.join('\n')}`);
}

test('an opinion stops at its limit while typing, with a Vietnamese message', async () => {
  const page = await phone.newPage();
  await logIn(page, server.url, 'hocvien');
  await page.goto(`${server.url}${DISCUSSION}`);
  const field = page.locator('.question textarea').first();
  await field.waitFor();
  const hint = page.getByTestId('limit-hint').first();
  await field.fill('Ý kiến ngắn.');
  assert.equal((await hint.innerText()).trim(), '', 'nothing to say far from the limit');
  await field.fill('ý'.repeat(4_600));
  await hint.getByText('Còn 400 ký tự.').waitFor();
  await field.fill('ý'.repeat(6_000));
  assert.equal((await field.inputValue()).length, 5_000, 'the field stops at the limit');
  await hint.getByText('Đã đạt giới hạn 5.000 ký tự.').waitFor();
  await field.scrollIntoViewIfNeeded();
  await screenshot(page, 'opinion-limit-360x740');
  await audit(page, 'opinion at its limit');
  await page.close();
});

test('a refused op is listed in settings and never blocks the next ones', async () => {
  const page = await phone.newPage();
  await page.goto(`${server.url}${LESSON}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  // A tampered app queues a live result of its own making (only the server
  // writes those), then an honest action follows it.
  await page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const req = indexedDB.open('lophoc');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    const user = JSON.parse(await new Promise((ok) => {
      const r = db.transaction('meta').objectStore('meta').get('user');
      r.onsuccess = () => ok(r.result);
    })).id;
    const tx = db.transaction(['meta', 'outbox', 'events'], 'readwrite');
    const meta = tx.objectStore('meta');
    const header = JSON.parse(await new Promise((ok) => {
      const r = meta.get(`device/${user}`);
      r.onsuccess = () => ok(r.result);
    }));
    const seq = header.next_seq;
    const op = {
      op_id: crypto.randomUUID(),
      device_id: header.device_id,
      seq,
      user_id: user,
      client_time_ms: Date.now(),
      schema: 1,
      event: {
        type: 'live_answered', session_id: 'phien-gia', course_id: 'can-bo-co-so',
        situation_id: 'tinh-huong-phong-bi', question_id: 'q1',
        answer: { kind: 'single_choice', option: 'c' }, earned: 100000, max: 100000,
      },
    };
    header.next_seq = seq + 1;
    meta.put(JSON.stringify(header), `device/${user}`);
    tx.objectStore('outbox').put(JSON.stringify(op), `${header.device_id}/${String(seq).padStart(12, '0')}`);
    tx.objectStore('events').put(JSON.stringify(op), `${user}/${op.op_id}`);
    await new Promise((ok) => { tx.oncomplete = ok; });
  });
  await page.getByRole('button', { name: 'Đánh dấu đã học xong' }).click();
  await page.getByText('✓ Đã học xong').waitFor();
  await page.goto(`${server.url}/settings`);
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  const refused = page.getByTestId('refused-ops');
  await refused.getByText('Thay đổi máy chủ không nhận').waitFor({ timeout: 20_000 });
  await refused.getByText(/Trả lời trong phiên học trực tiếp, lúc .*: tài khoản này không được ghi loại thay đổi này/).waitFor();
  await page.getByTestId('sync-pending').getByText('Đã đồng bộ').waitFor({ timeout: 20_000 });
  // The honest action after it reached the server; the forged one did not.
  const events = await page.evaluate(async () => (await (await fetch('/api/sync/pull?cursor=0')).json()).events);
  assert.ok(events.some((e) => e.event.type === 'lesson_completed'), 'the next op synced');
  assert.ok(!events.some((e) => e.event.type === 'live_answered'), 'the forged one is not stored');
  await refused.scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-refused-360x740');
  await audit(page, 'settings with a refused op');
  // In English too.
  await page.getByLabel('English').check();
  await refused.getByText(/Live session answer, at .*: this account may not record this kind of change/).waitFor();
  await page.setViewportSize(PROJECTOR);
  await refused.scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-refused-en-1280x720');
  await page.getByLabel('Tiếng Việt').check();
  await page.close();
});

test('the lecturer sees the refused op in the trainee\'s record', async () => {
  const page = await desk.newPage();
  await logIn(page, server.url, 'giangvien', 'giangvien123');
  await page.goto(`${server.url}/classes/1/trainees/1`);
  await page.getByRole('heading', { name: 'Hồ sơ học tập: Nguyễn Văn An' }).waitFor();
  const list = page.getByTestId('record-refused');
  await list.getByText(/Trả lời trong phiên học trực tiếp, lúc .*: tài khoản này không được ghi loại thay đổi này/).waitFor();
  await list.scrollIntoViewIfNeeded();
  await screenshot(page, 'trainee-record-refused-1280x720');
  await audit(page, 'trainee record with a refused op');
  await page.close();
});
