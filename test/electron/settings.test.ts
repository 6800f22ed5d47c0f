import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSettings, serialSettingsWriter, writeSettings } from '../../electron/settings.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'raftdesk-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('settings file', () => {
  it('round-trips, creating the folder', async () => {
    const file = path.join(dir, 'user-data', 'settings.json');
    await writeSettings(file, { lastWorkspace: '/w/lab' });
    expect(await readSettings(file)).toEqual({ lastWorkspace: '/w/lab' });
  });

  it.each([
    ['missing', null],
    ['not JSON', '{"lastWorkspace": '],
    ['the wrong shape', '{"lastWorkspace": 42}'],
    ['not an object', '"hello"'],
  ])('reads as defaults when %s', async (_case, content) => {
    const file = path.join(dir, 'settings.json');
    if (content !== null) await writeFile(file, content);
    expect(await readSettings(file)).toEqual({});
  });

  it('keeps the last of several overlapping writes', async () => {
    const file = path.join(dir, 'settings.json');
    const write = serialSettingsWriter(file);
    await Promise.all(['/w/a', '/w/b', '/w/c'].map((lastWorkspace) => write({ lastWorkspace })));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ lastWorkspace: '/w/c' });
  });

  it('keeps writing after a failed write', async () => {
    const blocked = path.join(dir, 'file-not-folder');
    await writeFile(blocked, '');
    const write = serialSettingsWriter(path.join(blocked, 'settings.json'));
    await expect(write({ lastWorkspace: '/w/a' })).rejects.toThrow();
    await expect(write({ lastWorkspace: '/w/b' })).rejects.toThrow();
    const good = serialSettingsWriter(path.join(dir, 'settings.json'));
    await good({ lastWorkspace: '/w/c' });
    expect(await readSettings(path.join(dir, 'settings.json'))).toEqual({ lastWorkspace: '/w/c' });
  });
});
