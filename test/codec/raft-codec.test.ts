import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CodecError } from '../../core/codec/binary.js';
import { crc32c } from '../../core/codec/crc32c.js';
import { decodeMessage, encodeMessage } from '../../core/codec/raft-codec.js';
import type { Message } from '../../core/raft/types.js';
import { EntryType, MessageType } from '../../core/raft/types.js';

const text = new TextEncoder();

describe('crc32c', () => {
  it('matches the published check value of "123456789"', () => {
    expect(crc32c(text.encode('123456789'))).toBe(0xe3069283);
  });

  it('continues across chunks as over the whole', () => {
    const bytes = text.encode('The quick brown fox jumps over the lazy dog, twice over.');
    expect(crc32c(bytes, 13, bytes.length, crc32c(bytes, 0, 13))).toBe(crc32c(bytes));
  });
});

const arbEntry = fc.record({
  term: fc.nat(),
  index: fc.nat(),
  type: fc.constantFrom(...Object.values(EntryType)),
  data: fc.uint8Array({ maxLength: 64 }),
});

const arbIds = fc.array(fc.string({ maxLength: 4 }), { maxLength: 5 });

/** Snapshot metadata whose configuration is not newer than the snapshot (the decoder checks). */
export const arbSnapshotMetadata = fc.nat().chain((index) =>
  fc.record({
    index: fc.constant(index),
    term: fc.nat(),
    confState: fc.record({
      voters: arbIds,
      votersOutgoing: arbIds,
      learners: arbIds,
      learnersNext: arbIds,
      autoLeave: fc.boolean(),
      index: fc.nat({ max: index }),
    }),
  }),
);

export const arbMessage: fc.Arbitrary<Message> = fc.record({
  type: fc.constantFrom(...Object.values(MessageType)),
  from: fc.string({ maxLength: 8 }),
  to: fc.string({ maxLength: 8 }),
  term: fc.maxSafeNat(),
  logTerm: fc.nat(),
  index: fc.maxSafeNat(),
  entries: fc.array(arbEntry, { maxLength: 5 }),
  commit: fc.nat(),
  reject: fc.boolean(),
  rejectHint: fc.nat(),
  context: fc.nat(),
  snapshot: fc.option(
    fc.record({
      metadata: arbSnapshotMetadata,
      data: fc.uint8Array({ maxLength: 128 }),
    }),
    { nil: null },
  ),
});

describe('raft message codec', () => {
  it('round-trips every message', () => {
    fc.assert(fc.property(arbMessage, (m) => {
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      }));
  });

  it('rejects any truncation of a message with CodecError', () => {
    fc.assert(
      fc.property(arbMessage, fc.nat(), (m, cut) => {
        const bytes = encodeMessage(m);
        const at = cut % bytes.length;
        expect(() => decodeMessage(bytes.subarray(0, at))).toThrow(CodecError);
      }),
    );
  });

  it('never throws anything but CodecError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeMessage(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(CodecError);
        }
      }),
    );
  });

  it('refuses counts that exceed the input instead of allocating for them', () => {
    const m: Message = { type: MessageType.App, from: 'a', to: 'b', term: 1, logTerm: 1, index: 1, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 };
    const bytes = encodeMessage(m);
    // The entry count is the last byte of a message without entries or snapshot.
    const forged = bytes.slice();
    forged[forged.length - 1] = 0x7f;
    expect(() => decodeMessage(forged)).toThrow(/entry count/);
  });
});

describe('binary reader', () => {
  it('returns copies even when reading from a Node Buffer', async () => {
    const { BinaryReader, BinaryWriter } = await import('../../core/codec/binary.js');
    const source = Buffer.from(new BinaryWriter().bytes(new Uint8Array([1, 2, 3])).finish());
    const out = new BinaryReader(source).bytes();
    source.fill(9);
    expect([...out]).toEqual([1, 2, 3]);
    expect(out.buffer.byteLength).toBe(3);
  });
});

describe('strings', () => {
  it('keep a leading U+FEFF (it is data, not a byte-order mark)', async () => {
    const { BinaryReader, BinaryWriter } = await import('../../core/codec/binary.js');
    const bytes = new BinaryWriter().string('\uFEFFn1').finish();
    expect(new BinaryReader(bytes).string()).toBe('\uFEFFn1');
  });
});
