// Forwards the service's live updates to the window, one push kind per fixed channel (the sink maps a
// kind to PUSH_CHANNELS[kind]). A page that (re)loads is sent the current state at once rather than
// at the next change.

import type { Unsubscribe } from '../core/api/console-api.js';
import type { ConsoleService } from '../core/console/console-service.js';
import type { PushData, PushKind } from './ipc-channels.js';

export type PushSource = Pick<ConsoleService, 'currentState' | 'onState' | 'onEvent' | 'onMetrics' | 'onNodeOutput' | 'onExperimentProgress' | 'onMessages'>;
export type PushSink = <K extends PushKind>(kind: K, data: PushData<K>) => void;

export interface PushForwarder {
  /** Sends the current state (call when the page has loaded). */
  replayLatest(): void;
  stop: Unsubscribe;
}

export function forwardPushes(source: PushSource, send: PushSink): PushForwarder {
  const subscriptions = [
    source.onState((state) => send('state', state)),
    source.onEvent((event) => send('event', event)),
    source.onMetrics((sample) => send('metrics', sample)),
    source.onNodeOutput((node, lines) => send('node-output', { node, lines })),
    source.onExperimentProgress((progress) => send('experiment-progress', progress)),
    source.onMessages((batch) => send('messages', batch)),
  ];
  return {
    replayLatest() {
      send('state', source.currentState());
    },
    stop() {
      for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
    },
  };
}
