// Chaos experiments as the console runs and shows them (the CLI's `raftdesk chaos` does the same).

import type { ReadConsistency } from './reads.js';

/** 'member' changes the membership under load: a fresh node joins (learner, caught up, promoted),
 *  then a voter leaves — the leader, the newcomer or another — so the cluster keeps its size. */
export type Nemesis = 'kill' | 'pause' | 'partition' | 'delay' | 'member';

export const NEMESES = ['kill', 'pause', 'partition', 'delay', 'member'] as const satisfies readonly Nemesis[];

/** What `raftdesk chaos` runs when --nemesis is not given. */
export const DEFAULT_NEMESES = ['kill', 'pause', 'partition', 'delay'] as const satisfies readonly Nemesis[];

/** The ranges an experiment accepts (whole numbers), wherever it is started from. */
export const EXPERIMENT_LIMITS = {
  durationSec: { min: 1, max: 24 * 3600 },
  clients: { min: 1, max: 256 },
  keys: { min: 1, max: 1000 },
  intervalSec: { min: 1, max: 3600 },
} as const;

export interface ExperimentOptions {
  durationSec: number;
  clients: number;
  keys: number;
  nemeses: Nemesis[];
  /** Seconds between faults. */
  intervalSec: number;
  seed: number;
  /** How the clients' reads are served (default linearizable). `local` reads are expected to fail
   *  the linearizability check; `lease` reads under the pause nemesis show what a lease assumes. */
  readConsistency?: ReadConsistency;
}

export type ExperimentPhase = 'starting' | 'running' | 'healing' | 'checking' | 'passed' | 'failed' | 'cancelled';

export interface ExperimentProgress {
  phase: ExperimentPhase;
  elapsedSec: number;
  durationSec: number;
  /** Completed client operations so far. */
  ops: number;
  /** Faults applied so far. */
  faults: number;
}

/** One operation of the history, for drawing on a per-client timeline. */
export interface HistoryOpView {
  process: number;
  f: 'read' | 'write' | 'cas' | 'append' | 'delete';
  key: string;
  /** What was asked (write value, cas [expected, new]) and, once complete, what came back. */
  input: string;
  output: string | null;
  outcome: 'ok' | 'fail' | 'info';
  /** Invocation and completion, ms since the experiment started (completion null if never). */
  startMs: number;
  endMs: number | null;
}

export interface ExperimentCheck {
  name: string;
  ok: boolean;
  /** One sentence. */
  detail: string;
}

export interface ExperimentReport {
  ok: boolean;
  options: ExperimentOptions;
  ops: number;
  checks: ExperimentCheck[];
  /** When the history is not linearizable: the key and the smallest set of operations that cannot be ordered. */
  anomaly: { key: string; ops: HistoryOpView[] } | null;
  historyFile: string;
  reportFile: string;
}
