// The linearizability checker: the history format, its parser and writer, and the check itself.
export type * from './history.js';
export { HistoryParseError } from './errors.js';
export { parseHistory } from './parse-history.js';
export { formatHistoryLine } from './format-history.js';
export { checkHistory, describeOp, type AnomalyOp, type CheckOptions, type CheckResult } from './check-history.js';
export { CHECK_EXIT, runCheck, type RunCheckOptions, type RunCheckOutput } from './run-check.js';
export type { UndecidedReason } from './search.js';
