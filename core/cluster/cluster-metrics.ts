// Per-second figures for the console's charts: commits per second, write latency percentiles (from
// the latencies the nodes report), and messages per second on every link. A few minutes are kept
// for consoles that attach later through the control socket.

import type { MetricsSample } from '../api/cluster-state.js';
import { percentile } from '../stats/percentiles.js';
import { Listeners } from './listeners.js';
import type { NodeProcess } from './node-process.js';

const SAMPLE_EVERY_MS = 1000;
const KEEP_SAMPLES = 300;

export interface MetricsSource {
  nodes(): Iterable<NodeProcess>;
  nodeIds(): string[];
}

export class ClusterMetrics {
  readonly listeners = new Listeners<MetricsSample>();
  private readonly history: MetricsSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastCommit = 0;
  private latencyWindow: number[] = [];
  private readonly prevSent = new Map<string, Record<string, number>>();
  private readonly linkRates = new Map<string, number>();

  constructor(
    private readonly source: MetricsSource,
    /** Called after every sample, so that the state snapshot shows the new link rates. */
    private readonly onSample: () => void,
  ) {}

  start(): void {
    this.lastCommit = 0;
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Write latencies a node reported since its last report. */
  addLatencies(ms: readonly number[]): void {
    // One by one: a spread of a large report would overflow the call stack.
    for (const m of ms) this.latencyWindow.push(m);
  }

  /** A node exited: its next report starts its message counters again. */
  forgetNode(id: string): void {
    this.prevSent.delete(id);
  }

  messagesPerSec(from: string, to: string): number {
    return this.linkRates.get(`${from}→${to}`) ?? 0;
  }

  /** Samples taken after `sinceAt` (epoch ms). */
  recent(sinceAt: number): MetricsSample[] {
    return this.history.filter((m) => m.at > sinceAt);
  }

  private sample(): void {
    const nodes = [...this.source.nodes()];
    let commit = 0;
    for (const node of nodes) if (node.running && node.report) commit = Math.max(commit, node.report.commitIndex);
    const commitsPerSec = this.lastCommit === 0 ? 0 : Math.max(0, commit - this.lastCommit);
    this.lastCommit = commit;
    const lat = this.latencyWindow.sort((a, b) => a - b);
    this.latencyWindow = [];
    const sample: MetricsSample = { at: Date.now(), commitsPerSec, p50Ms: percentile(lat, 0.5), p99Ms: percentile(lat, 0.99) };
    // Link rates: messages sent per peer since the last sample.
    for (const node of nodes) {
      const sent = node.running ? node.report?.sentTo : undefined;
      if (!sent) continue;
      const prev = this.prevSent.get(node.id);
      for (const [peer, count] of Object.entries(sent)) this.linkRates.set(`${node.id}→${peer}`, prev ? Math.max(0, count - (prev[peer] ?? 0)) : 0);
      this.prevSent.set(node.id, { ...sent });
    }
    for (const node of nodes) if (!node.running) for (const peer of this.source.nodeIds()) this.linkRates.set(`${node.id}→${peer}`, 0);
    this.history.push(sample);
    if (this.history.length > KEEP_SAMPLES) this.history.shift();
    this.listeners.emit(sample);
    this.onSample();
  }
}
