// The node's client port: HTTPS (HTTP/2 with HTTP/1.1 fallback), client certificates from the
// workspace CA, JSON answers. Writes and linearizable reads go through the log; a follower answers
// with a 307 redirect naming the leader. Errors are {"code", "error"} with one sentence.

import http2 from 'node:http2';
import type { Socket } from 'node:net';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { keyProblem } from '../api/keys.js';
import type { Command } from '../kv/index.js';
import type { MembershipAction } from '../api/membership.js';
import { isRejected } from '../kv/index.js';
import type { Credentials } from '../pki/credentials.js';
import { mtlsServerOptions } from '../pki/mtls-options.js';
import { guardConnections, limitsFor, type ConnectionLimits } from '../transport/connection-guard.js';
import { inConnectionOrder } from './connection-order.js';
import { ClientRequestError, badRequest } from './errors.js';
import type { Log } from './logger.js';
import type { MessageLog } from './message-log.js';
import type { NodeMetrics } from './node-metrics.js';
import type { NodeRuntime } from './node-runtime.js';
import { parseConsistency } from './node-reads.js';

const MAX_BODY_BYTES = 1024 * 1024;
/** Past this many bytes of an oversized HTTP/1.1 body, the connection is closed instead of drained. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
/** Room for the longest key (64 KiB, percent-encoded up to three times as long) in the request line. */
const MAX_HEADER_BYTES = 256 * 1024;

export interface ClientApiOptions {
  host: string;
  port: number;
  credentials: Credentials;
  runtime: NodeRuntime;
  /** https://host:clientPort of a node, for redirects. */
  clientUrlOf(id: string): string | null;
  log: Log;
  /** How many sockets the port holds (see connection-guard.ts). */
  connectionLimits?: ConnectionLimits;
  /** Served at GET /metrics, and told of every request's latency and every proposal's outcome. */
  metrics?: NodeMetrics;
  /** Served at GET /v1/messages?after=SEQ&limit=N. */
  messageLog?: MessageLog | null;
  /** Why writes are refused right now (the space alarm), or null. Reads and status go on. */
  writeRefusal?: () => string | null;
}

type Route =
  | { kind: 'status' }
  | { kind: 'metrics' }
  | { kind: 'messages' }
  | { kind: 'transfer' }
  | { kind: 'members' }
  | { kind: 'entries' }
  | { kind: 'kv'; key: string; action: 'value' | 'cas' | 'append' }
  /** A /v1/kv/ path whose key is not acceptable: the sentence says why. */
  | { kind: 'bad-key'; message: string; status: number };

/** Splits a request target without resolving "." and ".." segments (they may be keys). */
export function splitTarget(target: string): { pathname: string; search: URLSearchParams; rawSearch: string } {
  const q = target.indexOf('?');
  const pathname = q < 0 ? target : target.slice(0, q);
  const rawSearch = q < 0 ? '' : target.slice(q);
  return { pathname, search: new URLSearchParams(rawSearch), rawSearch };
}

/** Parses the path of a request; null for an unknown route. Keys are one URL-encoded path segment. */
export function parseRoute(pathname: string): Route | null {
  if (pathname === '/v1/status') return { kind: 'status' };
  if (pathname === '/metrics') return { kind: 'metrics' };
  if (pathname === '/v1/messages') return { kind: 'messages' };
  if (pathname === '/v1/leader/transfer') return { kind: 'transfer' };
  if (pathname === '/v1/members') return { kind: 'members' };
  if (pathname === '/v1/entries') return { kind: 'entries' };
  const parts = pathname.split('/');
  if (parts.length < 4 || parts.length > 5 || parts[0] !== '' || parts[1] !== 'v1' || parts[2] !== 'kv' || parts[3] === '') return null;
  if (parts.length === 5 && parts[4] !== 'cas' && parts[4] !== 'append') return null;
  const action = parts.length === 4 ? 'value' : (parts[4] as 'cas' | 'append');
  let key: string;
  try {
    key = decodeURIComponent(parts[3]!);
  } catch {
    return { kind: 'bad-key', status: 400, message: 'The key in the path is not valid percent-encoding of UTF-8 text; encode it with encodeURIComponent.' };
  }
  const problem = keyProblem(key);
  if (problem) return { kind: 'bad-key', status: problem.includes('KiB') ? 414 : 400, message: problem };
  return { kind: 'kv', key, action };
}

const MEMBERSHIP_ACTIONS: readonly MembershipAction[] = ['add-learner', 'promote', 'remove'];

/** Parses the body of a membership change: {"action": "add-learner" | "promote" | "remove", "id": "n4"}. */
export function parseMembersBody(body: string): { action: MembershipAction; id: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw badRequest('The body of a membership change must be JSON: {"action": "add-learner", "promote" or "remove", "id": "n4"}.');
  }
  const o = json as { action?: unknown; id?: unknown } | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o) || !MEMBERSHIP_ACTIONS.includes(o.action as MembershipAction) || typeof o.id !== 'string' || o.id === '' || o.id.length > 64) {
    throw badRequest('The body of a membership change must be {"action": "add-learner", "promote" or "remove", "id": "n4"}.');
  }
  return { action: o.action as MembershipAction, id: o.id };
}

/** Parses the body of a leadership transfer: empty or {} (the most up-to-date follower), or {"to": id}. */
export function parseTransferBody(body: string): string | null {
  if (body.trim() === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw badRequest('The body of a leadership transfer must be empty or JSON: {"to": "n2"}.');
  }
  const o = json as { to?: unknown } | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o) || (o.to !== undefined && typeof o.to !== 'string')) {
    throw badRequest('The body of a leadership transfer must be {} or {"to": "n2"} with a node ID.');
  }
  return typeof o.to === 'string' ? o.to : null;
}

/** Parses the body of a cas request: {"expected": string|null, "value": string}. */
export function parseCasBody(body: string): { expected: string | null; value: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw badRequest('The body of a cas request must be JSON: {"expected": "old" or null, "value": "new"}.');
  }
  const o = json as { expected?: unknown; value?: unknown } | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o) || !('expected' in o) || !(typeof o.expected === 'string' || o.expected === null) || typeof o.value !== 'string') {
    throw badRequest('The body of a cas request must be {"expected": "old" or null, "value": "new"} with string values.');
  }
  return { expected: o.expected, value: o.value };
}

function sessionOf(req: Http2ServerRequest): { clientId: string; seq: number } | undefined {
  const clientId = req.headers['x-raftdesk-client'];
  const seq = req.headers['x-raftdesk-seq'];
  if (typeof clientId !== 'string' || typeof seq !== 'string') return undefined;
  const n = Number(seq);
  if (!clientId || clientId.length > 128 || !Number.isSafeInteger(n) || n < 0) throw badRequest('The x-raftdesk-client and x-raftdesk-seq headers must be a short ID and a whole number.');
  return { clientId, seq: n };
}

const isHttp1 = (req: Http2ServerRequest) => req.httpVersionMajor === 1;

function readBody(req: Http2ServerRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (tooLarge) {
        // Drained so that the client reads the 413 rather than a reset; a body far too large is cut.
        if (size > MAX_DRAIN_BYTES) req.socket?.destroy();
        return;
      }
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        reject(new ClientRequestError('too-large', `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB); send less.`, 413));
        // HTTP/2 ends just this stream; HTTP/1.1 keeps reading (and discarding) so the answer arrives.
        if (!isHttp1(req)) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return;
      const buf = Buffer.concat(chunks);
      const text = buf.toString('utf8');
      if (Buffer.byteLength(text) !== buf.length) reject(badRequest('The request body must be UTF-8 text.'));
      else resolve(text);
    });
    req.on('error', reject);
  });
}

/** Sends a JSON answer; resolves once it is handed to the connection (so the next pipelined request waits for it). */
function send(res: Http2ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  if (res.headersSent || res.destroyed) return Promise.resolve();
  const text = JSON.stringify(body);
  // An HTTP/1.1 connection whose request body was not read to the end cannot carry another request.
  if (status === 413 && isHttp1(res.req)) headers = { ...headers, connection: 'close' };
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  return new Promise((resolve) => res.end(text, () => resolve()));
}

/** How long a closing client port lets requests in flight finish before it cuts their connections. */
const CLOSE_GRACE_MS = 1000;

export class ClientApi {
  private server: http2.Http2SecureServer | null = null;
  /** Open connections (HTTP/2, HTTP/1.1, handshakes still pending): closing the server alone waits for every one to end. */
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();

  constructor(private readonly options: ClientApiOptions) {}

  start(): Promise<void> {
    const { credentials } = this.options;
    const server = http2.createSecureServer({
      ...mtlsServerOptions(credentials),
      allowHTTP1: true,
      settings: { maxHeaderListSize: MAX_HEADER_BYTES },
    });
    // The HTTP/1.1 side reads its header limit from the server object (the option covers HTTP/2 only).
    (server as unknown as { maxHeaderSize: number }).maxHeaderSize = MAX_HEADER_BYTES;
    guardConnections(server, this.options.connectionLimits ?? limitsFor(null, 'client'));
    server.on('request', (req, res) => {
      // HTTP/1.1 pipelining: one request of a connection at a time, in the order they came.
      if (isHttp1(req)) void inConnectionOrder(req.socket, () => this.handle(req, res));
      else void this.handle(req, res);
    });
    // Answers are small and latency-bound: no Nagle delay waiting for the client's ACK.
    server.on('connection', (socket: Socket) => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('session', (session: http2.ServerHttp2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    // A bad handshake (plaintext, unknown CA) or a broken stream concerns that client only.
    server.on('tlsClientError', () => undefined);
    // HTTP/1.1 requests Node's parser refuses (a request line or headers over MAX_HEADER_BYTES, garbage).
    server.on('clientError', (e: NodeJS.ErrnoException, socket: Socket) => refuseUnparsable(e, socket));
    server.on('sessionError', () => undefined);
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /**
   * Stops accepting connections and ends the open ones: HTTP/2 sessions get a GOAWAY (requests in
   * flight finish), and whatever is still open after CLOSE_GRACE_MS is cut. Without this, the
   * sessions clients keep open (the supervisor's own for membership changes and the message stream,
   * a console's, a benchmark's) held every node's shutdown until the supervisor's SIGKILL.
   */
  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const session of this.sessions) session.close();
    const cut = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, CLOSE_GRACE_MS);
    cut.unref();
    return closed.finally(() => clearTimeout(cut));
  }

  private async handle(req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> {
    const url = splitTarget(req.url);
    const started = performance.now();
    let op = 'other';
    try {
      const route = parseRoute(url.pathname);
      if (!route) throw new ClientRequestError('not-found', `There is no route ${req.method} ${url.pathname.slice(0, 200)}; see the client API in README.`, 404);
      if (route.kind === 'bad-key') throw new ClientRequestError(route.status === 414 ? 'too-large' : 'bad-request', route.message, route.status);
      op = operationOf(route, req.method);
      if (route.kind === 'metrics') {
        await this.sendMetrics(req, res);
        return;
      }
      const body = await this.dispatch(route, req, url);
      await send(res, 200, body);
    } catch (e) {
      if (e instanceof ClientRequestError) {
        const headers: Record<string, string> = {};
        if (e.httpStatus === 307 && e.leader) {
          const leaderUrl = this.options.clientUrlOf(e.leader);
          if (leaderUrl) headers.location = leaderUrl + url.pathname + url.rawSearch;
        }
        await send(res, e.httpStatus, { code: e.code, error: e.message, ...(e.leader ? { leader: e.leader } : {}), ...e.details }, headers);
      } else {
        this.options.log('error', 'client request failed', { error: (e as Error).message, stack: (e as Error).stack });
        await send(res, 500, { code: 'internal', error: 'The node failed to handle the request; see its log.' });
      }
    } finally {
      if (op !== 'metrics') this.options.metrics?.request(op, (performance.now() - started) / 1000);
    }
  }

  private async sendMetrics(req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, 'GET');
    const metrics = this.options.metrics;
    if (!metrics) throw new ClientRequestError('not-found', 'This node serves no metrics.', 404);
    const text = metrics.render(this.statusFields());
    if (res.headersSent || res.destroyed) return;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    await new Promise<void>((resolve) => res.end(text, () => resolve()));
  }

  private async dispatch(route: Exclude<Route, { kind: 'bad-key' } | { kind: 'metrics' }>, req: Http2ServerRequest, url: { search: URLSearchParams }): Promise<unknown> {
    const runtime = this.options.runtime;
    const method = req.method;
    if (route.kind === 'status') {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      return this.status();
    }
    if (route.kind === 'messages') {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      return this.messages(url.search);
    }
    if (route.kind === 'members') {
      if (method === 'GET') return runtime.members();
      if (method !== 'POST') throw methodNotAllowed(method, 'GET or POST');
      const { action, id } = parseMembersBody(await readBody(req));
      return runtime.changeMembership(action, id);
    }
    if (route.kind === 'transfer') {
      if (method !== 'POST') throw methodNotAllowed(method, 'POST');
      return runtime.transferLeadership(parseTransferBody(await readBody(req)));
    }
    const session = sessionOf(req);
    if (route.kind === 'entries') {
      if (method !== 'POST') throw methodNotAllowed(method, 'POST');
      const text = await readBody(req);
      return this.write({ op: 'submit', text, session });
    }
    const { key, action } = route;
    if (action === 'cas') {
      if (method !== 'POST') throw methodNotAllowed(method, 'POST');
      const { expected, value } = parseCasBody(await readBody(req));
      return this.write({ op: 'cas', key, expected, value, session });
    }
    if (action === 'append') {
      if (method !== 'POST') throw methodNotAllowed(method, 'POST');
      return this.write({ op: 'append', key, suffix: await readBody(req), session });
    }
    switch (method) {
      case 'PUT':
        return this.write({ op: 'put', key, value: await readBody(req), session });
      case 'DELETE':
        return this.write({ op: 'delete', key, session });
      case 'GET': {
        // No log entry: ReadIndex (or the leader's lease), then this node's state machine.
        const answer = await runtime.read(key, parseConsistency(url.search.get('consistency')));
        return this.found(key, answer.value, { consistency: answer.consistency, readIndex: answer.readIndex, appliedIndex: answer.appliedIndex, node: runtime.id });
      }
      default:
        throw methodNotAllowed(method, 'GET, PUT or DELETE');
    }
  }

  private found(key: string, value: string | null, outcome: Record<string, unknown> | null): unknown {
    if (value === null) throw new ClientRequestError('not-found', `The key "${key}" does not exist.`, 404, null, outcome);
    return { ...outcome, key, value };
  }

  private async write(command: Command): Promise<Record<string, unknown>> {
    const refusal = command.op === 'get' ? null : (this.options.writeRefusal?.() ?? null);
    if (refusal) throw new ClientRequestError('no-space', `${refusal[0]!.toUpperCase()}${refusal.slice(1)}`, 507);
    let outcome;
    try {
      outcome = await this.options.runtime.propose(command);
    } catch (e) {
      // A follower's redirect to the leader proposed nothing.
      if (!(e instanceof ClientRequestError && e.httpStatus === 307)) this.options.metrics?.proposal(false);
      throw e;
    }
    const { result, index, term } = outcome;
    // Committed and applied either way; a refusal by the state machine (e.g. a bad key) is the client's.
    this.options.metrics?.proposal(true);
    if (isRejected(result)) throw badRequest(result.message);
    return { ...result, index, term };
  }

  /** The node's recent Raft messages after a sequence number: {records, lost, next}. */
  private messages(search: URLSearchParams): unknown {
    const log = this.options.messageLog;
    if (!log) throw new ClientRequestError('not-found', 'This node keeps no message log (RAFTDESK_MESSAGE_LOG=0).', 404);
    const whole = (name: string, fallback: number, max: number) => {
      const text = search.get(name);
      if (text === null) return fallback;
      const n = Number(text);
      if (!Number.isSafeInteger(n) || n < 0 || n > max) throw badRequest(`${name} must be a whole number from 0 to ${max}.`);
      return n;
    };
    const after = whole('after', 0, Number.MAX_SAFE_INTEGER);
    const limit = whole('limit', 1000, log.capacity);
    return { node: this.options.runtime.status().id, ...log.since(after, limit) };
  }

  private status(): unknown {
    return this.statusFields();
  }

  /** What /v1/status answers and /metrics renders, from one reading of the node. */
  private statusFields() {
    const s = this.options.runtime.status();
    const report = this.options.runtime.buildReport();
    return {
      id: s.id,
      role: s.role,
      term: s.term,
      leader: s.leader || null,
      commitIndex: s.commit,
      appliedIndex: report.appliedIndex,
      lastIndex: s.lastIndex,
      snapshotIndex: report.snapshotIndex,
      followers: report.followers,
    };
  }
}

function refuseUnparsable(e: NodeJS.ErrnoException, socket: Socket): void {
  if (socket.writable && !socket.destroyed) {
    const tooLong = e.code === 'HPE_HEADER_OVERFLOW';
    const text = JSON.stringify(
      tooLong
        ? { code: 'too-large', error: `The request line and headers are larger than ${MAX_HEADER_BYTES / 1024} KiB; keys are at most 64 KiB.` }
        : { code: 'bad-request', error: 'The request is not valid HTTP/1.1.' },
    );
    socket.end(`HTTP/1.1 ${tooLong ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
  }
  socket.destroy();
}

/** The metrics label for a request: the KV operation, or the route. */
function operationOf(route: Exclude<Route, { kind: 'bad-key' }>, method: string): string {
  if (route.kind !== 'kv') return route.kind === 'entries' ? 'submit' : route.kind;
  if (route.action !== 'value') return route.action;
  return method === 'PUT' ? 'put' : method === 'DELETE' ? 'delete' : method === 'GET' ? 'get' : 'other';
}

function methodNotAllowed(method: string, allowed: string): ClientRequestError {
  return new ClientRequestError('bad-request', `${method} is not allowed here; use ${allowed}.`, 405);
}
