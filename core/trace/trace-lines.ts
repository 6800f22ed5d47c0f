// One TraceRecord per line (JSON Lines). Reading is tolerant of exactly one kind of damage: the
// last line of a segment cut short by a crash (no newline at its end). Anything else that does not
// parse is counted, so that a reader can say the file is damaged instead of replaying it quietly.

import type { TraceRecord } from '../api/traces.js';

const KINDS = new Set<TraceRecord['k']>(['state', 'event', 'metrics', 'logs', 'msg', 'op']);

export function formatTraceLine(record: TraceRecord): string {
  return `${JSON.stringify(record)}\n`;
}

export interface ParsedTrace {
  records: TraceRecord[];
  /** Complete lines (newline-terminated) that are not a trace record. */
  badLines: number;
  /** True when the text ended with an unterminated line (a write cut short), which was skipped. */
  tornTail: boolean;
}

function asRecord(line: string): TraceRecord | null {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return null;
    const r = value as { k?: unknown; at?: unknown };
    if (typeof r.k !== 'string' || !KINDS.has(r.k as TraceRecord['k']) || typeof r.at !== 'number' || !Number.isFinite(r.at)) return null;
    return value as TraceRecord;
  } catch {
    return null;
  }
}

/** Parses a segment's text. `keep` filters while parsing (e.g. no messages), to spare memory. */
export function parseTraceText(text: string, keep: (r: TraceRecord) => boolean = () => true): ParsedTrace {
  const records: TraceRecord[] = [];
  let badLines = 0;
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    if (end === -1) {
      // An unterminated last line is a write cut short, unless it happens to be whole.
      const tail = asRecord(text.slice(start));
      if (tail && keep(tail)) records.push(tail);
      return { records, badLines, tornTail: tail === null };
    }
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    const record = asRecord(line);
    if (record === null) badLines++;
    else if (keep(record)) records.push(record);
  }
  return { records, badLines, tornTail: false };
}
