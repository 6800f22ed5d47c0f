import { describe, expect, it } from 'vitest';
import { median, percentile, summarize } from '../../core/stats/percentiles.js';

describe('nearest-rank percentiles', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks the smallest value with at least p of the values at or below it', () => {
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 1)).toBe(100);
    expect(percentile([1, 2], 0.5)).toBe(1);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('summarizes latencies the same way, sorting them first', () => {
    expect(summarize([...hundred].reverse())).toEqual({ p50Ms: 50, p90Ms: 90, p99Ms: 99, maxMs: 100 });
    expect(summarize([])).toEqual({ p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 });
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});
