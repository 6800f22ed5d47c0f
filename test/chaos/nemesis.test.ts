// The fault loop: each fault lands, is undone, and the next waits for a healthy moment; a stop
// undoes the fault in force at once.

import { describe, expect, it } from 'vitest';
import { NemesisLoop } from '../../core/chaos/nemesis.js';
import type { ScheduledFault } from '../../core/chaos/nemesis-schedule.js';
import { entries, FakeCluster } from './fake-cluster.js';

const cluster = () => new FakeCluster(['n1', 'n2', 'n3'].map((id) => ({ id, firstIndex: 1, entries: entries(1, 3), commitIndex: 3 })));

const schedule: ScheduledFault[] = [
  { applyAtMs: 10, undoAtMs: 30, plan: { nemesis: 'kill', target: { leader: true, fallback: 'n3' } } },
  { applyAtMs: 40, undoAtMs: 60, plan: { nemesis: 'partition', shape: 'isolate-leader', order: ['n2', 'n1', 'n3'], minority: 1 } },
  { applyAtMs: 70, undoAtMs: 90, plan: { nemesis: 'pause', target: { leader: false, node: 'n3' } } },
];

function clock(): () => number {
  const start = performance.now();
  return () => performance.now() - start;
}

describe('NemesisLoop', () => {
  it('applies each fault to whoever it targets when it lands, and undoes it before the next', async () => {
    const c = cluster();
    const elapsed = clock();
    const loop = new NemesisLoop(c, schedule, elapsed, new AbortController().signal, { minHealthyMs: 0, minHoldMs: 0 });
    await loop.run();
    expect(c.calls).toEqual(['kill n1', 'start n1', 'fault isolate', 'heal', 'pause n3', 'resume n3']);
    expect(loop.record.map((r) => r.description)).toEqual(['kill n1 (the leader)', 'isolate n1 (the leader)', 'pause n3']);
    expect(loop.applied).toBe(3);
    loop.record.forEach((r, i) => expect(r.atMs).toBeGreaterThanOrEqual(schedule[i]!.applyAtMs));
  });

  it('keeps the cluster healthy for a while after a slow undo, even past the next fault time', async () => {
    const c = cluster();
    const elapsed = clock();
    const undoneAt: number[] = [];
    const start = c.nodeAction.bind(c);
    c.nodeAction = async (node, action) => {
      if (action === 'start') await new Promise((r) => setTimeout(r, 100));
      await start(node, action);
      if (action === 'start') undoneAt.push(elapsed());
    };
    const loop = new NemesisLoop(c, schedule.slice(0, 2), elapsed, new AbortController().signal, { minHealthyMs: 50, minHoldMs: 0 });
    await loop.run();
    expect(loop.record[1]!.atMs).toBeGreaterThanOrEqual(Math.floor(undoneAt[0]! + 50));
  });

  it('holds a fault that lands late for the shortest hold, not undoing it the moment it lands', async () => {
    const c = cluster();
    const elapsed = clock();
    const at = new Map<string, number>();
    const start = c.nodeAction.bind(c);
    c.nodeAction = async (node, action) => {
      // The kill's undo is slow, so the isolation (planned for 40–60 ms) lands after 60 ms.
      if (action === 'start') await new Promise((r) => setTimeout(r, 100));
      await start(node, action);
    };
    const heal = c.healAll.bind(c);
    c.healAll = async () => {
      at.set('heal', elapsed());
      await heal();
    };
    const loop = new NemesisLoop(c, schedule.slice(0, 2), elapsed, new AbortController().signal, { minHealthyMs: 0, minHoldMs: 15 });
    await loop.run();
    const isolation = loop.record[1]!;
    expect(isolation.atMs).toBeGreaterThan(schedule[1]!.undoAtMs);
    expect(at.get('heal')! - isolation.atMs).toBeGreaterThanOrEqual(15 - 2);
    expect(isolation.untilMs! - isolation.atMs).toBeGreaterThanOrEqual(13);
  });

  it('records a fault that could not be applied and goes on', async () => {
    const c = cluster();
    c.applyFault = async () => {
      throw new Error('There is no node "n9".');
    };
    const loop = new NemesisLoop(c, schedule, clock(), new AbortController().signal, { minHealthyMs: 0, minHoldMs: 0 });
    await loop.run();
    expect(loop.record.map((r) => r.error)).toEqual([null, 'There is no node "n9".', null]);
    expect(loop.applied).toBe(2);
    expect(c.calls).toEqual(['kill n1', 'start n1', 'pause n3', 'resume n3']);
  });

  it('when stopped, undoes the fault in force at once and applies no more', async () => {
    const c = cluster();
    const stop = new AbortController();
    const long: ScheduledFault[] = [{ ...schedule[0]!, undoAtMs: 60_000 }, { ...schedule[1]!, applyAtMs: 61_000, undoAtMs: 62_000 }];
    const loop = new NemesisLoop(c, long, clock(), stop.signal, { minHealthyMs: 0, minHoldMs: 0 });
    const running = loop.run();
    while (c.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    await running;
    expect(c.calls).toEqual(['kill n1', 'start n1']);
  });
});
