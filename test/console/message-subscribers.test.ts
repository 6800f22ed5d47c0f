// The one bookkeeping both front doors use for the message stream: the service is switched on for the
// first page that wants messages and off when the last one stops wanting them or goes away.

import { describe, expect, it, vi } from 'vitest';
import { messageSubscribers } from '../../core/console/message-subscribers.js';

function stream() {
  return { subscribeMessages: vi.fn(async () => undefined), unsubscribeMessages: vi.fn(async () => undefined) };
}

describe('messageSubscribers', () => {
  it('switches the stream on for the first page and off after the last, however often pages repeat themselves', async () => {
    const service = stream();
    const pages = messageSubscribers<string>(service);
    await pages.set('a', true);
    await pages.set('a', true);
    await pages.set('b', true);
    expect(service.subscribeMessages).toHaveBeenCalledTimes(1);
    expect(pages.pages()).toEqual(['a', 'b']);
    await pages.set('a', false);
    await pages.forget('a');
    expect(service.unsubscribeMessages).not.toHaveBeenCalled();
    await pages.forget('b');
    expect(service.unsubscribeMessages).toHaveBeenCalledTimes(1);
    expect(pages.pages()).toEqual([]);
  });

  it('does nothing for a page that goes away without having subscribed', async () => {
    const service = stream();
    const pages = messageSubscribers<string>(service);
    await pages.forget('never');
    await pages.clear();
    expect(service.subscribeMessages).not.toHaveBeenCalled();
    expect(service.unsubscribeMessages).not.toHaveBeenCalled();
  });

  it('clear() turns the stream off once, and a later page turns it on again', async () => {
    const service = stream();
    const pages = messageSubscribers<string>(service);
    await Promise.all([pages.set('a', true), pages.set('b', true)]);
    await pages.clear();
    expect(service.unsubscribeMessages).toHaveBeenCalledTimes(1);
    await pages.set('c', true);
    expect(service.subscribeMessages).toHaveBeenCalledTimes(2);
  });
});
