import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appDataPaths, appFiles, mainWindowOptions } from '../../electron/window-options.js';

describe('window options', () => {
  it('isolate and sandbox the page, with no Node in it', () => {
    const prefs = mainWindowOptions({ preload: '/app/dist/electron/preload.cjs', dark: true }).webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('stay hidden until painted, in the colour of the theme', () => {
    const dark = mainWindowOptions({ preload: 'p', dark: true });
    const light = mainWindowOptions({ preload: 'p', dark: false });
    expect(dark.show).toBe(false);
    expect(dark.backgroundColor).not.toBe(light.backgroundColor);
  });
});

describe('app files and data', () => {
  it('find the preload beside main and the renderer in dist/renderer, as a file:// URL', () => {
    const mainDir = path.join(path.sep, 'opt', 'raftdesk', 'resources', 'app.asar', 'dist', 'electron');
    const files = appFiles(mainDir);
    expect(files.preload).toBe(path.join(mainDir, 'preload.cjs'));
    expect(files.rendererIndex).toBe(path.join(path.sep, 'opt', 'raftdesk', 'resources', 'app.asar', 'dist', 'renderer', 'index.html'));
    expect(files.rendererUrl).toMatch(/^file:\/\/.*\/app\.asar\/dist\/renderer\/index\.html$/);
  });

  it('keep workspaces and settings under the app-data folder', () => {
    expect(appDataPaths('/home/u/.config/raftdesk')).toEqual({
      workspacesRoot: path.join('/home/u/.config/raftdesk', 'workspaces'),
      settingsFile: path.join('/home/u/.config/raftdesk', 'settings.json'),
    });
  });
});
