import { describe, expect, it } from 'vitest';
import { MessageLog, teeTap } from '../../core/node/message-log.js';
import { MessageType, type Message } from '../../core/raft/types.js';

function message(overrides: Partial<Message> = {}): Message {
  return {
    type: MessageType.App,
    from: 'n1',
    to: 'n2',
    term: 3,
    logTerm: 3,
    index: 7,
    entries: [
      { term: 3, index: 8, type: 0 as Message['entries'][number]['type'], data: new Uint8Array(5) },
      { term: 3, index: 9, type: 0 as Message['entries'][number]['type'], data: new Uint8Array(7) },
    ],
    commit: 6,
    reject: false,
    rejectHint: 0,
    snapshot: null,
    context: 0,
    ...overrides,
  };
}

describe('MessageLog', () => {
  it('records each message’s fields, in order, with increasing timestamps', () => {
    const log = new MessageLog(16);
    log.sent(message(), 120);
    log.received(message({ type: MessageType.AppResp, from: 'n2', to: 'n1', entries: [], reject: true, rejectHint: 4 }));
    log.dropped(message({ type: MessageType.Heartbeat, entries: [] }), 'out', 'loss');
    const { records, lost, next } = log.since(0);
    expect(lost).toBe(0);
    expect(next).toBe(4);
    expect(records.map((r) => [r.seq, r.event, r.type])).toEqual([
      [1, 'send', 'App'],
      [2, 'receive', 'AppResp'],
      [3, 'drop', 'Heartbeat'],
    ]);
    expect(records[0]).toMatchObject({ from: 'n1', to: 'n2', term: 3, index: 7, logTerm: 3, entries: 2, entryBytes: 12, bytes: 120, commit: 6 });
    expect(records[1]).toMatchObject({ reject: true, hint: 4 });
    expect(records[2]).toMatchObject({ reason: 'loss', direction: 'out' });
    expect(records[1]!.at).toBeGreaterThanOrEqual(records[0]!.at);
  });

  it('keeps only the newest `capacity` records and says how many a slow reader lost', () => {
    const log = new MessageLog(4);
    for (let i = 0; i < 10; i++) log.sent(message({ index: i }), 1);
    const all = log.since(0);
    expect(all.records.map((r) => r.index)).toEqual([6, 7, 8, 9]);
    expect(all.lost).toBe(6);
    const tail = log.since(8);
    expect(tail.records.map((r) => r.seq)).toEqual([9, 10]);
    expect(tail.lost).toBe(0);
    expect(log.since(10).records).toEqual([]);
    expect(log.since(0, 2).records.map((r) => r.seq)).toEqual([7, 8]);
  });

  it('fans one tap out to several', () => {
    const a = new MessageLog(4);
    const b = new MessageLog(4);
    teeTap(a, b).sent(message(), 1);
    expect([a.nextSeq, b.nextSeq]).toEqual([2, 2]);
  });
});
