// The Raft state machine: roles, elections, replication, commit and snapshots. Pure and
// deterministic: time is tick(), randomness is config.random, output is `msgs` and the log, which
// RawNode turns into Ready values. Rules follow the Raft paper and etcd's raft package.

import type { ConfChange, ConfState, Entry, Message, MessageType as MessageTypeValue, NodeId, ReadState, Role } from './types.js';
import { EntryType, MessageType, NONE } from './types.js';
import type { RaftConfig, RandomSource, TestOnlyBugs } from './config.js';
import { ProposalError, RaftInvariantError } from './errors.js';
import { RaftLog } from './raft-log.js';
import { ProgressTracker } from './progress-tracker.js';
import type { Progress } from './progress.js';
import { payloadSize } from './entry-size.js';
import { ConfChangeError, applyConfChange } from './confchange.js';
import { encodeConfChange, leaveJointChange } from './conf-change-data.js';
import { confAfterEntry, initialConfState } from './conf-restore.js';
import { ReadOnly } from './read-only.js';

/** Vote/PreVote `rejectHint` value marking a campaign forced by TimeoutNow (leadership transfer):
 *  voters grant it even while they still hear from the current leader. */
export const TRANSFER_CAMPAIGN = 1;
/** ReadIndex `rejectHint` value: the asker accepts an answer under the leader's lease. */
export const LEASE_READ = 1;

const EMPTY_DATA = new Uint8Array(0);
const NO_ENTRIES: Entry[] = [];

type CampaignKind = 'pre-election' | 'election' | 'transfer';

function validateConfig(config: RaftConfig): void {
  const positive = (name: string, value: number): void => {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`raft config: ${name} must be a positive integer, got ${value}`);
  };
  if (typeof config.id !== 'string' || config.id === NONE) throw new RangeError('raft config: id must be a non-empty string');
  positive('heartbeatTicks', config.heartbeatTicks);
  positive('electionTicks', config.electionTicks);
  if (config.electionTicks <= config.heartbeatTicks) {
    throw new RangeError(`raft config: electionTicks (${config.electionTicks}) must exceed heartbeatTicks (${config.heartbeatTicks})`);
  }
  positive('maxSizePerMsg', config.maxSizePerMsg);
  positive('maxInflightMsgs', config.maxInflightMsgs);
  if (!Number.isSafeInteger(config.maxUncommittedBytes) || config.maxUncommittedBytes < 0) {
    throw new RangeError(`raft config: maxUncommittedBytes must be a non-negative integer, got ${config.maxUncommittedBytes}`);
  }
  if (!Number.isSafeInteger(config.applied) || config.applied < 0) throw new RangeError(`raft config: applied must be a non-negative integer, got ${config.applied}`);
  const readOnly = config.readOnly ?? 'safe';
  if (readOnly !== 'safe' && readOnly !== 'lease-based') throw new RangeError(`raft config: readOnly must be "safe" or "lease-based", got ${String(readOnly)}`);
  if (readOnly === 'lease-based' && !config.checkQuorum) {
    throw new RangeError('raft config: lease-based reads need checkQuorum, or a deposed leader would keep answering from its lease');
  }
}

function newMessage(type: MessageTypeValue, from: NodeId, to: NodeId, term: number): Message {
  return { type, from, to, term, logTerm: 0, index: 0, entries: NO_ENTRIES, commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 };
}

export class Raft {
  readonly id: NodeId;
  term = 0;
  /** Whom this node voted for in `term`, or NONE. */
  vote: NodeId = NONE;
  /** The leader of `term` as far as this node knows, or NONE. */
  lead: NodeId = NONE;
  role: Role = 'follower';
  readonly log: RaftLog;
  readonly tracker: ProgressTracker;
  /** Messages produced since the last Ready; sent by the host after it persisted that Ready. */
  msgs: Message[] = [];

  /** Ticks since the last election timeout reset (follower/candidate), or since the last
   *  check-quorum round (leader). */
  electionElapsed = 0;
  /** Ticks since the leader's last heartbeat round (read by RawNode.timers()). */
  heartbeatElapsed = 0;
  /** This term's election timeout, drawn in [electionTicks, 2·electionTicks). */
  randomizedElectionTimeout = 0;
  /** Ticks since this node became leader: the clock of Progress.lastHeardTick. */
  private leaderTicks = 0;
  /** The follower leadership is being handed to, or NONE. */
  leadTransferee: NodeId = NONE;
  /** Payload bytes the leader appended and has not yet seen applied. */
  private uncommittedSize = 0;
  /** On the leader: the index of the last configuration change it may have in its log unapplied.
   *  A new change is refused until applied >= this (one change pending at most). */
  pendingConfIndex = 0;
  /** Reads confirmed since the last Ready, for this node's host (see ReadState). */
  readStates: ReadState[] = [];
  /** Leader: reads waiting for their heartbeat round (read-only.ts). */
  readOnly: ReadOnly;
  /** Leader: reads that arrived before an entry of this term committed; the commit index may still
   *  trail what the previous leader committed, so they wait for it (thesis §6.4, step 1). */
  private readsAwaitingTermCommit: Message[] = [];
  /** Leader: a leadership transfer started in this term. A TimeoutNow may arrive late and make its
   *  target win against voters' leases, so lease reads stay off for the rest of the term. */
  private transferStartedThisTerm = false;
  /** Lease-based reads: a node that has just started ignores elections for one election timeout,
   *  as if it had just heard from a leader — it may have acknowledged one right before it stopped,
   *  and that leader's lease counts on it. */
  private startupLease = false;

  readonly heartbeatTimeout: number;
  readonly electionTimeout: number;
  private readonly maxSizePerMsg: number;
  private readonly maxUncommittedBytes: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private readonly deferCommitBroadcast: boolean;
  private readonly leaseReads: boolean;
  private readonly random: RandomSource;
  private readonly bugs: TestOnlyBugs;

  constructor(config: RaftConfig) {
    validateConfig(config);
    this.id = config.id;
    this.heartbeatTimeout = config.heartbeatTicks;
    this.electionTimeout = config.electionTicks;
    this.maxSizePerMsg = config.maxSizePerMsg;
    this.maxUncommittedBytes = config.maxUncommittedBytes;
    this.preVote = config.preVote;
    this.checkQuorum = config.checkQuorum;
    this.deferCommitBroadcast = config.commitBroadcast === 'deferred';
    this.leaseReads = config.readOnly === 'lease-based';
    this.readOnly = new ReadOnly(this.leaseReads);
    this.random = config.random;
    this.bugs = config.bugs ?? {};

    const { hardState, confState: snapshotConf } = config.storage.initialState();
    if (new Set(config.voters).size !== config.voters.length) throw new RangeError('raft config: voters must be distinct ids');
    this.log = new RaftLog(config.storage, () => `${this.id} in term ${this.term}`, this.bugs);
    const conf = initialConfState(config.id, config.storage, hardState, snapshotConf, config.voters, config.applied);
    this.tracker = new ProgressTracker(conf, config.maxInflightMsgs, {
      commitWithIncomingMajorityOnly: this.bugs.commitWithIncomingMajorityOnly === true,
      countLearnerVotes: this.bugs.countLearnerVotes === true,
    });

    // A restart: the persisted commit may trail what the host already applied (a commit-only
    // change need not be fsynced), and what was applied was committed. Anything outside the log
    // means the storage lost what the state machine or the hard state relies on.
    const first = this.log.firstIndex();
    const last = this.log.lastIndex();
    if (hardState.commit > last) {
      throw new RaftInvariantError(`${this.id}: the persisted commit index ${hardState.commit} (term ${hardState.term}) is beyond the last log index ${last}; was the log truncated or lost?`);
    }
    if (config.applied < first - 1 || config.applied > last) {
      throw new RaftInvariantError(`${this.id}: the state machine's applied index ${config.applied} is outside the log [${first - 1}, ${last}] (term ${hardState.term}); was the log truncated or lost?`);
    }
    this.log.committed = Math.max(first - 1, hardState.commit, config.applied);
    this.log.appliedTo(config.applied);
    this.becomeFollower(hardState.term, NONE);
    if (this.bugs.forgetVoteOnRestart !== true) this.vote = hardState.vote;
    // A node that has never been in a term has never acknowledged a leader.
    this.startupLease = this.leaseReads && hardState.term > 0;
  }

  // ---- inputs ---------------------------------------------------------------------------------

  tick(): void {
    if (this.role === 'leader') this.tickHeartbeat();
    else this.tickElection();
  }

  /** Starts an election now, with a pre-vote first if enabled. */
  hup(): void {
    this.maybeCampaign(this.preVote ? 'pre-election' : 'election');
  }

  /** An election the host asked for. With lease-based reads a node within its voter lease does not
   *  campaign: its own vote would count against the lease it granted the leader. */
  hostCampaign(): void {
    if (this.leaseReads && this.inVoterLease()) return;
    this.hup();
  }

  /**
   * A read-only query from this node's host (thesis §6.4). The leader confirms a read index and
   * hands it out in Ready.readStates with `context`; a follower asks its leader. Without a known
   * leader the request is dropped (the host checks softState first and answers its client).
   */
  readIndex(context: number, lease: boolean): void {
    const m = newMessage(MessageType.ReadIndex, this.id, this.id, this.term);
    m.context = context;
    if (lease) m.rejectHint = LEASE_READ;
    if (this.role === 'leader') {
      this.handleReadIndex(m);
    } else if (this.role === 'follower' && this.lead !== NONE) {
      m.to = this.lead;
      this.send(m);
    }
  }

  /** Sends the heartbeat round the reads queued since the last Ready wait for (one round for all
   *  of them). Called by RawNode as it builds a Ready. */
  flushReadRound(): void {
    if (this.role === 'leader' && this.readOnly.roundWanted) this.bcastHeartbeat(this.readOnly.startRound(this.leaderTicks, this.electionTimeout));
  }

  /** Appends proposals as one batch. Throws ProposalError when this node cannot accept them. */
  propose(datas: readonly Uint8Array[]): { index: number; term: number } {
    this.checkProposable();
    let size = 0;
    for (const data of datas) size += data.length;
    if (this.maxUncommittedBytes > 0 && this.uncommittedSize > 0 && this.uncommittedSize + size > this.maxUncommittedBytes) {
      throw new ProposalError('overloaded', this.lead, `${this.id} has too many uncommitted bytes waiting; back off and retry`);
    }
    const first = this.log.lastIndex() + 1;
    const entries = new Array<Entry>(datas.length);
    for (let i = 0; i < datas.length; i++) entries[i] = { term: this.term, index: first + i, type: EntryType.Normal, data: datas[i]! };
    this.appendEntries(entries);
    this.uncommittedSize += size;
    this.bcastAppend();
    return { index: first, term: this.term };
  }

  /**
   * Appends a configuration change. Refused (ProposalError) while another is pending — proposed
   * and not yet applied here — or when it cannot apply to the current configuration, so that a
   * change in the log never fails to apply on any node.
   */
  proposeConfChange(cc: ConfChange): { index: number; term: number } {
    this.checkProposable();
    if (this.pendingConfIndex > this.log.applied && this.bugs.allowTwoPendingConfChanges !== true) {
      throw new ProposalError(
        'conf-change-pending',
        this.lead,
        `a configuration change (at index ${this.pendingConfIndex}) is not applied yet; retry once it is (applied index ${this.log.applied})`,
      );
    }
    const index = this.log.lastIndex() + 1;
    let data: Uint8Array;
    try {
      data = encodeConfChange(cc, applyConfChange(this.tracker.confState, cc, index));
    } catch (e) {
      if (!(e instanceof ConfChangeError) && !(e instanceof Error && e.name === 'ConfChangeDataError')) throw e;
      throw new ProposalError('invalid-conf-change', this.lead, `configuration change refused: ${e.message}`);
    }
    this.appendConfChangeEntry(data);
    return { index, term: this.term };
  }

  private appendConfChangeEntry(data: Uint8Array): void {
    const entry: Entry = { term: this.term, index: this.log.lastIndex() + 1, type: EntryType.ConfChange, data };
    this.pendingConfIndex = entry.index;
    this.appendEntries([entry]);
    if (this.bugs.applyConfChangeBeforeCommit === true) this.applyConfChangeEntry(entry);
    this.bcastAppend();
  }

  private checkProposable(): void {
    if (this.role !== 'leader') {
      const where = this.lead === NONE ? 'no leader is known; retry after an election' : `the leader is ${this.lead}`;
      throw new ProposalError('not-leader', this.lead, `${this.id} is not the leader; ${where}`);
    }
    if (this.leadTransferee !== NONE) {
      throw new ProposalError('transferring', this.lead, `${this.id} is handing leadership to ${this.leadTransferee}; retry shortly`);
    }
    if (this.checkQuorum && !this.tracker.quorumHeardWithin(this.id, this.leaderTicks, this.electionTimeout)) {
      throw new ProposalError('no-quorum', this.lead, `${this.id} leads but has not heard from a quorum lately; retry later`);
    }
  }

  // ---- configuration changes --------------------------------------------------------------------

  /**
   * Called as the host finishes applying committed entries: configuration changes take effect
   * here, once applied (etcd's rule; at most one is pending, so every node goes through the same
   * sequence of configurations). Changes at or below the configuration's own index were applied
   * before (a restart that replays its log). Then a leader leaves an auto-leave joint
   * configuration once it is applied.
   */
  applyCommitted(entries: readonly Entry[]): void {
    for (const entry of entries) if (entry.type === EntryType.ConfChange) this.applyConfChangeEntry(entry);
    this.maybeAutoLeave();
  }

  private applyConfChangeEntry(entry: Entry): void {
    const current = this.tracker.confState;
    if (entry.index <= current.index) return;
    // Every change was computed from the same configuration when proposed (one pending at most).
    const adoptOnMismatch = this.bugs.allowTwoPendingConfChanges === true || this.bugs.applyConfChangeBeforeCommit === true;
    this.switchToConfig(confAfterEntry(this.id, current, entry, adoptOnMismatch));
  }

  /** After a snapshot was applied at `index`: nothing to do for configuration (restore set it),
   *  but the leader may now leave a joint configuration. */
  maybeAutoLeave(): void {
    const conf = this.tracker.confState;
    if (this.role !== 'leader' || !conf.autoLeave || this.log.applied < this.pendingConfIndex) return;
    const leave = leaveJointChange();
    this.appendConfChangeEntry(encodeConfChange(leave, applyConfChange(conf, leave, this.log.lastIndex() + 1)));
  }

  private switchToConfig(conf: ConfState): void {
    this.tracker.applyConf(conf, this.log.lastIndex());
    if (this.leadTransferee !== NONE && !this.tracker.isVoter(this.leadTransferee)) this.leadTransferee = NONE;
    // A campaign started under the previous configuration is over: its votes were asked of other
    // voters (and this node may no longer be one). It may campaign again in the new one.
    if (this.role === 'candidate' || this.role === 'pre-candidate') {
      this.becomeFollower(this.term, NONE);
      return;
    }
    if (this.role !== 'leader') return;
    if (!this.tracker.isVoter(this.id)) {
      this.handOverRemoved();
      return;
    }
    if (this.maybeCommit()) this.sendAfterCommit();
    else for (const id of this.tracker.members) if (id !== this.id) this.maybeSendAppend(id, false);
  }

  /**
   * The leader applied a configuration without itself as a voter. It keeps leading — replicating,
   * committing with the voters alone, refusing proposals ('transferring') — while it hands over to
   * the most up-to-date voter (a leadership transfer: catch it up, then TimeoutNow), retried every
   * election timeout; it steps down when the successor's higher term reaches it and never
   * campaigns again (not promotable). Stepping down at once would strand a cluster whose
   * remaining voters lack entries only the removed leader holds: they could not win an election
   * without its vote, which it refuses to a shorter log.
   */
  private handOverRemoved(): void {
    const successor = this.mostUpToDateVoter();
    if (successor !== NONE) this.transferLeadership(successor);
  }

  /** The voter (not this node) with the highest match, or NONE. Ties go to the first id. */
  mostUpToDateVoter(): NodeId {
    let best: NodeId = NONE;
    let bestMatch = -1;
    for (const id of this.tracker.voters) {
      if (id === this.id) continue;
      const match = this.tracker.get(id)!.match;
      if (match > bestMatch) {
        best = id;
        bestMatch = match;
      }
    }
    return best;
  }

  /** Network input. Messages are assumed well-formed (RawNode checks them). */
  step(m: Message): void {
    if (m.term > this.term) {
      if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
        const force = m.rejectHint === TRANSFER_CAMPAIGN;
        const inLease = this.inVoterLease();
        // Within an election timeout of hearing from a live leader, a vote request is a rejoining
        // or partitioned node trying to disrupt it: ignore it, without even adopting its term.
        if (!force && inLease) return;
      }
      if (m.type === MessageType.PreVote) {
        // A pre-vote never changes anyone's term.
      } else if (m.type === MessageType.PreVoteResp && !m.reject) {
        // A granted pre-vote carries our future term; the term changes only if we win.
      } else {
        const fromLeader = m.type === MessageType.App || m.type === MessageType.Heartbeat || m.type === MessageType.Snap;
        this.becomeFollower(m.term, fromLeader ? m.from : NONE);
      }
    } else if (m.term < this.term && this.bugs.acceptStaleTermMessages !== true) {
      if ((this.checkQuorum || this.preVote || !this.tracker.isVoter(this.id)) && (m.type === MessageType.Heartbeat || m.type === MessageType.App)) {
        // A leader of an older term that never hears a higher term would keep its followers
        // (which ignore its messages) and itself stuck; our term in a response deposes it.
        // Without check-quorum and pre-vote, etcd leaves that to the follower's own campaign —
        // which a learner never starts: a learner whose term a removed node's vote request raised
        // would ignore its leader for good (the simulator, seed 216723), so a learner answers.
        this.send(newMessage(MessageType.AppResp, this.id, m.from, this.term));
      } else if (m.type === MessageType.PreVote) {
        const reply = newMessage(MessageType.PreVoteResp, this.id, m.from, this.term);
        reply.reject = true;
        this.send(reply);
      }
      return;
    }

    if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
      this.handleVoteRequest(m);
      return;
    }
    switch (this.role) {
      case 'leader':
        this.stepLeader(m);
        return;
      case 'candidate':
      case 'pre-candidate':
        this.stepCandidate(m);
        return;
      case 'follower':
        this.stepFollower(m);
        return;
    }
  }

  transferLeadership(to: NodeId): void {
    if (this.role !== 'leader' || to === this.id || !this.tracker.isVoter(to)) return;
    if (this.leadTransferee === to) return;
    // The transfer must finish within one election timeout or it is abandoned (tickHeartbeat).
    this.electionElapsed = 0;
    this.leadTransferee = to;
    this.transferStartedThisTerm = true;
    const pr = this.tracker.get(to)!;
    if (pr.match === this.log.lastIndex()) this.sendTimeoutNow(to);
    else this.maybeSendAppend(to, true);
  }

  /** The transport lost `id`: any optimistic pipeline to it is probably lost too. */
  reportUnreachable(id: NodeId): void {
    if (this.role !== 'leader') return;
    const pr = this.tracker.get(id);
    if (pr && pr.state === 'replicate') pr.becomeProbe();
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    if (this.role !== 'leader') return;
    const pr = this.tracker.get(id);
    if (!pr || pr.state !== 'snapshot' || this.bugs.progressStuckInSnapshot === true) return;
    // On failure, forget the snapshot index first, or probing would start past it.
    if (!ok) pr.pendingSnapshot = 0;
    pr.becomeProbe();
    // Wait for the follower's answer (or the next heartbeat response) before sending again.
    pr.probeSent = true;
  }

  /** Called as the host finishes applying committed entries. */
  reduceUncommittedSize(entries: readonly Entry[]): void {
    if (this.role !== 'leader') return;
    this.uncommittedSize = Math.max(0, this.uncommittedSize - payloadSize(entries));
  }

  promotable(): boolean {
    return this.tracker.isVoter(this.id) && !this.log.hasPendingSnapshot();
  }

  // ---- role changes ---------------------------------------------------------------------------

  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.leadTransferee = NONE;
    this.tracker.resetVotes();
    const last = this.log.lastIndex();
    this.tracker.reset(last + 1);
    const self = this.tracker.get(this.id);
    if (self) self.match = last;
    this.uncommittedSize = 0;
    // Reads not yet confirmed are dropped, as in etcd: their hosts time them out. Confirmed ones
    // (readStates) stay valid.
    this.readOnly = new ReadOnly(this.leaseReads);
    this.readsAwaitingTermCommit = [];
    this.transferStartedThisTerm = false;
  }

  /** Whether this node still honours a leader it heard from within an election timeout (or, with
   *  lease-based reads, has just started): it then ignores vote requests (check-quorum). */
  private inVoterLease(): boolean {
    return this.checkQuorum && (this.lead !== NONE || this.startupLease) && this.electionElapsed < this.electionTimeout;
  }

  private resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + this.random.int(this.electionTimeout);
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
  }

  private becomePreCandidate(): void {
    // The term does not change: a pre-candidate that cannot win disturbs nobody.
    this.role = 'pre-candidate';
    this.lead = NONE;
    this.tracker.resetVotes();
    this.electionElapsed = 0;
    this.resetRandomizedElectionTimeout();
  }

  private becomeCandidate(): void {
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
  }

  private becomeLeader(): void {
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    this.leaderTicks = 0;
    // Our log may hold configuration changes not yet applied: refuse new ones until they are.
    this.pendingConfIndex = this.log.lastIndex();
    const self = this.tracker.get(this.id)!;
    self.becomeReplicate();
    self.recentActive = true;
    // An entry of the new term: entries of earlier terms can only commit along with one (§5.4.2),
    // so without it a quiet cluster would never commit what the previous leader left.
    if (this.bugs.noEmptyEntryOnElection === true) return;
    this.appendEntries([{ term: this.term, index: this.log.lastIndex() + 1, type: EntryType.Normal, data: EMPTY_DATA }]);
  }

  // ---- elections ------------------------------------------------------------------------------

  private tickElection(): void {
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) this.startupLease = false;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.hup();
    }
  }

  /** The TimeoutNow handler: campaign at once, skipping pre-vote and the voters' leader lease. */
  private campaignForTransfer(): void {
    this.maybeCampaign('transfer');
  }

  private maybeCampaign(kind: CampaignKind): void {
    if (this.role === 'leader' || !this.promotable()) return;
    // A configuration change known committed but not yet applied may take this node's vote (or its
    // whole configuration) away: campaigning under the older configuration could win with a quorum
    // the cluster no longer uses (etcd's rule; it makes configuration at apply time safe).
    if (this.hasUnappliedConfChanges()) return;
    this.campaign(kind);
  }

  hasUnappliedConfChanges(): boolean {
    const log = this.log;
    if (log.applied >= log.committed) return false;
    const entries = log.slice(log.applied + 1, log.committed + 1, Infinity) ?? [];
    return entries.some((e) => e.type === EntryType.ConfChange);
  }

  private campaign(kind: CampaignKind): void {
    let type: MessageTypeValue;
    let term: number;
    if (kind === 'pre-election') {
      this.becomePreCandidate();
      type = MessageType.PreVote;
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      type = MessageType.Vote;
      term = this.term;
    }
    this.tracker.recordVote(this.id, true);
    if (this.tracker.tallyVotes() === 'won') {
      // A single voter wins on its own vote.
      if (kind === 'pre-election') this.campaign('election');
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    const electorate = this.bugs.countLearnerVotes === true ? this.tracker.members : this.tracker.voters;
    for (const id of electorate) {
      if (id === this.id) continue;
      const m = newMessage(type, this.id, id, term);
      m.index = lastIndex;
      m.logTerm = lastTerm;
      if (kind === 'transfer') m.rejectHint = TRANSFER_CAMPAIGN;
      this.send(m);
    }
  }

  private handleVoteRequest(m: Message): void {
    const canVote =
      // a repeat of the vote already cast (its response may have been lost),
      this.vote === m.from ||
      // or no vote yet and no leader known in this term,
      ((this.vote === NONE || this.bugs.voteTwiceInTerm === true) && this.lead === NONE) ||
      // or a pre-vote for a future term (it binds nobody).
      (m.type === MessageType.PreVote && m.term > this.term);
    const upToDate = this.bugs.voteWithoutUpToDateCheck === true || this.log.isUpToDate(m.index, m.logTerm);
    const responseType = m.type === MessageType.Vote ? MessageType.VoteResp : MessageType.PreVoteResp;
    if (canVote && upToDate) {
      // The granting response carries the request's term: for a pre-vote that is a term we have not
      // reached, and the candidate ignores answers from older terms.
      this.send(newMessage(responseType, this.id, m.from, m.term));
      if (m.type === MessageType.Vote) {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      const reply = newMessage(responseType, this.id, m.from, this.term);
      reply.reject = true;
      // Where the candidate's last entry is also ours, its log matches ours up to there: tell it how
      // much of that is committed. A voter that has not learned a committed configuration change
      // may otherwise campaign forever in the older configuration, needing the vote of a removed
      // node that refuses it (its log is longer) and can no longer lead to bring it up to date.
      if (this.log.matchTerm(m.index, m.logTerm)) reply.commit = Math.min(this.log.committed, m.index);
      this.send(reply);
    }
  }

  private stepCandidate(m: Message): void {
    const myResponseType = this.role === 'pre-candidate' ? MessageType.PreVoteResp : MessageType.VoteResp;
    switch (m.type) {
      case MessageType.App:
        this.becomeFollower(m.term, m.from);
        this.handleAppendEntries(m);
        return;
      case MessageType.Heartbeat:
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case MessageType.Snap:
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return;
      case myResponseType: {
        // A rejection carries the commit index of the prefix we share with the voter.
        if (m.reject && m.commit > this.log.committed) this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
        this.tracker.recordVote(m.from, !m.reject);
        const result = this.tracker.tallyVotes();
        if (result === 'won') {
          if (this.role === 'pre-candidate') {
            this.campaign('election');
          } else {
            this.becomeLeader();
            this.bcastAppend();
          }
        } else if (result === 'lost') {
          // A pre-vote response may carry a future term; our own term is the one to keep.
          this.becomeFollower(this.term, NONE);
        }
        return;
      }
      default:
        return;
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case MessageType.App:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppendEntries(m);
        return;
      case MessageType.Heartbeat:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return;
      case MessageType.Snap:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        return;
      case MessageType.TimeoutNow:
        this.campaignForTransfer();
        return;
      case MessageType.ReadIndexResp:
        this.readStates.push({ index: m.index, context: m.context });
        return;
      default:
        // A ReadIndex sent to a follower (its sender's idea of the leader is stale) is dropped.
        return;
    }
  }

  // ---- follower side of replication -------------------------------------------------------------

  private handleAppendEntries(m: Message): void {
    const log = this.log;
    if (m.index < log.committed) {
      // Everything up to our commit index already matches the leader's log.
      const reply = newMessage(MessageType.AppResp, this.id, m.from, this.term);
      reply.index = log.committed;
      this.send(reply);
      return;
    }
    const lastNew = log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew !== undefined) {
      if (this.bugs.applyConfChangeBeforeCommit === true) {
        for (const e of m.entries) if (e.type === EntryType.ConfChange) this.applyConfChangeEntry(e);
      }
      const reply = newMessage(MessageType.AppResp, this.id, m.from, this.term);
      reply.index = lastNew;
      this.send(reply);
      return;
    }
    // No match at m.index. Hint at the highest (index, term) that may match: our last entry at or
    // below m.index whose term is <= the leader's term there. Everything above it in our log has a
    // term the leader's log cannot have at that index, so the leader skips it in one round trip.
    const hint = log.findConflictByTerm(Math.min(m.index, log.lastIndex()), m.logTerm);
    const reply = newMessage(MessageType.AppResp, this.id, m.from, this.term);
    reply.index = m.index;
    reply.reject = true;
    reply.rejectHint = hint.index;
    reply.logTerm = hint.term;
    this.send(reply);
  }

  private handleHeartbeat(m: Message): void {
    // The leader never sends a commit beyond what it knows we match, so this is safe.
    this.log.commitTo(m.commit);
    const reply = newMessage(MessageType.HeartbeatResp, this.id, m.from, this.term);
    // The read round this heartbeat belongs to: our answer confirms the leader's reads.
    reply.context = m.context;
    this.send(reply);
  }

  private handleSnapshot(m: Message): void {
    const reply = newMessage(MessageType.AppResp, this.id, m.from, this.term);
    reply.index = this.restore(m.snapshot!) ? this.log.lastIndex() : this.log.committed;
    this.send(reply);
  }

  /** Installs a snapshot from the leader. False when it tells us nothing new. */
  private restore(snapshot: Message['snapshot'] & object): boolean {
    const { index, term } = snapshot.metadata;
    if (this.role !== 'follower') return false;
    if (index <= this.log.committed && this.bugs.restoreStaleSnapshot !== true) return false;
    if (this.log.matchTerm(index, term)) {
      // Our log already holds the snapshot's last entry: just fast-forward the commit index.
      this.log.commitTo(index);
      return false;
    }
    this.log.restore(snapshot);
    // The snapshot's configuration is newer than ours (it covers entries beyond our commit index).
    this.tracker.applyConf(snapshot.metadata.confState, this.log.lastIndex());
    return true;
  }

  // ---- leader side ----------------------------------------------------------------------------

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    this.leaderTicks++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum) {
        if (!this.tracker.quorumRecentlyActive(this.id)) {
          this.becomeFollower(this.term, NONE);
          return;
        }
        for (const pr of this.tracker.progress.values()) if (pr.id !== this.id) pr.recentActive = false;
      }
      // A transfer that did not finish within an election timeout is abandoned (a removed leader
      // tries again: it must hand over).
      this.leadTransferee = NONE;
      if (!this.tracker.isVoter(this.id)) this.handOverRemoved();
    }
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      // Every heartbeat is a read round while reads wait (a lost round is retried) and, with
      // lease-based reads, always (it renews the lease).
      const round = this.leaseReads || this.readOnly.hasPending() ? this.readOnly.startRound(this.leaderTicks, this.electionTimeout) : 0;
      this.bcastHeartbeat(round);
    }
    if (this.deferCommitBroadcast && this.role === 'leader') this.sendOwedCommits();
  }

  private stepLeader(m: Message): void {
    const pr = this.tracker.get(m.from);
    // A node that is not (or no longer) a member: nothing of ours depends on its answers.
    if (!pr) return;
    switch (m.type) {
      case MessageType.AppResp:
        this.markHeard(pr);
        if (m.reject) this.handleAppendRejection(pr, m);
        else this.handleAppendAck(pr, m);
        return;
      case MessageType.HeartbeatResp:
        this.markHeard(pr);
        pr.probeSent = false;
        // If every App in the window was lost, the follower would stay paused forever.
        if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
        // A caught-up follower in probe state gets an (empty) App so that it can return to replicate.
        if (pr.match < this.log.lastIndex() || pr.state === 'probe') this.maybeSendAppend(m.from, true);
        if (m.context > 0) this.handleReadRoundAck(m.from, m.context);
        return;
      case MessageType.ReadIndex:
        this.handleReadIndex(m);
        return;
      default:
        return;
    }
  }

  private markHeard(pr: Progress): void {
    pr.recentActive = true;
    pr.lastHeardTick = this.leaderTicks;
  }

  private handleAppendRejection(pr: Progress, m: Message): void {
    let nextProbe = m.rejectHint;
    if (m.logTerm > 0) {
      // The follower has term logTerm at rejectHint. Our entries above the highest index where our
      // term is <= logTerm cannot match it, so skip them all at once.
      nextProbe = this.log.findConflictByTerm(m.rejectHint, m.logTerm).index;
    }
    if (pr.maybeDecrTo(m.index, nextProbe)) {
      if (pr.state === 'replicate') pr.becomeProbe();
      this.maybeSendAppend(m.from, true);
    }
  }

  private handleAppendAck(pr: Progress, m: Message): void {
    // A follower cannot match entries we do not have: such an answer is nonsense.
    if (m.index > this.log.lastIndex()) return;
    if (!pr.maybeUpdate(m.index) && !(pr.match === m.index && pr.state === 'probe')) return;
    if (pr.state === 'probe') {
      pr.becomeReplicate();
    } else if (pr.state === 'snapshot' && pr.match + 1 >= this.log.firstIndex() && this.bugs.progressStuckInSnapshot !== true) {
      // The follower caught up (by the snapshot or otherwise) to where our log can continue.
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state === 'replicate') {
      pr.inflights.freeLE(m.index);
    }
    if (this.maybeCommit()) this.sendAfterCommit();
    // The follower may have missed the commit broadcast (its probe was in flight): tell it now
    // rather than at the next heartbeat. Deferred, the tick's sendOwedCommits does.
    else if (!this.deferCommitBroadcast && pr.canBumpCommit(this.log.committed)) this.maybeSendAppend(m.from, true);
    // Acknowledgements may have opened the window: send as much as it allows, but no empty Apps.
    while (this.maybeSendAppend(m.from, false));
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex()) this.sendTimeoutNow(m.from);
  }

  /** Commits the highest index a majority matches, if it is of the current term (§5.4.2). */
  private maybeCommit(): boolean {
    const index = this.tracker.committed();
    const advanced = this.bugs.commitPreviousTermByCount === true ? this.log.commitByCount(index) : this.log.maybeCommit(index, this.term);
    if (advanced && this.readsAwaitingTermCommit.length > 0 && this.committedEntryInCurrentTerm()) {
      const waiting = this.readsAwaitingTermCommit;
      this.readsAwaitingTermCommit = [];
      for (const m of waiting) this.handleReadIndex(m);
    }
    return advanced;
  }

  // ---- reads (thesis §6.4) --------------------------------------------------------------------

  private committedEntryInCurrentTerm(): boolean {
    return this.log.term(this.log.committed) === this.term;
  }

  /** A read from this node's host or forwarded by a follower: fix its read index and confirm it. */
  private handleReadIndex(m: Message): void {
    // Until an entry of this term commits, our commit index may trail the previous leader's.
    if (!this.committedEntryInCurrentTerm()) {
      this.readsAwaitingTermCommit.push(m);
      return;
    }
    const index = this.log.committed;
    if (this.bugs.answerReadIndexWithoutQuorum === true || this.tracker.isSoleVoter(this.id) || (m.rejectHint === LEASE_READ && this.holdsReadLease())) {
      this.answerRead(m.from, m.context, index);
      return;
    }
    this.readOnly.add(m.from, m.context, index);
  }

  private handleReadRoundAck(from: NodeId, round: number): void {
    this.readOnly.recvAck(from, round);
    for (const read of this.readOnly.takeConfirmed(this.tracker.jointVoters, this.id)) this.answerRead(read.from, read.context, read.index);
  }

  private answerRead(to: NodeId, context: number, index: number): void {
    if (to === this.id) {
      this.readStates.push({ index, context });
      return;
    }
    const m = newMessage(MessageType.ReadIndexResp, this.id, to, this.term);
    m.index = index;
    m.context = context;
    this.send(m);
  }

  /** Lease-based reads: a quorum answered a round sent less than electionTimeout − 2 ticks ago
   *  (ReadOnlyOption states the clock assumptions), and no transfer started this term. */
  private holdsReadLease(): boolean {
    if (!this.leaseReads || this.transferStartedThisTerm) return false;
    const start = this.readOnly.leaseStart(this.tracker.jointVoters, this.id, this.leaderTicks);
    return this.leaderTicks - start < this.electionTimeout - 2;
  }

  private appendEntries(entries: Entry[]): void {
    this.log.append(entries);
    // The leader's own copy counts toward the quorum once it is durable (entriesPersisted), not
    // when appended: where the leader alone is a quorum (the only voter, or the configuration
    // shrank to it), counting it now would commit entries in the very Ready that hands them out
    // for persisting, whose replication messages carry the commit index and leave before the
    // write. Followers' acknowledgements arrive after that write anyway (Ready order), so waiting
    // costs nothing elsewhere.
  }

  /** The host persisted the log up to `index` (RawNode.advance). */
  entriesPersisted(index: number): void {
    if (this.role !== 'leader') return;
    this.tracker.get(this.id)?.maybeUpdate(index);
    if (this.maybeCommit()) this.sendAfterCommit();
  }

  /** The commit index moved: tell the followers (CommitBroadcast). Deferred, only followers with
   *  entries waiting get an App now; the others learn it by their next App, a heartbeat, or at the
   *  latest the next tick (sendOwedCommits). */
  private sendAfterCommit(): void {
    if (!this.deferCommitBroadcast) {
      this.bcastAppend();
      return;
    }
    for (const id of this.tracker.members) {
      if (id !== this.id) while (this.maybeSendAppend(id, false));
    }
  }

  /** Once per tick: an empty App to each follower that may not know a commit index it could apply. */
  private sendOwedCommits(): void {
    const committed = this.log.committed;
    for (const pr of this.tracker.progress.values()) {
      if (pr.id !== this.id && pr.canBumpCommit(committed)) this.maybeSendAppend(pr.id, true);
    }
  }

  /** Sends every follower what it needs: at least one App (to carry the commit index), then as
   *  many more as its flow control allows, so a big batch is pipelined at once. */
  private bcastAppend(): void {
    for (const id of this.tracker.members) {
      if (id === this.id) continue;
      if (this.maybeSendAppend(id, true)) while (this.maybeSendAppend(id, false));
    }
  }

  /** `round`: the read round these heartbeats belong to (0 = none). */
  private bcastHeartbeat(round: number): void {
    for (const pr of this.tracker.progress.values()) {
      if (pr.id === this.id) continue;
      const m = newMessage(MessageType.Heartbeat, this.id, pr.id, this.term);
      m.context = round;
      // Never beyond what the follower is known to match: its log past `match` may still hold
      // entries of another term, which this commit index must not cover.
      m.commit = this.bugs.heartbeatCommitUnclamped === true ? this.log.committed : Math.min(pr.match, this.log.committed);
      pr.sentCommitIndex(m.commit);
      this.send(m);
    }
  }

  /**
   * Sends the follower the entries it needs next (or the snapshot if they are compacted), within
   * the flow-control limits. With sendIfEmpty an App is sent even without new entries, to carry
   * the commit index or probe. True if a message was sent.
   */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.tracker.get(to)!;
    if (pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined) return this.maybeSendSnapshot(pr);
    const entries = this.log.entriesFrom(pr.next, this.maxSizePerMsg);
    if (entries === null) return this.maybeSendSnapshot(pr);
    if (entries.length === 0 && !sendIfEmpty) return false;
    const m = newMessage(MessageType.App, this.id, to, this.term);
    m.index = prevIndex;
    m.logTerm = prevTerm;
    m.entries = entries;
    m.commit = this.log.committed;
    this.send(m);
    const lastSent = entries.length > 0 ? entries[entries.length - 1]!.index : prevIndex;
    pr.sentEntries(entries.length, lastSent);
    // The follower applies the commit only up to the App's last entry.
    pr.sentCommitIndex(Math.min(m.commit, lastSent));
    return true;
  }

  private maybeSendSnapshot(pr: Progress): boolean {
    // A snapshot is expensive: only send it to a follower that is known to be alive.
    if (!pr.recentActive) return false;
    const snapshot = this.log.snapshot();
    if (snapshot.metadata.index === 0) return false;
    const m = newMessage(MessageType.Snap, this.id, pr.id, this.term);
    m.snapshot = snapshot;
    this.send(m);
    pr.becomeSnapshot(snapshot.metadata.index);
    return true;
  }

  private sendTimeoutNow(to: NodeId): void {
    this.send(newMessage(MessageType.TimeoutNow, this.id, to, this.term));
  }

  private send(m: Message): void {
    this.msgs.push(m);
  }
}
