// The clients' honesty: what each answer is recorded as, including an operation that never answers,
// and the operations they choose.

import { describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../../core/chaos/history-recorder.js';
import { seededRandom } from '../../core/chaos/random.js';
import { chooseOperation, ClientWorker, outcomeOfError } from '../../core/chaos/workload.js';
import { parseHistory } from '../../core/check/index.js';
import { ClientError, type ClusterConnection } from '../../core/client/cluster-client.js';

type Answer = { status: number; body: unknown } | Error | 'never';

/** A connection that answers each request from a script, and stops the worker after the last. */
function scriptedConnection(answers: Answer[], stop: AbortController): ClusterConnection {
  let i = 0;
  const fake = {
    timeoutMs: 50,
    call: async () => {
      const answer = answers[i++]!;
      if (i === answers.length) stop.abort();
      if (answer === 'never') return new Promise(() => undefined);
      if (answer instanceof Error) throw answer;
      return { response: { status: answer.status, headers: {}, body: JSON.stringify(answer.body) }, node: 'n1', latencyMs: 1 };
    },
  };
  return fake as unknown as ClusterConnection;
}

/** Runs one worker over scripted answers; returns its history's operations. */
async function run(answers: Answer[], seed = 1) {
  const stop = new AbortController();
  let t = 0;
  const recorder = new HistoryRecorder(() => ++t);
  const worker = new ClientWorker(0, scriptedConnection(answers, stop), ['x'], seededRandom(seed), recorder, 200);
  await worker.run(stop.signal);
  return { ops: parseHistory(recorder.text()).ops, outcomes: recorder.outcomes() };
}

describe('ClientWorker records honestly', () => {
  it('records a confirmed answer as ok, a definite refusal as fail, an unknown outcome as info', async () => {
    const { ops, outcomes } = await run([
      { status: 200, body: { index: 1, term: 1, value: 'v' } },
      new ClientError('unavailable', 'No node could take the operation.', false),
      new ClientError('timeout', 'No confirmation; it may or may not have taken effect.', true),
      new Error('something unexpected'),
    ]);
    expect(ops.map((o) => o.outcome)).toEqual(['ok', 'fail', 'info', 'info']);
    expect(outcomes).toEqual({ ok: 1, fail: 1, info: 2 });
  });

  it('records an operation that never answers as unknown once the guard runs out, and goes on with a new client', async () => {
    const { ops } = await run(['never', { status: 200, body: { index: 2, term: 1 } }]);
    expect(ops.map((o) => [o.outcome, o.completeAt !== null])).toEqual([
      ['info', true],
      ['ok', true],
    ]);
  });

  it('records a cas that did not swap as fail (it happened and saw another value), and the value a read returned', async () => {
    // Find seeds whose first operation is a cas, then a read.
    const seed = [...Array(500).keys()].find((s) => {
      const r = seededRandom(s);
      const first = chooseOperation(r, ['x'], new Map(), () => 'v');
      return first.f === 'cas' && chooseOperation(r, ['x'], new Map(), () => 'v').f === 'read';
    })!;
    const { ops } = await run(
      [
        { status: 200, body: { index: 3, term: 1, swapped: false, current: 'other' } },
        { status: 200, body: { index: 4, term: 1, key: 'x', value: 'seen' } },
      ],
      seed,
    );
    expect(ops.map((o) => [o.f, o.outcome, o.output])).toEqual([
      ['cas', 'fail', null],
      ['read', 'ok', 'seen'],
    ]);
  });
});

describe('outcomeOfError', () => {
  it('says fail only for a client error that knows the operation did not happen', () => {
    expect(outcomeOfError(new ClientError('unavailable', 'x', false), 'write')).toBe('fail');
    expect(outcomeOfError(new ClientError('timeout', 'x', true), 'write')).toBe('info');
    expect(outcomeOfError(new TypeError('x'), 'read')).toBe('info');
    // A failed cas means "happened and did not match": a refused one can only be unknown.
    expect(outcomeOfError(new ClientError('unavailable', 'x', false), 'cas')).toBe('info');
  });
});

describe('chooseOperation', () => {
  it('mixes every kind of operation, writes values never used before, and casts from the last value seen', () => {
    const random = seededRandom(3);
    let n = 0;
    const lastSeen = new Map([['a', 'p0-7']]);
    const ops = Array.from({ length: 2000 }, () => chooseOperation(random, ['a', 'b'], lastSeen, () => `p0-${++n}`));
    const share = (f: string) => ops.filter((o) => o.f === f).length / ops.length;
    expect(share('read')).toBeGreaterThan(0.3);
    expect(share('write')).toBeGreaterThan(0.15);
    expect(share('cas')).toBeGreaterThan(0.1);
    expect(share('append')).toBeGreaterThan(0.05);
    expect(share('delete')).toBeGreaterThan(0.02);
    const written = ops.flatMap((o) => (o.f === 'write' || o.f === 'append' ? [o.value] : o.f === 'cas' ? [(o.value as [unknown, unknown])[1]] : []));
    expect(new Set(written).size).toBe(written.length);
    for (const o of ops) if (o.f === 'cas') expect((o.value as [unknown, unknown])[0]).toBe(o.key === 'a' ? 'p0-7' : null);
    expect(new Set(ops.map((o) => o.key))).toEqual(new Set(['a', 'b']));
  });
});
