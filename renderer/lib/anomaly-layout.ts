// Lays out the operations of a non-linearizable history on one lane per client process.

import type { HistoryOpView } from '../../core/api/index.js';
import { extent } from '../../core/stats/extent.js';

export interface LaidOutOp {
  op: HistoryOpView;
  /** Percent of the lane width. */
  left: number;
  width: number;
  /** The operation never completed: its bar runs to the right edge. */
  open: boolean;
  label: string;
}

export interface Lane {
  process: number;
  ops: LaidOutOp[];
}

export interface AnomalyLayout {
  lanes: Lane[];
  startMs: number;
  endMs: number;
  ticks: { at: number; left: number }[];
}

export function opLabel(op: HistoryOpView): string {
  const verb = op.f === 'read' ? 'r' : op.f === 'write' ? 'w' : op.f;
  const input = op.f === 'read' ? '' : ` ${op.input}`;
  const output = op.output !== null && op.output !== '' ? ` → ${op.output}` : '';
  return `${verb} ${op.key}${input}${output}`;
}

export function layoutAnomaly(ops: readonly HistoryOpView[]): AnomalyLayout {
  if (ops.length === 0) return { lanes: [], startMs: 0, endMs: 0, ticks: [] };
  const startMs = extent(ops.map((o) => o.startMs))!.min;
  const lastEnd = extent(ops.map((o) => o.endMs ?? o.startMs))!.max;
  // Open operations need room to show they run on; 8% of the span past the last completion.
  const span = Math.max(1, lastEnd - startMs);
  const endMs = lastEnd + (ops.some((o) => o.endMs === null) ? span * 0.08 : 0) + span * 0.02;
  const total = endMs - startMs;
  const pct = (ms: number) => ((ms - startMs) / total) * 100;
  const processes = [...new Set(ops.map((o) => o.process))].sort((a, b) => a - b);
  const lanes = processes.map((process) => ({
    process,
    ops: ops
      .filter((o) => o.process === process)
      .sort((a, b) => a.startMs - b.startMs)
      .map((op) => {
        const left = pct(op.startMs);
        const right = op.endMs === null ? 100 : pct(op.endMs);
        return { op, left, width: Math.max(0.4, right - left), open: op.endMs === null, label: opLabel(op) };
      }),
  }));
  const step = niceStep(total / 5);
  const ticks: { at: number; left: number }[] = [];
  for (let at = Math.ceil(startMs / step) * step; at <= endMs; at += step) ticks.push({ at, left: pct(at) });
  return { lanes, startMs, endMs, ticks };
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}
