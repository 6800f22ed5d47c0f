// Browser mode: ConsoleApi over one WebSocket to `raftdesk console` (protocol in core/api/ws-protocol.ts).
// Calls are {id, method, args} answered by {id, ok, result|error}; pushes are {push, data}.
// The socket reconnects with capped, jittered exponential backoff; listeners survive reconnects.

import type { AddMemberRequest, MemberChangeResult } from '../../core/api/membership.js';
import type { RunList, RunTrace, TraceMessages } from '../../core/api/traces.js';
import type {
  CallMethod,
  CallResponse,
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
  PushMessage,
  ReadConsistency,
  ReadOutcome,
  Unsubscribe,
  ValidationIssue,
  WorkspaceSummary,
  WriteOutcome,
} from '../../core/api/index.js';
import type { ConnectionSource, ConnectionStatus } from './connection.js';

/** The part of the DOM WebSocket this client uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
}

export interface WsClientOptions {
  openSocket: (url: string) => SocketLike;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  now?: () => number;
  /** In [0, 1): spreads reconnect attempts of many pages apart. */
  random?: () => number;
  /** First reconnect delay; it doubles up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a call made while disconnected waits for the socket before it fails. */
  sendWaitMs?: number;
  /**
   * Asks the page's server whether this page's token is still accepted, after a socket fails to
   * open (a browser hides the upgrade's 403): `ok`, `forbidden` (a restarted console with a new
   * token) or `unreachable` (nothing listens).
   */
  probe?: () => Promise<'ok' | 'forbidden' | 'unreachable'>;
}

const OPEN = 1;

type PushKind = PushMessage['push'];
type PushData<K extends PushKind> = Extract<PushMessage, { push: K }>['data'];

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Queued extends Pending {
  id: number;
  message: string;
  timer: unknown;
}

export const NOT_CONNECTED = 'Not connected to the console server; it is reconnecting, so try again in a moment.';
export const CONNECTION_LOST = 'The connection to the console server was lost before it answered; try again once it reconnects.';
export const LINK_EXPIRED = 'This page belongs to a console that has since restarted; open the new link it printed.';

/** A probe of the page's own URL: 403 means the token is no longer the console's. */
export function fetchProbe(pageUrl: string, fetcher: typeof fetch = fetch): () => Promise<'ok' | 'forbidden' | 'unreachable'> {
  return async () => {
    try {
      const res = await fetcher(pageUrl, { method: 'HEAD', cache: 'no-store' });
      return res.status === 403 ? 'forbidden' : 'ok';
    } catch {
      return 'unreachable';
    }
  };
}

/** ws://host/ws?token=T for the page http://host/?token=T. */
export function socketUrlFor(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}

export class WsConsoleClient implements ConsoleApi, ConnectionSource {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly inFlight = new Map<number, Pending>();
  private queued: Queued[] = [];
  private readonly pushListeners = new Map<PushKind, Set<(data: never) => void>>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private status: ConnectionStatus = { state: 'connecting', retryAt: null };
  private failures = 0;
  private reconnectTimer: unknown = null;
  private closed = false;
  private wantsMessages = false;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(
    private readonly url: string,
    private readonly options: WsClientOptions,
  ) {
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.connect();
  }

  // ConnectionSource
  current(): ConnectionStatus {
    return this.status;
  }

  subscribe(listener: (status: ConnectionStatus) => void): Unsubscribe {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Stops for good: no reconnects, pending calls fail. */
  close(): void {
    this.closed = true;
    if (this.reconnectTimer !== null) this.clearTimer(this.reconnectTimer);
    this.socket?.close();
    this.failAll(CONNECTION_LOST);
  }

  // ConsoleApi: calls
  listWorkspaces = (): Promise<WorkspaceSummary[]> => this.call('listWorkspaces', []);
  createWorkspace = (name: string, definition?: ClusterDefinition): Promise<WorkspaceSummary> =>
    this.call('createWorkspace', definition === undefined ? [name] : [name, definition]);
  openWorkspace = (path: string): Promise<ClusterDefinition> => this.call('openWorkspace', [path]);
  currentDefinition = (): Promise<{ workspace: WorkspaceSummary; definition: ClusterDefinition }> => this.call('currentDefinition', []);
  saveDefinition = (definition: ClusterDefinition): Promise<ValidationIssue[]> => this.call('saveDefinition', [definition]);
  validateDefinition = (definition: ClusterDefinition): Promise<ValidationIssue[]> => this.call('validateDefinition', [definition]);
  startCluster = (): Promise<void> => this.call('startCluster', []);
  stopCluster = (): Promise<void> => this.call('stopCluster', []);
  nodeAction = (node: string, action: NodeAction): Promise<void> => this.call('nodeAction', [node, action]);
  applyFault = (fault: Fault): Promise<void> => this.call('applyFault', [fault]);
  healAll = (): Promise<void> => this.call('healAll', []);
  setSlowMotion = (factor: number): Promise<void> => this.call('setSlowMotion', [factor]);
  dropMessages = (from: string, to: string, count: number): Promise<void> => this.call('dropMessages', [from, to, count]);
  addNode = (request: AddMemberRequest): Promise<MemberChangeResult> => this.call('addNode', [request]);
  removeNode = (node: string): Promise<MemberChangeResult> => this.call('removeNode', [node]);
  promoteNode = (node: string): Promise<MemberChangeResult> => this.call('promoteNode', [node]);
  transferLeader = (node: string | null): Promise<{ leader: string; term: number }> => this.call('transferLeader', [node]);
  submitEntry = (text: string): Promise<WriteOutcome> => this.call('submitEntry', [text]);
  putKey = (key: string, value: string): Promise<WriteOutcome> => this.call('putKey', [key, value]);
  getKey = (key: string, consistency?: ReadConsistency): Promise<ReadOutcome> =>
    this.call('getKey', consistency === undefined ? [key] : [key, consistency]);
  readLogs = (limit: number, fromIndex?: number): Promise<NodeLogView[]> =>
    this.call('readLogs', fromIndex === undefined ? [limit] : [limit, fromIndex]);
  readNodeOutput = (node: string, lines: number): Promise<string[]> => this.call('readNodeOutput', [node, lines]);
  recentEvents = (limit: number): Promise<ClusterEvent[]> => this.call('recentEvents', [limit]);
  listRuns = (): Promise<RunList> => this.call('listRuns', []);
  openRun = (id: string): Promise<RunTrace> => this.call('openRun', [id]);
  readRunMessages = (id: string, from: number, to: number, limit: number): Promise<TraceMessages> => this.call('readRunMessages', [id, from, to, limit]);
  runExperiment = (options: ExperimentOptions): Promise<ExperimentReport> => this.call('runExperiment', [options]);
  cancelExperiment = (): Promise<void> => this.call('cancelExperiment', []);
  /** The server forgets a page's subscription with its socket: it is renewed on every reconnect. */
  subscribeMessages = (): Promise<void> => {
    this.wantsMessages = true;
    return this.call('subscribeMessages', []);
  };
  unsubscribeMessages = (): Promise<void> => {
    this.wantsMessages = false;
    return this.call('unsubscribeMessages', []);
  };

  // ConsoleApi: pushes
  onState = (listener: (state: ClusterState) => void): Unsubscribe => this.listen('state', listener);
  onEvent = (listener: (event: ClusterEvent) => void): Unsubscribe => this.listen('event', listener);
  onMetrics = (listener: (sample: MetricsSample) => void): Unsubscribe => this.listen('metrics', listener);
  onNodeOutput = (listener: (node: string, lines: string[]) => void): Unsubscribe =>
    this.listen('node-output', (data) => listener(data.node, data.lines));
  onExperimentProgress = (listener: (progress: ExperimentProgress) => void): Unsubscribe => this.listen('experiment-progress', listener);
  onMessages = (listener: (batch: MessageBatch) => void): Unsubscribe => this.listen('messages', listener);

  private listen<K extends PushKind>(kind: K, listener: (data: PushData<K>) => void): Unsubscribe {
    let set = this.pushListeners.get(kind);
    if (!set) {
      set = new Set();
      this.pushListeners.set(kind, set);
    }
    const entry = listener as (data: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  private call<T>(method: CallMethod, args: unknown[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        reject(new Error(this.status.state === 'expired' ? LINK_EXPIRED : CONNECTION_LOST));
        return;
      }
      const id = this.nextId++;
      const message = JSON.stringify({ id, method, args });
      const pending: Pending = { resolve: resolve as (value: unknown) => void, reject };
      if (this.socket && this.socket.readyState === OPEN) {
        this.inFlight.set(id, pending);
        this.socket.send(message);
        return;
      }
      const queued: Queued = { ...pending, id, message, timer: null };
      queued.timer = this.setTimer(() => {
        this.queued = this.queued.filter((q) => q !== queued);
        reject(new Error(NOT_CONNECTED));
      }, this.options.sendWaitMs ?? 5000);
      this.queued.push(queued);
    });
  }

  private connect(): void {
    this.reconnectTimer = null;
    const socket = this.options.openSocket(this.url);
    this.socket = socket;
    socket.onmessage = (event) => this.handleMessage(event.data);
    // A close always follows an error, so the error needs no handling of its own.
    socket.onerror = () => {};
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.failures = 0;
      this.setStatus({ state: 'open', retryAt: null });
      this.flushQueue(socket);
      // Idempotent on the server: a call queued before this open does no harm.
      if (this.wantsMessages) void this.call('subscribeMessages', []).catch(() => undefined);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failAll(CONNECTION_LOST, false);
      if (this.closed) return;
      if (opened || !this.options.probe) {
        this.scheduleReconnect();
        return;
      }
      void this.options.probe().then((answer) => {
        if (this.closed) return;
        if (answer === 'forbidden') {
          this.closed = true;
          this.failAll(LINK_EXPIRED);
          this.setStatus({ state: 'expired', retryAt: null });
        } else this.scheduleReconnect(answer === 'unreachable' ? 'unreachable' : 'reconnecting');
      });
    };
  }

  private scheduleReconnect(state: 'reconnecting' | 'unreachable' = 'reconnecting'): void {
    const base = this.options.baseDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 8000;
    const delay = Math.min(max, base * 2 ** this.failures) * (0.75 + 0.5 * this.random());
    this.failures++;
    this.setStatus({ state, retryAt: this.now() + delay });
    this.reconnectTimer = this.setTimer(() => this.connect(), delay);
  }

  private flushQueue(socket: SocketLike): void {
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) {
      this.clearTimer(q.timer);
      this.inFlight.set(q.id, q);
      socket.send(q.message);
    }
  }

  /** Rejects every in-flight call; queued calls keep waiting for the next socket unless `andQueued`. */
  private failAll(sentence: string, andQueued = true): void {
    for (const pending of this.inFlight.values()) pending.reject(new Error(sentence));
    this.inFlight.clear();
    if (!andQueued) return;
    for (const q of this.queued) {
      this.clearTimer(q.timer);
      q.reject(new Error(sentence));
    }
    this.queued = [];
  }

  private handleMessage(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if ('push' in message) {
      const push = message as PushMessage;
      for (const listener of this.pushListeners.get(push.push) ?? []) listener(push.data as never);
      return;
    }
    const response = message as CallResponse;
    const pending = this.inFlight.get(response.id);
    if (!pending) return;
    this.inFlight.delete(response.id);
    if (response.ok) pending.resolve(response.result);
    else pending.reject(new Error(response.error));
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}
