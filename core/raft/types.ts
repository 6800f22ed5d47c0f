// The values that flow in and out of the Raft state machine. Plain data, no behaviour: the wire
// codec (core/transport), the WAL (core/storage) and the simulator (core/sim) all speak these.

/** A node's identity, as configured in cluster.json ("n1"). The empty string means "none". */
export type NodeId = string;
export const NONE: NodeId = '';

export const EntryType = {
  /** An application command, or empty data for the no-op a new leader appends. */
  Normal: 0,
  /** A membership change: data is a ConfChange (conf-change-data.ts). Hosts skip it when applying
   *  to their state machine; the core applies it itself once the host has applied the entry. */
  ConfChange: 1,
} as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

/** One log entry. Invariant: index >= 1, and terms never decrease along a log. */
export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array;
}

/**
 * The membership configuration (etcd's ConfState). While joint (votersOutgoing non-empty), a
 * quorum is a majority of `voters` AND a majority of `votersOutgoing`. Learners receive the log but
 * never vote nor count; `learnersNext` are outgoing voters that become learners on leaving joint.
 */
export interface ConfState {
  /** The incoming (or only) voter set. */
  voters: NodeId[];
  /** The outgoing voter set while joint; empty otherwise. */
  votersOutgoing: NodeId[];
  learners: NodeId[];
  learnersNext: NodeId[];
  /** Leave the joint configuration on its own once it is applied. */
  autoLeave: boolean;
  /** The log index of the configuration change that produced this state (0: the initial one). */
  index: number;
}

/** What must survive a crash before any message that depends on it is sent. */
export interface HardState {
  term: number;
  /** Whom this node voted for in `term`, or NONE. */
  vote: NodeId;
  commit: number;
  /** The configuration applied so far. The core always sets it; it is absent only in data written
   *  before membership changes existed (then the snapshot's, or the configured voters, hold). */
  conf?: ConfState;
}

export interface SnapshotMetadata {
  /** The last log index the snapshot covers (inclusive), and that entry's term. */
  index: number;
  term: number;
  /** The configuration at `index`. */
  confState: ConfState;
}

export interface Snapshot {
  metadata: SnapshotMetadata;
  /** The serialized state machine after applying every entry up to metadata.index. */
  data: Uint8Array;
}

export const MessageType = {
  /** Leader → follower: entries after (index, logTerm), and the leader's commit. */
  App: 1,
  /** Follower → leader: accept (index = last matched) or reject (rejectHint, logTerm = conflict hint). */
  AppResp: 2,
  /** Candidate → all: vote for me in `term`; (index, logTerm) is my last entry. */
  Vote: 3,
  VoteResp: 4,
  /** As Vote, but for term + 1 without anyone changing term: nobody is disrupted by a losing node. */
  PreVote: 5,
  PreVoteResp: 6,
  /** Leader → follower: I am alive; commit = min(leader commit, follower match). */
  Heartbeat: 7,
  HeartbeatResp: 8,
  /** Leader → follower: install this snapshot (the entries it needs are compacted). */
  Snap: 9,
  /** Leader → follower: campaign now, skipping the election timeout (leadership transfer). */
  TimeoutNow: 10,
  /** Follower → leader: which index must I apply before answering a read? `context` = the
   *  follower's request, handed back in the response. */
  ReadIndex: 11,
  /** Leader → follower: `index` is a read index confirmed by a quorum, for request `context`. */
  ReadIndexResp: 12,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * One Raft message. Every type uses the same shape (as etcd's raftpb.Message does) so that the codec
 * has one layout; fields a type does not use are 0, false, [] or null.
 */
export interface Message {
  type: MessageType;
  from: NodeId;
  to: NodeId;
  term: number;
  /** App: term of the entry at `index`. Vote/PreVote: term of the sender's last entry.
   *  AppResp with reject: term of the follower's entry at rejectHint (0 if none). */
  logTerm: number;
  /** App: index of the entry preceding `entries`. Vote/PreVote: sender's last index.
   *  AppResp: the highest index now known to match (accept) or the rejected App's index (reject). */
  index: number;
  entries: Entry[];
  commit: number;
  reject: boolean;
  /** AppResp with reject: the follower's suggestion of where the leader should probe next.
   *  Vote/PreVote: 1 when the campaign was forced by TimeoutNow (a leadership transfer), which
   *  voters grant even while they still hear from the current leader; 0 otherwise. */
  rejectHint: number;
  snapshot: Snapshot | null;
  /** Heartbeat/HeartbeatResp: the leader's read round (0 = none), echoed by the follower.
   *  ReadIndex/ReadIndexResp: the requesting host's read context. */
  context: number;
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Volatile state, reported only when it changes; never persisted. */
export interface SoftState {
  leader: NodeId;
  role: Role;
}

/**
 * A read the leader confirmed (ReadIndex, Raft thesis §6.4): once this node has applied `index`,
 * its state machine answers request `context` linearizably.
 */
export interface ReadState {
  index: number;
  context: number;
}

/**
 * Everything the core asks of its host in one batch. The host must, in this order:
 * 1. persist `snapshot` (if any), then `entries` and `hardState` (fsync once when mustSync);
 * 2. send `messages`;
 * 3. apply `committedEntries` in order (and `snapshot` to the state machine, if any);
 * 4. call advance(ready).
 */
export interface Ready {
  softState: SoftState | null;
  hardState: HardState | null;
  entries: Entry[];
  snapshot: Snapshot | null;
  committedEntries: Entry[];
  messages: Message[];
  /** True when the hard state's term/vote or any entry changed: the write must be fsynced. */
  mustSync: boolean;
  /** Confirmed reads (see ReadState). They depend on nothing in this Ready's write: the host may
   *  act on them at once, serving each when its applied index reaches the read's. */
  readStates: ReadState[];
}

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** The leader's view of one follower. */
export interface FollowerProgress {
  id: NodeId;
  /** Highest index known to be replicated on the follower. */
  match: number;
  /** Next index to send. */
  next: number;
  state: ProgressState;
  /** Messages sent but not yet acknowledged (replicate state). */
  inflight: number;
  /** Heard from since the last check-quorum round. */
  recentActive: boolean;
  /** A learner: receives the log, never votes nor counts. */
  learner: boolean;
}

export interface RaftStatus {
  id: NodeId;
  role: Role;
  term: number;
  vote: NodeId;
  leader: NodeId;
  commit: number;
  applied: number;
  firstIndex: number;
  lastIndex: number;
  snapshotIndex: number;
  /** The configuration this node has applied. */
  conf: ConfState;
  /** Only on the leader: every other member's progress (learners included). */
  progress: FollowerProgress[] | null;
}

/** Where a node's clocks stand, in ticks: what explains when it will campaign or send a heartbeat. */
export interface RaftTimers {
  /** Ticks since the election clock was reset (a follower hears its leader: reset). */
  electionElapsed: number;
  /** This term's randomized election timeout: a follower campaigns when electionElapsed reaches it. */
  randomizedElectionTimeout: number;
  /** The leader's ticks since its last heartbeat round, and the heartbeat interval. */
  heartbeatElapsed: number;
  heartbeatTimeout: number;
}

export interface ProposalResult {
  /** Index and term the (first) proposed entry was appended at. It is committed once an entry
   *  with that index AND that term is applied; if another term's entry is applied there, it was lost. */
  index: number;
  term: number;
}

export const ConfChangeType = {
  /** Add a voter, or promote a learner. */
  AddNode: 0,
  RemoveNode: 1,
  /** Add a learner, or demote a voter (through a joint configuration). */
  AddLearnerNode: 2,
} as const;
export type ConfChangeType = (typeof ConfChangeType)[keyof typeof ConfChangeType];

export interface ConfChangeSingle {
  type: ConfChangeType;
  node: NodeId;
}

/** How a ConfChange moves between configurations (etcd's ConfChangeTransition). */
export const ConfChangeTransition = {
  /** One voter changed at most: applied directly (simple). More: joint, left automatically. */
  Auto: 0,
  /** Always joint, left automatically once applied. */
  JointImplicit: 1,
  /** Always joint, left only by an explicit empty ConfChange. */
  JointExplicit: 2,
} as const;
export type ConfChangeTransition = (typeof ConfChangeTransition)[keyof typeof ConfChangeTransition];

/** A membership change, carried by an EntryType.ConfChange entry. With no changes and the Auto
 *  transition it means "leave the joint configuration". */
export interface ConfChange {
  transition: ConfChangeTransition;
  changes: ConfChangeSingle[];
}
