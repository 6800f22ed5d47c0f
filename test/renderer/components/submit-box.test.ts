import '../dom-stubs.js';
import { fireEvent, render, screen } from '@testing-library/svelte';
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
    expect(screen.getByText(/Read color through the leader/)).toBeTruthy();
    expect(screen.getByTestId('submit-send').textContent?.trim()).toBe('Read');
  });
});
