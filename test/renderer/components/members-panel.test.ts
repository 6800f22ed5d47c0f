import '../dom-stubs.js';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import MembersPanel from '../../../renderer/components/MembersPanel.svelte';
import { ClusterStore } from '../../../renderer/lib/cluster.svelte.js';
import { MembersStore, nextNodeId } from '../../../renderer/lib/members.svelte.js';
import { NoticeStore } from '../../../renderer/lib/notices.svelte.js';
import { FakeApi, immediate } from '../fake-api.js';
import { makeNode, makeState } from '../fixtures.js';

function renderPanel(edit: (state: ReturnType<typeof makeState>) => void = () => {}) {
  const api = new FakeApi();
  const cluster = new ClusterStore(api, immediate);
  cluster.connect();
  const notices = new NoticeStore(5000, () => 0);
  const members = new MembersStore(api, notices);
  const state = makeState({ leader: 'n1' });
  edit(state);
  api.pushState(state);
  render(MembersPanel, { cluster, members });
  return { api, notices };
}

const click = (testid: string) => fireEvent.click(screen.getByTestId(testid));

describe('MembersPanel', () => {
  it('adds a node with the next free ID, as a learner when asked', async () => {
    const { api } = renderPanel();
    await click('member-add');
    await waitFor(() => expect(api.callsTo('addNode')).toEqual([[{ id: 'n4' }]]));
    await fireEvent.input(screen.getByTestId('member-add-id'), { target: { value: 'n7' } });
    await click('member-add-learner');
    await click('member-add');
    await waitFor(() => expect(api.callsTo('addNode')).toEqual([[{ id: 'n4' }], [{ id: 'n7', learner: true }]]));
  });

  it('offers Promote for learners and Make leader for voters other than the leader', async () => {
    const { api } = renderPanel((state) => {
      state.nodes.push(makeNode('n4', { member: 'learner' }));
    });
    expect(screen.getByTestId('member-kind-n4').textContent).toBe('learner');
    expect(screen.queryByTestId('member-leader-n4')).toBeNull();
    expect((screen.getByTestId('member-leader-n1') as HTMLButtonElement).disabled).toBe(true);
    await click('member-promote-n4');
    await click('member-leader-n2');
    await waitFor(() => expect(api.callsTo('promoteNode')).toEqual([['n4']]));
    await waitFor(() => expect(api.callsTo('transferLeader')).toEqual([['n2']]));
  });

  it('removes a node, and never the last voter', async () => {
    const { api } = renderPanel();
    await click('member-remove-n3');
    await waitFor(() => expect(api.callsTo('removeNode')).toEqual([['n3']]));
    document.body.innerHTML = '';
    renderPanel((state) => {
      state.nodes = [state.nodes[0]!];
    });
    expect((screen.getByTestId('member-remove-n1') as HTMLButtonElement).disabled).toBe(true);
  });

  it('suggests n<k> IDs that are not taken', () => {
    expect(nextNodeId(['n1', 'n2', 'n3'])).toBe('n4');
    expect(nextNodeId(['n1', 'n2', 'n4'])).toBe('n5');
    expect(nextNodeId([])).toBe('n1');
  });
});
