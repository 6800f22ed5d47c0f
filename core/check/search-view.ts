// What the search sees of one key's operations: a prefix of the history (cut after one event), with
// some operations relaxed to "unknown outcome". Both only remove constraints, which is what makes the
// minimal-prefix and relaxation arguments of minimize.ts sound.

import type { HistoryOp } from './history.js';
import type { KnownOutcome } from './register-model.js';
import type { SearchOp } from './search-op.js';

export interface SearchView {
  /** Events after this position have not happened yet: later invokes are left out and later
   *  completions are unknown. Infinity for the whole history. */
  cutAt: number;
  /** Ids of operations whose outcome is treated as unknown (as if they had timed out). */
  relaxed: ReadonlySet<number>;
}

export const WHOLE_HISTORY: SearchView = { cutAt: Infinity, relaxed: new Set() };

export function knownOutcome(op: HistoryOp, view: SearchView): KnownOutcome {
  const completed = op.completeAt !== null && op.completeAt <= view.cutAt;
  return !completed || op.outcome === 'info' || view.relaxed.has(op.id) ? 'unknown' : op.outcome;
}

/**
 * The operations the search must place, with the ones that constrain nothing left out: a failed
 * operation other than cas did not happen, and a read of unknown outcome neither changes the state
 * nor says anything about it. A failed cas stays: it happened and saw a different value.
 */
export function toSearchOps(ops: readonly HistoryOp[], view: SearchView): { search: SearchOp[]; sources: HistoryOp[] } {
  const search: SearchOp[] = [];
  const sources: HistoryOp[] = [];
  for (const op of ops) {
    if (op.invokeAt > view.cutAt) continue;
    const outcome = knownOutcome(op, view);
    if ((outcome === 'fail' && op.f !== 'cas') || (outcome === 'unknown' && op.f === 'read')) continue;
    search.push({
      f: op.f,
      input: op.input,
      outcome,
      output: op.output,
      callAt: op.invokeAt,
      returnAt: outcome === 'unknown' ? Infinity : op.completeAt!,
    });
    sources.push(op);
  }
  return { search, sources };
}
