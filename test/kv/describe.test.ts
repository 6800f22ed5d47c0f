import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeCommand, encodeCommand, type Command, type CommandKind } from '../../core/kv/index.js';

describe('describeCommand', () => {
  it.each<[Command, CommandKind, string]>([
    [{ op: 'noop' }, 'empty', 'no-op'],
    [{ op: 'submit', text: 'Value1' }, 'entry', '"Value1"'],
    [{ op: 'put', key: 'x', value: '4' }, 'put', 'x = 4'],
    [{ op: 'put', key: 'x', value: '' }, 'put', 'x = ""'],
    [{ op: 'put', key: 'my key', value: 'a\nb' }, 'put', '"my key" = "a\\nb"'],
    [{ op: 'get', key: 'x', session: { clientId: 'c', seq: 1 } }, 'get', 'get x'],
    [{ op: 'delete', key: 'x' }, 'delete', 'delete x'],
    [{ op: 'cas', key: 'x', expected: '1', value: '2' }, 'cas', 'cas x: 1 → 2'],
    [{ op: 'cas', key: 'x', expected: null, value: '2' }, 'cas', 'cas x: (absent) → 2'],
    [{ op: 'append', key: 'log', suffix: 'abc' }, 'append', 'log += abc'],
  ])('%j is %s: %s', (command, kind, preview) => {
    expect(describeCommand(encodeCommand(command))).toEqual({ kind, preview });
  });

  it('clips long texts without splitting a character', () => {
    const { preview } = describeCommand(encodeCommand({ op: 'submit', text: '😀'.repeat(100) }));
    expect(Array.from(preview)).toHaveLength(40);
    expect(preview).toBe('"' + '😀'.repeat(38) + '…');
  });

  it('shows garbage as unknown with its first bytes', () => {
    expect(describeCommand(new Uint8Array([0x07, 1, 2]))).toEqual({ kind: 'unknown', preview: '3 bytes: 07 01 02' });
    expect(describeCommand(new Uint8Array(20).fill(0xff)).preview).toBe('20 bytes: ff ff ff ff ff ff ff ff …');
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
        expect(typeof describeCommand(bytes).preview).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });
});
