// A workspace is one folder per cluster: cluster.json, pki/, nodes/<id>/. Loading validates, with
// the same sentences the console shows; saving is atomic so a crash never leaves half a file.

import { accessSync, constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ClusterDefinition, ValidationIssue } from '../api/cluster-definition.js';
import { hasErrors, parseDefinition } from './definition.js';
import { workspacePaths } from './paths.js';

/** A problem the user can fix; the CLI prints its message as the one line it shows. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** `raftdesk` when an executable of that name is on `pathEnv` (installed), else `npx raftdesk` (a checkout). */
export function cliPrefixFor(pathEnv: string): string {
  const names = process.platform === 'win32' ? ['raftdesk.cmd', 'raftdesk.exe'] : ['raftdesk'];
  const onPath = pathEnv.split(path.delimiter).some((dir) =>
    names.some((name) => {
      try {
        accessSync(path.join(dir, name), fsConstants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
  return onPath ? 'raftdesk' : 'npx raftdesk';
}

let cliPrefix: string | null = null;

/** A CLI command as the operator can run it here, for hints in sentences. */
export function cli(args: string): string {
  cliPrefix ??= cliPrefixFor(process.env.PATH ?? '');
  return `${cliPrefix} ${args}`;
}

/** Every error, the first one first; the CLI prints them one a line, the console beside their cells. */
export function describeIssues(issues: ValidationIssue[]): string {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0] ?? issues[0];
  if (!first) return '';
  return errors.length > 1 ? `${first.message} (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : first.message;
}

export async function loadDefinition(dir: string): Promise<{ definition: ClusterDefinition; warnings: ValidationIssue[] }> {
  const file = workspacePaths(dir).definition;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`${dir} is not a raftdesk workspace (no cluster.json); create one with \`${cli(`init ${dir}`)}\`.`);
    }
    throw new UserError(`Cannot read ${file}: ${(e as Error).message}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file} is not valid JSON (${(e as Error).message}); fix or recreate it.`);
  }
  const { definition, issues } = parseDefinition(json);
  if (!definition || hasErrors(issues)) throw new UserError(`${file}: ${describeIssues(issues)}`, issues);
  return { definition, warnings: issues };
}

/** Writes cluster.json atomically (temporary file, then rename). */
export async function saveDefinition(dir: string, definition: ClusterDefinition): Promise<void> {
  const file = workspacePaths(dir).definition;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(definition, null, 2) + '\n', { mode: 0o644 });
  await fs.rename(tmp, file);
}

export async function workspaceExists(dir: string): Promise<boolean> {
  try {
    await fs.access(workspacePaths(dir).definition);
    return true;
  } catch {
    return false;
  }
}
