// The node's client port: HTTPS (HTTP/2 with HTTP/1.1 fallback), client certificates from the
// workspace CA, JSON answers. Writes and linearizable reads go through the log; a follower answers
// with a 307 redirect naming the leader. Errors are {"code", "error"} with one sentence.

import http2 from 'node:http2';
import type { Socket } from 'node:net';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Command } from '../kv/index.js';
import { isRejected } from '../kv/index.js';
import type { Credentials } from '../pki/workspace-pki.js';
import { ClientRequestError, badRequest } from './errors.js';
import type { Log } from './logger.js';
import type { NodeRuntime } from './node-runtime.js';

const MAX_BODY_BYTES = 1024 * 1024;

export interface ClientApiOptions {
  host: string;
  port: number;
  credentials: Credentials;
  runtime: NodeRuntime;
  /** https://host:clientPort of a node, for redirects. */
  clientUrlOf(id: string): string | null;
  log: Log;
}

type Route =
  | { kind: 'status' }
  | { kind: 'entries' }
  | { kind: 'kv'; key: string; action: 'value' | 'cas' | 'append' };

/** Parses the path of a request; null for an unknown route. Keys are one URL-encoded path segment. */
export function parseRoute(pathname: string): Route | null {
  if (pathname === '/v1/status') return { kind: 'status' };
  if (pathname === '/v1/entries') return { kind: 'entries' };
  const parts = pathname.split('/');
  if (parts.length < 4 || parts.length > 5 || parts[0] !== '' || parts[1] !== 'v1' || parts[2] !== 'kv' || parts[3] === '') return null;
  let key: string;
  try {
    key = decodeURIComponent(parts[3]!);
  } catch {
    return null;
  }
  if (parts.length === 4) return { kind: 'kv', key, action: 'value' };
  if (parts[4] === 'cas' || parts[4] === 'append') return { kind: 'kv', key, action: parts[4] };
  return null;
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

function readBody(req: Http2ServerRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ClientRequestError('bad-request', `The request body is larger than ${MAX_BODY_BYTES} bytes; send less.`, 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const buf = Buffer.concat(chunks);
      const text = buf.toString('utf8');
      if (Buffer.byteLength(text) !== buf.length) reject(badRequest('The request body must be UTF-8 text.'));
      else resolve(text);
    });
    req.on('error', reject);
  });
}

function send(res: Http2ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export class ClientApi {
  private server: http2.Http2SecureServer | null = null;

  constructor(private readonly options: ClientApiOptions) {}

  start(): Promise<void> {
    const { credentials } = this.options;
    const server = http2.createSecureServer({
      allowHTTP1: true,
      ca: credentials.ca,
      cert: credentials.cert,
      key: credentials.key,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
    });
    server.on('request', (req, res) => void this.handle(req, res));
    // Answers are small and latency-bound: no Nagle delay waiting for the client's ACK.
    server.on('connection', (socket: Socket) => socket.setNoDelay(true));
    // A bad handshake (plaintext, unknown CA) or a broken stream concerns that client only.
    server.on('tlsClientError', () => undefined);
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

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private async handle(req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> {
    const url = new URL(req.url, 'https://node');
    try {
      const route = parseRoute(url.pathname);
      if (!route) throw new ClientRequestError('not-found', `There is no route ${req.method} ${url.pathname}; see the client API in README.`, 404);
      const body = await this.dispatch(route, req, url);
      send(res, 200, body);
    } catch (e) {
      if (e instanceof ClientRequestError) {
        const headers: Record<string, string> = {};
        if (e.httpStatus === 307 && e.leader) {
          const leaderUrl = this.options.clientUrlOf(e.leader);
          if (leaderUrl) headers.location = leaderUrl + url.pathname + url.search;
        }
        send(res, e.httpStatus, { code: e.code, error: e.message, ...(e.leader ? { leader: e.leader } : {}) }, headers);
      } else {
        this.options.log('error', 'client request failed', { error: (e as Error).message, stack: (e as Error).stack });
        send(res, 500, { code: 'internal', error: 'The node failed to handle the request; see its log.' });
      }
    }
  }

  private async dispatch(route: Route, req: Http2ServerRequest, url: URL): Promise<unknown> {
    const runtime = this.options.runtime;
    const method = req.method;
    if (route.kind === 'status') {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      return this.status();
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
        const consistency = url.searchParams.get('consistency') ?? 'linearizable';
        if (consistency === 'local') return this.found(key, runtime.localGet(key), null);
        if (consistency !== 'linearizable') throw badRequest('consistency must be "linearizable" (the default) or "local".');
        const outcome = await this.write({ op: 'get', key, session });
        return this.found(key, (outcome as { value: string | null }).value, outcome);
      }
      default:
        throw methodNotAllowed(method, 'GET, PUT or DELETE');
    }
  }

  private found(key: string, value: string | null, outcome: Record<string, unknown> | null): unknown {
    if (value === null) throw new ClientRequestError('not-found', `The key "${key}" does not exist.`, 404);
    return { ...outcome, key, value };
  }

  private async write(command: Command): Promise<Record<string, unknown>> {
    const { result, index, term } = await this.options.runtime.propose(command);
    if (isRejected(result)) throw badRequest(result.message);
    return { ...result, index, term };
  }

  private status(): unknown {
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

function methodNotAllowed(method: string, allowed: string): ClientRequestError {
  return new ClientRequestError('bad-request', `${method} is not allowed here; use ${allowed}.`, 405);
}
