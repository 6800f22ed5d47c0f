// The history of an experiment as it happens, in the checker's JSONL format: an invoke is recorded
// before the request is sent and its completion after the answer arrives, so line order is a real-
// time order the checker may rely on.

import type { CasValue, EventType, HistoryValue, OpFunction } from '../check/history.js';
import { formatHistoryLine } from '../check/index.js';

export type Completion = Exclude<EventType, 'invoke'>;

interface InFlight {
  f: OpFunction;
  key: string;
}

export class HistoryRecorder {
  private readonly lines: string[] = [];
  private readonly inFlight = new Map<number, InFlight>();
  private readonly counts: Record<Completion, number> = { ok: 0, fail: 0, info: 0 };

  /** `clock` gives nanoseconds since the experiment started. */
  constructor(private readonly clock: () => number) {}

  invoke(process: number, f: OpFunction, key: string, value: HistoryValue | CasValue | null): void {
    if (this.inFlight.has(process)) throw new Error(`Process ${process} already has an operation in flight.`);
    this.inFlight.set(process, { f, key });
    this.lines.push(formatHistoryLine({ process, type: 'invoke', f, key, value, time: this.clock() }));
  }

  complete(process: number, type: Completion, value: HistoryValue | CasValue | null): void {
    const op = this.inFlight.get(process);
    if (!op) throw new Error(`Process ${process} has no operation in flight.`);
    this.inFlight.delete(process);
    this.counts[type]++;
    this.lines.push(formatHistoryLine({ process, type, f: op.f, key: op.key, value, time: this.clock() }));
  }

  /** Completed operations by outcome. */
  outcomes(): Readonly<Record<Completion, number>> {
    return { ...this.counts };
  }

  get completed(): number {
    return this.counts.ok + this.counts.fail + this.counts.info;
  }

  /** The history so far as JSONL; operations still in flight have no completion (unknown). */
  text(): string {
    return this.lines.length === 0 ? '' : this.lines.join('\n') + '\n';
  }
}
