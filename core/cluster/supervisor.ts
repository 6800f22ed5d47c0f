// The ClusterSupervisor: starts one process per node, applies faults, aggregates what the nodes
// report into ClusterState snapshots, keeps the event history, and never leaves a node behind.

import type { ClusterDefinition } from '../api/cluster-definition.js';
import type { ClusterEvent, ClusterEventKind, ClusterState, LinkView, MetricsSample, NodeLogView, NodeStatus, StateDigest } from '../api/cluster-state.js';
import type { Fault, NodeAction } from '../api/faults.js';
import type { Endpoint } from '../client/http2-pool.js';
import type { NodeReport, NodeToSupervisor } from '../node/ipc-protocol.js';
import type { Credentials } from '../pki/workspace-pki.js';
import { ensureWorkspacePki, loadClientCredentials } from '../pki/workspace-pki.js';
import type { ClusterHandle } from './cluster-handle.js';
import { checkRules, hasErrors } from './definition.js';
import { FaultModel, describeFault } from './fault-model.js';
import { lastLines } from './log-tail.js';
import { NodeProcess } from './node-process.js';
import { workspacePaths } from './paths.js';
import { checkPortsFree } from './port-check.js';
import { UserError, describeIssues, loadDefinition } from './workspace.js';

export type LogFn = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

const STATE_INTERVAL_MS = 50;
const MAX_EVENTS = 5000;
const START_TIMEOUT_MS = 30_000;

type Listener<T> = (value: T) => void;

export class Supervisor implements ClusterHandle {
  readonly remote = false;
  readonly paths: ReturnType<typeof workspacePaths>;
  /** The last few minutes of per-second samples, for consoles attached through the control socket. */
  private readonly metricsHistory: MetricsSample[] = [];
  private readonly nodes = new Map<string, NodeProcess>();
  private faults = FaultModel.healthy();
  private events: ClusterEvent[] = [];
  private seq = 0;
  private running = false;
  private readonly stateListeners = new Set<Listener<ClusterState>>();
  private readonly eventListeners = new Set<Listener<ClusterEvent>>();
  private readonly metricsListeners = new Set<Listener<MetricsSample>>();
  private stateTimer: NodeJS.Timeout | null = null;
  private metricsTimer: NodeJS.Timeout | null = null;
  private readonly readyWaiters = new Map<string, { resolve(): void; reject(e: Error): void }>();
  private readonly logRequests = new Map<number, (view: NodeLogView) => void>();
  private readonly digestRequests = new Map<number, (digest: { appliedIndex: number; digest: string }) => void>();
  private nextRequestId = 1;
  // Per-second figures.
  private lastCommit = 0;
  private latencyWindow: number[] = [];
  private prevSent = new Map<string, Record<string, number>>();
  private linkRates = new Map<string, number>();
  /** Each node's last report, kept across its exits so that a down node shows its last known indexes. */
  private readonly lastReports = new Map<string, NodeReport>();
  private readonly killAllOnExit = () => {
    for (const n of this.nodes.values()) n.killNow();
  };

  private constructor(
    readonly workspace: string,
    public definition: ClusterDefinition,
    private readonly log: LogFn,
  ) {
    this.paths = workspacePaths(workspace);
    this.resetNodes();
  }

  static async open(workspace: string, log: LogFn = () => undefined): Promise<Supervisor> {
    const { definition } = await loadDefinition(workspace);
    return new Supervisor(workspace, definition, log);
  }

  get isRunning(): boolean {
    return this.running;
  }

  private nodeIds(): string[] {
    return this.definition.nodes.map((n) => n.id);
  }

  private resetNodes(): void {
    this.nodes.clear();
    for (const n of this.definition.nodes) this.nodes.set(n.id, new NodeProcess(n.id, this.paths.root, this.paths.nodeLog(n.id)));
  }

  /** Replaces the definition (only while stopped). */
  setDefinition(definition: ClusterDefinition): void {
    if (this.running) throw new UserError('Stop the cluster before changing its nodes.');
    this.definition = definition;
    this.resetNodes();
    this.faults = FaultModel.healthy();
    this.scheduleState();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.running) throw new UserError('The cluster is already running.');
    const issues = [...checkRules(this.definition), ...(await checkPortsFree(this.definition))];
    if (hasErrors(issues)) throw new UserError(describeIssues(issues), issues);
    await ensureWorkspacePki(this.paths.pki, this.definition.nodes.map((n) => ({ id: n.id, host: n.host })));
    process.on('exit', this.killAllOnExit);
    this.running = true;
    this.faults = FaultModel.healthy();
    this.lastCommit = 0;
    this.metricsTimer = setInterval(() => this.sampleMetrics(), 1000);
    try {
      await Promise.all(this.nodeIds().map((id) => this.startNode(id)));
    } catch (e) {
      await this.stop();
      throw e;
    }
    this.addEvent('cluster-started', null, `Started ${this.nodes.size} nodes`, {});
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    await Promise.all([...this.nodes.values()].map((n) => n.stop()));
    this.running = false;
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    this.metricsTimer = null;
    process.off('exit', this.killAllOnExit);
    this.addEvent('cluster-stopped', null, 'Stopped every node', {});
  }

  private node(id: string): NodeProcess {
    const n = this.nodes.get(id);
    if (!n) throw new UserError(`There is no node "${id}"; the nodes are ${this.nodeIds().join(', ')}.`);
    return n;
  }

  private startNode(id: string): Promise<void> {
    const node = this.node(id);
    if (node.running) return Promise.resolve();
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters.delete(id);
        reject(new UserError(`${id} did not start within ${START_TIMEOUT_MS / 1000} s; see ${this.paths.nodeLog(id)}.`));
      }, START_TIMEOUT_MS);
      this.readyWaiters.set(id, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
    node.start({
      onMessage: (m) => this.onNodeMessage(id, m),
      onExit: (code, signal) => this.onNodeExit(id, code, signal),
    });
    this.scheduleState();
    return ready;
  }

  async nodeAction(id: string, action: NodeAction): Promise<void> {
    if (!this.running) throw new UserError('The cluster is not running; start it first.');
    const node = this.node(id);
    switch (action) {
      case 'start':
        if (node.running) throw new UserError(`${id} is already running.`);
        await this.startNode(id);
        return;
      case 'stop':
        if (!node.running) throw new UserError(`${id} is not running.`);
        this.addEvent('fault', id, `Stopping ${id} (SIGTERM)`, { action });
        await node.stop();
        return;
      case 'restart':
        this.addEvent('fault', id, `Restarting ${id}`, { action });
        await node.stop();
        await this.startNode(id);
        return;
      case 'kill':
        if (!node.running) throw new UserError(`${id} is not running.`);
        this.addEvent('fault', id, `Killed ${id} (SIGKILL)`, { action, pid: node.pid });
        await node.kill();
        return;
      case 'pause':
        if (!node.running) throw new UserError(`${id} is not running.`);
        node.pause();
        this.addEvent('fault', id, `Paused ${id} (SIGSTOP)`, { action, pid: node.pid });
        this.scheduleState();
        return;
      case 'resume':
        if (node.state !== 'paused') throw new UserError(`${id} is not paused.`);
        node.resume();
        this.addEvent('fault', id, `Resumed ${id} (SIGCONT)`, { action, pid: node.pid });
        this.scheduleState();
        return;
    }
  }

  async applyFault(fault: Fault): Promise<void> {
    try {
      this.faults = this.faults.apply(fault, this.nodeIds());
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    this.pushFaults();
    this.addEvent('fault', 'node' in fault ? fault.node : null, describeFault(fault), { kind: fault.kind });
  }

  async healAll(): Promise<void> {
    this.faults = FaultModel.healthy();
    this.pushFaults();
    for (const node of this.nodes.values()) if (node.state === 'paused') node.resume();
    this.addEvent('heal', null, 'Healed every link and resumed paused nodes', {});
  }

  private pushFaults(): void {
    for (const node of this.nodes.values()) node.send({ type: 'set-faults', faults: this.faults.nodeFaults(node.id, this.nodeIds()) });
    this.scheduleState();
  }

  // ---- node messages --------------------------------------------------------------------------

  private onNodeMessage(id: string, message: NodeToSupervisor): void {
    const node = this.node(id);
    switch (message.type) {
      case 'ready':
        if (node.state === 'starting') node.state = 'running';
        node.send({ type: 'set-faults', faults: this.faults.nodeFaults(id, this.nodeIds()) });
        this.addEvent('node-started', id, `${id} started (pid ${message.pid})`, { pid: message.pid });
        this.readyWaiters.get(id)?.resolve();
        this.readyWaiters.delete(id);
        break;
      case 'report':
        node.report = message.report;
        this.lastReports.set(id, message.report);
        this.latencyWindow.push(...message.report.writeLatenciesMs);
        this.scheduleState();
        break;
      case 'event':
        this.addEvent(message.kind, id, message.message, message.details, message.term);
        break;
      case 'log-view':
        this.logRequests.get(message.requestId)?.(message.view);
        this.logRequests.delete(message.requestId);
        break;
      case 'state-digest':
        this.digestRequests.get(message.requestId)?.(message);
        this.digestRequests.delete(message.requestId);
        break;
      case 'fatal':
        node.lastError = message.message;
        this.addEvent('error', id, message.message, {});
        this.readyWaiters.get(id)?.reject(new UserError(message.message));
        this.readyWaiters.delete(id);
        break;
    }
  }

  private onNodeExit(id: string, code: number | null, signal: NodeJS.Signals | null): void {
    const node = this.node(id);
    const how = node.state === 'killed' ? 'was killed (SIGKILL)' : node.state === 'stopped' ? 'stopped' : `crashed (${signal ?? `exit code ${code}`})`;
    this.addEvent('node-exited', id, `${id} ${how}`, { code, signal });
    const waiter = this.readyWaiters.get(id);
    if (waiter) {
      waiter.reject(new UserError(node.lastError ?? `${id} exited while starting (${signal ?? `exit code ${code}`}); see ${this.paths.nodeLog(id)}.`));
      this.readyWaiters.delete(id);
    }
    this.prevSent.delete(id);
    this.scheduleState();
  }

  // ---- what the console and CLI see -----------------------------------------------------------

  private addEvent(kind: ClusterEventKind, node: string | null, message: string, details: ClusterEvent['details'], term: number | null = null): void {
    const event: ClusterEvent = { seq: ++this.seq, at: Date.now(), kind, node, term, message, details };
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.log(kind === 'error' ? 'error' : 'info', message, { kind, node, term });
    for (const l of this.eventListeners) l(event);
    this.scheduleState();
  }

  /** Puts an experiment's start or verdict on the timeline, beside the faults it causes. */
  noteExperiment(message: string, details: ClusterEvent['details'] = {}): void {
    this.addEvent('experiment', null, message, details);
  }

  /** Samples taken after `sinceAt` (epoch ms). */
  recentMetrics(sinceAt: number): MetricsSample[] {
    return this.metricsHistory.filter((m) => m.at > sinceAt);
  }

  recentEvents(limit: number): ClusterEvent[] {
    return this.events.slice(-limit);
  }

  state(): ClusterState {
    const nodes: NodeStatus[] = this.definition.nodes.map((def) => {
      const p = this.node(def.id);
      const alive = p.running;
      const r = alive ? p.report : null;
      // A down (or restarting, not yet reporting) node keeps its last known indexes, marked as such.
      const known = r ?? this.lastReports.get(def.id) ?? null;
      return {
        id: def.id,
        address: `${def.host}:${def.clientPort}`,
        peerAddress: `${def.host}:${def.peerPort}`,
        state: p.state,
        pid: p.pid,
        startedAt: p.startedAt,
        lastKnown: r === null && known !== null,
        role: r?.role ?? null,
        term: known?.term ?? 0,
        leader: r?.leader ?? null,
        commitIndex: known?.commitIndex ?? 0,
        appliedIndex: known?.appliedIndex ?? 0,
        lastIndex: known?.lastIndex ?? 0,
        snapshotIndex: known?.snapshotIndex ?? 0,
        followers: r?.followers ?? null,
        faults: this.faults.nodeFaults(def.id, this.nodeIds()),
        lastError: p.lastError,
        rssBytes: r?.rssBytes ?? null,
      };
    });
    let leader: string | null = null;
    let term = 0;
    for (const n of nodes) {
      term = Math.max(term, n.term);
      if (n.role === 'leader' && n.state === 'running') {
        if (leader === null || n.term > (nodes.find((x) => x.id === leader)?.term ?? 0)) leader = n.id;
      }
    }
    const links: LinkView[] = [];
    for (const a of this.nodeIds()) for (const b of this.nodeIds()) {
      if (a === b) continue;
      links.push({ from: a, to: b, cut: this.faults.isCut(a, b), messagesPerSec: this.linkRates.get(`${a}→${b}`) ?? 0 });
    }
    return { workspace: this.paths.root, name: this.definition.name, running: this.running, leader, term, nodes, links, at: Date.now() };
  }

  /** Resolves with the leader's ID once a running node reports leading, or throws after timeoutMs. */
  waitForLeader(timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const leader = this.state().leader;
        if (!leader) return false;
        clearTimeout(timer);
        this.stateListeners.delete(listener);
        resolve(leader);
        return true;
      };
      const listener = () => void check();
      const timer = setTimeout(() => {
        this.stateListeners.delete(listener);
        reject(new UserError(`No leader was elected within ${timeoutMs} ms; check the node logs in ${this.paths.nodes}.`));
      }, timeoutMs);
      if (!check()) this.stateListeners.add(listener);
    });
  }

  async readLogs(limit: number, fromIndex?: number): Promise<NodeLogView[]> {
    return Promise.all(
      this.definition.nodes.map((def) => {
        const node = this.node(def.id);
        const empty = (why: string): NodeLogView => ({ id: def.id, firstIndex: 0, lastIndex: 0, commitIndex: 0, appliedIndex: 0, entries: [], unavailable: why });
        if (!node.running) return Promise.resolve(empty(`${def.id} is not running.`));
        if (node.state === 'paused') return Promise.resolve(empty(`${def.id} is paused.`));
        const requestId = this.nextRequestId++;
        return new Promise<NodeLogView>((resolve) => {
          const timer = setTimeout(() => {
            this.logRequests.delete(requestId);
            resolve(empty(`${def.id} did not answer in time.`));
          }, 1500);
          this.logRequests.set(requestId, (view) => {
            clearTimeout(timer);
            resolve(view);
          });
          node.send({ type: 'read-log', requestId, limit, fromIndex });
        });
      }),
    );
  }

  /** Every node's state-machine fingerprint (ask an idle cluster, so that they are comparable). */
  stateDigests(): Promise<StateDigest[]> {
    return Promise.all(
      this.definition.nodes.map((def) => {
        const node = this.node(def.id);
        const none = (why: string): StateDigest => ({ id: def.id, appliedIndex: 0, digest: null, unavailable: why });
        if (!node.running) return Promise.resolve(none(`${def.id} is not running.`));
        if (node.state === 'paused') return Promise.resolve(none(`${def.id} is paused.`));
        const requestId = this.nextRequestId++;
        return new Promise<StateDigest>((resolve) => {
          const timer = setTimeout(() => {
            this.digestRequests.delete(requestId);
            resolve(none(`${def.id} did not answer in time.`));
          }, 5000);
          this.digestRequests.set(requestId, (d) => {
            clearTimeout(timer);
            resolve({ id: def.id, appliedIndex: d.appliedIndex, digest: d.digest, unavailable: null });
          });
          node.send({ type: 'state-digest', requestId });
        });
      }),
    );
  }

  nodeOutput(id: string, lines: number): Promise<string[]> {
    this.node(id);
    return lastLines(this.paths.nodeLog(id), lines);
  }

  endpoints(): Endpoint[] {
    return this.definition.nodes.map((n) => ({ id: n.id, url: `https://${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.clientPort}` }));
  }

  clientCredentials(): Promise<Credentials> {
    return loadClientCredentials(this.paths.pki);
  }

  onState(listener: Listener<ClusterState>): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onEvent(listener: Listener<ClusterEvent>): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onMetrics(listener: Listener<MetricsSample>): () => void {
    this.metricsListeners.add(listener);
    return () => this.metricsListeners.delete(listener);
  }

  private scheduleState(): void {
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      if (this.stateListeners.size === 0) return;
      const state = this.state();
      for (const l of [...this.stateListeners]) l(state);
    }, STATE_INTERVAL_MS);
  }

  private sampleMetrics(): void {
    let commit = 0;
    for (const node of this.nodes.values()) if (node.running && node.report) commit = Math.max(commit, node.report.commitIndex);
    const commitsPerSec = this.lastCommit === 0 ? 0 : Math.max(0, commit - this.lastCommit);
    this.lastCommit = commit;
    const lat = this.latencyWindow.sort((a, b) => a - b);
    this.latencyWindow = [];
    const pct = (p: number) => (lat.length === 0 ? null : lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!);
    const sample: MetricsSample = { at: Date.now(), commitsPerSec, p50Ms: pct(0.5), p99Ms: pct(0.99) };
    // Link rates: messages sent per peer since the last sample.
    for (const node of this.nodes.values()) {
      const sent = node.running ? node.report?.sentTo : undefined;
      if (!sent) continue;
      const prev = this.prevSent.get(node.id);
      for (const [peer, count] of Object.entries(sent)) this.linkRates.set(`${node.id}→${peer}`, prev ? Math.max(0, count - (prev[peer] ?? 0)) : 0);
      this.prevSent.set(node.id, { ...sent });
    }
    for (const node of this.nodes.values()) if (!node.running) for (const peer of this.nodeIds()) this.linkRates.set(`${node.id}→${peer}`, 0);
    this.metricsHistory.push(sample);
    if (this.metricsHistory.length > 300) this.metricsHistory.shift();
    for (const l of this.metricsListeners) l(sample);
    this.scheduleState();
  }
}
