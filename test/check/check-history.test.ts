import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory, formatHistoryLine, parseHistory, type HistoryEvent, type HistoryOp } from '../../core/check/index.js';
import { bruteForceLinearizable } from './brute-force.js';
import { generateHistory } from './generate.js';
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

describe('checkHistory agrees with a brute-force reference on simulated histories', () => {
  // Small runs of the generator (four clients, a third of the operations timing out), each with one
  // ok read's value or one cas's outcome possibly changed: mostly linearizable, often not, and full
  // of the unknown outcomes, appends and failed cas that the search's pruning is about.
  const perturbation = fc.record({ seed: fc.nat(), victim: fc.nat(), replacement: fc.nat(), change: fc.constantFrom('none', 'read', 'cas') });
  const perturbed = perturbation.map(({ seed, victim, replacement, change }) => {
    const { events } = generateHistory({ seed, clients: 4, keys: 1, ops: 11, infoRate: 0.35, failRate: 0.1, maxLatencyNs: 100 });
    const reads = events.filter((e) => e.f === 'read' && e.type === 'ok');
    const casCompletions = events.filter((e) => e.f === 'cas' && (e.type === 'ok' || e.type === 'fail'));
    const values = [null, ...new Set(events.flatMap((e) => (e.value === null || Array.isArray(e.value) ? [] : [e.value])))];
    if (change === 'read' && reads.length > 0) reads[victim % reads.length]!.value = values[replacement % values.length]!;
    if (change === 'cas' && casCompletions.length > 0) {
      const cas = casCompletions[victim % casCompletions.length]!;
      cas.type = cas.type === 'ok' ? 'fail' : 'ok';
    }
    return lines(events);
  });

  it('gives the same verdict', () => {
    const counted = { linearizable: 0, not: 0 };
    fc.assert(
      fc.property(perturbed, (text) => {
        const history = parseHistory(text);
        const verdict = checkHistory(history, { now: clock }).linearizable;
        expect(verdict).toBe(bruteForceLinearizable(history.ops));
        counted[verdict ? 'linearizable' : 'not']++;
      }),
      { numRuns: 400 },
    );
    expect(counted.linearizable).toBeGreaterThan(50);
    expect(counted.not).toBeGreaterThan(50);
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
  // A busy key with many timed-out operations: deciding it takes a few million steps.
  const busy = generateHistory({ seed: 7, clients: 16, keys: 1, ops: 2000, infoRate: 0.2 }).text;

  it('answers null when time runs out', () => {
    let fakeMs = 0;
    const result = checkHistory(parseHistory(busy), { now: () => (fakeMs += 10), timeoutMs: 1000 });
    expect(result).toMatchObject({ linearizable: null, key: 'k0', undecidedReason: 'time' });
  });

  it('answers null when the configurations outgrow the memory bound', () => {
    const result = checkHistory(parseHistory(busy), { now: clock, maxCacheBytes: 16 * 1024 });
    expect(result).toMatchObject({ linearizable: null, key: 'k0', undecidedReason: 'memory' });
  });

  it('still finds an anomaly on another key when one key is undecided', () => {
    const other = lines([
      { process: 900, type: 'invoke', f: 'read', key: 'y', value: null },
      { process: 900, type: 'ok', f: 'read', key: 'y', value: 3 },
    ]);
    const result = checkHistory(parseHistory(`${busy}\n${other}`), { now: clock, maxCacheBytes: 16 * 1024 });
    expect(result).toMatchObject({ linearizable: false, key: 'y' });
  });
});
