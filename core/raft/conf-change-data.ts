// The payload of an EntryType.ConfChange entry. It lives in the core, not in core/codec, because
// the core must read its own conf-change entries to apply them and core/raft imports nothing.
//
//   u8 format (1) · u8 transition · u8 change count · per change: u8 type · id
//   then the resulting configuration: u8 auto-leave · voters · outgoing · learners · learners-next
//   (each a u8 count of ids), an id being u8 length · UTF-8 bytes.
//
// The entry carries the configuration it produces as well as the change: a node that joins with
// no configuration replays the log from a point whose configuration it cannot know (the initial
// voters are not in the log), and adopts each result; every other node recomputes the result from
// its own configuration and fails loudly if the two differ.
//
// Decoding is strict: any other bytes throw ConfChangeDataError.

import type { ConfChange, ConfChangeSingle, ConfChangeTransition, ConfChangeType, ConfState, NodeId } from './types.js';
import { ConfChangeTransition as Transition, ConfChangeType as ChangeType } from './types.js';

const FORMAT = 1;
const MAX_CHANGES = 255;
const MAX_ID_BYTES = 255;
const TRANSITIONS = new Set<number>(Object.values(Transition));
const CHANGE_TYPES = new Set<number>(Object.values(ChangeType));

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ConfChangeDataError extends Error {
  constructor(message: string) {
    super(`configuration change entry: ${message}`);
    this.name = 'ConfChangeDataError';
  }
}

class Writer {
  readonly bytes: number[] = [];

  u8(value: number): void {
    this.bytes.push(value);
  }

  id(node: NodeId): void {
    const encoded = encoder.encode(node);
    if (encoded.length === 0 || encoded.length > MAX_ID_BYTES) throw new ConfChangeDataError(`a node id must take 1 to ${MAX_ID_BYTES} bytes`);
    this.u8(encoded.length);
    for (const b of encoded) this.bytes.push(b);
  }

  ids(nodes: readonly NodeId[]): void {
    if (nodes.length > MAX_CHANGES) throw new ConfChangeDataError(`at most ${MAX_CHANGES} nodes fit in one set`);
    this.u8(nodes.length);
    for (const node of nodes) this.id(node);
  }
}

class Reader {
  pos = 0;

  constructor(private readonly data: Uint8Array) {}

  u8(): number {
    if (this.pos >= this.data.length) throw new ConfChangeDataError('truncated');
    return this.data[this.pos++]!;
  }

  id(): NodeId {
    const length = this.u8();
    if (length === 0 || this.pos + length > this.data.length) throw new ConfChangeDataError('truncated or empty node id');
    try {
      return decoder.decode(this.data.subarray(this.pos, this.pos + length));
    } catch {
      throw new ConfChangeDataError('a node id is not UTF-8');
    } finally {
      this.pos += length;
    }
  }

  ids(): NodeId[] {
    const count = this.u8();
    const out: NodeId[] = [];
    for (let i = 0; i < count; i++) out.push(this.id());
    return out;
  }
}

/** A configuration change entry's content: the change and the configuration it produces (whose
 *  `index` is the entry's own, not stored). */
export interface ConfChangeEntry {
  change: ConfChange;
  result: Omit<ConfState, 'index'>;
}

export function encodeConfChange(cc: ConfChange, result: Omit<ConfState, 'index'>): Uint8Array {
  if (cc.changes.length > MAX_CHANGES) throw new ConfChangeDataError(`at most ${MAX_CHANGES} changes fit in one entry, got ${cc.changes.length}`);
  const w = new Writer();
  w.u8(FORMAT);
  w.u8(cc.transition);
  w.u8(cc.changes.length);
  for (const change of cc.changes) {
    w.u8(change.type);
    w.id(change.node);
  }
  w.u8(result.autoLeave ? 1 : 0);
  w.ids(result.voters);
  w.ids(result.votersOutgoing);
  w.ids(result.learners);
  w.ids(result.learnersNext);
  return Uint8Array.from(w.bytes);
}

export function decodeConfChange(data: Uint8Array): ConfChangeEntry {
  const r = new Reader(data);
  const format = r.u8();
  if (format !== FORMAT) throw new ConfChangeDataError(`unknown format ${format}`);
  const transition = r.u8();
  if (!TRANSITIONS.has(transition)) throw new ConfChangeDataError(`unknown transition ${transition}`);
  const count = r.u8();
  const changes: ConfChangeSingle[] = [];
  for (let i = 0; i < count; i++) {
    const type = r.u8();
    if (!CHANGE_TYPES.has(type)) throw new ConfChangeDataError(`unknown change type ${type}`);
    changes.push({ type: type as ConfChangeType, node: r.id() });
  }
  const autoLeave = r.u8();
  if (autoLeave > 1) throw new ConfChangeDataError(`bad auto-leave flag ${autoLeave}`);
  const result = { autoLeave: autoLeave === 1, voters: r.ids(), votersOutgoing: r.ids(), learners: r.ids(), learnersNext: r.ids() };
  if (r.pos !== data.length) throw new ConfChangeDataError(`${data.length - r.pos} trailing bytes`);
  return { change: { transition: transition as ConfChangeTransition, changes }, result };
}

/** The empty change that leaves a joint configuration. */
export function leaveJointChange(): ConfChange {
  return { transition: Transition.Auto, changes: [] };
}

/** Whether `cc` asks to leave the joint configuration. */
export function isLeaveJoint(cc: ConfChange): boolean {
  return cc.transition === Transition.Auto && cc.changes.length === 0;
}

/** Whether `cc` enters a joint configuration, and if so whether it is left automatically. */
export function entersJoint(cc: ConfChange): { joint: boolean; autoLeave: boolean } {
  if (cc.transition === Transition.Auto && cc.changes.length <= 1) return { joint: false, autoLeave: false };
  return { joint: true, autoLeave: cc.transition !== Transition.JointExplicit };
}
