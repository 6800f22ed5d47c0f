// The peer transport of one node: a mutual-TLS server on its peer port (cluster CA only) that
// receives each peer's messages, and one dialed connection per peer that carries this node's messages
// to it. Binary frames, coalesced per peer per tick, bounded queues that drop rather than block, and
// the supervisor's network faults (partition, one-way cut, delay, loss) applied here.

import { createSecureContext, createServer, type SecureContext, type Server, type TLSSocket } from 'node:tls';
import { encodeMessage } from '../codec/raft-codec.js';
import type { Credentials } from '../pki/credentials.js';
import { mtlsServerOptions } from '../pki/mtls-options.js';
import type { Message } from '../raft/types.js';
import { guardConnections, limitsFor, type ConnectionLimits } from './connection-guard.js';
import { FaultFilter, type TransportFaults } from './fault-filter.js';
import { InboundConnection } from './inbound-connection.js';
import { OnceLog } from './once-log.js';
import { OutboundPeer, type PeerAddress } from './outbound-peer.js';
import type { MessageTap } from './message-tap.js';
import { describeError, type Log, type PeerStats } from './peer-stats.js';

export type { TransportFaults } from './fault-filter.js';

export const DEFAULT_MAX_FRAME_BYTES = 16 << 20;
export const DEFAULT_MAX_QUEUE_MESSAGES = 4096;
export const DEFAULT_MAX_QUEUE_BYTES = 64 << 20;

export interface PeerTransportOptions {
  selfId: string;
  listenHost: string;
  listenPort: number;
  /** The other members (an entry for selfId is ignored). */
  peers: PeerAddress[];
  credentials: Credentials;
  /** Inbound messages, already decoded and authenticated: m.from is the sending peer, m.to this node. */
  onMessages(messages: Message[]): void;
  /** An outbound connection failed or dropped. */
  onPeerUnreachable?(id: string): void;
  log: Log;
  /** The largest frame payload sent or accepted; a message that does not fit is dropped. */
  maxFrameBytes?: number;
  maxQueueMessages?: number;
  maxQueueBytes?: number;
  /** Uniform in [0, 1): backoff jitter, delay jitter and loss. */
  random?: () => number;
  /** How many sockets the peer port holds (see connection-guard.ts). */
  connectionLimits?: ConnectionLimits;
  /** Told of every message sent, received or dropped here (metrics, the message log). */
  tap?: MessageTap;
}

interface Peer {
  outbound: OutboundPeer;
  stats: PeerStats;
  /** The peer's current connection to us; a newer one replaces it (the peer dialed again). */
  inbound: InboundConnection | null;
}

export class PeerTransport {
  private readonly peers = new Map<string, Peer>();
  private readonly inbound = new Set<InboundConnection>();
  private readonly faults: FaultFilter;
  private readonly problems = new OnceLog();
  private readonly maxFrameBytes: number;
  private server: Server | null = null;
  /** Settles when start()'s listen does; close() waits for it so that it never leaves a port open. */
  private listening: Promise<void> = Promise.resolve();
  private state: 'new' | 'started' | 'closed' = 'new';
  private readonly secureContext: SecureContext;
  private readonly random: () => number;

  /** Throws if the credentials cannot be used (a broken PEM, a key that does not match its certificate). */
  constructor(private readonly options: PeerTransportOptions) {
    this.random = options.random ?? Math.random;
    this.faults = new FaultFilter(this.random);
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    // Parsed once, here, rather than on every dial; and a bad PEM fails now, not inside a retry timer.
    this.secureContext = clientContext(options.credentials);
    for (const address of options.peers) this.addPeer(address);
  }

  private addPeer(address: PeerAddress): Peer | null {
    if (address.id === this.options.selfId || this.peers.has(address.id)) return null;
    const options = this.options;
    const stats: PeerStats = { sent: 0, received: 0, dropped: 0 };
    const outbound = new OutboundPeer(
      address,
      {
        selfId: options.selfId,
        secureContext: this.secureContext,
        maxFrameBytes: this.maxFrameBytes,
        maxQueueMessages: options.maxQueueMessages ?? DEFAULT_MAX_QUEUE_MESSAGES,
        maxQueueBytes: options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES,
        random: this.random,
        isBlocked: (peer) => this.faults.isBlockedTo(peer),
        onUnreachable: (peer) => this.options.onPeerUnreachable?.(peer),
        log: options.log,
      },
      stats,
    );
    const peer: Peer = { outbound, stats, inbound: null };
    this.peers.set(address.id, peer);
    return peer;
  }

  /**
   * The cluster's members changed (a node was added or removed at runtime): dial the new ones,
   * hang up on the removed ones (their connections to us too). A peer whose address changed is
   * redialed. Resolves once removed peers' sockets are closed.
   */
  async setPeers(addresses: readonly PeerAddress[]): Promise<void> {
    if (this.state === 'closed') return;
    const wanted = new Map(addresses.filter((a) => a.id !== this.options.selfId).map((a) => [a.id, a]));
    const closing: Promise<void>[] = [];
    for (const [id, peer] of this.peers) {
      const address = wanted.get(id);
      if (address && address.host === peer.outbound.peer.host && address.port === peer.outbound.peer.port) continue;
      this.peers.delete(id);
      closing.push(peer.outbound.close());
      peer.inbound?.destroy();
      this.options.log('info', address ? `${id} moved to ${address.host}:${address.port}` : `${id} is no longer a member: hung up`, { peer: id });
    }
    for (const address of wanted.values()) {
      const added = this.addPeer(address);
      if (!added) continue;
      this.options.log('info', `${address.id} joined at ${address.host}:${address.port}`, { peer: address.id });
      if (this.state === 'started') added.outbound.start();
    }
    await Promise.all(closing);
  }

  /** Listens on the peer port, then dials every peer. Rejects (with the listen error's `code`) if it cannot listen. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('a PeerTransport starts once');
    this.state = 'started';
    const { credentials, listenHost, listenPort } = this.options;
    const server = createServer(mtlsServerOptions(credentials));
    this.server = server;
    guardConnections(server, this.options.connectionLimits ?? limitsFor(null, 'peer'));
    server.on('secureConnection', (socket: TLSSocket) => this.accept(socket));
    // Plaintext, another CA's certificate, no certificate, a port scanner: refused by TLS itself.
    server.on('tlsClientError', (e: Error, socket: TLSSocket) => this.refusedHandshake(e, socket));
    this.listening = new Promise<void>((resolve, reject) => {
      const failed = (e: NodeJS.ErrnoException) => reject(listenError(e, listenHost, listenPort));
      server.once('error', failed);
      server.listen(listenPort, listenHost, () => {
        server.off('error', failed);
        server.on('error', (e) => this.options.log('error', `peer server error: ${describeError(e)}`));
        resolve();
      });
    });
    await this.listening;
    if (this.state !== 'started') return;
    this.options.log('info', `listening for peers on ${listenHost}:${listenPort}`);
    for (const peer of this.peers.values()) peer.outbound.start();
  }

  /** Routes each message by m.to. Never blocks and never throws: what cannot be sent is dropped and counted. */
  send(messages: Message[]): void {
    if (this.state === 'closed') return;
    for (const m of messages) {
      const peer = this.peers.get(m.to);
      if (!peer) {
        if (this.problems.first('send', `to:${m.to}`)) this.options.log('error', `dropping messages to ${JSON.stringify(m.to)}, which is not a peer of this node`);
        continue;
      }
      if (this.faults.takeDropNext(m.to)) {
        peer.stats.dropped++;
        this.options.tap?.dropped(m, 'out', 'one-shot');
        continue;
      }
      const blocked = this.faults.isBlockedTo(m.to);
      if (blocked || this.faults.shouldLose()) {
        peer.stats.dropped++;
        this.options.tap?.dropped(m, 'out', blocked ? 'partition' : 'loss');
        continue;
      }
      let encoded: Uint8Array;
      try {
        encoded = encodeMessage(m);
      } catch (e) {
        peer.stats.dropped++;
        this.options.tap?.dropped(m, 'out', 'encode');
        if (this.problems.first('send', 'encode')) this.options.log('error', `dropping a message that cannot be encoded: ${describeError(e)}`, { peer: m.to });
        continue;
      }
      if (encoded.length > peer.outbound.maxMessageBytes) {
        peer.stats.dropped++;
        this.options.tap?.dropped(m, 'out', 'too-large');
        if (this.problems.first('send', 'too large')) {
          this.options.log('error', `dropping a ${encoded.length}-byte message: frames are limited to ${this.maxFrameBytes} bytes`, { peer: m.to, type: m.type });
        }
        continue;
      }
      this.options.tap?.sent(m, encoded.length);
      peer.outbound.submit(encoded, this.faults.nextDelayMs());
    }
  }

  /** One-shot fault: drop the next `count` messages to `peer` (0 clears). */
  dropNext(peer: string, count: number): void {
    this.faults.setDropNext(peer, count);
    this.options.log('info', count > 0 ? `dropping the next ${count} messages to ${peer}` : `no longer dropping messages to ${peer}`, { peer });
  }

  /** Clears every one-shot drop, or only the one toward `peer`; true if one was armed. */
  clearDropNext(peer?: string): boolean {
    const left = this.faults.dropsLeft();
    const armed = peer === undefined ? Object.keys(left).length > 0 : (left[peer] ?? 0) > 0;
    if (peer === undefined) this.faults.clearDropNext();
    else this.faults.setDropNext(peer, 0);
    if (armed && peer !== undefined) this.options.log('info', `no longer dropping messages to ${peer}`, { peer });
    return armed;
  }

  dropsLeft(): Record<string, number> {
    return this.faults.dropsLeft();
  }

  /** Replaces the faults in force; all-empty/zero values heal. */
  setFaults(faults: TransportFaults): void {
    const applied = this.faults.set(faults);
    this.options.log('info', 'network faults set', { ...applied });
  }

  stats(): { peer: string; connected: boolean; sent: number; received: number; dropped: number }[] {
    return [...this.peers].map(([id, peer]) => ({ peer: id, connected: peer.outbound.connected, ...peer.stats }));
  }

  /** Stops listening and dialing and closes every connection; resolves once all sockets are closed. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const server = this.server;
    const serverClosed = server
      ? this.listening.then(
          () => new Promise<void>((resolve) => server.close(() => resolve())),
          () => undefined,
        )
      : Promise.resolve();
    const closing = [...this.peers.values()].map((peer) => peer.outbound.close());
    for (const connection of this.inbound) {
      connection.destroy();
      closing.push(connection.whenClosed);
    }
    await Promise.all([serverClosed, ...closing]);
  }

  private accept(socket: TLSSocket): void {
    if (this.state === 'closed') {
      socket.destroy();
      return;
    }
    const connection = new InboundConnection(socket, {
      selfId: this.options.selfId,
      maxFrameBytes: this.maxFrameBytes,
      isMember: (id) => this.peers.has(id),
      accepted: (id, accepted) => this.accepted(id, accepted),
      deliver: (id, messages) => this.deliver(id, messages),
      problem: (subject, reason, detail) => this.problem(subject, reason, detail),
      closed: (closed) => {
        this.inbound.delete(closed);
        const peer = closed.peer === null ? undefined : this.peers.get(closed.peer);
        if (peer?.inbound === closed) peer.inbound = null;
      },
    });
    this.inbound.add(connection);
  }

  private accepted(id: string, connection: InboundConnection): void {
    const peer = this.peers.get(id)!;
    peer.inbound?.destroy();
    peer.inbound = connection;
    this.problems.forget(id);
    this.options.log('info', `accepted the connection from ${id}`, { peer: id });
    peer.outbound.nudge();
  }

  private deliver(id: string, messages: Message[]): void {
    const peer = this.peers.get(id)!;
    const tap = this.options.tap;
    if (this.faults.isBlockedFrom(id)) {
      peer.stats.dropped += messages.length;
      if (tap) for (const m of messages) tap.dropped(m, 'in', 'partition');
      return;
    }
    // An authenticated peer speaks only for itself, and only to us.
    const valid = messages.filter((m) => m.from === id && m.to === this.options.selfId);
    if (valid.length < messages.length) {
      peer.stats.dropped += messages.length - valid.length;
      if (tap) for (const m of messages) if (!valid.includes(m)) tap.dropped(m, 'in', 'misaddressed');
      if (this.problems.first(id, 'misaddressed')) this.options.log('warn', `dropping messages from ${id} that are not from it or not to this node`, { peer: id });
    }
    if (valid.length === 0) return;
    peer.stats.received += valid.length;
    if (tap) for (const m of valid) tap.received(m);
    try {
      this.options.onMessages(valid);
    } catch (e) {
      if (this.problems.first('deliver', describeError(e))) this.options.log('error', `onMessages failed: ${describeError(e)}`, { peer: id });
    }
  }

  /**
   * Node ends a handshake whose client certificate fails verification (rejectUnauthorized) without the
   * reason in `e`, which is a bare "socket hang up"; the verification result is left on the socket.
   * The peer is unknown (nothing it presented is trusted), so these are logged once per reason.
   */
  private refusedHandshake(e: Error, socket: TLSSocket): void {
    const code = (e as NodeJS.ErrnoException).code ?? e.message;
    const reason = socket.authorizationError
      ? `its certificate is not from the cluster CA (${String(socket.authorizationError)})`
      : `it failed the TLS handshake (${code})`;
    if (!this.problems.first('handshake', reason)) return;
    const address = socket.remoteAddress;
    this.options.log('warn', `refused a peer connection${address ? ` from ${address}` : ''}: ${reason}`, { detail: e.message });
  }

  private problem(subject: string, reason: string, detail?: string): void {
    if (!this.problems.first(subject, reason)) return;
    this.options.log('warn', `refused the peer connection from ${subject}: ${reason}`, detail === undefined ? { subject } : { subject, detail });
  }
}

function clientContext(credentials: Credentials): SecureContext {
  try {
    return createSecureContext({ ca: credentials.ca, cert: credentials.cert, key: credentials.key, minVersion: 'TLSv1.3' });
  } catch (e) {
    throw new Error(`The node's certificate or key is unusable (${describeError(e)}): restart the cluster to regenerate the workspace certificates.`, {
      cause: e,
    });
  }
}

function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  const message =
    e.code === 'EADDRINUSE'
      ? `Peer port ${where} is already in use: stop what uses it or choose another port.`
      : e.code === 'EADDRNOTAVAIL'
        ? `${host} is not an address of this machine, so the peer port cannot listen on ${where}: use 127.0.0.1.`
        : `Cannot listen for peers on ${where}: ${e.message}.`;
  return Object.assign(new Error(message), { code: e.code });
}
