// Many seeds in a row, and how to replay any one of them.

import type { TestOnlyBugs } from '../raft/config.js';
import type { Violation } from './invariants.js';
import { simulate, type SeedResult } from './simulation.js';

/** The fault-phase length `npm run sim` uses unless told otherwise: long enough for several
 *  crash/partition/heal cycles, short enough that 2000 seeds take a couple of minutes. */
export const DEFAULT_STEPS = 300;

export const BUG_NAMES = ['commitPreviousTermByCount', 'voteWithoutUpToDateCheck', 'forgetToPersistVote', 'sendEverythingBeforePersisting'] as const satisfies readonly (keyof TestOnlyBugs)[];
export type BugName = (typeof BUG_NAMES)[number];

export interface SeedsOptions {
  firstSeed: number;
  seeds: number;
  /** Fixed cluster size; by default seeds cycle through 3, 5 and 7 nodes. */
  nodes?: number;
  steps: number;
  bugs?: TestOnlyBugs;
}

export interface ReportedViolation extends Violation {
  seed: number;
  nodes: number;
  /** The exact command that replays this run. */
  replay: string;
}

export interface SeedsSummary {
  seeds: number;
  steps: number;
  violations: ReportedViolation[];
  events: number;
  proposalsAccepted: number;
  proposalsAcknowledged: number;
  /** The slowest re-election after healing, in ticks, over all seeds. */
  maxElectionTicksAfterHeal: number;
}

export function nodesForSeed(seed: number): number {
  return [3, 5, 7][seed % 3]!;
}

export function replayCommand(seed: number, nodes: number, steps: number, bugs: TestOnlyBugs | undefined): string {
  const bugFlags = BUG_NAMES.filter((name) => bugs?.[name] === true).map((name) => ` --bug ${name}`).join('');
  return `npm run sim -- --seeds 1 --seed ${seed} --nodes ${nodes} --steps ${steps}${bugFlags}`;
}

export function runSeeds(options: SeedsOptions, onResult?: (result: SeedResult) => void): SeedsSummary {
  const summary: SeedsSummary = {
    seeds: options.seeds,
    steps: options.steps,
    violations: [],
    events: 0,
    proposalsAccepted: 0,
    proposalsAcknowledged: 0,
    maxElectionTicksAfterHeal: 0,
  };
  for (let i = 0; i < options.seeds; i++) {
    const seed = options.firstSeed + i;
    const nodes = options.nodes ?? nodesForSeed(seed);
    const result = simulate({ seed, nodes, steps: options.steps, bugs: options.bugs });
    summary.events += result.events;
    summary.proposalsAccepted += result.proposalsAccepted;
    summary.proposalsAcknowledged += result.proposalsAcknowledged;
    summary.maxElectionTicksAfterHeal = Math.max(summary.maxElectionTicksAfterHeal, result.electionTicksAfterHeal ?? 0);
    for (const v of result.violations) summary.violations.push({ ...v, seed, nodes, replay: replayCommand(seed, nodes, options.steps, options.bugs) });
    onResult?.(result);
  }
  return summary;
}
