// The cluster's event history (the console's timeline): numbered events, the last few thousand kept,
// each also written to the supervisor's log and pushed to subscribers.

import type { ClusterEvent, ClusterEventKind } from '../api/cluster-state.js';
import type { Log } from '../api/log.js';
import { Listeners } from './listeners.js';

const MAX_EVENTS = 5000;

export class EventLog {
  readonly listeners = new Listeners<ClusterEvent>();
  private readonly events: ClusterEvent[] = [];
  private seq = 0;

  constructor(
    private readonly log: Log,
    /** Called after every event, so that the state snapshot follows. */
    private readonly onChange: () => void,
  ) {}

  add(kind: ClusterEventKind, node: string | null, message: string, details: ClusterEvent['details'], term: number | null = null): void {
    const event: ClusterEvent = { seq: ++this.seq, at: Date.now(), kind, node, term, message, details };
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.log(kind === 'error' ? 'error' : 'info', message, { kind, node, term });
    this.listeners.emit(event);
    this.onChange();
  }

  recent(limit: number): ClusterEvent[] {
    return this.events.slice(-limit);
  }
}
