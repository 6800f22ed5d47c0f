// The cluster's message stream: every node's Raft messages, gathered from the nodes' message logs,
// paired (a message seen at its sender and at its receiver is one LinkMessage with both times) and
// emitted to subscribers. It polls only while someone subscribes, and starts from the present (a
// subscriber sees every message logged from the moment it subscribed on, and every message of a node
// that restarts). The console forwards it to the
// page; a trace recorder can subscribe the same way.
//
// It reads GET /v1/messages?after=SEQ on each node's client port rather than asking over the IPC
// channel: the endpoint exists and is tested, it works the same when the cluster is run by another
// raftdesk process (RemoteCluster has no IPC channel to the nodes, only the control socket), and
// costs the nodes nothing while nobody watches. Its cost while watched is one HTTP/2 request per
// node every 100 ms on a connection that stays open, answered from the ring without touching Raft.
// Each node is polled on its own, so a paused node's silence does not hold up the others.

import type { ProcessState } from '../api/cluster-state.js';
import type { MessageBatch, MessageRecord } from '../api/messages.js';
import { Http2Pool, type Endpoint } from '../client/http2-pool.js';
import type { Credentials } from '../pki/credentials.js';
import { Listeners } from './listeners.js';
import { DEFAULT_PAIRING, MessagePairing, type PairingOptions } from './message-pairing.js';

/** What the stream reads from: a running cluster's endpoints and client certificate (any ClusterHandle). */
export interface MessageSource {
  readonly isRunning: boolean;
  endpoints(): Endpoint[];
  clientCredentials(): Promise<Credentials>;
  /** Nodes whose process is not running (stopped, killed, crashed): what is sent to them is shown
   *  at once as not arriving, instead of after the pairing's hold. A paused node is not among them
   *  (what is sent to it arrives when it resumes). */
  nodesDown?(): ReadonlySet<string>;
}

/** The nodes among `nodes` whose process is not running (see MessageSource.nodesDown). */
export function nodesDownOf(nodes: Iterable<{ id: string; state: ProcessState }>): Set<string> {
  const down = new Set<string>();
  for (const n of nodes) if (n.state === 'stopped' || n.state === 'killed' || n.state === 'crashed') down.add(n.id);
  return down;
}

export interface MessagePage {
  records: MessageRecord[];
  lost: number;
  next: number;
}

/** Reads one node's records after `after`; rejects when the node does not answer. */
export type FetchMessages = (endpoint: Endpoint, after: number) => Promise<MessagePage>;

export interface MessageStreamOptions {
  pollMs?: number;
  pairing?: PairingOptions;
  /** How to read a node (tests); by default GET /v1/messages over HTTP/2 with the client certificate. */
  fetcher?: (source: MessageSource) => { fetch: FetchMessages; close(): void };
  /** The clock `holdMs` is measured on. */
  now?: () => number;
  /** The clock the nodes' records are stamped on (epoch ms), for "from the moment of subscribing". */
  wallNow?: () => number;
}

const PAGE = 8192;
const REQUEST_MS = 2000;

export function http2Fetcher(source: MessageSource): { fetch: FetchMessages; close(): void } {
  let pool: Http2Pool | null = null;
  let loading: Promise<Http2Pool> | null = null;
  const poolFor = () => (loading ??= source.clientCredentials().then((c) => (pool = new Http2Pool(c))));
  return {
    fetch: async (endpoint, after) => {
      const p = await poolFor();
      const res = await p.request(endpoint.url, 'GET', `/v1/messages?after=${after}&limit=${PAGE}`, null, {}, REQUEST_MS);
      if (res.status !== 200) throw new Error(`${endpoint.id} answered ${res.status} to /v1/messages`);
      return JSON.parse(res.body) as MessagePage;
    },
    close: () => {
      pool?.close();
      loading = null;
    },
  };
}

export class MessageStream {
  private readonly listeners = new Listeners<MessageBatch>();
  private readonly pollMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private source: MessageSource | null = null;
  private reader: { fetch: FetchMessages; close(): void } | null = null;
  private pairing: MessagePairing;
  /** Per node: the last sequence number read (none yet: start from the node's present), and whether a request is out. */
  private readonly after = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private lostRecords = 0;
  /** Records stamped before this (epoch ms) were history when the stream started: not emitted. */
  private since = 0;

  constructor(
    private readonly sourceNow: () => MessageSource | null,
    private readonly options: MessageStreamOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 100;
    this.now = options.now ?? (() => performance.now());
    this.pairing = new MessagePairing(options.pairing ?? DEFAULT_PAIRING);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Starts polling with the first subscriber and stops with the last; the function returned unsubscribes. */
  subscribe(listener: (batch: MessageBatch) => void): () => void {
    const off = this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      off();
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** One polling round (the timer calls it; tests may too). Resolves when this round's answers are in. */
  async poll(): Promise<void> {
    const source = this.sourceNow();
    if (source !== this.source) this.reset(source);
    if (!source || !source.isRunning || !this.reader) {
      // Stopped: the next run's nodes are read from their present, like new ones.
      this.after.clear();
      this.flush();
      return;
    }
    const reader = this.reader;
    const rounds = source.endpoints().map(async (endpoint) => {
      if (this.inFlight.has(endpoint.id)) return;
      this.inFlight.add(endpoint.id);
      const after = this.after.get(endpoint.id);
      try {
        // A node read for the first time is read whole, keeping what it logged since the stream
        // started: its older history is not news, but a node that came up meanwhile (a fresh
        // cluster's first election) is seen from its first message.
        const page = await reader.fetch(endpoint, after ?? 0);
        if (reader !== this.reader) return;
        if (after === undefined) this.read(endpoint.id, 0, { ...page, lost: 0, records: page.records.filter((r) => r.at >= this.since) });
        else this.read(endpoint.id, after, page);
      } catch {
        // A node that is down, paused or restarting has nothing to say right now.
      } finally {
        this.inFlight.delete(endpoint.id);
      }
    });
    await Promise.all(rounds);
    this.flush();
  }

  close(): void {
    this.stop();
  }

  private read(node: string, after: number, page: MessagePage): void {
    if (page.next < after + 1) {
      // Its sequence numbers began again: the node restarted. Read it from the start.
      this.pairing.forgetNode(node);
      this.after.set(node, 0);
      return;
    }
    const now = this.now();
    for (const record of page.records) this.pairing.add(record, now);
    this.lostRecords += page.lost;
    this.after.set(node, page.next - 1);
  }

  private flush(): void {
    const messages = this.pairing.take(this.now(), (this.source?.isRunning && this.source.nodesDown?.()) || undefined);
    if (messages.length === 0 && this.lostRecords === 0) return;
    const batch: MessageBatch = { messages, lostRecords: this.lostRecords };
    this.lostRecords = 0;
    this.listeners.emit(batch);
  }

  private reset(source: MessageSource | null): void {
    this.reader?.close();
    this.source = source;
    this.reader = source && this.timer ? (this.options.fetcher ?? http2Fetcher)(source) : null;
    this.pairing = new MessagePairing(this.options.pairing ?? DEFAULT_PAIRING);
    this.after.clear();
    this.inFlight.clear();
    this.lostRecords = 0;
    this.since = (this.options.wallNow ?? Date.now)();
  }

  private start(): void {
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.reset(this.sourceNow());
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.reset(null);
  }
}
