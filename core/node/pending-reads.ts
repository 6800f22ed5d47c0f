// Linearizable reads waiting on this node (Raft thesis §6.4): first for the leader to confirm a read
// index (a ReadState in a Ready), then for this node to apply up to that index. Reads that arrive in
// one turn of the event loop share one request to the core, so one heartbeat round serves them all.

import type { ReadState } from '../raft/types.js';

export interface ReadWaiter {
  /** Called once this node's state machine may answer the read (the leader confirmed `readIndex`
   *  and this node has applied it): read it now. */
  ready(readIndex: number): void;
  reject(error: Error): void;
}

interface Batch {
  deadline: number;
  waiters: ReadWaiter[];
}

interface ConfirmedBatch extends Batch {
  index: number;
}

export class PendingReads {
  private nextContext = 1;
  /** Asked of the core, not yet confirmed: by context. */
  private readonly unconfirmed = new Map<number, Batch>();
  /** Confirmed, waiting for this node to apply up to `index`. */
  private confirmed: ConfirmedBatch[] = [];

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    let n = 0;
    for (const b of this.unconfirmed.values()) n += b.waiters.length;
    for (const b of this.confirmed) n += b.waiters.length;
    return n;
  }

  /** Registers reads and returns the context to pass to RawNode.readIndex. */
  add(waiters: ReadWaiter[], now: number): number {
    const context = this.nextContext++;
    this.unconfirmed.set(context, { deadline: now + this.timeoutMs, waiters });
    return context;
  }

  /** The core confirmed read indexes; this node has applied up to `appliedIndex`. */
  confirm(states: readonly ReadState[], appliedIndex: number): void {
    for (const state of states) {
      const batch = this.unconfirmed.get(state.context);
      // Expired, or dropped when leadership changed: its clients were already answered.
      if (!batch) continue;
      this.unconfirmed.delete(state.context);
      if (state.index <= appliedIndex) fire(batch.waiters, state.index);
      else this.confirmed.push({ ...batch, index: state.index });
    }
  }

  /** This node has applied up to `appliedIndex`: answer the reads that waited for it. */
  applied(appliedIndex: number): void {
    if (this.confirmed.length === 0) return;
    const still: ConfirmedBatch[] = [];
    for (const batch of this.confirmed) {
      if (batch.index <= appliedIndex) fire(batch.waiters, batch.index);
      else still.push(batch);
    }
    this.confirmed = still;
  }

  /** Leadership changed: the core dropped every read it had not confirmed. Confirmed ones stay valid. */
  dropUnconfirmed(error: () => Error): void {
    for (const batch of this.unconfirmed.values()) for (const w of batch.waiters) w.reject(error());
    this.unconfirmed.clear();
  }

  expire(now: number, error: () => Error): void {
    for (const [context, batch] of this.unconfirmed) {
      if (batch.deadline > now) continue;
      this.unconfirmed.delete(context);
      for (const w of batch.waiters) w.reject(error());
    }
    const still: ConfirmedBatch[] = [];
    for (const batch of this.confirmed) {
      if (batch.deadline > now) still.push(batch);
      else for (const w of batch.waiters) w.reject(error());
    }
    this.confirmed = still;
  }

  rejectAll(error: () => Error): void {
    this.dropUnconfirmed(error);
    for (const batch of this.confirmed) for (const w of batch.waiters) w.reject(error());
    this.confirmed = [];
  }
}

function fire(waiters: readonly ReadWaiter[], readIndex: number): void {
  for (const w of waiters) w.ready(readIndex);
}
