// How a node answers GET /v1/kv/{key}: without writing to the log.
//
// - linearizable (default): ReadIndex (Raft thesis §6.4). The leader confirms its commit index with
//   a heartbeat round to a quorum; a follower asks the leader for that index. The read is answered
//   from this node's state machine once it has applied up to the index. Reads arriving in one turn
//   of the event loop share one request, so one round serves them all.
// - lease: the same, but the leader may skip the round while it holds its lease (cluster.json
//   defaults.leaseReads; correct only under the clock assumptions stated there).
// - local: this node's state machine as it is, possibly stale.

import { READ_CONSISTENCIES, type ReadConsistency } from '../api/reads.js';
import type { SoftState, ReadState } from '../raft/types.js';
import { NONE } from '../raft/types.js';
import { ClientRequestError, badRequest, noLeader } from './errors.js';
import { PendingReads, type ReadWaiter } from './pending-reads.js';

export type { ReadConsistency };

export interface ReadAnswer {
  value: string | null;
  consistency: ReadConsistency;
  /** The confirmed read index the answer reflects at least (null for local reads). */
  readIndex: number | null;
  /** This node's applied index when it answered. */
  appliedIndex: number;
}

export interface NodeReadsHost {
  softState(): SoftState;
  /** Asks the core for a read index; false if the node is stopping. */
  readIndex(context: number, lease: boolean): boolean;
  get(key: string): string | null;
  appliedIndex(): number;
  /** cluster.json defaults.leaseReads: the core keeps a lease. */
  leaseReads: boolean;
  timeoutMs: number;
}

const readTimedOut = (ms: number) =>
  new ClientRequestError('timeout', `The read was not confirmed within ${ms} ms: the leader could not show it still leads; retry it.`, 504);

const leadershipChanged = () =>
  new ClientRequestError('unavailable', 'Leadership changed before the read was confirmed; retry it.', 503);

export const stoppedBeforeRead = () => new ClientRequestError('unavailable', 'The node stopped before the read was confirmed; retry it on another node.', 503);

export function parseConsistency(value: string | null): ReadConsistency {
  if (value === null) return 'linearizable';
  if ((READ_CONSISTENCIES as readonly string[]).includes(value)) return value as ReadConsistency;
  throw badRequest('consistency must be "linearizable" (the default), "lease" or "local".');
}

interface Queued {
  key: string;
  consistency: ReadConsistency;
  resolve(answer: ReadAnswer): void;
  reject(error: Error): void;
}

export class NodeReads {
  private readonly pending: PendingReads;
  /** Reads gathered during one turn of the event loop, by whether they accept a lease. */
  private queued: { safe: Queued[]; lease: Queued[] } = { safe: [], lease: [] };
  private flushScheduled = false;

  constructor(private readonly host: NodeReadsHost) {
    this.pending = new PendingReads(host.timeoutMs);
  }

  /** Answers a read; throws ClientRequestError when it cannot be served here now. */
  read(key: string, consistency: ReadConsistency): Promise<ReadAnswer> {
    if (consistency === 'local') {
      return Promise.resolve({ value: this.host.get(key), consistency, readIndex: null, appliedIndex: this.host.appliedIndex() });
    }
    if (consistency === 'lease' && !this.host.leaseReads) {
      throw badRequest('Lease reads are off in this cluster: set "leaseReads": true in cluster.json\'s defaults (it needs checkQuorum) and restart it, or read with consistency=linearizable.');
    }
    const { role, leader } = this.host.softState();
    // A follower asks its leader; without one there is nobody to confirm the read.
    if (role !== 'leader' && (role !== 'follower' || leader === NONE)) throw noLeader();
    return new Promise<ReadAnswer>((resolve, reject) => {
      (consistency === 'lease' ? this.queued.lease : this.queued.safe).push({ key, consistency, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const { safe, lease } = this.queued;
    this.queued = { safe: [], lease: [] };
    if (safe.length > 0) this.request(safe, false);
    if (lease.length > 0) this.request(lease, true);
  }

  private request(reads: Queued[], lease: boolean): void {
    const { role, leader } = this.host.softState();
    if (role !== 'leader' && (role !== 'follower' || leader === NONE)) {
      for (const r of reads) r.reject(noLeader());
      return;
    }
    const waiters: ReadWaiter[] = reads.map((r) => ({
      ready: (readIndex) => r.resolve({ value: this.host.get(r.key), consistency: r.consistency, readIndex, appliedIndex: this.host.appliedIndex() }),
      reject: r.reject,
    }));
    const context = this.pending.add(waiters, Date.now());
    if (!this.host.readIndex(context, lease)) this.pending.rejectAll(stoppedBeforeRead);
  }

  /** The core confirmed reads (Ready.readStates). */
  confirm(states: readonly ReadState[]): void {
    this.pending.confirm(states, this.host.appliedIndex());
  }

  /** The state machine advanced. */
  applied(): void {
    this.pending.applied(this.host.appliedIndex());
  }

  /** Role, leader or term changed: the core dropped the reads it had not confirmed. */
  leadershipChanged(): void {
    this.pending.dropUnconfirmed(leadershipChanged);
  }

  expire(now: number): void {
    this.pending.expire(now, () => readTimedOut(this.host.timeoutMs));
  }

  stop(): void {
    const queued = [...this.queued.safe, ...this.queued.lease];
    this.queued = { safe: [], lease: [] };
    for (const q of queued) q.reject(stoppedBeforeRead());
    this.pending.rejectAll(stoppedBeforeRead);
  }
}
