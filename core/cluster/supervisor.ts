// The ClusterSupervisor: runs a cluster in this process and is what the console, the CLI and the
// control socket drive. It wires together the parts that each do one job: the node processes'
// lifecycle (node-lifecycle.ts), the faults in force (cluster-faults.ts), the event history
// (event-log.ts), the per-second metrics (cluster-metrics.ts), questions to the nodes matched to
// their answers (node-requests.ts) and the state snapshot (cluster-state-view.ts).

import type { ClusterDefinition } from '../api/cluster-definition.js';
import type { ClusterEvent, ClusterState, MetricsSample, NodeLogView, StateDigest } from '../api/cluster-state.js';
import type { TraceClientOp } from '../api/traces.js';
import type { Fault, NodeAction } from '../api/faults.js';
import type { Log } from '../api/log.js';
import type { Endpoint } from '../client/http2-pool.js';
import type { NodeToSupervisor } from '../node/ipc-protocol.js';
import type { Credentials } from '../pki/credentials.js';
import { loadClientCredentials } from '../pki/credentials.js';
import { ensureWorkspacePki } from '../pki/workspace-pki.js';
import type { ClusterHandle } from './cluster-handle.js';
import { ClusterAlarms } from './cluster-alarms.js';
import { ClusterFaults } from './cluster-faults.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { clusterState } from './cluster-state-view.js';
import { checkRules, clientUrl, hasErrors } from '../workspace/definition.js';
import { EventLog } from './event-log.js';
import { describeFault } from './fault-model.js';
import type { MessageBatch } from '../api/messages.js';
import { MessageStream, nodesDownOf } from './message-stream.js';
import { Listeners, type Listener } from './listeners.js';
import { killLeftoverNodes } from './leftover-nodes.js';
import { lastLines } from './log-tail.js';
import { NodeLifecycle } from './node-lifecycle.js';
import { NodeRequests } from './node-requests.js';
import { MemberChanges } from './member-changes.js';
import type { AddMemberRequest, CatchUpProgress, MemberChangeResult, MemberInfo } from '../api/membership.js';
import { ClusterConnection, KvClient } from '../client/cluster-client.js';
import { workspacePaths } from '../workspace/paths.js';
import { checkPortsFree } from './port-check.js';
import { RunRecording } from './run-recording.js';
import { DEFAULT_TRACE_MAX_MB } from '../workspace/definition.js';
import { UserError, describeIssues } from '../workspace/user-error.js';
import { loadDefinition, saveDefinition } from '../workspace/workspace.js';

const STATE_INTERVAL_MS = 50;
/** How long a membership call to the leader may take (it answers once the change is applied). */
const MEMBER_CALL_MS = 15_000;
export const MAX_SLOW_MOTION = 100;
const MAX_DROP = 10_000;
const LOG_ANSWER_MS = 1500;
const DIGEST_ANSWER_MS = 5000;

export class Supervisor implements ClusterHandle {
  readonly remote = false;
  readonly paths: ReturnType<typeof workspacePaths>;
  private running = false;
  /** Every node's tick stretched this many times (1: normal speed); a node that (re)starts gets it too. */
  private slowMotion = 1;
  private readonly stateListeners = new Listeners<ClusterState>();
  /** One stream of the nodes' messages for every listener in this process (the console, the run's recording). */
  private readonly messages = new MessageStream(() => this);
  private stateTimer: NodeJS.Timeout | null = null;
  private readonly events: EventLog;
  private readonly nodes: NodeLifecycle;
  private readonly faults: ClusterFaults;
  private readonly metrics: ClusterMetrics;
  private readonly requests = new NodeRequests();
  /** This run's trace in DIR/runs/ (null while stopped, or with defaults.traceMaxMb 0). */
  private recording: RunRecording | null = null;
  private readonly members: MemberChanges;
  private readonly alarms = new ClusterAlarms((message) => {
    for (const node of this.nodes.all()) node.send({ type: 'cluster-alarm', message });
  });

  private constructor(
    readonly workspace: string,
    public definition: ClusterDefinition,
    log: Log,
  ) {
    this.paths = workspacePaths(workspace);
    const changed = () => this.scheduleState();
    this.events = new EventLog(log, changed);
    this.nodes = new NodeLifecycle(this.paths, this.events, {
      onMessage: (id, m) => this.onNodeMessage(id, m),
      onExit: (id) => {
        this.metrics.forgetNode(id);
        this.alarms.set(id, null);
        this.cancelDropsToward(id);
      },
      onChange: changed,
    });
    this.faults = new ClusterFaults(() => this.nodes.ids());
    this.metrics = new ClusterMetrics({ nodes: () => this.nodes.all(), nodeIds: () => this.nodes.ids() }, changed);
    this.nodes.reset(definition);
    this.members = new MemberChanges({
      paths: this.paths,
      events: this.events,
      definition: () => this.definition,
      commitDefinition: async (next) => {
        await saveDefinition(this.workspace, next);
        this.definition = next;
        this.scheduleState();
      },
      ensureCertificates: (next) => ensureWorkspacePki(this.paths.pki, next.nodes.map((n) => ({ id: n.id, host: n.host }))),
      registerNode: (id) => this.nodes.add(id),
      startNode: async (id) => {
        await this.nodes.start(id);
        this.faults.sendTo(this.nodes.get(id));
      },
      forgetNode: (id) => this.nodes.remove(id),
      pushMembers: () => {
        for (const node of this.nodes.all()) node.send({ type: 'members', nodes: this.definition.nodes });
      },
      state: () => this.state(),
      withClient: async (fn) => {
        const connection = new ClusterConnection({ endpoints: this.endpoints(), credentials: await this.clientCredentials(), timeoutMs: MEMBER_CALL_MS });
        try {
          return await fn(new KvClient(connection, { sessions: false }));
        } finally {
          connection.close();
        }
      },
    });
  }

  static async open(workspace: string, log: Log = () => undefined): Promise<Supervisor> {
    const { definition } = await loadDefinition(workspace);
    return new Supervisor(workspace, definition, log);
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Replaces the definition (only while stopped). */
  setDefinition(definition: ClusterDefinition): void {
    if (this.running) throw new UserError('Stop the cluster before changing its nodes.');
    this.definition = definition;
    this.nodes.reset(definition);
    this.faults.heal();
    this.scheduleState();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.running) throw new UserError('The cluster is already running.');
    const leftovers = await killLeftoverNodes(this.paths.root, this.nodes.ids());
    if (leftovers.length > 0) this.events.add('error', null, `Killed node processes left by a supervisor that died: ${leftovers.join(', ')}`, {});
    const issues = [...checkRules(this.definition), ...(await checkPortsFree(this.definition))];
    if (hasErrors(issues)) throw new UserError(describeIssues(issues), issues);
    await ensureWorkspacePki(this.paths.pki, this.definition.nodes.map((n) => ({ id: n.id, host: n.host })));
    this.running = true;
    this.faults.heal();
    this.metrics.start();
    await this.startRecording();
    try {
      await this.nodes.startAll();
    } catch (e) {
      await this.stop();
      throw e;
    }
    this.events.add('cluster-started', null, `Started ${this.nodes.size} nodes`, {});
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    await this.nodes.stopAll();
    this.running = false;
    this.slowMotion = 1;
    this.metrics.stop();
    this.events.add('cluster-stopped', null, 'Stopped every node', {});
    const recording = this.recording;
    this.recording = null;
    await recording?.stop();
  }

  /** Where this run is being recorded, if it is. */
  get recordingDir(): string | null {
    return this.recording?.runDir ?? null;
  }

  private async startRecording(): Promise<void> {
    const maxMb = this.definition.defaults.traceMaxMb ?? DEFAULT_TRACE_MAX_MB;
    const sentence = (message: string) => this.events.add('error', null, message, {});
    try {
      this.recording = await RunRecording.start(this.paths.runs, this.definition.name, maxMb * 1024 * 1024, {
        onState: (l) => this.onState(l),
        onEvent: (l) => this.onEvent(l),
        onMetrics: (l) => this.onMetrics(l),
        onMessages: (l) => this.onMessages(l),
        readLogs: (limit) => this.readLogs(limit),
        state: () => this.state(),
      }, sentence);
    } catch (error) {
      // Recording is for looking back; a cluster that cannot record still runs.
      sentence(`This run is not recorded: ${error instanceof Error ? error.message : String(error)}.`);
    }
  }

  async nodeAction(id: string, action: NodeAction): Promise<void> {
    if (!this.running) throw new UserError('The cluster is not running; start it first.');
    await this.nodes.action(id, action);
  }

  // ---- membership (see member-changes.ts) -----------------------------------------------------

  listMembers(): Promise<MemberInfo[]> {
    this.requireRunning('list its members');
    return this.members.list();
  }

  /** Adds a node; resolves once it is a voter (or a learner, if asked). */
  addMember(request: AddMemberRequest, onProgress?: (progress: CatchUpProgress) => void): Promise<MemberChangeResult> {
    this.requireRunning('add a node');
    return this.members.add(request, (p) => {
      this.events.add('member', p.id, `${p.id} caught up to index ${p.match} of ${p.target}`, { match: p.match, target: p.target });
      onProgress?.(p);
    });
  }

  promoteMember(id: string): Promise<MemberChangeResult> {
    this.requireRunning('promote a learner');
    return this.members.promote(id);
  }

  removeMember(id: string): Promise<MemberChangeResult> {
    this.requireRunning('remove a node');
    return this.members.remove(id);
  }

  /** Moves leadership to `to` (or the most up-to-date follower); resolves once the new leader leads. */
  async transferLeader(to: string | null): Promise<{ leader: string; term: number }> {
    this.requireRunning('move its leader');
    const moved = await this.members.withClient((kv) => kv.transferLeadership(to));
    const id = await this.waitForLeader(MEMBER_CALL_MS);
    return { leader: id, term: moved.term };
  }

  private requireRunning(what: string): void {
    if (!this.running) throw new UserError(`Start the cluster to ${what}; while it is stopped, its nodes are edited in cluster.json.`);
  }

  // ---- faults ---------------------------------------------------------------------------------

  async applyFault(fault: Fault): Promise<void> {
    this.faults.apply(fault);
    this.pushFaults();
    this.events.add('fault', 'node' in fault ? fault.node : null, describeFault(fault), { kind: fault.kind });
  }

  /** Slow motion: every node's tick interval stretched `factor` times (1: back to normal). */
  async setSlowMotion(factor: number): Promise<void> {
    if (!Number.isInteger(factor) || factor < 1 || factor > MAX_SLOW_MOTION) throw new UserError(`Slow motion takes a whole factor from 1 (normal speed) to ${MAX_SLOW_MOTION}, not ${factor}.`);
    this.requireRunning('slow it down');
    if (factor === this.slowMotion) return;
    this.slowMotion = factor;
    for (const node of this.nodes.all()) node.send({ type: 'slow-motion', factor });
    this.events.add('fault', null, factor === 1 ? 'Back to normal speed' : `Slow motion: every node runs ${factor}× slower (ticks stretched)`, { kind: 'slow-motion', factor });
    this.scheduleState();
  }

  /** A one-shot fault: `from` drops the next `count` messages it sends to `to` (0 cancels). */
  async dropMessages(from: string, to: string, count: number): Promise<void> {
    this.requireRunning('drop messages');
    const ids = this.definition.nodes.map((n) => n.id);
    for (const id of [from, to]) if (!ids.includes(id)) throw new UserError(`There is no node "${id}"; the nodes are ${ids.join(', ')}.`);
    if (from === to) throw new UserError('A node sends no messages to itself; pick two different nodes.');
    if (!Number.isInteger(count) || count < 0 || count > MAX_DROP) throw new UserError(`Drop a whole number of messages from 0 to ${MAX_DROP}, not ${count}.`);
    const sender = this.nodes.get(from);
    if (!sender.running) throw new UserError(`${from} is not running, so it sends nothing to drop; start it first.`);
    if (count > 0 && !this.nodes.get(to).running) throw new UserError(`${to} is not running, so every message to it is lost anyway; start it first.`);
    sender.send({ type: 'drop-next', to, count });
    this.events.add('fault', from, count === 0 ? `${from} no longer drops messages to ${to}` : `${from} drops the next ${count} message${count === 1 ? '' : 's'} to ${to}`, { kind: 'drop-next', to, count });
  }

  /**
   * A one-shot drop aims at messages that would otherwise arrive. Once its receiver stops, nothing
   * to it arrives anyway: a leader would spend the drop on heartbeats that were lost regardless, a
   * follower (which sends nothing to another follower) would keep it armed forever, and either way
   * it would fire at a surprising moment after the receiver came back. So the receiver stopping
   * (stop, kill or crash) cancels every drop toward it, and the timeline says so.
   */
  private cancelDropsToward(id: string): void {
    for (const node of this.nodes.all()) {
      if (node.id === id || !node.running) continue;
      node.send({ type: 'clear-drops', to: id });
      const left = node.report?.dropNext?.[id] ?? 0;
      if (left > 0) this.events.add('fault', node.id, `${node.id} no longer drops messages to ${id}: ${id} stopped`, { kind: 'drop-next', to: id, count: 0 });
    }
  }

  async healAll(): Promise<void> {
    this.faults.heal();
    for (const node of this.nodes.all()) node.send({ type: 'clear-drops' });
    this.pushFaults();
    this.nodes.resumeAll();
    this.events.add('heal', null, 'Healed every link and resumed paused nodes', {});
  }

  private pushFaults(): void {
    for (const node of this.nodes.all()) this.faults.sendTo(node);
    this.scheduleState();
  }

  // ---- node messages --------------------------------------------------------------------------

  private onNodeMessage(id: string, message: NodeToSupervisor): void {
    const node = this.nodes.get(id);
    switch (message.type) {
      case 'ready':
        this.nodes.ready(id);
        this.faults.sendTo(node);
        node.send({ type: 'cluster-alarm', message: this.alarms.combined() });
        if (this.slowMotion !== 1) node.send({ type: 'slow-motion', factor: this.slowMotion });
        this.events.add('node-started', id, `${id} started (pid ${message.pid})`, { pid: message.pid });
        break;
      case 'report':
        node.report = message.report;
        node.lastReport = message.report;
        this.metrics.addLatencies(message.report.writeLatenciesMs);
        this.scheduleState();
        break;
      case 'event':
        this.events.add(message.kind, id, message.message, message.details, message.term);
        break;
      case 'log-view':
        this.requests.answer(message.requestId, message.view);
        break;
      case 'state-digest':
        this.requests.answer(message.requestId, message);
        break;
      case 'alarm':
        if (this.alarms.set(id, message.message)) {
          this.events.add(message.message ? 'error' : 'heal', id, message.message ?? `${id} has enough disk space again; writes are accepted`, {});
        }
        this.scheduleState();
        break;
      case 'fatal':
        this.nodes.failed(id, message.message);
        this.events.add('error', id, message.message, {});
        break;
    }
  }

  // ---- what the console and CLI see -----------------------------------------------------------

  /** Puts an experiment's start or verdict on the timeline, beside the faults it causes. */
  noteExperiment(message: string, details: ClusterEvent['details'] = {}): void {
    this.events.add('experiment', null, message, details);
  }

  /** A client operation made through the console, for the run's recording (none when not recording). */
  recordClientOp(op: TraceClientOp): void {
    this.recording?.recordOp(op);
  }

  /** Samples taken after `sinceAt` (epoch ms). */
  recentMetrics(sinceAt: number): MetricsSample[] {
    return this.metrics.recent(sinceAt);
  }

  recentEvents(limit: number): ClusterEvent[] {
    return this.events.recent(limit);
  }

  state(): ClusterState {
    return clusterState({ workspace: this.paths.root, definition: this.definition, running: this.running, nodes: this.nodes, faults: this.faults, metrics: this.metrics, alarmOf: (id) => this.alarms.of(id), slowMotion: this.slowMotion });
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

  readLogs(limit: number, fromIndex?: number): Promise<NodeLogView[]> {
    return this.requests.askEach<NodeLogView, NodeLogView>(this.definitionNodes(), {
      timeoutMs: LOG_ANSWER_MS,
      request: (requestId) => ({ type: 'read-log', requestId, limit, fromIndex }),
      answered: (_node, view) => view,
      unavailable: (node, why) => ({ id: node.id, firstIndex: 0, lastIndex: 0, commitIndex: 0, appliedIndex: 0, entries: [], unavailable: why }),
    });
  }

  /** Every node's state-machine fingerprint (ask an idle cluster, so that they are comparable). */
  stateDigests(): Promise<StateDigest[]> {
    return this.requests.askEach<{ appliedIndex: number; digest: string }, StateDigest>(this.definitionNodes(), {
      timeoutMs: DIGEST_ANSWER_MS,
      request: (requestId) => ({ type: 'state-digest', requestId }),
      answered: (node, d) => ({ id: node.id, appliedIndex: d.appliedIndex, digest: d.digest, unavailable: null }),
      unavailable: (node, why) => ({ id: node.id, appliedIndex: 0, digest: null, unavailable: why }),
    });
  }

  nodeOutput(id: string, lines: number): Promise<string[]> {
    this.nodes.get(id);
    return lastLines(this.paths.nodeLog(id), lines);
  }

  endpoints(): Endpoint[] {
    return this.definition.nodes.map((n) => ({ id: n.id, url: clientUrl(n) }));
  }

  nodesDown(): ReadonlySet<string> {
    return nodesDownOf(this.nodes.all());
  }

  clientCredentials(): Promise<Credentials> {
    return loadClientCredentials(this.paths.pki);
  }

  onState(listener: Listener<ClusterState>): () => void {
    return this.stateListeners.add(listener);
  }

  onEvent(listener: Listener<ClusterEvent>): () => void {
    return this.events.listeners.add(listener);
  }

  onMetrics(listener: Listener<MetricsSample>): () => void {
    return this.metrics.listeners.add(listener);
  }

  /** The definition's nodes in its order. */
  private definitionNodes() {
    return this.definition.nodes.map((def) => this.nodes.get(def.id));
  }

  private scheduleState(): void {
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      if (this.stateListeners.size === 0) return;
      this.stateListeners.emit(this.state());
    }, STATE_INTERVAL_MS);
  }

  onMessages(listener: Listener<MessageBatch>): () => void {
    return this.messages.subscribe(listener);
  }

}
