// Whether the console can reach its cluster. In Electron the preload is always there; in a browser
// the WebSocket may drop and come back.

import type { Unsubscribe } from '../../core/api/index.js';

export interface ConnectionStatus {
  /**
   * `expired`: the console server answers but refuses this page's token (it was restarted and
   * printed a new link); this page will never reconnect. `unreachable`: reconnecting, and nothing
   * answers at the page's address (the console is not running).
   */
  state: 'connecting' | 'open' | 'reconnecting' | 'unreachable' | 'expired';
  /** Epoch ms of the next reconnect attempt while reconnecting, else null. */
  retryAt: number | null;
}

export interface ConnectionSource {
  current(): ConnectionStatus;
  subscribe(listener: (status: ConnectionStatus) => void): Unsubscribe;
}

export const ALWAYS_OPEN: ConnectionSource = {
  current: () => ({ state: 'open', retryAt: null }),
  subscribe: () => () => {},
};
