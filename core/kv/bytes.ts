// The command and snapshot codecs' view of the one binary codec (core/codec/binary.ts): the same
// strict varints and UTF-8 strings as the wire and the WAL, with failures reported in the key/value
// layer's own typed errors (KvDecodeError naming the subject and offset, KvEncodeError).

import { BinaryReader, BinaryWriter, CodecError } from '../codec/binary.js';
import { KvDecodeError, KvEncodeError, type DecodedSubject } from './errors.js';

export class ByteWriter {
  private readonly w = new BinaryWriter(64);

  u8(value: number): void {
    this.w.u8(value);
  }

  /** Throws KvEncodeError unless value is a non-negative safe integer. */
  uvarint(value: number): void {
    this.encoding(() => this.w.varuint(value));
  }

  /** Throws KvEncodeError for a string with a lone surrogate (it has no UTF-8 form). */
  string(value: string): void {
    this.encoding(() => this.w.string(value));
  }

  finish(): Uint8Array {
    return this.w.finish();
  }

  private encoding(write: () => void): void {
    try {
      write();
    } catch (e) {
      if (e instanceof CodecError) throw new KvEncodeError(e.detail);
      throw e;
    }
  }
}

/** Reads what ByteWriter wrote; any inconsistency throws KvDecodeError naming the subject and offset. */
export class ByteReader {
  private readonly r: BinaryReader;

  constructor(
    bytes: Uint8Array,
    private readonly subject: DecodedSubject,
  ) {
    this.r = new BinaryReader(bytes);
  }

  get offset(): number {
    return this.r.pos;
  }

  /** Throws the decode error; `at` defaults to the current offset. */
  fail(detail: string, at = this.r.pos): never {
    throw new KvDecodeError(this.subject, at, detail);
  }

  u8(): number {
    return this.decoding(() => this.r.u8());
  }

  /** A 0/1 byte; anything else is malformed (keeps the encoding canonical). */
  flag(): boolean {
    return this.decoding(() => this.r.flag());
  }

  uvarint(): number {
    return this.decoding(() => this.r.varuint());
  }

  string(): string {
    return this.decoding(() => this.r.string());
  }

  end(): void {
    this.decoding(() => this.r.expectEnd());
  }

  private decoding<T>(read: () => T): T {
    try {
      return read();
    } catch (e) {
      if (e instanceof CodecError) this.fail(e.detail, e.offset ?? this.r.pos);
      throw e;
    }
  }
}
