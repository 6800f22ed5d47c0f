// The linearizability search for one key: Wing & Gong's algorithm with Lowe's memoisation — the
// "just-in-time linearization" of Porcupine and Knossos — explored level by level, as Knossos's
// `linear` checker does: level L holds every configuration with L operations of known outcome
// linearized. A configuration is (K, U, state): the linearized known and unknown operations and the
// register state. The history is linearizable iff some configuration linearizes every known one.
//
// Real time: an operation may be linearized next iff its call precedes the first return, among the
// known operations, that is not linearized yet (otherwise an operation that returned before it was
// called would come after it). Operations of unknown outcome (info, never completed, relaxed) return
// "at infinity": they never hold anything back, and whatever is left of them can be linearized last,
// which stands for "never took effect".
//
// Memo and dominance: each level keeps only configurations no other dominates; (K, U, s) dominates
// (K, U', s) when U ⊆ U', since the unknown operations it has left can go wherever the other's went,
// or last. Exploring a level completely before the next is what lets dominance prune before any work
// is spent below a dominated configuration.
//
// Pruning rules, each skipping only paths for which an explored path is at least as good:
// - a blind operation (the state after does not depend on the state before: write, delete, an
//   append that always yields junk) never follows an unknown one: that one would be overwritten unseen;
// - right after an unknown operation u, a known operation that leaves the state as it is (read, failed
//   cas) and would also succeed in the state before u is skipped: "it, then u" is the same thing;
// - an unknown operation that does not change the state is skipped (it can as well go last);
// - by the rules above, what follows an unknown operation must use the state it leaves: a known read
//   or cas it unblocks, a known failed cas it lets pass, a known append, or an unknown append or cas
//   building on it; an unknown operation whose state nothing here can use is skipped;
// - unknown operations with the same effect on every state are interchangeable once they may be
//   placed (an unknown operation stays placeable forever): of each effect, only the first is tried;
// - junk values fold into one state (observed-values.ts).
// Ordered by (known operations left, fewest unknown operations needed to finish), every viable
// configuration that is skipped has a smaller viable one that is explored, so no linearization is missed.

import { KeyModel } from './key-model.js';
import { ConfigSet, type Config } from './config-set.js';
import type { SearchState } from './observed-values.js';
import type { SearchOp } from './search-op.js';

export interface SearchLimits {
  now: () => number;
  /** Give up when now() passes this. */
  deadline: number;
  /** Give up after this many steps (Infinity for no bound). */
  maxSteps: number;
  /** Give up when the configurations held would outgrow this. */
  maxCacheBytes: number;
}

export type UndecidedReason = 'time' | 'steps' | 'memory';

export type SearchVerdict =
  | { kind: 'linearizable'; steps: number }
  /** blockedAt: the latest return position that held back a configuration of the last level, where
   *  the search died: a good first guess for where the shortest failing prefix ends. */
  | { kind: 'not-linearizable'; steps: number; blockedAt: number }
  | { kind: 'undecided'; reason: UndecidedReason; steps: number };

/** now() is consulted once per this many steps: often enough to stop promptly, rarely enough to cost nothing. */
const STEPS_PER_CLOCK_CHECK = 4096;

export function searchLinearization(ops: readonly SearchOp[], limits: SearchLimits): SearchVerdict {
  const model = new KeyModel(ops);
  const knownWords = Math.max(1, Math.ceil(model.knownCount / 32));
  const unknownWords = Math.max(1, Math.ceil(model.unknownCount / 32));
  const configBytes = (knownWords + unknownWords) * 4 + 64;
  const stateIds = new Map<SearchState, number>();
  const stateId = (state: SearchState): number => {
    let id = stateIds.get(state);
    if (id === undefined) stateIds.set(state, (id = stateIds.size));
    return id;
  };
  let steps = 0;
  /** Counts a step; returns why to give up, if it is time to. */
  const exhausted = (): UndecidedReason | null => {
    if (++steps > limits.maxSteps) return 'steps';
    if (steps % STEPS_PER_CLOCK_CHECK === 0 && limits.now() > limits.deadline) return 'time';
    return null;
  };

  if (model.knownCount === 0) return { kind: 'linearizable', steps };
  let level: Config[] = [
    { known: new Uint32Array(knownWords), unknown: new Uint32Array(unknownWords), state: null, beforeUnknown: undefined, callFloor: 0, returnFloor: 0 },
  ];

  for (let depth = 0; ; depth++) {
    const next = new ConfigSet(stateId);
    const sameLevel = new ConfigSet(stateId);
    for (const config of level) sameLevel.add(config);
    const work = [...level];
    let blockedAt = 0;
    while (work.length > 0) {
      const config = work.pop()!;
      if (config.superseded) continue;
      const { known, unknown, state, beforeUnknown } = config;
      const afterUnknown = beforeUnknown !== undefined;

      // The first known return not yet linearized bounds the candidates.
      let returnFloor = config.returnFloor;
      while (model.has(known, model.knownByReturn[returnFloor]!)) returnFloor++;
      const frontier = ops[model.knownByReturn[returnFloor]!]!.returnAt;
      blockedAt = Math.max(blockedAt, frontier);
      let callFloor = config.callFloor;
      while (callFloor < model.knownCount && model.has(known, model.knownByCall[callFloor]!)) callFloor++;

      // What an unknown operation placed here could be good for: the states that would unblock a
      // known candidate, or, if some change of state at all may help, `anyChange`.
      const needed = new Set<SearchState>();
      let anyChange = false;

      for (let c = callFloor; c < model.knownCount && ops[model.knownByCall[c]!]!.callAt < frontier; c++) {
        const i = model.knownByCall[c]!;
        const reason = exhausted();
        if (reason) return { kind: 'undecided', reason, steps };
        if (model.has(known, i)) continue;
        const after = model.step(state, i, known);
        if (after === undefined) noteBlocked(model, i, needed);
        if (model.unblockedByAnyChange(i, after)) anyChange = true;
        if (after === undefined) continue;
        if (afterUnknown && (model.blind[i] || (model.keepsState[i] && model.step(beforeUnknown, i, known) !== undefined))) continue;
        if (depth + 1 === model.knownCount) return { kind: 'linearizable', steps };
        const childKnown = known.slice();
        const s = model.slot[i]!;
        childKnown[s >>> 5]! |= 1 << (s & 31);
        // `after` stays folded right for the child's K: linearizing i can only fold i's own expected
        // value (if i is a failed cas), which `after` is not.
        next.add({ known: childKnown, unknown, state: after, beforeUnknown: undefined, callFloor, returnFloor });
      }

      // Unknown candidates, one per effect; then only those whose state something can use next.
      const tried = new Set<number>();
      const candidates: { i: number; after: SearchState }[] = [];
      const consider = (i: number): void => {
        if (afterUnknown && model.blind[i]) return;
        const effect = model.effectOf(i, known);
        if (tried.has(effect)) return;
        tried.add(effect);
        const after = model.step(state, i, known);
        if (after !== undefined && after !== state) candidates.push({ i, after });
      };
      for (const group of [model.unknownAlwaysJunk, model.unknownDeletes]) {
        const i = group.find((i) => !model.has(unknown, i));
        if (i !== undefined && ops[i]!.callAt < frontier) consider(i);
      }
      for (let u = 0; u < model.unknownOthers.length && ops[model.unknownOthers[u]!]!.callAt < frontier; u++) {
        const i = model.unknownOthers[u]!;
        const reason = exhausted();
        if (reason) return { kind: 'undecided', reason, steps };
        if (model.has(unknown, i)) continue;
        // A later unknown append or cas may build on whatever state this one leaves.
        if (model.ops[i]!.f === 'append' && !model.blind[i]) anyChange = true;
        if (model.ops[i]!.f === 'cas') needed.add(model.casExpected(i));
        consider(i);
      }
      for (const { i, after } of candidates) {
        if (!anyChange && !needed.has(after)) continue;
        const childUnknown = unknown.slice();
        const s = model.slot[i]!;
        childUnknown[s >>> 5]! |= 1 << (s & 31);
        const child: Config = { known, unknown: childUnknown, state: after, beforeUnknown: state, callFloor, returnFloor };
        if (sameLevel.add(child)) work.push(child);
      }
      if ((next.size + sameLevel.size) * configBytes > limits.maxCacheBytes) return { kind: 'undecided', reason: 'memory', steps };
    }
    if (next.size === 0) return { kind: 'not-linearizable', steps, blockedAt };
    level = next.values();
  }
}

/** Records what state would let the blocked known candidate i succeed. */
function noteBlocked(model: KeyModel, i: number, needed: Set<SearchState>): void {
  const op = model.ops[i]!;
  if (op.f === 'read') needed.add(op.output);
  else if (op.f === 'cas' && op.outcome === 'ok') needed.add(model.casExpected(i));
}
