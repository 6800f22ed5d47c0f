// Whether dist/ is current: each build step's output against the newest of its sources. Shared by
// `npm start` (which builds what is stale) and the `raftdesk` command (which runs the compiled CLI,
// and so forks compiled nodes, only when dist/ is current, and the TypeScript sources otherwise).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** Each build step: the npm script, a file it writes, and what it is built from. */
export const BUILDS = {
  renderer: { script: 'build:renderer', output: 'dist/renderer/index.html', sources: ['renderer', 'core/api'], what: 'the console UI' },
  core: { script: 'build:core', output: 'dist/electron/main.js', sources: ['core', 'electron', 'tsconfig.build.json', 'tsconfig.base.json'], what: 'the main process, CLI and node runtime' },
  preload: { script: 'build:preload', output: 'dist/electron/preload.cjs', sources: ['electron', 'core/api', 'build/vite.preload.config.ts'], what: 'the preload bundle' },
};

/** Newest modification time under the given files and folders (0 when none exist). */
export function newestMtime(entries) {
  let newest = 0;
  const visit = (entry) => {
    if (!existsSync(entry)) return;
    const stat = statSync(entry);
    if (!stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs);
      return;
    }
    for (const child of readdirSync(entry)) if (child !== 'node_modules' && child !== 'dist') visit(path.join(entry, child));
  };
  for (const entry of entries) visit(path.join(root, entry));
  return newest;
}

export function isStale({ output, sources }) {
  const built = path.join(root, output);
  return !existsSync(built) || statSync(built).mtimeMs < newestMtime(sources);
}
