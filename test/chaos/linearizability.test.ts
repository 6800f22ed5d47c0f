// The experiment's linearizability check: its three verdicts, and the anomaly as the console draws it.

import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../core/chaos/linearizability.js';
import { HistoryScript } from './history-script.js';

describe('checkLinearizable', () => {
  it('passes a linearizable history and says how many operations it checked', async () => {
    const s = new HistoryScript().op(1, 'write', 'x', 'a').invoke(2, 'read', 'x').op(3, 'write', 'x', 'b').complete(2, 'ok', 'a').op(1, 'read', 'y', null, 'ok', null);
    const verdict = await checkLinearizable(s.history(), 10_000);
    expect(verdict.check).toMatchObject({ name: 'Linearizable', ok: true });
    expect(verdict.check.detail).toMatch(/^All 4 operations on 2 keys are linearizable/);
    expect(verdict.anomaly).toBeNull();
  });

  it('fails a stale read and draws the operations that cannot be ordered, with times from the start', async () => {
    // Lines (times in ms): write a 1–2, write b 3–4, read → a 5–6: the read saw a value already replaced.
    const s = new HistoryScript().op(1, 'write', 'x', 'a').op(2, 'write', 'x', 'b').op(3, 'read', 'x', null, 'ok', 'a').op(1, 'write', 'y', 'c');
    const verdict = await checkLinearizable(s.history(), 10_000);
    expect(verdict.check.ok).toBe(false);
    expect(verdict.check.detail).toBe('On key "x", 3 operations cannot be put in any order consistent with what the clients saw.');
    expect(verdict.anomaly).toEqual({
      key: 'x',
      ops: [
        { process: 1, f: 'write', key: 'x', input: '"a"', output: null, outcome: 'ok', startMs: 1, endMs: 2 },
        { process: 2, f: 'write', key: 'x', input: '"b"', output: null, outcome: 'ok', startMs: 3, endMs: 4 },
        { process: 3, f: 'read', key: 'x', input: '', output: '"a"', outcome: 'ok', startMs: 5, endMs: 6 },
      ],
    });
  });

  it('does not pass a history it could not decide in time', async () => {
    const s = new HistoryScript().op(1, 'write', 'x', 'a').op(2, 'read', 'x', null, 'ok', 'a');
    let t = 0;
    const verdict = await checkLinearizable(s.history(), 1000, () => (t += 5000));
    expect(verdict.check.ok).toBe(false);
    expect(verdict.check.detail).toBe('Undecided: key "x" could not be checked within 1 s, so the check did not pass.');
  });
});
