// The ClusterState snapshot the console and CLI see, assembled from the definition, the node
// processes and what they last reported, the faults in force and the link rates.

import type { ClusterDefinition } from '../api/cluster-definition.js';
import type { ClusterState, LinkView, NodeStatus } from '../api/cluster-state.js';
import type { ClusterFaults } from './cluster-faults.js';
import type { ClusterMetrics } from './cluster-metrics.js';
import type { NodeLifecycle } from './node-lifecycle.js';

export interface StateSources {
  workspace: string;
  definition: ClusterDefinition;
  running: boolean;
  nodes: NodeLifecycle;
  faults: ClusterFaults;
  metrics: ClusterMetrics;
  /** A node's space alarm, if raised. */
  alarmOf?: (id: string) => string | null;
  /** The slow-motion factor in force (1: normal speed). */
  slowMotion?: number;
}

export function clusterState({ workspace, definition, running, nodes: processes, faults, metrics, alarmOf, slowMotion = 1 }: StateSources): ClusterState {
  const ids = definition.nodes.map((n) => n.id);
  const nodes: NodeStatus[] = definition.nodes.map((def) => {
    const p = processes.get(def.id);
    const r = p.running ? p.report : null;
    // A down (or restarting, not yet reporting) node keeps its last known indexes, marked as such.
    const known = r ?? p.lastReport;
    return {
      id: def.id,
      member: def.learner ? 'learner' : 'voter',
      address: `${def.host}:${def.clientPort}`,
      peerAddress: `${def.host}:${def.peerPort}`,
      state: p.state,
      pid: p.pid,
      startedAt: p.startedAt,
      lastKnown: r === null && known !== null,
      role: r?.role ?? null,
      term: known?.term ?? 0,
      leader: r?.leader ?? null,
      commitIndex: known?.commitIndex ?? 0,
      appliedIndex: known?.appliedIndex ?? 0,
      lastIndex: known?.lastIndex ?? 0,
      snapshotIndex: known?.snapshotIndex ?? 0,
      followers: r?.followers ?? null,
      appliedConfiguration: known?.appliedConfiguration ?? null,
      faults: faults.forNode(def.id),
      lastError: p.lastError,
      rssBytes: r?.rssBytes ?? null,
      alarm: p.running ? (alarmOf?.(def.id) ?? null) : null,
      timers: r?.timers ?? null,
      dropNext: r?.dropNext ?? {},
    };
  });
  let leader: string | null = null;
  let term = 0;
  for (const n of nodes) {
    term = Math.max(term, n.term);
    if (n.role === 'leader' && n.state === 'running') {
      if (leader === null || n.term > (nodes.find((x) => x.id === leader)?.term ?? 0)) leader = n.id;
    }
  }
  const links: LinkView[] = [];
  for (const a of ids) for (const b of ids) {
    if (a === b) continue;
    links.push({ from: a, to: b, cut: faults.isCut(a, b), messagesPerSec: metrics.messagesPerSec(a, b) });
  }
  return { workspace, name: definition.name, running, leader, term, nodes, links, at: Date.now(), slowMotion };
}
