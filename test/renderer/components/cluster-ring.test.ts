import '../dom-stubs.js';
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ClusterRing from '../../../renderer/components/ClusterRing.svelte';
import { ClusterStore } from '../../../renderer/lib/cluster.svelte.js';
import { FakeApi, immediate } from '../fake-api.js';
import { makeNode, makeState } from '../fixtures.js';

function renderRing() {
  const api = new FakeApi();
  const cluster = new ClusterStore(api, immediate);
  cluster.connect();
  const selections: string[] = [];
  render(ClusterRing, { cluster, selected: null, onselect: (id: string) => selections.push(id) });
  return { api, cluster, selections };
}

describe('ClusterRing', () => {
  it('shows every node as a card with its role, term, commit and process state', async () => {
    const { api } = renderRing();
    api.pushState(makeState({ ids: ['n1', 'n2', 'n3', 'n4', 'n5'], leader: 'n3', term: 7, commit: 42 }));
    const card = await screen.findByTestId('node-card-n3');
    expect(card.dataset).toMatchObject({ role: 'leader', term: '7', commit: '42', state: 'running' });
    expect(screen.getAllByTestId(/^node-card-/)).toHaveLength(5);
    expect(screen.getByTestId('node-card-n1').dataset.role).toBe('follower');
  });

  it('puts the one leader badge on the leader’s card and names it in the centre', async () => {
    const { api } = renderRing();
    api.pushState(makeState({ leader: 'n2' }));
    const badge = await screen.findByTestId('leader-badge');
    expect(screen.getByTestId('node-card-n2').contains(badge)).toBe(true);
    expect(screen.getAllByTestId('leader-badge')).toHaveLength(1);
    api.pushState(makeState({ leader: 'n3', term: 3 }));
    await Promise.resolve();
    expect(screen.getByTestId('node-card-n3').contains(screen.getByTestId('leader-badge'))).toBe(true);
  });

  it('marks a paused node that still believes it leads as a stale leader, not the leader', async () => {
    const { api } = renderRing();
    const state = makeState({ leader: 'n2', term: 4 });
    state.nodes[0] = makeNode('n1', { role: 'leader', term: 3, state: 'paused' });
    api.pushState(state);
    const stale = await screen.findByTestId('node-card-n1');
    expect(within(stale).queryByTestId('leader-badge')).toBeNull();
    expect(stale.textContent).toContain('stale leader');
    expect(stale.dataset.state).toBe('paused');
  });

  it('shows on each follower how far behind the leader it is', async () => {
    const { api } = renderRing();
    const state = makeState({ leader: 'n1', commit: 30 });
    state.nodes[0] = { ...state.nodes[0], lastIndex: 30, followers: [
      { id: 'n2', match: 30, next: 31, state: 'replicate' },
      { id: 'n3', match: 12, next: 13, state: 'probe' },
    ] };
    api.pushState(state);
    expect((await screen.findByTestId('progress-n3')).textContent).toContain('18 behind');
    expect(screen.getByTestId('progress-n2').textContent).toContain('in sync');
  });

  it('marks partitioned nodes and draws cut links as cut', async () => {
    const { api } = renderRing();
    const state = makeState({ leader: 'n1' });
    state.nodes[2] = makeNode('n3', { faults: { blockedTo: ['n1', 'n2'], blockedFrom: ['n1', 'n2'], delayMs: 0, jitterMs: 0, lossPercent: 0 } });
    state.links = state.links.map((l) => (l.from === 'n3' || l.to === 'n3' ? { ...l, cut: true } : l));
    api.pushState(state);
    const card = await screen.findByTestId('node-card-n3');
    expect(card.dataset.network).toBe('isolated');
    const cut = document.querySelectorAll('line[data-cut="true"]');
    expect([...cut].map((l) => l.getAttribute('data-link')).sort()).toEqual(['n1→n3', 'n2→n3', 'n3→n1', 'n3→n2']);
  });

  it('reports a click on a card as a selection', async () => {
    const { api, selections } = renderRing();
    api.pushState(makeState());
    (await screen.findByTestId('node-card-n2')).click();
    expect(selections).toEqual(['n2']);
  });

  it('shows a node’s delay and loss on its outgoing links, not only on its card', async () => {
    const { api } = renderRing();
    const state = makeState();
    state.nodes[1] = makeNode('n2', { faults: { blockedTo: [], blockedFrom: [], delayMs: 280, jitterMs: 0, lossPercent: 1 } });
    api.pushState(state);
    await screen.findByTestId('node-card-n2');
    const out = document.querySelector('line[data-link="n2→n1"]')!;
    expect(out.getAttribute('data-slow')).toBe('280 ms · 1% loss');
    expect(out.classList.contains('slow')).toBe(true);
    expect(document.querySelector('line[data-link="n1→n2"]')!.hasAttribute('data-slow')).toBe(false);
    expect([...document.querySelectorAll('.slow-label')].map((t) => t.textContent)).toEqual(['280 ms · 1% loss', '280 ms · 1% loss']);
    expect(screen.getByTestId('net-faults-n2').textContent).toContain('delay 280 ms');
  });

  it('marks the one running node still on an older membership configuration, with both entry indexes', async () => {
    const { api } = renderRing();
    const state = makeState({ ids: ['n1', 'n2', 'n3', 'n4'], leader: 'n1' });
    const conf = (index: number) => ({ index, voters: ['n1', 'n2', 'n3', 'n4'], learners: [] });
    state.nodes = state.nodes.map((n) => ({ ...n, appliedConfiguration: conf(n.id === 'n3' ? 7 : 15) }));
    // A stopped node's older report is not compared: it is down, not behind.
    state.nodes[3] = { ...state.nodes[3]!, state: 'killed', appliedConfiguration: conf(3) };
    api.pushState(state);
    const chip = await screen.findByTestId('config-lag-n3');
    expect(chip.textContent!.replace(/\s+/g, ' ')).toBe('old config @7');
    expect(chip.title).toMatch(/configuration of entry 7; other nodes have applied entry 15's/);
    expect(screen.queryByTestId('config-lag-n1')).toBeNull();
    expect(screen.queryByTestId('config-lag-n4')).toBeNull();
  });
});
