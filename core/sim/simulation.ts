// One seeded run of a simulated cluster: a fault phase (crashes, restarts, partitions, pauses, a
// lossy/duplicating/reordering network, compaction, leadership transfers, membership changes,
// random proposals), then healing and a liveness phase. Everything random comes from the seed, so a
// seed replays exactly.

import type { ConfChange, ConfState, Message, NodeId, ProposalResult } from '../raft/types.js';
import { ConfChangeTransition, ConfChangeType, MessageType, NONE } from '../raft/types.js';
import { allMembers, allVoters, isJoint } from '../raft/confchange.js';
import type { CommitBroadcast, RaftConfig, RandomSource, TestOnlyBugs } from '../raft/config.js';
import { ProposalError } from '../raft/errors.js';
import { seededRandom } from '../raft/random.js';
import { EventQueue } from './event-queue.js';
import { SimNetwork } from './network.js';
import { SimNode, type SimHostWorld } from './sim-node.js';
import { MAX_READIES_IN_FLIGHT, type HostTestOnlyBugs, type PersistWrite } from '../host/ready-driver.js';
import { InvariantChecker, type Violation } from './invariants.js';
import { ReadCheck, drawReadProfile, type ReadProfile } from './read-check.js';
import { between, chance, pick } from './chance.js';
import { HEALED_NETWORK, NETWORK_PROFILES, drawFaultProfile, drawRaftParameters, type FaultProfile, type RaftParameters } from './scenario.js';

/** Mixed into the seed for the reads' own random stream. */
const READ_STREAM = 0x5ead;
/** Its own stream, so that drawing it leaves every other draw of a seed as it was. */
const PIPELINE_STREAM = 0x91be;
/** RaftConfig.commitBroadcast's own stream, so that drawing it leaves every other draw of a seed as it was. */
const COMMIT_BROADCAST_STREAM = 0x3c0b;

/** Simulation time units per tick: message delays are fractions of a tick. */
export const TIME_PER_TICK = 10;
/** Proposals a client makes after healing; each must commit on every node. */
const LIVENESS_PROPOSALS = 3;
/** Liveness bounds, in election timeouts (ticks = factor × electionTicks). */
const ELECTION_BOUND_TIMEOUTS = 20;
/**
 * Without pre-vote, a voter whose log is behind keeps starting elections it cannot win, and each
 * one resets the timer of the voter that could win; with two voters and slow writes (the vote is
 * written before it is requested) the up-to-date one wins a round only about one time in five.
 * Seed 101036 (3 nodes, two voters left, writes up to a quarter of the timeout) needed over 30
 * rounds. Pre-vote is the cure (thesis §9.6); without it the bound allows twice the rounds.
 */
const ELECTION_BOUND_TIMEOUTS_WITHOUT_PRE_VOTE = 40;
const COMMIT_BOUND_TIMEOUTS = 20;
/** The size limit counts a simulated entry (4 payload bytes) as 20 bytes. */
const SIM_ENTRY_SIZE = 20;
/** Nodes that can join a running cluster, beyond the initial voters. IDs are never reused: a
 *  removed node's data is never brought back as a new member. */
const SPARE_NODES = 3;

export interface SimOptions {
  seed: number;
  /** 3, 5 or 7 in practice; any count >= 1 works. */
  nodes: number;
  /** Steps (ticks of the global clock) of the fault phase. */
  steps: number;
  bugs?: TestOnlyBugs;
  /** Broken rules of the host (the Ready driver), injected the same way. */
  hostBugs?: HostTestOnlyBugs;
}

export interface SeedResult {
  seed: number;
  nodes: number;
  steps: number;
  violations: Violation[];
  /** Ticks from healing to a leader every node follows; null if none emerged. */
  electionTicksAfterHeal: number | null;
  /** Events processed (ticks, deliveries, Readies, ...). */
  events: number;
  /** The Raft settings this seed drew, as `name=value` pairs. */
  settings: string;
  proposalsAccepted: number;
  proposalsAcknowledged: number;
  /** Linearizable reads answered (each checked against the writes acknowledged before it). */
  readsAnswered: number;
}

type SimEvent =
  | { kind: 'step' }
  | { kind: 'tick'; node: SimNode; incarnation: number }
  | { kind: 'deliver'; message: Message }
  | { kind: 'persisted'; node: SimNode; incarnation: number; write: PersistWrite; sync: boolean; done: (error?: Error) => void; crashFirst: boolean }
  | { kind: 'snapshot-status'; node: SimNode; incarnation: number; to: NodeId; ok: boolean }
  | { kind: 'unreachable'; node: SimNode; incarnation: number; to: NodeId }
  | { kind: 'restart'; node: SimNode; incarnation: number };

export class Simulation implements SimHostWorld {
  private readonly random: RandomSource;
  private readonly checker: InvariantChecker;
  private readonly network = new SimNetwork();
  private readonly queue = new EventQueue<SimEvent>();
  /** The initial voters. */
  private readonly ids: NodeId[];
  /** Every node: the initial voters, then the spares. */
  private readonly nodes: SimNode[];
  private readonly allIds: NodeId[];
  private readonly byId = new Map<NodeId, SimNode>();
  private readonly params: RaftParameters;
  /** Half the seeds run the Ready loop pipelined (as nodes do), half one Ready at a time. */
  private readonly maxReadiesInFlight: number;
  private readonly commitBroadcast: CommitBroadcast;
  private readonly profile: FaultProfile;
  private readonly tickInterval = new Map<SimNode, number>();
  private readonly readCheck: ReadCheck;
  /** Reads draw from their own stream (read-check.ts). */
  private readonly readRandom: RandomSource;
  private readonly reads: ReadProfile;

  private now = 0;
  private step = 0;
  private events = 0;
  private payloadCounter = 0;
  private proposalsAccepted = 0;
  private finished = false;

  /** Extra liveness time granted after healing for terms that ran ahead (see termSpreadTicks). */
  private termCatchUpTicks = 0;
  /** The largest backlog drain time seen since healing, before a stable leader emerged. */
  private backlogBoundTicks = 0;
  private healedAt = -1;
  private electionTicksAfterHeal: number | null = null;
  /** Per node: the highest index of an applied configuration seen to include it. */
  private readonly memberThrough = new Map<NodeId, number>();
  /** Nodes whose removal some node has applied (noteRemovals). */
  private readonly removed = new Set<NodeId>();
  /** Ticks after healing by which the post-healing proposals must be applied everywhere. */
  private commitBound = 0;
  /** The members when the commit bound was last set. */
  private commitBoundMembers = '';
  private livenessPending: { node: SimNode; result: ProposalResult } | null = null;
  /** Before any client proposal after healing: the stable leader's last index (term) that every
   *  node must apply by itself — a new leader's own entry carries earlier terms' entries (§5.4.2). */
  private drain: { index: number; term: number; done: boolean } | null = null;
  private readonly livenessAcknowledged: ProposalResult[] = [];

  constructor(private readonly options: SimOptions) {
    this.random = seededRandom(options.seed);
    this.ids = Array.from({ length: options.nodes }, (_, i) => `n${i + 1}`);
    this.checker = new InvariantChecker(this.ids);
    this.readCheck = new ReadCheck(this.checker);
    this.nodes = Array.from({ length: options.nodes + SPARE_NODES }, (_, i) => `n${i + 1}`).map(
      (id, i) => new SimNode(id, this.checker, i < options.nodes ? this.ids : [], this.readCheck),
    );
    for (const node of this.nodes) this.byId.set(node.id, node);
    this.allIds = this.nodes.map((n) => n.id);
    this.checker.electable = () => this.electable();
    this.params = drawRaftParameters(this.random);
    this.profile = drawFaultProfile(this.random, options.nodes, this.params, TIME_PER_TICK);
    this.network.conditions = pick(this.random, NETWORK_PROFILES);
    this.readRandom = seededRandom(options.seed ^ READ_STREAM);
    // A pipelined driver takes entries replaced during a write again at once, in the next Ready, so
    // a core that wrongly marks them written (stableToIgnoresTerm) only shows one Ready at a time.
    const pipelined = options.bugs?.stableToIgnoresTerm !== true && seededRandom(options.seed ^ PIPELINE_STREAM).int(2) === 0;
    this.maxReadiesInFlight = pipelined ? MAX_READIES_IN_FLIGHT : 1;
    // Nodes defer it; etcd's raft (and the core's default) broadcasts at once: both are simulated.
    this.commitBroadcast = seededRandom(options.seed ^ COMMIT_BROADCAST_STREAM).int(2) === 0 ? 'deferred' : 'immediate';
    this.reads = drawReadProfile(this.readRandom, { checkQuorum: this.params.checkQuorum, pauses: this.profile.pause > 0, electionTicks: this.params.electionTicks });
  }

  run(): SeedResult {
    for (const node of this.nodes) {
      const interval = between(this.random, TIME_PER_TICK - 1, TIME_PER_TICK + 1);
      // Lease reads assume clocks that keep pace (ReadOnlyOption): those seeds tick evenly.
      this.tickInterval.set(node, this.reads.lease ? TIME_PER_TICK : interval);
    }
    for (const node of this.nodes.slice(0, this.ids.length)) this.startNode(node, between(this.random, 1, TIME_PER_TICK));
    this.queue.push(TIME_PER_TICK, { kind: 'step' });
    try {
      while (!this.finished && this.checker.violations.length === 0) {
        const next = this.queue.pop();
        if (!next) break;
        this.now = next.time;
        this.events++;
        this.handle(next.value);
      }
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 4).join(' | ') : String(error);
      this.checker.report('exception', text);
    }
    return {
      seed: this.options.seed,
      nodes: this.options.nodes,
      steps: this.options.steps,
      violations: this.checker.violations.slice(0, 1),
      electionTicksAfterHeal: this.electionTicksAfterHeal,
      events: this.events,
      settings: `${describeSettings(this.params, this.profile.maxPersistDelay / TIME_PER_TICK)} reads=${this.reads.lease ? 'lease+read-index' : 'read-index'} readiesInFlight=${this.maxReadiesInFlight} commitBroadcast=${this.commitBroadcast}`,
      proposalsAccepted: this.proposalsAccepted,
      proposalsAcknowledged: this.checker.acknowledgedCount,
      readsAnswered: this.readCheck.answered,
    };
  }

  // ---- events ---------------------------------------------------------------------------------

  private handle(event: SimEvent): void {
    switch (event.kind) {
      case 'step':
        this.onStep();
        return;
      case 'tick': {
        const node = event.node;
        if (node.incarnation !== event.incarnation || !node.alive) return;
        this.queue.push(this.now + this.tickInterval.get(node)!, event);
        if (node.pausedUntil > this.now) return;
        node.tick();
        return;
      }
      case 'deliver': {
        const m = event.message;
        const node = this.byId.get(m.to);
        // A link cut while the message was in flight loses it too.
        if (!node || !node.alive || this.network.isBlocked(m.from, m.to)) return;
        if (node.pausedUntil > this.now) {
          this.queue.push(node.pausedUntil + between(this.random, 0, 3), event);
          return;
        }
        node.stepMessage(m);
        return;
      }
      case 'persisted':
        this.completeWrite(event);
        return;
      case 'snapshot-status': {
        const node = event.node;
        if (node.incarnation !== event.incarnation || !node.alive) return;
        node.driver!.input((raw) => raw.reportSnapshot(event.to, event.ok));
        return;
      }
      case 'restart': {
        const node = event.node;
        if (node.incarnation === event.incarnation && !node.alive) this.startNode(node, between(this.random, 1, TIME_PER_TICK));
        return;
      }
      case 'unreachable': {
        const node = event.node;
        if (node.incarnation !== event.incarnation || !node.alive) return;
        node.driver!.input((raw) => raw.reportUnreachable(event.to));
        return;
      }
    }
  }

  // ---- the node hosts' world: when writes complete, where messages go ---------------------------

  /** A host's write completes after a drawn delay. A leader's replication messages left before it
   *  (the driver sends them while it persists), so a crash before completion is the moment where an
   *  early send would show; inputs keep arriving meanwhile, as on a real node. */
  persist(node: SimNode, write: PersistWrite, sync: boolean, done: (error?: Error) => void): void {
    const sendEverything = this.options.hostBugs?.sendEverythingBeforePersisting === true;
    const crashFirst = this.healedAt < 0 && (node.role === 'leader' || sendEverything) && chance(this.random, this.profile.crashWhilePersisting);
    const stall = this.healedAt < 0 && chance(this.random, this.profile.writeStall);
    const delay = stall ? between(this.random, 1, 2 * this.params.electionTicks * TIME_PER_TICK) : between(this.random, 0, this.profile.maxPersistDelay);
    this.queue.push(this.now + delay, { kind: 'persisted', node, incarnation: node.incarnation, write, sync, done, crashFirst });
  }

  private completeWrite(event: Extract<SimEvent, { kind: 'persisted' }>): void {
    const node = event.node;
    if (node.incarnation !== event.incarnation || !node.alive) return;
    if (node.pausedUntil > this.now) {
      this.queue.push(node.pausedUntil + 1, event);
      return;
    }
    if (event.crashFirst && this.healedAt < 0) {
      this.flashCrash(node);
      return;
    }
    node.persisted(event.write);
    // A crash right after a write became durable, before or after what depended on it went out,
    // is where a forgotten fsync or an early send would show.
    const p = this.profile;
    const write = event.write;
    const madeLeader = node.raw!.status().role === 'leader' && node.role !== 'leader';
    let odds = p.flashCrash;
    if (madeLeader) odds = p.flashCrashOnNewLeader;
    else if (event.sync && write.hardState !== null) odds = p.flashCrashOnHardState;
    else if (node.role === 'leader' && write.entries.length > 0) odds = p.flashCrashOnLeaderAppend;
    const flashCrash = this.healedAt < 0 && chance(this.random, odds);
    if (flashCrash && chance(this.random, madeLeader ? 0.8 : 0.5)) {
      this.flashCrash(node);
      return;
    }
    event.done();
    if (flashCrash && node.incarnation === event.incarnation && node.alive) this.flashCrash(node);
  }

  readyHandled(node: SimNode, _ready: unknown): void {
    if (chance(this.random, this.profile.compact)) {
      const from = node.compactableFrom();
      if (from <= node.applied) node.compact(between(this.random, from, node.applied));
    }
  }

  send(sender: SimNode, messages: Message[]): void {
    for (const m of messages) this.sendOne(sender, m);
  }

  private sendOne(sender: SimNode, m: Message): void {
    const delays = this.network.plan(this.random, m.from, m.to);
    for (const delay of delays) this.queue.push(this.now + delay, { kind: 'deliver', message: m });
    const incarnation = sender.incarnation;
    if (m.type === MessageType.Snap) {
      // The transport reports whether the snapshot got through (etcd's ReportSnapshot).
      this.queue.push(this.now + (delays[0] ?? 1), { kind: 'snapshot-status', node: sender, incarnation, to: m.to, ok: delays.length > 0 });
    }
    if (delays.length === 0 && this.network.isBlocked(m.from, m.to) && chance(this.random, 0.2)) {
      this.queue.push(this.now + 1, { kind: 'unreachable', node: sender, incarnation, to: m.to });
    }
  }

  // ---- the global clock -----------------------------------------------------------------------

  private onStep(): void {
    this.step++;
    this.checker.step = this.step;
    this.checker.checkNoElectableLogLacksCommitted();
    this.noteRemovals();
    if (this.step <= this.options.steps) {
      this.injectFaults();
      if (chance(this.random, this.profile.proposal)) this.proposeRandomly();
      if (chance(this.readRandom, this.reads.rate)) this.readRandomly();
    } else {
      if (this.healedAt < 0) this.heal();
      this.stopRemovedNodesNoVoterNeeds();
      this.checkLiveness();
    }
    if (!this.finished) this.queue.push(this.now + TIME_PER_TICK, { kind: 'step' });
  }

  private injectFaults(): void {
    const p = this.profile;
    const random = this.random;
    const alive = this.nodes.filter((n) => n.alive);
    const crashed = this.nodes.filter((n) => !n.alive && n.started);
    if (alive.length > 0 && crashed.length < p.maxCrashed && chance(random, p.crash)) {
      const leader = this.believedLeader();
      this.crashNode(leader && chance(random, 0.5) ? leader : pick(random, alive));
    }
    if (crashed.length > 0 && chance(random, p.restart)) this.startNode(pick(random, crashed), 1);
    if (!this.network.hasPartition()) {
      if (chance(random, p.partition)) this.partition();
    } else if (chance(random, p.partitionHeal)) {
      this.network.healPartitions();
    }
    if (alive.length > 0 && chance(random, p.pause)) {
      pick(random, alive).pausedUntil = this.now + between(random, 1, 3 * this.params.electionTicks) * TIME_PER_TICK;
    }
    if (chance(random, p.conditionsChange)) this.network.conditions = pick(random, NETWORK_PROFILES);
    if (chance(random, p.transfer)) {
      const leader = this.believedLeader();
      if (leader) {
        const to = pick(random, this.nodes).id;
        leader.driver!.input((raw) => raw.transferLeadership(to));
      }
    }
    if (chance(random, p.membership)) this.changeMembership();
  }

  // ---- membership -----------------------------------------------------------------------------

  /**
   * Asks the believed leader for a random membership change that fits its configuration: add a
   * spare as a learner (or straight as a voter), promote a learner, remove a learner, a voter or
   * the leader itself, replace a voter by a spare (two voters: a joint configuration, left on its
   * own or explicitly), or leave an explicit joint configuration. A joining spare is started with
   * no configuration. Refusals (one change pending, not the leader any more) are normal.
   */
  private changeMembership(): void {
    const random = this.random;
    const leader = this.believedLeader();
    if (!leader) return;
    const conf = leader.raw!.confState();
    const spare = this.nodes.find((n) => !n.started);
    const add = (type: ConfChangeType, node: NodeId) => ({ type, node });
    let cc: ConfChange | null = null;
    if (isJoint(conf)) {
      if (!conf.autoLeave) cc = { transition: ConfChangeTransition.Auto, changes: [] };
    } else {
      const options: Array<() => ConfChange | null> = [];
      const simple = (...changes: ConfChange['changes']): ConfChange => ({ transition: ConfChangeTransition.Auto, changes });
      const others = conf.voters.filter((id) => id !== leader.id);
      if (spare) {
        options.push(() => simple(add(ConfChangeType.AddLearnerNode, spare.id)));
        options.push(() => simple(add(ConfChangeType.AddNode, spare.id)));
        if (others.length > 0) {
          options.push(() => ({
            transition: pick(random, [ConfChangeTransition.Auto, ConfChangeTransition.JointImplicit, ConfChangeTransition.JointExplicit]),
            changes: [add(ConfChangeType.AddNode, spare.id), add(ConfChangeType.RemoveNode, pick(random, others))],
          }));
        }
      }
      if (conf.learners.length > 0) {
        options.push(() => simple(add(ConfChangeType.AddNode, pick(random, conf.learners))));
        options.push(() => simple(add(ConfChangeType.RemoveNode, pick(random, conf.learners))));
      }
      if (others.length > 0) {
        options.push(() => simple(add(ConfChangeType.RemoveNode, pick(random, others))));
        options.push(() => simple(add(ConfChangeType.RemoveNode, leader.id)));
        options.push(() => ({ transition: ConfChangeTransition.JointImplicit, changes: [add(ConfChangeType.AddLearnerNode, pick(random, others))] }));
      }
      if (options.length > 0) cc = pick(random, options)();
    }
    if (!cc) return;
    for (const change of cc.changes) {
      const node = this.byId.get(change.node)!;
      if (!node.started) this.startNode(node, between(this.random, 1, TIME_PER_TICK));
    }
    const proposal = cc;
    try {
      leader.driver!.input(
        (raw) => raw.proposeConfChange(proposal),
        (error) => error instanceof ProposalError,
      );
    } catch (error) {
      if (!(error instanceof ProposalError)) throw error;
    }
  }

  /** The newest configuration any running node has applied: who is a member now. */
  private latestConf(): ConfState {
    let latest: ConfState | null = null;
    for (const node of this.nodes) if (node.started && (!latest || node.conf.index > latest.index)) latest = node.conf;
    return latest!;
  }

  /** The nodes that may win an election now and the configuration they would campaign in (for
   *  the leader-completeness check). A crashed node is judged once it runs again: it cannot win
   *  before an election timeout has passed, and by then it has replayed its committed changes. */
  private *electable(): Iterable<{ id: NodeId; conf: ConfState }> {
    for (const node of this.nodes) {
      if (node.raw?.canCampaign()) yield { id: node.id, conf: node.raw.confState() };
    }
  }

  private partition(): void {
    const random = this.random;
    const kind = pick(random, ['split', 'isolate-leader', 'one-way'] as const);
    const leader = this.believedLeader();
    if (kind === 'isolate-leader' && leader) {
      this.network.isolate([leader.id], this.allIds);
    } else if (kind === 'one-way') {
      const links = between(random, 1, this.ids.length);
      for (let i = 0; i < links; i++) {
        const from = pick(random, this.allIds);
        const to = pick(random, this.allIds);
        if (from !== to) this.network.blockLink(from, to);
      }
    } else {
      const shuffled = this.nodes.filter((n) => n.started).map((n) => n.id);
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      this.network.isolate(shuffled.slice(0, between(random, 1, Math.max(1, Math.floor(shuffled.length / 2)))), this.allIds);
    }
  }

  /** The live, running node whose host last heard it became leader (highest term wins). */
  private believedLeader(): SimNode | null {
    let best: SimNode | null = null;
    let bestTerm = -1;
    for (const node of this.nodes) {
      if (!node.alive || node.role !== 'leader' || node.pausedUntil > this.now) continue;
      const term = node.raw!.status().term;
      if (term > bestTerm) {
        best = node;
        bestTerm = term;
      }
    }
    return best;
  }

  private crashNode(node: SimNode): void {
    node.crash();
  }

  /** Kill and restart soon, as a supervisor restarting a crashed process would. */
  private flashCrash(node: SimNode): void {
    node.crash();
    this.queue.push(this.now + between(this.random, 1, 2 * TIME_PER_TICK), { kind: 'restart', node, incarnation: node.incarnation });
  }

  private startNode(node: SimNode, firstTickDelay: number): void {
    const p = this.params;
    const config: RaftConfig = {
      id: node.id,
      voters: this.ids,
      storage: node.storage,
      heartbeatTicks: p.heartbeatTicks,
      electionTicks: p.electionTicks,
      applied: 0,
      maxSizePerMsg: p.maxSizePerMsg,
      maxInflightMsgs: p.maxInflightMsgs,
      maxUncommittedBytes: p.maxUncommittedBytes,
      preVote: p.preVote,
      checkQuorum: p.checkQuorum,
      readOnly: this.reads.lease ? 'lease-based' : 'safe',
      commitBroadcast: this.commitBroadcast,
      random: seededRandom(this.random.int(0x7fffffff)),
      bugs: this.options.bugs,
    };
    node.start(config, this, this.options.hostBugs, { maxReadiesInFlight: this.maxReadiesInFlight });
    this.queue.push(this.now + firstTickDelay, { kind: 'tick', node, incarnation: node.incarnation });
  }

  // ---- proposals ------------------------------------------------------------------------------

  private nextPayload(): Uint8Array {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, ++this.payloadCounter);
    return data;
  }

  private proposeRandomly(): void {
    const running = this.nodes.filter((n) => n.alive && n.pausedUntil <= this.now);
    if (running.length === 0) return;
    const target = chance(this.random, 0.8) ? (this.believedLeader() ?? pick(this.random, running)) : pick(this.random, running);
    this.propose(target, chance(this.random, 0.3) ? between(this.random, 2, 8) : 1, true);
  }

  /** A client's proposal: on "not the leader" it follows the redirect once. */
  private propose(node: SimNode, count: number, followRedirect: boolean): ProposalResult | ProposalError {
    const datas = Array.from({ length: count }, () => this.nextPayload());
    try {
      const result = node.propose(datas);
      if (!result) return new ProposalError('not-leader', NONE, `${node.id} stopped`);
      this.proposalsAccepted += count;
      return result;
    } catch (error) {
      if (!(error instanceof ProposalError)) throw error;
      if (followRedirect && error.code === 'not-leader' && error.leader !== NONE) {
        const leader = this.byId.get(error.leader);
        if (leader?.alive && leader.pausedUntil <= this.now) return this.propose(leader, count, false);
      }
      return error;
    }
  }

  /** A client reads from any running node (followers ask the leader); the answer is checked by
   *  read-check.ts against every write acknowledged before now. */
  private readRandomly(): void {
    const running = this.nodes.filter((n) => n.alive && n.pausedUntil <= this.now);
    if (running.length === 0) return;
    const node = running[this.readRandom.int(running.length)]!;
    node.read(this.reads.lease && chance(this.readRandom, 0.5), this.readCheck.begin());
  }

  // ---- healing and liveness -------------------------------------------------------------------

  private heal(): void {
    this.healedAt = this.step;
    this.termCatchUpTicks = this.termSpreadTicks();
    this.network.healPartitions();
    this.network.conditions = HEALED_NETWORK;
    // Removed nodes run on: a remaining voter that has not yet learned that the removal committed
    // may still need a removed node's vote to elect a leader that commits it.
    for (const node of this.nodes) {
      node.pausedUntil = 0;
      if (node.started && !node.alive) this.startNode(node, between(this.random, 1, TIME_PER_TICK));
    }
  }

  /**
   * After healing, a removed node is stopped once no voter can still need it: every voter of the
   * newest configuration has applied a configuration without it (a voter campaigns in the
   * configuration it applied, so until then the removed node's vote may be the one it lacks —
   * seed 975075: the sole voter left had not applied its promotion and still needed a removed
   * node's vote). Running on forever, a removed node that never learned of its removal raises its
   * term at every timeout and, without pre-vote, deposes leaders or outbids a lower-term candidate
   * that is never told the higher term (thesis §4.2.3; etcd's server cuts removed members off in its
   * transport) — seeds 913304 and 948235. raftdesk's supervisor stops a removed node once a leader
   * without it is elected, or after 30 s (core/cluster/member-changes.ts).
   */
  private stopRemovedNodesNoVoterNeeds(): void {
    const voters = allVoters(this.latestConf()).map((id) => this.byId.get(id)!);
    for (const node of this.nodes) {
      if (!node.alive || !this.removed.has(node.id)) continue;
      if (voters.every((voter) => voter !== node && !allMembers(voter.conf).includes(node.id))) node.crash();
    }
  }

  /**
   * A node is removed once some node applied (so the cluster committed) a configuration without it
   * at a higher index than every applied configuration seen to include it. Configurations are
   * compared by index, not by which node holds the newest now: that view moves back when its
   * holder crashes, and a node added since must not look removed (seed 928266). IDs are never
   * reused, so a removal is final.
   */
  private noteRemovals(): void {
    for (const node of this.nodes) {
      if (!node.started) continue;
      for (const id of allMembers(node.conf)) this.memberThrough.set(id, Math.max(this.memberThrough.get(id) ?? 0, node.conf.index));
    }
    for (const node of this.nodes) {
      if (!node.started) continue;
      const conf = node.conf;
      const members = new Set(allMembers(conf));
      for (const [id, through] of this.memberThrough) {
        if (conf.index > through && !members.has(id)) this.removed.add(id);
      }
    }
  }

  /** The running members of the newest configuration (learners included): after healing, they
   *  are the cluster that must make progress. */
  private members(): SimNode[] {
    const members = new Set(allMembers(this.latestConf()));
    return this.nodes.filter((n) => n.alive && members.has(n.id));
  }

  /** A leader that every member follows in its term. */
  private findStableLeader(): SimNode | null {
    let leader: SimNode | null = null;
    let term = 0;
    const members = this.members();
    for (const node of members) {
      const st = node.raw!.status();
      if (st.role !== 'leader') continue;
      if (leader) return null;
      leader = node;
      term = st.term;
    }
    if (!leader) return null;
    for (const node of members) {
      const st = node.raw!.status();
      if (st.leader !== leader.id || st.term !== term) return null;
    }
    return leader;
  }

  /**
   * After healing: a leader every node follows must emerge within the election bound; every node must
   * then apply what that leader's log holds without any client proposal (prior-term entries commit
   * along with the leader's own entry); then a client makes LIVENESS_PROPOSALS proposals one after another, retrying (as real clients do) when it is
   * refused or when the leader that accepted one loses leadership; all must be acknowledged and
   * applied on every node within the commit bound.
   */
  /**
   * Without pre-vote, a node cut off for a while has raised its term once per election timeout; once
   * healed it deposes every leader of a lower term until the others' terms pass its own — about one
   * election per term of difference (thesis §9.6, the reason pre-vote exists). The liveness bounds
   * grant that time; with pre-vote nobody's term runs ahead, and this is 0.
   */
  private termSpreadTicks(): number {
    if (this.params.preVote) return 0;
    const terms = this.nodes.filter((n) => n.alive).map((n) => n.raw!.status().term);
    if (terms.length === 0) return 0;
    return (Math.max(...terms) - Math.min(...terms)) * 2 * this.params.electionTicks;
  }

  private checkLiveness(): void {
    const sinceHeal = this.step - this.healedAt;
    const electionTicks = this.params.electionTicks;
    const leader = this.findStableLeader();
    if (this.electionTicksAfterHeal === null) {
      if (leader) {
        this.electionTicksAfterHeal = sinceHeal;
        this.extendCommitBound(sinceHeal);
      } else {
        // Every member must follow the leader — a learner added just before healing only once the
        // leader applied its addition, which can wait behind the whole backlog at the configured
        // flow control (one entry per message, one message in flight).
        // The backlog as it was at its largest since healing: time spent draining it counts as
        // part of the bound, not against it (seed 209651: a removed leader drained 200 entries
        // one per message before handing over).
        this.backlogBoundTicks = Math.max(this.backlogBoundTicks, this.backlogTicks());
        const rounds = this.params.preVote ? ELECTION_BOUND_TIMEOUTS : ELECTION_BOUND_TIMEOUTS_WITHOUT_PRE_VOTE;
        if (sinceHeal > rounds * electionTicks + this.termCatchUpTicks + this.backlogBoundTicks) {
          this.checker.report('liveness-election', `no leader that every node follows ${sinceHeal} ticks after healing`);
          this.finished = true;
        }
        return;
      }
    }
    // A member that joined since the bound was set (a configuration change that committed after
    // healing) brings its own backlog: a new node starts from an empty log (seed 962762).
    if (this.membersKey() !== this.commitBoundMembers) this.extendCommitBound(sinceHeal);
    if (!this.drainPriorTerms(leader, sinceHeal)) return;
    const pending = this.livenessPending;
    if (pending && this.checker.isAcknowledged(pending.result.index, pending.result.term)) {
      this.livenessAcknowledged.push(pending.result);
      this.livenessPending = null;
    } else if (pending && pending.node.raw!.status().term !== pending.result.term) {
      // The leader that accepted it is gone: the entry may never commit, so the client retries.
      this.livenessPending = null;
    }
    if (!this.livenessPending && this.livenessAcknowledged.length < LIVENESS_PROPOSALS && leader) {
      const result = this.propose(leader, 1, false);
      if (!(result instanceof ProposalError)) this.livenessPending = { node: leader, result };
    }
    const target = this.livenessTarget();
    const inSnapshotState = leader ? followersInSnapshotState(leader) : [];
    const members = this.members();
    if (this.livenessAcknowledged.length === LIVENESS_PROPOSALS && members.every((n) => n.applied >= target) && inSnapshotState.length === 0) {
      this.finished = true;
      return;
    }
    const bound = this.commitBound;
    if (sinceHeal > bound && inSnapshotState.length > 0 && members.every((n) => n.applied >= target)) {
      this.checker.report('liveness-snapshot', `after healing, ${leader!.id} still holds ${inSnapshotState.join(', ')} in snapshot state ${bound} ticks later`);
      this.finished = true;
      return;
    }
    if (sinceHeal > bound) {
      const behind = members.filter((n) => n.applied < target).map((n) => `${n.id}@${n.applied}`);
      this.checker.report(
        'liveness-commit',
        `after healing, ${this.livenessAcknowledged.length}/${LIVENESS_PROPOSALS} proposals acknowledged and applied everywhere within ${bound} ticks (target ${target}; behind: ${behind.join(', ') || 'none'})`,
      );
      this.finished = true;
    }
  }

  /** Sets the commit bound from now: time to drain the backlog at the configured flow control plus
   *  COMMIT_BOUND_TIMEOUTS election timeouts. It only grows, and only when the members change,
   *  which happens a bounded number of times after healing: a follower that never catches up is
   *  still reported. */
  private extendCommitBound(sinceHeal: number): void {
    const bound = sinceHeal + COMMIT_BOUND_TIMEOUTS * this.params.electionTicks + this.backlogTicks() + this.termCatchUpTicks;
    this.commitBound = Math.max(this.commitBound, bound);
    this.commitBoundMembers = this.membersKey();
  }

  private membersKey(): string {
    return this.members()
      .map((n) => n.id)
      .join(',');
  }

  /** The drain phase of checkLiveness: true once every node applied the stable leader's log. */
  private drainPriorTerms(leader: SimNode | null, sinceHeal: number): boolean {
    if (this.drain?.done) return true;
    if (leader) {
      const st = leader.raw!.status();
      // A new stable leader (another term) brings its own entry: drain up to its log's end.
      if (!this.drain || this.drain.term !== st.term) this.drain = { index: st.lastIndex, term: st.term, done: false };
    }
    const drain = this.drain;
    if (!drain) return false;
    const members = this.members();
    if (members.every((n) => n.applied >= drain.index)) {
      drain.done = true;
      return true;
    }
    if (sinceHeal > this.commitBound) {
      const behind = members.filter((n) => n.applied < drain.index).map((n) => `${n.id}@${n.applied}`);
      const stuck = leader ? followersInSnapshotState(leader) : [];
      if (stuck.length > 0) {
        this.checker.report('liveness-snapshot', `after healing, ${leader!.id} still holds ${stuck.join(', ')} in snapshot state ${this.commitBound} ticks later (behind: ${behind.join(', ')})`);
        this.finished = true;
        return false;
      }
      this.checker.report('liveness-prior-term', `after healing, the leader of term ${drain.term} did not get its log up to ${drain.index} applied everywhere within ${this.commitBound} ticks without client proposals (behind: ${behind.join(', ')})`);
      this.finished = true;
    }
    return false;
  }

  /**
   * Time to drain what is already in the logs: with small messages and a small in-flight window a
   * follower gets maxInflightMsgs · entriesPerMsg entries per round trip, so a long backlog
   * legitimately takes a while. A round trip is the network both ways (under 2 ticks healed) plus
   * the leader's write the next Ready waits behind and the follower's write before it acknowledges
   * (seed 111700, 5 nodes: 2.5-tick writes drained a 330-entry backlog at 0.8 entries per tick).
   */
  private backlogTicks(): number {
    let last = 0;
    let minApplied = Infinity;
    for (const node of this.members()) {
      last = Math.max(last, node.raw!.status().lastIndex);
      minApplied = Math.min(minApplied, node.applied);
    }
    // A removed leader still leads until its successor takes over, and its log (longer than any
    // member's) is what the members must drain first (seed 209651, 3 nodes).
    for (const node of this.nodes) if (node.alive && node.raw!.softState().role === 'leader') last = Math.max(last, node.raw!.status().lastIndex);
    const entriesPerMessage = Math.max(1, Math.floor(this.params.maxSizePerMsg / SIM_ENTRY_SIZE));
    const roundTripTicks = 2 + (2 * this.profile.maxPersistDelay) / TIME_PER_TICK;
    return Math.ceil(roundTripTicks * Math.ceil((last - minApplied) / (entriesPerMessage * this.params.maxInflightMsgs)));
  }

  /** Every node must apply at least this far: the post-healing proposals and every acknowledged one. */
  private livenessTarget(): number {
    let last = 0;
    for (const p of this.livenessAcknowledged) last = Math.max(last, p.index);
    return Math.max(last, this.checker.highestAcknowledged);
  }
}

function describeSettings(p: RaftParameters, maxWriteTicks: number): string {
  return (
    `preVote=${p.preVote} checkQuorum=${p.checkQuorum} heartbeatTicks=${p.heartbeatTicks} electionTicks=${p.electionTicks} ` +
    `maxSizePerMsg=${p.maxSizePerMsg} maxInflightMsgs=${p.maxInflightMsgs} maxUncommittedBytes=${p.maxUncommittedBytes} maxWriteTicks=${maxWriteTicks}`
  );
}

function followersInSnapshotState(leader: SimNode): NodeId[] {
  return (leader.raw!.status().progress ?? []).filter((p) => p.state === 'snapshot').map((p) => p.id);
}

export function simulate(options: SimOptions): SeedResult {
  return new Simulation(options).run();
}
