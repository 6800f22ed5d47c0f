import { describe, expect, it } from 'vitest';
import { pairMessages } from '../../core/trace/message-pairs.js';
import { message } from './fixtures.js';

describe('pairMessages', () => {
  it('joins a send and its receive into one arrow, whatever the order given', () => {
    const arrows = pairMessages([
      message('n2', 'receive', 'Vote', 'n1', 'n2', 11, { term: 2 }),
      message('n1', 'send', 'Vote', 'n1', 'n2', 10, { term: 2 }),
    ]);
    expect(arrows).toHaveLength(1);
    expect(arrows[0]).toMatchObject({ type: 'Vote', from: 'n1', to: 'n2', sentAt: 10, arrivedAt: 11, dropped: false });
  });

  it('follows the link in send order: a send passed over by a later receive was lost', () => {
    const arrows = pairMessages([
      message('n1', 'send', 'Heartbeat', 'n1', 'n2', 10, { commit: 1 }),
      message('n1', 'send', 'Heartbeat', 'n1', 'n2', 20, { commit: 2 }),
      message('n2', 'receive', 'Heartbeat', 'n1', 'n2', 21, { commit: 2 }),
      message('n1', 'send', 'Heartbeat', 'n1', 'n2', 30, { commit: 2 }),
    ]);
    expect(arrows.map((a) => [a.sentAt, a.arrivedAt])).toEqual([[10, null], [20, 21], [30, null]]);
  });

  it('marks drops at the sender and at the receiver', () => {
    const arrows = pairMessages([
      message('n1', 'drop', 'App', 'n1', 'n3', 10, { direction: 'out', reason: 'partition' }),
      message('n1', 'send', 'App', 'n1', 'n2', 12, { index: 4 }),
      message('n2', 'drop', 'App', 'n1', 'n2', 13, { index: 4, direction: 'in', reason: 'loss' }),
    ]);
    expect(arrows.map((a) => [a.to, a.sentAt, a.arrivedAt, a.dropped])).toEqual([['n3', 10, null, true], ['n2', 12, 13, true]]);
  });

  it('keeps a receive whose send is not in the records', () => {
    const [arrow] = pairMessages([message('n2', 'receive', 'AppResp', 'n2', 'n1', 5)].map((m) => ({ ...m, node: 'n1' })));
    expect(arrow).toMatchObject({ sentAt: null, arrivedAt: 5 });
  });
});
