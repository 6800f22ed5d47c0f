import { describe, expect, it } from 'vitest';
import { fitRing } from '../../../renderer/lib/ring-layout.js';

const overlapping = (ps: { x: number; y: number }[], w: number, h: number) =>
  ps.some((a, i) => ps.some((b, j) => j > i && Math.abs(a.x - b.x) < w && Math.abs(a.y - b.y) < h));

describe('fitRing', () => {
  // The ring's box in the Cluster view at 1024×700 (measured in Chromium): 645 × 425.
  it.each([
    [7, 645, 425, 156, 112],
    [7, 645, 425, 156, 140],
    [5, 645, 425, 156, 112],
    [7, 900, 600, 176, 128],
    [15, 900, 600, 156, 112],
  ])('places %i cards of %ix%i… without overlap', (n, width, height, w, h) => {
    const fit = fitRing(n, width, height, w, h);
    expect(fit.positions).toHaveLength(n);
    expect(fit.scale).toBeLessThanOrEqual(1);
    if (fit.scale > 0.6) expect(overlapping(fit.positions, w * fit.scale, h * fit.scale)).toBe(false);
    for (const p of fit.positions) {
      expect(p.x - (w * fit.scale) / 2).toBeGreaterThanOrEqual(0);
      expect(p.y + (h * fit.scale) / 2).toBeLessThanOrEqual(height);
    }
  });

  it('keeps full size when there is room', () => {
    expect(fitRing(3, 1000, 700, 176, 128).scale).toBe(1);
  });
});
