// Browser mode: the console's page and a WebSocket carrying ConsoleApi, on 127.0.0.1 only, behind a
// random per-run token in the URL. Also how the UI is tested here.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { checkCallArguments, isCallMethod } from '../api/call-arguments.js';
import type { CallRequest, ServerMessage } from '../api/ws-protocol.js';
import { messageSubscribers } from './message-subscribers.js';
import type { ConsoleService } from './service-contract.js';
import { servedPath, serveStatic } from './static-files.js';

export interface ConsoleServerOptions {
  service: ConsoleService;
  rendererDir: string;
  port: number;
  /** Fixed token (tests); random by default. */
  token?: string;
}

export interface RunningConsole {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(a: string | null, b: string): boolean {
  if (a === null) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<RunningConsole> {
  const token = options.token ?? randomBytes(18).toString('base64url');
  const { service } = options;
  let port = options.port;

  // Only our own origin, by IP or localhost: a page elsewhere cannot drive the cluster (DNS rebinding).
  const allowedHost = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  const server = http.createServer((req, res) => {
    if (!allowedHost(req.headers.host) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    // On the path that will be served, however it is spelled (/%69ndex.html is the page too).
    if (servedPath(url.pathname) === '/index.html' && !sameToken(url.searchParams.get('token'), token)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('This console needs the link with its token, as printed by `raftdesk console`.');
      return;
    }
    void serveStatic(options.rendererDir, url.pathname, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = req.headers.origin;
    const originOk = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== '/ws' || !allowedHost(req.headers.host) || !originOk || !sameToken(url.searchParams.get('token'), token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  const clients = new Set<WebSocket>();
  /** Pages that asked for Raft messages: the service streams them while at least one does. */
  const messageClients = messageSubscribers<WebSocket>(service);
  const broadcast = (message: ServerMessage) => {
    const text = JSON.stringify(message);
    for (const ws of clients) if (ws.readyState === ws.OPEN && ws.bufferedAmount < 8 * 1024 * 1024) ws.send(text);
  };
  const unsubscribe = [
    service.onState((data) => broadcast({ push: 'state', data })),
    service.onEvent((data) => broadcast({ push: 'event', data })),
    service.onMetrics((data) => broadcast({ push: 'metrics', data })),
    service.onNodeOutput((node, lines) => broadcast({ push: 'node-output', data: { node, lines } })),
    service.onExperimentProgress((data) => broadcast({ push: 'experiment-progress', data })),
    service.onMessages((data) => {
      const text = JSON.stringify({ push: 'messages', data } satisfies ServerMessage);
      for (const ws of messageClients.pages()) if (ws.readyState === ws.OPEN && ws.bufferedAmount < 8 * 1024 * 1024) ws.send(text);
    }),
  ];

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.send(JSON.stringify({ push: 'state', data: service.currentState() } satisfies ServerMessage));
    const gone = () => {
      clients.delete(ws);
      messageClients.forget(ws).catch(() => undefined);
    };
    ws.on('close', gone);
    ws.on('error', gone);
    ws.on('message', (raw) => void handleCall(ws, raw.toString()));
  });

  async function handleCall(ws: WebSocket, text: string): Promise<void> {
    let request: CallRequest;
    try {
      request = JSON.parse(text) as CallRequest;
    } catch {
      return;
    }
    const reply = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    if (typeof request?.id !== 'number' || !isCallMethod(request.method)) {
      reply({ id: typeof request?.id === 'number' ? request.id : -1, ok: false, error: 'That request is not part of the console API.' });
      return;
    }
    // The same schemas as Electron IPC: the service never sees arguments of the wrong shape.
    const checked = checkCallArguments(request.method, request.args);
    if (!checked.ok) {
      reply({ id: request.id, ok: false, error: checked.sentence });
      return;
    }
    try {
      // Per page: the service is asked once for all pages that want messages.
      if (request.method === 'subscribeMessages' || request.method === 'unsubscribeMessages') {
        await messageClients.set(ws, request.method === 'subscribeMessages');
        reply({ id: request.id, ok: true, result: null });
        return;
      }
      const fn = service[request.method] as (...args: unknown[]) => Promise<unknown>;
      const result = await fn.apply(service, checked.args);
      reply({ id: request.id, ok: true, result: result ?? null });
    } catch (e) {
      reply({ id: request.id, ok: false, error: (e as Error).message || 'The operation failed.' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const off of unsubscribe) off();
      await messageClients.clear();
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
