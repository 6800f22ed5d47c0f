// The Node-side implementation of ConsoleApi: one per app (Electron main) or per `raftdesk console`.
// It owns the open workspace and its supervisor; the transports (IPC, WebSocket) only forward calls.

import { ClusterConsoleService } from './cluster-console-service.js';
import type { ConsoleService, ConsoleServiceOptions } from './service-contract.js';

export type { ConsoleService, ConsoleServiceOptions } from './service-contract.js';

export function createConsoleService(options: ConsoleServiceOptions): Promise<ConsoleService> {
  return ClusterConsoleService.open(options);
}
