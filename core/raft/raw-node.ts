// The host-facing interface, in the style of etcd's RawNode: inputs (tick, step, propose, campaign)
// change the state machine; ready() hands out, in one value, what the host must persist, send and
// apply; advance() tells the core the host has done it.

import type { ConfChange, ConfState, Entry, FollowerProgress, HardState, Message, NodeId, ProposalResult, RaftStatus, RaftTimers, Ready, SoftState } from './types.js';
import { NONE } from './types.js';
import type { RaftConfig, RandomSource } from './config.js';
import type { Storage } from './storage.js';
import { Raft } from './raft.js';
import { isWellFormed } from './message-check.js';
import { TransferError } from './errors.js';

export { seededRandom } from './random.js';

/** Upper bound on the bytes of committed entries one Ready hands out for applying, so that a node
 *  restarting on a long log applies it in slices rather than in one huge array. */
const MAX_COMMITTED_BYTES_PER_READY = 16 * 1024 * 1024;

/** Sane defaults: heartbeat every tick, elections after 10–20 ticks, pre-vote and check-quorum on. */
export function defaultRaftConfig(id: NodeId, voters: NodeId[], storage: Storage, random: RandomSource): RaftConfig {
  return {
    id,
    voters,
    storage,
    heartbeatTicks: 1,
    electionTicks: 10,
    applied: 0,
    maxSizePerMsg: 1024 * 1024,
    maxInflightMsgs: 256,
    maxUncommittedBytes: 64 * 1024 * 1024,
    preVote: true,
    checkQuorum: true,
    readOnly: 'safe',
    random,
  };
}

function sameHardState(a: HardState, b: HardState): boolean {
  // Configurations are immutable values, replaced on every change: identity is enough.
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit && a.conf === b.conf;
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.leader === b.leader && a.role === b.role;
}

export class RawNode {
  private readonly raft: Raft;
  /** What the host was last given (and so has persisted, or is persisting). */
  private prevHardState: HardState;
  private prevSoftState: SoftState;
  private readonly forgetToPersistVote: boolean;

  constructor(config: RaftConfig) {
    this.raft = new Raft(config);
    // The configuration the core starts with need not be persisted again: it is the stored one,
    // or the configured voters, which the host passes again after a crash.
    this.prevHardState = { ...config.storage.initialState().hardState, conf: this.raft.tracker.confState };
    this.prevSoftState = { leader: NONE, role: 'follower' };
    this.forgetToPersistVote = config.bugs?.forgetToPersistVote === true;
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now (a pre-vote first if enabled). Ignored on a leader or a non-voter,
   *  and, with lease-based reads, while this node honours a leader's lease. */
  campaign(): void {
    this.raft.hostCampaign();
  }

  /**
   * Asks for a linearizable read index without writing to the log (Raft thesis §6.4). Once
   * confirmed, a Ready carries { index, context } in readStates: the host answers the read from its
   * state machine when it has applied `index`. `context` (a positive integer) tells the host which
   * request it is. Unconfirmed requests are dropped when the leader changes or none is known: the
   * host times them out. With `lease` (and readOnly 'lease-based' in the config) the leader may
   * answer under its lease, without a heartbeat round.
   */
  readIndex(context: number, lease = false): void {
    if (!Number.isSafeInteger(context) || context < 1) throw new RangeError(`readIndex needs a positive integer context, got ${context}`);
    this.raft.readIndex(context, lease);
  }

  /** Appends one entry. Throws ProposalError when this node is not a leader that can accept it. */
  propose(data: Uint8Array): ProposalResult {
    return this.raft.propose([data]);
  }

  /** Appends many entries at once (one App per follower carries them all); returns the first's
   *  index. Throws ProposalError as propose does, and RangeError for an empty batch. */
  proposeBatch(data: Uint8Array[]): ProposalResult {
    if (data.length === 0) throw new RangeError('proposeBatch needs at least one entry');
    return this.raft.propose(data);
  }

  /**
   * Appends a configuration change (joint, simple or leave-joint: see ConfChange). It takes effect
   * on each node once applied there. Throws ProposalError as propose does, and with
   * 'conf-change-pending' while an earlier change is not applied yet, 'invalid-conf-change' when
   * it cannot apply to the current configuration.
   */
  proposeConfChange(cc: ConfChange): ProposalResult {
    return this.raft.proposeConfChange(cc);
  }

  /** Whether this node would campaign now: a voter of its configuration, with no snapshot being
   *  installed and no committed configuration change left to apply. */
  canCampaign(): boolean {
    return this.raft.promotable() && !this.raft.hasUnappliedConfChanges();
  }

  /** The configuration this node has applied. */
  confState(): ConfState {
    return this.raft.tracker.confState;
  }

  /** Network input. Messages not addressed to this node or malformed are ignored; stale ones are
   *  handled by the Raft rules (mostly ignored too). Never throws. */
  step(message: Message): void {
    if (!isWellFormed(message, this.raft.id)) return;
    this.raft.step(message);
  }

  /** Starts handing leadership to `to`; silently ignored where it cannot (see startTransfer). */
  transferLeadership(to: NodeId): void {
    this.raft.transferLeadership(to);
  }

  /**
   * Starts handing leadership to voter `to`, or without `to` to the most up-to-date follower (the
   * voter with the highest match). Returns the transferee; it leads once it has won its election
   * (within an election timeout, or the transfer is abandoned). Throws TransferError with a
   * sentence when this node is not the leader, `to` is not a voter, or there is no other voter.
   */
  startTransfer(to?: NodeId): NodeId {
    const raft = this.raft;
    if (raft.role !== 'leader') {
      const where = raft.lead === NONE ? 'no leader is known' : `the leader is ${raft.lead}`;
      throw new TransferError('not-leader', `${raft.id} is not the leader (${where}); ask the leader to transfer`);
    }
    const target = to ?? raft.mostUpToDateVoter();
    if (target === NONE) throw new TransferError('no-candidate', `${raft.id} is the only voter: there is nobody to hand leadership to`);
    if (target === raft.id) return target;
    if (!raft.tracker.isVoter(target)) {
      const what = raft.tracker.isLearner(target) ? 'a learner; promote it first' : 'not a member of the cluster';
      throw new TransferError('not-a-voter', `${target} is ${what}`);
    }
    raft.transferLeadership(target);
    return target;
  }

  reportUnreachable(id: NodeId): void {
    this.raft.reportUnreachable(id);
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    this.raft.reportSnapshot(id, ok);
  }

  /** The election and heartbeat clocks, for showing why (and when) a node will act. */
  timers(): RaftTimers {
    const raft = this.raft;
    return { electionElapsed: raft.electionElapsed, randomizedElectionTimeout: raft.randomizedElectionTimeout, heartbeatElapsed: raft.heartbeatElapsed, heartbeatTimeout: raft.heartbeatTimeout };
  }

  /** Role and known leader, cheaply (status() also builds every follower's progress). */
  softState(): SoftState {
    return { leader: this.raft.lead, role: this.raft.role };
  }

  /** The hard state as reported to the host (with the vote-forgetting bug, a changed vote is not). */
  private hardState(): HardState {
    const raft = this.raft;
    let vote = raft.vote;
    if (this.forgetToPersistVote) vote = raft.term === this.prevHardState.term ? this.prevHardState.vote : NONE;
    return { term: raft.term, vote, commit: raft.log.committed, conf: raft.tracker.confState };
  }

  hasReady(): boolean {
    const raft = this.raft;
    const log = raft.log;
    return (
      raft.msgs.length > 0 ||
      raft.readStates.length > 0 ||
      raft.readOnly.roundWanted ||
      log.unstable.hasNextEntries() ||
      log.unstable.hasNextSnapshot() ||
      log.hasNextCommittedEntries() ||
      !sameHardState(this.hardState(), this.prevHardState) ||
      !sameSoftState(this.softState(), this.prevSoftState)
    );
  }

  /**
   * Everything the host must do now (see Ready in types.ts for the order). What it hands out is
   * not handed out again, so the host may call ready() again before advance() to pipeline, as long
   * as it processes and advances Readies in the order it received them.
   */
  ready(): Ready {
    const raft = this.raft;
    const log = raft.log;
    raft.flushReadRound();
    const softState = this.softState();
    const hardState = this.hardState();
    const entries = log.unstable.nextEntries();
    const snapshot = log.unstable.hasNextSnapshot() ? log.unstable.snapshot : null;
    const committedEntries = log.nextCommittedEntries(MAX_COMMITTED_BYTES_PER_READY);
    const hardStateChanged = !sameHardState(hardState, this.prevHardState);
    const rd: Ready = {
      softState: sameSoftState(softState, this.prevSoftState) ? null : softState,
      hardState: hardStateChanged ? hardState : null,
      entries,
      snapshot,
      committedEntries,
      messages: raft.msgs,
      readStates: raft.readStates,
      mustSync: entries.length > 0 || snapshot !== null || hardState.term !== this.prevHardState.term || hardState.vote !== this.prevHardState.vote,
    };
    raft.msgs = [];
    raft.readStates = [];
    log.unstable.acceptInProgress();
    if (committedEntries.length > 0) log.acceptApplying(committedEntries[committedEntries.length - 1]!.index);
    if (rd.softState) this.prevSoftState = softState;
    if (hardStateChanged) this.prevHardState = hardState;
    return rd;
  }

  /** The host persisted, sent and applied `ready`. */
  advance(ready: Ready): void {
    const log = this.raft.log;
    if (ready.snapshot) {
      const index = ready.snapshot.metadata.index;
      log.unstable.stableSnapTo(index);
      log.appliedTo(index);
    }
    if (ready.entries.length > 0) {
      const last: Entry = ready.entries[ready.entries.length - 1]!;
      log.unstable.stableTo(last.index, last.term);
      this.raft.entriesPersisted(last.index);
    }
    if (ready.committedEntries.length > 0) {
      log.appliedTo(ready.committedEntries[ready.committedEntries.length - 1]!.index);
      this.raft.reduceUncommittedSize(ready.committedEntries);
      this.raft.applyCommitted(ready.committedEntries);
    } else if (ready.snapshot) {
      this.raft.maybeAutoLeave();
    }
  }

  status(): RaftStatus {
    const raft = this.raft;
    const log = raft.log;
    let progress: FollowerProgress[] | null = null;
    if (raft.role === 'leader') {
      progress = [];
      for (const pr of raft.tracker.progress.values()) {
        if (pr.id === raft.id) continue;
        progress.push({ id: pr.id, match: pr.match, next: pr.next, state: pr.state, inflight: pr.inflights.count(), recentActive: pr.recentActive, learner: pr.learner });
      }
    }
    return {
      id: raft.id,
      role: raft.role,
      term: raft.term,
      vote: raft.vote,
      leader: raft.lead,
      commit: log.committed,
      applied: log.applied,
      firstIndex: log.firstIndex(),
      lastIndex: log.lastIndex(),
      snapshotIndex: log.snapshot().metadata.index,
      conf: raft.tracker.confState,
      progress,
    };
  }
}
