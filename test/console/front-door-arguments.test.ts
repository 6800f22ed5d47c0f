// The console's WebSocket checks every call's arguments with the same schemas as Electron IPC: a
// call that does not fit is refused with one sentence and never reaches the service.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CallResponse, ServerMessage } from '../../core/api/ws-protocol.js';
import { startConsoleServer, type RunningConsole } from '../../core/console/console-server.js';
import { fakeService, type FakeService } from '../electron/fake-service.js';

let service: FakeService;
let consoleServer: RunningConsole;
let ws: WebSocket;
let nextId = 1;
const waiting = new Map<number, (r: CallResponse) => void>();
const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-front-door-'));

function call(method: string, args: unknown): Promise<CallResponse> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    ws.send(JSON.stringify({ id, method, args }));
  });
}

beforeAll(async () => {
  service = fakeService();
  consoleServer = await startConsoleServer({ service, rendererDir, port: 0, token: 'test-token' });
  ws = new WebSocket(`ws://127.0.0.1:${consoleServer.port}/ws?token=test-token`);
  ws.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as ServerMessage;
    if ('id' in message) waiting.get(message.id)?.(message);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
});

afterAll(async () => {
  ws.close();
  await consoleServer.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

describe("the console's WebSocket", () => {
  it.each([
    ['nodeAction', ['n1', 'explode'], 'The nodeAction request was refused: the action must be one of start, stop, restart, kill, pause, resume, not "explode".'],
    ['applyFault', [null], 'The applyFault request was refused: the fault must be an object, not null.'],
    ['runExperiment', [{ durationSec: -1 }], "The runExperiment request was refused: the duration (durationSec) in the experiment's options must be at least 1, not -1."],
    ['putKey', 'k', 'The putKey request was refused: its arguments must be a list.'],
  ] as const)('refuses %s %j with one sentence, before the service', async (method, args, sentence) => {
    expect(await call(method, args)).toEqual({ id: expect.any(Number), ok: false, error: sentence });
    expect(service[method]).not.toHaveBeenCalled();
  });

  it('passes a call that fits to the service', async () => {
    expect(await call('nodeAction', ['n1', 'pause'])).toMatchObject({ ok: true });
    expect(service.nodeAction).toHaveBeenCalledWith('n1', 'pause');
  });
});
