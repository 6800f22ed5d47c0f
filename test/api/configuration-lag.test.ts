import { describe, expect, it } from 'vitest';
import type { NodeStatus } from '../../core/api/cluster-state.js';
import { configurationLags } from '../../core/api/configuration-lag.js';

function node(id: string, state: NodeStatus['state'], index: number | null): NodeStatus {
  return { id, state, appliedConfiguration: index === null ? null : { index, voters: ['n1', 'n2', 'n3'], learners: [] } } as NodeStatus;
}

describe('configurationLags', () => {
  it('names each running node whose applied configuration is older than the newest, with both indexes', () => {
    const lags = configurationLags([node('n1', 'running', 12), node('n2', 'running', 12), node('n3', 'running', 8)]);
    expect([...lags]).toEqual([['n3', { applied: 8, newest: 12 }]]);
  });

  it('names nobody when every running node has applied the same configuration', () => {
    expect(configurationLags([node('n1', 'running', 0), node('n2', 'running', 0)]).size).toBe(0);
  });

  it('ignores nodes that are down or have not reported, and does not measure others against them', () => {
    const lags = configurationLags([node('n1', 'running', 5), node('n2', 'killed', 9), node('n3', 'running', null), node('n4', 'paused', 2)]);
    expect(lags.size).toBe(0);
  });
});
