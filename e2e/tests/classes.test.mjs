// Classes, progress and certificates, end to end in Chromium against the
// real server: a centre admin imports a roster (a bad file first: nothing is
// created), a new trainee changes the initial password, a trainee completes
// the demo course (every lesson read, the assessment passed with a graded
// essay), gets a certificate that the public verify page confirms; the
// lecturer sees it in the class matrix, drills down, exports the matrix,
// revokes the certificate, and the verify page says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import {
  ROOT, startServer, launchContext, screenshot, seriousA11yViolations, logIn, PHONE, PROJECTOR, menu } from '../lib/harness.mjs';

const COURSE = 'can-bo-co-so';
const ASSESSMENT = 'kiem-tra-chuyen-de-1';
// The answer key, read from the course's own file (the page never has it).
const BANK = parse(readFileSync(
  join(ROOT, 'content', COURSE, 'phong-chong-tham-nhung', `${ASSESSMENT}.assessment.toml`), 'utf8',
)).questions;

let server;
let admin; let lecturer; let trainee; let visitor;
let certificateCode;

async function audit(page, what) {
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(violations, [], `${what}: no serious accessibility violation`);
  // Nothing scrolls sideways on a phone (wide tables scroll in their own box).
  const size = page.viewportSize();
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the phone`);
  await page.setViewportSize(size);
}

async function waitSynced(page) {
  await page.locator('.sync-indicator').getByText('Đã đồng bộ', { exact: true }).waitFor({ timeout: 20_000 });
}

before(async () => {
  server = await startServer();
  admin = await launchContext({ viewport: PROJECTOR });
  lecturer = await launchContext({ viewport: PROJECTOR });
  trainee = await launchContext();
  visitor = await launchContext();
});

after(async () => {
  for (const c of [admin, lecturer, trainee, visitor]) await c?.close();
  await server?.stop();
});

const ROSTER_BAD = 'Họ và tên,Ngày sinh,Đơn vị,Chức vụ\n'
  + 'Lò Văn Phúc,12/04/1985,UBND xã Tân Sơn,Công chức địa chính\n'
  + 'Giàng Thị Mai,31/02/1990,Hội Phụ nữ xã,Chi hội trưởng\n';
const ROSTER = 'DANH SÁCH HỌC VIÊN\n'
  + 'Họ và tên,Ngày sinh,Đơn vị,Chức vụ,Số điện thoại\n'
  + 'Lò Văn Phúc,12/04/1985,UBND xã Tân Sơn,Công chức địa chính,0912 345 678\n'
  + 'Giàng Thị Mai,28/02/1990,Hội Phụ nữ xã,Chi hội trưởng,\n'
  + '"Hoàng Văn Sơn",1978-09-02,"Thôn Nà Hang, xã Tân Sơn",Bí thư chi bộ,\n';

let newAccount;

test('a centre admin imports a roster: a bad file creates nothing, a good one prints passwords', async () => {
  const page = await admin.newPage();
  await logIn(page, server.url, 'quantri', 'quantri123');
  await menu(page, 'Lớp học');
  await page.getByRole('link', { name: /Lớp bồi dưỡng cán bộ, đảng viên cơ sở/ }).click();
  await page.getByTestId('class-matrix').waitFor();

  const upload = async (text) => page.locator('#roster-file').setInputFiles({
    name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8'),
  });
  await upload(ROSTER_BAD);
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  const problems = page.getByTestId('roster-problems');
  await problems.getByText('Dòng 3: ngày sinh “31/02/1990” không đúng (viết như 25/03/1980).').waitFor();
  await problems.getByText('Tệp có 1 lỗi; chưa tạo tài khoản nào.', { exact: false }).waitFor();
  assert.equal(await page.getByRole('button', { name: /Tạo tài khoản/ }).count(), 0, 'no import offered');

  await upload(ROSTER);
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await page.getByText('Tệp hợp lệ: 3 học viên.').waitFor();
  await page.getByRole('button', { name: 'Tạo tài khoản cho 3 học viên' }).click();
  const sheet = page.getByTestId('password-sheet');
  await sheet.waitFor();
  const rows = sheet.locator('tbody tr');
  assert.equal(await rows.count(), 3);
  const cells = await rows.first().locator('td').allInnerTexts();
  assert.equal(cells[0], 'Lò Văn Phúc');
  assert.equal(cells[1], '12/04/1985');
  assert.equal(cells[3], 'phuclv');
  assert.match(cells[4], /^[a-z2-9]{10}$/);
  newAccount = { username: cells[3], password: cells[4] };
  // The roster now lists them too.
  await page.locator('.roster').getByText('Hoàng Văn Sơn').waitFor();
  await sheet.scrollIntoViewIfNeeded();
  await screenshot(page, 'roster-import-1280x720');
  await audit(page, 'class page');
});

test('a new trainee is asked to change the initial password, and can', async () => {
  const page = await visitor.newPage();
  // The login goes straight to the password change (issue 14): until the
  // trainee chooses one, the server refuses everything else.
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Tên đăng nhập').fill(newAccount.username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(newAccount.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByTestId('must-change-password').waitFor();
  assert.equal(new URL(page.url()).pathname, '/settings');
  await page.getByLabel('Mật khẩu hiện tại').fill('sai-mat-khau');
  await page.getByLabel('Mật khẩu mới (ít nhất 8 ký tự)').fill('tanson2026');
  await page.getByLabel('Nhập lại mật khẩu mới').fill('tanson2026');
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await page.getByText('Mật khẩu hiện tại không đúng.').waitFor();
  // What was typed is still there; correct the current password only.
  assert.equal(await page.getByLabel('Nhập lại mật khẩu mới').inputValue(), 'tanson2026');
  await page.getByLabel('Mật khẩu hiện tại').fill(newAccount.password);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await page.getByText('Đã đổi mật khẩu.').waitFor();
  await menu(page, 'Đăng xuất', 'button');
  await logIn(page, server.url, newAccount.username, 'tanson2026');
  assert.equal(await page.getByTestId('must-change-password').count(), 0);
  await page.close();
});

/** Answers the question on screen correctly, from the course's answer key. */
async function answerCorrectly(page) {
  const id = await page.locator('.question').getAttribute('data-question');
  const q = BANK.find((b) => b.id === id);
  assert.ok(q, `question ${id} is in the bank`);
  const question = page.locator('.question');
  switch (q.body.kind) {
    case 'single_choice':
    case 'multiple_choice':
      for (const o of q.body.options.filter((o) => o.correct)) {
        await question.locator('label', { hasText: o.text }).click();
      }
      break;
    case 'true_false':
      await question.getByText(q.body.answer ? 'Đúng' : 'Sai', { exact: true }).click();
      break;
    case 'short_answer':
      await question.locator('input[type=text]').fill(q.body.accepted[0]);
      await question.locator('input[type=text]').blur();
      break;
    case 'essay':
      await question.locator('textarea').fill('Ghi lại trung thực điều biết chắc, báo cáo Chủ tịch xã, '
        + 'giữ bí mật cho người phản ánh, phối hợp xác minh và theo dõi kết quả xử lý.');
      await question.locator('textarea').blur();
      break;
    default:
      assert.fail(`unexpected kind ${q.body.kind}`);
  }
}

test('a trainee reads every lesson and passes the assessment', async () => {
  const page = await trainee.newPage();
  await logIn(page, server.url, 'hocvien');
  const outline = await (await page.request.get(`${server.url}/api/courses/${COURSE}`)).json();
  const lessons = outline.modules.flatMap((m) => m.lessons.map((l) => l.id));
  assert.equal(lessons.length, 12);
  for (const lesson of lessons) {
    await page.goto(`${server.url}/courses/${COURSE}/lessons/${lesson}`);
    await page.getByRole('button', { name: 'Đánh dấu đã học xong' }).click();
    await page.locator('.lesson-complete .badge-done').waitFor();
  }
  await page.goto(`${server.url}/`);
  await page.locator('.card').first().getByText('Đã học 12/12 bài · Hoàn thành 92%').waitFor();
  await page.locator('.card').first().getByRole('link', { name: /^Tiếp theo: làm bài kiểm tra/ }).waitFor();

  await page.goto(`${server.url}/courses/${COURSE}/assessments/${ASSESSMENT}`);
  await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  for (let n = 1; n <= 9; n += 1) {
    await page.getByText(`Câu ${n}/9`).waitFor();
    await answerCorrectly(page);
    if (n < 9) await page.getByRole('button', { name: 'Câu tiếp' }).click();
  }
  await page.getByRole('button', { name: 'Nộp bài' }).click();
  await page.locator('.confirm').getByRole('button', { name: 'Nộp bài' }).click();
  await page.getByText('Đã nộp bài.').waitFor();
  await waitSynced(page);
  // Scored on the server: everything right except the essay, which waits.
  await page.goto(`${server.url}/progress`);
  const result = page.getByTestId('course-result');
  await result.getByText(/Chờ giảng viên chấm/).waitFor();
  await result.getByText('Giấy chứng nhận được cấp khi bạn hoàn thành khoá học.').waitFor();
});

test('the lecturer grades the essay; the matrix shows the trainee completed with a certificate', async () => {
  const page = await lecturer.newPage();
  await logIn(page, server.url, 'giangvien', 'giangvien123');
  await page.goto(`${server.url}/grading`);
  const essay = BANK.find((q) => q.body.kind === 'essay');
  for (const c of essay.body.rubric) {
    await page.getByLabel(`${c.description} (tối đa ${c.max_points} điểm)`).fill(String(c.max_points));
  }
  await page.getByRole('button', { name: 'Lưu điểm' }).click();
  await page.getByText('Đã lưu điểm').waitFor();
  await waitSynced(page);

  await page.goto(`${server.url}/classes/1`);
  const matrix = page.getByTestId('class-matrix');
  const row = matrix.locator('tbody tr', { hasText: 'Nguyễn Văn An' });
  await row.getByText('100%', { exact: true }).waitFor({ timeout: 20_000 });
  assert.equal(await row.locator('.status-completed').count(), 4, 'every module completed, in words');
  await row.getByText(/Đạt/).waitFor();
  certificateCode = (await row.locator('a[href^="/certificates/"]').innerText()).trim();
  assert.match(certificateCode, /^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
  const other = matrix.locator('tbody tr', { hasText: 'Phạm Thị Dung' });
  assert.equal(await other.locator('.status-not-started').count(), 4);
  // Question statistics load when the panel is opened.
  assert.equal(await page.locator('table.stats').count(), 0, 'not loaded with the matrix');
  await page.locator('.stats-panel summary').click();
  await page.getByText('Kiểm tra chuyên đề 1: Phòng, chống tham nhũng: 1 học viên đã nộp bài lần đầu').waitFor();
  assert.equal(await page.locator('table.stats tbody tr').count(), 9, 'one row per question drawn');
  await matrix.scrollIntoViewIfNeeded();
  await screenshot(page, 'class-matrix-1280x720');
  await audit(page, 'class matrix');

  // The export holds the same figures, in Vietnamese.
  const csv = await (await page.request.get(`${server.url}/api/classes/1/export.csv`)).text();
  assert.ok(csv.startsWith('\ufeffHọ và tên,Tên đăng nhập'), csv.slice(0, 60));
  const line = csv.split('\r\n').find((l) => l.startsWith('Nguyễn Văn An'));
  assert.match(line, /Hoàn thành \(4\/4\)/);
  assert.ok(line.endsWith(`,Có,${certificateCode}`), line);
  const xlsx = await page.request.get(`${server.url}/api/classes/1/export.xlsx`);
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');

  // Drill down to the trainee's answers.
  await row.getByRole('link', { name: 'Nguyễn Văn An' }).click();
  await page.getByRole('heading', { name: 'Hồ sơ học tập: Nguyễn Văn An' }).waitFor();
  await page.locator('.attempt-record summary').first().click();
  await page.getByText(/Trả lời: Ghi lại trung thực/).waitFor();
  await audit(page, 'trainee record');
});

test('the trainee sees the certificate and can print it; the public page verifies it', async () => {
  const page = await trainee.newPage();
  await page.goto(`${server.url}/progress`);
  await page.getByText('Bạn đã hoàn thành khoá học.').first().waitFor();
  await page.getByRole('link', { name: 'Xem và in giấy chứng nhận' }).click();
  const sheet = page.getByTestId('certificate');
  await sheet.getByText('Nguyễn Văn An').waitFor();
  await sheet.getByText('Trung tâm Chính trị huyện Tân Sơn'.toUpperCase()).waitFor();
  await sheet.getByText(`Số hiệu: ${certificateCode}`).waitFor();
  await screenshot(page, 'certificate-360x740');
  await audit(page, 'certificate');
  // On paper: A4, nothing but the certificate.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'In giấy chứng nhận' }).isVisible(), false);
  await page.emulateMedia({ media: 'screen' });

  // A browser where nobody is logged in.
  const anonymous = await launchContext();
  const pub = await anonymous.newPage();
  await pub.goto(`${server.url}/verify`);
  await pub.getByLabel('Số hiệu').fill(certificateCode.toLowerCase());
  await pub.getByRole('button', { name: 'Kiểm tra' }).click();
  const verdict = pub.getByTestId('verify-result');
  await verdict.getByText('Giấy chứng nhận hợp lệ.').waitFor();
  await verdict.getByText(/Nguyễn Văn An đã hoàn thành chương trình “Bồi dưỡng kiến thức/).waitFor();
  await screenshot(pub, 'verify-360x740');
  await audit(pub, 'verify');
  await pub.goto(`${server.url}/verify/ZZZZZ-ZZZZZ`);
  await pub.getByText('Không có giấy chứng nhận nào mang số hiệu này.').waitFor();
  await anonymous.close();
});

test('the lecturer revokes it with a reason, and the verify page says so', async () => {
  const page = await lecturer.newPage();
  await page.goto(`${server.url}/certificates/${certificateCode}`);
  await page.getByRole('button', { name: 'Thu hồi' }).click();
  await page.getByText('Hãy ghi lý do thu hồi.').waitFor();
  await page.getByLabel('Lý do thu hồi').fill('Cấp nhầm: học viên chưa dự đủ buổi học tập trung.');
  await page.getByRole('button', { name: 'Thu hồi' }).click();
  await page.getByTestId('certificate-revoked').getByText(/Cấp nhầm/).waitFor();

  const anonymous = await launchContext();
  try {
    const pub = await anonymous.newPage();
    await pub.goto(`${server.url}/verify/${certificateCode}`);
    await pub.getByTestId('verify-result').getByText(/đã bị thu hồi .* Lý do: Cấp nhầm/).waitFor();
  } finally {
    await anonymous.close();
  }
});

test("the centre's report counts the class, its trainees and who completed", async () => {
  const page = await admin.newPage();
  await page.goto(`${server.url}/report`);
  const row = page.getByTestId('centre-report').locator('tbody tr').first();
  await row.waitFor();
  const cells = await row.locator('td, th').allInnerTexts();
  assert.deepEqual(cells, [
    'Trung tâm Chính trị huyện Tân Sơn',
    'Bồi dưỡng kiến thức, kỹ năng cho cán bộ, đảng viên cơ sở',
    '1', '5', '1 (20%)', '1 (20%)',
  ]);
  await page.setViewportSize(PHONE);
  await screenshot(page, 'report-360x740');
  await audit(page, 'report');
});
