// `raftdesk transfer`: leadership moves to a named node, or to the most up-to-date follower, and the
// command returns once the new leader leads; writes go on; a wrong node gets one sentence.
// Real subprocesses on 127.0.0.1, every one stopped at the end.

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assignFreePorts, freePorts } from '../helpers/test-cluster.js';
import { raftdesk, tearDownWorkspace } from '../helpers/cli-runner.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-transfer-'));

async function leaderRow(): Promise<{ id: string; term: number }> {
  const rows = JSON.parse((await raftdesk('status', dir, '--json')).stdout) as { id: string; role: string; term: number }[];
  const leaders = rows.filter((r) => r.role === 'leader');
  expect(leaders).toHaveLength(1);
  return leaders[0]!;
}

afterAll(async () => {
  await tearDownWorkspace(dir);
});

describe('raftdesk transfer', () => {
  it('moves leadership to a named node, then to the most up-to-date follower', { timeout: 240_000 }, async () => {
    const [base] = await freePorts(1);
    expect((await raftdesk('init', dir, '--nodes', '3', '--base-port', String(base), '--heartbeat', '50', '--election', '500')).code).toBe(0);
    await assignFreePorts(dir);
    expect((await raftdesk('up', dir, '--detach')).code).toBe(0);
    expect((await raftdesk('put', dir, 'k', 'before')).code).toBe(0);

    const first = await leaderRow();
    const target = ['n1', 'n2', 'n3'].find((id) => id !== first.id)!;
    const named = await raftdesk('transfer', dir, '--to', target, '--json');
    expect(named.stderr).toBe('');
    expect(named.code).toBe(0);
    const moved = JSON.parse(named.stdout) as { from: string; leader: string; term: number };
    expect(moved).toMatchObject({ from: first.id, leader: target });
    expect(moved.term).toBeGreaterThan(first.term);
    expect(await leaderRow()).toMatchObject({ id: target, term: moved.term });

    // Writes go on, and what was written before is still there.
    expect((await raftdesk('put', dir, 'k', 'after')).code).toBe(0);
    expect((await raftdesk('get', dir, 'k')).stdout.trim()).toBe('after');

    const anyone = await raftdesk('transfer', dir);
    expect(anyone.code).toBe(0);
    expect(anyone.stdout.trim()).toMatch(new RegExp(`^Leadership moved from ${target} to n[123] \\(term \\d+\\)\\.$`));
    expect((await leaderRow()).id).not.toBe(target);

    const wrong = await raftdesk('transfer', dir, '--to', 'n9');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr.trim()).toMatch(/^raftdesk: n9 is not a member of the cluster; choose one of n[123], n[123], n[123]\.$/);
  });
});
