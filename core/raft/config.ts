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
  /** Grant a vote in a term where this node already voted for another candidate (§5.2). */
  voteTwiceInTerm?: boolean;
  /** Heartbeats carry the leader's commit index, not min(commit, the follower's match). */
  heartbeatCommitUnclamped?: boolean;
  /** A follower appends after prevIndex without checking the term there (§5.3 consistency check). */
  appendWithoutPrevTermCheck?: boolean;
  /** A follower installs a snapshot older than its commit index. */
  restoreStaleSnapshot?: boolean;
  /** The up-to-date check accepts a log one entry shorter in the same last term (§5.4.1). */
  upToDateOffByOne?: boolean;
  /** Messages of an older term are processed as if current instead of dropped. */
  acceptStaleTermMessages?: boolean;
  /** A restarted node forgets whom it voted for in its persisted term. */
  forgetVoteOnRestart?: boolean;
  /** A follower commits up to the leader's commit instead of min(leaderCommit, last new entry)
   *  (Figure 2: past the App's entries the follower's log is not known to match the leader's). */
  followerCommitsLeaderCommit?: boolean;
  /** The host's "persisted up to (index, term)" marks entries stable even if the entry there was
   *  replaced while the write was in flight. */
  stableToIgnoresTerm?: boolean;
  /** A new leader does not append an entry of its term (§5.4.2: prior-term entries then never
   *  commit until a client proposes). */
  noEmptyEntryOnElection?: boolean;
  /** A follower's progress never leaves snapshot state once it entered it. */
  progressStuckInSnapshot?: boolean;
  /** Answer a ReadIndex request at once with the commit index, without the heartbeat round that
   *  confirms this node still leads (a deposed leader then serves stale reads; thesis §6.4). */
  answerReadIndexWithoutQuorum?: boolean;
  /** While joint, commit with the incoming voters' majority alone (the outgoing ones ignored). */
  commitWithIncomingMajorityOnly?: boolean;
  /** Apply a configuration change as soon as it is in the log, before it is committed. */
  applyConfChangeBeforeCommit?: boolean;
  /** Ask learners for votes and count their answers as voters'. */
  countLearnerVotes?: boolean;
  /** Accept a configuration change while another is still pending (not yet applied). */
  allowTwoPendingConfChanges?: boolean;
}

/**
 * How a leader may confirm a read index (Raft thesis §6.4):
 * - 'safe': one heartbeat round to a quorum after the read arrived proves that no other leader
 *   existed at that moment. Needs nothing of clocks. Every read takes it.
 * - 'lease-based': reads that ask for it (readIndex(ctx, true)) skip the round while the leader
 *   holds a lease; others still take the round. The lease: a quorum answered a heartbeat it
 *   sent less than `electionTicks − 2` ticks ago, and those voters ignore elections for
 *   `electionTicks` of their own ticks after hearing it. Needs `checkQuorum`. Assumes bounded
 *   clock drift: every node's tick interval may be shorter than the leader's by at most a factor
 *   (electionTicks − 2) / (electionTicks − 1) — about 11 % for 10 ticks — and the leader's ticks
 *   must keep pace with real time (a paused or starved leader process breaks the lease: it
 *   resumes believing its lease holds while a new leader may already have accepted writes).
 *   Without a lease (expired, or a leadership transfer started this term) reads take the round.
 */
export type ReadOnlyOption = 'safe' | 'lease-based';

/**
 * How followers learn that the commit index moved when nothing else is on its way to them:
 * - 'immediate' (etcd's raft): the leader sends each follower an App at once, empty if it has no
 *   entries to send, and each is answered by an AppResp.
 * - 'deferred': the commit index rides on the next App or heartbeat, and at the latest the leader's
 *   next tick sends an empty App to each follower that lacks it (hashicorp/raft bounds the same
 *   delay by its CommitTimeout). At one client that removes half of every write's messages and a
 *   wake-up of every follower; followers apply up to one tick later. Nothing a client is answered
 *   waits for it: the leader answers when it applies, and a read index is confirmed by a heartbeat
 *   round, which carries the commit index too.
 */
export type CommitBroadcast = 'immediate' | 'deferred';

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
  /** How read indexes are confirmed; see ReadOnlyOption. Default 'safe'. */
  readOnly?: ReadOnlyOption;
  /** How followers learn a new commit index; see CommitBroadcast. Default 'immediate'. */
  commitBroadcast?: CommitBroadcast;
  random: RandomSource;
  bugs?: TestOnlyBugs;
}
