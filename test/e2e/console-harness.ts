// Runs the real `raftdesk console` as a subprocess and Debian's Chromium (headless) against it.
// Every process is stopped by the test that started it: the console by PID (SIGINT, which stops its
// nodes; SIGKILL after 20 s, and then its nodes go too: a node exits when its supervisor's IPC channel
// closes, and the supervisor's reaper kills a paused one). A test file that wants the usual
// console and page calls useConsoleInBrowser once; files that start consoles inside their tests
// (a restart, a replay) use startConsole and launchBrowser directly.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { freePorts } from '../helpers/test-cluster.js';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../../artifacts/e2e');
const BIN = path.resolve(import.meta.dirname, '../../bin/raftdesk.js');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface RunningConsole {
  url: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startConsole(workspace: string, port = 0): Promise<RunningConsole> {
  const child = spawn(process.execPath, [BIN, 'console', workspace, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`raftdesk console printed no URL within 120 s:\n${out}`)), 120_000);
    const poll = setInterval(() => {
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[1]!);
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`raftdesk console exited (${code}):\n${out}`));
    });
  });
  return {
    url,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGINT');
      }),
  };
}

export interface ConsoleInBrowserOptions {
  /** The temporary folder's prefix under the OS's temp dir, e.g. 'raftdesk-e2e-reads-'. */
  tmpPrefix: string;
  /** The workspace's folder name inside it (the cluster's name by default). */
  name: string;
  /** Runs before the console starts, e.g. to save a cluster.json into the workspace. */
  prepare?: (workspace: string) => Promise<void>;
  /** Runs after the browser and console have stopped, before the workspace is removed (to keep artifacts). */
  keep?: (workspace: string) => void;
  /** The beforeAll hook's bound, when it must be longer than the project's. */
  startTimeoutMs?: number;
}

/** A test file's console and its page, filled in by the file's beforeAll. */
export interface ConsoleInBrowser {
  readonly workspace: string;
  /** Uncaught errors of the page, for the tests to assert there were none. */
  readonly pageErrors: string[];
  server: RunningConsole;
  browser: Browser;
  page: Page;
}

/**
 * The usual e2e setup, as hooks of the calling test file: before its tests, a fresh workspace, a real
 * `raftdesk console` on it and Chromium with a 1440×900 page open at the console's URL; after them,
 * the browser closed, the console stopped by PID (which stops its nodes) and the workspace removed.
 */
export function useConsoleInBrowser(options: ConsoleInBrowserOptions): ConsoleInBrowser {
  const workspace = path.join(mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix)), options.name);
  const session = { workspace, pageErrors: [] as string[] } as ConsoleInBrowser;
  beforeAll(async () => {
    await options.prepare?.(workspace);
    session.server = await startConsole(workspace);
    session.browser = await launchBrowser();
    session.page = await session.browser.newPage({ viewport: { width: 1440, height: 900 } });
    session.page.on('pageerror', (e) => session.pageErrors.push(e.message));
    await session.page.goto(session.server.url);
  }, options.startTimeoutMs);
  // A failed test leaves what it saw: the page as a screenshot, and the console's own output (a
  // console that died or lost its cluster says so there, not in the browser).
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const name = `failed-${options.tmpPrefix}${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
    mkdirSync(ARTIFACTS, { recursive: true });
    await session.page?.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) }).catch(() => undefined);
    const exited = session.server?.process.exitCode ?? session.server?.process.signalCode ?? null;
    const output = `${exited !== null ? `raftdesk console had exited (${exited})\n` : ''}${session.server?.output() ?? ''}`;
    writeFileSync(path.join(ARTIFACTS, `${name}.console.txt`), output);
    console.error(`The test failed; the console's output (also in artifacts/e2e/${name}.console.txt):\n${output.slice(-4000)}`);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.stop();
    options.keep?.(workspace);
    rmSync(path.dirname(workspace), { recursive: true, force: true });
  });
  return session;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}; install Debian's chromium package (apt-get install chromium).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

export interface CardView {
  id: string;
  role: string;
  term: number;
  commit: number;
  state: string;
}

/** What the node cards show, read from their data attributes. */
export async function cards(page: Page): Promise<CardView[]> {
  return page.$$eval('[data-testid^="node-card-"]', (els) =>
    els.map((el) => ({
      id: (el.getAttribute('data-testid') ?? '').replace('node-card-', ''),
      role: el.getAttribute('data-role') ?? '',
      term: Number(el.getAttribute('data-term')),
      commit: Number(el.getAttribute('data-commit')),
      state: el.getAttribute('data-state') ?? '',
    })),
  );
}

/** Gives the setup view's first `rows` nodes reserved ports (the form's own could collide with other tests'). */
export async function fillFreePorts(page: Page, rows = 3): Promise<void> {
  const ports = await freePorts(2 * rows);
  for (let row = 0; row < rows; row++) {
    await page.getByTestId(`setup-peerPort-${row}`).fill(String(ports[2 * row]));
    await page.getByTestId(`setup-clientPort-${row}`).fill(String(ports[2 * row + 1]));
  }
}

/** Starts the cluster the setup view describes and waits until a node card shows a leader. */
export async function startFromSetup(page: Page): Promise<void> {
  await page.getByTestId('start-cluster').click();
  await until('a leader', async () => (await cards(page)).some((c) => c.role === 'leader'), 90_000);
}

export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
