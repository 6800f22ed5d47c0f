import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openLastWorkspace, startupWorkspace, workspaceOpenedBy } from '../../electron/last-workspace.js';

describe('startupWorkspace', () => {
  it('reopens the remembered workspace while its folder exists', () => {
    expect(startupWorkspace({ lastWorkspace: '/w/lab' }, () => true)).toBe('/w/lab');
    expect(startupWorkspace({ lastWorkspace: '/w/lab' }, () => false)).toBeUndefined();
    expect(startupWorkspace({}, () => true)).toBeUndefined();
  });
});

describe('workspaceOpenedBy', () => {
  it('names the workspace made current by open and create, and nothing else', () => {
    expect(workspaceOpenedBy('openWorkspace', ['/w/lab'], {})).toBe(path.resolve('/w/lab'));
    expect(workspaceOpenedBy('createWorkspace', ['lab'], { path: '/w/lab', name: 'lab', nodes: 3, running: false })).toBe('/w/lab');
    expect(workspaceOpenedBy('startCluster', [], undefined)).toBeNull();
    expect(workspaceOpenedBy('saveDefinition', [{}], [])).toBeNull();
  });
});

describe('openLastWorkspace', () => {
  it('opens the remembered workspace', async () => {
    const open = vi.fn(async (workspace: string | undefined) => `service on ${workspace}`);
    expect(await openLastWorkspace(open, '/w/lab', vi.fn())).toBe('service on /w/lab');
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('falls back to the default when the remembered one fails, and says so', async () => {
    const open = vi.fn(async (workspace: string | undefined) => {
      if (workspace !== undefined) throw new Error('cluster.json is corrupt.');
      return 'service on default';
    });
    const warn = vi.fn();
    expect(await openLastWorkspace(open, '/w/broken', warn)).toBe('service on default');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('default'), { workspace: '/w/broken', error: 'cluster.json is corrupt.' });
  });

  it('lets a failure of the default itself through', async () => {
    const open = vi.fn(async () => {
      throw new Error('The workspaces folder is not writable.');
    });
    await expect(openLastWorkspace(open, undefined, vi.fn())).rejects.toThrow('not writable');
    await expect(openLastWorkspace(open, '/w/lab', vi.fn())).rejects.toThrow('not writable');
  });
});
