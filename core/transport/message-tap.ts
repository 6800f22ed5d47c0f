// What the transport tells an observer about every Raft message that passes through it: sent
// (accepted for a peer's connection), received (authenticated and handed to Raft) or dropped (and
// why). The node's metrics and its message log listen here, outside the Ready loop, so that
// watching the traffic never changes it. Calls are synchronous and must be cheap.

import type { Message } from '../raft/types.js';

/** Why a message was dropped; core/api/messages.ts names the same reasons for readers of the log. */
export type DropReason = 'partition' | 'loss' | 'encode' | 'too-large' | 'misaddressed' | 'one-shot';

export interface MessageTap {
  /** Queued for the peer's connection; `bytes` is its encoded size. */
  sent(m: Message, bytes: number): void;
  /** From an authenticated peer, about to be stepped into Raft. */
  received(m: Message): void;
  /** Discarded here: `out` before sending, `in` on arrival. */
  dropped(m: Message, direction: 'out' | 'in', reason: DropReason): void;
}
