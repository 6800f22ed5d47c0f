// The console page needs its token however its path is spelled: the check runs on the path the
// static server will actually serve (percent-decoded, dot segments resolved), not on the raw URL.

import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer, type RunningConsole } from '../../core/console/console-server.js';
import { fakeService } from '../electron/fake-service.js';

const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-console-token-'));
let consoleServer: RunningConsole;

beforeAll(async () => {
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(rendererDir, 'app.js'), 'console.log(1)');
  consoleServer = await startConsoleServer({ service: fakeService(), rendererDir, port: 0, token: 'test-token' });
});
afterAll(async () => {
  await consoleServer.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

function get(rawPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // A raw request line, so that nothing normalizes the path on the way.
    const req = http.request({ host: '127.0.0.1', port: consoleServer.port, path: rawPath, headers: { host: `127.0.0.1:${consoleServer.port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console page', () => {
  it.each(['/', '/index.html', '/%69ndex.html', '/%2Findex.html', '/./index.html', '/x/../index.html', '//index.html'])('needs the token at %s', async (p) => {
    expect(await get(p)).toBe(403);
    expect(await get(`${p}?token=test-token`)).toBe(200);
  });

  it('serves other files without the token', async () => {
    expect(await get('/app.js')).toBe(200);
  });
});
