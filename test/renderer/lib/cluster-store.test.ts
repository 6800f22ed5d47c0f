import { describe, expect, it } from 'vitest';
import { ClusterStore } from '../../../renderer/lib/cluster.svelte.js';
import { leaderOf, networkStates } from '../../../renderer/lib/cluster-view.js';
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

describe('networkStates', () => {
  const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];
  const nodes = () => ids.map((id) => makeNode(id));
  const links = (cut: [string, string][]) =>
    ids.flatMap((from) => ids.filter((to) => to !== from).map((to) => ({ from, to, messagesPerSec: 0, cut: cut.some(([a, b]) => a === from && b === to) })));
  const both = (a: string, b: string): [string, string][] => [
    [a, b],
    [b, a],
  ];

  it('calls every node connected when nothing is cut', () => {
    expect([...networkStates(nodes(), links([])).values()]).toEqual(['connected', 'connected', 'connected', 'connected', 'connected']);
  });

  it('calls an isolated node isolated and the rest, who still reach a majority, links-cut', () => {
    const cut = ['n2', 'n3', 'n4', 'n5'].flatMap((p) => both('n1', p));
    const states = networkStates(nodes(), links(cut));
    expect(states.get('n1')).toBe('isolated');
    expect(states.get('n2')).toBe('links-cut');
  });

  it('calls the minority side of a partition partitioned, and the majority side links-cut', () => {
    const cut = ['n1', 'n2'].flatMap((a) => ['n3', 'n4', 'n5'].flatMap((b) => both(a, b)));
    const states = networkStates(nodes(), links(cut));
    expect([states.get('n1'), states.get('n2'), states.get('n3')]).toEqual(['partitioned', 'partitioned', 'links-cut']);
  });

  it('reads the nodes’ own fault lists too, and a one-way cut breaks the two-way link', () => {
    const withFaults = nodes();
    withFaults[0] = makeNode('n1', { faults: { blockedTo: ['n2'], blockedFrom: [], delayMs: 0, jitterMs: 0, lossPercent: 0 } });
    const states = networkStates(withFaults, []);
    expect(states.get('n1')).toBe('links-cut');
    expect(states.get('n2')).toBe('links-cut');
    expect(states.get('n3')).toBe('connected');
  });
});
