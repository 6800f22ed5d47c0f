// The cluster the views show: the latest live ClusterState snapshot (replaced whole at most once per
// frame) or, while a recorded run is being replayed, the snapshot of that past moment; everything
// the views read is derived from whichever is shown, so the ring and cards need no replay mode.

import type { ClusterState, ConsoleApi, LinkView, NodeStatus, Unsubscribe } from '../../core/api/index.js';
import { leaderOf, linkKey, networkStates, replicationOf, type NetworkState } from './cluster-view.js';
import { latestPerFrame, type Schedule } from './frame-batch.js';

export class ClusterStore {
  /** The newest live snapshot; never mutated, only replaced. */
  live = $state.raw<ClusterState | null>(null);
  /** A past moment of a recorded run (set by the replay), shown instead of the live snapshot. */
  past = $state.raw<ClusterState | null>(null);
  /** What the views show. */
  readonly state: ClusterState | null = $derived(this.past ?? this.live);
  /** True while the views show a recorded moment rather than the running cluster. */
  readonly replaying: boolean = $derived(this.past !== null);
  /** How many snapshots were applied (not offered): what coalescing saves is visible here. */
  applied = $state(0);

  readonly nodes: NodeStatus[] = $derived(this.state?.nodes ?? []);
  readonly running: boolean = $derived(this.state?.running ?? false);
  /** Whether actions make sense: the live cluster runs and is what is shown (not a replayed moment). */
  readonly canAct: boolean = $derived(!this.replaying && (this.live?.running ?? false));
  readonly leaderId: string | null = $derived(leaderOf(this.state));
  readonly leader: NodeStatus | null = $derived(this.nodes.find((n) => n.id === this.leaderId) ?? null);
  readonly term: number = $derived(this.state?.term ?? 0);
  readonly replication = $derived(replicationOf(this.state, this.leaderId));
  readonly links: ReadonlyMap<string, LinkView> = $derived(new Map((this.state?.links ?? []).map((l) => [linkKey(l), l])));
  readonly network: ReadonlyMap<string, NetworkState> = $derived(networkStates(this.nodes, this.state?.links ?? []));

  constructor(
    private readonly api: ConsoleApi,
    private readonly schedule?: Schedule,
  ) {}

  /** Subscribes to state pushes; a burst between two frames costs one update. */
  connect(): Unsubscribe {
    const offer = latestPerFrame<ClusterState>((state) => {
      this.live = state;
      this.applied++;
    }, this.schedule);
    return this.api.onState(offer);
  }
}
