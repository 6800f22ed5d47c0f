import type { Entry } from './types.js';

/** Bytes an entry counts for in size limits: its data plus a fixed allowance for its header.
 *  (The same rule as MemoryStorage's, so both sides of the log agree on what fits.) */
export function entrySize(entry: Entry): number {
  return entry.data.length + 16;
}

/** The longest prefix of `entries` within maxBytes, but always at least one entry so that a
 *  single large entry can still be sent. Returns `entries` itself when everything fits. */
export function limitSize(entries: Entry[], maxBytes: number): Entry[] {
  if (entries.length <= 1) return entries;
  let bytes = entrySize(entries[0]!);
  for (let i = 1; i < entries.length; i++) {
    bytes += entrySize(entries[i]!);
    if (bytes > maxBytes) return entries.slice(0, i);
  }
  return entries;
}

/** Application payload bytes only (what the uncommitted-bytes limit counts). */
export function payloadSize(entries: readonly Entry[]): number {
  let bytes = 0;
  for (const entry of entries) bytes += entry.data.length;
  return bytes;
}
