// The preload as Electron's sandbox will load it: the bundle built by build/vite.preload.config.ts,
// run as a plain script whose require() knows only `electron` (the sandbox allows nothing from disk).

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConsoleApi } from '../../core/api/console-api.js';
import { CALL_METHODS } from '../../core/api/ws-protocol.js';
import { callChannel, PUSH_CHANNELS } from '../../electron/ipc-channels.js';

let outDir: string;
let bundle: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'raftdesk-preload-'));
  await build({ configFile: path.resolve('build/vite.preload.config.ts'), logLevel: 'silent', build: { outDir } });
  bundle = await readFile(path.join(outDir, 'preload.cjs'), 'utf8');
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

function runPreload() {
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, (event: unknown, data: unknown) => void>();
  const ipcRenderer = {
    invoke: vi.fn(async () => ({ ok: true, result: 'answer' })),
    on: vi.fn((channel: string, listener: (event: unknown, data: unknown) => void) => listeners.set(channel, listener)),
    removeListener: vi.fn((channel: string) => listeners.delete(channel)),
  };
  const required: string[] = [];
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`module not found: ${name}`);
    return { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer };
  };
  const module = { exports: {} };
  vm.runInNewContext(bundle, { require: sandboxRequire, module, exports: module.exports });
  return { exposed, ipcRenderer, listeners, required };
}

describe('the preload bundle', () => {
  it('is one CommonJS script that requires nothing but electron', () => {
    const { required } = runPreload();
    expect(required).toEqual(['electron']);
    expect(bundle).not.toMatch(/^\s*(import|export)\s/m);
  });

  it('exposes window.raftdesk and nothing else, never ipcRenderer itself', () => {
    const { exposed, ipcRenderer } = runPreload();
    expect([...exposed.keys()]).toEqual(['raftdesk']);
    const api = exposed.get('raftdesk') as Record<string, unknown>;
    expect(Object.values(api)).not.toContain(ipcRenderer);
    expect(Object.keys(api).sort()).toEqual(
      [...CALL_METHODS, 'onState', 'onEvent', 'onMetrics', 'onNodeOutput', 'onExperimentProgress', 'onMessages'].sort(),
    );
  });

  it('invokes the call channel and hands listeners the payload, not the IPC event', async () => {
    const { exposed, ipcRenderer, listeners } = runPreload();
    const api = exposed.get('raftdesk') as ConsoleApi;
    expect(await api.getKey('x')).toBe('answer');
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(callChannel('getKey'), 'x');

    const seen: unknown[] = [];
    const stop = api.onMetrics((sample) => seen.push(sample));
    listeners.get(PUSH_CHANNELS.metrics)?.({ sender: 'secret' }, { commitsPerSec: 3 });
    stop();
    expect(seen).toEqual([{ commitsPerSec: 3 }]);
    expect(listeners.has(PUSH_CHANNELS.metrics)).toBe(false);
  });
});
