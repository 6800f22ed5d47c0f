// Generates long histories by simulating concurrent clients against a true linearizable register per
// key: each operation takes effect atomically at a random instant between its invoke and its
// completion. Some operations time out (info) and may or may not take effect; some fail without
// effect. An anomaly, when asked for, is one scripted client whose results are provably impossible:
// every written value is unique, so no interleaving of the other clients can explain them.

import { formatHistoryLine, type CasValue, type HistoryEvent, type HistoryValue, type OpFunction } from '../../core/check/index.js';

export type Anomaly =
  /** write A; write B; read → A (B had completed before the read began). */
  | 'stale-read'
  /** On a fresh key: write A; write B acknowledged but never applied; read → A. */
  | 'lost-write'
  /** write A; cas [Z, C] ok although no one ever wrote Z. */
  | 'cas-ok-mismatch'
  /** On a fresh key: write A; cas [A, C] fails although nothing else touched the key. */
  | 'cas-fail-match';

export interface GenerateOptions {
  seed: number;
  clients: number;
  keys: number;
  /** Operations the random clients invoke. */
  ops: number;
  /** Fraction of operations that time out (info); half of those take effect. */
  infoRate?: number;
  /** Fraction of non-cas operations that fail without effect. */
  failRate?: number;
  /** Upper bound of each delay (think time, invoke → effect, effect → completion), in ns. */
  maxLatencyNs?: number;
  anomaly?: Anomaly | null;
}

export interface GeneratedHistory {
  events: HistoryEvent[];
  text: string;
  /** The key the anomaly was injected on, and the process that ran it; null without an anomaly. */
  anomalyKey: string | null;
  anomalyProcess: number | null;
}

/** mulberry32: small, fast, seedable. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Register = Map<string, HistoryValue | null>;

interface PlannedOp {
  f: OpFunction;
  key: string;
  value: HistoryValue | CasValue | null;
  /** false: the operation never takes effect. */
  takesEffect: boolean;
  /** true: the client times out and records info. */
  timesOut: boolean;
  /** Forces the recorded result (scripted anomalies); otherwise the register's answer is recorded. */
  forced?: { type: 'ok' | 'fail'; value: HistoryValue | null };
}

interface Client {
  process: number;
  /** Scripted operations run before (and instead of) random ones; the client retires when done. */
  script: PlannedOp[] | null;
  op: PlannedOp | null;
  phase: 'idle' | 'invoked' | 'applied';
  at: number;
  result: { type: 'ok' | 'fail'; value: HistoryValue | null } | null;
}

function execute(register: Register, op: PlannedOp): { type: 'ok' | 'fail'; value: HistoryValue | null } {
  const current = register.get(op.key) ?? null;
  switch (op.f) {
    case 'read':
      return { type: 'ok', value: current };
    case 'write':
      register.set(op.key, op.value as HistoryValue);
      return { type: 'ok', value: op.value as HistoryValue };
    case 'delete':
      register.set(op.key, null);
      return { type: 'ok', value: null };
    case 'append': {
      const next = String(current ?? '') + String(op.value);
      register.set(op.key, next);
      return { type: 'ok', value: op.value as HistoryValue };
    }
    case 'cas': {
      const [expected, value] = op.value as CasValue;
      if (current !== expected) return { type: 'fail', value: null };
      register.set(op.key, value);
      return { type: 'ok', value: null };
    }
  }
}

export function generateHistory(options: GenerateOptions): GeneratedHistory {
  const rand = random(options.seed);
  const infoRate = options.infoRate ?? 0.05;
  const failRate = options.failRate ?? 0.02;
  const maxLatency = options.maxLatencyNs ?? 1_000_000;
  const delay = () => 1 + Math.floor(rand() * maxLatency);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

  const register: Register = new Map();
  const pool = Array.from({ length: options.keys }, (_, i) => `k${i}`);
  /** Recently written values per key: cas expectations are drawn from them so that both outcomes occur. */
  const seen = new Map<string, (HistoryValue | null)[]>();
  let counter = 0;
  const fresh = () => ++counter;
  let nextProcess = 1;
  const clients: Client[] = Array.from({ length: options.clients }, () => ({ process: nextProcess++, script: null, op: null, phase: 'idle', at: delay(), result: null }));
  const events: HistoryEvent[] = [];
  let invoked = 0;
  let anomalyKey: string | null = null;
  let anomalyProcess: number | null = null;

  const randomOp = (): PlannedOp => {
    const key = pick(pool);
    const roll = rand();
    const timesOut = rand() < infoRate;
    const takesEffect = !timesOut || rand() < 0.5;
    if (roll < 0.4) return { f: 'read', key, value: null, timesOut, takesEffect };
    if (roll < 0.65) return { f: 'write', key, value: fresh(), timesOut, takesEffect };
    if (roll < 0.8) {
      const history = seen.get(key) ?? [null];
      const expected = rand() < 0.5 ? (register.get(key) ?? null) : pick(history);
      return { f: 'cas', key, value: [expected, fresh()], timesOut, takesEffect };
    }
    if (roll < 0.9) return { f: 'append', key, value: `.${fresh()}`, timesOut, takesEffect };
    return { f: 'delete', key, value: null, timesOut, takesEffect };
  };

  const anomalyScript = (anomaly: Anomaly): PlannedOp[] => {
    const plain = (f: OpFunction, key: string, value: PlannedOp['value'], rest: Partial<PlannedOp> = {}): PlannedOp => ({ f, key, value, takesEffect: true, timesOut: false, ...rest });
    const a = fresh();
    const b = fresh();
    switch (anomaly) {
      case 'stale-read':
        anomalyKey = pool[0]!;
        return [plain('write', anomalyKey, a), plain('write', anomalyKey, b), plain('read', anomalyKey, null, { forced: { type: 'ok', value: a } })];
      case 'lost-write':
        // A fresh key: on a busy one, a concurrent write could explain the read.
        anomalyKey = `k${options.keys}`;
        return [plain('write', anomalyKey, a), plain('write', anomalyKey, b, { takesEffect: false, forced: { type: 'ok', value: b } }), plain('read', anomalyKey, null)];
      case 'cas-ok-mismatch':
        anomalyKey = pool[0]!;
        return [plain('write', anomalyKey, a), plain('cas', anomalyKey, [fresh(), b], { forced: { type: 'ok', value: null } })];
      case 'cas-fail-match':
        anomalyKey = `k${options.keys}`;
        return [plain('write', anomalyKey, a), plain('cas', anomalyKey, [a, b], { takesEffect: false, forced: { type: 'fail', value: null } })];
    }
  };

  const record = (client: Client, type: HistoryEvent['type'], value: HistoryEvent['value'], time: number) =>
    events.push({ process: client.process, type, f: client.op!.f, key: client.op!.key, value, time });

  for (;;) {
    if (options.anomaly && !anomalyKey && invoked >= options.ops / 2) {
      const script = anomalyScript(options.anomaly);
      const now = Math.min(...clients.map((c) => c.at));
      anomalyProcess = nextProcess++;
      clients.push({ process: anomalyProcess, script, op: null, phase: 'idle', at: now, result: null });
    }
    const active = clients.filter((c) => c.phase !== 'idle' || (c.script ? c.script.length > 0 : invoked < options.ops));
    if (active.length === 0) break;
    const client = active.reduce((first, c) => (c.at < first.at ? c : first));
    const time = client.at;

    if (client.phase === 'idle') {
      client.op = client.script ? client.script.shift()! : randomOp();
      if (!client.script) invoked++;
      record(client, 'invoke', client.op.f === 'read' || client.op.f === 'delete' ? null : client.op.value, time);
      client.phase = 'invoked';
      client.at = time + delay();
    } else if (client.phase === 'invoked') {
      const op = client.op!;
      // Scripted operations never fail at random: the anomaly depends on each of them.
      const fails = !client.script && !op.timesOut && op.f !== 'cas' && rand() < failRate;
      client.result = op.takesEffect && !fails ? execute(register, op) : { type: 'fail', value: null };
      if (op.forced) client.result = op.forced;
      if (op.takesEffect && (op.f === 'write' || op.f === 'cas')) seen.set(op.key, [...(seen.get(op.key) ?? [null]).slice(-4), register.get(op.key) ?? null]);
      client.phase = 'applied';
      client.at = time + delay() * (op.timesOut ? 4 : 1);
    } else {
      const op = client.op!;
      if (op.timesOut) {
        // Half of the timed-out operations are never heard of again; the process retires either way
        // (a new process id takes over, as in Jepsen).
        if (rand() < 0.5) record(client, 'info', null, time);
        client.process = nextProcess++;
      } else {
        record(client, client.result!.type, op.f === 'read' ? client.result!.value : op.value, time);
      }
      if (client.script && client.script.length === 0 && anomalyKey && !pool.includes(anomalyKey)) pool.push(anomalyKey);
      client.phase = 'idle';
      client.op = null;
      client.at = time + delay();
    }
  }
  return { events, text: events.map(formatHistoryLine).join('\n') + '\n', anomalyKey, anomalyProcess };
}
