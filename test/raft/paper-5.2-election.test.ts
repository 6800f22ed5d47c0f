// §5.2 Leader election.

import { describe, expect, it } from 'vitest';
import { MessageType } from '../../core/raft/types.js';
import { Harness } from './harness.js';

describe('§5.2 leader election', () => {
  it('a node campaigns after a randomized election timeout in [election, 2·election) ticks, drawn anew each term', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { electionTicks: 10, preVote: false });
    const intervals: number[] = [];
    let ticks = 0;
    let term = 0;
    // Nobody answers n1, so it campaigns again and again, one term each time.
    while (intervals.length < 30) {
      c.tick('n1');
      ticks++;
      const now = c.node('n1').status().term;
      if (now !== term) {
        intervals.push(ticks);
        ticks = 0;
        term = now;
      }
    }
    expect(Math.min(...intervals)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...intervals)).toBeLessThan(20);
    expect(new Set(intervals).size).toBeGreaterThan(3);
  });

  it('a candidate with votes from a majority becomes leader and appends an empty entry of its term', () => {
    const c = new Harness(['n1', 'n2', 'n3']);

    c.elect('n1');

    const st = c.node('n1').status();
    expect(st.role).toBe('leader');
    expect(st.term).toBe(1);
    const noop = c.storages.get('n1')!.entries(1, 2, 1 << 20)[0]!;
    expect(noop).toMatchObject({ index: 1, term: 1 });
    expect(noop.data.length).toBe(0);
    expect(c.node('n2').status().leader).toBe('n1');
    expect(c.node('n3').status().leader).toBe('n1');
  });

  it('the vote is handed out for persistence in the same Ready as the response that grants it', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { preVote: false });
    c.node('n1').campaign();
    c.processReady('n1');
    c.deliver((m) => m.to === 'n2');

    const rd = c.node('n2').ready();

    expect(rd.hardState).toMatchObject({ term: 1, vote: 'n1' });
    expect(rd.mustSync).toBe(true);
    expect(rd.messages).toEqual([expect.objectContaining({ type: MessageType.VoteResp, to: 'n1', reject: false })]);
  });

  it('one vote per term: a node that voted rejects another candidate of the same term, even after a restart', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { preVote: false });
    c.node('n1').campaign();
    c.node('n3').campaign();
    c.processReady('n1');
    c.processReady('n3');
    // n2 sees n1's request first and votes for it.
    c.deliver((m) => m.to === 'n2' && m.from === 'n1');
    c.processReady('n2');
    c.crash('n2');
    c.start('n2');

    c.deliver((m) => m.to === 'n2' && m.from === 'n3');

    const answer = c.node('n2').ready().messages.find((m) => m.to === 'n3')!;
    expect(answer).toMatchObject({ type: MessageType.VoteResp, reject: true });
    expect(c.node('n2').status().vote).toBe('n1');
  });

  it('a split vote elects nobody; a later election succeeds', () => {
    const c = new Harness(['n1', 'n2', 'n3', 'n4'], { preVote: false });
    c.isolate('n4');
    c.node('n1').campaign();
    c.node('n2').campaign();
    c.processReady('n1');
    c.processReady('n2');
    // n3 votes for n1; n1 and n2 have voted for themselves: 2 of 4 each is no majority.
    c.deliver((m) => m.from === 'n1' && m.to === 'n3');
    c.deliver((m) => m.from === 'n2' && m.to === 'n3');
    c.stabilize();
    expect(c.leaders()).toEqual([]);

    c.heal();
    for (let i = 0; i < 100 && c.leaders().length === 0; i++) c.tickAll();

    expect(c.leaders()).toHaveLength(1);
    expect(c.node(c.leaders()[0]!).status().term).toBeGreaterThan(1);
  });

  it('a candidate that hears from a leader of its term becomes a follower', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { preVote: false, checkQuorum: false });
    c.elect('n1');
    const term = c.node('n1').status().term;
    c.isolate('n3');
    // n3 campaigns into the next term on its own...
    c.node('n3').campaign();
    c.stabilize();
    expect(c.node('n3').status()).toMatchObject({ role: 'candidate', term: term + 1 });
    // ...and n2 campaigns into that same term and wins it with n1.
    c.elect('n2');
    expect(c.node('n2').status()).toMatchObject({ role: 'leader', term: term + 1 });

    c.heal();
    c.tickAll();

    expect(c.node('n3').status()).toMatchObject({ role: 'follower', term: term + 1, leader: 'n2' });
  });
});
