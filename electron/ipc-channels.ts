// The IPC vocabulary shared by the main process and the preload: one invoke channel per ConsoleApi
// call, one send channel per push, and the reply envelope. Pure (no Electron, no Node), because the
// preload bundle inlines it.

import type { CallMethod, PushMessage } from '../core/api/ws-protocol.js';

export type PushKind = PushMessage['push'];

/** The invoke channel of a call; the main process registers exactly these, one per CALL_METHODS entry. */
export function callChannel(method: CallMethod): string {
  return `raftdesk:call:${method}`;
}

export const PUSH_CHANNELS: Readonly<Record<PushKind, string>> = {
  state: 'raftdesk:push:state',
  event: 'raftdesk:push:event',
  metrics: 'raftdesk:push:metrics',
  'node-output': 'raftdesk:push:node-output',
  'experiment-progress': 'raftdesk:push:experiment-progress',
  messages: 'raftdesk:push:messages',
};

/** The payload each push channel carries. */
export type PushData<K extends PushKind> = Extract<PushMessage, { push: K }>['data'];

/**
 * What every call handler resolves with. Errors travel as data rather than as a rejected invoke,
 * because Electron would wrap a rejection's message in "Error invoking remote method ..." and the
 * renderer must see exactly one sentence.
 */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: string };
