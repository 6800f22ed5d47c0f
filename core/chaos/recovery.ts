// After the faults: heal every link, resume paused nodes, restart stopped ones, then wait until the
// cluster has converged — every node running, a leader, and every node having applied the same
// index, steadily.

import type { ClusterState } from '../api/cluster-state.js';
import type { ClusterControl } from './cluster-control.js';
import { sleep } from './sleep.js';

const POLL_MS = 100;
/** Consecutive polls that must agree before the cluster counts as converged. */
const STEADY_POLLS = 3;

/** Returns one sentence per node that could not be restarted. */
export async function recoverCluster(cluster: ClusterControl): Promise<string[]> {
  await cluster.healAll();
  const state = await cluster.state();
  const down = state.nodes.filter((n) => n.state === 'killed' || n.state === 'crashed' || n.state === 'stopped');
  const problems = await Promise.all(
    down.map((n) =>
      cluster.nodeAction(n.id, 'start').then(
        () => null,
        (e: unknown) => `${n.id} could not be restarted: ${(e as Error).message}`,
      ),
    ),
  );
  return problems.filter((p): p is string => p !== null);
}

export interface ConvergenceVerdict {
  ok: boolean;
  /** One sentence. */
  detail: string;
  appliedIndex: number;
}

/** The index every node has applied, or why the cluster has not converged. */
export function convergedIndex(state: ClusterState): { index: number } | { why: string } {
  const notRunning = state.nodes.find((n) => n.state !== 'running');
  if (notRunning) return { why: `${notRunning.id} is ${notRunning.state}` };
  if (!state.leader) return { why: 'there is no leader' };
  const applied = new Set(state.nodes.map((n) => n.appliedIndex));
  const committed = new Set(state.nodes.map((n) => n.commitIndex));
  if (applied.size > 1 || committed.size > 1) {
    return { why: `the nodes have applied ${state.nodes.map((n) => `${n.id} ${n.appliedIndex}/${n.commitIndex}`).join(', ')} (applied/committed)` };
  }
  const [index] = applied;
  if (index !== [...committed][0]) return { why: `the nodes have committed ${[...committed][0]} but applied ${index}` };
  return { index: index! };
}

export async function waitForConvergence(cluster: ClusterControl, timeoutMs: number, signal: AbortSignal): Promise<ConvergenceVerdict> {
  const deadline = Date.now() + timeoutMs;
  let steady = 0;
  let last: number | null = null;
  let why = 'the cluster was never observed';
  while (!signal.aborted) {
    const state = await cluster.state();
    const seen = convergedIndex(state);
    if ('index' in seen) {
      steady = seen.index === last ? steady + 1 : 1;
      last = seen.index;
      if (steady >= STEADY_POLLS) return { ok: true, detail: `All ${state.nodes.length} nodes applied index ${seen.index} after healing.`, appliedIndex: seen.index };
    } else {
      steady = 0;
      last = null;
      why = seen.why;
    }
    if (Date.now() > deadline) break;
    await sleep(POLL_MS, signal);
  }
  const waited = signal.aborted ? 'before the experiment was cancelled' : `within ${Number((timeoutMs / 1000).toFixed(1))} s of healing`;
  return { ok: false, detail: `The cluster did not converge ${waited}: ${why}.`, appliedIndex: 0 };
}
