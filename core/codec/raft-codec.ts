// The binary encoding of Raft values, shared by the peer wire (core/transport) and the WAL
// (core/storage). Compact (varints, no field names) and strict: decoding any other bytes throws
// CodecError and never yields a value that was not encoded.

import type { ConfState, Entry, HardState, Message, MessageType, NodeId, Snapshot } from '../raft/types.js';
import { EntryType, MessageType as MT } from '../raft/types.js';
import { BinaryReader, BinaryWriter, CodecError } from './binary.js';

const MESSAGE_TYPES = new Set<number>(Object.values(MT));
const ENTRY_TYPES = new Set<number>(Object.values(EntryType));

const FLAG_REJECT = 1;
const FLAG_SNAPSHOT = 2;
const KNOWN_FLAGS = FLAG_REJECT | FLAG_SNAPSHOT;

export function writeEntry(w: BinaryWriter, e: Entry): void {
  w.varuint(e.term).varuint(e.index).u8(e.type).bytes(e.data);
}

export function readEntry(r: BinaryReader): Entry {
  const term = r.varuint();
  const index = r.varuint();
  const type = r.u8();
  if (!ENTRY_TYPES.has(type)) throw new CodecError(`unknown entry type ${type}`);
  const data = r.bytes();
  return { term, index, type: type as EntryType, data };
}

export function writeHardState(w: BinaryWriter, hs: HardState): void {
  w.varuint(hs.term).string(hs.vote).varuint(hs.commit);
}

export function readHardState(r: BinaryReader): HardState {
  const term = r.varuint();
  const vote = r.string();
  const commit = r.varuint();
  return { term, vote, commit };
}

function writeIds(w: BinaryWriter, ids: readonly NodeId[]): void {
  w.varuint(ids.length);
  for (const id of ids) w.string(id);
}

function readIds(r: BinaryReader, what: string): NodeId[] {
  const count = r.varuint();
  // Each id takes at least one byte: a count beyond what remains is garbage, not a huge allocation.
  if (count > r.remaining()) throw new CodecError(`${what} count ${count} exceeds the remaining bytes`);
  const ids: NodeId[] = [];
  for (let i = 0; i < count; i++) ids.push(r.string());
  return ids;
}

const CONF_AUTO_LEAVE = 1;

/** A configuration: its change index, flags, voters, outgoing voters, learners, learners-next. */
export function writeConfState(w: BinaryWriter, cs: ConfState): void {
  w.varuint(cs.index).u8(cs.autoLeave ? CONF_AUTO_LEAVE : 0);
  writeIds(w, cs.voters);
  writeIds(w, cs.votersOutgoing);
  writeIds(w, cs.learners);
  writeIds(w, cs.learnersNext);
}

export function readConfState(r: BinaryReader): ConfState {
  const index = r.varuint();
  const flags = r.u8();
  if ((flags & ~CONF_AUTO_LEAVE) !== 0) throw new CodecError(`unknown configuration flags ${flags}`);
  const voters = readIds(r, 'voter');
  const votersOutgoing = readIds(r, 'outgoing voter');
  const learners = readIds(r, 'learner');
  const learnersNext = readIds(r, 'next learner');
  return { voters, votersOutgoing, learners, learnersNext, autoLeave: (flags & CONF_AUTO_LEAVE) !== 0, index };
}

/** Upper bound on the bytes writeConfState takes. */
export function confStateSize(cs: ConfState): number {
  let size = 16;
  for (const ids of [cs.voters, cs.votersOutgoing, cs.learners, cs.learnersNext]) for (const id of ids) size += id.length * 3 + 8;
  return size;
}

export function writeSnapshot(w: BinaryWriter, s: Snapshot): void {
  w.varuint(s.metadata.index).varuint(s.metadata.term);
  writeConfState(w, s.metadata.confState);
  w.bytes(s.data);
}

export function readSnapshot(r: BinaryReader): Snapshot {
  const index = r.varuint();
  const term = r.varuint();
  const confState = readConfState(r);
  if (confState.index > index) throw new CodecError(`the configuration (index ${confState.index}) is newer than the snapshot (index ${index})`);
  const data = r.bytes();
  return { metadata: { index, term, confState }, data };
}

/** A snapshot in the layout written before membership changes (WAL format 1): a voter list. */
export function readLegacySnapshot(r: BinaryReader): Snapshot {
  const index = r.varuint();
  const term = r.varuint();
  const voters = readIds(r, 'voter');
  const data = r.bytes();
  return { metadata: { index, term, confState: { voters, votersOutgoing: [], learners: [], learnersNext: [], autoLeave: false, index: 0 } }, data };
}

export function writeMessage(w: BinaryWriter, m: Message): void {
  w.u8(m.type).string(m.from).string(m.to);
  w.varuint(m.term).varuint(m.logTerm).varuint(m.index).varuint(m.commit);
  w.u8((m.reject ? FLAG_REJECT : 0) | (m.snapshot ? FLAG_SNAPSHOT : 0));
  w.varuint(m.rejectHint);
  w.varuint(m.context);
  w.varuint(m.entries.length);
  for (const e of m.entries) writeEntry(w, e);
  if (m.snapshot) writeSnapshot(w, m.snapshot);
}

export function readMessage(r: BinaryReader): Message {
  const type = r.u8();
  if (!MESSAGE_TYPES.has(type)) throw new CodecError(`unknown message type ${type}`);
  const from = r.string();
  const to = r.string();
  const term = r.varuint();
  const logTerm = r.varuint();
  const index = r.varuint();
  const commit = r.varuint();
  const flags = r.u8();
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new CodecError(`unknown message flags ${flags}`);
  const rejectHint = r.varuint();
  const context = r.varuint();
  const count = r.varuint();
  // An entry takes at least 4 bytes (term, index, type, data length).
  if (count * 4 > r.remaining()) throw new CodecError(`entry count ${count} exceeds the remaining bytes`);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) entries.push(readEntry(r));
  const snapshot = flags & FLAG_SNAPSHOT ? readSnapshot(r) : null;
  return {
    type: type as MessageType,
    from,
    to,
    term,
    logTerm,
    index,
    entries,
    commit,
    reject: (flags & FLAG_REJECT) !== 0,
    rejectHint,
    snapshot,
    context,
  };
}

/** One message as a standalone byte string. */
export function encodeMessage(m: Message): Uint8Array {
  const w = new BinaryWriter(64 + m.entries.reduce((n, e) => n + e.data.length + 12, 0));
  writeMessage(w, m);
  return w.finish();
}

/** Decodes exactly one message; trailing bytes are an error. */
export function decodeMessage(bytes: Uint8Array): Message {
  const r = new BinaryReader(bytes);
  const m = readMessage(r);
  r.expectEnd();
  return m;
}
