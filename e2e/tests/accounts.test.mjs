// Staff accounts in the browser (issue 14), end to end in Chromium against
// the real server: the province admin adds a centre and its administrator,
// who signs in with the printed password; a centre admin on a phone adds a
// lecturer (who signs in too) and names him reviewer, deactivates a trainee
// who is signed in elsewhere (signed out at once, cannot sign in, her
// results kept) and reactivates her, and resets a password; the province
// admin hands the demo course over and back. axe-core audits every state;
// screenshots at 360×740 and 1280×720, in Vietnamese and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchContext, screenshot, seriousA11yViolations, logIn, menu, PHONE, PROJECTOR,
} from '../lib/harness.mjs';

let server;
let province; let admin; let trainee; let visitor;
// The administrators' pages, kept open from one step to the next.
let provincePage; let adminPage;

async function audit(page, what) {
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(violations, [], `${what}: no serious accessibility violation`);
  const size = page.viewportSize();
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the phone`);
  await page.setViewportSize(size);
}

/** Both sizes of the page as it is now. */
async function shots(page, name) {
  const size = page.viewportSize();
  await page.setViewportSize(PHONE);
  await screenshot(page, `${name}-360x740`);
  await page.setViewportSize(PROJECTOR);
  await screenshot(page, `${name}-1280x720`);
  await page.setViewportSize(size);
}

before(async () => {
  server = await startServer();
  province = await launchContext({ viewport: PROJECTOR });
  admin = await launchContext();
  trainee = await launchContext();
  visitor = await launchContext();
});

after(async () => {
  for (const c of [province, admin, trainee, visitor]) await c?.close();
  await server?.stop();
});

/** The one-time password on `name`'s slip, after an action that makes one. */
async function slip(page, name) {
  const sheet = page.getByTestId('password-slip');
  await sheet.getByRole('heading', { name: `Mật khẩu ban đầu — ${name}` }).waitFor();
  const username = await sheet.getByTestId('slip-username').innerText();
  const password = await sheet.getByTestId('slip-password').innerText();
  assert.match(password, /^[a-z2-9]{10}$/);
  return { username, password };
}

let lan;

/**
 * The first login with a handed-out password: the app goes straight to the
 * password change (the server serves nothing else until then); a new one is
 * chosen.
 */
async function firstLogIn(page, username, current, next) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(current);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByTestId('must-change-password').waitFor();
  await page.getByLabel('Mật khẩu hiện tại').fill(current);
  await page.getByLabel('Mật khẩu mới (ít nhất 8 ký tự)').fill(next);
  await page.getByLabel('Nhập lại mật khẩu mới').fill(next);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await page.getByText('Đã đổi mật khẩu.').waitFor();
}

test('the province admin adds a centre and its administrator, with a password slip to print', async () => {
  const page = await province.newPage();
  provincePage = page;
  await logIn(page, server.url, 'quantritinh', 'quantri123');
  await menu(page, 'Tài khoản');
  await page.getByRole('heading', { level: 1, name: 'Quản lý tài khoản' }).waitFor();
  await page.getByTestId('centres').getByText('Trung tâm Chính trị huyện Tân Sơn').waitFor();

  // An empty name is caught on the page; a new centre is added.
  await page.getByRole('button', { name: 'Thêm trung tâm' }).click();
  await page.getByText('Hãy nhập tên trung tâm (tối đa 120 ký tự).').waitFor();
  await page.getByLabel('Tên trung tâm').fill('Trung tâm Chính trị huyện Thanh Sơn');
  await page.getByRole('button', { name: 'Thêm trung tâm' }).click();
  await page.getByText('Đã thêm Trung tâm Chính trị huyện Thanh Sơn.').waitFor();
  await page.getByTestId('centres').getByRole('heading', { name: 'Trung tâm Chính trị huyện Thanh Sơn' }).waitFor();

  // Its administrator: the username is suggested from the name; a taken
  // one is refused and what was typed stays.
  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Thêm quản trị trung tâm' }) });
  await form.getByLabel('Trung tâm').selectOption({ label: 'Trung tâm Chính trị huyện Thanh Sơn' });
  await form.getByLabel('Họ và tên').fill('Đinh Thị Lan');
  assert.equal(await form.getByLabel('Tên đăng nhập').inputValue(), 'landt');
  await form.getByLabel('Tên đăng nhập').fill('quantri');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await form.getByText('Tên này đã có người dùng. Hãy chọn tên khác.').waitFor();
  assert.equal(await form.getByLabel('Họ và tên').inputValue(), 'Đinh Thị Lan');
  await form.getByLabel('Tên đăng nhập').fill('lan.dt');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  lan = await slip(page, 'Đinh Thị Lan');
  assert.equal(lan.username, 'lan.dt');
  await page.getByTestId('password-slip').getByText('Trung tâm Chính trị huyện Thanh Sơn').waitFor();
  const centre = page.getByTestId('centre').filter({ hasText: 'Thanh Sơn' });
  await centre.getByText('lan.dt · quản trị trung tâm · đang hoạt động · chưa đổi mật khẩu ban đầu').waitFor();
  await page.getByTestId('password-slip').scrollIntoViewIfNeeded();
  await shots(page, 'accounts-province');
  await audit(page, 'accounts page (province)');
});

test('the new administrator signs in with the printed password and is asked to change it', async () => {
  const page = await visitor.newPage();
  await firstLogIn(page, lan.username, lan.password, 'thanhson2026');
  await menu(page, 'Tài khoản');
  await page.getByText(/^Trung tâm Chính trị huyện Thanh Sơn: tạo tài khoản giảng viên/).waitFor();
  await page.getByText('Trung tâm chưa có giảng viên nào.').waitFor();
  await menu(page, 'Đăng xuất', 'button');
  await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
});

test('a centre admin on a phone adds a lecturer and names him reviewer', async () => {
  const page = await admin.newPage();
  adminPage = page;
  await logIn(page, server.url, 'quantri', 'quantri123');
  await menu(page, 'Tài khoản');
  await page.getByTestId('staff').getByRole('heading', { name: 'Trần Thị Bình' }).waitFor();
  await audit(page, 'accounts page (centre)');

  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Thêm giảng viên' }) });
  await form.getByLabel('Họ và tên').fill('Trần Văn Hùng');
  await form.getByLabel('Tên đăng nhập').fill('Hùng');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await form.getByText('Tên đăng nhập chưa đúng quy định bên dưới ô nhập.').waitFor();
  await form.getByLabel('Tên đăng nhập').fill('hung.tv');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  const hung = await slip(page, 'Trần Văn Hùng');
  await page.getByText('Đã tạo tài khoản cho Trần Văn Hùng.').waitFor();
  await page.getByTestId('password-slip').scrollIntoViewIfNeeded();
  await shots(page, 'accounts-centre-slip');
  await audit(page, 'accounts page with a slip');

  const card = page.getByTestId('account').filter({ hasText: 'hung.tv' });
  await card.getByLabel(/Người duyệt bài của trung tâm/).check();
  await page.getByText('Trần Văn Hùng là người duyệt bài của trung tâm.').waitFor();

  // He signs in with the slip and reviews: the queue is his to open.
  const other = await visitor.newPage();
  await firstLogIn(other, hung.username, hung.password, 'hungtv2026');
  await other.goto(`${server.url}/review`);
  await other.getByRole('heading', { level: 1, name: 'Duyệt bài' }).waitFor();
  await other.getByText('Không có bài nào chờ duyệt.').waitFor();
  await menu(other, 'Đăng xuất', 'button');
  await other.close();
});

test('a deactivated trainee is signed out at once and cannot sign in; reactivated, she can', async () => {
  const dung = await trainee.newPage();
  await logIn(dung, server.url, 'hocvien2');

  const page = adminPage;
  await page.getByLabel('Tìm học viên').fill('pham thi');
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  await page.getByText('Có 1 học viên.').waitFor();
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Khoá tài khoản của Phạm Thị Dung' }).click();
  await page.getByText('Đã khoá tài khoản của Phạm Thị Dung. Mọi phiên đăng nhập của người này đã kết thúc.').waitFor();
  await page.getByTestId('trainees').getByText('hocvien2 · học viên · đã khoá').waitFor();
  await shots(page, 'accounts-centre-deactivated');
  await audit(page, 'accounts page after deactivating');

  // Her phone's session has ended: the next call says so.
  await menu(dung, 'Kết quả học tập');
  await dung.getByText('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.').waitFor();
  await dung.goto(`${server.url}/login`);
  await dung.getByLabel('Tên đăng nhập').fill('hocvien2');
  await dung.getByLabel('Mật khẩu', { exact: true }).fill('hocvien123');
  await dung.getByRole('button', { name: 'Đăng nhập' }).click();
  await dung.getByText('Tài khoản này đã bị khoá. Hãy liên hệ quản trị trung tâm.').waitFor();
  await screenshot(dung, 'login-deactivated-360x740');
  assert.deepEqual(await seriousA11yViolations(dung), [], 'login page with the refusal');

  let asked = false;
  const dismiss = (d) => { asked = true; d.dismiss(); };
  page.on('dialog', dismiss);
  await page.getByRole('button', { name: 'Mở lại tài khoản của Phạm Thị Dung' }).click();
  await page.getByText('Đã mở lại tài khoản của Phạm Thị Dung.').waitFor();
  page.off('dialog', dismiss);
  assert.equal(asked, false, 'reactivating asks nothing');
  await dung.getByRole('button', { name: 'Đăng nhập' }).click();
  await dung.getByRole('heading', { level: 1, name: /Xin chào/ }).waitFor();
});

test('a reset password is printed once and the old one stops working', async () => {
  const page = adminPage;
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Cấp lại mật khẩu cho Trần Thị Bình' }).click();
  const binh = await slip(page, 'Trần Thị Bình');
  assert.equal(binh.username, 'giangvien');

  const other = await visitor.newPage();
  await other.goto(`${server.url}/login`);
  await other.getByLabel('Tên đăng nhập').fill('giangvien');
  await other.getByLabel('Mật khẩu', { exact: true }).fill('giangvien123');
  await other.getByRole('button', { name: 'Đăng nhập' }).click();
  await other.getByText(/Tên đăng nhập hoặc mật khẩu không đúng/).waitFor();
  await firstLogIn(other, 'giangvien', binh.password, 'giangvien2026');
  await other.close();
});

test('the accounts page in English', async () => {
  const page = adminPage;
  await menu(page, 'Cài đặt');
  await page.getByLabel('English').check();
  await menu(page, 'Accounts');
  await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
  await page.getByRole('heading', { name: 'Lecturers and administrators' }).waitFor();
  await shots(page, 'accounts-centre-en');
  await audit(page, 'accounts page in English');
  await menu(page, 'Settings');
  await page.getByLabel('Tiếng Việt').check();
});

test('the province admin hands the demo course over, and back', async () => {
  const page = provincePage;
  const course = page.getByTestId('course-owner').first();
  await course.getByText('Đơn vị quản lý: Trung tâm Chính trị huyện Tân Sơn').waitFor();
  await course.getByLabel('Chuyển cho').selectOption({ label: 'Cấp tỉnh' });
  await course.getByRole('button', { name: 'Chuyển giao' }).click();
  await page.getByText(/^Đã chuyển “Bồi dưỡng kiến thức, kỹ năng cho cán bộ, đảng viên cơ sở” cho Cấp tỉnh\.$/).waitFor();
  await course.getByText('Đơn vị quản lý: Cấp tỉnh').waitFor();
  await course.scrollIntoViewIfNeeded();
  await shots(page, 'accounts-course-owner');
  await audit(page, 'course owners');

  // The demo centre's lecturer is no longer offered the course to draft.
  const other = await visitor.newPage();
  await logIn(other, server.url, 'giangvien', 'giangvien2026');
  await other.goto(`${server.url}/authoring`);
  await other.getByRole('heading', { level: 2, name: 'Bản nháp của trung tâm' }).waitFor();
  assert.equal(await other.getByRole('heading', { name: 'Sửa một chương trình đã xuất bản' }).count(), 0);

  // Handed back, it is offered again.
  await course.getByLabel('Chuyển cho').selectOption({ label: 'Trung tâm Chính trị huyện Tân Sơn' });
  await course.getByRole('button', { name: 'Chuyển giao' }).click();
  await course.getByText('Đơn vị quản lý: Trung tâm Chính trị huyện Tân Sơn').waitFor();
  await other.reload();
  await other.getByRole('heading', { name: 'Sửa một chương trình đã xuất bản' }).waitFor();
  await other.close();
});
