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
