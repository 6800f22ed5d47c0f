// The last lines of a node's log file, and new lines as they are appended (polled: the files are
// small and polling works the same on every OS and filesystem).

import { promises as fs } from 'node:fs';

export async function lastLines(file: string, count: number, maxBytes = 256 * 1024): Promise<string[]> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - maxBytes);
    const buf = Buffer.alloc(size - start);
    await handle.read(buf, 0, buf.length, start);
    const lines = buf.toString('utf8').split('\n');
    if (start > 0) lines.shift(); // partial first line
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-count);
  } finally {
    await handle.close();
  }
}

/** Calls onLines with each batch of complete new lines; returns a stop function. */
export function followFile(file: string, onLines: (lines: string[]) => void, intervalMs = 300): () => void {
  let offset = -1;
  let partial = '';
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      // Open first, then stat the open file: a removed node's folder is renamed aside, and a file
      // that vanished between a stat and an open made the open reject, unhandled, and took the
      // whole console down (seen in the membership e2e test, 'ENOENT ... nodes/n3/node.log').
      const handle = await fs.open(file, 'r').catch(() => null);
      if (!handle) return;
      try {
        const stat = await handle.stat();
        if (offset < 0 || stat.size < offset) offset = offset < 0 ? stat.size : 0;
        if (stat.size === offset) return;
        const length = Math.min(stat.size - offset, 1024 * 1024);
        const buf = Buffer.alloc(length);
        await handle.read(buf, 0, length, offset);
        offset += length;
        const text = partial + buf.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        if (lines.length > 0) onLines(lines);
      } finally {
        await handle.close();
      }
    } finally {
      busy = false;
    }
  };
  // A log that cannot be read this time is read next time; it must never take the console down.
  const tick = () => void poll().catch(() => undefined);
  const timer = setInterval(tick, intervalMs);
  tick();
  return () => clearInterval(timer);
}
