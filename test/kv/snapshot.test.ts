import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCommand, KvDecodeError, KvStateMachine, type Command, type KvStateMachineOptions } from '../../core/kv/index.js';
import { commandArbitrary, fewKeys } from './arbitraries.js';

const OPTIONS: KvStateMachineOptions = { maxSessions: 2, recentSubmissions: 3 };

function applyAll(machine: KvStateMachine, commands: Command[]) {
  return commands.map((command) => machine.apply(machine.appliedIndex + 1, encodeCommand(command)));
}

const commands = fc.array(commandArbitrary(fewKeys), { maxLength: 50 });

describe('snapshot and restore', () => {
  it('restore(snapshot()) yields a machine that answers and evolves identically', () => {
    fc.assert(
      fc.property(commands, commands, (before, after) => {
        const original = new KvStateMachine(OPTIONS);
        applyAll(original, before);
        const copy = new KvStateMachine(OPTIONS);
        copy.restore(original.snapshot());

        expect(copy.stats()).toEqual(original.stats());
        expect(copy.snapshot()).toEqual(original.snapshot());
        // Sessions included: retries of commands applied before the snapshot are recognised by the copy.
        expect(applyAll(copy, [...before, ...after])).toEqual(applyAll(original, [...before, ...after]));
        expect(copy.snapshot()).toEqual(original.snapshot());
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a retried command exactly-once across a restore', () => {
    const original = new KvStateMachine();
    const append: Command = { op: 'append', key: 'x', suffix: 'a', session: { clientId: 'c', seq: 7 } };
    applyAll(original, [append]);
    const copy = new KvStateMachine();
    copy.restore(original.snapshot());
    expect(applyAll(copy, [append])).toEqual([{ value: 'a' }]);
    expect(copy.get('x')).toBe('a');
    expect(copy.appliedIndex).toBe(2);
  });

  it('replaces whatever state the machine had', () => {
    const source = new KvStateMachine();
    applyAll(source, [{ op: 'put', key: 'a', value: '1' }]);
    const target = new KvStateMachine();
    applyAll(target, [{ op: 'put', key: 'b', value: '2' }, { op: 'submit', text: 't' }, { op: 'noop' }]);
    target.restore(source.snapshot());
    expect(target.stats()).toEqual(source.stats());
    expect(target.get('b')).toBeNull();
    expect(target.get('a')).toBe('1');
  });

  it('rejects malformed snapshots with KvDecodeError and leaves the state untouched', () => {
    const machine = new KvStateMachine();
    applyAll(machine, [{ op: 'put', key: 'a', value: '1' }, { op: 'submit', text: 't' }]);
    const good = machine.snapshot();
    const before = machine.snapshot();
    const attempts = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat()).map(([at, byte, cut]) => {
        const copy = good.slice(0, 1 + (cut % good.length));
        copy[at % copy.length] = byte;
        return copy;
      }),
    );
    fc.assert(
      fc.property(attempts, (bytes) => {
        try {
          new KvStateMachine().restore(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(KvDecodeError);
        }
      }),
      { numRuns: 3000 },
    );
    expect(() => machine.restore(good.slice(0, good.length - 1))).toThrow(KvDecodeError);
    expect(() => machine.restore(new Uint8Array([1, 2, 3]))).toThrow('not a raftdesk key/value snapshot');
    expect(machine.snapshot()).toEqual(before);
  });

  it('detects a key that appears twice', () => {
    // "RKV" v1, applied 0, submitted 0, no recent, no sessions, two pairs "k" → "1" and "k" → "2".
    const bytes = new Uint8Array([0x52, 0x4b, 0x56, 1, 0, 0, 0, 0, 2, 1, 0x6b, 1, 0x31, 1, 0x6b, 1, 0x32]);
    expect(() => new KvStateMachine().restore(bytes)).toThrow('key "k" appears twice');
  });
});
