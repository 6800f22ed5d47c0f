// The one way IPC reaches the service: every ConsoleApi call is registered here, on its own channel,
// behind the guard (known method, our own main frame, argument schema). Replies are IpcReply values,
// so a failure reaches the renderer as one sentence and a stack never leaves the main process.

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ConsoleApi } from '../core/api/console-api.js';
import { CALL_METHODS, type CallMethod } from '../core/api/ws-protocol.js';
import type { Log } from '../core/api/log.js';
import { checkSender, errorSentence, IpcRejection, isCallMethod, parseArguments, type FrameIdentity } from './ipc-guard.js';
import { callChannel, type IpcReply } from './ipc-channels.js';

export interface CallContext {
  service: ConsoleApi;
  /** The window's current main frame, or null once the window is gone (it changes on reload). */
  mainFrame: () => FrameIdentity | null;
  /** The file:// URL of the page we load; calls from any other document are refused. */
  pageUrl: string;
  /** Told about every call that succeeded, after it did (e.g. to remember the open workspace). */
  afterCall?: (method: CallMethod, args: unknown[], result: unknown) => void;
  log: Log;
  /**
   * Where subscribeMessages/unsubscribeMessages go instead of the service: the window's entry in the
   * shared subscriber bookkeeping (core/console/message-subscribers.ts), so that the window closing or
   * reloading can end its subscription. Without it they go to the service directly.
   */
  wantMessages?: (wanted: boolean) => Promise<void>;
}

export async function handleCall(method: string, sender: FrameIdentity | null, args: unknown[], context: CallContext): Promise<IpcReply> {
  try {
    if (!isCallMethod(method)) throw new IpcRejection(`"${method}" is not a raftdesk request.`);
    checkSender(sender, context.mainFrame(), context.pageUrl);
    const parsed = parseArguments(method, args);
    if (context.wantMessages !== undefined && (method === 'subscribeMessages' || method === 'unsubscribeMessages')) {
      await context.wantMessages(method === 'subscribeMessages');
      return { ok: true, result: undefined };
    }
    // Dynamic dispatch over a checked method name; `apply` keeps the service as `this`.
    const call = context.service[method] as (...callArgs: unknown[]) => Promise<unknown>;
    const result = await call.apply(context.service, parsed);
    context.afterCall?.(method, parsed, result);
    return { ok: true, result };
  } catch (error) {
    if (error instanceof IpcRejection) context.log('warn', 'IPC call refused', { method, reason: error.message });
    return { ok: false, error: errorSentence(error) };
  }
}

/** Registers one handler per ConsoleApi call; returns a function that removes them all. */
export function registerCallHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, context: CallContext): () => void {
  for (const method of CALL_METHODS) {
    ipcMain.handle(callChannel(method), (event: IpcMainInvokeEvent, ...args: unknown[]) => handleCall(method, event.senderFrame, args, context));
  }
  return () => {
    for (const method of CALL_METHODS) ipcMain.removeHandler(callChannel(method));
  };
}
