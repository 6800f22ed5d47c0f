import { describe, expect, it } from 'vitest';
import { FaultModel, describeFault } from '../../core/cluster/fault-model.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('fault model', () => {
  it('partitions groups both ways and leaves links within a group', () => {
    const m = FaultModel.healthy().apply({ kind: 'partition', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] }, nodes);
    expect(m.isCut('n1', 'n3')).toBe(true);
    expect(m.isCut('n5', 'n2')).toBe(true);
    expect(m.isCut('n1', 'n2')).toBe(false);
    expect(m.isCut('n3', 'n4')).toBe(false);
    expect(m.nodeFaults('n1', nodes)).toEqual({ blockedTo: ['n3', 'n4', 'n5'], blockedFrom: ['n3', 'n4', 'n5'], delayMs: 0, jitterMs: 0, lossPercent: 0 });
  });

  it('cuts one way only', () => {
    const m = FaultModel.healthy().apply({ kind: 'cut', from: 'n1', to: 'n2' }, nodes);
    expect(m.nodeFaults('n1', nodes).blockedTo).toEqual(['n2']);
    expect(m.nodeFaults('n1', nodes).blockedFrom).toEqual([]);
    expect(m.nodeFaults('n2', nodes).blockedFrom).toEqual(['n1']);
    expect(m.nodeFaults('n2', nodes).blockedTo).toEqual([]);
  });

  it('isolates a node from all others', () => {
    const m = FaultModel.healthy().apply({ kind: 'isolate', node: 'n3' }, nodes);
    expect(m.nodeFaults('n3', nodes).blockedTo).toEqual(['n1', 'n2', 'n4', 'n5']);
    expect(m.nodeFaults('n1', nodes).blockedFrom).toEqual(['n3']);
    expect(m.isCut('n1', 'n2')).toBe(false);
  });

  it('is a value: apply returns a new model and leaves the old one alone', () => {
    const healthy = FaultModel.healthy();
    const delayed = healthy.apply({ kind: 'delay', node: 'n1', ms: 50, jitterMs: 10 }, nodes);
    expect(healthy.isHealthy()).toBe(true);
    expect(delayed.nodeFaults('n1', nodes)).toMatchObject({ delayMs: 50, jitterMs: 10, lossPercent: 0 });
    const lossy = delayed.apply({ kind: 'loss', node: 'n1', percent: 20 }, nodes);
    expect(lossy.nodeFaults('n1', nodes)).toMatchObject({ delayMs: 50, lossPercent: 20 });
    expect(lossy.apply({ kind: 'delay', node: 'n1', ms: 0, jitterMs: 0 }, nodes).apply({ kind: 'loss', node: 'n1', percent: 0 }, nodes).isHealthy()).toBe(true);
  });

  it('refuses unknown nodes, overlapping groups and bad values with a sentence', () => {
    const m = FaultModel.healthy();
    expect(() => m.apply({ kind: 'isolate', node: 'n9' }, nodes)).toThrow('There is no node "n9"; the nodes are n1, n2, n3, n4, n5.');
    expect(() => m.apply({ kind: 'partition', groups: [['n1'], ['n1', 'n2']] }, nodes)).toThrow(/two partition groups/);
    expect(() => m.apply({ kind: 'partition', groups: [['n1', 'n2']] }, nodes)).toThrow(/at least two/);
    expect(() => m.apply({ kind: 'loss', node: 'n1', percent: 101 }, nodes)).toThrow(/0 to 100/);
  });

  it('describes faults in one line', () => {
    expect(describeFault({ kind: 'partition', groups: [['n1'], ['n2', 'n3']] })).toBe('Partitioned the cluster into {n1} | {n2, n3}');
    expect(describeFault({ kind: 'cut', from: 'n1', to: 'n2' })).toBe('Cut the link n1 → n2 (one way)');
  });
});
