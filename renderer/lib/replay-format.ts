// Words and numbers for the replay: a run's line in the list, a moment's offset and clock time,
// and what the arrow keys do on the replay's slider.

import type { RunSummary, TraceClientOp } from '../../core/api/traces.js';

const clock = (at: number): string => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const day = (at: number): string => new Date(at).toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' });

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "+12.345 s" from the start of the run. */
export function formatOffset(at: number, startAt: number): string {
  return `+${((at - startAt) / 1000).toFixed(3)} s`;
}

/** The moment as the replay bar names it: clock time with milliseconds, and the offset. */
export function formatMoment(at: number, startAt: number): string {
  return `${clock(at)}.${String(Math.floor(at % 1000)).padStart(3, '0')} (${formatOffset(at, startAt)})`;
}

export interface RunLine {
  title: string;
  detail: string;
  /** Notes shown beside it: recording, pruned, experiments. */
  notes: string[];
}

export function describeRun(run: RunSummary): RunLine {
  const notes: string[] = [];
  if (run.recording) notes.push('recording now');
  if (run.pruned) notes.push('oldest part pruned');
  if (run.experiments.length > 0) notes.push(run.experiments.length === 1 ? '1 experiment' : `${run.experiments.length} experiments`);
  return {
    title: `${run.cluster} — ${day(run.startedAt)} ${clock(run.startedAt)}`,
    detail: `${run.nodes.length} ${run.nodes.length === 1 ? 'node' : 'nodes'} · ${formatDuration(run.endedAt - run.startedAt)} · ${formatBytes(run.bytes)}`,
    notes,
  };
}

export type ReplayMove = 'previous-change' | 'next-change' | 'back-second' | 'forward-second' | 'start' | 'end';

/** What a key on the replay's slider does: arrows step from change to change (Shift: one second), Home/End jump. */
export function replayMoveFor(key: string, shiftKey: boolean): ReplayMove | null {
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return shiftKey ? 'back-second' : 'previous-change';
    case 'ArrowRight':
    case 'ArrowUp':
      return shiftKey ? 'forward-second' : 'next-change';
    case 'Home':
      return 'start';
    case 'End':
      return 'end';
    default:
      return null;
  }
}

/** The spacetime diagram's window around a moment, kept inside the run. */
export function windowAround(at: number, spanMs: number, startAt: number, endAt: number): { from: number; to: number } {
  const span = Math.max(1, Math.min(spanMs, Math.max(1, endAt - startAt)));
  let from = at - span / 2;
  from = Math.max(startAt, Math.min(from, endAt - span));
  return { from, to: from + span };
}

/** "12 ok · 1 failed · 2 unknown" for the client operations of a window (experiments' clients). */
export function summariseOps(ops: readonly TraceClientOp[]): string {
  const counts = { ok: 0, fail: 0, info: 0, pending: 0 };
  for (const op of ops) counts[op.outcome]++;
  const parts = [`${counts.ok} ok`];
  if (counts.fail) parts.push(`${counts.fail} failed`);
  if (counts.info) parts.push(`${counts.info} with unknown outcome`);
  if (counts.pending) parts.push(`${counts.pending} never answered`);
  return `${ops.length} client ${ops.length === 1 ? 'operation' : 'operations'}: ${parts.join(' · ')}`;
}

/** One operation as a line: "client 3 write x 4 → ok in 12.3 ms". */
export function opLine(op: TraceClientOp): string {
  const took = op.endAt === null ? 'no answer' : `${op.outcome === 'info' ? 'unknown outcome' : op.outcome} in ${(op.endAt - op.startAt).toFixed(1)} ms`;
  return `client ${op.process} ${op.f} ${op.key}${op.value ? ` ${op.value}` : ''} → ${took}`;
}
