// A refused configuration names every problem, not the first and a count; hints use the command the
// reader can actually run here.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../core/cli/output.js';
import { cli, cliPrefixFor } from '../../core/workspace/cli-name.js';
import { UserError } from '../../core/workspace/user-error.js';

afterEach(() => vi.restoreAllMocks());

describe('CLI error output', () => {
  it('lists every error after the first line', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    const issues = [
      { path: 'nodes[0].peerPort', severity: 'error' as const, message: 'Port 7000 (n1 peer port) is already in use on 127.0.0.1; stop what uses it or pick another port.' },
      { path: 'defaults.electionTimeoutMs', severity: 'warning' as const, message: 'expect needless elections.' },
      { path: 'nodes[1].peerPort', severity: 'error' as const, message: 'Port 7002 (n2 peer port) is already in use on 127.0.0.1; stop what uses it or pick another port.' },
    ];
    expect(reportError(new UserError(`${issues[0]!.message} (and 1 more problem)`, issues))).toBe(1);
    expect(written.join('')).toBe(
      'raftdesk: Port 7000 (n1 peer port) is already in use on 127.0.0.1; stop what uses it or pick another port. (and 1 more problem)\n' +
        '  - Port 7002 (n2 peer port) is already in use on 127.0.0.1; stop what uses it or pick another port.\n',
    );
  });

  it('says `npx raftdesk` unless raftdesk is on PATH', () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-bin-'));
    try {
      expect(cliPrefixFor(bin)).toBe('npx raftdesk');
      writeFileSync(path.join(bin, 'raftdesk'), '#!/bin/sh\n', { mode: 0o755 });
      expect(cliPrefixFor(['/nonexistent', bin].join(path.delimiter))).toBe('raftdesk');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
    expect(cli('up demo')).toMatch(/^(npx )?raftdesk up demo$/);
  });
});
