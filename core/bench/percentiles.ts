// Latency summaries for benchmark output.

export interface LatencySummary {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentiles of the given latencies (sorted in place). */
export function summarize(latenciesMs: number[]): LatencySummary {
  if (latenciesMs.length === 0) return { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 };
  latenciesMs.sort((a, b) => a - b);
  const at = (p: number) => latenciesMs[Math.min(latenciesMs.length - 1, Math.ceil(p * latenciesMs.length) - 1)]!;
  return { p50Ms: round(at(0.5)), p90Ms: round(at(0.9)), p99Ms: round(at(0.99)), maxMs: round(latenciesMs[latenciesMs.length - 1]!) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
