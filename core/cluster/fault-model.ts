// The network faults in force, as one immutable value: which directed links are cut and how each
// node's outbound traffic is slowed or thinned. apply() returns a new model; nodeFaults() says what
// one node's transport must enforce. Both ends of a cut link drop it, so a cut holds even while one
// end restarts.

import type { NodeFaults } from '../api/cluster-state.js';
import type { Fault } from '../api/faults.js';

export interface Shaping {
  delayMs: number;
  jitterMs: number;
  lossPercent: number;
}

const NO_SHAPING: Shaping = { delayMs: 0, jitterMs: 0, lossPercent: 0 };

export class FaultModel {
  private constructor(
    /** "from→to" for every cut directed link. */
    readonly cuts: ReadonlySet<string>,
    readonly shaping: ReadonlyMap<string, Shaping>,
  ) {}

  static healthy(): FaultModel {
    return new FaultModel(new Set(), new Map());
  }

  isHealthy(): boolean {
    return this.cuts.size === 0 && this.shaping.size === 0;
  }

  isCut(from: string, to: string): boolean {
    return this.cuts.has(`${from}→${to}`);
  }

  /** The model after a fault; throws with one sentence if the fault names unknown nodes. */
  apply(fault: Fault, nodes: readonly string[]): FaultModel {
    const known = (id: string) => {
      if (!nodes.includes(id)) throw new Error(`There is no node "${id}"; the nodes are ${nodes.join(', ')}.`);
      return id;
    };
    const cuts = new Set(this.cuts);
    const shaping = new Map(this.shaping);
    switch (fault.kind) {
      case 'partition': {
        const groups = fault.groups.map((g) => g.map(known));
        const seen = new Set<string>();
        for (const g of groups) for (const n of g) {
          if (seen.has(n)) throw new Error(`Node ${n} is in two partition groups; put each node in one group.`);
          seen.add(n);
        }
        if (groups.filter((g) => g.length > 0).length < 2) throw new Error('A partition needs at least two non-empty groups.');
        groups.forEach((a, i) =>
          groups.forEach((b, j) => {
            if (i === j) return;
            for (const x of a) for (const y of b) cuts.add(`${x}→${y}`);
          }),
        );
        break;
      }
      case 'isolate': {
        const n = known(fault.node);
        for (const other of nodes) if (other !== n) {
          cuts.add(`${n}→${other}`);
          cuts.add(`${other}→${n}`);
        }
        break;
      }
      case 'cut':
        if (known(fault.from) === known(fault.to)) throw new Error('A link joins two different nodes; pick another node.');
        cuts.add(`${fault.from}→${fault.to}`);
        break;
      case 'delay': {
        const n = known(fault.node);
        if (!(fault.ms >= 0 && fault.ms <= 60_000 && fault.jitterMs >= 0 && fault.jitterMs <= 60_000)) throw new Error('A delay must be between 0 and 60000 ms.');
        const next = { ...(shaping.get(n) ?? NO_SHAPING), delayMs: fault.ms, jitterMs: fault.jitterMs };
        setShaping(shaping, n, next);
        break;
      }
      case 'loss': {
        const n = known(fault.node);
        if (!(fault.percent >= 0 && fault.percent <= 100)) throw new Error('Loss is a percentage from 0 to 100.');
        setShaping(shaping, n, { ...(shaping.get(n) ?? NO_SHAPING), lossPercent: fault.percent });
        break;
      }
    }
    return new FaultModel(cuts, shaping);
  }

  /** What node `id`'s transport must enforce. */
  nodeFaults(id: string, nodes: readonly string[]): NodeFaults {
    const shaping = this.shaping.get(id) ?? NO_SHAPING;
    return {
      blockedTo: nodes.filter((n) => n !== id && this.isCut(id, n)),
      blockedFrom: nodes.filter((n) => n !== id && this.isCut(n, id)),
      ...shaping,
    };
  }
}

function setShaping(map: Map<string, Shaping>, node: string, value: Shaping): void {
  if (value.delayMs === 0 && value.jitterMs === 0 && value.lossPercent === 0) map.delete(node);
  else map.set(node, value);
}

/** One line for the timeline. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'partition':
      return `Partitioned the cluster into ${fault.groups.map((g) => `{${g.join(', ')}}`).join(' | ')}`;
    case 'isolate':
      return `Isolated ${fault.node} from every other node`;
    case 'cut':
      return `Cut the link ${fault.from} → ${fault.to} (one way)`;
    case 'delay':
      return fault.ms === 0 ? `Removed the delay on ${fault.node}` : `Delayed ${fault.node}'s messages by ${fault.ms} ± ${fault.jitterMs} ms`;
    case 'loss':
      return fault.percent === 0 ? `Removed message loss on ${fault.node}` : `Dropping ${fault.percent}% of ${fault.node}'s messages`;
  }
}
