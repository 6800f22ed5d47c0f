// Many seeds in a row, and how to replay any one of them.

import type { TestOnlyBugs } from '../raft/config.js';
import type { HostTestOnlyBugs } from '../host/ready-driver.js';
import type { Violation } from './invariants.js';
import { simulate, type SeedResult } from './simulation.js';

/** The fault-phase length `npm run sim` uses unless told otherwise: long enough for several
 *  crash/partition/heal cycles, short enough that 2000 seeds take seconds. */
export const DEFAULT_STEPS = 300;

/** Broken rules of the core (RaftConfig.bugs), each named after the rule it breaks. */
export const CORE_BUG_NAMES = [
  'commitPreviousTermByCount',
  'voteWithoutUpToDateCheck',
  'forgetToPersistVote',
  'voteTwiceInTerm',
  'heartbeatCommitUnclamped',
  'appendWithoutPrevTermCheck',
  'restoreStaleSnapshot',
  'upToDateOffByOne',
  'acceptStaleTermMessages',
  'forgetVoteOnRestart',
  'followerCommitsLeaderCommit',
  'stableToIgnoresTerm',
  'noEmptyEntryOnElection',
  'progressStuckInSnapshot',
  'commitWithIncomingMajorityOnly',
  'applyConfChangeBeforeCommit',
  'countLearnerVotes',
  'allowTwoPendingConfChanges',
  'answerReadIndexWithoutQuorum',
] as const satisfies readonly (keyof TestOnlyBugs)[];

/** Broken rules of the host (the ReadyDriver). */
export const HOST_BUG_NAMES = ['sendEverythingBeforePersisting'] as const satisfies readonly (keyof HostTestOnlyBugs)[];

export const BUG_NAMES = [...CORE_BUG_NAMES, ...HOST_BUG_NAMES] as const;
export type BugName = (typeof BUG_NAMES)[number];

/** Splits bug names into the core's and the host's switches. */
export function bugSwitches(names: readonly BugName[]): { bugs: TestOnlyBugs; hostBugs: HostTestOnlyBugs } {
  const bugs: TestOnlyBugs = {};
  const hostBugs: HostTestOnlyBugs = {};
  for (const name of names) {
    if ((HOST_BUG_NAMES as readonly string[]).includes(name)) hostBugs[name as keyof HostTestOnlyBugs] = true;
    else bugs[name as keyof TestOnlyBugs] = true;
  }
  return { bugs, hostBugs };
}

export interface SeedsOptions {
  firstSeed: number;
  seeds: number;
  /** Fixed cluster size; by default seeds cycle through 3, 5 and 7 nodes. */
  nodes?: number;
  steps: number;
  bugs?: readonly BugName[];
  /** Stop at the first seed that violates something (mutation tests). */
  stopAtFirstViolation?: boolean;
}

export interface ReportedViolation extends Violation {
  seed: number;
  nodes: number;
  /** The seed's drawn Raft settings, e.g. "preVote=false checkQuorum=true electionTicks=10 …". */
  settings: string;
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
  readsAnswered: number;
  /** The slowest re-election after healing, in ticks, over all seeds. */
  maxElectionTicksAfterHeal: number;
}

export function nodesForSeed(seed: number): number {
  return [3, 5, 7][seed % 3]!;
}

export function replayCommand(seed: number, nodes: number, steps: number, bugs: readonly BugName[] | undefined): string {
  const bugFlags = (bugs ?? []).map((name) => ` --bug ${name}`).join('');
  return `npm run sim -- --seeds 1 --seed ${seed} --nodes ${nodes} --steps ${steps}${bugFlags}`;
}

export function emptySummary(seeds: number, steps: number): SeedsSummary {
  return { seeds, steps, violations: [], events: 0, proposalsAccepted: 0, proposalsAcknowledged: 0, readsAnswered: 0, maxElectionTicksAfterHeal: 0 };
}

/** Adds one seed's result to a summary. */
export function addResult(summary: SeedsSummary, result: SeedResult, steps: number, bugs: readonly BugName[] | undefined): void {
  summary.events += result.events;
  summary.proposalsAccepted += result.proposalsAccepted;
  summary.proposalsAcknowledged += result.proposalsAcknowledged;
  summary.readsAnswered += result.readsAnswered;
  summary.maxElectionTicksAfterHeal = Math.max(summary.maxElectionTicksAfterHeal, result.electionTicksAfterHeal ?? 0);
  for (const v of result.violations) {
    summary.violations.push({ ...v, seed: result.seed, nodes: result.nodes, settings: result.settings, replay: replayCommand(result.seed, result.nodes, steps, bugs) });
  }
}

/** Runs one seed with the named bugs switched on. */
export function simulateSeed(seed: number, nodes: number, steps: number, bugNames: readonly BugName[] = []): SeedResult {
  return simulate({ seed, nodes, steps, ...bugSwitches(bugNames) });
}

export function runSeeds(options: SeedsOptions, onResult?: (result: SeedResult) => void): SeedsSummary {
  const summary = emptySummary(options.seeds, options.steps);
  for (let i = 0; i < options.seeds; i++) {
    const seed = options.firstSeed + i;
    const result = simulateSeed(seed, options.nodes ?? nodesForSeed(seed), options.steps, options.bugs);
    addResult(summary, result, options.steps, options.bugs);
    onResult?.(result);
    if (options.stopAtFirstViolation && result.violations.length > 0) {
      summary.seeds = i + 1;
      break;
    }
  }
  return summary;
}
