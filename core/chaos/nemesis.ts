// Runs a fault schedule against a cluster: each fault lands at its time (or, after a slow undo, once
// the cluster has had its healthy moment) and is undone at its planned time, but never before it has
// been in force for the plan's shortest hold: on a busy machine a restart can take seconds, and a
// pause undone the moment it landed would be a fault in name only. A late fault is held only that
// shortest time, so the schedule catches up instead of drifting further. A stop undoes the fault in
// force at once, so at most one fault is in force at any moment.

import type { ClusterControl } from './cluster-control.js';
import { describeResolved, resolveFault, type ResolvedFault, type ScheduledFault } from './nemesis-schedule.js';
import { sleep } from './sleep.js';

export interface FaultRecord {
  /** Milliseconds since the clients started. */
  atMs: number;
  description: string;
  /** Why the fault could not be applied, if it could not. */
  error: string | null;
  /** When it was undone (ms since the clients started); null while in force or never applied. */
  untilMs?: number | null;
}

export class NemesisLoop {
  readonly record: FaultRecord[] = [];

  constructor(
    private readonly cluster: ClusterControl,
    private readonly schedule: readonly ScheduledFault[],
    /** Milliseconds since the clients started. */
    private readonly elapsedMs: () => number,
    private readonly stop: AbortSignal,
    private readonly timing: {
      /** The least time between undoing one fault and applying the next. */
      minHealthyMs: number;
      /** The least time a fault stays in force, however late it landed. */
      minHoldMs: number;
    },
  ) {}

  /** Faults that landed. */
  get applied(): number {
    return this.record.filter((r) => r.error === null).length;
  }

  async run(): Promise<void> {
    let healthySince = 0;
    for (const step of this.schedule) {
      // A slow undo (a restart takes seconds) must not eat the healthy moment before the next fault.
      // Timers may fire a fraction of a millisecond early: wait until the time has really come.
      const due = Math.max(step.applyAtMs, healthySince + this.timing.minHealthyMs);
      while (!this.stop.aborted && this.elapsedMs() < due) await sleep(Math.max(1, due - this.elapsedMs()), this.stop);
      if (this.stop.aborted) return;
      const state = await this.cluster.state();
      const fault = resolveFault(step.plan, state.leader, state.nodes.map((n) => n.id));
      const atMs = Math.floor(this.elapsedMs());
      try {
        await applyFault(this.cluster, fault);
        this.record.push({ atMs, description: describeResolved(fault), error: null, untilMs: null });
      } catch (e) {
        this.record.push({ atMs, description: describeResolved(fault), error: (e as Error).message });
        continue;
      }
      const undoAt = Math.max(step.undoAtMs, this.elapsedMs() + this.timing.minHoldMs);
      await sleep(undoAt - this.elapsedMs(), this.stop);
      // A failed undo is left to the final recovery, which heals and restarts whatever is down.
      await undoFault(this.cluster, fault).catch(() => undefined);
      healthySince = this.elapsedMs();
      this.record[this.record.length - 1]!.untilMs = Math.floor(healthySince);
    }
  }
}

export async function applyFault(cluster: ClusterControl, fault: ResolvedFault): Promise<void> {
  if (fault.kind === 'process') await cluster.nodeAction(fault.node, fault.nemesis);
  else if (fault.kind === 'member') await cluster.addMember({ id: fault.join });
  else await cluster.applyFault(fault.fault);
}

export async function undoFault(cluster: ClusterControl, fault: ResolvedFault): Promise<void> {
  if (fault.kind === 'process') await cluster.nodeAction(fault.node, fault.nemesis === 'kill' ? 'start' : 'resume');
  else if (fault.kind === 'member') await cluster.removeMember(await leaving(cluster, fault));
  else await cluster.healAll();
}

/** Who a member fault removes, decided when it is undone: the leader of that moment, the newcomer, or a node. */
async function leaving(cluster: ClusterControl, fault: Extract<ResolvedFault, { kind: 'member' }>): Promise<string> {
  if (fault.leave === 'newcomer') return fault.join;
  const state = await cluster.state();
  const ids = state.nodes.map((n) => n.id);
  if (fault.leave.leader) return state.leader ?? fault.join;
  return ids.includes(fault.leave.node) ? fault.leave.node : fault.join;
}
