// MetricsSample[] → the column arrays uPlot draws (x in seconds), and election marks.

import type { ClusterEvent, MetricsSample } from '../../core/api/index.js';

export interface ChartColumns {
  /** Seconds since the epoch. */
  t: number[];
  commits: number[];
  p50: (number | null)[];
  p99: (number | null)[];
}

export function chartColumns(samples: readonly MetricsSample[]): ChartColumns {
  return {
    t: samples.map((s) => s.at / 1000),
    commits: samples.map((s) => s.commitsPerSec),
    p50: samples.map((s) => s.p50Ms),
    p99: samples.map((s) => s.p99Ms),
  };
}

export interface ElectionMark {
  /** Seconds since the epoch. */
  t: number;
  label: string;
}

/** A mark for each leader elected, in the charts' time base. */
export function electionMarks(events: readonly ClusterEvent[]): ElectionMark[] {
  return events.filter((e) => e.kind === 'leader-elected').map((e) => ({ t: e.at / 1000, label: e.node ?? '' }));
}
