// Processes raftdesk forks (node, detached supervisor) run from TypeScript through tsx in a checkout
// and from compiled JavaScript when built; the extension of this very file tells which.

import { fileURLToPath } from 'node:url';

const fromSource = import.meta.url.endsWith('.ts');

export interface EntryPoint {
  file: string;
  execArgv: string[];
}

function entry(relative: string): EntryPoint {
  const file = fileURLToPath(new URL(`${relative}.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  // An absolute loader URL, so forking works whatever the current directory.
  return { file, execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [] };
}

export const nodeEntry = (): EntryPoint => entry('../node/main');
export const daemonEntry = (): EntryPoint => entry('./daemon');
export const reaperEntry = (): EntryPoint => entry('./reaper');
