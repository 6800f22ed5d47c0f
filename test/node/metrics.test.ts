// GET /metrics on each node's client port: Prometheus text format that a strict parser accepts,
// names by Prometheus conventions, and numbers that agree with what the cluster did. A real
// 3-node cluster on 127.0.0.1, disk storage with fsync, stopped by PID after the test.

import https from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../core/pki/credentials.js';
import { parsePrometheusText, sampleValue, type MetricFamily } from '../helpers/prometheus-text.js';
import { useTestCluster } from '../helpers/test-cluster.js';

const cluster = useTestCluster({ nodes: 3, defaults: { storage: 'disk', fsync: true } });
let credentials: Credentials;

beforeAll(async () => {
  credentials = await cluster().supervisor.clientCredentials();
});

function scrape(port: number): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: '/metrics', method: 'GET', ca: credentials.ca, cert: credentials.cert, key: credentials.key }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function families(id: string): Promise<Map<string, MetricFamily>> {
  const port = cluster().definition.nodes.find((n) => n.id === id)!.clientPort;
  const answer = await scrape(port);
  expect(answer.status).toBe(200);
  expect(answer.type).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(answer.body);
}

describe('GET /metrics', () => {
  it('serves every node’s numbers in Prometheus text format, named by its conventions', async () => {
    const leader = await cluster().leader();
    const kv = cluster().client();
    for (let i = 0; i < 20; i++) await kv.put(`k${i}`, `v${i}`);
    const ids = cluster().definition.nodes.map((n) => n.id);
    const all = new Map(await Promise.all(ids.map(async (id) => [id, await families(id)] as const)));

    for (const [id, f] of all) {
      for (const family of f.values()) {
        expect(family.name).toMatch(/^raftdesk_[a-z_]+$/);
        expect(family.help.length).toBeGreaterThan(0);
        if (family.type === 'counter') expect(family.name).toMatch(/_total$/);
        if (family.name.includes('duration')) expect(family.name).toMatch(/_seconds$/);
        for (const s of family.samples) expect(s.labels.node).toBe(id);
      }
      expect(f.get('raftdesk_term')?.type).toBe('gauge');
      expect(f.get('raftdesk_wal_fsync_duration_seconds')?.type).toBe('histogram');
      expect(f.get('raftdesk_client_request_duration_seconds')?.type).toBe('histogram');
      expect(sampleValue(f, 'raftdesk_term')).toBeGreaterThan(0);
      expect(sampleValue(f, 'raftdesk_commit_index')).toBeGreaterThanOrEqual(20);
      expect(sampleValue(f, 'raftdesk_last_index')).toBeGreaterThanOrEqual(sampleValue(f, 'raftdesk_commit_index') - 0);
      expect(sampleValue(f, 'raftdesk_leader_changes_seen_total')).toBeGreaterThanOrEqual(1);
      // Every node wrote its log with fsync on.
      expect(sampleValue(f, 'raftdesk_wal_fsync_duration_seconds_count')).toBeGreaterThan(0);
      const roles = f.get('raftdesk_role')!.samples;
      expect(roles.filter((s) => s.value === 1)).toHaveLength(1);
    }

    expect(ids.map((id) => sampleValue(all.get(id)!, 'raftdesk_is_leader'))).toEqual(ids.map((id) => (id === leader ? 1 : 0)));
    const lf = all.get(leader)!;
    expect(sampleValue(lf, 'raftdesk_role', { role: 'leader' })).toBe(1);
    // The 20 puts went to the leader (the client follows redirects there).
    expect(sampleValue(lf, 'raftdesk_proposals_committed_total')).toBeGreaterThanOrEqual(20);
    expect(sampleValue(lf, 'raftdesk_client_request_duration_seconds_count', { op: 'put' })).toBeGreaterThanOrEqual(20);
    // The leader replicates with App and heartbeats; each follower received them and answered.
    for (const follower of ids.filter((id) => id !== leader)) {
      expect(sampleValue(lf, 'raftdesk_peer_messages_sent_total', { type: 'App', to: follower })).toBeGreaterThan(0);
      expect(sampleValue(lf, 'raftdesk_peer_messages_sent_total', { type: 'Heartbeat', to: follower })).toBeGreaterThan(0);
      expect(sampleValue(all.get(follower)!, 'raftdesk_peer_messages_received_total', { type: 'App', from: leader })).toBeGreaterThan(0);
      expect(sampleValue(all.get(follower)!, 'raftdesk_peer_messages_sent_total', { type: 'AppResp', to: leader })).toBeGreaterThan(0);
    }
  });

  it('counts messages a partition drops, by type and direction', async () => {
    const leader = await cluster().leader();
    const follower = cluster().definition.nodes.map((n) => n.id).find((id) => id !== leader)!;
    await cluster().supervisor.applyFault({ kind: 'cut', from: leader, to: follower });
    try {
      await cluster().client().put('during-cut', 'x');
      const f = await families(leader);
      const dropped = f.get('raftdesk_peer_messages_dropped_total')!.samples.filter((s) => s.labels.direction === 'out' && s.labels.reason === 'partition');
      expect(dropped.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThan(0);
    } finally {
      await cluster().supervisor.healAll();
    }
  });

  it('refuses anything but GET with a sentence', async () => {
    const port = cluster().definition.nodes[0]!.clientPort;
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, path: '/metrics', method: 'POST', ca: credentials.ca, cert: credentials.cert, key: credentials.key }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(405);
  });
});

describe('GET /v1/messages', () => {
  interface Rec { seq: number; at: number; event: string; type: string; from: string; to: string; term: number; entries: number; reject: boolean }
  async function messages(id: string, after = 0): Promise<{ records: Rec[]; lost: number; next: number }> {
    const port = cluster().definition.nodes.find((n) => n.id === id)!.clientPort;
    const answer = await new Promise<string>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, path: `/v1/messages?after=${after}&limit=8192`, ca: credentials.ca, cert: credentials.cert, key: credentials.key }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
    return JSON.parse(answer) as { records: Rec[]; lost: number; next: number };
  }

  it('shows the election message by message, then the new leader’s first append, then a put replicated', async () => {
    const leader = await cluster().leader();
    const followers = cluster().definition.nodes.map((n) => n.id).filter((id) => id !== leader);
    const own = await messages(leader);
    const first = own.records[0]!;
    // The ring still holds the node's whole life (little traffic so far).
    expect(own.lost).toBe(0);
    expect(first.seq).toBe(1);
    const grants = own.records.filter((r) => r.event === 'receive' && r.type === 'VoteResp' && !r.reject);
    const requests = own.records.filter((r) => r.event === 'send' && r.type === 'Vote');
    expect(requests.length).toBeGreaterThanOrEqual(followers.length);
    expect(grants.length).toBeGreaterThanOrEqual(1);
    const electedTerm = grants.at(-1)!.term;
    const firstApp = own.records.find((r) => r.event === 'send' && r.type === 'App' && r.term === electedTerm);
    expect(firstApp).toBeDefined();
    expect(firstApp!.seq).toBeGreaterThan(grants[0]!.seq);
    expect(firstApp!.entries).toBeGreaterThanOrEqual(1); // the empty entry of the new term

    const before = own.next - 1;
    await cluster().client().put('traced', 'yes');
    const after = await messages(leader, before);
    const apps = after.records.filter((r) => r.event === 'send' && r.type === 'App' && r.entries > 0);
    expect(new Set(apps.map((r) => r.to))).toEqual(new Set(followers));
    for (const r of after.records) expect(r.seq).toBeGreaterThan(before);
  });
});

describe('the strict Prometheus text parser (so that passing means something)', () => {
  it.each([
    ['a bad name', '# TYPE 9x gauge\n9x 1\n'],
    ['a counter without a float', '# TYPE a_total counter\na_total one\n'],
    ['a family split in two', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="1"} 2\n'],
    ['a duplicate series', '# TYPE a gauge\na{x="1"} 1\na{x="1"} 2\n'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ['decreasing buckets', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="2"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n'],
    ['a bad escape', '# TYPE a gauge\na{x="\\q"} 1\n'],
    ['no final newline', '# TYPE a gauge\na 1'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
