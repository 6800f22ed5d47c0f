import { describe, expect, it, vi } from 'vitest';
import type { ClusterState } from '../../core/api/cluster-state.js';
import { CALL_METHODS } from '../../core/api/ws-protocol.js';
import { PUSH_CHANNELS } from '../../electron/ipc-channels.js';
import type { FrameIdentity } from '../../electron/ipc-guard.js';
import { handleCall } from '../../electron/ipc.js';
import { createRaftdeskApi, type IpcTransport } from '../../electron/preload-api.js';
import { forwardPushes } from '../../electron/pushes.js';
import { fakeService, SAMPLE_STATE, type FakeService } from './fake-service.js';

const PAGE = 'file:///app/dist/renderer/index.html';
const MAIN: FrameIdentity = { processId: 1, frameToken: 'main', url: PAGE };

/** The preload's API wired to the real main-side handler and push forwarder through an in-memory "IPC". */
function loopback(service: FakeService) {
  const channelListeners = new Map<string, Set<(data: unknown) => void>>();
  const invoked: string[] = [];
  const transport: IpcTransport = {
    async invoke(channel, ...args) {
      invoked.push(channel);
      // Structured clone, as Electron's IPC does: nothing but data crosses.
      return structuredClone(await handleCall(channel.replace('raftdesk:call:', ''), MAIN, structuredClone(args), { service, mainFrame: () => MAIN, pageUrl: PAGE, log: vi.fn() }));
    },
    subscribe(channel, listener) {
      const set = channelListeners.get(channel) ?? new Set();
      channelListeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  const pushes = forwardPushes(service, (kind, data) => {
    for (const listener of channelListeners.get(PUSH_CHANNELS[kind]) ?? []) listener(structuredClone(data));
  });
  return { api: createRaftdeskApi(transport), invoked, pushes, channelListeners };
}

describe('window.raftdesk (preload API)', () => {
  it('implements every call of ConsoleApi over its own channel', async () => {
    const service = fakeService();
    const { api, invoked } = loopback(service);
    for (const method of CALL_METHODS) expect(typeof api[method]).toBe('function');
    expect(await api.submitEntry('hello')).toEqual({ ok: true, index: 7, term: 3, latencyMs: 4, node: 'n1' });
    expect(await api.readNodeOutput('n2', 10)).toEqual(['line']);
    expect(service.submitEntry).toHaveBeenCalledWith('hello');
    expect(service.readNodeOutput).toHaveBeenCalledWith('n2', 10);
    expect(invoked).toEqual(['raftdesk:call:submitEntry', 'raftdesk:call:readNodeOutput']);
  });

  it('rejects with exactly the one-sentence error from the main process', async () => {
    const service = fakeService();
    service.stopCluster = vi.fn(async () => {
      throw new Error('The cluster is not running.');
    });
    const { api } = loopback(service);
    await expect(api.stopCluster()).rejects.toThrow(/^The cluster is not running\.$/);
    await expect(api.putKey('k', 3 as unknown as string)).rejects.toThrow(/^The putKey request was refused: the value must be text/);
  });

  it('delivers pushes to subscribers until they unsubscribe', () => {
    const service = fakeService();
    const { api, pushes } = loopback(service);
    const states: ClusterState[] = [];
    const outputs: Array<[string, string[]]> = [];
    const stopState = api.onState((state) => states.push(state));
    api.onNodeOutput((node, lines) => outputs.push([node, lines]));

    for (const listener of service.listeners.state) listener(SAMPLE_STATE);
    for (const listener of service.listeners.nodeOutput) listener('n3', ['started', 'elected']);
    stopState();
    for (const listener of service.listeners.state) listener({ ...SAMPLE_STATE, term: 4 });
    pushes.stop();

    expect(states).toEqual([SAMPLE_STATE]);
    expect(outputs).toEqual([['n3', ['started', 'elected']]]);
  });
});
