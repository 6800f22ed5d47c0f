// Where raftdesk keeps its workspaces when no folder is named: the OS's per-user app-data folder.

import os from 'node:os';
import path from 'node:path';

export function defaultWorkspacesRoot(): string {
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'raftdesk', 'workspaces');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'raftdesk', 'workspaces');
  // The same folder Electron's userData uses on Linux, so the desktop app and the CLI share workspaces.
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'raftdesk', 'workspaces');
}

/** Layout of one workspace folder (see the Workspace section of ARCHITECTURE.md). */
export function workspacePaths(dir: string) {
  const root = path.resolve(dir);
  return {
    root,
    definition: path.join(root, 'cluster.json'),
    pki: path.join(root, 'pki'),
    nodes: path.join(root, 'nodes'),
    nodeDir: (id: string) => path.join(root, 'nodes', id),
    nodeData: (id: string) => path.join(root, 'nodes', id, 'data'),
    nodeLog: (id: string) => path.join(root, 'nodes', id, 'node.log'),
    /** The PID of the node's process while it runs (removed when it exits; see leftover-nodes.ts). */
    nodePid: (id: string) => path.join(root, 'nodes', id, 'node.pid'),
    /** The cluster's ID and each node's durable high-water marker, outside the data folders (see core/node/data-identity.ts). */
    identity: path.join(root, 'identity'),
    clusterId: path.join(root, 'identity', 'cluster-id'),
    nodeMarker: (id: string) => path.join(root, 'identity', `${id}.json`),
    /** The detached supervisor's control socket (mode 0600). */
    controlSocket: path.join(root, 'supervisor.sock'),
    supervisorLog: path.join(root, 'supervisor.log'),
    supervisorPid: path.join(root, 'supervisor.pid'),
    /** Recorded runs, one folder each (see core/trace/README.md), pruned oldest first to defaults.traceMaxMb. */
    runs: path.join(root, 'runs'),
    run: (id: string) => path.join(root, 'runs', id),
  };
}
