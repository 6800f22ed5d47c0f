import { describe, expect, it } from 'vitest';
import { committedIndex, majority, voteResult } from '../../core/raft/quorum.js';

describe('quorum arithmetic', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
    [7, 4],
  ])('majority of %i voters is %i', (voters, expected) => {
    expect(majority(voters)).toBe(expected);
  });

  it.each([
    { matches: [5], committed: 5 },
    { matches: [1, 2, 3], committed: 2 },
    { matches: [3, 2, 1], committed: 2 },
    { matches: [7, 7, 0], committed: 7 },
    { matches: [9, 0, 0], committed: 0 },
    { matches: [4, 8, 6, 2, 9], committed: 6 },
    { matches: [1, 1, 1, 5], committed: 1 },
  ])('committed index of $matches is $committed', ({ matches, committed }) => {
    expect(committedIndex(matches, [])).toBe(committed);
  });

  it('reuses its scratch array without disturbing the input', () => {
    const matches = [3, 1, 2];
    const scratch = [99, 98, 97, 96];
    expect(committedIndex(matches, scratch)).toBe(2);
    expect(matches).toEqual([3, 1, 2]);
  });

  const voters = ['a', 'b', 'c', 'd', 'e'];
  it.each([
    { votes: {}, result: 'pending' },
    { votes: { a: true, b: true }, result: 'pending' },
    { votes: { a: true, b: true, c: true }, result: 'won' },
    { votes: { a: true, b: false, c: false }, result: 'pending' },
    { votes: { a: false, b: false, c: false }, result: 'lost' },
    { votes: { a: true, b: false, c: false, d: false }, result: 'lost' },
    { votes: { a: true, b: true, x: true }, result: 'pending' },
  ])('5 voters with $votes: $result', ({ votes, result }) => {
    expect(voteResult(voters, new Map(Object.entries(votes)))).toBe(result);
  });
});
