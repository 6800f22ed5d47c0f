// When the supervisor stops a removed node: only once every running voter left has applied a
// configuration without it (the simulator's seed 975075 is the case where stopping sooner leaves a
// cluster unable to elect). Against a host whose node reports the test scripts; no processes.

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterDefinition } from '../../core/api/cluster-definition.js';
import type { AppliedConfiguration, ClusterState, NodeStatus } from '../../core/api/cluster-state.js';
import type { KvClient } from '../../core/client/cluster-client.js';
import { EventLog } from '../../core/cluster/event-log.js';
import { MemberChanges, type MembershipHost } from '../../core/cluster/member-changes.js';
import { removalHandover } from '../../core/cluster/removal-handover.js';
import { workspacePaths } from '../../core/workspace/paths.js';

const REMOVAL_INDEX = 40;
const before: AppliedConfiguration = { index: 7, voters: ['n1', 'n2', 'n3'], learners: [] };
const after: AppliedConfiguration = { index: REMOVAL_INDEX, voters: ['n1', 'n2'], learners: [] };

function node(id: string, appliedConfiguration: AppliedConfiguration | null, extra: Partial<NodeStatus> = {}): NodeStatus {
  return {
    id, member: 'voter', address: '', peerAddress: '', state: 'running', pid: 1, startedAt: 0, role: 'follower', term: 2, leader: 'n1',
    commitIndex: 0, appliedIndex: 0, lastIndex: 0, snapshotIndex: 0, followers: null, faults: { blockedTo: [], blockedFrom: [], delayMs: 0, jitterMs: 0, lossPercent: 0 },
    lastError: null, rssBytes: null, alarm: null, appliedConfiguration, ...extra,
  };
}

function state(nodes: NodeStatus[], leader: string | null = 'n1'): ClusterState {
  return { workspace: '', name: 't', running: true, leader, term: 2, nodes, links: [], at: 0 };
}

describe('removalHandover', () => {
  it('waits for every running voter left to apply the removal, and names who has not', () => {
    const lagging = removalHandover(state([node('n1', after), node('n2', before), node('n3', after)]), 'n3', REMOVAL_INDEX);
    expect(lagging).toEqual({ done: false, waitingFor: ['n2'] });
    expect(removalHandover(state([node('n1', after), node('n2', after), node('n3', after)]), 'n3', REMOVAL_INDEX)).toEqual({ done: true, waitingFor: [] });
  });

  it('does not count a node that has not reported, or a configuration older than the removal', () => {
    expect(removalHandover(state([node('n1', after), node('n2', null), node('n3', before)]), 'n3', REMOVAL_INDEX).waitingFor).toEqual(['n2']);
    const older = { index: REMOVAL_INDEX - 1, voters: ['n1', 'n2'], learners: [] };
    expect(removalHandover(state([node('n1', after), node('n2', older), node('n3', before)]), 'n3', REMOVAL_INDEX).waitingFor).toEqual(['n2']);
  });

  it('ignores stopped voters and learners, but needs the voters that applied it to be a majority', () => {
    const stopped = node('n4', null, { state: 'stopped' });
    expect(removalHandover(state([node('n1', after), node('n2', after), stopped, node('n3', before)]), 'n3', REMOVAL_INDEX).done).toBe(true);
    // Of two voters left only one runs: the old configuration's majority (n1 and n3) may still be needed.
    expect(removalHandover(state([node('n1', after), node('n2', null, { state: 'stopped' }), node('n3', before)]), 'n3', REMOVAL_INDEX).done).toBe(false);
    const fourLeft = [node('n1', after), node('n2', null, { state: 'stopped' }), node('n4', null, { state: 'stopped' }), node('n5', after), node('n3', before)];
    // n1 and n5 applied it, but 2 of the 4 voters left is not a majority.
    expect(removalHandover(state(fourLeft), 'n3', REMOVAL_INDEX).done).toBe(false);
    const learner = node('n4', null, { member: 'learner' });
    expect(removalHandover(state([node('n1', after), node('n2', after), learner, node('n3', before)]), 'n3', REMOVAL_INDEX).done).toBe(true);
  });

  it('waits while the removed node still leads, or no leader is known', () => {
    const all = [node('n1', after), node('n2', after), node('n3', after)];
    expect(removalHandover(state(all, 'n3'), 'n3', REMOVAL_INDEX).done).toBe(false);
    expect(removalHandover(state(all, null), 'n3', REMOVAL_INDEX).done).toBe(false);
  });

  it('counts a joint configuration that still lists it as not applied', () => {
    const joint = { index: REMOVAL_INDEX, voters: ['n1', 'n2', 'n3'], learners: [] };
    expect(removalHandover(state([node('n1', after), node('n2', joint), node('n3', after)]), 'n3', REMOVAL_INDEX).waitingFor).toEqual(['n2']);
  });
});

/** A host of three voters whose reports the test sets; records what the supervisor did. */
function fakeHost() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-member-changes-'));
  let definition: ClusterDefinition = {
    name: 't',
    defaults: {} as ClusterDefinition['defaults'],
    nodes: ['n1', 'n2', 'n3'].map((id, i) => ({ id, host: '127.0.0.1', peerPort: 1000 + i, clientPort: 2000 + i })),
  };
  const done: string[] = [];
  const configurations: Record<string, AppliedConfiguration> = { n1: after, n2: before, n3: after };
  const kv = {
    changeMembership: async (action: string, id: string) => {
      done.push(`${action} ${id}`);
      return { id, role: 'removed', index: REMOVAL_INDEX, term: 2 };
    },
  } as unknown as KvClient;
  const host: MembershipHost = {
    paths: workspacePaths(dir),
    events: new EventLog(() => undefined, () => undefined),
    definition: () => definition,
    commitDefinition: async (next) => {
      definition = next;
    },
    ensureCertificates: async () => undefined,
    registerNode: () => undefined,
    startNode: async () => undefined,
    forgetNode: async (id) => {
      done.push(`stop ${id}`);
    },
    pushMembers: () => undefined,
    state: () => state(definition.nodes.map((n) => node(n.id, configurations[n.id]!))),
    withClient: (fn) => fn(kv),
  };
  return { host, done, configurations, definition: () => definition };
}

describe('MemberChanges.remove', () => {
  it('stops the removed node only after the lagging voter applied its removal', async () => {
    const { host, done, configurations, definition } = fakeHost();
    const removing = new MemberChanges(host).remove('n3');
    await new Promise((r) => setTimeout(r, 400));
    expect(done).toEqual(['remove n3']);
    configurations.n2 = after;
    await removing;
    expect(done).toEqual(['remove n3', 'stop n3']);
    expect(definition().nodes.map((n) => n.id)).toEqual(['n1', 'n2']);
  });

  it('keeps the process running with a sentence when the voters left do not catch up, and finishes when asked again', async () => {
    const { host, done, configurations, definition } = fakeHost();
    const changes = new MemberChanges(host, 300);
    await expect(changes.remove('n3')).rejects.toThrow(
      /^n3 was removed from the configuration \(index 40\), but after 0\.3 s n2 has not applied the configuration without it, so its process keeps running: .* Run raftdesk member remove n3 again/,
    );
    expect(done).toEqual(['remove n3']);
    expect(definition().nodes.map((n) => n.id)).toEqual(['n1', 'n2', 'n3']);
    configurations.n2 = after;
    const result = await changes.remove('n3');
    // The change committed the first time: it is not proposed again.
    expect(done).toEqual(['remove n3', 'stop n3']);
    expect(result.index).toBe(REMOVAL_INDEX);
  });
});
