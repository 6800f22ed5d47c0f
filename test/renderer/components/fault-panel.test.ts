import '../dom-stubs.js';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import FaultPanel from '../../../renderer/components/FaultPanel.svelte';
import { ClusterStore } from '../../../renderer/lib/cluster.svelte.js';
import { FaultsStore } from '../../../renderer/lib/faults.svelte.js';
import { NoticeStore } from '../../../renderer/lib/notices.svelte.js';
import { FakeApi, immediate } from '../fake-api.js';
import { makeNode, makeState } from '../fixtures.js';

function renderPanel(selected: string | null = null) {
  const api = new FakeApi();
  const cluster = new ClusterStore(api, immediate);
  cluster.connect();
  const faults = new FaultsStore(api, new NoticeStore(5000, () => 0));
  const state = makeState({ leader: 'n1' });
  state.nodes[2] = makeNode('n3', { state: 'paused' });
  api.pushState(state);
  render(FaultPanel, { cluster, faults, selected, onselect: () => {} });
  return { api, faults };
}

const click = (testid: string) => fireEvent.click(screen.getByTestId(testid));

describe('FaultPanel', () => {
  it('sends each process action for the node of its row', async () => {
    const { api } = renderPanel();
    await click('fault-kill-n2');
    await click('fault-pause-n1');
    await click('fault-restart-n2');
    await click('fault-stop-n1');
    await click('fault-resume-n3');
    await waitFor(() => expect(api.callsTo('nodeAction')).toHaveLength(5));
    expect(api.callsTo('nodeAction')).toEqual([
      ['n2', 'kill'],
      ['n1', 'pause'],
      ['n2', 'restart'],
      ['n1', 'stop'],
      ['n3', 'resume'],
    ]);
  });

  it('offers resume instead of pause on a paused node', () => {
    renderPanel();
    expect(screen.queryByTestId('fault-pause-n3')).toBeNull();
    expect(screen.getByTestId('fault-resume-n3')).toBeTruthy();
  });

  it('isolates a node', async () => {
    const { api } = renderPanel();
    await click('fault-isolate-n2');
    await waitFor(() => expect(api.callsTo('applyFault')).toEqual([[{ kind: 'isolate', node: 'n2' }]]));
  });

  it('applies delay, loss and one-way cuts for the selected node when a slider is released', async () => {
    const { api } = renderPanel('n2');
    const delay = screen.getByTestId('fault-delay-n2') as HTMLInputElement;
    await fireEvent.input(delay, { target: { value: '300' } });
    expect(api.callsTo('applyFault')).toEqual([]);
    await fireEvent.change(delay);
    await fireEvent.change(screen.getByTestId('fault-loss-n2'), { target: { value: '25' } });
    await click('fault-cut-n2-n3');
    await waitFor(() => expect(api.callsTo('applyFault')).toHaveLength(3));
    expect(api.callsTo('applyFault')).toEqual([
      [{ kind: 'delay', node: 'n2', ms: 300, jitterMs: 0 }],
      [{ kind: 'loss', node: 'n2', percent: 25 }],
      [{ kind: 'cut', from: 'n2', to: 'n3' }],
    ]);
  });

  it('partitions the groups built by picking nodes', async () => {
    const { api } = renderPanel();
    expect((screen.getByTestId('partition-apply') as HTMLButtonElement).disabled).toBe(true);
    await click('partition-leader-alone');
    await click('partition-apply');
    await waitFor(() => expect(api.callsTo('applyFault')).toEqual([[{ kind: 'partition', groups: [['n1'], ['n2', 'n3']] }]]));
  });
});
