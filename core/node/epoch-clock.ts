// Epoch milliseconds with sub-millisecond resolution that line up across the processes of one
// machine. The message log stamps every send and receive with it, and the console orders the
// messages of different nodes by those stamps: a reply stamped before its request would be shown
// first. `performance.timeOrigin + performance.now()` is not good enough for that: Node reads the
// monotonic clock and then the wall clock once each at process start (src/node_perf.cc), and a
// process preempted between those two reads (a node started on a busy machine) carries the pause as
// an offset for its whole life. The e2e election test once saw, on the busy test machine, every
// reply of one node listed before its request, in three rounds in a row: a constant offset larger
// than a round trip, as such a pause would give.
//
// So the offset is measured at the edge of the wall clock's millisecond: spin until Date.now()
// changes, read the monotonic clock at once. The estimate is never above the true offset (any delay
// between the edge and the read lowers it), so the highest of a few samples is the closest.

/** The two clocks read (injectable for tests): epoch ms, whole milliseconds; monotonic ms. */
export interface ClockSources {
  wallNow(): number;
  monotonicNow(): number;
}

const SYSTEM: ClockSources = { wallNow: () => Date.now(), monotonicNow: () => performance.now() };

/** Measures wall minus monotonic at `samples` millisecond edges; the highest estimate is the closest. */
export function measureEpochOffset(sources: ClockSources = SYSTEM, samples = 5): number {
  let best = -Infinity;
  for (let i = 0; i < samples; i++) {
    const start = sources.wallNow();
    let edge: number;
    while ((edge = sources.wallNow()) === start);
    best = Math.max(best, edge - sources.monotonicNow());
  }
  return best;
}

let processOffset: number | null = null;

/** Epoch ms on the monotonic clock, aligned to the wall clock within microseconds (measured once per process, costing ≤ 5 ms). */
export function epochNow(): number {
  processOffset ??= measureEpochOffset();
  return processOffset + performance.now();
}
