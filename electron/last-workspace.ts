// Which workspace the app reopens: the one last opened or created, remembered in the settings file.

import path from 'node:path';
import type { WorkspaceSummary } from '../core/api/cluster-definition.js';
import type { CallMethod } from '../core/api/ws-protocol.js';
import type { DesktopSettings } from './settings.js';

/** The remembered workspace if its folder still exists; undefined lets the service pick its default. */
export function startupWorkspace(settings: DesktopSettings, folderExists: (dir: string) => boolean): string | undefined {
  const remembered = settings.lastWorkspace;
  return remembered !== undefined && folderExists(remembered) ? remembered : undefined;
}

/** The workspace a successful call made current, or null if the call did not change it. */
export function workspaceOpenedBy(method: CallMethod, args: unknown[], result: unknown): string | null {
  if (method === 'openWorkspace' && typeof args[0] === 'string') return path.resolve(args[0]);
  if (method === 'createWorkspace') return (result as WorkspaceSummary).path;
  return null;
}

/**
 * Opens the service on the remembered workspace, or on the service's default when there is none or
 * it no longer opens (moved, corrupt): a broken last workspace must not keep the app from starting.
 */
export async function openLastWorkspace<S>(
  open: (workspace: string | undefined) => Promise<S>,
  remembered: string | undefined,
  warn: (message: string, fields?: Record<string, unknown>) => void,
): Promise<S> {
  if (remembered === undefined) return open(undefined);
  try {
    return await open(remembered);
  } catch (error) {
    warn('The last workspace could not be opened; opening the default one.', {
      workspace: remembered,
      error: error instanceof Error ? error.message : String(error),
    });
    return open(undefined);
  }
}
