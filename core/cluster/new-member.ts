// The node a `member add` describes, checked like the setup view checks a node and given free
// ports when none were named. Nothing is written here.

import type { ClusterDefinition, NodeDefinition } from '../api/cluster-definition.js';
import type { AddMemberRequest } from '../api/membership.js';
import { checkRules, hasErrors } from '../workspace/definition.js';
import { UserError, describeIssues } from '../workspace/user-error.js';
import { checkPortsFree } from './port-check.js';

/** How many candidate port pairs to try above the highest port in use before giving up. */
const PORT_ATTEMPTS = 64;

export async function planNewMember(definition: ClusterDefinition, request: AddMemberRequest): Promise<NodeDefinition> {
  if (definition.nodes.some((n) => n.id === request.id)) {
    throw new UserError(`There is already a node "${request.id}"; choose another ID (the nodes are ${definition.nodes.map((n) => n.id).join(', ')}).`);
  }
  const host = request.host ?? definition.nodes[0]?.host ?? '127.0.0.1';
  const node: NodeDefinition = { id: request.id, host, peerPort: request.peerPort ?? 0, clientPort: request.clientPort ?? 0, joined: true, learner: true };
  if (request.heartbeatMs !== undefined) node.heartbeatMs = request.heartbeatMs;
  if (request.electionTimeoutMs !== undefined) node.electionTimeoutMs = request.electionTimeoutMs;

  const highest = Math.max(...definition.nodes.flatMap((n) => [n.peerPort, n.clientPort]), 7000);
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const candidate: NodeDefinition = {
      ...node,
      peerPort: request.peerPort ?? highest + 1 + 2 * attempt,
      clientPort: request.clientPort ?? highest + 2 + 2 * attempt,
    };
    const trial: ClusterDefinition = { ...definition, nodes: [...definition.nodes, candidate] };
    const ruleIssues = checkRules(trial).filter((i) => i.severity === 'error' && i.path.startsWith(`nodes[${definition.nodes.length}]`));
    if (hasErrors(ruleIssues)) throw new UserError(describeIssues(ruleIssues), ruleIssues);
    const portIssues = await checkPortsFree(trial, [candidate.id]);
    if (!hasErrors(portIssues)) return candidate;
    // Named ports that are taken are the operator's to change; chosen ones we move past.
    if (request.peerPort !== undefined && request.clientPort !== undefined) throw new UserError(describeIssues(portIssues), portIssues);
  }
  throw new UserError(`No free pair of ports found above ${highest} for ${request.id}; name them with --peer-port and --client-port.`);
}
