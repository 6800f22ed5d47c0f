import { describe, expect, it } from 'vitest';
import { ClusterStore } from '../../../renderer/lib/cluster.svelte.js';
import { leaderOf, networkStateOf } from '../../../renderer/lib/cluster-view.js';
import { FakeApi, ManualSchedule } from '../fake-api.js';
import { makeNode, makeState } from '../fixtures.js';

describe('ClusterStore', () => {
  it('coalesces a burst of snapshots into one update per frame, keeping the newest', () => {
    const api = new FakeApi();
    const frames = new ManualSchedule();
    const store = new ClusterStore(api, frames.schedule);
    const stop = store.connect();
    api.pushState(makeState({ term: 2 }));
    api.pushState(makeState({ term: 3 }));
    api.pushState(makeState({ term: 4, leader: 'n2' }));
    expect(store.state).toBeNull();
    frames.flush();
    expect(store.applied).toBe(1);
    expect(store.term).toBe(4);
    expect(store.leaderId).toBe('n2');
    stop();
    expect(api.listenerCount()).toBe(0);
  });

  it('derives the leader, its node, and each follower’s distance behind it', () => {
    const api = new FakeApi();
    const frames = new ManualSchedule();
    const store = new ClusterStore(api, frames.schedule);
    store.connect();
    const state = makeState({ leader: 'n2', commit: 20 });
    const leader = state.nodes[1];
    state.nodes[1] = { ...leader, lastIndex: 25, followers: [
      { id: 'n1', match: 25, next: 26, state: 'replicate' },
      { id: 'n3', match: 18, next: 19, state: 'probe' },
    ] };
    api.pushState(state);
    frames.flush();
    expect(store.leader?.id).toBe('n2');
    expect(store.replication.get('n1')?.behind).toBe(0);
    expect(store.replication.get('n3')).toMatchObject({ behind: 7, match: 18, next: 19, state: 'probe' });
    expect(store.links.get('n2→n1')?.messagesPerSec).toBe(10);
  });

  it('has no leader before the first snapshot', () => {
    const store = new ClusterStore(new FakeApi());
    expect(store.leaderId).toBeNull();
    expect(store.nodes).toEqual([]);
    expect(store.running).toBe(false);
  });
});

describe('leaderOf', () => {
  it('trusts the supervisor’s leader when it names one', () => {
    expect(leaderOf(makeState({ leader: 'n3' }))).toBe('n3');
  });

  it('otherwise picks the running self-declared leader of the highest term, never a paused one', () => {
    const state = makeState({ leader: null });
    state.nodes = [
      makeNode('n1', { role: 'leader', term: 5, state: 'paused' }),
      makeNode('n2', { role: 'leader', term: 4 }),
      makeNode('n3', { role: 'follower', term: 5 }),
    ];
    expect(leaderOf(state)).toBe('n2');
    state.nodes[1] = makeNode('n2', { role: 'candidate', term: 6 });
    expect(leaderOf(state)).toBeNull();
  });
});

describe('networkStateOf', () => {
  const faults = (blockedTo: string[], blockedFrom: string[]) => ({ blockedTo, blockedFrom, delayMs: 0, jitterMs: 0, lossPercent: 0 });

  it('tells connected, partitioned and isolated apart', () => {
    expect(networkStateOf(makeNode('n1'), 2)).toBe('connected');
    expect(networkStateOf(makeNode('n1', { faults: faults(['n2'], []) }), 2)).toBe('partitioned');
    expect(networkStateOf(makeNode('n1', { faults: faults(['n2', 'n3'], ['n2']) }), 2)).toBe('partitioned');
    expect(networkStateOf(makeNode('n1', { faults: faults(['n2', 'n3'], ['n2', 'n3']) }), 2)).toBe('isolated');
  });
});
