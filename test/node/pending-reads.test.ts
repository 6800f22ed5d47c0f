// The node's linearizable reads: answered only once confirmed by the leader AND applied up to the
// read index; dropped loudly (never answered from stale state) when leadership changes or time runs out.

import { describe, expect, it } from 'vitest';
import { PendingReads, type ReadWaiter } from '../../core/node/pending-reads.js';

function waiter(log: string[], name: string): ReadWaiter {
  return { ready: (index) => log.push(`${name} read@${index}`), reject: (e) => log.push(`${name} ${e.message}`) };
}

const gone = () => new Error('gone');

describe('PendingReads', () => {
  it('answers a confirmed read only once the node has applied up to its index', () => {
    const log: string[] = [];
    const reads = new PendingReads(1000);
    const ctx = reads.add([waiter(log, 'a'), waiter(log, 'b')], 0);
    reads.applied(10);
    expect(log).toEqual([]);
    reads.confirm([{ index: 12, context: ctx }], 10);
    expect(log).toEqual([]);
    reads.applied(11);
    expect(log).toEqual([]);
    reads.applied(12);
    expect(log).toEqual(['a read@12', 'b read@12']);
    expect(reads.size).toBe(0);
  });

  it('answers at once when the node has already applied the read index', () => {
    const log: string[] = [];
    const reads = new PendingReads(1000);
    const ctx = reads.add([waiter(log, 'a')], 0);
    reads.confirm([{ index: 5, context: ctx }], 7);
    expect(log).toEqual(['a read@5']);
  });

  it('keeps requests apart by context, and ignores a confirmation it no longer waits for', () => {
    const log: string[] = [];
    const reads = new PendingReads(1000);
    const first = reads.add([waiter(log, 'a')], 0);
    const second = reads.add([waiter(log, 'b')], 0);
    reads.confirm([{ index: 3, context: second }, { index: 3, context: 99 }], 3);
    expect(log).toEqual(['b read@3']);
    reads.confirm([{ index: 3, context: second }], 3);
    expect(log).toEqual(['b read@3']);
    reads.confirm([{ index: 3, context: first }], 3);
    expect(log).toEqual(['b read@3', 'a read@3']);
  });

  it('rejects unconfirmed reads when leadership changes, but keeps confirmed ones', () => {
    const log: string[] = [];
    const reads = new PendingReads(1000);
    const confirmed = reads.add([waiter(log, 'a')], 0);
    reads.add([waiter(log, 'b')], 0);
    reads.confirm([{ index: 9, context: confirmed }], 1);
    reads.dropUnconfirmed(gone);
    expect(log).toEqual(['b gone']);
    reads.applied(9);
    expect(log).toEqual(['b gone', 'a read@9']);
  });

  it('times reads out, confirmed or not', () => {
    const log: string[] = [];
    const reads = new PendingReads(100);
    const ctx = reads.add([waiter(log, 'a')], 0);
    reads.add([waiter(log, 'b')], 50);
    reads.confirm([{ index: 9, context: ctx }], 1);
    reads.expire(120, gone);
    expect(log).toEqual(['a gone']);
    reads.expire(150, gone);
    expect(log).toEqual(['a gone', 'b gone']);
    reads.applied(9);
    expect(log).toEqual(['a gone', 'b gone']);
  });
});
