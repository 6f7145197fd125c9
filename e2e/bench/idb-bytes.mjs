// IndexedDB bytes per queued op, as Chromium counts them. The app has no JS
// API to record thousands of actions quickly, so this writes N ops into a
// separate database of the same origin laid out as the app's (src/store/
// mod.rs): stores `meta`, `outbox` and `events`, string keys, values JSON
// text; one read-write transaction per op that rewrites the device header in
// `meta`, puts the op under `<device>/<seq, 12 digits>` in `outbox` and under
// `<user>/<op_id>` in `events`, as LocalStore::record does. The ops are
// copies of the first op that examples/sync_load.rs pushed (SAMPLE, a push
// body), with their own seq, op_id and time, serialised in the field order
// of lophoc_core::sync::Op. The figure is the growth of
// navigator.storage.estimate().usageDetails.indexedDB (the database's files
// on disk: their format, compression and not-yet-compacted logs included)
// divided by N. Chromium keeps IndexedDB in LevelDB (snappy-compressed tables
// plus an uncompressed log, compacted from time to time), so the figure moves
// with compaction: the usage is also sampled after every tenth of the ops,
// and the spread of those samples is reported beside the final figure.
//
//   node e2e/bench/idb-bytes.mjs URL SAMPLE.json OUT.json [N]
import { readFileSync, writeFileSync } from 'node:fs';
import { launchContext } from '../lib/harness.mjs';

const [base, sample, out, nArg = '2000'] = process.argv.slice(2);
if (!base || !sample || !out) {
  console.error('usage: node idb-bytes.mjs URL SAMPLE.json OUT.json [N]');
  process.exit(2);
}
const N = Number(nArg);
if (!Number.isInteger(N) || N < 1) {
  console.error('N must be a positive integer');
  process.exit(2);
}
const body = JSON.parse(readFileSync(sample, 'utf8'));
const op = body.ops?.[0];
if (!op?.device_id || !op?.event) throw new Error(`${sample} has no op`);

const context = await launchContext();
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(120_000);
  await page.goto(new URL('/', base).href);
  await page.locator('h1').first().waitFor();
  const result = await page.evaluate(async ({ op, n }) => {
    const DB = 'lophoc-bench-idb-bytes';
    const done = (req) => new Promise((ok, fail) => {
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    const usage = async () => {
      const e = await navigator.storage.estimate();
      return { total: e.usage, indexedDB: e.usageDetails?.indexedDB ?? null };
    };
    const open = () => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => {
        for (const name of ['meta', 'outbox', 'events']) req.result.createObjectStore(name);
      };
      return done(req);
    };
    const settle = () => new Promise((ok) => { setTimeout(ok, 1000); });

    let db = await open();
    db.close();
    await settle();
    const before = await usage();

    db = await open();
    const user = op.user_id;
    const device = op.device_id;
    const start = Date.now();
    let jsonChars = 0;
    let keyChars = 0;
    const samples = [];
    const every = Math.max(1, Math.floor(n / 10));
    const t0 = performance.now();
    let paused = 0;
    for (let seq = 1; seq <= n; seq++) {
      const record = {
        op_id: crypto.randomUUID(),
        device_id: device,
        seq,
        user_id: user,
        client_time_ms: start + seq,
        schema: op.schema,
        event: { type: op.event.type, course_id: op.event.course_id, lesson_id: op.event.lesson_id },
      };
      const json = JSON.stringify(record);
      const header = JSON.stringify({ device_id: device, next_seq: seq + 1, acked_seq: 0, outbox: {} });
      const outboxKey = `${device}/${String(seq).padStart(12, '0')}`;
      const eventsKey = `${user}/${record.op_id}`;
      jsonChars += 2 * json.length;
      keyChars += outboxKey.length + eventsKey.length;
      const tx = db.transaction(['meta', 'outbox', 'events'], 'readwrite');
      tx.objectStore('meta').put(header, `device/${user}`);
      tx.objectStore('outbox').put(json, outboxKey);
      tx.objectStore('events').put(json, eventsKey);
      await new Promise((ok, fail) => {
        tx.oncomplete = ok;
        tx.onerror = () => fail(tx.error);
        tx.onabort = () => fail(tx.error);
      });
      if (seq % every === 0 && seq < n) {
        const s0 = performance.now();
        samples.push({ ops: seq, indexedDB: (await usage()).indexedDB });
        paused += performance.now() - s0;
      }
    }
    const writeMs = performance.now() - t0 - paused;
    db.close();
    await settle();
    const after = await usage();
    await done(indexedDB.deleteDatabase(DB));
    samples.push({ ops: n, indexedDB: after.indexedDB });
    return { n, before, after, samples, writeMs, jsonChars, keyChars };
  }, { op, n: N });

  if (typeof result.before.indexedDB !== 'number' || typeof result.after.indexedDB !== 'number') {
    throw new Error(`Chromium reported no IndexedDB usage: ${JSON.stringify(result)}`);
  }
  result.grownBytes = result.after.indexedDB - result.before.indexedDB;
  result.bytesPerOp = result.grownBytes / N;
  result.jsonBytesPerOp = result.jsonChars / N;
  result.keyBytesPerOp = result.keyChars / N;
  const perOp = result.samples
    .filter((s) => typeof s.indexedDB === 'number')
    .map((s) => ({ ops: s.ops, bytesPerOp: (s.indexedDB - result.before.indexedDB) / s.ops }));
  result.samplesPerOp = perOp;
  result.minBytesPerOp = Math.min(...perOp.map((s) => s.bytesPerOp));
  result.maxBytesPerOp = Math.max(...perOp.map((s) => s.bytesPerOp));
  if (!(result.grownBytes > 0)) throw new Error(`IndexedDB usage did not grow: ${JSON.stringify(result)}`);
  writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`IndexedDB: ${N} ops grew Chromium's IndexedDB usage by ${result.grownBytes} bytes, `
    + `${result.bytesPerOp.toFixed(0)} per op (${result.minBytesPerOp.toFixed(0)}–${result.maxBytesPerOp.toFixed(0)} along the way; JSON text ${result.jsonBytesPerOp.toFixed(0)} + keys ${result.keyBytesPerOp.toFixed(0)}); `
    + `${N} transactions in ${result.writeMs.toFixed(0)} ms`);
} finally {
  await context.close();
}
