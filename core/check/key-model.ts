// Everything the search knows about one key's operations, computed once: the register model with
// junk values folded (observed-values.ts), which operations are known, the real-time orders, and
// the properties the pruning rules of search.ts rely on.

import type { CasValue, HistoryValue } from './history.js';
import { JUNK, ObservedValues, type SearchState } from './observed-values.js';
import { stepRegister } from './register-model.js';
import type { SearchOp } from './search-op.js';

export class KeyModel {
  readonly unknown: boolean[];
  /** Known and unknown operations are numbered separately: slot[i] is i's bit in its own bitset. */
  readonly slot: Int32Array;
  readonly knownCount: number;
  readonly unknownCount: number;
  /** Known operations by call and by return position. */
  readonly knownByCall: number[];
  readonly knownByReturn: number[];
  /**
   * Unknown operations by call position, in three groups. Those that always set JUNK (writes of
   * values that never matter, appends that always yield junk) are interchangeable, and so are
   * deletes: of those two groups only the first unused one is ever worth trying. An unknown cas that
   * expects a value the state can never hold is left out: it can only do nothing.
   */
  readonly unknownAlwaysJunk: number[];
  readonly unknownDeletes: number[];
  readonly unknownOthers: number[];
  /** The state after does not depend on the state before: write, delete, an append that always yields junk. */
  readonly blind: boolean[];
  /** Known operations that leave the state as it is: reads and failed cas. */
  readonly keepsState: boolean[];
  private readonly junkAppend: boolean[];
  private readonly observed: ObservedValues;
  /** Per expected value, the slots of the known failed cas ops that expect it. */
  private readonly failedCasSlots = new Map<HistoryValue | null, number[]>();
  private readonly effectIds = new Map<string, number>();
  private readonly plainEffect: number[];
  private readonly junkEffect: number[];
  /** Whether op i's effect is JUNK only once the failed cas ops expecting its value are linearized. */
  private readonly foldsLater: boolean[];
  private readonly setsValue: (HistoryValue | null)[];

  constructor(readonly ops: readonly SearchOp[]) {
    this.observed = new ObservedValues(ops);
    this.unknown = ops.map((op) => op.outcome === 'unknown');
    this.slot = new Int32Array(ops.length);
    let known = 0;
    let unknown = 0;
    ops.forEach((_, i) => (this.slot[i] = this.unknown[i] ? unknown++ : known++));
    this.knownCount = known;
    this.unknownCount = unknown;
    const indexes = ops.map((_, i) => i);
    this.knownByCall = indexes.filter((i) => !this.unknown[i]).sort((a, b) => ops[a]!.callAt - ops[b]!.callAt);
    this.knownByReturn = indexes.filter((i) => !this.unknown[i]).sort((a, b) => ops[a]!.returnAt - ops[b]!.returnAt);
    this.junkAppend = ops.map((op) => op.f === 'append' && this.observed.appendAlwaysJunk(op.input as HistoryValue));
    this.blind = ops.map((op, i) => op.f === 'write' || op.f === 'delete' || this.junkAppend[i]!);
    this.keepsState = ops.map((op, i) => !this.unknown[i] && (op.f === 'read' || (op.f === 'cas' && op.outcome === 'fail')));
    ops.forEach((op, i) => {
      if (this.unknown[i] || op.f !== 'cas' || op.outcome !== 'fail') return;
      const expected = (op.input as CasValue)[0];
      this.failedCasSlots.set(expected, [...(this.failedCasSlots.get(expected) ?? []), this.slot[i]!]);
    });

    const shown = (value: HistoryValue | null): string => (value === null ? 'null' : `${typeof value}:${value}`);
    this.setsValue = ops.map((op, i) =>
      op.f === 'write' ? (op.input as HistoryValue) : op.f === 'cas' ? (op.input as CasValue)[1] : op.f === 'append' && !this.junkAppend[i] ? (op.input as HistoryValue) : null,
    );
    this.plainEffect = ops.map((op, i) => {
      if (this.junkAppend[i]) return this.effectId('set junk');
      if (op.f === 'append') return this.effectId(`append ${shown(this.setsValue[i]!)}`);
      if (op.f === 'cas') return this.effectId(`cas ${shown((op.input as CasValue)[0])} ${shown(this.setsValue[i]!)}`);
      return this.effectId(`set ${shown(this.setsValue[i]!)}`);
    });
    // -1: folding never changes the op's effect (its value matters, or it has no value to fold).
    this.junkEffect = ops.map((op, i) =>
      (op.f !== 'write' && op.f !== 'cas') || this.observed.matters(this.setsValue[i]!)
        ? -1
        : op.f === 'write'
          ? this.effectId('set junk')
          : this.effectId(`cas ${shown((op.input as CasValue)[0])} junk`),
    );
    this.foldsLater = ops.map((_, i) => this.junkEffect[i]! >= 0 && this.failedCasSlots.has(this.setsValue[i]!));

    const unknownByCall = indexes.filter((i) => this.unknown[i]).sort((a, b) => ops[a]!.callAt - ops[b]!.callAt);
    const alwaysJunk = (i: number) => this.junkAppend[i]! || (ops[i]!.f === 'write' && this.junkEffect[i]! >= 0 && !this.foldsLater[i]);
    const neverApplies = (i: number) => ops[i]!.f === 'cas' && !this.observed.matters(this.casExpected(i)) && !this.failedCasSlots.has(this.casExpected(i));
    this.unknownAlwaysJunk = unknownByCall.filter(alwaysJunk);
    this.unknownDeletes = unknownByCall.filter((i) => ops[i]!.f === 'delete');
    this.unknownOthers = unknownByCall.filter((i) => !alwaysJunk(i) && ops[i]!.f !== 'delete' && !neverApplies(i));
  }

  casExpected(i: number): HistoryValue | null {
    return (this.ops[i]!.input as CasValue)[0];
  }

  /**
   * Whether any change of state could help known candidate i, whose step from the current state gave
   * `after`: a blocked failed cas passes in every other state, and an append (not blind) builds on
   * whatever state it finds.
   */
  unblockedByAnyChange(i: number, after: SearchState | undefined): boolean {
    const op = this.ops[i]!;
    return (op.f === 'cas' && op.outcome === 'fail' && after === undefined) || (op.f === 'append' && !this.blind[i]);
  }

  /** Whether operation i is in `bits`, a configuration's K (if i is known) or U (if not). */
  has(bits: Uint32Array, i: number): boolean {
    const s = this.slot[i]!;
    return (bits[s >>> 5]! & (1 << (s & 31))) !== 0;
  }

  /**
   * The state as the search keeps it, in a configuration whose linearized known operations are
   * `known`: junk folds into JUNK unless a failed cas still to be placed expects that very value.
   * Folding only grows as `known` does.
   */
  canonical(value: HistoryValue | null, known: Uint32Array): SearchState {
    if (this.observed.matters(value)) return value;
    const slots = this.failedCasSlots.get(value);
    if (slots && slots.some((s) => (known[s >>> 5]! & (1 << (s & 31))) === 0)) return value;
    return JUNK;
  }

  /** The state after operation i in `state`, or undefined if i's known result is impossible there. */
  step(state: SearchState, i: number, known: Uint32Array): SearchState | undefined {
    const op = this.ops[i]!;
    if (state !== JUNK) {
      const after = stepRegister(state, op);
      return after === undefined ? undefined : this.canonical(after, known);
    }
    // JUNK equals no value anything compares with: reads and ok cas fail, failed cas pass, appends
    // keep it JUNK, and an unknown cas does not swap.
    switch (op.f) {
      case 'read':
        return undefined;
      case 'write':
        return this.canonical(op.input as HistoryValue, known);
      case 'delete':
        return null;
      case 'append':
        return JUNK;
      case 'cas':
        return op.outcome === 'ok' ? undefined : JUNK;
    }
  }

  /**
   * Unknown operations with the same effect on every state are interchangeable: a write and a delete
   * set a value (JUNK for a junk append too), an append adds a suffix, a cas maps one value to another.
   * Effects compare after folding junk, which only grows along a path.
   */
  effectOf(i: number, known: Uint32Array): number {
    const junk = this.junkEffect[i]!;
    if (junk < 0) return this.plainEffect[i]!;
    if (!this.foldsLater[i]) return junk;
    return this.canonical(this.setsValue[i]!, known) === JUNK ? junk : this.plainEffect[i]!;
  }

  private effectId(text: string): number {
    let id = this.effectIds.get(text);
    if (id === undefined) this.effectIds.set(text, (id = this.effectIds.size));
    return id;
  }
}
