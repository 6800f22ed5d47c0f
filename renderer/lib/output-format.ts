// Node output is mostly pino JSON, one object a line. Shown raw it is hard to scan, so each JSON
// line becomes `time LEVEL message key=value…`; any other line is shown as it is.

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields already shown elsewhere on the line or on the screen. */
const SKIPPED = new Set(['level', 'time', 'msg', 'node', 'pid', 'hostname', 'v']);

function clock(time: unknown): string {
  const date = typeof time === 'number' || typeof time === 'string' ? new Date(time) : null;
  if (!date || Number.isNaN(date.getTime())) return '';
  return date.toISOString().slice(11, 23);
}

function show(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

export function formatOutputLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null || !('msg' in record)) return line;
  const fields = record as Record<string, unknown>;
  const level = typeof fields.level === 'number' ? (LEVELS[fields.level] ?? String(fields.level)) : '';
  const extras = Object.entries(fields)
    .filter(([key]) => !SKIPPED.has(key))
    .map(([key, value]) => `${key}=${show(value)}`);
  return [clock(fields.time), level.padEnd(5), String(fields.msg), ...extras].filter((part) => part !== '').join(' ');
}
