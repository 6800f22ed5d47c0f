// The supervisor's message stream against a real 3-node cluster: a leadership transfer read through it shows the
// TimeoutNow, the vote requests and grants and the new leader's appends, each once, with the
// sender's and the receiver's times.

import { afterAll, describe, expect, it } from 'vitest';
import type { LinkMessage } from '../../core/api/messages.js';
import { useTestCluster, waitFor } from '../helpers/test-cluster.js';

const cluster = useTestCluster({ nodes: 3 });
let unsubscribe: (() => void) | undefined;

// Runs before the cluster's stop (afterAll hooks run in reverse order of registration).
afterAll(() => {
  unsubscribe?.();
});

describe('message stream on a real cluster', () => {
  it('pairs every message of a leadership transfer once, sender and receiver', async () => {
    const seen = new Map<number, LinkMessage>();
    let emissions = 0;
    unsubscribe = cluster().supervisor.onMessages((batch) => {
      for (const m of batch.messages) {
        emissions++;
        seen.set(m.id, m);
      }
    });
    // Let the stream read the nodes' present before anything happens.
    await waitFor('heartbeats paired', () => [...seen.values()].some((m) => m.type === 'Heartbeat' && m.receivedAt !== null), 10_000);
    const before = await cluster().leader();
    const target = cluster().definition.nodes.map((n) => n.id).find((id) => id !== before)!;
    const { leader, term } = await cluster().supervisor.transferLeader(target);
    expect(leader).toBe(target);

    // The old leader's TimeoutNow is of its own term; the election's messages are of the new one.
    const paired = (type: string, from: string, inTerm = term) =>
      [...seen.values()].find((m) => m.type === type && m.from === from && m.term === inTerm && m.sentAt !== null && m.receivedAt !== null);
    await waitFor(
      'the transfer seen message by message',
      () => paired('TimeoutNow', before, term - 1) && paired('Vote', target) && paired('VoteResp', before) && paired('App', target),
      10_000,
    ).catch((e: Error) => {
      const summary = [...seen.values()].filter((m) => m.type !== 'Heartbeat' && m.type !== 'HeartbeatResp').map((m) => `${m.type} ${m.from}>${m.to} t${m.term} ${m.sentAt !== null}/${m.receivedAt !== null}`);
      throw new Error(`${e.message}; saw ${summary.join(', ')}`);
    });

    const vote = paired('Vote', target)!;
    expect(vote.to).not.toBe(target);
    const grant = [...seen.values()].find((m) => m.type === 'VoteResp' && m.to === target && m.term === term && !m.reject && m.receivedAt !== null);
    expect(grant).toBeDefined();
    for (const m of seen.values()) {
      expect(m.from).not.toBe(m.to);
      if (m.sentAt !== null && m.receivedAt !== null) expect(m.receivedAt).toBeGreaterThanOrEqual(m.sentAt);
    }
    // One record per message: the sender's and the receiver's records were not emitted as two.
    const sends = [...seen.values()].filter((m) => m.sentAt !== null).map((m) => `${m.from}>${m.to}@${m.sentAt}|${m.type}|${m.index}|${m.commit}`);
    expect(new Set(sends).size).toBe(sends.length);
    const arrivals = [...seen.values()].filter((m) => m.receivedAt !== null).map((m) => `${m.from}>${m.to}@${m.receivedAt}|${m.type}|${m.index}|${m.commit}`);
    expect(new Set(arrivals).size).toBe(arrivals.length);
    expect(emissions).toBeGreaterThanOrEqual(seen.size);
  }, 40_000);
});
