import { describe, expect, it } from 'vitest';
import { measureEpochOffset, type ClockSources } from '../../core/node/epoch-clock.js';

/** A simulated machine: each clock read takes `stepMs`; `pauseMs(n)` more before the n-th monotonic read (a preemption). */
function machine(trueOffset: number, stepMs: number, pauseMs: (read: number) => number = () => 0): ClockSources {
  let mono = 1234.5678;
  let monotonicReads = 0;
  return {
    wallNow: () => {
      mono += stepMs;
      return Math.floor(mono + trueOffset);
    },
    monotonicNow: () => {
      mono += stepMs + pauseMs(monotonicReads++);
      return mono;
    },
  };
}

describe('measureEpochOffset', () => {
  const offset = 1_796_000_000_000.3711;

  it('finds the offset between the wall clock and the monotonic clock to within a read, never above it', () => {
    const estimate = measureEpochOffset(machine(offset, 0.0007));
    expect(estimate).toBeLessThanOrEqual(offset);
    expect(offset - estimate).toBeLessThan(0.002);
  });

  it('is not thrown off by pauses between the edge and the read, as one reading at process start is', () => {
    // Four of the five samples are preempted for 4 ms after the edge was seen.
    const estimate = measureEpochOffset(machine(offset, 0.0007, (read) => (read < 4 ? 4 : 0)));
    expect(estimate).toBeLessThanOrEqual(offset);
    expect(offset - estimate).toBeLessThan(0.002);
  });
});
