import type { HistoryEvent } from './history.js';

/**
 * One JSONL line (without the newline) in the history format, fields in a fixed order. Values must be
 * strings or finite numbers: JSON has no form for NaN or Infinity.
 */
export function formatHistoryLine(event: HistoryEvent): string {
  const { process, type, f, key, value, time } = event;
  return JSON.stringify(time === undefined ? { process, type, f, key, value } : { process, type, f, key, value, time });
}
