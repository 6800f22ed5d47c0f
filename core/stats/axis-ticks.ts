// Round tick marks for a chart's time axis: a step of 1, 2 or 5 × 10^k, ticks at its whole multiples.
// One rule, so the spacetime diagram (core/trace) and the experiment report (core/chaos) mark their
// axes alike.

/** The smallest of 1, 2 and 5 × 10^k that is at least `rough` (the step wanted, give or take). */
export function roundStep(rough: number): number {
  if (!(rough > 0 && Number.isFinite(rough))) throw new RangeError(`An axis step must be a positive number, not ${rough}.`);
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
}

/** The values origin + k × step (k whole) from `from` to `to`, both ends included. */
export function ticksBetween(from: number, to: number, step: number, origin = 0): number[] {
  if (!(step > 0 && Number.isFinite(step))) throw new RangeError(`An axis step must be a positive number, not ${step}.`);
  const ticks: number[] = [];
  for (let t = origin + Math.ceil((from - origin) / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}
