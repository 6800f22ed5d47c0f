// An experiment end to end in the console: pick nemeses and a short duration, run it against a real
// cluster, watch it progress, and read the verdict with each check. Screenshots to artifacts/e2e/.

import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, fillFreePorts, screenshot, startFromSetup, until, useConsoleInBrowser } from './console-harness.js';

const session = useConsoleInBrowser({
  tmpPrefix: 'raftdesk-e2e-exp-',
  name: 'lab',
  // Keep the experiment's history and report beside the screenshots: a failed verdict needs them.
  keep: (workspace) => {
    cpSync(path.join(workspace, 'experiments'), path.join(ARTIFACTS, 'experiments'), { recursive: true, force: true });
    cpSync(path.join(workspace, 'nodes'), path.join(ARTIFACTS, 'experiment-nodes'), { recursive: true, force: true, filter: (src) => !src.includes(`${path.sep}data`) });
  },
});

describe('an experiment in the console', () => {
  it('runs with real faults and shows a verdict with every check', async () => {
    await fillFreePorts(session.page);
    await session.page.getByTestId('setup-default-heartbeatMs').fill('50');
    await session.page.getByTestId('setup-default-electionTimeoutMs').fill('500');
    await startFromSetup(session.page);

    await session.page.getByText('Experiments', { exact: true }).click();
    for (const n of ['kill', 'pause', 'partition', 'delay']) {
      const box = session.page.getByTestId(`nemesis-${n}`);
      if (!(await box.isChecked())) await box.check();
    }
    await session.page.getByTestId('experiment-durationSec').fill('8');
    await session.page.getByTestId('experiment-intervalSec').fill('2');
    await session.page.getByTestId('experiment-clients').fill('4');
    await session.page.getByTestId('experiment-keys').fill('3');
    await session.page.getByTestId('experiment-run').click();

    await until('the experiment to run', async () => (await session.page.getByTestId('experiment-progress').getAttribute('data-phase')) === 'running', 30_000);
    await session.page.waitForTimeout(3000);
    await screenshot(session.page, 'exp-1-running');

    const verdict = session.page.getByTestId('experiment-verdict');
    await until('the verdict', async () => (await verdict.count()) > 0, 150_000);
    await screenshot(session.page, 'exp-2-verdict');
    const checks = await session.page.getByTestId('experiment-check').evaluateAll((els) => els.map((e) => ({ ok: e.getAttribute('data-ok'), text: e.textContent ?? '' })));
    expect(checks.length).toBeGreaterThanOrEqual(3);
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    expect(checks.every((c) => c.ok === 'true')).toBe(true);
  });

  it('writes a self-contained HTML report next to report.json that shows each client’s lane', async () => {
    const runs = readdirSync(path.join(session.workspace, 'experiments'));
    expect(runs).toHaveLength(1);
    const file = path.join(session.workspace, 'experiments', runs[0]!, 'report.html');
    expect(existsSync(path.join(path.dirname(file), 'report.json'))).toBe(true);
    const report = await session.browser.newPage({ viewport: { width: 1100, height: 1000 } });
    try {
      await report.goto(pathToFileURL(file).href);
      expect(await report.getByTestId('report-verdict').getAttribute('data-ok')).toBe('true');
      // A passing run shows its lanes too: one per client (4), plus the final reader.
      const lanes = await report.getByTestId('report-lane').count();
      expect(lanes).toBeGreaterThanOrEqual(4);
      // One box per operation, or (past 4,000 operations: a quick machine) one column per pixel.
      expect(await report.locator('[data-testid="report-lane"] rect.op').count()).toBeGreaterThan(0);
      expect(await report.locator('[data-testid="report-latency"] .band').count()).toBeGreaterThan(0);
      await report.screenshot({ path: path.join(ARTIFACTS, 'exp-3-html-report.png'), fullPage: true });
    } finally {
      await report.close();
    }
  });
});
