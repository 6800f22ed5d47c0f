import type { ClusterState } from '../../api/cluster-state.js';
import type { NodeAction } from '../../api/faults.js';
import { runFailoverBench } from '../../bench/failover-bench.js';
import { runWriteBench } from '../../bench/write-bench.js';
import { callControl } from '../../cluster/control.js';
import { UserError } from '../../workspace/user-error.js';
import { cli } from '../../workspace/cli-name.js';
import { connectToWorkspace } from '../connect.js';
import { CliExit, intOption, parseReadConsistency, printJson, say } from '../output.js';

export interface BenchOptions {
  mode?: string;
  consistency?: string;
  clients?: string;
  duration?: string;
  valueSize?: string;
  failover?: string;
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
    if (options.failover !== undefined) {
      const runs = intOption('failover', options.failover, 5, 1, 100);
      const result = await runFailoverBench(
        connection,
        { state: async () => (await callControl(dir, 'state', [])) as ClusterState, nodeAction: async (n: string, a: NodeAction) => void (await callControl(dir, 'nodeAction', [n, a])) },
        runs,
        (run, i) => progress(`run ${i + 1}/${runs}: killed ${run.killed}, ${run.newLeader} took over, next write after ${run.ms.toFixed(0)} ms`),
      );
      if (options.json) printJson(result);
      else say(`failover: median ${result.medianMs.toFixed(0)} ms over ${result.runs.length} runs (${result.runs.map((r) => r.ms.toFixed(0)).join(', ')} ms)`);
      return;
    }
    const clients = intOption('clients', options.clients, 64, 1, 4096);
    const durationSec = intOption('duration', options.duration, 10, 1, 3600);
    const valueSize = intOption('value-size', options.valueSize, 256, 0, 1024 * 1024);
    const mode = options.mode ?? 'put';
    if (mode !== 'put' && mode !== 'get') throw new CliExit(2, `--mode must be put or get, not "${mode}".`);
    if (options.consistency !== undefined && mode !== 'get') throw new CliExit(2, '--consistency is for reads: add --mode get.');
    const consistency = options.consistency !== undefined ? parseReadConsistency(options.consistency, '--consistency') : 'linearizable';
    const what = mode === 'put' ? 'writes' : `${consistency} reads`;
    progress(mode === 'put' ? `writing ${valueSize}-byte values with ${clients} clients for ${durationSec} s…` : `reading ${valueSize}-byte values (${consistency}) with ${clients} clients on every node for ${durationSec} s…`);
    const result = await runWriteBench(connection, { mode, consistency, clients, durationSec, valueSize, onProgress: (t, ops) => progress(`  ${t.toFixed(0)} s: ${ops} ${what}`) });
    // Memory as each node last reported it, right after the load.
    const after = (await callControl(dir, 'state', [])) as ClusterState;
    const nodeRssMb = Object.fromEntries(after.nodes.filter((n) => n.rssBytes !== null).map((n) => [n.id, Math.round(n.rssBytes! / (1024 * 1024))]));
    if (options.json) printJson({ ...result, nodeRssMb });
    else {
      say(`${result.opsPerSec.toFixed(0)} ${what}/s  (${result.ops} ${what}, ${result.errors} errors, ${clients} clients, ${valueSize}-byte values, ${result.durationSec} s)`);
      say(`latency ms  p50 ${result.p50Ms}  p90 ${result.p90Ms}  p99 ${result.p99Ms}  max ${result.maxMs}`);
      say(`node memory (RSS) after the run: ${Object.entries(nodeRssMb).map(([id, mb]) => `${id} ${mb} MB`).join(', ')}`);
      if (result.firstError) say(`first error: ${result.firstError}`);
    }
  } finally {
    connection.close();
  }
}
