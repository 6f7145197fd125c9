// Authoring, review and approval, end to end in Chromium against the real
// server: a lecturer starts a new version of the demo course, writes a
// lesson with the toolbar (undo included) and an image, builds a situation
// set with a branching scenario in the form, and submits; the centre admin
// returns it with a comment; the lecturer fixes the lesson — offline, kept
// on the device and sent when back online — and resubmits; the admin
// approves; a trainee sees the new lesson after her next sync.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchContext, screenshot, seriousA11yViolations, logIn, PHONE, PROJECTOR, menu } from '../lib/harness.mjs';

const COURSE = 'can-bo-co-so';
const MODULE = 'phong-chong-tham-nhung';
const LESSON = 'phong-bi-ngay-tet';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let server;
let lecturerContext; let reviewerContext; let traineeContext;
let lecturer; let reviewer; let trainee;

before(async () => {
  server = await startServer();
  lecturerContext = await launchContext({ viewport: PROJECTOR });
  reviewerContext = await launchContext({ viewport: PROJECTOR });
  traineeContext = await launchContext();
  lecturer = await lecturerContext.newPage();
  reviewer = await reviewerContext.newPage();
  trainee = await traineeContext.newPage();
  for (const page of [lecturer, reviewer, trainee]) {
    page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  }
});

after(async () => {
  for (const c of [lecturerContext, reviewerContext, traineeContext]) await c?.close();
  await server?.stop();
});

/** axe, no sideways scrolling on a phone, screenshots at both sizes. */
async function audit(page, name) {
  const size = page.viewportSize();
  await page.setViewportSize(PHONE);
  assert.deepEqual(await seriousA11yViolations(page), [], `axe on ${name}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} overflows the phone by ${overflow}px`);
  await screenshot(page, `authoring-${name}-360x740`);
  await page.setViewportSize(PROJECTOR);
  await screenshot(page, `authoring-${name}-1280x720`);
  await page.setViewportSize(size);
}

const saved = (page) => page.getByTestId('save-state').getByText('Đã lưu', { exact: true }).waitFor({ timeout: 15_000 });

/** Puts the caret at the end of the lesson text. */
async function caretToEnd(page) {
  await page.locator('#lesson-text').evaluate((t) => { t.focus(); t.setSelectionRange(t.value.length, t.value.length); });
}

test('a lecturer writes a lesson with an image and a branching situation set, and submits', async () => {
  // The trainee has the published course on her phone; the new lesson is
  // not in it.
  await logIn(trainee, server.url, 'hocvien');
  await trainee.goto(`${server.url}/courses/${COURSE}`);
  await trainee.getByRole('button', { name: 'Tải về để học khi không có mạng' }).click();
  await trainee.getByText(/Đã tải về máy/).waitFor({ timeout: 20_000 });
  await trainee.goto(`${server.url}/courses/${COURSE}/modules/${MODULE}`);
  await trainee.getByRole('link', { name: /Nhận diện hành vi tham nhũng/ }).waitFor();
  assert.equal(await trainee.getByText('Phong bì ngày Tết').count(), 0);

  await logIn(lecturer, server.url, 'giangvien', 'giangvien123');
  await menu(lecturer, 'Soạn bài');
  await lecturer.getByRole('button', { name: /Soạn bản mới của/ }).click();
  await lecturer.getByTestId('draft-status').getByText('Đang soạn').waitFor();

  // A lesson, added to its module.
  await lecturer.locator('#item-module').selectOption(MODULE);
  await lecturer.locator('#item-title').fill('Phong bì ngày Tết');
  await lecturer.getByRole('button', { name: 'Thêm', exact: true }).click();
  await lecturer.waitForURL(`**/edit/${MODULE}/${LESSON}.md`);
  const text = lecturer.locator('#lesson-text');
  // The front matter is two fields above the text (issue 19).
  await lecturer.locator('#lesson-title').fill('Phong bì ngày Tết');
  await lecturer.locator('#lesson-minutes').fill('4');
  await text.fill('Dịp Tết, một người dân mang phong bì đến tận nhà.\n\n');

  // Toolbar edits undo with Ctrl+Z like typing.
  await caretToEnd(lecturer);
  await lecturer.getByRole('button', { name: 'Đậm' }).click();
  assert.match(await text.inputValue(), /\*\*chữ đậm\*\*$/);
  await lecturer.keyboard.press('Control+z');
  assert.doesNotMatch(await text.inputValue(), /chữ đậm/, 'undo removes the bold text');
  await caretToEnd(lecturer);
  await lecturer.getByRole('button', { name: 'Tiêu đề', exact: true }).click();
  await lecturer.keyboard.type('Cách ứng xử');
  assert.match(await text.inputValue(), /\n## Cách ứng xử\n?/);

  // An image: uploaded, inserted, shown in the preview from the draft.
  await caretToEnd(lecturer);
  await lecturer.getByTestId('image-file').setInputFiles({ name: 'Phong bì.png', mimeType: 'image/png', buffer: PNG });
  await lecturer.waitForFunction(() => document.querySelector('#lesson-text').value.includes('](../media/phong-bi.png)'));
  const preview = lecturer.getByTestId('preview');
  await preview.getByRole('heading', { level: 1, name: 'Phong bì ngày Tết' }).waitFor();
  await preview.locator(`img[src="/api/authoring/drafts/${COURSE}/media/phong-bi.png"]`).waitFor();
  await preview.getByRole('heading', { level: 2, name: 'Cách ứng xử' }).waitFor();
  // Too large an image is refused before upload, in words.
  await lecturer.getByTestId('image-file').setInputFiles({ name: 'lon.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(12 * 1024 * 1024 + 10) });
  await lecturer.getByRole('alert').getByText(/quá giới hạn/).waitFor();
  await saved(lecturer);
  await audit(lecturer, 'lesson-editor');

  // A situation set with a branching scenario, in the form.
  await lecturer.getByRole('link', { name: '← Về bản nháp' }).click();
  await lecturer.locator('#item-module').selectOption(MODULE);
  await lecturer.getByLabel('Bộ câu hỏi tình huống').check();
  await lecturer.locator('#item-title').fill('Quà biếu của doanh nghiệp');
  await lecturer.getByRole('button', { name: 'Thêm', exact: true }).click();
  await lecturer.waitForURL('**/qua-bieu-cua-doanh-nghiep.situation.toml');
  await lecturer.locator('#sf-scenario').fill('Một doanh nghiệp gửi quà đến xã sau khi được cấp phép.');
  await lecturer.locator('#q0-prompt').fill('Cán bộ xã nên làm gì?');
  await lecturer.locator('#q0-o0').fill('Từ chối và báo cáo');
  await lecturer.locator('#q0-o1').fill('Nhận rồi chia cho mọi người');
  // Every kind has its form: an ordering question, items put in order with
  // the arrows, and a true/false statement.
  await lecturer.getByRole('button', { name: 'Thêm câu hỏi' }).click();
  await lecturer.locator('#q1-kind').selectOption('ordering');
  await lecturer.locator('#q1-prompt').fill('Sắp xếp các việc cần làm khi nhận được quà biếu');
  await lecturer.locator('#q1-i0').fill('Từ chối nhận quà');
  await lecturer.locator('#q1-i1').fill('Báo cáo thủ trưởng');
  await lecturer.getByRole('button', { name: 'Thêm mục' }).click();
  await lecturer.locator('#q1-i2').fill('Lập biên bản');
  await lecturer.getByRole('button', { name: 'Đưa mục 3 lên' }).click();
  assert.equal(await lecturer.locator('#q1-i1').inputValue(), 'Lập biên bản');
  assert.equal(await lecturer.locator('#q1-i2').inputValue(), 'Báo cáo thủ trưởng');
  await lecturer.getByRole('button', { name: 'Thêm câu hỏi' }).click();
  await lecturer.locator('#q2-kind').selectOption('true_false');
  await lecturer.locator('#q2-prompt').fill('Quà có giá trị nhỏ thì được nhận.');
  await lecturer.locator('#q2-tf-false').check();
  await lecturer.locator('#q2-ft').fill('Chưa đúng: quà liên quan đến công việc đều không được nhận.');
  for (const size of [PHONE, PROJECTOR]) {
    await lecturer.setViewportSize(size);
    await lecturer.locator('#q1-kind').scrollIntoViewIfNeeded();
    await screenshot(lecturer, `authoring-question-kinds-${size.width}x${size.height}`);
  }
  await lecturer.locator('#sf-branching').check();
  await lecturer.locator('#s0-text').fill('Quà đã đến văn phòng. Bạn làm gì?');
  const step = (n) => lecturer.locator('fieldset.form-step').nth(n);
  await step(0).getByRole('button', { name: 'Thêm lựa chọn' }).click();
  await lecturer.locator('#s0-c0').fill('Trả lại ngay');
  await lecturer.getByRole('button', { name: 'Thêm bước' }).click();
  await lecturer.locator('#s1-text').fill('Doanh nghiệp nài nỉ. Bạn làm gì?');
  await step(0).getByRole('button', { name: 'Thêm lựa chọn' }).click();
  await lecturer.locator('#s0-c1').fill('Để đó, tính sau');
  await lecturer.locator('#s0-n1').selectOption('buoc-2');
  await step(1).getByRole('button', { name: 'Thêm lựa chọn' }).click();
  await lecturer.locator('#s1-c0').fill('Lập biên bản, trả lại');
  await lecturer.locator('#e0-debrief').fill('Đúng quy định: không nhận quà liên quan đến công việc.');
  const graph = lecturer.getByTestId('scenario-graph');
  await graph.getByText('Bước buoc-2').waitFor();
  assert.equal(await graph.getByText('Kết thúc ket-1 (10 điểm)').count(), 2, 'both paths end');
  await saved(lecturer);
  await audit(lecturer, 'situation-form');

  // Checked and submitted.
  await lecturer.getByRole('link', { name: '← Về bản nháp' }).click();
  await lecturer.getByRole('button', { name: 'Kiểm tra lỗi' }).click();
  await lecturer.getByText('Không có lỗi: bản nháp có thể gửi duyệt.').waitFor();
  await lecturer.locator('#submit-note').fill('Bài mới cho chuyên đề 1.');
  await lecturer.getByRole('button', { name: 'Gửi duyệt' }).click();
  await lecturer.getByTestId('draft-status').getByText('Đang chờ duyệt').waitFor();
  await audit(lecturer, 'draft');
});

test('the reviewer returns it with a comment; the lecturer fixes it offline and resubmits', async () => {
  await logIn(reviewer, server.url, 'quantri', 'quantri123');
  await menu(reviewer, 'Soạn bài');
  await reviewer.getByRole('link', { name: 'Bài chờ duyệt' }).click();
  await reviewer.getByRole('link', { name: /Bồi dưỡng kiến thức/ }).click();
  const lessonDiff = reviewer.locator('.diff-file').filter({ hasText: `${MODULE}/${LESSON}.md` });
  await lessonDiff.getByText('Dịp Tết, một người dân mang phong bì đến tận nhà.').waitFor();
  await reviewer.locator('.diff-file').filter({ hasText: 'qua-bieu-cua-doanh-nghiep.situation.toml' }).waitFor();
  await audit(reviewer, 'review');
  await reviewer.getByRole('button', { name: 'Trả lại để sửa' }).click();
  await reviewer.getByRole('alert').getByText('Khi trả lại, hãy viết cần sửa gì.').waitFor();
  await reviewer.locator('#review-comment').fill('Thêm một câu kết luận cho học viên.');
  await reviewer.getByRole('button', { name: 'Trả lại để sửa' }).click();
  await reviewer.getByTestId('review-done').getByText('Đã trả lại cho người soạn.').waitFor();

  await lecturer.reload();
  await lecturer.getByTestId('draft-status').getByText('Bị trả lại để sửa').waitFor();
  await lecturer.getByTestId('reviews').getByText('Thêm một câu kết luận cho học viên.').waitFor();
  // The draft lists lessons by title, in course order (issue 19).
  await lecturer.getByRole('link', { name: 'Phong bì ngày Tết', exact: true }).click();
  await saved(lecturer);
  await lecturerContext.setOffline(true);
  await caretToEnd(lecturer);
  await lecturer.keyboard.type('\nKết luận: không nhận phong bì, báo cáo ngay.');
  await lecturer.getByTestId('save-state').getByText(/Mất mạng: đã giữ trên máy này/).waitFor({ timeout: 15_000 });
  const kept = await lecturer.evaluate((key) => localStorage.getItem(key), `lophoc.draft:${COURSE}:${MODULE}/${LESSON}.md`);
  assert.match(kept, /Kết luận: không nhận phong bì/, 'the edit is kept on the device');
  await lecturerContext.setOffline(false);
  await saved(lecturer);
  await lecturer.getByRole('link', { name: '← Về bản nháp' }).click();
  await lecturer.getByRole('button', { name: 'Gửi duyệt' }).click();
  await lecturer.getByTestId('draft-status').getByText('Đang chờ duyệt').waitFor();
});

test('the reviewer approves and a trainee\'s device gets the new version at her next sync', async () => {
  await reviewer.reload();
  await reviewer.getByText('Kết luận: không nhận phong bì, báo cáo ngay.').first().waitFor();
  await reviewer.getByRole('button', { name: 'Duyệt và xuất bản' }).click();
  await reviewer.getByTestId('review-done').getByText(/Đã duyệt và xuất bản phiên bản 2/).waitFor();

  // Her copy on the device is older: her next sync (the app syncs when it
  // starts) brings it up to the published version without her doing
  // anything, and she reads the new lesson offline.
  await trainee.goto(`${server.url}/courses/${COURSE}`);
  await trainee.locator('[data-testid=download][data-version="2"]').waitFor({ timeout: 30_000 });
  assert.equal(await trainee.getByRole('button', { name: 'Cập nhật bản tải về' }).count(), 0);
  await traineeContext.setOffline(true);
  await trainee.goto(`${server.url}/courses/${COURSE}/modules/${MODULE}`);
  await trainee.getByRole('link', { name: /Phong bì ngày Tết/ }).click();
  await trainee.getByRole('heading', { level: 1, name: 'Phong bì ngày Tết' }).waitFor();
  await trainee.getByText('Kết luận: không nhận phong bì, báo cáo ngay.').waitFor();
  await trainee.locator('.lesson-body img').waitFor();
  await screenshot(trainee, 'authoring-trainee-lesson-360x740');
  // The situation set written in the form, with its ordering and true/false
  // questions, offline too.
  await trainee.goto(`${server.url}/courses/${COURSE}/modules/${MODULE}`);
  await trainee.getByRole('link', { name: /Quà biếu của doanh nghiệp/ }).click();
  await trainee.getByText('Sắp xếp các việc cần làm khi nhận được quà biếu').waitFor();
  await trainee.getByText('Lập biên bản', { exact: true }).first().waitFor();
  await trainee.getByText('Quà có giá trị nhỏ thì được nhận.').waitFor();
  await traineeContext.setOffline(false);
});

test('a newer version saved by someone else is shown beside mine, and I choose', async () => {
  await lecturer.goto(`${server.url}/authoring/${COURSE}/edit/${MODULE}/${LESSON}.md`);
  await saved(lecturer);
  // The centre admin saves the same lesson from another device meanwhile.
  const theirs = await reviewer.evaluate(async ({ course, path }) => {
    const url = `/api/authoring/drafts/${course}/files/${path}`;
    const current = await (await fetch(url)).json();
    const content = `${current.content}\nGhi chú của quản trị.\n`;
    const res = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ base_version: current.version, content }),
    });
    if (!res.ok) throw new Error(`save: ${res.status}`);
    return content;
  }, { course: COURSE, path: `${MODULE}/${LESSON}.md` });
  await caretToEnd(lecturer);
  await lecturer.keyboard.type('\nGhi chú của giảng viên.');
  const conflict = lecturer.getByRole('alert').filter({ hasText: 'Người khác đã lưu bản mới hơn' });
  await conflict.getByText(/Lê Văn Cường đã lưu lúc/).waitFor({ timeout: 15_000 });
  assert.match(await lecturer.getByTestId('conflict-mine').innerText(), /Ghi chú của giảng viên\./);
  assert.match(await lecturer.getByTestId('conflict-theirs').innerText(), /Ghi chú của quản trị\./);
  assert.ok(theirs.includes('Ghi chú của quản trị.'));
  await screenshot(lecturer, 'authoring-conflict-1280x720');
  await lecturer.getByRole('button', { name: 'Giữ bản của tôi' }).click();
  await saved(lecturer);
  await lecturer.getByRole('button', { name: 'Xem lịch sử' }).click();
  const history = lecturer.getByTestId('history');
  await history.getByText(/Lê Văn Cường/).waitFor();
  await history.getByText(/Trần Thị Bình/).first().waitFor();
});

test('a broken link in the draft is reported in Vietnamese, with its file and line, and in English', async () => {
  // The lecturer's lesson links to a lesson the course does not have.
  const path = `${MODULE}/${LESSON}.md`;
  await lecturer.evaluate(async ({ course, path }) => {
    const url = `/api/authoring/drafts/${course}/files/${path}`;
    const current = await (await fetch(url)).json();
    const res = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        base_version: current.version,
        content: `${current.content}\nXem thêm [bài này](bai-khong-co.md).\n`,
      }),
    });
    if (!res.ok) throw new Error(`save: ${res.status}`);
  }, { course: COURSE, path });
  const check = async (button, sentence) => {
    await lecturer.goto(`${server.url}/authoring/${COURSE}`);
    await lecturer.getByRole('button', { name: button }).click();
    const problems = lecturer.getByTestId('problems');
    await problems.getByText(sentence, { exact: true }).waitFor();
    return problems.innerText();
  };
  const vi = await check('Kiểm tra lỗi', 'Liên kết bai-khong-co.md: chương trình không có bài học “bai-khong-co”.');
  assert.match(vi, new RegExp(`${path}, dòng \\d+: Liên kết`), 'the file and its line');
  assert.doesNotMatch(vi, /no lesson|not found|link/i, 'no English in the Vietnamese list');
  await audit(lecturer, 'draft-problems');
  const size = lecturer.viewportSize();
  await lecturer.setViewportSize(PHONE);
  await lecturer.getByTestId('problems').scrollIntoViewIfNeeded();
  await screenshot(lecturer, 'authoring-draft-problems-list-360x740');
  await lecturer.setViewportSize(size);
  await lecturer.evaluate(() => localStorage.setItem('lophoc.lang', 'en'));
  try {
    const en = await check('Check for problems', 'bai-khong-co.md: no lesson “bai-khong-co” in this course.');
    assert.doesNotMatch(en, /bài học|Liên kết/, 'no Vietnamese in the English list');
    await screenshot(lecturer, 'authoring-draft-problems-en-1280x720');
  } finally {
    await lecturer.evaluate(() => localStorage.setItem('lophoc.lang', 'vi'));
  }
});
