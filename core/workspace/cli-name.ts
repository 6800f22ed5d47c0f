// How the operator runs the CLI here, for the hints in sentences ("start it with `… up DIR`"):
// `raftdesk` where it is installed on PATH, `npx raftdesk` in a checkout, where only that works.

import { accessSync, constants as fsConstants } from 'node:fs';
import path from 'node:path';

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

/** A CLI command as the operator can run it here, e.g. cli('up demo') → "npx raftdesk up demo". */
export function cli(args: string): string {
  cliPrefix ??= cliPrefixFor(process.env.PATH ?? '');
  return `${cliPrefix} ${args}`;
}
