// A chaos experiment: concurrent clients, real faults on a schedule, then the verdict.
//
// Phases: starting (a leader, the schedule) → running (clients and faults for durationSec) →
// healing (stop the clients, undo the fault, heal, restart, converge, read every key through the
// log) → checking (converged; one leader per term; no node crashed on its own; linearizable
// including the final reads; no acknowledged write lost; identical committed logs and state
// machines) → passed | failed. A cancel heals the cluster and ends in 'cancelled'.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ExperimentCheck, ExperimentOptions, ExperimentPhase, ExperimentProgress, ExperimentReport, HistoryOpView } from '../api/experiments.js';
import { parseHistory } from '../check/index.js';
import type { ClusterConnection } from '../client/cluster-client.js';
import { UserError } from '../workspace/user-error.js';
import { checkAcknowledgedWrites } from './acknowledged-writes.js';
import type { ClusterControl } from './cluster-control.js';
import { readFinalValues } from './final-reads.js';
import { HistoryRecorder, type Completion } from './history-recorder.js';
import { HTML_REPORT_FILE, renderHtmlReport } from './html-report.js';
import { checkLinearizable, opView } from './linearizability.js';
import { checkNoCrash, checkOneLeaderPerTerm, EventWatch } from './event-watch.js';
import { collectLogs, compareLogs } from './log-check.js';
import { compareStates } from './state-check.js';
import { NemesisLoop } from './nemesis.js';
import { MIN_HOLD_SHARE, planNemesis } from './nemesis-schedule.js';
import { checkOptions } from './options.js';
import { deriveSeed, seededRandom } from './random.js';
import { recoverCluster, waitForConvergence } from './recovery.js';
import { sleep } from './sleep.js';
import { formatSummary, type SummaryFacts } from './summary.js';
import { ClientWorker } from './workload.js';

export interface ExperimentContext {
  cluster: ClusterControl;
  /** Connection to the cluster's client ports; the experiment runs one KvClient per simulated client on it. */
  connection: ClusterConnection;
  /** Where the history (history.jsonl) and report (report.json) of this run are written. */
  resultsDir: string;
  onProgress(progress: ExperimentProgress): void;
  signal: AbortSignal;
}

export const HISTORY_FILE = 'history.jsonl';
export const REPORT_FILE = 'report.json';
export const SUMMARY_FILE = 'summary.txt';

/** How often clients learn the current members while the member nemesis changes them. */
const MEMBERS_EVERY_MS = 500;
const LEADER_TIMEOUT_MS = 30_000;
const CONVERGENCE_TIMEOUT_MS = 60_000;
const FINAL_READS_TIMEOUT_MS = 30_000;
const MIN_CHECK_TIMEOUT_MS = 60_000;
/** How much longer than the connection's own deadline an operation may take before it is abandoned as unknown. */
const GUARD_SLACK_MS = 2000;
const PROGRESS_EVERY_MS = 1000;
const EVENT_POLL_MS = 500;
/** Share of the interval the cluster stays healthy between faults, even when undoing one took long. */
const MIN_HEALTHY_SHARE = 0.2;

export async function runExperiment(options: ExperimentOptions, context: ExperimentContext): Promise<ExperimentReport> {
  checkOptions(options);
  return new ExperimentRun(options, context).execute();
}

class ExperimentRun {
  private readonly historyFile: string;
  private readonly reportFile: string;
  /** performance.now() when the clients started; the origin of every time in the history. */
  private origin = performance.now();
  private phase: ExperimentPhase = 'starting';
  private readonly recorder = new HistoryRecorder(() => Math.round((performance.now() - this.origin) * 1e6));
  private nemesis: NemesisLoop | null = null;
  private runSec = 0;
  /** Outcomes of the clients' operations, final reads excluded. */
  private runOutcomes: Readonly<Record<Completion, number>> = { ok: 0, fail: 0, info: 0 };
  /** Epoch ms when the clients started (the history's origin), for placing elections on its time axis. */
  private originEpoch = Date.now();
  private readonly startedAt = new Date();
  private eventWatch: EventWatch | null = null;
  /** Unique per run, so that a cluster reused across runs starts every key absent, as the checker assumes. */
  private readonly runTag = Date.now().toString(36);

  constructor(
    private readonly options: ExperimentOptions,
    private readonly context: ExperimentContext,
  ) {
    this.historyFile = path.join(context.resultsDir, HISTORY_FILE);
    this.reportFile = path.join(context.resultsDir, REPORT_FILE);
  }

  private elapsedMs(): number {
    return this.phase === 'starting' ? 0 : performance.now() - this.origin;
  }

  private progress(phase: ExperimentPhase = this.phase): void {
    this.phase = phase;
    this.context.onProgress({
      phase,
      elapsedSec: Math.round(this.elapsedMs() / 100) / 10,
      durationSec: this.options.durationSec,
      ops: this.recorder.completed,
      faults: this.nemesis?.applied ?? 0,
    });
  }

  async execute(): Promise<ExperimentReport> {
    const { cluster, signal } = this.context;
    this.progress('starting');
    // Like the rest of the workspace: only the owner reads what the cluster stored (0700 / 0600).
    await fs.mkdir(this.context.resultsDir, { recursive: true, mode: 0o700 });
    const nodes = await this.waitForLeader();
    if (signal.aborted) return this.finishCancelled(nodes.length);
    const watch = new EventWatch(cluster);
    this.eventWatch = watch;
    await watch.start(EVENT_POLL_MS);
    try {
      return await this.runAndCheck(nodes, watch);
    } finally {
      await watch.stop().catch(() => undefined);
    }
  }

  private async runAndCheck(nodes: string[], watch: EventWatch): Promise<ExperimentReport> {
    const { cluster, signal } = this.context;
    try {
      await this.runClientsAndFaults(nodes);
    } catch (e) {
      // Leave a healthy cluster behind even when the run itself broke.
      await recoverCluster(cluster).catch(() => undefined);
      throw e;
    }
    if (signal.aborted) return this.finishCancelled(nodes.length);
    const healStarted = performance.now();
    const recoveryProblems = await recoverCluster(cluster);
    const keys = this.keys();
    const converged = await waitForConvergence(cluster, CONVERGENCE_TIMEOUT_MS, signal);
    const finalReader = this.options.clients;
    const finalValues = await readFinalValues(this.context.connection, keys, this.recorder, finalReader, FINAL_READS_TIMEOUT_MS, signal);
    // The final reads went through the log: wait for every node to apply them before comparing logs.
    const convergedAfterReads = converged.ok ? await waitForConvergence(cluster, CONVERGENCE_TIMEOUT_MS, signal) : converged;
    if (signal.aborted) return this.finishCancelled(nodes.length);
    const healMs = performance.now() - healStarted;
    await watch.stop();
    const oneLeader = checkOneLeaderPerTerm(watch.elections);
    const noCrash = checkNoCrash(watch.crashes, this.originEpoch);

    this.progress('checking');
    const checkStarted = performance.now();
    const historyText = this.recorder.text();
    await fs.writeFile(this.historyFile, historyText, { mode: 0o600 });
    const history = parseHistory(historyText);
    const linearizability = await checkLinearizable(history, Math.max(MIN_CHECK_TIMEOUT_MS, this.options.durationSec * 1000));
    const acknowledged = checkAcknowledgedWrites(history, finalValues, finalReader);
    const logs = convergedAfterReads.ok ? compareLogs(await collectLogs(cluster)) : { ok: false, detail: 'The logs were not compared because the cluster did not converge.' };
    const states = convergedAfterReads.ok ? compareStates(await cluster.stateDigests()) : { ok: false, detail: 'The states were not compared because the cluster did not converge.' };

    const convergenceDetail = [convergedAfterReads.detail, ...recoveryProblems].join(' ');
    const checks: ExperimentCheck[] = [
      { name: 'Converged after healing', ok: convergedAfterReads.ok && recoveryProblems.length === 0, detail: convergenceDetail },
      { name: 'One leader per term', ok: oneLeader.ok, detail: oneLeader.detail },
      { name: 'No node crashed', ok: noCrash.ok, detail: noCrash.detail },
      linearizability.check,
      {
        name: 'No acknowledged write lost',
        ok: acknowledged.ok,
        detail: acknowledged.ok
          ? `All ${acknowledged.acknowledged} acknowledged writes are accounted for in the final values of ${keys.length} keys.`
          : acknowledged.problems.length > 1
            ? `${acknowledged.problems[0]} (${acknowledged.problems.length - 1} more in the summary.)`
            : acknowledged.problems[0]!,
      },
      { name: 'Identical committed logs', ok: logs.ok, detail: logs.detail },
      { name: 'Identical state machines', ok: states.ok, detail: states.detail },
    ];
    const report = this.report(history.ops.length, checks, linearizability.anomaly);
    await this.writeResults(report, nodes.length, { healMs, checkMs: performance.now() - checkStarted }, false, acknowledged.problems.slice(1), history.ops.map(opView));
    this.progress(report.ok ? 'passed' : 'failed');
    return report;
  }

  private async waitForLeader(): Promise<string[]> {
    const deadline = Date.now() + LEADER_TIMEOUT_MS;
    for (;;) {
      const state = await this.context.cluster.state();
      if (!state.running) throw new UserError('The cluster is not running; start it before running an experiment.');
      if (state.leader || this.context.signal.aborted) return state.nodes.map((n) => n.id);
      if (Date.now() > deadline) throw new UserError(`The cluster has no leader after ${LEADER_TIMEOUT_MS / 1000} s; check the node logs before running an experiment.`);
      await sleep(100, this.context.signal);
    }
  }

  private keys(): string[] {
    return Array.from({ length: this.options.keys }, (_, i) => `k${i}@${this.runTag}`);
  }

  private async runClientsAndFaults(nodes: string[]): Promise<void> {
    const { options, context } = this;
    const stop = new AbortController();
    const onCancel = () => stop.abort();
    context.signal.addEventListener('abort', onCancel, { once: true });
    const guardMs = context.connection.timeoutMs + GUARD_SLACK_MS;
    const keys = this.keys();
    this.origin = performance.now();
    this.originEpoch = Date.now();
    this.progress('running');
    const ticker = setInterval(() => this.progress(), PROGRESS_EVERY_MS);
    // With the member nemesis the members change: clients learn the new ones as an operator's would.
    const following = options.nemeses.includes('member') ? setInterval(() => void this.followMembers(), MEMBERS_EVERY_MS) : null;
    const schedule = planNemesis({ seed: options.seed, durationSec: options.durationSec, intervalSec: options.intervalSec, nemeses: options.nemeses, nodes });
    const intervalMs = options.intervalSec * 1000;
    const nemesis = new NemesisLoop(context.cluster, schedule, () => this.elapsedMs(), stop.signal, { minHealthyMs: intervalMs * MIN_HEALTHY_SHARE, minHoldMs: intervalMs * MIN_HOLD_SHARE });
    this.nemesis = nemesis;
    const workers = Array.from(
      { length: options.clients },
      (_, p) => new ClientWorker(p, context.connection, keys, seededRandom(deriveSeed(options.seed, 1 + p)), this.recorder, guardMs, options.readConsistency),
    );
    const running = workers.map((w) => w.run(stop.signal));
    const faulting = nemesis.run();
    try {
      await sleep(options.durationSec * 1000, stop.signal);
      stop.abort();
      this.runSec = this.elapsedMs() / 1000;
      if (!context.signal.aborted) this.progress('healing');
      // The fault in force is undone first, so that operations still in flight can finish.
      await faulting;
      await Promise.all(running);
      this.runOutcomes = this.recorder.outcomes();
    } finally {
      stop.abort();
      clearInterval(ticker);
      if (following) clearInterval(following);
      await this.followMembers();
      context.signal.removeEventListener('abort', onCancel);
    }
  }

  /** Points the clients' connection at the current members. */
  private async followMembers(): Promise<void> {
    try {
      const state = await this.context.cluster.state();
      this.context.connection.setEndpoints(state.nodes.map((n) => ({ id: n.id, url: `https://${addressForUrl(n.address)}` })));
    } catch {
      // The next poll tries again; the clients keep their current list meanwhile.
    }
  }

  private report(ops: number, checks: ExperimentCheck[], anomaly: { key: string; ops: HistoryOpView[] } | null): ExperimentReport {
    return { ok: checks.every((c) => c.ok), options: this.options, ops, checks, anomaly, historyFile: this.historyFile, reportFile: this.reportFile };
  }

  private async finishCancelled(nodes: number): Promise<ExperimentReport> {
    // Whatever was in force is undone: a cancelled experiment leaves a healthy cluster.
    const problems = await recoverCluster(this.context.cluster).catch((e: unknown) => [(e as Error).message]);
    const historyText = this.recorder.text();
    await fs.writeFile(this.historyFile, historyText, { mode: 0o600 });
    const detail = `Cancelled after ${(this.elapsedMs() / 1000).toFixed(1)} s; the cluster was healed${problems.length > 0 ? ` (${problems.join(' ')})` : ''} and no checks ran.`;
    const report = this.report(historyText === '' ? 0 : parseHistory(historyText).ops.length, [{ name: 'Completed', ok: false, detail }], null);
    await this.writeResults(report, nodes, null, true, [], historyText === '' ? [] : parseHistory(historyText).ops.map(opView));
    this.progress('cancelled');
    return report;
  }

  private async writeResults(
    report: ExperimentReport,
    nodes: number,
    timings: SummaryFacts['timings'],
    cancelled: boolean,
    moreProblems: string[],
    ops: HistoryOpView[],
  ): Promise<void> {
    await fs.writeFile(this.reportFile, JSON.stringify(report, null, 2) + '\n', { mode: 0o600 });
    const summary = formatSummary({
      report,
      nodes,
      runSec: this.runSec,
      outcomes: this.runOutcomes,
      faults: this.nemesis?.record ?? [],
      timings,
      cancelled,
      moreProblems,
    });
    await fs.writeFile(path.join(this.context.resultsDir, SUMMARY_FILE), summary, { mode: 0o600 });
    const html = renderHtmlReport({
      report,
      ops,
      faults: this.nemesis?.record ?? [],
      elections: (this.eventWatch?.elections ?? []).map((e) => ({ term: e.term, node: e.node, atMs: e.at - this.originEpoch })),
      runMs: this.runSec * 1000,
      startedAt: this.startedAt,
    });
    await fs.writeFile(path.join(this.context.resultsDir, HTML_REPORT_FILE), html, { mode: 0o600 });
  }
}

/** host:port as a URL authority (an IPv6 host in brackets). */
function addressForUrl(address: string): string {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  return host.includes(':') ? `[${host}]${address.slice(colon)}` : address;
}
