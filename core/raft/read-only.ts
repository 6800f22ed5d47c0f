// Read-only queries without the log (Raft thesis §6.4; etcd's read_only.go, raft-rs's ReadOnly).
//
// A read that arrives at the leader records the commit index of that moment (its read index). It
// may be answered once a quorum has answered a heartbeat the leader sent after the read arrived:
// then no other leader can have existed when it arrived, so no write acknowledged before it is
// missing from the log up to that index. Heartbeats carry a round number as their context; one
// round confirms every read that arrived before it was sent, so reads are batched by construction.
//
// With lease-based reads, the send tick of each round is remembered as well: a quorum that answered
// a round sent at tick t ignores elections until t + electionTicks of their own clocks, which gives
// the leader a lease it can answer reads under without a round of their own (see ReadOnlyOption).

import type { NodeId } from './types.js';
import { jointCommitted, type JointVoters } from './quorum-joint.js';

/** One read waiting for its heartbeat round. */
export interface ReadRequest {
  /** This node (its host asked) or the follower that forwarded the read. */
  from: NodeId;
  /** The asker's request context, handed back with the read index. */
  context: number;
  /** The leader's commit index when the read arrived: the read must see at least this state. */
  index: number;
  /** The first round sent after the read arrived: a quorum answering it confirms the read. */
  round: number;
}

export class ReadOnly {
  /** Reads waiting for their round, in arrival order, so their rounds never decrease. */
  private queue: ReadRequest[] = [];
  /** The last round sent (0 = none yet). */
  round = 0;
  /** A read arrived since the last round was sent: the next Ready starts one. */
  roundWanted = false;
  /** Per voter: the highest round it answered. */
  private readonly ackedRound = new Map<NodeId, number>();
  /** Lease only: the leader tick each recent round was sent at, oldest first. */
  private readonly sentAt: { round: number; tick: number }[] = [];
  /** Lease only: per voter, the send tick of the newest round it answered. */
  private readonly ackedSentTick = new Map<NodeId, number>();
  private readonly values: number[] = [];
  private readonly scratch: number[] = [];

  constructor(private readonly trackLease: boolean) {}

  /** Queues a read for the next round. */
  add(from: NodeId, context: number, index: number): void {
    this.queue.push({ from, context, index, round: this.round + 1 });
    this.roundWanted = true;
  }

  hasPending(): boolean {
    return this.queue.length > 0;
  }

  /** Starts a new round at leader tick `tick` and returns its number (the heartbeats' context).
   *  Rounds sent more than `keepTicks` ago no longer matter for a lease and are forgotten. */
  startRound(tick: number, keepTicks: number): number {
    this.round++;
    this.roundWanted = false;
    if (this.trackLease) {
      this.sentAt.push({ round: this.round, tick });
      let drop = 0;
      while (drop < this.sentAt.length && this.sentAt[drop]!.tick < tick - keepTicks) drop++;
      if (drop > 0) this.sentAt.splice(0, drop);
    }
    return this.round;
  }

  /** A voter answered round `round`. Rounds never sent (a confused or malicious peer) are ignored. */
  recvAck(from: NodeId, round: number): void {
    if (round > this.round) return;
    if (round > (this.ackedRound.get(from) ?? 0)) this.ackedRound.set(from, round);
    if (!this.trackLease) return;
    for (let i = this.sentAt.length - 1; i >= 0; i--) {
      const sent = this.sentAt[i]!;
      if (sent.round === round) {
        if (sent.tick > (this.ackedSentTick.get(from) ?? -Infinity)) this.ackedSentTick.set(from, sent.tick);
        return;
      }
      if (sent.round < round) return;
    }
  }

  /** Removes and returns every read whose round a quorum of `voters` answered (`self` answers each
   *  round it sends). */
  takeConfirmed(voters: JointVoters, self: NodeId): ReadRequest[] {
    if (this.queue.length === 0) return [];
    const quorumRound = this.quorumValue(voters, (id) => (id === self ? this.round : (this.ackedRound.get(id) ?? 0)));
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.round <= quorumRound) n++;
    return n === 0 ? [] : this.queue.splice(0, n);
  }

  /** The send tick of the newest round a quorum answered (`self` counts as `now`); -Infinity if none. */
  leaseStart(voters: JointVoters, self: NodeId, now: number): number {
    return this.quorumValue(voters, (id) => (id === self ? now : (this.ackedSentTick.get(id) ?? -Infinity)));
  }

  /** The highest value a quorum of voters has reached (while joint: of both halves). */
  private quorumValue(voters: JointVoters, valueOf: (id: NodeId) => number): number {
    return jointCommitted(voters, valueOf, this.values, this.scratch);
  }
}
