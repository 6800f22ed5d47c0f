import { describe, expect, it } from 'vitest';
import { formatOutputLine } from '../../../renderer/lib/output-format.js';

describe('formatOutputLine', () => {
  it('turns a pino line into time, level, message and the remaining fields', () => {
    const line = '{"level":40,"time":"2026-11-26T15:33:16.498Z","node":"n1","peer":"n3","msg":"lost the connection to n3: the connection closed"}';
    expect(formatOutputLine(line)).toBe('15:33:16.498 WARN  lost the connection to n3: the connection closed peer=n3');
  });

  it('quotes values with spaces and prints objects as JSON', () => {
    const line = JSON.stringify({ level: 30, time: 0, msg: 'faults set', blockedTo: ['n2'], reason: 'by operator' });
    expect(formatOutputLine(line)).toBe('00:00:00.000 INFO  faults set blockedTo=["n2"] reason="by operator"');
  });

  it('leaves other lines as they are', () => {
    expect(formatOutputLine('plain text')).toBe('plain text');
    expect(formatOutputLine('{not json')).toBe('{not json');
    expect(formatOutputLine('{"a":1}')).toBe('{"a":1}');
  });
});
