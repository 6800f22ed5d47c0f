// One simulated node process: the RawNode, its persisted storage (which survives crashes), a tiny
// state machine (the chain hash of what it applied), and the host's duties after each Ready.

import type { Entry, Message, NodeId, Ready, Role, Snapshot } from '../raft/types.js';
import { MessageType, NONE } from '../raft/types.js';
import type { RaftConfig } from '../raft/config.js';
import { RawNode } from '../raft/raw-node.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { EMPTY_CHAIN, chainEntry, payloadKey } from './chain-hash.js';
import type { InvariantChecker } from './invariants.js';
import { votersConfState } from '../raft/confchange.js';

export function encodeChain(chain: number): Uint8Array {
  const data = new Uint8Array(4);
  new DataView(data.buffer).setUint32(0, chain);
  return data;
}

export function decodeChain(data: Uint8Array): number {
  if (data.length !== 4) return EMPTY_CHAIN;
  return new DataView(data.buffer, data.byteOffset, 4).getUint32(0);
}

/** Message types only a leader of m.term sends. */
const LEADER_MESSAGES = new Set<number>([MessageType.App, MessageType.Heartbeat, MessageType.Snap, MessageType.TimeoutNow]);

export class SimNode {
  /** Persisted state: survives crashes. */
  readonly storage = new MemoryStorage();
  raw: RawNode | null = null;
  /** Bumped on every crash, so that events meant for an earlier life are dropped. */
  incarnation = 0;
  readyScheduled = false;
  /** Simulation time until which the process is stopped (SIGSTOP): no ticks, no input. */
  pausedUntil = 0;
  /** What the host last learned from Ready.softState (as a real node runtime would know it). */
  role: Role = 'follower';
  leaderHint: NodeId = NONE;
  /** The persisted term (the node's term as of the last Ready handled). */
  private term = 0;

  /** Volatile state machine: lost on crash, rebuilt from the snapshot and the log. */
  applied = 0;
  chain = EMPTY_CHAIN;
  /** chainAt[i]: the state machine's chain after applying i (for snapshots at older indexes). */
  private chainAt: number[] = [];
  /** The first index chainAt knows in this life. */
  private chainFrom = 0;
  /** What the last Ready handled held, for choosing crash points. */
  lastReadyChangedHardState = false;
  lastReadyAppendedAsLeader = false;
  lastReadyMadeLeader = false;
  /** Proposals this life accepted, by index, until applied: then acknowledged or lost. */
  private readonly pending = new Map<number, { term: number; key: number }>();

  constructor(
    readonly id: NodeId,
    private readonly checker: InvariantChecker,
  ) {}

  get alive(): boolean {
    return this.raw !== null;
  }

  /** Starts (or restarts) the process on its persisted state. */
  start(config: RaftConfig): void {
    const snapshot = this.storage.snapshot();
    this.applied = snapshot.metadata.index;
    this.chain = snapshot.metadata.index > 0 ? decodeChain(snapshot.data) : EMPTY_CHAIN;
    this.chainAt = [];
    this.chainAt[this.applied] = this.chain;
    this.chainFrom = this.applied;
    this.term = this.storage.hardStateNow().term;
    this.raw = new RawNode({ ...config, storage: this.storage, applied: this.applied });
  }

  /** Loses everything not persisted. */
  crash(): void {
    this.raw = null;
    this.incarnation++;
    this.readyScheduled = false;
    this.pausedUntil = 0;
    this.pending.clear();
    this.role = 'follower';
    this.leaderHint = NONE;
  }

  recordProposal(index: number, term: number, datas: readonly Uint8Array[]): void {
    for (let i = 0; i < datas.length; i++) this.pending.set(index + i, { term, key: payloadKey(datas[i]!) });
  }

  /**
   * The host's side of one Ready, as core/node does it: a leader's own replication messages go out
   * first, then the host persists, sends the rest, applies, advances. Returns the messages to put
   * on the network. With crashBeforePersist the process dies between those two steps: only the
   * leader messages leave, nothing of the Ready is persisted (the caller crashes the node).
   */
  handleReady(crashBeforePersist = false, sendEverything = false): Message[] {
    const raw = this.raw!;
    const checker = this.checker;
    const rd: Ready = raw.ready();
    if (crashBeforePersist) {
      const early = sendEverything ? rd.messages : rd.messages.filter((m) => LEADER_MESSAGES.has(m.type));
      for (const m of early) checker.observeLeader(m.from, m.term);
      return early;
    }
    if (rd.softState) {
      this.role = rd.softState.role;
      this.leaderHint = rd.softState.leader;
    }

    this.storage.saveSync(rd);
    this.lastReadyChangedHardState = rd.mustSync && rd.hardState !== null;
    this.lastReadyAppendedAsLeader = this.role === 'leader' && rd.entries.length > 0;
    this.lastReadyMadeLeader = rd.softState?.role === 'leader';
    if (rd.snapshot) {
      const meta = rd.snapshot.metadata;
      checker.observeSnapshotInstalled(this.id, meta.index, meta.term, decodeChain(rd.snapshot.data));
    }
    if (rd.entries.length > 0) checker.observePersistedEntries(this.id, rd.entries);
    if (rd.hardState) {
      this.term = rd.hardState.term;
      checker.observeCommit(this.id, rd.hardState.commit, this.term);
    }
    if (rd.softState?.role === 'leader') {
      const term = raw.status().term;
      checker.observeLeader(this.id, term);
      checker.observeNewLeaderLog(this.id, term);
    }
    for (const m of rd.messages) {
      if (LEADER_MESSAGES.has(m.type)) checker.observeLeader(m.from, m.term);
      else if (m.type === MessageType.VoteResp && !m.reject) checker.observeVoteGranted(m.from, m.term, m.to);
    }

    if (rd.snapshot) this.restoreStateMachine(rd.snapshot);
    for (const entry of rd.committedEntries) this.apply(entry);
    raw.advance(rd);
    return rd.messages;
  }

  private restoreStateMachine(snapshot: Snapshot): void {
    this.applied = snapshot.metadata.index;
    this.chain = decodeChain(snapshot.data);
    this.chainAt[this.applied] = this.chain;
    this.chainFrom = this.applied;
  }

  private apply(entry: Entry): void {
    if (entry.index !== this.applied + 1) {
      this.checker.report('apply-order', `${this.id} applied index ${entry.index} after ${this.applied}`);
      return;
    }
    this.chain = chainEntry(this.chain, entry);
    this.applied = entry.index;
    this.chainAt[entry.index] = this.chain;
    this.checker.observeApply(this.id, entry, this.chain, this.term);
    const proposal = this.pending.get(entry.index);
    if (proposal !== undefined) {
      this.pending.delete(entry.index);
      if (proposal.term === entry.term && proposal.key === payloadKey(entry.data)) this.checker.acknowledge(entry);
    }
  }

  /** Compacts the log up to `index` (<= applied) with a snapshot of the state machine there. */
  compact(index: number, voters: NodeId[]): void {
    const chain = this.chainAt[index];
    if (chain === undefined || index <= this.storage.snapshot().metadata.index || index > this.applied) return;
    this.storage.compactTo({ metadata: { index, term: this.storage.term(index), confState: votersConfState(voters) }, data: encodeChain(chain) });
    this.checker.observeCompaction(this.id, index);
  }

  /** The lowest index compact() accepts now (the state machine knows its chain from there). */
  compactableFrom(): number {
    return Math.max(this.storage.snapshot().metadata.index + 1, this.chainFrom);
  }
}
