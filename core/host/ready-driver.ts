// The one Ready loop: how a host turns the core's Ready values into durable writes, messages and
// applied entries, in the order Raft's safety needs. Both hosts run this very code — the node
// process (core/node/node-runtime.ts) and the simulator's node (core/sim/sim-node.ts) — so every
// interleaving the simulator explores is one the nodes can meet.
//
// Pure: storage, network and state machine are the host's callbacks, and persistence is
// asynchronous (the host calls `done` when the write is durable, possibly much later). While a write
// is in flight the host keeps stepping inputs (ticks, messages, proposals) into the core, and the
// driver keeps taking the Readies they produce (pipelined: see ReadyDriver).

import type { RawNode } from '../raft/raw-node.js';
import type { Entry, HardState, Message, ReadState, Ready, Snapshot } from '../raft/types.js';
import { EntryType, MessageType } from '../raft/types.js';

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
   *  if the write failed. Until then nothing that depends on it is sent or applied. The driver
   *  hands over one write at a time. */
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

/** How many Readies may be taken before the oldest is done (bounds the memory a stalled disk holds). */
export const MAX_READIES_IN_FLIGHT = 64;

export interface ReadyDriverOptions {
  /** Readies taken and not yet advanced, at most (default MAX_READIES_IN_FLIGHT). 1 is the loop
   *  without pipelining: the next Ready is taken once the previous one is done. The simulator runs
   *  both, so that bugs pipelining would hide (a write taken again at once) stay visible. */
  maxReadiesInFlight?: number;
}

/** A Ready taken from the core and not yet advanced. */
interface InFlight {
  readonly ready: Ready;
  /** Order taken. */
  readonly seq: number;
  /** Messages that wait for this Ready's write (and every earlier one's). */
  readonly late: Message[];
  /** Nothing left to write: the write completed, or there was none. */
  written: boolean;
  /** Its write was handed to the host (alone or merged with the Readies after it). */
  writing: boolean;
  /** Its committed entries went to the state machine (possibly before its own write completed). */
  applied: boolean;
}

/**
 * Runs the Ready loop, pipelined (as etcd's raft allows and core/raft/README.md describes): while a
 * write is in flight, the driver keeps taking Readies, so a leader's new appends leave at once and
 * followers write in parallel with it. What keeps that safe:
 * - Writes are handed to the host one at a time, in order. The Readies taken meanwhile are written
 *   together as one write (one fsync: group commit) once the previous write completed.
 * - A Ready's late messages (votes, acknowledgements) leave only once its write and every earlier
 *   one completed: an acknowledgement in a later Ready may vouch for entries of an earlier write.
 * - Readies are finished (late messages, snapshot, apply, advance) strictly in the order taken.
 * - Committed entries are applied as soon as their Ready is the oldest one in flight and they are
 *   already durable here — before the Ready's own write (its new entries, its commit index), which
 *   they do not depend on: committed means a quorum made them durable, and the leader counts its own
 *   copy only once durable. This is what etcd does (it applies while it saves); it saves a client a
 *   whole write of latency. Entries a pending write is still writing, or rewriting, wait for it.
 */
export class ReadyDriver {
  private readonly inflight: InFlight[] = [];
  /** A write is with the host. */
  private writing = false;
  /** The loop is running (callbacks that feed inputs only ask it to look again). */
  private running = false;
  private again = false;
  private stopped = false;
  /** The term and vote on disk: the core starts from its storage, so they are its state at start. */
  private durableTerm: number;
  private durableVote: string;
  /** The term and vote of the last hard state handed out (durable or being written). */
  private takenTerm: number;
  private takenVote: string;
  /** The index of the configuration in the last hard state handed out. */
  private takenConf: number;
  private seq = 0;
  /**
   * A hard state that only moved the commit index (no entries, no snapshot, same term, vote and
   * configuration: nothing to fsync), not yet written. Nothing waits for it: the commit index is no
   * promise to anyone (committed entries are durable on a quorum, and a node that restarts with an
   * older commit index learns it again from the leader), so it rides along with the next write
   * instead of costing a write of its own ahead of the next entries — on a follower, every commit
   * the leader announces would otherwise delay the next append's fsync. A tick writes it if
   * nothing else came.
   */
  private lazy: { hardState: HardState; seq: number } | null = null;
  private flushLazy = false;
  /** The last log index durable here, as far as writes this driver completed tell (0 until the
   *  first write with entries or a snapshot completes: older entries are applied after their Ready). */
  private durableIndex = 0;

  private readonly maxInFlight: number;

  constructor(
    private readonly raw: RawNode,
    private readonly host: ReadyHost,
    private readonly bugs: HostTestOnlyBugs = {},
    options: ReadyDriverOptions = {},
  ) {
    const status = raw.status();
    this.durableTerm = this.takenTerm = status.term;
    this.durableVote = this.takenVote = status.vote;
    this.takenConf = status.conf.index;
    this.maxInFlight = options.maxReadiesInFlight ?? MAX_READIES_IN_FLIGHT;
    if (!Number.isSafeInteger(this.maxInFlight) || this.maxInFlight < 1) throw new RangeError(`maxReadiesInFlight must be a whole number of at least 1, not ${this.maxInFlight}`);
  }

  /** True when no Ready is in flight: nothing is being written, sent or applied. */
  get idle(): boolean {
    return this.inflight.length === 0 && !this.running;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Advances the core's clock by one tick, then handles what it produced. */
  tick(): void {
    if (this.stopped) return;
    if (this.lazy !== null) this.flushLazy = true;
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

  /** Finishes what completed, starts the next write, and takes every Ready the core has. */
  drive(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        this.loop();
      } while (this.again && !this.stopped);
    } catch (error) {
      this.fail(error);
    }
    this.running = false;
  }

  /** Stops handling Readies; a write still in flight completes into nothing. */
  stop(): void {
    this.stopped = true;
  }

  private loop(): void {
    for (;;) {
      if (this.stopped) return;
      this.finishInOrder();
      if (this.stopped) return;
      this.startWrite();
      if (this.stopped) return;
      if (this.inflight.length >= this.maxInFlight || !this.raw.hasReady()) {
        // A write that completed inline (a synchronous host) leaves work behind.
        if (this.inflight.length > 0 && this.inflight[0]!.written) continue;
        return;
      }
      this.take(this.raw.ready());
    }
  }

  /** Takes one Ready: sends what may leave before the write, hands confirmed reads over, queues it. */
  private take(ready: Ready): void {
    this.host.readyTaken?.(ready);
    const early: Message[] = [];
    const late: Message[] = [];
    const sendEverything = this.bugs.sendEverythingBeforePersisting === true;
    const hardState = ready.hardState;
    const seq = ++this.seq;
    const commitOnly =
      hardState !== null && !ready.mustSync && ready.entries.length === 0 && ready.snapshot === null && hardState.term === this.takenTerm && hardState.vote === this.takenVote && (hardState.conf?.index ?? -1) === this.takenConf;
    if (hardState) {
      this.takenTerm = hardState.term;
      this.takenVote = hardState.vote;
      this.takenConf = hardState.conf?.index ?? -1;
      this.lazy = commitOnly ? { hardState, seq } : null;
    }
    // In a term whose vote is still being written (by this Ready or an earlier one), a leader's
    // messages wait too (see LEADER_MESSAGES).
    const voteDurable = this.takenTerm === this.durableTerm && this.takenVote === this.durableVote;
    for (const m of ready.messages) (sendEverything || (voteDurable && isLeaderMessage(m)) ? early : late).push(m);
    if (early.length > 0) this.host.send(early);
    if (ready.readStates.length > 0) this.host.confirmReads?.(ready.readStates);
    this.inflight.push({ ready, seq, late, written: commitOnly || !needsPersist(ready), writing: false, applied: ready.committedEntries.length === 0 });
  }

  /** Applies committed entries as early as their order allows, and finishes the oldest Readies
   *  whose writes completed. */
  private finishInOrder(): void {
    while (!this.stopped) {
      this.applyEarly();
      const head = this.inflight[0];
      if (head === undefined || !head.written || this.stopped) return;
      this.inflight.shift();
      this.finish(head);
    }
  }

  /** Applies, oldest first, the committed entries of Readies still in flight that are durable
   *  here. A Ready behind the oldest applies only if everything before it has been applied, no
   *  snapshot waits before it, and it holds no configuration change (the core takes those on
   *  advance, and a snapshot taken after an earlier advance must not cover a change not yet
   *  taken). */
  private applyEarly(): void {
    for (let i = 0; i < this.inflight.length; i++) {
      const f = this.inflight[i]!;
      if (f.ready.snapshot !== null) return;
      if (f.applied) continue;
      if (!this.durableHere(f.ready)) return;
      if (i > 0 && f.ready.committedEntries.some((e) => e.type === EntryType.ConfChange)) return;
      f.applied = true;
      this.host.apply(f.ready.committedEntries);
      if (this.stopped) return;
    }
  }

  /** The Ready's committed entries are durable here, and no pending write still writes or
   *  rewrites any of them. */
  private durableHere(ready: Ready): boolean {
    const last = ready.committedEntries[ready.committedEntries.length - 1]!.index;
    if (last > this.durableIndex) return false;
    for (const f of this.inflight) {
      if (f.written) continue;
      if (f.ready.snapshot !== null) return false;
      if (f.ready.entries.length > 0 && f.ready.entries[0]!.index <= last) return false;
    }
    return true;
  }

  /** Hands the host one write for every Ready waiting for one (merged while they continue one
   *  another), unless a write is already with it. */
  private startWrite(): void {
    if (this.writing) return;
    const group: InFlight[] = [];
    for (const f of this.inflight) {
      if (f.written || f.writing) continue;
      if (group.length > 0 && !mergeable(group, f.ready)) break;
      group.push(f);
      if (f.ready.snapshot !== null) break;
    }
    // The commit-only hard state goes with a write that holds everything handed out before it
    // (never a commit index ahead of the entries it covers), or alone on a tick.
    let lazy: { hardState: HardState; seq: number } | null = null;
    if (this.lazy !== null && (group.length > 0 ? this.lazyFits(group) : this.flushLazy)) lazy = this.lazy;
    if (group.length === 0 && lazy === null) return;
    const write: PersistWrite = { hardState: null, entries: [], snapshot: null };
    let sync = false;
    let hardStateSeq = 0;
    for (const f of group) {
      f.writing = true;
      const r = f.ready;
      if (r.snapshot) write.snapshot = r.snapshot;
      if (r.hardState) {
        write.hardState = r.hardState;
        hardStateSeq = f.seq;
      }
      if (r.entries.length > 0) write.entries = write.entries.length === 0 ? r.entries : write.entries.concat(r.entries);
      sync ||= r.mustSync;
    }
    if (lazy !== null) {
      if (lazy.seq > hardStateSeq) write.hardState = lazy.hardState;
      this.lazy = null;
    }
    this.flushLazy = false;
    this.writing = true;
    this.host.persist(write, sync, (error) => {
      if (this.stopped) return;
      this.writing = false;
      if (error) {
        this.fail(error);
        return;
      }
      for (const f of group) {
        f.written = true;
        if (f.ready.hardState) {
          this.durableTerm = f.ready.hardState.term;
          this.durableVote = f.ready.hardState.vote;
        }
        if (f.ready.snapshot) this.durableIndex = f.ready.snapshot.metadata.index;
        if (f.ready.entries.length > 0) this.durableIndex = f.ready.entries[f.ready.entries.length - 1]!.index;
      }
      this.drive();
    });
  }

  /** Whether the commit-only hard state may join `group`'s write: every Ready taken before it that
   *  still needs writing is in the group. */
  private lazyFits(group: readonly InFlight[]): boolean {
    const lazySeq = this.lazy!.seq;
    const last = group[group.length - 1]!.seq;
    return !this.inflight.some((f) => !f.written && !f.writing && f.seq < lazySeq && f.seq > last);
  }

  /** After its write and every earlier one: send what had to wait, install, apply, advance. */
  private finish(f: InFlight): void {
    const { ready, late } = f;
    if (late.length > 0) this.host.send(late);
    if (ready.snapshot) this.host.installSnapshot(ready.snapshot);
    if (!f.applied) {
      f.applied = true;
      this.host.apply(ready.committedEntries);
    }
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
    this.host.fatal(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Whether `next`'s write can join the group's as one: no snapshot, and its entries (if any)
 *  continue the group's without rewriting any of them. */
function mergeable(group: readonly InFlight[], next: Ready): boolean {
  if (next.snapshot !== null) return false;
  if (next.entries.length === 0) return true;
  let last = -1;
  for (const f of group) {
    const r = f.ready;
    if (r.entries.length > 0) last = r.entries[r.entries.length - 1]!.index;
    else if (r.snapshot) last = r.snapshot.metadata.index;
  }
  return last === -1 || next.entries[0]!.index === last + 1;
}
