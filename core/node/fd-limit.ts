// The process's file-descriptor limit. Node raises its soft limit to the hard limit by itself at
// startup (on POSIX), so this is the most a node can open; the connection limits are sized from it.

import { readFileSync } from 'node:fs';

/** The soft "Max open files" limit of this process, or null where it cannot be read (not Linux). */
export function openFileLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (!soft || soft === 'unlimited') return null;
    const n = Number(soft);
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}
