import { describe, expect, it } from 'vitest';
import { formatHistoryLine, HistoryParseError, parseHistory, type HistoryEvent } from '../../core/check/index.js';

describe('parseHistory', () => {
  it('pairs each invoke with its process’s next completion, in line order', () => {
    const history = parseHistory(
      [
        '{"process": 1, "type": "invoke", "f": "write", "key": "x", "value": 4, "time": 100}',
        '',
        '{"process": 2, "type": "invoke", "f": "read", "key": "x", "value": null}',
        '{"process": 1, "type": "ok", "f": "write", "key": "x", "value": 4, "time": 300}',
        '{"process": 2, "type": "ok", "f": "read", "key": "x", "value": null}',
        '{"process": 3, "type": "invoke", "f": "cas", "key": "y", "value": [null, "a"]}',
        '{"process": 3, "type": "fail"}',
        '{"process": 4, "type": "invoke", "f": "append", "key": 7, "value": "s"}',
      ].join('\r\n'),
    );
    expect(history.keys).toEqual(['x', 'y', '7']);
    expect(history.ops.map((op) => [op.process, op.f, op.key, op.input, op.outcome, op.output, op.invokeLine, op.completeLine])).toEqual([
      [1, 'write', 'x', 4, 'ok', null, 1, 4],
      [2, 'read', 'x', null, 'ok', null, 3, 5],
      [3, 'cas', 'y', [null, 'a'], 'fail', null, 6, 7],
      // Never completed: unknown, as info.
      [4, 'append', '7', 's', 'info', null, 8, null],
    ]);
    // Positions count events, not lines: the blank line is not an event.
    expect(history.ops.map((op) => [op.invokeAt, op.completeAt])).toEqual([
      [0, 2],
      [1, 3],
      [4, 5],
      [6, null],
    ]);
    expect([history.ops[0]!.invokeTime, history.ops[0]!.completeTime, history.ops[1]!.invokeTime]).toEqual([100, 300, null]);
  });

  it('reads what formatHistoryLine writes', () => {
    const events: HistoryEvent[] = [
      { process: 1, type: 'invoke', f: 'cas', key: 'k', value: ['a', 2], time: 5 },
      { process: 1, type: 'info', f: 'cas', key: 'k', value: ['a', 2], time: 6 },
    ];
    expect(formatHistoryLine(events[0]!)).toBe('{"process":1,"type":"invoke","f":"cas","key":"k","value":["a",2],"time":5}');
    const [op] = parseHistory(events.map(formatHistoryLine).join('\n')).ops;
    expect(op).toMatchObject({ process: 1, f: 'cas', key: 'k', input: ['a', 2], outcome: 'info', invokeTime: 5, completeTime: 6 });
    expect(formatHistoryLine({ process: 2, type: 'invoke', f: 'read', key: 'k', value: null })).toBe('{"process":2,"type":"invoke","f":"read","key":"k","value":null}');
  });

  const invoke = '{"process": 1, "type": "invoke", "f": "read", "key": "x", "value": null}';
  it.each<[string, string, string]>([
    ['not JSON', `${invoke}\n{"process": 1,`, 'line 2: not valid JSON'],
    ['not an object', '[1, 2]', 'line 1: expected a JSON object'],
    ['a process that is not an integer', '{"process": "n", "type": "invoke"}', 'line 1: "process" must be an integer'],
    ['an unknown type', '{"process": 1, "type": "done"}', 'line 1: "type" must be one of invoke, ok, fail, info, not "done"'],
    ['an unknown function', '{"process": 1, "type": "invoke", "f": "incr", "key": "x"}', 'line 1: "f" must be one of read, write, cas, append, delete, not "incr"'],
    ['a missing key', '{"process": 1, "type": "invoke", "f": "read"}', 'line 1: "key" must be a string'],
    ['a write without a value', '{"process": 1, "type": "invoke", "f": "write", "key": "x"}', 'line 1: the value of a write must be a string or a number'],
    ['a malformed cas', '{"process": 1, "type": "invoke", "f": "cas", "key": "x", "value": [1]}', 'line 1: the value of a cas must be [expected, new]'],
    ['a cas to null', '{"process": 1, "type": "invoke", "f": "cas", "key": "x", "value": [1, null]}', 'line 1: the new value of a cas must be a string or a number'],
    ['a bad time', '{"process": 1, "type": "invoke", "f": "read", "key": "x", "time": "now"}', 'line 1: "time" must be a number of nanoseconds'],
    ['a completion with nothing in progress', `${invoke}\n{"process": 1, "type": "ok", "value": 1}\n\n{"process": 3, "type": "ok"}`, 'line 4: ok for process 3 which has no operation in progress'],
    ['a second invoke', `${invoke}\n${invoke}`, 'line 2: invoke for process 1 which already has an operation in progress (line 1)'],
    ['a completion of another function', `${invoke}\n{"process": 1, "type": "ok", "f": "write", "value": 1}`, 'line 2: ok for process 1 says "f": "write" but its operation in progress (line 1) is a read'],
    ['a completion on another key', `${invoke}\n{"process": 1, "type": "ok", "key": "y", "value": 1}`, 'line 2: ok for process 1 names key "y" but its operation in progress (line 1) is on key "x"'],
    ['an ok read without a value', `${invoke}\n{"process": 1, "type": "ok"}`, 'line 2: an ok read needs "value": what was read, or null for an absent key'],
    ['a read of an object', `${invoke}\n{"process": 1, "type": "ok", "value": {}}`, 'line 2: the value read must be a string, a number or null'],
  ])('rejects %s', (_name, text, message) => {
    let error: unknown;
    try {
      parseHistory(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HistoryParseError);
    expect((error as HistoryParseError).message).toBe(message);
    expect((error as HistoryParseError).line).toBe(Number(/^line (\d+)/.exec(message)![1]));
  });
});
