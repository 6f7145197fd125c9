// Writes the "SQLite and PostgreSQL side by side (issue 17)" section of
// BENCHMARKS.md from what scripts/bench-engines.sh measured into its work
// folder: facts.env (KEY=value lines: date, machine, load, engine versions
// and settings), sync.tsv (one line per sync_load run: engine, devices, run,
// OPS_PER_S, DRAIN_MS, PUSH_MS_P50, PUSH_MS_P95, PUSH_MS_MAX, the 1-minute
// load average as it began), matrix-sqlite.json / matrix-postgres.json
// (e2e/bench/class-matrix.mjs without Chromium) and live-two.out (live_load's
// KEY=VALUE lines, a session over two instances).
//
//   node e2e/bench/engines-report.mjs WORK_DIR OUT.md
//
// Exits non-zero when a measurement is missing. No figure is judged: the
// ratios are computed, the reasons given are the code's (one writer of the
// event log on both engines).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFacts } from './facts.mjs';

const [work, out] = process.argv.slice(2);
if (!work || !out) {
  console.error('usage: node engines-report.mjs WORK_DIR OUT.md');
  process.exit(2);
}
const fail = (message) => {
  console.error(`[bench-engines] FAILED: ${message}`);
  process.exit(1);
};

// ------------------------------------------------------------------ input ---
const facts = readFacts(join(work, 'facts.env'));
const need = (key) => {
  if (facts[key] === undefined || facts[key] === '') fail(`no ${key} in facts.env`);
  return facts[key];
};
const ENGINES = ['sqlite', 'postgres'];
const runs = readFileSync(join(work, 'sync.tsv'), 'utf8').trim().split('\n').filter(Boolean).map((line) => {
  const [engine, devices, run, ...numbers] = line.split('\t');
  const [ops, drainMs, p50, p95, max, load1] = numbers.map(Number);
  if (!ENGINES.includes(engine) || [ops, drainMs, p50, p95, max, load1].some((n) => !Number.isFinite(n))) {
    fail(`sync.tsv: unusable line ${JSON.stringify(line)}`);
  }
  return { engine, devices: Number(devices), run: Number(run), ops, drainMs, p50, p95, max, load1 };
});
if (!runs.length) fail('no sync_load runs in sync.tsv');
const matrix = Object.fromEntries(ENGINES.map((e) => {
  const m = JSON.parse(readFileSync(join(work, `matrix-${e}.json`), 'utf8'));
  if (!Number.isFinite(m.server?.medianMs)) fail(`matrix-${e}.json has no server figure`);
  return [e, m];
}));

const live = readFacts(join(work, 'live-two.out'));
for (const key of ['PLAYERS', 'RELAYED_PLAYERS', 'ACK_P99_MS', 'FANOUT_P99_MS', 'SERVER_CPU_S', 'RELAY_CPU_S']) {
  if (!Number.isFinite(Number(live[key]))) fail(`live-two.out has no ${key}`);
}

// ---------------------------------------------------------------- figures ---
const int = (n) => Math.round(n).toLocaleString('en-US');
const ms1 = (n) => `${n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ms`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratio = (a, b) => (a / b).toFixed(2);
const devices = [...new Set(runs.map((r) => r.devices))].sort((a, b) => a - b);
const runsOf = (e, n) => {
  const rs = runs.filter((r) => r.engine === e && r.devices === n);
  if (!rs.length) fail(`no run of ${n} device(s) on ${e}`);
  return rs;
};
const opsMedian = (e, n) => median(runsOf(e, n).map((r) => r.ops));
// The run of median throughput (the lower middle one for an even count):
// its round trips are the ones reported.
const medianRun = (e, n) => {
  const rs = [...runsOf(e, n)].sort((a, b) => a.ops - b.ops);
  return rs[Math.floor((rs.length - 1) / 2)];
};
const ops = Number(need('SYNC_OPS'));
const syncCmd = (n) => `\`cargo run --profile server -p lophoc-server --example sync_load -- --url http://127.0.0.1:PORT --ops ${ops} --devices ${n}\``;
const matrixCmd = '`LOPHOC_BENCH_DATABASE=URL BENCH_MATRIX_CLIENT_RUNS=0 node e2e/bench/class-matrix.mjs OUT.json`';
const loads = runs.map((r) => r.load1);
const m0 = matrix.sqlite;

// ---------------------------------------------------------------- section ---
const L = [];
L.push('## SQLite and PostgreSQL side by side (issue 17)');
L.push('');
L.push(`Run by \`make bench-engines\` and by \`make bench\` (\`scripts/bench-engines.sh\`, with \`LOPHOC_SERVER_BIN\` the release server, \`--demo\` and the demo content), commit ${need('COMMIT')}. ${need('DATE')}; the measurements took ${need('ELAPSED_S')} s. ${need('NPROC')} × ${need('CPU')}, ${(Number(need('MEM_KB')) / 2 ** 20).toFixed(1)} GiB memory, Linux ${need('KERNEL')}; both engines' files on the same ext4 disk. **Load average** (1, 5, 15 min): ${need('LOADAVG_START')} at the start, ${need('LOADAVG_END')} at the end; the 1-minute figure as each drain began ranged from ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}. The machine is shared with other builds, so these figures may be lower and noisier than on a quiet one. The load generator shares the cores with the server; loopback HTTP. No issue sets a budget for these figures, so none is given.`);
L.push('');
L.push(`- **SQLite** ${need('SQLITE_VERSION')} (bundled by libsqlite3-sys ${need('SQLITE_SYS')}): a fresh file per run, WAL, \`synchronous=FULL\` (every commit waits for its fsync), one writer at a time (\`BEGIN IMMEDIATE\`), a pool of 4 connections.`);
L.push(`- **PostgreSQL** ${need('PG_VERSION')}: a throwaway cluster (\`scripts/pg-cluster.sh start --durable\`) on 127.0.0.1 over TCP, a fresh database per run (\`createdb\`, then \`CHECKPOINT\`). Settings at PostgreSQL's defaults apart from where it listens, trust authentication and \`max_connections\` 300: ${need('PG_SETTINGS')}. Writers of the event log hold one advisory lock until they commit (\`pg_advisory_xact_lock\`); a pool of 16 connections.`);
L.push('');
L.push('| Figure | SQLite | PostgreSQL | Command |');
L.push('|---|---:|---:|---|');
for (const n of devices) {
  const cell = (e) => {
    const m = medianRun(e, n);
    return `**${int(opsMedian(e, n))} ops/s** (runs: ${runsOf(e, n).map((r) => int(r.ops)).join(', ')}; median run: push round trip p50 ${ms1(m.p50)}, p95 ${ms1(m.p95)}, max ${ms1(m.max)})`;
  };
  const what = n === 1 ? 'one device' : `${n} devices at once (${n} × ${int(ops)} ops)`;
  L.push(`| Push throughput, ${what}, median of ${runsOf('sqlite', n).length} on fresh databases | ${cell('sqlite')} | ${cell('postgres')} | ${syncCmd(n)} |`);
}
const matrixCell = (e) => {
  const s = matrix[e].server;
  return `**${ms1(s.medianMs)}** / ${ms1(s.maxMs)} (runs: ${s.runs.map(ms1).join(', ')})`;
};
L.push(`| Class matrix: \`GET /api/classes/{id}/matrix\`, ${int(m0.trainees)} trainees × ${m0.modules} modules, ${int(m0.events)} events, request to last byte (median / max of ${m0.server.runs.length}) | ${matrixCell('sqlite')} | ${matrixCell('postgres')} | ${matrixCmd} |`);
L.push(`| Class matrix set-up, not a headline figure: ${int(m0.trainees)} trainees log in (Argon2) and push ${int(m0.events)} events in ${int(m0.pushes)} pushes, 4 trainees at a time | ${matrix.sqlite.seedSeconds.toFixed(1)} s | ${matrix.postgres.seedSeconds.toFixed(1)} s | ${matrixCmd} |`);
L.push('');
const first = devices[0];
const last = devices[devices.length - 1];
const pgVsSqlite = devices.map((n, i) => `${ratio(opsMedian('postgres', n), opsMedian('sqlite', n))} ×${i ? '' : ' SQLite\'s'} with ${n} device${n === 1 ? '' : 's'}`).join(', ');
const scale = (e) => ratio(opsMedian(e, last), opsMedian(e, first));
const slowerPg = devices.every((n) => opsMedian('postgres', n) < opsMedian('sqlite', n));
L.push(`- **Push throughput.** Each run: a fresh database, the server started on it (it migrates and seeds the demo), then \`crates/server/examples/sync_load.rs\` drains ${int(ops)} queued ops from each device as in "Offline and sync" above: batches of ≤ 200 ops, the next push after the reply, and afterwards every op read back and found stored exactly once. Each device has its own connection and device id; beyond 8 devices they share 8 sessions of the trainee (\`hocvien\`), since the server lets one account log in 10 times at once and then once a minute. The engines take turns, run by run. PostgreSQL's push throughput, median against median, was ${pgVsSqlite}. From ${first} to ${last} device${last === 1 ? '' : 's'} throughput changed by a factor of ${scale('sqlite')} on SQLite and ${scale('postgres')} on PostgreSQL. On both engines a push appends to the event log under one lock held until its commit has been flushed (SQLite's write lock, PostgreSQL's advisory lock): the versions are the devices' pull cursors and must become visible in order. So pushes from many devices queue for that lock — their round trips grow with the number of devices, while one push's work does not — and more devices can only overlap their JSON parsing, checks and HTTP with the others' commits.${slowerPg ? ` Inside that lock a push stores each op with an \`INSERT\` of its own (\`insert_event\` in \`crates/server/src/sync/store.rs\`), some 200 statements for a full batch: calls into the library with SQLite, round trips over loopback TCP to a backend process with PostgreSQL, whose processes share the same ${need('NPROC')} cores with the server and the load generator — the likely reason, not measured separately, why PostgreSQL's pushes take longer here.` : ''}`);
L.push(`- **Class matrix.** \`e2e/bench/class-matrix.mjs\` with Chromium left out (\`BENCH_MATRIX_CLIENT_RUNS=0\`), its server on a fresh SQLite file or a fresh PostgreSQL database (\`LOPHOC_BENCH_DATABASE\`): the class of "Class matrix (issue 5)" above, then the matrix asked once to warm up and ${m0.server.runs.length} times timed, as a browser asks (\`Accept-Encoding: gzip, deflate, br\`). The handler reads every event of the class (${int(m0.events)} rows) and derives each trainee's progress; on PostgreSQL it took ${ratio(matrix.postgres.server.medianMs, matrix.sqlite.server.medianMs)} × SQLite's time (median against median). ${matrix.sqlite.server.jsonBytes === matrix.postgres.server.jsonBytes ? `The reply was the same ${int(m0.server.jsonBytes)} B of JSON on both.` : `The reply was ${int(matrix.sqlite.server.jsonBytes)} B of JSON on SQLite and ${int(matrix.postgres.server.jsonBytes)} B on PostgreSQL.`}`);
// Figures whose runs differ by more than half: load from elsewhere, most
// likely, and then the median says less than it seems to.
const NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
const spread = [];
for (const n of devices) {
  for (const e of ENGINES) {
    const xs = runsOf(e, n).map((r) => r.ops);
    if (Math.max(...xs) > 1.5 * Math.min(...xs)) {
      spread.push(`${NAME[e]} with ${n} device${n === 1 ? '' : 's'} (${int(Math.min(...xs))}–${int(Math.max(...xs))} ops/s)`);
    }
  }
}
for (const e of ENGINES) {
  const xs = matrix[e].server.runs;
  if (Math.max(...xs) > 1.5 * Math.min(...xs)) spread.push(`${NAME[e]}'s class matrix (${ms1(Math.min(...xs))}–${ms1(Math.max(...xs))})`);
}
if (spread.length) {
  L.push(`- **Noise.** Runs of the same figure differed by more than 1.5 × for ${spread.join(', ')}. The load from other work on the machine changed during the measurements (above), so these medians are less sure than they look; a run of \`make bench-engines\` on a quiet machine should replace them.`);
}
L.push('');
L.push(`### A live session over two instances (PostgreSQL)`);
L.push('');
L.push(`Two release servers on one fresh database of the same cluster, each started with \`--instance-url\` (its own address); the lecturer opens the session through the first (which holds its room), the presenter connects there, and of ${int(Number(live.PLAYERS))} guests every other one (${int(Number(live.RELAYED_PLAYERS))}) connects through the second, which relays each socket to the first (\`crates/server/src/live/relay.rs\`). Otherwise as "Live session" above: 3 questions, answers spread over 3 s. \`ulimit -n\` ${need('LIVE_NOFILE')}.`);
L.push('');
L.push('| Players | All joined (per player p50 / p99) | Answer ack p50 / p95 / p99 (max) | Question fan-out p50 / p99 | CPU: holder, relay | RSS after (peak): holder, relay | Command |');
L.push('|---:|---:|---:|---:|---:|---:|---|');
const mb = (kb) => `${(Number(kb) / 1024).toFixed(1)} MB`;
L.push(`| ${int(Number(live.PLAYERS))} (${int(Number(live.RELAYED_PLAYERS))} relayed) | ${int(Number(live.JOIN_ALL_MS))} ms (${Number(live.JOIN_P50_MS).toFixed(1)} / ${Number(live.JOIN_P99_MS).toFixed(1)} ms) | ${Number(live.ACK_P50_MS).toFixed(2)} / ${Number(live.ACK_P95_MS).toFixed(2)} / **${Number(live.ACK_P99_MS).toFixed(2)} ms** (${Number(live.ACK_MAX_MS).toFixed(1)} ms) | ${Number(live.FANOUT_P50_MS).toFixed(1)} / **${Number(live.FANOUT_P99_MS).toFixed(1)} ms** | ${Number(live.SERVER_CPU_S).toFixed(2)} s, ${Number(live.RELAY_CPU_S).toFixed(2)} s in ${Number(live.SERVER_WALL_S).toFixed(1)} s | ${mb(live.SERVER_RSS_AFTER_KB)} (${mb(live.SERVER_RSS_PEAK_KB)}), ${mb(live.RELAY_RSS_AFTER_KB)} (${mb(live.RELAY_RSS_PEAK_KB)}) | \`cargo run --profile server -p lophoc-server --example live_load -- --url http://127.0.0.1:PORT_A --relay-url http://127.0.0.1:PORT_B --pid PID_A --relay-pid PID_B --players ${int(Number(live.PLAYERS)).replace(',', '')}\` |`);
L.push('');
L.push(`Targets from issue 6, for one server: ack p99 ≤ 250 ms and fan-out p99 ≤ 500 ms with 2,000 players. A relayed player's messages take one more loopback hop each way (the relay's socket to the holder); the holder sends each question to its own sockets and to the relay's, and the relay passes it on.`);
L.push('');
writeFileSync(out, `${L.join('\n')}\n`);
