// One connection a peer dialed to us. TLS has already proven that its certificate comes from the
// cluster CA; this checks the rest before any message is believed: the certificate names a node, the
// hello names that same node, the node is a configured member and meant to reach us. Then it turns
// frames into messages until the connection ends. A bad frame closes this connection only.

import type { TLSSocket } from 'node:tls';
import type { Message } from '../raft/types.js';
import { nodeIdOf } from '../pki/node-identity.js';
import { MAX_HELLO_BYTES, PROTOCOL_VERSION, decodeHello, decodeMessagesPayload, encodeHelloFrame } from './frame.js';
import { FrameDecoder, FrameError } from './frame-decoder.js';
import { describeError } from './peer-stats.js';

/** An authenticated peer that connects must say hello within this. */
const HELLO_TIMEOUT_MS = 5000;

export interface InboundOptions {
  selfId: string;
  maxFrameBytes: number;
  isMember(id: string): boolean;
  /** The hello checked out: `peer` is who this connection speaks for. */
  accepted(peer: string, connection: InboundConnection): void;
  deliver(peer: string, messages: Message[]): void;
  /** Refused or broken: logged once per (subject, reason) by the owner. `subject` is a node ID or an
   *  address; `reason` is stable across attempts, `detail` may vary. */
  problem(subject: string, reason: string, detail?: string): void;
  closed(connection: InboundConnection): void;
}

export class InboundConnection {
  /** Set once the hello is accepted. */
  peer: string | null = null;
  readonly whenClosed: Promise<void>;
  private readonly decoder = new FrameDecoder(MAX_HELLO_BYTES);
  private readonly certifiedId: string | null;
  private helloTimer: NodeJS.Timeout | null;
  private ended = false;

  constructor(
    private readonly socket: TLSSocket,
    private readonly options: InboundOptions,
  ) {
    this.whenClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setNoDelay(true);
    this.certifiedId = nodeIdOf(socket.getPeerCertificate());
    this.helloTimer = setTimeout(() => this.refuse(`sent no hello within ${HELLO_TIMEOUT_MS} ms`), HELLO_TIMEOUT_MS);
    // Errors (a reset, a TLS alert) end in 'close'; they are not this node's problem to report.
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => {
      if (this.decoder.bufferedBytes > 0) this.refuse('ended the connection inside a frame', `${this.decoder.bufferedBytes} bytes of a truncated frame`);
    });
    socket.on('close', () => {
      if (this.helloTimer) clearTimeout(this.helloTimer);
      this.options.closed(this);
    });
    if (!socket.authorized) this.refuse('its certificate is not trusted', String(socket.authorizationError));
    else if (this.certifiedId === null) this.refuse('its certificate names no node (a client certificate cannot join the peer port)');
  }

  destroy(): void {
    this.ended = true;
    this.socket.destroy();
  }

  private subject(): string {
    return this.peer ?? this.certifiedId ?? this.socket.remoteAddress ?? 'an unknown address';
  }

  private refuse(reason: string, detail?: string): void {
    if (this.ended) return;
    this.options.problem(this.subject(), reason, detail);
    this.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.ended) return;
    let payloads: Uint8Array[];
    try {
      payloads = this.decoder.push(chunk);
    } catch (e) {
      return this.refuse(e instanceof FrameError ? `sent a bad frame (${e.reason})` : 'failed to decode', describeError(e));
    }
    for (const payload of payloads) {
      if (this.ended) return;
      if (this.peer === null) this.receiveHello(payload);
      else this.receiveMessages(this.peer, payload);
    }
  }

  private receiveHello(payload: Uint8Array): void {
    let hello;
    try {
      hello = decodeHello(payload);
    } catch (e) {
      return this.refuse('sent an invalid hello', describeError(e));
    }
    const id = this.certifiedId!;
    if (hello.version !== PROTOCOL_VERSION) return this.refuse(`speaks peer protocol version ${hello.version}, this node speaks ${PROTOCOL_VERSION}`);
    if (hello.from !== id) return this.refuse(`claims to be ${JSON.stringify(hello.from)} but its certificate names ${id}`);
    if (id === this.options.selfId || !this.options.isMember(id)) return this.refuse(`${id} is not a peer of this node in the cluster configuration`);
    if (hello.to !== this.options.selfId) return this.refuse(`meant to reach ${JSON.stringify(hello.to)}, but this is ${this.options.selfId}`);
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
    this.peer = id;
    this.decoder.maxPayloadBytes = this.options.maxFrameBytes;
    this.socket.write(encodeHelloFrame({ version: PROTOCOL_VERSION, from: this.options.selfId, to: id }));
    this.options.accepted(id, this);
  }

  private receiveMessages(peer: string, payload: Uint8Array): void {
    let messages: Message[];
    try {
      messages = decodeMessagesPayload(payload);
    } catch (e) {
      return this.refuse('sent an undecodable frame', describeError(e));
    }
    this.options.deliver(peer, messages);
  }
}
