// Browser mode: the WebSocket protocol that carries ConsoleApi between the renderer and
// `raftdesk console`. The page is served at http://127.0.0.1:PORT/?token=T and connects to
// ws://127.0.0.1:PORT/ws?token=T; a wrong or missing token is refused.

import type { ClusterEvent, ClusterState, MetricsSample } from './cluster-state.js';
import type { ConsoleApi } from './console-api.js';
import type { ExperimentProgress } from './experiments.js';
import type { MessageBatch } from './messages.js';

/** The request/response methods of ConsoleApi (everything but the on* subscriptions). */
export type CallMethod = Exclude<keyof ConsoleApi, `on${string}`>;

export interface CallRequest {
  id: number;
  method: CallMethod;
  args: unknown[];
}

export type CallResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Server pushes, sent to every connected page without asking (messages: only to pages that subscribed). */
export type PushMessage =
  | { push: 'state'; data: ClusterState }
  | { push: 'event'; data: ClusterEvent }
  | { push: 'metrics'; data: MetricsSample }
  | { push: 'node-output'; data: { node: string; lines: string[] } }
  | { push: 'experiment-progress'; data: ExperimentProgress }
  | { push: 'messages'; data: MessageBatch };

export type ServerMessage = CallResponse | PushMessage;

export const CALL_METHODS: readonly CallMethod[] = [
  'listWorkspaces',
  'createWorkspace',
  'openWorkspace',
  'currentDefinition',
  'saveDefinition',
  'validateDefinition',
  'startCluster',
  'stopCluster',
  'nodeAction',
  'applyFault',
  'healAll',
  'setSlowMotion',
  'dropMessages',
  'addNode',
  'removeNode',
  'promoteNode',
  'transferLeader',
  'submitEntry',
  'putKey',
  'getKey',
  'readLogs',
  'readNodeOutput',
  'recentEvents',
  'listRuns',
  'openRun',
  'readRunMessages',
  'runExperiment',
  'cancelExperiment',
  'subscribeMessages',
  'unsubscribeMessages',
];
