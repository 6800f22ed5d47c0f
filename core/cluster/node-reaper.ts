// The supervisor's side of the reaper (see reaper.ts): forks it, and tells it which node PIDs to
// kill should the supervisor die without stopping them.

import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { reaperEntry } from './entry-points.js';

export type ReaperMessage = { type: 'watch'; pid: number } | { type: 'unwatch'; pid: number };

export class NodeReaper {
  private child: ChildProcess | null = null;

  /** Forks the reaper (once). */
  start(): void {
    if (this.child) return;
    const { file, execArgv } = reaperEntry();
    const child = fork(file, [], { execArgv, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: { ...process.env } });
    child.on('error', () => undefined);
    child.on('exit', () => {
      if (this.child === child) this.child = null;
    });
    // The reaper must not keep a supervisor that is done from exiting.
    child.unref();
    child.channel?.unref();
    this.child = child;
  }

  watch(pid: number | null): void {
    if (pid !== null) this.send({ type: 'watch', pid });
  }

  unwatch(pid: number | null): void {
    if (pid !== null) this.send({ type: 'unwatch', pid });
  }

  /** Every node was stopped: the reaper exits when its channel closes, with nothing to kill. */
  stop(): void {
    const child = this.child;
    this.child = null;
    if (child?.connected) child.disconnect();
  }

  private send(message: ReaperMessage): void {
    if (this.child?.connected) this.child.send(message);
  }
}
