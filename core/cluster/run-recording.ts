// Records a cluster run while it runs: the supervisor's snapshots (structure changes at once, index
// progress at most every PROGRESS_MS), every event and metrics sample, the logs' tails when they
// moved, and the messages the nodes logged. Started by the supervisor with the cluster, closed with it.

import type { ClusterEvent, ClusterState, MetricsSample, NodeLogView } from '../api/cluster-state.js';
import { linkMessageTime, type MessageBatch } from '../api/messages.js';
import type { TraceClientOp } from '../api/traces.js';
import { progressKey, structureKey } from '../trace/state-change.js';
import { TraceRecorder } from './trace-recorder.js';
import { runIdAt } from './trace-files.js';

const PROGRESS_MS = 250;
const LOGS_MS = 1000;
/** The rows the console's Logs view shows (renderer/lib/logs.svelte.ts LOG_ROWS). */
export const RECORDED_LOG_ROWS = 40;

export interface RecordingSources {
  onState(listener: (state: ClusterState) => void): () => void;
  onEvent(listener: (event: ClusterEvent) => void): () => void;
  onMetrics(listener: (sample: MetricsSample) => void): () => void;
  /** The cluster's message stream (paired messages); subscribing keeps it polling the nodes. */
  onMessages?(listener: (batch: MessageBatch) => void): () => void;
  readLogs(limit: number): Promise<NodeLogView[]>;
  state(): ClusterState;
}

export class RunRecording {
  private unsubscribes: (() => void)[] = [];
  private lastStructure = '';
  private lastProgress = '';
  private pendingState: ClusterState | null = null;
  private logsProgress = '';
  private readingLogs = false;
  private timers: NodeJS.Timeout[] = [];

  private constructor(
    private readonly recorder: TraceRecorder,
    private readonly sources: RecordingSources,
  ) {}

  get runDir(): string {
    return this.recorder.runDir;
  }

  /** Starts recording into runsDir/<start time>/; null when maxBytes is 0 (recording off). */
  static async start(runsDir: string, cluster: string, maxBytes: number, sources: RecordingSources, onError: (message: string) => void): Promise<RunRecording | null> {
    if (maxBytes <= 0) return null;
    const now = Date.now();
    const state = sources.state();
    const recorder = await TraceRecorder.open({
      runsDir,
      maxBytes,
      meta: { id: runIdAt(now), cluster, nodes: state.nodes.map((n) => n.id), startedAt: now },
      onError,
    });
    const recording = new RunRecording(recorder, sources);
    recording.subscribe();
    recording.onState(state);
    return recording;
  }

  private subscribe(): void {
    const { sources, recorder } = this;
    this.unsubscribes.push(
      sources.onState((state) => this.onState(state)),
      sources.onEvent((event) => {
        recorder.add({ k: 'event', at: event.at, event });
        // The snapshot as of the event (a node that exited is shown down at the moment its exit is
        // on the timeline), rather than the coalesced one that follows 50 ms later.
        this.onState(sources.state(), event.at);
      }),
      sources.onMetrics((sample) => recorder.add({ k: 'metrics', at: sample.at, sample })),
    );
    if (sources.onMessages) {
      this.unsubscribes.push(sources.onMessages((batch) => {
        for (const m of batch.messages) recorder.add({ k: 'msg', at: linkMessageTime(m), m });
      }));
    }
    const progress = setInterval(() => this.recordPending(), PROGRESS_MS);
    const logs = setInterval(() => void this.sampleLogs(), LOGS_MS);
    progress.unref();
    logs.unref();
    this.timers.push(progress, logs);
  }

  private onState(state: ClusterState, at = state.at): void {
    const structure = structureKey(state);
    if (structure !== this.lastStructure) {
      this.record(state, structure, at);
      return;
    }
    if (progressKey(state) !== this.lastProgress) this.pendingState = state;
  }

  private recordPending(): void {
    if (this.pendingState) this.record(this.pendingState, structureKey(this.pendingState));
  }

  private record(state: ClusterState, structure: string, at = state.at): void {
    this.lastStructure = structure;
    this.lastProgress = progressKey(state);
    this.pendingState = null;
    this.recorder.add({ k: 'state', at, state });
  }

  private async sampleLogs(): Promise<void> {
    if (this.readingLogs || this.lastProgress === this.logsProgress) return;
    this.readingLogs = true;
    const progress = this.lastProgress;
    try {
      const views = await this.sources.readLogs(RECORDED_LOG_ROWS);
      this.logsProgress = progress;
      this.recorder.add({ k: 'logs', at: Date.now(), views });
    } catch {
      // A node that cannot answer is marked unavailable in the views; a failed round is tried again.
    } finally {
      this.readingLogs = false;
    }
  }

  /** A client operation (made through the console), placed at its start. */
  recordOp(op: TraceClientOp): void {
    this.recorder.add({ k: 'op', at: op.startAt, op });
  }

  /** Records the final snapshot and closes the trace. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.unsubscribes = [];
    const state = this.sources.state();
    this.recorder.add({ k: 'state', at: state.at, state });
    await this.recorder.close();
  }
}
