import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../../../core/api/index.js';
import type { ConnectionStatus } from '../../../renderer/lib/connection.js';
import { CONNECTION_LOST, LINK_EXPIRED, NOT_CONNECTED, WsConsoleClient, fetchProbe, socketUrlFor, type SocketLike } from '../../../renderer/lib/ws-api.js';
import { makeState } from '../fixtures.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: { id: number; method: string; args: unknown[] }[] = [];
  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.drop();
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  drop(): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close'));
  }

  receive(message: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: typeof message === 'string' ? message : JSON.stringify(message) }));
  }
}

function setup(probe?: () => Promise<'ok' | 'forbidden' | 'unreachable'>) {
  const sockets: FakeSocket[] = [];
  const timers: { run: () => void; ms: number; live: boolean }[] = [];
  const client = new WsConsoleClient('ws://127.0.0.1:4000/ws?token=t', {
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    setTimer: (run, ms) => {
      const timer = { run, ms, live: true };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      (timer as { live: boolean }).live = false;
    },
    now: () => 0,
    random: () => 0.5,
    probe,
  });
  const statuses: ConnectionStatus['state'][] = [];
  client.subscribe((s) => statuses.push(s.state));
  const fire = (ms?: number) => {
    for (const t of timers.filter((t) => t.live && (ms === undefined || t.ms === ms))) {
      t.live = false;
      t.run();
    }
  };
  return { client, sockets, timers, statuses, fire, socket: () => sockets[sockets.length - 1] };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('socketUrlFor', () => {
  it('points at /ws on the page’s host with the page’s token', () => {
    expect(socketUrlFor({ protocol: 'http:', host: '127.0.0.1:4123', search: '?token=a%2Fb' })).toBe('ws://127.0.0.1:4123/ws?token=a%2Fb');
  });
});

describe('WsConsoleClient', () => {
  it('queues calls until the socket opens, then matches answers to calls by id', async () => {
    const { client, socket } = setup();
    expect(client.current().state).toBe('connecting');
    const nodes = client.readLogs(40, 7);
    const put = client.putKey('x', '4');
    expect(socket().sent).toEqual([]);
    socket().open();
    expect(socket().sent.map((m) => [m.method, m.args])).toEqual([
      ['readLogs', [40, 7]],
      ['putKey', ['x', '4']],
    ]);
    const [logsCall, putCall] = socket().sent;
    socket().receive({ id: putCall.id, ok: true, result: { ok: true, index: 3, term: 1, latencyMs: 2, node: 'n1' } });
    socket().receive({ id: logsCall.id, ok: false, error: 'No cluster is running; start it first.' });
    await expect(put).resolves.toMatchObject({ index: 3 });
    await expect(nodes).rejects.toThrow('No cluster is running; start it first.');
  });

  it('omits optional arguments that were not given', () => {
    const { client, socket } = setup();
    socket().open();
    void client.readLogs(10);
    void client.createWorkspace('w');
    expect(socket().sent.map((m) => m.args)).toEqual([[10], ['w']]);
  });

  it('delivers pushes to their listeners and ignores garbage', () => {
    const { client, socket } = setup();
    socket().open();
    const states: ClusterState[] = [];
    const outputs: [string, string[]][] = [];
    const stop = client.onState((s) => states.push(s));
    client.onNodeOutput((node, lines) => outputs.push([node, lines]));
    socket().receive('not json');
    socket().receive({ push: 'state', data: makeState({ term: 9 }) });
    socket().receive({ push: 'node-output', data: { node: 'n2', lines: ['ready'] } });
    stop();
    socket().receive({ push: 'state', data: makeState({ term: 10 }) });
    expect(states.map((s) => s.term)).toEqual([9]);
    expect(outputs).toEqual([['n2', ['ready']]]);
  });

  it('fails in-flight calls when the socket drops, reconnects with growing delays, and keeps listeners', async () => {
    const { client, socket, sockets, timers, statuses, fire } = setup();
    socket().open();
    const states: number[] = [];
    client.onState((s) => states.push(s.term));
    const pending = client.healAll();
    socket().drop();
    await expect(pending).rejects.toThrow(CONNECTION_LOST);
    expect(client.current().state).toBe('reconnecting');

    const delays = () => timers.filter((t) => t.live).map((t) => t.ms);
    expect(delays()).toEqual([500]);
    fire();
    socket().drop();
    expect(delays()).toEqual([1000]);
    fire();
    socket().drop();
    expect(delays()).toEqual([2000]);
    fire();
    socket().open();
    expect(sockets).toHaveLength(4);
    expect(statuses).toEqual(['open', 'reconnecting', 'reconnecting', 'reconnecting', 'open']);

    socket().receive({ push: 'state', data: makeState({ term: 3 }) });
    expect(states).toEqual([3]);

    socket().drop();
    expect(delays()).toEqual([500]);
  });

  it('caps the reconnect delay', () => {
    const { socket, timers, fire } = setup();
    for (let i = 0; i < 10; i++) {
      socket().drop();
      fire();
    }
    socket().drop();
    expect(timers.filter((t) => t.live).map((t) => t.ms)).toEqual([8000]);
  });

  it('fails a call made while disconnected if the socket does not come back in time', async () => {
    const { client, socket, fire } = setup();
    socket().open();
    socket().drop();
    const call = client.stopCluster();
    fire(5000);
    await expect(call).rejects.toThrow(NOT_CONNECTED);
    await settle();
  });

  it('stops for good on close', async () => {
    const { client, socket, timers } = setup();
    const call = client.listWorkspaces();
    client.close();
    await expect(call).rejects.toThrow(CONNECTION_LOST);
    expect(timers.filter((t) => t.live)).toEqual([]);
    expect(socket().readyState).toBe(3);
    await expect(client.healAll()).rejects.toThrow(CONNECTION_LOST);
  });

  it('after a restart of the console with a new token, says the link expired and stops retrying', async () => {
    let answer: 'ok' | 'forbidden' | 'unreachable' = 'unreachable';
    const { client, socket, timers, statuses, fire } = setup(async () => answer);
    socket().open();
    socket().drop(); // the console stops: a socket that had opened just reconnects
    expect(client.current().state).toBe('reconnecting');
    fire();
    socket().drop(); // nothing listens yet
    await settle();
    expect(client.current().state).toBe('unreachable');
    answer = 'forbidden';
    fire();
    socket().drop(); // the new console refuses the old token
    await settle();
    expect(client.current().state).toBe('expired');
    expect(statuses.at(-1)).toBe('expired');
    expect(timers.filter((t) => t.live)).toEqual([]);
    await expect(client.healAll()).rejects.toThrow(LINK_EXPIRED);
  });

  it('probes the page URL: 403 is a refused token, a network error is nobody there', async () => {
    const answers = [new Response('', { status: 403 }), new Response('', { status: 200 })];
    const fetcher = (async () => {
      const next = answers.shift();
      if (!next) throw new TypeError('fetch failed');
      return next;
    }) as typeof fetch;
    const probe = fetchProbe('http://127.0.0.1:4000/?token=t', fetcher);
    expect(await probe()).toBe('forbidden');
    expect(await probe()).toBe('ok');
    expect(await probe()).toBe('unreachable');
  });
});
