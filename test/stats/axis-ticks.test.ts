// Round axis ticks: the step rule (1, 2 or 5 × 10^k) and the ticks at its multiples from an origin.

import { describe, expect, it } from 'vitest';
import { roundStep, ticksBetween } from '../../core/stats/axis-ticks.js';

describe('roundStep', () => {
  it('takes the smallest of 1, 2 and 5 × 10^k that is at least the rough step', () => {
    expect([0.7, 1, 1.01, 3, 20, 21, 499, 501, 0.0013].map(roundStep)).toEqual([1, 1, 2, 5, 20, 50, 500, 1000, 0.002]);
  });

  it('refuses a step that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => roundStep(bad)).toThrow(/positive number/);
  });
});

describe('ticksBetween', () => {
  it('lists the multiples of the step from the origin inside the range, both ends included', () => {
    expect(ticksBetween(0, 10, 2)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticksBetween(1050, 1400, 100, 1000)).toEqual([1100, 1200, 1300, 1400]);
    expect(ticksBetween(-250, 250, 100)).toEqual([-200, -100, 0, 100, 200]);
  });

  it('is empty when no multiple falls inside, and refuses a step that would never end', () => {
    expect(ticksBetween(101, 199, 100)).toEqual([]);
    expect(() => ticksBetween(0, 10, 0)).toThrow(/positive number/);
  });
});
