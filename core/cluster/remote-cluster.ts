// A cluster that another raftdesk process runs (`raftdesk up --detach`, another console), driven
// through its control socket. State and events are polled: the socket answers requests only, and
// a few requests a second cost nothing next to what the nodes do.

import type { ClusterDefinition } from '../api/cluster-definition.js';
import type { ClusterEvent, ClusterState, MetricsSample, NodeLogView, StateDigest } from '../api/cluster-state.js';
import type { TraceClientOp } from '../api/traces.js';
import type { Fault, NodeAction } from '../api/faults.js';
import type { AddMemberRequest, MemberChangeResult } from '../api/membership.js';
import type { Endpoint } from '../client/http2-pool.js';
import type { Credentials } from '../pki/credentials.js';
import { loadClientCredentials } from '../pki/credentials.js';
import type { ClusterHandle } from './cluster-handle.js';
import { NoSupervisorError, callControl } from './control.js';
import type { MessageBatch } from '../api/messages.js';
import { MessageStream, nodesDownOf } from './message-stream.js';
import { Listeners, type Listener } from './listeners.js';
import { lastLines } from './log-tail.js';
import { clientUrl } from '../workspace/definition.js';
import { workspacePaths } from '../workspace/paths.js';
import { loadDefinition } from '../workspace/workspace.js';

const POLL_MS = 100;
/** Adding a node waits for it to catch up, which on a long log takes a while. */
const MEMBER_CHANGE_MS = 10 * 60_000;
const EVENTS_EVERY = 5;

export class RemoteCluster implements ClusterHandle {
  readonly remote = true;
  readonly paths: ReturnType<typeof workspacePaths>;
  private latest: ClusterState;
  private lastEventSeq = 0;
  private lastMetricsAt = 0;
  private gone = false;
  private polls = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly stateListeners = new Listeners<ClusterState>();
  private readonly eventListeners = new Listeners<ClusterEvent>();
  private readonly metricsListeners = new Listeners<MetricsSample>();
  /** Read straight from the nodes' client ports: the control socket does not carry them. */
  private readonly messages = new MessageStream(() => this);
  private readonly goneListeners = new Listeners<void>();

  private constructor(
    readonly workspace: string,
    readonly definition: ClusterDefinition,
    first: ClusterState,
    events: ClusterEvent[],
  ) {
    this.paths = workspacePaths(workspace);
    this.latest = first;
    this.lastEventSeq = events.at(-1)?.seq ?? 0;
    this.timer = setInterval(() => void this.poll(), POLL_MS);
  }

  /** The cluster run elsewhere in this workspace, or null if no other raftdesk runs it. */
  static async connect(workspace: string): Promise<RemoteCluster | null> {
    let state: ClusterState;
    try {
      state = (await callControl(workspace, 'state', [], 2000)) as ClusterState;
    } catch (e) {
      if (e instanceof NoSupervisorError) return null;
      throw e;
    }
    const { definition } = await loadDefinition(workspace);
    const events = (await callControl(workspace, 'recentEvents', [500], 2000)) as ClusterEvent[];
    return new RemoteCluster(workspace, definition, state, events);
  }

  get isRunning(): boolean {
    return !this.gone && this.latest.running;
  }

  /** Called once the other process stops serving the cluster. */
  onGone(listener: () => void): () => void {
    return this.goneListeners.add(listener);
  }

  private async poll(): Promise<void> {
    if (this.gone) return;
    try {
      this.latest = (await callControl(this.workspace, 'state', [], 2000)) as ClusterState;
      this.stateListeners.emit(this.latest);
      if (this.polls++ % EVENTS_EVERY === 0) await this.pollHistory();
    } catch (e) {
      if (e instanceof NoSupervisorError) this.markGone();
    }
  }

  private async pollHistory(): Promise<void> {
    const events = (await callControl(this.workspace, 'recentEvents', [500], 2000)) as ClusterEvent[];
    for (const e of events) {
      if (e.seq <= this.lastEventSeq) continue;
      this.lastEventSeq = e.seq;
      this.eventListeners.emit(e);
    }
    const samples = (await callControl(this.workspace, 'recentMetrics', [this.lastMetricsAt], 2000)) as MetricsSample[];
    for (const s of samples) {
      this.lastMetricsAt = Math.max(this.lastMetricsAt, s.at);
      this.metricsListeners.emit(s);
    }
  }

  private markGone(): void {
    if (this.gone) return;
    this.gone = true;
    this.close();
    this.latest = { ...this.latest, running: false, leader: null, nodes: this.latest.nodes.map((n) => ({ ...n, state: 'stopped', pid: null, role: null, leader: null, lastKnown: true })) };
    this.stateListeners.emit(this.latest);
    this.goneListeners.emit();
  }

  close(): void {
    this.messages.close();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async stop(): Promise<void> {
    await callControl(this.workspace, 'stop', []);
    const deadline = Date.now() + 15_000;
    while (!this.gone && Date.now() < deadline) await this.poll().then(() => new Promise((r) => setTimeout(r, 100)));
    this.markGone();
  }

  state(): ClusterState {
    return this.latest;
  }

  async nodeAction(node: string, action: NodeAction): Promise<void> {
    await callControl(this.workspace, 'nodeAction', [node, action]);
  }

  async applyFault(fault: Fault): Promise<void> {
    await callControl(this.workspace, 'applyFault', [fault]);
  }

  async addMember(request: AddMemberRequest): Promise<MemberChangeResult> {
    return (await callControl(this.workspace, 'addMember', [request], MEMBER_CHANGE_MS)) as MemberChangeResult;
  }

  async removeMember(node: string): Promise<MemberChangeResult> {
    return (await callControl(this.workspace, 'removeMember', [node], MEMBER_CHANGE_MS)) as MemberChangeResult;
  }

  async promoteMember(node: string): Promise<MemberChangeResult> {
    return (await callControl(this.workspace, 'promoteMember', [node], MEMBER_CHANGE_MS)) as MemberChangeResult;
  }

  async transferLeader(node: string | null): Promise<{ leader: string; term: number }> {
    return (await callControl(this.workspace, 'transferLeader', [node], MEMBER_CHANGE_MS)) as { leader: string; term: number };
  }

  async healAll(): Promise<void> {
    await callControl(this.workspace, 'healAll', []);
  }

  async setSlowMotion(factor: number): Promise<void> {
    await callControl(this.workspace, 'setSlowMotion', [factor]);
  }

  async dropMessages(from: string, to: string, count: number): Promise<void> {
    await callControl(this.workspace, 'dropMessages', [from, to, count]);
  }

  readLogs(limit: number, fromIndex?: number): Promise<NodeLogView[]> {
    return callControl(this.workspace, 'readLogs', [limit, fromIndex]) as Promise<NodeLogView[]>;
  }

  stateDigests(): Promise<StateDigest[]> {
    return callControl(this.workspace, 'stateDigests', []) as Promise<StateDigest[]>;
  }

  nodeOutput(node: string, lines: number): Promise<string[]> {
    return lastLines(this.paths.nodeLog(node), lines);
  }

  recentEvents(limit: number): Promise<ClusterEvent[]> {
    return callControl(this.workspace, 'recentEvents', [limit]) as Promise<ClusterEvent[]>;
  }

  /** The process that runs the cluster records its run: the operation goes there. */
  recordClientOp(op: TraceClientOp): void {
    void callControl(this.workspace, 'recordClientOp', [op]).catch(() => undefined);
  }

  noteExperiment(message: string, details: ClusterEvent['details'] = {}): void {
    void callControl(this.workspace, 'noteExperiment', [message, details]).catch(() => undefined);
  }

  endpoints(): Endpoint[] {
    return this.definition.nodes.map((n) => ({ id: n.id, url: clientUrl(n) }));
  }

  nodesDown(): ReadonlySet<string> {
    return nodesDownOf(this.latest.nodes);
  }

  clientCredentials(): Promise<Credentials> {
    return loadClientCredentials(this.paths.pki);
  }

  onState(listener: Listener<ClusterState>): () => void {
    return this.stateListeners.add(listener);
  }

  onEvent(listener: Listener<ClusterEvent>): () => void {
    return this.eventListeners.add(listener);
  }

  onMetrics(listener: Listener<MetricsSample>): () => void {
    return this.metricsListeners.add(listener);
  }

  onMessages(listener: Listener<MessageBatch>): () => void {
    return this.messages.subscribe(listener);
  }

}
