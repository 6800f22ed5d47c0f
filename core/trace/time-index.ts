// Looking up a recorded run at a moment: the snapshot shown at time t is the last one recorded at or
// before t; the timeline and charts show what had happened by t. Binary search over sorted times.

import type { ClusterEvent, ClusterState, MetricsSample, NodeLogView } from '../api/cluster-state.js';
import type { TraceClientOp, TraceRecord } from '../api/traces.js';
import { extent } from '../stats/extent.js';

/** The position of the last time ≤ t in ascending `times`, or -1 when every time is after t. */
export function lastAtOrBefore(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

interface Timed<T> {
  at: number[];
  items: T[];
}

function timed<T>(pairs: { at: number; item: T }[]): Timed<T> {
  pairs.sort((a, b) => a.at - b.at);
  return { at: pairs.map((p) => p.at), items: pairs.map((p) => p.item) };
}

function until<T>(series: Timed<T>, t: number, cap: number): T[] {
  const last = lastAtOrBefore(series.at, t);
  return series.items.slice(Math.max(0, last + 1 - cap), last + 1);
}

export class TimeIndex {
  readonly startAt: number;
  readonly endAt: number;
  private readonly states: Timed<ClusterState>;
  private readonly events: Timed<ClusterEvent>;
  private readonly samples: Timed<MetricsSample>;
  private readonly logs: Timed<NodeLogView[]>;
  private readonly ops: TraceClientOp[];
  /** Every moment something changed (a snapshot or an event), ascending, without repeats: what the arrow keys step through. */
  private readonly moments: number[];

  constructor(records: readonly TraceRecord[]) {
    const states: { at: number; item: ClusterState }[] = [];
    const events: { at: number; item: ClusterEvent }[] = [];
    const samples: { at: number; item: MetricsSample }[] = [];
    const logs: { at: number; item: NodeLogView[] }[] = [];
    const ops: TraceClientOp[] = [];
    for (const r of records) {
      if (r.k === 'state') states.push({ at: r.at, item: r.state });
      else if (r.k === 'event') events.push({ at: r.at, item: r.event });
      else if (r.k === 'metrics') samples.push({ at: r.at, item: r.sample });
      else if (r.k === 'logs') logs.push({ at: r.at, item: r.views });
      else if (r.k === 'op') ops.push(r.op);
    }
    this.states = timed(states);
    this.events = timed(events);
    this.samples = timed(samples);
    this.logs = timed(logs);
    this.ops = ops.sort((a, b) => a.startAt - b.startAt);
    this.moments = [...new Set([...this.states.at, ...this.events.at])].sort((a, b) => a - b);
    const span = extent(records.map((r) => r.at));
    this.startAt = span?.min ?? 0;
    this.endAt = span?.max ?? 0;
  }

  /** The snapshot shown at t: the last one recorded at or before t (the first one before it). */
  stateAt(t: number): ClusterState | null {
    if (this.states.items.length === 0) return null;
    return this.states.items[Math.max(0, lastAtOrBefore(this.states.at, t))];
  }

  /** The last `cap` events at or before t. */
  eventsUntil(t: number, cap: number): ClusterEvent[] {
    return until(this.events, t, cap);
  }

  /** The last `cap` metric samples at or before t. */
  samplesUntil(t: number, cap: number): MetricsSample[] {
    return until(this.samples, t, cap);
  }

  /** The logs as last sampled at or before t; null when none was sampled yet. */
  logsAt(t: number): NodeLogView[] | null {
    const i = lastAtOrBefore(this.logs.at, t);
    return i === -1 ? null : this.logs.items[i];
  }

  /** Client operations in flight at some point of [from, to]. */
  opsBetween(from: number, to: number): TraceClientOp[] {
    return this.ops.filter((op) => op.startAt <= to && (op.endAt ?? Infinity) >= from);
  }

  /** The next (direction 1) or previous (-1) moment something changed, from t; t itself at either end. */
  step(t: number, direction: 1 | -1): number {
    const i = lastAtOrBefore(this.moments, t);
    if (direction === 1) {
      const next = this.moments[i + 1];
      return next === undefined ? Math.max(t, this.endAt) : next;
    }
    const exact = i >= 0 && this.moments[i] === t;
    const previous = this.moments[exact ? i - 1 : i];
    return previous === undefined ? Math.min(t, this.startAt) : previous;
  }
}
