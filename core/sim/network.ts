import type { NodeId } from '../raft/types.js';
import type { RandomSource } from '../raft/config.js';
import { between, chance } from './chance.js';

/** How the simulated network treats every message it carries. Delays are in simulation time
 *  units (see TIME_PER_TICK); a random delay per message is what reorders them. */
export interface NetworkConditions {
  dropRate: number;
  duplicateRate: number;
  minDelay: number;
  maxDelay: number;
}

export const RELIABLE: NetworkConditions = { dropRate: 0, duplicateRate: 0, minDelay: 1, maxDelay: 4 };

/**
 * Links and their faults. Partitions are sets of blocked one-way links, so a symmetric split, an
 * isolated leader and a one-way failure are all the same mechanism.
 */
export class SimNetwork {
  conditions: NetworkConditions = RELIABLE;
  /** Blocked links, as from → set of destinations. */
  private readonly blocked = new Map<NodeId, Set<NodeId>>();

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked.get(from)?.has(to) === true;
  }

  hasPartition(): boolean {
    return this.blocked.size > 0;
  }

  blockLink(from: NodeId, to: NodeId): void {
    let set = this.blocked.get(from);
    if (!set) this.blocked.set(from, (set = new Set()));
    set.add(to);
  }

  /** Cuts every link between `group` and the other nodes, both ways. */
  isolate(group: readonly NodeId[], all: readonly NodeId[]): void {
    const inside = new Set(group);
    for (const a of group) {
      for (const b of all) {
        if (inside.has(b)) continue;
        this.blockLink(a, b);
        this.blockLink(b, a);
      }
    }
  }

  healPartitions(): void {
    this.blocked.clear();
  }

  /** The delivery delays for one message sent now: empty when it is lost, two when duplicated. */
  plan(random: RandomSource, from: NodeId, to: NodeId): number[] {
    if (this.isBlocked(from, to)) return [];
    const c = this.conditions;
    if (chance(random, c.dropRate)) return [];
    const delay = between(random, c.minDelay, c.maxDelay);
    // A duplicate may trail far behind: stale copies must be harmless.
    if (chance(random, c.duplicateRate)) return [delay, between(random, c.minDelay, c.maxDelay * 10)];
    return [delay];
  }
}
