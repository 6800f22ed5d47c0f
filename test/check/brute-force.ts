// A deliberately naive reference checker for small histories: tries every order of every subset of
// the unknown-outcome operations, over all keys at once (one map as the state, no per-key split), with
// its own model and none of the checker's pruning. It only remembers dead ends (operations done +
// state), which keeps a dozen operations affordable.

import type { CasValue, HistoryOp, HistoryValue } from '../../core/check/index.js';

type State = ReadonlyMap<string, HistoryValue>;

/** The state after op, or null if op's recorded result is impossible in `state`. */
function step(state: State, op: HistoryOp): State | null {
  const current = state.has(op.key) ? state.get(op.key)! : null;
  const next = new Map(state);
  const known = op.outcome !== 'info';
  switch (op.f) {
    case 'read':
      return !known || current === op.output ? state : null;
    case 'write':
      next.set(op.key, op.input as HistoryValue);
      return next;
    case 'delete':
      next.delete(op.key);
      return next;
    case 'append':
      next.set(op.key, `${current ?? ''}${op.input as HistoryValue}`);
      return next;
    case 'cas': {
      const [expected, value] = op.input as CasValue;
      if (current === expected) {
        if (op.outcome === 'fail') return null;
        next.set(op.key, value);
        return next;
      }
      return op.outcome === 'ok' ? null : state;
    }
  }
}

export function bruteForceLinearizable(ops: readonly HistoryOp[]): boolean {
  // A failed non-cas operation did not happen; everything else may (info) or must (ok, failed cas).
  const candidates = ops.filter((op) => op.outcome !== 'fail' || op.f === 'cas');
  const mustHappen = (op: HistoryOp) => op.outcome !== 'info';
  const deadEnds = new Set<string>();
  const search = (done: ReadonlySet<HistoryOp>, state: State): boolean => {
    if (candidates.every((op) => done.has(op) || !mustHappen(op))) return true;
    const memoKey = `${[...done].map((op) => op.id).sort((a, b) => a - b)}|${JSON.stringify([...state].sort())}`;
    if (deadEnds.has(memoKey)) return false;
    for (const op of candidates) {
      if (done.has(op)) continue;
      // Real time: op may go next only if every operation that completed before op's invoke is done.
      const blocked = candidates.some((other) => !done.has(other) && mustHappen(other) && other !== op && other.completeAt! < op.invokeAt);
      if (blocked) continue;
      const after = step(state, op);
      if (after && search(new Set([...done, op]), after)) return true;
    }
    deadEnds.add(memoKey);
    return false;
  };
  return search(new Set(), new Map());
}
