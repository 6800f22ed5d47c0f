// Keeps a TLS server alive under a connection flood. Every open socket costs a file descriptor, and
// a process that runs out of them fails everything else too (its WAL, its log file, even reading its
// own memory use). So a port holds at most `maxConnections` sockets (Node refuses more at accept),
// and at most `maxUnauthenticated` of them may still be in their TLS handshake: when one more
// arrives, the oldest unauthenticated socket is dropped. A real client finishes its handshake in
// milliseconds and leaves that pool, so it still gets in while thousands of idle sockets churn.
// (The TLS handshake timeout, set on the server, ends the ones that merely wait.)

import type { Socket } from 'node:net';
import type { Server, TLSSocket } from 'node:tls';

export interface ConnectionLimits {
  /** Sockets open on the port at once, authenticated or not. */
  maxConnections: number;
  /** Sockets still in their TLS handshake; the oldest is dropped to make room for a new one. */
  maxUnauthenticated: number;
}

/** What the guard has done, for logs and tests. */
export interface GuardCounters {
  droppedUnauthenticated: number;
  unauthenticatedNow: number;
}

const keyOf = (s: { remoteAddress?: string; remotePort?: number }) => `${s.remoteAddress ?? ''}|${s.remotePort ?? ''}`;

/** Installs the limits on a TLS server (before it listens). */
export function guardConnections(server: Server, limits: ConnectionLimits): GuardCounters {
  server.maxConnections = limits.maxConnections;
  // Insertion order is age order: the first key is the oldest handshake still pending.
  const pending = new Map<string, Socket>();
  const counters: GuardCounters = { droppedUnauthenticated: 0, unauthenticatedNow: 0 };
  server.on('connection', (socket: Socket) => {
    const key = keyOf(socket);
    while (pending.size >= limits.maxUnauthenticated) {
      const [oldestKey, oldest] = pending.entries().next().value as [string, Socket];
      pending.delete(oldestKey);
      counters.droppedUnauthenticated++;
      oldest.destroy();
    }
    pending.set(key, socket);
    counters.unauthenticatedNow = pending.size;
    socket.once('close', () => {
      if (pending.get(key) === socket) pending.delete(key);
      counters.unauthenticatedNow = pending.size;
    });
  });
  server.on('secureConnection', (tls: TLSSocket) => {
    pending.delete(keyOf(tls));
    counters.unauthenticatedNow = pending.size;
  });
  return counters;
}

/** Per-port limits that leave room under the process's file-descriptor limit (null: unknown). */
export function limitsFor(fdLimit: number | null, kind: 'client' | 'peer'): ConnectionLimits {
  // Two ports, plus the WAL, logs and outbound peer connections: each port gets under half.
  const budget = fdLimit === null ? 1024 : Math.max(64, Math.floor((fdLimit - 128) / 2.5));
  const maxConnections = Math.min(kind === 'client' ? 4096 : 256, budget);
  return { maxConnections, maxUnauthenticated: Math.max(16, Math.min(kind === 'client' ? 256 : 64, Math.floor(maxConnections / 2))) };
}
