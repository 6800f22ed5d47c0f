import type { ConfState, Entry, Message, NodeId } from './types.js';
import { MessageType } from './types.js';

const KNOWN_TYPES = new Set<number>(Object.values(MessageType));

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isEntry(entry: unknown): entry is Entry {
  if (typeof entry !== 'object' || entry === null) return false;
  const e = entry as Entry;
  return isCount(e.term) && isCount(e.index) && e.data instanceof Uint8Array;
}

/** App entries must follow (index, logTerm) contiguously, with terms that never decrease and never
 *  exceed the sender's term. */
function appEntriesAreConsistent(m: Message): boolean {
  if (m.logTerm > m.term) return false;
  let expectedIndex = m.index + 1;
  let previousTerm = m.logTerm;
  for (const entry of m.entries) {
    if (!isEntry(entry)) return false;
    if (entry.index !== expectedIndex || entry.term < previousTerm || entry.term > m.term || entry.term < 1) return false;
    expectedIndex++;
    previousTerm = entry.term;
  }
  return true;
}

function isIdList(value: unknown): boolean {
  return Array.isArray(value) && value.every((id) => typeof id === 'string' && id !== '');
}

function isConfState(cs: unknown): boolean {
  if (typeof cs !== 'object' || cs === null) return false;
  const c = cs as ConfState;
  return isIdList(c.voters) && isIdList(c.votersOutgoing) && isIdList(c.learners) && isIdList(c.learnersNext) && typeof c.autoLeave === 'boolean' && isCount(c.index);
}

/**
 * Whether a message from the network is one this node should look at: addressed to it, from
 * another node, with sane numbers and a self-consistent payload. Anything else is dropped
 * silently — the core never throws on network input. The sender need not be in this node's
 * configuration: a joining node knows none yet, and a lagging one may not know a newer leader.
 */
export function isWellFormed(m: Message, self: NodeId): boolean {
  if (typeof m !== 'object' || m === null || !KNOWN_TYPES.has(m.type)) return false;
  if (m.to !== self || m.from === self || typeof m.from !== 'string' || m.from === '') return false;
  if (!isCount(m.term) || m.term < 1 || !isCount(m.logTerm) || !isCount(m.index) || !isCount(m.commit) || !isCount(m.rejectHint) || !isCount(m.context)) {
    return false;
  }
  if (!Array.isArray(m.entries)) return false;
  switch (m.type) {
    case MessageType.App:
      return appEntriesAreConsistent(m);
    case MessageType.Snap: {
      const snapshot = m.snapshot;
      if (snapshot === null || typeof snapshot !== 'object' || !(snapshot.data instanceof Uint8Array)) return false;
      const meta = snapshot.metadata;
      return isCount(meta.index) && meta.index >= 1 && isCount(meta.term) && meta.term >= 1 && meta.term <= m.term && isConfState(meta.confState) && meta.confState.index <= meta.index;
    }
    case MessageType.Vote:
    case MessageType.PreVote:
      return m.logTerm <= m.term;
    default:
      return true;
  }
}
