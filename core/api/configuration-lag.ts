// Which running nodes still act on an older membership configuration than the others. A node applies
// a configuration change when it applies the entry that carries it, so after `member add`, `promote`
// or `remove` a slow or cut-off node counts votes and quorums in the old configuration until it
// catches up (that is why a removal waits for the voters left: core/cluster/removal-handover.ts).
// The console's cards and `raftdesk status` show it from this one rule.

import type { NodeStatus } from './cluster-state.js';

export interface ConfigurationLag {
  /** Index of the entry (or snapshot) that set the configuration this node has applied. */
  applied: number;
  /** The newest such index any running node has applied. */
  newest: number;
}

/** Running nodes that have reported an applied configuration older than another running node's. */
export function configurationLags(nodes: readonly NodeStatus[]): Map<string, ConfigurationLag> {
  const applied = nodes.flatMap((n) => (n.state === 'running' && n.appliedConfiguration ? [{ id: n.id, index: n.appliedConfiguration.index }] : []));
  const newest = Math.max(0, ...applied.map((a) => a.index));
  return new Map(applied.filter((a) => a.index < newest).map((a) => [a.id, { applied: a.index, newest }]));
}
