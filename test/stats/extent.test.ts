import { describe, expect, it } from 'vitest';
import { extent } from '../../core/stats/extent.js';

describe('extent', () => {
  it('gives the least and greatest value, ignoring NaN, and null for none', () => {
    expect(extent([3, -1, 7, NaN, 2])).toEqual({ min: -1, max: 7 });
    expect(extent([5])).toEqual({ min: 5, max: 5 });
    expect(extent([])).toBeNull();
    expect(extent([NaN])).toBeNull();
    expect(extent(new Set([4, 9]))).toEqual({ min: 4, max: 9 });
  });

  it('takes more values than a function call can take arguments', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 500_000);
    expect(() => Math.max(...many)).toThrow(RangeError);
    expect(extent(many)).toEqual({ min: 0, max: 499_999 });
  });
});
