// A chaos experiment: concurrent clients, real faults on a schedule, then the verdict.
// Implemented in the chaos issue; this is its contract with the console and the CLI.

import type { ExperimentOptions, ExperimentProgress, ExperimentReport } from '../api/experiments.js';
import type { ClusterConnection } from '../client/cluster-client.js';
import type { ClusterControl } from './cluster-control.js';

export interface ExperimentContext {
  cluster: ClusterControl;
  /** Connection to the cluster's client ports; the experiment runs one KvClient per simulated client on it. */
  connection: ClusterConnection;
  /** Where the history (history.jsonl) and report (report.json) of this run are written. */
  resultsDir: string;
  onProgress(progress: ExperimentProgress): void;
  signal: AbortSignal;
}

export async function runExperiment(options: ExperimentOptions, context: ExperimentContext): Promise<ExperimentReport> {
  void options;
  void context;
  throw new Error('Experiments are not available in this build yet.');
}
