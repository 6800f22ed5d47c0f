// The clocks that explain an election, as the cards show them: how long until a follower's
// election timeout fires, and the leader's heartbeat period. Nodes report their clocks in ticks with
// the tick's length (stretched in slow motion) a few times a second; between reports the page counts
// on from the snapshot's time.

import type { NodeStatus } from '../../core/api/index.js';

export interface ElectionCountdown {
  /** Milliseconds until it campaigns, if it hears nothing from a leader meanwhile. */
  leftMs: number;
  /** How much of its timeout has run out, 0…1. */
  fraction: number;
}

/** A voter that is not leading and runs: when will its election timeout fire? Null otherwise. */
export function electionCountdown(node: NodeStatus, stateAt: number, now: number): ElectionCountdown | null {
  const t = node.timers;
  if (!t || node.state !== 'running' || node.role === null || node.role === 'leader' || node.member === 'learner' || t.electionTimeout <= 0) return null;
  const elapsedTicks = t.electionElapsed + Math.max(0, now - stateAt) / t.tickMs;
  const fraction = Math.min(1, elapsedTicks / t.electionTimeout);
  return { leftMs: Math.max(0, (t.electionTimeout - elapsedTicks) * t.tickMs), fraction };
}

/** The leader's heartbeat period in ms (what its pulse beats at), or null. */
export function heartbeatPeriodMs(node: NodeStatus): number | null {
  const t = node.timers;
  if (!t || node.state !== 'running' || node.role !== 'leader') return null;
  return t.heartbeatInterval * t.tickMs;
}

/** "1.2 s", "350 ms". */
export function formatCountdown(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
