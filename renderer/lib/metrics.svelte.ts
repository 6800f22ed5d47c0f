// Throughput and latency samples (one a second) for the charts, capped to the last few minutes.

import type { ConsoleApi, MetricsSample, Unsubscribe } from '../../core/api/index.js';

export const METRICS_CAP = 300;

export class MetricsStore {
  samples = $state.raw<MetricsSample[]>([]);
  readonly latest: MetricsSample | null = $derived(this.samples.at(-1) ?? null);

  constructor(private readonly api: ConsoleApi) {}

  /** Forgets the samples: a new cluster run starts a new chart. */
  clear(): void {
    this.samples = [];
  }

  connect(): Unsubscribe {
    return this.api.onMetrics((sample) => {
      const next = [...this.samples, sample];
      this.samples = next.length > METRICS_CAP ? next.slice(next.length - METRICS_CAP) : next;
    });
  }
}
