// The live class quiz end to end in Chromium against the real server: a
// lecturer on the projector (1280×720) runs three questions — a single
// choice, a true/false and an opinion prompt — for three phones (two
// signed-in trainees and a guest). One phone loses its connection, answers
// offline and is counted when it comes back; one reloads mid-question and is
// still itself. The drop is real: that phone reaches the server through a
// TCP relay the test cuts (Chromium's offline emulation leaves open
// WebSockets alone). Screenshots of the presenter and a phone go to e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { startServer, launchContext, screenshot, seriousA11yViolations, PROJECTOR, logIn, menu } from '../lib/harness.mjs';

let server;
let relay;
const contexts = [];
let lecturer; // the presenter view
let an; // hocvien
let dung; // hocvien2
let guest; // not signed in

const context = async (options) => {
  const c = await launchContext(options);
  contexts.push(c);
  const page = await c.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  return page;
};

/** A TCP relay to the server that can cut every connection, as a network drop does. */
function startRelay(targetUrl) {
  const target = new URL(targetUrl);
  const open = new Set();
  let up = true;
  const srv = createServer((client) => {
    if (!up) { client.destroy(); return; }
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client); open.add(upstream);
    const end = () => { client.destroy(); upstream.destroy(); open.delete(client); open.delete(upstream); };
    client.on('error', end); upstream.on('error', end); client.on('close', end); upstream.on('close', end);
    client.pipe(upstream); upstream.pipe(client);
  });
  return new Promise((ok) => srv.listen(0, '127.0.0.1', () => ok({
    url: `http://127.0.0.1:${srv.address().port}`,
    cut() { up = false; for (const s of open) s.destroy(); open.clear(); },
    restore() { up = true; },
    close() { for (const s of open) s.destroy(); return new Promise((done) => srv.close(done)); },
  })));
}

before(async () => {
  server = await startServer();
  relay = await startRelay(server.url);
  lecturer = await context({ viewport: PROJECTOR });
  an = await context();
  dung = await context();
  guest = await context();
});

after(async () => {
  for (const c of contexts) await c.close();
  await relay?.close();
  await server?.stop();
});

const received = (page) => page.locator('.live-status-ok', { hasText: 'Đã nhận câu trả lời' }).waitFor();
const submit = (page) => page.getByRole('button', { name: 'Gửi câu trả lời' }).click();
const choose = async (page, text) => {
  await page.locator('.live-question .answer-choice label', { hasText: text }).click();
  await submit(page);
};
const fitsProjector = () => lecturer.evaluate(() => [...document.querySelectorAll('.presenter, .presenter-stage')]
  .every((el) => el.scrollHeight <= el.clientHeight && el.scrollWidth <= el.clientWidth));
const control = (name) => lecturer.locator('.presenter-controls').getByRole('button', { name, exact: true }).click();

test('a lecturer runs a three-question live session for three phones', async () => {
  // The lecturer opens a session from chosen questions.
  await logIn(lecturer, server.url, 'giangvien', 'giangvien123');
  await menu(lecturer, 'Phiên trực tiếp');
  await lecturer.getByRole('heading', { name: 'Tạo phiên mới' }).waitFor();
  await lecturer.locator('#pick-tinh-huong-phong-bi-q1').check();
  await lecturer.locator('#pick-tinh-huong-phong-bi-q3').check();
  await lecturer.locator('#pick-thao-luan-hop-thon-q1').check();
  // The leaderboard is the lecturer's choice (issue 19: off until ticked).
  assert.equal(await lecturer.locator('#live-board').isChecked(), false);
  await lecturer.locator('#live-board').check();
  await lecturer.locator('#live-seconds').fill('120');
  await lecturer.getByRole('button', { name: 'Tạo phiên' }).click();
  await lecturer.waitForURL(/\/present\/\d{6}$/);
  const code = lecturer.url().slice(-6);
  await lecturer.locator('.stage-code').waitFor();
  assert.equal((await lecturer.locator('.stage-code').innerText()).replace(/\s/g, ''), code);
  assert.equal(await lecturer.locator('svg.qr path').count(), 1, 'the QR code is drawn');

  // Phones join: by code, by the QR link, and as a guest with a name.
  await logIn(an, server.url, 'hocvien');
  await an.getByRole('link', { name: 'Tham gia phiên trực tiếp' }).click();
  await an.getByLabel('Mã phiên').fill('12345');
  await an.getByRole('button', { name: 'Tham gia' }).click();
  await an.getByText('Mã phiên gồm đúng 6 chữ số.').waitFor();
  await an.getByLabel('Mã phiên').fill(code);
  await an.getByRole('button', { name: 'Tham gia' }).click();
  await an.getByText('Xin chào Nguyễn Văn An!').waitFor();

  await logIn(dung, relay.url, 'hocvien2');
  await dung.goto(`${relay.url}/live/${code}`);
  await dung.getByText('Xin chào Phạm Thị Dung!').waitFor();

  await guest.goto(`${server.url}/live`);
  assert.deepEqual(await seriousA11yViolations(guest), [], 'axe on the join page');
  await guest.goto(`${server.url}/live/${code}`);
  await guest.getByRole('button', { name: 'Tham gia' }).click();
  await guest.getByText('Vui lòng nhập tên từ 1 đến 40 ký tự.').waitFor();
  await guest.getByLabel('Tên hiển thị').fill('Khách   Ba');
  await guest.getByRole('button', { name: 'Tham gia' }).click();
  await guest.getByText('Xin chào Khách Ba!').waitFor();
  await screenshot(guest, 'live-phone-lobby-360x740');

  await lecturer.getByRole('heading', { name: '3 người đã tham gia' }).waitFor();
  for (const name of ['Nguyễn Văn An', 'Phạm Thị Dung', 'Khách Ba']) {
    await lecturer.locator('.stage-names li', { hasText: name }).waitFor();
  }
  assert.deepEqual(await seriousA11yViolations(lecturer), [], 'axe on the presenter lobby');
  await screenshot(lecturer, 'live-presenter-lobby-1280x720');

  // Question 1, single choice.
  await control('Bắt đầu');
  await lecturer.getByText('Câu 1/3').waitFor();
  // The countdown runs (by the server's remaining time, not the phone's clock).
  await lecturer.locator('.stage-countdown', { hasText: /^11\d$/ }).waitFor();
  await an.getByText('Câu 1/3').waitFor();
  await choose(an, 'Cảm ơn tấm lòng của bà');
  await received(an);
  await choose(dung, 'Nhận, vì hồ sơ đã xong');
  await received(dung);
  // The guest reloads mid-question: still the same participant, not counted twice.
  await guest.reload();
  await guest.getByText('Câu 1/3').waitFor();
  await choose(guest, 'Cảm ơn tấm lòng của bà');
  await received(guest);
  await lecturer.getByText('3/3 đã trả lời').waitFor();
  await screenshot(an, 'live-phone-received-360x740');
  await control('Đóng câu hỏi');
  await lecturer.locator('.stage-count').first().waitFor();
  await screenshot(lecturer, 'live-presenter-distribution-1280x720');
  assert.ok(await fitsProjector(), 'the distribution fits 1280×720 without scrolling');
  await control('Hiện đáp án');
  await lecturer.locator('.stage-option-right', { hasText: 'Cảm ơn tấm lòng của bà' }).waitFor();
  assert.match(await lecturer.locator('.stage-option-right .stage-count').innerText(), /^2 lượt$/);
  await lecturer.getByRole('heading', { name: 'Bảng xếp hạng' }).waitFor();
  assert.deepEqual(await seriousA11yViolations(lecturer), [], 'axe on the presenter reveal');
  await screenshot(lecturer, 'live-presenter-reveal-1280x720');
  assert.ok(await fitsProjector(), 'the reveal fits 1280×720 without scrolling');
  await an.locator('.verdict', { hasText: 'Chính xác' }).waitFor();
  await dung.locator('.verdict', { hasText: 'Chưa đúng' }).waitFor();
  await an.getByText(/Hạng 1/).waitFor();
  await screenshot(an, 'live-phone-reveal-360x740');

  // Question 2, true/false. Dung's phone loses its network, answers
  // offline (kept on the phone), and is counted when it comes back.
  await control('Câu tiếp theo');
  await dung.getByText('Câu 2/3').waitFor();
  relay.cut();
  await dung.context().setOffline(true);
  await dung.getByText('Không có mạng: sẽ kết nối lại khi có mạng').waitFor();
  await choose(dung, 'Sai');
  await dung.locator('.live-status-queued').waitFor();
  await screenshot(dung, 'live-phone-queued-360x740');
  relay.restore();
  await dung.context().setOffline(false);
  await received(dung);
  await dung.getByText('Đã kết nối').waitFor();
  await choose(an, 'Đúng');
  await received(an);
  await lecturer.getByText('2/3 đã trả lời').waitFor();
  await control('Hiện đáp án');
  await dung.locator('.verdict', { hasText: 'Chính xác' }).waitFor();
  await guest.getByText('Bạn chưa trả lời câu này.').waitFor();

  // Question 3, an opinion prompt: the wall fills live, without names.
  await control('Câu tiếp theo');
  const views = {
    an: 'Gặp riêng từng hộ còn băn khoăn trước khi họp.',
    dung: 'Công khai khoản thu làm mương năm trước.',
    guest: 'Không nên quy chụp người chưa đồng ý.',
  };
  for (const [page, text] of [[an, views.an], [dung, views.dung], [guest, views.guest]]) {
    await page.getByText('Câu 3/3').waitFor();
    await page.getByLabel('Câu trả lời của bạn').fill(text);
    await submit(page);
    await received(page);
  }
  await screenshot(guest, 'live-phone-opinion-360x740');
  for (const text of Object.values(views)) await lecturer.locator('.wall-card', { hasText: text }).waitFor();
  const wall = await lecturer.locator('.stage-wall').innerText();
  for (const name of ['Nguyễn Văn An', 'Phạm Thị Dung', 'Khách Ba']) assert.ok(!wall.includes(name), `no name on the wall: ${name}`);
  await lecturer.getByRole('button', { name: 'Ẩn ý kiến 3' }).click();
  await lecturer.locator('.wall-hidden').waitFor();
  assert.equal(await lecturer.locator('.wall-card', { hasText: views.guest }).count(), 0, 'a hidden view leaves the screen');
  assert.deepEqual(await seriousA11yViolations(lecturer), [], 'axe on the discussion wall');
  await screenshot(lecturer, 'live-presenter-wall-1280x720');
  assert.ok(await fitsProjector(), 'the wall fits 1280×720 without scrolling');

  // The end: the summary on the projector, thanks on the phones.
  await control('Đóng câu hỏi');
  await control('Tổng kết');
  // Ending asks first (issue 19).
  await lecturer.getByTestId('end-confirm').getByRole('button', { name: 'Có, kết thúc phiên' }).click();
  await lecturer.getByRole('heading', { name: 'Tổng kết phiên' }).waitFor();
  assert.match(await lecturer.locator('.summary-list').innerText(), /3 trả lời · 2 đúng hoàn toàn[\s\S]*2 trả lời · 1 đúng hoàn toàn[\s\S]*3 ý kiến/);
  await screenshot(lecturer, 'live-presenter-summary-1280x720');
  await an.getByText('Phiên đã kết thúc. Cảm ơn bạn đã tham gia!').waitFor();
  assert.ok(await fitsProjector(), 'the summary fits 1280×720 without scrolling');

  // The trainee's attendance and answers reached their own events.
  const types = await an.evaluate(() => fetch('/api/sync/pull?cursor=0').then((r) => r.json())
    .then((p) => p.events.map((e) => e.event.type)));
  assert.ok(types.includes('live_attended'), types.join());
  assert.equal(types.filter((t) => t === 'live_answered').length, 3, types.join());

  // A trainee cannot drive the session.
  await an.goto(`${server.url}/present/${code}`);
  await an.getByText('Chỉ người mở phiên và quản trị trung tâm của họ mới điều khiển được phiên này.').waitFor();
});
