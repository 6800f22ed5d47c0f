// A ConsoleApi for tests: records every call, answers with defaults a test may replace, and lets
// the test push states, events, metrics, output and progress as the real server would.

import type {
  CallMethod,
  ClusterDefinition,
  ClusterEvent,
  ClusterState,
  ConsoleApi,
  ExperimentOptions,
  ExperimentProgress,
  ExperimentReport,
  Fault,
  MessageBatch,
  MetricsSample,
  NodeAction,
  NodeLogView,
  ReadOutcome,
  Unsubscribe,
  ValidationIssue,
  WorkspaceSummary,
  WriteOutcome,
} from '../../core/api/index.js';
import type { AddMemberRequest, MemberChangeResult } from '../../core/api/membership.js';
import type { RunList, RunTrace, TraceMessages } from '../../core/api/traces.js';
import type { ReadConsistency } from '../../core/api/reads.js';
import { makeDefinition, makeReport, makeWorkspace } from './fixtures.js';

export interface RecordedCall {
  method: CallMethod;
  args: unknown[];
}

type Handler = (...args: never[]) => unknown;

export class FakeApi implements ConsoleApi {
  readonly calls: RecordedCall[] = [];
  private readonly handlers = new Map<CallMethod, Handler>();
  private readonly stateListeners = new Set<(state: ClusterState) => void>();
  private readonly eventListeners = new Set<(event: ClusterEvent) => void>();
  private readonly metricsListeners = new Set<(sample: MetricsSample) => void>();
  private readonly outputListeners = new Set<(node: string, lines: string[]) => void>();
  private readonly progressListeners = new Set<(progress: ExperimentProgress) => void>();
  private readonly messageListeners = new Set<(batch: MessageBatch) => void>();

  /** Replaces the answer of one method; the handler may return a value, a promise, or throw. */
  respond<M extends CallMethod>(method: M, handler: (...args: Parameters<ConsoleApi[M]>) => Awaited<ReturnType<ConsoleApi[M]>> | ReturnType<ConsoleApi[M]>): void {
    this.handlers.set(method, handler as Handler);
  }

  /** Makes one method reject with `message`, as the real API does for a user-caused failure. */
  fail(method: CallMethod, message: string): void {
    this.handlers.set(method, () => {
      throw new Error(message);
    });
  }

  callsTo(method: CallMethod): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  pushMessages(batch: MessageBatch): void {
    for (const l of this.messageListeners) l(batch);
  }

  pushState(state: ClusterState): void {
    for (const l of this.stateListeners) l(state);
  }

  pushEvent(event: ClusterEvent): void {
    for (const l of this.eventListeners) l(event);
  }

  pushMetrics(sample: MetricsSample): void {
    for (const l of this.metricsListeners) l(sample);
  }

  pushNodeOutput(node: string, lines: string[]): void {
    for (const l of this.outputListeners) l(node, lines);
  }

  pushProgress(progress: ExperimentProgress): void {
    for (const l of this.progressListeners) l(progress);
  }

  listenerCount(): number {
    return this.stateListeners.size + this.eventListeners.size + this.metricsListeners.size + this.outputListeners.size + this.progressListeners.size;
  }

  private async call<T>(method: CallMethod, args: unknown[], fallback: () => T): Promise<T> {
    this.calls.push({ method, args });
    const handler = this.handlers.get(method);
    return handler ? ((await (handler as (...a: unknown[]) => unknown)(...args)) as T) : fallback();
  }

  listWorkspaces = (): Promise<WorkspaceSummary[]> => this.call('listWorkspaces', [], () => [makeWorkspace()]);
  createWorkspace = (name: string, definition?: ClusterDefinition): Promise<WorkspaceSummary> =>
    this.call('createWorkspace', definition ? [name, definition] : [name], () => makeWorkspace({ name, path: `/tmp/ws/${name}` }));
  openWorkspace = (path: string): Promise<ClusterDefinition> => this.call('openWorkspace', [path], () => makeDefinition());
  currentDefinition = (): Promise<{ workspace: WorkspaceSummary; definition: ClusterDefinition }> =>
    this.call('currentDefinition', [], () => ({ workspace: makeWorkspace(), definition: makeDefinition() }));
  saveDefinition = (definition: ClusterDefinition): Promise<ValidationIssue[]> => this.call('saveDefinition', [definition], () => []);
  validateDefinition = (definition: ClusterDefinition): Promise<ValidationIssue[]> => this.call('validateDefinition', [definition], () => []);
  startCluster = (): Promise<void> => this.call('startCluster', [], () => undefined);
  stopCluster = (): Promise<void> => this.call('stopCluster', [], () => undefined);
  nodeAction = (node: string, action: NodeAction): Promise<void> => this.call('nodeAction', [node, action], () => undefined);
  applyFault = (fault: Fault): Promise<void> => this.call('applyFault', [fault], () => undefined);
  healAll = (): Promise<void> => this.call('healAll', [], () => undefined);
  setSlowMotion = (factor: number): Promise<void> => this.call('setSlowMotion', [factor], () => undefined);
  dropMessages = (from: string, to: string, count: number): Promise<void> => this.call('dropMessages', [from, to, count], () => undefined);
  addNode = (request: AddMemberRequest): Promise<MemberChangeResult> => this.call('addNode', [request], () => ({ id: request.id, role: request.learner ? 'learner' : 'voter', index: 12, term: 2 }) as const);
  removeNode = (node: string): Promise<MemberChangeResult> => this.call('removeNode', [node], () => ({ id: node, role: 'removed', index: 13, term: 2 }) as const);
  promoteNode = (node: string): Promise<MemberChangeResult> => this.call('promoteNode', [node], () => ({ id: node, role: 'voter', index: 14, term: 2 }) as const);
  transferLeader = (node: string | null): Promise<{ leader: string; term: number }> => this.call('transferLeader', [node], () => ({ leader: node ?? 'n2', term: 3 }));
  submitEntry = (text: string): Promise<WriteOutcome> =>
    this.call('submitEntry', [text], () => ({ ok: true, index: 11, term: 2, latencyMs: 3.2, node: 'n1' }) as const);
  putKey = (key: string, value: string): Promise<WriteOutcome> =>
    this.call('putKey', [key, value], () => ({ ok: true, index: 12, term: 2, latencyMs: 4.5, node: 'n1' }) as const);
  getKey = (key: string, consistency?: ReadConsistency): Promise<ReadOutcome> =>
    this.call('getKey', consistency === undefined ? [key] : [key, consistency], () =>
      ({ ok: true, value: '4', latencyMs: 1.5, node: 'n1', consistency: consistency ?? 'linearizable', readIndex: consistency === 'local' ? null : 12, appliedIndex: 12 }) as const);
  readLogs = (limit: number, fromIndex?: number): Promise<NodeLogView[]> =>
    this.call('readLogs', fromIndex === undefined ? [limit] : [limit, fromIndex], () => []);
  readNodeOutput = (node: string, lines: number): Promise<string[]> => this.call('readNodeOutput', [node, lines], () => []);
  recentEvents = (limit: number): Promise<ClusterEvent[]> => this.call('recentEvents', [limit], () => []);
  listRuns = (): Promise<RunList> => this.call('listRuns', [], () => ({ runs: [], traceMaxMb: 256, tracesBytes: 0 }));
  openRun = (id: string): Promise<RunTrace> => this.call('openRun', [id], () => {
    throw new Error(`There is no recorded run "${id}".`);
  });
  readRunMessages = (id: string, from: number, to: number, limit: number): Promise<TraceMessages> =>
    this.call('readRunMessages', [id, from, to, limit], () => ({ messages: [], truncated: false }));
  runExperiment = (options: ExperimentOptions): Promise<ExperimentReport> => this.call('runExperiment', [options], () => makeReport({ options }));
  cancelExperiment = (): Promise<void> => this.call('cancelExperiment', [], () => undefined);
  subscribeMessages = (): Promise<void> => this.call('subscribeMessages', [], () => undefined);
  unsubscribeMessages = (): Promise<void> => this.call('unsubscribeMessages', [], () => undefined);

  onState = (listener: (state: ClusterState) => void): Unsubscribe => subscribe(this.stateListeners, listener);
  onEvent = (listener: (event: ClusterEvent) => void): Unsubscribe => subscribe(this.eventListeners, listener);
  onMetrics = (listener: (sample: MetricsSample) => void): Unsubscribe => subscribe(this.metricsListeners, listener);
  onNodeOutput = (listener: (node: string, lines: string[]) => void): Unsubscribe => subscribe(this.outputListeners, listener);
  onExperimentProgress = (listener: (progress: ExperimentProgress) => void): Unsubscribe => subscribe(this.progressListeners, listener);
  onMessages = (listener: (batch: MessageBatch) => void): Unsubscribe => subscribe(this.messageListeners, listener);
}

function subscribe<T>(set: Set<T>, listener: T): Unsubscribe {
  set.add(listener);
  return () => set.delete(listener);
}

/** A schedule that runs work only when the test says so, to observe coalescing. */
export class ManualSchedule {
  private queue: (() => void)[] = [];
  readonly schedule = (run: () => void): void => {
    this.queue.push(run);
  };

  get pending(): number {
    return this.queue.length;
  }

  flush(): void {
    const queue = this.queue;
    this.queue = [];
    for (const run of queue) run();
  }
}

/** Runs scheduled work at once: components see pushes synchronously. */
export const immediate = (run: () => void): void => run();
