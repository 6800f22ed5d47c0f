// The console in a real browser against a real cluster: configure three nodes with non-default
// timing, start, see one leader; submit an entry and see it committed everywhere; kill the leader
// and see a new one in a higher term; partition a node, see it fall behind, heal, see it catch up.
// Screenshots of each step go to artifacts/e2e/ (not committed).

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../helpers/test-cluster.js';
import type { RunningConsole } from './console-harness.js';
import { cards, launchBrowser, screenshot, startConsole, until } from './console-harness.js';

const workspace = path.join(mkdtempSync(path.join(os.tmpdir(), 'raftdesk-e2e-')), 'demo');
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

async function leaderOf(p: Page): Promise<{ id: string; term: number } | null> {
  const all = await cards(p);
  const running = all.filter((c) => c.state === 'running');
  const top = Math.max(...running.map((c) => c.term));
  const leaders = running.filter((c) => c.role === 'leader' && c.term === top);
  return leaders.length === 1 ? { id: leaders[0]!.id, term: leaders[0]!.term } : null;
}

async function submit(text: string): Promise<number> {
  const result = page.getByTestId('submit-result');
  await page.getByTestId('submit-input').fill(text);
  await page.getByTestId('submit-send').click();
  // The result names the text it belongs to: wait for this submission's, not the previous one's.
  const shown = await until(`the result of submitting "${text}"`, async () => {
    const t = (await result.count()) > 0 ? ((await result.textContent()) ?? '') : '';
    return t.includes(text) && /index\s*\d+/i.test(t) ? t : null;
  });
  return Number(/index\s*(\d+)/i.exec(shown)![1]);
}

describe('the console', () => {
  it('configures three nodes with their own heartbeat and election timeout, and starts them', async () => {
    await page.getByTestId('preset-3').click();
    const ports = await freePorts(6);
    for (let row = 0; row < 3; row++) {
      await page.getByTestId(`setup-peerPort-${row}`).fill(String(ports[2 * row]));
      await page.getByTestId(`setup-clientPort-${row}`).fill(String(ports[2 * row + 1]));
      await page.getByTestId(`setup-heartbeatMs-${row}`).fill(String(40 + 10 * row));
      await page.getByTestId(`setup-electionTimeoutMs-${row}`).fill(String(600 + 100 * row));
    }
    await screenshot(page, '1-setup');
    await page.getByTestId('start-cluster').click();
    const leader = await until('exactly one leader on the node cards', () => leaderOf(page), 90_000);
    await screenshot(page, '2-started');
    const all = await cards(page);
    expect(all).toHaveLength(3);
    expect(all.filter((c) => c.role === 'leader').map((c) => c.id)).toEqual([leader.id]);
    const saved = JSON.parse(await (await import('node:fs/promises')).readFile(path.join(workspace, 'cluster.json'), 'utf8')) as { nodes: { heartbeatMs?: number; electionTimeoutMs?: number }[] };
    expect(saved.nodes.map((n) => [n.heartbeatMs, n.electionTimeoutMs])).toEqual([
      [40, 600],
      [50, 700],
      [60, 800],
    ]);
  });

  it('commits a submitted entry on every node', async () => {
    const index = await submit('Value1');
    await until('every node to commit the entry', async () => (await cards(page)).every((c) => c.commit >= index));
    await screenshot(page, '3-committed');
  });

  it('elects a new leader in a higher term when the leader is killed', async () => {
    const old = (await leaderOf(page))!;
    await page.getByTestId(`fault-kill-${old.id}`).click();
    const next = await until('a new leader in a higher term', async () => {
      const l = await leaderOf(page);
      return l && l.id !== old.id && l.term > old.term ? l : null;
    });
    expect((await cards(page)).find((c) => c.id === old.id)!.state).toBe('killed');
    await screenshot(page, '4-new-leader');
    expect(next.term).toBeGreaterThan(old.term);
    await page.getByTestId(`fault-start-${old.id}`).click();
    await until(`${old.id} to run again`, async () => (await cards(page)).find((c) => c.id === old.id)!.state === 'running');
  });

  it('shows a partitioned node fall behind and catch up after heal', async () => {
    const leader = (await until('a leader', () => leaderOf(page)))!;
    const victim = (await cards(page)).find((c) => c.id !== leader.id)!.id;
    await page.getByTestId(`fault-isolate-${victim}`).click();
    let last = 0;
    for (let i = 0; i < 3; i++) last = await submit(`while ${victim} is cut off ${i}`);
    // The cards follow state pushes, which may trail the submit's answer by a moment.
    const behind = await until(`${victim} to be behind while the others commit`, async () => {
      const all = await cards(page);
      return all.filter((c) => c.id !== victim).every((c) => c.commit >= last) ? all : null;
    });
    expect(behind.find((c) => c.id === victim)!.commit).toBeLessThan(last);
    await screenshot(page, '5-partitioned');
    await page.getByTestId('heal-all').click();
    await until(`${victim} to catch up`, async () => (await cards(page)).every((c) => c.commit >= last));
    await screenshot(page, '6-healed');
    expect(pageErrors).toEqual([]);
  });
});
