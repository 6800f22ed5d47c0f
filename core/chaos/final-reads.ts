// The final state: every key read through the log once the cluster has healed, as operations of one
// more process in the history, so that the linearizability check covers them too.

import type { HistoryValue } from '../check/index.js';
import { KvClient, type ClusterConnection } from '../client/cluster-client.js';
import type { HistoryRecorder } from './history-recorder.js';
import { sleep } from './sleep.js';
import { outcomeOfError } from './workload.js';

const RETRY_PAUSE_MS = 100;

/** Keys whose read never succeeded before the deadline are absent from the result. */
export async function readFinalValues(
  connection: ClusterConnection,
  keys: readonly string[],
  recorder: HistoryRecorder,
  process: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Map<string, HistoryValue | null>> {
  const kv = new KvClient(connection);
  const values = new Map<string, HistoryValue | null>();
  const deadline = Date.now() + timeoutMs;
  for (const key of keys) {
    while (!signal.aborted && Date.now() < deadline) {
      recorder.invoke(process, 'read', key, null);
      try {
        const { value } = await kv.get(key);
        recorder.complete(process, 'ok', value);
        values.set(key, value);
        break;
      } catch (e) {
        recorder.complete(process, outcomeOfError(e, 'read'), null);
        await sleep(RETRY_PAUSE_MS, signal);
      }
    }
  }
  return values;
}
