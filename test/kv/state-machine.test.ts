import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApplyOrderError,
  encodeCommand,
  isRejected,
  KvStateMachine,
  type Command,
  type CommandResult,
  type KvStateMachineOptions,
} from '../../core/kv/index.js';
import { commandArbitrary, fewKeys } from './arbitraries.js';

/** A machine that has applied `commands` at indexes 1..n, and the results. */
function applied(commands: Command[], options?: KvStateMachineOptions): { machine: KvStateMachine; results: CommandResult[] } {
  const machine = new KvStateMachine(options);
  const results = commands.map((command, i) => machine.apply(i + 1, encodeCommand(command)));
  return { machine, results };
}

function lastResult(commands: Command[]): CommandResult {
  return applied(commands).results.at(-1)!;
}

describe('commands', () => {
  it.each<[string, Command[], CommandResult]>([
    ['put', [{ op: 'put', key: 'x', value: '4' }], {}],
    ['get of a present key', [{ op: 'put', key: 'x', value: '4' }, { op: 'get', key: 'x' }], { value: '4' }],
    ['get of an absent key', [{ op: 'get', key: 'x' }], { value: null }],
    ['put overwrites', [{ op: 'put', key: 'x', value: '4' }, { op: 'put', key: 'x', value: '5' }, { op: 'get', key: 'x' }], { value: '5' }],
    ['delete of a present key', [{ op: 'put', key: 'x', value: '4' }, { op: 'delete', key: 'x' }], { existed: true }],
    ['delete of an absent key', [{ op: 'delete', key: 'x' }], { existed: false }],
    ['get after delete', [{ op: 'put', key: 'x', value: '4' }, { op: 'delete', key: 'x' }, { op: 'get', key: 'x' }], { value: null }],
    ['cas that matches', [{ op: 'put', key: 'x', value: '1' }, { op: 'cas', key: 'x', expected: '1', value: '2' }], { swapped: true, current: '2' }],
    ['cas that does not match', [{ op: 'put', key: 'x', value: '3' }, { op: 'cas', key: 'x', expected: '1', value: '2' }], { swapped: false, current: '3' }],
    ['cas expecting absent, key absent', [{ op: 'cas', key: 'x', expected: null, value: '2' }], { swapped: true, current: '2' }],
    ['cas expecting absent, key present', [{ op: 'put', key: 'x', value: '' }, { op: 'cas', key: 'x', expected: null, value: '2' }], { swapped: false, current: '' }],
    ['cas expecting a value, key absent', [{ op: 'cas', key: 'x', expected: '', value: '2' }], { swapped: false, current: null }],
    ['append to an absent key', [{ op: 'append', key: 'x', suffix: 'ab' }], { value: 'ab' }],
    ['append to a present key', [{ op: 'put', key: 'x', value: '1' }, { op: 'append', key: 'x', suffix: '2' }], { value: '12' }],
    ['submit', [{ op: 'submit', text: 'Value1' }], {}],
    ['no-op', [{ op: 'noop' }], {}],
  ])('%s', (_name, commands, expected) => {
    expect(lastResult(commands)).toEqual(expected);
  });

  it('cas with a failed comparison changes nothing', () => {
    const { machine } = applied([{ op: 'put', key: 'x', value: '3' }, { op: 'cas', key: 'x', expected: '1', value: '2' }]);
    expect(machine.get('x')).toBe('3');
  });

  it('counts submissions and keeps only the most recent', () => {
    const texts = ['a', 'b', 'c', 'd'];
    const { machine } = applied(
      texts.map((text) => ({ op: 'submit', text })),
      { recentSubmissions: 2 },
    );
    expect(machine.stats()).toEqual({
      appliedIndex: 4,
      keys: 0,
      sessions: 0,
      submittedCount: 4,
      recentSubmissions: [
        { index: 3, text: 'c' },
        { index: 4, text: 'd' },
      ],
    });
  });

  it('tracks appliedIndex and size', () => {
    const { machine } = applied([{ op: 'noop' }, { op: 'put', key: 'a', value: '1' }, { op: 'put', key: 'b', value: '2' }, { op: 'delete', key: 'a' }]);
    expect(machine.appliedIndex).toBe(4);
    expect(machine.size).toBe(1);
    expect(machine.get('a')).toBeNull();
    expect(machine.get('b')).toBe('2');
  });
});

describe('apply order and bad data', () => {
  it('refuses to skip or repeat an index', () => {
    const machine = new KvStateMachine();
    expect(() => machine.apply(2, new Uint8Array())).toThrow(ApplyOrderError);
    machine.apply(1, new Uint8Array());
    expect(() => machine.apply(1, new Uint8Array())).toThrow('entry 1 applied out of order: the next entry to apply is 2');
    expect(machine.appliedIndex).toBe(1);
  });

  it('rejects data that is not a command, and still advances', () => {
    const machine = new KvStateMachine();
    const result = machine.apply(1, new Uint8Array([0x7f, 0]));
    expect(isRejected(result) && result.rejected).toBe('malformed-command');
    expect(machine.appliedIndex).toBe(1);
    expect(machine.apply(2, encodeCommand({ op: 'put', key: 'x', value: '1' }))).toEqual({});
  });
});

describe('client sessions', () => {
  const session = (seq: number, clientId = 'c1') => ({ clientId, seq });

  it('applies a retried command once and returns the saved result', () => {
    const append: Command = { op: 'append', key: 'x', suffix: 'a', session: session(1) };
    const { machine, results } = applied([append, append, append]);
    expect(results).toEqual([{ value: 'a' }, { value: 'a' }, { value: 'a' }]);
    expect(machine.get('x')).toBe('a');
  });

  it('returns the result of the first application even after the state moved on', () => {
    const { results } = applied([
      { op: 'cas', key: 'x', expected: null, value: '1', session: session(1) },
      { op: 'put', key: 'x', value: '9', session: session(1, 'c2') },
      { op: 'cas', key: 'x', expected: null, value: '1', session: session(1) },
    ]);
    expect(results[2]).toEqual({ swapped: true, current: '1' });
  });

  it('applies increasing seqs, gaps included', () => {
    const { machine } = applied([1, 2, 5].map((seq) => ({ op: 'append', key: 'x', suffix: String(seq), session: session(seq) })));
    expect(machine.get('x')).toBe('125');
  });

  it('rejects a seq older than the last applied one', () => {
    const { machine, results } = applied([
      { op: 'append', key: 'x', suffix: 'a', session: session(2) },
      { op: 'append', key: 'x', suffix: 'b', session: session(1) },
    ]);
    expect(isRejected(results[1]!) && results[1].rejected).toBe('stale-sequence');
    expect(machine.get('x')).toBe('a');
  });

  it('keeps sessions apart per client', () => {
    const { machine } = applied([
      { op: 'append', key: 'x', suffix: 'a', session: session(1, 'c1') },
      { op: 'append', key: 'x', suffix: 'b', session: session(1, 'c2') },
    ]);
    expect(machine.get('x')).toBe('ab');
  });

  it('evicts the least recently used client beyond the limit', () => {
    const options = { maxSessions: 2 };
    const a = (clientId: string): Command => ({ op: 'append', key: 'x', suffix: clientId, session: session(1, clientId) });
    // c1 is used again (a retry) after c2, so c2 is the least recently used when c3 arrives.
    const { machine } = applied([a('c1'), a('c2'), a('c1'), a('c3'), a('c1'), a('c2')], options);
    expect(machine.stats().sessions).toBe(2);
    // c1's retry was still recognised; c2 had been forgotten, so its retry applied again.
    expect(machine.get('x')).toBe('c1c2c3c2');
  });
});

describe('determinism', () => {
  it('two machines fed the same entries produce the same results and snapshots', () => {
    fc.assert(
      fc.property(fc.array(commandArbitrary(fewKeys), { maxLength: 60 }), (commands) => {
        const first = applied(commands, { maxSessions: 2, recentSubmissions: 3 });
        const second = applied(commands, { maxSessions: 2, recentSubmissions: 3 });
        expect(second.results).toEqual(first.results);
        expect(second.machine.snapshot()).toEqual(first.machine.snapshot());
      }),
      { numRuns: 300 },
    );
  });
});
