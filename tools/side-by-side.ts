// What the side-by-side tools (bench-vs-etcd, failover-vs-etcd) share: a raftdesk workspace on
// free ports, the CLI, the machine's load, and an etcd 3.4 cluster of three members on 127.0.0.1
// with the workspace's certificates (mutual TLS between members and to clients, fsync on,
// heartbeat 100 ms, election timeout 1,000 ms) — so both tools launch etcd the same way.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EtcdTls } from './etcd-grpc.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'bin', 'raftdesk.js');

export const loadAverage = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/** Ports free now, for a tool run by hand (tests use test/helpers/ports.ts instead). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export function runCli(args: string[]): string {
  return execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** `raftdesk init DIR` with `initArgs`, then a free port for every node's peer and client port. */
export async function createWorkspace(dir: string, initArgs: string[]): Promise<void> {
  runCli(['init', dir, '--nodes', '3', '--base-port', String((await freePorts(1))[0]), ...initArgs, '--quiet']);
  const file = path.join(dir, 'cluster.json');
  const definition = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { peerPort: number; clientPort: number }[] };
  const ports = await freePorts(definition.nodes.length * 2);
  definition.nodes.forEach((n, i) => {
    n.peerPort = ports[2 * i]!;
    n.clientPort = ports[2 * i + 1]!;
  });
  writeFileSync(file, JSON.stringify(definition, null, 2));
}

export interface EtcdStatus {
  memberId: string;
  leader: string;
  raftIndex: number;
  raftTerm: number;
}

export class EtcdMembers {
  readonly ids = ['n1', 'n2', 'n3'];
  readonly processes = new Map<string, ChildProcess>();
  readonly clientUrls: string[] = [];
  private args = new Map<string, string[]>();
  readonly tls: EtcdTls;

  constructor(
    private readonly dir: string,
    private readonly dataRoot: string,
    /** --initial-cluster-token: which tool started the members. */
    private readonly token: string,
  ) {
    const pki = path.join(dir, 'pki');
    this.tls = { ca: readFileSync(path.join(pki, 'ca.crt'), 'utf8'), cert: readFileSync(path.join(pki, 'client.crt'), 'utf8'), key: readFileSync(path.join(pki, 'client.key'), 'utf8') };
  }

  async start(): Promise<void> {
    const pki = path.join(this.dir, 'pki');
    const ports = await freePorts(6);
    const peerUrl = (i: number) => `https://127.0.0.1:${ports[2 * i]}`;
    this.ids.forEach((_, i) => this.clientUrls.push(`https://127.0.0.1:${ports[2 * i + 1]}`));
    const initialCluster = this.ids.map((id, i) => `${id}=${peerUrl(i)}`).join(',');
    this.ids.forEach((id, i) => {
      const cert = path.join(pki, 'nodes', `${id}.crt`);
      const key = path.join(pki, 'nodes', `${id}.key`);
      const ca = path.join(pki, 'ca.crt');
      // prettier-ignore
      this.args.set(id, [
        '--name', id, '--data-dir', path.join(this.dataRoot, id),
        '--listen-client-urls', this.clientUrls[i]!, '--advertise-client-urls', this.clientUrls[i]!,
        '--listen-peer-urls', peerUrl(i), '--initial-advertise-peer-urls', peerUrl(i),
        '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--initial-cluster-token', this.token,
        '--cert-file', cert, '--key-file', key, '--trusted-ca-file', ca, '--client-cert-auth',
        '--peer-cert-file', cert, '--peer-key-file', key, '--peer-trusted-ca-file', ca, '--peer-client-cert-auth',
        '--heartbeat-interval', '100', '--election-timeout', '1000', '--logger', 'zap', '--log-level', 'error',
      ]);
      this.spawn(id);
    });
  }

  spawn(id: string): void {
    this.processes.set(id, spawn('/usr/bin/etcd', this.args.get(id)!, { stdio: ['ignore', 'ignore', 'ignore'] }));
  }

  url(id: string): string {
    return this.clientUrls[this.ids.indexOf(id)]!;
  }

  /** The gateway's maintenance status of one member, or null when it does not answer. */
  status(id: string): Promise<EtcdStatus | null> {
    return new Promise((resolve) => {
      const req = https.request(`${this.url(id)}/v3/maintenance/status`, { method: 'POST', ca: this.tls.ca, cert: this.tls.cert, key: this.tls.key, timeout: 2000 }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          try {
            const j = JSON.parse(body) as { header: { member_id: string }; leader: string; raftIndex: string; raftTerm: string };
            resolve({ memberId: j.header.member_id, leader: j.leader, raftIndex: Number(j.raftIndex), raftTerm: Number(j.raftTerm) });
          } catch {
            resolve(null);
          }
        });
      });
      req.on('error', () => resolve(null));
      req.on('timeout', () => req.destroy());
      req.end('{}');
    });
  }

  async kill(id: string): Promise<void> {
    const p = this.processes.get(id)!;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => new Promise((r) => {
      if (p.exitCode !== null || p.signalCode !== null) return r(null);
      p.once('exit', r);
      p.kill('SIGTERM');
    })));
  }
}
