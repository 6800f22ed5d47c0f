// The one binary codec is strict for every user (wire, WAL, snapshots, key/value commands): each
// value has exactly one encoding, and a value without one is refused rather than altered.

import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter, CodecError } from '../../core/codec/binary.js';

const read = (...bytes: number[]) => new BinaryReader(Uint8Array.from(bytes));

describe('the binary codec', () => {
  it('refuses over-long and out-of-range varints', () => {
    expect(() => read(0x81, 0x00).varuint()).toThrow(CodecError);
    expect(() => read(0x80, 0x00).varuint()).toThrow(/over-long varint at offset 2/);
    expect(() => read(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).varuint()).toThrow(/largest safe integer/);
    expect(() => read(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01).varuint()).toThrow(/longer than 8 bytes/);
    expect(read(0x00).varuint()).toBe(0);
    expect(read(0x80, 0x01).varuint()).toBe(128);
  });

  it('writes every safe integer in its one canonical form, which it reads back', () => {
    for (const n of [0, 1, 127, 128, 16_383, 16_384, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      const bytes = new BinaryWriter().varuint(n).finish();
      const r = new BinaryReader(bytes);
      expect(r.varuint()).toBe(n);
      r.expectEnd();
    }
  });

  it('refuses to encode a string with a lone surrogate instead of replacing it', () => {
    expect(() => new BinaryWriter().string('a\uD800b')).toThrow(/lone UTF-16 surrogate/);
    expect(() => new BinaryWriter().string('\uDC00')).toThrow(CodecError);
    const pair = '\uD83D\uDE00';
    expect(new BinaryReader(new BinaryWriter().string(pair).finish()).string()).toBe(pair);
  });

  it('keeps a leading U+FEFF and refuses invalid UTF-8', () => {
    expect(new BinaryReader(new BinaryWriter().string('\uFEFFx').finish()).string()).toBe('\uFEFFx');
    expect(() => read(0x02, 0xc3, 0x28).string()).toThrow(/string is not valid UTF-8 at offset 1/);
    expect(() => read(0x05, 0x78).string()).toThrow(/string of 5 bytes runs past the end/);
  });

  it('reads a flag as 0 or 1 only', () => {
    expect(read(0x01).flag()).toBe(true);
    expect(() => read(0x02).flag()).toThrow(/expected 0 or 1, found 2 at offset 0/);
  });
});
