// Where the console's ConsoleApi comes from: the Electron preload's `window.raftdesk`, or else a
// WebSocket to the `raftdesk console` server that served this page.

import type { ConsoleApi } from '../../core/api/index.js';
import { ALWAYS_OPEN, type ConnectionSource } from './connection.js';
import { WsConsoleClient, fetchProbe, socketUrlFor } from './ws-api.js';

export interface ApiSource {
  api: ConsoleApi;
  connection: ConnectionSource;
}

export function resolveConsoleApi(win: Window): ApiSource {
  if (win.raftdesk) return { api: win.raftdesk, connection: ALWAYS_OPEN };
  const client = new WsConsoleClient(socketUrlFor(win.location), {
    openSocket: (url) => new WebSocket(url),
    probe: fetchProbe(win.location.href, (input, init) => win.fetch(input, init)),
  });
  return { api: client, connection: client };
}
