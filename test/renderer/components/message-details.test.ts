import '../dom-stubs.js';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LinkMessage } from '../../../core/api/index.js';
import MessageDetails from '../../../renderer/components/MessageDetails.svelte';

const heartbeat: LinkMessage = {
  id: 1, type: 'Heartbeat', from: 'n1', to: 'n2', term: 2, index: 0, logTerm: 0, entries: 0, entryBytes: 0, bytes: 30, commit: 2, reject: false, hint: 0, snapshotIndex: 0,
  sentAt: 10, receivedAt: 11, dropped: null,
};

function renderDetails(down: ReadonlySet<string>) {
  const drops: Array<[string, string, number]> = [];
  render(MessageDetails, { message: heartbeat, running: true, down, onclose: () => undefined, ondrop: (from: string, to: string, count: number) => drops.push([from, to, count]) });
  return drops;
}

describe('MessageDetails', () => {
  it('arms a drop on the message’s link', async () => {
    const drops = renderDetails(new Set(['n3']));
    await fireEvent.click(screen.getByTestId('drop-next'));
    expect(drops).toEqual([['n1', 'n2', 3]]);
    expect(screen.queryByTestId('drop-next-down')).toBeNull();
  });

  it('offers no drop on a link whose receiver is down, and says why', () => {
    renderDetails(new Set(['n2']));
    expect((screen.getByTestId('drop-next') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('drop-next-down').textContent).toBe('n2 is not running, so this link carries nothing to drop.');
  });
});
