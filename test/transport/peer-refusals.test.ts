// Whoever is not a cluster member speaking our protocol is refused, logged once, and the node keeps
// serving its real peers. Raw clients here play the bad peers over real TLS on 127.0.0.1.

import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { crc32c } from '../../core/codec/crc32c.js';
import { encodeMessage } from '../../core/codec/raft-codec.js';
import type { Credentials } from '../../core/pki/credentials.js';
import { FRAME_HEADER_BYTES, PROTOCOL_VERSION, encodeHelloFrame, encodeMessagesFrame } from '../../core/transport/frame.js';
import { HOST, allConnected, freePort, indexesFrom, logged, makeNode, makePki, message, waitFor, type TestNode, type TestPki } from './fixtures.js';

const MAX_FRAME = 64 * 1024;
let pki: TestPki;
let foreignPki: TestPki;
let n1: TestNode;
let n2: TestNode;
/** n3 is a configured member with no running transport: the raw clients below speak with its identity. */
let n3Creds: Credentials;
let n4Creds: Credentials;
let foreignN3: Credentials;
let marker = 1;

beforeAll(async () => {
  [pki, foreignPki] = await Promise.all([makePki(['n1', 'n2', 'n3', 'n4']), makePki(['n3'])]);
  [n3Creds, n4Creds, foreignN3] = await Promise.all([pki.node('n3'), pki.node('n4'), foreignPki.node('n3')]);
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const peers = ['n1', 'n2', 'n3'].map((id, i) => ({ id, port: ports[i]! }));
  n1 = makeNode('n1', ports[0]!, peers, await pki.node('n1'), { maxFrameBytes: MAX_FRAME });
  n2 = makeNode('n2', ports[1]!, peers, await pki.node('n2'), { maxFrameBytes: MAX_FRAME });
  await Promise.all([n1.transport.start(), n2.transport.start()]);
  await waitFor('n1 and n2 connected', () => [n1, n2].every((n) => n.transport.stats().find((s) => s.peer !== 'n3')!.connected));
});

afterAll(async () => {
  await Promise.all([n1?.transport.close(), n2?.transport.close()]);
  await Promise.all([pki?.remove(), foreignPki?.remove()]);
});

/** A TLS client to n1's peer port that accepts any server (the refusal under test is n1's). */
function dial(credentials: Credentials): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: HOST, port: n1.port, ...credentials, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the socket is closed, whatever ended it (our end, n1's, or a TLS alert). */
function closed(socket: Socket): Promise<void> {
  socket.on('error', () => undefined);
  // Reading (and discarding n1's hello) is what lets the client see n1 close the connection.
  socket.resume();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Writes `bytes` after a valid hello as n3, waits until n1 closes the connection, and returns what n1 logged meanwhile. */
async function afterHello(bytes: Uint8Array, end = false): Promise<string[]> {
  const logsBefore = n1.logs.length;
  const socket = await dial(n3Creds);
  const done = closed(socket);
  socket.write(encodeHelloFrame({ version: PROTOCOL_VERSION, from: 'n3', to: 'n1' }));
  socket.write(bytes);
  if (end) socket.end();
  await done;
  return n1.logs.slice(logsBefore).map((l) => l.message);
}

/** n1 still serves its real peer after whatever happened: a fresh message from n2 arrives. */
async function stillServing(): Promise<void> {
  const index = marker++;
  n2.transport.send([message('n2', 'n1', index)]);
  await waitFor('n2 → n1 after the bad peer', () => indexesFrom(n1, 'n2').includes(index));
  expect(allConnected([n1, n2].map((n) => ({ ...n, transport: { stats: () => n.transport.stats().filter((s) => s.peer !== 'n3') } }) as TestNode))).toBe(true);
}

function frameWith(payload: Uint8Array, length = payload.length, checksum = crc32c(payload)): Uint8Array {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32LE(length, 0);
  header.writeUInt32LE(checksum, 4);
  return Buffer.concat([header, payload]);
}

describe('refusals at the peer port', () => {
  it("refuses a certificate from another CA, logging it once however often it retries", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const socket = connectTls({ host: HOST, port: n1.port, ...foreignN3, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
      await closed(socket);
    }
    await waitFor('the refusal log', () => logged(n1, /not from the cluster CA/).length > 0);
    expect(logged(n1, /refused a peer connection.*: its certificate is not from the cluster CA/)).toHaveLength(1);
    expect(indexesFrom(n1, 'n3')).toEqual([]);
    await stillServing();
  });

  it('refuses TLS 1.2', async () => {
    const socket = connectTls({ host: HOST, port: n1.port, ...n3Creds, rejectUnauthorized: false, maxVersion: 'TLSv1.2' });
    let secured = false;
    socket.once('secureConnect', () => (secured = true));
    await closed(socket);
    expect(secured).toBe(false);
    expect(logged(n1, /refused a peer connection.*: it failed the TLS handshake \(ERR_SSL_UNSUPPORTED_PROTOCOL\)/)).toHaveLength(1);
  });

  it('refuses a plaintext connection', async () => {
    const logsBefore = n1.logs.length;
    const socket = connectTcp({ host: HOST, port: n1.port });
    const done = closed(socket);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await done;
    const lines = n1.logs.slice(logsBefore).map((l) => l.message);
    expect(lines.filter((l) => /refused a peer connection.*: it failed the TLS handshake \(ERR_SSL_/.test(l))).toHaveLength(1);
    await stillServing();
  });

  it('refuses a peer whose hello names another node than its certificate, once per reason', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const socket = await dial(n3Creds);
      const done = closed(socket);
      socket.write(encodeHelloFrame({ version: PROTOCOL_VERSION, from: 'n2', to: 'n1' }));
      socket.write(encodeMessagesFrame([encodeMessage(message('n2', 'n1', 999_999))]));
      await done;
    }
    expect(logged(n1, /refused the peer connection from n3: claims to be "n2" but its certificate names n3/)).toHaveLength(1);
    expect(indexesFrom(n1, 'n2')).not.toContain(999_999);
    await stillServing();
  });

  it('refuses a node of the same CA that is not a configured peer', async () => {
    const socket = await dial(n4Creds);
    const done = closed(socket);
    socket.write(encodeHelloFrame({ version: PROTOCOL_VERSION, from: 'n4', to: 'n1' }));
    await done;
    expect(logged(n1, /from n4: n4 is not a peer of this node/)).toHaveLength(1);
  });

  it('refuses the client certificate on the peer port', async () => {
    const socket = await dial(await pki.client());
    const done = closed(socket);
    socket.write(encodeHelloFrame({ version: PROTOCOL_VERSION, from: 'n3', to: 'n1' }));
    await done;
    expect(logged(n1, /its certificate names no node/)).toHaveLength(1);
  });

  it('refuses a hello meant for another node, and another protocol version', async () => {
    for (const hello of [
      { version: PROTOCOL_VERSION, from: 'n3', to: 'n2' },
      { version: PROTOCOL_VERSION + 1, from: 'n3', to: 'n1' },
    ]) {
      const socket = await dial(n3Creds);
      const done = closed(socket);
      socket.write(encodeHelloFrame(hello));
      await done;
    }
    expect(logged(n1, /from n3: meant to reach "n2", but this is n1/)).toHaveLength(1);
    expect(logged(n1, new RegExp(`from n3: speaks peer protocol version ${PROTOCOL_VERSION + 1}`))).toHaveLength(1);
  });

  it('closes an authenticated connection that never says hello (on a fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const socket = await dial(n3Creds);
      let isClosed = false;
      const done = closed(socket).then(() => (isClosed = true));
      // n1 arms its hello timer when the handshake completes on its side, a few event-loop turns from
      // now: keep moving the fake clock past it, letting real I/O run in between, until n1 hangs up.
      for (let turn = 0; !isClosed && turn < 1_000_000; turn++) {
        vi.advanceTimersByTime(5000);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await done;
      expect(logged(n1, /from n3: sent no hello within 5000 ms/)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes the connection on garbage instead of a hello', async () => {
    const socket = await dial(n3Creds);
    const done = closed(socket);
    socket.write(Buffer.from('this is not a raftdesk frame at all, just noise'));
    await done;
    // "this" read as a length is far beyond what a hello may take.
    expect(logged(n1, /from n3: sent a bad frame \(oversized\)/)).toHaveLength(1);
    await stillServing();
  });
});

describe('bad frames after a valid hello close that connection only', () => {
  it('garbage bytes', async () => {
    const logs = await afterHello(Buffer.from('\x01\x00\x00\x00\xde\xad\xbe\xefgarbage'));
    expect(logs.filter((l) => /from n3: sent a bad frame \(checksum\)/.test(l))).toHaveLength(1);
    await stillServing();
  });

  it('an oversized frame, refused on its header alone', async () => {
    const logs = await afterHello(frameWith(new Uint8Array(0), MAX_FRAME + 1, 0));
    expect(logs.filter((l) => /from n3: sent a bad frame \(oversized\)/.test(l))).toHaveLength(1);
    await stillServing();
  });

  it('a frame whose payload is not messages', async () => {
    const logs = await afterHello(frameWith(Uint8Array.of(3, 1, 2, 3)));
    expect(logs.filter((l) => /from n3: sent an undecodable frame/.test(l))).toHaveLength(1);
    await stillServing();
  });

  it('a truncated frame at the end of the stream', async () => {
    const frame = encodeMessagesFrame([encodeMessage(message('n3', 'n1', 5, [new Uint8Array(100)]))]);
    const logs = await afterHello(frame.subarray(0, frame.length - 10), true);
    expect(logs.filter((l) => /from n3: ended the connection inside a frame/.test(l))).toHaveLength(1);
    expect(indexesFrom(n1, 'n3')).toEqual([]);
    await stillServing();
  });

  it('messages that claim another sender are dropped, the rest delivered', async () => {
    const socket = await dial(n3Creds);
    socket.on('error', () => undefined);
    socket.write(encodeHelloFrame({ version: PROTOCOL_VERSION, from: 'n3', to: 'n1' }));
    socket.write(encodeMessagesFrame([encodeMessage(message('n2', 'n1', 77)), encodeMessage(message('n3', 'n1', 78))]));
    await waitFor('the genuine message', () => indexesFrom(n1, 'n3').includes(78));
    expect(indexesFrom(n1, 'n2')).not.toContain(77);
    expect(logged(n1, /dropping messages from n3 that are not from it/)).toHaveLength(1);
    const done = closed(socket);
    socket.destroy();
    await done;
  });
});

describe('the dialing side', () => {
  it('refuses to send to a server whose certificate names another node than the peer it dialed', async () => {
    const [port, impostorPort] = [await freePort(), await freePort()];
    // "n2" is configured at impostorPort, where a transport with n3's identity listens.
    const impostor = makeNode('n3', impostorPort, [{ id: 'n1', port }], n3Creds);
    const dialer = makeNode('n1', port, [{ id: 'n2', port: impostorPort }], await pki.node('n1'));
    await Promise.all([impostor.transport.start(), dialer.transport.start()]);
    try {
      dialer.transport.send([message('n1', 'n2', 1)]);
      await waitFor('the identity failure', () => logged(dialer, /cannot connect to n2/).length > 0);
      expect(logged(dialer, /cannot connect to n2 at 127\.0\.0\.1:\d+: .*names node n3, not n2/)).toHaveLength(1);
      expect(dialer.transport.stats()[0]).toMatchObject({ connected: false, sent: 0 });
      expect(impostor.received()).toEqual([]);
    } finally {
      await Promise.all([impostor.transport.close(), dialer.transport.close()]);
    }
  });
});
