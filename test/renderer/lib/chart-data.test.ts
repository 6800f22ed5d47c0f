import { describe, expect, it } from 'vitest';
import { labelRows, withUnit } from '../../../renderer/lib/chart-data.js';

describe('chart labels', () => {
  it.each([
    { xs: [0, 100, 200], widths: [20, 20, 20], rows: [0, 0, 0] },
    // Three elections within a few pixels: stacked, the fourth left out rather than drawn over.
    { xs: [0, 5, 10, 15], widths: [20, 20, 20, 20], rows: [0, 1, 2, -1] },
    { xs: [0, 10, 30], widths: [20, 20, 20], rows: [0, 1, 0] },
  ])('stacks labels that would overlap: $xs', ({ xs, widths, rows }) => {
    expect(labelRows(xs, widths)).toEqual(rows);
  });

  it('never lets two labels in one row overlap', () => {
    const xs = Array.from({ length: 40 }, (_, i) => i * 7);
    const widths = xs.map(() => 18);
    const rows = labelRows(xs, widths);
    for (let i = 0; i < xs.length; i++)
      for (let j = i + 1; j < xs.length; j++)
        if (rows[i] === rows[j] && rows[i] !== -1) expect(xs[j]! >= xs[i]! + widths[i]! + 4).toBe(true);
  });

  it('puts the unit on every tick', () => {
    expect(withUnit([0, 2.5, 10, 1500, 2000], 'ms')).toEqual(['0 ms', '2.5 ms', '10 ms', '1.5k ms', '2k ms']);
    expect(withUnit([0, 25], '/s')).toEqual(['0/s', '25/s']);
  });
});
