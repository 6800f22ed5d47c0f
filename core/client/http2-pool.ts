// One HTTP/2 session per node, created on first use and replaced when it breaks. Many requests
// multiplex on one connection, which is what makes a 64-client benchmark cheap.

import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { Credentials } from '../pki/credentials.js';

export interface Endpoint {
  id: string;
  /** https://host:clientPort */
  url: string;
}

export interface RawResponse {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

/** The request may or may not have reached the node: sent is false only when it certainly did not. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly sent: boolean,
    /** No answer within the time given: says nothing about why. */
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** The certificate complaint behind a stream error, if that is what it was. */
function certificateProblem(e: Error): string | null {
  for (let cur: unknown = e; cur instanceof Error; cur = (cur as Error & { cause?: unknown }).cause) {
    const code = (cur as NodeJS.ErrnoException).code ?? '';
    if (/CERT|SSL|TLS/i.test(code) || /certificate|alert/i.test(cur.message)) return cur.message;
  }
  return null;
}

export class Http2Pool {
  private readonly sessions = new Map<string, http2.ClientHttp2Session>();
  /** Sessions whose TLS handshake completed: only on those can a request have reached the node. */
  private readonly connected = new WeakSet<http2.ClientHttp2Session>();
  /** Sessions the node accepted (it sent its HTTP/2 settings). Under TLS 1.3 a node that refuses our
   *  certificate does so after the handshake, silently: the session just ends before this. */
  private readonly accepted = new WeakSet<http2.ClientHttp2Session>();
  /** Each session's TLS socket: a session still in its handshake can only be let go of through it. */
  private readonly sockets = new WeakMap<http2.ClientHttp2Session, tls.TLSSocket>();

  constructor(private readonly credentials: Credentials) {}

  private session(url: string): http2.ClientHttp2Session {
    const existing = this.sessions.get(url);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    let socket: tls.TLSSocket | null = null;
    const session = http2.connect(url, {
      ca: this.credentials.ca,
      cert: this.credentials.cert,
      key: this.credentials.key,
      minVersion: 'TLSv1.3',
      // Passed on to the TCP socket: requests are small and latency-bound, so no Nagle delay.
      noDelay: true,
      // What http2.connect does itself for https (ALPN h2, SNI unless an IP), keeping the socket.
      createConnection: (authority: URL, options: tls.ConnectionOptions) => {
        const host = authority.hostname.replace(/^\[|\]$/g, '');
        socket = tls.connect({ ...options, host, port: Number(authority.port), ALPNProtocols: ['h2'], ...(net.isIP(host) ? {} : { servername: host }) });
        return socket;
      },
    } as http2.SecureClientSessionOptions);
    if (socket) this.sockets.set(session, socket);
    session.on('connect', () => this.connected.add(session));
    session.on('remoteSettings', () => this.accepted.add(session));
    session.on('error', () => this.sessions.delete(url));
    session.on('close', () => {
      if (this.sessions.get(url) === session) this.sessions.delete(url);
    });
    session.on('goaway', () => this.sessions.delete(url));
    this.sessions.set(url, session);
    return session;
  }

  request(url: string, method: string, path: string, body: string | null, headers: Record<string, string>, timeoutMs: number): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      let session: http2.ClientHttp2Session;
      let stream: http2.ClientHttp2Stream;
      try {
        session = this.session(url);
        // Throws when the session is closing (the node sent GOAWAY as it shut down): the request
        // never left, like a refused connection.
        stream = session.request({ ':method': method, ':path': path, ...(body !== null ? { 'content-type': 'text/plain; charset=utf-8' } : {}), ...headers });
      } catch (e) {
        reject(new TransportError(`${url}: ${(e as Error).message}`, false));
        return;
      }
      let settled = false;
      const timer = setTimeout(() => {
        // Without a completed handshake (a paused node, say) the request never left.
        fail(new TransportError(`no answer from ${url} within ${Math.round(timeoutMs)} ms`, this.connected.has(session), true));
        stream.close(http2.constants.NGHTTP2_CANCEL);
      }, timeoutMs);
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(e);
      };
      let status = 0;
      let responseHeaders: http2.IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on('response', (h) => {
        status = Number(h[':status']);
        responseHeaders = h;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (settled) return;
        // A stream that ends without response headers was cut (the node died mid-request): the
        // request may have reached it, so this is an unknown outcome, never an answer.
        if (status === 0) {
          fail(new TransportError(this.cutReason(url, session, 'the connection ended before the answer'), this.connected.has(session)));
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      stream.on('error', (e: Error) => {
        // A rejected certificate means the node refused the connection: the request never ran there.
        const tlsReason = certificateProblem(e);
        if (tlsReason) {
          fail(new TransportError(`${url} refused the TLS connection (${tlsReason}); the workspace certificates do not match this node`, false));
          return;
        }
        // A connection that never completed its handshake never carried the request; anything later might have.
        fail(new TransportError(this.cutReason(url, session, e.message), this.connected.has(session)));
      });
      stream.on('close', () => {
        if (!settled) fail(new TransportError(`${url}: the connection closed before the answer`, true));
      });
      if (body !== null) stream.end(body);
      else stream.end();
    });
  }

  private cutReason(url: string, session: http2.ClientHttp2Session, what: string): string {
    return this.connected.has(session) && !this.accepted.has(session)
      ? `${url} closed the connection before accepting it (does it trust this workspace's client certificate?)`
      : `${url}: ${what}`;
  }

  /** Closes every connection: gracefully where the handshake completed (streams still open finish),
   *  at once where it did not — a paused node never completes it, and a graceful close would wait
   *  for it and keep the process alive (`raftdesk put` printed OK and never exited). */
  close(): void {
    for (const s of this.sessions.values()) {
      if (this.connected.has(s)) {
        s.close();
      } else {
        s.destroy();
        this.sockets.get(s)?.destroy();
      }
    }
    this.sessions.clear();
  }
}
