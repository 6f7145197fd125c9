// The class matrix at the size of issue 5: a class of 200 trainees on a
// course of 12 modules, with 50,000 events. Measures the server's time to
// compute `GET /api/classes/{id}/matrix` and the client's time to render it
// in Debian's Chromium.
//
//   node e2e/bench/class-matrix.mjs OUT.json [OUT.md]
//
// Set-up (not measured): a synthetic course `bench-12` (12 modules × 3
// lessons of filler text, one final assessment of 5 single-choice
// questions; `[completion]` all lessons read and the assessment passed) is
// written into a temporary content folder beside a copy of the demo course,
// and the real server ($LOPHOC_SERVER_BIN, default target/server/
// lophoc-server) is started on it on a free port with a fresh database. As
// the demo centre admin (`quantri`) a class on `bench-12` is created, with
// the demo lecturer (`giangvien`), and a roster of 200 trainees imported
// from CSV; each trainee logs in (Argon2) and pushes 250 events from a
// device of their own in batches of ≤ 200 (`MAX_BATCH`) — 50,000 in all:
// lessons opened (again and again) and read up to a point that differs from
// trainee to trainee, and for those who read everything, attempts at the
// assessment, passed or failed. So some modules are not started, some in
// progress, some complete, and some trainees have completed the course
// (certificates are issued by the server on the way, as in real use).
//
// Server: `GET /api/classes/{id}/matrix` as the lecturer over one keep-alive
// loopback connection, once to warm up, then SERVER_RUNS times; each run
// timed from sending the request to the last byte of the reply, as the
// browser asks for it (Accept-Encoding: gzip, deflate, br). That is the
// handler's whole work: loading the course outline and its assessment
// papers, every event of the class's trainees, deriving each trainee's
// progress, the certificate look-ups, the JSON and its compression.
//
// Client: in Chromium (fresh profile per viewport, logged in as the lecturer
// through the login page), CLIENT_RUNS times a fresh tab opens
// `/classes/{id}`; timed in the page's own clock from the navigation's start
// (performance.now()) to the moment the matrix table has 200 body rows
// (a MutationObserver set up before the app runs), and to the animation
// frame after it. The app shell comes from the service worker's cache after
// the first load, as it would for a lecturer who has used the app before;
// the API requests go to the server every time (the worker never caches
// /api/). Resource Timing splits the wait for the matrix reply from the
// parse and render after it.
//
// Knobs (environment): BENCH_MATRIX_SERVER_RUNS (default 5),
// BENCH_MATRIX_CLIENT_RUNS (default 3; 0 skips Chromium, for the engine
// comparison of scripts/bench-engines.sh, which needs the server figure
// only), LOPHOC_BENCH_DATABASE (a database URL for the server, e.g. an
// empty PostgreSQL database; default a fresh temporary SQLite file).
//
// Prints one JSON line with the figures (and writes it to OUT.json, and
// the BENCHMARKS.md section to OUT.md when given); exits non-zero when a
// figure could not be measured. No figure is judged: benchmarks are not
// tests.
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import {
  ROOT, startServer, launchContext, logIn, PHONE, PROJECTOR,
} from '../lib/harness.mjs';

const [out, outMd] = process.argv.slice(2);
if (!out) {
  console.error('usage: node class-matrix.mjs OUT.json [OUT.md]');
  process.exit(2);
}
const envInt = (name, fallback, min = 1) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`${name} must be an integer of at least ${min}`);
    process.exit(2);
  }
  return n;
};

const TRAINEES = envInt('BENCH_MATRIX_TRAINEES', 200);
const EVENTS_EACH = envInt('BENCH_MATRIX_EVENTS_EACH', 250);
const MODULES = 12;
const LESSONS_PER_MODULE = 3;
const QUESTIONS = 5;
const SERVER_RUNS = envInt('BENCH_MATRIX_SERVER_RUNS', 5);
const CLIENT_RUNS = envInt('BENCH_MATRIX_CLIENT_RUNS', 3, 0);
const DATABASE = process.env.LOPHOC_BENCH_DATABASE || null;
const MAX_BATCH = 200; // lophoc_core::sync::MAX_BATCH
const WORKERS = 4; // trainees logging in and pushing at once
const TIMEOUT_MS = 60_000;
const COURSE = 'bench-12';
const ASSESSMENT = 'kiem-tra-cuoi-khoa';
const DEMO = 'can-bo-co-so';

if (!process.env.LOPHOC_SERVER_BIN) {
  process.env.LOPHOC_SERVER_BIN = join(ROOT, 'target', 'server', 'lophoc-server');
}

const say = (s) => console.error(`  ${s}`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// A small deterministic generator, so every run measures the same class.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ------------------------------------------------------- synthetic course ---
const pad = (n) => String(n).padStart(2, '0');
const moduleId = (m) => `chuyen-de-${pad(m)}`;
const lessonId = (m, l) => `cd${pad(m)}-bai-${l}`;
const LESSONS = [];
for (let m = 1; m <= MODULES; m++) {
  for (let l = 1; l <= LESSONS_PER_MODULE; l++) LESSONS.push(lessonId(m, l));
}
const OPTIONS = ['a', 'b', 'c', 'd'];
const correctOption = (q) => OPTIONS[q % OPTIONS.length];
const wrongOption = (q) => OPTIONS[(q + 1) % OPTIONS.length];

function writeCourse(dir) {
  const course = join(dir, COURSE);
  mkdirSync(course, { recursive: true });
  const toml = [
    `id = "${COURSE}"`,
    'title = "Khoá học thử hiệu năng: 12 chuyên đề (dữ liệu giả)"',
    'summary = "Khoá học tổng hợp chỉ dùng để đo hiệu năng bảng tiến độ lớp học; nội dung là văn bản giả."',
    'language = "vi"',
    '',
  ];
  for (let m = 1; m <= MODULES; m++) {
    const lessons = Array.from({ length: LESSONS_PER_MODULE }, (_, i) => `"${lessonId(m, i + 1)}"`);
    toml.push('[[modules]]', `id = "${moduleId(m)}"`, `title = "Chuyên đề thử ${m}: nội dung giả để đo hiệu năng"`);
    toml.push(`lessons = [${lessons.join(', ')}]`);
    if (m === MODULES) toml.push(`assessments = ["${ASSESSMENT}"]`);
    toml.push('');
    mkdirSync(join(course, moduleId(m)), { recursive: true });
    for (let l = 1; l <= LESSONS_PER_MODULE; l++) {
      writeFileSync(join(course, moduleId(m), `${lessonId(m, l)}.md`), [
        '+++',
        `title = "Bài thử ${l} của chuyên đề ${m}"`,
        'minutes = 5',
        '+++',
        '',
        '## Văn bản giả',
        '',
        `Đây là bài học giả số ${l} của chuyên đề ${m}, chỉ dùng để đo hiệu năng. `
          + 'Cán bộ cơ sở đọc bài, ghi nhớ những điểm chính và trao đổi với đồng nghiệp ở xã, thôn, bản.',
        '',
        '- Ý thứ nhất của bài học giả.',
        '- Ý thứ hai của bài học giả.',
        '',
      ].join('\n'));
    }
  }
  toml.push('[completion]', 'all_lessons = true', `pass = ["${ASSESSMENT}"]`, '');
  writeFileSync(join(course, 'course.toml'), toml.join('\n'));

  const paper = [
    'title = "Kiểm tra cuối khoá thử (dữ liệu giả)"',
    'intro = """Bài kiểm tra giả gồm 5 câu, chỉ dùng để đo hiệu năng."""',
    '',
    '[settings]',
    'max_attempts = 3',
    'pass_percent = 60',
    'review = "after_submit"',
    '',
  ];
  for (let q = 1; q <= QUESTIONS; q++) {
    paper.push('[[questions]]', `id = "q${q}"`, `prompt = "Câu hỏi giả số ${q}: chọn phương án đúng."`, 'points = 1');
    paper.push('[questions.body]', 'kind = "single_choice"');
    for (const o of OPTIONS) {
      paper.push('[[questions.body.options]]', `id = "${o}"`, `text = "Phương án giả ${o.toUpperCase()}"`);
      if (o === correctOption(q)) paper.push('correct = true');
    }
    paper.push('');
  }
  writeFileSync(join(course, moduleId(MODULES), `${ASSESSMENT}.assessment.toml`), paper.join('\n'));
}

// ---------------------------------------------------------------- trainees ---
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Lò', 'Giàng', 'Hà', 'Lường'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Quang', 'Ngọc', 'Hữu'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Hải', 'Hoa', 'Khánh', 'Lan', 'Long', 'Mai', 'Nam',
  'Phúc', 'Quân', 'Sơn', 'Thảo', 'Trang', 'Tuấn', 'Vân', 'Yến'];

function rosterCsv() {
  const lines = ['Họ và tên,Ngày sinh,Đơn vị,Chức vụ'];
  for (let i = 0; i < TRAINEES; i++) {
    const name = `${FAMILY[i % FAMILY.length]} ${MIDDLE[(i * 7) % MIDDLE.length]} ${GIVEN[(i * 3) % GIVEN.length]}`;
    const birth = `${pad(1 + (i % 28))}/${pad(1 + (i % 12))}/${1965 + (i % 35)}`;
    lines.push(`${name},${birth},Xã thử nghiệm số ${1 + (i % 10)},Cán bộ (dữ liệu giả)`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The events one trainee pushes, exactly EVENTS_EACH of them. Trainee i's
 * plan: the first 15 % read every lesson and pass the assessment (the first
 * attempt failed for some); the next 10 % read every lesson and fail it;
 * the rest read up to a lesson between the 1st and the 35th and have the
 * next one open. The rest of the events re-open lessons already reached.
 */
function traineeEvents(i, seeds) {
  const rand = mulberry32(0x5eed + i);
  const completeShare = Math.round(TRAINEES * 0.15);
  const failShare = Math.round(TRAINEES * 0.10);
  let reached; // lessons opened, in course order
  let completed; // of those, how many read
  const attempts = []; // true: a passing attempt
  if (i < completeShare) {
    reached = LESSONS.length;
    completed = LESSONS.length;
    if (i % 3 === 0) attempts.push(false);
    attempts.push(true);
  } else if (i < completeShare + failShare) {
    reached = LESSONS.length;
    completed = LESSONS.length;
    attempts.push(false);
    if (i % 2 === 0) attempts.push(false);
  } else {
    completed = 1 + Math.floor(rand() * (LESSONS.length - 2));
    reached = completed + 1;
  }
  const attemptEvents = attempts.length * (QUESTIONS + 2);
  const base = reached + completed + attemptEvents;
  if (base > EVENTS_EACH) throw new Error(`trainee ${i} needs ${base} events, more than ${EVENTS_EACH}`);
  // Each reached lesson is opened once, plus extra opens spread over them.
  const opens = new Array(reached).fill(1);
  for (let k = 0; k < EVENTS_EACH - base; k++) opens[Math.floor(rand() * reached)] += 1;
  const events = [];
  for (let j = 0; j < reached; j++) {
    const lesson = { course_id: COURSE, lesson_id: LESSONS[j] };
    for (let k = 0; k < opens[j]; k++) events.push({ type: 'lesson_opened', ...lesson });
    if (j < completed) events.push({ type: 'lesson_completed', ...lesson });
  }
  for (const [n, pass] of attempts.entries()) {
    const attempt = { course_id: COURSE, assessment_id: ASSESSMENT, attempt_id: randomUUID() };
    // The seed the server issued this trainee for attempt n + 1 (with the
    // paper): a device cannot choose its own.
    events.push({ type: 'attempt_started', ...attempt, seed: seeds[n] });
    for (let q = 1; q <= QUESTIONS; q++) {
      // Passing: 4 or 5 right (≥ 60 %); failing: 1 or 2 right.
      const right = pass ? (q <= 4 || rand() < 0.5) : (q <= 1 || (q === 2 && rand() < 0.5));
      events.push({
        type: 'attempt_answered',
        ...attempt,
        question_id: `q${q}`,
        answer: { kind: 'single_choice', option: right ? correctOption(q) : wrongOption(q) },
      });
    }
    events.push({ type: 'attempt_submitted', ...attempt });
  }
  if (events.length !== EVENTS_EACH) throw new Error(`trainee ${i}: ${events.length} events`);
  return { events, plan: { reached, completed, attempts } };
}

// -------------------------------------------------------------------- HTTP ---
const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS + 1 });
/** One request on the keep-alive agent; the body as received (raw bytes). */
function request(base, method, path, { cookie, json, headers = {} } = {}) {
  return new Promise((ok, fail) => {
    const body = json === undefined ? null : Buffer.from(JSON.stringify(json), 'utf8');
    const t0 = performance.now();
    const req = http.request(new URL(path, base), {
      method,
      agent,
      headers: {
        ...(cookie ? { Cookie: cookie } : {}),
        ...(body ? { 'Content-Type': 'application/json', 'Content-Length': body.length } : {}),
        ...headers,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({
        status: res.statusCode,
        headers: res.headers,
        raw: Buffer.concat(chunks),
        ms: performance.now() - t0,
      }));
      res.on('error', fail);
    });
    req.setTimeout(TIMEOUT_MS * 2, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', fail);
    req.end(body ?? undefined);
  });
}
const decode = (r) => {
  switch (r.headers['content-encoding']) {
    case 'br': return brotliDecompressSync(r.raw);
    case 'gzip': return gunzipSync(r.raw);
    case 'deflate': return inflateSync(r.raw);
    case undefined: case 'identity': return r.raw;
    default: throw new Error(`unknown content-encoding ${r.headers['content-encoding']}`);
  }
};
async function call(base, method, path, options = {}, expect = 200) {
  const r = await request(base, method, path, options);
  if (r.status !== expect) {
    throw new Error(`${method} ${path} answered ${r.status}: ${decode(r).toString('utf8').slice(0, 500)}`);
  }
  return { ...r, json: JSON.parse(decode(r).toString('utf8') || 'null') };
}
async function login(base, username, password, headers = {}) {
  const r = await call(base, 'POST', '/api/auth/login', { json: { username, password }, headers });
  const setCookie = [r.headers['set-cookie'] ?? []].flat();
  const cookie = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('lophoc_session='));
  if (!cookie) throw new Error(`login of ${username} set no lophoc_session cookie`);
  return { cookie, user: r.json };
}

// --------------------------------------------------------------- the page ---
// Runs at the start of every document: notes when the matrix first has
// 200 body rows, and the animation frame after that.
function watchMatrix(rows) {
  const observer = new MutationObserver(() => {
    if (window.__benchMatrix) return;
    const n = document.querySelectorAll('[data-testid=class-matrix] tbody tr').length;
    if (n !== rows) return;
    const at = performance.now();
    window.__benchMatrix = { at, frame: null };
    observer.disconnect();
    requestAnimationFrame(() => { window.__benchMatrix.frame = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
}

async function clientRuns(base, classId, viewport) {
  const context = await launchContext({ viewport });
  try {
    const first = context.pages()[0] ?? (await context.newPage());
    first.setDefaultTimeout(TIMEOUT_MS);
    await logIn(first, base, 'giangvien', 'giangvien123');
    await context.addInitScript(watchMatrix, TRAINEES);
    const runs = [];
    // Run 0 warms the service worker up (it installs after the first load)
    // and is not reported.
    for (let i = 0; i <= CLIENT_RUNS; i++) {
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT_MS);
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      const t0 = performance.now();
      const response = await page.goto(`${base}/classes/${classId}`, { waitUntil: 'commit' });
      await page.waitForFunction(() => window.__benchMatrix?.frame != null, null, { timeout: TIMEOUT_MS });
      const wallMs = performance.now() - t0;
      const m = await page.evaluate((id) => {
        const entry = performance.getEntriesByType('resource')
          .find((e) => new URL(e.name).pathname === `/api/classes/${id}/matrix`);
        const nav = performance.getEntriesByType('navigation')[0];
        const stats = performance.getEntriesByType('resource')
          .find((e) => new URL(e.name).pathname === `/api/classes/${id}/stats`);
        return {
          statsRequestMs: stats?.startTime ?? null,
          statsResponseEndMs: stats?.responseEnd ?? null,
          rowsMs: window.__benchMatrix.at,
          frameMs: window.__benchMatrix.frame,
          matrixRequestMs: entry?.startTime ?? null,
          matrixResponseEndMs: entry?.responseEnd ?? null,
          matrixTransferBytes: entry?.transferSize ?? null,
          matrixBodyBytes: entry?.decodedBodySize ?? null,
          documentMs: nav?.responseEnd ?? null,
          controlled: Boolean(navigator.serviceWorker?.controller),
          cells: document.querySelectorAll('[data-testid=class-matrix] tbody td').length,
        };
      }, classId);
      if (m.matrixResponseEndMs == null) throw new Error('no Resource Timing entry for the matrix request');
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
      const run = { run: i, ...m, wallMs, fromServiceWorker: Boolean(response?.fromServiceWorker()) };
      await page.close();
      say(`${viewport.width}×${viewport.height} ${i === 0 ? 'warm-up' : `run ${i}`}: ${TRAINEES} rows at ${m.rowsMs.toFixed(0)} ms`
        + ` (next frame ${m.frameMs.toFixed(0)} ms; matrix reply ${m.matrixRequestMs.toFixed(0)}–${m.matrixResponseEndMs.toFixed(0)} ms;`
        + ` stats reply ${m.statsResponseEndMs == null ? 'not yet in' : `${m.statsRequestMs.toFixed(0)}–${m.statsResponseEndMs.toFixed(0)} ms`}; document ${run.fromServiceWorker ? 'from the service worker' : 'from the network'})`);
      if (i > 0) runs.push(run);
    }
    return {
      viewport,
      runs,
      medianRowsMs: median(runs.map((r) => r.rowsMs)),
      medianFrameMs: median(runs.map((r) => r.frameMs)),
      medianAfterReplyMs: median(runs.map((r) => r.rowsMs - r.matrixResponseEndMs)),
      medianReplyWaitMs: median(runs.map((r) => r.matrixResponseEndMs - r.matrixRequestMs)),
      medianRequestStartMs: median(runs.map((r) => r.matrixRequestMs)),
      medianWallMs: median(runs.map((r) => r.wallMs)),
      // The statistics may still be on their way when the matrix is done.
      medianStatsEndMs: runs.some((r) => r.statsResponseEndMs != null)
        ? median(runs.filter((r) => r.statsResponseEndMs != null).map((r) => r.statsResponseEndMs)) : null,
      shellFromServiceWorker: runs.every((r) => r.fromServiceWorker),
    };
  } finally {
    await context.close();
  }
}

// -------------------------------------------------------------------- main ---
const contentDir = mkdtempSync(join(os.tmpdir(), 'lophoc-bench-content-'));
let server;
try {
  writeCourse(contentDir);
  cpSync(join(ROOT, 'content', DEMO), join(contentDir, DEMO), { recursive: true });
  server = await startServer({ content: contentDir, database: DATABASE });
  const base = server.url;
  say(`server ${process.env.LOPHOC_SERVER_BIN} on ${base}, course ${COURSE} in ${contentDir}`
    + `, database ${DATABASE ? DATABASE.split(':')[0] : 'a fresh SQLite file'}`);

  const admin = await login(base, 'quantri', 'quantri123');
  const lecturers = (await call(base, 'GET', '/api/centre/lecturers', { cookie: admin.cookie })).json;
  const lecturer = lecturers.find((u) => u.username === 'giangvien');
  if (!lecturer) throw new Error('the demo lecturer giangvien is not in the centre');
  const today = new Date();
  const day = (d) => new Date(today.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  const created = (await call(base, 'POST', '/api/classes', {
    cookie: admin.cookie,
    json: {
      name: 'Lớp thử hiệu năng 200 học viên (dữ liệu giả)',
      course_id: COURSE,
      starts_on: day(-30),
      ends_on: day(30),
      lecturer_ids: [lecturer.id],
    },
  }, 201)).json;
  const classId = created.id ?? created.class_id;
  if (!Number.isInteger(classId)) throw new Error(`no class id in ${JSON.stringify(created)}`);

  let t = performance.now();
  const roster = (await call(base, 'POST', `/api/classes/${classId}/roster`, {
    cookie: admin.cookie, json: { csv: rosterCsv(), dry_run: false },
  })).json;
  if (roster.problems?.length || roster.accounts?.length !== TRAINEES) {
    throw new Error(`the roster import made ${roster.accounts?.length} accounts: ${JSON.stringify(roster.problems)}`);
  }
  say(`class ${classId}: ${TRAINEES} accounts imported in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Each trainee logs in and pushes their events, WORKERS at a time.
  t = performance.now();
  const plans = [];
  let next = 0;
  let pushes = 0;
  let eventsStored = 0;
  const clock0 = Date.now() - 20 * 86_400_000;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= TRAINEES) return;
      const account = roster.accounts[i];
      // Each trainee signs in from a phone of their own: its own address
      // (the server takes a loopback peer's X-Forwarded-For, as behind a
      // proxy), so the per-address login throttle sees 200 phones, not one
      // script.
      const phone = { 'X-Forwarded-For': `10.0.${i >> 8}.${(i & 255) + 1}` };
      const { cookie, user } = await login(base, account.username, account.password, phone);
      // An imported account must choose its own password before anything
      // else (issue 14), as a trainee does at their first sign-in.
      // Should the server still throttle the check, wait as it says.
      while (user.must_change_password) {
        const r = await request(base, 'POST', '/api/me/password', {
          cookie, json: { current: account.password, new: `${account.password}-moi` }, headers: phone,
        });
        if (r.status === 204) break;
        if (r.status !== 429) throw new Error(`POST /api/me/password answered ${r.status}`);
        const wait = Number(JSON.parse(decode(r).toString('utf8')).retry_after ?? 1);
        await new Promise((ok) => { setTimeout(ok, Math.max(1, wait) * 1000); });
      }
      const paper = (await call(base, 'GET', `/api/courses/${COURSE}/assessments/${ASSESSMENT}`, { cookie })).json;
      const { events, plan } = traineeEvents(i, paper.seeds.seeds);
      plans.push(plan);
      const deviceId = `bench-${randomUUID()}`;
      const ops = events.map((event, k) => ({
        op_id: randomUUID(),
        device_id: deviceId,
        seq: k + 1,
        user_id: user.id,
        client_time_ms: clock0 + i * 1000 + k * 60_000,
        schema: 1,
        event,
      }));
      for (let k = 0; k < ops.length; k += MAX_BATCH) {
        const batch = ops.slice(k, k + MAX_BATCH);
        const reply = (await call(base, 'POST', '/api/sync/push', { cookie, json: { device_id: deviceId, ops: batch } })).json;
        pushes += 1;
        if (reply.rejected || reply.refused || reply.acked_seq !== batch.at(-1).seq) {
          throw new Error(`push of ${account.username} not stored: ${JSON.stringify(reply)}`);
        }
        eventsStored += reply.applied;
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  const seedS = (performance.now() - t) / 1000;
  if (eventsStored !== TRAINEES * EVENTS_EACH) throw new Error(`${eventsStored} events stored, expected ${TRAINEES * EVENTS_EACH}`);
  say(`${TRAINEES} logins and ${pushes} pushes stored ${eventsStored} events in ${seedS.toFixed(1)} s`);
  // Certificates are issued off the push's path: let those tasks finish.
  await new Promise((r) => { setTimeout(r, 2000); });

  // ---------------------------------------------------------------- server ---
  const teacher = await login(base, 'giangvien', 'giangvien123');
  const matrixPath = `/api/classes/${classId}/matrix`;
  const asBrowser = { 'Accept-Encoding': 'gzip, deflate, br' };
  const warm = await call(base, 'GET', matrixPath, { cookie: teacher.cookie, headers: asBrowser });
  const matrix = warm.json;
  if (matrix.rows?.length !== TRAINEES || matrix.modules?.length !== MODULES) {
    throw new Error(`the matrix has ${matrix.rows?.length} rows and ${matrix.modules?.length} modules`);
  }
  const statuses = { not_started: 0, in_progress: 0, completed: 0 };
  for (const row of matrix.rows) for (const c of row.cells) statuses[c.status] = (statuses[c.status] ?? 0) + 1;
  const completedTrainees = matrix.rows.filter((r) => r.completed).length;
  const certificates = matrix.rows.filter((r) => r.certificate).length;
  const serverRuns = [];
  let encoding = null;
  let wireBytes = null;
  for (let i = 1; i <= SERVER_RUNS; i++) {
    const r = await call(base, 'GET', matrixPath, { cookie: teacher.cookie, headers: asBrowser });
    serverRuns.push(r.ms);
    encoding = r.headers['content-encoding'] ?? 'identity';
    wireBytes = r.raw.length;
    say(`GET ${matrixPath} run ${i}: ${r.ms.toFixed(1)} ms, ${r.raw.length} B (${encoding})`);
  }
  const jsonBytes = decode(warm).length;
  // The same without compression, for comparison (not the headline figure).
  const plainRuns = [];
  for (let i = 1; i <= SERVER_RUNS; i++) {
    const r = await call(base, 'GET', matrixPath, { cookie: teacher.cookie, headers: { 'Accept-Encoding': 'identity' } });
    plainRuns.push(r.ms);
  }
  say(`uncompressed: median ${median(plainRuns).toFixed(1)} ms, ${jsonBytes} B of JSON`);

  // ---------------------------------------------------------------- client ---
  const projector = CLIENT_RUNS ? await clientRuns(base, classId, PROJECTOR) : null;
  const phone = CLIENT_RUNS ? await clientRuns(base, classId, PHONE) : null;

  const cpus = os.cpus();
  const result = {
    trainees: TRAINEES,
    modules: MODULES,
    lessons: LESSONS.length,
    events: eventsStored,
    eventsPerTrainee: EVENTS_EACH,
    pushes,
    seedSeconds: seedS,
    classId,
    statuses,
    completedTrainees,
    certificates,
    server: {
      runs: serverRuns,
      medianMs: median(serverRuns),
      maxMs: Math.max(...serverRuns),
      encoding,
      wireBytes,
      jsonBytes,
      identityRuns: plainRuns,
      identityMedianMs: median(plainRuns),
    },
    client: CLIENT_RUNS ? { projector, phone } : null,
    database: DATABASE ? DATABASE.split(':')[0] : 'sqlite',
    date: new Date().toUTCString(),
    machine: {
      cpus: cpus.length,
      cpu: cpus[0]?.model ?? '?',
      memGiB: os.totalmem() / 2 ** 30,
      kernel: os.release(),
      loadavg: os.loadavg(),
    },
    serverBin: process.env.LOPHOC_SERVER_BIN,
  };
  writeFileSync(out, JSON.stringify(result, null, 2));
  if (outMd) writeFileSync(outMd, markdown(result));
  console.log(JSON.stringify({
    class_matrix: {
      trainees: result.trainees,
      modules: result.modules,
      events: result.events,
      server_median_ms: +result.server.medianMs.toFixed(1),
      server_max_ms: +result.server.maxMs.toFixed(1),
      json_bytes: result.server.jsonBytes,
      wire_bytes: result.server.wireBytes,
      encoding: result.server.encoding,
      client_projector_median_ms: projector ? +projector.medianRowsMs.toFixed(0) : null,
      client_phone_median_ms: phone ? +phone.medianRowsMs.toFixed(0) : null,
    },
  }));
} finally {
  await server?.stop();
  agent.destroy();
  rmSync(contentDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------- markdown ---
function markdown(r) {
  const int = (n) => Math.round(n).toLocaleString('en-US');
  const ms1 = (n) => `${n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ms`;
  const ms0 = (n) => `${int(n)} ms`;
  const list = (xs, f) => xs.map(f).join(', ');
  const s = r.server;
  const cmd = '`node e2e/bench/class-matrix.mjs OUT.json`';
  const c = r.client ? [r.client.projector, r.client.phone] : [];
  const vp = (x) => `${x.viewport.width}×${x.viewport.height}`;
  const L = [];
  L.push('## Class matrix (issue 5)');
  L.push('');
  L.push(`Run by \`make bench\` (${cmd}, with \`LOPHOC_SERVER_BIN\` the release server). ${r.date}; ${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memGiB.toFixed(1)} GiB memory, Linux ${r.machine.kernel}; load average at the end ${r.machine.loadavg.map((x) => x.toFixed(2)).join(' ')}. No issue sets a budget for these figures, so none is given. Unthrottled, loopback.`);
  L.push('');
  L.push('| Figure | Lophoc | Budget | Command |');
  L.push('|---|---:|---|---|');
  L.push(`| Class size | ${int(r.trainees)} trainees × ${r.modules} modules (${r.lessons} lessons, 1 assessment), ${int(r.events)} events | — | ${cmd} |`);
  L.push(`| Server: \`GET /api/classes/{id}/matrix\`, request to last byte (median / max of ${s.runs.length}) | **${ms1(s.medianMs)}** / ${ms1(s.maxMs)} (runs: ${list(s.runs, ms1)}) | — (none set) | ${cmd} |`);
  L.push(`| Matrix reply: JSON / as sent (${s.encoding}) | ${int(s.jsonBytes)} B / ${int(s.wireBytes)} B | — (none set) | ${cmd} |`);
  for (const x of c) {
    L.push(`| Client: navigation to ${int(r.trainees)} matrix rows in the DOM, Chromium ${vp(x)} (median of ${x.runs.length}) | **${ms0(x.medianRowsMs)}** (runs: ${list(x.runs, (u) => ms0(u.rowsMs))}) | — (none set) | ${cmd} |`);
  }
  L.push('');
  L.push(`- **The class.** A synthetic course \`${COURSE}\` (${r.modules} modules × ${LESSONS_PER_MODULE} lessons of filler text, a final assessment of ${QUESTIONS} single-choice questions; complete = every lesson read and the assessment passed) and a copy of the demo course are published by the release server, started on a free port with a fresh database. As the demo centre admin a class is created with the demo lecturer and a roster of ${int(r.trainees)} trainees imported from CSV (\`POST /api/classes/{id}/roster\`); each trainee logs in and pushes ${r.eventsPerTrainee} events from a device of their own in ${int(r.pushes)} pushes of ≤ ${MAX_BATCH} ops in all (\`POST /api/sync/push\`; set-up, ${r.seedSeconds.toFixed(1)} s, not measured): lessons opened again and again, lessons read up to a point that differs from trainee to trainee, and for ${Math.round(r.trainees * 0.25)} trainees who read everything, attempts at the assessment, passed or failed. The matrix shows ${int(r.statuses.completed)} module cells complete, ${int(r.statuses.in_progress)} in progress and ${int(r.statuses.not_started)} not started; ${r.completedTrainees} trainees completed the course and hold a certificate (${r.certificates} codes in the matrix), issued by the server on the way as in real use.`);
  L.push(`- **Server.** As the lecturer, over one keep-alive loopback connection, once to warm up and then ${s.runs.length} times, timed from sending the request to the last byte of the reply, asking as a browser does (\`Accept-Encoding: gzip, deflate, br\`). What that includes: the handler's whole work — loading the course outline and the assessment paper with its grades, every event of the class's trainees (${int(r.events)} rows read and parsed from JSON), deriving each trainee's progress and assessment results with lophoc-core's pure functions, a certificate look-up per trainee — and the JSON encoding and ${s.encoding} compression of the reply. Asked without compression (\`Accept-Encoding: identity\`), the median was ${ms1(s.identityMedianMs)}.`);
  if (c.length) L.push(`- **Client.** Debian's Chromium with a fresh profile per viewport logs in as the lecturer through the login page; then, ${c[0].runs.length} times, a fresh tab opens \`/classes/{id}\`. Timed in the page's own clock from the navigation's start (\`performance.now()\`) to the moment the matrix table (\`[data-testid=class-matrix]\`) has ${int(r.trainees)} body rows (a MutationObserver set up before the app runs); that includes loading the app (its shell from the service worker's cache, as for a lecturer who used the app before — a first tab, not reported, let the worker install; the document came from the worker in ${c.every((x) => x.shellFromServiceWorker) ? 'every' : '**not every**'} reported run), the class request, the matrix request and its reply, parsing the JSON and rendering the table. The API is never cached by the worker. Split by Resource Timing (medians): the matrix request left at ${c.map((x) => `${ms0(x.medianRequestStartMs)} (${vp(x)})`).join(' and ')}, its reply took ${c.map((x) => `${ms0(x.medianReplyWaitMs)}`).join(' and ')}, and parsing and rendering the ${int(r.trainees)} rows after the reply took ${c.map((x) => `${ms0(x.medianAfterReplyMs)}`).join(' and ')}. The frame after the rows were in the DOM came at a median of ${c.map((x) => `${ms0(x.medianFrameMs)}`).join(' and ')}. First render only. The reply takes longer here than alone (above) because the page asks at the same time for the class's question statistics (\`GET /api/classes/{id}/stats\`), which reads every event of the class too${c.every((x) => x.medianStatsEndMs != null) ? ` (its reply ended at a median of ${c.map((x) => ms0(x.medianStatsEndMs)).join(' and ')}, of the runs where it had ended before the matrix was in)` : ''}, and both share the machine's ${r.machine.cpus} cores with Chromium.`);
  L.push('');
  return `${L.join('\n')}\n`;
}
