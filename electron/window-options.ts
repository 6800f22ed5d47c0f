// Where the app's files are and how its one window is made. Pure: main.ts passes in its own folder.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions } from 'electron';

export interface AppFiles {
  /** The sandboxed preload bundle (dist/electron/preload.cjs). */
  preload: string;
  /** The console UI built by Vite (dist/renderer/index.html). */
  rendererIndex: string;
  /** rendererIndex as the file:// URL the window shows; IPC from any other document is refused. */
  rendererUrl: string;
}

/** mainDir is the folder of the compiled main process, dist/electron (inside app.asar when packaged). */
export function appFiles(mainDir: string): AppFiles {
  const rendererIndex = path.join(mainDir, '..', 'renderer', 'index.html');
  return { preload: path.join(mainDir, 'preload.cjs'), rendererIndex, rendererUrl: pathToFileURL(rendererIndex).href };
}

export interface AppDataPaths {
  workspacesRoot: string;
  settingsFile: string;
}

/** userData is app.getPath('userData'), the OS's per-user app-data folder for raftdesk. */
export function appDataPaths(userData: string): AppDataPaths {
  return { workspacesRoot: path.join(userData, 'workspaces'), settingsFile: path.join(userData, 'settings.json') };
}

export function mainWindowOptions(options: { preload: string; dark: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 620,
    title: 'raftdesk',
    // Shown on ready-to-show, and painted in the theme's colour until then: no white flash.
    show: false,
    backgroundColor: options.dark ? '#12161c' : '#f6f7f9',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}
