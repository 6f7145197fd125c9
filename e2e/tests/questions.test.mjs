// Situation questions and assessments, end to end in Chromium against the
// real server: a practice set with feedback, a discussion where classmates'
// views appear without names, and an assessment that survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchContext, screenshot, seriousA11yViolations, PROJECTOR, PHONE } from '../lib/harness.mjs';

const COURSE = '/courses/can-bo-co-so';
let server;
let an;     // hocvien
let dung;   // hocvien2
let page;

before(async () => {
  server = await startServer();
  an = await launchContext();
  dung = await launchContext();
  page = await an.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
});

after(async () => {
  await an?.close();
  await dung?.close();
  await server?.stop();
});

async function login(p, username) {
  await p.goto(`${server.url}/login`);
  await p.getByLabel('Tên đăng nhập').fill(username);
  await p.getByLabel('Mật khẩu', { exact: true }).fill('hocvien123');
  await p.getByRole('button', { name: 'Đăng nhập' }).click();
  await p.getByRole('heading', { level: 1, name: /Xin chào/ }).waitFor();
}

async function audit(name) {
  assert.deepEqual(await seriousA11yViolations(page), [], `axe on ${name}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} overflows the phone by ${overflow}px`);
  await screenshot(page, `${name}-360x740`);
  await page.setViewportSize(PROJECTOR);
  await screenshot(page, `${name}-1280x720`);
  await page.setViewportSize(PHONE);
}

test('a practice set gives feedback and explanations, and remembers answers', async () => {
  await login(page, 'hocvien');
  await page.goto(`${server.url}${COURSE}/modules/phong-chong-tham-nhung`);
  await page.getByRole('heading', { name: 'Câu hỏi tình huống' }).waitFor();
  await page.getByRole('heading', { name: 'Bài kiểm tra' }).waitFor();
  await page.locator('.situation-item a').click();
  await page.getByRole('heading', { level: 2, name: 'Tình huống' }).waitFor();
  await page.getByText('Đã trả lời 0/5').waitFor();

  const first = page.locator('.question').first();
  // Submitting nothing is caught and nothing is recorded.
  await first.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  await first.getByText('Vui lòng chọn hoặc nhập câu trả lời trước khi gửi.').waitFor();
  await first.locator('.answer-choice label').first().click();
  await first.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  await first.locator('.verdict').waitFor();
  assert.match(await first.locator('.verdict').innerText(), /^(Chính xác|Chưa đúng|Đúng một phần)$/);
  await first.getByText('Giải thích').waitFor();
  await page.getByText('Đã trả lời 1/5').waitFor();

  // The ordering question: move an item with the buttons, then submit.
  const orderingId = await page.locator('.question', { has: page.locator('.ordering') }).getAttribute('data-question');
  const ordering = page.locator(`.question[data-question="${orderingId}"]`);
  await ordering.locator('.ordering-item').nth(1).getByRole('button', { name: /^Lên/ }).click();
  await ordering.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  await ordering.locator('.verdict').waitFor();

  // The short answer: typed without tone marks is accepted where allowed.
  const shortId = await page.locator('.question', { has: page.locator('input[type=text]') }).getAttribute('data-question');
  const short = page.locator(`.question[data-question="${shortId}"]`);
  await short.getByLabel('Câu trả lời của bạn').fill('vu loi');
  await short.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  await short.locator('.verdict').waitFor();
  await page.getByText('Đã trả lời 3/5').waitFor();
  await audit('practice-set');

  await page.waitForTimeout(300); // let the last write finish before reloading
  await page.reload();
  await page.getByText('Đã trả lời 3/5').waitFor();
  assert.equal(await page.locator('.question .verdict').count(), 3, 'answers and results are remembered');
});

test('a discussion shows classmates\' views without names, then the guidance', async () => {
  const other = await dung.newPage();
  await login(other, 'hocvien2');
  await other.goto(`${server.url}${COURSE}/situations/thao-luan-hop-thon`);
  const theirs = other.locator('.question').first();
  await theirs.getByLabel('Câu trả lời của bạn').fill('Cần nghe bà con nói hết rồi mới bàn cách làm.');
  await theirs.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  await theirs.getByText('Đã lưu câu trả lời.').waitFor();
  await other.locator('.sync-indicator').getByText('Đã đồng bộ', { exact: true }).waitFor({ timeout: 20_000 });

  await page.goto(`${server.url}${COURSE}/situations/thao-luan-hop-thon`);
  assert.equal(await page.locator('.others').count(), 0, 'others are hidden before answering');
  const mine = page.locator('.question').first();
  await mine.getByLabel('Câu trả lời của bạn').fill('Minh bạch việc đóng góp, làm theo ý kiến số đông.');
  await mine.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  const others = page.locator('.others');
  await others.getByText('Cần nghe bà con nói hết rồi mới bàn cách làm.').waitFor({ timeout: 20_000 });
  const text = await others.innerText();
  assert.ok(!text.includes('Minh bạch việc đóng góp'), 'my own answer is not listed as a classmate\'s');
  assert.ok(!text.includes('Phạm Thị Dung') && !text.includes('hocvien2'), 'no names');
  await page.getByRole('heading', { name: 'Định hướng của giảng viên' }).waitFor();
  await audit('discussion');
});

test('an assessment survives a reload midway, then scores on submission', async () => {
  await page.goto(`${server.url}${COURSE}/assessments/kiem-tra-chuyen-de-1`);
  await page.getByText(/8 câu · 15 phút · đạt từ 70%/).waitFor();
  await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await page.getByText('Câu 1/8').waitFor();
  await page.getByRole('timer').getByText(/Còn lại 1[45]:\d\d/).waitFor();
  await page.locator('.question .answer-choice label').first().click();
  await page.getByRole('button', { name: 'Câu tiếp' }).click();
  await page.getByText('Câu 2/8').waitFor();
  const prompt2 = await page.locator('.question-prompt').innerText();
  await page.locator('.question .answer-choice label').first().click();
  await audit('assessment-attempt');
  await page.waitForTimeout(300);

  await page.reload();
  await page.getByText('Câu 1/8').waitFor();
  assert.equal(await page.locator('.question input:checked').count(), 1, 'the first answer is back');
  await page.getByRole('button', { name: 'Câu tiếp' }).click();
  assert.equal(await page.locator('.question-prompt').innerText(), prompt2, 'same questions, same order');
  assert.ok(await page.locator('.question input:checked').count() >= 1, 'the second answer is back');

  await page.getByRole('button', { name: 'Nộp bài' }).click();
  await page.getByText('Bạn còn 6 câu chưa trả lời. Bạn có chắc muốn nộp bài?').waitFor();
  await page.locator('.confirm').getByRole('button', { name: 'Nộp bài' }).click();
  await page.getByText('Đã nộp bài.').waitFor();
  const result = page.getByTestId('attempt-result').first();
  await result.getByText(/Lần 1: \d+% \([\d,]+\/[\d,]+ điểm\)/).waitFor({ timeout: 20_000 });
  await result.locator('.attempt-status').getByText(/^(Đạt|Chưa đạt)$/).waitFor({ timeout: 20_000 });
  await result.getByText('Xem lại bài làm').click();
  await result.getByText(/Đáp án đúng:/).first().waitFor();
  await audit('assessment-result');
});
