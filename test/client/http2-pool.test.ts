// The client's transport must never turn a cut connection into an answer: a node killed while it
// holds a request leaves that request's outcome unknown.

import { fork } from 'node:child_process';
import http2 from 'node:http2';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Http2Pool, TransportError } from '../../core/client/http2-pool.js';
import { loadClientCredentials, loadNodeCredentials } from '../../core/pki/credentials.js';
import { ensureWorkspacePki } from '../../core/pki/workspace-pki.js';
import { freePorts, waitFor } from '../helpers/test-cluster.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Http2Pool', () => {
  it('reports a request whose node died before answering as sent, with no answer', async () => {
    await ensureWorkspacePki(dir, [{ id: 'n1', host: '127.0.0.1' }]);
    const [port] = await freePorts(1);
    const child = fork(path.join(import.meta.dirname, 'dying-server.ts'), [dir, String(port)], { execArgv: ['--import', 'tsx'] });
    try {
      await new Promise((resolve) => child.once('message', resolve));
      const pool = new Http2Pool(await loadClientCredentials(dir));
      const error = await pool.request(`https://127.0.0.1:${port}`, 'PUT', '/v1/kv/x', 'v', {}, 5000).then(
        () => null,
        (e: unknown) => e,
      );
      pool.close();
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).sent).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('turns a request the session refuses to start into a transport error that was not sent', async () => {
    await ensureWorkspacePki(dir, [{ id: 'n1', host: '127.0.0.1' }]);
    const c = await loadNodeCredentials(dir, 'n1');
    const server = http2.createSecureServer({ ca: c.ca, cert: c.cert, key: c.key, requestCert: true, rejectUnauthorized: true });
    server.on('request', (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const pool = new Http2Pool(await loadClientCredentials(dir));
    try {
      expect((await pool.request(url, 'GET', '/v1/status', null, {}, 5000)).status).toBe(200);
      // Node's session.request throws at once for this header (as it does on a session that is
      // closing): a caller must see a TransportError, never a raw exception.
      const error = await pool.request(url, 'GET', '/v1/status', null, { connection: 'keep-alive' }, 5000).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).sent).toBe(false);
    } finally {
      pool.close();
      server.close();
    }
  });

  it('lets go of a node that never finished the handshake (a paused process) when closed', async () => {
    await ensureWorkspacePki(dir, [{ id: 'n1', host: '127.0.0.1' }]);
    // Accepts TCP, never answers TLS: what a node stopped with SIGSTOP looks like from outside.
    const held: net.Socket[] = [];
    let closed = 0;
    const server = net.createServer((socket) => {
      held.push(socket);
      socket.resume(); // read, so that the client's end is seen
      socket.on('close', () => closed++);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const pool = new Http2Pool(await loadClientCredentials(dir));
      const error = await pool.request(`https://127.0.0.1:${port}`, 'GET', '/v1/status', null, {}, 300).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).sent).toBe(false);
      // A graceful close would wait for the handshake forever and keep the CLI's process alive.
      pool.close();
      await waitFor('the client to drop the connection', () => closed === 1);
    } finally {
      for (const s of held) s.destroy();
      server.close();
    }
  });
});
