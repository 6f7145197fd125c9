// Shared pieces of the end-to-end tests and page benchmarks: start the real
// server on a free port with a fresh database, launch Debian's Chromium.
//
// Every page of every context launched here is watched for Content Security
// Policy violations (Chromium's console reports, and the page's own
// `securitypolicyviolation` events): after each test, any violation seen
// fails that test (the `afterEach` below), so a script or style the policy
// does not allow cannot slip in unnoticed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
export const PHONE = { width: 360, height: 740 };
export const PROJECTOR = { width: 1280, height: 720 };

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/**
 * Starts lophoc-server (LOPHOC_SERVER_BIN, else the debug build) on a free
 * port with a fresh temporary database and the demo accounts (`--demo`), and
 * waits until /api/health answers. `dist` serves another built client than
 * the repository's dist/ (e.g. a copy a test modifies); `args` adds flags
 * (e.g. `--public-url`), `demo: false` starts without the demo accounts.
 * `database` is another database URL than the fresh SQLite file (e.g. an
 * empty PostgreSQL database the caller made, for the benchmarks).
 */
export async function startServer({
  content = join(ROOT, 'content'), dist = join(ROOT, 'dist'), args = [], demo = true, database = null,
} = {}) {
  const bin = process.env.LOPHOC_SERVER_BIN || join(ROOT, 'target', 'debug', 'lophoc-server');
  const dir = mkdtempSync(join(tmpdir(), 'lophoc-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, [
    '--listen', `127.0.0.1:${port}`,
    '--database', database ?? `sqlite://${join(dir, 'lophoc.db')}`,
    '--content', content,
    '--dist', dist,
    ...(demo ? ['--demo'] : []),
    ...args,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((ok) => child.on('exit', ok));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    /** The temporary folder of its database. */
    dir,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** CSP violations seen since the last test ended: `{ url, text }`. */
const cspViolations = [];

/** Takes the CSP violations seen so far (a test that provokes one on purpose). */
export function takeCspViolations() {
  return cspViolations.splice(0);
}

/** Watches a page for CSP violations. */
function watchCsp(page) {
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|^CSP violation/.test(text)) {
      cspViolations.push({ url: page.url(), text });
    }
  });
}

// A test fails when any page broke the policy while it ran.
afterEach(() => {
  const seen = takeCspViolations();
  if (seen.length) {
    throw new Error(`Content Security Policy violations:\n${seen.map((v) => `${v.url}: ${v.text}`).join('\n')}`);
  }
});

/** A fresh browser profile in Debian's Chromium (never a downloaded browser). */
export async function launchContext(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'lophoc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: PHONE,
    locale: 'vi-VN',
    ...options,
  });
  // Reported by the page itself too, in case the browser's own console
  // message changes wording.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  context.pages().forEach(watchCsp);
  context.on('page', watchCsp);
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    rmSync(profile, { recursive: true, force: true });
  };
  return context;
}

/** Saves a screenshot under e2e/artifacts/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

let axeSource;

/** Runs axe-core on the page; returns violations of serious or critical impact. */
export async function seriousA11yViolations(page) {
  // Evaluated by the debugger protocol, which the page's CSP does not
  // govern (a <script> tag added to the page would be refused, rightly).
  axeSource ??= readFileSync(join(ROOT, 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(`${axeSource}\n;undefined`);
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Logs in through the login page and waits for the greeting. */
export async function logIn(page, baseUrl, username, password = 'hocvien123') {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { level: 1, name: /Xin chào/ }).waitFor();
}

/**
 * Follows an item of the site menu (a link, or the log-out button): on a
 * phone the menu opens first, as a person would open it.
 */
export async function menu(page, name, role = 'link') {
  // The app's header, not the start-up screen's copy of it.
  await page.locator('#site-menu').waitFor({ state: 'attached' });
  const toggle = page.locator('header.site-header .menu-toggle');
  if (await toggle.isVisible() && (await toggle.getAttribute('aria-expanded')) !== 'true') {
    await toggle.click();
  }
  await page.locator('#site-menu').getByRole(role, { name, exact: true }).click();
}
