// The node's Prometheus metrics, served at GET /metrics on its client port (text format 0.0.4).
// Counters are fed from outside the Ready loop: the transport's message tap, the WAL's fsync hook,
// the client API, and the status reports the node already makes. Names follow Prometheus
// conventions: raftdesk_ prefix, base units (seconds, bytes), _total for counters.

import { MessageType, type Message } from '../raft/types.js';
import type { DropReason, MessageTap } from '../transport/message-tap.js';

const TYPE_NAMES = new Map<number, string>(Object.entries(MessageType).map(([name, value]) => [value, name]));

/** The message type's name as in the core (App, VoteResp, …). */
export function messageTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `type${type}`;
}

/** etcd's buckets for its WAL fsync histogram: 1 ms doubling to about 8 s. */
export const FSYNC_BUCKETS = Array.from({ length: 14 }, (_, i) => 0.001 * 2 ** i);
/** Client requests: 0.5 ms to about 8 s. */
export const REQUEST_BUCKETS = Array.from({ length: 15 }, (_, i) => 0.0005 * 2 ** i);

/** A cumulative histogram with fixed upper bounds, as Prometheus exposes one. */
export class Histogram {
  private readonly counts: number[];
  count = 0;
  sum = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.count++;
    this.sum += value;
    // Only the first bucket that holds it: render() accumulates.
    const i = this.bounds.findIndex((b) => value <= b);
    if (i >= 0) this.counts[i]!++;
  }

  /** [le, cumulative count] pairs, +Inf last. */
  buckets(): [string, number][] {
    let running = 0;
    const out: [string, number][] = this.bounds.map((b, i) => {
      running += this.counts[i]!;
      return [formatNumber(b), running];
    });
    out.push(['+Inf', this.count]);
    return out;
  }
}

/** What the node knows about itself when /metrics is asked. */
export interface NodeGauges {
  id: string;
  role: 'follower' | 'pre-candidate' | 'candidate' | 'leader';
  term: number;
  leader: string | null;
  commitIndex: number;
  appliedIndex: number;
  lastIndex: number;
  snapshotIndex: number;
}

const ROLES = ['follower', 'pre-candidate', 'candidate', 'leader'] as const;

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

/** Label values escape backslash, double quote and newline (the text format's only escapes). */
function labelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const parts = Object.entries(pairs).map(([k, v]) => `${k}="${labelValue(v)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

export class NodeMetrics implements MessageTap {
  private proposalsCommitted = 0;
  private proposalsFailed = 0;
  private leaderChanges = 0;
  private lastLeader: string | null = null;
  readonly fsync = new Histogram(FSYNC_BUCKETS);
  private readonly requests = new Map<string, Histogram>();
  /** "type\npeer" → count, one map per direction. */
  private readonly sentBy = new Map<string, number>();
  private readonly sentBytesBy = new Map<string, number>();
  private readonly receivedBy = new Map<string, number>();
  /** "type\ndirection\nreason" → count. */
  private readonly droppedBy = new Map<string, number>();

  // MessageTap: counts by type and peer (both small, fixed sets).
  sent(m: Message, bytes: number): void {
    const key = `${m.type}\n${m.to}`;
    this.sentBy.set(key, (this.sentBy.get(key) ?? 0) + 1);
    this.sentBytesBy.set(key, (this.sentBytesBy.get(key) ?? 0) + bytes);
  }

  received(m: Message): void {
    const key = `${m.type}\n${m.from}`;
    this.receivedBy.set(key, (this.receivedBy.get(key) ?? 0) + 1);
  }

  dropped(m: Message, direction: 'out' | 'in', reason: DropReason): void {
    const key = `${m.type}\n${direction}\n${reason}`;
    this.droppedBy.set(key, (this.droppedBy.get(key) ?? 0) + 1);
  }

  /** A client proposal's outcome: committed (and applied), or failed (refused, timed out, lost leadership). */
  proposal(ok: boolean): void {
    if (ok) this.proposalsCommitted++;
    else this.proposalsFailed++;
  }

  /** One client request answered, by operation (put, get, delete, cas, append, submit, status, …). */
  request(op: string, seconds: number): void {
    let h = this.requests.get(op);
    if (!h) {
      h = new Histogram(REQUEST_BUCKETS);
      this.requests.set(op, h);
    }
    h.observe(seconds);
  }

  /**
   * The leader this node believes in, from each status it reports. As etcd counts it: every time a
   * leader appears that is not the one it knew (the first one too, and one coming back after none).
   */
  noteLeader(leader: string | null): void {
    if (leader !== null && leader !== this.lastLeader) this.leaderChanges++;
    this.lastLeader = leader;
  }

  /** The whole exposition, one family after another, each with HELP and TYPE. */
  render(g: NodeGauges): string {
    const out: string[] = [];
    const node = { node: g.id };
    const family = (name: string, type: 'gauge' | 'counter' | 'histogram', help: string) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    const sample = (name: string, l: Record<string, string>, value: number) => out.push(`${name}${labels(l)} ${formatNumber(value)}`);
    const gauge = (name: string, help: string, value: number) => {
      family(name, 'gauge', help);
      sample(name, node, value);
    };
    const counter = (name: string, help: string, value: number) => {
      family(name, 'counter', help);
      sample(name, node, value);
    };
    const histogram = (h: Histogram, name: string, l: Record<string, string>) => {
      for (const [le, n] of h.buckets()) sample(`${name}_bucket`, { ...l, le }, n);
      sample(`${name}_sum`, l, h.sum);
      sample(`${name}_count`, l, h.count);
    };

    gauge('raftdesk_term', 'The current Raft term of this node.', g.term);
    gauge('raftdesk_is_leader', '1 if this node is the leader, else 0.', g.role === 'leader' ? 1 : 0);
    family('raftdesk_role', 'gauge', 'The Raft role of this node: 1 for its current role, 0 for the others.');
    for (const role of ROLES) sample('raftdesk_role', { ...node, role }, g.role === role ? 1 : 0);
    gauge('raftdesk_has_leader', '1 if this node knows a leader for its term, else 0.', g.leader ? 1 : 0);
    gauge('raftdesk_commit_index', 'The highest log index known to be committed.', g.commitIndex);
    gauge('raftdesk_applied_index', 'The highest log index applied to the state machine.', g.appliedIndex);
    gauge('raftdesk_last_index', 'The index of the last entry in this node\'s log.', g.lastIndex);
    gauge('raftdesk_snapshot_index', 'The index of the latest snapshot.', g.snapshotIndex);
    counter('raftdesk_proposals_committed_total', 'Client proposals committed and applied through this node.', this.proposalsCommitted);
    counter('raftdesk_proposals_failed_total', 'Client proposals through this node that failed (refused, timed out, leadership lost).', this.proposalsFailed);
    counter('raftdesk_leader_changes_seen_total', 'Times this node saw a new leader (the first one included).', this.leaderChanges);

    family('raftdesk_wal_fsync_duration_seconds', 'histogram', 'Time taken by each fdatasync of the write-ahead log.');
    histogram(this.fsync, 'raftdesk_wal_fsync_duration_seconds', node);

    const perType = (map: Map<string, number>, name: string, peerLabel: string) => {
      for (const [key, value] of [...map].sort(([a], [b]) => a.localeCompare(b))) {
        const [type, peer] = key.split('\n');
        sample(name, { ...node, type: messageTypeName(Number(type)), [peerLabel]: peer! }, value);
      }
    };
    family('raftdesk_peer_messages_sent_total', 'counter', 'Raft messages queued for a peer, by type and peer.');
    perType(this.sentBy, 'raftdesk_peer_messages_sent_total', 'to');
    family('raftdesk_peer_sent_bytes_total', 'counter', 'Encoded bytes of the Raft messages queued for a peer, by type and peer.');
    perType(this.sentBytesBy, 'raftdesk_peer_sent_bytes_total', 'to');
    family('raftdesk_peer_messages_received_total', 'counter', 'Raft messages received from a peer and stepped, by type and peer.');
    perType(this.receivedBy, 'raftdesk_peer_messages_received_total', 'from');
    family('raftdesk_peer_messages_dropped_total', 'counter', 'Raft messages dropped by this node\'s transport, by type, direction and reason.');
    for (const [key, value] of [...this.droppedBy].sort(([a], [b]) => a.localeCompare(b))) {
      const [type, direction, reason] = key.split('\n');
      sample('raftdesk_peer_messages_dropped_total', { ...node, type: messageTypeName(Number(type)), direction: direction!, reason: reason! }, value);
    }

    family('raftdesk_client_request_duration_seconds', 'histogram', 'Time from a client request\'s arrival to its answer, by operation.');
    for (const [op, h] of [...this.requests].sort(([a], [b]) => a.localeCompare(b))) histogram(h, 'raftdesk_client_request_duration_seconds', { ...node, op });
    return out.join('\n') + '\n';
  }
}
