import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../core/codec/binary.js';
import { crc32c } from '../../core/codec/crc32c.js';
import { encodeMessage } from '../../core/codec/raft-codec.js';
import type { Message } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { FRAME_HEADER_BYTES, PROTOCOL_VERSION, decodeHello, decodeMessagesPayload, encodeHelloFrame, encodeMessagesFrame } from '../../core/transport/frame.js';
import { FrameDecoder, FrameError } from '../../core/transport/frame-decoder.js';

const arbIds = fc.array(fc.string({ maxLength: 3 }), { maxLength: 4 });
/** Snapshot metadata whose configuration is not newer than the snapshot (the decoder checks). */
const arbSnapshotMetadata = fc.nat().chain((index) =>
  fc.record({
    index: fc.constant(index),
    term: fc.nat(),
    confState: fc.record({ voters: arbIds, votersOutgoing: arbIds, learners: arbIds, learnersNext: arbIds, autoLeave: fc.boolean(), index: fc.nat({ max: index }) }),
  }),
);

const MAX = 64 * 1024;

const arbMessage: fc.Arbitrary<Message> = fc.record({
  type: fc.constantFrom(...Object.values(MessageType)),
  from: fc.string({ maxLength: 6 }),
  to: fc.string({ maxLength: 6 }),
  term: fc.maxSafeNat(),
  logTerm: fc.nat(),
  index: fc.maxSafeNat(),
  entries: fc.array(fc.record({ term: fc.nat(), index: fc.nat(), type: fc.constant(0 as const), data: fc.uint8Array({ maxLength: 48 }) }), { maxLength: 4 }),
  commit: fc.nat(),
  reject: fc.boolean(),
  rejectHint: fc.nat(),
  context: fc.nat(),
  snapshot: fc.option(
    fc.record({
      metadata: arbSnapshotMetadata,
      data: fc.uint8Array({ maxLength: 64 }),
    }),
    { nil: null },
  ),
});

/** Frames of 1..5 messages each. */
const arbFrames = fc.array(fc.array(arbMessage, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 });

function frameStream(frames: Message[][]): Uint8Array {
  return Buffer.concat(frames.map((f) => encodeMessagesFrame(f.map(encodeMessage))));
}

/** Cuts `bytes` at the given offsets (taken modulo its length), in order. */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, p));
    start = p;
  }
  return chunks;
}

/** Feeds chunks as a connection does: stops at the first error, which must be a FrameError or CodecError. */
function decodeStream(chunks: Uint8Array[], maxPayloadBytes = MAX): { messages: Message[]; error: Error | null; leftover: number } {
  const decoder = new FrameDecoder(maxPayloadBytes);
  const messages: Message[] = [];
  try {
    for (const c of chunks) for (const payload of decoder.push(c)) messages.push(...decodeMessagesPayload(payload));
  } catch (e) {
    if (!(e instanceof FrameError || e instanceof CodecError)) throw e;
    return { messages, error: e, leftover: decoder.bufferedBytes };
  }
  return { messages, error: null, leftover: decoder.bufferedBytes };
}

const hex = (m: Message) => Buffer.from(encodeMessage(m)).toString('hex');

describe('frame decoder', () => {
  it('yields exactly the messages sent, whatever the chunking', () => {
    fc.assert(
      fc.property(arbFrames, fc.array(fc.nat(), { maxLength: 40 }), (frames, cuts) => {
        const result = decodeStream(chunk(frameStream(frames), cuts));
        expect(result.error).toBeNull();
        expect(result.leftover).toBe(0);
        expect(result.messages).toEqual(frames.flat());
      }),
    );
  });

  it('yields nothing from a stream cut inside its first frame, and keeps the rest buffered', () => {
    fc.assert(
      fc.property(arbFrames, fc.nat(), (frames, cut) => {
        const first = encodeMessagesFrame(frames[0]!.map(encodeMessage));
        const at = cut % first.length;
        const result = decodeStream([first.subarray(0, at)]);
        expect(result).toEqual({ messages: [], error: null, leftover: at });
      }),
    );
  });

  it('never throws anything but FrameError or CodecError on random bytes, and yields no message from them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        // Random bytes pass the CRC with probability 2^-32, so any message here would be invented.
        expect(decodeStream(chunk(bytes, cuts)).messages).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('never yields a message that was not sent from a mutated stream', () => {
    const arbMutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(arbFrames, fc.array(arbMutation, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 10 }), (frames, mutations, cuts) => {
        let bytes = Buffer.from(frameStream(frames));
        for (const m of mutations) {
          const at = m.at % (bytes.length + 1);
          if (m.kind === 'flip' && at < bytes.length) bytes[at] = bytes[at]! ^ m.bits;
          if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
          if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.count)]);
          if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
        }
        const sent = new Set(frames.flat().map(hex));
        for (const m of decodeStream(chunk(bytes, cuts)).messages) expect(sent.has(hex(m))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes entries as plain Uint8Array copies that do not alias the socket chunk', () => {
    const sent = { ...sample(), entries: [{ term: 1, index: 2, type: 0 as const, data: Uint8Array.from([1, 2, 3]) }] };
    const chunk = Buffer.from(encodeMessagesFrame([encodeMessage(sent)]));
    const [payload] = new FrameDecoder(MAX).push(chunk);
    const [received] = decodeMessagesPayload(payload!);
    chunk.fill(0);
    expect(received!.entries[0]!.data).toEqual(Uint8Array.from([1, 2, 3]));
    expect(Buffer.isBuffer(received!.entries[0]!.data)).toBe(false);
  });

  it('refuses an oversized length as soon as the header arrives, before any body', () => {
    const header = Buffer.alloc(FRAME_HEADER_BYTES);
    header.writeUInt32LE(MAX + 1, 0);
    const decoder = new FrameDecoder(MAX);
    expect(() => decoder.push(header)).toThrow(expect.objectContaining({ name: 'FrameError', reason: 'oversized' }));
  });

  it('refuses a checksum mismatch', () => {
    const frame = Buffer.from(encodeMessagesFrame([encodeMessage(sample())]));
    frame[frame.length - 1] = frame[frame.length - 1]! ^ 1;
    expect(() => new FrameDecoder(MAX).push(frame)).toThrow(expect.objectContaining({ reason: 'checksum' }));
  });

  it('refuses a payload with a valid checksum that is not messages', () => {
    const payload = Buffer.from([0x7f, 1, 2, 3]);
    const frame = Buffer.alloc(FRAME_HEADER_BYTES);
    frame.writeUInt32LE(payload.length, 0);
    frame.writeUInt32LE(crc32c(payload), 4);
    const [decoded] = new FrameDecoder(MAX).push(Buffer.concat([frame, payload]));
    expect(() => decodeMessagesPayload(decoded!)).toThrow(/message count 127 exceeds the frame/);
  });
});

describe('hello', () => {
  it('round-trips', () => {
    const [payload] = new FrameDecoder(MAX).push(encodeHelloFrame({ version: PROTOCOL_VERSION, from: 'n1', to: 'n2' }));
    expect(decodeHello(payload!)).toEqual({ version: PROTOCOL_VERSION, from: 'n1', to: 'n2' });
  });

  it('is not confused with a message frame', () => {
    const [payload] = new FrameDecoder(MAX).push(encodeMessagesFrame([encodeMessage(sample())]));
    expect(() => decodeHello(payload!)).toThrow(CodecError);
  });
});

function sample(): Message {
  return { type: MessageType.App, from: 'n1', to: 'n2', term: 1, logTerm: 1, index: 1, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 };
}
