// `npm run sim`: runs the deterministic cluster simulator over many seeds, on every core (worker
// threads, one seed range at a time each), and checks Raft's safety and liveness properties.
// Exit 0 when no seed violates anything, 1 otherwise.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Command, InvalidArgumentError } from 'commander';
import { BUG_NAMES, DEFAULT_STEPS, addResult, emptySummary, runSeeds, type BugName, type SeedsOptions, type SeedsSummary } from '../core/sim/run-seeds.js';

/** Seeds per work item: small enough to balance the workers, large enough to keep messaging cheap. */
const CHUNK = 50;

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
  .option('--workers <w>', 'worker threads (default: one per core)', positiveInt, availableParallelism())
  .option('--bug <name>', `switch on a deliberately broken rule (test only): ${BUG_NAMES.join(', ')}`, bugName, [] as BugName[])
  .option('--json', 'print one JSON object instead of text')
  .parse();

const opts = program.opts<{ seeds: number; seed: number; nodes?: number; steps: number; workers: number; bug: BugName[]; json?: boolean }>();

function merge(into: SeedsSummary, part: SeedsSummary): void {
  into.events += part.events;
  into.proposalsAccepted += part.proposalsAccepted;
  into.proposalsAcknowledged += part.proposalsAcknowledged;
  into.readsAnswered += part.readsAnswered;
  into.maxElectionTicksAfterHeal = Math.max(into.maxElectionTicksAfterHeal, part.maxElectionTicksAfterHeal);
  into.violations.push(...part.violations);
}

async function runParallel(): Promise<SeedsSummary> {
  const summary = emptySummary(opts.seeds, opts.steps);
  const chunks: SeedsOptions[] = [];
  for (let first = 0; first < opts.seeds; first += CHUNK) {
    chunks.push({ firstSeed: opts.seed + first, seeds: Math.min(CHUNK, opts.seeds - first), nodes: opts.nodes, steps: opts.steps, bugs: opts.bug });
  }
  let done = 0;
  const progress = process.stderr.isTTY && !opts.json;
  const workerCount = Math.min(opts.workers, chunks.length);
  await Promise.all(
    Array.from({ length: workerCount }, async () => {
      const worker = new Worker(new URL('./sim-worker-entry.mjs', import.meta.url));
      try {
        for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
          const part = await new Promise<SeedsSummary>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.postMessage(chunk);
          });
          worker.removeAllListeners('error');
          merge(summary, part);
          done += chunk.seeds;
          if (progress) process.stderr.write(`\r${done}/${opts.seeds} seeds, ${summary.violations.length} violations`);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  if (progress) process.stderr.write('\n');
  summary.violations.sort((a, b) => a.seed - b.seed);
  return summary;
}

function runInProcess(): SeedsSummary {
  const summary = emptySummary(opts.seeds, opts.steps);
  runSeeds({ firstSeed: opts.seed, seeds: opts.seeds, nodes: opts.nodes, steps: opts.steps, bugs: opts.bug }, (result) => addResult(summary, result, opts.steps, opts.bug));
  return summary;
}

const started = process.hrtime.bigint();
const summary = opts.workers > 1 && opts.seeds > CHUNK ? await runParallel() : runInProcess();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const seedsPerSecond = Math.round(opts.seeds / Math.max(seconds, 1e-9));

if (opts.json) {
  const { violations, ...totals } = summary;
  console.log(JSON.stringify({ ...totals, violations: violations.length, violationDetails: violations, seconds: Number(seconds.toFixed(2)), seedsPerSecond }));
} else {
  for (const v of summary.violations) {
    console.log(`violation seed=${v.seed} nodes=${v.nodes} step=${v.step} kind=${v.kind}: ${v.detail}`);
    console.log(`  settings: ${v.settings}`);
    console.log(`  replay: ${v.replay}`);
  }
  console.log(
    `seeds=${summary.seeds} steps=${summary.steps} violations=${summary.violations.length} events=${summary.events} ` +
      `acknowledged=${summary.proposalsAcknowledged}/${summary.proposalsAccepted} reads=${summary.readsAnswered} maxElectionTicksAfterHeal=${summary.maxElectionTicksAfterHeal} ` +
      `time=${seconds.toFixed(1)}s seeds/s=${seedsPerSecond}`,
  );
}
process.exitCode = summary.violations.length === 0 ? 0 : 1;
