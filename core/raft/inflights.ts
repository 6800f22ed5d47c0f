/**
 * The in-flight window to one follower in replicate state: the last index of every App message
 * sent and not yet acknowledged, oldest first, in a fixed-size ring. When it is full the leader
 * stops sending entries to that follower until acknowledgements free slots, so a fast leader
 * pipelines up to `capacity` messages without flooding a slow follower.
 *
 * Invariant: indexes are added in increasing order, so freeing "everything <= i" pops a prefix.
 */
export class Inflights {
  /** buffer[(start + k) % capacity] is the k-th oldest in-flight index, for k < size. */
  private readonly buffer: number[];
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`in-flight capacity must be a positive integer, got ${capacity}`);
    this.buffer = new Array<number>(capacity).fill(0);
  }

  count(): number {
    return this.size;
  }

  full(): boolean {
    return this.size === this.capacity;
  }

  /** Records a message whose last entry is `index`. The caller checks full() first. */
  add(index: number): void {
    if (this.full()) throw new Error('in-flight window is full');
    this.buffer[(this.start + this.size) % this.capacity] = index;
    this.size++;
  }

  /** Frees every message whose last index is <= index (they are acknowledged). */
  freeLE(index: number): void {
    while (this.size > 0 && this.buffer[this.start]! <= index) {
      this.start = (this.start + 1) % this.capacity;
      this.size--;
    }
    if (this.size === 0) this.start = 0;
  }

  /** Frees the oldest message: a heartbeat response proves the follower is alive even if every
   *  App in the window was lost, so one slot is released to let replication make progress. */
  freeFirstOne(): void {
    if (this.size > 0) this.freeLE(this.buffer[this.start]!);
  }

  reset(): void {
    this.start = 0;
    this.size = 0;
  }
}
