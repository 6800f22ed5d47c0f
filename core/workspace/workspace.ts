// A workspace is one folder per cluster: cluster.json, pki/, nodes/<id>/. Loading validates, with
// the same sentences the console shows; saving is atomic so a crash never leaves half a file.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ClusterDefinition, ValidationIssue } from '../api/cluster-definition.js';
import { hasErrors, parseDefinition } from './definition.js';
import { workspacePaths } from './paths.js';
import { UserError, describeIssues } from './user-error.js';
import { cli } from './cli-name.js';

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
