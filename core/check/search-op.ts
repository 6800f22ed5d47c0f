// One operation as the linearizability search sees it: what it did to the register (ModelOp) and
// where it sits in real time. Its own file so that the search and the parts it is built from
// (key-model.ts, observed-values.ts, search-view.ts) all name it without importing each other.

import type { ModelOp } from './register-model.js';

export interface SearchOp extends ModelOp {
  /** Event positions; returnAt is Infinity exactly when outcome is 'unknown'. */
  callAt: number;
  returnAt: number;
}
