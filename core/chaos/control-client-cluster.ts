// ClusterControl for a cluster run by another raftdesk process (`raftdesk up`, the console), through
// the workspace's control socket.

import type { ClusterEvent, ClusterState, NodeLogView } from '../api/cluster-state.js';
import type { Fault, NodeAction } from '../api/faults.js';
import { callControl } from '../cluster/control.js';
import type { ClusterControl } from './cluster-control.js';

export class ControlClientCluster implements ClusterControl {
  constructor(private readonly workspace: string) {}

  async state(): Promise<ClusterState> {
    return (await callControl(this.workspace, 'state', [])) as ClusterState;
  }

  async nodeAction(node: string, action: NodeAction): Promise<void> {
    await callControl(this.workspace, 'nodeAction', [node, action]);
  }

  async applyFault(fault: Fault): Promise<void> {
    await callControl(this.workspace, 'applyFault', [fault]);
  }

  async healAll(): Promise<void> {
    await callControl(this.workspace, 'healAll', []);
  }

  async readLogs(limit: number, fromIndex?: number): Promise<NodeLogView[]> {
    return (await callControl(this.workspace, 'readLogs', fromIndex === undefined ? [limit] : [limit, fromIndex])) as NodeLogView[];
  }

  async recentEvents(limit: number): Promise<ClusterEvent[]> {
    return (await callControl(this.workspace, 'recentEvents', [limit])) as ClusterEvent[];
  }
}
