// §5.1 Raft basics: terms act as a logical clock; a higher term wins, a lower one is stale.

import { describe, expect, it } from 'vitest';
import type { Message } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { Harness } from './harness.js';

function msg(fields: Partial<Message> & Pick<Message, 'type' | 'from' | 'to' | 'term'>): Message {
  return { logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0, ...fields };
}

describe('§5.1 terms', () => {
  it('a leader that sees a higher term steps down and adopts it', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    expect(c.node('n1').status().role).toBe('leader');

    c.node('n1').step(msg({ type: MessageType.AppResp, from: 'n2', to: 'n1', term: 7, index: 0 }));

    const st = c.node('n1').status();
    expect(st).toMatchObject({ role: 'follower', term: 7, leader: '' });
  });

  it('the new term is handed out for persistence before anything that depends on it', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.node('n2').step(msg({ type: MessageType.Heartbeat, from: 'n1', to: 'n2', term: 9 }));

    const rd = c.node('n2').ready();

    expect(rd.hardState?.term).toBe(9);
    expect(rd.mustSync).toBe(true);
    expect(rd.messages.every((m) => m.term === 9)).toBe(true);
  });

  it('a message from an older term is not acted upon; a stale leader is told the current term', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { checkQuorum: false });
    c.elect('n1');
    c.elect('n2');
    const term = c.node('n3').status().term;
    expect(term).toBe(2);
    const lastBefore = c.node('n3').status().lastIndex;

    c.node('n3').step(
      msg({ type: MessageType.App, from: 'n1', to: 'n3', term: term - 1, index: lastBefore, logTerm: term - 1, entries: [{ index: lastBefore + 1, term: term - 1, type: 0, data: new Uint8Array([1]) }] }),
    );

    expect(c.node('n3').status().lastIndex).toBe(lastBefore);
    const rd = c.node('n3').ready();
    expect(rd.messages).toHaveLength(1);
    expect(rd.messages[0]).toMatchObject({ type: MessageType.AppResp, to: 'n1', term, reject: false });
  });

  it('a pre-vote request from an older term is rejected with the current term', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { checkQuorum: false });
    c.elect('n1');
    c.elect('n2');
    const term = c.node('n3').status().term;

    c.node('n3').step(msg({ type: MessageType.PreVote, from: 'n1', to: 'n3', term: term - 1, index: 99, logTerm: term - 1 }));

    expect(c.node('n3').ready().messages).toEqual([expect.objectContaining({ type: MessageType.PreVoteResp, reject: true, term })]);
  });
});
