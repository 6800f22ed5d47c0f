// One node's OS process: fork, signals, and the IPC channel. Kill is SIGKILL and pause is SIGSTOP:
// faults are real. The child's stdout/stderr go to its log file so a crash leaves its trace there.

import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcessState } from '../api/cluster-state.js';
import type { NodeReport, NodeToSupervisor, SupervisorToNode } from '../node/ipc-protocol.js';
import { nodeEntry } from './entry-points.js';
import type { NodeReaper } from './node-reaper.js';
import { workspacePaths } from '../workspace/paths.js';

export interface NodeProcessEvents {
  onMessage(message: NodeToSupervisor): void;
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
}

/**
 * V8's heap sizing for node processes. Its defaults suit a browser tab: a young generation of two
 * 16 MiB semi-spaces and an old generation left at up to 4× what survived the last full collection.
 * A node's live heap is about 20 MiB, so after a minute of load a leader kept 180–200 MiB resident
 * (new space 32 MiB, old space 66 MiB committed for 19 used). With 4 MiB semi-spaces and an old
 * generation grown by half its live size, every node stays at 95–110 MiB after the same load, with no
 * measurable change in CPU per write (DEVELOPERS.md, "Node memory"). RAFTDESK_NODE_V8_FLAGS adds flags
 * after these (the last of a flag wins), to try others.
 */
export const NODE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=50'];

export class NodeProcess {
  private child: ChildProcess | null = null;
  state: ProcessState = 'stopped';
  pid: number | null = null;
  startedAt: number | null = null;
  report: NodeReport | null = null;
  /** The last report of any of this node's processes, kept across exits: a down node's last known indexes. */
  lastReport: NodeReport | null = null;
  lastError: string | null = null;
  /** Set when we sent SIGKILL ourselves, to tell a kill from a crash. */
  private killedOnPurpose = false;

  constructor(
    readonly id: string,
    private readonly workspace: string,
    private readonly logFile: string,
    /** Kills this node should the supervisor die without stopping it (see reaper.ts). */
    private readonly reaper: NodeReaper | null = null,
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  start(events: NodeProcessEvents): void {
    if (this.child) throw new Error(`${this.id} is already running.`);
    mkdirSync(path.dirname(this.logFile), { recursive: true });
    const out = openSync(this.logFile, 'a', 0o600);
    const { file, execArgv } = nodeEntry();
    // For profiling a real cluster: every node writes a .cpuprofile there when it exits.
    const profileDir = process.env.RAFTDESK_NODE_PROFILE_DIR;
    if (profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    execArgv.push(...NODE_V8_FLAGS, ...(process.env.RAFTDESK_NODE_V8_FLAGS ?? '').split(' ').filter(Boolean));
    let child: ChildProcess;
    try {
      child = fork(file, ['--workspace', this.workspace, '--id', this.id], {
        // Each node in a process group of its own: when the group a supervisor runs in is orphaned
        // (the shell that started `nohup raftdesk up &` exits, a script's subshell ends) while a node
        // is paused, the kernel sends that group SIGHUP and SIGCONT, which killed the paused node
        // (seen in a chaos soak). A node still exits when its IPC channel closes, and the reaper
        // kills paused ones, so it cannot outlive its supervisor. Not on Windows, where it would
        // open a console window and where there is no SIGSTOP.
        detached: process.platform !== 'win32',
        env: { ...process.env },
        execArgv,
        stdio: ['ignore', out, out, 'ipc'],
        serialization: 'advanced',
      });
    } finally {
      closeSync(out);
    }
    this.child = child;
    this.killedOnPurpose = false;
    this.state = 'starting';
    this.pid = child.pid ?? null;
    const pidFile = workspacePaths(this.workspace).nodePid(this.id);
    const pid = this.pid;
    if (pid !== null) {
      this.reaper?.watch(pid);
      // For `up` and `down` after a supervisor died with its reaper (see leftover-nodes.ts).
      writeFileSync(pidFile, `${pid}\n`, { mode: 0o600 });
    }
    this.startedAt = Date.now();
    this.report = null;
    this.lastError = null;
    child.on('message', (m) => events.onMessage(m as NodeToSupervisor));
    child.on('error', (e) => {
      this.lastError = e.message;
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.reaper?.unwatch(pid);
      rmSync(pidFile, { force: true });
      this.child = null;
      this.pid = null;
      this.startedAt = null;
      this.state = this.killedOnPurpose || signal === 'SIGKILL' ? 'killed' : code === 0 || signal === 'SIGTERM' ? 'stopped' : 'crashed';
      events.onExit(code, signal);
    });
  }

  send(message: SupervisorToNode): void {
    if (this.child?.connected) this.child.send(message);
  }

  /** SIGKILL: the process dies at once, losing whatever it had not persisted. Resolves once it is gone. */
  kill(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    this.killedOnPurpose = true;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    return gone;
  }

  pause(): void {
    if (!this.child || this.state === 'paused') return;
    this.child.kill('SIGSTOP');
    this.state = 'paused';
  }

  resume(): void {
    if (!this.child || this.state !== 'paused') return;
    this.child.kill('SIGCONT');
    this.state = 'running';
  }

  /** SIGTERM, then SIGKILL if the process has not exited after graceMs. Resolves once it is gone. */
  stop(graceMs = 3000): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      // A paused process cannot handle SIGTERM until it runs again.
      if (this.state === 'paused') child.kill('SIGCONT');
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        this.killedOnPurpose = true;
        child.kill('SIGKILL');
      }, graceMs);
      child.once('exit', () => clearTimeout(timer));
    });
  }

  /** Last resort on supervisor exit: synchronous, no waiting. */
  killNow(): void {
    if (!this.child) return;
    try {
      if (this.state === 'paused') this.child.kill('SIGCONT');
      this.child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
