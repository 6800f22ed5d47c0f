#!/usr/bin/env node
// `npm start`: the desktop app where Electron is installed, the browser console everywhere else.
//  1. Builds what the chosen mode runs, when dist/ lacks it or is older than its sources (see
//     build-state.js): the renderer and the compiled core (CLI, nodes, main process) always, the
//     preload bundle for Electron.
//  2. Launches Electron on the app (package.json main: dist/electron/main.js), or else
//     `raftdesk console` on the default workspace, creating it (3 nodes) first if it has no cluster.
// Ctrl-C reaches the child from the terminal, which stops its nodes and exits; this script then
// exits with the child's status. SIGTERM and SIGHUP sent to this script alone are passed on.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import path from 'node:path';
import { BUILDS, isStale, root } from './build-state.js';

const say = (line) => console.log(`raftdesk: ${line}`);

function npmRun(script) {
  // Under `npm start`, npm_execpath is npm's own CLI: run it with this Node rather than look for npm.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli]] : ['npm', []];
  const result = spawnSync(command, [...args, 'run', '--silent', script], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npm' });
  return result.status === 0;
}

function buildIfStale(names) {
  const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts ?? {};
  for (const name of names) {
    const step = BUILDS[name];
    if (!isStale(step)) continue;
    if (!(step.script in scripts)) throw new Error(`package.json has no "${step.script}" script to build ${step.what}.`);
    say(`building ${step.what} (npm run ${step.script})…`);
    if (!npmRun(step.script)) throw new Error(`building ${step.what} failed; see the output above.`);
  }
}

/** The Electron executable if the electron package has downloaded it, else null. */
function electronBinary() {
  try {
    const binary = createRequire(path.join(root, 'package.json'))('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    // The package throws when its install script never fetched the binary.
    return null;
  }
}

/** Runs a child with the terminal; resolves with the status this script should exit with. */
function runChild(command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  // The terminal sends Ctrl-C to the child as well; the child decides how to stop.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      say(`could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
      resolve(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
    });
  });
}

async function startDesktop(binary) {
  buildIfStale(['renderer', 'core', 'preload']);
  say('starting the desktop app (Electron)…');
  // Inherited ELECTRON_RUN_AS_NODE would make Electron a plain Node and ignore the app.
  const { ELECTRON_RUN_AS_NODE: _ignored, ...env } = process.env;
  return runChild(binary, [root], env);
}

async function startBrowserConsole() {
  if (!process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    say('the Electron binary is not installed; for the desktop window run `node node_modules/electron/install.js`, then `npm start` again.');
  }
  buildIfStale(['renderer', 'core']);
  const { tsImport } = await import('tsx/esm/api');
  const { defaultWorkspacesRoot } = await tsImport('../core/workspace/paths.ts', import.meta.url);
  const workspace = path.join(defaultWorkspacesRoot(), 'default');
  const cli = path.join(root, 'bin', 'raftdesk.js');
  if (!existsSync(path.join(workspace, 'cluster.json'))) {
    say(`creating a 3-node workspace in ${workspace}…`);
    const status = await runChild(process.execPath, [cli, 'init', workspace, '--quiet'], process.env);
    if (status !== 0) return status;
  }
  // Open the page for the reader where there is a screen to open it on (RAFTDESK_NO_OPEN=1: don't).
  const screen = process.platform === 'darwin' || process.platform === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const open = screen && process.env.RAFTDESK_NO_OPEN !== '1' ? ['--open'] : [];
  say(`starting the browser console on ${workspace} (Ctrl-C stops it and its nodes)…`);
  return runChild(process.execPath, [cli, 'console', workspace, ...open], process.env);
}

try {
  const binary = electronBinary();
  process.exitCode = binary ? await startDesktop(binary) : await startBrowserConsole();
} catch (error) {
  say(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
