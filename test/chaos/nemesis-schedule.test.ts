// The fault schedule is a function of the seed; every fault is undone before the next lands; plans
// that name the leader resolve to whoever leads when they land.

import { describe, expect, it } from 'vitest';
import type { Nemesis } from '../../core/api/experiments.js';
import { describeResolved, planNemesis, resolveFault, type FaultPlan, type ScheduleInput } from '../../core/chaos/nemesis-schedule.js';
import { seededRandom } from '../../core/chaos/random.js';

const ALL: Nemesis[] = ['kill', 'pause', 'partition', 'delay'];
const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
const input = (over: Partial<ScheduleInput> = {}): ScheduleInput => ({ seed: 42, durationSec: 60, intervalSec: 5, nemeses: ALL, nodes: five, ...over });

describe('planNemesis', () => {
  it('gives the same schedule for the same seed and a different one for another seed', () => {
    expect(planNemesis(input())).toEqual(planNemesis(input()));
    const others = [1, 2, 3, 4].map((seed) => JSON.stringify(planNemesis(input({ seed }))));
    expect(new Set([JSON.stringify(planNemesis(input())), ...others]).size).toBe(5);
  });

  it('lands one fault per interval and undoes it before the next one lands, within the run', () => {
    for (let seed = 0; seed < 50; seed++) {
      const schedule = planNemesis(input({ seed, durationSec: 23, intervalSec: 4 }));
      // Intervals starting at 0, 4, ..., 20: six of them.
      expect(schedule.length).toBe(6);
      schedule.forEach((s, i) => {
        expect(s.applyAtMs).toBe(i * 4000 + 800);
        expect(s.undoAtMs).toBeGreaterThan(s.applyAtMs);
        expect(s.undoAtMs).toBeLessThanOrEqual(Math.min(23_000, (i + 1) * 4000 - 400));
        if (i > 0) expect(s.applyAtMs).toBeGreaterThan(schedule[i - 1]!.undoAtMs);
      });
    }
  });

  it('uses only the nemeses enabled, and each of them given enough intervals', () => {
    const used = (nemeses: Nemesis[]) => new Set(planNemesis(input({ nemeses, durationSec: 600 })).map((s) => s.plan.nemesis));
    expect(used(['pause'])).toEqual(new Set(['pause']));
    expect(used(['kill', 'delay'])).toEqual(new Set(['kill', 'delay']));
    expect(used(ALL)).toEqual(new Set(ALL));
    expect(planNemesis(input({ nemeses: [] }))).toEqual([]);
  });

  it('never partitions a single node, and plans nothing when nothing else is enabled', () => {
    expect(planNemesis(input({ nodes: ['n1'], nemeses: ['partition'] }))).toEqual([]);
    expect(new Set(planNemesis(input({ nodes: ['n1'] })).map((s) => s.plan.nemesis)).has('partition')).toBe(false);
  });

  it('targets the leader in some faults and fixed nodes in others, and varies the partition shapes', () => {
    const plans = planNemesis(input({ durationSec: 1000 })).map((s) => s.plan);
    const targeted = plans.filter((p): p is Extract<FaultPlan, { target: unknown }> => 'target' in p);
    expect(targeted.some((p) => p.target.leader)).toBe(true);
    expect(targeted.some((p) => !p.target.leader)).toBe(true);
    const shapes = new Set(plans.flatMap((p) => (p.nemesis === 'partition' ? [p.shape] : [])));
    expect(shapes).toEqual(new Set(['isolate-leader', 'leader-minority', 'random-split']));
    for (const p of plans) if (p.nemesis === 'delay') expect(p.jitterMs).toBeLessThanOrEqual(p.ms / 2);
  });
});

describe('resolveFault', () => {
  const order = ['n4', 'n2', 'n5', 'n1', 'n3'];

  it('sends process faults to the leader when the plan says so, else to the fallback', () => {
    const plan: FaultPlan = { nemesis: 'kill', target: { leader: true, fallback: 'n3' } };
    expect(resolveFault(plan, 'n2')).toEqual({ kind: 'process', nemesis: 'kill', node: 'n2', wasLeader: true });
    expect(resolveFault(plan, null)).toEqual({ kind: 'process', nemesis: 'kill', node: 'n3', wasLeader: false });
    expect(resolveFault({ nemesis: 'pause', target: { leader: false, node: 'n5' } }, 'n2')).toMatchObject({ node: 'n5', wasLeader: false });
  });

  it('isolates the leader', () => {
    const f = resolveFault({ nemesis: 'partition', shape: 'isolate-leader', order, minority: 1 }, 'n1');
    expect(f).toEqual({ kind: 'network', nemesis: 'partition', fault: { kind: 'isolate', node: 'n1' }, wasLeader: true });
    expect(describeResolved(f)).toBe('isolate n1 (the leader)');
  });

  it('puts the leader in a minority, and splits at random, with every node on exactly one side', () => {
    const minority = resolveFault({ nemesis: 'partition', shape: 'leader-minority', order, minority: 2 }, 'n1');
    expect(minority).toMatchObject({ fault: { kind: 'partition', groups: [['n1', 'n4'], ['n2', 'n5', 'n3']] }, wasLeader: true });
    const split = resolveFault({ nemesis: 'partition', shape: 'random-split', order, minority: 2 }, 'n3');
    expect(split).toMatchObject({ fault: { kind: 'partition', groups: [['n4', 'n2'], ['n5', 'n1', 'n3']] }, wasLeader: false });
    expect(describeResolved(split)).toBe('partition {n4, n2} | {n5, n1, n3}');
  });

  it('resolves every planned partition into two sides covering every node once', () => {
    for (let seed = 0; seed < 30; seed++) {
      for (const s of planNemesis(input({ seed, nemeses: ['partition'] }))) {
        const leader = seededRandom(seed).pick([null, ...five]);
        const f = resolveFault(s.plan, leader);
        if (f.kind !== 'network' || f.fault.kind !== 'partition') continue;
        const [a, b] = f.fault.groups;
        expect([...a!, ...b!].sort()).toEqual([...five].sort());
        expect(a!.length).toBeGreaterThan(0);
        expect(a!.length).toBeLessThanOrEqual(b!.length);
      }
    }
  });

  it('delays a node by the planned amount', () => {
    const f = resolveFault({ nemesis: 'delay', target: { leader: true, fallback: 'n2' }, ms: 120, jitterMs: 30 }, 'n4');
    expect(f).toEqual({ kind: 'network', nemesis: 'delay', fault: { kind: 'delay', node: 'n4', ms: 120, jitterMs: 30 }, wasLeader: true });
    expect(describeResolved(f)).toBe('delay n4 by 120 ± 30 ms (the leader)');
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // Roughly uniform: each tenth of [0, 1) gets a fair share.
    for (let d = 0; d < 10; d++) expect(xs.filter((x) => Math.floor(x * 10) === d).length).toBeGreaterThan(50);
    expect(seededRandom(7).shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
