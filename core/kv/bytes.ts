// Byte-level primitives shared by the command and snapshot codecs: unsigned LEB128 varints (up to
// Number.MAX_SAFE_INTEGER) and length-prefixed UTF-8 strings.

import { KvDecodeError, KvEncodeError, type DecodedSubject } from './errors.js';

const encoder = new TextEncoder();
// fatal: invalid UTF-8 throws instead of silently becoming U+FFFD, so garbage is rejected.
// ignoreBOM: a leading U+FEFF is part of the string, not a byte-order mark to drop.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A lone surrogate has no UTF-8 form: TextEncoder would replace it and the value would not round-trip. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A 2^53 value needs 8 LEB128 bytes (7 bits each); more is never canonical. */
const MAX_VARINT_BYTES = 8;

export class ByteWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  u8(value: number): void {
    this.reserve(1);
    this.buf[this.len++] = value;
  }

  /** Invariant: value is a non-negative safe integer (checked by callers that take outside input). */
  uvarint(value: number): void {
    this.reserve(MAX_VARINT_BYTES);
    let rest = value;
    while (rest >= 0x80) {
      this.buf[this.len++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[this.len++] = rest;
  }

  string(value: string): void {
    if (LONE_SURROGATE.test(value)) throw new KvEncodeError('a string contains a lone UTF-16 surrogate, which has no UTF-8 form');
    const bytes = encoder.encode(value);
    this.uvarint(bytes.length);
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }
}

/** Reads what ByteWriter wrote; any inconsistency throws KvDecodeError naming the subject and offset. */
export class ByteReader {
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly subject: DecodedSubject,
  ) {}

  get offset(): number {
    return this.pos;
  }

  /** Throws the decode error; `at` defaults to the current offset. */
  fail(detail: string, at = this.pos): never {
    throw new KvDecodeError(this.subject, at, detail);
  }

  u8(): number {
    if (this.pos >= this.bytes.length) this.fail('unexpected end of data');
    return this.bytes[this.pos++]!;
  }

  /** A 0/1 byte; anything else is malformed (keeps the encoding canonical). */
  flag(): boolean {
    const value = this.u8();
    if (value > 1) this.fail(`expected 0 or 1, found ${value}`);
    return value === 1;
  }

  uvarint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) this.fail('over-long varint');
        if (value > Number.MAX_SAFE_INTEGER) this.fail('varint exceeds the largest safe integer');
        return value;
      }
      scale *= 0x80;
    }
    return this.fail('varint longer than 8 bytes');
  }

  string(): string {
    const length = this.uvarint();
    if (length > this.bytes.length - this.pos) this.fail(`string of ${length} bytes runs past the end`);
    const start = this.pos;
    this.pos += length;
    try {
      return decoder.decode(this.bytes.subarray(start, this.pos));
    } catch {
      return this.fail('string is not valid UTF-8', start);
    }
  }

  end(): void {
    if (this.pos !== this.bytes.length) this.fail(`${this.bytes.length - this.pos} unexpected trailing bytes`);
  }
}
