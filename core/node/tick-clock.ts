// Raft counts time in ticks, and a node drives them from a timer. Node's setInterval schedules each
// run from when the previous one ran, so every late run (a busy event loop, a CPU shared with other
// processes) pushes all later ticks back: on the 2-core development machine under load, 10 ms ticks
// ran 20–80 % slow, which stretched a 1,000 ms election timeout to 1.8–3 s of real time, and a slow
// leader clock is exactly what a lease read must not have.
//
// This clock counts ticks by the monotonic clock instead, as Go's time.Ticker (etcd's) does: each
// timer run delivers every tick that came due since the last one, but at most `maxBurst` at once;
// ticks beyond that (a process stopped or starved for longer) are dropped, as a Ticker drops the
// ticks a slow receiver missed, so that a node back from a stall first reads what its peers sent it
// before it can time out many ticks at once.

export class TickClock {
  private nextDue: number;

  constructor(
    private readonly tickMs: number,
    private readonly maxBurst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(tickMs > 0) || !(maxBurst >= 1)) throw new Error(`A tick clock needs a positive tick length and burst, not ${tickMs} ms and ${maxBurst}.`);
    this.nextDue = this.now() + tickMs;
  }

  /** The ticks to deliver now (0 when the timer ran early). */
  due(): number {
    const now = this.now();
    if (now < this.nextDue) return 0;
    const elapsed = Math.floor((now - this.nextDue) / this.tickMs) + 1;
    this.nextDue += elapsed * this.tickMs;
    return Math.min(elapsed, this.maxBurst);
  }
}
