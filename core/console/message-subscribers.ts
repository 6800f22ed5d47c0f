// Who wants the live Raft messages. Streaming them makes the supervisor poll every node's message
// records, so the service streams only while at least one page (a WebSocket, an Electron window)
// wants them. Both front doors keep their pages here, and both forget a page when it goes away
// (socket closed, window closed or reloaded): a page that is gone never unsubscribes by itself.

import type { ConsoleApi } from '../api/console-api.js';

export type MessageStreamSwitch = Pick<ConsoleApi, 'subscribeMessages' | 'unsubscribeMessages'>;

export interface MessageSubscribers<Page> {
  /** Marks the page as wanting messages or not; turns the service's stream on for the first, off after the last. */
  set(page: Page, wanted: boolean): Promise<void>;
  /** The page went away: same as set(page, false). Safe to call for a page that never subscribed. */
  forget(page: Page): Promise<void>;
  /** Pages that want messages now (in the order they subscribed). */
  pages(): Page[];
  /** Forgets every page and turns the stream off if it was on. */
  clear(): Promise<void>;
}

export function messageSubscribers<Page>(service: MessageStreamSwitch): MessageSubscribers<Page> {
  const wanting = new Set<Page>();
  // The count is changed synchronously, before awaiting the service, so interleaved calls cannot
  // both see "first" or both see "last".
  const set = async (page: Page, wanted: boolean) => {
    const before = wanting.size;
    if (wanted) wanting.add(page);
    else wanting.delete(page);
    if (before === 0 && wanting.size > 0) await service.subscribeMessages();
    if (before > 0 && wanting.size === 0) await service.unsubscribeMessages();
  };
  return {
    set,
    forget: (page) => set(page, false),
    pages: () => [...wanting],
    async clear() {
      const hadAny = wanting.size > 0;
      wanting.clear();
      if (hadAny) await service.unsubscribeMessages();
    },
  };
}
