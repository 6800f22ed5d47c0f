import '../dom-stubs.js';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import FaultPanel from '../../../renderer/components/FaultPanel.svelte';
import { ClusterStore } from '../../../renderer/lib/cluster.svelte.js';
import { FaultsStore } from '../../../renderer/lib/faults.svelte.js';
import { NoticeStore } from '../../../renderer/lib/notices.svelte.js';
import { FakeApi, immediate } from '../fake-api.js';
import { makeNode, makeState } from '../fixtures.js';

/** Timers the test runs by hand: slider values apply once they settle. */
function manualTimers() {
  let timers: { run: () => void; live: boolean }[] = [];
  return {
    set: (run: () => void) => {
      const t = { run, live: true };
      timers.push(t);
      return t;
    },
    clear: (t: unknown) => void ((t as { live: boolean }).live = false),
    runAll: () => {
      const due = timers.filter((t) => t.live);
      timers = [];
      for (const t of due) t.run();
    },
  };
}

function renderPanel(selected: string | null = null) {
  const api = new FakeApi();
  const cluster = new ClusterStore(api, immediate);
  cluster.connect();
  const timers = manualTimers();
  const faults = new FaultsStore(api, new NoticeStore(5000, () => 0), timers);
  const state = makeState({ leader: 'n1' });
  state.nodes[2] = makeNode('n3', { state: 'paused' });
  api.pushState(state);
  render(FaultPanel, { cluster, faults, selected, onselect: () => {} });
  return { api, faults, timers };
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
    const { api, timers } = renderPanel('n2');
    const delay = screen.getByTestId('fault-delay-n2') as HTMLInputElement;
    await fireEvent.input(delay, { target: { value: '300' } });
    expect(api.callsTo('applyFault')).toEqual([]);
    await fireEvent.change(delay);
    await fireEvent.change(screen.getByTestId('fault-loss-n2'), { target: { value: '25' } });
    timers.runAll();
    await click('fault-cut-n2-n3');
    await waitFor(() => expect(api.callsTo('applyFault')).toHaveLength(3));
    expect(api.callsTo('applyFault')).toEqual([
      [{ kind: 'delay', node: 'n2', ms: 300, jitterMs: 0 }],
      [{ kind: 'loss', node: 'n2', percent: 25 }],
      [{ kind: 'cut', from: 'n2', to: 'n3' }],
    ]);
  });

  it('turns a burst of arrow-key steps into one fault with the last value, losing none', async () => {
    const { api, timers } = renderPanel('n2');
    const loss = screen.getByTestId('fault-loss-n2') as HTMLInputElement;
    for (let v = 1; v <= 8; v++) {
      // What a browser does for each arrow press on a range input: input, then change.
      await fireEvent.input(loss, { target: { value: String(v) } });
      await fireEvent.change(loss);
    }
    expect(api.callsTo('applyFault')).toEqual([]);
    expect(loss.value).toBe('8');
    timers.runAll();
    await waitFor(() => expect(api.callsTo('applyFault')).toEqual([[{ kind: 'loss', node: 'n2', percent: 8 }]]));
  });

  it('applies a value changed while the previous call is in flight, once it returns', async () => {
    const { api, faults } = renderPanel('n2');
    let release: () => void = () => {};
    api.respond('applyFault', () => new Promise<void>((r) => (release = r)));
    const first = faults.apply({ kind: 'delay', node: 'n2', ms: 100, jitterMs: 0 });
    void faults.apply({ kind: 'delay', node: 'n2', ms: 200, jitterMs: 0 });
    void faults.apply({ kind: 'delay', node: 'n2', ms: 300, jitterMs: 0 });
    expect(api.callsTo('applyFault')).toHaveLength(1);
    api.respond('applyFault', () => undefined);
    release();
    await first;
    await waitFor(() => expect(api.callsTo('applyFault').map(([f]) => (f as { ms: number }).ms)).toEqual([100, 300]));
  });

  it('forgets the partition plan after Heal all, so it no longer looks active', async () => {
    const { api, faults } = renderPanel();
    await click('partition-leader-alone');
    expect(faults.partition).toHaveLength(2);
    await faults.healAll();
    expect(api.callsTo('healAll')).toHaveLength(1);
    expect(faults.partition).toEqual([]);
    expect((screen.getByTestId('partition-apply') as HTMLButtonElement).disabled).toBe(true);
  });

  it('partitions the groups built by picking nodes', async () => {
    const { api } = renderPanel();
    expect((screen.getByTestId('partition-apply') as HTMLButtonElement).disabled).toBe(true);
    await click('partition-leader-alone');
    await click('partition-apply');
    await waitFor(() => expect(api.callsTo('applyFault')).toEqual([[{ kind: 'partition', groups: [['n1'], ['n2', 'n3']] }]]));
  });
});
