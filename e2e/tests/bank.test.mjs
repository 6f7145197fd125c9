// A lecturer imports a GIFT question bank: the report names each problem
// by line, nothing is imported until asked, the valid part can be imported,
// and the bank downloads as GIFT. Oversized files get a clear message. The
// Excel template downloads and imports whole.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchContext, screenshot, seriousA11yViolations, menu } from '../lib/harness.mjs';

let server;
let context;
let page;

const GIFT = [
  '$CATEGORY: Phòng chống tham nhũng',
  '',
  '::phong-bi:: Cán bộ địa chính có được nhận phong bì "cảm ơn" sau khi giải quyết xong hồ sơ không? {',
  '=Không, phải từ chối và báo cáo #Đúng: đây là quà tặng không được nhận.',
  '~Được, vì việc đã xong #Chưa đúng.',
  '}',
  '',
  '::ke-khai:: Kê khai tài sản trung thực giúp bảo vệ chính người kê khai. {T}',
  '',
  '::hong:: Câu này thiếu dấu đóng ngoặc {=Một ~Hai',
  '',
].join('\n');

before(async () => {
  server = await startServer();
  context = await launchContext();
  page = await context.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Tên đăng nhập').fill('giangvien');
  await page.getByLabel('Mật khẩu', { exact: true }).fill('giangvien123');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { level: 1, name: /Xin chào/ }).waitFor();
});

after(async () => {
  await context?.close();
  await server?.stop();
});

test('a GIFT file with a broken question is reported by line and imports nothing by itself', async () => {
  await menu(page, 'Ngân hàng câu hỏi');
  await page.getByText('Ngân hàng chưa có câu hỏi nào.').waitFor();
  await page.getByLabel('Chọn tệp câu hỏi (.txt, .gift)').setInputFiles({
    name: 'cau-hoi.gift', mimeType: 'text/plain', buffer: Buffer.from(GIFT, 'utf8'),
  });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await page.getByTestId('import-summary').getByText('Đọc được 2 câu hỏi; 1 chỗ không nhập được:').waitFor();
  await page.getByText('Dòng 10: Dấu { ở dòng này không có dấu } đóng lại.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Nhập tất cả' }).count(), 0);
  assert.deepEqual(await seriousA11yViolations(page), []);
  await screenshot(page, 'bank-report-360x740');
  // Checking imported nothing.
  const before = await page.evaluate(() => fetch('/api/bank').then((r) => r.json()));
  assert.equal(before.length, 0);
});

test('the valid part imports on request and exports as GIFT', async () => {
  await page.getByRole('button', { name: 'Chỉ nhập 2 câu hợp lệ' }).click();
  await page.getByText('Đã nhập 2 câu hỏi vào ngân hàng.').waitFor();
  await page.locator('.bank-list li').nth(1).waitFor();
  const gift = await page.evaluate(() => fetch('/api/bank/export.gift').then((r) => r.text()));
  assert.match(gift, /::phong-bi::/);
  assert.match(gift, /Kê khai tài sản trung thực/);
});

test('an oversized file is refused with a clear message, before any upload', async () => {
  await page.getByLabel('Chọn tệp câu hỏi (.txt, .gift)').setInputFiles({
    name: 'lon.gift', mimeType: 'text/plain', buffer: Buffer.alloc(600 * 1024, 'a'),
  });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await page.getByText(/Tệp quá lớn\. Dung lượng tối đa là 524 KB\./).waitFor();
});

test('the Excel template downloads, checks clean and imports whole', async () => {
  await page.getByRole('link', { name: 'Tải tệp mẫu Excel' }).waitFor();
  const template = await page.evaluate(async () => {
    const r = await fetch('/api/bank/template.xlsx');
    return {
      status: r.status,
      type: r.headers.get('content-type'),
      disposition: r.headers.get('content-disposition'),
      bytes: Array.from(new Uint8Array(await r.arrayBuffer())),
    };
  });
  assert.equal(template.status, 200);
  assert.equal(template.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(template.disposition, /mau-cau-hoi\.xlsx/);
  assert.equal(String.fromCharCode(...template.bytes.slice(0, 2)), 'PK', 'a ZIP, as XLSX files are');

  await page.getByLabel('Excel (XLSX)').check();
  await page.getByLabel('Chọn tệp Excel (.xlsx)').setInputFiles({
    name: 'mau-cau-hoi.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(template.bytes),
  });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await page.getByTestId('import-summary').getByText('Đọc được 5 câu hỏi, không có lỗi.').waitFor();
  assert.equal(await page.locator('.problem-list li').count(), 0);
  const before = await page.evaluate(() => fetch('/api/bank').then((r) => r.json()));
  assert.equal(before.length, 2, 'checking imported nothing');
  assert.deepEqual(await seriousA11yViolations(page), []);
  await screenshot(page, 'bank-xlsx-report-360x740');

  await page.getByRole('button', { name: 'Nhập tất cả' }).click();
  await page.getByText('Đã nhập 5 câu hỏi vào ngân hàng.').waitFor();
  await page.locator('.bank-list li').nth(6).waitFor();
  const bank = await page.evaluate(() => fetch('/api/bank').then((r) => r.json()));
  assert.deepEqual(
    bank.filter((q) => q.id.startsWith('mau-')).map((q) => q.kind).sort(),
    ['essay', 'multiple_choice', 'short_answer', 'single_choice', 'true_false'],
  );
});

test('a file that is not a workbook gets a clear message', async () => {
  await page.getByLabel('Chọn tệp Excel (.xlsx)').setInputFiles({
    name: 'khong-phai.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('không phải Excel', 'utf8'),
  });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await page.getByRole('alert').getByText(/Không đọc được tệp Excel\./).waitFor();
});

test('trainees have no question bank', async () => {
  const trainee = await launchContext();
  try {
    const p = await trainee.newPage();
    await p.goto(`${server.url}/login`);
    await p.getByLabel('Tên đăng nhập').fill('hocvien');
    await p.getByLabel('Mật khẩu', { exact: true }).fill('hocvien123');
    await p.getByRole('button', { name: 'Đăng nhập' }).click();
    await p.getByRole('heading', { level: 1, name: /Xin chào/ }).waitFor();
    const status = await p.evaluate(() => fetch('/api/bank').then((r) => r.status));
    assert.equal(status, 403);
  } finally {
    await trainee.close();
  }
});
