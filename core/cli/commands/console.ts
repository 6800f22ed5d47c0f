import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConsoleService } from '../../console/console-service.js';
import { startConsoleServer } from '../../console/console-server.js';
import { findRendererDir } from '../../console/static-files.js';
import { UserError } from '../../workspace/user-error.js';
import { intOption, say } from '../output.js';

/** In a checkout the renderer may not be built yet: build it once (Vite), with a line saying so. */
async function rendererDir(): Promise<string> {
  const found = await findRendererDir();
  if (found) return found;
  // The checkout's root: three levels up from the sources (core/cli/commands), four from the
  // compiled CLI (dist/core/cli/commands), which `npm ci` builds.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const config = [path.resolve(here, '../../..'), path.resolve(here, '../../../..')].map((root) => path.join(root, 'renderer', 'vite.config.ts')).find((file) => existsSync(file));
  if (!config) throw new UserError('The console UI is not built and cannot be built here; reinstall raftdesk.');
  say('Building the console UI (once)…');
  const { build } = await import('vite');
  await build({ configFile: config, logLevel: 'warn' });
  const built = await findRendererDir();
  if (!built) throw new UserError('Building the console UI failed; run `npm run build:renderer` to see why.');
  return built;
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => say('Could not open a browser; open the address above yourself.'));
  child.unref();
}

export async function consoleCommand(dir: string, options: { port?: string; open?: boolean; token?: string }): Promise<void> {
  const port = intOption('port', options.port, 7700, 0, 65535);
  const renderer = await rendererDir();
  const workspace = path.resolve(dir);
  const service = await createConsoleService({ workspacesRoot: path.dirname(workspace), workspace });
  let server;
  try {
    server = await startConsoleServer({ service, rendererDir: renderer, port, token: options.token ?? process.env.RAFTDESK_CONSOLE_TOKEN });
  } catch (e) {
    await service.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UserError(`Port ${port} is already in use; pick another with --port, or --port 0 for any free port.`);
    throw e;
  }
  say(`raftdesk console for ${workspace}`);
  say(`Open ${server.url}`);
  say('Press Ctrl-C to stop the console and every node it started.');
  if (options.open) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('Stopping…');
  await server.close();
  await service.close();
}
