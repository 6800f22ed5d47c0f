// Nodes run on this machine: a host that is not one of its addresses is refused with a sentence that
// says so, instead of "port already in use" (or nothing until start).

import { describe, expect, it } from 'vitest';
import { makeDefinition } from '../../core/workspace/definition.js';
import { checkPortsFree } from '../../core/cluster/port-check.js';

describe('live validation of hosts', () => {
  it('says a foreign address is not this machine, and checks no port there', async () => {
    const definition = makeDefinition({ name: 'demo', nodes: 2, basePort: 47000 });
    definition.nodes[1]!.host = '192.0.2.1'; // TEST-NET-1: never an address of this machine
    const issues = await checkPortsFree(definition);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('nodes[1].host');
    expect(issues[0]!.message).toMatch(/^n2's host 192\.0\.2\.1 is not an address of this machine, and every node runs here; use 127\.0\.0\.1/);
  });

  it('accepts loopback addresses and localhost', async () => {
    const definition = makeDefinition({ name: 'demo', nodes: 2, basePort: 47010 });
    definition.nodes[0]!.host = 'localhost';
    definition.nodes[1]!.host = '127.0.0.2';
    expect((await checkPortsFree(definition)).filter((i) => i.path.endsWith('.host'))).toEqual([]);
  });
});
