// The binary form of a state-machine snapshot (Snapshot.data in core/raft).
//
// Layout (varints and strings as in bytes.ts):
//   "RKV" u8 version(1)
//   varint appliedIndex, varint submittedCount
//   varint n, n × (varint index, string text)                 recent submissions, oldest first
//   varint n, n × (string clientId, varint lastSeq, result)   sessions, least recently used first
//   varint n, n × (string key, string value)                  the key/value pairs
// result: u8 tag; 0 empty | 1 value: u8 present, [string] | 2 existed: u8 | 3 cas: u8 swapped, u8 present, [string]

import { ByteReader, ByteWriter } from './bytes.js';
import type { AppliedResult } from './command.js';
import type { SessionRecord } from './session-table.js';

export interface SubmittedEntry {
  index: number;
  text: string;
}

/** Everything a KvStateMachine holds; orders are significant (they are replayed on restore). */
export interface KvSnapshotContents {
  appliedIndex: number;
  submittedCount: number;
  recentSubmissions: SubmittedEntry[];
  sessions: [clientId: string, record: SessionRecord][];
  values: [key: string, value: string][];
}

const MAGIC = [0x52, 0x4b, 0x56]; // "RKV"
const VERSION = 1;
const RESULT_TAG = { empty: 0, value: 1, existed: 2, cas: 3 } as const;

export function encodeKvSnapshot(contents: KvSnapshotContents): Uint8Array {
  const out = new ByteWriter();
  for (const byte of MAGIC) out.u8(byte);
  out.u8(VERSION);
  out.uvarint(contents.appliedIndex);
  out.uvarint(contents.submittedCount);
  out.uvarint(contents.recentSubmissions.length);
  for (const { index, text } of contents.recentSubmissions) {
    out.uvarint(index);
    out.string(text);
  }
  out.uvarint(contents.sessions.length);
  for (const [clientId, { lastSeq, result }] of contents.sessions) {
    out.string(clientId);
    out.uvarint(lastSeq);
    writeResult(out, result);
  }
  out.uvarint(contents.values.length);
  for (const [key, value] of contents.values) {
    out.string(key);
    out.string(value);
  }
  return out.finish();
}

/** Throws KvDecodeError (subject 'snapshot') and nothing else on malformed bytes. */
export function decodeKvSnapshot(bytes: Uint8Array): KvSnapshotContents {
  const input = new ByteReader(bytes, 'snapshot');
  for (const byte of MAGIC) if (input.u8() !== byte) input.fail('not a raftdesk key/value snapshot', 0);
  const version = input.u8();
  if (version !== VERSION) input.fail(`unsupported snapshot version ${version}`);
  const appliedIndex = input.uvarint();
  const submittedCount = input.uvarint();
  const recentSubmissions = readList(input, () => ({ index: input.uvarint(), text: input.string() }));
  if (recentSubmissions.length > submittedCount) input.fail('more recent submissions than submissions');
  recentSubmissions.forEach(({ index }, i) => {
    const previous = i === 0 ? 0 : recentSubmissions[i - 1]!.index;
    if (index <= previous || index > appliedIndex) input.fail(`submission index ${index} is out of order`);
  });
  const sessions = readList(input, (): [string, SessionRecord] => [input.string(), { lastSeq: input.uvarint(), result: readResult(input) }]);
  const values = readList(input, (): [string, string] => [input.string(), input.string()]);
  input.end();
  requireUnique(input, sessions, 'client');
  requireUnique(input, values, 'key');
  return { appliedIndex, submittedCount, recentSubmissions, sessions, values };
}

function readList<T>(input: ByteReader, readItem: () => T): T[] {
  const count = input.uvarint();
  const items: T[] = [];
  // Each item takes at least one byte, so a count beyond the remaining bytes fails at the end of data
  // rather than by allocating: items are pushed one by one.
  for (let i = 0; i < count; i++) items.push(readItem());
  return items;
}

function requireUnique(input: ByteReader, pairs: [string, unknown][], what: string): void {
  const seen = new Set<string>();
  for (const [name] of pairs) {
    if (seen.has(name)) input.fail(`${what} ${JSON.stringify(name)} appears twice`);
    seen.add(name);
  }
}

function writeResult(out: ByteWriter, result: AppliedResult): void {
  if ('swapped' in result) {
    out.u8(RESULT_TAG.cas);
    out.u8(result.swapped ? 1 : 0);
    writeOptionalString(out, result.current);
  } else if ('existed' in result) {
    out.u8(RESULT_TAG.existed);
    out.u8(result.existed ? 1 : 0);
  } else if ('value' in result) {
    out.u8(RESULT_TAG.value);
    writeOptionalString(out, result.value);
  } else {
    out.u8(RESULT_TAG.empty);
  }
}

function readResult(input: ByteReader): AppliedResult {
  const tag = input.u8();
  switch (tag) {
    case RESULT_TAG.empty:
      return {};
    case RESULT_TAG.value:
      return { value: readOptionalString(input) };
    case RESULT_TAG.existed:
      return { existed: input.flag() };
    case RESULT_TAG.cas:
      return { swapped: input.flag(), current: readOptionalString(input) };
    default:
      return input.fail(`unknown result tag ${tag}`);
  }
}

function writeOptionalString(out: ByteWriter, value: string | null): void {
  out.u8(value === null ? 0 : 1);
  if (value !== null) out.string(value);
}

function readOptionalString(input: ByteReader): string | null {
  return input.flag() ? input.string() : null;
}
