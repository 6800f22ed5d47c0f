// Runs an experiment on a real test cluster, with what the tests look at afterwards.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentOptions, ExperimentProgress, ExperimentReport, Nemesis } from '../../core/api/experiments.js';
import { runExperiment, SUMMARY_FILE } from '../../core/chaos/experiment.js';
import { planNemesis } from '../../core/chaos/nemesis-schedule.js';
import { ClusterConnection } from '../../core/client/cluster-client.js';
import type { TestCluster } from '../helpers/test-cluster.js';

export interface ExperimentRun {
  report: ExperimentReport;
  progress: ExperimentProgress[];
  /** summary.txt, for failure messages. */
  summary: string;
}

/** A report's checks, as [name, ok], when every one passed: what a run on healthy nodes must show. */
export const EVERY_CHECK_PASSED: [string, boolean][] = [
  ['Converged after healing', true],
  ['One leader per term', true],
  ['No node crashed', true],
  ['Linearizable', true],
  ['No acknowledged write lost', true],
  ['Identical committed logs', true],
  ['Identical state machines', true],
];

/** Per-operation client deadline in tests: honest, and short enough to keep runs bounded. */
const OP_TIMEOUT_MS = 3000;

export async function experimentOn(cluster: TestCluster, options: ExperimentOptions, signal = new AbortController().signal): Promise<ExperimentRun> {
  const connection = new ClusterConnection({ endpoints: cluster.supervisor.endpoints(), credentials: await cluster.supervisor.clientCredentials(), timeoutMs: OP_TIMEOUT_MS });
  const progress: ExperimentProgress[] = [];
  try {
    const report = await runExperiment(options, {
      cluster: cluster.supervisor,
      connection,
      resultsDir: path.join(cluster.dir, 'experiments', `seed-${options.seed}`),
      onProgress: (p) => progress.push(p),
      signal,
    });
    return { report, progress, summary: readFileSync(path.join(path.dirname(report.reportFile), SUMMARY_FILE), 'utf8') };
  } finally {
    connection.close();
  }
}

/** The first seed from `from` whose schedule uses every nemesis in `nemeses`, so that a short run exercises them all. */
export function seedCoveringAll(nemeses: Nemesis[], nodes: string[], durationSec: number, intervalSec: number, from = 1, withinFirst = Infinity): number {
  for (let seed = from; ; seed++) {
    const used = new Set(planNemesis({ seed, durationSec, intervalSec, nemeses, nodes }).slice(0, withinFirst).map((s) => s.plan.nemesis));
    if (nemeses.every((n) => used.has(n))) return seed;
  }
}
