// `raftdesk bench DIR --mode failover --runs N`: kill the leader N times and time each recovery
// (core/bench/failover-bench.ts says exactly what is measured).

import type { ClusterState } from '../../api/cluster-state.js';
import type { NodeAction } from '../../api/faults.js';
import type { FailoverResult, FailoverSummary } from '../../bench/failover-bench.js';
import { runFailoverBench } from '../../bench/failover-bench.js';
import type { ClusterConnection } from '../../client/cluster-client.js';
import { callControl } from '../../cluster/control.js';
import { loadDefinition } from '../../workspace/workspace.js';
import { printJson, say } from '../output.js';

export async function failoverBench(dir: string, connection: ClusterConnection, runs: number, json: boolean, progress: (line: string) => void): Promise<FailoverResult> {
  const { definition } = await loadDefinition(dir);
  const result = await runFailoverBench(
    connection,
    {
      state: async () => (await callControl(dir, 'state', [])) as ClusterState,
      nodeAction: async (n: string, a: NodeAction) => void (await callControl(dir, 'nodeAction', [n, a])),
    },
    {
      runs,
      electionTimeoutMs: definition.defaults.electionTimeoutMs,
      heartbeatMs: definition.defaults.heartbeatMs,
      onStep: progress,
      onRun: (r) => progress(`run ${r.run}/${runs}: killed ${r.killed} (term ${r.oldTerm}); new leader seen after ${r.leaderSeenMs.toFixed(0)} ms (term ${r.newTerm}), first write by ${r.newLeader} after ${r.writeMs.toFixed(0)} ms; ${r.killed} caught up ${r.catchUpMs.toFixed(0)} ms after its restart`),
    },
  );
  if (json) printJson(result);
  else {
    const line = (s: FailoverSummary) => `median ${s.medianMs.toFixed(0)}  p90 ${s.p90Ms.toFixed(0)}  max ${s.maxMs.toFixed(0)}  min ${s.minMs.toFixed(0)} ms`;
    say(`failover over ${result.runs.length} runs (election timeout ${result.electionTimeoutMs} ms, heartbeat ${result.heartbeatMs} ms):`);
    say(`  kill → new leader seen:      ${line(result.leaderSeen)}`);
    say(`  kill → first write acked:    ${line(result.write)}`);
    say(`  restart → killed node caught up: ${line(result.catchUp)}`);
    say('  run  killed  new leader  seen ms  write ms  catch-up ms');
    for (const r of result.runs) say(`  ${String(r.run).padStart(3)}  ${r.killed.padEnd(6)}  ${r.newLeader.padEnd(10)}  ${r.leaderSeenMs.toFixed(0).padStart(7)}  ${r.writeMs.toFixed(0).padStart(8)}  ${r.catchUpMs.toFixed(0).padStart(11)}`);
  }
  return result;
}
