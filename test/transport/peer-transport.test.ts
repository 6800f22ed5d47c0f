// Three real transports on 127.0.0.1 with real mutual TLS: exchange, coalescing, bounds and faults.

import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Credentials } from '../../core/pki/credentials.js';
import { NO_FAULTS } from '../../core/transport/fault-filter.js';
import { PeerTransport } from '../../core/transport/peer-transport.js';
import { HOST, allConnected, freePort, indexesFrom, logged, makeNode, makePki, message, waitFor, type TestNode, type TestPki } from './fixtures.js';

const IDS = ['n1', 'n2', 'n3'];
let pki: TestPki;
const credentials = new Map<string, Credentials>();
/** Draws for loss and jitter come from here when a test scripts them, else from Math.random. */
let script: number[] = [];
const random = () => script.shift() ?? Math.random();

let nodes: TestNode[] = [];
let n1: TestNode, n2: TestNode, n3: TestNode;

beforeAll(async () => {
  pki = await makePki(IDS);
  for (const id of IDS) credentials.set(id, await pki.node(id));
  const ports = await Promise.all(IDS.map(() => freePort()));
  const peers = IDS.map((id, i) => ({ id, port: ports[i]! }));
  nodes = IDS.map((id, i) => makeNode(id, ports[i]!, peers, credentials.get(id)!, { random }));
  [n1, n2, n3] = nodes as [TestNode, TestNode, TestNode];
  await Promise.all(nodes.map((n) => n.transport.start()));
  await waitFor('all links up', () => allConnected(nodes));
});

afterEach(() => {
  script = [];
  for (const n of nodes) n.transport.setFaults(NO_FAULTS);
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.transport.close()));
  await pki?.remove();
});

/** A marker index unique across this file, so that tests never see each other's messages. */
let nextIndex = 1000;
const fresh = () => nextIndex++;

describe('PeerTransport', () => {
  it('carries messages between every pair of three nodes', async () => {
    const sent: { to: TestNode; from: string; index: number }[] = [];
    for (const from of nodes) {
      for (const to of nodes.filter((n) => n !== from)) {
        const index = fresh();
        from.transport.send([message(from.id, to.id, index, [Uint8Array.of(1, 2, 3)])]);
        sent.push({ to, from: from.id, index });
      }
    }
    await waitFor('every message', () => sent.every((s) => indexesFrom(s.to, s.from).includes(s.index)));
    const delivered = n2.received().find((m) => m.index === sent.find((s) => s.to === n2 && s.from === 'n1')!.index)!;
    expect(delivered).toEqual(message('n1', 'n2', delivered.index, [Uint8Array.of(1, 2, 3)]));
    const stats = n1.transport.stats();
    expect(stats.map((s) => s.peer).sort()).toEqual(['n2', 'n3']);
    expect(stats.every((s) => s.connected && s.sent > 0 && s.received > 0)).toBe(true);
  });

  it('coalesces what one tick sends to a peer into one frame, in order', async () => {
    const first = fresh();
    nextIndex += 199;
    const batchesBefore = n3.batches.length;
    n1.transport.send(Array.from({ length: 100 }, (_, i) => message('n1', 'n3', first + i)));
    n1.transport.send(Array.from({ length: 100 }, (_, i) => message('n1', 'n3', first + 100 + i)));
    await waitFor('200 messages', () => indexesFrom(n3, 'n1').includes(first + 199));
    const batches = n3.batches.slice(batchesBefore).filter((b) => b[0]?.from === 'n1');
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((m) => m.index)).toEqual(Array.from({ length: 200 }, (_, i) => first + i));
  });

  it('partitions both ways, keeps other links, and heals', async () => {
    n1.transport.setFaults({ ...NO_FAULTS, blockedTo: ['n2'], blockedFrom: ['n2'] });
    const [lostOut, lostIn, kept] = [fresh(), fresh(), fresh()];
    const droppedAtN1 = n1.transport.stats().find((s) => s.peer === 'n2')!.dropped;
    n1.transport.send([message('n1', 'n2', lostOut), message('n1', 'n3', kept)]);
    n2.transport.send([message('n2', 'n1', lostIn)]);
    await waitFor('n1 → n3 despite the partition', () => indexesFrom(n3, 'n1').includes(kept));
    // Both lost messages are counted at n1: one refused on send, one discarded on arrival.
    await waitFor('n1 to drop both', () => n1.transport.stats().find((s) => s.peer === 'n2')!.dropped === droppedAtN1 + 2);

    n1.transport.setFaults(NO_FAULTS);
    const [afterOut, afterIn] = [fresh(), fresh()];
    n1.transport.send([message('n1', 'n2', afterOut)]);
    n2.transport.send([message('n2', 'n1', afterIn)]);
    await waitFor('traffic after heal', () => indexesFrom(n2, 'n1').includes(afterOut) && indexesFrom(n1, 'n2').includes(afterIn));
    // One connection per direction keeps order: had the cut messages been sent, they would be here already.
    expect(indexesFrom(n2, 'n1')).not.toContain(lostOut);
    expect(indexesFrom(n1, 'n2')).not.toContain(lostIn);
  });

  it('cuts one way only', async () => {
    n1.transport.setFaults({ ...NO_FAULTS, blockedTo: ['n2'] });
    const [cut, open] = [fresh(), fresh()];
    n1.transport.send([message('n1', 'n2', cut)]);
    n2.transport.send([message('n2', 'n1', open)]);
    await waitFor('n2 → n1 still open', () => indexesFrom(n1, 'n2').includes(open));
    n1.transport.setFaults(NO_FAULTS);
    const after = fresh();
    n1.transport.send([message('n1', 'n2', after)]);
    await waitFor('n1 → n2 after heal', () => indexesFrom(n2, 'n1').includes(after));
    expect(indexesFrom(n2, 'n1')).not.toContain(cut);
  });

  it('drops exactly the messages whose draw falls under the loss percentage', async () => {
    n2.transport.setFaults({ ...NO_FAULTS, lossPercent: 50 });
    const first = fresh();
    nextIndex += 9;
    script = [0.1, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1, 0.9];
    const dropped = n2.transport.stats().find((s) => s.peer === 'n3')!.dropped;
    n2.transport.send(Array.from({ length: 10 }, (_, i) => message('n2', 'n3', first + i)));
    n2.transport.setFaults(NO_FAULTS);
    const marker = fresh();
    n2.transport.send([message('n2', 'n3', marker)]);
    await waitFor('the marker', () => indexesFrom(n3, 'n2').includes(marker));
    const arrived = indexesFrom(n3, 'n2').filter((i) => i >= first && i < first + 10);
    expect(arrived).toEqual([1, 3, 5, 7, 9].map((i) => first + i));
    expect(n2.transport.stats().find((s) => s.peer === 'n3')!.dropped).toBe(dropped + 5);
  });

  it('drops everything at 100 % loss', async () => {
    n3.transport.setFaults({ ...NO_FAULTS, lossPercent: 100 });
    const lost = fresh();
    n3.transport.send([message('n3', 'n1', lost), message('n3', 'n2', lost)]);
    n3.transport.setFaults(NO_FAULTS);
    const marker = fresh();
    n3.transport.send([message('n3', 'n1', marker), message('n3', 'n2', marker)]);
    await waitFor('markers', () => indexesFrom(n1, 'n3').includes(marker) && indexesFrom(n2, 'n3').includes(marker));
    expect([...indexesFrom(n1, 'n3'), ...indexesFrom(n2, 'n3')]).not.toContain(lost);
  });

  describe('delay (on a fake clock: nothing here depends on how fast the machine is)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    const sentTo = (from: TestNode, peer: string) => from.transport.stats().find((s) => s.peer === peer)!.sent;
    /** Lets the transport's same-tick flush (setImmediate, not faked) run. */
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    it('holds outbound messages for delay ± jitter, then sends them', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      n1.transport.setFaults({ ...NO_FAULTS, delayMs: 1000, jitterMs: 400 });
      script = [0.75]; // 1000 + (2 · 0.75 − 1) · 400 = 1200 ms
      const held = fresh();
      const before = sentTo(n1, 'n2');
      n1.transport.send([message('n1', 'n2', held)]);
      await settle();
      vi.advanceTimersByTime(1199);
      await settle();
      expect(sentTo(n1, 'n2')).toBe(before);
      vi.advanceTimersByTime(1);
      await settle();
      expect(sentTo(n1, 'n2')).toBe(before + 1);
      vi.useRealTimers();
      await waitFor('the delayed message', () => indexesFrom(n2, 'n1').includes(held));
    });

    it('drops held messages whose link was cut while they waited', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      n1.transport.setFaults({ ...NO_FAULTS, delayMs: 1000 });
      const stats = () => n1.transport.stats().find((s) => s.peer === 'n2')!;
      const before = stats();
      n1.transport.send([message('n1', 'n2', fresh())]);
      n1.transport.setFaults({ ...NO_FAULTS, delayMs: 1000, blockedTo: ['n2'] });
      vi.advanceTimersByTime(1000);
      await settle();
      expect([stats().sent, stats().dropped]).toEqual([before.sent, before.dropped + 1]);
    });

    it('does not delay the other direction', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      n1.transport.setFaults({ ...NO_FAULTS, delayMs: 60_000 });
      const back = fresh();
      const before = sentTo(n2, 'n1');
      n2.transport.send([message('n2', 'n1', back)]);
      await settle();
      expect(sentTo(n2, 'n1')).toBe(before + 1);
      vi.useRealTimers();
      await waitFor('the undelayed message', () => indexesFrom(n1, 'n2').includes(back));
    });
  });
});

describe('PeerTransport bounds and lifecycle', () => {
  it('rejects with a clear error, keeping the code, when the peer port is taken', async () => {
    const other = new PeerTransport({
      selfId: 'n1',
      listenHost: HOST,
      listenPort: n1.port,
      peers: [],
      credentials: credentials.get('n1')!,
      onMessages: () => undefined,
      log: () => undefined,
    });
    await expect(other.start()).rejects.toMatchObject({ code: 'EADDRINUSE', message: expect.stringMatching(/already in use/) });
    await other.close();
  });

  it('bounds the queue to an unreachable peer: drops the excess, counts it, logs once, reports unreachable', async () => {
    const [port, deadPort] = [await freePort(), await freePort()];
    const lonely = makeNode('n1', port, [{ id: 'n2', port: deadPort }], credentials.get('n1')!, { maxQueueMessages: 10 });
    await lonely.transport.start();
    try {
      lonely.transport.send(Array.from({ length: 25 }, (_, i) => message('n1', 'n2', i)));
      lonely.transport.send(Array.from({ length: 5 }, (_, i) => message('n1', 'n2', 100 + i)));
      expect(lonely.transport.stats()).toEqual([{ peer: 'n2', connected: false, sent: 0, received: 0, dropped: 20 }]);
      expect(logged(lonely, /send queue to n2 is full/)).toHaveLength(1);
      await waitFor('an unreachable report', () => lonely.unreachable.includes('n2'));
      expect(logged(lonely, /cannot connect to n2/).length).toBe(1);
    } finally {
      await lonely.transport.close();
    }
  });

  it('bounds the queue in bytes as well as in messages', async () => {
    const [port, deadPort] = [await freePort(), await freePort()];
    const lonely = makeNode('n1', port, [{ id: 'n2', port: deadPort }], credentials.get('n1')!, { maxQueueBytes: 1000 });
    try {
      const encodedSize = 300;
      // Each message carries ~280 bytes of entry data, so three fit in 1000 bytes and a fourth does not.
      lonely.transport.send(Array.from({ length: 5 }, (_, i) => message('n1', 'n2', i, [new Uint8Array(encodedSize - 20)])));
      expect(lonely.transport.stats()[0]!.dropped).toBe(2);
    } finally {
      await lonely.transport.close();
    }
  });

  it('drops a message larger than the maximum frame, and sends the rest', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const peers = [{ id: 'n1', port: portA }, { id: 'n2', port: portB }];
    const a = makeNode('n1', portA, peers, credentials.get('n1')!, { maxFrameBytes: 2048 });
    const b = makeNode('n2', portB, peers, credentials.get('n2')!, { maxFrameBytes: 2048 });
    await Promise.all([a.transport.start(), b.transport.start()]);
    try {
      a.transport.send([message('n1', 'n2', 1, [new Uint8Array(4096)]), message('n1', 'n2', 2, [new Uint8Array(1000)])]);
      await waitFor('the small message', () => indexesFrom(b, 'n1').includes(2));
      expect(indexesFrom(b, 'n1')).toEqual([2]);
      expect(a.transport.stats()[0]!.dropped).toBe(1);
      expect(logged(a, /dropping a \d+-byte message/)).toHaveLength(1);
    } finally {
      await Promise.all([a.transport.close(), b.transport.close()]);
    }
  });

  it('reconnects to a peer that restarts, and frees its port on close', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const peers = [{ id: 'n1', port: portA }, { id: 'n2', port: portB }];
    const a = makeNode('n1', portA, peers, credentials.get('n1')!);
    let b = makeNode('n2', portB, peers, credentials.get('n2')!);
    await Promise.all([a.transport.start(), b.transport.start()]);
    try {
      await waitFor('first connection', () => allConnected([a, b]));
      await b.transport.close();
      await waitFor('n1 to notice', () => a.unreachable.includes('n2') && !a.transport.stats()[0]!.connected);
      b = makeNode('n2', portB, peers, credentials.get('n2')!);
      await b.transport.start();
      a.transport.send([message('n1', 'n2', 7)]);
      await waitFor('delivery after the restart', () => indexesFrom(b, 'n1').includes(7));
      expect(logged(a, /lost the connection to n2/)).toHaveLength(1);
    } finally {
      await Promise.all([a.transport.close(), b.transport.close()]);
    }
    a.transport.send([message('n1', 'n2', 8)]);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(portA, HOST, () => resolve()));
    await new Promise((resolve) => probe.close(resolve));
  });
});
