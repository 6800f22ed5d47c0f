// Changing who is in the cluster while it runs: add a node (as a learner that catches up, then a
// voter), promote a learner, remove a node, move the leader. Plain values shared by the supervisor,
// its control socket, the CLI and the console.

/** What a membership change asks of the leader (one member at a time). */
export type MembershipAction = 'add-learner' | 'promote' | 'remove';

/** A node to add to a running cluster. Ports default to free ones; timeouts to the cluster's. */
export interface AddMemberRequest {
  id: string;
  host?: string;
  peerPort?: number;
  clientPort?: number;
  heartbeatMs?: number;
  electionTimeoutMs?: number;
  /** Stay a learner (receives the log, never votes) instead of being promoted once caught up. */
  learner?: boolean;
}

/** One member as the leader sees it. */
export interface MemberInfo {
  id: string;
  /** host:clientPort */
  address: string;
  voter: boolean;
  /** The leader's view of how far its log reached this member (null: unknown, or the leader itself). */
  match: number | null;
  /** The member's process: running, stopped, killed, ... */
  state: string;
}

/** What a membership change did, once the configuration change is applied on the leader. */
export interface MemberChangeResult {
  id: string;
  /** The member's role after the change ('removed' once removed). */
  role: 'voter' | 'learner' | 'removed';
  /** The log index and term of the configuration change. */
  index: number;
  term: number;
}

/** Progress of a joining node, reported while it catches up. */
export interface CatchUpProgress {
  id: string;
  match: number;
  target: number;
}
