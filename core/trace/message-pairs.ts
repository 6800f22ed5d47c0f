// A message seen twice — sent by one node, received (or dropped on arrival) by another — becomes one
// arrow. Each direction of a link is one TCP connection, so a link delivers in send order: a receive
// matches the oldest unmatched send of its link with the same fields, and sends passed over on the way
// were lost in transit (a connection reset). Messages dropped before leaving have no receive.

import type { TraceMessage } from '../api/traces.js';

export interface MessageArrow {
  type: string;
  from: string;
  to: string;
  /** Epoch ms; null when the send is not in the records (before the window, or out of the ring). */
  sentAt: number | null;
  /** Epoch ms of the receive or the drop; null when it never arrived (lost, or after the window). */
  arrivedAt: number | null;
  /** Dropped by a fault or a limit, at the sender (out) or the receiver (in). */
  dropped: boolean;
  /** The record the arrow describes (the send when there is one). */
  record: TraceMessage;
}

const fieldsKey = (m: TraceMessage): string => `${m.type}|${m.term}|${m.index}|${m.logTerm}|${m.commit}|${m.entries}|${m.reject}|${m.hint}`;

/** Pairs sends with receives; `messages` from every node, in any order. Arrows in time order. */
export function pairMessages(messages: readonly TraceMessage[]): MessageArrow[] {
  const sorted = [...messages].sort((a, b) => a.at - b.at);
  const pending = new Map<string, { send: TraceMessage; arrow: MessageArrow }[]>();
  const arrows: MessageArrow[] = [];
  for (const m of sorted) {
    const link = `${m.from}>${m.to}`;
    if (m.event === 'send' && m.node === m.from) {
      const arrow: MessageArrow = { type: m.type, from: m.from, to: m.to, sentAt: m.at, arrivedAt: null, dropped: false, record: m };
      arrows.push(arrow);
      const queue = pending.get(link) ?? [];
      queue.push({ send: m, arrow });
      pending.set(link, queue);
      continue;
    }
    if (m.event === 'drop' && m.direction === 'out') {
      arrows.push({ type: m.type, from: m.from, to: m.to, sentAt: m.at, arrivedAt: null, dropped: true, record: m });
      continue;
    }
    if (m.node !== m.to) continue;
    // A receive, or a drop on arrival: match the oldest unmatched send of the link with these fields.
    const queue = pending.get(link) ?? [];
    const key = fieldsKey(m);
    const at = queue.findIndex((p) => fieldsKey(p.send) === key);
    if (at === -1) {
      arrows.push({ type: m.type, from: m.from, to: m.to, sentAt: null, arrivedAt: m.at, dropped: m.event === 'drop', record: m });
      continue;
    }
    const [match] = queue.splice(0, at + 1).slice(-1);
    match.arrow.arrivedAt = m.at;
    match.arrow.dropped = m.event === 'drop';
  }
  return arrows;
}
