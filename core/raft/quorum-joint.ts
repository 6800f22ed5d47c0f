// Quorums of a joint configuration (etcd's quorum.JointConfig): while a configuration change is in
// flight, a decision needs a majority of the incoming voters AND a majority of the outgoing ones.
// An empty voter set decides nothing on its own: it agrees with anything (so that a non-joint
// configuration, whose outgoing set is empty, is the plain majority case).

import type { NodeId } from './types.js';
import { committedIndex, majority, voteResult, type VoteResult } from './quorum.js';

export interface JointVoters {
  incoming: readonly NodeId[];
  outgoing: readonly NodeId[];
}

/** The highest index a majority of `voters` matches; Infinity for an empty set (no constraint). */
export function majorityCommitted(voters: readonly NodeId[], matchOf: (id: NodeId) => number, matches: number[], scratch: number[]): number {
  if (voters.length === 0) return Infinity;
  matches.length = voters.length;
  for (let i = 0; i < voters.length; i++) matches[i] = matchOf(voters[i]!);
  return committedIndex(matches, scratch);
}

/** The highest index committed under the joint rule: the lower of both majorities' indexes. */
export function jointCommitted(cfg: JointVoters, matchOf: (id: NodeId) => number, matches: number[], scratch: number[]): number {
  const incoming = majorityCommitted(cfg.incoming, matchOf, matches, scratch);
  const outgoing = majorityCommitted(cfg.outgoing, matchOf, matches, scratch);
  const index = Math.min(incoming, outgoing);
  // Both sets empty: nobody can commit anything (a configuration always has voters).
  return index === Infinity ? 0 : index;
}

function majorityVote(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  return voters.length === 0 ? 'won' : voteResult(voters, votes);
}

/** Won when both majorities won; lost as soon as either is lost; pending otherwise. */
export function jointVoteResult(cfg: JointVoters, votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const incoming = majorityVote(cfg.incoming, votes);
  const outgoing = majorityVote(cfg.outgoing, votes);
  if (incoming === outgoing) return incoming;
  if (incoming === 'lost' || outgoing === 'lost') return 'lost';
  return 'pending';
}

function majorityActive(voters: readonly NodeId[], isActive: (id: NodeId) => boolean): boolean {
  if (voters.length === 0) return true;
  let active = 0;
  for (const id of voters) if (isActive(id)) active++;
  return active >= majority(voters.length);
}

/** Whether `isActive` holds for a majority of each non-empty set. */
export function jointHasQuorum(cfg: JointVoters, isActive: (id: NodeId) => boolean): boolean {
  return majorityActive(cfg.incoming, isActive) && majorityActive(cfg.outgoing, isActive);
}
