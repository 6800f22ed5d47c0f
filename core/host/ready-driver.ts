// The one Ready loop: how a host turns the core's Ready values into durable writes, messages and
// applied entries, in the order Raft's safety needs. Both hosts run this very code — the node
// process (core/node/node-runtime.ts) and the simulator's node (core/sim/sim-node.ts) — so every
// interleaving the simulator explores is one the nodes can meet.
//
// Pure: storage, network and state machine are the host's callbacks, and persistence is
// asynchronous (the host calls `done` when the write is durable, possibly much later). While a write
// is in flight the host keeps stepping inputs (ticks, messages, proposals) into the core; the
// driver picks up what they produced once the write completes.

import type { RawNode } from '../raft/raw-node.js';
import type { Entry, HardState, Message, ReadState, Ready, Snapshot } from '../raft/types.js';
import { MessageType } from '../raft/types.js';

/** One Ready's worth of state to make durable. */
export interface PersistWrite {
  hardState: HardState | null;
  entries: Entry[];
  snapshot: Snapshot | null;
}

/** What the driver needs from its host. Every callback is synchronous but `persist`, which may
 *  complete later. */
export interface ReadyHost {
  /** Makes `write` durable (fsynced when `sync`), then calls `done` exactly once — with the error
   *  if the write failed. Until then nothing that depends on it is sent or applied. */
  persist(write: PersistWrite, sync: boolean, done: (error?: Error) => void): void;
  /** Puts messages on the network (best effort, in order per peer). */
  send(messages: Message[]): void;
  /** Replaces the state machine with a snapshot the core accepted from the leader. */
  installSnapshot(snapshot: Snapshot): void;
  /** Applies committed entries, in order. */
  apply(entries: Entry[]): void;
  /** Reads the core confirmed (ReadIndex): each may be answered once the state machine applied up
   *  to its index. They depend on nothing in this Ready's write, so they come before it. */
  confirmReads?(states: ReadState[]): void;
  /** The core just handed out `ready` (its state, e.g. raw.status().term, is the Ready's own);
   *  nothing of it has been done yet. Optional: an observer's hook. */
  readyTaken?(ready: Ready): void;
  /** The Ready was persisted, sent, applied and advanced. */
  readyHandled(ready: Ready): void;
  /** The core or the host broke an invariant: the node must stop. Called at most once. */
  fatal(error: Error): void;
}

/** Deliberately broken host rules, for proving the simulator catches them. Never set outside tests. */
export interface HostTestOnlyBugs {
  /** Send every message of a Ready before persisting it, votes and acknowledgements included. */
  sendEverythingBeforePersisting?: boolean;
}

/**
 * Messages only a leader sends. They carry the leader's own log, never a promise about this node's
 * disk, so they may leave while this node writes its log (Raft thesis §10.2.1): followers persist in
 * parallel with the leader. Safe because nothing that says an entry is committed leaves before the
 * leader's copy is durable: commit only advances in a later Ready, handled after this one's write.
 * Everything else — votes, acknowledgements — waits for the write.
 *
 * One exception: a Ready that changes the term or the vote. A node that is a quorum by itself (one
 * voter, learners around it) becomes leader in the very Ready that records its vote; if its
 * appends left early and it crashed before that vote was durable, it would restart in the old term,
 * win the same term again and write different entries under the same index and term the learners
 * already hold (found by the simulator, seed 112606, 3 nodes). So a leader's messages leave early
 * only in a term whose vote is already on disk.
 */
export const LEADER_MESSAGES: ReadonlySet<number> = new Set([MessageType.App, MessageType.Heartbeat, MessageType.Snap, MessageType.TimeoutNow]);

export function isLeaderMessage(m: Message): boolean {
  return LEADER_MESSAGES.has(m.type);
}

function needsPersist(ready: Ready): boolean {
  return ready.snapshot !== null || ready.entries.length > 0 || ready.hardState !== null;
}

export class ReadyDriver {
  /** A Ready is being handled (possibly waiting for its write). */
  private busy = false;
  private stopped = false;
  /** The term and vote on disk: the core starts from its storage, so they are its state at start. */
  private durableTerm: number;
  private durableVote: string;

  constructor(
    private readonly raw: RawNode,
    private readonly host: ReadyHost,
    private readonly bugs: HostTestOnlyBugs = {},
  ) {
    const status = raw.status();
    this.durableTerm = status.term;
    this.durableVote = status.vote;
  }

  /** True when no Ready is in flight: nothing is being written, sent or applied. */
  get idle(): boolean {
    return !this.busy;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Advances the core's clock by one tick, then handles what it produced. */
  tick(): void {
    if (this.stopped) return;
    if (this.guard(() => this.raw.tick())) this.drive();
  }

  /** Steps messages from the network into the core, then handles what they produced. */
  step(messages: readonly Message[]): void {
    if (this.stopped) return;
    if (this.guard(() => { for (const m of messages) this.raw.step(m); })) this.drive();
  }

  /** Runs an input the host made directly on the core (a proposal, a campaign, a transfer, a
   *  report from the transport) with the same loud failure, then handles what it produced.
   *  Errors the input throws on purpose (ProposalError) are the caller's: pass `rethrow`. */
  input<T>(apply: (raw: RawNode) => T, rethrow: (error: unknown) => boolean = () => false): T | undefined {
    if (this.stopped) return undefined;
    let result: T | undefined;
    try {
      result = apply(this.raw);
    } catch (error) {
      if (rethrow(error)) throw error;
      this.fail(error);
      return undefined;
    }
    this.drive();
    return result;
  }

  /** Handles every Ready the core has, unless one is already in flight (then the loop picks the
   *  new work up when that one completes). */
  drive(): void {
    if (this.busy || this.stopped) return;
    this.busy = true;
    this.loop();
  }

  /** Stops handling Readies; a write still in flight completes into nothing. */
  stop(): void {
    this.stopped = true;
  }

  private loop(): void {
    try {
      while (!this.stopped && this.raw.hasReady()) {
        if (!this.handle(this.raw.ready())) return; // waiting for a write; busy stays set
      }
    } catch (error) {
      this.fail(error);
    }
    this.busy = false;
  }

  /** Handles one Ready. False when it waits for its write, which resumes the loop when done. */
  private handle(ready: Ready): boolean {
    this.host.readyTaken?.(ready);
    const early: Message[] = [];
    const late: Message[] = [];
    const sendEverything = this.bugs.sendEverythingBeforePersisting === true;
    const hardState = ready.hardState;
    const voteDurable = hardState === null || (hardState.term === this.durableTerm && hardState.vote === this.durableVote);
    for (const m of ready.messages) (sendEverything || (voteDurable && isLeaderMessage(m)) ? early : late).push(m);
    if (early.length > 0) this.host.send(early);
    if (ready.readStates.length > 0) this.host.confirmReads?.(ready.readStates);
    if (!needsPersist(ready)) {
      this.finish(ready, late);
      return true;
    }
    let returned = false;
    let completedInline = false;
    this.host.persist({ hardState: ready.hardState, entries: ready.entries, snapshot: ready.snapshot }, ready.mustSync, (error) => {
      if (this.stopped) return;
      if (error) {
        this.fail(error);
        return;
      }
      if (!returned) {
        completedInline = true;
        return;
      }
      try {
        this.finish(ready, late);
      } catch (e) {
        this.fail(e);
        return;
      }
      this.loop();
    });
    returned = true;
    if (!completedInline) return false;
    this.finish(ready, late);
    return true;
  }

  /** After the write: send what had to wait for it, apply, advance. */
  private finish(ready: Ready, late: Message[]): void {
    if (ready.hardState) {
      this.durableTerm = ready.hardState.term;
      this.durableVote = ready.hardState.vote;
    }
    if (late.length > 0) this.host.send(late);
    if (ready.snapshot) this.host.installSnapshot(ready.snapshot);
    if (ready.committedEntries.length > 0) this.host.apply(ready.committedEntries);
    this.raw.advance(ready);
    this.host.readyHandled(ready);
  }

  /** Runs `apply`; false (and the node stopped loudly) if it threw. */
  private guard(apply: () => void): boolean {
    try {
      apply();
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.busy = false;
    this.host.fatal(error instanceof Error ? error : new Error(String(error)));
  }
}
