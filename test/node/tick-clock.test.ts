// The tick clock counts ticks by the clock, not by how often the timer ran: late timer runs deliver
// the ticks that came due (no drift), early runs none, and a long stall at most one burst.

import { describe, expect, it } from 'vitest';
import { TickClock } from '../../core/node/tick-clock.js';

function fakeClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TickClock', () => {
  it('delivers one tick per period however late each timer run is, with no drift', () => {
    const c = fakeClock();
    const clock = new TickClock(10, 10, c.now);
    let ticks = 0;
    // 100 timer runs, each 13 ms after the previous (a setInterval of 10 ms running late).
    for (let i = 0; i < 100; i++) {
      c.advance(13);
      ticks += clock.due();
    }
    expect(ticks).toBe(130);
  });

  it('delivers nothing on an early run and catches up on the next', () => {
    const c = fakeClock();
    const clock = new TickClock(10, 10, c.now);
    c.advance(4);
    expect(clock.due()).toBe(0);
    c.advance(6);
    expect(clock.due()).toBe(1);
    c.advance(25);
    expect(clock.due()).toBe(2);
    c.advance(5);
    expect(clock.due()).toBe(1);
  });

  it('caps the burst after a stall and drops the rest, then keeps time again', () => {
    const c = fakeClock();
    const clock = new TickClock(10, 10, c.now);
    c.advance(5000);
    expect(clock.due()).toBe(10);
    expect(clock.due()).toBe(0);
    c.advance(10);
    expect(clock.due()).toBe(1);
  });

  it('refuses a clock that could never tick', () => {
    expect(() => new TickClock(0, 10)).toThrow(/positive tick length/);
    expect(() => new TickClock(10, 0)).toThrow(/positive tick length/);
  });
});
