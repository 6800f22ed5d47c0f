// The newcomer's pass over a node card: long IDs, last known values of a down node, slow links,
// match/next that cannot be read as node IDs.
import '../dom-stubs.js';
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import NodeCard from '../../../renderer/components/NodeCard.svelte';
import { makeNode } from '../fixtures.js';

function renderCard(node = makeNode('n2'), extra: Record<string, unknown> = {}) {
  render(NodeCard, {
    node,
    now: 61_000,
    isLeader: false,
    leaderLastIndex: 12,
    progress: undefined,
    network: 'connected',
    selected: false,
    compact: false,
    onselect: () => {},
    ...extra,
  });
  return screen.getByTestId(`node-card-${node.id}`);
}

describe('NodeCard', () => {
  it('shows a long ID whole in its tooltip', () => {
    const id = 'x'.repeat(200);
    const card = renderCard(makeNode('n2', { id }));
    const label = card.querySelector('.id') as HTMLElement;
    expect(label.title).toBe(id);
    // The truncation itself (one line, the card's width kept) is measured in Chromium: test/e2e/newcomer-layout.test.ts.
  });

  it('writes match and next in words, not as m6/n7 (which reads as node n7)', () => {
    const card = renderCard(makeNode('n2'), { progress: { id: 'n2', match: 6, next: 7, state: 'replicate', behind: 6 } });
    const text = card.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('match 6 · next 7');
    expect(text).not.toMatch(/m6\/n7/);
  });

  it('shows a down node’s last known term and indexes, marked as such, instead of zeros', () => {
    const card = renderCard(makeNode('n2', { state: 'killed', pid: null, role: null, lastKnown: true, term: 4, commitIndex: 17, appliedIndex: 17, lastIndex: 18 }));
    expect(card.dataset.lastKnown).toBe('true');
    expect(card.textContent).toContain('17');
    expect(screen.getByTestId('last-known-n2').textContent).toContain('last known');
  });

  it('shows delay, loss and one-way cuts on the card', () => {
    renderCard(makeNode('n2', { faults: { blockedTo: ['n3'], blockedFrom: [], delayMs: 280, jitterMs: 0, lossPercent: 1 } }));
    const chips = screen.getByTestId('net-faults-n2').textContent!.replace(/\s+/g, ' ');
    expect(chips).toContain('delay 280 ms');
    expect(chips).toContain('loss 1%');
    expect(chips).toContain('cut →n3');
  });

  it('labels a pre-candidate', () => {
    const card = renderCard(makeNode('n2', { role: 'pre-candidate' }));
    const badge = card.querySelector('.badge') as HTMLElement;
    expect(badge.textContent).toBe('pre-candidate');
    // That it stays on one line is measured in Chromium: test/e2e/newcomer-layout.test.ts.
  });
});
