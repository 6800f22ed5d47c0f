import { describe, expect, it } from 'vitest';
import { TimeIndex, lastAtOrBefore } from '../../core/trace/time-index.js';
import type { TraceRecord } from '../../core/api/traces.js';
import { node, state } from './fixtures.js';

describe('lastAtOrBefore', () => {
  it.each([
    [[], 5, -1],
    [[10], 5, -1],
    [[10], 10, 0],
    [[10, 20, 20, 30], 20, 2],
    [[10, 20, 30], 25, 1],
    [[10, 20, 30], 99, 2],
  ])('%j at %d → %d', (times, t, expected) => {
    expect(lastAtOrBefore(times, t)).toBe(expected);
  });
});

describe('TimeIndex', () => {
  const before = state(1000, [node('n1', { role: 'leader', term: 2 }), node('n2'), node('n3')]);
  const killed = state(2000, [node('n1', { role: 'leader', term: 2 }), node('n2', { state: 'killed', role: null }), node('n3')]);
  const event = (at: number, message: string): TraceRecord => ({ k: 'event', at, event: { seq: at, at, kind: 'fault', node: 'n2', term: null, message, details: {} } });
  const records: TraceRecord[] = [
    { k: 'state', at: 2000, state: killed },
    event(1990, 'Killed n2'),
    { k: 'state', at: 1000, state: before },
    { k: 'metrics', at: 1500, sample: { at: 1500, commitsPerSec: 10, p50Ms: 1, p99Ms: 2 } },
    { k: 'logs', at: 1200, views: [{ id: 'n1', firstIndex: 1, lastIndex: 1, commitIndex: 1, appliedIndex: 1, entries: [], unavailable: null }] },
    event(500, 'Started'),
  ];
  const index = new TimeIndex(records);

  it('shows the last snapshot at or before the moment, whatever the record order', () => {
    expect(index.stateAt(1999)).toBe(before);
    expect(index.stateAt(2000)).toBe(killed);
    expect(index.stateAt(5000)).toBe(killed);
    // Before the first snapshot: the first one (the cluster as it started).
    expect(index.stateAt(0)).toBe(before);
  });

  it('gives what had happened by the moment', () => {
    expect(index.eventsUntil(1989, 10).map((e) => e.message)).toEqual(['Started']);
    expect(index.eventsUntil(1990, 10).map((e) => e.message)).toEqual(['Started', 'Killed n2']);
    expect(index.eventsUntil(1990, 1).map((e) => e.message)).toEqual(['Killed n2']);
    expect(index.samplesUntil(1499, 10)).toEqual([]);
    expect(index.samplesUntil(1500, 10)).toHaveLength(1);
    expect(index.logsAt(1100)).toBeNull();
    expect(index.logsAt(1300)?.[0].id).toBe('n1');
  });

  it('spans the records and steps from change to change', () => {
    expect([index.startAt, index.endAt]).toEqual([500, 2000]);
    expect(index.step(500, 1)).toBe(1000);
    expect(index.step(1000, 1)).toBe(1990);
    expect(index.step(1500, 1)).toBe(1990);
    expect(index.step(1990, -1)).toBe(1000);
    expect(index.step(1995, -1)).toBe(1990);
    expect(index.step(2000, 1)).toBe(2000);
    expect(index.step(500, -1)).toBe(500);
  });

  it('indexes a long recording (the 146,000 records of a 5-minute soak once overflowed the call stack)', () => {
    const many: TraceRecord[] = Array.from({ length: 300_000 }, (_, i) => event(10_000 + i, `fault ${i}`));
    const long = new TimeIndex(many);
    expect([long.startAt, long.endAt]).toEqual([10_000, 309_999]);
  });

  it('is empty without records', () => {
    const empty = new TimeIndex([]);
    expect(empty.stateAt(1)).toBeNull();
    expect(empty.eventsUntil(1, 5)).toEqual([]);
  });
});
