// The HTTPS set-up of docs/deploy.md, for real: Caddy (Debian's, unpacked by
// scripts/setup.sh) runs deploy/Caddyfile unchanged in front of the server
// started with --public-url, on free ports with Caddy's own local
// certificate authority. Through it a lecturer logs in (the cookie is
// `__Host-` and `Secure`, HSTS and the page policy arrive), a live session's
// WebSocket works, and a request from another site is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT, startServer, launchContext, freePort, logIn, screenshot, PROJECTOR,
} from '../lib/harness.mjs';

/** Debian's caddy: on PATH, or unpacked into the tools folder by setup.sh. */
function caddyBinary() {
  const unpacked = join(process.env.TOOLS || join(homedir(), '.cache', 'lophoc', 'tools'), 'caddy', 'usr', 'bin', 'caddy');
  try {
    return execFileSync('sh', ['-c', 'command -v caddy'], { encoding: 'utf8' }).trim() || unpacked;
  } catch {
    return unpacked;
  }
}

let server;
let caddy;
let caddyExited;
let dir;
let base;
let caddyLog = '';

before(async () => {
  const bin = caddyBinary();
  assert.ok(existsSync(bin), `no caddy at ${bin}: run scripts/setup.sh`);
  const port = await freePort();
  base = `https://localhost:${port}`;
  server = await startServer({ args: ['--public-url', base] });
  dir = mkdtempSync(join(tmpdir(), 'lophoc-caddy-'));
  // Global options for a test run (no admin port, its own storage, no
  // system trust store, a free port for its HTTP listener), then the
  // deploy file itself.
  const config = join(dir, 'Caddyfile');
  writeFileSync(config, `{
\tadmin off
\tstorage file_system ${join(dir, 'storage')}
\tskip_install_trust
\thttp_port ${await freePort()}
\tlocal_certs
}
import ${join(ROOT, 'deploy', 'Caddyfile')}
`);
  caddy = spawn(bin, ['run', '--config', config, '--adapter', 'caddyfile'], {
    env: {
      ...process.env,
      HOME: dir,
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      LOPHOC_DOMAIN: `localhost:${port}`,
      LOPHOC_UPSTREAM: `127.0.0.1:${server.port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  caddy.stdout.on('data', (d) => { caddyLog += d; });
  caddy.stderr.on('data', (d) => { caddyLog += d; });
  caddyExited = new Promise((done) => caddy.on('exit', done));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (caddy.exitCode !== null) throw new Error(`caddy exited:\n${caddyLog}`);
    // Caddy's certificate is its own; curl is told to accept it.
    try {
      execFileSync('curl', ['-sk', '-o', '/dev/null', '--max-time', '2', `${base}/api/health`]);
      break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`caddy did not start:\n${caddyLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

after(async () => {
  caddy?.kill('SIGTERM');
  await caddyExited;
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** curl through the proxy: status line and headers of the answer. */
function curl(...args) {
  return execFileSync('curl', ['-sk', '-D', '-', '-o', '/dev/null', ...args], { encoding: 'utf8' });
}

test('through Caddy: HTTPS, a secure cookie, HSTS, the policy, and a live WebSocket', async () => {
  const page = curl(`${base}/`);
  assert.match(page, /^HTTP\/\S+ 200/m);
  assert.match(page, /^strict-transport-security: max-age=31536000/mi);
  assert.match(page, /^content-security-policy: .*script-src 'self' 'wasm-unsafe-eval' 'sha256-/mi);

  const context = await launchContext({ viewport: PROJECTOR, ignoreHTTPSErrors: true });
  try {
    const tab = await context.newPage();
    await logIn(tab, base, 'giangvien', 'giangvien123');
    const cookies = await context.cookies(base);
    const session = cookies.find((c) => c.name.includes('lophoc_session'));
    assert.equal(session?.name, '__Host-lophoc_session');
    assert.equal(session.secure, true);
    assert.equal(session.httpOnly, true);
    await screenshot(tab, 'through-caddy-1280x720');

    // A live session, and its WebSocket through the proxy.
    const welcome = await tab.evaluate(async () => {
      const response = await fetch('/api/live', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          course_id: 'can-bo-co-so',
          questions: [['tinh-huong-phong-bi', 'q1']],
          seconds: 30,
          allow_guests: true,
          leaderboard: false,
        }),
      });
      const { code } = await response.json();
      return new Promise((done, fail) => {
        const ws = new WebSocket(`wss://${location.host}/api/live/${code}/ws`);
        ws.onopen = () => ws.send(JSON.stringify({ t: 'present' }));
        ws.onmessage = (event) => { ws.close(); done(JSON.parse(event.data)); };
        ws.onerror = () => fail(new Error('the socket failed'));
        setTimeout(() => fail(new Error('no message within 10 s')), 10_000);
      });
    });
    assert.equal(welcome.t, 'welcome');
  } finally {
    await context.close();
  }
});

test('through Caddy: a request from another site is refused, the real address is not', async () => {
  const json = ['-H', 'content-type: application/json', '--data', '{"username":"hocvien","password":"hocvien123"}'];
  const refused = curl(...json, '-H', 'Origin: https://evil.example', `${base}/api/auth/login`);
  assert.match(refused, /^HTTP\/\S+ 403/m);
  // Plain HTTP's origin is another one once HTTPS is the address.
  const plain = curl(...json, '-H', `Origin: ${base.replace('https:', 'http:')}`, `${base}/api/auth/login`);
  assert.match(plain, /^HTTP\/\S+ 403/m);
  const own = curl(...json, '-H', `Origin: ${base}`, `${base}/api/auth/login`);
  assert.match(own, /^HTTP\/\S+ 200/m);
  assert.match(own, /^set-cookie: __Host-lophoc_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure/mi);
});
