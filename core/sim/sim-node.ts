// One simulated node process: the RawNode driven by core/host's ReadyDriver — the very Ready loop the
// node processes run —, its persisted storage (which survives crashes), and a tiny state machine (the
// chain hash of what it applied). The simulation decides when writes complete and when the process
// dies; this file reports what the host persisted, sent and applied to the invariant checker.

import type { ConfState, Entry, HardState, Message, NodeId, Ready, Role, Snapshot } from '../raft/types.js';
import { EntryType, MessageType, NONE } from '../raft/types.js';
import type { RaftConfig } from '../raft/config.js';
import { RawNode } from '../raft/raw-node.js';
import { ProposalError } from '../raft/errors.js';
import { ReadyDriver, isLeaderMessage, type HostTestOnlyBugs, type PersistWrite, type ReadyDriverOptions } from '../host/ready-driver.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { EMPTY_CHAIN, chainEntry, payloadKey } from './chain-hash.js';
import type { InvariantChecker } from './invariants.js';
import { SimNodeReads, type ReadCheck } from './read-check.js';
import { votersConfState } from '../raft/confchange.js';
import { confAfterEntry } from '../raft/conf-restore.js';

export function encodeChain(chain: number): Uint8Array {
  const data = new Uint8Array(4);
  new DataView(data.buffer).setUint32(0, chain);
  return data;
}

export function decodeChain(data: Uint8Array): number {
  if (data.length !== 4) return EMPTY_CHAIN;
  return new DataView(data.buffer, data.byteOffset, 4).getUint32(0);
}

/** What the simulation does for a node's host: time its writes and carry its messages. */
export interface SimHostWorld {
  /** Schedules the completion of a write; `done` must be called when it is durable, never if the
   *  process dies first. */
  persist(node: SimNode, write: PersistWrite, sync: boolean, done: (error?: Error) => void): void;
  send(node: SimNode, messages: Message[]): void;
  /** A Ready was fully handled (a moment where the process may die or compact). */
  readyHandled(node: SimNode, ready: Ready): void;
}

export class SimNode {
  /** Persisted state: survives crashes. */
  readonly storage = new MemoryStorage();
  raw: RawNode | null = null;
  driver: ReadyDriver | null = null;
  /** Bumped on every crash, so that events meant for an earlier life are dropped. */
  incarnation = 0;
  /** Simulation time until which the process is stopped (SIGSTOP): no ticks, no input. */
  pausedUntil = 0;
  /** What the host last learned from Ready.softState (as a real node runtime would know it). */
  role: Role = 'follower';
  leaderHint: NodeId = NONE;
  /** The persisted term. */
  private term = 0;

  /** Volatile state machine: lost on crash, rebuilt from the snapshot and the log. */
  applied = 0;
  chain = EMPTY_CHAIN;
  /** chainAt[i]: the state machine's chain after applying i (for snapshots at older indexes). */
  private chainAt: number[] = [];
  /** The first index chainAt knows in this life. */
  private chainFrom = 0;
  /** Proposals this life accepted, by index, until applied: then acknowledged or lost. */
  private readonly pending = new Map<number, { term: number; key: number }>();
  /** The configurations the state machine went through in this life, oldest first (the host's own
   *  reading of the conf-change entries it applies), for snapshots at older indexes. */
  private confs: ConfState[] = [];
  /** Ever started (a spare joins only when the simulation adds it). */
  started = false;
  /** Hard states a leader handed out, with the configurations the core was in when it computed
   *  them (this Ready's and the previous one's), until they are persisted and checked. */
  private readonly leaderCommits = new Map<HardState, ConfState[]>();
  /** Leadership won in a Ready that also records the vote, by that Ready's hard state: it counts
   *  from the moment the vote is durable — a node that crashes before knows nothing of it, and
   *  its messages wait for the write (core/host/ready-driver.ts). */
  private readonly leadershipPending = new Map<HardState, number>();
  /** Every hard state handed out and not yet persisted, in the order handed out. The driver writes
   *  the Readies taken during a write as one, so a write's hard state also stands for the ones
   *  handed out before it that it merged away. */
  private readonly handedOut = new Map<HardState, number>();
  private handedOutSeq = 0;
  private lastCoreConf: ConfState | null = null;
  /** Reads this life asked for, until confirmed and applied (read-check.ts). */
  private readonly reads: SimNodeReads;

  constructor(
    readonly id: NodeId,
    private readonly checker: InvariantChecker,
    /** The voters of the new cluster; empty for a node that joins later. */
    private readonly initialVoters: readonly NodeId[],
    readCheck: ReadCheck,
  ) {
    this.reads = new SimNodeReads(id, readCheck);
  }

  /** The configuration the state machine has reached (what it applied). */
  get conf(): ConfState {
    return this.confs[this.confs.length - 1]!;
  }

  get alive(): boolean {
    return this.raw !== null;
  }

  /** Starts (or restarts) the process on its persisted state. */
  start(config: RaftConfig, world: SimHostWorld, hostBugs: HostTestOnlyBugs | undefined, driverOptions: ReadyDriverOptions = {}): void {
    const snapshot = this.storage.snapshot();
    this.applied = snapshot.metadata.index;
    this.chain = snapshot.metadata.index > 0 ? decodeChain(snapshot.data) : EMPTY_CHAIN;
    this.chainAt = [];
    this.chainAt[this.applied] = this.chain;
    this.chainFrom = this.applied;
    this.term = this.storage.hardStateNow().term;
    const snapshotConf = snapshot.metadata.confState;
    this.confs = [snapshot.metadata.index > 0 ? snapshotConf : votersConfState(this.initialVoters)];
    this.started = true;
    const raw = new RawNode({ ...config, voters: [...this.initialVoters], storage: this.storage, applied: this.applied });
    this.raw = raw;
    this.driver = new ReadyDriver(
      raw,
      {
        persist: (write, sync, done) => world.persist(this, write, sync, done),
        send: (messages) => {
          this.observeSent(messages);
          world.send(this, messages);
        },
        installSnapshot: (snapshot) => this.restoreStateMachine(snapshot),
        apply: (entries) => {
          for (const entry of entries) this.apply(entry);
          this.reads.applied(this.applied);
        },
        confirmReads: (states) => this.reads.confirm(states, this.applied),
        readyTaken: (ready) => this.observeTaken(ready),
        readyHandled: (ready) => world.readyHandled(this, ready),
        fatal: (error) => this.checker.report('panic', `${this.id}: ${error.message}`),
      },
      hostBugs,
      driverOptions,
    );
    this.driver.drive();
  }

  /** Loses everything not persisted. */
  crash(): void {
    this.leaderCommits.clear();
    this.leadershipPending.clear();
    this.handedOut.clear();
    this.lastCoreConf = null;
    this.driver?.stop();
    this.driver = null;
    this.raw = null;
    this.incarnation++;
    this.pausedUntil = 0;
    this.pending.clear();
    this.reads.reset();
    this.role = 'follower';
    this.leaderHint = NONE;
  }

  /** Network input. An election won here is checked against the configuration it was won in. */
  stepMessage(m: Message): void {
    this.watchElection(() => this.driver!.step([m]));
  }

  tick(): void {
    this.watchElection(() => this.driver!.tick());
  }

  private watchElection(input: () => void): void {
    const raw = this.raw!;
    const wasLeader = raw.softState().role === 'leader';
    const conf = raw.confState();
    input();
    if (this.raw !== raw) return;
    // A configuration takes effect once its entry is committed (and applied), never before.
    const now = raw.confState();
    if (now !== conf) {
      const commit = raw.status().commit;
      if (now.index > commit) this.checker.report('config-uncommitted', `${this.id} is in the configuration of index ${now.index}, beyond its commit index ${commit}`);
    }
    // Skipped if the configuration changed meanwhile: the win was judged by one of the two.
    if (!wasLeader && raw.softState().role === 'leader' && raw.confState() === conf) {
      this.checker.observeElection(this.id, raw.status().term, conf);
    }
  }

  /** A client's proposal; throws ProposalError when refused. */
  propose(datas: Uint8Array[]): { index: number; term: number } | undefined {
    const result = this.driver!.input(
      (raw) => {
        const proposed = datas.length === 1 ? raw.propose(datas[0]!) : raw.proposeBatch(datas);
        for (let i = 0; i < datas.length; i++) this.pending.set(proposed.index + i, { term: proposed.term, key: payloadKey(datas[i]!) });
        return proposed;
      },
      (error) => error instanceof ProposalError,
    );
    return result;
  }

  /** A client's linearizable read (with `lease`, one that accepts the leader's lease), which must
   *  see at least index `floor`. Ignored without a leader to ask, as a real node refuses it. */
  read(lease: boolean, floor: number): void {
    if (this.role !== 'leader' && (this.role !== 'follower' || this.leaderHint === NONE)) return;
    const context = this.reads.request(lease, floor);
    this.driver!.input((raw) => raw.readIndex(context, lease));
  }

  /** The simulation made `write` durable (the host's persist completed). */
  persisted(write: PersistWrite): void {
    this.storage.saveSync(write);
    const checker = this.checker;
    if (write.snapshot) {
      const meta = write.snapshot.metadata;
      checker.observeSnapshotInstalled(this.id, meta.index, meta.term, decodeChain(write.snapshot.data));
    }
    if (write.entries.length > 0) checker.observePersistedEntries(this.id, write.entries);
    if (write.hardState) {
      this.term = write.hardState.term;
      checker.observeCommit(this.id, write.hardState.commit, this.term);
      const upTo = this.handedOut.get(write.hardState);
      if (upTo !== undefined) {
        for (const [hardState, seq] of this.handedOut) {
          if (seq > upTo) break;
          this.handedOut.delete(hardState);
          const leaderTerm = this.leadershipPending.get(hardState);
          if (leaderTerm !== undefined) {
            this.leadershipPending.delete(hardState);
            checker.observeLeader(this.id, leaderTerm);
          }
          const confs = this.leaderCommits.get(hardState);
          if (confs) {
            this.leaderCommits.delete(hardState);
            checker.observeLeaderCommit(this.id, hardState.commit, hardState.term, confs);
          }
        }
      }
    }
  }

  private observeSent(messages: readonly Message[]): void {
    for (const m of messages) {
      if (isLeaderMessage(m)) this.checker.observeLeader(m.from, m.term);
      else if (m.type === MessageType.VoteResp && !m.reject) this.checker.observeVoteGranted(m.from, m.term, m.to);
    }
  }

  /** What the host learns from a Ready's soft state, at the moment the core hands it out (later,
   *  the core may already be in another term). */
  private observeTaken(ready: Ready): void {
    const conf = this.raw!.confState();
    if (ready.hardState) this.handedOut.set(ready.hardState, ++this.handedOutSeq);
    if (ready.hardState && (ready.softState?.role ?? this.role) === 'leader') {
      this.leaderCommits.set(ready.hardState, this.lastCoreConf ? [this.lastCoreConf, conf] : [conf]);
    }
    this.lastCoreConf = conf;
    if (!ready.softState) return;
    this.role = ready.softState.role;
    this.leaderHint = ready.softState.leader;
    if (ready.softState.role === 'leader') {
      const term = this.raw!.status().term;
      if (ready.hardState) this.leadershipPending.set(ready.hardState, term);
      else this.checker.observeLeader(this.id, term);
      this.checker.observeNewLeaderLog(this.id, term);
    }
  }

  private restoreStateMachine(snapshot: Snapshot): void {
    this.confs = [snapshot.metadata.confState];
    this.applied = snapshot.metadata.index;
    this.chain = decodeChain(snapshot.data);
    this.chainAt[this.applied] = this.chain;
    this.chainFrom = this.applied;
    this.reads.applied(this.applied);
  }

  private apply(entry: Entry): void {
    if (entry.index !== this.applied + 1) {
      this.checker.report('apply-order', `${this.id} applied index ${entry.index} after ${this.applied}`);
      return;
    }
    this.chain = chainEntry(this.chain, entry);
    this.applied = entry.index;
    if (entry.type === EntryType.ConfChange) this.applyConf(entry);
    this.chainAt[entry.index] = this.chain;
    this.checker.observeApply(this.id, entry, this.chain, this.term);
    const proposal = this.pending.get(entry.index);
    if (proposal !== undefined) {
      this.pending.delete(entry.index);
      if (proposal.term === entry.term && proposal.key === payloadKey(entry.data)) this.checker.acknowledge(entry);
    }
  }

  /** The host reads each applied conf-change entry itself (adopting what it states, as a joining
   *  node does) and reports the step to the checker, which judges it. */
  private applyConf(entry: Entry): void {
    const prev = this.conf;
    if (entry.index <= prev.index) return;
    const next = confAfterEntry(this.id, prev, entry, true);
    this.confs.push(next);
    this.checker.observeConfApplied(this.id, prev, next);
  }

  /** The configuration at `index` (>= the oldest this life knows). */
  private confAt(index: number): ConfState {
    for (let i = this.confs.length - 1; i >= 0; i--) if (this.confs[i]!.index <= index) return this.confs[i]!;
    return this.confs[0]!;
  }

  /** Compacts the log up to `index` (<= applied) with a snapshot of the state machine there. */
  compact(index: number): void {
    const chain = this.chainAt[index];
    if (chain === undefined || index <= this.storage.snapshot().metadata.index || index > this.applied) return;
    this.storage.compactTo({ metadata: { index, term: this.storage.term(index), confState: this.confAt(index) }, data: encodeChain(chain) });
    this.checker.observeCompaction(this.id, index);
  }

  /** The lowest index compact() accepts now (the state machine knows its chain from there). */
  compactableFrom(): number {
    return Math.max(this.storage.snapshot().metadata.index + 1, this.chainFrom);
  }
}
