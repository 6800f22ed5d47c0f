// The README is read in order: `npm start` first (its default workspace: 3 nodes from port 7000,
// as `init` lays them out), then the shell tour. The tour's workspace must not want the same ports,
// and every command in it must be runnable from a checkout (npx raftdesk).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDefinition } from '../../core/workspace/definition.js';

const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
const tour = readme.slice(readme.indexOf('## A tour from the shell'), readme.indexOf('Every command takes the workspace folder'));

describe('README shell tour', () => {
  it('uses ports apart from the default workspace that `npm start` creates', () => {
    const init = /npx raftdesk init (\S+) --nodes (\d+) --base-port (\d+)/.exec(tour);
    expect(init).not.toBeNull();
    const ports = (d: ReturnType<typeof makeDefinition>) => d.nodes.flatMap((n) => [n.peerPort, n.clientPort]);
    const tourPorts = ports(makeDefinition({ name: 'demo', nodes: Number(init![2]), basePort: Number(init![3]) }));
    // bin/start.js → `raftdesk init DIR --quiet`: the CLI's defaults, 3 nodes from 7000.
    const defaultPorts = new Set(ports(makeDefinition({ name: 'default', nodes: 3, basePort: 7000 })));
    expect(tourPorts.filter((p) => defaultPorts.has(p))).toEqual([]);
  });

  it('runs every command through npx, which works from a checkout', () => {
    const commands = tour.split('\n').filter((line) => /^\s*(npx )?raftdesk /.test(line));
    expect(commands.length).toBeGreaterThan(5);
    for (const line of commands) expect(line.trim()).toMatch(/^npx raftdesk /);
  });
});
