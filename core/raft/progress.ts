import type { NodeId, ProgressState } from './types.js';
import { Inflights } from './inflights.js';

/**
 * The leader's view of one follower, and the flow control toward it:
 *
 * - probe: the leader does not know where the follower's log matches its own. It sends one App at
 *   a time and waits (probeSent) for the answer or the next heartbeat response before sending
 *   another, so a lagging or unreachable follower costs one message per heartbeat.
 * - replicate: the follower is known to match up to `match`. The leader streams entries
 *   optimistically (next moves ahead of match) within the in-flight window.
 * - snapshot: the entries the follower needs are compacted; a snapshot is on its way and nothing
 *   else is sent until it is acknowledged or reported failed.
 *
 * Invariant: 0 <= match < next.
 */
export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** In snapshot state: the index of the snapshot sent. */
  pendingSnapshot = 0;
  /** In probe state: an App was sent and the leader waits before sending another. */
  probeSent = false;
  /** The highest commit index sent to the follower that it can apply: an App's commit counts only
   *  up to the App's last entry, a heartbeat's is capped at match, a snapshot counts as committed.
   *  Lowered again whenever messages may have been lost (probe, rejection). */
  sentCommit = 0;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** The leader's tick count when it last heard from this follower (for refusing proposals
   *  while a quorum is out of reach). */
  lastHeardTick = 0;
  /** A learner: replicated to, never counted in a quorum. */
  learner = false;
  readonly inflights: Inflights;

  constructor(
    readonly id: NodeId,
    next: number,
    maxInflight: number,
  ) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  /** Back to probing from match + 1 or, after a snapshot was delivered, from just past it. */
  becomeProbe(): void {
    if (this.state === 'snapshot') {
      const pendingSnapshot = this.pendingSnapshot;
      this.resetState('probe');
      this.next = Math.max(this.match + 1, pendingSnapshot + 1);
      this.sentCommit = Math.min(this.sentCommit, this.next - 1);
    } else {
      this.resetState('probe');
      this.next = this.match + 1;
      this.sentCommit = Math.min(this.sentCommit, this.match);
    }
  }

  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = this.match + 1;
    this.sentCommit = Math.min(this.sentCommit, this.match);
  }

  /** A snapshot is on its way; it carries its index as committed. */
  becomeSnapshot(snapshotIndex: number): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshotIndex;
    this.sentCommit = Math.max(this.sentCommit, snapshotIndex);
  }

  /** An acknowledgement that the follower matches up to `index`. False if it tells nothing new
   *  (a stale or duplicated response). */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /** Records a commit index sent to the follower, already capped by the caller to what that
   *  message lets it apply. */
  sentCommitIndex(commit: number): void {
    this.sentCommit = Math.max(this.sentCommit, commit);
  }

  /** Whether the follower may not yet know of commit index `committed` that it could apply. */
  canBumpCommit(committed: number): boolean {
    return this.sentCommit < Math.min(committed, this.match);
  }

  /** Records an App just sent: `entries` entries whose last index is lastIndex. */
  sentEntries(entries: number, lastIndex: number): void {
    if (this.state === 'replicate') {
      if (entries > 0) {
        this.next = lastIndex + 1;
        this.inflights.add(lastIndex);
      }
    } else if (this.state === 'probe') {
      this.probeSent = true;
    }
  }

  /**
   * A rejection of the App whose previous index was `rejected`; `hint` is the highest index at
   * which the logs may still match. False when the rejection is stale (reordered or duplicated):
   * in replicate state one at or below match, in probe state one that is not for next - 1.
   */
  maybeDecrTo(rejected: number, hint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      this.sentCommit = Math.min(this.sentCommit, this.match);
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1);
    this.sentCommit = Math.min(this.sentCommit, this.next - 1);
    this.probeSent = false;
    return true;
  }

  /** Whether the leader must hold back App messages to this follower for now. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}
