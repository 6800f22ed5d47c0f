import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeCommand, KvDecodeError, KvEncodeError, type Command } from '../../core/kv/index.js';
import { commandArbitrary } from './arbitraries.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'));

describe('command encoding', () => {
  // Golden bytes pin the wire/WAL format: changing them breaks every existing WAL.
  it.each<[string, Command, string]>([
    ['no-op', { op: 'noop' }, ''],
    ['put', { op: 'put', key: 'x', value: '4' }, '01 01 78 01 34'],
    ['get', { op: 'get', key: 'x' }, '02 01 78'],
    ['delete', { op: 'delete', key: 'x' }, '03 01 78'],
    ['cas', { op: 'cas', key: 'x', expected: '1', value: '2' }, '04 01 78 01 01 31 01 32'],
    ['cas on an absent key', { op: 'cas', key: 'x', expected: null, value: '2' }, '04 01 78 00 01 32'],
    ['append', { op: 'append', key: 'x', suffix: 'ab' }, '05 01 78 02 61 62'],
    ['submit', { op: 'submit', text: 'Value1' }, '06 06 56 61 6c 75 65 31'],
    ['put with a session', { op: 'put', key: 'x', value: '4', session: { clientId: 'c', seq: 300 } }, '81 01 63 ac 02 01 78 01 34'],
  ])('%s', (_name, command, bytes) => {
    expect(hex(encodeCommand(command))).toBe(bytes.replace(/ /g, ''));
    expect(decodeCommand(fromHex(bytes))).toEqual(command);
  });

  it('keeps a leading U+FEFF in keys and values (found by the property below)', () => {
    const command = { op: 'put' as const, key: '\uFEFF', value: '\uFEFFv' };
    expect(decodeCommand(encodeCommand(command))).toEqual(command);
  });

  it('round-trips any command', () => {
    fc.assert(
      fc.property(commandArbitrary(), (command) => {
        expect(decodeCommand(encodeCommand(command))).toEqual(command);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses strings that have no UTF-8 form and seqs that are not safe integers', () => {
    expect(() => encodeCommand({ op: 'put', key: 'x', value: 'a\uD800b' })).toThrow(KvEncodeError);
    expect(() => encodeCommand({ op: 'get', key: 'x', session: { clientId: 'c', seq: -1 } })).toThrow(KvEncodeError);
    expect(() => encodeCommand({ op: 'get', key: 'x', session: { clientId: 'c', seq: 1.5 } })).toThrow(KvEncodeError);
    expect(() => encodeCommand({ op: 'get', key: 'x', session: { clientId: 'c', seq: 2 ** 53 } })).toThrow(KvEncodeError);
  });
});

describe('decoding malformed data', () => {
  it.each<[string, string, RegExp]>([
    ['an unknown tag', '07 01 78', /byte 0: unknown command tag 0x07/],
    ['a zero tag', '00', /unknown command tag 0x00/],
    ['a truncated string', '01 05 78', /string of 5 bytes runs past the end/],
    ['a missing operand', '01 01 78', /unexpected end of data/],
    ['trailing bytes', '02 01 78 00', /byte 3: 1 unexpected trailing bytes/],
    ['invalid UTF-8', '02 02 c3 28', /byte 2: string is not valid UTF-8/],
    ['an over-long varint', '02 81 00 78', /over-long varint/],
    ['a varint beyond 2^53', '82 01 63 ff ff ff ff ff ff ff 7f 01 78', /largest safe integer/],
    ['a cas flag other than 0 or 1', '04 01 78 02 01 32', /expected 0 or 1, found 2/],
  ])('reports %s', (_name, bytes, message) => {
    const decode = () => decodeCommand(fromHex(bytes));
    expect(decode).toThrow(KvDecodeError);
    expect(decode).toThrow(message);
  });

  function decodesOrThrowsTyped(bytes: Uint8Array): void {
    try {
      const command = decodeCommand(bytes);
      // Canonical: whatever decodes re-encodes to the very same bytes.
      expect(hex(encodeCommand(command))).toBe(hex(bytes));
    } catch (error) {
      expect(error).toBeInstanceOf(KvDecodeError);
    }
  }

  it('throws only KvDecodeError on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), decodesOrThrowsTyped), { numRuns: 5000 });
  });

  it('throws only KvDecodeError on mutated and truncated valid commands', () => {
    const mutated = fc
      .tuple(commandArbitrary(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat())
      .map(([command, at, byte, cut]) => {
        const bytes = encodeCommand(command);
        if (bytes.length === 0) return bytes;
        const copy = bytes.slice(0, 1 + (cut % bytes.length));
        copy[at % copy.length] = byte;
        return copy;
      });
    fc.assert(fc.property(mutated, decodesOrThrowsTyped), { numRuns: 5000 });
  });
});
