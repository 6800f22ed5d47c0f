// Cuts a byte stream into verified frame payloads, whatever the chunking of the stream. Chunks are
// kept as they arrive and joined once per frame, so a large frame in many small chunks costs one
// copy, not one per chunk; a length prefix alone allocates nothing.

import { crc32c } from '../codec/crc32c.js';
import { FRAME_HEADER_BYTES } from './frame.js';

export type FrameErrorReason = 'oversized' | 'checksum';

/** The stream is not a sequence of valid frames; the connection cannot be trusted further. */
export class FrameError extends Error {
  constructor(
    readonly reason: FrameErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'FrameError';
  }
}

export class FrameDecoder {
  /** Unconsumed input, oldest first; chunks[0] starts at `offset`. */
  private chunks: Uint8Array[] = [];
  private offset = 0;
  private buffered = 0;

  /** @param maxPayloadBytes the largest payload accepted; it may be raised later (after a hello). */
  constructor(public maxPayloadBytes: number) {}

  /** Bytes received but not yet part of a complete frame: non-zero at end of stream means a truncated frame. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /**
   * The payloads of every frame completed by `chunk`, in order. Throws FrameError on an oversized length
   * or a checksum mismatch; after that the decoder must be discarded with its connection.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) {
      // A plain Uint8Array view of the socket's Buffer (no copy): what the codec slices out of it is then
      // a plain Uint8Array too, the same type the sender encoded, not a Buffer.
      this.chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      this.buffered += chunk.length;
    }
    const payloads: Uint8Array[] = [];
    while (this.buffered >= FRAME_HEADER_BYTES) {
      const header = this.peek(FRAME_HEADER_BYTES);
      const view = new DataView(header.buffer, header.byteOffset, FRAME_HEADER_BYTES);
      const length = view.getUint32(0, true);
      const checksum = view.getUint32(4, true);
      if (length > this.maxPayloadBytes) {
        throw new FrameError('oversized', `frame of ${length} bytes exceeds the maximum of ${this.maxPayloadBytes}`);
      }
      if (this.buffered < FRAME_HEADER_BYTES + length) break;
      this.skip(FRAME_HEADER_BYTES);
      const payload = this.take(length);
      if (crc32c(payload) !== checksum) throw new FrameError('checksum', 'frame checksum mismatch');
      payloads.push(payload);
    }
    return payloads;
  }

  /** The next n buffered bytes without consuming them (a copy only when they span chunks). */
  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length - this.offset >= n) return first.subarray(this.offset, this.offset + n);
    const out = new Uint8Array(n);
    let filled = 0;
    let offset = this.offset;
    for (const chunk of this.chunks) {
      const part = chunk.subarray(offset, offset + (n - filled));
      out.set(part, filled);
      filled += part.length;
      offset = 0;
      if (filled === n) break;
    }
    return out;
  }

  private take(n: number): Uint8Array {
    const out = this.peek(n);
    this.skip(n);
    return out;
  }

  private skip(n: number): void {
    this.buffered -= n;
    let left = n;
    while (left > 0) {
      const first = this.chunks[0]!;
      const available = first.length - this.offset;
      if (available > left) {
        this.offset += left;
        return;
      }
      left -= available;
      this.chunks.shift();
      this.offset = 0;
    }
  }
}
