// One simulated client process: operations one at a time on its own KvClient (sessions make
// retries exactly-once), each recorded before it is sent and after its answer. Outcomes are honest:
// ok only when the cluster confirmed, fail only when it definitely did not happen (or, for cas, the
// comparison did not match), info whenever the outcome is unknown.

import type { CasValue, HistoryValue, OpFunction } from '../check/index.js';
import type { ReadConsistency } from '../api/reads.js';
import { ClientError, KvClient, type ClusterConnection } from '../client/cluster-client.js';
import type { Completion, HistoryRecorder } from './history-recorder.js';
import type { Random } from './random.js';
import { sleep } from './sleep.js';

export interface PlannedOp {
  f: OpFunction;
  key: string;
  /** As recorded at invoke: write/append → the value, cas → [expected, new], read/delete → null. */
  value: HistoryValue | CasValue | null;
}

/** Cumulative weights of read, write, cas, append, delete: mostly reads and writes, as the issue asks. */
const MIX: readonly [OpFunction, number][] = [
  ['read', 0.4],
  ['write', 0.65],
  ['cas', 0.85],
  ['append', 0.95],
  ['delete', 1],
];

/** After a failed or unknown operation, a short pause so that a cluster that answers at once with an error is not hammered. */
const PAUSE_AFTER_ERROR_MS = 20;

/**
 * The next operation of a client. `fresh()` returns a value never used before, so that every write,
 * cas and append is identifiable in reads and in the final state; cas expects the value this client
 * last saw for the key (absent if it saw none), which makes successful swaps common.
 */
export function chooseOperation(random: Random, keys: readonly string[], lastSeen: ReadonlyMap<string, string | null>, fresh: () => string): PlannedOp {
  const key = random.pick(keys);
  const roll = random.next();
  const f = MIX.find(([, upTo]) => roll < upTo)?.[0] ?? 'read';
  switch (f) {
    case 'read':
    case 'delete':
      return { f, key, value: null };
    case 'write':
      return { f, key, value: fresh() };
    case 'append':
      // Brackets keep appended tokens apart from written values: "p1-4[p2-9][p3-2]".
      return { f, key, value: `[${fresh()}]` };
    case 'cas':
      return { f, key, value: [lastSeen.get(key) ?? null, fresh()] };
  }
}

/**
 * A client error that says the operation did not happen is a fail; anything else is unknown. Not for
 * cas: in the history format a failed cas is one that happened and saw another value, so a cas that
 * was refused outright can only be recorded as unknown (info), which is always sound.
 */
export function outcomeOfError(error: unknown, f: PlannedOp['f']): 'fail' | 'info' {
  return error instanceof ClientError && !error.indeterminate && f !== 'cas' ? 'fail' : 'info';
}

export class ClientWorker {
  private kv: KvClient;
  private counter = 0;
  private readonly lastSeen = new Map<string, string | null>();

  constructor(
    readonly process: number,
    private readonly connection: ClusterConnection,
    private readonly keys: readonly string[],
    private readonly random: Random,
    private readonly recorder: HistoryRecorder,
    /** An operation that has not returned after this long is recorded as unknown and abandoned. */
    private readonly guardMs: number,
    private readonly readConsistency: ReadConsistency = 'linearizable',
  ) {
    this.kv = new KvClient(connection);
  }

  async run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      const op = chooseOperation(this.random, this.keys, this.lastSeen, () => `p${this.process}-${++this.counter}`);
      this.recorder.invoke(this.process, op.f, op.key, op.value);
      const { type, value } = await this.guarded(op);
      this.recorder.complete(this.process, type, value);
      if (type !== 'ok') await sleep(PAUSE_AFTER_ERROR_MS);
    }
  }

  private async guarded(op: PlannedOp): Promise<{ type: Completion; value: HistoryValue | CasValue | null }> {
    const repeat = op.f === 'read' ? null : op.value;
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.guardMs)));
    const answer = this.perform(op).then(
      (done) => done,
      (error: unknown) => ({ type: outcomeOfError(error, op.f), value: repeat }),
    );
    const result = await Promise.race([answer, stuck]);
    clearTimeout(timer);
    if (result) return result;
    // The abandoned client may still be retrying with its session: give this process a new one so
    // that operations stay one at a time per client.
    this.kv = new KvClient(this.connection);
    return { type: 'info', value: repeat };
  }

  private async perform(op: PlannedOp): Promise<{ type: Completion; value: HistoryValue | CasValue | null }> {
    const { key } = op;
    switch (op.f) {
      case 'read': {
        const { value } = await this.kv.get(key, { consistency: this.readConsistency });
        this.lastSeen.set(key, value);
        return { type: 'ok', value };
      }
      case 'write': {
        const value = op.value as string;
        await this.kv.put(key, value);
        this.lastSeen.set(key, value);
        return { type: 'ok', value };
      }
      case 'cas': {
        const [expected, value] = op.value as [string | null, string];
        const answer = await this.kv.cas(key, expected, value);
        this.lastSeen.set(key, answer.swapped ? value : answer.current);
        // A cas that did not swap happened and saw another value: that is what fail means for cas.
        return { type: answer.swapped ? 'ok' : 'fail', value: op.value };
      }
      case 'append': {
        const answer = await this.kv.append(key, op.value as string);
        this.lastSeen.set(key, answer.value);
        return { type: 'ok', value: op.value };
      }
      case 'delete':
        await this.kv.delete(key);
        this.lastSeen.set(key, null);
        return { type: 'ok', value: null };
    }
  }
}
