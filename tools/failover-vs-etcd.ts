// Failover time, raftdesk and etcd 3.4 side by side in one sitting:
//
//   npx tsx tools/failover-vs-etcd.ts [--runs 10] [--out FILE.json]
//
// Both: 3 members on 127.0.0.1, mutual TLS, fsync on, heartbeat 100 ms, election timeout 1,000 ms.
// Each run SIGKILLs the leader and measures from the kill to the first moment a surviving member
// says it leads (polled every 10 ms) and to the first acknowledged write (one put in flight,
// retried every 10 ms), then starts the killed member again and waits until it has caught up.
// raftdesk through `raftdesk bench DIR --mode failover` (core/bench/failover-bench.ts); etcd through
// its gRPC KV.Put and the gateway's /v3/maintenance/status, measured the same way here, except that
// etcd's puts are sent every 20 ms without waiting for the earlier ones (see failoverEtcd). Needs
// /usr/bin/etcd, Linux and a current dist/ (npm run build:core). Prints figures, asserts nothing.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FailoverResult, FailoverSummary } from '../core/bench/failover-bench.js';
import { summarizeMs } from '../core/bench/failover-bench.js';
import { round } from '../core/stats/percentiles.js';
import { EtcdConnection, putRequest } from './etcd-grpc.js';
import { EtcdMembers, createWorkspace, loadAverage, runCli } from './side-by-side.js';

const POLL_MS = 10;
const ATTEMPT_EVERY_MS = 20;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, out: { type: 'string' } } });
const runs = Number(values.runs);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));



// ---- raftdesk ---------------------------------------------------------------------------------

async function failoverRaftdesk(dir: string): Promise<FailoverResult> {
  runCli(['up', dir, '--detach']);
  try {
    return JSON.parse(runCli(['bench', dir, '--mode', 'failover', '--runs', String(runs), '--json'])) as FailoverResult;
  } finally {
    runCli(['down', dir]);
  }
}

// ---- etcd -------------------------------------------------------------------------------------

interface EtcdRun {
  run: number;
  killed: string;
  newLeader: string;
  leaderSeenMs: number;
  writeMs: number;
  catchUpMs: number;
}

async function etcdLeader(members: EtcdMembers, timeoutMs = 30_000): Promise<{ id: string; term: number; memberId: string }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const all = await Promise.all(members.ids.map((id) => members.status(id)));
    const leaderId = all[0]?.leader;
    if (all.every((s) => s !== null && s.leader === leaderId && s.leader !== '0' && s.raftIndex === all[0]!.raftIndex)) {
      const i = all.findIndex((s) => s!.memberId === leaderId);
      if (i >= 0) return { id: members.ids[i]!, term: all[i]!.raftTerm, memberId: leaderId! };
    }
    await sleep(100);
  }
  throw new Error('etcd did not settle with one leader and every member caught up.');
}

async function failoverEtcd(dir: string): Promise<{ runs: EtcdRun[]; write: FailoverSummary; leaderSeen: FailoverSummary; catchUp: FailoverSummary }> {
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'failover-etcd-'));
  const members = new EtcdMembers(dir, dataRoot, 'failover-vs-etcd');
  await members.start();
  const connections = new Map(members.ids.map((id) => [id, new EtcdConnection(members.url(id), members.tls)]));
  const results: EtcdRun[] = [];
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await connections.get('n1')!.put('failover/probe', 'warmup');
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`etcd did not come up: ${(e as Error).message}`, { cause: e });
        await sleep(200);
      }
    }
    for (let run = 1; run <= runs; run++) {
      const { id: killed, term: oldTerm } = await etcdLeader(members);
      await connections.get(killed)!.put('failover/probe', `before-${run}`);
      const survivors = members.ids.filter((id) => id !== killed);
      const killedAt = performance.now();
      await members.kill(killed);
      connections.get(killed)!.close();
      let seen: number | null = null;
      let written: { node: string; ms: number } | null = null;
      const watch = (async () => {
        while (seen === null && written === null && performance.now() - killedAt < 30_000) {
          await Promise.all(survivors.map(async (id) => {
            const s = await members.status(id);
            if (s && s.leader === s.memberId && s.raftTerm > oldTerm && seen === null) seen = performance.now() - killedAt;
          }));
          await sleep(POLL_MS);
        }
      })();
      // A follower forwards a put to the leader it believes in, and a put forwarded to the dead
      // leader hangs until etcd's request timeout (about 7 s): waiting for each attempt would time
      // the client's patience, not the failover. So a new put is sent every ATTEMPT_EVERY_MS,
      // round the survivors, without waiting for the earlier ones; the first acknowledged one counts.
      const attempts: Promise<void>[] = [];
      for (let attempt = 0; written === null; attempt++) {
        if (performance.now() - killedAt > 30_000) throw new Error(`No etcd write succeeded within 30 s of killing ${killed}.`);
        const target = survivors[attempt % survivors.length]!;
        attempts.push(
          connections.get(target)!.call('/etcdserverpb.KV/Put', putRequest('failover/probe', `after-${run}-${attempt}`), 10_000).then(
            () => {
              written ??= { node: target, ms: performance.now() - killedAt };
            },
            () => undefined,
          ),
        );
        await sleep(ATTEMPT_EVERY_MS);
      }
      await Promise.all(attempts);
      await watch;
      const w = written as { node: string; ms: number };
      const leaderSeenMs = Math.min(seen ?? w.ms, w.ms);
      const leaderNow = await etcdLeaderAmong(members, survivors);
      const targetIndex = (await members.status(leaderNow))?.raftIndex ?? 0;
      const restartedAt = performance.now();
      members.spawn(killed);
      connections.set(killed, new EtcdConnection(members.url(killed), members.tls));
      for (;;) {
        const s = await members.status(killed);
        if (s && s.raftIndex >= targetIndex) break;
        if (performance.now() - restartedAt > 30_000) throw new Error(`${killed} did not catch up within 30 s.`);
        await sleep(POLL_MS);
      }
      const r = { run, killed, newLeader: leaderNow, leaderSeenMs: round(leaderSeenMs), writeMs: round(w.ms), catchUpMs: round(performance.now() - restartedAt) };
      results.push(r);
      process.stderr.write(`etcd run ${run}/${runs}: killed ${killed}; leader seen after ${r.leaderSeenMs.toFixed(0)} ms, first write after ${r.writeMs.toFixed(0)} ms (${r.newLeader} leads); caught up ${r.catchUpMs.toFixed(0)} ms after restart\n`);
    }
  } finally {
    for (const c of connections.values()) c.close();
    await members.stop();
    rmSync(dataRoot, { recursive: true, force: true });
  }
  return { runs: results, write: summarizeMs(results.map((r) => r.writeMs)), leaderSeen: summarizeMs(results.map((r) => r.leaderSeenMs)), catchUp: summarizeMs(results.map((r) => r.catchUpMs)) };
}

/** The survivor that says it leads (the write just went through, so one does, or soon will). */
async function etcdLeaderAmong(members: EtcdMembers, ids: string[]): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const id of ids) {
      const s = await members.status(id);
      if (s && s.leader === s.memberId) return id;
    }
    await sleep(POLL_MS);
  }
  throw new Error('No surviving etcd member says it leads.');
}

// ---- report -----------------------------------------------------------------------------------

const fmt = (s: FailoverSummary) => `${s.medianMs.toFixed(0)} / ${s.p90Ms.toFixed(0)} / ${s.maxMs.toFixed(0)}`;

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/etcd')) throw new Error('etcd is not installed at /usr/bin/etcd.');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'failover-vs-etcd-'));
  try {
    await createWorkspace(dir, ['--heartbeat', '100', '--election', '1000']);
    const started = new Date().toISOString();
    const loadBefore = loadAverage();
    process.stderr.write(`load average before: ${loadBefore} (${os.cpus().length} CPUs)\n`);
    const raftdesk = await failoverRaftdesk(dir);
    process.stderr.write(`raftdesk: write ${fmt(raftdesk.write)} ms (median / p90 / max)\n`);
    const etcd = await failoverEtcd(dir);
    const loadAfter = loadAverage();
    const result = { started, runs, loadBefore, loadAfter, raftdesk, etcd };
    if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2));
    console.log('| from SIGKILL of the leader to | raftdesk median / p90 / max ms | etcd median / p90 / max ms |');
    console.log('|---|---|---|');
    console.log(`| a survivor says it leads | ${fmt(raftdesk.leaderSeen)} | ${fmt(etcd.leaderSeen)} |`);
    console.log(`| the first acknowledged write | ${fmt(raftdesk.write)} | ${fmt(etcd.write)} |`);
    console.log(`| (restart → the killed member caught up) | ${fmt(raftdesk.catchUp)} | ${fmt(etcd.catchUp)} |`);
    console.log(`\n${started}, ${runs} runs each, load average before ${loadBefore}, after ${loadAfter}.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
