// Reads in the simulator: clients ask random nodes for linearizable reads (ReadIndex, or the leader's
// lease where the seed turned lease reads on) under the same faults as writes, and every answer is
// checked: a read must reflect a state at least as new as every write acknowledged before the read
// began. The simulated state machine is a chain hash of the applied log prefix, so "at least as new"
// is "applied up to at least the highest acknowledged index" (State Machine Safety, checked by the
// invariant checker at every apply, makes the prefix itself the committed one).

import type { RandomSource } from '../raft/config.js';
import type { NodeId, ReadState } from '../raft/types.js';
import { chance } from './chance.js';
import type { InvariantChecker } from './invariants.js';

/** How one seed reads. Drawn from its own random stream, so that turning reads on did not change
 *  what the seeds draw for everything else. */
export interface ReadProfile {
  /** Per step: the odds that a client starts a read. */
  rate: number;
  /** Lease reads are on for this seed (readOnly 'lease-based'); half the reads then ask for them. */
  lease: boolean;
}

/**
 * Lease reads are correct only under the assumptions stated in ReadOnlyOption: clocks that run at
 * the same pace within a bound, and no leader process that stops while real time goes on. So a seed
 * reads under the lease only where those hold: check-quorum on, no pauses (a paused leader resumes
 * believing its lease), and every node ticking at the same rate; the lease needs electionTicks ≥ 3.
 */
export function drawReadProfile(random: RandomSource, conditions: { checkQuorum: boolean; pauses: boolean; electionTicks: number }): ReadProfile {
  const leasePossible = conditions.checkQuorum && !conditions.pauses && conditions.electionTicks >= 3;
  return { rate: [0.3, 0.6, 1][random.int(3)]!, lease: leasePossible && chance(random, 0.5) };
}

/** The checker's side: the floor each read must reach, and the verdict on its answer. */
export class ReadCheck {
  answered = 0;

  constructor(private readonly checker: InvariantChecker) {}

  /** A read begins now: it must see at least every write acknowledged so far. */
  begin(): number {
    return this.checker.highestAcknowledged;
  }

  answer(node: NodeId, lease: boolean, floor: number, appliedIndex: number): void {
    this.answered++;
    if (appliedIndex < floor) {
      this.checker.report(
        'stale-read',
        `${node} answered a ${lease ? 'lease' : 'ReadIndex'} read at applied index ${appliedIndex}, but a write at index ${floor} was acknowledged before the read began`,
      );
    }
  }
}

interface Waiting {
  lease: boolean;
  floor: number;
}

/** One simulated node's host side of reads, as core/node's PendingReads does it for real nodes. */
export class SimNodeReads {
  private nextContext = 1;
  private readonly unconfirmed = new Map<number, Waiting>();
  private confirmed: (Waiting & { index: number })[] = [];

  constructor(
    private readonly id: NodeId,
    private readonly check: ReadCheck,
  ) {}

  /** Registers a read and returns the context to ask the core with. */
  request(lease: boolean, floor: number): number {
    const context = this.nextContext++;
    this.unconfirmed.set(context, { lease, floor });
    return context;
  }

  confirm(states: readonly ReadState[], appliedIndex: number): void {
    for (const state of states) {
      const read = this.unconfirmed.get(state.context);
      if (!read) continue;
      this.unconfirmed.delete(state.context);
      this.confirmed.push({ ...read, index: state.index });
    }
    this.applied(appliedIndex);
  }

  applied(appliedIndex: number): void {
    if (this.confirmed.length === 0) return;
    const still: (Waiting & { index: number })[] = [];
    for (const read of this.confirmed) {
      if (read.index <= appliedIndex) this.check.answer(this.id, read.lease, read.floor, appliedIndex);
      else still.push(read);
    }
    this.confirmed = still;
  }

  /** The process died (or leadership changed, for the unconfirmed): those reads get no answer. */
  dropUnconfirmed(): void {
    this.unconfirmed.clear();
  }

  reset(): void {
    this.unconfirmed.clear();
    this.confirmed = [];
  }
}
