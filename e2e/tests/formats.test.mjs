// Question banks move in without loss (issue 18): a lecturer imports a GIFT
// file, a Moodle XML file and a QTI 3.0 package with every kind and sees a
// report that names every question (a Moodle description is named as not
// imported, with its line); a broken file is explained in Vietnamese and
// changes nothing; the bank exports in each format. Then a trainee on a
// phone answers the demo practice set's numerical and fill-in-the-blank
// questions, typing 1.000.000 and seeing how it was read. Every page is
// checked with axe and photographed at 360×740 and 1280×720, in
// Vietnamese and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import {
  ROOT, startServer, launchContext, screenshot, seriousA11yViolations, logIn, PHONE, PROJECTOR,
} from '../lib/harness.mjs';

const FIXTURES = join(ROOT, 'e2e', 'fixtures', 'formats');
let server;
let lecturer;
let trainee;
let page;

/** A ZIP of `files` ([name, bytes]), stored without compression. */
function zip(files) {
  const parts = [];
  const central = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    parts.push(local, nameBytes, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

/** The fixture QTI package, zipped. */
function qtiPackage() {
  const root = join(FIXTURES, 'qti');
  const names = ['imsmanifest.xml', 'media/so-do.png', ...readdirSync(join(root, 'items')).map((f) => `items/${f}`)];
  return zip(names.map((n) => [n, readFileSync(join(root, n))]));
}

/** axe finds nothing serious, the page fits a phone, and screenshots at both sizes. */
async function audit(p, name) {
  assert.deepEqual(await seriousA11yViolations(p), [], `axe on ${name}`);
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} overflows the phone by ${overflow}px`);
  await screenshot(p, `${name}-360x740`);
  await p.setViewportSize(PROJECTOR);
  await screenshot(p, `${name}-1280x720`);
  await p.setViewportSize(PHONE);
}

/** The page again in English, audited, then back in Vietnamese. */
async function inEnglish(p, name, ready) {
  await p.evaluate(() => localStorage.setItem('lophoc.lang', 'en'));
  await p.reload();
  await ready();
  await audit(p, `${name}-en`);
  await p.evaluate(() => localStorage.setItem('lophoc.lang', 'vi'));
}

before(async () => {
  server = await startServer();
  lecturer = await launchContext();
  trainee = await launchContext();
  page = await lecturer.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  await logIn(page, server.url, 'giangvien', 'giangvien123');
});

after(async () => {
  await lecturer?.close();
  await trainee?.close();
  await server?.stop();
});

/** Words of the import notes as they were once sent, in English only. */
const ENGLISH_NOTE = /\b(kept|dropped|left out|gave the id|choice|options?|answer|feedback)\b/;

const bankSize = () => page.evaluate(() => fetch('/api/bank').then((r) => r.json()).then((b) => b.length));

/** Checks `buffer` as `format` and returns the texts of the questions read. */
async function check(format, name, buffer) {
  await page.getByLabel(format, { exact: true }).check();
  await page.locator('#bank-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await page.getByTestId('import-summary').waitFor();
  await page.locator('.import-read summary').click();
  return page.locator('.import-read > ul > li').allInnerTexts();
}

test('a GIFT file with every kind is read question by question and imports whole', async () => {
  await page.goto(`${server.url}/bank`);
  await page.getByText('Ngân hàng chưa có câu hỏi nào.').waitFor();
  const read = await check('GIFT', 'moi-loai.gift', readFileSync(join(FIXTURES, 'moi-loai.gift')));
  await page.getByText('Đọc được 8 câu hỏi, không có lỗi.').waitFor();
  const ids = ['lap-hien', 'tham-nhung', 'ke-khai', 'ten-hanh-vi', 'nam-thanh-lap', 'ghep', 'dien-khuyet', 'bai-luan'];
  assert.equal(read.length, ids.length);
  ids.forEach((id, i) => assert.match(read[i], new RegExp(`^Dòng \\d+: ${id} — `), read[i]));
  assert.match(read[6], /Câu điền từ còn thiếu: được nhập thành câu điền vào chỗ trống có một ô trống \(danh sách chọn\)/);
  assert.doesNotMatch(read.join('\n'), ENGLISH_NOTE, 'the notes are in Vietnamese');
  await page.getByRole('button', { name: 'Nhập tất cả' }).click();
  await page.getByText('Đã nhập 8 câu hỏi vào ngân hàng.').waitFor();
  assert.equal(await bankSize(), 8);
});

test('a Moodle XML file with every kind names each question and its description, and keeps its image', async () => {
  const read = await check('Moodle XML', 'moi-loai.xml', readFileSync(join(FIXTURES, 'moi-loai.moodle.xml')));
  await page.getByText('Đọc được 9 câu hỏi; 1 chỗ không nhập được:').waitFor();
  await page.getByText(/^Dòng 299: Đây là đoạn mô tả, không có câu trả lời/).waitFor();
  await page.getByText('1 hình ảnh được lưu cùng ngân hàng câu hỏi').waitFor();
  const names = ['lap-hien', 'hanh-vi-tham-nhung', 'ke-khai-tai-san', 'ten-hanh-vi', 'nam-thanh-lap',
    'ghep-nguyen-tac', 'bai-luan-dan-van', 'trinh-tu-tiep-cong-dan', 'hop-nhat'];
  assert.equal(read.length, names.length);
  names.forEach((id, i) => assert.match(read[i], new RegExp(`^Dòng \\d+: ${id} — `), read[i]));
  assert.match(read[3], /Dòng 144: Đã bỏ đáp án “\*” \(mọi câu trả lời khác\) cùng phản hồi của nó/);
  assert.doesNotMatch(read.join('\n'), ENGLISH_NOTE, 'the notes are in Vietnamese');
  assert.equal(await page.getByRole('button', { name: 'Nhập tất cả' }).count(), 0);
  await audit(page, 'formats-moodle-report');
  await page.getByRole('button', { name: 'Chỉ nhập 9 câu hợp lệ' }).click();
  await page.getByText('Đã nhập 9 câu hỏi vào ngân hàng.').waitFor();
  // Same ids as the GIFT file replace those questions: 8 + 9 − 3.
  assert.equal(await bankSize(), 14);
  const image = await page.evaluate(async () => {
    const bank = await fetch('/api/bank').then((r) => r.json());
    const prompt = bank.find((q) => q.id === 'lap-hien').prompt;
    const src = prompt.match(/\/api\/bank\/media\/[0-9a-f]+\.png/)[0];
    const res = await fetch(src);
    return [res.status, res.headers.get('content-type')];
  });
  assert.deepEqual(image, [200, 'image/png']);
});

test('a QTI 3.0 package with every kind is read question by question', async () => {
  const read = await check('QTI 3.0 (gói .zip hoặc tệp .xml)', 'moi-loai.zip', qtiPackage());
  await page.getByText('Đọc được 9 câu hỏi, không có lỗi.').waitFor();
  const files = ['lap-hien', 'tham-nhung', 'ke-khai', 'tiep-cong-dan', 'ghep', 'ten-hanh-vi', 'nam-thanh-lap', 'dien-khuyet', 'bai-luan'];
  assert.equal(read.length, files.length);
  files.forEach((id, i) => assert.match(read[i], new RegExp(`^Câu ${i + 1}: ${id} — `), read[i]));
  assert.doesNotMatch(read.join('\n'), ENGLISH_NOTE, 'the notes are in Vietnamese');
  await page.getByText('1 hình ảnh được lưu cùng ngân hàng câu hỏi').waitFor();
  await audit(page, 'formats-qti-report');
  await inEnglish(page, 'formats-qti-report', async () => {
    await page.getByRole('heading', { level: 1, name: 'My question bank' }).waitFor();
  });
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Ngân hàng câu hỏi của tôi' }).waitFor();
  await check('QTI 3.0 (gói .zip hoặc tệp .xml)', 'moi-loai.zip', qtiPackage());
  await page.getByRole('button', { name: 'Nhập tất cả' }).click();
  await page.getByText('Đã nhập 9 câu hỏi vào ngân hàng.').waitFor();
  assert.equal(await bankSize(), 15);
});

test('a broken file is explained in Vietnamese and changes nothing', async () => {
  const before = await bankSize();
  await page.getByLabel('Moodle XML', { exact: true }).check();
  await page.locator('#bank-file').setInputFiles({
    name: 'hong.xml', mimeType: 'text/xml',
    buffer: Buffer.from('<quiz>\n<question type="truefalse">\n<name><text>x</text></name>\n</quiz>', 'utf8'),
  });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await page.getByRole('alert').getByText('Không đọc được tệp: cấu trúc XML bị lỗi ở dòng 4.', { exact: false }).waitFor();
  await page.getByLabel('QTI 3.0 (gói .zip hoặc tệp .xml)', { exact: true }).check();
  await page.locator('#bank-file').setInputFiles({ name: 'khong-phai.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 hỏng') });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await page.getByRole('alert').getByText('Đây không phải gói QTI 3.0', { exact: false }).waitFor();
  assert.equal(await bankSize(), before);
});

test('the bank exports as Moodle XML, a QTI package and one QTI item', async () => {
  await page.reload();
  await page.getByRole('link', { name: 'Tải về dạng Moodle XML' }).waitFor();
  await page.getByRole('link', { name: 'Tải về dạng gói QTI 3.0' }).waitFor();
  const got = await page.evaluate(async () => {
    const moodle = await fetch('/api/bank/export.moodle.xml').then((r) => r.text());
    const qti = await fetch('/api/bank/export.qti.zip').then((r) => r.arrayBuffer());
    const item = await fetch('/api/bank/questions/nam-thanh-lap/qti.xml').then((r) => r.text());
    return { moodle, qtiStart: Array.from(new Uint8Array(qti.slice(0, 2))), item };
  });
  assert.match(got.moodle, /<question type="cloze">/);
  assert.match(got.moodle, /encoding="base64"/);
  assert.deepEqual(got.qtiStart, [0x50, 0x4b]);
  assert.match(got.item, /<qti-text-entry-interaction/);
  await page.locator('.bank-item-qti').first().waitFor();
  await audit(page, 'formats-bank-list');
});

// The exports open in QTI's own terms: every item Lophoc writes loads in
// citolab's QTI 3.0 player (@citolab/qti-components, a registry package),
// and its own response processing gives full marks (MAXSCORE) to the
// correct response and 0 to a wrong one, as Lophoc scores them.
test('every exported QTI item scores in a QTI 3.0 player as Lophoc scores it', async () => {
  const bank = await (await lecturer.request.get(`${server.url}/api/bank`)).json();
  assert.equal(bank.length, 15);
  const items = [];
  for (const q of bank) {
    const res = await lecturer.request.get(`${server.url}/api/bank/questions/${q.id}/qti.xml`);
    assert.equal(res.status(), 200);
    items.push([q.id, q.kind, await res.text()]);
  }
  const player = await lecturer.newPage();
  const errors = [];
  player.on('pageerror', (e) => errors.push(e.message));
  await player.setContent('<!doctype html><html lang="vi"><body><main id="host"></main></body></html>');
  await player.addScriptTag({ path: join(ROOT, 'e2e', 'node_modules', '@citolab', 'qti-components', 'cdn', 'index.global.js') });
  for (const [id, kind, xml] of items) {
    const r = await player.evaluate(async (xml) => {
      const host = document.getElementById('host');
      host.innerHTML = window.QtiComponents.qtiTransformItem().parse(xml).html();
      await new Promise((ok) => setTimeout(ok, 200));
      const item = host.querySelector('qti-assessment-item');
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const decls = [...doc.getElementsByTagName('qti-response-declaration')];
      const value = (name) => Number(item.variables.find((v) => v.identifier === name)?.value ?? NaN);
      let answered = 0;
      for (const d of decls) {
        const values = [...d.getElementsByTagName('qti-value')].map((v) => v.textContent);
        if (!values.length) continue;
        answered += 1;
        item.updateResponseVariable(d.getAttribute('identifier'), d.getAttribute('cardinality') === 'single' ? values[0] : values);
      }
      item.processResponse();
      const right = value('SCORE');
      for (const d of decls) {
        const bt = d.getAttribute('base-type');
        const single = d.getAttribute('cardinality') === 'single';
        const wrong = bt === 'float' ? '-987654' : bt === 'string' ? 'không phải' : single ? 'khong-co' : [];
        item.updateResponseVariable(d.getAttribute('identifier'), wrong);
      }
      item.processResponse();
      return { answered, right, wrong: value('SCORE'), max: value('MAXSCORE') };
    }, xml);
    if (kind === 'essay' || kind === 'opinion') {
      assert.equal(r.answered, 0, `${id}: an essay has no key`);
    } else {
      assert.equal(r.right, r.max, `${id} (${kind}): the correct response earns ${r.right} of ${r.max}`);
      assert.equal(r.wrong, 0, `${id} (${kind}): a wrong response earns ${r.wrong}`);
    }
  }
  assert.deepEqual(errors, []);
  await player.close();
});

test('a trainee on a phone answers the numerical and fill-in-the-blank questions', async () => {
  const p = await trainee.newPage();
  p.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  await logIn(p, server.url, 'hocvien');
  await p.goto(`${server.url}/courses/can-bo-co-so/modules/phong-chong-tham-nhung`);
  await p.locator('.situation-item a').click();
  await p.getByRole('heading', { level: 2, name: 'Tình huống' }).waitFor();
  const numerical = p.locator('.question[data-question="q6"]');
  const input = numerical.getByLabel('Câu trả lời (một số)');
  await input.fill('1.000.000');
  await numerical.getByText(/^Hệ thống hiểu là: 1\s000\s000$/).waitFor();
  await numerical.scrollIntoViewIfNeeded();
  await audit(p, 'formats-numerical');
  await numerical.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  await numerical.locator('.verdict').getByText('Chính xác').waitFor();

  const blanks = p.locator('.question[data-question="q7"]');
  await blanks.getByLabel('Chỗ trống 1').fill('2018');
  await blanks.getByLabel('Chỗ trống 2').selectOption({ label: 'giải quyết' });
  await blanks.getByLabel('Chỗ trống 3').fill('nguoi dung dau');
  await blanks.scrollIntoViewIfNeeded();
  await audit(p, 'formats-blanks');
  await blanks.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  await blanks.locator('.verdict').getByText('Chính xác').waitFor();
  await blanks.locator('mark.gap-given').first().waitFor();
  await blanks.scrollIntoViewIfNeeded();
  await audit(p, 'formats-blanks-answered');
  await inEnglish(p, 'formats-blanks-answered', async () => {
    await p.locator('.question[data-question="q7"] .verdict').getByText('Correct').waitFor();
    await p.locator('.question[data-question="q6"]').scrollIntoViewIfNeeded();
  });
  await p.close();
});
