// The Node-side implementation of ConsoleApi: one per app (Electron main) or per `raftdesk console`.
// It owns the open workspace and its supervisor; the transports (IPC, WebSocket) only forward calls.

import type { ClusterState } from '../api/cluster-state.js';
import type { ConsoleApi } from '../api/console-api.js';
import type { Log } from '../api/log.js';
import { ClusterConsoleService } from './cluster-console-service.js';

export interface ConsoleServiceOptions {
  /** Folder holding one sub-folder per workspace. */
  workspacesRoot: string;
  /** Workspace folder to open at start (default: the last one used, else "<root>/default"). */
  workspace?: string;
  log?: Log;
}

export interface ConsoleService extends ConsoleApi {
  /** The cluster as it is now, for a newly connected window or page (pushes only carry changes). */
  currentState(): ClusterState;
  /** Stops every node this service started and releases its resources. */
  close(): Promise<void>;
}

export function createConsoleService(options: ConsoleServiceOptions): Promise<ConsoleService> {
  return ClusterConsoleService.open(options);
}
