// `raftdesk check FILE [--json] [--timeout-ms N]` minus the file and the printing: the CLI reads the
// file, calls runCheck, prints `json` (with --json) or `summary`, and exits with `exitCode`.

import { checkHistory, type AnomalyOp, type CheckResult } from './check-history.js';
import { HistoryParseError } from './errors.js';
import { parseHistory } from './parse-history.js';

export const CHECK_EXIT = { linearizable: 0, notLinearizable: 1, badInput: 2, undecided: 3 } as const;

export interface RunCheckOptions {
  now: () => number;
  timeoutMs?: number;
}

export interface RunCheckOutput {
  exitCode: number;
  /** One line of JSON: {"linearizable", "ops", "keys", "ms"}, plus "key" and "anomaly" (the
   *  operations) when not linearizable, "key" and "reason" when undecided, or {"error"} for bad input. */
  json: string;
  /** One line for people. */
  summary: string;
}

export function runCheck(text: string, options: RunCheckOptions): RunCheckOutput {
  let result: CheckResult;
  try {
    result = checkHistory(parseHistory(text), options);
  } catch (error) {
    if (!(error instanceof HistoryParseError)) throw error;
    return { exitCode: CHECK_EXIT.badInput, json: JSON.stringify({ error: error.message }), summary: `bad history: ${error.message}` };
  }
  const counts = `${result.ops} operations on ${result.keys} keys, ${Math.round(result.ms)} ms`;
  const base = { linearizable: result.linearizable, ops: result.ops, keys: result.keys, ms: result.ms };

  if (result.linearizable === true) {
    return { exitCode: CHECK_EXIT.linearizable, json: JSON.stringify(base), summary: `linearizable (${counts})` };
  }
  if (result.linearizable === null) {
    const reason = result.undecidedReason ?? 'time';
    return {
      exitCode: CHECK_EXIT.undecided,
      json: JSON.stringify({ ...base, key: result.key, reason }),
      summary: `undecided: key ${JSON.stringify(result.key)} could not be checked within the ${reason === 'time' ? 'time limit' : 'memory limit'} (${counts})`,
    };
  }
  const anomaly = result.anomaly ?? [];
  return {
    exitCode: CHECK_EXIT.notLinearizable,
    json: JSON.stringify({ ...base, key: result.key, anomaly }),
    summary: `NOT linearizable: on key ${JSON.stringify(result.key)}, ${anomaly.length} operations cannot be ordered (${describeLines(anomaly)}) (${counts})`,
  };
}

function describeLines(anomaly: AnomalyOp[]): string {
  const lines = anomaly.map((op) => (op.completeLine === null ? `${op.invokeLine}` : `${op.invokeLine}–${op.completeLine}`));
  return `lines ${lines.join(', ')}`;
}
