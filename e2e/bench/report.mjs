// Writes BENCHMARKS.md from what scripts/bench.sh measured into its work
// folder: facts.env (KEY=value lines, among them the SYNC1_* and SYNC4_*
// lines of crates/server/examples/sync_load.rs and the LIVE<N>_* lines of
// crates/server/examples/live_load.rs), sizes.tsv, cold.json
// (cold-load.mjs), offline.json (offline-reload.mjs), idb.json
// (idb-bytes.mjs), pages.json (pages.mjs: the trainee pages of issue 15) and
// the Lighthouse reports lh-home-N.json / lh-lesson-N.json /
// lh-page-NAME-N.json (each trainee page but the lesson, signed in).
//
//   node e2e/bench/report.mjs WORK_DIR OUT.md
//
// Exits non-zero when a measurement is missing or unusable. A figure over its
// budget is reported as such, never an error: benchmarks are not tests.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeMedianRun } from 'lighthouse/core/lib/median-run.js';
import { readFacts } from './facts.mjs';

const [work, out] = process.argv.slice(2);
if (!work || !out) {
  console.error('usage: node report.mjs WORK_DIR OUT.md');
  process.exit(2);
}

const fail = (message) => {
  console.error(`[bench] FAILED: ${message}`);
  process.exit(1);
};

// ------------------------------------------------------------------ input ---
const facts = readFacts(join(work, 'facts.env'));
const need = (key) => {
  if (facts[key] === undefined || facts[key] === '') fail(`no measurement for ${key}`);
  return facts[key];
};
const needNumber = (key) => {
  const n = Number(need(key));
  if (!Number.isFinite(n)) fail(`${key} is not a number: ${facts[key]}`);
  return n;
};

const sizes = readFileSync(join(work, 'sizes.tsv'), 'utf8').split('\n').filter(Boolean).map((line) => {
  const [file, raw, gzip, brotli, served] = line.split('\t');
  return { file, raw: Number(raw), gzip: Number(gzip), brotli: Number(brotli), served: served === '-' ? null : Number(served) };
});
if (!sizes.length || sizes.some((s) => !(s.raw > 0 && s.gzip > 0 && s.brotli > 0))) fail('sizes are missing');
const wasm = sizes.find((s) => s.file.endsWith('_bg.wasm')) ?? fail('no .wasm size');
const traineeFiles = sizes.filter((s) => !s.file.startsWith('dist/staff/'));
const traineeGroups = traineeFiles.filter((s) => /-(split|chunk)_\w+\.wasm$/.test(s.file));
const traineeServed = traineeFiles.reduce((sum, s) => sum + (s.served ?? s.brotli), 0);

const cold = JSON.parse(readFileSync(join(work, 'cold.json'), 'utf8'));
if (!(cold.totalBytes > 0)) fail('the cold load measured no bytes');

const offline = JSON.parse(readFileSync(join(work, 'offline.json'), 'utf8'));
if (!(offline.runs?.length > 0) || offline.runs.some((r) => !(r.h1Ms > 0) || !r.fromServiceWorker)) {
  fail('the offline reload measured nothing usable');
}
const idb = JSON.parse(readFileSync(join(work, 'idb.json'), 'utf8'));
if (!(idb.bytesPerOp > 0 && idb.minBytesPerOp > 0 && idb.maxBytesPerOp > 0)) fail('the IndexedDB bytes per op are missing');

const lessonPath = need('LESSON_PATH');
function lighthouseRuns(name) {
  const files = readdirSync(work)
    .filter((f) => f.startsWith(`lh-${name}-`) && f.endsWith('.json'))
    .sort((a, b) => parseInt(a.slice(name.length + 4), 10) - parseInt(b.slice(name.length + 4), 10));
  if (!files.length) fail(`no Lighthouse report for ${name}`);
  return files.map((f) => {
    const lhr = JSON.parse(readFileSync(join(work, f), 'utf8'));
    if (lhr.runtimeError) fail(`Lighthouse ${f}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const score = lhr.categories?.performance?.score;
    if (typeof score !== 'number') fail(`Lighthouse ${f}: no performance score`);
    for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'total-byte-weight', 'interactive']) {
      if (typeof lhr.audits[id]?.numericValue !== 'number') fail(`Lighthouse ${f}: no ${id}`);
    }
    return lhr;
  });
}
const home = lighthouseRuns('home');
const lesson = lighthouseRuns('lesson');
const homeMedian = computeMedianRun(home);
const lessonMedian = computeMedianRun(lesson);

// The trainee pages (issue 15): pages.mjs's figures, and Lighthouse's mobile
// score for each first visit (the lesson's runs are the ones above: the same
// command, signed in the same way).
const pagesData = JSON.parse(readFileSync(join(work, 'pages.json'), 'utf8'));
if (!(pagesData.pages?.length > 0)) fail('pages.json measured no trainee page');
const pagesLhRuns = needNumber('PAGES_LH_RUNS');
const pages = pagesData.pages.map((p) => {
  for (const visit of ['first', 'returning']) {
    const v = p[visit];
    if (!(v?.lcpMs > 0) || !(v.cls >= 0) || !(v.bytes >= 0)) fail(`pages.json: no ${visit} visit figures for ${p.path}`);
  }
  if (!(p.first.bytes > 0)) fail(`pages.json: the first visit of ${p.path} counted no bytes`);
  let lhRuns = null;
  if (p.name === 'lesson') lhRuns = lesson;
  else if (pagesLhRuns > 0) lhRuns = lighthouseRuns(`page-${p.name}`);
  let lhMedian = null;
  if (lhRuns) {
    // A Lighthouse run that did not stay on the page measured another one.
    lhRuns.forEach((lhr, i) => {
      const finalPath = new URL(lhr.finalDisplayedUrl).pathname;
      if (finalPath !== p.path) fail(`Lighthouse run ${i + 1} of ${p.path} ended on ${lhr.finalDisplayedUrl}`);
    });
    lhMedian = computeMedianRun(lhRuns);
  }
  return { ...p, lhRuns, lhMedian };
});

// The lesson needs a session: check every run really showed the lesson, not
// the login page the client redirects to without one.
const warnings = [];
const lessonApi = `/api${lessonPath}`;
lesson.forEach((lhr, i) => {
  const finalPath = new URL(lhr.finalDisplayedUrl).pathname;
  const requests = lhr.audits['network-requests']?.details?.items ?? [];
  const fetched = requests.some((r) => {
    try { return new URL(r.url).pathname === lessonApi && r.statusCode === 200; } catch { return false; }
  });
  if (finalPath !== lessonPath || !fetched) {
    warnings.push(`Lighthouse lesson run ${i + 1} may not have rendered the lesson: final URL ${lhr.finalDisplayedUrl}, ` +
      `${fetched ? 'a' : 'no'} 200 from ${lessonApi}.`);
  }
});
if (cold.finalUrl && new URL(cold.finalUrl).pathname !== '/') {
  warnings.push(`The cold load of / ended on ${cold.finalUrl}.`);
}
if (offline.pageErrors?.length) warnings.push(`Page errors during the offline reloads: ${offline.pageErrors.join('; ')}`);
if (cold.pageErrors?.length) warnings.push(`Page errors during the cold load: ${cold.pageErrors.join('; ')}`);
if (cold.serviceWorkers?.length && cold.serviceWorkerBytes === undefined) {
  warnings.push(`A service worker ran during the cold load (${cold.serviceWorkers.join(', ')}); its own fetches were not measured.`);
}
for (const p of pages) {
  if (p.name === 'lesson' || !p.lhRuns) continue;
  p.lhRuns.forEach((lhr, i) => {
    for (const w of lhr.runWarnings ?? []) warnings.push(`Lighthouse ${p.name} (signed in) run ${i + 1}: ${w}`);
  });
}
for (const [name, runs] of [['home', home], ['lesson', lesson]]) {
  runs.forEach((lhr, i) => {
    for (const w of lhr.runWarnings ?? []) warnings.push(`Lighthouse ${name} run ${i + 1}: ${w}`);
  });
}
for (const w of warnings) console.error(`[bench] WARNING: ${w}`);

// ---------------------------------------------------------------- figures ---
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const startsUs = need('START_US').split(' ').map(Number);
if (!startsUs.length || startsUs.some((x) => !(x > 0))) fail('no server start times');
const startMedianS = median(startsUs) / 1e6;
const rssIdleBytes = needNumber('RSS_IDLE_KB') * 1024;
const rssAfterPagesBytes = needNumber('RSS_AFTER_PAGES_KB') * 1024;
const rssAfterLoginsBytes = needNumber('RSS_AFTER_LOGINS_KB') * 1024;

const lh = (lhr) => ({
  score: Math.round(lhr.categories.performance.score * 100),
  fcp: lhr.audits['first-contentful-paint'].numericValue,
  lcp: lhr.audits['largest-contentful-paint'].numericValue,
  tbt: lhr.audits['total-blocking-time'].numericValue,
  si: lhr.audits['speed-index'].numericValue,
  cls: lhr.audits['cumulative-layout-shift'].numericValue,
  tti: lhr.audits.interactive.numericValue,
  bytes: lhr.audits['total-byte-weight'].numericValue,
  finalUrl: lhr.finalDisplayedUrl,
});
const homeLh = lh(homeMedian);
const lessonLh = lh(lessonMedian);

// ------------------------------------------------------------- formatting ---
const int = (n) => Math.round(n).toLocaleString('en-US');
const kb = (bytes, digits = 1) => `${(bytes / 1000).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} KB`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const sec = (ms, digits = 2) => `${(ms / 1000).toFixed(digits)} s`;
const msf = (ms) => `${int(ms)} ms`;
const verdict = (ok) => (ok ? '✅ within budget' : '❌ over budget');
const code = (s) => `\`${s}\``;
const KOLIBRI = {
  coldBytes: '2,839 KB (sign-in page; 559 KB of it JS)',
  score: '55 (sign-in page)',
  lcp: '16.2 s (sign-in page)',
  start: '1.78 s',
  rss: '114 MB',
};
const CMD = '`make bench`';

// Live session load: LIVE<N>_* for each N (answers spread over 3 s), and
// LIVEBURST_* (every player answers at once).
const LIVE_SIZES = need('LIVE_SIZES').split(' ').map(Number);
const liveRun = (prefix) => {
  const n = (key) => needNumber(`${prefix}_${key}`);
  const run = {
    players: n('PLAYERS'), questions: n('QUESTIONS'), spread: n('SPREAD_MS'),
    joinAll: n('JOIN_ALL_MS'), joinP50: n('JOIN_P50_MS'), joinP99: n('JOIN_P99_MS'),
    acks: n('ACKS'), ackP50: n('ACK_P50_MS'), ackP95: n('ACK_P95_MS'), ackP99: n('ACK_P99_MS'), ackMax: n('ACK_MAX_MS'),
    fanP50: n('FANOUT_P50_MS'), fanP99: n('FANOUT_P99_MS'),
    cpuS: n('SERVER_CPU_S'), wallS: n('SERVER_WALL_S'), cpuPct: n('SERVER_CPU_PERCENT'),
    rssAfter: n('SERVER_RSS_AFTER_KB') * 1024, rssPeak: n('SERVER_RSS_PEAK_KB') * 1024,
  };
  if (run.acks !== run.players * run.questions) fail(`${prefix}: ${run.acks} acks for ${run.players} players`);
  return run;
};
const live = LIVE_SIZES.map((n) => liveRun(`LIVE${n}`));
const liveBurst = liveRun('LIVEBURST');
const liveTop = live[live.length - 1];

const budgets = {
  liveAck: liveTop.ackP99 <= 250,
  liveFanout: liveTop.fanP99 <= 500,
  cold: cold.totalBytes <= 300_000,
  homeScore: homeLh.score >= 95,
  homeLcp: homeLh.lcp <= 2500,
  lessonScore: lessonLh.score >= 95,
  lessonLcp: lessonLh.lcp <= 2500,
  start: startMedianS <= 0.3,
  rss: rssIdleBytes <= 30e6,
};

// Issue 15's targets for every trainee page.
const PAGE_BUDGET = { score: 95, lcpMs: 2500, cls: 0.05, returningLcpMs: 1000 };
for (const p of pages) {
  p.lh = p.lhMedian ? lh(p.lhMedian) : null;
  p.ok = {
    score: p.lh ? p.lh.score >= PAGE_BUDGET.score : null,
    lcp: p.first.lcpMs <= PAGE_BUDGET.lcpMs,
    cls: p.first.cls <= PAGE_BUDGET.cls,
    returningLcp: p.returning.lcpMs <= PAGE_BUDGET.returningLcpMs,
  };
}
const worst = (xs, f, higherIsWorse = true) => xs.reduce((a, b) => ((higherIsWorse ? f(b) > f(a) : f(b) < f(a)) ? b : a));
const pagesScored = pages.filter((p) => p.lh);
budgets.pagesScore = pagesScored.length ? pagesScored.every((p) => p.ok.score) : true;
budgets.pagesLcp = pages.every((p) => p.ok.lcp);
budgets.pagesCls = pages.every((p) => p.ok.cls);
budgets.pagesReturningLcp = pages.every((p) => p.ok.returningLcp);

const codeBytes = cold.resources
  .filter((r) => r.type === 'Script' || r.path.endsWith('.wasm') || r.path.endsWith('.js'))
  .reduce((sum, r) => sum + r.transferred, 0);
const wasmBytes = cold.resources.filter((r) => r.path.endsWith('.wasm')).reduce((s, r) => s + r.transferred, 0);
const range = (xs, f) => (xs.length > 1 ? ` (runs: ${xs.map(f).join(', ')})` : '');

// ----------------------------------------------------------------- output ---
const L = [];
const memGiB = needNumber('MEM_KB') / 1024 / 1024;
L.push('# Lophoc benchmarks');
L.push('');
L.push(`Written by ${CMD} (\`scripts/bench.sh\`, run after \`make build\`); do not edit by hand — run it again.`);
L.push('');
L.push(`- **Date:** ${need('DATE')}`);
L.push(`- **Machine:** ${need('NPROC')} × ${need('CPU')}, ${memGiB.toFixed(1)} GiB memory, Linux ${need('KERNEL')}`);
L.push(`- **Load average** (1, 5, 15 min) at start: ${need('LOADAVG_START')}; at the end: ${need('LOADAVG_END')}` +
  ' — other work on the machine slows the page figures down');
L.push(`- **Commit:** ${need('COMMIT')}`);
L.push(`- **Tools:** ${need('CHROMIUM')}; Lighthouse ${need('LIGHTHOUSE')} (benchmarkIndex ${int(homeMedian.environment?.benchmarkIndex ?? NaN)}); Node ${need('NODE')}; server ${code(need('SERVER_BIN'))}`);
L.push('- **Units:** KB = 1,000 bytes, MB = 1,000,000 bytes.');
L.push('');
if (warnings.length) {
  L.push('> **Warnings**');
  for (const w of warnings) L.push(`> - ${w}`);
  L.push('');
}
L.push('## Summary');
L.push('');
L.push('| Figure | Lophoc | Budget | Verdict | Kolibri 0.19.5 | Command |');
L.push('|---|---:|---:|---|---:|---|');
L.push(`| Cold load of the home page \`/\`, transferred | ${kb(cold.totalBytes)} (${kb(codeBytes)} of it JS + wasm) | ≤ 300 KB | ${verdict(budgets.cold)} | ${KOLIBRI.coldBytes} | ${CMD} |`);
if (cold.serviceWorkerBytes !== undefined) {
  L.push(`| ↳ then, in the background, the service worker's offline copy of a visitor's pages (not the page's load; no budget) | ${kb(cold.serviceWorkerBytes)} more over the network | — | — | — (Kolibri has no offline copy) | ${CMD} |`);
}
L.push(`| Lighthouse mobile performance, \`/\` | ${homeLh.score} | ≥ 95 | ${verdict(budgets.homeScore)} | ${KOLIBRI.score} | ${CMD} |`);
L.push(`| Lighthouse mobile LCP, \`/\` | ${msf(homeLh.lcp)} | ≤ 2,500 ms | ${verdict(budgets.homeLcp)} | ${KOLIBRI.lcp} | ${CMD} |`);
L.push(`| Lighthouse mobile performance, lesson page (signed in) | ${lessonLh.score} | ≥ 95 | ${verdict(budgets.lessonScore)} | — | ${CMD} |`);
L.push(`| Lighthouse mobile LCP, lesson page (signed in) | ${msf(lessonLh.lcp)} | ≤ 2,500 ms | ${verdict(budgets.lessonLcp)} | — | ${CMD} |`);
{
  const n = pages.length;
  const slow = worst(pages, (p) => p.first.lcpMs);
  const shifty = worst(pages, (p) => p.first.cls);
  const slowBack = worst(pages, (p) => p.returning.lcpMs);
  if (pagesScored.length) {
    const low = worst(pagesScored, (p) => p.lh.score, false);
    L.push(`| Trainee pages (${pagesScored.length}), first visit: Lighthouse mobile performance, lowest (signed in) | ${low.lh.score} (${low.label.toLowerCase()}) | ≥ ${PAGE_BUDGET.score} | ${verdict(budgets.pagesScore)}${pagesScored.length > 1 ? ` (${pagesScored.filter((p) => !p.ok.score).length} of ${pagesScored.length} over)` : ''} | — | ${CMD} |`);
  }
  L.push(`| Trainee pages (${n}), first visit under the mobile profile: LCP, slowest | ${msf(slow.first.lcpMs)} (${slow.label.toLowerCase()}) | ≤ ${int(PAGE_BUDGET.lcpMs)} ms | ${verdict(budgets.pagesLcp)} (${pages.filter((p) => !p.ok.lcp).length} of ${n} over) | — | ${CMD} |`);
  L.push(`| Trainee pages (${n}), first visit under the mobile profile: CLS, worst | ${shifty.first.cls.toFixed(3)} (${shifty.label.toLowerCase()}) | ≤ ${PAGE_BUDGET.cls} | ${verdict(budgets.pagesCls)} (${pages.filter((p) => !p.ok.cls).length} of ${n} over) | — | ${CMD} |`);
  L.push(`| Trainee pages (${n}), returning device under the mobile profile: LCP, slowest | ${msf(slowBack.returning.lcpMs)} (${slowBack.label.toLowerCase()}) | ≤ ${int(PAGE_BUDGET.returningLcpMs)} ms | ${verdict(budgets.pagesReturningLcp)} (${pages.filter((p) => !p.ok.returningLcp).length} of ${n} over) | — | ${CMD} |`);
}
L.push(`| Server start to first 200, with the demo data (median of ${startsUs.length}) | ${sec(startMedianS * 1000, 3)} (${(startMedianS * 1000).toFixed(1)} ms) | ≤ 0.3 s | ${verdict(budgets.start)} | ${KOLIBRI.start} | ${CMD} |`);
L.push(`| Server idle RSS | ${mb(rssIdleBytes)} | ≤ 30 MB | ${verdict(budgets.rss)} | ${KOLIBRI.rss} | ${CMD} |`);
L.push(`| Live session, ${int(liveTop.players)} players: answer-ack latency p99 | ${liveTop.ackP99.toFixed(2)} ms | ≤ 250 ms | ${verdict(budgets.liveAck)} | — | ${CMD} |`);
L.push(`| Live session, ${int(liveTop.players)} players: question fan-out latency p99 | ${liveTop.fanP99.toFixed(1)} ms | ≤ 500 ms | ${verdict(budgets.liveFanout)} | — | ${CMD} |`);
L.push(`| Release \`.wasm\`, main module, brotli -q 11 (raw / gzip -9) | ${kb(wasm.brotli)} (${kb(wasm.raw)} / ${kb(wasm.gzip)}) | — | — | — | ${CMD} |`);
L.push(`| The trainees' build, every file as served (main module, ${traineeGroups.length} groups and shared chunks, JS, CSS, HTML): what a signed-in device keeps for offline use | ${kb(traineeServed)} | — | — | — | ${CMD} |`);
L.push('');
L.push('Kolibri 0.19.5 was measured on a machine of this kind with the same Lighthouse; its page figures are for its sign-in page, the first page a learner loads, so they sit beside Lophoc\'s home page.');
L.push('');

// Sizes
L.push('## Release client sizes');
L.push('');
L.push(`Files in \`dist/\` as \`make build\` left them. Command: ${CMD}, which runs \`wc -c\`, \`gzip -9 -c FILE | wc -c\` and \`brotli -q 11 -c FILE | wc -c\` on each; "served" is the precompressed \`.br\` copy the server sends.`);
L.push('');
L.push('| File | Raw | gzip -9 | brotli -q 11 | Served (.br) |');
L.push('|---|---:|---:|---:|---:|');
for (const s of sizes) {
  L.push(`| \`${s.file}\` | ${int(s.raw)} B | ${int(s.gzip)} B | ${int(s.brotli)} B | ${s.served === null ? '—' : `${int(s.served)} B`} |`);
}
L.push('');
L.push('Each build is cut into a main module (`…_bg.wasm`, what every page loads) and groups of pages fetched when first opened (`…-split_<group>.wasm`, with code shared by several groups in `…-chunk_<n>.wasm`); see the README, "Code split by page".');
L.push('');
L.push('`dist/` is the build trainees load; `dist/staff/` is the build with the lecturers\' and administrators\' pages (classes, report, presenter, bank, grading, authoring, review), sent only for those pages and cached only on devices where staff sign in (see the README, "Two builds of the client").');
L.push('');

// Cold load
L.push('## Cold load of the home page');
L.push('');
L.push(`Command: ${CMD} (\`e2e/bench/cold-load.mjs\`): playwright-core drives Debian's Chromium with a fresh profile (empty cache), loads \`/\`, waits until an \`<h1>\` is visible ("${cold.h1}", after ${int(cold.renderedMs)} ms here, unthrottled) and the network has been idle for 500 ms, and sums what Chromium counts as received for each request (CDP \`Network.loadingFinished\` encodedDataLength: headers plus the body as sent, compressed).`);
L.push('');
L.push(`**Total: ${int(cold.totalBytes)} bytes (${kb(cold.totalBytes)}) in ${cold.resources.length} requests; the \`.wasm\` is ${(100 * wasmBytes / cold.totalBytes).toFixed(1)} % of it.**`);
L.push('');
L.push('| Resource | Type | Status | Encoding | Transferred | Decoded body |');
L.push('|---|---|---:|---|---:|---:|');
for (const r of [...cold.resources].sort((a, b) => b.transferred - a.transferred)) {
  L.push(`| \`${r.path}\` | ${r.type} | ${r.status ?? (r.failed || '—')} | ${r.encoding || 'none'} | ${int(r.transferred)} B | ${int(r.decodedBytes)} B |`);
}
L.push('');
if (cold.serviceWorkerResources) {
  L.push(`Then the service worker keeps what a visitor can open offline (README, "Code split by page"): **${int(cold.serviceWorkerBytes)} bytes (${kb(cold.serviceWorkerBytes)}) more over the network** in ${cold.serviceWorkerResources.length} requests; the files the page had just loaded come from Chromium's HTTP cache (0 B below). The other groups of pages (courses and questions, live quiz, sync) are fetched once someone signs in; see "Release client sizes" for their size.`);
  L.push('');
  L.push('| Service worker request | Status | Over the network |');
  L.push('|---|---:|---:|');
  for (const r of [...cold.serviceWorkerResources].sort((a, b) => b.transferred - a.transferred)) {
    L.push(`| \`${r.path}\` | ${r.status ?? (r.failed || '—')} | ${int(r.transferred)} B |`);
  }
  L.push('');
}

// Lighthouse
const settings = homeMedian.configSettings;
const t = settings.throttling;
L.push('## Lighthouse, mobile');
L.push('');
L.push(`Command: ${CMD}, which runs, ${need('LH_RUNS')} times per page, \`CHROME_PATH=/usr/bin/chromium e2e/bench/node_modules/.bin/lighthouse URL --only-categories=performance --output=json --chrome-flags="${need('CHROME_FLAGS')}"\` (plus \`--extra-headers\` with the session cookie of a login as \`hocvien\` for the lesson), and reports the median run as Lighthouse picks it (closest to the median FCP and TTI). Default mobile settings: ${settings.formFactor} emulation, ${settings.throttlingMethod}d throttling (RTT ${t.rttMs} ms, ${int(t.throughputKbps)} Kbps, CPU slowed ×${t.cpuSlowdownMultiplier}).`);
L.push('');
L.push('| Page | Performance | FCP | LCP | TBT | Speed Index | CLS | TTI | Total byte weight |');
L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const [label, runs, m] of [['`/`', home, homeMedian], [`\`${lessonPath}\``, lesson, lessonMedian]]) {
  const v = lh(m);
  L.push(`| ${label} (median run) | **${v.score}** | ${msf(v.fcp)} | **${msf(v.lcp)}** | ${msf(v.tbt)} | ${msf(v.si)} | ${v.cls.toFixed(3)} | ${msf(v.tti)} | ${kb(v.bytes)} |`);
  runs.forEach((lhr, i) => {
    const r = lh(lhr);
    L.push(`| ↳ run ${i + 1} | ${r.score} | ${msf(r.fcp)} | ${msf(r.lcp)} | ${msf(r.tbt)} | ${msf(r.si)} | ${r.cls.toFixed(3)} | ${msf(r.tti)} | ${kb(r.bytes)} |`);
  });
}
L.push('');
L.push(`Lesson final URL (median run): \`${lessonLh.finalUrl}\` — ${warnings.some((w) => w.startsWith('Lighthouse lesson')) ? '**not the lesson: see the warnings above**' : 'the lesson rendered (its API answered 200 and the URL stayed on the lesson).'}`);
L.push('');

function flagged(lhr) {
  const rows = [];
  for (const ref of lhr.categories.performance.auditRefs) {
    const a = lhr.audits[ref.id];
    if (ref.group === 'metrics') {
      // A metric scored below "good" is what pulls the performance score down.
      if (typeof a?.score === 'number' && a.score < 0.9) {
        rows.push(`| ${a.title} (\`${ref.id}\`, metric scored ${Math.round(a.score * 100)}) | ${a.displayValue || '—'} | — |`);
      }
      continue;
    }
    if (!a || a.scoreDisplayMode === 'error' || a.scoreDisplayMode === 'notApplicable' || a.scoreDisplayMode === 'manual') continue;
    const d = a.details ?? {};
    const savingsMs = d.overallSavingsMs ?? 0;
    const savingsBytes = d.overallSavingsBytes ?? 0;
    const opportunity = d.type === 'opportunity' && (savingsMs > 0 || savingsBytes > 0);
    const low = typeof a.score === 'number' && a.score < 0.9 && a.scoreDisplayMode !== 'informative';
    if (opportunity || low) {
      const savings = [savingsMs > 0 ? `${int(savingsMs)} ms` : '', savingsBytes > 0 ? `${kb(savingsBytes)}` : ''].filter(Boolean).join(', ');
      rows.push(`| ${a.title} (\`${a.id}\`) | ${a.displayValue || '—'} | ${savings || '—'} |`);
    }
  }
  return rows;
}
function errored(lhr) {
  return lhr.categories.performance.auditRefs
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a && a.scoreDisplayMode === 'error')
    .map((a) => a.id);
}
function diagnostics(lhr) {
  const out = [];
  const mw = lhr.audits['mainthread-work-breakdown'];
  if (mw?.displayValue) {
    out.push(`main-thread work ${mw.displayValue} (${(mw.details?.items ?? []).slice(0, 3).map((i) => `${i.groupLabel} ${msf(i.duration)}`).join(', ')})`);
  }
  const lt = lhr.audits['long-tasks'];
  if (lt?.displayValue) out.push(`${lt.displayValue} (longest ${msf(Math.max(0, ...(lt.details?.items ?? []).map((i) => i.duration)))})`);
  const bt = lhr.audits['bootup-time'];
  if (bt?.displayValue) out.push(`JavaScript execution ${bt.displayValue}`);
  const dom = lhr.audits['dom-size'];
  if (dom?.displayValue) out.push(`DOM ${dom.displayValue}`);
  const ttl = lhr.audits['uses-long-cache-ttl'];
  if (ttl?.displayValue) out.push(`long cache lifetimes: ${ttl.displayValue} without one`);
  return out;
}
for (const [label, m] of [['`/`', homeMedian], [`the lesson page`, lessonMedian]]) {
  L.push(`### What Lighthouse flagged on ${label} (median run)`);
  L.push('');
  const rows = flagged(m);
  if (rows.length) {
    L.push('| Audit | Found | Estimated savings |');
    L.push('|---|---|---:|');
    L.push(...rows);
  } else {
    L.push('No opportunity with estimated savings, no failing audit.');
  }
  L.push('');
  const diag = diagnostics(m);
  if (diag.length) L.push(`Diagnostics: ${diag.join('; ')}.`);
  const errs = errored(m);
  if (errs.length) {
    L.push('');
    L.push(`Audits Lighthouse ${need('LIGHTHOUSE')} could not compute with this Chromium (its trace format is newer than this Lighthouse knows; the metrics above are unaffected): ${errs.map(code).join(', ')}.`);
  }
  L.push('');
}

// Trainee pages
{
  const t = pagesData.throttling;
  const dec1 = (x) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const mark = (ok) => (ok === null ? '' : ok ? ' ✅' : ' ❌');
  const lhCell = (p) => {
    if (!p.lh) return 'not run';
    return `**${p.lh.score}**${mark(p.ok.score)} (LCP ${sec(p.lh.lcp, 1)}, CLS ${p.lh.cls.toFixed(3)})`;
  };
  const lhNote = pagesLhRuns > 0
    ? `the median of ${pagesLhRuns} Lighthouse run${pagesLhRuns > 1 ? 's' : ''} per page as Lighthouse picks it (\`BENCH_PAGES_LIGHTHOUSE_RUNS\`), the lesson's from the ${lesson.length} run${lesson.length > 1 ? 's' : ''} of "Lighthouse, mobile" above`
    : 'Lighthouse was not run on these pages (`BENCH_PAGES_LIGHTHOUSE_RUNS=0`) but for the lesson, whose runs are those of "Lighthouse, mobile" above';
  L.push('## Trainee pages on a slow phone (issue 15)');
  L.push('');
  L.push(`Command: ${CMD} (\`node e2e/bench/pages.mjs URL OUT.json\`, ${pagesData.runs} run${pagesData.runs > 1 ? 's' : ''} per page, \`BENCH_PAGES_RUNS\`; the median of each figure). Debian's Chromium (one browser, a new context per run) signed in as \`${pagesData.user}\` with the demo data, under Lighthouse's mobile profile applied through CDP: CPU slowed ×${t.cpu} (\`Emulation.setCPUThrottlingRate\`), ${dec1(t.latencyMs)} ms latency, ${dec1(t.downKbps)} Kbit/s down and ${dec1(t.upKbps)} Kbit/s up (\`Network.emulateNetworkConditions\`, Kbit = 1,024 bits: ${int(t.network.downloadThroughput)} B/s down${t.name === 'devtools' ? "; Lighthouse's devtools-throttling figures, `BENCH_PAGES_THROTTLING=devtools`" : ''}), a ${pagesData.device.viewport.width}×${pagesData.device.viewport.height} screen at ${pagesData.device.deviceScaleFactor}× with touch and Lighthouse's mobile user agent.`);
  L.push('');
  L.push(`- **First visit:** a fresh profile (empty cache, no service worker, no IndexedDB) with only the session cookie of a real \`POST /api/auth/login\`${pagesData.signedInMark ? ` and the device's signed-in mark (\`localStorage\` \`${pagesData.signedInMark}\` = "1", which the app's own sign-in sets and \`index.html\` reads)` : ' (not even the signed-in mark the app\'s own sign-in sets: `BENCH_PAGES_MARK=0`)'}, opening the page's address directly, as from a link in the class's chat group.`);
  L.push(`- **Returning device:** the same profile once the service worker (version \`${pagesData.serviceWorker.version}\`) controls the page and holds the ${pagesData.serviceWorker.files} files it keeps for a signed-in device; a new tab opens the address again. Its document came from the service worker in ${pages.reduce((n, p) => n + p.runs.filter((r) => r.returning.documentFromServiceWorker).length, 0)} of ${pages.reduce((n, p) => n + p.runs.length, 0)} runs; the API still goes over the throttled network, so its bytes are the API's.`);
  L.push(`- **LCP** is the last \`largest-contentful-paint\` entry once the page settled (load event, the app mounted, no "loading" line, an \`<h1>\`, the network quiet for 1 s). **CLS** is the largest session window of layout shifts (gap 1 s, at most 5 s), as Lighthouse counts it. **Bytes** are what came over the network for the tab's requests (CDP \`Network.loadingFinished\` encodedDataLength; what the service worker or the HTTP cache answered is not counted). The service worker's own downloads run apart and are not the page's.`);
  L.push(`- **Lighthouse** is \`lighthouse URL\` as in "Lighthouse, mobile" above (simulated throttling, a fresh profile) with \`--extra-headers\` holding the session cookie and no signed-in mark (a flag cannot set \`localStorage\`); ${lhNote}.`);
  L.push('');
  L.push(`| Page | First visit: Lighthouse (≥ ${PAGE_BUDGET.score}) | First visit: LCP (≤ ${int(PAGE_BUDGET.lcpMs)} ms) | First visit: CLS (≤ ${PAGE_BUDGET.cls}) | First visit: bytes | Returning: LCP (≤ ${int(PAGE_BUDGET.returningLcpMs)} ms) | Returning: CLS | Returning: bytes |`);
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of pages) {
    L.push(`| ${p.label} \`${p.path}\` | ${lhCell(p)} | **${msf(p.first.lcpMs)}**${mark(p.ok.lcp)} | **${p.first.cls.toFixed(3)}**${mark(p.ok.cls)} | ${kb(p.first.bytes)} | **${msf(p.returning.lcpMs)}**${mark(p.ok.returningLcp)} | ${p.returning.cls.toFixed(3)} | ${kb(p.returning.bytes)} |`);
  }
  L.push('');
  L.push('What each page showed (its `<h1>`), its largest paint on a first visit, and each run (LCP, first visit / returning):');
  L.push('');
  L.push('| Page | `<h1>` | First visit: largest paint | Runs: first visit LCP | Runs: returning LCP | First visit: requests |');
  L.push('|---|---|---|---|---|---:|');
  const esc = (s) => String(s ?? '—').replace(/\|/g, '\\|');
  const element = (e) => (e ? `\`${e.selector}\` “${esc(e.text)}”` : '—');
  for (const p of pages) {
    L.push(`| ${p.label} | ${esc(p.h1)} | ${element(p.first.lcpElement)} | ${p.runs.map((r) => msf(r.first.lcpMs)).join(', ')} | ${p.runs.map((r) => msf(r.returning.lcpMs)).join(', ')} | ${int(p.first.requests)} |`);
  }
  L.push('');
  L.push(`Measured in ${int(pagesData.seconds)} s on ${need('NPROC')} cores shared with the server (unthrottled) and the rest of the machine; the CPU slowdown is relative to this machine, not to a phone, so the figures move with the load average above.`);
  L.push('');
}

// Server
L.push('## Server');
L.push('');
L.push(`Command: ${CMD}. The release server (\`${need('SERVER_BIN')}\`) runs on 127.0.0.1 on a free port with a fresh temporary SQLite database and the demo content; a first start seeds the demo accounts and publishes the course, and is not measured.`);
L.push('');
L.push(`- **Start to first 200:** time from spawning the process until \`GET /api/health\` first answers 200, polled every 5 ms over a raw loopback socket; ${startsUs.length} starts on the seeded database. Median **${sec(startMedianS * 1000, 3)}**${range(startsUs, (us) => `${(us / 1000).toFixed(1)} ms`)}.`);
L.push(`- **Idle RSS:** \`VmRSS\` in \`/proc/PID/status\`, 2 s after a start and a login, the course list, the course outline and a lesson: **${mb(rssIdleBytes)}**.`);
L.push(`- For information (no budget): ${mb(rssAfterPagesBytes)} after the cold load and the Lighthouse runs; ${mb(rssAfterLoginsBytes)} after ${need('EXTRA_LOGINS')} more logins (each login verifies an Argon2 hash, which needs 19 MiB of memory).`);
L.push('');

// Offline and sync
const sync = (prefix) => {
  const n = (key) => needNumber(`${prefix}_${key}`);
  return {
    devices: n('DEVICES'),
    opsPerDevice: n('OPS_PER_DEVICE'),
    ops: n('OPS_TOTAL'),
    maxBatch: n('MAX_BATCH'),
    batches: n('BATCHES'),
    batchesPerDevice: n('BATCHES_PER_DEVICE'),
    drainMs: n('DRAIN_MS'),
    slowestMs: n('SLOWEST_DEVICE_MS'),
    opsPerS: n('OPS_PER_S'),
    p50: n('PUSH_MS_P50'),
    p95: n('PUSH_MS_P95'),
    max: n('PUSH_MS_MAX'),
    verified: n('VERIFIED_EVENTS'),
    opJson: n('OP_JSON_BYTES'),
    batchOps: n('BATCH_OPS'),
    batchBody: n('BATCH_BODY_BYTES'),
    replyBytes: n('PUSH_REPLY_BYTES'),
    idbJson: n('IDB_JSON_BYTES_PER_OP'),
    idbKeys: n('IDB_KEY_BYTES_PER_OP'),
    rssBytes: n('RSS_KB') * 1024,
    dbGrowth: n('DB_AFTER_BYTES') - n('DB_BEFORE_BYTES'),
  };
};
const s1 = sync('SYNC1');
const s4 = sync('SYNC4');
for (const s of [s1, s4]) {
  if (!(s.ops > 0 && s.drainMs > 0 && s.batches > 0 && s.verified >= s.ops)) fail(`the sync drain with ${s.devices} device(s) is incomplete`);
}
const batchGzip = needNumber('SYNC_BATCH_GZIP_BYTES');
const offlineMedian = offline.medianH1Ms;
const dec = (x, digits = 1) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const SL = '`cargo run --profile server -p lophoc-server --example sync_load -- --url http://127.0.0.1:PORT';
const cmdDrain = (devices) => `${SL} --ops ${int(s1.opsPerDevice).replace(/,/g, '')} --devices ${devices}\``;
const cmdWire = `${SL} --ops ${int(s1.opsPerDevice).replace(/,/g, '')} --devices 1 --sample-batch FILE\`, then \`gzip -6 -c FILE \\| wc -c\``;
const cmdIdb = `\`node e2e/bench/idb-bytes.mjs URL FILE OUT.json ${idb.n}\``;
const cmdOffline = `\`node e2e/bench/offline-reload.mjs URL OUT.json ${offline.runs.length}\``;
const NB = '— (none set)';
if (s4.p95 > 10 * s1.p95) {
  // Not an error: worth reading next to the throughput.
  console.error(`[bench] note: with ${s4.devices} devices the push round trip p95 is ${dec(s4.p95)} ms against ${dec(s1.p95)} ms for one`);
}

L.push('## Offline and sync');
L.push('');
L.push(`Run by ${CMD} (each figure's own command below; \`PORT\`, \`URL\` and \`FILE\` are what \`scripts/bench.sh\` picks). No issue sets a budget for these figures, so none is given. The release server runs on 127.0.0.1 on a free port; each drain gets a fresh temporary SQLite database (WAL, \`synchronous=FULL\`: every push commits with an fsync before it replies), seeded by a first start. The load generator, \`crates/server/examples/sync_load.rs\`, runs on the same ${need('NPROC')} cores as the server.`);
L.push('');
L.push('| Figure | Lophoc | Budget | Command |');
L.push('|---|---:|---|---|');
L.push(`| Drain ${int(s1.ops)} queued ops, one device, loopback | **${sec(s1.drainMs, 2)}** in ${int(s1.batches)} pushes of ≤ ${s1.maxBatch} ops (push round trip median ${dec(s1.p50)} ms, p95 ${dec(s1.p95)} ms) | ${NB} | ${cmdDrain(1)} |`);
L.push(`| Server push throughput, one device | **${int(s1.opsPerS)} ops/s** | ${NB} | ${cmdDrain(1)} |`);
L.push(`| Server push throughput, ${s4.devices} devices pushing at once (${s4.devices} × ${int(s4.opsPerDevice)} ops) | **${int(s4.opsPerS)} ops/s** in total (${sec(s4.drainMs, 2)}; push round trip median ${dec(s4.p50)} ms, p95 ${dec(s4.p95)} ms, max ${dec(s4.max)} ms) | ${NB} | ${cmdDrain(s4.devices)} |`);
L.push(`| Bytes per op on the wire: one op's JSON as pushed | ${dec(s1.opJson)} B | ${NB} | ${cmdDrain(1)} |`);
L.push(`| Bytes per op in a full ${s1.batchOps}-op push body: raw (as sent) / gzip -6 (not sent so) | ${dec(s1.batchBody / s1.batchOps)} B / ${dec(batchGzip / s1.batchOps)} B (body ${int(s1.batchBody)} B / ${int(batchGzip)} B) | ${NB} | ${cmdWire} |`);
L.push(`| Bytes per op in IndexedDB, **estimate**: the op's JSON text twice (\`outbox\`, \`events\`) + their keys | ${dec(s1.idbJson + s1.idbKeys)} B (${dec(s1.idbJson)} B JSON + ${dec(s1.idbKeys)} B keys) | ${NB} | ${cmdDrain(1)} |`);
L.push(`| Bytes per op in IndexedDB, measured in Chromium (${int(idb.n)} ops, the client's layout) | ${dec(idb.bytesPerOp)} B (${dec(idb.minBytesPerOp)}–${dec(idb.maxBytesPerOp)} B at each tenth of the way) | ${NB} | ${cmdIdb} |`);
L.push(`| Bytes per op in the server's SQLite file (growth over ${int(s1.ops)} ops) | ${dec(s1.dbGrowth / s1.ops)} B | ${NB} | ${cmdDrain(1)} |`);
L.push(`| Reload to interactive offline, from the service worker (median of ${offline.runs.length}) | **${msf(offlineMedian)}**${range(offline.runs, (r) => msf(r.h1Ms))} | ${NB} | ${cmdOffline} |`);
L.push('');
L.push(`- **Draining the outbox.** The trainee logs in (\`POST /api/auth/login\`, not timed), a \`DeviceLog\` of lophoc-core queues ${int(s1.opsPerDevice)} ops (\`DeviceLog::record\`, UUIDv7 op ids, alternately \`lesson_opened\` and \`lesson_completed\` of the demo course's lessons), then the outbox is drained as the client's sync loop does it: \`POST /api/sync/push\` with the oldest ≤ ${s1.maxBatch} (\`MAX_BATCH\`) unacknowledged ops in seq order, the next push only after the reply, deleting what the reply's \`acked_seq\` acknowledges. Timed from the first push to the last reply; throughput is ops stored ÷ that time, as the client sees it (HTTP/1.1 on one keep-alive connection per device, JSON both ways). Afterwards \`GET /api/sync/pull\` reads every event back: ${int(s1.verified)} events, each op exactly once. With ${s4.devices} devices, ${s4.devices} sessions of the same trainee (one login and one connection each) start together; the slowest finished after ${sec(s4.slowestMs, 2)}, ${int(s4.verified)} events were read back, each once. Each push holds SQLite's single write lock (\`BEGIN IMMEDIATE\`) until its commit and fsync, so concurrent pushes queue for it: ${s4.devices} devices together stored ${dec(s4.opsPerS / s1.opsPerS, 2)} × the ops per second of one device, and a push that finds the lock taken waits in SQLite's busy handler, which sleeps in growing steps — the long tail of the round trips (p95 ${dec(s4.p95)} ms, max ${dec(s4.max)} ms, against ${dec(s1.p95)} ms and ${dec(s1.max)} ms for one device).`);
L.push(`- **On the wire.** The client posts the push body as plain JSON: requests are not compressed (the client does not compress them and the server takes no \`Content-Encoding\` on requests). The gzip column is what compressing the body at zlib's default level would save (${dec(100 * (1 - batchGzip / s1.batchBody))} % — the device id and field names repeat in every op); it is not what is sent today. Replies are compressed by the server when the client accepts it (browsers do), but a push reply is only ${s1.replyBytes} B of JSON. A full push body is ${int(s1.batchBody)} B, so draining ${int(s1.ops)} ops uploads about ${kb(s1.batchBody / s1.batchOps * s1.ops)} raw.`);
L.push(`- **IndexedDB.** The client (\`src/store/mod.rs\`) stores each op as JSON text twice: in \`outbox\` under \`<device>/<seq, 12 digits>\` until the server acknowledges it, and in \`events\` under \`<user>/<op_id>\` for good. The estimate is those strings' lengths (ASCII), without the storage engine's overhead. The measurement writes ${int(idb.n)} ops of the same size into a separate database of the app's origin laid out like the client's (one read-write transaction per op over \`meta\`, \`outbox\` and \`events\`, as \`LocalStore::record\` does; the app itself has no JS API to record thousands of actions) and reads the growth of \`navigator.storage.estimate().usageDetails.indexedDB\` (${int(idb.grownBytes)} B), Chromium's own count of the files on disk. Chromium keeps IndexedDB in LevelDB: snappy-compressed tables (the repeated device id and field names compress well) plus an uncompressed log, compacted from time to time, so the figure moves with compaction — sampled after every tenth of the ops it was between ${dec(idb.minBytesPerOp)} and ${dec(idb.maxBytesPerOp)} B per op. The ${int(idb.n)} transactions took ${sec(idb.writeMs, 1)} here. Once acknowledged, an op's \`outbox\` copy is deleted, which the figures do not subtract.`);
L.push(`- **Server storage.** Size of the SQLite file (plus any WAL left) after a clean shutdown, before and after the drain of ${int(s1.ops)} ops: the op's JSON body, its columns and the indexes on \`op_id\`, \`(device_id, seq)\` and \`(user_id, version)\`. Server RSS after the drain: ${mb(s1.rssBytes)} (one device), ${mb(s4.rssBytes)} (${s4.devices} devices).`);
const r0 = offline.runs;
L.push(`- **Reload offline.** playwright-core drives Debian's Chromium with a fresh profile: it logs in as \`hocvien\` on the login page, waits until the service worker (\`/sw.js\`, version \`${offline.serviceWorker?.version ?? '?'}\`) is activated and controls the page${offline.reloadsForControl ? ' (after one reload)' : ''}, calls \`context.setOffline(true)\` and reloads \`/\` ${r0.length} times. Each time is measured in the page from the navigation's start (\`performance.now()\`) to the animation frame after the signed-in home page's \`<h1>\` ("${r0[0].h1}") first has a box; every navigation was answered by the service worker (its document arrived after a median ${msf(offline.medianResponseEndMs)}), and the wall clock of the test (\`page.reload()\` to the heading visible to Playwright) had a median of ${msf(offline.medianWallMs)}. Unthrottled, on this machine.`);
L.push('');

// Live session
const LL = '`cargo run --profile server -p lophoc-server --example live_load -- --url http://127.0.0.1:PORT --pid SERVER_PID';
L.push('## Live session (phiên học trực tiếp)');
L.push('');
L.push(`Run by ${CMD}. One release server on 127.0.0.1 with a fresh temporary SQLite database per run; the load generator, \`crates/server/examples/live_load.rs\` (tokio-tungstenite), runs on the same ${need('NPROC')} cores, so the two compete for the CPU. The lecturer logs in, opens a session of ${liveTop.questions} questions that admits guests, and connects as the presenter; N guests connect over loopback and join (at most 100 handshakes in flight), each on its own WebSocket. Per question the presenter sends \`next\`; each player notes when the question reaches it (fan-out: from just before the presenter sent the command, in the same process and clock), answers after a random pause below ${int(liveTop.spread)} ms (a class answering) and notes when its acknowledgement comes back (ack: from sending the answer). Then the presenter closes and reveals, and every player waits for its own result. Server CPU is \`utime + stime\` from \`/proc/PID/stat\` over the run (joins to the last result; % of one core), RSS is \`VmRSS\` after the run and \`VmHWM\` (peak since the server started, including the lecturer's Argon2 login: 46 MiB). Targets from issue 6: 2,000 players with ack p99 ≤ 250 ms and fan-out p99 ≤ 500 ms. \`ulimit -n\`: ${need('LIVE_NOFILE')}.`);
L.push('');
L.push('| Players | All joined (per player p50 / p99) | Answer ack p50 / p95 / p99 (max) | Question fan-out p50 / p99 | Server CPU | Server RSS after (peak) | Command |');
L.push('|---:|---:|---:|---:|---:|---:|---|');
for (const r of [...live, liveBurst]) {
  const label = r === liveBurst ? `${int(r.players)}, all answering at once` : int(r.players);
  const spread = r === liveBurst ? ` --answer-spread-ms ${r.spread}` : '';
  L.push(`| ${label} | ${msf(r.joinAll)} (${r.joinP50.toFixed(1)} / ${r.joinP99.toFixed(1)} ms) | ${r.ackP50.toFixed(2)} / ${r.ackP95.toFixed(2)} / **${r.ackP99.toFixed(2)} ms** (${r.ackMax.toFixed(1)} ms) | ${r.fanP50.toFixed(1)} / **${r.fanP99.toFixed(1)} ms** | ${r.cpuS.toFixed(2)} s in ${r.wallS.toFixed(1)} s (${int(r.cpuPct)} %) | ${mb(r.rssAfter)} (${mb(r.rssPeak)}) | ${LL} --players ${r.players}${spread}\` |`);
}
L.push('');
L.push(`- Answers are acknowledged on the socket that sent them, under one short lock of the session; a phase change is serialised once and every socket sends the same bytes (a \`watch\` channel), so fan-out grows with N only by the sends themselves. The presenter's view (counts, bars, wall) is republished at most 5 times a second, however fast answers come.`);
L.push(`- The last row is a worst case, not a class: all ${int(liveBurst.players)} answers leave within a millisecond, so they queue for the CPU (shared with the generator's own ${int(liveBurst.players)} sockets).`);
L.push('');

writeFileSync(out, `${L.join('\n')}\n`);
const summary = [
  `cold load / ${kb(cold.totalBytes)}`,
  `Lighthouse / ${homeLh.score} LCP ${msf(homeLh.lcp)}`,
  `lesson ${lessonLh.score} LCP ${msf(lessonLh.lcp)}`,
  `start ${sec(startMedianS * 1000, 3)}`,
  `idle RSS ${mb(rssIdleBytes)}`,
  `wasm ${kb(wasm.brotli)} br`,
  `drain ${int(s1.ops)} ops ${sec(s1.drainMs, 2)} (${int(s1.batches)} pushes, ${int(s1.opsPerS)} ops/s; ${s4.devices} devices ${int(s4.opsPerS)} ops/s)`,
  `offline reload ${msf(offlineMedian)}`,
  `trainee pages first-visit LCP ${pages.map((p) => `${p.name} ${sec(p.first.lcpMs, 1)}`).join(', ')}; returning ${pages.map((p) => `${p.name} ${sec(p.returning.lcpMs, 1)}`).join(', ')}`,
  `live ${int(liveTop.players)} players ack p99 ${liveTop.ackP99.toFixed(1)} ms, fan-out p99 ${liveTop.fanP99.toFixed(1)} ms`,
];
console.log(`[bench] ${summary.join('; ')}`);
const over = Object.entries(budgets).filter(([, ok]) => !ok).map(([k]) => k);
if (over.length) console.log(`[bench] over budget (not an error): ${over.join(', ')}`);
