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

/** A label drawn on a canvas cannot be cut by CSS: long IDs are shortened here. */
function shortLabel(id: string, max = 10): string {
  return id.length > max ? `${id.slice(0, max - 1)}…` : id;
}

/** A mark for each leader elected, in the charts' time base. */
export function electionMarks(events: readonly ClusterEvent[]): ElectionMark[] {
  return events.filter((e) => e.kind === 'leader-elected').map((e) => ({ t: e.at / 1000, label: shortLabel(e.node ?? '') }));
}

/**
 * Rows for the marks' labels so that none overlaps another: each label (left edge x, width w, in
 * ascending x) takes the first of `rows` rows whose last label ends `gap` px before it; a label
 * with no free row is hidden (-1) — its dashed line still shows, and elections that close together
 * read as "several" anyway.
 */
export function labelRows(xs: readonly number[], widths: readonly number[], rows = 3, gap = 4): number[] {
  const ends: number[] = Array.from({ length: rows }, () => Number.NEGATIVE_INFINITY);
  return xs.map((x, i) => {
    const row = ends.findIndex((end) => x >= end + gap);
    if (row === -1) return -1;
    ends[row] = x + (widths[i] ?? 0);
    return row;
  });
}

/** Axis tick labels with their unit, so that a chart never shows bare numbers. */
export function withUnit(values: readonly number[], unit: string): string[] {
  return values.map((v) => {
    const text = Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)}k` : String(Math.round(v * 10) / 10);
    return `${text}${unit.startsWith('/') ? '' : ' '}${unit}`;
  });
}
