// What one seed decides before the run starts: the Raft parameters and how hostile the world is.
// Drawing them from the seed (rather than fixing them) lets a few thousand seeds cover small
// messages, tiny in-flight windows, snapshots, heavy loss and frequent crashes.

import type { RandomSource } from '../raft/config.js';
import type { NetworkConditions } from './network.js';
import { pick } from './chance.js';

export interface RaftParameters {
  electionTicks: number;
  heartbeatTicks: number;
  maxSizePerMsg: number;
  maxInflightMsgs: number;
  maxUncommittedBytes: number;
  preVote: boolean;
  checkQuorum: boolean;
}

/** Per-step probabilities of each fault (a step is one tick of the global clock). */
export interface FaultProfile {
  crash: number;
  restart: number;
  /** Per Ready processed: crash right after persisting it, restart within a few ticks. The odds
   *  are higher at the moments where a broken rule would show: a Ready that changes the term or
   *  vote, and a leader's Ready that appends entries. */
  flashCrash: number;
  flashCrashOnHardState: number;
  flashCrashOnLeaderAppend: number;
  /** A leader's Ready whose replication messages went out but whose write did not happen (the node
   *  runtime sends them while it persists). */
  crashWhilePersisting: number;
  /** A new leader's first Ready (its no-op, its first Apps): killing it there leaves entries of
   *  several terms at one index on different nodes — the situation of Figure 8 of the paper. */
  flashCrashOnNewLeader: number;
  /** The most nodes down at once. */
  maxCrashed: number;
  partition: number;
  partitionHeal: number;
  pause: number;
  /** Per Ready processed: compact the log up to a random applied index. */
  compact: number;
  /** The longest a write takes to become durable, in simulation time (a tick is 10): inputs keep
   *  arriving meanwhile, as they do while a real node fsyncs. */
  maxPersistDelay: number;
  /** Per write, before healing: the odds that it stalls for up to two election timeouts (a disk
   *  hiccup). The node keeps taking input meanwhile — a new leader may overwrite the very entries
   *  being written, which the core must not then mark stable. */
  writeStall: number;
  proposal: number;
  transfer: number;
  /** Per step: a membership change (add a learner, promote, remove a voter or the leader, replace
   *  a node through a joint configuration, leave an explicit joint configuration). */
  membership: number;
  conditionsChange: number;
}

export const NETWORK_PROFILES: readonly NetworkConditions[] = [
  { dropRate: 0, duplicateRate: 0, minDelay: 1, maxDelay: 5 },
  { dropRate: 0.05, duplicateRate: 0.02, minDelay: 1, maxDelay: 15 },
  { dropRate: 0.2, duplicateRate: 0.05, minDelay: 1, maxDelay: 30 },
  { dropRate: 0.02, duplicateRate: 0.1, minDelay: 5, maxDelay: 40 },
];

/** After healing: no loss, no duplicates, still some reordering. */
export const HEALED_NETWORK: NetworkConditions = { dropRate: 0, duplicateRate: 0, minDelay: 1, maxDelay: 5 };

/**
 * Every setting a user can change in the setup view, drawn per seed: pre-vote and check-quorum on or
 * off, heartbeat/election tick ratios from the tightest the node allows (election = heartbeat + 1)
 * to wide, small and large messages, in-flight windows from 1 up.
 */
export function drawRaftParameters(random: RandomSource): RaftParameters {
  const heartbeatTicks = pick(random, [1, 1, 1, 2, 3]);
  const electionTicks = Math.max(heartbeatTicks + 1, pick(random, [2, 5, 10, 10, 20]) * (heartbeatTicks > 1 ? pick(random, [1, 2]) : 1));
  return {
    electionTicks,
    heartbeatTicks,
    // Simulated payloads are 4 bytes (20 counted): 24 means one entry per App, 64 three. Small
    // messages are the common case here: they split a new leader's catch-up into many Apps.
    maxSizePerMsg: pick(random, [24, 24, 64, 1 << 20]),
    maxInflightMsgs: pick(random, [1, 2, 4, 256]),
    maxUncommittedBytes: pick(random, [0, 0, 64]),
    preVote: pick(random, [true, true, false]),
    checkQuorum: pick(random, [true, true, false]),
  };
}

/** Writes may take up to a quarter of an election timeout: a disk slower than that makes any Raft
 *  cluster flap (etcd's tuning guide asks for an election timeout far above fsync latency), which is
 *  a misconfiguration, not a bug the simulator should report. */
const PERSIST_DELAY_SHARE_OF_ELECTION = 0.25;

export function drawFaultProfile(random: RandomSource, nodes: number, params: RaftParameters, timePerTick: number): FaultProfile {
  return {
    crash: pick(random, [0, 0.01, 0.03, 0.08]),
    restart: pick(random, [0.05, 0.2, 0.5]),
    flashCrash: pick(random, [0, 0.002, 0.01]),
    flashCrashOnHardState: pick(random, [0, 0.05, 0.2]),
    flashCrashOnLeaderAppend: pick(random, [0, 0.02, 0.1]),
    crashWhilePersisting: pick(random, [0, 0.01, 0.05]),
    flashCrashOnNewLeader: pick(random, [0, 0.3, 0.6]),
    maxCrashed: 1 + random.int(Math.ceil(nodes / 2)),
    partition: pick(random, [0, 0.02, 0.05]),
    partitionHeal: pick(random, [0.05, 0.15]),
    pause: pick(random, [0, 0, 0.01]),
    compact: pick(random, [0, 0.02, 0.2]),
    writeStall: pick(random, [0, 0.03, 0.1]),
    maxPersistDelay: Math.min(pick(random, [0, 2, 10, 30]), Math.floor(params.electionTicks * timePerTick * PERSIST_DELAY_SHARE_OF_ELECTION)),
    proposal: pick(random, [0.2, 0.5, 1]),
    transfer: pick(random, [0, 0.005, 0.02]),
    membership: pick(random, [0, 0.01, 0.03, 0.08]),
    conditionsChange: 0.03,
  };
}
