// What the supervisor sees of a node: events for every role, term and leader change, and status
// reports at most every REPORT_INTERVAL_MS (at once when the role changes). Kept apart from the
// Ready loop so that watching the node never changes what it does.

import type { ClusterEventKind, NodeTimers } from '../api/cluster-state.js';
import type { RaftStatus, Role } from '../raft/types.js';
import { NONE } from '../raft/types.js';
import type { NodeReport, NodeToSupervisor } from './ipc-protocol.js';
import type { Log } from './logger.js';

const REPORT_INTERVAL_MS = 50;
/** Latencies kept per report: enough for percentiles, bounded under any load. */
const MAX_LATENCIES_PER_REPORT = 2000;

export interface ObservedFacts {
  appliedIndex: number;
  snapshotIndex: number;
  sentTo: Record<string, number>;
  timers?: NodeTimers;
  dropNext?: Record<string, number>;
}

export class NodeObserver {
  private lastRole: Role;
  private lastTerm: number;
  private lastReportAt = 0;
  private reportTimer: NodeJS.Timeout | null = null;
  private writesAcked = 0;
  private latencies: number[] = [];
  private stopped = false;

  constructor(
    private readonly id: string,
    private readonly status: () => RaftStatus,
    private readonly facts: () => ObservedFacts,
    private readonly emit: (message: NodeToSupervisor) => void,
    private readonly log: Log,
  ) {
    const s = status();
    this.lastRole = s.role;
    this.lastTerm = s.term;
  }

  stop(): void {
    this.stopped = true;
    if (this.reportTimer) clearTimeout(this.reportTimer);
  }

  private lastRss = 0;

  /** Reading the RSS opens a /proc file on Linux: out of descriptors, the last reading stands. */
  private readRss(): number {
    try {
      this.lastRss = process.memoryUsage.rss();
    } catch {
      // EMFILE under a connection flood must not crash the node; the report is only informative.
    }
    return this.lastRss;
  }

  /** A write was acknowledged to its client after latencyMs. */
  recordWrite(latencyMs: number): void {
    this.writesAcked++;
    if (this.latencies.length < MAX_LATENCIES_PER_REPORT) this.latencies.push(latencyMs);
  }

  event(kind: ClusterEventKind, message: string, details: Record<string, string | number | boolean | null> = {}): void {
    this.emit({ type: 'event', kind, term: this.status().term, message, details });
  }

  /** After each Ready: events for what changed, then a report (now if the role changed). */
  afterReady(stateMayHaveChanged: boolean, roleChanged: boolean): void {
    if (stateMayHaveChanged) this.noteChanges();
    this.report(roleChanged);
  }

  private noteChanges(): void {
    const s = this.status();
    if (s.term !== this.lastTerm) {
      this.event('term-changed', `${this.id} moved to term ${s.term}`, { from: this.lastTerm });
      this.lastTerm = s.term;
    }
    if (s.role === this.lastRole) return;
    if (s.role === 'leader') this.event('leader-elected', `${this.id} became leader of term ${s.term}`);
    else if (s.role === 'pre-candidate') this.event('election-started', `${this.id} started a pre-vote for term ${s.term + 1}`, { role: s.role });
    else if (s.role === 'candidate') this.event('election-started', `${this.id} started an election for term ${s.term}`, { role: s.role });
    else this.event('role-changed', `${this.id} became ${s.role}${s.leader !== NONE ? ` (leader ${s.leader})` : ''}`, { role: s.role });
    this.log('info', 'role changed', { from: this.lastRole, to: s.role, term: s.term, leader: s.leader });
    this.lastRole = s.role;
  }

  /** Sends a report now if urgent, else at most every REPORT_INTERVAL_MS. */
  report(urgent: boolean): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!urgent && now - this.lastReportAt < REPORT_INTERVAL_MS) {
      this.reportTimer ??= setTimeout(() => {
        this.reportTimer = null;
        this.report(true);
      }, REPORT_INTERVAL_MS);
      return;
    }
    this.lastReportAt = now;
    this.emit({ type: 'report', report: this.buildReport() });
    this.latencies = [];
  }

  buildReport(): NodeReport {
    const s = this.status();
    const facts = this.facts();
    return {
      role: s.role,
      term: s.term,
      leader: s.leader === NONE ? null : s.leader,
      commitIndex: s.commit,
      appliedIndex: facts.appliedIndex,
      lastIndex: s.lastIndex,
      snapshotIndex: facts.snapshotIndex,
      followers: s.progress ? s.progress.map((p) => ({ id: p.id, match: p.match, next: p.next, state: p.state })) : null,
      appliedConfiguration: {
        index: s.conf.index,
        voters: [...new Set([...s.conf.voters, ...s.conf.votersOutgoing])].sort(),
        learners: [...new Set([...s.conf.learners, ...s.conf.learnersNext])].sort(),
      },
      sentTo: facts.sentTo,
      writesAcked: this.writesAcked,
      writeLatenciesMs: this.latencies,
      rssBytes: this.readRss(),
      timers: facts.timers,
      dropNext: facts.dropNext,
    };
  }
}
