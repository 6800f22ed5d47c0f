// The Raft messages the live view shows: each batch from the console's message stream is placed on
// the page's clock (message-flights.ts) and kept while it may still be on screen. Pausing the view
// (not the cluster) buffers what arrives; stepping then shows the buffered messages one at a time.
// Back to live, the view shows the cluster as it is now: what is still buffered is not played out
// (thousands of marks replayed at speed would only blur), but the view says how many it never showed.

import type { ConsoleApi, LinkMessage, MessageBatch, Unsubscribe } from '../../core/api/index.js';
import { errorSentence } from './format.js';
import { FlightClock, LINGER_MS, flightDuration } from './message-flights.js';

export interface Placed {
  message: LinkMessage;
  /** Page time (performance.now()) its flight starts. */
  start: number;
}

/** Messages kept for drawing and rates: enough for a busy second on every link. */
const MAX_PLACED = 4000;
/** Messages buffered while paused; older ones are skipped. */
const MAX_QUEUE = 5000;
const HEARTBEATS = new Set(['Heartbeat', 'HeartbeatResp']);

export class MessagesStore {
  /** Messages on (or about to be on) the links, oldest first. */
  placed = $state.raw<Placed[]>([]);
  /** The view is paused: new messages wait in `queue` and are shown one per step. */
  paused = $state(false);
  queue = $state.raw<LinkMessage[]>([]);
  /** The message the last step brought up; it stays at its end until the next step. */
  stepped = $state.raw<Placed | null>(null);
  /** Steps pass over heartbeats and their replies (an election reads without them). */
  skipHeartbeats = $state(true);
  /** Buffered messages passed over: by resuming, by the buffer's bound, or as heartbeats. */
  skipped = $state(0);
  /** After the last pause, how many messages that arrived during it were never shown (null: none to tell). */
  unshownAfterPause = $state<number | null>(null);
  /** The message whose fields are shown (clicked, or the last stepped). */
  selected = $state.raw<LinkMessage | null>(null);
  /** Records the nodes overwrote before they could be read (traffic too heavy to follow whole). */
  lostRecords = $state(0);
  error = $state<string | null>(null);
  /** A step would show something (not only heartbeats waiting, when they are passed over). */
  readonly canStep: boolean = $derived(this.queue.some((m) => !this.skipHeartbeats || !HEARTBEATS.has(m.type)));

  private readonly clock = new FlightClock();
  /** `skipped` when the view was paused, so that resume() can tell what this pause passed over. */
  private skippedBeforePause = 0;

  constructor(
    private readonly api: ConsoleApi,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Listens for batches; call watch() to have them sent. */
  connect(): Unsubscribe {
    return this.api.onMessages((batch) => this.receive(batch));
  }

  /** Asks the console for messages while the view is on screen; the returned function stops it. */
  watch(): Unsubscribe {
    this.api.subscribeMessages().catch((e: unknown) => (this.error = errorSentence(e)));
    return () => {
      this.api.unsubscribeMessages().catch(() => undefined);
      this.placed = [];
      this.clock.reset();
    };
  }

  receive(batch: MessageBatch): void {
    this.lostRecords += batch.lostRecords;
    if (batch.messages.length === 0) return;
    if (this.paused) {
      const queue = [...this.queue, ...batch.messages];
      const over = queue.length - MAX_QUEUE;
      if (over > 0) this.skipped += over;
      this.queue = over > 0 ? queue.slice(over) : queue;
      return;
    }
    const now = this.now();
    const byId = new Map(this.placed.map((p, i) => [p.message.id, i]));
    const placed = [...this.placed];
    for (const m of batch.messages) {
      const at = byId.get(m.id);
      // The same id again: its other half came late. Update it where it is.
      if (at !== undefined) placed[at] = { message: m, start: placed[at]!.start };
      else placed.push({ message: m, start: this.clock.place(m.sentAt ?? m.dropped?.at ?? m.receivedAt ?? 0, now) });
    }
    this.placed = this.prune(placed, now);
  }

  pause(): void {
    this.skippedBeforePause = this.skipped;
    this.unshownAfterPause = null;
    this.paused = true;
    this.queue = [];
    this.stepped = null;
  }

  /** Back to live: what is still buffered is passed over, and counted in unshownAfterPause. */
  resume(): void {
    this.skipped += this.queue.length;
    const unshown = this.skipped - this.skippedBeforePause;
    this.unshownAfterPause = unshown > 0 ? unshown : null;
    this.queue = [];
    this.stepped = null;
    this.paused = false;
    this.placed = [];
    this.clock.reset();
  }

  /** Shows the next buffered message (passing over heartbeats if asked); false if there is none yet. */
  step(): boolean {
    let queue = this.queue;
    while (queue.length > 0 && this.skipHeartbeats && HEARTBEATS.has(queue[0]!.type)) {
      queue = queue.slice(1);
      this.skipped++;
    }
    const next = queue[0];
    this.queue = next ? queue.slice(1) : queue;
    if (!next) return false;
    this.stepped = { message: next, start: this.now() };
    this.selected = next;
    return true;
  }

  dismissUnshown(): void {
    this.unshownAfterPause = null;
  }

  select(message: LinkMessage | null): void {
    this.selected = message;
  }

  /** Drops what can no longer be on screen and keeps the newest MAX_PLACED. */
  private prune(placed: Placed[], now: number): Placed[] {
    const kept = placed.filter((p) => p.start + flightDuration(p.message) + LINGER_MS + 1000 > now);
    return kept.length > MAX_PLACED ? kept.slice(kept.length - MAX_PLACED) : kept;
  }

  /** Called by the view each frame or so, so that the list does not grow while no batch comes. */
  tidy(): void {
    const now = this.now();
    if (this.placed.length > 0 && this.placed[0]!.start + 5000 < now) this.placed = this.prune(this.placed, now);
  }
}
