// An election followed message by message in the console, in slow motion: the cluster runs 10×
// slower (every node's tick stretched), the view is paused, the leader is killed, and stepping shows
// the vote requests and grants on the links, then the new leader's first append. Asserts on what the
// page shows. Then a one-shot drop from the message's details, shown on its link. Screenshots to
// artifacts/e2e/messages-*.png.

import { describe, expect, it } from 'vitest';
import { makeDefinition } from '../../core/workspace/definition.js';
import { saveDefinition } from '../../core/workspace/workspace.js';
import { freePorts } from '../helpers/test-cluster.js';
import { cards, screenshot, until, useConsoleInBrowser } from './console-harness.js';

const session = useConsoleInBrowser({
  tmpPrefix: 'raftdesk-e2e-messages-',
  name: 'election',
  prepare: async (workspace) => {
    const ports = await freePorts(6);
    const definition = makeDefinition({ name: 'election', nodes: 3, basePort: 0, defaults: { heartbeatMs: 50, electionTimeoutMs: 300, storage: 'memory' } });
    definition.nodes = definition.nodes.map((n, i) => ({ ...n, peerPort: ports[2 * i]!, clientPort: ports[2 * i + 1]! }));
    await saveDefinition(workspace, definition);
  },
  startTimeoutMs: 180_000,
});
/** The leader killed, and the one the election made. */
let killed = '';
let elected = '';

async function leader(): Promise<string | null> {
  const all = (await cards(session.page)).filter((c) => c.state === 'running');
  const top = Math.max(...all.map((c) => c.term));
  const leaders = all.filter((c) => c.role === 'leader' && c.term === top);
  return leaders.length === 1 ? leaders[0]!.id : null;
}

interface Shown {
  type: string;
  from: string;
  to: string;
  what: string;
  term: number;
}

/** Steps once (waiting for a message to arrive in the buffer) and reads the message's details. */
async function step(): Promise<Shown> {
  const button = session.page.getByTestId('messages-step');
  await until('a buffered message to step to', async () => await button.isEnabled(), 60_000);
  await button.click();
  const details = session.page.getByTestId('message-details');
  const shown = {
    type: (await details.getAttribute('data-type')) ?? '',
    from: (await details.getAttribute('data-from')) ?? '',
    to: (await details.getAttribute('data-to')) ?? '',
    what: (await details.locator('.what').textContent()) ?? '',
    term: Number(await details.getAttribute('data-term')),
  };
  // The stepped message is drawn on its link, with its type.
  const mark = session.page.locator(`[data-testid="message-mark"][data-type="${shown.type}"][data-from="${shown.from}"][data-to="${shown.to}"]`);
  await until(`the ${shown.type} ${shown.from} → ${shown.to} on its link`, async () => (await mark.count()) > 0);
  return shown;
}

describe('messages in the cluster view', () => {
  it('starts, shows messages on the links at real speed', async () => {
    await session.page.getByTestId('header-start').click();
    await until('one leader', leader, 60_000);
    await until('messages on the links', async () => (await session.page.getByTestId('message-mark').count()) > 0 || (await session.page.locator('[data-testid^="link-summary-"]').count()) > 0);
    await until('an election countdown on a follower', async () => (await session.page.locator('[data-testid^="election-timer-"]').count()) > 0);
    await session.page.getByTestId('messages-legend-toggle').click();
    await expect.poll(() => session.page.getByTestId('messages-legend').textContent()).toContain('vote granted');
    await screenshot(session.page, 'messages-1-live');
    await session.page.getByTestId('messages-legend-toggle').click();
  }, 120_000);

  it('follows an election message by message in slow motion', async () => {
    await session.page.getByTestId('slow-motion-10').click();
    await session.page.getByTestId('slow-motion-active').waitFor();
    // The nodes really run slower: the leader's heartbeat period as it reports it is 10× the 50 ms.
    const old = (await until('a leader', leader))!;
    await until('the leader reporting 10× slower heartbeats', async () => ((await session.page.getByTestId(`heartbeat-${old}`).textContent()) ?? '').includes('500 ms'));
    await screenshot(session.page, 'messages-2-slow-motion');

    const oldTerm = (await cards(session.page)).find((c) => c.id === old)!.term;
    await session.page.getByTestId('messages-pause').click();
    await session.page.getByTestId(`fault-kill-${old}`).click();

    const seen: Shown[] = [];
    let votedFor: string | null = null;
    let newLeader: string | null = null;
    for (let i = 0; i < 120 && newLeader === null; i++) {
      const m = await step();
      // What was still in flight from the old term is passed over: the election is of later terms.
      if (m.term <= oldTerm) continue;
      seen.push(m);
      if (m.type === 'Vote' && votedFor === null) await screenshot(session.page, 'messages-3-vote-request');
      if (m.type === 'VoteResp' && m.what.includes('vote granted')) {
        votedFor = m.to;
        await screenshot(session.page, 'messages-4-vote-granted');
      }
      if (m.type === 'App' && votedFor !== null && m.from === votedFor) {
        newLeader = m.from;
        await screenshot(session.page, 'messages-5-first-append');
      }
    }
    const summary = seen.map((m) => `${m.type} ${m.from}→${m.to}`).join(', ');
    // Pre-vote is on by default: the candidate first asks whether it could win, then asks for votes.
    const vote = seen.findIndex((m) => m.type === 'Vote' && m.from === newLeader);
    const grant = seen.findIndex((m) => m.type === 'VoteResp' && m.to === newLeader && m.what.includes('vote granted'));
    const append = seen.findIndex((m) => m.type === 'App' && m.from === newLeader);
    expect(newLeader, summary).not.toBeNull();
    expect(newLeader).not.toBe(old);
    killed = old;
    elected = newLeader!;
    expect(seen.some((m) => m.type === 'PreVote' && m.from === newLeader), summary).toBe(true);
    expect(vote, summary).toBeGreaterThanOrEqual(0);
    expect(grant, summary).toBeGreaterThan(vote);
    expect(append, summary).toBeGreaterThan(grant);
    // No message from the killed leader arrives after it was killed.
    expect(seen.filter((m) => m.from === old && m.what.startsWith('received')).length, summary).toBe(0);
  }, 180_000);

  it('drops the next messages of a link from a message’s details, shown on the link until used up', async () => {
    // Step to a message from the new leader to the follower that is alive (heartbeats included).
    await session.page.getByTestId('messages-skip-heartbeats').uncheck();
    for (let i = 0; i < 100; i++) {
      const m = await step();
      if (m.from === elected && m.to !== killed) break;
    }
    const details = session.page.getByTestId('message-details');
    const from = (await details.getAttribute('data-from'))!;
    const to = (await details.getAttribute('data-to'))!;
    expect([from, to === killed]).toEqual([elected, false]);
    await session.page.getByTestId('drop-count').fill('2');
    await session.page.getByTestId('drop-next').click();
    // In slow motion the leader sends a heartbeat every 500 ms: the mark is on the link first.
    const label = session.page.getByTestId(`drop-next-${from}→${to}`);
    await until('the one-shot drop shown on its link', async () => (await label.count()) > 0);
    await screenshot(session.page, 'messages-6-drop-next');
    await until('the one-shot drop used up', async () => (await label.count()) === 0, 30_000);

    // The leader's heartbeats go on arriving in the buffer while the view stays paused. Wait for one:
    // the drop can be reported used up before the stream has delivered anything newer.
    const waiting = async () => Number(/^(\d+) waiting$/.exec((await session.page.getByTestId('messages-queue').textContent()) ?? '')?.[1] ?? 0);
    await until('a message waiting in the buffer', async () => (await waiting()) > 0);
    const buffered = await waiting();
    await session.page.getByTestId('messages-resume').click();
    // What arrived during the pause and was never stepped to is not replayed, but counted.
    const unshown = session.page.getByTestId('messages-unshown');
    const said = (await unshown.textContent()) ?? '';
    expect(said).toMatch(/^\d+ messages? from the pause (was|were) not shown\.$/);
    expect(Number(said.split(' ')[0])).toBeGreaterThanOrEqual(buffered);
    await screenshot(session.page, 'messages-7-back-to-live');
    await session.page.getByTestId('messages-unshown-dismiss').click();
    await session.page.getByTestId('slow-motion-off').click();
    await until('normal speed', async () => (await session.page.getByTestId('slow-motion-active').count()) === 0);
    await screenshot(session.page, 'messages-8-normal');
    expect(session.pageErrors).toEqual([]);
  }, 120_000);
});
