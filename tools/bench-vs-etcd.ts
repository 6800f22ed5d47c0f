// raftdesk and etcd 3.4 side by side, in one sitting, under the same load:
//
//   npx tsx tools/bench-vs-etcd.ts [--duration 10] [--clients 1,16,64,256] [--out FILE.json]
//
// Both systems: 3 members on 127.0.0.1, mutual TLS between members and to clients (etcd uses the
// certificates of the raftdesk workspace this creates), fsync on, heartbeat 100 ms, election
// timeout 1,000 ms. The load: closed-loop clients (one request in flight each) spread over every
// member on one HTTP/2 connection per member, 256-byte values, puts and linearizable gets — raftdesk
// through its JSON API (gets by ReadIndex), etcd through gRPC (KV.Put, and KV.Range without
// serializable, which etcd also answers by ReadIndex); a follower forwards (etcd) or redirects
// (raftdesk) puts to the leader. The systems run back to back, raftdesk first, each load in the
// same order; every member's RSS (from /proc) is taken after each load. Needs /usr/bin/etcd, Linux,
// and a current dist/ (npm run build:core), so that raftdesk runs compiled. Never part of CI: it
// prints figures and asserts nothing. The machine's load average is printed before and after;
// figures from a busy machine say so.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { ClusterState } from '../core/api/cluster-state.js';
import { runWriteBench } from '../core/bench/write-bench.js';
import { connectToWorkspace } from '../core/cli/connect.js';
import { callControl } from '../core/cluster/control.js';
import { summarize, round, type LatencySummary } from '../core/stats/percentiles.js';
import { EtcdConnection } from './etcd-grpc.js';
import { EtcdMembers, createWorkspace, loadAverage, runCli } from './side-by-side.js';

const VALUE_SIZE = 256;
const KEYS_PER_CLIENT = 100;

interface Row extends LatencySummary {
  system: 'raftdesk' | 'etcd';
  mode: 'put' | 'get';
  clients: number;
  opsPerSec: number;
  errors: number;
  rssMb: number[];
}

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, clients: { type: 'string', default: '1,16,64,256' }, out: { type: 'string' } } });
const durationSec = Number(values.duration);
const clientCounts = values.clients!.split(',').map(Number);


function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : -1;
  } catch {
    return -1;
  }
}



// ---- raftdesk ---------------------------------------------------------------------------------

async function benchRaftdesk(dir: string): Promise<Row[]> {
  runCli(['up', dir, '--detach']);
  const rows: Row[] = [];
  const { connection } = await connectToWorkspace(dir, 10_000);
  try {
    for (const mode of ['put', 'get'] as const) {
      for (const clients of clientCounts) {
        const r = await runWriteBench(connection, { mode, consistency: 'linearizable', clients, durationSec, valueSize: VALUE_SIZE });
        const state = (await callControl(dir, 'state', [])) as ClusterState;
        rows.push({ system: 'raftdesk', mode, clients, opsPerSec: r.opsPerSec, errors: r.errors, p50Ms: r.p50Ms, p90Ms: r.p90Ms, p99Ms: r.p99Ms, maxMs: r.maxMs, rssMb: state.nodes.map((n) => (n.pid ? rssMb(n.pid) : -1)) });
        report(rows.at(-1)!);
      }
    }
  } finally {
    connection.close();
    runCli(['down', dir]);
  }
  return rows;
}

// ---- etcd -------------------------------------------------------------------------------------


async function closedLoop(clients: number, op: (client: number, n: number) => Promise<unknown>): Promise<{ opsPerSec: number; errors: number; latencies: number[] }> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + durationSec * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    let n = 0;
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        await op(c, n++);
        latencies.push(performance.now() - started);
      } catch {
        errors++;
      }
    }
  }));
  return { opsPerSec: round(latencies.length / ((performance.now() - t0) / 1000)), errors, latencies };
}

async function benchEtcd(dir: string): Promise<Row[]> {
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'bench-etcd-'));
  const members = new EtcdMembers(dir, dataRoot, 'bench-vs-etcd');
  await members.start();
  const processes = [...members.processes.values()];
  const connections = members.clientUrls.map((url) => new EtcdConnection(url, members.tls));
  const value = randomBytes(VALUE_SIZE / 2).toString('hex');
  const rows: Row[] = [];
  try {
    // Until the members elected a leader and answer.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await connections[0]!.put('bench/warmup', value);
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`etcd did not come up: ${(e as Error).message}`, { cause: e });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    for (let k = 0; k < KEYS_PER_CLIENT; k++) await connections[0]!.put(`bench/${k}`, value);
    for (const mode of ['put', 'get'] as const) {
      for (const clients of clientCounts) {
        const r = await closedLoop(clients, (c, n) => {
          const connection = connections[c % connections.length]!;
          return mode === 'put' ? connection.put(`bench/${c}/${n % KEYS_PER_CLIENT}`, value) : connection.get(`bench/${(c + n) % KEYS_PER_CLIENT}`);
        });
        rows.push({ system: 'etcd', mode, clients, opsPerSec: r.opsPerSec, errors: r.errors, ...summarize(r.latencies), rssMb: processes.map((p) => rssMb(p.pid!)) });
        report(rows.at(-1)!);
      }
    }
  } finally {
    for (const c of connections) c.close();
    await members.stop();
    rmSync(dataRoot, { recursive: true, force: true });
  }
  return rows;
}

// ---- report -----------------------------------------------------------------------------------

function report(r: Row): void {
  process.stderr.write(`${r.system.padEnd(8)} ${r.mode} ${String(r.clients).padStart(3)} clients: ${r.opsPerSec.toFixed(0).padStart(6)}/s  p50 ${r.p50Ms}  p90 ${r.p90Ms}  p99 ${r.p99Ms}  max ${r.maxMs} ms  errors ${r.errors}  RSS ${r.rssMb.join('/')} MiB\n`);
}

function table(rows: Row[]): string {
  const lines = ['| load | clients | raftdesk ops/s | etcd ops/s | ratio | raftdesk p50 / p99 ms | etcd p50 / p99 ms | RSS MiB raftdesk / etcd |', '|---|---|---|---|---|---|---|---|'];
  for (const mode of ['put', 'get'] as const) {
    for (const clients of clientCounts) {
      const a = rows.find((r) => r.system === 'raftdesk' && r.mode === mode && r.clients === clients);
      const b = rows.find((r) => r.system === 'etcd' && r.mode === mode && r.clients === clients);
      if (!a || !b) continue;
      const load = mode === 'put' ? 'put' : 'linearizable get';
      lines.push(`| ${load} | ${clients} | ${a.opsPerSec.toFixed(0)} | ${b.opsPerSec.toFixed(0)} | ${(a.opsPerSec / b.opsPerSec).toFixed(2)}× | ${a.p50Ms} / ${a.p99Ms} | ${b.p50Ms} / ${b.p99Ms} | ${a.rssMb.join('–')} / ${b.rssMb.join('–')} |`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/etcd')) throw new Error('etcd is not installed at /usr/bin/etcd.');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-vs-etcd-'));
  try {
    await createWorkspace(dir, []);
    const started = new Date().toISOString();
    const loadBefore = loadAverage();
    process.stderr.write(`load average before: ${loadBefore} (${os.cpus().length} CPUs)\n`);
    const rows = [...(await benchRaftdesk(dir)), ...(await benchEtcd(dir))];
    const loadAfter = loadAverage();
    const result = { started, cpus: os.cpus().length, loadBefore, loadAfter, durationSec, valueSize: VALUE_SIZE, rows };
    if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2));
    console.log(table(rows));
    console.log(`\n${started}, ${durationSec} s per load, load average before ${loadBefore}, after ${loadAfter}.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
