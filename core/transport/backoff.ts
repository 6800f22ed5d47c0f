// Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with jitter so that nodes that lost
// each other at the same moment do not redial in lockstep. The delay is drawn from [d/2, d).

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly random: () => number,
    private readonly initialMs = 50,
    private readonly maxMs = 1000,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    if (ceiling < this.maxMs) this.attempt++;
    return ceiling / 2 + (this.random() * ceiling) / 2;
  }

  reset(): void {
    this.attempt = 0;
  }
}
