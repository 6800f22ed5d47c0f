// An experiment end to end in the console: pick nemeses and a short duration, run it against a real
// cluster, watch it progress, and read the verdict with each check. Screenshots to artifacts/e2e/.

import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../helpers/test-cluster.js';
import type { RunningConsole } from './console-harness.js';
import { ARTIFACTS, cards, launchBrowser, screenshot, startConsole, until } from './console-harness.js';

const workspace = path.join(mkdtempSync(path.join(os.tmpdir(), 'raftdesk-e2e-exp-')), 'lab');
let server: RunningConsole;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startConsole(workspace);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  // Keep the experiment's history and report beside the screenshots: a failed verdict needs them.
  cpSync(path.join(workspace, 'experiments'), path.join(ARTIFACTS, 'experiments'), { recursive: true, force: true });
  cpSync(path.join(workspace, 'nodes'), path.join(ARTIFACTS, 'experiment-nodes'), { recursive: true, force: true, filter: (src) => !src.includes(`${path.sep}data`) });
  rmSync(path.dirname(workspace), { recursive: true, force: true });
});

describe('an experiment in the console', () => {
  it('runs with real faults and shows a verdict with every check', async () => {
    const ports = await freePorts(6);
    for (let row = 0; row < 3; row++) {
      await page.getByTestId(`setup-peerPort-${row}`).fill(String(ports[2 * row]));
      await page.getByTestId(`setup-clientPort-${row}`).fill(String(ports[2 * row + 1]));
    }
    await page.getByTestId('setup-default-heartbeatMs').fill('50');
    await page.getByTestId('setup-default-electionTimeoutMs').fill('500');
    await page.getByTestId('start-cluster').click();
    await until('a leader', async () => (await cards(page)).some((c) => c.role === 'leader'), 90_000);

    await page.getByText('Experiments', { exact: true }).click();
    for (const n of ['kill', 'pause', 'partition', 'delay']) {
      const box = page.getByTestId(`nemesis-${n}`);
      if (!(await box.isChecked())) await box.check();
    }
    await page.getByTestId('experiment-durationSec').fill('8');
    await page.getByTestId('experiment-intervalSec').fill('2');
    await page.getByTestId('experiment-clients').fill('4');
    await page.getByTestId('experiment-keys').fill('3');
    await page.getByTestId('experiment-run').click();

    await until('the experiment to run', async () => (await page.getByTestId('experiment-progress').getAttribute('data-phase')) === 'running', 30_000);
    await page.waitForTimeout(3000);
    await screenshot(page, 'exp-1-running');

    const verdict = page.getByTestId('experiment-verdict');
    await until('the verdict', async () => (await verdict.count()) > 0, 150_000);
    await screenshot(page, 'exp-2-verdict');
    const checks = await page.getByTestId('experiment-check').evaluateAll((els) => els.map((e) => ({ ok: e.getAttribute('data-ok'), text: e.textContent ?? '' })));
    expect(checks.length).toBeGreaterThanOrEqual(3);
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    expect(checks.every((c) => c.ok === 'true')).toBe(true);
  });

  it('writes a self-contained HTML report next to report.json that shows each client’s lane', async () => {
    const runs = readdirSync(path.join(workspace, 'experiments'));
    expect(runs).toHaveLength(1);
    const file = path.join(workspace, 'experiments', runs[0]!, 'report.html');
    expect(existsSync(path.join(path.dirname(file), 'report.json'))).toBe(true);
    const report = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    try {
      await report.goto(pathToFileURL(file).href);
      expect(await report.getByTestId('report-verdict').getAttribute('data-ok')).toBe('true');
      // A passing run shows its lanes too: one per client (4), plus the final reader.
      const lanes = await report.getByTestId('report-lane').count();
      expect(lanes).toBeGreaterThanOrEqual(4);
      expect(await report.getByTestId('report-op').count()).toBeGreaterThan(0);
      expect(await report.locator('[data-testid="report-latency"] .band').count()).toBeGreaterThan(0);
      await report.screenshot({ path: path.join(ARTIFACTS, 'exp-3-html-report.png'), fullPage: true });
    } finally {
      await report.close();
    }
  });
});
