// Small builders for the values the console shows, so tests state only what they care about.

import type {
  ClusterDefinition,
  ClusterEvent,
  ClusterState,
  ExperimentReport,
  LinkView,
  NodeLogView,
  NodeStatus,
  WorkspaceSummary,
} from '../../core/api/index.js';

export function makeDefinition(n = 3): ClusterDefinition {
  return {
    name: 'demo',
    defaults: {
      heartbeatMs: 100,
      electionTimeoutMs: 1000,
      storage: 'disk',
      fsync: true,
      snapshotEntries: 10000,
      maxInflightMsgs: 256,
      maxMsgBytes: 1048576,
      preVote: true,
      checkQuorum: true,
      minFreeDiskMb: 128,
      autoRestart: false,
      allowRemoteHosts: false,
    },
    nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i + 1}`, host: '127.0.0.1', peerPort: 7001 + i, clientPort: 8001 + i })),
  };
}

export function makeWorkspace(overrides: Partial<WorkspaceSummary> = {}): WorkspaceSummary {
  return { path: '/tmp/ws/demo', name: 'demo', nodes: 3, running: false, ...overrides };
}

export function makeNode(id: string, overrides: Partial<NodeStatus> = {}): NodeStatus {
  return {
    id,
    address: `127.0.0.1:80${id.slice(1).padStart(2, '0')}`,
    peerAddress: `127.0.0.1:70${id.slice(1).padStart(2, '0')}`,
    state: 'running',
    pid: 1000 + Number(id.slice(1)),
    startedAt: 1_000,
    role: 'follower',
    term: 2,
    leader: null,
    commitIndex: 10,
    appliedIndex: 10,
    lastIndex: 10,
    snapshotIndex: 0,
    followers: null,
    faults: { blockedTo: [], blockedFrom: [], delayMs: 0, jitterMs: 0, lossPercent: 0 },
    lastError: null,
    rssBytes: 48 * 1024 * 1024,
    alarm: null,
    ...overrides,
  };
}

/** A running cluster of `ids` where `leader` leads at `term`, every node caught up at `commit`. */
export function makeState(options: { ids?: string[]; leader?: string | null; term?: number; commit?: number; at?: number } = {}): ClusterState {
  const ids = options.ids ?? ['n1', 'n2', 'n3'];
  const leader = options.leader === undefined ? 'n1' : options.leader;
  const term = options.term ?? 2;
  const commit = options.commit ?? 10;
  const nodes = ids.map((id) =>
    makeNode(id, {
      role: id === leader ? 'leader' : 'follower',
      term,
      leader,
      commitIndex: commit,
      appliedIndex: commit,
      lastIndex: commit,
      followers: id === leader ? ids.filter((f) => f !== id).map((f) => ({ id: f, match: commit, next: commit + 1, state: 'replicate' as const })) : null,
    }),
  );
  const links: LinkView[] = ids.flatMap((from) => ids.filter((to) => to !== from).map((to) => ({ from, to, cut: false, messagesPerSec: from === leader || to === leader ? 10 : 0 })));
  return { workspace: '/tmp/ws/demo', name: 'demo', running: true, leader, term, nodes, links, at: options.at ?? 61_000 };
}

export function makeEvent(seq: number, overrides: Partial<ClusterEvent> = {}): ClusterEvent {
  return { seq, at: 1_000 + seq, kind: 'leader-elected', node: 'n1', term: 2, message: `n1 became leader in term 2`, details: {}, ...overrides };
}

export function makeLogView(id: string, overrides: Partial<NodeLogView> = {}): NodeLogView {
  return { id, firstIndex: 1, lastIndex: 0, commitIndex: 0, appliedIndex: 0, entries: [], unavailable: null, ...overrides };
}

export function makeReport(overrides: Partial<ExperimentReport> = {}): ExperimentReport {
  return {
    ok: true,
    options: { durationSec: 30, clients: 3, keys: 2, nemeses: ['kill'], intervalSec: 5, seed: 7 },
    ops: 420,
    checks: [
      { name: 'linearizable', ok: true, detail: 'All 420 operations fit one order.' },
      { name: 'no lost writes', ok: true, detail: 'Every acknowledged write was read back.' },
    ],
    anomaly: null,
    historyFile: '/tmp/ws/demo/experiments/1/history.jsonl',
    reportFile: '/tmp/ws/demo/experiments/1/report.json',
    ...overrides,
  };
}
