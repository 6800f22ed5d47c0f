import { describe, expect, it } from 'vitest';
import { CHECK_EXIT, runCheck } from '../../core/check/index.js';
import { generateHistory } from './generate.js';

/** A clock that advances 5 ms per reading, so that "ms" is predictable. */
function steppingClock(): () => number {
  let ms = 0;
  return () => (ms += 5);
}

const write = (p: number, value: number | string) => [
  `{"process": ${p}, "type": "invoke", "f": "write", "key": "x", "value": ${JSON.stringify(value)}}`,
  `{"process": ${p}, "type": "ok", "f": "write", "key": "x", "value": ${JSON.stringify(value)}}`,
];
const read = (p: number, value: number | string | null) => [
  `{"process": ${p}, "type": "invoke", "f": "read", "key": "x", "value": null}`,
  `{"process": ${p}, "type": "ok", "f": "read", "key": "x", "value": ${JSON.stringify(value)}}`,
];

describe('runCheck', () => {
  it('exits 0 with the counts when linearizable', () => {
    const output = runCheck([...write(1, 1), ...read(2, 1)].join('\n'), { now: steppingClock() });
    expect(output.exitCode).toBe(CHECK_EXIT.linearizable);
    expect(JSON.parse(output.json)).toEqual({ linearizable: true, ops: 2, keys: 1, ms: 5 });
    expect(output.summary).toBe('linearizable (2 operations on 1 keys, 5 ms)');
  });

  it('exits 1 naming the key and the operations when not linearizable', () => {
    const output = runCheck([...write(1, 1), ...write(1, 2), ...read(2, 1)].join('\n'), { now: steppingClock() });
    expect(output.exitCode).toBe(CHECK_EXIT.notLinearizable);
    const json = JSON.parse(output.json);
    expect(json).toMatchObject({ linearizable: false, ops: 3, keys: 1, key: 'x' });
    expect(json.anomaly.map((op: { invokeLine: number }) => op.invokeLine)).toEqual([1, 3, 5]);
    expect(output.summary).toMatch(/^NOT linearizable: on key "x", 3 operations cannot be ordered \(lines 1–2, 3–4, 5–6\) \(3 operations on 1 keys, \d+ ms\)$/);
  });

  it('exits 2 naming the line of bad input', () => {
    const output = runCheck([...write(1, 1), '{"process": 1, "type": "ok"}'].join('\n'), { now: steppingClock() });
    expect(output.exitCode).toBe(CHECK_EXIT.badInput);
    expect(JSON.parse(output.json)).toEqual({ error: 'line 3: ok for process 1 which has no operation in progress' });
    expect(output.summary).toBe('bad history: line 3: ok for process 1 which has no operation in progress');
  });

  it('exits 3 when the time limit is reached first', () => {
    // A busy key with many timed-out operations takes millions of steps; the clock reaches 50 ms in ten readings.
    const busy = generateHistory({ seed: 7, clients: 16, keys: 1, ops: 2000, infoRate: 0.2 });
    const output = runCheck(busy.text, { now: steppingClock(), timeoutMs: 50 });
    expect(output.exitCode).toBe(CHECK_EXIT.undecided);
    expect(JSON.parse(output.json)).toMatchObject({ linearizable: null, ops: 2000, keys: 1, key: 'k0', reason: 'time' });
    expect(output.summary).toMatch(/^undecided: key "k0" could not be checked within the time limit \(2000 operations on 1 keys, \d+ ms\)$/);
  });
});
