// The history format of the linearizability checker: JSON Lines, one event per line, in real-time
// order, e.g. {"process": 3, "type": "invoke", "f": "write", "key": "x", "value": 4, "time": 1234}.
// Other tools (Jepsen/Knossos/Porcupine style) can write it too.

export type HistoryValue = string | number;
/** cas's value: [expected, new]; expected null means "the key is absent". */
export type CasValue = [expected: HistoryValue | null, value: HistoryValue];

export type OpFunction = 'read' | 'write' | 'cas' | 'append' | 'delete';
export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

/** One line of a history file. The chaos runner records these and writes them with formatHistoryLine. */
export interface HistoryEvent {
  process: number;
  type: EventType;
  f: OpFunction;
  key: string;
  /** invoke: write/append → the value, cas → [expected, new], read/delete → null.
   *  ok of a read: the value read, null for an absent key. Otherwise repeated or null; not checked. */
  value: HistoryValue | CasValue | null;
  /** Nanoseconds, optional: line order is what counts. */
  time?: number;
}

/**
 * How an operation ended. 'fail' means it did not take effect, except for cas, where it means the
 * comparison did not match. 'info' (also: never completed) means unknown: it may take effect at any
 * point after its invoke, or not at all.
 */
export type Outcome = 'ok' | 'fail' | 'info';

/** One operation: an invoke paired with its process's next completion. */
export interface HistoryOp {
  /** Position in History.ops, which is invoke order. */
  id: number;
  process: number;
  f: OpFunction;
  key: string;
  /** write/append: the value; cas: [expected, new]; read/delete: null. */
  input: HistoryValue | CasValue | null;
  outcome: Outcome;
  /** The value a read returned (ok reads only); null otherwise. */
  output: HistoryValue | null;
  /** Event positions (0-based, over all events of the history): they define real-time order. */
  invokeAt: number;
  /** null when the operation never completed. */
  completeAt: number | null;
  /** 1-based line numbers in the history text. */
  invokeLine: number;
  completeLine: number | null;
  invokeTime: number | null;
  completeTime: number | null;
}

export interface History {
  /** In invoke order. */
  ops: HistoryOp[];
  /** Distinct keys, in order of first appearance. */
  keys: string[];
}
