// Closed-loop key/value benchmark: N clients, each with one operation in flight (a put, or a get in
// the chosen consistency), for a fixed duration, multiplexed over one HTTP/2 connection per node.
// Puts go to the leader; gets are spread over every node (client i reads from node i mod n), since
// any node answers a read. Prints what it measured, asserts nothing.

import { randomBytes } from 'node:crypto';
import type { ReadConsistency } from '../api/reads.js';
import type { ClusterConnection } from '../client/cluster-client.js';
import { KvClient } from '../client/cluster-client.js';
import type { LatencySummary } from '../stats/percentiles.js';
import { round, summarize } from '../stats/percentiles.js';

export type BenchMode = 'put' | 'get';

/** Keys each client cycles through. */
const KEYS_PER_CLIENT = 100;

export interface WriteBenchOptions {
  /** Default put. */
  mode?: BenchMode;
  /** For gets; default linearizable. */
  consistency?: ReadConsistency;
  clients: number;
  durationSec: number;
  valueSize: number;
  /** Called about once a second with the writes so far. */
  onProgress?(elapsedSec: number, ops: number): void;
}

export interface WriteBenchResult extends LatencySummary {
  mode: BenchMode;
  consistency: ReadConsistency | null;
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

  const mode = options.mode ?? 'put';
  const consistency = mode === 'get' ? (options.consistency ?? 'linearizable') : null;
  // Warm up: one write opens the connections and finds the leader before the clock matters; gets
  // read keys that exist, written before the clock starts.
  await new KvClient(connection).put('bench/warmup', value);
  if (mode === 'get') {
    const kv = new KvClient(connection);
    await Promise.all(Array.from({ length: Math.min(options.clients, 64) }, (_, c) => (async () => {
      for (let k = c; k < KEYS_PER_CLIENT; k += Math.min(options.clients, 64)) await kv.put(`bench/${k}`, value);
    })()));
    for (const e of connection.endpoints) await kv.get('bench/0', { node: e.id, consistency: 'local' }).catch(() => undefined);
  }
  const nodes = connection.endpoints.map((e) => e.id);

  const worker = async (id: number) => {
    const kv = new KvClient(connection);
    const node = nodes[id % nodes.length]!;
    let n = 0;
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        if (consistency !== null) await kv.get(`bench/${(id + n++) % KEYS_PER_CLIENT}`, { consistency, node });
        else await kv.put(`bench/${id}/${n++ % KEYS_PER_CLIENT}`, value);
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
    mode,
    consistency,
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
