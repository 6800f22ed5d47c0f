// `raftdesk messages DIR`: the nodes' message logs merged in time order, against a real cluster.

import { describe, expect, it } from 'vitest';
import { formatRecord } from '../../core/cli/commands/messages.js';
import { useTestCluster } from '../helpers/test-cluster.js';
import { raftdesk } from '../helpers/cli-runner.js';

const cluster = useTestCluster({ nodes: 3 });

describe('raftdesk messages', () => {
  it('prints the election in time order: requests, grants, then the leader’s first append', async () => {
    const leader = await cluster().leader();
    const r = await raftdesk('messages', cluster().dir, '--json', '--last', '100000', '--type', 'Vote,VoteResp,PreVote,PreVoteResp,App');
    expect(r.stderr).toBe('');
    const records = JSON.parse(r.stdout) as { node: string; at: number; event: string; type: string; from: string; to: string; reject: boolean; entries: number }[];
    for (let i = 1; i < records.length; i++) expect(records[i]!.at).toBeGreaterThanOrEqual(records[i - 1]!.at);
    const grantAt = records.findIndex((x) => x.event === 'receive' && x.type === 'VoteResp' && x.to === leader && !x.reject);
    const appAt = records.findIndex((x) => x.event === 'send' && x.type === 'App' && x.from === leader);
    expect(records.findIndex((x) => x.event === 'send' && x.type === 'Vote' && x.from === leader)).toBeGreaterThanOrEqual(0);
    expect(grantAt).toBeGreaterThanOrEqual(0);
    expect(appAt).toBeGreaterThan(grantAt);
    // Each message appears at both ends: sent by one node, received by the other.
    expect(records.some((x) => x.node !== leader && x.event === 'receive' && x.type === 'App' && x.from === leader)).toBe(true);
  });

  it('names an unknown node in one line', async () => {
    const r = await raftdesk('messages', cluster().dir, '--node', 'n9');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('raftdesk: There is no node "n9"; the nodes are n1, n2, n3.');
  });

  it('formats each kind of message with the fields that matter for it', () => {
    const base = { seq: 1, at: Date.UTC(2026, 0, 1, 10, 0, 0, 5), term: 3, index: 7, logTerm: 2, entries: 0, entryBytes: 0, bytes: 0, commit: 6, reject: false, hint: 0, snapshotIndex: 0 };
    expect(formatRecord('n1', { ...base, event: 'send', type: 'App', from: 'n1', to: 'n2', entries: 2, entryBytes: 40 })).toMatch(/n1 → n2 +App +term 3, index 7, log term 2, 2 entries \(40 B\), commit 6 +· send$/);
    expect(formatRecord('n2', { ...base, event: 'receive', type: 'VoteResp', from: 'n3', to: 'n2', reject: true })).toMatch(/n2 ← n3 +VoteResp +term 3, rejected +· receive$/);
    expect(formatRecord('n1', { ...base, event: 'drop', type: 'AppResp', from: 'n1', to: 'n3', reject: true, hint: 4, reason: 'partition', direction: 'out' })).toMatch(
      /n1 ✗ n3 +AppResp +term 3, rejected, hint 4 +· dropped \(partition, before sending\)$/,
    );
  });
});
