// The console in a real browser against a real cluster: configure three nodes with non-default
// timing, start, see one leader; submit an entry and see it committed everywhere; kill the leader
// and see a new one in a higher term; partition a node, see it fall behind, heal, see it catch up.
// Screenshots of each step go to artifacts/e2e/ (not committed).

import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freePorts } from '../helpers/test-cluster.js';
import { cards, screenshot, until, useConsoleInBrowser } from './console-harness.js';

const session = useConsoleInBrowser({ tmpPrefix: 'raftdesk-e2e-', name: 'demo' });

async function leaderOf(p: Page): Promise<{ id: string; term: number } | null> {
  const all = await cards(p);
  const running = all.filter((c) => c.state === 'running');
  const top = Math.max(...running.map((c) => c.term));
  const leaders = running.filter((c) => c.role === 'leader' && c.term === top);
  return leaders.length === 1 ? { id: leaders[0]!.id, term: leaders[0]!.term } : null;
}

async function submit(text: string): Promise<number> {
  const result = session.page.getByTestId('submit-result');
  await session.page.getByTestId('submit-input').fill(text);
  await session.page.getByTestId('submit-send').click();
  // The result names the text it belongs to: wait for this submission's, not the previous one's.
  const shown = await until(`the result of submitting "${text}"`, async () => {
    const t = (await result.count()) > 0 ? ((await result.textContent()) ?? '') : '';
    return t.includes(text) && /index\s*\d+/i.test(t) ? t : null;
  });
  return Number(/index\s*(\d+)/i.exec(shown)![1]);
}

describe('the console', () => {
  it('configures three nodes with their own heartbeat and election timeout, and starts them', async () => {
    await session.page.getByTestId('preset-3').click();
    const ports = await freePorts(6);
    for (let row = 0; row < 3; row++) {
      await session.page.getByTestId(`setup-peerPort-${row}`).fill(String(ports[2 * row]));
      await session.page.getByTestId(`setup-clientPort-${row}`).fill(String(ports[2 * row + 1]));
      await session.page.getByTestId(`setup-heartbeatMs-${row}`).fill(String(40 + 10 * row));
      await session.page.getByTestId(`setup-electionTimeoutMs-${row}`).fill(String(600 + 100 * row));
    }
    await screenshot(session.page, '1-setup');
    await session.page.getByTestId('start-cluster').click();
    const leader = await until('exactly one leader on the node cards', () => leaderOf(session.page), 90_000);
    await screenshot(session.page, '2-started');
    const all = await cards(session.page);
    expect(all).toHaveLength(3);
    expect(all.filter((c) => c.role === 'leader').map((c) => c.id)).toEqual([leader.id]);
    const saved = JSON.parse(await (await import('node:fs/promises')).readFile(path.join(session.workspace, 'cluster.json'), 'utf8')) as { nodes: { heartbeatMs?: number; electionTimeoutMs?: number }[] };
    expect(saved.nodes.map((n) => [n.heartbeatMs, n.electionTimeoutMs])).toEqual([
      [40, 600],
      [50, 700],
      [60, 800],
    ]);
  });

  it('commits a submitted entry on every node', async () => {
    const index = await submit('Value1');
    await until('every node to commit the entry', async () => (await cards(session.page)).every((c) => c.commit >= index));
    await screenshot(session.page, '3-committed');
  });

  it('elects a new leader in a higher term when the leader is killed', async () => {
    const old = (await leaderOf(session.page))!;
    await session.page.getByTestId(`fault-kill-${old.id}`).click();
    const next = await until('a new leader in a higher term', async () => {
      const l = await leaderOf(session.page);
      return l && l.id !== old.id && l.term > old.term ? l : null;
    });
    expect((await cards(session.page)).find((c) => c.id === old.id)!.state).toBe('killed');
    await screenshot(session.page, '4-new-leader');
    expect(next.term).toBeGreaterThan(old.term);
    await session.page.getByTestId(`fault-start-${old.id}`).click();
    await until(`${old.id} to run again`, async () => (await cards(session.page)).find((c) => c.id === old.id)!.state === 'running');
  });

  it('shows a partitioned node fall behind and catch up after heal', async () => {
    const leader = (await until('a leader', () => leaderOf(session.page)))!;
    const victim = (await cards(session.page)).find((c) => c.id !== leader.id)!.id;
    await session.page.getByTestId(`fault-isolate-${victim}`).click();
    let last = 0;
    for (let i = 0; i < 3; i++) last = await submit(`while ${victim} is cut off ${i}`);
    // The cards follow state pushes, which may trail the submit's answer by a moment.
    const behind = await until(`${victim} to be behind while the others commit`, async () => {
      const all = await cards(session.page);
      return all.filter((c) => c.id !== victim).every((c) => c.commit >= last) ? all : null;
    });
    expect(behind.find((c) => c.id === victim)!.commit).toBeLessThan(last);
    await screenshot(session.page, '5-partitioned');
    await session.page.getByTestId('heal-all').click();
    await until(`${victim} to catch up`, async () => (await cards(session.page)).every((c) => c.commit >= last));
    await screenshot(session.page, '6-healed');
    expect(session.pageErrors).toEqual([]);
  });
});
