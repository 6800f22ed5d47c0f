// Nearest-rank percentiles and the latency summaries the benchmarks, the tools and the console's
// per-second metrics print. One definition, so every figure called "p99" means the same thing.

export interface LatencySummary {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The nearest-rank p-th percentile (0 < p ≤ 1) of values sorted ascending; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Nearest-rank percentiles of the given latencies (sorted in place). */
export function summarize(latenciesMs: number[]): LatencySummary {
  if (latenciesMs.length === 0) return { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 };
  latenciesMs.sort((a, b) => a - b);
  const at = (p: number) => round(percentile(latenciesMs, p)!);
  return { p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: round(latenciesMs[latenciesMs.length - 1]!) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
