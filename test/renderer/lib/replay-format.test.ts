import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../core/api/traces.js';
import { opLine, describeRun, formatBytes, formatDuration, formatOffset, replayMoveFor, summariseOps, windowAround } from '../../../renderer/lib/replay-format.js';

describe('replay words', () => {
  it('describes a run with its notes', () => {
    const run: RunSummary = { id: 'r', cluster: 'demo', nodes: ['n1', 'n2', 'n3'], startedAt: 0, endedAt: 125_000, recording: true, experiments: ['e1'], bytes: 3 * 1024 * 1024, pruned: true, messages: null };
    const line = describeRun(run);
    expect(line.title).toMatch(/^demo — /);
    expect(line.detail).toBe('3 nodes · 2 min 5 s · 3.0 MB');
    expect(line.notes).toEqual(['recording now', 'oldest part pruned', '1 experiment']);
  });

  it.each([
    [999, '1 s'],
    [59_000, '59 s'],
    [3_600_000 + 120_000, '1 h 2 min'],
  ])('formats %d ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('formats sizes and offsets', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatOffset(12_345, 0)).toBe('+12.345 s');
  });

  it.each([
    ['ArrowLeft', false, 'previous-change'],
    ['ArrowRight', false, 'next-change'],
    ['ArrowLeft', true, 'back-second'],
    ['ArrowUp', true, 'forward-second'],
    ['Home', false, 'start'],
    ['End', false, 'end'],
    ['a', false, null],
  ] as const)('%s (shift %s) → %s', (key, shift, move) => expect(replayMoveFor(key, shift)).toBe(move));

  it('keeps the spacetime window inside the run', () => {
    expect(windowAround(5000, 2000, 0, 10_000)).toEqual({ from: 4000, to: 6000 });
    expect(windowAround(500, 2000, 0, 10_000)).toEqual({ from: 0, to: 2000 });
    expect(windowAround(9900, 2000, 0, 10_000)).toEqual({ from: 8000, to: 10_000 });
    expect(windowAround(50, 2000, 0, 100)).toEqual({ from: 0, to: 100 });
  });

  it('summarises and describes client operations', () => {
    const ok = { process: 3, f: 'write', key: 'x', value: '4', outcome: 'ok' as const, startAt: 100, endAt: 112.34 };
    const unknown = { ...ok, process: 4, outcome: 'info' as const };
    const pending = { ...ok, process: 5, outcome: 'pending' as const, endAt: null };
    expect(summariseOps([ok, unknown, pending])).toBe('3 client operations: 1 ok · 1 with unknown outcome · 1 never answered');
    expect(opLine(ok)).toBe('client 3 write x 4 → ok in 12.3 ms');
    expect(opLine(pending)).toBe('client 5 write x 4 → no answer');
  });
});
