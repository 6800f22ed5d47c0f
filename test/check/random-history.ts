// Small random histories for property tests: up to three processes interleave invokes and
// completions on two keys, with results drawn at random (so both verdicts occur often).
import fc from 'fast-check';
import { formatHistoryLine, type HistoryEvent, type HistoryValue, type OpFunction } from '../../core/check/index.js';

const values: HistoryValue[] = [1, 2, 'a', '1'];
const functions: OpFunction[] = ['read', 'write', 'cas', 'append', 'delete'];

interface Action {
  process: number;
  f: OpFunction;
  key: string;
  value: number;
  expected: number;
  completion: 'ok' | 'fail' | 'info';
}

const action: fc.Arbitrary<Action> = fc.record({
  process: fc.integer({ min: 1, max: 3 }),
  f: fc.constantFrom(...functions),
  key: fc.constantFrom('x', 'y'),
  value: fc.nat(values.length - 1),
  expected: fc.nat(values.length),
  completion: fc.constantFrom('ok', 'ok', 'ok', 'fail', 'info'),
});

/** Each action invokes on an idle process or completes its operation in progress. */
function toEvents(actions: Action[], maxOps: number): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const inProgress = new Map<number, HistoryEvent>();
  let ops = 0;
  for (const a of actions) {
    const running = inProgress.get(a.process);
    if (running) {
      const read = a.expected === values.length ? null : values[a.expected]!;
      const value = a.completion === 'ok' && running.f === 'read' ? read : running.value;
      events.push({ ...running, type: a.completion, value });
      inProgress.delete(a.process);
    } else if (ops < maxOps) {
      ops++;
      const expected = a.expected === values.length ? null : values[a.expected]!;
      const value: HistoryEvent['value'] = a.f === 'read' || a.f === 'delete' ? null : a.f === 'cas' ? [expected, values[a.value]!] : values[a.value]!;
      const invoke: HistoryEvent = { process: a.process, type: 'invoke', f: a.f, key: a.key, value };
      events.push(invoke);
      inProgress.set(a.process, invoke);
    }
  }
  return events;
}

export function smallHistoryText(maxOps: number): fc.Arbitrary<string> {
  return fc.array(action, { maxLength: 2 * maxOps + 2 }).map((actions) => toEvents(actions, maxOps).map(formatHistoryLine).join('\n'));
}
