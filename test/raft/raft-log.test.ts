import { describe, expect, it } from 'vitest';
import { RaftLog } from '../../core/raft/raft-log.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';
import { entry } from './harness.js';
import { votersConfState } from '../../core/raft/confchange.js';

/** A log whose stable part holds entries with these terms at indexes 1.. */
function logWithTerms(terms: number[]): RaftLog {
  const storage = new MemoryStorage();
  storage.append(terms.map((t, i) => entry(i + 1, t)));
  return new RaftLog(storage);
}

describe('RaftLog', () => {
  it('reads terms across the stable and unstable parts, undefined out of range', () => {
    const log = logWithTerms([1, 1, 2]);
    log.append([entry(4, 3)]);
    expect([0, 1, 3, 4, 5].map((i) => log.term(i))).toEqual([0, 1, 2, 3, undefined]);
    expect(log.lastIndex()).toBe(4);
    expect(log.lastTerm()).toBe(3);
  });

  it('copes with the storage being compacted between calls', () => {
    const storage = new MemoryStorage();
    storage.append([1, 1, 2, 2].map((t, i) => entry(i + 1, t)));
    const log = new RaftLog(storage);
    storage.compactTo({ metadata: { index: 2, term: 1, confState: votersConfState([]) }, data: new Uint8Array() });
    expect(log.firstIndex()).toBe(3);
    expect(log.term(1)).toBeUndefined();
    expect(log.term(2)).toBe(1);
    expect(log.slice(1, 5, 1 << 20)).toBeNull();
    expect(log.slice(3, 5, 1 << 20)!.map((e) => e.index)).toEqual([3, 4]);
  });

  it('slices within a byte limit, always at least one entry', () => {
    const log = logWithTerms([1, 1, 1, 1]);
    log.append([entry(5, 1), entry(6, 1)]);
    expect(log.slice(1, 7, 0)!.length).toBe(1);
    expect(log.slice(1, 7, 40)!.length).toBe(2);
    expect(log.slice(3, 7, 1 << 20)!.map((e) => e.index)).toEqual([3, 4, 5, 6]);
  });

  it.each([
    // prev (index, term) must match; conflicting entries are truncated; commit follows min(leaderCommit, lastNew).
    { name: 'append after a match', prev: [3, 2], entries: [[4, 2]], commit: 4, result: 4, log: [1, 1, 2, 2], committed: 4 },
    { name: 'no match at prev', prev: [3, 3], entries: [[4, 3]], commit: 4, result: undefined, log: [1, 1, 2], committed: 0 },
    { name: 'prev beyond the log', prev: [5, 2], entries: [], commit: 5, result: undefined, log: [1, 1, 2], committed: 0 },
    { name: 'conflict truncates the tail', prev: [1, 1], entries: [[2, 3]], commit: 9, result: 2, log: [1, 3], committed: 2 },
    { name: 'duplicate entries change nothing', prev: [1, 1], entries: [[2, 1]], commit: 1, result: 2, log: [1, 1, 2], committed: 1 },
    { name: 'commit capped at the last new entry', prev: [2, 1], entries: [], commit: 3, result: 2, log: [1, 1, 2], committed: 2 },
  ])('maybeAppend: $name', ({ prev, entries, commit, result, log: expectedTerms, committed }) => {
    const log = logWithTerms([1, 1, 2]);
    const got = log.maybeAppend(prev[0]!, prev[1]!, commit, entries.map(([i, t]) => entry(i!, t!)));
    expect(got).toBe(result);
    const terms: number[] = [];
    for (let i = 1; i <= log.lastIndex(); i++) terms.push(log.term(i)!);
    expect(terms).toEqual(expectedTerms);
    expect(log.committed).toBe(committed);
  });

  it('never overwrites a committed entry', () => {
    const log = logWithTerms([1, 1, 2]);
    log.commitTo(3);
    expect(() => log.append([entry(2, 5)])).toThrow(/committed/);
  });

  it.each([
    // The follower's terms: 1 1 1 4 4 5 5 6 6 6. Hint for a leader whose entry at `index` has `term`.
    { index: 10, term: 3, expected: { index: 3, term: 1 } },
    { index: 10, term: 4, expected: { index: 5, term: 4 } },
    { index: 10, term: 6, expected: { index: 10, term: 6 } },
    { index: 8, term: 5, expected: { index: 7, term: 5 } },
    { index: 0, term: 0, expected: { index: 0, term: 0 } },
  ])('findConflictByTerm($index, $term)', ({ index, term, expected }) => {
    const log = logWithTerms([1, 1, 1, 4, 4, 5, 5, 6, 6, 6]);
    expect(log.findConflictByTerm(index, term)).toEqual(expected);
  });

  it('commits only an entry of the given term (§5.4.2) and never moves back', () => {
    const log = logWithTerms([1, 2, 2]);
    expect(log.maybeCommit(1, 2)).toBe(false);
    expect(log.maybeCommit(3, 2)).toBe(true);
    expect(log.committed).toBe(3);
    log.commitTo(1);
    expect(log.committed).toBe(3);
  });

  it.each([
    { last: [3, 2], upToDate: true },
    { last: [2, 2], upToDate: false },
    { last: [1, 3], upToDate: true },
    { last: [9, 1], upToDate: false },
  ])('isUpToDate against a log ending at 3/2: candidate ending $last', ({ last, upToDate }) => {
    expect(logWithTerms([1, 2, 2]).isUpToDate(last[0]!, last[1]!)).toBe(upToDate);
  });
});
