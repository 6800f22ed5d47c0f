// The payload of an EntryType.ConfChange entry. It lives in the core, not in core/codec, because
// the core must read its own conf-change entries to apply them and core/raft imports nothing.
//
//   u8 format (1) · u8 transition · u8 change count · per change: u8 type · u8 id length · id (UTF-8)
//
// Decoding is strict: any other bytes throw ConfChangeDataError.

import type { ConfChange, ConfChangeSingle, ConfChangeTransition, ConfChangeType } from './types.js';
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

export function encodeConfChange(cc: ConfChange): Uint8Array {
  if (cc.changes.length > MAX_CHANGES) throw new ConfChangeDataError(`at most ${MAX_CHANGES} changes fit in one entry, got ${cc.changes.length}`);
  const ids = cc.changes.map((c) => encoder.encode(c.node));
  let size = 3;
  for (const id of ids) {
    if (id.length === 0 || id.length > MAX_ID_BYTES) throw new ConfChangeDataError(`a node id must take 1 to ${MAX_ID_BYTES} bytes`);
    size += 2 + id.length;
  }
  const out = new Uint8Array(size);
  out[0] = FORMAT;
  out[1] = cc.transition;
  out[2] = cc.changes.length;
  let pos = 3;
  cc.changes.forEach((change, i) => {
    const id = ids[i]!;
    out[pos++] = change.type;
    out[pos++] = id.length;
    out.set(id, pos);
    pos += id.length;
  });
  return out;
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  if (data.length < 3) throw new ConfChangeDataError(`${data.length} bytes is too short`);
  if (data[0] !== FORMAT) throw new ConfChangeDataError(`unknown format ${data[0]}`);
  const transition = data[1]!;
  if (!TRANSITIONS.has(transition)) throw new ConfChangeDataError(`unknown transition ${transition}`);
  const count = data[2]!;
  const changes: ConfChangeSingle[] = [];
  let pos = 3;
  for (let i = 0; i < count; i++) {
    if (pos + 2 > data.length) throw new ConfChangeDataError('truncated');
    const type = data[pos++]!;
    if (!CHANGE_TYPES.has(type)) throw new ConfChangeDataError(`unknown change type ${type}`);
    const length = data[pos++]!;
    if (length === 0 || pos + length > data.length) throw new ConfChangeDataError('truncated or empty node id');
    let node: string;
    try {
      node = decoder.decode(data.subarray(pos, pos + length));
    } catch {
      throw new ConfChangeDataError('a node id is not UTF-8');
    }
    pos += length;
    changes.push({ type: type as ConfChangeType, node });
  }
  if (pos !== data.length) throw new ConfChangeDataError(`${data.length - pos} trailing bytes`);
  return { transition: transition as ConfChangeTransition, changes };
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
