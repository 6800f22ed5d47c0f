// Reads in the console, end to end: lease reads switched on in the Advanced settings (with the clock
// assumption stated beside the switch), saved into cluster.json, then the submit box's get read
// linearizably, under the lease and locally, each result and history line saying the path the node
// answered with. Screenshots to artifacts/e2e/.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../helpers/test-cluster.js';
import type { RunningConsole } from './console-harness.js';
import { cards, launchBrowser, screenshot, startConsole, until } from './console-harness.js';

const workspace = path.join(mkdtempSync(path.join(os.tmpdir(), 'raftdesk-e2e-reads-')), 'reads');
let server: RunningConsole;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startConsole(workspace);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(path.dirname(workspace), { recursive: true, force: true });
});

/** Submits `text` and returns the result line once it is this submission's. */
async function submit(text: string, expected: RegExp): Promise<string> {
  await page.getByTestId('submit-input').fill(text);
  await page.getByTestId('submit-send').click();
  const result = page.getByTestId('submit-result');
  return until(`the result of "${text}"`, async () => {
    const t = (await result.count()) > 0 ? ((await result.textContent()) ?? '') : '';
    return t.includes(text) && expected.test(t) ? t : null;
  });
}

describe('read paths in the console', () => {
  it('switches lease reads on, then reads linearizably, under the lease and locally, saying which path each took', async () => {
    const ports = await freePorts(6);
    for (let row = 0; row < 3; row++) {
      await page.getByTestId(`setup-peerPort-${row}`).fill(String(ports[2 * row]));
      await page.getByTestId(`setup-clientPort-${row}`).fill(String(ports[2 * row + 1]));
    }
    await page.getByTestId('setup-advanced').locator('summary').click();
    const lease = page.getByTestId('setup-default-leaseReads');
    expect(await lease.isChecked()).toBe(false);
    await lease.check();
    // The clock assumption, for the timings on screen (100 ms heartbeat, 1,000 ms election timeout).
    expect(await page.getByTestId('lease-reads-hint').textContent()).toMatch(/within 11 % of the leader's/);
    await screenshot(page, 'reads-1-lease-switch');
    await page.getByTestId('start-cluster').click();
    await until('a leader', async () => (await cards(page)).some((c) => c.role === 'leader'), 90_000);
    const saved = JSON.parse(readFileSync(path.join(workspace, 'cluster.json'), 'utf8')) as { defaults: { leaseReads?: boolean } };
    expect(saved.defaults.leaseReads).toBe(true);

    await page.getByText('Cluster', { exact: true }).click();
    const written = await submit('color=blue', /Committed at index \d+/);
    const index = Number(/index (\d+)/.exec(written)![1]);
    const consistency = page.getByTestId('submit-consistency');
    expect(await consistency.inputValue()).toBe('linearizable');
    expect(await consistency.locator('option[value="lease"]').isDisabled()).toBe(false);

    const linearizable = await submit('get color', /linearizable read \(read index \d+, applied \d+\)/);
    expect(linearizable).toContain('color is "blue"');
    expect(Number(/read index (\d+)/.exec(linearizable)![1])).toBeGreaterThanOrEqual(index);

    await consistency.selectOption('lease');
    const leased = await submit('get color', /lease read \(read index \d+, applied \d+\)/);
    expect(leased).toContain('color is "blue"');

    await consistency.selectOption('local');
    const local = await submit('get color', /local read \(applied \d+\)/);
    expect(local).toContain('color is "blue"');

    // The history keeps each read's path.
    const paths = await page.getByTestId('submit-history-path').allTextContents();
    expect(paths).toHaveLength(2);
    expect(paths[0]).toMatch(/^lease #\d+$/);
    expect(paths[1]).toMatch(/^linearizable #\d+$/);
    await screenshot(page, 'reads-2-paths');
    expect(pageErrors).toEqual([]);
  });
});
