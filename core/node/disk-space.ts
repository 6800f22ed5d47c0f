// The space alarm (as etcd's NOSPACE alarm): a node watches the free space of the filesystem its
// data folder is on, and below a threshold it refuses new writes with `no-space` before the disk
// is full, so that no write ever fails half-way for lack of space. Reads and status go on; the
// alarm clears by itself once space is freed. The supervisor shows it and passes it to every node,
// so that the leader refuses writes when any node's disk is short.

import { promises as fs } from 'node:fs';

const CHECK_EVERY_MS = 1000;

/** Bytes available to this (unprivileged) process on the filesystem holding `dir`. */
export type FreeSpaceProbe = (dir: string) => Promise<number>;

export const statfsProbe: FreeSpaceProbe = async (dir) => {
  const s = await fs.statfs(dir);
  return s.bavail * s.bsize;
};

let probe: FreeSpaceProbe = statfsProbe;

/** The probe the node uses: statfs, unless a test's node entry swapped in another before the node
 *  started (test/helpers/free-space-node-main.ts), so that no filesystem has to fill up. */
export const freeSpaceProbe = (): FreeSpaceProbe => probe;

export function useFreeSpaceProbeForTests(p: FreeSpaceProbe): void {
  probe = p;
}

const mb = (bytes: number) => `${Math.max(0, Math.floor(bytes / (1024 * 1024)))} MB`;

export class DiskSpaceWatch {
  private timer: NodeJS.Timeout | null = null;
  private current: string | null = null;
  private checking = false;

  constructor(
    private readonly id: string,
    private readonly dir: string,
    private readonly minFreeBytes: number,
    private readonly probe: FreeSpaceProbe,
    private readonly onChange: (alarm: string | null) => void,
  ) {}

  /** The alarm sentence while space is short, else null. */
  get alarm(): string | null {
    return this.current;
  }

  /** Checks now, then every second. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const free = await this.probe(this.dir);
      const next =
        free < this.minFreeBytes
          ? `no space: ${this.id} has ${mb(free)} free for its data (${this.dir}), under the ${mb(this.minFreeBytes)} the cluster keeps in reserve; writes are refused until space is freed.`
          : null;
      if (next === null ? this.current !== null : this.current === null) {
        this.current = next;
        this.onChange(next);
      } else {
        this.current = next;
      }
    } catch {
      // statfs failing (EMFILE under a flood, say) changes nothing: the last reading stands.
    } finally {
      this.checking = false;
    }
  }
}
