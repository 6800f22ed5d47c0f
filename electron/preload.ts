// The sandboxed preload: exposes window.raftdesk (ConsoleApi over IPC) and nothing else; ipcRenderer
// itself never reaches the page. A sandboxed preload cannot load modules from disk, so this file is
// bundled with what it imports into one CommonJS file, dist/electron/preload.cjs
// (build/vite.preload.config.ts); only `electron` stays a require.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createRaftdeskApi } from './preload-api.js';

contextBridge.exposeInMainWorld(
  'raftdesk',
  createRaftdeskApi({
    invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    subscribe(channel, listener) {
      const forward = (_event: IpcRendererEvent, data: unknown) => listener(data);
      ipcRenderer.on(channel, forward);
      return () => {
        ipcRenderer.removeListener(channel, forward);
      };
    },
  }),
);
