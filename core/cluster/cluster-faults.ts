// The network faults the operator put in force, and pushing them to the nodes that enforce them.
// Every node gets its own view (what it must drop, delay or lose) whenever the faults change and
// whenever it (re)starts, so a restarted node keeps honouring a cut.

import type { NodeFaults } from '../api/cluster-state.js';
import type { Fault } from '../api/faults.js';
import { FaultModel } from './fault-model.js';
import type { NodeProcess } from './node-process.js';
import { UserError } from '../workspace/user-error.js';

export class ClusterFaults {
  private model = FaultModel.healthy();

  constructor(private readonly nodeIds: () => string[]) {}

  /** Applies a fault on top of those in force; throws a UserError naming what is wrong with it. */
  apply(fault: Fault): void {
    try {
      this.model = this.model.apply(fault, this.nodeIds());
    } catch (e) {
      throw new UserError((e as Error).message);
    }
  }

  heal(): void {
    this.model = FaultModel.healthy();
  }

  forNode(id: string): NodeFaults {
    return this.model.nodeFaults(id, this.nodeIds());
  }

  isCut(from: string, to: string): boolean {
    return this.model.isCut(from, to);
  }

  /** Tells one node what it must enforce now. */
  sendTo(node: NodeProcess): void {
    node.send({ type: 'set-faults', faults: this.forNode(node.id) });
  }
}
