// The Electron main process: one sandboxed window on the console UI, the ConsoleService behind the
// validated IPC wrapper, and a quit sequence that stops every node before the app exits. Decisions
// live in the small modules imported here; this file only wires them to Electron.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, session, shell } from 'electron';
import type { Log } from '../core/api/log.js';
import { createConsoleService, type ConsoleService } from '../core/console/console-service.js';
import { messageSubscribers } from '../core/console/message-subscribers.js';
import { errorSentence } from './ipc-guard.js';
import { PUSH_CHANNELS } from './ipc-channels.js';
import { registerCallHandlers } from './ipc.js';
import { openLastWorkspace, startupWorkspace, workspaceOpenedBy } from './last-workspace.js';
import { EXTERNAL_ORIGINS, lockNavigation } from './navigation.js';
import { forwardPushes } from './pushes.js';
import { createQuitSequence } from './quit-sequence.js';
import { secureSession } from './session-security.js';
import { readSettings, serialSettingsWriter } from './settings.js';
import { appDataPaths, appFiles, mainWindowOptions } from './window-options.js';

/** Long enough for the supervisor to stop nodes gracefully, then kill the stragglers. */
const QUIT_TIMEOUT_MS = 10_000;

const log: Log = (level, message, fields) => {
  console.error(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
};
const warn = (message: string, fields?: Record<string, unknown>) => log('warn', message, fields);

if (app.requestSingleInstanceLock()) {
  runApp();
} else {
  // Another raftdesk runs; its 'second-instance' handler brings its window forward.
  app.quit();
}

function runApp(): void {
  app.enableSandbox();
  const files = appFiles(path.dirname(fileURLToPath(import.meta.url)));
  const dataPaths = appDataPaths(app.getPath('userData'));
  const rememberSettings = serialSettingsWriter(dataPaths.settingsFile);

  const service: Promise<ConsoleService> = readSettings(dataPaths.settingsFile).then((settings) =>
    openLastWorkspace(
      (workspace) => createConsoleService({ workspacesRoot: dataPaths.workspacesRoot, workspace, log }),
      startupWorkspace(settings, existsSync),
      warn,
    ),
  );
  // A failure is reported once the app is ready (below); until then it must not count as unhandled.
  service.catch(() => undefined);
  const quit = createQuitSequence({
    // Awaits the service even while it is still opening, so a quit during start-up stops it too.
    close: async () => (await service.catch(() => null))?.close(),
    timeoutMs: QUIT_TIMEOUT_MS,
    exit: (code) => app.exit(code),
    warn,
  });

  let window: BrowserWindow | null = null;

  app.on('before-quit', (event) => {
    if (quit.holdQuit()) event.preventDefault();
  });
  // The cluster belongs to the window: closing it stops the nodes, on macOS too.
  app.on('window-all-closed', () => app.quit());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void quit.begin(0));
  process.on('uncaughtException', (error) => {
    log('error', 'Uncaught error in the main process; stopping the nodes and exiting.', { error: error.stack ?? error.message });
    void quit.begin(1);
  });
  app.on('second-instance', () => {
    if (window === null) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockNavigation(contents, EXTERNAL_ORIGINS, (url) => shell.openExternal(url)));

  void app.whenReady().then(async () => {
    secureSession(session.defaultSession);
    let opened: ConsoleService;
    try {
      opened = await service;
    } catch (error) {
      log('error', 'The console service could not start.', { error: errorSentence(error) });
      dialog.showErrorBox('raftdesk could not start', errorSentence(error));
      await quit.begin(1);
      return;
    }
    if (quit.state() !== 'running') return;

    const win = new BrowserWindow(mainWindowOptions({ preload: files.preload, dark: nativeTheme.shouldUseDarkColors }));
    window = win;
    // The page's message subscription belongs to the page: kept per web contents, like the
    // WebSocket server's per socket, and forgotten when that page is gone (below).
    const contents = win.webContents;
    const messageSubscriptions = messageSubscribers<typeof contents>(opened);
    const pageGone = () => {
      messageSubscriptions.forget(contents).catch((error: unknown) => warn('Could not stop the message stream.', { error: errorSentence(error) }));
    };
    const unregister = registerCallHandlers(ipcMain, {
      service: opened,
      mainFrame: () => (win.isDestroyed() ? null : win.webContents.mainFrame),
      pageUrl: files.rendererUrl,
      afterCall(method, args, result) {
        const workspace = workspaceOpenedBy(method, args, result);
        if (workspace !== null) {
          rememberSettings({ lastWorkspace: workspace }).catch((error: unknown) =>
            warn('Could not remember the open workspace.', { error: errorSentence(error) }),
          );
        }
      },
      log,
      wantMessages: (wanted) => messageSubscriptions.set(contents, wanted),
    });
    const pushes = forwardPushes(opened, (kind, data) => {
      if (!win.isDestroyed()) win.webContents.send(PUSH_CHANNELS[kind], data);
    });
    win.webContents.on('did-finish-load', () => pushes.replayLatest());
    // A reload (or any new document) replaces the page without it unsubscribing; so does a crash.
    win.webContents.on('did-navigate', pageGone);
    win.webContents.on('render-process-gone', pageGone);
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      pageGone();
      pushes.stop();
      unregister();
      window = null;
    });
    await win.loadFile(files.rendererIndex).catch((error: unknown) => {
      log('error', 'The console UI could not be loaded.', { page: files.rendererIndex, error: errorSentence(error) });
      dialog.showErrorBox('raftdesk could not load its window', `${errorSentence(error)} (${files.rendererIndex})`);
    });
  });
}
