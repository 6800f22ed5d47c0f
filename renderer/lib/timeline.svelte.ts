// Cluster events for the timeline: loaded once, then appended as pushed, capped, newest last.

import type { ClusterEvent, ConsoleApi, Unsubscribe } from '../../core/api/index.js';
import { errorSentence } from './format.js';
import { batchPerFrame, type Schedule } from './frame-batch.js';

export const TIMELINE_CAP = 400;

const eventKey = (e: ClusterEvent): string => `${e.at}:${e.seq}`;

/** Merges two event lists: no duplicates, ordered by time then sequence, at most `cap`, newest kept. */
export function mergeEvents(current: readonly ClusterEvent[], incoming: readonly ClusterEvent[], cap: number): ClusterEvent[] {
  const seen = new Set(current.map(eventKey));
  const fresh = incoming.filter((e) => {
    const key = eventKey(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (fresh.length === 0) return current as ClusterEvent[];
  const merged = [...current, ...fresh].sort((a, b) => a.at - b.at || a.seq - b.seq);
  return merged.length > cap ? merged.slice(merged.length - cap) : merged;
}

export class TimelineStore {
  /** The live cluster's events. */
  liveEvents = $state.raw<ClusterEvent[]>([]);
  /** A recorded run's events up to the moment replayed (set by the replay), shown instead. */
  past = $state.raw<ClusterEvent[] | null>(null);
  readonly events: ClusterEvent[] = $derived(this.past ?? this.liveEvents);
  selectedKey = $state<string | null>(null);
  error = $state<string | null>(null);

  readonly newestFirst: ClusterEvent[] = $derived(this.events.slice().reverse());

  constructor(
    private readonly api: ConsoleApi,
    private readonly schedule?: Schedule,
  ) {}

  keyOf(event: ClusterEvent): string {
    return eventKey(event);
  }

  async load(): Promise<void> {
    try {
      const events = await this.api.recentEvents(TIMELINE_CAP);
      this.liveEvents = mergeEvents(this.liveEvents, events, TIMELINE_CAP);
      this.error = null;
    } catch (error) {
      this.error = errorSentence(error);
    }
  }

  connect(): Unsubscribe {
    const offer = batchPerFrame<ClusterEvent>((batch) => {
      this.liveEvents = mergeEvents(this.liveEvents, batch, TIMELINE_CAP);
    }, TIMELINE_CAP, this.schedule);
    return this.api.onEvent(offer);
  }

  toggle(event: ClusterEvent): void {
    const key = eventKey(event);
    this.selectedKey = this.selectedKey === key ? null : key;
  }
}
