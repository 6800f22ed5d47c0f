// Runs the `raftdesk` CLI as a user would (a child process of bin/raftdesk.js) and tears a
// CLI-started workspace down again: every real-process CLI test uses these two, so each test
// stops what it started by PID and none carries its own copy of the runner.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

export const RAFTDESK_BIN = path.resolve(import.meta.dirname, '../../bin/raftdesk.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A bound for a hung command only: the slowest CLI test command (a chaos run) takes well under it. */
const COMMAND_TIMEOUT_MS = 120_000;

/** One `raftdesk …` invocation; never rejects (the exit code is in the result). */
export function raftdesk(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [RAFTDESK_BIN, ...args], { timeout: COMMAND_TIMEOUT_MS }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The workspace's supervisor PID, or null when it has none (never started, or stopped). */
export function supervisorPid(dir: string): number | null {
  try {
    return Number(readFileSync(path.join(dir, 'supervisor.pid'), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * `raftdesk down DIR`, then SIGKILL of the supervisor and of `extraPids` in case `down` could not
 * stop them, then the workspace folder is removed: nothing a test started survives it.
 */
export async function tearDownWorkspace(dir: string, extraPids: Iterable<number> = []): Promise<void> {
  await raftdesk('down', dir);
  const pids = new Set(extraPids);
  const supervisor = supervisorPid(dir);
  if (supervisor) pids.add(supervisor);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
