// The FIFO of encoded messages waiting for one peer's connection. Its bound is enforced by the
// caller (outbound-peer.ts), which also counts messages held back by a delay fault.

export class SendQueue {
  private items: Uint8Array[] = [];
  /** items[head, items.length) are queued; the prefix is already taken and compacted lazily. */
  private head = 0;
  private queuedBytes = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  push(message: Uint8Array): void {
    this.items.push(message);
    this.queuedBytes += message.length;
  }

  /** The oldest messages whose total stays within maxBytes; always at least one if any is queued. */
  take(maxBytes: number): Uint8Array[] {
    let end = this.head;
    let total = 0;
    while (end < this.items.length && (end === this.head || total + this.items[end]!.length <= maxBytes)) {
      total += this.items[end]!.length;
      end++;
    }
    const taken = this.items.slice(this.head, end);
    this.head = end;
    this.queuedBytes -= total;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return taken;
  }

  /** Empties the queue; returns how many messages were discarded. */
  clear(): number {
    const discarded = this.length;
    this.items = [];
    this.head = 0;
    this.queuedBytes = 0;
    return discarded;
  }
}
