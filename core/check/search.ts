// The linearizability search for one key: Wing & Gong's algorithm with Lowe's memoisation (the
// "just-in-time linearization" that Porcupine and Knossos use), plus two prunings for operations of
// unknown outcome.
//
// Calls and returns form one doubly linked list in real-time order. An operation may be linearized
// next iff its call comes before the first return still in the list (otherwise some operation that
// returned before it was called is not linearized yet). Linearizing lifts its call and return out of
// the list; a dead end pops the last choice and tries the next candidate.
//
// Operations of unknown outcome return "at infinity" (after every known return), so they never
// constrain which operation may go next, and whatever is left of them can always be linearized last,
// which stands for "never took effect". Hence:
// - the search succeeds as soon as every operation of known outcome is linearized;
// - candidates of known outcome are tried first, unknown ones only when those are exhausted;
// - a configuration dominated by one already seen is skipped (linearization-cache.ts);
// - a blind operation (write, delete: the state after does not depend on the state before) is never
//   placed right after an unknown one: that unknown one would be overwritten unseen, and the same
//   path without it, which the search explores from the parent configuration, dominates it.

import { LinearizationCache } from './linearization-cache.js';
import { stepRegister, type ModelOp, type RegisterState } from './register-model.js';

export interface SearchOp extends ModelOp {
  /** Event positions; returnAt is Infinity exactly when outcome is 'unknown'. */
  callAt: number;
  returnAt: number;
}

export interface SearchLimits {
  now: () => number;
  /** Give up when now() passes this. */
  deadline: number;
  /** Give up after this many steps (Infinity for no bound). */
  maxSteps: number;
  /** Give up when the memo would outgrow this. */
  maxCacheBytes: number;
}

export type UndecidedReason = 'time' | 'steps' | 'memory';

export type SearchVerdict =
  | { kind: 'linearizable'; steps: number }
  | { kind: 'not-linearizable'; steps: number }
  | { kind: 'undecided'; reason: UndecidedReason; steps: number };

/** now() is consulted once per this many steps: often enough to stop promptly, rarely enough to cost nothing. */
const STEPS_PER_CLOCK_CHECK = 4096;
const NIL = -1;
const HEAD = 0;

export function searchLinearization(ops: readonly SearchOp[], limits: SearchLimits): SearchVerdict {
  const m = ops.length;
  // Node 0 is the head sentinel; operation i has call node 2i + 1 and return node 2i + 2.
  const next = new Int32Array(2 * m + 1);
  const prev = new Int32Array(2 * m + 1);
  linkInRealTimeOrder(ops, next, prev);

  // Known and unknown operations are numbered separately: slot[i] is i's bit in its own bitset.
  const unknown = ops.map((op) => op.outcome === 'unknown');
  const blind = ops.map((op) => op.f === 'write' || op.f === 'delete');
  const slot = new Int32Array(m);
  let knownCount = 0;
  let unknownCount = 0;
  for (let i = 0; i < m; i++) slot[i] = unknown[i] ? unknownCount++ : knownCount++;
  const knownSet = new Uint32Array(Math.max(1, Math.ceil(knownCount / 32)));
  const unknownSet = new Uint32Array(Math.max(1, Math.ceil(unknownCount / 32)));
  const zobrist = zobristKeys(knownCount);
  let knownHash = 0;
  let remainingKnown = knownCount;
  const cache = new LinearizationCache(knownSet.length, unknownSet.length, limits.maxCacheBytes);
  const stateIds = new Map<RegisterState, number>();
  const stateId = (state: RegisterState): number => {
    let id = stateIds.get(state);
    if (id === undefined) stateIds.set(state, (id = stateIds.size));
    return id;
  };
  const toggle = (i: number): void => {
    const set = unknown[i] ? unknownSet : knownSet;
    set[slot[i]! >>> 5]! ^= 1 << (slot[i]! & 31);
    if (!unknown[i]) knownHash ^= zobrist[slot[i]!]!;
  };

  // The choices made so far: the call node lifted, the state before it, and the pass it was found in.
  const stackNode: number[] = [];
  const stackState: RegisterState[] = [];
  const stackPass: number[] = [];
  const lastPlacedUnknown = (): boolean => {
    const top = stackNode.at(-1);
    return top !== undefined && unknown[(top - 1) >> 1]!;
  };

  const lift = (call: number): void => {
    const ret = call + 1;
    next[prev[call]!] = next[call]!;
    prev[next[call]!] = prev[call]!;
    next[prev[ret]!] = next[ret]!;
    if (next[ret] !== NIL) prev[next[ret]!] = prev[ret]!;
  };
  // Undoes lift in reverse order; the lifted nodes kept their own links (dancing links).
  const unlift = (call: number): void => {
    const ret = call + 1;
    if (next[ret] !== NIL) prev[next[ret]!] = ret;
    next[prev[ret]!] = ret;
    prev[next[call]!] = call;
    next[prev[call]!] = call;
  };

  let state: RegisterState = null;
  let node = next[HEAD]!;
  // Pass 0 tries candidates of known outcome, pass 1 those of unknown outcome.
  let pass = 0;
  let steps = 0;

  for (;;) {
    if (remainingKnown === 0) return { kind: 'linearizable', steps };
    if (++steps > limits.maxSteps) return { kind: 'undecided', reason: 'steps', steps };
    if (steps % STEPS_PER_CLOCK_CHECK === 0 && limits.now() > limits.deadline) return { kind: 'undecided', reason: 'time', steps };

    if (node % 2 === 1) {
      // A call: try to linearize its operation now.
      const i = (node - 1) >> 1;
      const after: RegisterState | undefined =
        unknown[i] === (pass === 1) && !(blind[i] && lastPlacedUnknown()) ? stepRegister(state, ops[i]!) : undefined;
      if (after !== undefined) {
        toggle(i);
        const id = stateId(after);
        const added = cache.add((knownHash ^ Math.imul(id + 1, 0x9e3779b1)) | 0, id, knownSet, unknownSet);
        if (added === 'full') return { kind: 'undecided', reason: 'memory', steps };
        if (added === 'added') {
          stackNode.push(node);
          stackState.push(state);
          stackPass.push(pass);
          state = after;
          if (!unknown[i]) remainingKnown--;
          lift(node);
          node = next[HEAD]!;
          pass = 0;
          continue;
        }
        toggle(i);
      }
      node = next[node]!;
      continue;
    }

    // A return: no candidate before it fits in this pass.
    if (pass === 0) {
      pass = 1;
      node = next[HEAD]!;
      continue;
    }
    const call = stackNode.pop();
    if (call === undefined) return { kind: 'not-linearizable', steps };
    const i = (call - 1) >> 1;
    state = stackState.pop()!;
    pass = stackPass.pop()!;
    unlift(call);
    toggle(i);
    if (!unknown[i]) remainingKnown++;
    node = next[call]!;
  }
}

/** Links head → every call and return node, ordered by event position. */
function linkInRealTimeOrder(ops: readonly SearchOp[], next: Int32Array, prev: Int32Array): void {
  const nodes: number[] = [];
  for (let i = 0; i < ops.length; i++) nodes.push(2 * i + 1, 2 * i + 2);
  const at = (node: number): number => {
    const op = ops[(node - 1) >> 1]!;
    return node % 2 === 1 ? op.callAt : op.returnAt;
  };
  // Returns at infinity tie (Infinity - Infinity is NaN, falsy): node order keeps the sort deterministic.
  nodes.sort((a, b) => at(a) - at(b) || a - b);
  let last = HEAD;
  prev[HEAD] = NIL;
  for (const node of nodes) {
    next[last] = node;
    prev[node] = last;
    last = node;
  }
  next[last] = NIL;
}

/** Fixed pseudo-random 32-bit keys (xorshift32): the hash of a set is the XOR of its members' keys. */
function zobristKeys(count: number): Int32Array {
  const keys = new Int32Array(count);
  let x = 0x2545f491;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    keys[i] = x;
  }
  return keys;
}
