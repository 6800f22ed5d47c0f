// Forwards the service's live updates to the window, one push kind per fixed channel (the sink maps a
// kind to PUSH_CHANNELS[kind]). The latest state
// snapshot is kept so a page that (re)loads sees the cluster at once rather than at the next change.

import type { ConsoleApi, Unsubscribe } from '../core/api/console-api.js';
import type { ClusterState } from '../core/api/cluster-state.js';
import type { PushData, PushKind } from './ipc-channels.js';

export type PushSource = Pick<ConsoleApi, 'onState' | 'onEvent' | 'onMetrics' | 'onNodeOutput' | 'onExperimentProgress'>;
export type PushSink = <K extends PushKind>(kind: K, data: PushData<K>) => void;

export interface PushForwarder {
  /** Sends the latest state snapshot again, if there is one (call when the page has loaded). */
  replayLatest(): void;
  stop: Unsubscribe;
}

export function forwardPushes(source: PushSource, send: PushSink): PushForwarder {
  let latestState: ClusterState | null = null;
  const subscriptions = [
    source.onState((state) => {
      latestState = state;
      send('state', state);
    }),
    source.onEvent((event) => send('event', event)),
    source.onMetrics((sample) => send('metrics', sample)),
    source.onNodeOutput((node, lines) => send('node-output', { node, lines })),
    source.onExperimentProgress((progress) => send('experiment-progress', progress)),
  ];
  return {
    replayLatest() {
      if (latestState !== null) send('state', latestState);
    },
    stop() {
      for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
    },
  };
}
