import { describe, expect, it } from 'vitest';
import { Inflights } from '../../core/raft/inflights.js';

describe('Inflights (the in-flight window)', () => {
  it('fills up to its capacity and refuses more', () => {
    const w = new Inflights(3);
    w.add(1);
    w.add(2);
    expect(w.full()).toBe(false);
    w.add(3);
    expect(w.full()).toBe(true);
    expect(() => w.add(4)).toThrow(/full/);
  });

  it('frees every message at or below an acknowledged index', () => {
    const w = new Inflights(5);
    for (const i of [2, 4, 6, 8]) w.add(i);
    w.freeLE(5);
    expect(w.count()).toBe(2);
    w.freeLE(5);
    expect(w.count()).toBe(2);
    w.freeLE(100);
    expect(w.count()).toBe(0);
  });

  it('wraps around its ring buffer', () => {
    const w = new Inflights(3);
    w.add(1);
    w.add(2);
    w.add(3);
    w.freeLE(2);
    w.add(4);
    w.add(5);
    expect(w.full()).toBe(true);
    w.freeLE(4);
    expect(w.count()).toBe(1);
    w.freeLE(5);
    expect(w.count()).toBe(0);
  });

  it('freeFirstOne releases exactly the oldest message', () => {
    const w = new Inflights(3);
    w.add(10);
    w.add(20);
    w.freeFirstOne();
    expect(w.count()).toBe(1);
    w.freeLE(19);
    expect(w.count()).toBe(1);
  });

  it('rejects a capacity below one', () => {
    expect(() => new Inflights(0)).toThrow(RangeError);
  });
});
