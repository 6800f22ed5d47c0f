// `npm run sim`: runs the deterministic cluster simulator over many seeds and checks Raft's safety
// and liveness properties. Exit 0 when no seed violates anything, 1 otherwise.

import { Command, InvalidArgumentError } from 'commander';
import { BUG_NAMES, DEFAULT_STEPS, runSeeds, type BugName } from '../core/sim/run-seeds.js';
import type { TestOnlyBugs } from '../core/raft/config.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function bugName(value: string, previous: BugName[]): BugName[] {
  if (!(BUG_NAMES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${BUG_NAMES.join(', ')}`);
  return [...previous, value as BugName];
}

const program = new Command()
  .name('sim')
  .description('Deterministic Raft cluster simulation with safety and liveness checks.')
  .option('--seeds <n>', 'number of seeds to run', positiveInt, 100)
  .option('--seed <x>', 'first seed (seeds x, x+1, ...)', nonNegativeInt, 1)
  .option('--nodes <k>', 'cluster size (default: 3, 5 and 7 in turn)', positiveInt)
  .option('--steps <s>', 'ticks of the fault phase per seed', positiveInt, DEFAULT_STEPS)
  .option('--bug <name>', `switch on a deliberately broken rule (test only): ${BUG_NAMES.join(', ')}`, bugName, [] as BugName[])
  .option('--json', 'print one JSON object instead of text')
  .parse();

const opts = program.opts<{ seeds: number; seed: number; nodes?: number; steps: number; bug: BugName[]; json?: boolean }>();
const bugs: TestOnlyBugs = {};
for (const name of opts.bug) bugs[name] = true;

const started = process.hrtime.bigint();
const summary = runSeeds({ firstSeed: opts.seed, seeds: opts.seeds, nodes: opts.nodes, steps: opts.steps, bugs });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

if (opts.json) {
  const { violations, ...totals } = summary;
  console.log(JSON.stringify({ ...totals, violations: violations.length, violationDetails: violations, seconds: Number(seconds.toFixed(2)) }));
} else {
  for (const v of summary.violations) {
    console.log(`violation seed=${v.seed} nodes=${v.nodes} step=${v.step} kind=${v.kind}: ${v.detail}`);
    console.log(`  replay: ${v.replay}`);
  }
  console.log(
    `seeds=${summary.seeds} steps=${summary.steps} violations=${summary.violations.length} events=${summary.events} ` +
      `acknowledged=${summary.proposalsAcknowledged}/${summary.proposalsAccepted} maxElectionTicksAfterHeal=${summary.maxElectionTicksAfterHeal} time=${seconds.toFixed(1)}s`,
  );
}
process.exitCode = summary.violations.length === 0 ? 0 : 1;
