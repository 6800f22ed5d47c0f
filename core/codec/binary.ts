// Growable binary writer and bounds-checked reader: the building blocks of the wire and WAL codecs.
// Integers are unsigned LEB128 varints up to 2^53 - 1 (terms and indexes are JS numbers).

/** Malformed input. Decoders throw only this, whatever the bytes. */
export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

const utf8Encoder = new TextEncoder();
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
    this.ensure(8);
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

  private need(n: number): void {
    if (this.pos + n > this.end) throw new CodecError(`truncated: needed ${n} more bytes at offset ${this.pos}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
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
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(result)) throw new CodecError(`integer out of range at offset ${this.pos}`);
        return result;
      }
      scale *= 0x80;
    }
    throw new CodecError(`integer too long at offset ${this.pos}`);
  }

  /** Length-prefixed bytes, as a copy (the source buffer may be reused). */
  bytes(): Uint8Array {
    const len = this.varuint();
    this.need(len);
    // Uint8Array's slice copies; a Node Buffer's own slice would return a view of the whole input.
    const out = Uint8Array.prototype.slice.call(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    const len = this.varuint();
    this.need(len);
    try {
      return utf8Decoder.decode(this.buf.subarray(this.pos, this.pos + len));
    } catch {
      throw new CodecError(`invalid UTF-8 at offset ${this.pos}`);
    } finally {
      this.pos += len;
    }
  }

  /** Fails unless every byte was consumed: trailing garbage is an error, not padding. */
  expectEnd(): void {
    if (this.pos !== this.end) throw new CodecError(`${this.end - this.pos} unexpected trailing bytes`);
  }
}
