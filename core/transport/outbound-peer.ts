// The connection this node dials to one peer, and the queue of messages waiting for it. Exactly one
// connection at a time: dial, say hello, wait for the peer's hello in reply, then stream message
// frames until the connection drops; then redial after a backoff. Nothing here ever blocks the
// caller: messages that do not fit the bounded queue are dropped and counted (Raft retransmits).

import { connect, checkServerIdentity, type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import { nodeIdOf } from '../pki/node-identity.js';
import { Backoff } from './backoff.js';
import { MAX_HELLO_BYTES, PROTOCOL_VERSION, decodeHello, encodeHelloFrame, encodeMessagesFrame, messagesPayloadBound } from './frame.js';
import { FrameDecoder } from './frame-decoder.js';
import { OnceLog } from './once-log.js';
import { describeError, type Log, type PeerStats } from './peer-stats.js';
import { SendQueue } from './send-queue.js';

/** Dialing, TLS and the hello exchange together must finish within this. */
const CONNECT_TIMEOUT_MS = 5000;
/** Coalesced frames are cut at this size (or one message, if larger) to keep the receiver's buffer small. */
const TARGET_FRAME_BYTES = 1 << 20;
/** Errors that only mean "the peer is not up (yet)": expected while nodes start, stop or restart. */
const PEER_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface PeerAddress {
  id: string;
  host: string;
  port: number;
}

export interface OutboundOptions {
  selfId: string;
  /** The cluster CA to trust and this node's certificate and key. */
  secureContext: SecureContext;
  /** The largest frame payload the peer accepts. */
  maxFrameBytes: number;
  maxQueueMessages: number;
  maxQueueBytes: number;
  random: () => number;
  /** Asked when frames are written: messages queued before a partition was applied are dropped then. */
  isBlocked(peer: string): boolean;
  onUnreachable(peer: string): void;
  log: Log;
}

type State = 'idle' | 'connecting' | 'open' | 'closed';

export class OutboundPeer {
  private state: State = 'idle';
  private socket: TLSSocket | null = null;
  private socketClosed: Promise<void> = Promise.resolve();
  private connectTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private flushScheduled = false;
  private readonly queue = new SendQueue();
  /** Messages held by a delay fault still count against the queue's bounds. */
  private readonly delayTimers = new Set<NodeJS.Timeout>();
  private delayedBytes = 0;
  private readonly backoff: Backoff;
  private readonly problems = new OnceLog();
  private queueFullLogged = false;

  constructor(
    readonly peer: PeerAddress,
    private readonly options: OutboundOptions,
    private readonly stats: PeerStats,
  ) {
    this.backoff = new Backoff(options.random);
  }

  get connected(): boolean {
    return this.state === 'open';
  }

  /** The largest single encoded message this peer can be sent. */
  get maxMessageBytes(): number {
    return this.options.maxFrameBytes - messagesPayloadBound(0);
  }

  start(): void {
    if (this.state === 'idle' && !this.retryTimer) this.dial();
  }

  /** Queues one encoded message, to be written after `delayMs` (0: with this tick's coalesced frame). */
  submit(encoded: Uint8Array, delayMs: number): void {
    if (this.state === 'closed') return;
    const pendingMessages = this.queue.length + this.delayTimers.size;
    const pendingBytes = this.queue.bytes + this.delayedBytes;
    if (pendingMessages >= this.options.maxQueueMessages || pendingBytes + encoded.length > this.options.maxQueueBytes) {
      this.stats.dropped++;
      if (!this.queueFullLogged) {
        this.queueFullLogged = true;
        this.options.log('warn', `send queue to ${this.peer.id} is full; dropping messages until it drains`, {
          peer: this.peer.id,
          queuedMessages: pendingMessages,
          queuedBytes: pendingBytes,
        });
      }
      return;
    }
    if (delayMs <= 0) {
      this.enqueue(encoded);
      return;
    }
    this.delayedBytes += encoded.length;
    const timer = setTimeout(() => {
      this.delayTimers.delete(timer);
      this.delayedBytes -= encoded.length;
      this.enqueue(encoded);
    }, delayMs);
    this.delayTimers.add(timer);
  }

  /** The peer just connected to us, so it is up: stop waiting out the backoff and dial now. */
  nudge(): void {
    if (this.state !== 'idle' || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.backoff.reset();
    this.dial();
  }

  /** Stops for good: no redial, queued and delayed messages are discarded. Resolves once the socket is closed. */
  close(): Promise<void> {
    this.state = 'closed';
    for (const timer of [this.connectTimer, this.retryTimer, ...this.delayTimers]) if (timer) clearTimeout(timer);
    this.delayTimers.clear();
    this.queue.clear();
    this.socket?.destroy();
    return this.socketClosed;
  }

  private enqueue(encoded: Uint8Array): void {
    this.queue.push(encoded);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Everything submitted in this tick leaves in the same frames.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const socket = this.socket;
    if (this.state !== 'open' || !socket || socket.writableNeedDrain) return;
    if (this.options.isBlocked(this.peer.id)) {
      this.stats.dropped += this.queue.clear();
      this.queueFullLogged = false;
      return;
    }
    const frameTarget = Math.min(this.maxMessageBytes, TARGET_FRAME_BYTES);
    while (this.queue.length > 0 && !socket.writableNeedDrain) {
      const batch = this.queue.take(frameTarget);
      socket.write(encodeMessagesFrame(batch));
      this.stats.sent += batch.length;
    }
    if (this.queue.length === 0) this.queueFullLogged = false;
  }

  private dial(): void {
    this.state = 'connecting';
    const socket = connect({
      host: this.peer.host,
      port: this.peer.port,
      secureContext: this.options.secureContext,
      checkServerIdentity: (host, cert) => this.checkIdentity(host, cert),
    });
    this.socket = socket;
    this.socketClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setNoDelay(true);
    const decoder = new FrameDecoder(MAX_HELLO_BYTES);
    let failure: string | null = null;
    const fail = (reason: string) => {
      failure ??= reason;
      socket.destroy();
    };
    this.connectTimer = setTimeout(() => fail('timed out waiting for the handshake and hello'), CONNECT_TIMEOUT_MS);
    socket.once('secureConnect', () => socket.write(encodeHelloFrame({ version: PROTOCOL_VERSION, from: this.options.selfId, to: this.peer.id })));
    socket.on('data', (chunk: Buffer) => {
      // The acceptor sends its hello and nothing else.
      if (this.state !== 'connecting') return fail('sent data after its hello');
      try {
        const payloads = decoder.push(chunk);
        if (payloads.length === 0) return;
        if (payloads.length > 1) return fail('sent data after its hello');
        const hello = decodeHello(payloads[0]!);
        if (hello.version !== PROTOCOL_VERSION) return fail(`speaks peer protocol version ${hello.version}, this node speaks ${PROTOCOL_VERSION}`);
        if (hello.from !== this.peer.id || hello.to !== this.options.selfId) return fail(`answered as ${hello.from} to ${hello.to}`);
        this.opened();
      } catch (e) {
        fail(`sent an invalid hello: ${describeError(e)}`);
      }
    });
    socket.on('drain', () => this.flush());
    socket.on('error', (e) => {
      failure ??= describeError(e);
    });
    socket.on('close', () => this.closed(socket, failure));
  }

  /** The peer must be the node we meant to dial: right host, and a certificate naming its ID. */
  private checkIdentity(host: string, cert: PeerCertificate): Error | undefined {
    const hostError = checkServerIdentity(host, cert);
    if (hostError) return hostError;
    const id = nodeIdOf(cert);
    if (id !== this.peer.id) return new Error(`the certificate at ${this.address()} names ${id === null ? 'no node' : `node ${id}`}, not ${this.peer.id}`);
    return undefined;
  }

  private opened(): void {
    this.state = 'open';
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.backoff.reset();
    this.problems.forget(this.peer.id);
    this.options.log('info', `connected to ${this.peer.id}`, { peer: this.peer.id, address: this.address() });
    this.flush();
  }

  private closed(socket: TLSSocket, failure: string | null): void {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'idle';
    const reason = failure ?? (wasOpen ? 'the connection closed' : 'the peer closed the connection before accepting it (its log says why)');
    const peerDown = [...PEER_DOWN_CODES].some((code) => reason.startsWith(code));
    if (wasOpen) {
      this.options.log('warn', `lost the connection to ${this.peer.id}: ${reason}`, { peer: this.peer.id });
    } else if (this.problems.first(this.peer.id, reason)) {
      this.options.log(peerDown ? 'info' : 'warn', `cannot connect to ${this.peer.id} at ${this.address()}: ${reason}`, { peer: this.peer.id });
    }
    this.options.onUnreachable(this.peer.id);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.dial();
    }, this.backoff.next());
  }

  private address(): string {
    return this.peer.host.includes(':') ? `[${this.peer.host}]:${this.peer.port}` : `${this.peer.host}:${this.peer.port}`;
  }
}
