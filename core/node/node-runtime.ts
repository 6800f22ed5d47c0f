// One Raft node: the pure core driven by a timer, the peer transport, durable storage and the
// key/value state machine. The Ready loop is core/host's ReadyDriver — the same code the simulator
// runs — and this file is its host: it says how to persist (the WAL), send (the transport) and
// apply (the key/value state machine).

import { createHash, randomInt } from 'node:crypto';
import type { ClusterDefinition, NodeFaults, NodeLogView, NodeTimers } from '../api/index.js';
import { describeCommand, encodeCommand, KvStateMachine } from '../kv/index.js';
import type { Command, CommandResult } from '../kv/index.js';
import { ProposalError, TransferError } from '../raft/errors.js';
import { RawNode, defaultRaftConfig, seededRandom } from '../raft/raw-node.js';
import type { ConfChangeSingle, Entry, Message, RaftStatus, Ready, Snapshot } from '../raft/types.js';
import { ConfChangeTransition, ConfChangeType, EntryType, MessageType, NONE } from '../raft/types.js';
import { ReadyDriver, type PersistWrite } from '../host/ready-driver.js';
import type { DurableLog } from '../storage/durable-log.js';
import type { PeerTransport } from '../transport/peer-transport.js';
import type { PeerAddress } from '../transport/outbound-peer.js';
import type { MembershipAction } from '../api/membership.js';
import { ClientRequestError, badRequest, noLeader, noQuorum, notLeader, overloaded, stopping } from './errors.js';
import type { NodeReport, NodeToSupervisor } from './ipc-protocol.js';
import type { Log } from './logger.js';
import { NodeObserver } from './node-observer.js';
import { NodeReads, type ReadAnswer, type ReadConsistency } from './node-reads.js';
import { PendingProposals } from './pending-proposals.js';
import { tickSettings } from './timing.js';
import { TickClock } from './tick-clock.js';

export interface NodeRuntimeOptions {
  id: string;
  definition: ClusterDefinition;
  storage: DurableLog;
  /** Builds the transport once the runtime can receive messages. */
  makeTransport(onMessages: (messages: Message[]) => void, onUnreachable: (peer: string) => void): PeerTransport;
  log: Log;
  emit(message: NodeToSupervisor): void;
  /** How long a client waits for its operation to be applied. */
  proposalTimeoutMs?: number;
}

const NO_DATA = new Uint8Array(0);

/** A proposal's outcome: what the state machine returned, and where in the log it was applied. */
export interface Applied {
  result: CommandResult;
  index: number;
  term: number;
}

export class NodeRuntime {
  readonly id: string;
  private readonly raft: RawNode;
  private readonly driver: ReadyDriver;
  private readonly kv = new KvStateMachine();
  private readonly storage: DurableLog;
  private readonly transport: PeerTransport;
  private readonly pending: PendingProposals;
  private readonly reads: NodeReads;
  private lastTerm = 0;
  private readonly log: Log;
  private readonly observer: NodeObserver;
  private readonly snapshotEntries: number;
  private readonly tickMs: number;
  private readonly heartbeatTicks: number;
  private readonly electionTimeoutMs: number;
  /** The nodes cluster.json lists, and those of them still joining, for explainMembership. */
  private readonly definitionIds: string[];
  private readonly joiningIds: ReadonlySet<string>;
  private readonly timeoutMs: number;

  /** Proposals gathered during one turn of the event loop, appended together (one fsync, one App per follower). */
  private batch: { data: Uint8Array; resolve(r: Applied): void; reject(e: Error): void }[] = [];
  private batchScheduled = false;
  private compacting = false;
  /** A write is in flight: the log must not be closed under it. */
  private saving = false;
  private stopped = false;
  private fatal: ((message: string) => void) | null = null;
  private timers: NodeJS.Timeout[] = [];
  private tickTimer: NodeJS.Timeout | null = null;
  /** Slow motion: the tick interval is stretched this many times (the core's ticks stay the same). */
  private slowMotion = 1;

  constructor(options: NodeRuntimeOptions) {
    this.id = options.id;
    this.storage = options.storage;
    this.log = options.log;
    this.timeoutMs = options.proposalTimeoutMs ?? 5000;
    this.pending = new PendingProposals(this.timeoutMs);
    const { definition } = options;
    const self = definition.nodes.find((n) => n.id === options.id)!;
    const ticks = tickSettings(self.heartbeatMs ?? definition.defaults.heartbeatMs, self.electionTimeoutMs ?? definition.defaults.electionTimeoutMs);
    this.tickMs = ticks.tickMs;
    this.heartbeatTicks = ticks.heartbeatTicks;
    this.electionTimeoutMs = ticks.electionTicks * ticks.tickMs;
    this.snapshotEntries = definition.defaults.snapshotEntries;

    // A founding node with no data bootstraps the cluster with the other founders as voters; a node
    // added at runtime (joined) starts with no configuration and waits for the leader's log. Once a
    // node has data, the configuration committed in it is the truth, whatever cluster.json says.
    const founders = self.joined === true ? [] : definition.nodes.filter((n) => n.joined !== true).map((n) => n.id);
    this.definitionIds = definition.nodes.map((n) => n.id);
    // A node being added is listed (as a learner) before its configuration change commits.
    this.joiningIds = new Set(definition.nodes.filter((n) => n.joined === true && n.learner === true).map((n) => n.id));

    // The state machine resumes from the last snapshot; Raft re-delivers the committed entries after it.
    const snapshot = this.storage.snapshot();
    if (snapshot.metadata.index > 0) this.kv.restore(snapshot.data);

    const config = defaultRaftConfig(
      options.id,
      founders,
      this.storage,
      seededRandom(randomInt(2 ** 31)),
    );
    config.heartbeatTicks = ticks.heartbeatTicks;
    config.electionTicks = ticks.electionTicks;
    config.applied = snapshot.metadata.index;
    config.maxInflightMsgs = definition.defaults.maxInflightMsgs;
    config.maxSizePerMsg = definition.defaults.maxMsgBytes;
    config.preVote = definition.defaults.preVote;
    config.checkQuorum = definition.defaults.checkQuorum;
    config.readOnly = definition.defaults.leaseReads === true ? 'lease-based' : 'safe';
    // Followers learn a commit index with the next message rather than one of its own: at low load
    // that is half of every write's messages (RaftConfig.commitBroadcast).
    config.commitBroadcast = 'deferred';
    this.raft = new RawNode(config);
    this.lastTerm = this.storage.initialState().hardState.term;
    this.reads = new NodeReads({
      softState: () => this.raft.softState(),
      readIndex: (context, lease) => {
        this.driver.input((raw) => raw.readIndex(context, lease));
        return !this.driver.isStopped;
      },
      get: (key) => this.kv.get(key),
      appliedIndex: () => this.kv.appliedIndex,
      leaseReads: definition.defaults.leaseReads === true,
      timeoutMs: this.timeoutMs,
    });
    this.driver = new ReadyDriver(this.raft, {
      persist: (write, sync, done) => this.persist(write, sync, done),
      send: (messages) => this.sendMessages(messages),
      installSnapshot: (snapshot) => this.installSnapshot(snapshot),
      apply: (entries) => this.apply(entries),
      confirmReads: (states) => this.reads.confirm(states),
      readyHandled: (ready) => this.readyHandled(ready),
      fatal: (error) => this.onDriverFatal(error),
    });

    this.transport = options.makeTransport(
      (messages) => this.receive(messages),
      (peer) => this.driver.input((raw) => raw.reportUnreachable(peer)),
    );
    this.observer = new NodeObserver(
      this.id,
      () => this.raft.status(),
      () => ({ appliedIndex: this.kv.appliedIndex, snapshotIndex: this.storage.snapshot().metadata.index, sentTo: this.sentTo(), timers: this.clockView(), dropNext: this.transport.dropsLeft() }),
      options.emit,
      this.log,
    );
  }

  private sentTo(): Record<string, number> {
    const sent: Record<string, number> = {};
    for (const peer of this.transport.stats()) sent[peer.peer] = peer.sent;
    return sent;
  }

  async start(onFatal: (message: string) => void): Promise<void> {
    this.fatal = onFatal;
    await this.transport.start();
    this.explainMembership();
    this.startTicking();
    this.timers.push(
      setInterval(() => {
        const now = Date.now();
        this.pending.expire(now);
        this.reads.expire(now);
      }, 100),
    );
    this.log('info', 'node started', { tickMs: this.tickMs, applied: this.kv.appliedIndex });
    this.observer.report(true);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.driver.stop();
    for (const t of this.timers) clearInterval(t);
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.observer.stop();
    // Entries already proposed may still commit through another leader: their outcome is unknown.
    this.pending.rejectAll(stopping());
    this.reads.stop();
    for (const b of this.batch.splice(0)) b.reject(noLeader());
    await this.transport.close();
    // Let an in-flight save finish so the log is not closed under it.
    while (this.saving) await new Promise((r) => setTimeout(r, 5));
    await this.storage.close();
  }

  /**
   * Ticks follow the monotonic clock: setInterval alone drifts late under load (core/node/tick-clock.ts);
   * a burst after a stall is capped at one heartbeat interval's worth of ticks.
   */
  private startTicking(): void {
    if (this.tickTimer) clearInterval(this.tickTimer);
    const period = this.tickMs * this.slowMotion;
    const clock = new TickClock(period, this.heartbeatTicks);
    this.tickTimer = setInterval(() => {
      for (let n = clock.due(); n > 0; n--) this.tick();
    }, period);
  }

  /** Slow motion: ticks come `factor` times less often, so the whole node runs that much slower. */
  setSlowMotion(factor: number): void {
    if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`the slow-motion factor must be a whole number ≥ 1, not ${factor}`);
    this.slowMotion = factor;
    if (this.tickTimer && !this.stopped) this.startTicking();
    this.log('info', factor === 1 ? 'normal speed' : `slow motion: ticks every ${this.tickMs * factor} ms`, { factor });
    this.observer.report(true);
  }

  dropNext(peer: string, count: number): void {
    this.transport.dropNext(peer, count);
    this.observer.report(true);
  }

  /** Every one-shot drop, or only the one toward `peer`. */
  clearDropNext(peer?: string): void {
    if (this.transport.clearDropNext(peer)) this.observer.report(true);
  }

  private clockView(): NodeTimers {
    const t = this.raft.timers();
    return { electionElapsed: t.electionElapsed, electionTimeout: t.randomizedElectionTimeout, heartbeatElapsed: t.heartbeatElapsed, heartbeatInterval: t.heartbeatTimeout, tickMs: this.tickMs * this.slowMotion };
  }

  // ---- inputs ---------------------------------------------------------------------------------

  private tick(): void {
    if (this.stopped) return;
    this.driver.tick();
  }

  private receive(messages: Message[]): void {
    if (this.stopped) return;
    this.driver.step(messages);
  }

  campaign(): void {
    this.driver.input((raw) => raw.campaign());
  }

  /** The members' peer addresses changed (a node was added or removed at runtime). */
  setPeers(peers: readonly PeerAddress[]): Promise<void> {
    return this.transport.setPeers(peers);
  }

  setFaults(faults: NodeFaults): void {
    // The transport logs the faults it now enforces.
    this.transport.setFaults(faults);
  }

  /** Proposes a command and resolves with its result once applied here. Throws ClientRequestError. */
  propose(command: Command): Promise<Applied> {
    const { role, leader } = this.raft.softState();
    if (role !== 'leader') throw leader !== NONE ? notLeader(leader) : noLeader();
    const data = encodeCommand(command);
    const started = performance.now();
    return new Promise<Applied>((resolve, reject) => {
      this.batch.push({ data, resolve, reject });
      if (!this.batchScheduled) {
        this.batchScheduled = true;
        setImmediate(() => this.flushBatch());
      }
    }).then((applied) => {
      this.observer.recordWrite(performance.now() - started);
      return applied;
    });
  }

  private flushBatch(): void {
    this.batchScheduled = false;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0 || this.stopped) return;
    let first: { index: number; term: number } | undefined;
    try {
      // Registered before the driver runs: a single-node cluster may apply the batch at once.
      first = this.driver.input((raw) => {
        const proposed = raw.proposeBatch(batch.map((b) => b.data));
        const now = Date.now();
        batch.forEach((b, i) => {
          const index = proposed.index + i;
          this.pending.wait(index, proposed.term, now).then((result) => b.resolve({ result, index, term: proposed.term }), b.reject);
        });
        return proposed;
      }, isProposalError);
    } catch (e) {
      const error = this.proposalError(e as ProposalError);
      for (const b of batch) b.reject(error);
      return;
    }
    if (!first) for (const b of batch) b.reject(stopping());
  }

  private proposalError(e: ProposalError): Error {
    switch (e.code) {
      case 'not-leader':
        return e.leader !== NONE ? notLeader(e.leader) : noLeader();
      case 'no-quorum':
        return noQuorum();
      case 'overloaded':
      case 'transferring':
      case 'conf-change-pending':
        return overloaded();
      case 'invalid-conf-change':
        return badRequest(e.message);
    }
  }

  /**
   * Hands leadership to `to`, or to the most up-to-date follower when null (thesis §3.10: the
   * leader brings it up to date, then tells it to campaign at once). Resolves once this node follows
   * the new leader; throws ClientRequestError when this node does not lead, when `to` is not a voter,
   * or when leadership did not move within two election timeouts.
   */
  async transferLeadership(to: string | null): Promise<{ leader: string; term: number }> {
    const status = this.raft.status();
    if (status.role !== 'leader') throw status.leader !== NONE ? notLeader(status.leader) : noLeader();
    let target: string | undefined;
    try {
      target = this.driver.input((raw) => raw.startTransfer(to ?? undefined), (e) => e instanceof TransferError);
    } catch (e) {
      const voters = status.conf.voters.join(', ');
      throw badRequest((e as TransferError).code === 'not-a-voter' ? `${(e as Error).message}; choose one of ${voters}.` : `${(e as Error).message}.`);
    }
    if (target === undefined) throw stopping();
    if (target === this.id) return { leader: this.id, term: status.term };
    const deadline = Date.now() + 2 * this.electionTimeoutMs;
    for (;;) {
      await new Promise((r) => setTimeout(r, this.tickMs));
      const now = this.raft.status();
      if (now.leader === target) return { leader: target, term: now.term };
      if (this.stopped) throw stopping();
      if (Date.now() > deadline) {
        throw new ClientRequestError(
          'timeout',
          `Leadership did not move to ${target} within ${2 * this.electionTimeoutMs} ms (it may be behind or unreachable); check it with raftdesk status and try again.`,
          504,
        );
      }
    }
  }

  /**
   * Changes the configuration by one member — add `id` as a learner, promote the learner `id`, or
   * remove `id` — and resolves once the change is applied here (the leader). Throws
   * ClientRequestError on a follower (redirect), while another change is pending, or when the
   * change does not apply to the current configuration.
   */
  async changeMembership(action: MembershipAction, id: string): Promise<{ id: string; role: 'voter' | 'learner' | 'removed'; index: number; term: number }> {
    const { role, leader } = this.raft.softState();
    if (role !== 'leader') throw leader !== NONE ? notLeader(leader) : noLeader();
    const conf = this.raft.confState();
    const isVoter = conf.voters.includes(id) || conf.votersOutgoing.includes(id);
    const isLearner = conf.learners.includes(id) || conf.learnersNext.includes(id);
    let change: ConfChangeSingle;
    let after: 'voter' | 'learner' | 'removed';
    switch (action) {
      case 'add-learner':
        if (isVoter || isLearner) throw badRequest(`${id} is already a ${isVoter ? 'voter' : 'learner'} of this cluster.`);
        change = { type: ConfChangeType.AddLearnerNode, node: id };
        after = 'learner';
        break;
      case 'promote':
        if (!isLearner) throw badRequest(isVoter ? `${id} is already a voter.` : `${id} is not a learner of this cluster; add it first.`);
        change = { type: ConfChangeType.AddNode, node: id };
        after = 'voter';
        break;
      case 'remove':
        if (!isVoter && !isLearner) throw badRequest(`${id} is not a member of this cluster; the members are ${[...conf.voters, ...conf.learners].join(', ')}.`);
        change = { type: ConfChangeType.RemoveNode, node: id };
        after = 'removed';
        break;
    }
    let proposed: { index: number; term: number } | undefined;
    let applied: Promise<CommandResult> | undefined;
    try {
      proposed = this.driver.input((raw) => {
        const result = raw.proposeConfChange({ transition: ConfChangeTransition.Auto, changes: [change] });
        // Registered before the driver runs: a single voter applies the change at once.
        applied = this.pending.wait(result.index, result.term, Date.now());
        return result;
      }, isProposalError);
    } catch (e) {
      const error = e as ProposalError;
      if (error.code === 'conf-change-pending') throw new ClientRequestError('unavailable', 'Another configuration change is still being applied; wait for it, then try again.', 503);
      throw this.proposalError(error);
    }
    if (!proposed || !applied) throw stopping();
    await applied;
    return { id, role: after, index: proposed.index, term: proposed.term };
  }

  /** The configuration as this node applied it, with the leader's view of each member's progress. */
  members(): { leader: string; term: number; commitIndex: number; members: { id: string; voter: boolean; match: number | null }[] } {
    const status = this.raft.status();
    if (status.role !== 'leader') throw status.leader !== NONE ? notLeader(status.leader) : noLeader();
    const match = new Map((status.progress ?? []).map((p) => [p.id, p.match]));
    const conf = status.conf;
    const voters = [...new Set([...conf.voters, ...conf.votersOutgoing])];
    const learners = [...new Set([...conf.learners, ...conf.learnersNext])].filter((id) => !voters.includes(id));
    return {
      leader: this.id,
      term: status.term,
      commitIndex: status.commit,
      members: [...voters.map((id) => ({ id, voter: true })), ...learners.map((id) => ({ id, voter: false }))].map((m) => ({ ...m, match: m.id === this.id ? status.lastIndex : (match.get(m.id) ?? null) })),
    };
  }

  /** A read of this node's state machine, possibly stale. */
  localGet(key: string): string | null {
    return this.kv.get(key);
  }

  /** A read without the log (node-reads.ts). Throws ClientRequestError when it cannot be served here. */
  read(key: string, consistency: ReadConsistency): Promise<ReadAnswer> {
    return this.reads.read(key, consistency);
  }

  status(): RaftStatus {
    return this.raft.status();
  }

  // ---- the host side of the Ready loop (core/host/ready-driver.ts) -----------------------------

  private persist(write: PersistWrite, sync: boolean, done: (error?: Error) => void): void {
    this.saving = true;
    this.storage.save(write, sync).then(
      () => {
        this.saving = false;
        done();
      },
      (error: Error) => {
        this.saving = false;
        done(error);
      },
    );
  }

  private readyHandled(ready: Ready): void {
    // The core drops reads it has not confirmed whenever leadership or the term changes.
    if (ready.softState !== null || (ready.hardState !== null && ready.hardState.term !== this.lastTerm)) {
      if (ready.hardState) this.lastTerm = ready.hardState.term;
      this.reads.leadershipChanged();
    }
    this.observer.afterReady(ready.softState !== null || ready.hardState !== null, ready.softState !== null);
    this.maybeCompact();
  }

  private onDriverFatal(error: Error): void {
    const message = `Node ${this.id} stopped: ${error.message}`;
    this.log('error', message, { stack: error.stack });
    this.stopped = true;
    this.fatal?.(message);
  }

  private sendMessages(messages: Message[]): void {
    this.transport.send(messages);
    // The leader waits in snapshot state until told the snapshot went out. It went out now, on the
    // same ordered connection as what follows; if it is lost, the next probe is refused and the
    // leader sends it again.
    for (const m of messages) if (m.type === MessageType.Snap) this.raft.reportSnapshot(m.to, true);
  }

  private installSnapshot(snapshot: Snapshot): void {
    this.kv.restore(snapshot.data);
    this.pending.coveredBySnapshot(snapshot.metadata.index);
    this.reads.applied();
    this.log('info', 'installed snapshot', { index: snapshot.metadata.index, term: snapshot.metadata.term });
    this.observer.event('snapshot', `${this.id} installed a snapshot up to index ${snapshot.metadata.index}`, { index: snapshot.metadata.index });
  }

  private apply(entries: Entry[]): void {
    for (const entry of entries) {
      if (entry.index <= this.kv.appliedIndex) continue;
      // A configuration change is the core's business (it applies it on advance): the state
      // machine only moves its applied index past it.
      const result = this.kv.apply(entry.index, entry.type === EntryType.Normal ? entry.data : NO_DATA);
      this.pending.applied(entry.index, entry.term, result);
    }
    this.reads.applied();
  }

  private maybeCompact(): void {
    const applied = this.kv.appliedIndex;
    if (this.compacting || applied - this.storage.snapshot().metadata.index < this.snapshotEntries) return;
    this.compacting = true;
    const snapshot: Snapshot = {
      // Compaction runs after advance(): the configuration is the one at `applied`.
      metadata: { index: applied, term: this.storage.term(applied), confState: this.raft.confState() },
      data: this.kv.snapshot(),
    };
    this.storage
      .compact(snapshot)
      .then(() => {
        this.log('info', 'compacted log', { index: applied });
        this.observer.event('snapshot', `${this.id} took a snapshot at index ${applied} and compacted its log`, { index: applied });
      })
      .catch((e: Error) => this.log('error', 'compaction failed', { error: e.message }))
      .finally(() => {
        this.compacting = false;
      });
  }

  /**
   * The configuration committed in this node's data is the truth; cluster.json only gives addresses.
   * Where they disagree, say so once at start rather than obey either silently.
   */
  private explainMembership(): void {
    const conf = this.raft.confState();
    const members = new Set([...conf.voters, ...conf.votersOutgoing, ...conf.learners, ...conf.learnersNext]);
    if (members.size === 0) return; // a joining node learns its configuration from the leader
    const listed = new Set(this.definitionIds);
    const unlisted = [...members].filter((id) => !listed.has(id));
    const extra = [...listed].filter((id) => !members.has(id) && !this.joiningIds.has(id));
    if (unlisted.length > 0) {
      this.observer.event(
        'error',
        `${this.id}'s committed configuration includes ${unlisted.join(', ')}, which cluster.json does not list, so ${this.id} cannot reach ${unlisted.length === 1 ? 'it' : 'them'}; add ${unlisted.length === 1 ? 'its' : 'their'} address back to cluster.json, or remove ${unlisted.length === 1 ? 'it' : 'them'} with raftdesk member remove.`,
        { unlisted: unlisted.join(',') },
      );
    }
    if (extra.length > 0) {
      this.observer.event(
        'error',
        `cluster.json lists ${extra.join(', ')}, which ${this.id}'s committed configuration does not include, so ${extra.length === 1 ? 'it does' : 'they do'} not vote; add ${extra.length === 1 ? 'it' : 'them'} with raftdesk member add, or take ${extra.length === 1 ? 'it' : 'them'} out of cluster.json.`,
        { extra: extra.join(',') },
      );
    }
  }

  // ---- what the supervisor sees ---------------------------------------------------------------

  buildReport(): NodeReport {
    return this.observer.buildReport();
  }

  /** A fingerprint of the state machine: replicas at the same applied index must agree. */
  stateDigest(): { appliedIndex: number; digest: string } {
    return { appliedIndex: this.kv.appliedIndex, digest: createHash('sha256').update(this.kv.snapshot()).digest('hex') };
  }

  /** A window of this node's stable log for the console. */
  logView(limit: number, fromIndex?: number): NodeLogView {
    const s = this.raft.status();
    const first = this.storage.firstIndex();
    const last = this.storage.lastIndex();
    const lo = Math.max(first, fromIndex ?? last - limit + 1);
    const hi = Math.min(last, lo + limit - 1);
    const entries = hi >= lo ? this.storage.entries(lo, hi + 1, Number.MAX_SAFE_INTEGER) : [];
    return {
      id: this.id,
      firstIndex: first,
      lastIndex: last,
      commitIndex: s.commit,
      appliedIndex: this.kv.appliedIndex,
      entries: entries.map((e) => ({ index: e.index, term: e.term, ...describeCommand(e.data) })),
      unavailable: null,
    };
  }
}

function isProposalError(error: unknown): boolean {
  return error instanceof ProposalError;
}

