// A scripted, in-page stand-in for `raftdesk console`, for looking at the UI before (or without)
// the real server: it installs `window.raftdesk` with a simulated cluster that elects leaders,
// replicates and commits a steady load, and reacts to kill, pause, partition, delay and loss the
// way Raft would, closely enough to judge the screens. Dev-only; nothing here is Raft.
//
// URL parameters: nodes=N (default 5), running=1 (start at once), seed=S, hz=H (state pushes a
// second, default 10; the real supervisor sends at most 20).

import type {
  ClusterDefinition,
  ClusterEvent,
  ClusterEventKind,
  ClusterState,
  ConsoleApi,
  EntryKind,
  ExperimentOptions,
  ExperimentProgress,
  ExperimentReport,
  Fault,
  HistoryOpView,
  LinkView,
  MetricsSample,
  NodeAction,
  NodeLogView,
  NodeStatus,
  ProcessState,
  ReadOutcome,
  Role,
  Unsubscribe,
  ValidationIssue,
  WorkspaceSummary,
  WriteOutcome,
} from '../../../core/api/index.js';
import type { AddMemberRequest, MemberChangeResult } from '../../../core/api/membership.js';
import type { ReadConsistency } from '../../../core/api/reads.js';

interface Entry {
  term: number;
  kind: EntryKind;
  preview: string;
}

interface SimNode {
  id: string;
  state: ProcessState;
  role: Role | null;
  term: number;
  /** log[i] is the entry at index i + 1. */
  log: Entry[];
  commit: number;
  applied: number;
  snapshot: number;
  startedAt: number | null;
  blockedTo: Set<string>;
  blockedFrom: Set<string>;
  delayMs: number;
  jitterMs: number;
  lossPercent: number;
  /** Tick at which a follower without a leader starts an election. */
  electionAt: number;
  /** Tick at which this leader stopped reaching a majority, or null. */
  quorumLostAt: number | null;
  output: string[];
  /** Receives the log without voting. */
  learner: boolean;
}

const params = new URLSearchParams(location.search);
const TICK_MS = 1000 / Math.min(60, Math.max(1, Number(params.get('hz') ?? 10)));
let seed = Number(params.get('seed') ?? 7);
function random(): number {
  // mulberry32: deterministic, so screenshots are comparable between runs.
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function defaultDefinition(n: number): ClusterDefinition {
  return {
    name: `demo-${n}`,
    defaults: { heartbeatMs: 100, electionTimeoutMs: 1000, storage: 'disk', fsync: true, snapshotEntries: 2000, maxInflightMsgs: 256, maxMsgBytes: 1048576, preVote: true, checkQuorum: true, minFreeDiskMb: 128, autoRestart: false, allowRemoteHosts: false },
    nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i + 1}`, host: '127.0.0.1', peerPort: 7101 + i, clientPort: 7201 + i })),
  };
}

class FakeCluster implements ConsoleApi {
  private definition = defaultDefinition(Number(params.get('nodes') ?? 5));
  private workspaces: WorkspaceSummary[] = [
    { path: '/home/op/.raftdesk/demo', name: 'demo', nodes: this.definition.nodes.length, running: false },
    { path: '/home/op/.raftdesk/seven', name: 'seven', nodes: 7, running: false },
    { path: '/home/op/.raftdesk/memory-only', name: 'memory-only', nodes: 3, running: false },
  ];
  private current = this.workspaces[0];
  private running = false;
  private nodes: SimNode[] = [];
  private tick = 0;
  private events: ClusterEvent[] = [];
  private seq = 0;
  private rates = new Map<string, number>();
  private lastCommit = 0;
  private latencies: number[] = [];
  private pendingWrites: { index: number; term: number; started: number; resolve: (o: WriteOutcome) => void }[] = [];
  private experiment: { cancel: boolean } | null = null;

  private stateListeners = new Set<(s: ClusterState) => void>();
  private eventListeners = new Set<(e: ClusterEvent) => void>();
  private metricsListeners = new Set<(m: MetricsSample) => void>();
  private outputListeners = new Set<(node: string, lines: string[]) => void>();
  private progressListeners = new Set<(p: ExperimentProgress) => void>();

  constructor() {
    setInterval(() => this.step(), TICK_MS);
    setInterval(() => this.sample(), 1000);
    if (params.get('running') === '1') void this.startCluster();
  }

  // Workspaces
  listWorkspaces = async () => this.workspaces.map((w) => ({ ...w, running: w === this.current && this.running }));
  createWorkspace = async (name: string, definition?: ClusterDefinition) => {
    if (this.workspaces.some((w) => w.name === name)) throw new Error(`A workspace named ${name} already exists; choose another name.`);
    const ws = { path: `/home/op/.raftdesk/${name}`, name, nodes: definition?.nodes.length ?? 3, running: false };
    this.workspaces.push(ws);
    this.current = ws;
    this.definition = definition ?? { ...defaultDefinition(3), name };
    return ws;
  };
  openWorkspace = async (path: string) => {
    const ws = this.workspaces.find((w) => w.path === path);
    if (!ws) throw new Error(`No workspace at ${path}; create it first.`);
    this.current = ws;
    this.definition = { ...defaultDefinition(ws.nodes), name: ws.name };
    return this.definition;
  };
  currentDefinition = async () => ({ workspace: { ...this.current, running: this.running }, definition: this.definition });
  validateDefinition = async (d: ClusterDefinition) => validate(d);
  saveDefinition = async (d: ClusterDefinition) => {
    const issues = validate(d);
    if (!issues.some((i) => i.severity === 'error')) this.definition = d;
    return issues;
  };

  // Cluster
  startCluster = async () => {
    if (this.running) throw new Error('The cluster is already running; stop it first.');
    this.running = true;
    this.nodes = this.definition.nodes.map((n) => this.newNode(n.id));
    this.emit('cluster-started', null, null, `Cluster ${this.definition.name} started with ${this.nodes.length} nodes`, {});
    for (const n of this.nodes) this.emit('node-started', n.id, null, `${n.id} started`, { pid: 40000 + Number(n.id.slice(1)) });
  };
  stopCluster = async () => {
    this.running = false;
    for (const n of this.nodes) Object.assign(n, { state: 'stopped', role: null, startedAt: null });
    this.emit('cluster-stopped', null, null, 'Cluster stopped', {});
    this.publish();
  };
  nodeAction = async (id: string, action: NodeAction) => {
    const n = this.node(id);
    switch (action) {
      case 'kill':
        Object.assign(n, { state: 'killed', role: null, startedAt: null });
        this.emit('node-exited', id, n.term, `${id} killed (SIGKILL)`, { signal: 'SIGKILL', code: null });
        break;
      case 'stop':
        Object.assign(n, { state: 'stopped', role: null, startedAt: null });
        this.emit('node-exited', id, n.term, `${id} stopped`, { signal: 'SIGTERM', code: 0 });
        break;
      case 'pause':
        n.state = 'paused';
        this.emit('fault', id, n.term, `${id} paused (SIGSTOP)`, { signal: 'SIGSTOP' });
        break;
      case 'resume':
        n.state = 'running';
        this.emit('heal', id, n.term, `${id} resumed (SIGCONT)`, { signal: 'SIGCONT' });
        break;
      case 'start':
      case 'restart':
        Object.assign(n, { state: 'starting', role: null, startedAt: Date.now() });
        setTimeout(() => {
          Object.assign(n, { state: 'running', role: 'follower', electionAt: this.tick + 10 + Math.floor(random() * 10) });
          n.log = n.log.slice(0, n.commit);
          this.emit('node-started', id, n.term, `${id} ${action === 'start' ? 'started' : 'restarted'}`, { pid: 41000 + Math.floor(random() * 999) });
        }, 600);
        break;
    }
    this.publish();
  };
  applyFault = async (fault: Fault) => {
    if (!this.running) throw new Error('No cluster is running; start it first.');
    const ids = this.nodes.map((n) => n.id);
    const block = (from: string, to: string) => {
      this.node(from).blockedTo.add(to);
      this.node(to).blockedFrom.add(from);
    };
    switch (fault.kind) {
      case 'isolate':
        for (const other of ids.filter((o) => o !== fault.node)) {
          block(fault.node, other);
          block(other, fault.node);
        }
        break;
      case 'partition':
        for (const a of fault.groups.flat()) for (const b of fault.groups.flat()) if (fault.groups.findIndex((g) => g.includes(a)) !== fault.groups.findIndex((g) => g.includes(b))) block(a, b);
        break;
      case 'cut':
        block(fault.from, fault.to);
        break;
      case 'delay':
        Object.assign(this.node(fault.node), { delayMs: fault.ms, jitterMs: fault.jitterMs });
        break;
      case 'loss':
        this.node(fault.node).lossPercent = fault.percent;
        break;
    }
    this.emit('fault', 'node' in fault ? fault.node : null, null, describe(fault), { kind: fault.kind });
    this.publish();
  };
  healAll = async () => {
    if (!this.running) throw new Error('No cluster is running; start it first.');
    for (const n of this.nodes) Object.assign(n, { blockedTo: new Set(), blockedFrom: new Set(), delayMs: 0, jitterMs: 0, lossPercent: 0 });
    this.emit('heal', null, null, 'Healed all partitions, cuts, delays and losses', {});
    this.publish();
  };

  // Membership
  addNode = async (request: AddMemberRequest): Promise<MemberChangeResult> => {
    if (!this.running) throw new Error('Start the cluster to add a node; while it is stopped, its nodes are edited in Setup.');
    if (this.nodes.some((n) => n.id === request.id)) throw new Error(`There is already a node "${request.id}"; choose another ID.`);
    const leader = this.leader();
    const node = { ...this.newNode(request.id), learner: true, log: leader ? [...leader.log] : [], term: leader?.term ?? 1 };
    node.commit = node.applied = node.log.length;
    this.nodes.push(node);
    this.emit('member', node.id, node.term, `${node.id} joined as a learner`, {});
    if (!request.learner) {
      await new Promise((r) => setTimeout(r, 600));
      node.learner = false;
      this.emit('member', node.id, node.term, `${node.id} is now a voter`, {});
    }
    this.publish();
    return { id: node.id, role: node.learner ? 'learner' : 'voter', index: node.log.length + 1, term: node.term };
  };
  removeNode = async (id: string): Promise<MemberChangeResult> => {
    const node = this.node(id);
    this.nodes = this.nodes.filter((n) => n !== node);
    this.emit('member', id, node.term, `${id} was removed`, {});
    this.publish();
    return { id, role: 'removed', index: node.log.length, term: node.term };
  };
  promoteNode = async (id: string): Promise<MemberChangeResult> => {
    const node = this.node(id);
    node.learner = false;
    this.emit('member', id, node.term, `${id} is now a voter`, {});
    this.publish();
    return { id, role: 'voter', index: node.log.length, term: node.term };
  };
  transferLeader = async (id: string | null): Promise<{ leader: string; term: number }> => {
    const leader = this.leader();
    const target = id === null ? this.nodes.find((n) => n !== leader && !n.learner && this.alive(n)) : this.node(id);
    if (!leader || !target) throw new Error('There is no leader or no other voter right now; try again in a moment.');
    const term = leader.term + 1;
    for (const n of this.nodes) Object.assign(n, { term, role: n === target ? 'leader' : 'follower' });
    this.emit('leader-elected', target.id, term, `${target.id} became leader (term ${term})`, {});
    this.publish();
    return { leader: target.id, term };
  };

  // Clients
  submitEntry = (text: string) => this.write({ term: 0, kind: 'entry', preview: JSON.stringify(text) });
  putKey = (key: string, value: string) => this.write({ term: 0, kind: 'put', preview: `${key} = ${value}` });
  getKey = async (key: string, consistency: ReadConsistency = 'linearizable'): Promise<ReadOutcome> => {
    const leader = this.leader();
    if (!leader) return { ok: false, code: 'no-leader', error: 'There is no leader right now; an election is under way, so try again in a moment.' };
    const hit = [...leader.log].reverse().find((e) => e.kind === 'put' && e.preview.startsWith(`${key} = `));
    const path = { consistency, readIndex: consistency === 'local' ? null : leader.commit, appliedIndex: leader.applied };
    return { ok: true, value: hit ? hit.preview.slice(key.length + 3) : null, latencyMs: 1.2 + random() * 2, node: leader.id, ...path };
  };

  // Looking inside
  readLogs = async (limit: number, fromIndex?: number): Promise<NodeLogView[]> =>
    this.nodes.map((n) => {
      const unavailable = n.state === 'paused' ? `${n.id} is paused; resume it to read its log.` : n.state !== 'running' ? `${n.id} is not running.` : null;
      const last = n.log.length;
      const from = fromIndex ?? Math.max(n.snapshot + 1, last - limit + 1);
      const to = Math.min(last, from + limit - 1);
      const entries = [];
      for (let i = Math.max(from, n.snapshot + 1); i <= to; i++) entries.push({ index: i, ...n.log[i - 1] });
      return { id: n.id, firstIndex: n.snapshot + 1, lastIndex: last, commitIndex: n.commit, appliedIndex: n.applied, entries: unavailable ? [] : entries, unavailable };
    });
  readNodeOutput = async (id: string, lines: number) => this.node(id).output.slice(-lines);
  recentEvents = async (limit: number) => this.events.slice(-limit);
  listRuns = async () => ({ runs: [], traceMaxMb: 256, tracesBytes: 0 });
  openRun = async (id: string): Promise<never> => {
    throw new Error(`The preview records no runs ("${id}").`);
  };
  readRunMessages = async () => ({ messages: [], truncated: false });

  onState = (l: (s: ClusterState) => void): Unsubscribe => add(this.stateListeners, l);
  onEvent = (l: (e: ClusterEvent) => void): Unsubscribe => add(this.eventListeners, l);
  onMetrics = (l: (m: MetricsSample) => void): Unsubscribe => add(this.metricsListeners, l);
  onNodeOutput = (l: (node: string, lines: string[]) => void): Unsubscribe => add(this.outputListeners, l);
  onExperimentProgress = (l: (p: ExperimentProgress) => void): Unsubscribe => add(this.progressListeners, l);
  // The fake cluster has no Raft traffic to show, no ticks to stretch and no messages to drop.
  setSlowMotion = async (): Promise<void> => undefined;
  dropMessages = async (): Promise<void> => undefined;
  subscribeMessages = async (): Promise<void> => undefined;
  unsubscribeMessages = async (): Promise<void> => undefined;
  onMessages = (): Unsubscribe => () => undefined;

  // Experiments: faults land on the timeline; an odd seed "finds" a stale read, to show the verdict.
  runExperiment = async (options: ExperimentOptions): Promise<ExperimentReport> => {
    if (this.experiment) throw new Error('An experiment is already running; wait for it or cancel it.');
    if (!this.running) throw new Error('No cluster is running; start it first.');
    const run = { cancel: false };
    this.experiment = run;
    const startedAt = Date.now();
    let faults = 0;
    let ops = 0;
    const progress = (phase: ExperimentProgress['phase']) => {
      for (const l of this.progressListeners) l({ phase, elapsedSec: (Date.now() - startedAt) / 1000, durationSec: options.durationSec, ops, faults });
    };
    this.emit('experiment', null, null, `Experiment started (seed ${options.seed})`, { seed: options.seed, nemeses: options.nemeses.join(',') });
    progress('starting');
    try {
      while (!run.cancel && Date.now() - startedAt < options.durationSec * 1000) {
        await sleep(500);
        ops += options.clients * 8;
        const second = Math.floor((Date.now() - startedAt) / 1000);
        if (second > 0 && second % options.intervalSec === 0 && faults < second / options.intervalSec) {
          faults++;
          const nemesis = options.nemeses[faults % options.nemeses.length];
          const victim = this.nodes[Math.floor(random() * this.nodes.length)].id;
          if (nemesis === 'kill') {
            await this.nodeAction(victim, 'kill');
            setTimeout(() => void this.nodeAction(victim, 'restart'), 1500);
          } else if (nemesis === 'pause') {
            await this.nodeAction(victim, 'pause');
            setTimeout(() => void this.nodeAction(victim, 'resume'), 1500);
          } else if (nemesis === 'partition') {
            await this.applyFault({ kind: 'isolate', node: victim });
            setTimeout(() => void this.healAll(), 1500);
          } else {
            await this.applyFault({ kind: 'delay', node: victim, ms: 200, jitterMs: 50 });
          }
        }
        progress('running');
      }
      if (run.cancel) {
        progress('cancelled');
        throw new Error('The experiment was cancelled; nothing was checked.');
      }
      progress('healing');
      await this.healAll();
      await sleep(600);
      progress('checking');
      await sleep(600);
      const ok = options.seed % 2 === 0;
      progress(ok ? 'passed' : 'failed');
      this.emit('experiment', null, null, ok ? 'Experiment passed' : 'Experiment failed: history not linearizable', { seed: options.seed });
      return report(options, ops, ok);
    } finally {
      this.experiment = null;
    }
  };
  cancelExperiment = async () => {
    if (this.experiment) this.experiment.cancel = true;
  };

  // Simulation
  private newNode(id: string): SimNode {
    return {
      id, state: 'running', role: 'follower', term: 1, log: [], commit: 0, applied: 0, snapshot: 0, startedAt: Date.now(),
      blockedTo: new Set(), blockedFrom: new Set(), delayMs: 0, jitterMs: 0, lossPercent: 0,
      electionAt: 8 + Math.floor(random() * 10), quorumLostAt: null, output: [`${id} listening on 127.0.0.1 (peer mTLS, client HTTPS)`], learner: false,
    };
  }

  private node(id: string): SimNode {
    const n = this.nodes.find((x) => x.id === id);
    if (!n) throw new Error(`There is no node ${id}; check the node list.`);
    return n;
  }

  private alive = (n: SimNode) => n.state === 'running';
  private canTalk = (a: SimNode, b: SimNode) => !a.blockedTo.has(b.id) && !b.blockedFrom.has(a.id) && this.alive(a) && this.alive(b);
  private reach = (n: SimNode) => this.nodes.filter((o) => o === n || (this.canTalk(n, o) && this.canTalk(o, n)));
  private majority = () => Math.floor(this.nodes.length / 2) + 1;

  private leader(): SimNode | null {
    return this.nodes.filter((n) => n.role === 'leader' && this.alive(n) && this.reach(n).length >= this.majority()).sort((a, b) => b.term - a.term)[0] ?? null;
  }

  private async write(entry: Entry): Promise<WriteOutcome> {
    const started = performance.now();
    const leader = this.leader();
    if (!leader) {
      await sleep(400);
      return { ok: false, code: 'no-leader', error: 'There is no leader right now; an election is under way, so try again in a moment.' };
    }
    leader.log.push({ ...entry, term: leader.term });
    const index = leader.log.length;
    return new Promise((resolve) => this.pendingWrites.push({ index, term: leader.term, started, resolve }));
  }

  private step(): void {
    if (!this.running) return;
    this.tick++;
    this.rates.clear();
    const leader = this.leader();
    for (const n of this.nodes) {
      if (!this.alive(n)) continue;
      // A leader cut off from a majority steps down after a second (check quorum).
      const cutOff = n.role === 'leader' && this.reach(n).length < this.majority();
      if (!cutOff) n.quorumLostAt = null;
      else n.quorumLostAt ??= this.tick;
      if (cutOff && n.quorumLostAt !== null && this.tick - n.quorumLostAt >= 10) {
        n.role = 'follower';
        n.quorumLostAt = null;
        this.say(n, `stepped down in term ${n.term}: lost contact with a quorum`);
        this.emit('role-changed', n.id, n.term, `${n.id} stepped down (lost quorum)`, { from: 'leader', to: 'follower' });
      }
    }
    // A leader cut off from the majority still takes client writes it can never commit: they
    // diverge from the new leader's log at the same indexes until it rejoins and truncates them.
    for (const n of this.nodes) {
      if (n.role === 'leader' && n !== leader && this.alive(n)) n.log.push({ term: n.term, kind: 'put', preview: `k${Math.floor(random() * 50)} = ${Math.floor(random() * 1000)}` });
    }
    if (leader) this.lead(leader);
    else this.maybeElect();
    this.publish();
  }

  private lead(leader: SimNode): void {
    // Background load: a few entries a tick, more when nothing is slowed down.
    const load = 2 + Math.floor(random() * 4);
    for (let i = 0; i < load; i++) leader.log.push({ term: leader.term, kind: i % 3 === 0 ? 'append' : 'put', preview: `k${Math.floor(random() * 50)} = ${Math.floor(random() * 1000)}` });
    for (const f of this.nodes) {
      if (f === leader) continue;
      const slow = f.delayMs > 0 || f.lossPercent > 30;
      const up = this.canTalk(leader, f) && this.canTalk(f, leader);
      this.rates.set(`${leader.id}→${f.id}`, this.canTalk(leader, f) ? 10 + load * 10 : 0);
      this.rates.set(`${f.id}→${leader.id}`, this.canTalk(f, leader) ? 10 + load * 10 : 0);
      if (!up) continue;
      if (f.term < leader.term || f.role !== 'follower') {
        f.term = leader.term;
        f.role = 'follower';
      }
      // Conflicting uncommitted entries are replaced by the leader's.
      let agree = Math.min(f.log.length, leader.log.length);
      while (agree > 0 && f.log[agree - 1].term !== leader.log[agree - 1].term) agree--;
      if (agree < f.log.length) {
        this.say(f, `truncated ${f.log.length - agree} conflicting entries after index ${agree}`);
        f.log = f.log.slice(0, agree);
      }
      const batch = slow ? 2 : 60;
      f.log.push(...leader.log.slice(f.log.length, Math.min(leader.log.length, f.log.length + batch)));
    }
    const matches = this.nodes.filter((n) => n === leader || (this.canTalk(n, leader) && n.term === leader.term)).map((n) => Math.min(n.log.length, leader.log.length)).sort((a, b) => b - a);
    const commit = matches[this.majority() - 1] ?? leader.commit;
    if (commit > leader.commit && leader.log[commit - 1]?.term === leader.term) leader.commit = commit;
    for (const n of this.nodes) {
      if (!this.alive(n)) continue;
      if (n !== leader && this.canTalk(leader, n)) n.commit = Math.min(leader.commit, n.log.length);
      n.applied = Math.max(n.applied, n.commit - (n === leader ? 0 : Math.floor(random() * 3)));
      n.applied = Math.min(n.applied, n.commit);
      if (n.applied - n.snapshot > this.definition.defaults.snapshotEntries) {
        n.snapshot = n.applied - 200;
        this.emit('snapshot', n.id, n.term, `${n.id} took a snapshot at index ${n.snapshot}`, { index: n.snapshot });
      }
    }
    const done = this.pendingWrites.filter((w) => w.index <= leader.commit);
    this.pendingWrites = this.pendingWrites.filter((w) => w.index > leader.commit);
    for (const w of done) {
      const latencyMs = performance.now() - w.started;
      this.latencies.push(latencyMs);
      w.resolve(leader.log[w.index - 1]?.term === w.term ? { ok: true, index: w.index, term: w.term, latencyMs, node: leader.id } : { ok: false, code: 'not-leader', error: 'The leader changed before the entry committed; it was not applied, so submit it again.' });
    }
    if (this.tick % 10 === 0) this.say(leader, `term ${leader.term}: commit ${leader.commit}, ${this.nodes.length - 1} followers`);
  }

  private maybeElect(): void {
    for (const n of this.nodes) {
      if (!this.alive(n) || this.tick < n.electionAt) continue;
      n.electionAt = this.tick + 10 + Math.floor(random() * 10);
      const voters = this.reach(n);
      if (voters.length < this.majority()) continue; // pre-vote fails: the term does not move
      n.term = Math.max(...voters.map((v) => v.term)) + 1;
      n.role = 'candidate';
      // The vote request resets the voters' election timers, as in Raft.
      for (const v of voters) if (v !== n) v.electionAt = this.tick + 10 + Math.floor(random() * 10);
      this.emit('election-started', n.id, n.term, `${n.id} started an election for term ${n.term}`, { votes: voters.length });
      this.emit('term-changed', n.id, n.term, `Term ${n.term} began`, {});
      setTimeout(() => {
        if (n.role !== 'candidate' || !this.alive(n)) return;
        n.role = 'leader';
        for (const v of this.reach(n)) if (v !== n) Object.assign(v, { term: n.term, role: 'follower' });
        this.emit('leader-elected', n.id, n.term, `${n.id} elected leader for term ${n.term}`, { votes: this.reach(n).length, of: this.nodes.length });
        this.say(n, `became leader at term ${n.term}`);
      }, 250);
      return;
    }
  }

  private sample(): void {
    if (!this.running) return;
    const leader = this.leader();
    const commit = leader?.commit ?? this.lastCommit;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pick = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null);
    const slow = Math.max(0, ...this.nodes.map((n) => n.delayMs));
    const base = 2 + random() * 2 + slow * 0.4;
    const sample: MetricsSample = { at: Date.now(), commitsPerSec: Math.max(0, commit - this.lastCommit), p50Ms: pick(0.5) ?? (leader ? base : null), p99Ms: pick(0.99) ?? (leader ? base * 2.6 : null) };
    this.lastCommit = commit;
    this.latencies = [];
    for (const l of this.metricsListeners) l(sample);
  }

  private say(n: SimNode, line: string): void {
    const text = `${new Date().toISOString()} ${n.id} ${line}`;
    n.output.push(text);
    if (n.output.length > 500) n.output.splice(0, n.output.length - 500);
    for (const l of this.outputListeners) l(n.id, [text]);
  }

  private emit(kind: ClusterEventKind, node: string | null, term: number | null, message: string, details: ClusterEvent['details']): void {
    const event = { seq: ++this.seq, at: Date.now(), kind, node, term, message, details };
    this.events.push(event);
    for (const l of this.eventListeners) l(event);
  }

  private publish(): void {
    const leader = this.leader();
    const status = (n: SimNode): NodeStatus => ({
      id: n.id,
      member: n.learner ? 'learner' : 'voter',
      address: `127.0.0.1:${7200 + Number(n.id.slice(1))}`,
      peerAddress: `127.0.0.1:${7100 + Number(n.id.slice(1))}`,
      state: n.state,
      pid: n.state === 'running' || n.state === 'paused' ? 40000 + Number(n.id.slice(1)) : null,
      startedAt: n.startedAt,
      role: n.state === 'killed' || n.state === 'stopped' ? null : n.role,
      term: n.term,
      leader: leader?.id ?? null,
      commitIndex: n.commit,
      appliedIndex: n.applied,
      lastIndex: n.log.length,
      snapshotIndex: n.snapshot,
      followers: n === leader ? this.nodes.filter((f) => f !== n).map((f) => ({ id: f.id, match: Math.min(f.log.length, n.log.length), next: Math.min(f.log.length, n.log.length) + 1, state: this.canTalk(n, f) ? (n.log.length - f.log.length > 100 ? 'probe' : 'replicate') : 'probe' })) : null,
      faults: { blockedTo: [...n.blockedTo], blockedFrom: [...n.blockedFrom], delayMs: n.delayMs, jitterMs: n.jitterMs, lossPercent: n.lossPercent },
      lastError: n.state === 'killed' ? 'Killed by the operator (SIGKILL).' : null,
      rssBytes: n.state === 'running' || n.state === 'paused' ? (52 + Number(n.id.slice(1))) * 1024 * 1024 : null,
      alarm: null,
    });
    const links: LinkView[] = [];
    for (const a of this.nodes) for (const b of this.nodes) if (a !== b) links.push({ from: a.id, to: b.id, cut: a.blockedTo.has(b.id) || b.blockedFrom.has(a.id), messagesPerSec: this.rates.get(`${a.id}→${b.id}`) ?? (this.canTalk(a, b) ? 1 : 0) });
    const state: ClusterState = { workspace: this.current.path, name: this.definition.name, running: this.running, leader: leader?.id ?? null, term: Math.max(0, ...this.nodes.map((n) => n.term)), nodes: this.nodes.map(status), links, at: Date.now() };
    for (const l of this.stateListeners) l(state);
  }
}

function validate(d: ClusterDefinition): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Map<number, string>();
  d.nodes.forEach((n, i) => {
    if (!/^[a-z][a-z0-9-]*$/.test(n.id)) issues.push({ path: `nodes[${i}].id`, severity: 'error', message: `Node ID "${n.id}" must start with a letter and use only a–z, 0–9 and "-".` });
    if (d.nodes.findIndex((o) => o.id === n.id) !== i) issues.push({ path: `nodes[${i}].id`, severity: 'error', message: `Node ID ${n.id} is used twice; give each node its own ID.` });
    if (n.host !== '127.0.0.1' && n.host !== 'localhost') issues.push({ path: `nodes[${i}].host`, severity: 'error', message: 'Nodes run on this machine: use 127.0.0.1 or localhost.' });
    for (const field of ['peerPort', 'clientPort'] as const) {
      const port = n[field];
      if (!Number.isInteger(port) || port < 1024 || port > 65535) issues.push({ path: `nodes[${i}].${field}`, severity: 'error', message: `Ports run from 1024 to 65535; ${port} is outside that range.` });
      else if (seen.has(port)) issues.push({ path: `nodes[${i}].${field}`, severity: 'error', message: `Port ${port} is already used by ${seen.get(port)}; give every port its own number.` });
      else seen.set(port, `${n.id} (${field === 'peerPort' ? 'peer' : 'client'})`);
    }
    const hb = n.heartbeatMs ?? d.defaults.heartbeatMs;
    const et = n.electionTimeoutMs ?? d.defaults.electionTimeoutMs;
    if (et < hb * 5) issues.push({ path: `nodes[${i}].electionTimeoutMs`, severity: 'warning', message: `An election timeout of ${et} ms is under 5 heartbeats (${hb} ms); expect needless elections.` });
  });
  if (d.nodes.length % 2 === 0) issues.push({ path: 'nodes', severity: 'warning', message: `${d.nodes.length} nodes tolerate no more failures than ${d.nodes.length - 1}; an odd number is usually better.` });
  return issues;
}

function describe(f: Fault): string {
  switch (f.kind) {
    case 'partition':
      return `Partition ${f.groups.map((g) => `{${g.join(', ')}}`).join(' | ')}`;
    case 'isolate':
      return `${f.node} isolated`;
    case 'cut':
      return `Link ${f.from} → ${f.to} cut`;
    case 'delay':
      return `${f.node} delayed by ${f.ms} ± ${f.jitterMs} ms`;
    case 'loss':
      return `${f.node} dropping ${f.percent}% of messages`;
  }
}

function report(options: ExperimentOptions, ops: number, ok: boolean): ExperimentReport {
  const anomaly: HistoryOpView[] = [
    { process: 0, f: 'write', key: 'k3', input: '17', output: null, outcome: 'ok', startMs: 8120, endMs: 8164 },
    { process: 1, f: 'read', key: 'k3', input: '', output: '17', outcome: 'ok', startMs: 8170, endMs: 8190 },
    { process: 2, f: 'write', key: 'k3', input: '21', output: null, outcome: 'info', startMs: 8100, endMs: null },
    { process: 3, f: 'read', key: 'k3', input: '', output: '9', outcome: 'ok', startMs: 8200, endMs: 8231 },
    { process: 1, f: 'cas', key: 'k3', input: '[9, 4]', output: null, outcome: 'fail', startMs: 8240, endMs: 8262 },
  ];
  return {
    ok,
    options,
    ops,
    checks: [
      { name: 'linearizable', ok, detail: ok ? `All ${ops} operations fit a single order consistent with real time.` : 'Key k3: client 3 read 9 at 8200 ms, after client 1 had already read 17.' },
      { name: 'no lost writes', ok: true, detail: 'Every acknowledged write was found in the final state.' },
      { name: 'same order everywhere', ok: true, detail: 'All nodes applied the same entries in the same order.' },
      { name: 'one leader per term', ok: true, detail: 'No term had two leaders.' },
    ],
    anomaly: ok ? null : { key: 'k3', ops: anomaly },
    historyFile: '/home/op/.raftdesk/demo/experiments/0003/history.jsonl',
    reportFile: '/home/op/.raftdesk/demo/experiments/0003/report.json',
  };
}

function add<T>(set: Set<T>, l: T): Unsubscribe {
  set.add(l);
  return () => set.delete(l);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

(window as unknown as { raftdesk: ConsoleApi }).raftdesk = new FakeCluster();
