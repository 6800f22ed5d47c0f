// The least and greatest of many numbers, in one pass. Math.min(...values) passes every value as an
// argument, and past about 120,000 of them V8 throws "Maximum call stack size exceeded": a 5-minute
// soak (16 clients) has 143,000 client operations, and its recording 146,000 records, which broke
// its report.html and its replay.

export interface Extent {
  min: number;
  max: number;
}

/** The least and greatest value (NaN ignored), or null when there is none. */
export function extent(values: Iterable<number>): Extent | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}
