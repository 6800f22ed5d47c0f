// The safety properties of Raft (Figure 3 of the paper) plus the guarantees raftdesk promises its
// users, checked incrementally as the simulated hosts persist, send and apply. Every check is O(1)
// per entry or per message thanks to chain hashes (chain-hash.ts).

import type { Entry, NodeId } from '../raft/types.js';
import { EMPTY_CHAIN, chainEntry, payloadKey } from './chain-hash.js';

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

  constructor(private readonly voters: readonly NodeId[]) {}

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
    const voters = this.voters;
    const quorum = Math.floor(voters.length / 2) + 1;
    for (const candidate of voters) {
      const t = this.track(candidate);
      // A snapshot at or past c was taken of committed state: it holds the committed entries.
      if (t.snapshotIndex >= c || (c < t.logChain.length && t.logChain[c] === expected)) continue;
      const electors = voters.filter((v) => {
        const other = this.track(v);
        return t.lastTerm > other.lastTerm || (t.lastTerm === other.lastTerm && t.lastIndex >= other.lastIndex);
      });
      if (electors.length >= quorum) {
        this.report('leader-completeness', `${candidate} lacks committed entry ${c} yet its log is as up to date as a majority's (${electors.join(', ')}): it could be elected`);
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
