// The network faults the supervisor applies to one node at run time. Decisions only: the transport
// asks, per message, whether to drop it and how long to hold it.

export interface TransportFaults {
  /** Peers this node's messages are not delivered to. */
  blockedTo: string[];
  /** Peers whose messages this node discards on arrival. */
  blockedFrom: string[];
  /** Every outbound message is held delayMs ± jitterMs (uniformly), never less than 0. */
  delayMs: number;
  jitterMs: number;
  /** This percentage of outbound messages (not blocked ones) is dropped. */
  lossPercent: number;
}

export const NO_FAULTS: TransportFaults = { blockedTo: [], blockedFrom: [], delayMs: 0, jitterMs: 0, lossPercent: 0 };

export class FaultFilter {
  private blockedTo = new Set<string>();
  private blockedFrom = new Set<string>();
  private delayMs = 0;
  private jitterMs = 0;
  private lossPercent = 0;
  /** One-shot faults: per peer, how many of the next outbound messages to drop. Kept apart from set(). */
  private readonly dropNext = new Map<string, number>();

  /** @param random uniform in [0, 1) */
  constructor(private readonly random: () => number) {}

  /** Replaces every fault; all-empty values heal. Out-of-range numbers are clamped, not trusted. */
  set(faults: TransportFaults): TransportFaults {
    this.blockedTo = new Set(faults.blockedTo);
    this.blockedFrom = new Set(faults.blockedFrom);
    this.delayMs = nonNegative(faults.delayMs);
    this.jitterMs = nonNegative(faults.jitterMs);
    this.lossPercent = Math.min(100, nonNegative(faults.lossPercent));
    return this.current();
  }

  current(): TransportFaults {
    return {
      blockedTo: [...this.blockedTo],
      blockedFrom: [...this.blockedFrom],
      delayMs: this.delayMs,
      jitterMs: this.jitterMs,
      lossPercent: this.lossPercent,
    };
  }

  isBlockedTo(peer: string): boolean {
    return this.blockedTo.has(peer);
  }

  isBlockedFrom(peer: string): boolean {
    return this.blockedFrom.has(peer);
  }

  /** Drops the next `count` messages to `peer` (replacing what was left; 0 clears). */
  setDropNext(peer: string, count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, not ${count}`);
    if (count === 0) this.dropNext.delete(peer);
    else this.dropNext.set(peer, count);
  }

  clearDropNext(): void {
    this.dropNext.clear();
  }

  /** True (and counts one down) if this message to `peer` is one of the next to drop. */
  takeDropNext(peer: string): boolean {
    const left = this.dropNext.get(peer);
    if (left === undefined) return false;
    if (left <= 1) this.dropNext.delete(peer);
    else this.dropNext.set(peer, left - 1);
    return true;
  }

  /** What is left of the one-shot drops, per peer. */
  dropsLeft(): Record<string, number> {
    return Object.fromEntries(this.dropNext);
  }

  /** Draws once per outbound message. */
  shouldLose(): boolean {
    return this.lossPercent > 0 && this.random() * 100 < this.lossPercent;
  }

  /** How long to hold the next outbound message, in ms (0: send now). */
  nextDelayMs(): number {
    if (this.delayMs === 0 && this.jitterMs === 0) return 0;
    return Math.max(0, this.delayMs + (this.random() * 2 - 1) * this.jitterMs);
  }
}

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}
