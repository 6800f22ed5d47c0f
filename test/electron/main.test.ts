// The main process wired to a stand-in `electron` module and console service: the Electron binary
// cannot run here, so this checks what main.ts asks of Electron and how it reacts to its events.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CALL_METHODS } from '../../core/api/ws-protocol.js';
import { createConsoleService } from '../../core/console/console-service.js';
import { callChannel, PUSH_CHANNELS, type IpcReply } from '../../electron/ipc-channels.js';
import { fakeService, SAMPLE_STATE, type FakeService } from './fake-service.js';

const electron = vi.hoisted(() => {
  type Listener = (...args: never[]) => unknown;
  class Emitter {
    private listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
    }
    removeAllListeners() {
      this.listeners.clear();
    }
  }
  const cancellable = () => ({ defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } });

  class FakeWebContents extends Emitter {
    mainFrame = { processId: 7, frameToken: 'main-frame', url: 'about:blank' };
    sent: Array<[string, unknown]> = [];
    openHandler: ((details: { url: string }) => unknown) | null = null;
    send(channel: string, data: unknown) {
      this.sent.push([channel, data]);
    }
    setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
      this.openHandler = handler;
    }
  }

  class BrowserWindow extends Emitter {
    webContents = new FakeWebContents();
    loaded: string | null = null;
    shown = false;
    focused = 0;
    constructor(public options: { webPreferences: Record<string, unknown> }) {
      super();
      state.windows.push(this);
      app.emit('web-contents-created', cancellable(), this.webContents);
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.focused += 1;
    }
    show() {
      this.shown = true;
    }
    async loadFile(file: string) {
      this.loaded = file;
    }
  }

  const state = {
    lock: true,
    userData: '',
    windows: [] as BrowserWindow[],
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<IpcReply>>(),
    exits: [] as number[],
    errorBoxes: [] as string[][],
    headerHooks: 0,
    permissionHandlers: 0,
  };

  const app = Object.assign(new Emitter(), {
    requestSingleInstanceLock: () => state.lock,
    enableSandbox: vi.fn(),
    getPath: (name: string) => (name === 'userData' ? state.userData : `/unused/${name}`),
    whenReady: () => Promise.resolve(),
    /** Like Electron: emits before-quit, which may be prevented. */
    quit: vi.fn(() => app.emit('before-quit', cancellable())),
    exit: vi.fn((code: number) => state.exits.push(code)),
  });

  return {
    state,
    cancellable,
    module: {
      app,
      BrowserWindow,
      ipcMain: {
        handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<IpcReply>) => state.handlers.set(channel, handler),
        removeHandler: (channel: string) => state.handlers.delete(channel),
      },
      session: {
        defaultSession: {
          webRequest: { onHeadersReceived: () => (state.headerHooks += 1) },
          setPermissionRequestHandler: () => (state.permissionHandlers += 1),
          setPermissionCheckHandler: () => undefined,
        },
      },
      shell: { openExternal: vi.fn(async () => undefined) },
      dialog: { showErrorBox: (title: string, body: string) => state.errorBoxes.push([title, body]) },
      nativeTheme: { shouldUseDarkColors: true },
    },
  };
});

vi.mock('electron', () => electron.module);
vi.mock('../../core/console/console-service.js', () => ({ createConsoleService: vi.fn() }));

/** process, seen as the plain event emitter it is, so tests can emit signals and errors to it. */
const processEvents = process as unknown as NodeJS.EventEmitter;
const PROCESS_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException'];
let listenersBefore: Map<string, Array<(...args: unknown[]) => void>>;
let userData: string;
let service: FakeService;

beforeEach(async () => {
  userData = await mkdtemp(path.join(os.tmpdir(), 'raftdesk-userdata-'));
  Object.assign(electron.state, { lock: true, userData, windows: [], exits: [], errorBoxes: [], headerHooks: 0, permissionHandlers: 0 });
  electron.state.handlers.clear();
  electron.module.app.removeAllListeners();
  vi.clearAllMocks();
  service = fakeService();
  vi.mocked(createConsoleService).mockResolvedValue(service);
  listenersBefore = new Map(PROCESS_EVENTS.map((name) => [name, processEvents.listeners(name) as Array<(...args: unknown[]) => void>]));
});

afterEach(async () => {
  // main.ts subscribes to process signals; leave the test worker as it was.
  for (const name of PROCESS_EVENTS) {
    for (const listener of processEvents.listeners(name) as Array<(...args: unknown[]) => void>) {
      if (!listenersBefore.get(name)?.includes(listener)) processEvents.removeListener(name, listener);
    }
  }
  await rm(userData, { recursive: true, force: true });
});

async function startMain() {
  vi.resetModules();
  await import('../../electron/main.js');
}

async function startedWindow() {
  await startMain();
  await vi.waitFor(() => expect(electron.state.windows[0]?.loaded).toBeTruthy());
  const window = electron.state.windows[0]!;
  // The page has loaded: the frame now shows the file main.ts asked for.
  window.webContents.mainFrame.url = pathToFileURL(window.loaded!).href;
  return window;
}

function invoke(channel: string, senderFrame: unknown, ...args: unknown[]): Promise<IpcReply> {
  const handler = electron.state.handlers.get(channel);
  if (handler === undefined) throw new Error(`no handler on ${channel}`);
  return handler({ senderFrame }, ...args);
}

describe('Electron main', () => {
  it('opens one sandboxed window on the built UI, with workspaces under the app-data folder', async () => {
    const window = await startedWindow();
    expect(electron.state.windows).toHaveLength(1);
    expect(electron.module.app.enableSandbox).toHaveBeenCalled();
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(window.options.webPreferences.preload).toBe(path.resolve('electron', 'preload.cjs'));
    expect(window.loaded).toBe(path.resolve('renderer', 'index.html'));
    expect(createConsoleService).toHaveBeenCalledWith(expect.objectContaining({ workspacesRoot: path.join(userData, 'workspaces'), workspace: undefined }));
    expect(electron.state.headerHooks).toBe(1);
    expect(electron.state.permissionHandlers).toBe(1);
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('answers every ConsoleApi call from its own page and refuses other frames', async () => {
    const window = await startedWindow();
    expect([...electron.state.handlers.keys()].sort()).toEqual(CALL_METHODS.map(callChannel).sort());
    const frame = window.webContents.mainFrame;
    expect(await invoke(callChannel('putKey'), frame, 'x', '1')).toMatchObject({ ok: true });
    expect(await invoke(callChannel('putKey'), { ...frame, frameToken: 'child' }, 'x', '1')).toMatchObject({ ok: false });
    expect(await invoke(callChannel('putKey'), { ...frame, url: 'file:///tmp/other.html' }, 'x', '1')).toMatchObject({ ok: false });
    expect(service.putKey).toHaveBeenCalledTimes(1);
  });

  it('pushes service updates to the window and replays the state when the page loads', async () => {
    const window = await startedWindow();
    service.listeners.state.forEach((listener) => listener(SAMPLE_STATE));
    window.webContents.emit('did-finish-load');
    expect(window.webContents.sent).toEqual([
      [PUSH_CHANNELS.state, SAMPLE_STATE],
      [PUSH_CHANNELS.state, SAMPLE_STATE],
    ]);
  });

  it("ends the page's message subscription when the page reloads, crashes or its window closes", async () => {
    const window = await startedWindow();
    const frame = window.webContents.mainFrame;
    const subscribe = () => invoke(callChannel('subscribeMessages'), frame);
    expect(await subscribe()).toMatchObject({ ok: true });
    expect(await subscribe()).toMatchObject({ ok: true });
    expect(service.subscribeMessages).toHaveBeenCalledTimes(1);

    window.webContents.emit('did-navigate', {}, frame.url, 200, 'OK');
    await vi.waitFor(() => expect(service.unsubscribeMessages).toHaveBeenCalledTimes(1));

    expect(await subscribe()).toMatchObject({ ok: true });
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    await vi.waitFor(() => expect(service.unsubscribeMessages).toHaveBeenCalledTimes(2));

    expect(await subscribe()).toMatchObject({ ok: true });
    expect(service.subscribeMessages).toHaveBeenCalledTimes(3);
    window.emit('closed');
    await vi.waitFor(() => expect(service.unsubscribeMessages).toHaveBeenCalledTimes(3));
    // A page that unsubscribed itself is not unsubscribed twice when it goes.
    window.webContents.emit('did-navigate', {}, frame.url, 200, 'OK');
    expect(service.unsubscribeMessages).toHaveBeenCalledTimes(3);
  });

  it('locks navigation and new windows on every web contents', async () => {
    const window = await startedWindow();
    const navigation = electron.cancellable();
    window.webContents.emit('will-navigate', navigation, 'https://example.com/');
    expect(navigation.defaultPrevented).toBe(true);
    expect(window.webContents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(electron.module.shell.openExternal).not.toHaveBeenCalled();
  });

  it('remembers the workspace opened in the window and reopens it at the next start', async () => {
    const window = await startedWindow();
    const workspace = path.join(userData, 'workspaces', 'lab');
    await import('node:fs/promises').then((fs) => fs.mkdir(workspace, { recursive: true }));
    expect(await invoke(callChannel('openWorkspace'), window.webContents.mainFrame, workspace)).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect(JSON.parse(await readFile(path.join(userData, 'settings.json'), 'utf8'))).toEqual({ lastWorkspace: workspace }));

    electron.state.windows = [];
    await startedWindow();
    expect(createConsoleService).toHaveBeenLastCalledWith(expect.objectContaining({ workspace }));
  });

  it('stops the nodes before exiting when the window closes', async () => {
    await startedWindow();
    electron.module.app.emit('window-all-closed');
    await vi.waitFor(() => expect(electron.state.exits).toEqual([0]));
    expect(service.close).toHaveBeenCalledTimes(1);
    expect(vi.mocked(service.close).mock.invocationCallOrder[0]).toBeLessThan(electron.module.app.exit.mock.invocationCallOrder[0]!);
    // Electron quits again after exit is requested; that quit is no longer held.
    const again = electron.cancellable();
    electron.module.app.emit('before-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('stops the nodes before exiting on %s', async (signal) => {
    await startedWindow();
    processEvents.emit(signal, signal);
    await vi.waitFor(() => expect(electron.state.exits).toEqual([0]));
    expect(service.close).toHaveBeenCalledTimes(1);
  });

  it('stops the nodes and exits 1 on an uncaught error in main', async () => {
    await startedWindow();
    processEvents.emit('uncaughtException', new Error('boom'), 'uncaughtException');
    await vi.waitFor(() => expect(electron.state.exits).toEqual([1]));
    expect(service.close).toHaveBeenCalledTimes(1);
  });

  it('leaves at once as a second instance, and the first one focuses its window', async () => {
    const first = await startedWindow();
    electron.module.app.emit('second-instance');
    expect(first.focused).toBe(1);

    vi.mocked(createConsoleService).mockClear();
    electron.state.lock = false;
    electron.state.windows = [];
    await startMain();
    expect(electron.module.app.quit).toHaveBeenCalled();
    expect(createConsoleService).not.toHaveBeenCalled();
    expect(electron.state.windows).toHaveLength(0);
  });

  it('shows one sentence and exits 1 when the console service cannot start', async () => {
    vi.mocked(createConsoleService).mockRejectedValue(new Error('The workspaces folder is not writable.\n    at open (/x.js:1:1)'));
    await startMain();
    await vi.waitFor(() => expect(electron.state.exits).toEqual([1]));
    expect(electron.state.errorBoxes).toEqual([['raftdesk could not start', 'The workspaces folder is not writable.']]);
    expect(electron.state.windows).toHaveLength(0);
  });
});
