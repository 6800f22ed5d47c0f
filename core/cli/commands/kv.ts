import type { TraceClientOp } from '../../api/traces.js';
import { ClientError } from '../../client/cluster-client.js';
import { callControl } from '../../cluster/control.js';
import { connectToWorkspace } from '../connect.js';
import { CliExit, parseReadConsistency, printJson, say } from '../output.js';

/** How long a command waits to hand its operation to the recording before it exits anyway. */
const RECORD_TIMEOUT_MS = 1000;

interface KvOptions {
  json?: boolean;
  timeoutMs?: string;
}

async function withClient<T>(dir: string, options: KvOptions, fn: (kv: Awaited<ReturnType<typeof connectToWorkspace>>['kv']) => Promise<T>): Promise<T> {
  const { connection, kv } = await connectToWorkspace(dir, Number(options.timeoutMs ?? 5000));
  try {
    return await fn(kv);
  } finally {
    connection.close();
  }
}

/**
 * Runs a command's operation and puts it into the run the cluster is recording (DIR/runs/), as the
 * console's are, so that replaying the run shows it; the client is this CLI process (its PID). Ok,
 * fail when the cluster certainly did not do it, info when it may have. Nothing is recorded when no
 * supervisor runs the workspace or the command never reached the cluster, and recording never
 * changes the command's answer or exit code.
 */
async function recorded<T>(dir: string, f: string, key: string, value: string | ((result: T) => string), run: () => Promise<T>): Promise<T> {
  const startAt = Date.now();
  let op: Omit<TraceClientOp, 'endAt'> | null = null;
  try {
    const result = await run();
    op = { process: process.pid, f, key, value: typeof value === 'string' ? value : value(result), outcome: 'ok', startAt };
    return result;
  } catch (e) {
    if (e instanceof ClientError) op = { process: process.pid, f, key, value: typeof value === 'string' ? value : '', outcome: e.indeterminate ? 'info' : 'fail', startAt };
    throw e;
  } finally {
    if (op) await callControl(dir, 'recordClientOp', [{ ...op, endAt: Date.now() }], RECORD_TIMEOUT_MS).catch(() => undefined);
  }
}

export async function putCommand(dir: string, key: string, value: string, options: KvOptions): Promise<void> {
  const r = await recorded(dir, 'write', key, value, () => withClient(dir, options, (kv) => kv.put(key, value)));
  if (options.json) printJson({ key, value, ...r });
  else say(`OK ${key} = ${value}  (index ${r.index}, term ${r.term}, via ${r.node}, ${r.latencyMs.toFixed(1)} ms)`);
}

export async function getCommand(dir: string, key: string, options: KvOptions & { local?: string; node?: string; consistency?: string }): Promise<void> {
  const consistency = options.consistency !== undefined ? parseReadConsistency(options.consistency, '--consistency') : options.local ? 'local' : 'linearizable';
  if (options.local && consistency !== 'local') throw new CliExit(2, '--local NODE reads that node\'s own copy; leave out --consistency, or use --node NODE to ask NODE for another kind of read.');
  if (options.local && options.node && options.local !== options.node) throw new CliExit(2, '--local and --node name different nodes; give one of them.');
  // Every node answers reads itself (a follower asks the leader for the read index), so any node
  // may be asked for any consistency.
  const node = options.node ?? options.local;
  const r = await recorded(dir, 'read', key, (a) => a.value ?? '(absent)', () => withClient(dir, options, (kv) => kv.get(key, { consistency, ...(node ? { node } : {}) })));
  if (options.json) {
    printJson({ key, ...r });
    return;
  }
  if (r.value === null) throw new CliExit(1, `The key "${key}" does not exist.`);
  say(r.value);
}

export async function deleteCommand(dir: string, key: string, options: KvOptions): Promise<void> {
  const r = await recorded(dir, 'delete', key, '', () => withClient(dir, options, (kv) => kv.delete(key)));
  if (options.json) printJson({ key, ...r });
  else say(r.existed ? `Deleted ${key} (index ${r.index})` : `${key} did not exist (index ${r.index})`);
}

export async function casCommand(dir: string, key: string, expected: string, value: string, options: KvOptions & { absent?: boolean }): Promise<void> {
  const r = await recorded(dir, 'cas', key, `${options.absent ? '(absent)' : expected} → ${value}`, () => withClient(dir, options, (kv) => kv.cas(key, options.absent ? null : expected, value)));
  if (options.json) printJson({ key, ...r });
  else if (r.swapped) say(`Swapped ${key} to ${value} (index ${r.index})`);
  else throw new CliExit(1, `Not swapped: ${key} is ${r.current === null ? 'absent' : `"${r.current}"`}.`);
}

export async function appendCommand(dir: string, key: string, suffix: string, options: KvOptions): Promise<void> {
  const r = await recorded(dir, 'append', key, suffix, () => withClient(dir, options, (kv) => kv.append(key, suffix)));
  if (options.json) printJson({ key, ...r });
  else say(`${key} = ${r.value} (index ${r.index})`);
}

export async function submitCommand(dir: string, text: string, options: KvOptions): Promise<void> {
  const r = await recorded(dir, 'submit', '', text, () => withClient(dir, options, (kv) => kv.submit(text)));
  if (options.json) printJson({ text, ...r });
  else say(`Committed "${text}" at index ${r.index}, term ${r.term} (via ${r.node}, ${r.latencyMs.toFixed(1)} ms)`);
}
