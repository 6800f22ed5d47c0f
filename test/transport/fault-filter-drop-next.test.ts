import { describe, expect, it } from 'vitest';
import { FaultFilter } from '../../core/transport/fault-filter.js';

describe('one-shot drops', () => {
  it('drops exactly the next N to that peer, independent of the standing faults', () => {
    const f = new FaultFilter(() => 0.5);
    f.setDropNext('n2', 2);
    f.set({ blockedTo: [], blockedFrom: [], delayMs: 0, jitterMs: 0, lossPercent: 0 });
    expect(f.dropsLeft()).toEqual({ n2: 2 });
    expect(f.takeDropNext('n3')).toBe(false);
    expect(f.takeDropNext('n2')).toBe(true);
    expect(f.dropsLeft()).toEqual({ n2: 1 });
    expect(f.takeDropNext('n2')).toBe(true);
    expect(f.takeDropNext('n2')).toBe(false);
    expect(f.dropsLeft()).toEqual({});
    f.setDropNext('n3', 5);
    f.setDropNext('n3', 0);
    f.setDropNext('n2', 1);
    f.clearDropNext();
    expect(f.dropsLeft()).toEqual({});
    expect(() => f.setDropNext('n2', -1)).toThrow(RangeError);
  });
});
