// Shared pieces of the end-to-end tests and page benchmarks: start the real
// server on a free port with a fresh database, launch Debian's Chromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
 * port with a fresh temporary database, and waits until /api/health answers.
 * `dist` serves another built client than the repository's dist/ (e.g. a copy
 * a test modifies).
 */
export async function startServer({ content = join(ROOT, 'content'), dist = join(ROOT, 'dist') } = {}) {
  const bin = process.env.LOPHOC_SERVER_BIN || join(ROOT, 'target', 'debug', 'lophoc-server');
  const dir = mkdtempSync(join(tmpdir(), 'lophoc-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, [
    '--listen', `127.0.0.1:${port}`,
    '--database', `sqlite://${join(dir, 'lophoc.db')}`,
    '--content', content,
    '--dist', dist,
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

/** Runs axe-core on the page; returns violations of serious or critical impact. */
export async function seriousA11yViolations(page) {
  await page.addScriptTag({ path: join(ROOT, 'e2e', 'node_modules', 'axe-core', 'axe.min.js') });
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
