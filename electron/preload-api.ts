// window.raftdesk: ConsoleApi over IPC, built from two primitives the preload gets from ipcRenderer.
// It knows nothing of Electron itself, so tests drive it with fakes; the preload only wires it up.

import type { ConsoleApi, Unsubscribe } from '../core/api/console-api.js';
import type { CallMethod } from '../core/api/ws-protocol.js';
import { callChannel, PUSH_CHANNELS, type IpcReply, type PushData, type PushKind } from './ipc-channels.js';

export interface IpcTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  /** Calls listener with each message's payload (never the IPC event); returns the unsubscribe. */
  subscribe(channel: string, listener: (data: unknown) => void): Unsubscribe;
}

export function createRaftdeskApi(transport: IpcTransport): ConsoleApi {
  function caller<M extends CallMethod>(method: M): ConsoleApi[M] {
    const call = async (...args: unknown[]) => {
      const reply = (await transport.invoke(callChannel(method), ...args)) as IpcReply;
      if (!reply.ok) throw new Error(reply.error);
      return reply.result;
    };
    // The main process answers each call with the method's declared result type.
    return call as ConsoleApi[M];
  }

  function subscriber<K extends PushKind>(kind: K, listener: (data: PushData<K>) => void): Unsubscribe {
    return transport.subscribe(PUSH_CHANNELS[kind], (data) => listener(data as PushData<K>));
  }

  return {
    listWorkspaces: caller('listWorkspaces'),
    createWorkspace: caller('createWorkspace'),
    openWorkspace: caller('openWorkspace'),
    currentDefinition: caller('currentDefinition'),
    saveDefinition: caller('saveDefinition'),
    validateDefinition: caller('validateDefinition'),
    startCluster: caller('startCluster'),
    stopCluster: caller('stopCluster'),
    nodeAction: caller('nodeAction'),
    applyFault: caller('applyFault'),
    healAll: caller('healAll'),
    setSlowMotion: caller('setSlowMotion'),
    dropMessages: caller('dropMessages'),
    addNode: caller('addNode'),
    removeNode: caller('removeNode'),
    promoteNode: caller('promoteNode'),
    transferLeader: caller('transferLeader'),
    submitEntry: caller('submitEntry'),
    putKey: caller('putKey'),
    getKey: caller('getKey'),
    readLogs: caller('readLogs'),
    readNodeOutput: caller('readNodeOutput'),
    recentEvents: caller('recentEvents'),
    listRuns: caller('listRuns'),
    openRun: caller('openRun'),
    readRunMessages: caller('readRunMessages'),
    runExperiment: caller('runExperiment'),
    cancelExperiment: caller('cancelExperiment'),
    subscribeMessages: caller('subscribeMessages'),
    unsubscribeMessages: caller('unsubscribeMessages'),
    onState: (listener) => subscriber('state', listener),
    onEvent: (listener) => subscriber('event', listener),
    onMetrics: (listener) => subscriber('metrics', listener),
    onNodeOutput: (listener) => subscriber('node-output', ({ node, lines }) => listener(node, lines)),
    onExperimentProgress: (listener) => subscriber('experiment-progress', listener),
    onMessages: (listener) => subscriber('messages', listener),
  };
}
