// Optional (defaults.autoRestart, off by default): the supervisor starts again a node that crashed
// on its own — never one the operator killed, stopped or paused, and never one that failed before
// it was ever ready (a port in use or lost data will not go away by retrying). Crashes in a row
// wait longer each time (1 s, 2 s, 4 s ... up to 30 s); a node that stayed up a minute starts over.

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
const STABLE_MS = 60_000;

export class AutoRestart {
  enabled = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inARow = new Map<string, number>();

  constructor(
    private readonly restart: (id: string) => Promise<void>,
    private readonly note: (id: string, message: string) => void,
  ) {}

  /** A node that had been up for upMs crashed on its own. */
  crashed(id: string, upMs: number): void {
    if (!this.enabled) return;
    const count = upMs < STABLE_MS ? (this.inARow.get(id) ?? 0) + 1 : 1;
    this.inARow.set(id, count);
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (count - 1));
    this.cancel(id);
    this.note(id, `Restarting ${id} in ${delay / 1000} s (auto-restart is on; crash ${count} in a row)`);
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        this.restart(id).catch((e: Error) => this.note(id, `Auto-restart of ${id} failed: ${e.message}`));
      }, delay),
    );
  }

  /** The operator acted on the node (or the cluster stops): no restart is pending any more. */
  cancel(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  cancelAll(): void {
    for (const id of [...this.timers.keys()]) this.cancel(id);
  }
}
