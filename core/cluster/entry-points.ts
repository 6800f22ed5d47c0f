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

/** A node entry that tests swap in (a node with a deliberately broken rule); never set elsewhere. */
let testNodeEntry: EntryPoint | null = null;

/** Makes this process's supervisors fork `file` (a TypeScript file run through tsx) as their node
 *  processes, or the real node again with null. For tests that prove the checks catch a lying node. */
export function useNodeEntryForTests(file: string | null): void {
  testNodeEntry = file === null ? null : { file, execArgv: ['--import', import.meta.resolve('tsx')] };
}

export const nodeEntry = (): EntryPoint => (testNodeEntry ? { ...testNodeEntry, execArgv: [...testNodeEntry.execArgv] } : entry('../node/main'));
export const daemonEntry = (): EntryPoint => entry('./daemon');
export const reaperEntry = (): EntryPoint => entry('./reaper');
