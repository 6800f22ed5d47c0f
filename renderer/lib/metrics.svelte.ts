// Throughput and latency samples (one a second) for the charts, capped to the last few minutes.

import type { ConsoleApi, MetricsSample, Unsubscribe } from '../../core/api/index.js';

export const METRICS_CAP = 300;

export class MetricsStore {
  /** The live cluster's samples. */
  liveSamples = $state.raw<MetricsSample[]>([]);
  /** A recorded run's samples up to the moment replayed (set by the replay), shown instead. */
  past = $state.raw<MetricsSample[] | null>(null);
  readonly samples: MetricsSample[] = $derived(this.past ?? this.liveSamples);
  readonly latest: MetricsSample | null = $derived(this.samples.at(-1) ?? null);

  constructor(private readonly api: ConsoleApi) {}

  /** Forgets the samples: a new cluster run starts a new chart. */
  clear(): void {
    this.liveSamples = [];
  }

  connect(): Unsubscribe {
    return this.api.onMetrics((sample) => {
      const next = [...this.liveSamples, sample];
      this.liveSamples = next.length > METRICS_CAP ? next.slice(next.length - METRICS_CAP) : next;
    });
  }
}
