import { describe, expect, it } from 'vitest';
import type { ClusterState, NodeStatus } from '../../../core/api/cluster-state.js';
import type { RunSummary, RunTrace, TraceRecord } from '../../../core/api/traces.js';
import { ALWAYS_OPEN } from '../../../renderer/lib/connection.js';
import { ConsoleModel } from '../../../renderer/lib/console-model.svelte.js';
import { FakeApi, immediate } from '../fake-api.js';
import { makeEvent, makeNode, makeState } from '../fixtures.js';

const run: RunSummary = { id: '2026-12-03T10-00-00-000Z', cluster: 'demo', nodes: ['n1', 'n2', 'n3'], startedAt: 1000, endedAt: 3000, recording: false, experiments: [], bytes: 2048, pruned: false, messages: 0 };

const withNodes = (at: number, nodes: NodeStatus[]): ClusterState => ({ ...makeState({ at }), nodes });

function trace(): RunTrace {
  const running = withNodes(1000, ['n1', 'n2', 'n3'].map((id) => makeNode(id, { role: id === 'n1' ? 'leader' : 'follower', state: 'running' })));
  const killed = withNodes(2000, ['n1', 'n2', 'n3'].map((id) => makeNode(id, { role: id === 'n1' ? 'leader' : id === 'n2' ? null : 'follower', state: id === 'n2' ? 'killed' : 'running' })));
  const records: TraceRecord[] = [
    { k: 'state', at: 1000, state: running },
    { k: 'metrics', at: 1500, sample: { at: 1500, commitsPerSec: 12, p50Ms: 1, p99Ms: 3 } },
    { k: 'event', at: 2000, event: makeEvent(5, { at: 2000, kind: 'node-exited', node: 'n2', message: 'n2 was killed (SIGKILL)' }) },
    { k: 'state', at: 2000, state: killed },
    { k: 'logs', at: 2500, views: [{ id: 'n1', firstIndex: 1, lastIndex: 1, commitIndex: 1, appliedIndex: 1, entries: [{ index: 1, term: 1, kind: 'empty', preview: '' }], unavailable: null }] },
    { k: 'event', at: 3000, event: makeEvent(6, { at: 3000, kind: 'cluster-stopped', node: null, message: 'Stopped every node' }) },
  ];
  return { run, records };
}

function model() {
  const api = new FakeApi();
  api.respond('openRun', () => trace());
  api.respond('listRuns', () => ({ runs: [run], traceMaxMb: 256, tracesBytes: 2048 }));
  const m = new ConsoleModel(api, ALWAYS_OPEN, immediate);
  m.start();
  // The live cluster, which the replay shadows and gives back.
  api.pushState(withNodes(9000, [makeNode('n1', { role: 'leader' })]));
  api.pushEvent(makeEvent(99, { at: 9000, message: 'live event' }));
  return { api, m };
}

describe('ReplayStore', () => {
  it('lists runs with the bound', async () => {
    const { m } = model();
    await m.replay.refreshRuns();
    expect(m.replay.list.runs.map((r) => r.id)).toEqual([run.id]);
    expect(m.replay.list.traceMaxMb).toBe(256);
  });

  it('opens a run at its end and shows that moment in every store', async () => {
    const { m } = model();
    expect(await m.replay.open(run.id)).toBe(true);
    expect(m.replay.active).toBe(true);
    expect(m.cluster.replaying).toBe(true);
    expect(m.replay.at).toBe(3000);
    expect(m.cluster.nodes.find((n) => n.id === 'n2')?.state).toBe('killed');
    expect(m.timeline.events.map((e) => e.message)).toEqual(['n2 was killed (SIGKILL)', 'Stopped every node']);
    expect(m.metrics.samples).toHaveLength(1);
    expect(m.logs.views.map((v) => v.id)).toEqual(['n1']);
  });

  it('scrubs: before the kill the killed node is running and the kill is not on the timeline yet', async () => {
    const { m } = model();
    await m.replay.open(run.id);
    m.replay.seek(1999);
    expect(m.cluster.nodes.find((n) => n.id === 'n2')?.state).toBe('running');
    expect(m.timeline.events.map((e) => e.message)).toEqual([]);
    expect(m.metrics.samples).toHaveLength(1);
    expect(m.logs.views).toEqual([]);
    m.replay.seek(-50);
    expect(m.replay.at).toBe(1000);
    m.replay.seek(99_999);
    expect(m.replay.at).toBe(3000);
  });

  it('steps with the keys: arrows change to change, Shift one second, Home and End', async () => {
    const { m } = model();
    await m.replay.open(run.id);
    expect(m.replay.key('ArrowLeft', false)).toBe(true);
    expect(m.replay.at).toBe(2000);
    m.replay.key('ArrowLeft', false);
    expect(m.replay.at).toBe(1000);
    m.replay.key('ArrowRight', true);
    expect(m.replay.at).toBe(2000);
    m.replay.key('End', false);
    expect(m.replay.at).toBe(3000);
    m.replay.key('Home', false);
    expect(m.replay.at).toBe(1000);
    expect(m.replay.key('x', false)).toBe(false);
  });

  it('goes back to live in one step', async () => {
    const { m } = model();
    await m.replay.open(run.id);
    // Nothing acts on the live cluster while a recorded moment is shown.
    expect(m.cluster.canAct).toBe(false);
    m.replay.close();
    expect(m.cluster.canAct).toBe(true);
    expect(m.replay.active).toBe(false);
    expect(m.cluster.replaying).toBe(false);
    expect(m.cluster.nodes.map((n) => n.id)).toEqual(['n1']);
    expect(m.timeline.events.map((e) => e.message)).toEqual(['live event']);
  });

  it('says why a run cannot be opened', async () => {
    const { api, m } = model();
    api.respond('openRun', () => {
      throw new Error('There is no recorded run "x".');
    });
    expect(await m.replay.open('x')).toBe(false);
    expect(m.replay.error).toBe('There is no recorded run "x".');
    expect(m.replay.active).toBe(false);
  });

  it('loads the messages of the window around the moment', async () => {
    const { api, m } = model();
    await m.replay.open(run.id);
    m.replay.seek(2000);
    m.replay.spanMs = 1000;
    await m.replay.loadMessages();
    expect(api.callsTo('readRunMessages')).toEqual([[run.id, 1500, 2500, 4000]]);
    expect(m.replay.messagesWindow).toEqual({ from: 1500, to: 2500 });
  });
});
