import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../core/codec/binary.js';
import type { Frame } from '../../core/storage/wal-frame.js';
import { findFrameAfter, frameAt, RecordType } from '../../core/storage/wal-frame.js';
import type { BatchRecord, SegmentHeader } from '../../core/storage/wal-records.js';
import { decodeBatch, decodeBatchInstall, decodeCompact, decodeSegmentHeader, decodeSnapshotFile, encodeBatch, encodeCompact, encodeSegmentHeader, encodeSnapshotFile } from '../../core/storage/wal-records.js';
import { fallbackIndex, segmentsToDrop, snapshotsToDrop } from '../../core/storage/wal-retention.js';
import { votersConfState } from '../../core/raft/confchange.js';

const arbMarker = fc.record({ index: fc.maxSafeNat(), term: fc.maxSafeNat() });
const arbIds = fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 4 });
const arbConf = fc.record({ voters: arbIds, votersOutgoing: arbIds, learners: arbIds, learnersNext: arbIds, autoLeave: fc.boolean(), index: fc.maxSafeNat() });
const arbHardState = fc.oneof(
  fc.record({ term: fc.maxSafeNat(), vote: fc.string({ maxLength: 8 }), commit: fc.maxSafeNat() }),
  fc.record({ term: fc.maxSafeNat(), vote: fc.string({ maxLength: 8 }), commit: fc.maxSafeNat(), conf: arbConf }),
);
const arbBatch: fc.Arbitrary<BatchRecord> = fc.record({
  install: fc.option(arbMarker, { nil: null }),
  hardState: fc.option(arbHardState, { nil: null }),
  entries: fc.array(fc.record({ term: fc.nat(), index: fc.nat(), type: fc.constant(0 as const), data: fc.uint8Array({ maxLength: 64 }) }), { maxLength: 6 }),
});
const arbHeader: fc.Arbitrary<SegmentHeader> = fc.record({ seq: fc.nat(), lastIndex: fc.nat(), lastTerm: fc.nat(), snapshot: arbMarker, hardState: arbHardState });

function onlyFrame(bytes: Uint8Array): Frame {
  const frame = frameAt(bytes, 0);
  expect(frame?.end).toBe(bytes.length);
  return frame!;
}

describe('WAL records', () => {
  it('round-trip', () => {
    fc.assert(
      fc.property(arbBatch, arbHeader, arbMarker, (batch, header, marker) => {
        const batchBytes = encodeBatch(batch);
        expect(decodeBatch(batchBytes, onlyFrame(batchBytes))).toEqual(batch);
        expect(decodeBatchInstall(batchBytes, onlyFrame(batchBytes))).toEqual(batch.install);
        const headerBytes = encodeSegmentHeader(header);
        expect(decodeSegmentHeader(headerBytes, onlyFrame(headerBytes))).toEqual(header);
        const compactBytes = encodeCompact(marker);
        expect(decodeCompact(compactBytes, onlyFrame(compactBytes))).toEqual(marker);
      }),
    );
  });

  it('round-trip snapshot files', () => {
    const snapshot = { metadata: { index: 9, term: 2, confState: votersConfState(['n1', 'ñ2']) }, data: new Uint8Array([1, 2, 3]) };
    const bytes = encodeSnapshotFile(snapshot);
    expect(onlyFrame(bytes).type).toBe(RecordType.SnapshotFile);
    expect(decodeSnapshotFile(bytes, onlyFrame(bytes))).toEqual(snapshot);
  });

  it('fail their checksum when any bit flips or any byte is cut off', () => {
    fc.assert(
      fc.property(arbBatch, fc.nat(), fc.nat(7), (batch, at, bit) => {
        const bytes = encodeBatch(batch).slice();
        expect(frameAt(bytes.subarray(0, at % bytes.length), 0)).toBeNull();
        bytes[at % bytes.length]! ^= 1 << bit;
        expect(frameAt(bytes, 0)).toBeNull();
      }),
    );
  });

  it('are found again after garbage, and only where they start', () => {
    const record = encodeBatch({ install: null, hardState: null, entries: [] });
    const bytes = new Uint8Array(40 + record.length);
    bytes.fill(0xa5, 0, 40);
    bytes.set(record, 40);
    expect(findFrameAfter(bytes, 0)).toBe(40);
    expect(findFrameAfter(bytes, 40)).toBe(-1);
  });

  it('that pass their checksum but do not decode exactly are rejected with CodecError', () => {
    const bytes = encodeCompact({ index: 1, term: 1 });
    const frame = onlyFrame(bytes);
    expect(() => decodeBatch(bytes, frame)).toThrow(CodecError);
    expect(() => decodeSegmentHeader(bytes, frame)).toThrow(CodecError);
  });
});

describe('WAL retention', () => {
  it('keeps the two newest snapshots', () => {
    const snaps = [{ index: 5 }, { index: 9 }, { index: 12 }];
    expect(snapshotsToDrop(snaps)).toEqual([{ index: 5 }]);
    expect(snapshotsToDrop(snaps.slice(1))).toEqual([]);
  });

  it('falls back to the older of the two, or to no snapshot at all', () => {
    expect(fallbackIndex([])).toBe(0);
    expect(fallbackIndex([{ index: 9 }])).toBe(0);
    expect(fallbackIndex([{ index: 9 }, { index: 12 }])).toBe(9);
  });

  it.each([
    { starts: [0, 4, 8, 12], index: 9, drop: 2, why: 'replay from 9 starts in the segment begun at 8' },
    { starts: [0, 4, 8, 12], index: 8, drop: 2, why: 'a segment begun exactly at the snapshot index is enough' },
    { starts: [0, 4, 8, 12], index: 3, drop: 0, why: 'the first segment is still needed' },
    { starts: [0, 4, 8, 12], index: 20, drop: 3, why: 'never the segment being written' },
    { starts: [0, 6, 3, 12], index: 5, drop: 2, why: 'a log cut back (6 then 3): the newest start at or below wins' },
    { starts: [0], index: 9, drop: 0, why: 'a single segment stays' },
  ])('drops $drop segments when $why', ({ starts, index, drop }) => {
    expect(segmentsToDrop(starts.map((lastIndex) => ({ lastIndex })), index)).toBe(drop);
  });
});
