import { describe, expect, it, vi } from 'vitest';
import { CALL_METHODS } from '../../core/api/ws-protocol.js';
import { callChannel, type IpcReply } from '../../electron/ipc-channels.js';
import type { FrameIdentity } from '../../electron/ipc-guard.js';
import { handleCall, registerCallHandlers, type CallContext } from '../../electron/ipc.js';
import { fakeService, type FakeService } from './fake-service.js';

const PAGE = 'file:///app/dist/renderer/index.html';
const MAIN: FrameIdentity = { processId: 1, frameToken: 'main', url: PAGE };

function context(service: FakeService, overrides: Partial<CallContext> = {}): CallContext {
  return { service, mainFrame: () => MAIN, pageUrl: PAGE, log: vi.fn(), ...overrides };
}

describe('handleCall', () => {
  it('forwards a valid call from our window to the service and wraps the result', async () => {
    const service = fakeService();
    const reply = await handleCall('putKey', MAIN, ['x', '4'], context(service));
    expect(reply).toEqual({ ok: true, result: { ok: true, index: 8, term: 3, latencyMs: 5, node: 'n1' } });
    expect(service.putKey).toHaveBeenCalledWith('x', '4');
  });

  it('calls the service method with the service as this', async () => {
    const service = fakeService();
    await handleCall('startCluster', MAIN, [], context(service));
    expect(vi.mocked(service.startCluster).mock.contexts[0]).toBe(service);
  });

  it('refuses, without calling the service, an unknown method, a foreign sender and bad arguments', async () => {
    const service = fakeService();
    const log = vi.fn();
    const stranger: FrameIdentity = { ...MAIN, frameToken: 'iframe' };
    const replies = await Promise.all([
      handleCall('close', MAIN, [], context(service, { log })),
      handleCall('putKey', stranger, ['x', '1'], context(service, { log })),
      handleCall('putKey', MAIN, ['x', 1], context(service, { log })),
      handleCall('putKey', MAIN, ['x', '1'], context(service, { log, mainFrame: () => null })),
    ]);
    for (const reply of replies) expect(reply.ok).toBe(false);
    expect(service.putKey).not.toHaveBeenCalled();
    expect(service.close).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(4);
    expect(log.mock.calls.every(([level]) => level === 'warn')).toBe(true);
  });

  it('turns a service failure into its one-sentence message, never a stack', async () => {
    const service = fakeService();
    service.startCluster = vi.fn(async () => {
      const error = new Error('Port 7001 is already in use; pick another peer port.');
      error.stack = `${error.message}\n    at Supervisor.start (/secret/path.js:10:5)`;
      throw error;
    });
    const reply = await handleCall('startCluster', MAIN, [], context(service));
    expect(reply).toEqual({ ok: false, error: 'Port 7001 is already in use; pick another peer port.' });
  });

  it('tells afterCall about successful calls only, with the parsed arguments and result', async () => {
    const service = fakeService();
    const afterCall = vi.fn();
    await handleCall('createWorkspace', MAIN, ['lab'], context(service, { afterCall }));
    await handleCall('runExperiment', MAIN, [{ durationSec: 1, clients: 1, keys: 1, nemeses: [], intervalSec: 1, seed: 1 }], context(service, { afterCall }));
    expect(afterCall).toHaveBeenCalledTimes(1);
    expect(afterCall).toHaveBeenCalledWith('createWorkspace', ['lab'], expect.objectContaining({ path: '/data/workspaces/lab' }));
  });

  it("sends the window's message subscription to its bookkeeping, not to the service, and still guards it", async () => {
    const service = fakeService();
    const wantMessages = vi.fn(async () => undefined);
    expect(await handleCall('subscribeMessages', MAIN, [], context(service, { wantMessages }))).toEqual({ ok: true, result: undefined });
    expect(await handleCall('unsubscribeMessages', MAIN, [], context(service, { wantMessages }))).toEqual({ ok: true, result: undefined });
    expect(await handleCall('subscribeMessages', { ...MAIN, frameToken: 'iframe' }, [], context(service, { wantMessages }))).toMatchObject({ ok: false });
    expect(wantMessages.mock.calls).toEqual([[true], [false]]);
    expect(service.subscribeMessages).not.toHaveBeenCalled();
    expect(service.unsubscribeMessages).not.toHaveBeenCalled();
  });
});

describe('registerCallHandlers', () => {
  function fakeIpcMain() {
    const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<IpcReply>>();
    return {
      handlers,
      handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<IpcReply>) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, handler);
      }),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    };
  }

  it('registers one channel per ConsoleApi call, each behind the guard, and removes them all', async () => {
    const ipcMain = fakeIpcMain();
    const service = fakeService();
    const unregister = registerCallHandlers(ipcMain, context(service));
    expect([...ipcMain.handlers.keys()].sort()).toEqual(CALL_METHODS.map(callChannel).sort());

    const handler = ipcMain.handlers.get(callChannel('getKey'));
    expect(await handler?.({ senderFrame: MAIN }, 'x')).toEqual({ ok: true, result: { ok: true, value: 'v', latencyMs: 2, node: 'n1', consistency: 'linearizable', readIndex: 7, appliedIndex: 7 } });
    expect(await handler?.({ senderFrame: null }, 'x')).toMatchObject({ ok: false });
    expect(service.getKey).toHaveBeenCalledTimes(1);

    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });
});
