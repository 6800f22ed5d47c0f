// Reads in the console, end to end: lease reads switched on in the Advanced settings (with the clock
// assumption stated beside the switch), saved into cluster.json, then the submit box's get read
// linearizably, under the lease and locally, each result and history line saying the path the node
// answered with. Screenshots to artifacts/e2e/.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillFreePorts, screenshot, startFromSetup, until, useConsoleInBrowser } from './console-harness.js';

const session = useConsoleInBrowser({ tmpPrefix: 'raftdesk-e2e-reads-', name: 'reads' });

/** Submits `text` and returns the result line once it is this submission's. */
async function submit(text: string, expected: RegExp): Promise<string> {
  await session.page.getByTestId('submit-input').fill(text);
  await session.page.getByTestId('submit-send').click();
  const result = session.page.getByTestId('submit-result');
  return until(`the result of "${text}"`, async () => {
    const t = (await result.count()) > 0 ? ((await result.textContent()) ?? '') : '';
    return t.includes(text) && expected.test(t) ? t : null;
  });
}

describe('read paths in the console', () => {
  it('switches lease reads on, then reads linearizably, under the lease and locally, saying which path each took', async () => {
    await fillFreePorts(session.page);
    await session.page.getByTestId('setup-advanced').locator('summary').click();
    const lease = session.page.getByTestId('setup-default-leaseReads');
    expect(await lease.isChecked()).toBe(false);
    await lease.check();
    // The clock assumption, for the timings on screen (100 ms heartbeat, 1,000 ms election timeout).
    expect(await session.page.getByTestId('lease-reads-hint').textContent()).toMatch(/within 11 % of the leader's/);
    await screenshot(session.page, 'reads-1-lease-switch');
    await startFromSetup(session.page);
    const saved = JSON.parse(readFileSync(path.join(session.workspace, 'cluster.json'), 'utf8')) as { defaults: { leaseReads?: boolean } };
    expect(saved.defaults.leaseReads).toBe(true);

    await session.page.getByText('Cluster', { exact: true }).click();
    const written = await submit('color=blue', /Committed at index \d+/);
    const index = Number(/index (\d+)/.exec(written)![1]);
    const consistency = session.page.getByTestId('submit-consistency');
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
    const paths = await session.page.getByTestId('submit-history-path').allTextContents();
    expect(paths).toHaveLength(2);
    expect(paths[0]).toMatch(/^lease #\d+$/);
    expect(paths[1]).toMatch(/^linearizable #\d+$/);
    await screenshot(session.page, 'reads-2-paths');
    expect(session.pageErrors).toEqual([]);
  });
});
