// ConsoleApi in Node: the open workspace, its supervisor, and a client for the console's own
// writes. Electron's main process and `raftdesk console` both serve exactly this object.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ClusterDefinition, ValidationIssue, WorkspaceSummary } from '../api/cluster-definition.js';
import type { ClusterEvent, ClusterState, MetricsSample, NodeLogView } from '../api/cluster-state.js';
import type { Unsubscribe } from '../api/console-api.js';
import type { ExperimentOptions, ExperimentProgress, ExperimentReport } from '../api/experiments.js';
import type { Fault, NodeAction } from '../api/faults.js';
import type { AddMemberRequest, MemberChangeResult } from '../api/membership.js';
import type { Log } from '../api/log.js';
import type { MessageBatch } from '../api/messages.js';
import type { ReadConsistency } from '../api/reads.js';
import type { ClientErrorCode, ClientFailure, ReadOutcome, WriteOutcome } from '../api/results.js';
import { ClientError, ClusterConnection, KvClient } from '../client/cluster-client.js';
import { serveControl, supervisorHandlers } from '../cluster/control.js';
import { DEFAULT_TRACE_MAX_MB, checkRules, hasErrors, makeDefinition, parseDefinition } from '../workspace/definition.js';
import type { RunList, RunTrace, TraceMessages } from '../api/traces.js';
import { listRuns, readRunForReplay, readRunMessages } from '../cluster/trace-reader.js';
import { tracesBytes } from '../cluster/trace-files.js';
import { followFile } from '../cluster/log-tail.js';
import { workspacePaths } from '../workspace/paths.js';
import { checkPortsFree } from '../cluster/port-check.js';
import type { ClusterHandle } from '../cluster/cluster-handle.js';
import { RemoteCluster } from '../cluster/remote-cluster.js';
import { Supervisor } from '../cluster/supervisor.js';
import { UserError, describeIssues } from '../workspace/user-error.js';
import { loadDefinition, saveDefinition, workspaceExists } from '../workspace/workspace.js';
import { cli } from '../workspace/cli-name.js';
import type { ConsoleService, ConsoleServiceOptions } from './service-contract.js';
import { ExperimentRunner } from './experiment-runner.js';

/** Failures after which a write may still have taken effect (recorded as unknown, 'info'). */
const MAY_HAVE_HAPPENED: ReadonlySet<ClientErrorCode> = new Set(['timeout', 'unavailable', 'internal']);

const LAST_WORKSPACE_FILE = '.last-workspace';
/** The most messages one spacetime window carries to the page. */
const MAX_REPLAY_MESSAGES = 20_000;

class Listeners<T extends unknown[]> {
  private readonly set = new Set<(...args: T) => void>();
  add(fn: (...args: T) => void): Unsubscribe {
    this.set.add(fn);
    return () => this.set.delete(fn);
  }
  emit(...args: T): void {
    for (const fn of [...this.set]) fn(...args);
  }
  get size(): number {
    return this.set.size;
  }
}

/** A folder name from a workspace name: lower case, letters, digits and dashes. */
export function slugify(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'cluster';
}

export class ClusterConsoleService implements ConsoleService {
  /** The open workspace's cluster: run here, or by another raftdesk process and driven remotely. */
  private cluster!: ClusterHandle;
  private detachCluster: Unsubscribe[] = [];
  private control: { close(): Promise<void> } | null = null;
  private connection: ClusterConnection | null = null;
  private kv: KvClient | null = null;
  private readonly state = new Listeners<[ClusterState]>();
  private readonly events = new Listeners<[ClusterEvent]>();
  private readonly metrics = new Listeners<[MetricsSample]>();
  private readonly output = new Listeners<[string, string[]]>();
  private stopFollowing: (() => void)[] = [];
  private readonly experiments: ExperimentRunner;
  private readonly messages = new Listeners<[MessageBatch]>();
  /** Set while the pages want messages: the open cluster's subscription (renewed when another opens). */
  private stopMessages: Unsubscribe | null = null;

  private constructor(
    private readonly root: string,
    private readonly log: Log,
  ) {
    this.experiments = new ExperimentRunner({
      cluster: () => this.requireRunning(),
      client: () => this.requireConnection(),
      resultsDir: () => this.experimentsDir(),
    });
  }

  static async open(options: ConsoleServiceOptions): Promise<ClusterConsoleService> {
    const root = path.resolve(options.workspacesRoot);
    await fs.mkdir(root, { recursive: true });
    const service = new ClusterConsoleService(root, options.log ?? (() => undefined));
    let workspace = options.workspace;
    if (!workspace) {
      const last = await fs.readFile(path.join(root, LAST_WORKSPACE_FILE), 'utf8').catch(() => '');
      workspace = last.trim() && (await workspaceExists(last.trim())) ? last.trim() : path.join(root, 'default');
    }
    if (!(await workspaceExists(workspace))) {
      await saveDefinition(workspace, makeDefinition({ name: path.basename(workspace), nodes: 3, basePort: 7000 }));
    }
    await service.attach(workspace);
    return service;
  }

  private async attach(workspace: string): Promise<void> {
    // A cluster another raftdesk runs (`raftdesk up --detach`, another console) is driven through
    // its control socket; otherwise this process runs it.
    const remote = await RemoteCluster.connect(workspace);
    const cluster: ClusterHandle = remote ?? (await Supervisor.open(workspace, this.log));
    for (const off of this.detachCluster) off();
    this.closeConnection();
    if (this.cluster instanceof RemoteCluster) this.cluster.close();
    this.cluster = cluster;
    if (this.stopMessages) {
      this.stopMessages();
      this.stopMessages = cluster.onMessages((batch) => this.messages.emit(batch));
    }
    this.detachCluster = [
      cluster.onState((s) => this.state.emit(s)),
      cluster.onEvent((e) => this.events.emit(e)),
      cluster.onMetrics((m) => this.metrics.emit(m)),
    ];
    if (remote) {
      await this.openConnection();
      // When the other process stops the cluster, this console takes over the workspace.
      this.detachCluster.push(remote.onGone(() => void this.attach(workspace).catch((e: Error) => this.log('error', e.message))));
      this.log('info', 'attached to a cluster run by another raftdesk process', { workspace });
    }
    await fs.writeFile(path.join(this.root, LAST_WORKSPACE_FILE), cluster.paths.root + '\n');
    this.state.emit(cluster.state());
    this.restartFollowing();
  }

  private async openConnection(): Promise<void> {
    const credentials = await this.cluster.clientCredentials();
    this.connection = new ClusterConnection({ endpoints: this.cluster.endpoints(), credentials, timeoutMs: 5000 });
    this.kv = new KvClient(this.connection);
  }

  private closeConnection(): void {
    this.connection?.close();
    this.connection = null;
    this.kv = null;
  }

  private summary(): WorkspaceSummary {
    return { path: this.cluster.paths.root, name: this.cluster.definition.name, nodes: this.cluster.definition.nodes.length, running: this.cluster.isRunning };
  }

  private requireRunning(): ClusterHandle {
    if (!this.cluster.isRunning) throw new UserError('The cluster is not running; press Start first.');
    return this.cluster;
  }

  private requireConnection(): ClusterConnection {
    this.requireRunning();
    if (!this.connection) throw new UserError('The cluster is still starting; try again in a moment.');
    return this.connection;
  }

  currentState(): ClusterState {
    return this.cluster.state();
  }

  // ---- workspaces -----------------------------------------------------------------------------

  async listWorkspaces(): Promise<WorkspaceSummary[]> {
    const entries = await fs.readdir(this.root, { withFileTypes: true });
    const out: WorkspaceSummary[] = [];
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const dir = path.join(this.root, e.name);
      if (dir === this.cluster.paths.root) {
        out.push(this.summary());
        continue;
      }
      try {
        const { definition } = await loadDefinition(dir);
        out.push({ path: dir, name: definition.name, nodes: definition.nodes.length, running: false });
      } catch {
        // Not a workspace, or a broken one: it is listed once fixed.
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async createWorkspace(name: string, definition?: ClusterDefinition): Promise<WorkspaceSummary> {
    if (this.cluster.isRunning) throw new UserError('Stop the running cluster before creating another workspace.');
    const dir = path.join(this.root, slugify(name));
    if (await workspaceExists(dir)) throw new UserError(`A workspace named "${path.basename(dir)}" already exists; pick another name or open it.`);
    const def = definition ?? makeDefinition({ name, nodes: 3, basePort: 7000 });
    const parsed = parseDefinition({ ...def, name });
    if (!parsed.definition || hasErrors(parsed.issues)) throw new UserError(describeIssues(parsed.issues), parsed.issues);
    await saveDefinition(dir, parsed.definition);
    await this.attach(dir);
    return this.summary();
  }

  async openWorkspace(dir: string): Promise<ClusterDefinition> {
    if (this.cluster.isRunning && path.resolve(dir) !== this.cluster.paths.root) {
      throw new UserError('Stop the running cluster before opening another workspace.');
    }
    await this.attach(dir);
    return this.cluster.definition;
  }

  async currentDefinition(): Promise<{ workspace: WorkspaceSummary; definition: ClusterDefinition }> {
    return { workspace: this.summary(), definition: this.cluster.definition };
  }

  async validateDefinition(definition: ClusterDefinition): Promise<ValidationIssue[]> {
    const { definition: parsed, issues } = parseDefinition(definition);
    if (!parsed) return issues;
    // While the cluster runs, its own nodes hold the ports: checking them would only find ourselves.
    if (this.cluster.isRunning) return issues;
    return [...issues, ...(await checkPortsFree(parsed))];
  }

  async saveDefinition(definition: ClusterDefinition): Promise<ValidationIssue[]> {
    if (this.cluster.isRunning) throw new UserError('Stop the cluster before changing its nodes.');
    const { definition: parsed, issues } = parseDefinition(definition);
    if (!parsed || hasErrors(issues)) return issues;
    await saveDefinition(this.cluster.paths.root, parsed);
    if (this.cluster instanceof Supervisor) this.cluster.setDefinition(parsed);
    return checkRules(parsed);
  }

  // ---- the cluster ----------------------------------------------------------------------------

  async startCluster(): Promise<void> {
    const cluster = this.cluster;
    if (!(cluster instanceof Supervisor)) {
      throw new UserError(`This cluster is already running under another raftdesk; stop it here or with \`${cli(`down ${cluster.paths.root}`)}\`.`);
    }
    this.control = await serveControl(cluster.paths.root, supervisorHandlers(cluster, () => this.stopCluster()));
    try {
      await cluster.start();
    } catch (e) {
      await this.control.close();
      this.control = null;
      throw e;
    }
    await this.openConnection();
    this.restartFollowing();
  }

  async stopCluster(): Promise<void> {
    await this.experiments.cancel();
    this.closeConnection();
    // A remote cluster's onGone hands the workspace back to this process once it has stopped.
    await this.cluster.stop();
    await this.control?.close();
    this.control = null;
  }

  nodeAction(node: string, action: NodeAction): Promise<void> {
    return this.requireRunning().nodeAction(node, action);
  }

  applyFault(fault: Fault): Promise<void> {
    return this.requireRunning().applyFault(fault);
  }

  healAll(): Promise<void> {
    return this.requireRunning().healAll();
  }

  setSlowMotion(factor: number): Promise<void> {
    return this.requireRunning().setSlowMotion(factor);
  }

  dropMessages(from: string, to: string, count: number): Promise<void> {
    return this.requireRunning().dropMessages(from, to, count);
  }

  addNode(request: AddMemberRequest): Promise<MemberChangeResult> {
    return this.requireRunning().addMember(request);
  }

  removeNode(node: string): Promise<MemberChangeResult> {
    return this.requireRunning().removeMember(node);
  }

  promoteNode(node: string): Promise<MemberChangeResult> {
    return this.requireRunning().promoteMember(node);
  }

  transferLeader(node: string | null): Promise<{ leader: string; term: number }> {
    return this.requireRunning().transferLeader(node);
  }

  // ---- clients --------------------------------------------------------------------------------

  private async outcome<T>(op: (kv: KvClient) => Promise<T>): Promise<T | { ok: false; code: ClientError['code']; error: string }> {
    if (!this.cluster.isRunning || !this.kv) return { ok: false, code: 'unavailable', error: 'The cluster is not running; press Start first.' };
    try {
      return await op(this.kv);
    } catch (e) {
      if (e instanceof ClientError) return { ok: false, code: e.code, error: e.message };
      throw e;
    }
  }

  async submitEntry(text: string): Promise<WriteOutcome> {
    return this.recorded('submit', '', text, () => this.outcome(async (kv) => ({ ok: true as const, ...(await kv.submit(text)) })));
  }

  async putKey(key: string, value: string): Promise<WriteOutcome> {
    return this.recorded('write', key, value, () => this.outcome(async (kv) => ({ ok: true as const, ...(await kv.put(key, value)) })));
  }

  async getKey(key: string, consistency?: ReadConsistency): Promise<ReadOutcome> {
    return this.recorded('read', key, '', () => this.outcome(async (kv) => ({ ok: true as const, ...(await kv.get(key, { consistency })) })));
  }

  /**
   * Runs a client operation and puts it into the run's recording (process 0: the console): ok,
   * fail when it certainly did not happen, info when it may have (no answer in time, nodes out of
   * reach, a node's internal error). Nothing is recorded while the cluster is not running.
   */
  private async recorded<T extends { ok: true; value?: string | null } | ClientFailure>(f: string, key: string, value: string, run: () => Promise<T>): Promise<T> {
    const running = this.cluster.isRunning;
    const startAt = Date.now();
    const result = await run();
    if (running) {
      const outcome = result.ok ? 'ok' : MAY_HAVE_HAPPENED.has(result.code) ? 'info' : 'fail';
      const shown = f === 'read' && result.ok ? (result.value ?? '(absent)') : value;
      this.cluster.recordClientOp({ process: 0, f, key, value: shown, outcome, startAt, endAt: Date.now() });
    }
    return result;
  }

  // ---- looking inside -------------------------------------------------------------------------

  readLogs(limit: number, fromIndex?: number): Promise<NodeLogView[]> {
    return this.cluster.readLogs(Math.max(1, Math.min(limit, 500)), fromIndex);
  }

  readNodeOutput(node: string, lines: number): Promise<string[]> {
    return this.cluster.nodeOutput(node, Math.max(1, Math.min(lines, 2000)));
  }

  async recentEvents(limit: number): Promise<ClusterEvent[]> {
    return await this.cluster.recentEvents(limit);
  }

  // ---- recorded runs (read from the workspace's files, whoever runs the cluster) ----------------

  async listRuns(): Promise<RunList> {
    const runs = await listRuns(this.cluster.paths.runs, this.experimentsDir());
    return { runs, traceMaxMb: this.cluster.definition.defaults.traceMaxMb ?? DEFAULT_TRACE_MAX_MB, tracesBytes: await tracesBytes(this.cluster.paths.runs) };
  }

  openRun(id: string): Promise<RunTrace> {
    return readRunForReplay(this.cluster.paths.runs, this.experimentsDir(), id);
  }

  readRunMessages(id: string, from: number, to: number, limit: number): Promise<TraceMessages> {
    return readRunMessages(this.cluster.paths.runs, id, from, to, Math.max(1, Math.min(limit, MAX_REPLAY_MESSAGES)));
  }

  private experimentsDir(): string {
    return path.join(this.cluster.paths.root, 'experiments');
  }

  onState(listener: (state: ClusterState) => void): Unsubscribe {
    return this.state.add(listener);
  }

  onEvent(listener: (event: ClusterEvent) => void): Unsubscribe {
    return this.events.add(listener);
  }

  onMetrics(listener: (sample: MetricsSample) => void): Unsubscribe {
    return this.metrics.add(listener);
  }

  onNodeOutput(listener: (node: string, lines: string[]) => void): Unsubscribe {
    const off = this.output.add(listener);
    if (this.output.size === 1) this.restartFollowing();
    return () => {
      off();
      if (this.output.size === 0) this.stopAllFollowing();
    };
  }

  async subscribeMessages(): Promise<void> {
    this.stopMessages ??= this.cluster.onMessages((batch) => this.messages.emit(batch));
  }

  async unsubscribeMessages(): Promise<void> {
    this.stopMessages?.();
    this.stopMessages = null;
  }

  onMessages(listener: (batch: MessageBatch) => void): Unsubscribe {
    return this.messages.add(listener);
  }

  private stopAllFollowing(): void {
    for (const stop of this.stopFollowing) stop();
    this.stopFollowing = [];
  }

  private restartFollowing(): void {
    this.stopAllFollowing();
    if (this.output.size === 0) return;
    const paths = workspacePaths(this.cluster.paths.root);
    for (const n of this.cluster.definition.nodes) this.stopFollowing.push(followFile(paths.nodeLog(n.id), (lines) => this.output.emit(n.id, lines)));
  }

  // ---- experiments ----------------------------------------------------------------------------

  runExperiment(options: ExperimentOptions): Promise<ExperimentReport> {
    return this.experiments.run(options);
  }

  cancelExperiment(): Promise<void> {
    return this.experiments.cancel();
  }

  onExperimentProgress(listener: (progress: ExperimentProgress) => void): Unsubscribe {
    return this.experiments.onProgress(listener);
  }

  async close(): Promise<void> {
    this.stopAllFollowing();
    this.stopMessages?.();
    for (const off of this.detachCluster) off();
    if (this.cluster instanceof RemoteCluster) {
      // Not ours: leave it running for the process that started it.
      this.cluster.close();
      this.closeConnection();
      return;
    }
    await this.stopCluster();
  }
}
