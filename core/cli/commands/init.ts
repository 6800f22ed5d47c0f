import path from 'node:path';
import type { StorageKind } from '../../api/cluster-definition.js';
import { checkRules, hasErrors, makeDefinition } from '../../workspace/definition.js';
import { workspacePaths } from '../../workspace/paths.js';
import { UserError, describeIssues } from '../../workspace/user-error.js';
import { saveDefinition, workspaceExists } from '../../workspace/workspace.js';
import { cli } from '../../workspace/cli-name.js';
import { ensureWorkspacePki } from '../../pki/workspace-pki.js';
import { CliExit, intOption, printJson, say } from '../output.js';

export interface InitOptions {
  nodes?: string;
  basePort?: string;
  heartbeat?: string;
  election?: string;
  storage?: string;
  name?: string;
  force?: boolean;
  json?: boolean;
  /** Print nothing on success (for `npm start`, which says what it does itself). */
  quiet?: boolean;
}

export async function initCommand(dir: string, options: InitOptions): Promise<void> {
  const storage = (options.storage ?? 'disk') as StorageKind;
  if (storage !== 'disk' && storage !== 'memory') throw new CliExit(2, `--storage must be "disk" or "memory", not "${options.storage}".`);
  const definition = makeDefinition({
    name: options.name ?? path.basename(path.resolve(dir)),
    nodes: intOption('nodes', options.nodes, 3, 1, 15),
    basePort: intOption('base-port', options.basePort, 7000, 1, 65535 - 30),
    defaults: {
      heartbeatMs: intOption('heartbeat', options.heartbeat, 100, 1, 60_000),
      electionTimeoutMs: intOption('election', options.election, 1000, 2, 600_000),
      storage,
    },
  });
  const issues = checkRules(definition);
  if (hasErrors(issues)) throw new UserError(describeIssues(issues), issues);
  if ((await workspaceExists(dir)) && !options.force) {
    throw new UserError(`${dir} already holds a cluster; pass --force to replace its cluster.json (node data is kept).`);
  }
  await saveDefinition(dir, definition);
  const paths = workspacePaths(dir);
  await ensureWorkspacePki(paths.pki, definition.nodes.map((n) => ({ id: n.id, host: n.host })));
  if (options.json) {
    printJson({ workspace: paths.root, definition, warnings: issues });
    return;
  }
  if (options.quiet) return;
  for (const w of issues) say(`warning: ${w.message}`);
  say(`Created ${definition.nodes.length}-node cluster "${definition.name}" in ${paths.root}`);
  for (const n of definition.nodes) say(`  ${n.id}  peer ${n.host}:${n.peerPort}  client ${n.host}:${n.clientPort}`);
  say(`Start it with: ${cli(`up ${dir} --detach`)}`);
}
