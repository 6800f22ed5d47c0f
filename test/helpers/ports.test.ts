// Test processes running at once (test files in parallel, two checkouts testing at once) are never
// handed the same port, and never a port the OS may give an outgoing connection.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const child = path.join(import.meta.dirname, 'reserve-ports-child.ts');
const tsx = import.meta.resolve('tsx');

function reserveInChild(count: number): Promise<{ pid: number; ports: number[] }> {
  return new Promise((resolve, reject) => {
    const p = execFile(process.execPath, ['--import', tsx, child, String(count)], { timeout: 30_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve({ pid: p.pid!, ports: JSON.parse(stdout) as number[] });
    });
  });
}

describe('test ports', () => {
  it('are disjoint across processes reserving at the same time, below the ephemeral range, and released on exit', async () => {
    const runs = await Promise.all(Array.from({ length: 4 }, () => reserveInChild(100)));
    const all = runs.flatMap((r) => r.ports);
    expect(all).toHaveLength(400);
    expect(new Set(all).size).toBe(400);
    const rangeFile = '/proc/sys/net/ipv4/ip_local_port_range';
    const ephemeralLow = existsSync(rangeFile) ? Number(readFileSync(rangeFile, 'utf8').trim().split(/\s+/)[0]) : 32_768;
    for (const port of all) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(ephemeralLow);
    }
    const lockDir = path.join(os.tmpdir(), 'raftdesk-test-ports');
    const held = readdirSync(lockDir).map((f) => readFileSync(path.join(lockDir, f), 'utf8'));
    for (const { pid } of runs) expect(held).not.toContain(String(pid));
  });
});
