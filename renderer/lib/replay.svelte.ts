// Replaying a recorded run: the list of runs, the open one, and the moment shown. Seeking sets the
// `past` side of the cluster, timeline, metrics and logs stores, so the ring, cards, timeline, charts
// and logs show that moment with no replay mode of their own; closing clears it (back to live).

import type { ConsoleApi } from '../../core/api/index.js';
import type { LinkMessage } from '../../core/api/messages.js';
import type { RunList, RunTrace } from '../../core/api/traces.js';
import { TimeIndex } from '../../core/trace/time-index.js';
import type { ClusterStore } from './cluster.svelte.js';
import { errorSentence } from './format.js';
import type { LogsStore } from './logs.svelte.js';
import { METRICS_CAP, type MetricsStore } from './metrics.svelte.js';
import { replayMoveFor, windowAround, type ReplayMove } from './replay-format.js';
import { TIMELINE_CAP, type TimelineStore } from './timeline.svelte.js';

/** The messages drawn in one spacetime window, at most. */
export const SPACETIME_LIMIT = 4000;

export interface ReplayTargets {
  cluster: ClusterStore;
  timeline: TimelineStore;
  metrics: MetricsStore;
  logs: LogsStore;
}

export class ReplayStore {
  list = $state.raw<RunList>({ runs: [], traceMaxMb: 0, tracesBytes: 0 });
  trace = $state.raw<RunTrace | null>(null);
  /** The moment shown, epoch ms. */
  at = $state(0);
  error = $state<string | null>(null);
  loading = $state(false);
  /** The spacetime diagram's window length. */
  spanMs = $state(2000);
  messages = $state.raw<LinkMessage[]>([]);
  messagesTruncated = $state(false);
  messagesWindow = $state.raw<{ from: number; to: number } | null>(null);

  readonly active: boolean = $derived(this.trace !== null);
  readonly index: TimeIndex | null = $derived(this.trace ? new TimeIndex(this.trace.records) : null);
  readonly startAt: number = $derived(this.index?.startAt ?? 0);
  readonly endAt: number = $derived(this.index?.endAt ?? 0);

  /** Client operations (experiments' clients) in flight during the spacetime window. */
  readonly opsInWindow = $derived(this.index && this.messagesWindow ? this.index.opsBetween(this.messagesWindow.from, this.messagesWindow.to) : []);

  private messagesRequest = 0;

  constructor(
    private readonly api: ConsoleApi,
    private readonly targets: ReplayTargets,
  ) {}

  async refreshRuns(): Promise<void> {
    try {
      this.list = await this.api.listRuns();
      this.error = null;
    } catch (error) {
      this.error = errorSentence(error);
    }
  }

  /** Opens a run at its end (the last thing it showed). */
  async open(id: string): Promise<boolean> {
    this.loading = true;
    try {
      this.trace = await this.api.openRun(id);
      this.error = null;
      this.seek(this.endAt);
      return true;
    } catch (error) {
      this.error = errorSentence(error);
      return false;
    } finally {
      this.loading = false;
    }
  }

  /** Back to the live cluster. */
  close(): void {
    this.trace = null;
    this.messages = [];
    this.messagesWindow = null;
    const { cluster, timeline, metrics, logs } = this.targets;
    cluster.past = null;
    timeline.past = null;
    metrics.past = null;
    logs.past = null;
  }

  seek(at: number): void {
    const index = this.index;
    if (!index) return;
    const t = Math.max(index.startAt, Math.min(at, index.endAt));
    this.at = t;
    const { cluster, timeline, metrics, logs } = this.targets;
    cluster.past = index.stateAt(t);
    timeline.past = index.eventsUntil(t, TIMELINE_CAP);
    metrics.past = index.samplesUntil(t, METRICS_CAP);
    logs.past = index.logsAt(t) ?? [];
  }

  move(move: ReplayMove): void {
    const index = this.index;
    if (!index) return;
    switch (move) {
      case 'previous-change':
        return this.seek(index.step(this.at, -1));
      case 'next-change':
        return this.seek(index.step(this.at, 1));
      case 'back-second':
        return this.seek(this.at - 1000);
      case 'forward-second':
        return this.seek(this.at + 1000);
      case 'start':
        return this.seek(index.startAt);
      case 'end':
        return this.seek(index.endAt);
    }
  }

  /** Handles a key on the slider; true when it was a replay key. */
  key(key: string, shiftKey: boolean): boolean {
    const move = replayMoveFor(key, shiftKey);
    if (move) this.move(move);
    return move !== null;
  }

  /** Loads the messages of the window around the moment shown (the newest request wins). */
  async loadMessages(): Promise<void> {
    const trace = this.trace;
    if (!trace) return;
    const window = windowAround(this.at, this.spanMs, this.startAt, this.endAt);
    const request = ++this.messagesRequest;
    try {
      const answer = await this.api.readRunMessages(trace.run.id, window.from, window.to, SPACETIME_LIMIT);
      if (request !== this.messagesRequest) return;
      this.messages = answer.messages;
      this.messagesTruncated = answer.truncated;
      this.messagesWindow = window;
      this.error = null;
    } catch (error) {
      if (request === this.messagesRequest) this.error = errorSentence(error);
    }
  }
}
