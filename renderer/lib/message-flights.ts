// Where each message is on its link at a moment of the page's clock: the live view's geometry and
// pacing, without the DOM. Messages are placed at the time the sender sent them (shifted onto the
// page's clock), and fly for at least MIN_FLIGHT_MS so that the eye can follow one even though the
// real trip takes a fraction of a millisecond. A link busier than HEAVY_PER_SEC is summarised
// (counts per type) instead of drawn message by message.

import type { LinkMessage } from '../../core/api/index.js';
import { messageKind, type MessageKind } from './message-marks.js';
import type { Point } from './ring-layout.js';

export const MIN_FLIGHT_MS = 700;
/** How long a message that ended (arrived, dropped, or never arrived) stays before it is gone. */
export const LINGER_MS = 250;
/** Messages a link may carry per second and still be drawn one by one. */
export const HEAVY_PER_SEC = 12;
/** Later than this and a message is shown at once rather than shifting every later one. */
const MAX_CATCH_UP_MS = 1000;

/**
 * Maps the nodes' clock onto the page's: node time t is shown at t + offset. The offset only grows
 * (to fit a batch that came late), so messages are shown in the order they were sent.
 */
export class FlightClock {
  private offset: number | null = null;

  constructor(private readonly leadMs = 150) {}

  /** The page time to start showing a message sent at node time `t`, given the page's `now`. */
  place(t: number, now: number): number {
    if (this.offset === null) this.offset = now - t + this.leadMs;
    const start = t + this.offset;
    if (start >= now) return start;
    if (now - start <= MAX_CATCH_UP_MS) {
      this.offset += now - start;
      return now;
    }
    return now;
  }

  reset(): void {
    this.offset = null;
  }
}

/** How a message's flight ends. */
export type FlightEnd = 'arrives' | 'dropped-out' | 'dropped-in' | 'unknown';

export function flightEnd(m: LinkMessage): FlightEnd {
  if (m.dropped) return m.dropped.direction === 'out' ? 'dropped-out' : 'dropped-in';
  return m.receivedAt !== null ? 'arrives' : 'unknown';
}

/** How far along its link a message ends: the receiver, or where it is shown to fail. */
const END_AT: Record<FlightEnd, number> = { arrives: 1, 'dropped-out': 0.3, 'dropped-in': 0.9, unknown: 0.5 };

/** The flight time on the page: the real trip (a delay fault shows), but never shorter than MIN_FLIGHT_MS. */
export function flightDuration(m: LinkMessage, minMs = MIN_FLIGHT_MS): number {
  const trip = m.sentAt !== null && m.receivedAt !== null ? m.receivedAt - m.sentAt : 0;
  return Math.max(minMs, trip);
}

export interface Flight {
  message: LinkMessage;
  kind: MessageKind;
  end: FlightEnd;
  /** 0 at the sender … 1 at the receiver. */
  progress: number;
  /** 1 while flying, fading to 0 over LINGER_MS once its flight is over. */
  opacity: number;
  /** The flight is over (it stays where it ended while it lingers). */
  done: boolean;
}

/** The message's state at page time `now`, given when it started; null before it starts or once gone. */
export function flightAt(message: LinkMessage, start: number, now: number, options: { minMs?: number; hold?: boolean } = {}): Flight | null {
  const duration = flightDuration(message, options.minMs);
  const end = flightEnd(message);
  const t = now - start;
  if (t < 0) return null;
  const stop = END_AT[end];
  if (t <= duration) return { message, kind: messageKind(message), end, progress: (t / duration) * stop, opacity: 1, done: false };
  if (options.hold) return { message, kind: messageKind(message), end, progress: stop, opacity: 1, done: true };
  const fade = 1 - (t - duration) / LINGER_MS;
  if (fade <= 0) return null;
  return { message, kind: messageKind(message), end, progress: stop, opacity: fade, done: true };
}

/** The point `progress` of the way along a→b. */
export function along(a: Point, b: Point, progress: number): Point {
  return { x: a.x + (b.x - a.x) * progress, y: a.y + (b.y - a.y) * progress };
}

/**
 * The part of the segment between two card centres that is not under either card (cards are
 * w×h, centred on a and b): messages fly from one card's edge to the other's.
 */
export function visibleSegment(a: Point, b: Point, halfW: number, halfH: number): { a: Point; b: Point } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const exit = Math.min(dx === 0 ? Infinity : halfW / Math.abs(dx), dy === 0 ? Infinity : halfH / Math.abs(dy));
  const t = Math.min(0.45, exit);
  return { a: along(a, b, t), b: along(a, b, 1 - t) };
}

export interface LinkSummary {
  from: string;
  to: string;
  perSec: number;
  /** Per message type, busiest first: "App 40/s". */
  byType: { type: string; perSec: number }[];
}

/** Per directed link, what was sent in the last second of page time (from the placed starts). */
export function linkRates(placed: readonly { message: LinkMessage; start: number }[], now: number, windowMs = 1000): Map<string, LinkSummary> {
  const out = new Map<string, LinkSummary & { counts: Map<string, number> }>();
  for (const { message: m, start } of placed) {
    if (start > now || now - start > windowMs) continue;
    const key = `${m.from}→${m.to}`;
    let s = out.get(key);
    if (!s) {
      s = { from: m.from, to: m.to, perSec: 0, byType: [], counts: new Map() };
      out.set(key, s);
    }
    s.perSec += 1000 / windowMs;
    s.counts.set(m.type, (s.counts.get(m.type) ?? 0) + 1000 / windowMs);
  }
  const result = new Map<string, LinkSummary>();
  for (const [key, s] of out) {
    const byType = [...s.counts].map(([type, perSec]) => ({ type, perSec })).sort((x, y) => y.perSec - x.perSec || x.type.localeCompare(y.type));
    result.set(key, { from: s.from, to: s.to, perSec: s.perSec, byType });
  }
  return result;
}

/** Links too busy to draw message by message. */
export function heavyLinks(rates: ReadonlyMap<string, LinkSummary>, limit = HEAVY_PER_SEC): Set<string> {
  return new Set([...rates].filter(([, s]) => s.perSec > limit).map(([key]) => key));
}

/** "App 40/s · AppResp 40/s" (the two busiest types). */
export function describeRate(s: LinkSummary): string {
  return s.byType
    .slice(0, 2)
    .map((t) => `${t.type} ${Math.round(t.perSec)}/s`)
    .join(' · ');
}
