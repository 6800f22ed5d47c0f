// Failover time. Each run: wait until the cluster is settled (every node running, one leader every
// node agrees on, every node applied the same index), write once, SIGKILL the leader, then measure
// from the kill
//   - leaderSeenMs: to the first moment a surviving node says it leads in a higher term (each
//     survivor's /v1/status polled every POLL_MS, or the node that acknowledges the probe write,
//     whichever comes first; so leaderSeenMs ≤ writeMs by definition), and
//   - writeMs: to the first acknowledged write (a put the new leader committed and applied; one
//     probe in flight, sent to the leader as soon as one is seen, else to each survivor in turn,
//     retried every POLL_MS).
// Then the killed node is started again and catchUpMs runs from that start until it has applied
// everything the new leader had committed when it was started. Figures are printed, never asserted.

import type { ClusterState } from '../api/cluster-state.js';
import type { NodeAction } from '../api/faults.js';
import type { ClusterConnection } from '../client/cluster-client.js';
import { KvClient } from '../client/cluster-client.js';
import { percentile, round } from '../stats/percentiles.js';

export interface FailoverControl {
  state(): Promise<ClusterState>;
  nodeAction(node: string, action: NodeAction): Promise<void>;
}

export interface FailoverRun {
  /** 1-based. */
  run: number;
  killed: string;
  /** The term the killed leader led. */
  oldTerm: number;
  /** The node that acknowledged the first write after the kill. */
  newLeader: string;
  /** The term of the first new leader seen. */
  newTerm: number;
  /** From SIGKILL to the first sign of a new leader (a survivor's status, or the probe's answer). */
  leaderSeenMs: number;
  /** From SIGKILL to the first acknowledged write. */
  writeMs: number;
  /** From starting the killed node again until it applied what the leader had committed then. */
  catchUpMs: number;
}

export interface FailoverSummary {
  minMs: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
}

export interface FailoverResult {
  /** The cluster's election timeout and heartbeat (cluster.json defaults), for reading the figures. */
  electionTimeoutMs: number | null;
  heartbeatMs: number | null;
  runs: FailoverRun[];
  /** Kill to the first acknowledged write. */
  write: FailoverSummary;
  /** Kill to the first new leader seen. */
  leaderSeen: FailoverSummary;
  /** Restart to caught up. */
  catchUp: FailoverSummary;
  /** The same as write.medianMs (kept for scripts that read the earlier report). */
  medianMs: number;
}

export interface FailoverOptions {
  runs: number;
  electionTimeoutMs?: number | null;
  heartbeatMs?: number | null;
  onRun?(run: FailoverRun): void;
  /** Each step of the run, for a progress line. */
  onStep?(message: string): void;
}

const POLL_MS = 10;
const STEP_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settledLeader(control: FailoverControl, timeoutMs: number): Promise<{ leader: string; term: number }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await control.state();
    const allUp = s.nodes.every((n) => n.state === 'running');
    const caughtUp = s.nodes.every((n) => n.appliedIndex === s.nodes[0]!.appliedIndex);
    if (s.leader && allUp && caughtUp && s.nodes.every((n) => n.leader === s.leader)) return { leader: s.leader, term: s.term };
    await sleep(100);
  }
  throw new Error(`The cluster did not settle with one leader and every node caught up within ${timeoutMs / 1000} s.`);
}

export function summarizeMs(values: number[]): FailoverSummary {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { minMs: 0, medianMs: 0, p90Ms: 0, maxMs: 0 };
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { minMs: round(sorted[0]!), medianMs: round(median), p90Ms: round(percentile(sorted, 0.9)!), maxMs: round(sorted[sorted.length - 1]!) };
}

/** One PUT sent to one node, without following redirects: 200 is the only success. */
async function putOn(connection: ClusterConnection, node: string, value: string): Promise<{ ok: true } | { ok: false; leader: string | null }> {
  try {
    const { response } = await connection.call('PUT', '/v1/kv/failover%2Fprobe', value, {}, { idempotent: false, node });
    if (response.status === 200) return { ok: true };
    let leader: string | null = null;
    if (response.status === 307) {
      try {
        const named = (JSON.parse(response.body) as { leader?: unknown }).leader;
        if (typeof named === 'string') leader = named;
      } catch {
        // No body worth reading: try the next survivor.
      }
    }
    return { ok: false, leader };
  } catch {
    return { ok: false, leader: null };
  }
}

async function oneRun(connection: ClusterConnection, control: FailoverControl, run: number, onStep: (m: string) => void): Promise<FailoverRun> {
  onStep(`run ${run}: waiting for the cluster to settle`);
  const { leader: killed, term: oldTerm } = await settledLeader(control, STEP_TIMEOUT_MS);
  const kv = new KvClient(connection);
  await kv.put('failover/probe', `before-${run}`);
  const survivors = connection.endpoints.map((e) => e.id).filter((id) => id !== killed);

  onStep(`run ${run}: killing ${killed} (leader of term ${oldTerm})`);
  const killedAt = performance.now();
  await control.nodeAction(killed, 'kill');
  let seen: { node: string; term: number; ms: number } | null = null;
  let written: { node: string; ms: number } | null = null;

  // Watch the survivors until one says it leads in a higher term (or the probe write got through).
  const watch = (async () => {
    while (!seen && !written) {
      await Promise.all(survivors.map(async (id) => {
        const s = await kv.status(id).catch(() => null);
        if (s && s.role === 'leader' && s.term > oldTerm && !seen) seen = { node: id, term: s.term, ms: performance.now() - killedAt };
      }));
      if (performance.now() - killedAt > STEP_TIMEOUT_MS) return;
      await sleep(POLL_MS);
    }
  })();

  // One probe write at a time: to the leader once one is seen or named, else each survivor in turn.
  let hint: string | null = null;
  for (let attempt = 0; !written; attempt++) {
    if (performance.now() - killedAt > STEP_TIMEOUT_MS) throw new Error(`No write succeeded within ${STEP_TIMEOUT_MS / 1000} s of killing the leader ${killed}.`);
    const target = (seen as { node: string } | null)?.node ?? (hint && survivors.includes(hint) ? hint : survivors[attempt % survivors.length]!);
    const answer = await putOn(connection, target, `after-${run}`);
    if (answer.ok) {
      written = { node: target, ms: performance.now() - killedAt };
      break;
    }
    hint = answer.leader;
    await sleep(POLL_MS);
  }
  await watch;
  const w = written as { node: string; ms: number };
  // The write's answer is itself a sighting of the new leader.
  let leaderSeen = seen as { node: string; term: number; ms: number } | null;
  if (!leaderSeen || leaderSeen.ms > w.ms) {
    const s = await kv.status(w.node).catch(() => null);
    leaderSeen = { node: w.node, term: s?.term ?? oldTerm + 1, ms: w.ms };
  }

  onStep(`run ${run}: ${w.node} took writes after ${w.ms.toFixed(0)} ms; starting ${killed} again`);
  const commitAtRestart = (await kv.status(w.node)).commitIndex;
  const restartedAt = performance.now();
  await control.nodeAction(killed, 'start');
  for (;;) {
    const s = await kv.status(killed).catch(() => null);
    if (s && s.appliedIndex >= commitAtRestart) break;
    if (performance.now() - restartedAt > STEP_TIMEOUT_MS) throw new Error(`${killed} did not catch up to index ${commitAtRestart} within ${STEP_TIMEOUT_MS / 1000} s of starting again.`);
    await sleep(POLL_MS);
  }
  const catchUpMs = performance.now() - restartedAt;
  return { run, killed, oldTerm, newLeader: w.node, newTerm: leaderSeen.term, leaderSeenMs: round(leaderSeen.ms), writeMs: round(w.ms), catchUpMs: round(catchUpMs) };
}

export async function runFailoverBench(connection: ClusterConnection, control: FailoverControl, options: FailoverOptions): Promise<FailoverResult> {
  const runs: FailoverRun[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const run = await oneRun(connection, control, i, options.onStep ?? (() => undefined));
    runs.push(run);
    options.onRun?.(run);
  }
  await settledLeader(control, STEP_TIMEOUT_MS);
  const write = summarizeMs(runs.map((r) => r.writeMs));
  return {
    electionTimeoutMs: options.electionTimeoutMs ?? null,
    heartbeatMs: options.heartbeatMs ?? null,
    runs,
    write,
    leaderSeen: summarizeMs(runs.map((r) => r.leaderSeenMs)),
    catchUp: summarizeMs(runs.map((r) => r.catchUpMs)),
    medianMs: write.medianMs,
  };
}
