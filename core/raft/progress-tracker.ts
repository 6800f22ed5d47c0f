import type { ConfState, NodeId } from './types.js';
import { Progress } from './progress.js';
import { type VoteResult } from './quorum.js';
import { jointCommitted, jointHasQuorum, jointVoteResult, type JointVoters } from './quorum-joint.js';
import { allMembers, allVoters, checkConfState, isJoint } from './confchange.js';

/** Ways the tracker can be told to break a quorum rule (mutation tests only). */
export interface TrackerBugs {
  /** While joint, commit with the incoming voters' majority alone. */
  commitWithIncomingMajorityOnly?: boolean;
  /** Count learners' votes as if they were voters. */
  countLearnerVotes?: boolean;
}

/**
 * The configuration (voters, outgoing voters while joint, learners), the leader's per-member
 * progress and the votes of the current election. Every quorum decision — commit, election,
 * check-quorum — is the joint one: a majority of the incoming voters and of the outgoing ones.
 */
export class ProgressTracker {
  readonly progress = new Map<NodeId, Progress>();
  private readonly votes = new Map<NodeId, boolean>();
  private readonly matches: number[] = [];
  private readonly scratch: number[] = [];
  private conf: ConfState;
  /** The incoming and outgoing voter sets, for quorum arithmetic. */
  jointVoters: JointVoters;
  /** Voters of either half, once each: whom a candidate asks for votes. */
  voters: readonly NodeId[];
  /** Every member, learners included: whom a leader replicates to. */
  members: readonly NodeId[];

  constructor(
    conf: ConfState,
    private readonly maxInflight: number,
    private readonly bugs: TrackerBugs = {},
  ) {
    this.conf = conf;
    this.jointVoters = { incoming: conf.voters, outgoing: conf.votersOutgoing };
    this.voters = allVoters(conf);
    this.members = allMembers(conf);
    this.applyConf(conf, 1);
  }

  get confState(): ConfState {
    return this.conf;
  }

  /**
   * Switches to `conf`: members that left lose their progress, new ones start probing at
   * `lastIndex` (the leader backs them up from there), the rest keep theirs.
   */
  applyConf(conf: ConfState, lastIndex: number): void {
    checkConfState(conf);
    this.conf = conf;
    this.jointVoters = { incoming: conf.voters, outgoing: conf.votersOutgoing };
    this.voters = allVoters(conf);
    this.members = allMembers(conf);
    const members = new Set(this.members);
    for (const id of [...this.progress.keys()]) if (!members.has(id)) this.progress.delete(id);
    const learners = new Set(conf.learners);
    for (const id of this.members) {
      let pr = this.progress.get(id);
      if (!pr) {
        pr = new Progress(id, Math.max(lastIndex, 1), this.maxInflight);
        // A new member is assumed alive, so that it can be sent a snapshot right away.
        pr.recentActive = true;
        this.progress.set(id, pr);
      }
      pr.learner = learners.has(id);
    }
  }

  isJoint(): boolean {
    return isJoint(this.conf);
  }

  /** Forgets every member's state: all start probing at `next`, nothing matched. */
  reset(next: number): void {
    for (const id of this.members) {
      const pr = new Progress(id, next, this.maxInflight);
      pr.learner = this.progress.get(id)?.learner ?? false;
      this.progress.set(id, pr);
    }
  }

  get(id: NodeId): Progress | undefined {
    return this.progress.get(id);
  }

  /** A voter of either half (a learner is not). */
  isVoter(id: NodeId): boolean {
    return this.conf.voters.includes(id) || this.conf.votersOutgoing.includes(id);
  }

  /** Whether `id` alone is a quorum (the only voter of each half). */
  isSoleVoter(id: NodeId): boolean {
    const only = (ids: readonly NodeId[]): boolean => ids.length === 0 || (ids.length === 1 && ids[0] === id);
    return this.conf.voters.length > 0 && only(this.conf.voters) && only(this.conf.votersOutgoing);
  }

  isLearner(id: NodeId): boolean {
    return this.conf.learners.includes(id);
  }

  isMember(id: NodeId): boolean {
    return this.progress.has(id);
  }

  /** One function object for the hot path (every acknowledgement): no closure per call. */
  private readonly matchOf = (id: NodeId): number => this.progress.get(id)!.match;
  /** The predicate of the quorum-activity checks below, set before each (no closure per call). */
  private activeSelf: NodeId = '';
  private activeNow = 0;
  private activeWindow = 0;
  private readonly isRecentlyActive = (id: NodeId): boolean => id === this.activeSelf || this.progress.get(id)!.recentActive;
  private readonly isHeardWithin = (id: NodeId): boolean => id === this.activeSelf || this.activeNow - this.progress.get(id)!.lastHeardTick < this.activeWindow;

  /** The highest index a joint quorum of voters matches. */
  committed(): number {
    if (this.bugs.commitWithIncomingMajorityOnly === true) {
      return jointCommitted({ incoming: this.conf.voters, outgoing: [] }, this.matchOf, this.matches, this.scratch);
    }
    return jointCommitted(this.jointVoters, this.matchOf, this.matches, this.scratch);
  }

  /** Whether a joint quorum (counting `self`) was heard from since the last check-quorum round. */
  quorumRecentlyActive(self: NodeId): boolean {
    this.activeSelf = self;
    return jointHasQuorum(this.jointVoters, this.isRecentlyActive);
  }

  /** Whether a joint quorum (counting `self`) was heard from in the last `window` ticks (every
   *  proposal asks). */
  quorumHeardWithin(self: NodeId, now: number, window: number): boolean {
    this.activeSelf = self;
    this.activeNow = now;
    this.activeWindow = window;
    return jointHasQuorum(this.jointVoters, this.isHeardWithin);
  }

  resetVotes(): void {
    this.votes.clear();
  }

  /** Records a member's answer; only the first answer of each counts. */
  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  /** Votes of voters only: a learner's answer never counts. */
  tallyVotes(): VoteResult {
    if (this.bugs.countLearnerVotes === true) {
      return jointVoteResult({ incoming: [...this.conf.voters, ...this.conf.learners], outgoing: this.conf.votersOutgoing }, this.votes);
    }
    return jointVoteResult(this.jointVoters, this.votes);
  }
}
