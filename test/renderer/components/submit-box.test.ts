import '../dom-stubs.js';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import SubmitBox from '../../../renderer/components/SubmitBox.svelte';
import { SubmitStore } from '../../../renderer/lib/submit.svelte.js';
import { FakeApi } from '../fake-api.js';

async function send(text: string) {
  const input = screen.getByTestId('submit-input');
  await fireEvent.input(input, { target: { value: text } });
  await fireEvent.submit(input.closest('form') as HTMLFormElement);
  return screen.findByTestId('submit-result');
}

describe('SubmitBox', () => {
  it('shows the committed index, term and latency of a put', async () => {
    const api = new FakeApi();
    render(SubmitBox, { submit: new SubmitStore(api) });
    const result = await send('color=blue');
    expect(result.dataset.ok).toBe('true');
    expect(result.textContent).toContain('Committed at index 12, term 2, via n1 in 4.5 ms.');
    expect(api.callsTo('putKey')).toEqual([['color', 'blue']]);
    expect((screen.getByTestId('submit-input') as HTMLInputElement).value).toBe('');
  });

  it('shows the error in one sentence and keeps the text to retry', async () => {
    const api = new FakeApi();
    api.respond('submitEntry', () => ({ ok: false, code: 'timeout', error: 'No leader answered within 5 s; check that a majority is up.' }));
    render(SubmitBox, { submit: new SubmitStore(api) });
    const result = await send('hello');
    expect(result.dataset.ok).toBe('false');
    expect(result.textContent).toContain('No leader answered within 5 s; check that a majority is up.');
    expect(result.getAttribute('role')).toBe('alert');
    expect((screen.getByTestId('submit-input') as HTMLInputElement).value).toBe('hello');
  });

  it('says what Enter will do as the operator types', async () => {
    render(SubmitBox, { submit: new SubmitStore(new FakeApi()) });
    await fireEvent.input(screen.getByTestId('submit-input'), { target: { value: 'get color' } });
    expect(screen.getByText(/Read color: the leader confirms it still leads/)).toBeTruthy();
    expect(screen.getByTestId('submit-send').textContent?.trim()).toBe('Read');
  });

  it('reads linearizably by default and shows the path the node answered with', async () => {
    const api = new FakeApi();
    render(SubmitBox, { submit: new SubmitStore(api) });
    const result = await send('get color');
    expect(api.callsTo('getKey')).toEqual([['color']]);
    expect(result.textContent).toContain('color is "4": linearizable read (read index 12, applied 12) on n1, in 1.5 ms.');
  });

  it('offers lease only where the cluster has lease reads on', async () => {
    render(SubmitBox, { submit: new SubmitStore(new FakeApi(), () => false) });
    const select = screen.getByTestId('submit-consistency') as HTMLSelectElement;
    expect(select.value).toBe('linearizable');
    const lease = [...select.options].find((o) => o.value === 'lease')!;
    expect(lease.disabled).toBe(true);
    expect(lease.textContent).toContain('off in this cluster');
    expect([...select.options].find((o) => o.value === 'local')!.disabled).toBe(false);
  });

  it('sends the chosen consistency and lists each read\'s path in the history', async () => {
    const api = new FakeApi();
    const submit = new SubmitStore(api, () => true);
    render(SubmitBox, { submit });
    const select = screen.getByTestId('submit-consistency') as HTMLSelectElement;
    expect([...select.options].find((o) => o.value === 'lease')!.disabled).toBe(false);
    await fireEvent.change(select, { target: { value: 'lease' } });
    await send('get a');
    await fireEvent.change(select, { target: { value: 'local' } });
    const result = await send('get b');
    await waitFor(() => expect(result.textContent).toContain('b is "4": local read (applied 12) on n1'));
    expect(api.callsTo('getKey')).toEqual([['a', 'lease'], ['b', 'local']]);
    const paths = screen.getAllByTestId('submit-history-path');
    expect(paths.map((p) => p.textContent)).toEqual(['lease #12']);
    expect(paths[0]!.getAttribute('title')).toBe('lease read (read index 12, applied 12) on n1');
  });

  it('never sends lease to a cluster with lease reads off, whatever was chosen', () => {
    const on = new SubmitStore(new FakeApi(), () => true);
    on.chosenConsistency = 'lease';
    expect(on.consistency).toBe('lease');
    const off = new SubmitStore(new FakeApi(), () => false);
    off.chosenConsistency = 'lease';
    expect(off.consistency).toBe('linearizable');
  });
});
