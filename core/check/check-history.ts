// Checks a key/value history for linearizability, one key at a time: linearizability is compositional
// (Herlihy & Wing's locality; Porcupine's P-compositionality), so a history is linearizable iff the
// history of every key is. Small keys first, so that a quick anomaly is not stuck behind a slow key.

import type { History, HistoryOp } from './history.js';
import { minimizeAnomaly } from './minimize.js';
import { searchLinearization, type UndecidedReason } from './search.js';
import { toSearchOps, WHOLE_HISTORY } from './search-view.js';

export interface CheckOptions {
  /** Milliseconds clock (the CLI passes Date.now). core/check has no clock of its own. */
  now: () => number;
  /** Give up (linearizable: null) after this long. Default: no limit. */
  timeoutMs?: number;
  /** Time spent shrinking an anomaly, within the time limit. Default 10 s. */
  minimizeMs?: number;
  /** Memory bound of one search's memo. Default 1 GiB. */
  maxCacheBytes?: number;
}

/** One operation of an anomaly, as a person reads it (cf. HistoryOpView in core/api). */
export interface AnomalyOp {
  process: number;
  f: HistoryOp['f'];
  key: string;
  /** JSON of what was asked: the written or appended value, cas's [expected, new]; "" for read/delete. */
  input: string;
  /** JSON of the value an ok read returned; null for other operations. */
  output: string | null;
  outcome: HistoryOp['outcome'];
  invokeLine: number;
  completeLine: number | null;
  /** Milliseconds since the history's first timed event; null when the history has no times. */
  startMs: number | null;
  endMs: number | null;
}

export interface CheckResult {
  /** null: undecided within the limits. */
  linearizable: boolean | null;
  ops: number;
  keys: number;
  ms: number;
  /** When not linearizable: the key; when undecided: the key that could not be decided. */
  key?: string;
  /** When not linearizable: a small set of that key's operations that cannot be ordered, in invoke order. */
  anomaly?: AnomalyOp[];
  /** When undecided: what ran out. */
  undecidedReason?: UndecidedReason;
}

const DEFAULT_MINIMIZE_MS = 10_000;
const DEFAULT_MAX_CACHE_BYTES = 1024 ** 3;

export function checkHistory(history: History, options: CheckOptions): CheckResult {
  const { now } = options;
  const started = now();
  const deadline = started + (options.timeoutMs ?? Infinity);
  const maxCacheBytes = options.maxCacheBytes ?? DEFAULT_MAX_CACHE_BYTES;
  const summary = () => ({ ops: history.ops.length, keys: history.keys.length, ms: now() - started });

  const byKey = new Map<string, HistoryOp[]>(history.keys.map((key) => [key, []]));
  for (const op of history.ops) byKey.get(op.key)!.push(op);
  const keys = [...history.keys].sort((a, b) => byKey.get(a)!.length - byKey.get(b)!.length);

  // An undecided key does not stop the others: one of them may still prove the history wrong.
  let undecided: { key: string; undecidedReason: UndecidedReason } | null = null;
  for (const key of keys) {
    const ops = byKey.get(key)!;
    const verdict = searchLinearization(toSearchOps(ops, WHOLE_HISTORY).search, { now, deadline, maxSteps: Infinity, maxCacheBytes });
    if (verdict.kind === 'undecided') undecided ??= { key, undecidedReason: verdict.reason };
    if (verdict.kind === 'not-linearizable') {
      const minimizeDeadline = Math.min(deadline, now() + (options.minimizeMs ?? DEFAULT_MINIMIZE_MS));
      const culprits = minimizeAnomaly(ops, { now, deadline: minimizeDeadline, maxCacheBytes }, verdict);
      const origin = firstTime(history);
      return { linearizable: false, ...summary(), key, anomaly: culprits.map((op) => anomalyOp(op, origin)) };
    }
  }
  return undecided ? { linearizable: null, ...summary(), ...undecided } : { linearizable: true, ...summary() };
}

function firstTime(history: History): number | null {
  for (const op of history.ops) if (op.invokeTime !== null) return op.invokeTime;
  return null;
}

const NS_PER_MS = 1e6;

/** What an operation did, as a person reads it: the part every view of an operation shares (the
 *  checker's anomalies here, the console's lanes in core/chaos). */
export function describeOp(op: HistoryOp): Pick<AnomalyOp, 'process' | 'f' | 'key' | 'input' | 'output' | 'outcome'> {
  return {
    process: op.process,
    f: op.f,
    key: op.key,
    input: op.input === null ? '' : JSON.stringify(op.input),
    output: op.f === 'read' && op.outcome === 'ok' ? JSON.stringify(op.output) : null,
    outcome: op.outcome,
  };
}

function anomalyOp(op: HistoryOp, origin: number | null): AnomalyOp {
  const sinceOrigin = (time: number | null) => (time === null || origin === null ? null : (time - origin) / NS_PER_MS);
  return {
    ...describeOp(op),
    invokeLine: op.invokeLine,
    completeLine: op.completeLine,
    startMs: sinceOrigin(op.invokeTime),
    endMs: sinceOrigin(op.completeTime),
  };
}
