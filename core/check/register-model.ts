// The sequential specification each key is checked against: one register that may be absent (null),
// with read, write, cas, append and delete. Values compare by type and value: 4 and "4" differ.

import type { CasValue, HistoryValue, OpFunction } from './history.js';

export type RegisterState = HistoryValue | null;

/** What the checker takes as an operation's result. 'unknown': info, never completed, or relaxed. */
export type KnownOutcome = 'ok' | 'fail' | 'unknown';

export interface ModelOp {
  f: OpFunction;
  input: HistoryValue | CasValue | null;
  outcome: KnownOutcome;
  /** The value an ok read returned. */
  output: HistoryValue | null;
}

/**
 * The state after `op` takes effect in `state`, or undefined when the op's known result is
 * impossible there. An unknown outcome constrains nothing, but the op's effect is deterministic:
 * an unknown cas swaps exactly when the comparison matches. Callers never pass a failed op other
 * than cas (those did not take effect), nor an unknown read (it has neither effect nor result).
 */
export function stepRegister(state: RegisterState, op: ModelOp): RegisterState | undefined {
  switch (op.f) {
    case 'read':
      return state === op.output ? state : undefined;
    case 'write':
      return op.input as HistoryValue;
    case 'delete':
      return null;
    case 'append':
      // An absent key counts as "": appending always yields a string.
      return String(state ?? '') + String(op.input);
    case 'cas': {
      const [expected, value] = op.input as CasValue;
      const matches = state === expected;
      if (op.outcome === 'ok') return matches ? value : undefined;
      if (op.outcome === 'fail') return matches ? undefined : state;
      return matches ? value : state;
    }
  }
}
