import { afterEach, describe, expect, it } from 'vitest';
import type { MessageBatch, MessageRecord } from '../../core/api/messages.js';
import type { Endpoint } from '../../core/client/http2-pool.js';
import { MessageStream, type MessagePage, type MessageSource } from '../../core/cluster/message-stream.js';

/** Two fake nodes with message logs the test appends to. */
class FakeNodes {
  logs = new Map<string, MessageRecord[]>([
    ['n1', []],
    ['n2', []],
  ]);
  /** Nodes that do not answer (paused). */
  silent = new Set<string>();
  /** Nodes whose process is not running, as the cluster handle reports them. */
  down = new Set<string>();
  requests: { node: string; after: number }[] = [];

  // One object, as a cluster handle is: a different object means a different cluster.
  readonly source: MessageSource = {
    isRunning: true,
    endpoints: (): Endpoint[] => [...this.logs.keys()].map((id) => ({ id, url: `https://${id}` })),
    clientCredentials: () => Promise.reject(new Error('not used')),
    nodesDown: () => this.down,
  };

  log(node: string, r: Omit<MessageRecord, 'seq'>): void {
    const log = this.logs.get(node)!;
    log.push({ ...r, seq: log.length + 1 });
  }

  fetch = async (endpoint: Endpoint, after: number): Promise<MessagePage> => {
    this.requests.push({ node: endpoint.id, after });
    if (this.silent.has(endpoint.id)) throw new Error('no answer');
    const log = this.logs.get(endpoint.id)!;
    const records = log.filter((r) => r.seq > after);
    return { records, lost: 0, next: Math.min(after, log.length) + records.length + 1 };
  };
}

function msg(event: MessageRecord['event'], at: number, from: string, to: string, type = 'Heartbeat'): Omit<MessageRecord, 'seq'> {
  return { at, event, type, from, to, term: 3, index: 0, logTerm: 0, entries: 0, entryBytes: 0, bytes: 20, commit: 1, reject: false, hint: 0, snapshotIndex: 0 };
}

let stream: MessageStream | null = null;
afterEach(() => stream?.close());

function makeStream(nodes: FakeNodes, now: { t: number }): MessageStream {
  stream = new MessageStream(() => nodes.source, {
    pollMs: 60_000, // rounds are driven by the test
    pairing: { holdMs: 1000, maxPerLink: 100 },
    fetcher: () => ({ fetch: nodes.fetch, close: () => undefined }),
    now: () => now.t,
    wallNow: () => 5, // records stamped before 5 are history
  });
  return stream;
}

describe('message stream', () => {
  it('starts from the present, then emits each message once, paired from both nodes', async () => {
    const nodes = new FakeNodes();
    nodes.log('n1', msg('send', 1, 'n1', 'n2')); // history before subscribing
    const now = { t: 0 };
    const s = makeStream(nodes, now);
    const batches: MessageBatch[] = [];
    s.subscribe((b) => batches.push(b));
    await s.poll();
    expect(batches).toEqual([]);
    nodes.log('n1', msg('send', 10, 'n1', 'n2', 'App'));
    nodes.log('n2', msg('receive', 11, 'n1', 'n2', 'App'));
    nodes.log('n2', msg('send', 12, 'n2', 'n1', 'AppResp'));
    await s.poll();
    // n1's receive of the AppResp is read next round: the response waits for it.
    nodes.log('n1', msg('receive', 13, 'n2', 'n1', 'AppResp'));
    await s.poll();
    const messages = batches.flatMap((b) => b.messages);
    expect(messages.map((m) => [m.type, m.sentAt, m.receivedAt])).toEqual([
      ['App', 10, 11],
      ['AppResp', 12, 13],
    ]);
    // Each node is asked only for what it has not answered yet.
    expect(nodes.requests.filter((r) => r.node === 'n1').map((r) => r.after)).toEqual([0, 1, 2]);
  });

  it('keeps what a node logged after the subscription but before its first answer (a fresh cluster’s first election)', async () => {
    const nodes = new FakeNodes();
    const s = makeStream(nodes, { t: 0 });
    const messages: MessageBatch['messages'] = [];
    s.subscribe((b) => messages.push(...b.messages));
    nodes.log('n1', msg('send', 6, 'n1', 'n2', 'PreVote'));
    nodes.log('n2', msg('receive', 7, 'n1', 'n2', 'PreVote'));
    await s.poll();
    expect(messages.map((m) => [m.type, m.sentAt, m.receivedAt])).toEqual([['PreVote', 6, 7]]);
  });

  it('goes on while a node is silent, and emits the unanswered half after the hold', async () => {
    const nodes = new FakeNodes();
    const now = { t: 0 };
    const s = makeStream(nodes, now);
    const messages: MessageBatch['messages'] = [];
    s.subscribe((b) => messages.push(...b.messages));
    await s.poll();
    nodes.silent.add('n2');
    nodes.log('n1', msg('send', 10, 'n1', 'n2'));
    await s.poll();
    expect(messages).toEqual([]);
    now.t = 1000;
    await s.poll();
    expect(messages.map((m) => [m.sentAt, m.receivedAt])).toEqual([[10, null]]);
  });

  it('reads a restarted node from its first record', async () => {
    const nodes = new FakeNodes();
    const now = { t: 0 };
    const s = makeStream(nodes, now);
    const messages: MessageBatch['messages'] = [];
    s.subscribe((b) => messages.push(...b.messages));
    nodes.log('n2', msg('send', 1, 'n2', 'n1'));
    nodes.log('n2', msg('send', 2, 'n2', 'n1'));
    await s.poll(); // n2 is read from seq 3 on
    nodes.logs.set('n2', []); // restarted: a new, shorter log
    await s.poll();
    nodes.log('n2', msg('send', 5, 'n2', 'n1', 'Vote'));
    nodes.log('n1', msg('receive', 6, 'n2', 'n1', 'Vote'));
    await s.poll();
    expect(messages.map((m) => [m.type, m.sentAt, m.receivedAt])).toEqual([['Vote', 5, 6]]);
  });

  it('polls only while subscribed', async () => {
    const nodes = new FakeNodes();
    const s = makeStream(nodes, { t: 0 });
    const off = s.subscribe(() => undefined);
    expect(s.subscribers).toBe(1);
    off();
    off();
    expect(s.subscribers).toBe(0);
    await s.poll();
    expect(nodes.requests).toEqual([]);
  });
  it('shows a message to a node whose process is down in the round it was read, not after the hold', async () => {
    const nodes = new FakeNodes();
    const now = { t: 0 };
    const s = makeStream(nodes, now);
    const batches: MessageBatch[] = [];
    s.subscribe((b) => batches.push(b));
    await s.poll();
    nodes.down.add('n2');
    nodes.silent.add('n2');
    nodes.log('n1', msg('send', 10, 'n1', 'n2', 'Vote'));
    now.t = 100;
    await s.poll();
    expect(batches.flatMap((b) => b.messages).map((m) => [m.type, m.to, m.sentAt, m.receivedAt])).toEqual([['Vote', 'n2', 10, null]]);
  });
});
