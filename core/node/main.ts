// The node process: `node core/node/main.ts --workspace DIR --id n1` (through tsx in a checkout).
// The supervisor forks it with an IPC channel; run from a shell it works the same, without one.
// It exits when its supervisor goes away (IPC disconnect), so no node outlives the app.

import { parseArgs } from 'node:util';
import type { NodeFaults } from '../api/cluster-state.js';
import type { NodeDefinition } from '../api/cluster-definition.js';
import { clientUrl, effectiveNode } from '../workspace/definition.js';
import { workspacePaths } from '../workspace/paths.js';
import { loadDefinition } from '../workspace/workspace.js';
import { cli } from '../workspace/cli-name.js';
import { loadNodeCredentials } from '../pki/credentials.js';
import { WalCorruptionError, openDiskLog } from '../storage/disk-log.js';
import type { DurableLog } from '../storage/durable-log.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { PeerTransport } from '../transport/peer-transport.js';
import { limitsFor } from '../transport/connection-guard.js';
import { ClientApi } from './client-api.js';
import { guardDataIdentity, replaceNodeAdvice } from './data-identity.js';
import { DiskSpaceWatch, freeSpaceProbe } from './disk-space.js';
import { openFileLimit } from './fd-limit.js';
import type { NodeToSupervisor, SupervisorToNode } from './ipc-protocol.js';
import { fileLogger } from './logger.js';
import { MessageLog, teeTap } from './message-log.js';
import { NodeMetrics } from './node-metrics.js';
import { NodeRuntime } from './node-runtime.js';

const { values } = parseArgs({ options: { workspace: { type: 'string' }, id: { type: 'string' } } });
if (!values.workspace || !values.id) {
  console.error('usage: node core/node/main.ts --workspace DIR --id NODE');
  process.exit(2);
}
const workspace = values.workspace;
const id = values.id;
const paths = workspacePaths(workspace);
const { log, flush } = fileLogger(paths.nodeLog(id), id);

/** Prometheus metrics (GET /metrics on the client port), fed by the transport, the WAL and reports. */
const metrics = new NodeMetrics();
/** Every message sent, received or dropped, in a bounded ring; RAFTDESK_MESSAGE_LOG=0 turns it off (to measure its cost). */
const messageLog = process.env.RAFTDESK_MESSAGE_LOG === '0' ? null : new MessageLog();

function emit(message: NodeToSupervisor): void {
  if (message.type === 'report') metrics.noteLeader(message.report.leader);
  if (process.connected) process.send!(message);
}

let runtime: NodeRuntime | null = null;
/** Every member's client URL, for redirects; follows membership changes. */
const clientUrls = new Map<string, string>();
let clientApi: ClientApi | null = null;
let diskWatch: DiskSpaceWatch | null = null;
/** Another node's space alarm, as the supervisor passes it on: this node refuses writes too. */
let clusterAlarm: string | null = null;
let exiting = false;

function fatal(message: string): never {
  // The supervisor first: the reason must reach it even if the log cannot be written (a full disk).
  emit({ type: 'fatal', message });
  log('error', message);
  flush();
  // Give the IPC message a moment to leave before the process goes.
  setTimeout(() => process.exit(1), 50);
  exiting = true;
  throw new FatalExit(message);
}

class FatalExit extends Error {}

async function shutdown(code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  log('info', 'shutting down');
  const force = setTimeout(() => process.exit(code), 3000);
  force.unref();
  try {
    diskWatch?.stop();
    await clientApi?.close();
    await runtime?.stop();
  } finally {
    flush();
    process.exit(code);
  }
}

function setClientUrls(nodes: readonly NodeDefinition[]): void {
  clientUrls.clear();
  for (const n of nodes) clientUrls.set(n.id, clientUrl(n));
}

function describeListenError(e: unknown, what: string, host: string, port: number): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') return `Port ${port} (${id} ${what} port) is already in use on ${host}; stop what uses it or pick another port.`;
  if (err.code === 'EADDRNOTAVAIL') return `${host} is not an address of this machine, so ${id} cannot listen on it; use 127.0.0.1.`;
  return `${id} could not listen on ${host}:${port}: ${err.message}.`;
}

async function main(): Promise<void> {
  let definition;
  try {
    definition = (await loadDefinition(workspace)).definition;
  } catch (e) {
    fatal((e as Error).message);
  }
  const self = (() => {
    try {
      return effectiveNode(definition, id);
    } catch (e) {
      return fatal((e as Error).message);
    }
  })();
  const credentials = await loadNodeCredentials(paths.pki, id).catch((e: Error) =>
    fatal(`${id} has no usable certificate (${e.message}); run \`${cli('up')}\` again to regenerate the workspace certificates.`),
  );

  let storage: DurableLog;
  if (self.storage === 'disk') {
    try {
      storage = await openDiskLog(paths.nodeData(id), { fsync: definition.defaults.fsync, log, onSync: (seconds) => metrics.fsync.observe(seconds) });
    } catch (e) {
      fatal(e instanceof WalCorruptionError ? `${e.message} ${replaceNodeAdvice(paths.root, id)}` : (e as Error).message);
    }
    // Refuses to start on data that is behind what this node made durable before (lost or truncated).
    try {
      storage = await guardDataIdentity(paths.root, id, storage, (e) => log('warn', `could not update the data marker: ${e.message}`));
    } catch (e) {
      fatal((e as Error).message);
    }
  } else {
    storage = new MemoryStorage();
  }

  const fdLimit = openFileLimit();
  const peers = definition.nodes.filter((n) => n.id !== id).map((n) => ({ id: n.id, host: n.host, port: n.peerPort }));
  try {
    runtime = new NodeRuntime({
      id,
      definition,
      storage,
      log,
      emit,
      makeTransport: (onMessages, onPeerUnreachable) =>
        new PeerTransport({ selfId: id, listenHost: self.host, listenPort: self.peerPort, peers, credentials, onMessages, onPeerUnreachable, log, connectionLimits: limitsFor(fdLimit, 'peer'), tap: messageLog ? teeTap(metrics, messageLog) : metrics }),
    });
  } catch (e) {
    fatal((e as Error).message);
  }
  try {
    await runtime.start((message) => fatal(message));
  } catch (e) {
    if (e instanceof FatalExit) return;
    fatal(describeListenError(e, 'peer', self.host, self.peerPort));
  }

  setClientUrls(definition.nodes);
  clientApi = new ClientApi({ host: self.host, port: self.clientPort, credentials, runtime, clientUrlOf: (n) => clientUrls.get(n) ?? null, log, connectionLimits: limitsFor(fdLimit, 'client'), writeRefusal: () => diskWatch?.alarm ?? clusterAlarm, metrics, messageLog });
  try {
    await clientApi.start();
  } catch (e) {
    fatal(describeListenError(e, 'client', self.host, self.clientPort));
  }
  if (self.storage === 'disk') {
    diskWatch = new DiskSpaceWatch(id, paths.nodeData(id), definition.defaults.minFreeDiskMb * 1024 * 1024, freeSpaceProbe(), (alarm) => {
      log(alarm ? 'warn' : 'info', alarm ?? 'space alarm cleared: writes are accepted again');
      emit({ type: 'alarm', message: alarm });
    });
    await diskWatch.start();
  }
  emit({ type: 'ready', pid: process.pid });
}

process.on('message', (raw: SupervisorToNode) => {
  if (!runtime) return;
  switch (raw.type) {
    case 'set-faults':
      runtime.setFaults(raw.faults as NodeFaults);
      break;
    case 'read-log':
      try {
        emit({ type: 'log-view', requestId: raw.requestId, view: runtime.logView(raw.limit, raw.fromIndex) });
      } catch (e) {
        emit({
          type: 'log-view',
          requestId: raw.requestId,
          view: { id, firstIndex: 0, lastIndex: 0, commitIndex: 0, appliedIndex: 0, entries: [], unavailable: (e as Error).message },
        });
      }
      break;
    case 'state-digest':
      emit({ type: 'state-digest', requestId: raw.requestId, ...runtime.stateDigest() });
      break;
    case 'cluster-alarm':
      clusterAlarm = raw.message;
      break;
    case 'campaign':
      runtime.campaign();
      break;
    case 'slow-motion':
      runtime.setSlowMotion(raw.factor);
      break;
    case 'drop-next':
      runtime.dropNext(raw.to, raw.count);
      break;
    case 'clear-drops':
      runtime.clearDropNext(raw.to);
      break;
    case 'members':
      setClientUrls(raw.nodes);
      void runtime.setPeers(raw.nodes.filter((n) => n.id !== id).map((n) => ({ id: n.id, host: n.host, port: n.peerPort })));
      break;
    case 'shutdown':
      void shutdown(0);
      break;
  }
});
// The supervisor is gone (exited, crashed or killed): a node must never outlive it.
process.on('disconnect', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
process.on('uncaughtException', (e) => {
  if (e instanceof FatalExit) return;
  log('error', 'uncaught exception', { error: e.message, stack: e.stack });
  flush();
  emit({ type: 'fatal', message: `${id} crashed: ${e.message}` });
  setTimeout(() => process.exit(1), 50);
});

main().catch((e) => {
  if (e instanceof FatalExit) return;
  try {
    fatal(`${id} failed to start: ${(e as Error).message}`);
  } catch {
    // fatal() throws to unwind; the exit is already scheduled.
  }
});
