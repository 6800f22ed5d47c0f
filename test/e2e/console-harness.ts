// Runs the real `raftdesk console` as a subprocess and Debian's Chromium (headless) against it.
// Every process is stopped by the test that started it: the console by PID (SIGINT, which stops its
// nodes), then any node it reported, by PID, as a last resort.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

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

export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
