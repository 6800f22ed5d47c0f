import type { Entry, HardState, Snapshot } from '../raft/types.js';
import type { Storage } from '../raft/storage.js';

/** One Ready's worth of state to make durable. */
export interface LogUpdate {
  hardState: HardState | null;
  entries: Entry[];
  snapshot: Snapshot | null;
}

/**
 * The node runtime's storage: the read side the core uses, plus durable writes.
 * Both the in-memory and the WAL implementation provide it; the node never knows which.
 */
export interface DurableLog extends Storage {
  /** Persists a snapshot (if any), then entries (truncating any conflicting tail), then the hard
   *  state. With sync, resolves only after one fsync covering the whole update (group commit). */
  save(update: LogUpdate, sync: boolean): Promise<void>;
  /** Records a state-machine snapshot at snapshot.metadata.index (<= applied) and drops the entries
   *  it covers. The snapshot is durable before any entry is removed. */
  compact(snapshot: Snapshot): Promise<void>;
  close(): Promise<void>;
}
