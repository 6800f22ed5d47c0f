// Every acknowledged write must survive: after the run, each key's final value (read through the log
// once the cluster has healed and converged) must come from an operation that no acknowledged
// mutation of the key follows in real time. Values are unique per write, so the final value names
// the operation that produced it.
//
// Why this is sound: the final reads come after every completed operation. If the history is
// linearizable, the producer P of the final value is the last state change before those reads, so
// an acknowledged mutation X that was invoked after P completed lies between P and the reads, and
// would have replaced P's value (a delete after a delete is the one mutation that leaves it as is).
// The check adds nothing a linearizability check of the history with its final reads could not find,
// but it names the lost write in one sentence.

import type { CasValue, History, HistoryOp, HistoryValue } from '../check/index.js';

export interface AcknowledgedWritesVerdict {
  ok: boolean;
  /** One sentence per problem, keys in history order. */
  problems: string[];
  /** Acknowledged mutations checked. */
  acknowledged: number;
}

/** Absent from the map: the key's final value could not be read. */
export type FinalValues = ReadonlyMap<string, HistoryValue | null>;

export function checkAcknowledgedWrites(history: History, finalValues: FinalValues, finalReader: number): AcknowledgedWritesVerdict {
  const byKey = new Map<string, HistoryOp[]>(history.keys.map((k) => [k, []]));
  for (const op of history.ops) if (op.process !== finalReader) byKey.get(op.key)!.push(op);
  const problems: string[] = [];
  let acknowledged = 0;
  for (const [key, ops] of byKey) {
    const mutations = ops.filter((op) => op.f !== 'read');
    acknowledged += mutations.filter(isAcknowledgedMutation).length;
    if (!finalValues.has(key)) {
      problems.push(`The final value of ${q(key)} could not be read, so its acknowledged writes could not be checked.`);
      continue;
    }
    const final = finalValues.get(key)!;
    const producers = mutations.filter((op) => produces(op, final));
    const possible = producers.filter((op) => op.outcome !== 'fail');
    if (final !== null && possible.length === 0) {
      problems.push(
        producers.length > 0
          ? `The final value ${q(final)} of ${q(key)} was written by an operation the cluster reported as failed (line ${producers[0]!.invokeLine}).`
          : `The final value ${q(final)} of ${q(key)} was never written by any client.`,
      );
      continue;
    }
    // The latest possible producer: the one that constrains the least. Absent means "never written" (or deleted).
    const producer = latest(possible);
    const producerDone = producer ? doneAt(producer) : -1;
    const lost = mutations.find((x) => x !== producer && isAcknowledgedMutation(x) && !(final === null && x.f === 'delete') && x.invokeAt > producerDone);
    if (lost) problems.push(describeLost(key, lost, final, producer));
  }
  return { ok: problems.length === 0, problems, acknowledged };
}

function isAcknowledgedMutation(op: HistoryOp): boolean {
  return op.f !== 'read' && op.outcome === 'ok';
}

/** Could `op` have left the key holding `value`? */
function produces(op: HistoryOp, value: HistoryValue | null): boolean {
  switch (op.f) {
    case 'delete':
      return value === null;
    case 'write':
      return value !== null && op.input === value;
    case 'cas':
      return value !== null && (op.input as CasValue)[1] === value;
    case 'append':
      return typeof value === 'string' && value.endsWith(String(op.input));
    case 'read':
      return false;
  }
}

/** Event position after which the operation certainly took effect, if it did; unknown: never certain. */
function doneAt(op: HistoryOp): number {
  return op.outcome === 'ok' && op.completeAt !== null ? op.completeAt : Infinity;
}

function latest(ops: readonly HistoryOp[]): HistoryOp | null {
  let best: HistoryOp | null = null;
  for (const op of ops) if (!best || doneAt(op) > doneAt(best)) best = op;
  return best;
}

function describeLost(key: string, lost: HistoryOp, final: HistoryValue | null, producer: HistoryOp | null): string {
  const what = lost.f === 'delete' ? 'delete' : lost.f === 'cas' ? `cas to ${q((lost.input as CasValue)[1])}` : `${lost.f} of ${q(lost.input as HistoryValue)}`;
  const source = producer ? `set by line ${producer.invokeLine}, which completed before the lost one was sent` : 'as if it had never been written';
  return `The acknowledged ${what} on ${q(key)} (process ${lost.process}, lines ${lost.invokeLine}–${lost.completeLine}) is lost: the final value is ${final === null ? 'absent' : q(final)}, ${source}.`;
}

function q(value: HistoryValue): string {
  return JSON.stringify(value);
}
