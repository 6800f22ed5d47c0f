// Proposals waiting for their entry to be applied. An entry proposed at (index, term) took effect iff
// the entry applied at that index has that term; another term there means it was overwritten.

import type { CommandResult } from '../kv/index.js';
import { lost, timedOut } from './errors.js';

interface Waiter {
  term: number;
  deadline: number;
  resolve(result: CommandResult): void;
  reject(error: Error): void;
}

export class PendingProposals {
  private readonly byIndex = new Map<number, Waiter>();

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    return this.byIndex.size;
  }

  wait(index: number, term: number, now: number): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      this.byIndex.set(index, { term, deadline: now + this.timeoutMs, resolve, reject });
    });
  }

  /** The entry at index was applied with `term` and produced `result`. */
  applied(index: number, term: number, result: CommandResult): void {
    const waiter = this.byIndex.get(index);
    if (!waiter) return;
    this.byIndex.delete(index);
    if (waiter.term === term) waiter.resolve(result);
    else waiter.reject(lost());
  }

  /** A snapshot replaced the log up to `index`: what was waiting there has an unknown outcome. */
  coveredBySnapshot(index: number): void {
    for (const [i, waiter] of this.byIndex) {
      if (i > index) continue;
      this.byIndex.delete(i);
      waiter.reject(timedOut(this.timeoutMs));
    }
  }

  expire(now: number): void {
    for (const [i, waiter] of this.byIndex) {
      if (waiter.deadline > now) continue;
      this.byIndex.delete(i);
      waiter.reject(timedOut(this.timeoutMs));
    }
  }

  rejectAll(error: Error): void {
    for (const waiter of this.byIndex.values()) waiter.reject(error);
    this.byIndex.clear();
  }
}
