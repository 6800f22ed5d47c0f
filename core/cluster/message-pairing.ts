// Pairs the nodes' message records into one record per message: a message appears twice in the
// nodes' logs, as the sender's `send` and the receiver's `receive` (or `drop` on arrival), and the
// viewer wants one arrow with both times. Pure and clocked by the caller, so it is tested without I/O.
//
// Matching: one TLS connection per direction carries a link's messages in order, so the receiver's
// records of a link come in the order of the sender's. A record is matched with the oldest unmatched
// record of the other side on the same link with the same content (type, term, index, log term,
// entries, commit, reject, hint, snapshot), preferring one still waiting over one already given up
// on (jitter may reorder a link, so order alone does not decide). Either side may be read first (the nodes are polled
// independently). A message whose other half does not come within `holdMs` is emitted one-sided
// (lost in flight, still delayed, or its record overwritten); if the other half comes later still,
// the same id is emitted again, completed.

import type { LinkMessage, MessageRecord } from '../api/messages.js';
import { linkMessageTime } from '../api/messages.js';

export interface PairingOptions {
  /** How long a half waits for its other half before it is emitted alone (ms of the caller's clock). */
  holdMs: number;
  /** Halves kept per link (waiting, or emitted alone and still completable); the oldest go first. */
  maxPerLink: number;
}

export const DEFAULT_PAIRING: PairingOptions = { holdMs: 3000, maxPerLink: 2048 };

const NONE: ReadonlySet<string> = new Set();

interface Half {
  message: LinkMessage;
  key: string;
  /** The caller's clock when this half was added. */
  addedAt: number;
  /** Emitted at least once (alone, after holdMs). */
  emitted: boolean;
  /** Has both halves (or needs no other: dropped before sending); nothing more to wait for. */
  done: boolean;
}

interface Link {
  /** Sends not yet matched with an arrival, in send order. */
  sends: Half[];
  /** Arrivals (receive or drop on arrival) read before their send, in arrival order. */
  arrivals: Half[];
}

function contentKey(r: MessageRecord): string {
  return `${r.type}|${r.term}|${r.index}|${r.logTerm}|${r.entries}|${r.entryBytes}|${r.commit}|${r.reject ? 1 : 0}|${r.hint}|${r.snapshotIndex}`;
}

export class MessagePairing {
  private readonly links = new Map<string, Link>();
  /** Every half not yet done, in the order added: expiry looks at the front only. */
  private waiting: Half[] = [];
  private ready: Half[] = [];
  private nextId = 1;

  constructor(private readonly options: PairingOptions = DEFAULT_PAIRING) {
    if (!(options.holdMs >= 0) || !(options.maxPerLink >= 1)) throw new RangeError('holdMs must be ≥ 0 and maxPerLink ≥ 1');
  }

  /** Halves waiting for their other half (for tests and bounds). */
  get waitingCount(): number {
    let n = 0;
    for (const link of this.links.values()) n += link.sends.length + link.arrivals.length;
    return n;
  }

  /** One node's record; `now` is the caller's clock. */
  add(record: MessageRecord, now: number): void {
    const link = this.link(record.from, record.to);
    const key = contentKey(record);
    if (record.event === 'drop' && record.direction !== 'in') {
      // Dropped before it was sent: there is no other half.
      const half = this.newHalf(record, key, now);
      half.message.dropped = { at: record.at, reason: record.reason ?? 'loss', direction: 'out' };
      this.finish(half);
      return;
    }
    if (record.event === 'send') {
      const match = takeFirst(link.arrivals, key);
      if (match) {
        match.message.sentAt = record.at;
        match.message.bytes = record.bytes;
        this.finish(match);
        return;
      }
      const half = this.newHalf(record, key, now);
      half.message.sentAt = record.at;
      half.message.bytes = record.bytes;
      this.keep(link.sends, half);
      return;
    }
    // An arrival: received, or dropped on arrival.
    const match = takeFirst(link.sends, key);
    const half = match ?? this.newHalf(record, key, now);
    if (record.event === 'receive') half.message.receivedAt = record.at;
    else half.message.dropped = { at: record.at, reason: record.reason ?? 'partition', direction: 'in' };
    if (match) this.finish(match);
    else this.keep(link.arrivals, half);
  }

  /** The messages to emit now: completed ones and halves that waited `holdMs`, sorted by time then id. */
  take(now: number, receiversDown: ReadonlySet<string> = NONE): LinkMessage[] {
    // A send to a node whose process is not running has no arrival to wait for: shown at once, not
    // holdMs later (a candidate's vote request to the dead leader belongs to the election it is
    // part of). If the node comes back and a queued copy reaches it, the message is completed then.
    if (receiversDown.size > 0) {
      for (const half of this.waiting) {
        const m = half.message;
        if (half.done || half.emitted || m.sentAt === null || m.receivedAt !== null || m.dropped !== null || !receiversDown.has(m.to)) continue;
        half.emitted = true;
        this.ready.push(half);
      }
    }
    let expired = 0;
    for (const half of this.waiting) {
      if (!half.done && now - half.addedAt < this.options.holdMs) break;
      expired++;
      if (!half.done && !half.emitted) {
        half.emitted = true;
        this.ready.push(half);
      }
    }
    if (expired > 0) this.waiting = this.waiting.slice(expired);
    const out = this.ready.map((h) => ({ ...h.message, dropped: h.message.dropped && { ...h.message.dropped } }));
    this.ready = [];
    return out.sort((a, b) => linkMessageTime(a) - linkMessageTime(b) || a.id - b.id);
  }

  /** Forgets the halves of links from or to `node` (it restarted: its sequence numbers begin again). */
  forgetNode(node: string): void {
    for (const [name, link] of this.links) {
      const [from, to] = name.split('\u0000');
      if (from !== node && to !== node) continue;
      for (const h of [...link.sends, ...link.arrivals]) this.emitAlone(h);
      this.links.delete(name);
    }
  }

  private link(from: string, to: string): Link {
    const name = `${from}\u0000${to}`;
    let link = this.links.get(name);
    if (!link) {
      link = { sends: [], arrivals: [] };
      this.links.set(name, link);
    }
    return link;
  }

  private newHalf(r: MessageRecord, key: string, now: number): Half {
    const message: LinkMessage = {
      id: this.nextId++,
      type: r.type,
      from: r.from,
      to: r.to,
      term: r.term,
      index: r.index,
      logTerm: r.logTerm,
      entries: r.entries,
      entryBytes: r.entryBytes,
      bytes: 0,
      commit: r.commit,
      reject: r.reject,
      hint: r.hint,
      snapshotIndex: r.snapshotIndex,
      sentAt: null,
      receivedAt: null,
      dropped: null,
    };
    return { message, key, addedAt: now, emitted: false, done: false };
  }

  /** Keeps an unmatched half on its link (bounded: the oldest is emitted alone and forgotten) and in the expiry queue. */
  private keep(list: Half[], half: Half): void {
    list.push(half);
    this.waiting.push(half);
    if (list.length > this.options.maxPerLink) this.emitAlone(list.shift()!);
  }

  private emitAlone(half: Half): void {
    if (half.done) return;
    half.done = true;
    if (!half.emitted) {
      half.emitted = true;
      this.ready.push(half);
    }
  }

  /** Both halves are in (or no other is coming): emit it, again if it went out alone before. */
  private finish(half: Half): void {
    half.done = true;
    this.ready.push(half);
  }
}

/**
 * Removes and returns the oldest half with this key that is still waiting, else the oldest already
 * emitted alone: a half given up on (its peer was down, say) should not steal a fresh message's match.
 */
function takeFirst(list: Half[], key: string): Half | undefined {
  let i = list.findIndex((h) => h.key === key && !h.emitted);
  if (i < 0) i = list.findIndex((h) => h.key === key);
  return i < 0 ? undefined : list.splice(i, 1)[0];
}
