import '../dom-stubs.js';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LinkMessage } from '../../../core/api/index.js';
import MessageToolbar from '../../../renderer/components/MessageToolbar.svelte';
import { MessagesStore } from '../../../renderer/lib/messages.svelte.js';
import { FakeApi } from '../fake-api.js';

const app = (id: number): LinkMessage => ({
  id, type: 'App', from: 'n1', to: 'n2', term: 2, index: id, logTerm: 2, entries: 1, entryBytes: 10, bytes: 60, commit: 0, reject: false, hint: 0, snapshotIndex: 0,
  sentAt: id, receivedAt: id + 1, dropped: null,
});

describe('MessageToolbar', () => {
  it('says, back to live, how many messages from the pause were not shown, until dismissed', async () => {
    const api = new FakeApi();
    const messages = new MessagesStore(api, () => 0);
    messages.connect();
    render(MessageToolbar, { messages, slowMotion: 1, running: true, onspeed: () => undefined });
    await fireEvent.click(screen.getByTestId('messages-pause'));
    api.pushMessages({ messages: [app(1), app(2), app(3)], lostRecords: 0 });
    expect((await screen.findByTestId('messages-queue')).textContent).toBe('3 waiting');
    await fireEvent.click(screen.getByTestId('messages-resume'));
    expect((await screen.findByTestId('messages-unshown')).textContent).toBe('3 messages from the pause were not shown.');
    await fireEvent.click(screen.getByTestId('messages-unshown-dismiss'));
    expect(screen.queryByTestId('messages-unshown')).toBeNull();
  });
});
