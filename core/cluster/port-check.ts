// The live half of validation: is a port already taken on its host? Checked before anything starts.

import tcpPortUsed from 'tcp-port-used';
import type { ClusterDefinition, ValidationIssue } from '../api/cluster-definition.js';
import { nonLocalHostProblem } from './host-check.js';

/**
 * One issue per host of `nodes` (all by default) that is not an address of this machine, and one per
 * port of the others that something already listens on.
 */
export async function checkPortsFree(definition: ClusterDefinition, onlyNodes?: string[]): Promise<ValidationIssue[]> {
  const hosts = new Map<string, Promise<string | null>>();
  const hostProblem = (host: string, id: string) => {
    const key = `${host}\n${id}`;
    if (!hosts.has(key)) hosts.set(key, nonLocalHostProblem(host, id));
    return hosts.get(key)!;
  };
  const checks: Promise<ValidationIssue | null>[] = [];
  definition.nodes.forEach((node, i) => {
    if (onlyNodes && !onlyNodes.includes(node.id)) return;
    checks.push(hostProblem(node.host, node.id).then((problem) => (problem ? { path: `nodes[${i}].host`, severity: 'error' as const, message: problem } : null)));
    for (const field of ['peerPort', 'clientPort'] as const) {
      const port = node[field];
      checks.push(
        hostProblem(node.host, node.id).then(async (problem) => (problem ? false : tcpPortUsed.check(port, node.host))).then(
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
