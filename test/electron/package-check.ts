// `npm run test:package`: what can honestly be checked of packaging without the Electron binary.
// It builds the app (npm run build, unless --no-build), packages it with the real config as an
// unpacked Linux app (electron-builder --dir) against a stand-in Electron distribution, and reads the
// resulting app.asar with @electron/asar:
//   - the entry files are there: main, the preload bundle, the renderer page and every asset it
//     references, and the node entry the supervisor forks;
//   - package.json inside points Electron at the main file;
//   - everything main and the node entry import, transitively, resolves inside the archive (relative
//     files, and a package folder for every bare import), and the preload requires only electron;
//   - sources, tests and tsx stay out.
// Not checked (it needs the real binary): that Electron starts, shows the window, or forks a node.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import asar from '@electron/asar';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY_FILES = {
  main: 'dist/electron/main.js',
  preload: 'dist/electron/preload.cjs',
  renderer: 'dist/renderer/index.html',
  nodeEntry: 'dist/core/node/main.js',
} as const;
const RUNTIME_PROVIDED = new Set(['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

function run(command: string, args: string[]): void {
  console.log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
}

/** A folder laid out like an unpacked Electron for Linux, with a script where the binary would be. */
function standInElectronDist(dir: string): string {
  const dist = path.join(dir, 'electron-dist');
  mkdirSync(dist, { recursive: true });
  const binary = path.join(dist, 'electron');
  writeFileSync(binary, '#!/bin/sh\necho "stand-in for the Electron binary" >&2\nexit 1\n');
  chmodSync(binary, 0o755);
  return dist;
}

/** Module specifiers of static imports, re-exports and literal dynamic imports in compiled JS. */
function importSpecifiers(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/gm, // import x from '…', export { y } from '…' (statements start a line in tsc output)
    /^\s*import\s*['"]([^'"]+)['"]/gm, // import '…'
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, // await import('…')
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) found.add(match[1]!);
  }
  return [...found];
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function checkArchive(archive: string): void {
  const files = new Set(asar.listPackage(archive, { isPack: false }).map((f) => f.split(path.sep).join('/').replace(/^\//, '')));
  const read = (file: string) => asar.extractFile(archive, file).toString('utf8');

  for (const [role, file] of Object.entries(ENTRY_FILES)) check(files.has(file), `app.asar holds the ${role}: ${file}`);

  const manifest = JSON.parse(read('package.json')) as { main?: string; type?: string };
  check(manifest.main === ENTRY_FILES.main && manifest.type === 'module', `package.json in app.asar: main is ${ENTRY_FILES.main}, type is module`);

  if (files.has(ENTRY_FILES.renderer)) {
    const page = read(ENTRY_FILES.renderer);
    const assets = [...page.matchAll(/\b(?:src|href)="\.?\/?([^"#?]+)"/g)].map((m) => m[1]!).filter((a) => !/^[a-z]+:/.test(a));
    check(assets.length > 0, `the renderer page references its built assets (${assets.join(', ')})`);
    for (const asset of assets) check(files.has(path.posix.join('dist/renderer', asset)), `renderer asset is packaged: dist/renderer/${asset}`);
  }

  if (files.has(ENTRY_FILES.preload)) {
    const requires = [...read(ENTRY_FILES.preload).matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
    check(requires.length > 0 && requires.every((r) => r === 'electron'), `the preload bundle requires only electron (found: ${requires.join(', ') || 'none'})`);
  }

  // Walk the import graph of main and the node entry through dist/.
  const pending: string[] = [ENTRY_FILES.main, ENTRY_FILES.nodeEntry].filter((f) => files.has(f));
  const seen = new Set<string>();
  const packages = new Set<string>();
  const unresolved: string[] = [];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importSpecifiers(read(file))) {
      if (specifier.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
        if (files.has(target)) pending.push(target);
        else unresolved.push(`${file} → ${specifier}`);
      } else if (!RUNTIME_PROVIDED.has(specifier)) {
        packages.add(packageName(specifier));
      }
    }
  }
  check(unresolved.length === 0, `every relative import of main and the node entry resolves in app.asar (${seen.size} files${unresolved.length ? `; missing: ${unresolved.join('; ')}` : ''})`);
  for (const pkg of [...packages].sort()) check(files.has(`node_modules/${pkg}/package.json`), `imported package is packaged: ${pkg}`);

  const strays = [...files].filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('node_modules/')).concat([...files].filter((f) => /^(test|electron|core|renderer|node_modules\/tsx)\//.test(f)));
  check(strays.length === 0, `no sources, tests or tsx in app.asar${strays.length ? ` (found ${strays.slice(0, 5).join(', ')})` : ''}`);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-package-'));
try {
  if (!process.argv.includes('--no-build')) run('npm', ['run', 'build']);
  const output = path.join(work, 'release');
  run(process.execPath, [
    path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
    '--dir',
    '--linux',
    '--config',
    'build/electron-builder.yml',
    `-c.electronDist=${standInElectronDist(work)}`,
    `-c.directories.output=${output}`,
  ]);
  const unpacked = path.join(output, 'linux-unpacked');
  check(existsSync(path.join(unpacked, 'raftdesk')), 'the unpacked app has its executable: linux-unpacked/raftdesk');
  const archive = path.join(unpacked, 'resources', 'app.asar');
  check(existsSync(archive), 'the unpacked app has resources/app.asar');
  if (existsSync(archive)) checkArchive(archive);
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('not checked here: that the real Electron binary starts, opens the window, and forks a node from app.asar;');
console.log('nor the AppImage, deb, dmg and nsis installers themselves (they need the binary, and macOS/Windows hosts).');
if (failures.length > 0) {
  console.error(`package check failed: ${failures.length} problem(s).`);
  process.exit(1);
}
console.log('package check passed.');
