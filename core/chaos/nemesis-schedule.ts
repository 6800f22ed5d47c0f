// The fault schedule of an experiment, decided by its seed before it starts: every interval one
// nemesis among those enabled, with its target and its shape. Who leads is only known when a fault
// lands, so a plan may say "the leader" and is resolved then (resolveFault).
//
// Timing within each interval of length I starting at S: the fault lands at S + 0.2·I and is undone
// by S + 0.9·I at the latest, so every fault is undone before the next lands and the cluster gets a
// moment of health between faults.

import type { Nemesis } from '../api/experiments.js';
import type { Fault } from '../api/faults.js';
import { deriveSeed, seededRandom, type Random } from './random.js';

/** Whoever leads when the fault lands (or `fallback` when nobody does), or one fixed node. */
export type NodeTarget = { leader: true; fallback: string } | { leader: false; node: string };

export type PartitionShape =
  /** The leader alone on one side. */
  | 'isolate-leader'
  /** The leader with a minority of the others: the majority must elect a new leader. */
  | 'leader-minority'
  /** A random split of the nodes into two sides. */
  | 'random-split';

export type FaultPlan =
  | { nemesis: 'kill' | 'pause'; target: NodeTarget }
  | { nemesis: 'delay'; target: NodeTarget; ms: number; jitterMs: number }
  /** `order` is a seeded shuffle of the nodes; `minority` (≥ 1) is the size of the smaller side. */
  | { nemesis: 'partition'; shape: PartitionShape; order: string[]; minority: number }
  /** Add a fresh node, then remove `leave` (the leader, the newcomer, or a node). */
  | { nemesis: 'member'; leave: NodeTarget | 'newcomer' };

export interface ScheduledFault {
  /** Milliseconds since the clients started. */
  applyAtMs: number;
  undoAtMs: number;
  plan: FaultPlan;
}

export interface ScheduleInput {
  seed: number;
  durationSec: number;
  intervalSec: number;
  nemeses: readonly Nemesis[];
  nodes: readonly string[];
}

const LAND_AT = 0.2;
/** The shortest hold the plan gives a fault, as a share of the interval; the loop holds a late fault at least this long. */
export const MIN_HOLD_SHARE = 0.4;
const MAX_EXTRA_HOLD = 0.3;
const DELAY_MS = { min: 30, max: 300 };

export function planNemesis(input: ScheduleInput): ScheduledFault[] {
  const random = seededRandom(deriveSeed(input.seed, 0));
  // A partition needs two sides.
  const usable = input.nemeses.filter((n) => n !== 'partition' || input.nodes.length >= 2);
  if (usable.length === 0 || input.nodes.length === 0) return [];
  const intervalMs = input.intervalSec * 1000;
  const durationMs = input.durationSec * 1000;
  const schedule: ScheduledFault[] = [];
  for (let start = 0; start + LAND_AT * intervalMs < durationMs; start += intervalMs) {
    const applyAtMs = Math.round(start + LAND_AT * intervalMs);
    const hold = intervalMs * (MIN_HOLD_SHARE + MAX_EXTRA_HOLD * random.next());
    const undoAtMs = Math.round(Math.min(durationMs, applyAtMs + hold));
    schedule.push({ applyAtMs, undoAtMs, plan: planOne(random.pick(usable), input.nodes, random) });
  }
  return schedule;
}

function planOne(nemesis: Nemesis, nodes: readonly string[], random: Random): FaultPlan {
  const target = (): NodeTarget => (random.next() < 0.5 ? { leader: true, fallback: random.pick(nodes) } : { leader: false, node: random.pick(nodes) });
  switch (nemesis) {
    case 'kill':
    case 'pause':
      return { nemesis, target: target() };
    case 'delay': {
      const ms = DELAY_MS.min + random.int(DELAY_MS.max - DELAY_MS.min + 1);
      return { nemesis, target: target(), ms, jitterMs: random.int(Math.floor(ms / 2) + 1) };
    }
    case 'member': {
      const r = random.next();
      return { nemesis, leave: r < 0.4 ? { leader: true, fallback: random.pick(nodes) } : r < 0.7 ? 'newcomer' : { leader: false, node: random.pick(nodes) } };
    }
    case 'partition': {
      const shape = random.pick<PartitionShape>(['isolate-leader', 'leader-minority', 'random-split']);
      const largestMinority = Math.floor(nodes.length / 2);
      const minority = shape === 'isolate-leader' ? 1 : shape === 'leader-minority' ? Math.max(1, Math.floor((nodes.length - 1) / 2)) : 1 + random.int(largestMinority);
      return { nemesis, shape, order: random.shuffle(nodes), minority };
    }
  }
}

/** The network faults a nemesis applies; healing undoes them all. */
export type NemesisNetworkFault = Extract<Fault, { kind: 'isolate' | 'partition' | 'delay' }>;

/** A planned fault made concrete: a signal to one node process, or a network fault undone by healing. */
export type ResolvedFault =
  | { kind: 'process'; nemesis: 'kill' | 'pause'; node: string; wasLeader: boolean }
  /** `join` is added when the fault lands; `leave` is removed when it is undone (resolved then). */
  | { kind: 'member'; nemesis: 'member'; join: string; leave: NodeTarget | 'newcomer'; wasLeader: boolean }
  | { kind: 'network'; nemesis: 'delay' | 'partition'; fault: NemesisNetworkFault; wasLeader: boolean };

/**
 * Makes a plan concrete against the cluster as it is now: who leads, and who is a member (a node a
 * membership change removed is replaced by the leader, or the first member, as target).
 */
export function resolveFault(plan: FaultPlan, leader: string | null, members: readonly string[] = []): ResolvedFault {
  const present = (id: string): string => (members.length === 0 || members.includes(id) ? id : (leader ?? members[0]!));
  plan = retarget(plan, present, members);
  switch (plan.nemesis) {
    case 'member':
      return { kind: 'member', nemesis: 'member', join: freshId(members), leave: plan.leave, wasLeader: false };
    case 'kill':
    case 'pause': {
      const node = targetNode(plan.target, leader);
      return { kind: 'process', nemesis: plan.nemesis, node, wasLeader: node === leader };
    }
    case 'delay': {
      const node = targetNode(plan.target, leader);
      return { kind: 'network', nemesis: 'delay', fault: { kind: 'delay', node, ms: plan.ms, jitterMs: plan.jitterMs }, wasLeader: node === leader };
    }
    case 'partition': {
      const hub = plan.shape === 'random-split' ? null : (leader ?? plan.order[0]!);
      const rest = plan.order.filter((n) => n !== hub);
      const minority = hub === null ? plan.order.slice(0, plan.minority) : [hub, ...rest.slice(0, plan.minority - 1)];
      const majority = plan.order.filter((n) => !minority.includes(n));
      const fault: NemesisNetworkFault = plan.shape === 'isolate-leader' ? { kind: 'isolate', node: hub! } : { kind: 'partition', groups: [minority, majority] };
      return { kind: 'network', nemesis: 'partition', fault, wasLeader: leader !== null && minority.includes(leader) };
    }
  }
}

function retarget(plan: FaultPlan, present: (id: string) => string, members: readonly string[]): FaultPlan {
  const fix = (t: NodeTarget): NodeTarget => (t.leader ? { leader: true, fallback: present(t.fallback) } : { leader: false, node: present(t.node) });
  switch (plan.nemesis) {
    case 'kill':
    case 'pause':
    case 'delay':
      return { ...plan, target: fix(plan.target) };
    case 'partition': {
      const mapped = [...new Set(plan.order.map(present))];
      // Members a membership change added since the plan was drawn join the split (in member order):
      // with the planned nodes gone, mapping alone can leave one side empty.
      const order = [...mapped, ...members.filter((m) => !mapped.includes(m))];
      return { ...plan, order, minority: Math.min(plan.minority, Math.max(1, order.length - 1)) };
    }
    case 'member':
      return plan.leave === 'newcomer' ? plan : { ...plan, leave: fix(plan.leave) };
  }
}

/** A node ID no member has: m1, m2, ... */
function freshId(members: readonly string[]): string {
  for (let k = 1; ; k++) if (!members.includes(`m${k}`)) return `m${k}`;
}

function targetNode(target: NodeTarget, leader: string | null): string {
  return target.leader ? (leader ?? target.fallback) : target.node;
}

/** One line for progress output and the summary, e.g. "kill n2 (the leader)". */
export function describeResolved(fault: ResolvedFault): string {
  const leaderNote = fault.wasLeader ? ' (the leader)' : '';
  if (fault.kind === 'process') return `${fault.nemesis} ${fault.node}${leaderNote}`;
  if (fault.kind === 'member') {
    const leave = fault.leave === 'newcomer' ? fault.join : fault.leave.leader ? 'the leader' : fault.leave.node;
    return `add ${fault.join}, then remove ${leave}`;
  }
  const f = fault.fault;
  switch (f.kind) {
    case 'isolate':
      return `isolate ${f.node}${leaderNote}`;
    case 'partition':
      return `partition ${f.groups.map((g) => `{${g.join(', ')}}`).join(' | ')}${fault.wasLeader ? ' (leader in the minority)' : ''}`;
    case 'delay':
      return `delay ${f.node} by ${f.ms} ± ${f.jitterMs} ms${leaderNote}`;
  }
}
