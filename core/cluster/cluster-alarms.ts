// The space alarms the nodes raise (see core/node/disk-space.ts). Any node's alarm is passed on to
// every node, so that the leader refuses writes while some follower's disk is short as well (the
// cluster-wide alarm of etcd); it clears when the node reports space again, or exits.

export class ClusterAlarms {
  private readonly byNode = new Map<string, string>();

  constructor(private readonly passOn: (message: string | null) => void) {}

  /** A node raised (message) or cleared (null) its alarm; returns whether anything changed. */
  set(id: string, message: string | null): boolean {
    const before = this.combined();
    const had = this.byNode.get(id) ?? null;
    if (message === null) this.byNode.delete(id);
    else this.byNode.set(id, message);
    if (this.combined() !== before) this.passOn(this.combined());
    return had !== message;
  }

  of(id: string): string | null {
    return this.byNode.get(id) ?? null;
  }

  /** The alarm every node should act on: the first raised, or null. */
  combined(): string | null {
    return this.byNode.values().next().value ?? null;
  }
}
