import type { NodeId } from './types.js';

export type ProposalErrorCode =
  /** This node is not the leader; `leader` names the one it knows of, or is NONE. */
  | 'not-leader'
  /** This node leads but has not heard from a quorum lately (check-quorum): it would not commit. */
  | 'no-quorum'
  /** A leadership transfer is in progress. */
  | 'transferring'
  /** Too many uncommitted bytes are waiting: back off and retry. */
  | 'overloaded'
  /** A configuration change is still pending (proposed, not yet applied): retry once it is. */
  | 'conf-change-pending'
  /** The configuration change cannot apply to the current configuration (the message says why). */
  | 'invalid-conf-change';

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

export type TransferErrorCode = 'not-leader' | 'not-a-voter' | 'no-candidate';

/** Why a leadership transfer was refused. */
export class TransferError extends Error {
  constructor(
    readonly code: TransferErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}
