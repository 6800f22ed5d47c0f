// Every node's log, side by side, refreshed while the logs view is visible: one request at a time,
// no more often than the interval.

import type { ConsoleApi, NodeLogView } from '../../core/api/index.js';
import { errorSentence } from './format.js';
import { alignLogs, type AlignedLogs } from './log-align.js';

export const LOG_ROWS = 40;

export class LogsStore {
  /** The live nodes' logs, as last read. */
  liveViews = $state.raw<NodeLogView[]>([]);
  /** A recorded run's logs at the moment replayed (set by the replay), shown instead. */
  past = $state.raw<NodeLogView[] | null>(null);
  readonly views: NodeLogView[] = $derived(this.past ?? this.liveViews);
  /** null follows the tail; a number shows the window starting there. */
  fromIndex = $state<number | null>(null);
  error = $state<string | null>(null);
  readonly aligned: AlignedLogs = $derived(alignLogs(this.views, LOG_ROWS, this.fromIndex === null ? 'newest-first' : 'oldest-first'));

  private inFlight = false;

  constructor(private readonly api: ConsoleApi) {}

  async refresh(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      this.liveViews = await this.api.readLogs(LOG_ROWS, this.fromIndex ?? undefined);
      this.error = null;
    } catch (error) {
      this.error = errorSentence(error);
    } finally {
      this.inFlight = false;
    }
  }

  /** Polls until the returned stop is called; skips ticks while the page is hidden. */
  poll(intervalMs = 1000, isVisible: () => boolean = () => document.visibilityState === 'visible'): () => void {
    void this.refresh();
    const timer = setInterval(() => {
      if (isVisible()) void this.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }

  showFrom(index: number | null): void {
    this.fromIndex = index !== null && Number.isInteger(index) && index >= 1 ? index : null;
    void this.refresh();
  }
}
