// Reads a JSONL history into operations, pairing each invoke with its process's next completion.
// Any problem is a HistoryParseError naming the line, in one sentence.

import { HistoryParseError } from './errors.js';
import type { CasValue, EventType, History, HistoryOp, HistoryValue, OpFunction } from './history.js';

const EVENT_TYPES: readonly EventType[] = ['invoke', 'ok', 'fail', 'info'];
const FUNCTIONS: readonly OpFunction[] = ['read', 'write', 'cas', 'append', 'delete'];

export function parseHistory(text: string): History {
  const ops: HistoryOp[] = [];
  const keys = new Set<string>();
  /** process → its operation in progress */
  const inProgress = new Map<number, HistoryOp>();
  let position = 0;

  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const event = parseObject(raw, line);
    const process = event['process'];
    if (typeof process !== 'number' || !Number.isInteger(process)) fail(line, '"process" must be an integer');
    const type = oneOf(event['type'], EVENT_TYPES, line, '"type"');
    const time = readTime(event['time'], line);

    if (type === 'invoke') {
      const running = inProgress.get(process);
      if (running) fail(line, `invoke for process ${process} which already has an operation in progress (line ${running.invokeLine})`);
      const f = oneOf(event['f'], FUNCTIONS, line, '"f"');
      const key = readKey(event['key'], line);
      const op: HistoryOp = {
        id: ops.length,
        process,
        f,
        key,
        input: readInput(f, event, line),
        outcome: 'info',
        output: null,
        invokeAt: position,
        completeAt: null,
        invokeLine: line,
        completeLine: null,
        invokeTime: time,
        completeTime: null,
      };
      ops.push(op);
      keys.add(key);
      inProgress.set(process, op);
    } else {
      const op = inProgress.get(process);
      if (!op) fail(line, `${type} for process ${process} which has no operation in progress`);
      if ('f' in event && event['f'] !== op.f) {
        fail(line, `${type} for process ${process} says "f": ${JSON.stringify(event['f'])} but its operation in progress (line ${op.invokeLine}) is a ${op.f}`);
      }
      if ('key' in event && readKey(event['key'], line) !== op.key) {
        fail(line, `${type} for process ${process} names key ${JSON.stringify(event['key'])} but its operation in progress (line ${op.invokeLine}) is on key ${JSON.stringify(op.key)}`);
      }
      if (type === 'ok' && op.f === 'read') {
        if (!('value' in event)) fail(line, 'an ok read needs "value": what was read, or null for an absent key');
        op.output = readNullableValue(event['value'], line, 'the value read');
      }
      op.outcome = type;
      op.completeAt = position;
      op.completeLine = line;
      op.completeTime = time;
      inProgress.delete(process);
    }
    position++;
  });
  return { ops, keys: [...keys] };
}

function fail(line: number, detail: string): never {
  throw new HistoryParseError(line, detail);
}

function parseObject(raw: string, line: number): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    fail(line, 'not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(line, 'expected a JSON object');
  return parsed as Record<string, unknown>;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], line: number, field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return fail(line, `${field} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value) ?? 'missing'}`);
}

function readTime(value: unknown, line: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(line, '"time" must be a number of nanoseconds');
  return value;
}

/** Keys are strings; integer keys (as some tools write them) are read as their decimal string. */
function readKey(value: unknown, line: number): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return fail(line, '"key" must be a string');
}

function isValue(value: unknown): value is HistoryValue {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function readValue(value: unknown, line: number, what: string): HistoryValue {
  return isValue(value) ? value : fail(line, `${what} must be a string or a number`);
}

function readNullableValue(value: unknown, line: number, what: string): HistoryValue | null {
  return value === null || isValue(value) ? value : fail(line, `${what} must be a string, a number or null`);
}

function readInput(f: OpFunction, event: Record<string, unknown>, line: number): HistoryValue | CasValue | null {
  const value = event['value'];
  switch (f) {
    case 'read':
    case 'delete':
      return null;
    case 'write':
      return readValue(value, line, 'the value of a write');
    case 'append':
      return readValue(value, line, 'the value of an append');
    case 'cas':
      if (!Array.isArray(value) || value.length !== 2) fail(line, 'the value of a cas must be [expected, new]');
      return [readNullableValue(value[0], line, 'the expected value of a cas'), readValue(value[1], line, 'the new value of a cas')];
  }
}
