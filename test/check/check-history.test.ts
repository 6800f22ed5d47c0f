import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory, formatHistoryLine, parseHistory, type HistoryEvent, type HistoryOp } from '../../core/check/index.js';
import { bruteForceLinearizable } from './brute-force.js';
import { smallHistoryText } from './random-history.js';

const clock = () => Date.now();
const check = (text: string) => checkHistory(parseHistory(text), { now: clock });
const lines = (events: HistoryEvent[]) => events.map(formatHistoryLine).join('\n');

/**
 * The key's operations up to the anomaly's last completion, with every operation outside `kept`
 * turned into a timed-out one (info): the situation the anomaly claims cannot be ordered.
 */
function othersTimedOut(ops: HistoryOp[], key: string, kept: ReadonlySet<number>): HistoryOp[] {
  const cut = Math.max(...ops.filter((op) => kept.has(op.id)).map((op) => op.completeAt!));
  return ops
    .filter((op) => op.key === key && op.invokeAt <= cut)
    .map((op) => (kept.has(op.id) && op.completeAt! <= cut ? op : { ...op, outcome: 'info' as const }));
}

describe('checkHistory agrees with a brute-force reference', () => {
  it('on random small histories, and its anomaly cannot be ordered on its own', () => {
    let counted = { linearizable: 0, not: 0 };
    fc.assert(
      fc.property(smallHistoryText(7), (text) => {
        const history = parseHistory(text);
        const result = checkHistory(history, { now: clock });
        expect(result.linearizable).toBe(bruteForceLinearizable(history.ops));
        if (result.linearizable === false) {
          counted.not++;
          const anomalyLines = new Set(result.anomaly!.map((op) => op.invokeLine));
          const anomaly = history.ops.filter((op) => anomalyLines.has(op.invokeLine));
          expect(anomaly.every((op) => op.key === result.key && op.outcome !== 'info')).toBe(true);
          const kept = new Set(anomaly.map((op) => op.id));
          // Sound: the anomaly cannot be ordered even if every other operation had timed out.
          expect(bruteForceLinearizable(othersTimedOut(history.ops, result.key!, kept))).toBe(false);
          // Minimal: with any one of its operations timed out as well, it can.
          for (const op of anomaly) {
            const fewer = new Set([...kept].filter((id) => id !== op.id));
            expect(bruteForceLinearizable(othersTimedOut(history.ops, result.key!, fewer).filter((o) => o.id !== op.id).concat({ ...op, outcome: 'info' }))).toBe(true);
          }
        } else {
          counted.linearizable++;
        }
      }),
      { numRuns: 1500 },
    );
    // Both verdicts must actually have been exercised.
    expect(counted.linearizable).toBeGreaterThan(100);
    expect(counted.not).toBeGreaterThan(100);
    counted = { linearizable: 0, not: 0 };
  });
});

describe('anomaly', () => {
  it('shrinks a long history to the operations of a stale read', () => {
    const events: HistoryEvent[] = [];
    for (let i = 0; i < 200; i++) {
      events.push({ process: 1, type: 'invoke', f: 'write', key: 'x', value: i });
      events.push({ process: 1, type: 'ok', f: 'write', key: 'x', value: i });
      events.push({ process: 2, type: 'invoke', f: 'read', key: 'x', value: null });
      events.push({ process: 2, type: 'ok', f: 'read', key: 'x', value: i });
    }
    // Write 199 completed before this read began: reading 198 again is stale.
    events.push({ process: 2, type: 'invoke', f: 'read', key: 'x', value: null });
    events.push({ process: 2, type: 'ok', f: 'read', key: 'x', value: 198 });
    const result = check(lines(events));
    expect(result.linearizable).toBe(false);
    // Read 198, then write 199, then read 198: impossible whatever the other 799 operations did
    // (write 198 included: it would have to take effect both before the first read and after write 199).
    expect(result.anomaly!.map((op) => [op.f, op.input, op.output, op.invokeLine])).toEqual([
      ['read', '', '198', 795],
      ['write', '199', null, 797],
      ['read', '', '198', 801],
    ]);
  });

  it('reports times in ms since the first event when the history has them', () => {
    const text = lines([
      { process: 1, type: 'invoke', f: 'write', key: 'x', value: 1, time: 5_000_000 },
      { process: 1, type: 'ok', f: 'write', key: 'x', value: 1, time: 6_000_000 },
      { process: 1, type: 'invoke', f: 'read', key: 'x', value: null, time: 7_000_000 },
      { process: 1, type: 'ok', f: 'read', key: 'x', value: 2, time: 9_500_000 },
    ]);
    const result = check(text);
    expect(result.anomaly).toEqual([
      { process: 1, f: 'read', key: 'x', input: '', output: '2', outcome: 'ok', invokeLine: 3, completeLine: 4, startMs: 2, endMs: 4.5 },
    ]);
  });
});

describe('limits', () => {
  // Twenty concurrent appends of unknown outcome, then a read of a value they cannot make: proving
  // that impossible means trying every order of every subset of the appends.
  const hard = lines([
    ...Array.from({ length: 20 }, (_, i): HistoryEvent => ({ process: i + 1, type: 'invoke', f: 'append', key: 'x', value: `${i},` })),
    { process: 99, type: 'invoke', f: 'read', key: 'x', value: null },
    { process: 99, type: 'ok', f: 'read', key: 'x', value: 'never written' },
  ]);

  it('answers null when time runs out', () => {
    let fakeMs = 0;
    const result = checkHistory(parseHistory(hard), { now: () => (fakeMs += 10), timeoutMs: 1000 });
    expect(result).toMatchObject({ linearizable: null, key: 'x', undecidedReason: 'time' });
  });

  it('answers null when the memo outgrows its memory bound', () => {
    const result = checkHistory(parseHistory(hard), { now: clock, maxCacheBytes: 64 * 1024 });
    expect(result).toMatchObject({ linearizable: null, key: 'x', undecidedReason: 'memory' });
  });

  it('still finds an anomaly on another key when one key is undecided', () => {
    const other = lines([
      { process: 200, type: 'invoke', f: 'read', key: 'y', value: null },
      { process: 200, type: 'ok', f: 'read', key: 'y', value: 3 },
    ]);
    const result = checkHistory(parseHistory(`${hard}\n${other}`), { now: clock, maxCacheBytes: 64 * 1024 });
    expect(result).toMatchObject({ linearizable: false, key: 'y' });
  });
});
