// A ConsoleService stand-in for the Electron shell's tests: every call is a vi.fn with a plausible
// answer, and the push listeners can be fired by hand.

import { vi } from 'vitest';
import type { ClusterDefinition, WorkspaceSummary } from '../../core/api/cluster-definition.js';
import type { ClusterEvent, ClusterState, MetricsSample } from '../../core/api/cluster-state.js';
import type { ExperimentProgress } from '../../core/api/experiments.js';
import type { MessageBatch } from '../../core/api/messages.js';
import type { ConsoleService } from '../../core/console/console-service.js';

export const SAMPLE_DEFINITION: ClusterDefinition = {
  name: 'demo',
  defaults: {
    heartbeatMs: 100,
    electionTimeoutMs: 1000,
    storage: 'disk',
    fsync: true,
    snapshotEntries: 10_000,
    maxInflightMsgs: 256,
    maxMsgBytes: 1_048_576,
    preVote: true,
    checkQuorum: true,
    minFreeDiskMb: 128,
    autoRestart: false,
    allowRemoteHosts: false,
  },
  nodes: [
    { id: 'n1', host: '127.0.0.1', peerPort: 7001, clientPort: 8001 },
    { id: 'n2', host: '127.0.0.1', peerPort: 7002, clientPort: 8002, heartbeatMs: 50 },
    { id: 'n3', host: '127.0.0.1', peerPort: 7003, clientPort: 8003, storage: 'memory' },
  ],
};

export const SAMPLE_STATE: ClusterState = {
  workspace: '/tmp/ws',
  name: 'demo',
  running: true,
  leader: 'n1',
  term: 3,
  nodes: [],
  links: [],
  at: 1_700_000_000_000,
};

interface PushListeners {
  state: Array<(state: ClusterState) => void>;
  event: Array<(event: ClusterEvent) => void>;
  metrics: Array<(sample: MetricsSample) => void>;
  nodeOutput: Array<(node: string, lines: string[]) => void>;
  experimentProgress: Array<(progress: ExperimentProgress) => void>;
  messages: Array<(batch: MessageBatch) => void>;
}

export type FakeService = ConsoleService & { listeners: PushListeners };

function subscribe<T>(list: T[], listener: T): () => void {
  list.push(listener);
  return () => {
    const at = list.indexOf(listener);
    if (at >= 0) list.splice(at, 1);
  };
}

export function fakeService(): FakeService {
  const listeners: PushListeners = { state: [], event: [], metrics: [], nodeOutput: [], experimentProgress: [], messages: [] };
  const workspace = (path: string): WorkspaceSummary => ({ path, name: 'demo', nodes: 3, running: false });
  return {
    listeners,
    currentState: vi.fn(() => SAMPLE_STATE),
    listWorkspaces: vi.fn(async () => [workspace('/data/workspaces/default')]),
    createWorkspace: vi.fn(async (name: string) => workspace(`/data/workspaces/${name}`)),
    openWorkspace: vi.fn(async () => SAMPLE_DEFINITION),
    currentDefinition: vi.fn(async () => ({ workspace: workspace('/data/workspaces/default'), definition: SAMPLE_DEFINITION })),
    saveDefinition: vi.fn(async () => []),
    validateDefinition: vi.fn(async () => []),
    startCluster: vi.fn(async () => undefined),
    stopCluster: vi.fn(async () => undefined),
    nodeAction: vi.fn(async () => undefined),
    applyFault: vi.fn(async () => undefined),
    healAll: vi.fn(async () => undefined),
    setSlowMotion: vi.fn(async () => undefined),
    dropMessages: vi.fn(async () => undefined),
    addNode: vi.fn(async () => ({ id: 'n4', role: 'voter' as const, index: 9, term: 3 })),
    removeNode: vi.fn(async () => ({ id: 'n3', role: 'removed' as const, index: 10, term: 3 })),
    promoteNode: vi.fn(async () => ({ id: 'n4', role: 'voter' as const, index: 11, term: 3 })),
    transferLeader: vi.fn(async () => ({ leader: 'n2', term: 4 })),
    submitEntry: vi.fn(async () => ({ ok: true as const, index: 7, term: 3, latencyMs: 4, node: 'n1' })),
    putKey: vi.fn(async () => ({ ok: true as const, index: 8, term: 3, latencyMs: 5, node: 'n1' })),
    getKey: vi.fn(async () => ({ ok: true as const, value: 'v', latencyMs: 2, node: 'n1', consistency: 'linearizable' as const, readIndex: 7, appliedIndex: 7 })),
    readLogs: vi.fn(async () => []),
    readNodeOutput: vi.fn(async () => ['line']),
    recentEvents: vi.fn(async () => []),
    listRuns: vi.fn(async () => ({ runs: [], traceMaxMb: 256, tracesBytes: 0 })),
    openRun: vi.fn(async () => {
      throw new Error('No recorded run in this fake.');
    }),
    readRunMessages: vi.fn(async () => ({ messages: [], truncated: false })),
    runExperiment: vi.fn(async () => {
      throw new Error('No experiment in this fake.');
    }),
    cancelExperiment: vi.fn(async () => undefined),
    subscribeMessages: vi.fn(async () => undefined),
    unsubscribeMessages: vi.fn(async () => undefined),
    onState: (listener) => subscribe(listeners.state, listener),
    onEvent: (listener) => subscribe(listeners.event, listener),
    onMetrics: (listener) => subscribe(listeners.metrics, listener),
    onNodeOutput: (listener) => subscribe(listeners.nodeOutput, listener),
    onExperimentProgress: (listener) => subscribe(listeners.experimentProgress, listener),
    onMessages: (listener) => subscribe(listeners.messages, listener),
    close: vi.fn(async () => undefined),
  };
}
