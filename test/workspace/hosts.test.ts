// Hosts in cluster.json: nodes listen on loopback unless the operator says otherwise, loudly; and a
// port used twice is caught however its host is spelled.

import { describe, expect, it } from 'vitest';
import { checkRules, hasErrors, makeDefinition } from '../../core/workspace/definition.js';

function withHosts(hosts: string[], allowRemoteHosts = false, ports?: number[]) {
  const d = makeDefinition({ name: 't', nodes: hosts.length, basePort: 7000, defaults: { allowRemoteHosts } });
  d.nodes.forEach((n, i) => {
    n.host = hosts[i]!;
    if (ports) {
      n.peerPort = ports[2 * i]!;
      n.clientPort = ports[2 * i + 1]!;
    }
  });
  return checkRules(d);
}

describe('hosts beyond loopback', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20', 'build-box.example.com'])('refuses %s unless allowRemoteHosts is set, with a sentence', (host) => {
    const issues = withHosts(['127.0.0.1', host, '127.0.0.1']);
    expect(hasErrors(issues)).toBe(true);
    const issue = issues.find((i) => i.path === 'nodes[1].host')!;
    expect(issue.severity).toBe('error');
    expect(issue.message).toMatch(new RegExp(`^n2's host ${host.replace(/\./g, '\\.')} (listens on every network interface|is not a loopback address), so other machines (can|may) reach its ports; use 127\\.0\\.0\\.1, or set defaults\\.allowRemoteHosts to true`));

    const allowed = withHosts(['127.0.0.1', host, '127.0.0.1'], true);
    expect(hasErrors(allowed)).toBe(false);
    expect(allowed.find((i) => i.path === 'nodes[1].host')!.severity).toBe('warning');
  });

  it.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1'])('accepts the loopback host %s without a word', (host) => {
    expect(withHosts([host]).filter((i) => i.path.endsWith('.host'))).toEqual([]);
  });
});

describe('a port used twice', () => {
  it('is caught behind localhost and 127.0.0.1', () => {
    const issues = withHosts(['127.0.0.1', 'localhost'], false, [7000, 7001, 7002, 7001]);
    expect(issues.find((i) => i.path === 'nodes[1].clientPort')?.message).toBe('Port 7001 is used twice (n1 client port and n2 client port); give each port to one use only.');
  });

  it('is caught behind a wildcard host', () => {
    const issues = withHosts(['127.0.0.1', '0.0.0.0'], true, [7000, 7001, 7000, 7003]);
    expect(issues.find((i) => i.path === 'nodes[1].peerPort')?.message).toMatch(/^Port 7000 is used twice/);
  });

  it('is allowed on two different loopback addresses', () => {
    expect(hasErrors(withHosts(['127.0.0.1', '127.0.0.2'], false, [7000, 7001, 7000, 7001]))).toBe(false);
  });
});
