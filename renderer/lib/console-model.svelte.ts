// Everything the console shows, wired to one ConsoleApi. Components receive the stores they need;
// this class owns the subscriptions and the few pieces of UI state several views share.

import type { ConsoleApi, Unsubscribe } from '../../core/api/index.js';
import { ClusterStore } from './cluster.svelte.js';
import type { ConnectionSource, ConnectionStatus } from './connection.js';
import { ExperimentStore } from './experiments.svelte.js';
import { FaultsStore } from './faults.svelte.js';
import { MembersStore } from './members.svelte.js';
import { MessagesStore } from './messages.svelte.js';
import { errorSentence } from './format.js';
import type { Schedule } from './frame-batch.js';
import { LogsStore } from './logs.svelte.js';
import { MetricsStore } from './metrics.svelte.js';
import { NodeOutputStore } from './node-output.svelte.js';
import { NoticeStore } from './notices.svelte.js';
import { ReplayStore } from './replay.svelte.js';
import { SetupStore } from './setup.svelte.js';
import { SubmitStore } from './submit.svelte.js';
import { TimelineStore } from './timeline.svelte.js';
import { WorkspaceStore } from './workspaces.svelte.js';

export type View = 'setup' | 'cluster' | 'logs' | 'experiments' | 'runs';

export const VIEWS: readonly { id: View; label: string; key: string }[] = [
  { id: 'setup', label: 'Setup', key: '1' },
  { id: 'cluster', label: 'Cluster', key: '2' },
  { id: 'logs', label: 'Logs', key: '3' },
  { id: 'experiments', label: 'Experiments', key: '4' },
  { id: 'runs', label: 'Runs', key: '5' },
];

export class ConsoleModel {
  readonly notices = new NoticeStore();
  readonly cluster: ClusterStore;
  readonly timeline: TimelineStore;
  readonly metrics: MetricsStore;
  readonly output: NodeOutputStore;
  readonly logs: LogsStore;
  readonly setup: SetupStore;
  readonly submit: SubmitStore;
  readonly faults: FaultsStore;
  readonly members: MembersStore;
  readonly messages: MessagesStore;
  readonly experiments: ExperimentStore;
  readonly workspaces: WorkspaceStore;
  /** A recorded run being replayed: while one is open, the views show its moment instead of the live cluster. */
  readonly replay: ReplayStore;

  view = $state<View>('setup');
  selectedNode = $state<string | null>(null);
  helpOpen = $state(false);
  connectionStatus = $state.raw<ConnectionStatus>({ state: 'open', retryAt: null });
  /** False while the console server cannot be reached: what is shown may be stale, and nothing can be done. */
  readonly live: boolean = $derived(this.connectionStatus.state === 'open');

  constructor(
    readonly api: ConsoleApi,
    private readonly connection: ConnectionSource,
    schedule?: Schedule,
  ) {
    this.cluster = new ClusterStore(api, schedule);
    this.timeline = new TimelineStore(api, schedule);
    this.metrics = new MetricsStore(api);
    this.output = new NodeOutputStore(api, schedule);
    this.logs = new LogsStore(api);
    this.setup = new SetupStore(api);
    // Lease reads are offered where the cluster's settings allow them (the draft is the saved
    // definition while the cluster runs: the setup view is locked then).
    this.submit = new SubmitStore(api, () => this.setup.draft?.defaults.leaseReads === true);
    this.faults = new FaultsStore(api, this.notices);
    this.members = new MembersStore(api, this.notices);
    this.messages = new MessagesStore(api);
    this.experiments = new ExperimentStore(api);
    this.workspaces = new WorkspaceStore(api, () => this.reloadWorkspace());
    this.replay = new ReplayStore(api, { cluster: this.cluster, timeline: this.timeline, metrics: this.metrics, logs: this.logs });
    this.connectionStatus = connection.current();
  }

  /** Subscribes to everything and loads the first data; the returned function undoes it all. */
  start(): Unsubscribe {
    const unsubscribes = [
      this.cluster.connect(),
      this.timeline.connect(),
      this.metrics.connect(),
      this.output.connect(),
      this.experiments.connect(),
      this.messages.connect(),
      // Output, submit outcomes and charts belong to one cluster run: a new run starts clean.
      this.api.onEvent((event) => {
        if (event.kind === 'cluster-started') this.clearRunData();
      }),
      this.connection.subscribe((status) => {
        const recovered = this.connectionStatus.state !== 'open' && status.state === 'open';
        this.connectionStatus = status;
        // Events pushed while the socket was down are only in the server's history.
        if (recovered) void this.timeline.load();
      }),
    ];
    void this.initialLoad();
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
      this.setup.dispose();
    };
  }

  private async initialLoad(): Promise<void> {
    await Promise.all([this.setup.load(), this.timeline.load(), this.workspaces.refresh()]);
    this.workspaces.current = this.setup.workspace;
    if (this.setup.workspace?.running) this.view = 'cluster';
  }

  private clearRunData(): void {
    this.output.clear();
    this.submit.clear();
    this.metrics.clear();
  }

  private async reloadWorkspace(): Promise<void> {
    this.selectedNode = null;
    // Another workspace's runs are not this one's.
    this.replay.close();
    this.replay.list = { runs: [], traceMaxMb: 0, tracesBytes: 0 };
    this.clearRunData();
    this.faults.clearPartitionPlan();
    await this.setup.load();
    this.view = this.setup.workspace?.running ? 'cluster' : 'setup';
  }

  async startCluster(): Promise<void> {
    if (await this.setup.start()) {
      this.view = 'cluster';
      this.notices.info('Cluster starting.');
      return;
    }
    // Started from the header, the form may be out of sight: bring it up, say why, focus the problem.
    const problems = this.setup.errorCount;
    if (problems > 0) {
      this.view = 'setup';
      this.setup.requestFocusOnIssue();
      this.notices.error(`The cluster cannot start: the setup has ${problems} ${problems === 1 ? 'problem' : 'problems'} to fix, marked in red.`);
    } else if (this.setup.error) {
      this.notices.error(this.setup.error);
    }
  }

  async stopCluster(): Promise<void> {
    try {
      await this.api.stopCluster();
      this.notices.info('Cluster stopped.');
    } catch (error) {
      this.notices.error(errorSentence(error));
    }
  }

  /** Moves the node selection by `step` around the ring. */
  selectBy(step: number): void {
    const ids = this.cluster.nodes.map((n) => n.id);
    if (ids.length === 0) return;
    const at = this.selectedNode === null ? -1 : ids.indexOf(this.selectedNode);
    const from = at === -1 ? (step > 0 ? -1 : 0) : at;
    this.selectedNode = ids[(from + step + ids.length) % ids.length];
  }
}
