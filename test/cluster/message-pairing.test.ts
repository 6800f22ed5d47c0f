import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../../core/api/messages.js';
import { MessagePairing } from '../../core/cluster/message-pairing.js';

let seq = 1;
function record(event: MessageRecord['event'], at: number, fields: Partial<MessageRecord> = {}): MessageRecord {
  return {
    seq: seq++,
    at,
    event,
    type: 'App',
    from: 'n1',
    to: 'n2',
    term: 2,
    index: 5,
    logTerm: 2,
    entries: 1,
    entryBytes: 10,
    bytes: event === 'send' ? 60 : 0,
    commit: 4,
    reject: false,
    hint: 0,
    snapshotIndex: 0,
    ...fields,
  };
}

describe('message pairing', () => {
  it('makes one message of the sender’s send and the receiver’s receive, whichever is read first', () => {
    const p = new MessagePairing({ holdMs: 1000, maxPerLink: 100 });
    p.add(record('send', 100), 0);
    p.add(record('receive', 101), 0);
    // The receiver's record read before the sender's.
    p.add(record('receive', 201, { type: 'AppResp', from: 'n2', to: 'n1', index: 5 }), 0);
    p.add(record('send', 200, { type: 'AppResp', from: 'n2', to: 'n1', index: 5 }), 0);
    const out = p.take(0);
    expect(out.map((m) => [m.type, m.from, m.to, m.sentAt, m.receivedAt, m.bytes])).toEqual([
      ['App', 'n1', 'n2', 100, 101, 60],
      ['AppResp', 'n2', 'n1', 200, 201, 60],
    ]);
    expect(p.waitingCount).toBe(0);
    expect(p.take(5000)).toEqual([]);
  });

  it('pairs by content on the link, in order, and never across links', () => {
    const p = new MessagePairing({ holdMs: 1000, maxPerLink: 100 });
    p.add(record('send', 10, { index: 1 }), 0);
    p.add(record('send', 11, { index: 2 }), 0);
    p.add(record('send', 12, { to: 'n3', index: 2 }), 0);
    p.add(record('receive', 13, { index: 2 }), 0);
    p.add(record('receive', 14, { index: 1 }), 0);
    const out = p.take(0);
    expect(out.map((m) => [m.to, m.index, m.sentAt, m.receivedAt])).toEqual([
      ['n2', 1, 10, 14],
      ['n2', 2, 11, 13],
    ]);
    // The n1→n3 send is still waiting for its arrival.
    expect(p.waitingCount).toBe(1);
  });

  it('emits a half alone after holdMs, and the same id again when its other half comes late', () => {
    const p = new MessagePairing({ holdMs: 1000, maxPerLink: 100 });
    p.add(record('send', 10, { type: 'Heartbeat' }), 0);
    expect(p.take(999)).toEqual([]);
    const [alone] = p.take(1000);
    expect(alone).toMatchObject({ type: 'Heartbeat', sentAt: 10, receivedAt: null });
    p.add(record('receive', 1500, { type: 'Heartbeat' }), 1600);
    const [completed] = p.take(1600);
    expect(completed).toMatchObject({ id: alone!.id, sentAt: 10, receivedAt: 1500 });
    // What was emitted is a copy: completing it later did not change the first emission.
    expect(alone!.receivedAt).toBeNull();
  });

  it('prefers a waiting send over one already given up on (a restarted peer’s fresh heartbeat)', () => {
    const p = new MessagePairing({ holdMs: 1000, maxPerLink: 100 });
    p.add(record('send', 10, { type: 'Heartbeat' }), 0);
    expect(p.take(2000)).toHaveLength(1);
    p.add(record('send', 3000, { type: 'Heartbeat' }), 2100);
    p.add(record('receive', 3001, { type: 'Heartbeat' }), 2100);
    const [fresh] = p.take(2100);
    expect(fresh).toMatchObject({ sentAt: 3000, receivedAt: 3001 });
  });

  it('keeps drops: before sending alone, on arrival paired with the send', () => {
    const p = new MessagePairing({ holdMs: 1000, maxPerLink: 100 });
    p.add(record('drop', 10, { reason: 'loss', direction: 'out', type: 'Vote' }), 0);
    p.add(record('send', 20, { type: 'VoteResp', from: 'n2', to: 'n1' }), 0);
    p.add(record('drop', 21, { type: 'VoteResp', from: 'n2', to: 'n1', reason: 'partition', direction: 'in' }), 0);
    const out = p.take(0);
    expect(out.map((m) => [m.type, m.sentAt, m.receivedAt, m.dropped])).toEqual([
      ['Vote', null, null, { at: 10, reason: 'loss', direction: 'out' }],
      ['VoteResp', 20, null, { at: 21, reason: 'partition', direction: 'in' }],
    ]);
  });

  it('sorts each batch by time, then id', () => {
    const p = new MessagePairing({ holdMs: 0, maxPerLink: 100 });
    p.add(record('receive', 50, { index: 9 }), 0);
    p.add(record('send', 30, { index: 8, from: 'n3', to: 'n1' }), 0);
    p.add(record('drop', 40, { reason: 'loss', direction: 'out', from: 'n2', to: 'n3' }), 0);
    p.add(record('send', 30, { index: 7, from: 'n3', to: 'n2' }), 0);
    const out = p.take(0);
    expect(out.map((m) => m.index)).toEqual([8, 7, 5, 9]);
    expect(out[0]!.id).toBeLessThan(out[1]!.id);
  });

  it('is bounded per link: the oldest waiting half goes out alone when the link is full', () => {
    const p = new MessagePairing({ holdMs: 60_000, maxPerLink: 3 });
    for (let i = 1; i <= 5; i++) p.add(record('send', i, { index: i }), 0);
    expect(p.waitingCount).toBe(3);
    const out = p.take(1);
    expect(out.map((m) => [m.index, m.receivedAt])).toEqual([
      [1, null],
      [2, null],
    ]);
    // A late arrival of a forgotten send cannot be paired any more: it goes out alone after holdMs.
    p.add(record('receive', 9, { index: 1 }), 2);
    expect(p.take(60_002)).toHaveLength(4);
  });

  it('forgets a restarted node’s halves, emitting them alone once', () => {
    const p = new MessagePairing({ holdMs: 60_000, maxPerLink: 100 });
    p.add(record('send', 1, { index: 1 }), 0);
    p.add(record('send', 2, { index: 2, from: 'n3', to: 'n1' }), 0);
    p.forgetNode('n2');
    expect(p.take(1).map((m) => m.index)).toEqual([1]);
    expect(p.waitingCount).toBe(1);
    expect(p.take(60_000).map((m) => m.index)).toEqual([2]);
    expect(p.take(120_000)).toEqual([]);
  });
  it('shows a send to a node whose process is down at once, and completes it if a copy arrives later', () => {
    const p = new MessagePairing({ holdMs: 1000, maxPerLink: 100 });
    p.add(record('send', 10, { type: 'Vote', to: 'n2', index: 7 }), 0);
    p.add(record('send', 11, { type: 'Vote', to: 'n3', index: 7 }), 0);
    // n2 is down: its vote request is shown now; n3's waits for its arrival as usual.
    const now = p.take(0, new Set(['n2']));
    expect(now.map((m) => [m.to, m.sentAt, m.receivedAt])).toEqual([['n2', 10, null]]);
    expect(p.take(10, new Set(['n2']))).toEqual([]);
    // n2 came back and a queued copy reached it: the same message, completed.
    p.add(record('receive', 900, { type: 'Vote', to: 'n2', index: 7 }), 20);
    const later = p.take(20);
    expect(later.map((m) => [m.id, m.to, m.receivedAt])).toEqual([[now[0]!.id, 'n2', 900]]);
    // n3's send is emitted alone only after the hold.
    expect(p.take(500)).toEqual([]);
    expect(p.take(1001).map((m) => [m.to, m.receivedAt])).toEqual([['n3', null]]);
  });

  it('does not hurry a send to a node that runs, nor an arrival at a node now down', () => {
    const p = new MessagePairing({ holdMs: 1000, maxPerLink: 100 });
    p.add(record('receive', 5, { type: 'Heartbeat', from: 'n3', to: 'n2' }), 0);
    p.add(record('send', 10, { to: 'n3' }), 0);
    expect(p.take(0, new Set(['n2']))).toEqual([]);
  });
});
