// The workspace switcher: which cluster folders exist, which one is open, opening and creating.

import type { ConsoleApi, WorkspaceSummary } from '../../core/api/index.js';
import { errorSentence } from './format.js';

export class WorkspaceStore {
  list = $state.raw<WorkspaceSummary[]>([]);
  current = $state.raw<WorkspaceSummary | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  constructor(
    private readonly api: ConsoleApi,
    /** Called after a different workspace was opened or created, to reload what depends on it. */
    private readonly onSwitched: () => Promise<void>,
  ) {}

  async refresh(): Promise<void> {
    try {
      this.list = await this.api.listWorkspaces();
      this.error = null;
    } catch (error) {
      this.error = errorSentence(error);
    }
  }

  async open(path: string): Promise<boolean> {
    return this.guard(async () => {
      await this.api.openWorkspace(path);
      this.current = this.list.find((w) => w.path === path) ?? this.current;
    });
  }

  async create(name: string): Promise<boolean> {
    const trimmed = name.trim();
    if (trimmed === '') {
      this.error = 'Give the new workspace a name.';
      return false;
    }
    return this.guard(async () => {
      this.current = await this.api.createWorkspace(trimmed);
    });
  }

  private async guard(action: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    try {
      await action();
      this.error = null;
      await Promise.all([this.onSwitched(), this.refresh()]);
      return true;
    } catch (error) {
      this.error = errorSentence(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
