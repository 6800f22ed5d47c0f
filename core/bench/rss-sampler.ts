// Every node's resident memory (RSS) over a benchmark: what the nodes last reported to the
// supervisor (each node reports at least every 50 ms while it runs), sampled at a fixed interval,
// to see whether memory stays bounded under a long load.

import type { ClusterState } from '../api/cluster-state.js';

export interface RssSample {
  /** Seconds since sampling started. */
  atSec: number;
  /** MiB per node ID; a node that is not running is absent. */
  rssMb: Record<string, number>;
}

export function rssOf(state: ClusterState): Record<string, number> {
  return Object.fromEntries(state.nodes.filter((n) => n.rssBytes !== null && n.state === 'running').map((n) => [n.id, Math.round((n.rssBytes! / (1024 * 1024)) * 10) / 10]));
}

/** Samples every `everySec` seconds until stopped; the first sample is taken at once. */
export class RssSampler {
  readonly samples: RssSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private started = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: () => Promise<ClusterState>,
    private readonly everySec: number,
    private readonly onSample?: (sample: RssSample) => void,
  ) {}

  start(): void {
    this.started = performance.now();
    this.take();
    this.timer = setInterval(() => this.take(), this.everySec * 1000);
  }

  private take(): void {
    const atSec = Math.round((performance.now() - this.started) / 100) / 10;
    this.pending = this.pending.then(async () => {
      try {
        const sample = { atSec, rssMb: rssOf(await this.state()) };
        this.samples.push(sample);
        this.onSample?.(sample);
      } catch {
        // A sample the supervisor could not give (busy, restarting) is missing from the curve, no more.
      }
    });
  }

  /** Stops, takes one last sample, and returns every sample in time order. */
  async stop(): Promise<RssSample[]> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.take();
    await this.pending;
    return this.samples;
  }
}

/** A text table: one row per sample, one column per node. */
export function rssTable(samples: RssSample[]): string[] {
  const ids = [...new Set(samples.flatMap((s) => Object.keys(s.rssMb)))].sort();
  const lines = [['t (s)', ...ids.map((id) => `${id} MiB`)].map((c) => c.padStart(9)).join('')];
  for (const s of samples) lines.push([s.atSec.toFixed(0), ...ids.map((id) => (s.rssMb[id] === undefined ? '-' : s.rssMb[id]!.toFixed(0)))].map((c) => c.padStart(9)).join(''));
  return lines;
}
