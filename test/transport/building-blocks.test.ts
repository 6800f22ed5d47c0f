import { describe, expect, it } from 'vitest';
import { Backoff } from '../../core/transport/backoff.js';
import { FaultFilter, NO_FAULTS } from '../../core/transport/fault-filter.js';
import { OnceLog } from '../../core/transport/once-log.js';
import { SendQueue } from '../../core/transport/send-queue.js';

/** A random source that replays `values` in a loop. */
function scripted(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('SendQueue', () => {
  it('takes the oldest messages up to a byte budget, and at least one', () => {
    const q = new SendQueue();
    for (const size of [3, 4, 5, 10]) q.push(new Uint8Array(size));
    expect(q.take(8).map((m) => m.length)).toEqual([3, 4]);
    expect(q.take(2).map((m) => m.length)).toEqual([5]);
    expect(q.bytes).toBe(10);
    expect(q.take(100).map((m) => m.length)).toEqual([10]);
    expect(q.length).toBe(0);
  });

  it('keeps FIFO order across many pushes and takes', () => {
    const q = new SendQueue();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      q.push(Uint8Array.of(i % 256));
      if (i % 3 === 0) out.push(...q.take(2).map((m) => m[0]!));
    }
    out.push(...q.take(1e9).map((m) => m[0]!));
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i % 256));
  });

  it('clear reports what it discarded', () => {
    const q = new SendQueue();
    q.push(new Uint8Array(1));
    q.push(new Uint8Array(2));
    expect(q.clear()).toBe(2);
    expect([q.length, q.bytes]).toEqual([0, 0]);
  });
});

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap, drawing in [d/2, d)', () => {
    const low = new Backoff(scripted(0), 50, 1000);
    expect(Array.from({ length: 8 }, () => low.next())).toEqual([25, 50, 100, 200, 400, 500, 500, 500]);
    const high = new Backoff(scripted(0.999), 50, 1000);
    const draws = Array.from({ length: 8 }, () => high.next());
    expect(draws.every((d, i) => d < Math.min(1000, 50 * 2 ** i) && d > 0.99 * Math.min(1000, 50 * 2 ** i))).toBe(true);
  });

  it('starts over after reset', () => {
    const b = new Backoff(scripted(0), 50, 1000);
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(25);
  });
});

describe('FaultFilter', () => {
  it('blocks chosen peers per direction and heals', () => {
    const f = new FaultFilter(scripted(0.5));
    f.set({ ...NO_FAULTS, blockedTo: ['n2'], blockedFrom: ['n3'] });
    expect([f.isBlockedTo('n2'), f.isBlockedTo('n3'), f.isBlockedFrom('n3'), f.isBlockedFrom('n2')]).toEqual([true, false, true, false]);
    f.set(NO_FAULTS);
    expect([f.isBlockedTo('n2'), f.isBlockedFrom('n3')]).toEqual([false, false]);
  });

  it('loses a message when the draw falls under the loss percentage', () => {
    const f = new FaultFilter(scripted(0.1, 0.3, 0.29, 0.9));
    f.set({ ...NO_FAULTS, lossPercent: 30 });
    expect([f.shouldLose(), f.shouldLose(), f.shouldLose(), f.shouldLose()]).toEqual([true, false, true, false]);
    f.set({ ...NO_FAULTS, lossPercent: 0 });
    expect(f.shouldLose()).toBe(false);
  });

  it('draws delays in delay ± jitter, never negative, and 0 without delay', () => {
    const f = new FaultFilter(scripted(0, 0.5, 0.75));
    expect(f.nextDelayMs()).toBe(0);
    f.set({ ...NO_FAULTS, delayMs: 100, jitterMs: 40 });
    expect([f.nextDelayMs(), f.nextDelayMs(), f.nextDelayMs()]).toEqual([60, 100, 120]);
    f.set({ ...NO_FAULTS, delayMs: 10, jitterMs: 40 });
    expect(f.nextDelayMs()).toBe(0);
  });

  it('clamps nonsense to a valid range', () => {
    const f = new FaultFilter(scripted(0));
    expect(f.set({ blockedTo: [], blockedFrom: [], delayMs: -5, jitterMs: Number.NaN, lossPercent: 250 })).toEqual({ ...NO_FAULTS, lossPercent: 100 });
  });
});

describe('OnceLog', () => {
  it('says yes once per (subject, reason) until the subject is forgotten', () => {
    const log = new OnceLog();
    expect([log.first('n2', 'bad'), log.first('n2', 'bad'), log.first('n2', 'worse'), log.first('n3', 'bad')]).toEqual([true, false, true, true]);
    log.forget('n2');
    expect([log.first('n2', 'bad'), log.first('n3', 'bad')]).toEqual([true, false]);
  });

  it('stays bounded under a flood of subjects', () => {
    const log = new OnceLog();
    for (let i = 0; i < 5000; i++) log.first(`10.0.${i >> 8}.${i & 255}`, 'handshake');
    // Bounded means it forgot the oldest: the first subject is new again.
    expect(log.first('10.0.0.0', 'handshake')).toBe(true);
  });
});
