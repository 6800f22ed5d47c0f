// Membership from the console, end to end: a 3-node cluster grows to 5 (one node joining as a
// learner, then promoted) and shrinks back to 3 — the leader among the removed — and the leader is
// moved by "Make leader", while a client appends without pause. No acknowledged append may be lost
// or applied twice. Screenshots to artifacts/e2e/.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ClusterConnection, KvClient } from '../../core/client/cluster-client.js';
import { loadClientCredentials } from '../../core/pki/credentials.js';
import { cards, fillFreePorts, screenshot, startFromSetup, until, useConsoleInBrowser } from './console-harness.js';

const session = useConsoleInBrowser({ tmpPrefix: 'raftdesk-e2e-members-', name: 'grow' });

/**
 * A client that appends token after token. Between operations it rebuilds its connection when
 * cluster.json changed, the way an operator's client learns of new members.
 */
class Appender {
  readonly acknowledged: string[] = [];
  error: Error | null = null;
  private running = true;
  private connection: ClusterConnection | null = null;
  private kv: KvClient | null = null;
  private seen = 0;
  private readonly done: Promise<void>;

  constructor() {
    this.done = this.loop();
  }

  private async refresh(): Promise<KvClient> {
    const file = path.join(session.workspace, 'cluster.json');
    const mtime = statSync(file).mtimeMs;
    if (this.kv && mtime === this.seen) return this.kv;
    this.seen = mtime;
    this.connection?.close();
    const nodes = (JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: string; host: string; clientPort: number }[] }).nodes;
    this.connection = new ClusterConnection({
      endpoints: nodes.map((n) => ({ id: n.id, url: `https://${n.host}:${n.clientPort}` })),
      credentials: await loadClientCredentials(path.join(session.workspace, 'pki')),
      timeoutMs: 20_000,
    });
    this.kv = new KvClient(this.connection);
    return this.kv;
  }

  private async loop(): Promise<void> {
    for (let i = 0; this.running; i++) {
      try {
        const kv = await this.refresh();
        await kv.append('log', `${i};`);
        this.acknowledged.push(`${i};`);
      } catch (e) {
        this.error = e as Error;
        return;
      }
    }
  }

  async stop(): Promise<string> {
    this.running = false;
    await this.done;
    const value = (await (await this.refresh()).get('log')).value ?? '';
    this.connection?.close();
    return value;
  }
}

async function leaderId(page: Page): Promise<string> {
  return until('one leader', async () => (await cards(page)).find((c) => c.role === 'leader' && c.state === 'running')?.id);
}

async function memberIds(page: Page): Promise<string[]> {
  return (await cards(page)).map((c) => c.id).sort();
}

describe('membership in the console', () => {
  it('grows to 5 and shrinks to 3 while a client writes, and moves the leader', async () => {
    await fillFreePorts(session.page);
    await session.page.getByTestId('setup-default-heartbeatMs').fill('50');
    await session.page.getByTestId('setup-default-electionTimeoutMs').fill('500');
    await startFromSetup(session.page);
    await session.page.getByText('Cluster', { exact: true }).click();
    await session.page.getByTestId('member-add').waitFor();

    const appender = new Appender();
    // n4 as a voter, n5 as a learner, then promoted.
    await session.page.getByTestId('member-add').click();
    await until('n4 to vote', async () => (await session.page.getByTestId('member-kind-n4').count()) > 0 && (await session.page.getByTestId('member-kind-n4').textContent()) === 'voter', 120_000);
    await session.page.getByTestId('member-add-learner').check();
    await session.page.getByTestId('member-add').click();
    await until('n5 as a learner', async () => (await session.page.getByTestId('member-kind-n5').count()) > 0, 120_000);
    await until('the add to finish', async () => !(await session.page.getByTestId('member-add').isDisabled()), 60_000);
    expect(await session.page.getByTestId('member-kind-n5').textContent()).toBe('learner');
    expect(await session.page.getByTestId('node-card-n5').getAttribute('data-member')).toBe('learner');
    await screenshot(session.page, 'members-1-five-with-learner');
    await session.page.getByTestId('member-promote-n5').click();
    await until('n5 to vote', async () => (await session.page.getByTestId('member-kind-n5').textContent()) === 'voter', 60_000);
    expect(await memberIds(session.page)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);

    // Shrink: the leader, then a founder that does not lead.
    const first = await leaderId(session.page);
    await session.page.getByTestId(`member-remove-${first}`).click();
    await until(`${first} to leave`, async () => !(await memberIds(session.page)).includes(first), 60_000);
    const second = ['n1', 'n2', 'n3'].find((id) => id !== first)!;
    await until('the panel to be free', async () => !(await session.page.getByTestId(`member-remove-${second}`).isDisabled()), 60_000);
    await session.page.getByTestId(`member-remove-${second}`).click();
    await until(`${second} to leave`, async () => !(await memberIds(session.page)).includes(second), 60_000);
    await screenshot(session.page, 'members-2-back-to-three');

    // Move the leader by hand.
    const now = await leaderId(session.page);
    const target = (await memberIds(session.page)).find((id) => id !== now)!;
    await session.page.getByTestId(`member-leader-${target}`).click();
    await until(`${target} to lead`, async () => (await leaderId(session.page)) === target, 30_000);
    await screenshot(session.page, 'members-3-moved-leader');

    const final = await appender.stop();
    expect(appender.error).toBeNull();
    expect(appender.acknowledged.length).toBeGreaterThan(10);
    const tokens = final.split(';').filter(Boolean).map((t) => `${t};`);
    expect(new Set(tokens).size).toBe(tokens.length);
    let at = 0;
    for (const token of appender.acknowledged) {
      at = tokens.indexOf(token, at);
      expect(at, `acknowledged ${token} is missing`).toBeGreaterThanOrEqual(0);
    }
    expect(await memberIds(session.page)).toHaveLength(3);
  });
});
