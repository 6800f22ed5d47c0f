// The checks every IPC call passes before the service sees it: a known method, sent by our own
// window's main frame showing our own page, with arguments of the right shape (the schemas every
// front door shares, core/api/call-arguments.ts). Pure: frames are
// described by the few fields compared, so tests need no Electron.

import { checkCallArguments } from '../core/api/call-arguments.js';
import type { ConsoleApi } from '../core/api/console-api.js';
import type { CallMethod } from '../core/api/ws-protocol.js';

export { isCallMethod } from '../core/api/call-arguments.js';

/** The fields of an Electron WebFrameMain that identify a frame and its document. */
export interface FrameIdentity {
  processId: number;
  frameToken: string;
  url: string;
}

/** A call refused by the guard. Its message is one sentence, safe to show in the UI. */
export class IpcRejection extends Error {
  override name = 'IpcRejection';
}

/**
 * Accepts only the window's current main frame (not a sub-frame, not a stale or other window's
 * frame) while it shows the page we loaded. Query and fragment are ignored: the page may use them.
 */
export function checkSender(sender: FrameIdentity | null, mainFrame: FrameIdentity | null, pageUrl: string): void {
  const trusted =
    sender !== null &&
    mainFrame !== null &&
    sender.processId === mainFrame.processId &&
    sender.frameToken === mainFrame.frameToken &&
    sameDocument(sender.url, pageUrl);
  if (!trusted) throw new IpcRejection('This request did not come from the raftdesk window, so it was refused.');
}

function sameDocument(url: string, expected: string): boolean {
  const a = URL.parse(url);
  const b = URL.parse(expected);
  return a !== null && b !== null && a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
}

/** The method's arguments as its schema in core/api parses them, or an IpcRejection with the sentence that refuses them. */
export function parseArguments<M extends CallMethod>(method: M, args: unknown[]): Parameters<ConsoleApi[M]> {
  const checked = checkCallArguments(method, args);
  if (!checked.ok) throw new IpcRejection(checked.sentence);
  return checked.args;
}

/** One sentence for the renderer: the first line of the message, never a stack. */
export function errorSentence(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const firstLine = (message.split('\n')[0] ?? '').trim().slice(0, 500);
  return firstLine === '' ? 'The request failed; the app log has the details.' : firstLine;
}
