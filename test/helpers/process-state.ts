// A process as /proc shows it, for real-process tests on Linux.
import { readFileSync } from 'node:fs';

/** The process's state letter (R, S, T: stopped by a signal, Z: zombie), or null when it is gone (or not on Linux). */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] ?? null;
  } catch {
    return null;
  }
}
