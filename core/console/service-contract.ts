// What a console service is (ConsoleApi plus what its hosts need) and how one is opened: the contract
// between the front doors (Electron IPC, the WebSocket server) and the implementation
// (cluster-console-service.ts), in a file of its own so that neither imports the other's module.

import type { ClusterState } from '../api/cluster-state.js';
import type { ConsoleApi } from '../api/console-api.js';
import type { Log } from '../api/log.js';

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
