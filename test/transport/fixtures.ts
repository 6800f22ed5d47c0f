// Shared set-up for the transport tests: a throw-away workspace PKI, free ports on 127.0.0.1,
// transports that record what they receive and log, and bounded waiting for events.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadClientCredentials, loadNodeCredentials, type Credentials } from '../../core/pki/credentials.js';
import { ensureWorkspacePki } from '../../core/pki/workspace-pki.js';
import type { Message } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { PeerTransport, type PeerTransportOptions } from '../../core/transport/peer-transport.js';
import { reservePorts } from '../helpers/ports.js';

export const HOST = '127.0.0.1';

export interface TestPki {
  dir: string;
  node(id: string): Promise<Credentials>;
  client(): Promise<Credentials>;
  remove(): Promise<void>;
}

export async function makePki(ids: string[]): Promise<TestPki> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'raftdesk-transport-'));
  const pkiDir = path.join(dir, 'pki');
  await ensureWorkspacePki(pkiDir, ids.map((id) => ({ id, host: HOST })));
  return {
    dir,
    node: (id) => loadNodeCredentials(pkiDir, id),
    client: () => loadClientCredentials(pkiDir),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A port no other test process will use and that is free now (see test/helpers/ports.ts). */
export async function freePort(): Promise<number> {
  const [port] = await reservePorts(1);
  return port!;
}

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** A transport plus what it received (one entry per onMessages call) and logged. */
export interface TestNode {
  id: string;
  port: number;
  transport: PeerTransport;
  batches: Message[][];
  logs: LogLine[];
  unreachable: string[];
  received(): Message[];
}

export function makeNode(
  id: string,
  port: number,
  peers: { id: string; port: number }[],
  credentials: Credentials,
  overrides: Partial<PeerTransportOptions> = {},
): TestNode {
  const batches: Message[][] = [];
  const logs: LogLine[] = [];
  const unreachable: string[] = [];
  const transport = new PeerTransport({
    selfId: id,
    listenHost: HOST,
    listenPort: port,
    peers: peers.filter((p) => p.id !== id).map((p) => ({ id: p.id, host: HOST, port: p.port })),
    credentials,
    onMessages: (messages) => batches.push(messages),
    onPeerUnreachable: (peer) => unreachable.push(peer),
    log: (level, message, fields) => logs.push({ level, message, fields }),
    ...overrides,
  });
  return { id, port, transport, batches, logs, unreachable, received: () => batches.flat() };
}

/** Polls until `condition` holds; fails (naming `what`) after a bound, so no test can hang. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function allConnected(nodes: TestNode[]): boolean {
  return nodes.every((n) => n.transport.stats().every((s) => s.connected));
}

/** A small message whose `index` tells test messages apart. */
export function message(from: string, to: string, index: number, data: Uint8Array[] = []): Message {
  return {
    type: data.length > 0 ? MessageType.App : MessageType.Heartbeat,
    from,
    to,
    term: 3,
    logTerm: 2,
    index,
    entries: data.map((d, i) => ({ term: 2, index: index + i + 1, type: 0, data: d })),
    commit: 1,
    reject: false,
    rejectHint: 0,
    context: 0,
    snapshot: null,
  };
}

export function indexesFrom(node: TestNode, from: string): number[] {
  return node.received().filter((m) => m.from === from).map((m) => m.index);
}

export function logged(node: TestNode, pattern: RegExp): LogLine[] {
  return node.logs.filter((l) => pattern.test(l.message));
}
