// Shrinks a non-linearizable key history to a small set of operations that cannot be ordered, in
// the spirit of Porcupine's and Knossos's reports: the shortest failing prefix, then delta debugging.
//
// What the answer means: these operations cannot be ordered even if every other operation of the
// key had timed out instead, i.e. had taken effect at any point after its invoke, or not at all.
// Relaxing an operation that way (or cutting the history earlier) only removes constraints, so every
// step below keeps the history failing. Relaxed operations stay in the search: merely deleting them
// could make a set fail for a reason that is not in the history (a read of a value no remaining
// write wrote).
//
// 1. Shortest failing prefix: linearizability is prefix-closed, so search for the earliest
//    completion after which the history already fails: first where the whole search died, then
//    galloping back, then bisecting. That completion's operation is in the answer.
// 2. Delta debugging over the operations of known outcome at that cut (failed ones included): try to
//    relax chunks of them (halves, then quarters, ...), oldest first; a chunk whose relaxation still
//    fails stays relaxed.
// Every search runs under a step budget and the deadline; one that cannot conclude keeps its chunk,
// so running out of time only makes the answer larger, never wrong.

import type { HistoryOp } from './history.js';
import { searchLinearization, type SearchLimits } from './search.js';
import { knownOutcome, toSearchOps, type SearchView } from './search-view.js';

/** Steps any one search during minimization may take, at least, whatever the first search took. */
const MIN_STEPS_PER_SEARCH = 200_000;
/** A relaxed search may take this many times the steps of the last failing one before it is abandoned. */
const STEPS_GROWTH = 4;

/** `keyOps` must not be linearizable, as `verdict` (of the search of all of them) says. */
export function minimizeAnomaly(
  keyOps: readonly HistoryOp[],
  limits: Omit<SearchLimits, 'maxSteps'>,
  verdict: { steps: number; blockedAt: number },
): HistoryOp[] {
  const stepsTaken = verdict.steps;
  let budget = Math.max(MIN_STEPS_PER_SEARCH, STEPS_GROWTH * stepsTaken);
  const fails = (ops: readonly HistoryOp[], view: SearchView): boolean => {
    const verdict = searchLinearization(toSearchOps(ops, view).search, { ...limits, maxSteps: budget });
    if (verdict.kind === 'not-linearizable') budget = Math.max(MIN_STEPS_PER_SEARCH, STEPS_GROWTH * verdict.steps);
    return verdict.kind === 'not-linearizable';
  };
  const noneRelaxed = new Set<number>();

  // 1. Completions that constrain the search, in history order: all but info (a failed write is a
  //    constraint too: it did not happen, which an operation in progress still might).
  const cuts = keyOps.filter((op) => op.completeAt !== null && op.outcome !== 'info').sort((a, b) => a.completeAt! - b.completeAt!);
  // Invariant: the prefix cut after cuts[hi] fails (the whole history does), and none cut before
  // cuts[lo] was shown to. The search died where the cut usually is: try that first, then gallop back.
  let lo = 0;
  let hi = cuts.length - 1;
  let guess = cuts.length - 1;
  while (guess >= 0 && cuts[guess]!.completeAt! > verdict.blockedAt) guess--;
  if (guess >= 0 && guess < hi) {
    if (fails(keyOps, { cutAt: cuts[guess]!.completeAt!, relaxed: noneRelaxed })) {
      hi = guess;
      for (let back = 1; hi - back >= lo; back *= 2) {
        if (!fails(keyOps, { cutAt: cuts[hi - back]!.completeAt!, relaxed: noneRelaxed })) {
          lo = hi - back + 1;
          break;
        }
        hi -= back;
      }
    } else {
      lo = guess + 1;
    }
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fails(keyOps, { cutAt: cuts[mid]!.completeAt!, relaxed: noneRelaxed })) hi = mid;
    else lo = mid + 1;
  }
  const last = cuts[hi]!;
  const cutAt = last.completeAt!;

  // 2. Candidates: every operation of known outcome at the cut but the last one. Failed ones are
  //    included: relaxing a failed write lets it happen, and if that explains the history, the
  //    failure is part of the anomaly.
  const atCut: SearchView = { cutAt, relaxed: noneRelaxed };
  const prefixOps = keyOps.filter((op) => op.invokeAt <= cutAt);
  let candidates = prefixOps.filter((op) => op !== last && knownOutcome(op, atCut) !== 'unknown');
  const relaxed = new Set<number>();
  const inTime = () => limits.now() <= limits.deadline;
  let chunk = Math.ceil(candidates.length / 2);
  while (chunk >= 1 && inTime()) {
    let start = 0;
    while (start < candidates.length && inTime()) {
      const tried = candidates.slice(start, start + chunk).map((op) => op.id);
      if (fails(prefixOps, { cutAt, relaxed: new Set([...relaxed, ...tried]) })) {
        for (const id of tried) relaxed.add(id);
        candidates = candidates.filter((op) => !relaxed.has(op.id));
      } else {
        start += chunk;
      }
    }
    chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2);
  }
  return [...candidates, last].sort((a, b) => a.invokeAt - b.invokeAt);
}
