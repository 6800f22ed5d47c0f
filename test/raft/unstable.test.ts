import { describe, expect, it } from 'vitest';
import { Unstable } from '../../core/raft/unstable.js';
import { entry } from './harness.js';
import { votersConfState } from '../../core/raft/confchange.js';

function indexes(u: Unstable): string[] {
  return u.entries.map((e) => `${e.index}/${e.term}`);
}

describe('Unstable (the not-yet-persisted tail)', () => {
  it('appends contiguously and knows the terms it holds', () => {
    const u = new Unstable(5);
    u.truncateAndAppend([entry(5, 1), entry(6, 1)]);
    u.truncateAndAppend([entry(7, 2)]);
    expect(indexes(u)).toEqual(['5/1', '6/1', '7/2']);
    expect(u.maybeLastIndex()).toBe(7);
    expect(u.maybeTerm(7)).toBe(2);
    expect(u.maybeTerm(4)).toBeUndefined();
    expect(u.maybeTerm(8)).toBeUndefined();
  });

  it('replaces a conflicting tail', () => {
    const u = new Unstable(5);
    u.truncateAndAppend([entry(5, 1), entry(6, 1), entry(7, 1)]);
    u.truncateAndAppend([entry(6, 3)]);
    expect(indexes(u)).toEqual(['5/1', '6/3']);
  });

  it('replaces everything (and shadows stable entries) when the new entries start before it', () => {
    const u = new Unstable(5);
    u.truncateAndAppend([entry(5, 1)]);
    u.truncateAndAppend([entry(3, 4), entry(4, 4)]);
    expect(indexes(u)).toEqual(['3/4', '4/4']);
    expect(u.offset).toBe(3);
  });

  it('hands entries out once, and takes back the part a truncation invalidated', () => {
    const u = new Unstable(1);
    u.truncateAndAppend([entry(1, 1), entry(2, 1), entry(3, 1)]);
    expect(u.nextEntries().map((e) => e.index)).toEqual([1, 2, 3]);
    u.acceptInProgress();
    expect(u.hasNextEntries()).toBe(false);
    u.truncateAndAppend([entry(3, 2)]);
    expect(u.nextEntries().map((e) => `${e.index}/${e.term}`)).toEqual(['3/2']);
  });

  it('stableTo drops persisted entries, unless they were replaced meanwhile', () => {
    const u = new Unstable(1);
    u.truncateAndAppend([entry(1, 1), entry(2, 1), entry(3, 1)]);
    u.acceptInProgress();
    u.stableTo(2, 1);
    expect(indexes(u)).toEqual(['3/1']);
    expect(u.offset).toBe(3);
    u.truncateAndAppend([entry(3, 2)]);
    u.stableTo(3, 1);
    expect(indexes(u)).toEqual(['3/2']);
  });

  it('restore replaces everything with a snapshot that defines the first index', () => {
    const u = new Unstable(1);
    u.truncateAndAppend([entry(1, 1)]);
    u.restore({ metadata: { index: 10, term: 3, confState: votersConfState(['a']) }, data: new Uint8Array() });
    expect(u.entries).toEqual([]);
    expect(u.maybeFirstIndex()).toBe(11);
    expect(u.maybeLastIndex()).toBe(10);
    expect(u.maybeTerm(10)).toBe(3);
    expect(u.hasNextSnapshot()).toBe(true);
    u.acceptInProgress();
    expect(u.hasNextSnapshot()).toBe(false);
    u.stableSnapTo(10);
    expect(u.snapshot).toBeNull();
  });
});
