// How the CLI speaks: data on stdout (JSON with --json), one sentence on stderr for an error, and an
// exit code that scripts can rely on.

import { READ_CONSISTENCIES, type ReadConsistency } from '../api/reads.js';
import { ClientError } from '../client/cluster-client.js';
import { UserError } from '../workspace/user-error.js';

/** An error already explained to the user, carrying the exit code to use. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message = '',
  ) {
    super(message);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function say(line: string): void {
  process.stdout.write(line + '\n');
}

/** Turns any error into one line on stderr and an exit code; a stack trace only with RAFTDESK_DEBUG=1. */
export function reportError(e: unknown): number {
  if (e instanceof CliExit) {
    if (e.message) process.stderr.write(`raftdesk: ${e.message}\n`);
    return e.code;
  }
  if (e instanceof UserError || e instanceof ClientError) {
    process.stderr.write(`raftdesk: ${e.message}\n`);
    // "(and 5 more problems)" names a count: list the others too, one a line.
    if (e instanceof UserError) {
      const errors = e.issues.filter((i) => i.severity === 'error');
      for (const issue of errors.slice(1)) process.stderr.write(`  - ${issue.message}\n`);
    }
    return 1;
  }
  const err = e as Error;
  process.stderr.write(`raftdesk: ${err?.message ?? String(e)}\n`);
  if (process.env.RAFTDESK_DEBUG === '1' && err?.stack) process.stderr.write(err.stack + '\n');
  return 1;
}

/** Parses a whole number option, or fails with a sentence naming it. */
/** A --consistency style option: one of READ_CONSISTENCIES. */
export function parseReadConsistency(value: string, flag: string): ReadConsistency {
  if ((READ_CONSISTENCIES as readonly string[]).includes(value)) return value as ReadConsistency;
  throw new CliExit(2, `${flag} must be one of ${READ_CONSISTENCIES.join(', ')}, not "${value}".`);
}

export function intOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliExit(2, `--${name} must be a whole number from ${min} to ${max}, not "${value}".`);
  return n;
}
