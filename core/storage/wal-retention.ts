// Which files a WAL directory may drop after a snapshot. Pure, so that the rules are tested as tables.
//
// Replay from a snapshot at index I may start at any segment whose header says the log ended at or
// before I when the segment was created: nothing that segment's predecessors held above I can be
// part of the log any more. We keep the two newest snapshots, and keep segments back to the older of
// them, so that if the newest snapshot file is found unreadable recovery can still fall back.

export const RETAINED_SNAPSHOTS = 2;

/** Snapshot files (ascending by index) beyond the RETAINED_SNAPSHOTS newest. */
export function snapshotsToDrop<T extends { index: number }>(snapshots: readonly T[]): T[] {
  return snapshots.slice(0, Math.max(0, snapshots.length - RETAINED_SNAPSHOTS));
}

/** The snapshot index recovery may have to replay from: the oldest retained snapshot once there are
 *  enough, else 0 (no snapshot at all, which needs every segment from the first). */
export function fallbackIndex(snapshots: readonly { index: number }[]): number {
  return snapshots.length >= RETAINED_SNAPSHOTS ? snapshots[snapshots.length - RETAINED_SNAPSHOTS]!.index : 0;
}

/** How many leading segments (ascending by seq; each with the log's last index at its creation) are
 *  not needed to replay from a snapshot at `index`: those before the newest segment that started at
 *  or below it. The last segment (the one being written) is never among them. */
export function segmentsToDrop(segments: readonly { lastIndex: number }[], index: number): number {
  for (let i = segments.length - 1; i > 0; i--) {
    if (segments[i]!.lastIndex <= index) return i;
  }
  return 0;
}
