// bin/start.js (`npm start`) run for real against a throw-away project laid out like this one, with
// stand-ins for the builds, the raftdesk CLI and the Electron package, all recording what they were
// asked to do. Only Linux paths are exercised (defaultWorkspacesRoot follows XDG_CONFIG_HOME here).

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));

const FAKE_CLI = `
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
const [command, dir] = process.argv.slice(2);
const record = (entry) => appendFileSync(process.env.RECORD, JSON.stringify(entry) + '\\n');
record({ what: 'cli', args: process.argv.slice(2) });
if (command === 'init') {
  mkdirSync(dir, { recursive: true });
  writeFileSync(dir + '/cluster.json', '{}');
}
if (command === 'console' && process.env.HOLD_CONSOLE) {
  process.on('SIGTERM', () => { record({ what: 'console-stopped', signal: 'SIGTERM' }); process.exit(0); });
  setInterval(() => undefined, 1000);
  console.log('console ready');
} else {
  process.exit(Number(process.env['EXIT_' + command.toUpperCase()] ?? 0));
}
`;

const FAKE_BUILD = `
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
const [name, output] = process.argv.slice(2);
appendFileSync(process.env.RECORD, JSON.stringify({ what: 'build', name }) + '\\n');
if (process.env.FAIL_BUILD === name) process.exit(2);
mkdirSync(path.dirname(output), { recursive: true });
writeFileSync(output, 'built');
`;

const FAKE_ELECTRON_PACKAGE = `
if (!process.env.FAKE_ELECTRON_BINARY) throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
module.exports = process.env.FAKE_ELECTRON_BINARY;
`;

const FAKE_ELECTRON_BINARY = `#!/usr/bin/env node
require('node:fs').appendFileSync(process.env.RECORD, JSON.stringify({ what: 'electron', args: process.argv.slice(2), runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }) + '\\n');
`;

const OUTPUTS = { renderer: 'dist/renderer/index.html', core: 'dist/electron/main.js', preload: 'dist/electron/preload.cjs' };

let project: string;
let record: string;
let dataHome: string;

function write(relative: string, content: string): string {
  const file = path.join(project, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** Sets a file's modification time, seconds before now (negative: in the future). */
function age(relative: string, secondsAgo: number): void {
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path.join(project, relative), when, when);
}

beforeEach(() => {
  project = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-start-'));
  record = path.join(project, 'record.jsonl');
  dataHome = path.join(project, 'xdg-data');
  writeFileSync(record, '');
  mkdirSync(path.join(project, 'bin'));
  copyFileSync(path.join(repo, 'bin', 'start.js'), path.join(project, 'bin', 'start.js'));
  copyFileSync(path.join(repo, 'bin', 'build-state.js'), path.join(project, 'bin', 'build-state.js'));
  write('bin/raftdesk.js', FAKE_CLI);
  write('tools/fake-build.js', FAKE_BUILD);
  write('core/workspace/paths.ts', readFileSync(path.join(repo, 'core', 'workspace', 'paths.ts'), 'utf8'));
  write('core/api/index.ts', 'export {};\n');
  write('renderer/index.html', '<!doctype html>\n');
  write('electron/main.ts', 'export {};\n');
  const build = (name: keyof typeof OUTPUTS) => `node tools/fake-build.js ${name} ${OUTPUTS[name]}`;
  write(
    'package.json',
    JSON.stringify({ type: 'module', scripts: { 'build:renderer': build('renderer'), 'build:core': build('core'), 'build:preload': build('preload') } }),
  );
  write('node_modules/electron/package.json', JSON.stringify({ name: 'electron', main: 'index.js' }));
  write('node_modules/electron/index.js', FAKE_ELECTRON_PACKAGE);
  symlinkSync(path.join(repo, 'node_modules', 'tsx'), path.join(project, 'node_modules', 'tsx'));
  for (const source of ['core/workspace/paths.ts', 'core/api/index.ts', 'renderer/index.html', 'electron/main.ts']) age(source, 60);
});

afterEach(() => {
  rmSync(project, { recursive: true, force: true });
});

function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  // The runner's own settings must not leak in: each test states the ones it means.
  const { ELECTRON_SKIP_BINARY_DOWNLOAD: _skip, ELECTRON_RUN_AS_NODE: _runAsNode, npm_execpath: _npm, DISPLAY: _display, WAYLAND_DISPLAY: _wayland, RAFTDESK_NO_OPEN: _noOpen, ...inherited } = process.env;
  return { ...inherited, RECORD: record, XDG_CONFIG_HOME: dataHome, ...extra };
}

function start(extra: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(project, 'bin', 'start.js')], { env: environment(extra), encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, steps: recorded() };
}

function recorded(): Array<Record<string, unknown>> {
  return readFileSync(record, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const defaultWorkspace = () => path.join(dataHome, 'raftdesk', 'workspaces', 'default');

describe('npm start without the Electron binary (browser mode)', () => {
  it('says how to get the window, builds the UI and the compiled core, creates the default workspace and starts the console', () => {
    const { status, output, steps } = start();
    expect(status).toBe(0);
    expect(output).toContain('node node_modules/electron/install.js');
    expect(steps).toEqual([
      { what: 'build', name: 'renderer' },
      { what: 'build', name: 'core' },
      { what: 'cli', args: ['init', defaultWorkspace(), '--quiet'] },
      { what: 'cli', args: ['console', defaultWorkspace()] },
    ]);
  });

  it('with ELECTRON_SKIP_BINARY_DOWNLOAD set, an up-to-date build and an existing workspace, only starts the console', () => {
    write('dist/renderer/index.html', 'built');
    write('dist/electron/main.js', 'built');
    mkdirSync(defaultWorkspace(), { recursive: true });
    writeFileSync(path.join(defaultWorkspace(), 'cluster.json'), '{}');
    const { status, output, steps } = start({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(status).toBe(0);
    expect(output).not.toContain('install.js');
    expect(steps).toEqual([{ what: 'cli', args: ['console', defaultWorkspace()] }]);
  });

  it('opens the console in the browser where there is a screen, unless RAFTDESK_NO_OPEN=1', () => {
    write('dist/renderer/index.html', 'built');
    write('dist/electron/main.js', 'built');
    mkdirSync(defaultWorkspace(), { recursive: true });
    writeFileSync(path.join(defaultWorkspace(), 'cluster.json'), '{}');
    expect(start({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1', DISPLAY: ':0' }).steps).toEqual([{ what: 'cli', args: ['console', defaultWorkspace(), '--open'] }]);
    writeFileSync(record, '');
    expect(start({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1', DISPLAY: ':0', RAFTDESK_NO_OPEN: '1' }).steps).toEqual([{ what: 'cli', args: ['console', defaultWorkspace()] }]);
  });

  it('rebuilds the UI when a renderer source or the API contract is newer than the build', () => {
    write('dist/renderer/index.html', 'built');
    age('dist/renderer/index.html', 30);
    age('core/api/index.ts', 0);
    const { steps } = start();
    expect(steps[0]).toEqual({ what: 'build', name: 'renderer' });
  });

  it('stops with one line and the failure status when the build or the console fails', () => {
    const failedBuild = start({ FAIL_BUILD: 'renderer' });
    expect(failedBuild.status).toBe(1);
    expect(failedBuild.output).toMatch(/raftdesk: building the console UI failed/);
    expect(failedBuild.steps.some((step) => step.what === 'cli')).toBe(false);

    writeFileSync(record, '');
    expect(start({ EXIT_CONSOLE: '3' }).status).toBe(3);
  });

  it('passes SIGTERM on to the console and exits once it has stopped', async () => {
    const child = spawn(process.execPath, [path.join(project, 'bin', 'start.js')], { env: environment({ HOLD_CONSOLE: '1' }), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the console never became ready')), 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('console ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(recorded()).toContainEqual({ what: 'console-stopped', signal: 'SIGTERM' });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

describe('npm start with the Electron binary', () => {
  function fakeBinary(): string {
    const binary = write('fake-electron.cjs', FAKE_ELECTRON_BINARY);
    chmodSync(binary, 0o755);
    return binary;
  }

  it('builds the main process, preload and UI, then launches Electron on the app without ELECTRON_RUN_AS_NODE', () => {
    const { status, output, steps } = start({ FAKE_ELECTRON_BINARY: fakeBinary(), ELECTRON_RUN_AS_NODE: '1' });
    expect(status).toBe(0);
    expect(output).not.toContain('install.js');
    expect(steps).toEqual([
      { what: 'build', name: 'renderer' },
      { what: 'build', name: 'core' },
      { what: 'build', name: 'preload' },
      { what: 'electron', args: [project.endsWith(path.sep) ? project : `${project}${path.sep}`], runAsNode: null },
    ]);
    expect(existsSync(defaultWorkspace())).toBe(false);
  });

  it('skips builds that are up to date', () => {
    for (const output of Object.values(OUTPUTS)) write(output, 'built');
    const { steps } = start({ FAKE_ELECTRON_BINARY: fakeBinary() });
    expect(steps.map((step) => step.what)).toEqual(['electron']);
  });

  it('treats a package whose binary file is missing as no Electron', () => {
    const { steps } = start({ FAKE_ELECTRON_BINARY: path.join(project, 'no-such-binary'), ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(steps.at(-1)).toEqual({ what: 'cli', args: ['console', defaultWorkspace()] });
  });
});
