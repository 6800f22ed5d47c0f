import type { NodeId } from './types.js';
import { Progress } from './progress.js';
import { committedIndex, majority, voteResult, type VoteResult } from './quorum.js';

/** The voter set, the leader's per-follower progress and the votes of the current election. */
export class ProgressTracker {
  readonly progress = new Map<NodeId, Progress>();
  private readonly votes = new Map<NodeId, boolean>();
  private readonly matches: number[];
  private readonly scratch: number[] = [];

  constructor(
    readonly voters: readonly NodeId[],
    private readonly maxInflight: number,
  ) {
    this.matches = new Array<number>(voters.length).fill(0);
  }

  /** Forgets every follower's state: all start probing at `next`, nothing matched. */
  reset(next: number): void {
    for (const id of this.voters) this.progress.set(id, new Progress(id, next, this.maxInflight));
  }

  get(id: NodeId): Progress | undefined {
    return this.progress.get(id);
  }

  isVoter(id: NodeId): boolean {
    return this.progress.has(id);
  }

  /** The highest index a majority of voters match. */
  committed(): number {
    let i = 0;
    for (const id of this.voters) this.matches[i++] = this.progress.get(id)!.match;
    return committedIndex(this.matches, this.scratch);
  }

  /** Whether a majority (counting `self`) was heard from since the last check-quorum round. */
  quorumRecentlyActive(self: NodeId): boolean {
    let active = 0;
    for (const id of this.voters) if (id === self || this.progress.get(id)!.recentActive) active++;
    return active >= majority(this.voters.length);
  }

  /** Whether a majority (counting `self`) was heard from in the last `window` ticks. */
  quorumHeardWithin(self: NodeId, now: number, window: number): boolean {
    let active = 0;
    for (const id of this.voters) if (id === self || now - this.progress.get(id)!.lastHeardTick < window) active++;
    return active >= majority(this.voters.length);
  }

  resetVotes(): void {
    this.votes.clear();
  }

  /** Records a voter's answer; only the first answer of each voter counts. */
  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  tallyVotes(): VoteResult {
    return voteResult(this.voters, this.votes);
  }
}
