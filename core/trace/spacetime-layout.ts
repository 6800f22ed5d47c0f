// The spacetime (Lamport) diagram of a time window: one horizontal lane per node, time to the right,
// an arrow per message from its send on the sender's lane to its arrival on the receiver's. Pure
// geometry, drawn by the console (Svelte) and serialised to SVG (spacetime-svg.ts) from the same
// layout, so the download is what the screen shows.

import type { LinkMessage } from '../api/messages.js';
import { roundStep, ticksBetween } from '../stats/axis-ticks.js';
import { isResponse, messageKind } from './message-colors.js';
import { arrivalTime } from './trace-messages.js';

export interface SpacetimeOptions {
  nodes: readonly string[];
  /** As the message stream paired them (one per message: latestById). */
  messages: readonly LinkMessage[];
  /** The window, epoch ms. */
  from: number;
  to: number;
  width: number;
  laneGap?: number;
  /** What the tick labels count from (the run's start); default: the window's start. */
  origin?: number;
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
  message: LinkMessage;
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

function describe(m: LinkMessage): string {
  const parts = [`${m.type} ${m.from}→${m.to}`, `term ${m.term}`];
  if (m.index || m.logTerm) parts.push(`index ${m.index}`, `log term ${m.logTerm}`);
  if (m.entries) parts.push(`${m.entries} entries`);
  if (m.commit) parts.push(`commit ${m.commit}`);
  if (m.reject) parts.push(`rejected (hint ${m.hint})`);
  if (m.dropped) parts.push(`dropped ${m.dropped.direction === 'out' ? 'at the sender' : 'on arrival'} (${m.dropped.reason})`);
  else if (m.receivedAt === null) parts.push('not received');
  if (m.sentAt !== null && m.receivedAt !== null) parts.push(`${(m.receivedAt - m.sentAt).toFixed(2)} ms in flight`);
  return parts.join(', ');
}

/** A tick every 1, 2 or 5 × 10^k ms (at least a microsecond), about every 100 px. */
function tickStep(spanMs: number, widthPx: number): number {
  return roundStep(Math.max((spanMs * 100) / Math.max(1, widthPx), 1e-3));
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
  for (const m of options.messages) {
    const y1 = laneY.get(m.from);
    const y2 = laneY.get(m.to);
    if (y1 === undefined || y2 === undefined) continue;
    // Sent before it was dropped at the sender: the drop is its send.
    const sentAt = m.sentAt ?? (m.dropped?.direction === 'out' ? m.dropped.at : null);
    const arrivedAt = arrivalTime(m);
    if (sentAt === null && arrivedAt === null) continue;
    const start = sentAt ?? arrivedAt!;
    const end = arrivedAt ?? sentAt!;
    if (end < from || start > to) continue;
    const kind = messageKind(m.type);
    const lost = m.dropped !== null || m.receivedAt === null;
    // A receive whose send was not seen starts a stub before it.
    const x1 = sentAt === null ? x(arrivedAt!) - STUB : x(sentAt);
    // A message that never arrived ends a third of the way to the receiver's lane.
    const x2 = arrivedAt === null ? x1 + STUB : Math.max(x(arrivedAt), x1);
    const endY = arrivedAt === null ? y1 + (y2 - y1) / 3 : y2;
    arrows.push({ x1, y1, x2, y2: endY, color: kind.color, dashed: isResponse(m.type), lost, title: describe(m), message: m });
  }
  const origin = options.origin ?? from;
  // Ticks fall on round offsets from the origin.
  const step = tickStep(to - from, right - LEFT);
  const ticks = ticksBetween(from, to, step, origin).map((t) => ({ x: x(t), label: `+${((t - origin) / 1000).toFixed(step < 10 ? 3 : step < 100 ? 2 : 1)} s` }));
  return { width: options.width, height: TOP + Math.max(0, nodes.length - 1) * laneGap + 28, left: LEFT, right, lanes, arrows, ticks, from, to };
}
