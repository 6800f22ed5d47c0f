import type { ClusterState } from '../../api/cluster-state.js';
import { RssSampler, rssOf, rssTable } from '../../bench/rss-sampler.js';
import { runWriteBench } from '../../bench/write-bench.js';
import { callControl } from '../../cluster/control.js';
import { UserError } from '../../workspace/user-error.js';
import { cli } from '../../workspace/cli-name.js';
import { connectToWorkspace } from '../connect.js';
import { failoverBench } from './bench-failover.js';
import { CliExit, intOption, parseReadConsistency, printJson, say } from '../output.js';

export interface BenchOptions {
  mode?: string;
  consistency?: string;
  clients?: string;
  duration?: string;
  valueSize?: string;
  failover?: string;
  runs?: string;
  rssEvery?: string;
  json?: boolean;
}

export async function benchCommand(dir: string, options: BenchOptions): Promise<void> {
  const state = (await callControl(dir, 'state', [])) as ClusterState;
  if (!state.leader) throw new UserError(`The cluster has no leader right now; wait for one (\`${cli('status')}\`) and try again.`);
  const { connection } = await connectToWorkspace(dir, 5000);
  const progress = (line: string) => {
    if (!options.json) process.stderr.write(line + '\n');
  };
  try {
    if (options.failover !== undefined || options.mode === 'failover') {
      if (options.failover !== undefined && options.runs !== undefined) throw new CliExit(2, 'Give the number of runs once: --mode failover --runs N (or the older --failover N).');
      const runs = intOption(options.failover !== undefined ? 'failover' : 'runs', options.failover ?? options.runs, 5, 1, 100);
      await failoverBench(dir, connection, runs, options.json === true, progress);
      return;
    }
    if (options.runs !== undefined) throw new CliExit(2, '--runs is for --mode failover.');
    const clients = intOption('clients', options.clients, 64, 1, 4096);
    const durationSec = intOption('duration', options.duration, 10, 1, 3600);
    const valueSize = intOption('value-size', options.valueSize, 256, 0, 1024 * 1024);
    const mode = options.mode ?? 'put';
    if (mode !== 'put' && mode !== 'get') throw new CliExit(2, `--mode must be put, get or failover, not "${mode}".`);
    const rssEvery = options.rssEvery !== undefined ? intOption('rss-every', options.rssEvery, 10, 1, 3600) : null;
    if (options.consistency !== undefined && mode !== 'get') throw new CliExit(2, '--consistency is for reads: add --mode get.');
    const consistency = options.consistency !== undefined ? parseReadConsistency(options.consistency, '--consistency') : 'linearizable';
    const what = mode === 'put' ? 'writes' : `${consistency} reads`;
    progress(mode === 'put' ? `writing ${valueSize}-byte values with ${clients} clients for ${durationSec} s…` : `reading ${valueSize}-byte values (${consistency}) with ${clients} clients on every node for ${durationSec} s…`);
    const clusterState = async () => (await callControl(dir, 'state', [])) as ClusterState;
    // Memory before the load (idle, as each node last reported it) and, with --rss-every, during it.
    const idleRssMb = rssOf(await clusterState());
    const sampler = rssEvery !== null ? new RssSampler(clusterState, rssEvery, (s) => progress(`  rss at ${s.atSec.toFixed(0)} s: ${Object.entries(s.rssMb).map(([id, mb]) => `${id} ${mb.toFixed(0)} MiB`).join(', ')}`)) : null;
    sampler?.start();
    let result;
    try {
      result = await runWriteBench(connection, { mode, consistency, clients, durationSec, valueSize, onProgress: (t, ops) => progress(`  ${t.toFixed(0)} s: ${ops} ${what}`) });
    } finally {
      await sampler?.stop();
    }
    // Memory as each node last reported it, right after the load.
    const nodeRssMb = Object.fromEntries(Object.entries(rssOf(await clusterState())).map(([id, mb]) => [id, Math.round(mb)]));
    const rssSamples = sampler ? { rssEverySec: rssEvery, rssSamples: sampler.samples } : {};
    if (options.json) printJson({ ...result, idleRssMb, nodeRssMb, ...rssSamples });
    else {
      say(`${result.opsPerSec.toFixed(0)} ${what}/s  (${result.ops} ${what}, ${result.errors} errors, ${clients} clients, ${valueSize}-byte values, ${result.durationSec} s)`);
      say(`latency ms  p50 ${result.p50Ms}  p90 ${result.p90Ms}  p99 ${result.p99Ms}  max ${result.maxMs}`);
      say(`node memory (RSS) idle before the run: ${Object.entries(idleRssMb).map(([id, mb]) => `${id} ${Math.round(mb)} MiB`).join(', ')}`);
      say(`node memory (RSS) after the run: ${Object.entries(nodeRssMb).map(([id, mb]) => `${id} ${mb} MiB`).join(', ')}`);
      if (sampler) for (const line of rssTable(sampler.samples)) say(line);
      if (result.firstError) say(`first error: ${result.firstError}`);
    }
  } finally {
    connection.close();
  }
}
