// The nodes' OS processes as a set: starting one and waiting until it says it is ready (or failed,
// or exited, or took too long), the operator's node actions (stop, restart, kill, pause, resume),
// telling a crash from a kill when a process exits, and killing every node if this process exits.

import type { ClusterDefinition } from '../api/cluster-definition.js';
import type { NodeAction } from '../api/faults.js';
import type { NodeToSupervisor } from '../node/ipc-protocol.js';
import { AutoRestart } from './auto-restart.js';
import type { EventLog } from './event-log.js';
import { NodeProcess } from './node-process.js';
import { NodeReaper } from './node-reaper.js';
import type { workspacePaths } from '../workspace/paths.js';
import { UserError } from '../workspace/user-error.js';

const START_TIMEOUT_MS = 30_000;

export interface NodeLifecycleEvents {
  onMessage(id: string, message: NodeToSupervisor): void;
  /** After a node's process exited and its exit was recorded. */
  onExit(id: string): void;
  /** Something the state snapshot shows changed. */
  onChange(): void;
}

export class NodeLifecycle {
  private readonly nodes = new Map<string, NodeProcess>();
  /** SIGKILLs the nodes, paused ones too, should this process die without stopping them. */
  private readonly reaper = new NodeReaper();
  private readonly readyWaiters = new Map<string, { resolve(): void; reject(e: Error): void }>();
  /** When each running node last said it was ready (a node that never was is not restarted). */
  private readonly readyAt = new Map<string, number>();
  private readonly autoRestart = new AutoRestart(
    (id) => (this.get(id).running ? Promise.resolve() : this.start(id)),
    (id, message) => this.events.add('fault', id, message, { action: 'auto-restart' }),
  );
  private readonly killAllOnExit = () => {
    for (const n of this.nodes.values()) n.killNow();
  };

  constructor(
    private readonly paths: ReturnType<typeof workspacePaths>,
    private readonly events: EventLog,
    private readonly on: NodeLifecycleEvents,
  ) {}

  /** One stopped process per node of the definition. */
  reset(definition: ClusterDefinition): void {
    this.nodes.clear();
    this.autoRestart.cancelAll();
    this.autoRestart.enabled = definition.defaults.autoRestart;
    for (const n of definition.nodes) this.nodes.set(n.id, new NodeProcess(n.id, this.paths.root, this.paths.nodeLog(n.id), this.reaper));
  }

  /** A process for a node added to the running cluster (stopped until start()). */
  add(id: string): void {
    if (this.nodes.has(id)) throw new UserError(`There is already a node "${id}".`);
    this.nodes.set(id, new NodeProcess(id, this.paths.root, this.paths.nodeLog(id), this.reaper));
    this.on.onChange();
  }

  /** Stops a removed node's process, if it runs, and forgets it. */
  async remove(id: string): Promise<void> {
    const node = this.get(id);
    if (node.running) await node.stop();
    this.nodes.delete(id);
    this.on.onChange();
  }

  ids(): string[] {
    return [...this.nodes.keys()];
  }

  all(): NodeProcess[] {
    return [...this.nodes.values()];
  }

  get size(): number {
    return this.nodes.size;
  }

  /** The node with that ID; a UserError naming the nodes there are if none has it. */
  get(id: string): NodeProcess {
    const n = this.nodes.get(id);
    if (!n) throw new UserError(`There is no node "${id}"; the nodes are ${this.ids().join(', ')}.`);
    return n;
  }

  /** Starts every node; resolves once all are ready, or rejects with the first failure. */
  async startAll(): Promise<void> {
    process.on('exit', this.killAllOnExit);
    this.reaper.start();
    await Promise.all(this.ids().map((id) => this.start(id)));
  }

  async stopAll(): Promise<void> {
    this.autoRestart.cancelAll();
    await Promise.all(this.all().map((n) => n.stop()));
    this.reaper.stop();
    process.off('exit', this.killAllOnExit);
  }

  /** Starts one node's process; resolves when it reports ready. */
  start(id: string): Promise<void> {
    const node = this.get(id);
    if (node.running) return Promise.resolve();
    this.autoRestart.cancel(id);
    this.readyAt.delete(id);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters.delete(id);
        reject(new UserError(`${id} did not start within ${START_TIMEOUT_MS / 1000} s; see ${this.paths.nodeLog(id)}.`));
      }, START_TIMEOUT_MS);
      this.readyWaiters.set(id, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
    node.start({
      onMessage: (m) => this.on.onMessage(id, m),
      onExit: (code, signal) => this.exited(id, code, signal),
    });
    this.on.onChange();
    return ready;
  }

  /** The node said it is ready: whoever waits for its start may go on. */
  ready(id: string): void {
    const node = this.get(id);
    if (node.state === 'starting') node.state = 'running';
    this.readyAt.set(id, Date.now());
    this.readyWaiters.get(id)?.resolve();
    this.readyWaiters.delete(id);
  }

  /** The node reported a fatal error: remember it and fail its start, if it is starting. */
  failed(id: string, message: string): void {
    this.get(id).lastError = message;
    this.readyWaiters.get(id)?.reject(new UserError(message));
    this.readyWaiters.delete(id);
  }

  async action(id: string, action: NodeAction): Promise<void> {
    const node = this.get(id);
    const refusal = refusalOf(node, action);
    // A refused action changes nothing: a restart pending for a crashed node stays pending.
    if (refusal) throw new UserError(refusal);
    this.autoRestart.cancel(id);
    switch (action) {
      case 'start':
        await this.start(id);
        return;
      case 'stop':
        this.events.add('fault', id, `Stopping ${id} (SIGTERM)`, { action });
        await node.stop();
        return;
      case 'restart':
        this.events.add('fault', id, `Restarting ${id}`, { action });
        await node.stop();
        await this.start(id);
        return;
      case 'kill':
        this.events.add('fault', id, `Killed ${id} (SIGKILL)`, { action, pid: node.pid });
        await node.kill();
        return;
      case 'pause':
        node.pause();
        this.events.add('fault', id, `Paused ${id} (SIGSTOP)`, { action, pid: node.pid });
        this.on.onChange();
        return;
      case 'resume':
        node.resume();
        this.events.add('fault', id, `Resumed ${id} (SIGCONT)`, { action, pid: node.pid });
        this.on.onChange();
        return;
    }
  }

  /** Resumes every paused node (part of healing the cluster). */
  resumeAll(): void {
    for (const node of this.nodes.values()) if (node.state === 'paused') node.resume();
  }

  private exited(id: string, code: number | null, signal: NodeJS.Signals | null): void {
    const node = this.get(id);
    const how = node.state === 'killed' ? 'was killed (SIGKILL)' : node.state === 'stopped' ? 'stopped' : `crashed (${signal ?? `exit code ${code}`})`;
    // `state` tells a crash from a kill or a stop without parsing the sentence (chaos checks it).
    this.events.add('node-exited', id, `${id} ${how}`, { code, signal, state: node.state });
    const waiter = this.readyWaiters.get(id);
    if (waiter) {
      waiter.reject(new UserError(node.lastError ?? `${id} exited while starting (${signal ?? `exit code ${code}`}); see ${this.paths.nodeLog(id)}.`));
      this.readyWaiters.delete(id);
    }
    const readyAt = this.readyAt.get(id);
    this.readyAt.delete(id);
    if (node.state === 'crashed' && readyAt !== undefined) this.autoRestart.crashed(id, Date.now() - readyAt);
    this.on.onExit(id);
    this.on.onChange();
  }
}

/** Why `action` cannot be done to the node as it is now, or null when it can. */
function refusalOf(node: NodeProcess, action: NodeAction): string | null {
  switch (action) {
    case 'start':
      return node.running ? `${node.id} is already running.` : null;
    case 'stop':
    case 'kill':
    case 'pause':
      return node.running ? null : `${node.id} is not running.`;
    case 'resume':
      return node.state === 'paused' ? null : `${node.id} is not paused.`;
    case 'restart':
      return null;
  }
}
