// The spacetime (Lamport) diagram of a time window: one horizontal lane per node, time to the right,
// an arrow per message from its send on the sender's lane to its arrival on the receiver's. Pure
// geometry, drawn by the console (Svelte) and serialised to SVG (spacetime-svg.ts) from the same
// layout, so the download is what the screen shows.

import { isResponse, messageKind } from './message-colors.js';
import type { MessageArrow } from './message-pairs.js';

export interface SpacetimeOptions {
  nodes: readonly string[];
  arrows: readonly MessageArrow[];
  /** The window, epoch ms. */
  from: number;
  to: number;
  width: number;
  laneGap?: number;
}

export interface LaidArrow {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  dashed: boolean;
  /** Never arrived: lost or dropped (drawn ending in a cross). */
  lost: boolean;
  title: string;
  arrow: MessageArrow;
}

export interface SpacetimeLayout {
  width: number;
  height: number;
  /** Where lanes start (left of it: the node names). */
  left: number;
  right: number;
  lanes: { node: string; y: number }[];
  arrows: LaidArrow[];
  ticks: { x: number; label: string }[];
  from: number;
  to: number;
}

const LEFT = 56;
const RIGHT_PAD = 16;
const TOP = 28;
/** How far right a message that never arrived is drawn, as a stub, in px. */
const STUB = 14;

function describe(a: MessageArrow): string {
  const r = a.record;
  const parts = [`${a.type} ${a.from}→${a.to}`, `term ${r.term}`];
  if (r.index || r.logTerm) parts.push(`index ${r.index}`, `log term ${r.logTerm}`);
  if (r.entries) parts.push(`${r.entries} entries`);
  if (r.commit) parts.push(`commit ${r.commit}`);
  if (r.reject) parts.push(`rejected (hint ${r.hint})`);
  if (a.dropped) parts.push(`dropped${r.reason ? ` (${r.reason})` : ''}`);
  else if (a.arrivedAt === null) parts.push('not received');
  return parts.join(', ');
}

/** A tick every 1, 2 or 5 × 10^k ms, about every 100 px. */
function tickStep(spanMs: number, widthPx: number): number {
  const rough = (spanMs * 100) / Math.max(1, widthPx);
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-3)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
}

export function spacetimeLayout(options: SpacetimeOptions): SpacetimeLayout {
  const { nodes, from, to } = options;
  if (!(to > from)) throw new RangeError(`The window must end after it starts (from ${from}, to ${to}).`);
  const laneGap = options.laneGap ?? 56;
  const right = options.width - RIGHT_PAD;
  const x = (t: number) => LEFT + ((t - from) / (to - from)) * (right - LEFT);
  const lanes = nodes.map((node, i) => ({ node, y: TOP + i * laneGap }));
  const laneY = new Map(lanes.map((l) => [l.node, l.y]));
  const arrows: LaidArrow[] = [];
  for (const a of options.arrows) {
    const y1 = laneY.get(a.from);
    const y2 = laneY.get(a.to);
    if (y1 === undefined || y2 === undefined) continue;
    const start = a.sentAt ?? a.arrivedAt!;
    const end = a.arrivedAt ?? a.sentAt!;
    if (end < from || start > to) continue;
    const kind = messageKind(a.type);
    const lost = a.dropped || a.arrivedAt === null;
    const x1 = a.sentAt === null ? x(a.arrivedAt!) - STUB : x(a.sentAt);
    // A message that never arrived ends a third of the way to the receiver's lane.
    const x2 = a.arrivedAt === null ? x1 + STUB : Math.max(x(a.arrivedAt), x1);
    const endY = a.arrivedAt === null ? y1 + (y2 - y1) / 3 : y2;
    arrows.push({ x1, y1, x2, y2: endY, color: kind.color, dashed: isResponse(a.type), lost, title: describe(a), arrow: a });
  }
  const step = tickStep(to - from, right - LEFT);
  const ticks: { x: number; label: string }[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    ticks.push({ x: x(t), label: `+${((t - from) / 1000).toFixed(step < 10 ? 3 : step < 1000 ? 2 : 1)} s` });
  }
  return { width: options.width, height: TOP + Math.max(0, nodes.length - 1) * laneGap + 28, left: LEFT, right, lanes, arrows, ticks, from, to };
}
