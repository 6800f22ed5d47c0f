import { describe, expect, it } from 'vitest';
import { formatTraceLine, parseTraceText } from '../../core/trace/trace-lines.js';
import type { TraceRecord } from '../../core/api/traces.js';
import { state, node } from './fixtures.js';

const a: TraceRecord = { k: 'state', at: 1, state: state(1, [node('n1')]) };
const b: TraceRecord = { k: 'event', at: 2, event: { seq: 1, at: 2, kind: 'fault', node: 'n1', term: null, message: 'Killed n1', details: {} } };

describe('trace lines', () => {
  it('reads back what it wrote', () => {
    const parsed = parseTraceText(formatTraceLine(a) + formatTraceLine(b));
    expect(parsed).toEqual({ records: [a, b], badLines: 0, tornTail: false });
  });

  it('skips a last line cut short by a crash and says so', () => {
    const whole = formatTraceLine(a) + formatTraceLine(b);
    const torn = whole + formatTraceLine(a).slice(0, 25);
    const parsed = parseTraceText(torn);
    expect(parsed.records).toEqual([a, b]);
    expect(parsed.tornTail).toBe(true);
    expect(parsed.badLines).toBe(0);
  });

  it('keeps an unterminated last line that is whole', () => {
    expect(parseTraceText(formatTraceLine(a) + formatTraceLine(b).trimEnd()).records).toEqual([a, b]);
  });

  it('counts damaged lines in the middle instead of hiding them', () => {
    const parsed = parseTraceText(`${formatTraceLine(a)}{"k":"state"\n{"k":"nonsense","at":1}\n${formatTraceLine(b)}`);
    expect(parsed.records).toEqual([a, b]);
    expect(parsed.badLines).toBe(2);
  });

  it('filters while parsing', () => {
    expect(parseTraceText(formatTraceLine(a) + formatTraceLine(b), (r) => r.k === 'event').records).toEqual([b]);
  });
});
