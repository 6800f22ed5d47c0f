import { describe, expect, it } from 'vitest';
import { Progress } from '../../core/raft/progress.js';

function progress(state: 'probe' | 'replicate' | 'snapshot', match: number, next: number, inflight = 4): Progress {
  const pr = new Progress('n2', next, inflight);
  pr.match = match;
  if (state === 'replicate') {
    pr.becomeReplicate();
    pr.next = next;
  } else if (state === 'snapshot') {
    pr.becomeSnapshot(next);
  }
  return pr;
}

describe('Progress (follower flow control)', () => {
  it('probe: pauses after one App until an answer arrives', () => {
    const pr = progress('probe', 0, 5);
    expect(pr.isPaused()).toBe(false);
    pr.sentEntries(1, 5);
    expect(pr.isPaused()).toBe(true);
    expect(pr.next).toBe(5);
    expect(pr.maybeUpdate(5)).toBe(true);
    expect(pr.isPaused()).toBe(false);
    expect(pr.next).toBe(6);
  });

  it('replicate: advances next optimistically and pauses when the window is full', () => {
    const pr = progress('replicate', 3, 4, 2);
    pr.sentEntries(2, 5);
    expect(pr.next).toBe(6);
    expect(pr.isPaused()).toBe(false);
    pr.sentEntries(3, 8);
    expect(pr.next).toBe(9);
    expect(pr.isPaused()).toBe(true);
    pr.maybeUpdate(5);
    pr.inflights.freeLE(5);
    expect(pr.isPaused()).toBe(false);
  });

  it('snapshot: always paused; back to probing just past the snapshot', () => {
    const pr = progress('snapshot', 2, 10);
    expect(pr.isPaused()).toBe(true);
    pr.becomeProbe();
    expect(pr.state).toBe('probe');
    expect(pr.next).toBe(11);
  });

  it('a failed snapshot probes from match + 1 once the pending index is forgotten', () => {
    const pr = progress('snapshot', 2, 10);
    pr.pendingSnapshot = 0;
    pr.becomeProbe();
    expect(pr.next).toBe(3);
  });

  it.each([
    { name: 'stale duplicate ack', match: 5, next: 9, ack: 4, updated: false, expectMatch: 5, expectNext: 9 },
    { name: 'new ack', match: 5, next: 9, ack: 7, updated: true, expectMatch: 7, expectNext: 9 },
    { name: 'ack beyond next', match: 5, next: 6, ack: 8, updated: true, expectMatch: 8, expectNext: 9 },
  ])('maybeUpdate: $name', ({ match, next, ack, updated, expectMatch, expectNext }) => {
    const pr = progress('replicate', match, next);
    expect(pr.maybeUpdate(ack)).toBe(updated);
    expect(pr.match).toBe(expectMatch);
    expect(pr.next).toBe(expectNext);
  });

  it.each([
    // Replicate: a rejection at or below match is stale; otherwise fall back to match + 1.
    { state: 'replicate' as const, match: 5, next: 10, rejected: 5, hint: 0, changed: false, expectNext: 10 },
    { state: 'replicate' as const, match: 5, next: 10, rejected: 8, hint: 2, changed: true, expectNext: 6 },
    // Probe: only a rejection of the App just sent (next - 1) counts; the hint jumps back.
    { state: 'probe' as const, match: 0, next: 10, rejected: 5, hint: 3, changed: false, expectNext: 10 },
    { state: 'probe' as const, match: 0, next: 10, rejected: 9, hint: 3, changed: true, expectNext: 4 },
    { state: 'probe' as const, match: 0, next: 10, rejected: 9, hint: 20, changed: true, expectNext: 9 },
    { state: 'probe' as const, match: 6, next: 10, rejected: 9, hint: 2, changed: true, expectNext: 7 },
  ])('maybeDecrTo in $state (match $match, next $next, rejected $rejected, hint $hint)', ({ state, match, next, rejected, hint, changed, expectNext }) => {
    const pr = progress(state, match, next);
    expect(pr.maybeDecrTo(rejected, hint)).toBe(changed);
    expect(pr.next).toBe(expectNext);
  });
});
