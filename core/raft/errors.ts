import type { NodeId } from './types.js';

export type ProposalErrorCode =
  /** This node is not the leader; `leader` names the one it knows of, or is NONE. */
  | 'not-leader'
  /** This node leads but has not heard from a quorum lately (check-quorum): it would not commit. */
  | 'no-quorum'
  /** A leadership transfer is in progress. */
  | 'transferring'
  /** Too many uncommitted bytes are waiting: back off and retry. */
  | 'overloaded';

/**
 * A broken invariant: the log, the persisted state or a message contradicts what Raft guarantees
 * (etcd panics in the same places). The node must stop — continuing could lose or corrupt committed
 * data — and its message names the node, index and term so the operator can tell what happened.
 */
export class RaftInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RaftInvariantError';
  }
}

/** Why a proposal was refused. The node runtime turns it into a client-facing answer. */
export class ProposalError extends Error {
  constructor(
    readonly code: ProposalErrorCode,
    readonly leader: NodeId,
    message: string,
  ) {
    super(message);
    this.name = 'ProposalError';
  }
}
