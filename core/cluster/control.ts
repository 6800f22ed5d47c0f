// The local control socket of a running supervisor, so that other `raftdesk` commands (and the
// desktop app) can drive a cluster started elsewhere. A Unix socket inside the workspace, mode 0600:
// only the owner can drive the cluster. JSON lines: {id, method, args} → {id, ok, result | error}.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { checkControlArguments, isControlMethod, type ControlArguments, type ControlMethod } from '../api/call-arguments.js';
import { workspacePaths } from '../workspace/paths.js';
import type { Supervisor } from './supervisor.js';
import { UserError } from '../workspace/user-error.js';
import { cli } from '../workspace/cli-name.js';

/** One handler a control method; a method needs its schema in core/api/call-arguments.ts to be served. */
export type ControlHandlers = { [M in ControlMethod]: (...args: ControlArguments<M>) => unknown };

/** Where a workspace's supervisor listens. Unix socket paths are short (~104 bytes): long workspace
 *  paths fall back to a per-user temporary folder; Windows uses a named pipe. */
export function controlSocketPath(workspace: string): string {
  const inWorkspace = workspacePaths(workspace).controlSocket;
  const hash = createHash('sha256').update(path.resolve(workspace)).digest('hex').slice(0, 16);
  if (process.platform === 'win32') return `\\\\.\\pipe\\raftdesk-${hash}`;
  if (Buffer.byteLength(inWorkspace) < 100) return inWorkspace;
  return path.join(os.tmpdir(), `raftdesk-${process.getuid?.() ?? 'u'}-${hash}.sock`);
}

export class NoSupervisorError extends UserError {}

export async function serveControl(workspace: string, handlers: ControlHandlers): Promise<{ close(): Promise<void> }> {
  const socketPath = controlSocketPath(workspace);
  // A socket file left by a supervisor that died is removed; a live one means the cluster is running elsewhere.
  try {
    const info = (await callControl(workspace, 'ping', [], 1000)) as { pid: number };
    throw new UserError(`The cluster in ${workspace} is already running (supervisor pid ${info.pid}); stop it with \`${cli(`down ${workspace}`)}\` first.`);
  } catch (e) {
    if (!(e instanceof NoSupervisorError)) throw e;
  }
  if (process.platform !== 'win32') await fs.rm(socketPath, { force: true });

  const server = net.createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 1024 * 1024) socket.destroy();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        void answer(socket, line);
      }
    });
  });

  async function answer(socket: net.Socket, line: string): Promise<void> {
    let id: unknown = null;
    try {
      const request = JSON.parse(line) as { id: unknown; method: unknown; args: unknown } | null;
      id = request?.id ?? null;
      const method = request?.method;
      if (!isControlMethod(method)) throw new UserError(`Unknown control method ${String(method)}.`);
      // The same schemas as the console's front doors: a handler never sees arguments of the wrong shape.
      const checked = checkControlArguments(method, request?.args ?? []);
      if (!checked.ok) throw new UserError(checked.sentence);
      const result = await (handlers[method] as (...a: unknown[]) => unknown)(...checked.args);
      socket.write(JSON.stringify({ id, ok: true, result: result ?? null }) + '\n');
    } catch (e) {
      socket.write(JSON.stringify({ id, ok: false, error: (e as Error).message }) + '\n');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  if (process.platform !== 'win32') await fs.chmod(socketPath, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if (process.platform !== 'win32') void fs.rm(socketPath, { force: true });
      }),
  };
}

/** Calls a method of the workspace's supervisor. Throws NoSupervisorError if none is running. */
export function callControl(workspace: string, method: string, args: unknown[], timeoutMs = 30_000): Promise<unknown> {
  const socketPath = controlSocketPath(workspace);
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffer = '';
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(() => done(() => reject(new UserError(`The supervisor of ${workspace} did not answer within ${timeoutMs / 1000} s.`))), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(JSON.stringify({ id: 1, method, args }) + '\n'));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      const response = JSON.parse(buffer.slice(0, nl)) as { ok: boolean; result?: unknown; error?: string };
      done(() => (response.ok ? resolve(response.result) : reject(new UserError(response.error ?? 'The supervisor failed.'))));
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      done(() =>
        reject(
          e.code === 'ENOENT' || e.code === 'ECONNREFUSED'
            ? new NoSupervisorError(`The cluster in ${workspace} is not running; start it with \`${cli(`up ${workspace}`)}\`.`)
            : new UserError(`Cannot reach the supervisor of ${workspace}: ${e.message}.`),
        ),
      );
    });
  });
}

/** The control methods every supervisor host serves (the CLI relies on these names). */
export function supervisorHandlers(
  supervisor: Supervisor,
  onStop: () => Promise<void>,
): ControlHandlers {
  return {
    ping: () => ({ pid: process.pid, workspace: supervisor.paths.root, running: supervisor.isRunning }),
    state: () => supervisor.state(),
    nodeAction: (id, action) => supervisor.nodeAction(id, action),
    applyFault: (fault) => supervisor.applyFault(fault),
    healAll: () => supervisor.healAll(),
    setSlowMotion: (factor) => supervisor.setSlowMotion(factor),
    dropMessages: (from, to, count) => supervisor.dropMessages(from, to, count),
    recentEvents: (limit) => supervisor.recentEvents(limit),
    readLogs: (limit, fromIndex) => supervisor.readLogs(limit, fromIndex),
    recentMetrics: (sinceAt) => supervisor.recentMetrics(sinceAt),
    stateDigests: () => supervisor.stateDigests(),
    noteExperiment: (message, details) => supervisor.noteExperiment(message, details ?? {}),
    recordClientOp: (op) => supervisor.recordClientOp(op),
    waitForLeader: (timeoutMs) => supervisor.waitForLeader(timeoutMs),
    listMembers: () => supervisor.listMembers(),
    addMember: (request) => supervisor.addMember(request),
    promoteMember: (id) => supervisor.promoteMember(id),
    removeMember: (id) => supervisor.removeMember(id),
    transferLeader: (to) => supervisor.transferLeader(to ?? null),
    stop: () => {
      // Answer first, then stop: the caller waits for the socket to go away.
      setTimeout(() => void onStop(), 10);
      return { stopping: true };
    },
  };
}
