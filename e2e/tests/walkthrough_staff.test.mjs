// Issue 19, lecturers and admins: a staff home of what they do, a header
// that fits (one row on a phone, one row for an admin at 1280 px), the
// class matrix as cards on a phone, grading that marks the wrong field,
// echoes the total and leads on, grader notes for graders, authoring in
// course order with the lesson's title as a field and text kept in NFC,
// review in the menu with feedback where the action was, the province
// admin reviewing, and a profile line without stray dots. Screenshots at
// 360×740 and 1280×720, in Vietnamese and English, go to e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchContext, screenshot, seriousA11yViolations, logIn, menu, PHONE, PROJECTOR,
} from '../lib/harness.mjs';

const COURSE = 'can-bo-co-so';
const ESSAY = 'Ghi lại trung thực, báo cáo Chủ tịch xã, giữ bí mật người báo tin, theo dõi kết quả xử lý.';
let server;
let trainee; let lecturerContext; let lecturer; let admin; let province;

before(async () => {
  server = await startServer();
  trainee = await (await launchContext()).newPage();
  // The lecturer's phone: a touch screen, no mouse.
  lecturerContext = await launchContext({ isMobile: true, hasTouch: true });
  lecturer = await lecturerContext.newPage();
  admin = await (await launchContext({ viewport: PROJECTOR })).newPage();
  province = await (await launchContext({ viewport: PROJECTOR })).newPage();
  for (const p of [trainee, lecturer, admin, province]) {
    p.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  }
});

after(async () => {
  for (const p of [trainee, lecturer, admin, province]) await p?.context().close();
  await server?.stop();
});

/** axe, no sideways scroll at 360 px, and screenshots at both sizes. */
async function look(page, name) {
  const size = page.viewportSize();
  assert.deepEqual(await seriousA11yViolations(page), [], `axe on ${name}`);
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} is ${overflow}px wider than a phone`);
  await screenshot(page, `${name}-360x740`);
  await page.setViewportSize(PROJECTOR);
  await screenshot(page, `${name}-1280x720`);
  await page.setViewportSize(size);
}

async function english(page, name) {
  await page.evaluate(() => localStorage.setItem('lophoc.lang', 'en'));
  await page.reload();
  await page.locator('html[lang=en]').waitFor();
  await page.locator('main h1, main h2').first().waitFor();
  await look(page, `${name}-en`);
  await page.evaluate(() => localStorage.setItem('lophoc.lang', 'vi'));
  await page.reload();
}

/** A trainee hands in the assessment with the essay written. */
async function handIn(page, username) {
  await logIn(page, server.url, username);
  await page.goto(`${server.url}/courses/${COURSE}/assessments/kiem-tra-chuyen-de-1`);
  await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await page.getByText('Câu 1/9').waitFor();
  while ((await page.locator('.attempt .question textarea').count()) === 0) {
    await page.getByRole('button', { name: 'Câu tiếp' }).click();
  }
  await page.locator('.attempt .question textarea').fill(ESSAY);
  await page.locator('.attempt .question textarea').blur();
  await page.getByRole('button', { name: 'Nộp bài' }).click();
  await page.locator('.confirm').getByRole('button', { name: 'Nộp bài' }).click();
  await page.getByText('Đã nộp bài.').waitFor();
  await page.locator('.sync-indicator[data-state=synced]').waitFor({ timeout: 20_000 });
}

test('two trainees hand in an essay for the queue', async () => {
  await handIn(trainee, 'hocvien');
  const second = await (await launchContext()).newPage();
  second.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  await handIn(second, 'hocvien2');
  await second.context().close();
});

test('16, 17. a lecturer\'s home is what they do; the header is one row on a phone', async () => {
  await logIn(lecturer, server.url, 'giangvien', 'giangvien123');
  const tiles = lecturer.locator('.staff-tiles');
  await tiles.waitFor();
  assert.equal(await lecturer.getByTestId('home-classes').innerText(), 'Lớp học\n1');
  assert.equal(await lecturer.getByTestId('home-grading').innerText(), 'Bài chờ chấm\n2');
  assert.equal(await lecturer.getByTestId('home-live').innerText(), 'Phiên trực tiếp đang mở\n0');
  await lecturer.getByTestId('home-drafts').waitFor();
  const text = await lecturer.locator('main').innerText();
  assert.ok(!/Học tiếp|Đã học \d+\/\d+|Tham gia phiên trực tiếp/.test(text), 'not the trainee\'s home');
  const header = await lecturer.locator('.site-header').boundingBox();
  assert.ok(header.height <= 64, `the lecturer's header is ${header.height}px on a phone`);
  await look(lecturer, 'staff-home');
  await english(lecturer, 'staff-home');
});

test('19, 9. grading marks the wrong field, shows the notes, echoes the total and says the queue is empty', async () => {
  await lecturer.getByTestId('home-grading').click();
  const card = lecturer.locator('.grade-card').first();
  await card.getByText('Học viên: Nguyễn Văn An').waitFor();
  // The grader sees the model answer and the grader-only note.
  await card.locator('.grader-note', { hasText: 'Đủ điểm "trình tự" khi bài nêu được cả bốn bước' }).waitFor();
  await card.locator('.grader-note summary', { hasText: 'Đáp án gợi ý' }).click();
  await card.getByText('Ghi chép trung thực những gì nghe thấy').waitFor();
  const marks = card.locator('input[inputmode=decimal]');
  await marks.nth(0).fill('9');
  await marks.nth(1).fill('2,5');
  await card.getByRole('button', { name: 'Lưu điểm' }).click();
  assert.equal(await marks.nth(0).getAttribute('aria-invalid'), 'true', 'the wrong field is marked');
  assert.equal(await marks.nth(1).getAttribute('aria-invalid'), 'false');
  await card.getByText('Nhập điểm từ 0 đến 4.').waitFor();
  assert.ok(await marks.nth(0).evaluate((el) => el === document.activeElement), 'and takes the focus');
  await look(lecturer, 'grading-field-error');
  await marks.nth(0).fill('3');
  await marks.nth(2).fill('2');
  await card.getByRole('button', { name: 'Lưu điểm' }).click();
  await card.getByText('✓ Đã lưu điểm: 7,5/10').waitFor();
  await lecturer.getByTestId('grading-left').getByText('Còn 1 bài chờ chấm.').waitFor();
  await look(lecturer, 'grading-saved');
  // "Next" brings the other answer up, its first mark focused.
  await card.getByRole('button', { name: 'Chấm bài tiếp theo' }).click();
  const other = lecturer.locator('.grade-card', { hasText: 'Học viên: Phạm Thị Dung' });
  const otherMarks = other.locator('input[inputmode=decimal]');
  await lecturer.waitForFunction(() => document.activeElement?.closest('.grade-card')?.innerText.includes('Phạm Thị Dung'));
  assert.ok(await otherMarks.nth(0).evaluate((el) => el === document.activeElement), 'the next answer\'s first mark has the focus');
  for (let i = 0; i < await otherMarks.count(); i += 1) await otherMarks.nth(i).fill('1');
  await other.getByRole('button', { name: 'Lưu điểm' }).click();
  await other.getByText(/^✓ Đã lưu điểm: \d+\/10$/).waitFor();
  await other.getByTestId('queue-empty').getByText('Đã chấm hết các bài trong hàng đợi.').waitFor();
  await lecturer.getByTestId('grading-left').getByText('Còn 0 bài chờ chấm.').waitFor();

  // A discussion set shows its grader note to staff, beside the question.
  await lecturer.goto(`${server.url}/courses/${COURSE}/situations/thao-luan-hop-thon`);
  await lecturer.locator('.grader-note', { hasText: 'Ghi chú cho người chấm' }).click();
  await lecturer.getByText('Trừ điểm bài chỉ chép lại khẩu hiệu').waitFor();
});

test('18, 22. the class matrix reads on a phone, and a profile line has no stray dots', async () => {
  await menu(lecturer, 'Lớp học');
  await lecturer.getByRole('link', { name: /Lớp bồi dưỡng cán bộ, đảng viên cơ sở/ }).click();
  const list = lecturer.getByTestId('class-matrix-list');
  await list.waitFor();
  assert.equal(await lecturer.getByTestId('class-matrix').isVisible(), false, 'no wide table on a phone');
  const an = list.locator('.matrix-card', { hasText: 'Nguyễn Văn An' });
  await an.locator('.module-status', { hasText: 'Phòng, chống tham nhũng, tiêu cực ở cơ sở' }).waitFor();
  assert.equal(await an.locator('.module-status').count(), 4, 'one line per module, titled');
  // Each card fits in its list, badges included (nothing clipped at the right).
  const outside = await list.evaluate((l) => {
    const edge = l.getBoundingClientRect().right;
    return [...l.querySelectorAll('.matrix-card, .matrix-card .status')]
      .filter((el) => el.getBoundingClientRect().right > edge + 0.5).length;
  });
  assert.equal(outside, 0, 'no card or badge past the list\'s edge');
  await look(lecturer, 'class-matrix-phone');
  await lecturer.setViewportSize(PROJECTOR);
  assert.ok(await lecturer.getByTestId('class-matrix').isVisible(), 'the table from 40rem');
  await lecturer.setViewportSize(PHONE);
  await an.getByRole('link', { name: 'Nguyễn Văn An' }).click();
  const facts = await lecturer.getByTestId('record-facts').innerText();
  assert.ok(!/·\s*·|·\s*$|^\s*·/.test(facts), `no empty fields in "${facts}"`);
  assert.match(facts, /^hocvien/);
});

test('20. authoring shows the course in order; a lesson\'s title is a field; text is kept in NFC', async () => {
  await menu(lecturer, 'Soạn bài');
  await lecturer.getByRole('button', { name: /Soạn bản mới của/ }).click();
  await lecturer.getByTestId('draft-status').getByText('Đang soạn').waitFor();
  const modules = lecturer.locator('.module-heading');
  assert.equal(await modules.first().innerText(), 'Chuyên đề 1: Phòng, chống tham nhũng, tiêu cực ở cơ sở');
  const first = lecturer.getByTestId('outline-module').first().locator('a');
  assert.deepEqual(await first.allInnerTexts(), [
    'Nhận diện hành vi tham nhũng trong công việc ở xã',
    'Kê khai tài sản, thu nhập: hiểu đúng, làm đúng',
    'Khi phát hiện tham nhũng, tiêu cực: làm gì, báo ai?',
    'Chiếc phong bì sau khi làm xong hồ sơ đất',
    'Kiểm tra chuyên đề 1: Phòng, chống tham nhũng',
  ]);
  assert.equal(await lecturer.getByRole('link', { name: 'nhan-dien-tham-nhung.md' }).count(), 0, 'no file names for lessons');
  await look(lecturer, 'draft-outline');

  await lecturer.getByRole('link', { name: 'Nhận diện hành vi tham nhũng trong công việc ở xã' }).click();
  const title = lecturer.locator('#lesson-title');
  assert.equal(await title.inputValue(), 'Nhận diện hành vi tham nhũng trong công việc ở xã');
  assert.equal(await lecturer.locator('#lesson-minutes').inputValue(), '8');
  const body = lecturer.locator('#lesson-text');
  assert.ok((await body.inputValue()).startsWith('## Tham nhũng là gì?'), 'no +++ block in the text');
  // No "Ctrl+Z" on a touch phone.
  assert.equal(await lecturer.locator('.hint-keyboard').isVisible(), false);
  // A keyboard that types tone marks apart: the text becomes NFC.
  await body.evaluate((t) => { t.focus(); t.setSelectionRange(0, 0); });
  await lecturer.keyboard.insertText('Ne\u0302\u0301u ho\u0302\u0300 so\u031b ');
  assert.ok((await body.inputValue()).startsWith('Nếu hồ sơ '), 'precomposed');
  assert.ok(!(await body.inputValue()).includes('\u0301'));
  await title.fill('Nhận diện tham nhũng ở xã');
  await lecturer.getByTestId('save-state').getByText('Đã lưu').waitFor({ timeout: 15_000 });
  const saved = await lecturer.evaluate((c) => fetch(`/api/authoring/drafts/${c}/files/phong-chong-tham-nhung/nhan-dien-tham-nhung.md`)
    .then((r) => r.json()).then((f) => f.content), COURSE);
  assert.ok(saved.startsWith('+++\ntitle = "Nhận diện tham nhũng ở xã"\nminutes = 8\n+++\n\nNếu hồ sơ '), saved.slice(0, 120));
  // (The server keeps NFC whatever a client sends: crates/server/tests/it/authoring.rs.)
  // The editor's text is the interface font, which draws Vietnamese marks.
  assert.ok(!/monospace/.test(await body.evaluate((el) => getComputedStyle(el).fontFamily)));
  await body.evaluate((t) => t.scrollIntoView());
  await look(lecturer, 'lesson-editor-fields');
});

test('21. submitting names the reviewers; review is in the admins\' menu; ticking a reviewer says so', async () => {
  await lecturer.getByRole('link', { name: '← Về bản nháp' }).click();
  await lecturer.getByRole('button', { name: 'Gửi duyệt' }).click();
  const submitted = lecturer.getByTestId('submitted');
  await submitted.waitFor();
  assert.match(await submitted.innerText(), /^Đã gửi duyệt\. Người có thể duyệt: .*Lê Văn Cường/);
  await look(lecturer, 'draft-submitted');

  // 17. A centre admin's header fits one row at 1280 px, with "review" in it.
  await logIn(admin, server.url, 'quantri', 'quantri123');
  const header = await admin.locator('.site-header').boundingBox();
  assert.ok(header.height <= 64, `the admin's header is ${header.height}px at 1280`);
  await admin.locator('#site-menu').getByRole('link', { name: 'Duyệt bài', exact: true }).waitFor();
  assert.equal(await admin.getByTestId('home-reviews').innerText(), 'Bài chờ duyệt\n1');
  await look(admin, 'admin-home');
  await menu(admin, 'Soạn bài');
  // A lecturer has "review" in the menu once named a reviewer, and not after.
  // (The menu is closed on the phone: its links are found in the page, hidden.)
  const lecturerReview = lecturer.locator('#site-menu a[href="/review"]');
  assert.equal(await lecturer.locator('#site-menu a[href="/authoring"]').count(), 1, 'the menu is there');
  assert.equal(await lecturerReview.count(), 0, 'not a reviewer yet');
  await admin.locator('#reviewer-2').check();
  await admin.getByTestId('reviewer-saved').getByText('✓ Đã lưu: Trần Thị Bình được duyệt bài.').waitFor();
  await lecturer.reload();
  await lecturerReview.waitFor({ state: 'attached' });
  await admin.locator('#reviewer-2').uncheck();
  await admin.getByTestId('reviewer-saved').getByText('✓ Đã lưu: Trần Thị Bình không còn duyệt bài.').waitFor();
  await lecturer.reload();
  await lecturer.locator('main h1, main h2').first().waitFor();
  await lecturer.waitForLoadState('networkidle');
  assert.equal(await lecturerReview.count(), 0, 'no longer a reviewer');

  // The province admin reviews every centre's drafts.
  await logIn(province, server.url, 'quantritinh', 'quantri123');
  await menu(province, 'Duyệt bài');
  await province.getByRole('link', { name: /Bồi dưỡng kiến thức/ }).click();
  await province.getByRole('button', { name: 'Trả lại để sửa' }).waitFor();
  await look(province, 'province-review');
  await english(province, 'province-review');
});
