// The safety properties of Raft (Figure 3 of the paper) plus the guarantees raftdesk promises its
// users, checked incrementally as the simulated hosts persist, send and apply. Every check is O(1)
// per entry or per message thanks to chain hashes (chain-hash.ts).

import type { ConfState, Entry, NodeId } from '../raft/types.js';
import { EMPTY_CHAIN, chainEntry, payloadKey } from './chain-hash.js';
import { isJointQuorum, isVoterOf, quorumsOverlap } from './quorum-check.js';

export type ViolationKind =
  /** Two leaders in one term. */
  | 'election-safety'
  /** A node granted its vote to two candidates in one term (across restarts, too). */
  | 'double-vote'
  /** Two logs hold an entry with the same index and term but differ before it. */
  | 'log-matching'
  /** A new leader's log lacks an entry that was already committed. */
  | 'leader-completeness'
  /** Two nodes committed or applied different entries at one index. */
  | 'state-machine-safety'
  /** A node's persisted commit index went backwards, or beyond its log. */
  | 'commit-index'
  /** An entry was applied out of order or twice. */
  | 'apply-order'
  /** A proposal the client was told had committed was replaced by another entry. */
  | 'lost-proposal'
  /** After healing, no stable leader emerged within the bound. */
  | 'liveness-election'
  /** After healing, a proposal to the stable leader did not commit everywhere within the bound. */
  | 'liveness-commit'
  /** After healing, the stable leader did not commit the entries of earlier terms in its log
   *  (without any client proposal: its own entry of the new term must carry them, §5.4.2). */
  | 'liveness-prior-term'
  /** After healing, the stable leader still holds a follower in snapshot state (nothing is sent to
   *  it but heartbeats). */
  | 'liveness-snapshot'
  /** A leader won an election without a quorum of its configuration's voters granting it (a
   *  learner's or a stranger's vote counted). */
  | 'election-quorum'
  /** A leader committed an entry that a quorum of its configuration's voters does not hold (a
   *  learner counted, or one half of a joint configuration was ignored). */
  | 'commit-quorum'
  /** A node that is not a voter of its own configuration (a learner, or removed) became leader. */
  | 'removed-leader'
  /** A node's configuration took effect before the entry that made it was committed. */
  | 'config-uncommitted'
  /** Two nodes went through different configurations at the same log index. */
  | 'config-divergence'
  /** A configuration followed another without overlapping quorums: the two could decide apart. */
  | 'config-overlap'
  /** A read returned a state older than a write acknowledged before the read began (read-check.ts). */
  | 'stale-read'
  /** The core stopped a node because one of its invariants broke (as etcd panics). */
  | 'panic'
  /** The simulation itself threw. */
  | 'exception';

export const SAFETY_KINDS: readonly ViolationKind[] = [
  'election-safety',
  'double-vote',
  'log-matching',
  'leader-completeness',
  'state-machine-safety',
  'commit-index',
  'apply-order',
  'lost-proposal',
  'election-quorum',
  'commit-quorum',
  'removed-leader',
  'config-uncommitted',
  'config-divergence',
  'config-overlap',
  'stale-read',
];

export interface Violation {
  kind: ViolationKind;
  /** The simulation step (tick) at which it was detected. */
  step: number;
  detail: string;
}

/** What the checker knows of one node's persisted log (it survives the node's crashes). */
interface PersistedLogTrack {
  /** logChain[i] is the chain hash of the node's persisted log up to index i, for
   *  snapshotIndex <= i <= last persisted index; values below snapshotIndex are meaningless. */
  logChain: number[];
  snapshotIndex: number;
  lastCommit: number;
  /** The persisted log's last entry (or the snapshot's, if the log is empty). */
  lastIndex: number;
  lastTerm: number;
}

/** (index, term) as one number: index * 2^21 + term (terms stay far below 2^21 in any run). */
function entryKey(index: number, term: number): number {
  return index * 2097152 + term;
}

export class InvariantChecker {
  readonly violations: Violation[] = [];
  /** The current simulation step, stamped on violations. */
  step = 0;
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** `${voter} ${term}` → the candidate it granted its vote to. */
  private readonly votes = new Map<string, NodeId>();
  /** For every (index, term) seen in any persisted log: the chain hash up to it. */
  private readonly chainAt = new Map<number, number>();
  /** For every index known to be committed: the chain hash of the committed prefix up to it. */
  private readonly committedChain = new Map<number, number>();
  private maxCommitted = 0;
  /** Each time maxCommitted grew: the new value, and the term of the node that reported it (an
   *  upper bound of the term in which it was committed). Indexes increase along the list. */
  private readonly commitMarks: Array<{ index: number; term: number }> = [];
  /** Acknowledged proposals: index → (term, payload key). */
  private readonly acked = new Map<number, { term: number; key: number }>();
  private maxAckedIndex = 0;
  private readonly logs = new Map<NodeId, PersistedLogTrack>();
  /** Every configuration applied, by the index of the change that made it (as a comparable key). */
  private readonly confAtIndex = new Map<number, string>();
  private readonly overlapChecked = new Set<string>();
  /** Who may win an election now, and under which configuration. Without membership changes:
   *  every initial voter, under the initial configuration. The simulation sets it. */
  electable: () => Iterable<{ id: NodeId; conf: ConfState }>;

  constructor(private readonly voters: readonly NodeId[]) {
    const conf: ConfState = { voters: [...voters], votersOutgoing: [], learners: [], learnersNext: [], autoLeave: false, index: 0 };
    this.electable = () => voters.map((id) => ({ id, conf }));
  }

  get highestAcknowledged(): number {
    return this.maxAckedIndex;
  }

  get acknowledgedCount(): number {
    return this.acked.size;
  }

  report(kind: ViolationKind, detail: string): void {
    this.violations.push({ kind, step: this.step, detail });
  }

  private track(id: NodeId): PersistedLogTrack {
    let t = this.logs.get(id);
    if (!t) this.logs.set(id, (t = { logChain: [EMPTY_CHAIN], snapshotIndex: 0, lastCommit: 0, lastIndex: 0, lastTerm: 0 }));
    return t;
  }

  /** Election Safety: `id` acted as leader in `term`. */
  observeLeader(id: NodeId, term: number): void {
    const known = this.leaderOfTerm.get(term);
    if (known === undefined) this.leaderOfTerm.set(term, id);
    else if (known !== id) this.report('election-safety', `two leaders in term ${term}: ${known} and ${id}`);
  }

  /** `voter` sent a granting VoteResp for `term` to `candidate` (pre-votes bind nobody). */
  observeVoteGranted(voter: NodeId, term: number, candidate: NodeId): void {
    const key = `${voter} ${term}`;
    const known = this.votes.get(key);
    if (known === undefined) this.votes.set(key, candidate);
    else if (known !== candidate) this.report('double-vote', `${voter} voted for both ${known} and ${candidate} in term ${term}`);
  }

  /** `id` won an election in `term` under `conf`: it must be a voter there, and the votes granted to
   *  it in that term (seen on the wire) plus its own must make a quorum of it — a learner's or a
   *  non-member's vote never counts. */
  observeElection(id: NodeId, term: number, conf: ConfState): void {
    if (!isVoterOf(conf, id)) {
      this.report('removed-leader', `${id} became leader of term ${term} but is not a voter of its configuration ${describeConf(conf)}`);
      return;
    }
    const granted = new Set<NodeId>([id]);
    for (const [key, candidate] of this.votes) {
      if (candidate !== id) continue;
      const space = key.lastIndexOf(' ');
      if (Number(key.slice(space + 1)) === term) granted.add(key.slice(0, space));
    }
    if (!isJointQuorum(conf, granted)) {
      this.report('election-quorum', `${id} became leader of term ${term} with the votes of ${[...granted].join(', ')}, not a quorum of ${describeConf(conf)}`);
    }
  }

  /**
   * `id`, leading `term`, persisted commit index `commit`: the entry there must be held by a quorum
   * of voters of its configuration (`confs`: the one it computed the commit in, or the one before
   * if a change was applied meanwhile) — learners never count, and while joint both halves count.
   * A voter holds it if its persisted log has the leader's entry there, or a snapshot past it.
   */
  observeLeaderCommit(id: NodeId, commit: number, term: number, confs: readonly ConfState[]): void {
    const leader = this.track(id);
    if (commit <= leader.snapshotIndex || commit >= leader.logChain.length) return;
    const chain = leader.logChain[commit];
    const holders = new Set<NodeId>();
    for (const conf of confs) {
      for (const v of [...conf.voters, ...conf.votersOutgoing]) {
        const t = this.track(v);
        if (t.snapshotIndex >= commit || t.logChain[commit] === chain) holders.add(v);
      }
    }
    if (confs.some((conf) => isJointQuorum(conf, holders))) return;
    this.report(
      'commit-quorum',
      `${id} committed index ${commit} in term ${term}, held only by ${[...holders].join(', ') || 'nobody'}: not a quorum of ${confs.map(describeConf).join(' nor ')}`,
    );
  }

  /** `id` applied the configuration change that took it from `prev` to `next`. Every node goes
   *  through the same configurations, and each must share a quorum with the one before it. */
  observeConfApplied(id: NodeId, prev: ConfState, next: ConfState): void {
    const key = describeConf(next);
    const known = this.confAtIndex.get(next.index);
    if (known === undefined) this.confAtIndex.set(next.index, key);
    else if (known !== key) this.report('config-divergence', `${id} applied ${key} at index ${next.index}, another node ${known}`);
    // A joining node knew no configuration before: there is nothing to overlap with.
    if (prev.voters.length === 0 && prev.votersOutgoing.length === 0) return;
    const pair = `${describeConf(prev)} -> ${key}`;
    if (this.overlapChecked.has(pair)) return;
    this.overlapChecked.add(pair);
    if (!quorumsOverlap(prev, next)) this.report('config-overlap', `${id} went from ${describeConf(prev)} to ${key}: a quorum of each can decide without the other`);
  }

  /** Log Matching: `entries` were just persisted by `id` (appended, truncating what they replace). */
  observePersistedEntries(id: NodeId, entries: readonly Entry[]): void {
    const t = this.track(id);
    let start = 0;
    while (start < entries.length && entries[start]!.index <= t.snapshotIndex) start++;
    if (start === entries.length) return;
    const first = entries[start]!.index;
    let chain = t.logChain[first - 1];
    if (chain === undefined || first - 1 >= t.logChain.length) {
      this.report('log-matching', `${id} persisted entries from ${first} with no entry at ${first - 1}`);
      return;
    }
    for (let i = start; i < entries.length; i++) {
      const entry = entries[i]!;
      chain = chainEntry(chain, entry);
      t.logChain[entry.index] = chain;
      const key = entryKey(entry.index, entry.term);
      const seen = this.chainAt.get(key);
      if (seen === undefined) this.chainAt.set(key, chain);
      else if (seen !== chain) this.report('log-matching', `${id}'s log differs from another log before entry ${entry.index} of term ${entry.term}`);
    }
    const last = entries[entries.length - 1]!;
    t.logChain.length = last.index + 1;
    t.lastIndex = last.index;
    t.lastTerm = last.term;
  }

  /** `id` persisted a snapshot received from the leader; its state machine chain is `chain`. */
  observeSnapshotInstalled(id: NodeId, index: number, term: number, chain: number): void {
    const t = this.track(id);
    if (index <= t.snapshotIndex) return;
    const seen = this.chainAt.get(entryKey(index, term));
    if (seen !== undefined && seen !== chain) this.report('state-machine-safety', `${id} installed a snapshot at ${index} that disagrees with the log there`);
    this.checkCommittedChain(id, index, chain);
    t.logChain.length = index + 1;
    t.logChain[index] = chain;
    t.snapshotIndex = index;
    t.lastIndex = index;
    t.lastTerm = term;
  }

  /** `id` compacted its own log up to `index`. */
  observeCompaction(id: NodeId, index: number): void {
    const t = this.track(id);
    if (index > t.snapshotIndex) t.snapshotIndex = index;
  }

  /** `id`, in `term`, persisted `commit`: it must never decrease and must lie within the log; the
   *  committed prefix it names must agree with every other node's. */
  observeCommit(id: NodeId, commit: number, term: number): void {
    const t = this.track(id);
    if (commit < t.lastCommit) this.report('commit-index', `${id}'s commit index went back from ${t.lastCommit} to ${commit}`);
    t.lastCommit = Math.max(t.lastCommit, commit);
    if (commit < t.snapshotIndex) return;
    if (commit >= t.logChain.length) {
      this.report('commit-index', `${id} committed ${commit} beyond its last entry ${t.logChain.length - 1}`);
      return;
    }
    const chain = t.logChain[commit]!;
    if (!this.checkCommittedChain(id, commit, chain)) return;
    // Extending the committed prefix: this log must agree with it where it currently ends.
    if (commit > this.maxCommitted && this.maxCommitted >= t.snapshotIndex) {
      if (!this.checkCommittedChain(id, this.maxCommitted, t.logChain[this.maxCommitted]!)) return;
    }
    if (commit <= this.maxCommitted) return;
    for (let i = Math.max(this.maxCommitted + 1, t.snapshotIndex); i <= commit; i++) this.committedChain.set(i, t.logChain[i]!);
    this.raiseMaxCommitted(commit, term);
    this.checkNoElectableLogLacksCommitted();
  }

  private raiseMaxCommitted(index: number, term: number): void {
    this.maxCommitted = index;
    this.commitMarks.push({ index, term });
  }

  /** The highest index known to have been committed in a term before `term`. */
  private committedBefore(term: number): number {
    for (let i = this.commitMarks.length - 1; i >= 0; i--) if (this.commitMarks[i]!.term < term) return this.commitMarks[i]!.index;
    return 0;
  }

  private checkCommittedChain(id: NodeId, index: number, chain: number): boolean {
    const known = this.committedChain.get(index);
    if (known !== undefined && known !== chain) {
      this.report('state-machine-safety', `${id} committed or applied a different entry at ${index} than another node`);
      return false;
    }
    return true;
  }

  /** Leader Completeness: `id` just became leader of `term`; its log must hold every entry
   *  committed in an earlier term. (A leader elected, then stopped before acting, may take office
   *  after a later term committed more: those entries it need not have.) */
  observeNewLeaderLog(id: NodeId, term: number): void {
    const c = this.committedBefore(term);
    if (c === 0) return;
    const t = this.track(id);
    const at = Math.max(c, t.snapshotIndex);
    const expected = this.committedChain.get(at);
    if (at >= t.logChain.length) {
      this.report('leader-completeness', `${id} leads term ${term} but its log ends at ${t.logChain.length - 1}, before committed index ${c}`);
    } else if (expected !== undefined && t.logChain[at] !== expected) {
      this.report('leader-completeness', `${id} leads term ${term} without the committed entries up to ${c}`);
    }
  }

  /**
   * The heart of Leader Completeness, checked on persisted state rather than waiting for an
   * election: once an entry is committed, a majority holds it durably and would refuse its vote
   * to any log without it (such a log is always less up to date, §5.4.3). So no node lacking a
   * committed entry may have a persisted log at least as up to date as a majority's. A broken
   * commit rule violates this as soon as it commits, even if no unlucky election follows.
   */
  checkNoElectableLogLacksCommitted(): void {
    const c = this.maxCommitted;
    if (c === 0) return;
    const expected = this.committedChain.get(c)!;
    for (const { id: candidate, conf } of this.electable()) {
      const t = this.track(candidate);
      // A snapshot at or past c was taken of committed state: it holds the committed entries.
      if (t.snapshotIndex >= c || (c < t.logChain.length && t.logChain[c] === expected)) continue;
      const electors = new Set<NodeId>();
      for (const v of [...conf.voters, ...conf.votersOutgoing]) {
        const other = this.track(v);
        if (t.lastTerm > other.lastTerm || (t.lastTerm === other.lastTerm && t.lastIndex >= other.lastIndex)) electors.add(v);
      }
      if (isJointQuorum(conf, electors)) {
        this.report('leader-completeness', `${candidate} lacks committed entry ${c} yet its log is as up to date as a quorum's (${[...electors].join(', ')}): it could be elected`);
        return;
      }
    }
  }

  /** State Machine Safety and acknowledged proposals: `id`, in `term`, applied `entry`, reaching
   *  `chain`. */
  observeApply(id: NodeId, entry: Entry, chain: number, term: number): void {
    const acked = this.acked.get(entry.index);
    if (acked !== undefined && (acked.term !== entry.term || acked.key !== payloadKey(entry.data))) {
      this.report('lost-proposal', `${id} applied another entry at ${entry.index} than the acknowledged proposal there`);
      return;
    }
    if (!this.checkCommittedChain(id, entry.index, chain)) return;
    if (entry.index > this.maxCommitted) {
      this.committedChain.set(entry.index, chain);
      this.raiseMaxCommitted(entry.index, term);
    } else if (!this.committedChain.has(entry.index)) {
      this.committedChain.set(entry.index, chain);
    }
  }

  isAcknowledged(index: number, term: number): boolean {
    return this.acked.get(index)?.term === term;
  }

  /** The client was told the proposal at (index, term) committed. */
  acknowledge(entry: Entry): void {
    this.acked.set(entry.index, { term: entry.term, key: payloadKey(entry.data) });
    this.maxAckedIndex = Math.max(this.maxAckedIndex, entry.index);
  }
}

/** "(n1 n2 n3)&&(n1 n2) learners (n4) @7": a configuration as a stable, readable key. */
export function describeConf(cs: ConfState): string {
  const list = (ids: readonly NodeId[]): string => `(${[...ids].sort().join(' ')})`;
  let out = list(cs.voters);
  if (cs.votersOutgoing.length > 0) out += `&&${list(cs.votersOutgoing)}`;
  if (cs.learners.length > 0) out += ` learners ${list(cs.learners)}`;
  if (cs.learnersNext.length > 0) out += ` next ${list(cs.learnersNext)}`;
  return `${out} @${cs.index}`;
}
