// The linearizability check of an experiment's history, one key at a time (linearizability is
// compositional), yielding to the event loop between keys so that a console serving the run stays
// responsive. An undecided key means the check did not pass, and says so.

import type { ExperimentCheck, HistoryOpView } from '../api/experiments.js';
import { checkHistory, describeOp, type AnomalyOp, type History, type HistoryOp } from '../check/index.js';

export interface LinearizabilityVerdict {
  check: ExperimentCheck;
  anomaly: { key: string; ops: HistoryOpView[] } | null;
}

export const LINEARIZABLE = 'Linearizable';

/** An anomaly the checker could not shrink is cut to its last operations (nearest the one that fails it) for drawing. */
const MAX_DRAWN_OPS = 100;

export async function checkLinearizable(history: History, timeoutMs: number, now: () => number = Date.now): Promise<LinearizabilityVerdict> {
  const started = now();
  const deadline = started + timeoutMs;
  const byKey = new Map<string, HistoryOp[]>(history.keys.map((k) => [k, []]));
  for (const op of history.ops) byKey.get(op.key)!.push(op);
  // Small keys first, so that a quick anomaly is not stuck behind a slow key.
  const keys = [...history.keys].sort((a, b) => byKey.get(a)!.length - byKey.get(b)!.length);
  let undecided: { key: string; why: string } | null = null;
  for (const key of keys) {
    await new Promise((r) => setImmediate(r));
    const remaining = deadline - now();
    if (remaining <= 0) {
      undecided ??= { key, why: `within ${Math.round(timeoutMs / 1000)} s` };
      continue;
    }
    const result = checkHistory({ ops: byKey.get(key)!, keys: [key] }, { now, timeoutMs: remaining });
    if (result.linearizable === false) {
      const ops = (result.anomaly ?? []).map((a) => opView(findOp(history, a)));
      const shown = ops.slice(-MAX_DRAWN_OPS);
      const which = shown.length < ops.length ? ` (the checker could not shrink them further in time; the last ${shown.length} are shown)` : '';
      return {
        check: { name: LINEARIZABLE, ok: false, detail: `On key ${JSON.stringify(key)}, ${ops.length} operations cannot be put in any order consistent with what the clients saw${which}.` },
        anomaly: { key, ops: shown },
      };
    }
    if (result.linearizable === null) undecided ??= { key, why: result.undecidedReason === 'memory' ? 'within the memory limit' : `within ${Math.round(timeoutMs / 1000)} s` };
  }
  const seconds = ((now() - started) / 1000).toFixed(1);
  if (undecided !== null) {
    return {
      check: { name: LINEARIZABLE, ok: false, detail: `Undecided: key ${JSON.stringify(undecided.key)} could not be checked ${undecided.why}, so the check did not pass.` },
      anomaly: null,
    };
  }
  return {
    check: { name: LINEARIZABLE, ok: true, detail: `All ${history.ops.length} operations on ${history.keys.length} keys are linearizable (checked in ${seconds} s).` },
    anomaly: null,
  };
}

function findOp(history: History, anomaly: AnomalyOp): HistoryOp {
  return history.ops.find((op) => op.invokeLine === anomaly.invokeLine)!;
}

const NS_PER_MS = 1e6;

/** An operation as the console draws it; times are milliseconds since the clients started. */
export function opView(op: HistoryOp): HistoryOpView {
  const ms = (ns: number | null) => (ns === null ? null : Math.round((ns / NS_PER_MS) * 10) / 10);
  return {
    ...describeOp(op),
    startMs: ms(op.invokeTime) ?? 0,
    endMs: op.completeAt === null ? null : ms(op.completeTime),
  };
}
