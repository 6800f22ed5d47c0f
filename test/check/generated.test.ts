// Long histories from the simulator: both verdicts, with the time each check took printed (never
// asserted: speed is measured, not tested).
import { describe, expect, it } from 'vitest';
import { checkHistory, parseHistory } from '../../core/check/index.js';
import { generateHistory, type Anomaly, type GenerateOptions } from './generate.js';

function timedCheck(label: string, options: GenerateOptions) {
  const generated = generateHistory(options);
  const history = parseHistory(generated.text);
  const started = performance.now();
  const result = checkHistory(history, { now: () => performance.now(), timeoutMs: 60_000 });
  const ms = performance.now() - started;
  const unknown = history.ops.filter((op) => op.outcome === 'info').length;
  console.log(
    `${label}: ${history.ops.length} ops (${unknown} info) on ${history.keys.length} keys, ${options.clients} clients → ` +
      `${result.linearizable} in ${ms.toFixed(0)} ms${result.anomaly ? `, anomaly of ${result.anomaly.length} ops` : ''}`,
  );
  return { generated, history, result };
}

describe('the generator', () => {
  it('produces the operations asked for, with timeouts and failures among them', () => {
    const { history } = timedCheck('shape', { seed: 11, clients: 5, keys: 2, ops: 500, infoRate: 0.1, failRate: 0.05 });
    expect(history.ops).toHaveLength(500);
    expect(history.keys.sort()).toEqual(['k0', 'k1']);
    const outcomes = new Set(history.ops.map((op) => op.outcome));
    expect([...outcomes].sort()).toEqual(['fail', 'info', 'ok']);
    expect(history.ops.some((op) => op.completeLine === null)).toBe(true);
    expect(new Set(history.ops.map((op) => op.f)).size).toBe(5);
  });

  it('is deterministic for a seed', () => {
    const options: GenerateOptions = { seed: 5, clients: 3, keys: 1, ops: 50 };
    expect(generateHistory(options).text).toBe(generateHistory(options).text);
  });
});

describe('long histories of a linearizable register', () => {
  it.each<[string, GenerateOptions]>([
    ['5 clients, 3 keys', { seed: 1, clients: 5, keys: 3, ops: 3000, infoRate: 0.05 }],
    ['8 clients, 3 keys', { seed: 2, clients: 8, keys: 3, ops: 3000, infoRate: 0.05 }],
    ['10 clients, 1 key, 10% info', { seed: 3, clients: 10, keys: 1, ops: 1500, infoRate: 0.1 }],
  ])('are linearizable: %s', (label, options) => {
    expect(timedCheck(label, options).result.linearizable).toBe(true);
  });
});

describe('long histories with an injected anomaly', () => {
  it.each<Anomaly>(['stale-read', 'lost-write', 'cas-ok-mismatch', 'cas-fail-match'])('are not linearizable: %s', (anomaly) => {
    const { generated, history, result } = timedCheck(anomaly, { seed: 4, clients: 6, keys: 3, ops: 3000, infoRate: 0.05, anomaly });
    expect(result.linearizable).toBe(false);
    expect(result.key).toBe(generated.anomalyKey);
    // The scripted client's last operation (the impossible result) is part of the anomaly.
    const scripted = history.ops.filter((op) => op.process === generated.anomalyProcess);
    expect(result.anomaly!.map((op) => op.invokeLine)).toContain(scripted.at(-1)!.invokeLine);
  });
});
