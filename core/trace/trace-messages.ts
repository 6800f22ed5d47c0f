// The messages of a trace: the recorder writes each LinkMessage as the cluster's message stream
// emits it, and the stream emits a one-sided message again once its other half arrives (same id).
// Reading keeps the last emission of each id.

import { linkMessageTime, type LinkMessage } from '../api/messages.js';

/** One entry per id (the last emission wins), ordered by time, then id. */
export function latestById(messages: readonly LinkMessage[]): LinkMessage[] {
  const byId = new Map<number, LinkMessage>();
  for (const m of messages) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => linkMessageTime(a) - linkMessageTime(b) || a.id - b.id);
}

/** When the message reached the receiver's side: received, or dropped there; null if never. */
export function arrivalTime(m: LinkMessage): number | null {
  if (m.receivedAt !== null) return m.receivedAt;
  return m.dropped?.direction === 'in' ? m.dropped.at : null;
}
