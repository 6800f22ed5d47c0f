// The live half of validation: is a port already taken on its host? Checked before anything starts.

import tcpPortUsed from 'tcp-port-used';
import type { ClusterDefinition, ValidationIssue } from '../api/cluster-definition.js';

/** One issue per port of `nodes` (all by default) that something already listens on. */
export async function checkPortsFree(definition: ClusterDefinition, onlyNodes?: string[]): Promise<ValidationIssue[]> {
  const checks: Promise<ValidationIssue | null>[] = [];
  definition.nodes.forEach((node, i) => {
    if (onlyNodes && !onlyNodes.includes(node.id)) return;
    for (const field of ['peerPort', 'clientPort'] as const) {
      const port = node[field];
      checks.push(
        tcpPortUsed.check(port, node.host).then(
          (used) =>
            used
              ? {
                  path: `nodes[${i}].${field}`,
                  severity: 'error' as const,
                  message: `Port ${port} (${node.id} ${field === 'peerPort' ? 'peer' : 'client'} port) is already in use on ${node.host}; stop what uses it or pick another port.`,
                }
              : null,
          () => null,
        ),
      );
    }
  });
  return (await Promise.all(checks)).filter((i): i is ValidationIssue => i !== null);
}
