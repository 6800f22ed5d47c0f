// Live updates arrive faster than a screen needs them. These helpers hand work to the next frame,
// so that a burst of pushes costs one render: the latest snapshot wins, and list items are batched.

export type Schedule = (run: () => void) => void;

/** The next animation frame in a browser; a 16 ms timer where there is none. */
export const nextFrame: Schedule = (run) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => run());
  else setTimeout(run, 16);
};

/** Keeps only the latest value offered before the scheduled flush, and applies it once. */
export function latestPerFrame<T>(apply: (value: T) => void, schedule: Schedule = nextFrame): (value: T) => void {
  let pending: { value: T } | null = null;
  return (value) => {
    const wasIdle = pending === null;
    pending = { value };
    if (!wasIdle) return;
    schedule(() => {
      const latest = pending;
      pending = null;
      if (latest) apply(latest.value);
    });
  };
}

/**
 * Collects items until the scheduled flush and applies them in order. At most `cap` items are kept
 * (the newest), so a hidden window that gets no frames does not grow without bound.
 */
export function batchPerFrame<T>(apply: (items: T[]) => void, cap: number, schedule: Schedule = nextFrame): (item: T) => void {
  let pending: T[] = [];
  return (item) => {
    const wasIdle = pending.length === 0;
    pending.push(item);
    if (pending.length > cap) pending.splice(0, pending.length - cap);
    if (!wasIdle) return;
    schedule(() => {
      const items = pending;
      pending = [];
      if (items.length > 0) apply(items);
    });
  };
}
