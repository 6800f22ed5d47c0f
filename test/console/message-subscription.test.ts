// Raft messages reach only the pages that asked for them; the service streams while at least one
// page does, and stops when the last one unsubscribes or goes away.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { MessageBatch } from '../../core/api/messages.js';
import type { CallResponse, ServerMessage } from '../../core/api/ws-protocol.js';
import { startConsoleServer, type RunningConsole } from '../../core/console/console-server.js';
import { fakeService, type FakeService } from '../electron/fake-service.js';
import { waitFor } from '../helpers/test-cluster.js';

let service: FakeService;
let consoleServer: RunningConsole;
const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-messages-'));

interface Page {
  ws: WebSocket;
  batches: MessageBatch[];
  call(method: string, args?: unknown[]): Promise<CallResponse>;
}

async function openPage(): Promise<Page> {
  const ws = new WebSocket(`ws://127.0.0.1:${consoleServer.port}/ws?token=test-token`);
  const waiting = new Map<number, (r: CallResponse) => void>();
  const batches: MessageBatch[] = [];
  let nextId = 1;
  ws.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as ServerMessage;
    if ('id' in message) waiting.get(message.id)?.(message);
    else if (message.push === 'messages') batches.push(message.data);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    batches,
    call: (method, args = []) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ id, method, args }));
      }),
  };
}

const batch = (id: number): MessageBatch => ({
  messages: [{ id, type: 'Vote', from: 'n1', to: 'n2', term: 2, index: 3, logTerm: 1, entries: 0, entryBytes: 0, bytes: 40, commit: 0, reject: false, hint: 0, snapshotIndex: 0, sentAt: 1, receivedAt: 2, dropped: null }],
  lostRecords: 0,
});

beforeAll(async () => {
  service = fakeService();
  consoleServer = await startConsoleServer({ service, rendererDir, port: 0, token: 'test-token' });
});

afterAll(async () => {
  await consoleServer.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

describe('message subscriptions over the WebSocket', () => {
  it('streams to subscribed pages only, asking the service once for all of them', async () => {
    const a = await openPage();
    const b = await openPage();
    const c = await openPage();
    expect(await a.call('subscribeMessages')).toMatchObject({ ok: true });
    expect(await b.call('subscribeMessages')).toMatchObject({ ok: true });
    expect(await b.call('subscribeMessages')).toMatchObject({ ok: true });
    expect(service.subscribeMessages).toHaveBeenCalledTimes(1);

    for (const send of service.listeners.messages) send(batch(7));
    await waitFor('both subscribers got the batch', () => a.batches.length === 1 && b.batches.length === 1);
    expect(a.batches[0]!.messages[0]).toMatchObject({ id: 7, type: 'Vote', sentAt: 1, receivedAt: 2 });

    expect(await a.call('unsubscribeMessages')).toMatchObject({ ok: true });
    expect(service.unsubscribeMessages).not.toHaveBeenCalled();
    for (const send of service.listeners.messages) send(batch(8));
    await waitFor('b got the second batch', () => b.batches.length === 2);
    // A page that went away counts as unsubscribed: the service stops streaming.
    b.ws.close();
    await waitFor('the service was told to stop', () => (service.unsubscribeMessages as unknown as { mock: { calls: unknown[] } }).mock.calls.length === 1);
    expect(a.batches).toHaveLength(1);
    expect(c.batches).toHaveLength(0);
    expect(await c.call('unsubscribeMessages', [1])).toMatchObject({ ok: false, error: expect.stringContaining('unsubscribeMessages') });
    a.ws.close();
    c.ws.close();
  });
});
