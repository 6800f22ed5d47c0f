// The reaper: a tiny process the supervisor forks beside its nodes. It holds an IPC channel to the
// supervisor and the PIDs of the nodes it runs; when the channel closes (the supervisor exited,
// crashed or was SIGKILLed) it SIGKILLs every node left. A node normally exits by itself when its
// own channel closes, but a paused (SIGSTOPped) node cannot run to notice: this process, which is
// never paused, does it. It ignores SIGINT and SIGTERM (a Ctrl-C reaches the whole process group,
// and the reaper must outlive the supervisor to do its job); it exits right after reaping.

import type { ReaperMessage } from './node-reaper.js';

const pids = new Set<number>();

process.on('message', (m: ReaperMessage) => {
  if (m.type === 'watch') pids.add(m.pid);
  else pids.delete(m.pid);
});

process.on('disconnect', () => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  process.exit(0);
});

process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
