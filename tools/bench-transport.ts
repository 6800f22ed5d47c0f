// Throughput and latency of the peer transport between two OS processes on 127.0.0.1, over real
// mutual TLS, shaped like Raft replication: the sender streams App messages carrying one entry each,
// the receiver answers every frame with one AppResp naming the highest index it got, and the sender
// keeps at most WINDOW messages unacknowledged (so the bounded queues never have to drop).
//
//   npx tsx tools/bench-transport.ts [--seconds 3] [--sizes 0,128,1024,16384]
//
// Prints messages/s and MB/s (of entry data) per entry size, then the round-trip time of one message
// at a time. Both processes are children of this one and stop with it.

import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadNodeCredentials } from '../core/pki/credentials.js';
import { ensureWorkspacePki } from '../core/pki/workspace-pki.js';
import type { Message } from '../core/raft/types.js';
import { MessageType } from '../core/raft/types.js';
import { PeerTransport } from '../core/transport/peer-transport.js';
import { percentile } from '../core/stats/percentiles.js';

const HOST = '127.0.0.1';
const WINDOW = 2048;
const BATCH = 64;
const LATENCY_ROUND_TRIPS = 2000;

interface Setup {
  pkiDir: string;
  senderPort: number;
  receiverPort: number;
}

const silent = () => undefined;

function transportFor(id: 'n1' | 'n2', setup: Setup, onMessages: (messages: Message[]) => void, credentials: Awaited<ReturnType<typeof loadNodeCredentials>>) {
  return new PeerTransport({
    selfId: id,
    listenHost: HOST,
    listenPort: id === 'n1' ? setup.senderPort : setup.receiverPort,
    peers: [
      { id: 'n1', host: HOST, port: setup.senderPort },
      { id: 'n2', host: HOST, port: setup.receiverPort },
    ],
    credentials,
    onMessages,
    log: silent,
  });
}

function app(index: number, data: Uint8Array): Message {
  return {
    type: MessageType.App,
    from: 'n1',
    to: 'n2',
    term: 1,
    logTerm: 1,
    index: index - 1,
    entries: [{ term: 1, index, type: 0, data }],
    commit: index - 1,
    reject: false,
    rejectHint: 0,
    context: 0,
    snapshot: null,
  };
}

/** The receiving process: acknowledges each frame's highest index, like a follower's AppResp. */
async function runReceiver(setup: Setup): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const credentials = await loadNodeCredentials(setup.pkiDir, 'n2');
  let highest = 0;
  const transport: PeerTransport = transportFor(
    'n2',
    setup,
    (messages) => {
      for (const m of messages) highest = Math.max(highest, m.entries.at(-1)?.index ?? 0);
      transport.send([{ ...app(highest, new Uint8Array(0)), type: MessageType.AppResp, from: 'n2', to: 'n1', index: highest, entries: [] }]);
    },
    credentials,
  );
  await transport.start();
  process.send!('ready');
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    await transport.close();
    process.exit(0);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function runSender(seconds: number, sizes: number[]): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'raftdesk-bench-transport-'));
  const setup: Setup = { pkiDir: path.join(dir, 'pki'), senderPort: await freePort(), receiverPort: await freePort() };
  await ensureWorkspacePki(setup.pkiDir, [
    { id: 'n1', host: HOST },
    { id: 'n2', host: HOST },
  ]);
  const receiver = fork(fileURLToPath(import.meta.url), ['--receiver', JSON.stringify(setup)], { stdio: 'inherit' });
  const receiverExited = new Promise((resolve) => receiver.once('exit', resolve));
  let acked = 0;
  let onAck: () => void = () => undefined;
  const transport = transportFor(
    'n1',
    setup,
    (messages) => {
      for (const m of messages) acked = Math.max(acked, m.index);
      onAck();
    },
    await loadNodeCredentials(setup.pkiDir, 'n1'),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      receiver.once('message', () => resolve());
      receiver.once('exit', (code) => reject(new Error(`the receiver exited with code ${code}`)));
    });
    await transport.start();
    let next = 1;

    /** Streams entries of `size` bytes for `durationMs`, keeping at most `window` unacknowledged. */
    const stream = (size: number, durationMs: number, window: number, batch: number) =>
      new Promise<{ messages: number; ms: number }>((resolve) => {
        const data = new Uint8Array(size).fill(7);
        const startAcked = acked;
        const start = performance.now();
        const pump = () => {
          const elapsed = performance.now() - start;
          if (elapsed >= durationMs) {
            onAck = () => undefined;
            resolve({ messages: acked - startAcked, ms: elapsed });
            return;
          }
          const room = Math.min(batch, window - (next - 1 - acked));
          if (room > 0) transport.send(Array.from({ length: room }, () => app(next++, data)));
          // Yield so that the frame goes out (flushes run on setImmediate) and acks come in.
          setImmediate(pump);
        };
        pump();
      });

    // Waits for the connection (and warms up TLS and the JIT).
    await stream(128, 1000, WINDOW, BATCH);
    console.log(`peer transport, 2 processes on ${HOST}, mutual TLS 1.3, window ${WINDOW} messages, ${seconds} s per size`);
    console.log('entry bytes   messages/s        MB/s');
    for (const size of sizes) {
      const { messages, ms } = await stream(size, seconds * 1000, WINDOW, BATCH);
      const perSecond = (messages * 1000) / ms;
      console.log(`${String(size).padStart(11)} ${perSecond.toFixed(0).padStart(12)} ${((perSecond * size) / 1e6).toFixed(1).padStart(11)}`);
    }

    const rtts: number[] = [];
    for (let i = 0; i < LATENCY_ROUND_TRIPS; i++) {
      const start = performance.now();
      const target = next;
      await new Promise<void>((resolve) => {
        onAck = () => {
          if (acked >= target) resolve();
        };
        transport.send([app(next++, new Uint8Array(128))]);
      });
      rtts.push(performance.now() - start);
    }
    onAck = () => undefined;
    rtts.sort((a, b) => a - b);
    const pct = (p: number) => percentile(rtts, p / 100)!.toFixed(3);
    console.log(`round trip (App → AppResp, 128-byte entry, one at a time, ${LATENCY_ROUND_TRIPS}×): p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
    const dropped = transport.stats().reduce((n, s) => n + s.dropped, 0);
    console.log(`messages dropped by the sender: ${dropped}`);
  } finally {
    receiver.send('stop');
    await transport.close();
    await receiverExited;
    await rm(dir, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '0,128,1024,16384' },
    receiver: { type: 'string' },
  },
});

if (values.receiver !== undefined) {
  await runReceiver(JSON.parse(values.receiver) as Setup);
} else {
  const seconds = Number(values.seconds);
  const sizes = values.sizes.split(',').map(Number);
  if (!(seconds > 0) || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
    console.error('Usage: bench-transport [--seconds N] [--sizes 0,128,1024]: seconds must be positive and sizes whole numbers of bytes.');
    process.exit(2);
  }
  await runSender(seconds, sizes);
}
