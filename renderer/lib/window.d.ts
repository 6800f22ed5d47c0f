// The Electron preload exposes the ConsoleApi as window.raftdesk; in a browser it is absent.
import type { ConsoleApi } from '../../core/api/index.js';

declare global {
  interface Window {
    raftdesk?: ConsoleApi;
  }
}

export {};
