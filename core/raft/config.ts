import type { NodeId } from './types.js';
import type { Storage } from './storage.js';

/** A deterministic source of randomness, injected so that a seed replays a run exactly. */
export interface RandomSource {
  /** An integer in [0, n). */
  int(n: number): number;
}

/**
 * Deliberately broken rules, for proving that the simulator catches them. Never set outside tests.
 * Each flag names the safety rule it breaks.
 */
export interface TestOnlyBugs {
  /** Commit an entry of an earlier term by counting replicas (violates Raft §5.4.2). */
  commitPreviousTermByCount?: boolean;
  /** Grant votes without the log up-to-date check (§5.4.1). */
  voteWithoutUpToDateCheck?: boolean;
  /** Do not include a changed vote in Ready.hardState, so it is never persisted. */
  forgetToPersistVote?: boolean;
  /** Not a core rule but the host's (read by the simulator's host): send every message of a Ready
   *  before persisting it, votes and acknowledgements included, instead of only a leader's own
   *  replication messages. */
  sendEverythingBeforePersisting?: boolean;
  /** While joint, commit with the incoming voters' majority alone (the outgoing ones ignored). */
  commitWithIncomingMajorityOnly?: boolean;
  /** Apply a configuration change as soon as it is in the log, before it is committed. */
  applyConfChangeBeforeCommit?: boolean;
  /** Ask learners for votes and count their answers as voters'. */
  countLearnerVotes?: boolean;
  /** Accept a configuration change while another is still pending (not yet applied). */
  allowTwoPendingConfChanges?: boolean;
}

export interface RaftConfig {
  id: NodeId;
  /** Every voter, including this node, of a new cluster. Ignored when storage holds a configuration
   *  (a restart or a snapshot). Empty for a node that joins a running cluster: it waits, never
   *  campaigning, until the leader's log or snapshot tells it the configuration. */
  voters: NodeId[];
  storage: Storage;
  /** Ticks between heartbeats a leader sends. */
  heartbeatTicks: number;
  /** Base election timeout in ticks; each term draws one in [electionTicks, 2·electionTicks). */
  electionTicks: number;
  /** The last index the host applied before a restart (0 for a new node). */
  applied: number;
  /** Upper bound on the bytes of entries in one App message. */
  maxSizePerMsg: number;
  /** Upper bound on App messages in flight to one follower in replicate state. */
  maxInflightMsgs: number;
  /** Upper bound on the bytes of uncommitted entries a leader accepts (0 = no limit). */
  maxUncommittedBytes: number;
  preVote: boolean;
  checkQuorum: boolean;
  random: RandomSource;
  bugs?: TestOnlyBugs;
}
