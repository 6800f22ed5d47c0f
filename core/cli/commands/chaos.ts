// `raftdesk chaos DIR`: a chaos experiment on the workspace's cluster. If the cluster is running
// (its control socket answers), the experiment drives it through that socket; otherwise this process
// starts it for the run (serving the control socket meanwhile, so `raftdesk status` and `raftdesk
// down` work) and stops it after. Progress goes to stderr; the summary (or, with --json, the
// report) to stdout. Exit 0 only if every check passed.

import { randomInt } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ExperimentOptions, ExperimentProgress, Nemesis } from '../../api/experiments.js';
import type { Fault, NodeAction } from '../../api/faults.js';
import type { ClusterControl } from '../../chaos/cluster-control.js';
import { runExperiment, SUMMARY_FILE } from '../../chaos/experiment.js';
import { DEFAULT_NEMESES, LIMITS, NEMESES } from '../../chaos/options.js';
import { ClusterConnection } from '../../client/cluster-client.js';
import { serveControl, supervisorHandlers } from '../../cluster/control.js';
import { effectiveNode } from '../../workspace/definition.js';
import { describeFault } from '../../cluster/fault-model.js';
import { workspacePaths } from '../../workspace/paths.js';
import { RemoteCluster } from '../../cluster/remote-cluster.js';
import { Supervisor } from '../../cluster/supervisor.js';
import { loadDefinition } from '../../workspace/workspace.js';
import { connectToWorkspace } from '../connect.js';
import { CliExit, intOption, parseReadConsistency, printJson, say } from '../output.js';

export interface ChaosOptions {
  duration?: string;
  clients?: string;
  keys?: string;
  nemesis?: string;
  interval?: string;
  seed?: string;
  opTimeout?: string;
  reads?: string;
  json?: boolean;
}

/** Exit code of a run cancelled with Ctrl-C, as shells report SIGINT. */
const CANCELLED_EXIT = 130;
const PROGRESS_LINE_EVERY_MS = 5000;

/** The command line as experiment options; exported for tests. */
export function parseChaosOptions(options: ChaosOptions, randomSeed: () => number): ExperimentOptions {
  const nemeses = (options.nemesis ?? DEFAULT_NEMESES.join(','))
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = nemeses.find((n) => !(NEMESES as readonly string[]).includes(n));
  if (unknown !== undefined) throw new CliExit(2, `There is no nemesis "${unknown}"; --nemesis takes a comma-separated list of ${NEMESES.join(', ')}.`);
  const int = (name: keyof typeof LIMITS, flag: string, value: string | undefined, fallback: number) => intOption(flag, value, fallback, LIMITS[name].min, LIMITS[name].max);
  return {
    durationSec: int('durationSec', 'duration', options.duration, 60),
    clients: int('clients', 'clients', options.clients, 8),
    keys: int('keys', 'keys', options.keys, 5),
    nemeses: [...new Set(nemeses)] as Nemesis[],
    intervalSec: int('intervalSec', 'interval', options.interval, 5),
    seed: intOption('seed', options.seed, randomSeed(), 0, 2 ** 31 - 1),
    ...(options.reads !== undefined ? { readConsistency: parseReadConsistency(options.reads, '--reads') } : {}),
  };
}

export async function chaosCommand(dir: string, options: ChaosOptions): Promise<void> {
  const experiment = parseChaosOptions(options, () => randomInt(1, 1_000_000));
  const opTimeoutMs = intOption('op-timeout', options.opTimeout, 5000, 100, 600_000);
  const progress = (line: string) => process.stderr.write(line + '\n');
  const { definition } = await loadDefinition(dir);
  if (experiment.nemeses.includes('kill') && definition.nodes.some((n) => effectiveNode(definition, n.id).storage === 'memory')) {
    progress('Note: nodes with memory storage forget their log when killed, which Raft does not allow for; kill may then fail the checks.');
  }
  const target = await openCluster(dir, opTimeoutMs, progress);
  const cancel = new AbortController();
  const onSignal = () => {
    progress('Cancelling: healing the cluster…');
    cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  target.onStopRequest(() => cancel.abort());
  const clock = new RunClock();
  let report;
  try {
    progress(`Chaos on ${workspacePaths(dir).root} (seed ${experiment.seed}).`);
    report = await runExperiment(experiment, {
      cluster: loggingControl(target.cluster, (line) => progress(`${clock.stamp()}  ${line}`)),
      connection: target.connection,
      resultsDir: path.join(workspacePaths(dir).root, 'experiments', new Date().toISOString().replace(/[:.]/g, '-')),
      onProgress: progressPrinter(clock, progress),
      signal: cancel.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await target.close();
  }
  if (options.json) printJson(report);
  else {
    process.stdout.write(await fs.readFile(path.join(path.dirname(report.reportFile), SUMMARY_FILE), 'utf8'));
    say(`History: ${report.historyFile}`);
    say(`Report:  ${report.reportFile}`);
  }
  if (cancel.signal.aborted) throw new CliExit(CANCELLED_EXIT);
  if (!report.ok) throw new CliExit(1);
}

interface OpenCluster {
  cluster: ClusterControl;
  connection: ClusterConnection;
  /** Called when someone asks this process's supervisor to stop (`raftdesk down`). */
  onStopRequest(listener: () => void): void;
  close(): Promise<void>;
}

async function openCluster(dir: string, opTimeoutMs: number, progress: (line: string) => void): Promise<OpenCluster> {
  const running = await RemoteCluster.connect(dir);
  if (running) {
    const { connection } = await connectToWorkspace(dir, opTimeoutMs);
    progress('Using the running cluster.');
    return {
      cluster: running,
      connection,
      onStopRequest: () => undefined,
      close: async () => {
        running.close();
        connection.close();
      },
    };
  }
  progress('Starting the cluster for this run.');
  const supervisor = await Supervisor.open(dir);
  let stopRequested: () => void = () => undefined;
  const control = await serveControl(dir, supervisorHandlers(supervisor, async () => stopRequested()));
  try {
    await supervisor.start();
  } catch (e) {
    await control.close();
    throw e;
  }
  const connection = new ClusterConnection({ endpoints: supervisor.endpoints(), credentials: await supervisor.clientCredentials(), timeoutMs: opTimeoutMs });
  return {
    cluster: supervisor,
    connection,
    onStopRequest: (listener) => (stopRequested = listener),
    close: async () => {
      connection.close();
      await supervisor.stop();
      await control.close();
    },
  };
}

/** Seconds since the clients started, for stamping lines. */
class RunClock {
  private startedAt: number | null = null;

  observe(p: ExperimentProgress): void {
    if (p.phase === 'running') this.startedAt ??= Date.now() - p.elapsedSec * 1000;
  }

  stamp(): string {
    const seconds = this.startedAt === null ? 0 : (Date.now() - this.startedAt) / 1000;
    return `${seconds.toFixed(1).padStart(6)} s`;
  }
}

/** Phase changes at once, and while running a line every few seconds. */
function progressPrinter(clock: RunClock, print: (line: string) => void): (p: ExperimentProgress) => void {
  let lastPhase: string | null = null;
  let lastAt = 0;
  return (p) => {
    clock.observe(p);
    const now = Date.now();
    if (p.phase === lastPhase && now - lastAt < PROGRESS_LINE_EVERY_MS) return;
    lastPhase = p.phase;
    lastAt = now;
    print(`${clock.stamp()}  ${p.phase}: ${p.ops} operations, ${p.faults} faults`);
  };
}

/** The cluster, saying each fault as it lands. */
function loggingControl(cluster: ClusterControl, print: (line: string) => void): ClusterControl {
  return {
    state: () => cluster.state(),
    readLogs: (limit, fromIndex) => cluster.readLogs(limit, fromIndex),
    stateDigests: () => cluster.stateDigests(),
    recentEvents: (limit) => cluster.recentEvents(limit),
    nodeAction: async (node: string, action: NodeAction) => {
      await cluster.nodeAction(node, action);
      print(`${action} ${node}`);
    },
    applyFault: async (fault: Fault) => {
      await cluster.applyFault(fault);
      print(describeFault(fault));
    },
    addMember: async (request) => {
      const added = await cluster.addMember(request);
      print(`added ${request.id}`);
      return added;
    },
    removeMember: async (node) => {
      const removed = await cluster.removeMember(node);
      print(`removed ${node}`);
      return removed;
    },
    healAll: async () => {
      await cluster.healAll();
      print('healed every link and resumed paused nodes');
    },
  };
}
