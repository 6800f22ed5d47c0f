// Growable binary writer and bounds-checked reader: the one binary codec of raftdesk, under the peer
// wire, the WAL and snapshot files (core/codec, core/storage, core/transport) and the key/value
// commands and snapshots (core/kv). Integers are unsigned LEB128 varints up to 2^53 - 1 (terms and
// indexes are JS numbers); strings are length-prefixed UTF-8.
//
// Strict both ways, so that every value has exactly one encoding and garbage is never read as data:
// the reader refuses over-long varints, varints past 2^53 - 1, invalid UTF-8 and a flag other than
// 0/1; the writer refuses a string with a lone UTF-16 surrogate (it has no UTF-8 form: TextEncoder
// would replace it and the value would not round-trip). A leading U+FEFF is kept (see ignoreBOM).

/** Malformed input, or a value that has no encoding. Decoders throw only this, whatever the bytes. */
export class CodecError extends Error {
  constructor(
    /** What is wrong, without the position. */
    readonly detail: string,
    /** Byte offset where reading stopped, or null (an encoding error, or no position). */
    readonly offset: number | null = null,
  ) {
    super(offset === null ? detail : `${detail} at offset ${offset}`);
    this.name = 'CodecError';
  }
}

/** A 2^53 value needs 8 LEB128 bytes (7 bits each); more is never canonical. */
const MAX_VARINT_BYTES = 8;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const utf8Encoder = new TextEncoder();
// fatal: invalid UTF-8 throws instead of silently becoming U+FFFD, so garbage is rejected.
// ignoreBOM: a leading U+FEFF is part of the string, not a byte-order mark to drop.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class BinaryWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Bytes written so far: buf[0, pos). */
  pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): this {
    this.ensure(1);
    this.buf[this.pos++] = value;
    return this;
  }

  u32(value: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
    return this;
  }

  /** Overwrites a u32 written earlier (for lengths and checksums known only afterwards). */
  u32At(offset: number, value: number): this {
    this.view.setUint32(offset, value >>> 0, true);
    return this;
  }

  varuint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new CodecError(`cannot encode ${value} as an unsigned integer`);
    this.ensure(MAX_VARINT_BYTES);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  /** Length-prefixed bytes. */
  bytes(value: Uint8Array): this {
    this.varuint(value.length);
    this.raw(value);
    return this;
  }

  raw(value: Uint8Array): this {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** Length-prefixed UTF-8. */
  string(value: string): this {
    if (LONE_SURROGATE.test(value)) throw new CodecError('a string contains a lone UTF-16 surrogate, which has no UTF-8 form');
    return this.bytes(utf8Encoder.encode(value));
  }

  /** A view of what was written (valid until the next write). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class BinaryReader {
  private readonly view: DataView;
  pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    /** Exclusive end of the readable region. */
    private readonly end = buf.length,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  /** Throws the decode error; `at` defaults to the current offset. */
  fail(detail: string, at = this.pos): never {
    throw new CodecError(detail, at);
  }

  private need(n: number, what = `${n} more bytes`): void {
    if (this.pos + n > this.end) this.fail(n === 1 ? 'unexpected end of data' : `${what} run past the end`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  /** A 0/1 byte; anything else is malformed (keeps the encoding canonical). */
  flag(): boolean {
    const value = this.u8();
    if (value > 1) this.fail(`expected 0 or 1, found ${value}`, this.pos - 1);
    return value === 1;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  varuint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) this.fail('over-long varint');
        if (!Number.isSafeInteger(result)) this.fail('varint exceeds the largest safe integer');
        return result;
      }
      scale *= 0x80;
    }
    return this.fail(`varint longer than ${MAX_VARINT_BYTES} bytes`);
  }

  /** Length-prefixed bytes, as a copy (the source buffer may be reused). */
  bytes(): Uint8Array {
    const len = this.varuint();
    this.need(len, `${len} bytes`);
    // Uint8Array's slice copies; a Node Buffer's own slice would return a view of the whole input.
    const out = Uint8Array.prototype.slice.call(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    const len = this.varuint();
    if (len > this.end - this.pos) this.fail(`string of ${len} bytes runs past the end`);
    const start = this.pos;
    this.pos += len;
    try {
      return utf8Decoder.decode(this.buf.subarray(start, this.pos));
    } catch {
      return this.fail('string is not valid UTF-8', start);
    }
  }

  /** Fails unless every byte was consumed: trailing garbage is an error, not padding. */
  expectEnd(): void {
    if (this.pos !== this.end) this.fail(`${this.end - this.pos} unexpected trailing bytes`);
  }
}
