// Closed-loop write benchmark: N clients, each with one write in flight, for a fixed duration,
// multiplexed over one HTTP/2 connection per node. Prints what it measured, asserts nothing.

import { randomBytes } from 'node:crypto';
import type { ClusterConnection } from '../client/cluster-client.js';
import { KvClient } from '../client/cluster-client.js';
import type { LatencySummary } from '../stats/percentiles.js';
import { round, summarize } from '../stats/percentiles.js';

export interface WriteBenchOptions {
  clients: number;
  durationSec: number;
  valueSize: number;
  /** Called about once a second with the writes so far. */
  onProgress?(elapsedSec: number, ops: number): void;
}

export interface WriteBenchResult extends LatencySummary {
  opsPerSec: number;
  ops: number;
  errors: number;
  clients: number;
  durationSec: number;
  valueSize: number;
  /** The first error seen, if any, in one sentence. */
  firstError: string | null;
}

export async function runWriteBench(connection: ClusterConnection, options: WriteBenchOptions): Promise<WriteBenchResult> {
  const value = randomBytes(Math.ceil(options.valueSize / 2)).toString('hex').slice(0, options.valueSize);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const deadline = started + options.durationSec * 1000;
  const progress = setInterval(() => options.onProgress?.((performance.now() - started) / 1000, latencies.length), 1000);

  // Warm up: one write opens the connections and finds the leader before the clock matters.
  await new KvClient(connection).put('bench/warmup', value);

  const worker = async (id: number) => {
    const kv = new KvClient(connection);
    let n = 0;
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await kv.put(`bench/${id}/${n++ % 100}`, value);
        latencies.push(performance.now() - t0);
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: options.clients }, (_, i) => worker(i)));
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(progress);
  const ops = latencies.length;
  return {
    opsPerSec: round(ops / elapsed),
    ops,
    errors,
    clients: options.clients,
    durationSec: round(elapsed),
    valueSize: options.valueSize,
    firstError,
    ...summarize(latencies),
  };
}
