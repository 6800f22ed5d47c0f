import { describe, expect, it } from 'vitest';
import { checkRules, effectiveNode, makeDefinition, parseDefinition } from '../../core/workspace/definition.js';

const base = () => makeDefinition({ name: 'test', nodes: 3, basePort: 7000 });

describe('cluster definition', () => {
  it('makes consecutive peer/client port pairs', () => {
    const d = base();
    expect(d.nodes.map((n) => [n.id, n.peerPort, n.clientPort])).toEqual([
      ['n1', 7000, 7001],
      ['n2', 7002, 7003],
      ['n3', 7004, 7005],
    ]);
    expect(checkRules(d)).toEqual([]);
  });

  it('lets per-node values override the defaults', () => {
    const d = base();
    d.nodes[1] = { ...d.nodes[1]!, heartbeatMs: 50, electionTimeoutMs: 700, storage: 'memory' };
    expect(effectiveNode(d, 'n2')).toMatchObject({ heartbeatMs: 50, electionTimeoutMs: 700, storage: 'memory' });
    expect(effectiveNode(d, 'n1')).toMatchObject({ heartbeatMs: 100, electionTimeoutMs: 1000, storage: 'disk' });
  });

  it('names a duplicate node ID', () => {
    const d = base();
    d.nodes[2] = { ...d.nodes[2]!, id: 'n1' };
    expect(checkRules(d)).toContainEqual({ path: 'nodes[2].id', severity: 'error', message: 'Node ID "n1" is used twice; give every node its own ID.' });
  });

  it('names a duplicate port with both of its uses', () => {
    const d = base();
    d.nodes[1] = { ...d.nodes[1]!, clientPort: 7000 };
    const issue = checkRules(d).find((i) => i.path === 'nodes[1].clientPort');
    expect(issue?.message).toBe('Port 7000 is used twice (n1 peer port and n2 client port); give each port to one use only.');
  });

  it('refuses an election timeout not larger than the heartbeat, and warns under 5×', () => {
    const d = base();
    d.nodes[0] = { ...d.nodes[0]!, electionTimeoutMs: 100 };
    d.nodes[1] = { ...d.nodes[1]!, electionTimeoutMs: 300 };
    const issues = checkRules(d);
    expect(issues).toContainEqual(expect.objectContaining({ path: 'nodes[0].electionTimeoutMs', severity: 'error' }));
    expect(issues).toContainEqual(expect.objectContaining({ path: 'nodes[1].electionTimeoutMs', severity: 'warning' }));
    expect(issues.filter((i) => i.path.startsWith('nodes[2]'))).toEqual([]);
  });

  it('refuses an unparseable address and a bad ID', () => {
    const d = base();
    d.nodes[0] = { ...d.nodes[0]!, host: 'local host' };
    d.nodes[1] = { ...d.nodes[1]!, id: 'n 2' };
    const messages = checkRules(d).map((i) => i.message);
    expect(messages).toContain('"local host" is not a valid address for n1; use an IP address such as 127.0.0.1 or a host name.');
    expect(messages.some((m) => m.startsWith('Node ID "n 2" may only use letters'))).toBe(true);
  });

  it('turns schema errors into sentences in the operator\'s words, keeping the paths for the cells', () => {
    const { definition, issues } = parseDefinition({ name: 'x', nodes: [{ id: 'n1', host: '127.0.0.1', peerPort: 70000, clientPort: 'a' }] });
    expect(definition).toBeNull();
    expect(issues).toContainEqual({ path: 'nodes[0].peerPort', severity: 'error', message: "n1's peer port must be a whole number from 1 to 65535." });
    expect(issues).toContainEqual({ path: 'nodes[0].clientPort', severity: 'error', message: "n1's client port must be a whole number from 1 to 65535." });
  });

  it('never shows an internal path or a bare number in a sentence', () => {
    const { issues } = parseDefinition({
      name: '',
      defaults: { electionTimeoutMs: 1, heartbeatMs: 0.5, preVote: 'yes' },
      nodes: [{ id: '', host: '127.0.0.1', peerPort: 7000, clientPort: 7001, electionTimeoutMs: 'soon' }],
    });
    const byPath = new Map(issues.map((i) => [i.path, i.message]));
    expect(byPath.get('name')).toBe('Give the cluster a name.');
    expect(byPath.get('defaults.electionTimeoutMs')).toBe('The default election timeout (ms) must be at least 2.');
    expect(byPath.get('defaults.heartbeatMs')).toBe('The default heartbeat interval (ms) must be a whole number.');
    expect(byPath.get('defaults.preVote')).toBe('The default pre-vote setting must be true or false.');
    expect(byPath.get('nodes[0].electionTimeoutMs')).toBe("Node 1's election timeout (ms) must be a number.");
    for (const issue of issues) expect(issue.message).not.toMatch(/nodes\[|defaults\.|at least 1\.$/);
  });

  it('fills in missing defaults', () => {
    const { definition, issues } = parseDefinition({ name: 'x', nodes: [{ id: 'n1', host: '127.0.0.1', peerPort: 7000, clientPort: 7001 }] });
    expect(issues).toEqual([]);
    expect(definition?.defaults.electionTimeoutMs).toBe(1000);
    expect(definition?.defaults.preVote).toBe(true);
  });

  it('cuts a very long ID in its sentence', () => {
    const d = base();
    d.nodes[0] = { ...d.nodes[0]!, id: 'x'.repeat(200) };
    expect(checkRules(d).find((i) => i.path === 'nodes[0].id')?.message).toBe(
      `Node ID "${'x'.repeat(20)}…" (200 characters) may only use letters, digits, "-" and "_" (1 to 32 characters).`,
    );
  });

  it('needs at least one node', () => {
    const { issues } = parseDefinition({ name: 'x', nodes: [] });
    expect(issues.map((i) => i.message)).toContain('A cluster needs at least one node; add one.');
  });
});
