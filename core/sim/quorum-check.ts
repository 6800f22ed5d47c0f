// The checker's own quorum arithmetic, written apart from the core's (quorum-joint.ts) so that a
// broken quorum rule in the core cannot also break the check that should catch it.

import type { ConfState, NodeId } from '../raft/types.js';

function majorityIn(voters: readonly NodeId[], members: ReadonlySet<NodeId>): boolean {
  if (voters.length === 0) return true;
  let count = 0;
  for (const id of voters) if (members.has(id)) count++;
  return count * 2 > voters.length;
}

export function isVoterOf(cs: ConfState, id: NodeId): boolean {
  return cs.voters.includes(id) || cs.votersOutgoing.includes(id);
}

/** Whether `members` holds a majority of the voters and, while joint, of the outgoing voters. */
export function isJointQuorum(cs: ConfState, members: ReadonlySet<NodeId>): boolean {
  return cs.voters.length > 0 && majorityIn(cs.voters, members) && majorityIn(cs.votersOutgoing, members);
}

/** Whether every quorum of `a` shares a node with every quorum of `b`: no set S with S a quorum of
 *  `a` and its complement a quorum of `b` (quorums are closed under supersets). Exhaustive over
 *  the voters of both — configurations here have a handful. */
export function quorumsOverlap(a: ConfState, b: ConfState): boolean {
  const universe = [...new Set([...a.voters, ...a.votersOutgoing, ...b.voters, ...b.votersOutgoing])];
  if (universe.length > 16) throw new RangeError(`quorumsOverlap: ${universe.length} voters is too many to enumerate`);
  for (let mask = 0; mask < 1 << universe.length; mask++) {
    const side = new Set<NodeId>();
    const rest = new Set<NodeId>();
    universe.forEach((id, i) => ((mask >> i) & 1 ? side : rest).add(id));
    if (isJointQuorum(a, side) && isJointQuorum(b, rest)) return false;
  }
  return true;
}
