// Issue 19, the trainee on a 360×740 phone: every step says what happened
// and what to do next. The header (one row, a menu, sticky, sync inside),
// practice feedback, assessments (open each question at its top, resume
// where one was, a grid of what is unanswered), results and review, the end
// of a set, offline (progress derived on the device, results kept, "sync
// now", signing out and in again), numbers that agree, a lesson on a small
// screen, and grader notes that trainees never receive. Screenshots in
// Vietnamese and English at 360×740 and 1280×720 go to e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchContext, screenshot, seriousA11yViolations, logIn, menu, PHONE, PROJECTOR,
} from '../lib/harness.mjs';

const COURSE = '/courses/can-bo-co-so';
const PRACTICE = `${COURSE}/situations/tinh-huong-phong-bi`;
const DISCUSSION = `${COURSE}/situations/thao-luan-hop-thon`;
const ASSESSMENT = `${COURSE}/assessments/kiem-tra-chuyen-de-1`;
const LESSON_1 = `${COURSE}/lessons/nhan-dien-tham-nhung`;
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

/** axe, no sideways scroll on the phone, and screenshots at both sizes
 * (with `subject`, if given, scrolled into view at each). */
async function look(name, subject = null) {
  assert.deepEqual(await seriousA11yViolations(page), [], `axe on ${name}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} is ${overflow}px wider than the phone`);
  const shoot = async (size) => {
    await page.setViewportSize(size);
    if (subject) await subject.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, `${name}-${size.width}x${size.height}`);
  };
  await shoot(PHONE);
  await shoot(PROJECTOR);
  await page.setViewportSize(PHONE);
}

/** The same in English (`again` brings the view back after the reload),
 * then back to Vietnamese. */
async function lookInEnglish(name, again = async () => {}) {
  await page.evaluate(() => localStorage.setItem('lophoc.lang', 'en'));
  await page.reload();
  await page.locator('html[lang=en]').waitFor();
  await page.locator('main h1').first().waitFor();
  const subject = await again();
  await look(`${name}-en`, subject ?? null);
  await page.evaluate(() => localStorage.setItem('lophoc.lang', 'vi'));
  await page.reload();
  await page.locator('html[lang=vi]').waitFor();
}

const headerBox = () => page.locator('.site-header').boundingBox();

/** Waits until the service worker controls the page (reloading once if needed). */
async function controlled() {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  }
}

test('1. the header is one row on a phone, sticky, with the sync status and a keyboard menu', async () => {
  await logIn(page, server.url, 'hocvien');
  const header = await headerBox();
  assert.ok(header.height <= 64, `the header is ${header.height}px tall`);
  assert.equal(await page.locator('.site-header .sync-indicator').count(), 1, 'sync status inside the header');
  // Sign-out is not a tab: it sits in the menu, closed.
  assert.equal(await page.getByRole('button', { name: 'Đăng xuất' }).isVisible(), false);
  const toggle = page.getByRole('button', { name: 'Menu' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  // By keyboard: focus the button, open with Enter, close with Escape.
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.locator('#site-menu').getByRole('button', { name: 'Đăng xuất' }).waitFor();
  await screenshot(page, 'header-menu-open-360x740');
  assert.deepEqual(await seriousA11yViolations(page), [], 'axe with the menu open');
  await page.keyboard.press('Escape');
  await page.locator('.menu-toggle[aria-expanded=false]').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('menu-toggle')), true, 'focus back on the button');
  // A link in the menu closes it.
  await menu(page, 'Kết quả học tập');
  await page.waitForURL(/\/progress$/);
  await page.locator('.menu-toggle[aria-expanded=false]').waitFor();
  // Sticky: scrolled down, the header is still at the top.
  await page.goto(`${server.url}${LESSON_1}`);
  await page.locator('.lesson-body').waitFor();
  await page.evaluate(() => window.scrollTo(0, 1500));
  assert.equal(Math.round((await headerBox()).y), 0, 'the header stays in view');
  // Offline the status still fits the one row.
  await page.locator('.sync-indicator[data-state=synced]').waitFor({ timeout: 20_000 });
  await context.setOffline(true);
  await page.locator('.sync-indicator[data-state=offline]').waitFor();
  assert.ok((await headerBox()).height <= 64, 'still one row offline');
  await context.setOffline(false);
  await page.locator('.sync-indicator[data-state=synced]').waitFor({ timeout: 20_000 });
  // From 64rem the links are a row and the button is gone.
  await page.setViewportSize(PROJECTOR);
  assert.equal(await toggle.isVisible(), false);
  assert.ok(await page.locator('#site-menu').getByRole('link', { name: 'Cài đặt' }).isVisible());
  await page.setViewportSize(PHONE);
});

test('2. practice: the verdict in colour and words, the choices marked with their feedback, brought into view', async () => {
  await page.goto(`${server.url}${PRACTICE}`);
  const q1 = page.locator('.question').nth(0);
  await q1.locator('.answer-choice label', { hasText: 'Nhận, vì hồ sơ đã xong' }).click();
  // Scrolled far down before answering: the verdict comes to the top.
  await q1.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  const box = q1.locator('.verdict-box-incorrect');
  await box.waitFor();
  assert.match(await box.locator('.verdict').innerText(), /✗\s*Chưa đúng/);
  const colour = await box.evaluate((el) => getComputedStyle(el).backgroundColor);
  const chosen = q1.locator('.option-mark.mark-wrong');
  assert.equal(await chosen.count(), 1, 'the chosen option is shown, marked wrong');
  assert.match(await chosen.innerText(), /Nhận, vì hồ sơ đã xong[\s\S]*Bạn chọn · chưa đúng[\s\S]*Quà "cảm ơn"/);
  assert.match(await q1.locator('.option-mark.mark-missed').innerText(), /Cảm ơn tấm lòng của bà[\s\S]*Đáp án đúng, bạn chưa chọn/);
  const top = await q1.locator('.question-result').evaluate((el) => el.getBoundingClientRect().top);
  const headerBottom = (await headerBox()).height;
  assert.ok(top >= headerBottom - 1 && top < headerBottom + 40, `the result starts at ${top}px, under the header`);
  assert.ok(await q1.locator('.question-result').evaluate((el) => el === document.activeElement), 'the result has the focus');

  // Multiple choice, partly right: the marks are explained.
  const q2 = page.locator('.question').nth(1);
  for (const text of ['Bà Lan là người vừa có hồ sơ', 'Sang năm anh còn tham gia đo đạc', 'Vì một triệu đồng là số tiền lớn']) {
    await q2.locator('.answer-choice label', { hasText: text }).click();
  }
  await q2.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  const partial = q2.locator('.verdict-box-partial');
  await partial.waitFor();
  assert.notEqual(await partial.evaluate((el) => getComputedStyle(el).backgroundColor), colour, 'partly right looks different from wrong');
  await partial.getByText('Bạn chọn 2/3 phương án đúng và 1 phương án sai. Mỗi phương án đúng được cộng 0,66 điểm, mỗi phương án sai bị trừ 0,66 điểm.').waitFor();
  assert.equal(await q2.locator('.option-mark.mark-right').count(), 2);
  assert.equal(await q2.locator('.option-mark.mark-wrong').count(), 1);
  await look('practice-feedback', q2.locator('.question-result'));
});

test('5. the end of a practice set sums it up and offers the next step', async () => {
  const remaining = page.locator('.question', { has: page.getByRole('button', { name: 'Gửi câu trả lời' }) });
  assert.equal(await page.getByTestId('set-end').count(), 0, 'no summary before the end');
  while (await remaining.count() > 0) {
    const id = await remaining.first().getAttribute('data-question');
    const q = page.locator(`.question[data-question="${id}"]`);
    if (await q.locator('.answer-choice label').count() > 0) {
      await q.locator('.answer-choice label').first().click();
    } else if (await q.locator('.fill-blanks').count() > 0) {
      for (const gap of await q.locator('.fill-blanks input').all()) await gap.fill('2018');
      for (const gap of await q.locator('.fill-blanks select').all()) await gap.selectOption({ index: 1 });
    } else if (await q.locator('input[inputmode=decimal]').count() > 0) {
      await q.locator('input[inputmode=decimal]').fill('1.000.000');
    } else if (await q.locator('input[type=text]').count() > 0) {
      await q.locator('input[type=text]').fill('vụ lợi');
    }
    await q.getByRole('button', { name: 'Gửi câu trả lời' }).click();
    await q.locator('.question-result').waitFor();
  }
  const end = page.getByTestId('set-end');
  await end.waitFor();
  await end.getByText('Đã trả lời cả 7 câu.').waitFor();
  assert.match(await end.locator('.set-end-tally').innerText(), /^Chính xác: \d · Đúng một phần: \d · Chưa đúng: \d$/);
  await end.getByRole('link', { name: 'Tiếp theo: Kiểm tra chuyên đề 1: Phòng, chống tham nhũng' }).waitFor();
  await end.getByRole('link', { name: 'Về chuyên đề' }).waitFor();
  await look('practice-set-end', end);
  await lookInEnglish('practice-set-end', async () => {
    await page.getByTestId('set-end').getByText('All 7 questions answered.').waitFor();
    return page.getByTestId('set-end');
  });
});

test('9. grader notes are never sent to trainees', async () => {
  const set = await page.evaluate(() => fetch('/api/courses/can-bo-co-so/situations/thao-luan-hop-thon').then((r) => r.text()));
  assert.ok(!set.includes('grader_note'), 'no grader note in what a trainee receives');
  assert.ok(!set.includes('Trừ điểm bài chỉ chép lại khẩu hiệu'));
  await page.goto(`${server.url}${DISCUSSION}`);
  const qs = page.locator('.question');
  await qs.first().waitFor();
  for (let i = 0; i < await qs.count(); i += 1) {
    await qs.nth(i).getByLabel('Câu trả lời của bạn').fill(`Ý kiến của tôi về câu ${i + 1}: lắng nghe bà con trước.`);
    await qs.nth(i).getByRole('button', { name: 'Gửi câu trả lời' }).click();
    await qs.nth(i).locator('.question-result').waitFor();
  }
  await page.getByRole('heading', { name: 'Định hướng của giảng viên' }).waitFor();
  const text = await page.locator('main').innerText();
  assert.ok(!text.includes('Gợi ý khi chấm'), 'the guidance has no section for graders');
  assert.equal(await page.locator('.grader-note').count(), 0);
  // The end of a discussion set leads on too.
  await page.getByTestId('set-end').getByRole('link', { name: /^Tiếp theo: / }).waitFor();
});

test('3. an assessment opens each question at its top, resumes where it was, and lists what is unanswered', async () => {
  await page.goto(`${server.url}${ASSESSMENT}`);
  // 7. The facts and the introduction agree on the number of questions.
  await page.getByText(/^9 câu · 15 phút · đạt từ 70%$/).waitFor();
  assert.match(await page.locator('.lesson-body').innerText(), /gồm 9 câu hỏi/);
  await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await page.getByText('Câu 1/9').waitFor();
  if (await page.locator('.question .answer-choice label').count() > 0) {
    await page.locator('.question .answer-choice label').first().click();
  } else {
    await page.locator('.question textarea, .question input[type=text]').fill('Báo cáo Chủ tịch xã.');
    await page.locator('.question textarea, .question input[type=text]').blur();
  }
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.getByRole('button', { name: 'Câu tiếp' }).click();
  await page.locator('.attempt-progress', { hasText: 'Câu 2/9' }).waitFor();
  await page.waitForFunction(() => {
    const bar = document.querySelector('.attempt-bar').getBoundingClientRect();
    const header = document.querySelector('.site-header').getBoundingClientRect();
    const prompt = document.querySelector('.attempt .question-prompt').getBoundingClientRect();
    return bar.top >= header.bottom - 1 && bar.top - header.bottom <= 10 && prompt.top >= bar.bottom - 1 && prompt.top < 400;
  }, null, { timeout: 5_000 });
  await page.getByRole('button', { name: 'Câu tiếp' }).click();
  await page.locator('.attempt-progress', { hasText: 'Câu 3/9' }).waitFor();
  await page.waitForTimeout(300);
  await page.reload();
  await page.locator('.attempt-progress', { hasText: 'Câu 3/9' }).waitFor();

  await page.getByRole('button', { name: 'Nộp bài' }).click();
  const confirm = page.locator('.confirm');
  await confirm.getByText('Bạn còn 8 câu chưa trả lời. Bạn có chắc muốn nộp bài?').waitFor();
  assert.ok(await confirm.evaluate((el) => el === document.activeElement), 'the question takes the focus');
  assert.ok(await confirm.evaluate((el) => el.getBoundingClientRect().top < window.innerHeight), 'and is in view');
  assert.equal(await confirm.getByTestId('unanswered-list').innerText(), 'Câu chưa trả lời: 2, 3, 4, 5, 6, 7, 8, 9.');
  const grid = confirm.locator('.question-grid button');
  assert.equal(await grid.count(), 9);
  assert.equal(await grid.nth(0).getAttribute('aria-label'), 'Câu 1, đã trả lời');
  assert.equal(await grid.nth(4).getAttribute('aria-label'), 'Câu 5, chưa trả lời');
  await look('assessment-confirm');
  await grid.nth(4).click();
  await page.locator('.attempt-progress', { hasText: 'Câu 5/9' }).waitFor();
  assert.equal(await page.locator('.confirm').count(), 0);
});

const ESSAY = 'Ghi lại trung thực, báo cáo Chủ tịch xã, giữ bí mật người báo tin, theo dõi kết quả xử lý.';

test('4. the result comes first, an essay waits as pending, and the review shows the question and my answer', async () => {
  // Write the essay wherever the draw put it, answer the choices, hand in.
  while (!(await page.getByRole('button', { name: 'Câu trước' }).isDisabled())) {
    await page.getByRole('button', { name: 'Câu trước' }).click();
  }
  for (let i = 0; i < 9; i += 1) {
    if (await page.locator('.attempt .question textarea').count() > 0) {
      await page.locator('.attempt .question textarea').fill(ESSAY);
      await page.locator('.attempt .question textarea').blur();
    } else if (await page.locator('.attempt .question .answer-choice label').count() > 0
      && await page.locator('.attempt .question input:checked').count() === 0) {
      await page.locator('.attempt .question .answer-choice label').first().click();
    }
    if (await page.getByRole('button', { name: 'Câu tiếp' }).isDisabled()) break;
    await page.getByRole('button', { name: 'Câu tiếp' }).click();
  }
  await page.getByRole('button', { name: 'Nộp bài' }).click();
  await page.locator('.confirm').getByRole('button', { name: 'Nộp bài' }).click();
  await page.getByText('Đã nộp bài.').waitFor();
  const result = page.getByTestId('attempt-result').first();
  await result.getByText(/^Lần 1: phần đã chấm được [\d,]+\/[\d,]+ điểm; câu tự luận \(10 điểm\) chờ giảng viên chấm/).waitFor({ timeout: 20_000 });
  // Results above the retake button, which is no longer the big primary one.
  const [resultsTop, startTop] = await Promise.all([
    page.getByTestId('results').evaluate((el) => el.getBoundingClientRect().top),
    page.getByTestId('start-attempt').evaluate((el) => el.getBoundingClientRect().top),
  ]);
  assert.ok(resultsTop < startTop, 'the result comes before "try again"');
  assert.equal(await page.getByTestId('start-attempt').innerText(), 'Làm lại lần nữa');
  assert.ok(!(await page.getByTestId('start-attempt').getAttribute('class')).includes('button-primary'));
  await result.getByText('Xem lại bài làm').click();
  const essay = result.locator('.review-item', { hasText: ESSAY });
  await essay.getByText('Chờ giảng viên chấm (tối đa 10 điểm)').waitFor();
  assert.ok(!(await essay.innerText()).includes('0/10'), 'a pending essay is not 0');
  await essay.locator('.question-prompt', { hasText: 'Ông Hùng, trưởng thôn' }).waitFor();
  const review = await result.locator('.review-list').innerText();
  assert.ok(!review.includes('.; '), 'correct answers are listed, not joined');
  assert.ok(await result.locator('.review-correct li').count() > 1);
  await look('assessment-review', essay);
  await lookInEnglish('assessment-review', async () => {
    const first = page.getByTestId('attempt-result').first();
    await first.getByText('Review', { exact: true }).click();
    const item = first.locator('.review-item', { hasText: ESSAY });
    await item.getByText('Awaiting a lecturer (up to 10 points)').waitFor();
    return item;
  });
});

test('8. a lesson on a phone: wide tables say they scroll, diagrams are readable, taps show at once', async () => {
  await page.goto(`${server.url}${LESSON_1}`);
  const wide = page.locator('.lesson-body .table-scroll.is-wide');
  await wide.waitFor();
  assert.equal(await wide.getAttribute('role'), 'region');
  assert.match(await wide.getAttribute('aria-label'), /vuốt sang ngang/);
  await page.locator('.scroll-hint').first().waitFor();
  assert.ok(await page.locator('.scroll-hint').first().isVisible());
  // Diagram text: the smallest size in the SVG, at the size it is drawn.
  await page.waitForFunction(() => [...document.querySelectorAll('.lesson-body img')].every((i) => i.complete && i.naturalWidth > 0));
  const images = await page.locator('.lesson-body img').evaluateAll((imgs) => imgs.map((i) => ({ src: i.src, drawn: i.getBoundingClientRect().width, natural: i.naturalWidth })));
  for (const img of images) {
    const svg = await page.evaluate((src) => fetch(src).then((r) => r.text()), img.src);
    const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
    const smallest = Math.min(...sizes) * (img.drawn / img.natural);
    assert.ok(smallest >= 12, `${img.src}: text drawn at ${smallest.toFixed(1)}px`);
  }
  // A pressed button looks pressed while the finger is down.
  const button = page.getByRole('button', { name: 'Đánh dấu đã học xong' });
  await button.scrollIntoViewIfNeeded();
  const before = await button.evaluate((el) => getComputedStyle(el).backgroundColor);
  const b = await button.boundingBox();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await page.mouse.down();
  const pressed = await button.evaluate((el) => getComputedStyle(el).backgroundColor);
  await page.mouse.move(0, 0);
  await page.mouse.up();
  assert.notEqual(pressed, before, 'the pressed state shows');
  await look('lesson-phone', page.locator('.scroll-hint').first());
});

test('7. numbers agree: the download size, the changes waiting, the module status', async () => {
  await page.goto(`${server.url}${COURSE}`);
  const panel = page.locator('.download');
  const before = (await panel.getByText(/Dung lượng khoảng/).innerText()).match(/khoảng ([\d,]+ [KM]B)/)[1];
  await panel.getByRole('button', { name: 'Tải về để học khi không có mạng' }).click();
  const after = (await panel.getByText(/Đã tải về máy · chiếm/).innerText()).match(/chiếm ([\d,]+ [KM]B)/)[1];
  assert.equal(after, before, 'the estimate is what the download takes');

  // Opening a lesson is not a change to send; marking it read is one.
  await page.locator('.sync-indicator[data-state=synced]').waitFor({ timeout: 20_000 });
  await controlled();
  await context.setOffline(true);
  await page.goto(`${server.url}${COURSE}/modules/hoc-tap-tu-tuong-ho-chi-minh`);
  await page.locator('.lesson-list a').first().click();
  await page.locator('.lesson-body').waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.locator('.sync-indicator .sync-text').innerText(), 'Không có mạng · Đã đồng bộ');
  await page.getByRole('button', { name: 'Đánh dấu đã học xong' }).click();
  await page.locator('.sync-indicator').getByText('Không có mạng · 1 thay đổi chưa đồng bộ').waitFor();
  await context.setOffline(false);
  await page.locator('.sync-indicator[data-state=synced]').waitFor({ timeout: 20_000 });
  // "In progress" says how much is done, so 0 does not contradict it.
  await menu(page, 'Kết quả học tập');
  const started = page.locator('.module-status', { hasText: 'Học tập và làm theo tư tưởng' });
  assert.equal(await started.locator('.status').innerText(), 'Đang học (đã xong 1/3 việc)');
});

test('6. offline: progress derived here, results kept, "sync now" answers, sign-out warns, sign-in continues', async () => {
  await page.goto(`${server.url}${ASSESSMENT}`);
  await page.getByTestId('attempt-result').first().waitFor({ timeout: 20_000 });
  await page.goto(`${server.url}/progress`);
  await page.getByTestId('course-result').waitFor();
  await controlled();
  await context.setOffline(true);
  // Navigating inside the app, with no network: derived on the device.
  await menu(page, 'Trang chủ');
  await menu(page, 'Kết quả học tập');
  await page.getByTestId('progress-offline').waitFor();
  await page.getByTestId('course-result').locator('.module-status').first().waitFor();
  assert.equal(await page.getByText('Không kết nối được với máy chủ').count(), 0);
  await look('progress-offline');

  // The assessment offline: the scored attempt stays, the pending line once.
  await page.goto(`${server.url}${ASSESSMENT}`);
  await page.getByText('Đang không có mạng: đây là kết quả máy chủ báo ở lần đồng bộ trước.').waitFor();
  await page.getByTestId('attempt-result').first().waitFor();
  await page.getByTestId('start-attempt').click();
  await page.getByText('Câu 1/9').waitFor();
  await page.getByRole('button', { name: 'Nộp bài' }).click();
  await page.locator('.confirm').getByRole('button', { name: 'Nộp bài' }).click();
  await page.getByTestId('attempt-waiting').waitFor();
  assert.equal(await page.getByText('Bài làm đã được lưu trên máy và sẽ được chấm khi có mạng.').count(), 1, 'said once');
  assert.equal(await page.getByTestId('attempt-result').count(), 1, 'the scored attempt is still shown');

  // "Sync now" offline says what happens.
  await menu(page, 'Cài đặt');
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  await page.getByTestId('sync-outcome').getByText(/^Không có mạng\. Các thay đổi vẫn được giữ trên máy này/).waitFor();

  // Signing out with changes waiting asks first.
  await menu(page, 'Đăng xuất', 'button');
  const ask = page.getByTestId('logout-confirm');
  await ask.getByText(/^Còn \d+ thay đổi chưa gửi lên máy chủ\.$/).waitFor();
  await look('logout-confirm');
  await ask.getByRole('button', { name: 'Huỷ' }).click();
  assert.equal(await ask.count(), 0);
  await menu(page, 'Đăng xuất', 'button');
  await ask.getByRole('button', { name: 'Vẫn đăng xuất' }).click();
  await page.waitForURL(/\/login$/);

  // Signing in again offline: not "wrong password", and the last user goes on.
  await page.getByLabel('Tên đăng nhập').fill('hocvien');
  await page.getByLabel('Mật khẩu', { exact: true }).fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('#login-error').getByText(/^Không có kết nối mạng/).waitFor();
  assert.equal(await page.getByLabel('Tên đăng nhập').getAttribute('aria-invalid'), 'false', 'the fields are not marked wrong');
  await look('login-offline');
  await page.getByLabel('Mật khẩu', { exact: true }).fill('hocvien123');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { level: 1, name: 'Xin chào, Nguyễn Văn An' }).waitFor();
  await page.locator('.sync-indicator[data-state=offline]').waitFor();
  // Back online, the waiting hand-in syncs and is scored.
  await context.setOffline(false);
  await page.locator('.sync-indicator[data-state=synced]').waitFor({ timeout: 30_000 });
  await page.goto(`${server.url}${ASSESSMENT}`);
  await page.getByTestId('attempt-result').nth(1).waitFor({ timeout: 20_000 });
});
