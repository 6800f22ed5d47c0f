// One experiment at a time, on the console's running cluster, with progress to every listener.

import path from 'node:path';
import type { Unsubscribe } from '../api/console-api.js';
import type { ExperimentOptions, ExperimentProgress, ExperimentReport } from '../api/experiments.js';
import { runExperiment } from '../chaos/experiment.js';
import type { ClusterConnection } from '../client/cluster-client.js';
import type { ClusterHandle } from '../cluster/cluster-handle.js';
import { UserError } from '../workspace/user-error.js';

export interface ExperimentRunnerDeps {
  cluster(): ClusterHandle;
  client(): ClusterConnection;
  resultsDir(): string;
}

export class ExperimentRunner {
  private current: AbortController | null = null;
  private running: Promise<ExperimentReport> | null = null;
  private readonly listeners = new Set<(p: ExperimentProgress) => void>();

  constructor(private readonly deps: ExperimentRunnerDeps) {}

  async run(options: ExperimentOptions): Promise<ExperimentReport> {
    if (this.current) throw new UserError('An experiment is already running; wait for it or cancel it.');
    const supervisor = this.deps.cluster();
    const connection = this.deps.client();
    const controller = new AbortController();
    this.current = controller;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    supervisor.noteExperiment(
      `Experiment started: ${options.durationSec} s, ${options.clients} clients, ${options.nemeses.join(', ') || 'no faults'} (seed ${options.seed})`,
      { seed: options.seed, durationSec: options.durationSec },
    );
    this.running = runExperiment(options, {
      cluster: supervisor,
      connection,
      resultsDir: path.join(this.deps.resultsDir(), stamp),
      onProgress: (p) => {
        for (const l of this.listeners) l(p);
      },
      signal: controller.signal,
    });
    try {
      const report = await this.running;
      const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
      supervisor.noteExperiment(
        report.ok ? `Experiment passed: ${report.ops} operations, every check held` : `Experiment failed: ${failed.join(', ') || 'cancelled'}`,
        { ok: report.ok, ops: report.ops },
      );
      return report;
    } finally {
      this.current = null;
      this.running = null;
    }
  }

  async cancel(): Promise<void> {
    if (!this.current) return;
    this.current.abort();
    await this.running?.catch(() => undefined);
  }

  onProgress(listener: (p: ExperimentProgress) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
