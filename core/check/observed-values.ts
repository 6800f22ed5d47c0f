// Which register values can matter to a search. A value matters if some operation of known outcome
// could observe it: an ok read returned it, an ok cas expects it, appends could grow it into a string
// some operation compares with, or an unknown cas expects it and would swap in a value that matters.
// Every other value ("junk") fails every read and every ok cas, and stays junk under appends; so all
// junk values behave alike and the search folds them into one state, JUNK — except for the one thing
// that tells junk values apart: a failed cas expecting that very value, while such a failed cas is
// still to be placed (search.ts tracks those).

import type { CasValue, HistoryValue } from './history.js';
import type { RegisterState } from './register-model.js';
import type { SearchOp } from './search-op.js';

export const JUNK: unique symbol = Symbol('junk');
export type SearchState = RegisterState | typeof JUNK;

export class ObservedValues {
  private readonly values = new Set<RegisterState>();
  /** Strings some known operation compares the state with (ok reads, every cas), sorted. */
  private compared: string[] = [];
  /** Every suffix an append of this key may add. */
  private readonly suffixes: string[];
  private readonly memo = new Map<RegisterState, boolean>();
  /** Per expected value, the failed cas ops of known outcome that expect it. */
  readonly failedCasExpecting = new Map<HistoryValue | null, number>();

  constructor(ops: readonly SearchOp[]) {
    this.suffixes = [...new Set(ops.filter((op) => op.f === 'append').map((op) => String(op.input)))];
    for (const op of ops) {
      if (op.f === 'read' && op.outcome === 'ok') this.values.add(op.output);
      if (op.f === 'cas' && op.outcome === 'ok') this.values.add((op.input as CasValue)[0]);
      if (op.f === 'cas' && op.outcome === 'fail') {
        const expected = (op.input as CasValue)[0];
        this.failedCasExpecting.set(expected, (this.failedCasExpecting.get(expected) ?? 0) + 1);
      }
    }
    this.indexCompared();
    // An unknown cas [e, n] swaps exactly when the state is e: e matters if n does. Until fixpoint.
    const unknownCas = ops.filter((op) => op.f === 'cas' && op.outcome === 'unknown').map((op) => op.input as CasValue);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [expected, value] of unknownCas) {
        if (!this.values.has(expected) && this.matters(value)) {
          this.values.add(expected);
          grew = true;
        }
      }
      if (grew) this.indexCompared();
    }
  }

  /** null always matters. A value equal to a failed cas's expected value is the caller's business. */
  matters(value: RegisterState): boolean {
    if (value === null || this.values.has(value)) return true;
    let result = this.memo.get(value);
    if (result === undefined) this.memo.set(value, (result = this.growsIntoCompared(String(value))));
    return result;
  }

  /** True when appending `suffix` to any state yields junk. */
  appendAlwaysJunk(suffix: HistoryValue): boolean {
    const text = String(suffix);
    for (const compared of this.compared) {
      for (let at = compared.indexOf(text); at !== -1; at = compared.indexOf(text, at + 1)) {
        if (this.appendsCanSpell(compared.slice(at + text.length))) return false;
      }
    }
    return true;
  }

  /** Whether `text` followed by appends can equal a compared string. */
  private growsIntoCompared(text: string): boolean {
    // Compared strings that start with text are a contiguous run from the first one >= text.
    let lo = 0;
    let hi = this.compared.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compared[mid]! < text) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.compared.length && this.compared[i]!.startsWith(text); i++) {
      if (this.appendsCanSpell(this.compared[i]!.slice(text.length))) return true;
    }
    return false;
  }

  /**
   * A cheap necessary condition for `rest` to be a concatenation of one or more append suffixes (or
   * nothing): it is empty or starts with one. Over-approximating only makes more values matter.
   */
  private appendsCanSpell(rest: string): boolean {
    return rest === '' || this.suffixes.some((suffix) => rest.startsWith(suffix));
  }

  private indexCompared(): void {
    const failedExpected = [...this.failedCasExpecting.keys()];
    this.compared = [...new Set([...this.values, ...failedExpected])].filter((v): v is string => typeof v === 'string').sort();
    this.memo.clear();
  }
}
