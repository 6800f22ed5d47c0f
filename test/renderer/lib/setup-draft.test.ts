import { describe, expect, it } from 'vitest';
import {
  appendNode,
  applyPreset,
  definitionFromDraft,
  draftFromDefinition,
  indexIssues,
  leaseDriftBound,
  localIssues,
  removeNode,
  setDefaultsField,
  setNodeField,
} from '../../../renderer/lib/setup-draft.js';
import { checkRules, makeDefinition as realDefinition } from '../../../core/workspace/definition.js';
import { makeDefinition } from '../fixtures.js';

describe('setup draft', () => {
  it('round-trips a definition, overrides included', () => {
    const definition = makeDefinition(3);
    definition.nodes[1] = { ...definition.nodes[1], heartbeatMs: 50, storage: 'memory' };
    expect(definitionFromDraft(draftFromDefinition(definition))).toEqual(definition);
  });

  it('keeps the leaseReads setting: on stays on, absent stays absent, and it can be switched', () => {
    const on = makeDefinition(3);
    on.defaults = { ...on.defaults, leaseReads: true };
    const draft = draftFromDefinition(on);
    expect(draft.defaults.leaseReads).toBe(true);
    expect(definitionFromDraft(draft)).toEqual(on);
    const absent = makeDefinition(3);
    expect(draftFromDefinition(absent).defaults.leaseReads).toBe(false);
    expect('leaseReads' in definitionFromDraft(draftFromDefinition(absent)).defaults).toBe(false);
    const off = makeDefinition(3);
    off.defaults = { ...off.defaults, leaseReads: false };
    expect(definitionFromDraft(draftFromDefinition(off)).defaults.leaseReads ?? false).toBe(false);
    expect(definitionFromDraft(setDefaultsField(draftFromDefinition(absent), 'leaseReads', true)).defaults.leaseReads).toBe(true);
  });

  it('states the clock-drift bound a lease assumes for the draft\'s timings', () => {
    const draft = draftFromDefinition(makeDefinition(3));
    expect(leaseDriftBound(draft)).toBeCloseTo(1 / 9);
    expect(leaseDriftBound(setDefaultsField(draft, 'electionTimeoutMs', '500'))).toBeCloseTo(1 / 4);
    expect(leaseDriftBound(setDefaultsField(draft, 'heartbeatMs', ''))).toBeNull();
    expect(leaseDriftBound(setDefaultsField(draft, 'electionTimeoutMs', '100'))).toBeNull();
  });

  it('treats an empty override as inheriting and an empty required number as NaN', () => {
    let draft = draftFromDefinition(makeDefinition(2));
    draft = setNodeField(draft, 0, 'electionTimeoutMs', '1500');
    draft = setNodeField(draft, 1, 'peerPort', '');
    const definition = definitionFromDraft(draft);
    expect(definition.nodes[0].electionTimeoutMs).toBe(1500);
    expect('heartbeatMs' in definition.nodes[0]).toBe(false);
    expect(definition.nodes[1].peerPort).toBeNaN();
    expect(localIssues(draft)).toEqual([{ path: 'nodes[1].peerPort', severity: 'error', message: 'Peer port is empty; enter a number.' }]);
  });

  it('resizes to a preset keeping every existing row, IDs, ports and overrides included', () => {
    let draft = draftFromDefinition(makeDefinition(3));
    draft = setNodeField(draft, 0, 'id', 'alpha');
    draft = setNodeField(draft, 1, 'electionTimeoutMs', '1500');
    const five = applyPreset(draft, 5);
    expect(five.nodes.slice(0, 3)).toEqual(draft.nodes);
    expect(five.nodes.map((n) => n.id)).toEqual(['alpha', 'n2', 'n3', 'n4', 'n5']);
    expect(five.defaults).toBe(draft.defaults);
    expect(applyPreset(five, 3).nodes).toEqual(draft.nodes);
  });

  // `raftdesk init` interleaves peer and client ports (7000/7001, 7002/7003, …): growing such a
  // table must never hand a new row a port an existing row already uses.
  it.each([3, 5, 7])('never produces a port clash: init layout grown to %i nodes, then + Add node', (n) => {
    const init = realDefinition({ name: 'demo', nodes: 3, basePort: 7000 });
    const draft = appendNode(applyPreset(draftFromDefinition(init), n));
    const definition = definitionFromDraft(draft);
    expect(definition.nodes).toHaveLength(n + 1);
    expect(checkRules(definition).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('appends a row with the next free id and ports above every port in use, and removes rows', () => {
    const draft = removeNode(draftFromDefinition(makeDefinition(3)), 1);
    expect(draft.nodes.map((n) => n.id)).toEqual(['n1', 'n3']);
    const added = appendNode(draft);
    expect(added.nodes[2]).toMatchObject({ id: 'n4', peerPort: '8004', clientPort: '8005', heartbeatMs: '' });
  });

  it('indexes issues by the cell they belong to and keeps the rest general', () => {
    const draft = draftFromDefinition(makeDefinition(2));
    const index = indexIssues(draft, [], [
      { path: 'nodes[1].peerPort', severity: 'error', message: 'Peer port 7001 is used by n1; choose another.' },
      { path: 'defaults.electionTimeoutMs', severity: 'warning', message: 'Election timeout should be at least 10 heartbeats.' },
      { path: 'nodes', severity: 'error', message: 'A cluster needs at least one node.' },
      { path: 'nodes[1]', severity: 'error', message: 'Node IDs must be unique.' },
    ]);
    expect(index.byPath.get('nodes[1].peerPort')?.[0].message).toBe('Peer port 7001 is used by n1; choose another.');
    expect(index.byPath.get('defaults.electionTimeoutMs')?.[0].severity).toBe('warning');
    expect(index.byPath.get('nodes[1]')).toHaveLength(1);
    expect(index.general.map((i) => i.path)).toEqual(['nodes']);
  });

  it('drops an API issue that repeats a local one', () => {
    const draft = setNodeField(draftFromDefinition(makeDefinition(1)), 0, 'clientPort', '');
    const local = localIssues(draft);
    const index = indexIssues(draft, local, [...local]);
    expect(index.byPath.get('nodes[0].clientPort')).toHaveLength(1);
  });
});

describe('the recorded runs bound (defaults.traceMaxMb)', () => {
  it('shows the default when cluster.json does not say, and writes it only when changed', () => {
    const definition = makeDefinition(3);
    const draft = draftFromDefinition(definition);
    expect(draft.defaults.traceMaxMb).toBe('256');
    expect('traceMaxMb' in definitionFromDraft(draft).defaults).toBe(false);
    expect(definitionFromDraft(setDefaultsField(draft, 'traceMaxMb', '64')).defaults.traceMaxMb).toBe(64);
    expect(definitionFromDraft(setDefaultsField(draft, 'traceMaxMb', '0')).defaults.traceMaxMb).toBe(0);
    expect(draftFromDefinition({ ...definition, defaults: { ...definition.defaults, traceMaxMb: 32 } }).defaults.traceMaxMb).toBe('32');
  });
});
