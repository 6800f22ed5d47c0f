// Breaking the cluster on purpose: process actions, network faults, partitions, heal.
// Every call reports what it did, or its error sentence, as a notice.

import type { ConsoleApi, Fault, NodeAction } from '../../core/api/index.js';
import { errorSentence } from './format.js';
import type { NoticeStore } from './notices.svelte.js';

export const PARTITION_GROUPS = ['A', 'B', 'C'] as const;
export type PartitionGroup = (typeof PARTITION_GROUPS)[number];

const ACTION_DONE: Record<NodeAction, string> = {
  start: 'Started',
  stop: 'Stopped',
  restart: 'Restarted',
  kill: 'Killed',
  pause: 'Paused',
  resume: 'Resumed',
};

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'partition':
      return `Partitioned into ${fault.groups.map((g) => `{${g.join(', ')}}`).join(' | ')}.`;
    case 'isolate':
      return `Isolated ${fault.node}.`;
    case 'cut':
      return `Cut ${fault.from} → ${fault.to}.`;
    case 'delay':
      return fault.ms === 0 ? `Removed the delay on ${fault.node}.` : `Delaying ${fault.node} by ${fault.ms} ± ${fault.jitterMs} ms.`;
    case 'loss':
      return fault.percent === 0 ? `Removed the loss on ${fault.node}.` : `Dropping ${fault.percent}% of ${fault.node}'s messages.`;
  }
}

function faultKey(fault: Fault): string {
  return fault.kind === 'partition' ? 'partition' : fault.kind === 'cut' ? `cut:${fault.from}:${fault.to}` : `${fault.kind}:${fault.node}`;
}

export class FaultsStore {
  /** Keys of calls in flight, e.g. "kill:n2", so their buttons show progress and cannot double-fire. */
  pending = $state.raw<ReadonlySet<string>>(new Set());
  /** Partition builder: node id → the group it is placed in (absent = in no group). */
  groups = $state.raw<Record<string, PartitionGroup>>({});
  /** Partition builder: chips selected for "move selected here". */
  picked = $state.raw<ReadonlySet<string>>(new Set());

  readonly partition: string[][] = $derived(
    PARTITION_GROUPS.map((g) => Object.keys(this.groups).filter((id) => this.groups[id] === g).sort()).filter((g) => g.length > 0),
  );
  /** A partition needs two groups; nodes in no group keep all their links. */
  readonly canPartition: boolean = $derived(this.partition.length >= 2);

  /** Keys of slider values waiting to settle or queued behind a call in flight (reactive). */
  settlingKeys = $state.raw<ReadonlySet<string>>(new Set());
  /** Settling faults by key: the timer of the last change, and the newest fault waiting for it. */
  private readonly settling = new Map<string, { timer: unknown; fault: Fault }>();
  /** The newest fault for a key whose call is still in flight: applied when it returns. */
  private readonly queued = new Map<string, Fault>();

  constructor(
    private readonly api: ConsoleApi,
    private readonly notices: NoticeStore,
    private readonly timers: { set: (run: () => void, ms: number) => unknown; clear: (timer: unknown) => void } = {
      set: (run, ms) => setTimeout(run, ms),
      clear: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
    },
  ) {}

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  nodeAction(node: string, action: NodeAction): Promise<void> {
    return this.run(`${action}:${node}`, () => this.api.nodeAction(node, action), `${ACTION_DONE[action]} ${node}.`);
  }

  apply(fault: Fault): Promise<void> {
    const key = faultKey(fault);
    if (this.pending.has(key)) {
      // Never lose a newer value: it is applied as soon as the call in flight returns.
      this.queued.set(key, fault);
      this.markSettling(key, true);
      return Promise.resolve();
    }
    return this.run(key, () => this.api.applyFault(fault), describeFault(fault)).then(() => {
      const next = this.queued.get(key);
      this.queued.delete(key);
      if (next) return this.apply(next);
      if (!this.settling.has(key)) this.markSettling(key, false);
    });
  }

  /**
   * A slider's value, applied once it has not changed for `settleMs`: a burst of arrow-key steps
   * becomes one fault (one call, one timeline event) carrying the last value.
   */
  applySettled(fault: Fault, settleMs = 400): void {
    const key = faultKey(fault);
    const before = this.settling.get(key);
    if (before) this.timers.clear(before.timer);
    const timer = this.timers.set(() => {
      const latest = this.settling.get(key);
      this.settling.delete(key);
      if (latest) void this.apply(latest.fault);
    }, settleMs);
    this.settling.set(key, { timer, fault });
    this.markSettling(key, true);
  }

  /** True while a slider's value waits to be applied or is being applied (e.g. key `delay:n2`). */
  isSettling(key: string): boolean {
    return this.settlingKeys.has(key) || this.pending.has(key);
  }

  private markSettling(key: string, on: boolean): void {
    const keys = new Set(this.settlingKeys);
    if (on) keys.add(key);
    else keys.delete(key);
    this.settlingKeys = keys;
  }

  /** Slow motion: the cluster itself runs `factor` times slower (1: normal speed). */
  setSlowMotion(factor: number): Promise<void> {
    return this.run('slow-motion', () => this.api.setSlowMotion(factor), factor === 1 ? 'Back to normal speed.' : `Slow motion: every node runs ${factor}× slower.`);
  }

  /** One-shot fault: `from` drops the next `count` messages it sends to `to`. */
  dropNext(from: string, to: string, count: number): Promise<void> {
    return this.run(`drop:${from}:${to}`, () => this.api.dropMessages(from, to, count), `${from} drops the next ${count} message${count === 1 ? '' : 's'} to ${to}.`);
  }

  async healAll(): Promise<void> {
    await this.run('heal', () => this.api.healAll(), 'Healed every partition, cut, delay and loss.');
    // The builder's groups describe a partition that no longer exists.
    this.clearPartitionPlan();
  }

  applyPartition(): Promise<void> {
    if (!this.canPartition) return Promise.resolve();
    return this.apply({ kind: 'partition', groups: this.partition });
  }

  place(node: string, group: PartitionGroup | null): void {
    const groups = { ...this.groups };
    if (group === null) delete groups[node];
    else groups[node] = group;
    this.groups = groups;
  }

  togglePicked(node: string): void {
    const picked = new Set(this.picked);
    if (picked.has(node)) picked.delete(node);
    else picked.add(node);
    this.picked = picked;
  }

  placePicked(group: PartitionGroup | null): void {
    for (const node of this.picked) this.place(node, group);
    this.picked = new Set();
  }

  clearPartitionPlan(): void {
    this.groups = {};
    this.picked = new Set();
  }

  private async run(key: string, call: () => Promise<void>, done: string): Promise<void> {
    if (this.pending.has(key)) return;
    this.pending = new Set([...this.pending, key]);
    try {
      await call();
      this.notices.info(done);
    } catch (error) {
      this.notices.error(errorSentence(error));
    } finally {
      const pending = new Set(this.pending);
      pending.delete(key);
      this.pending = pending;
    }
  }
}
