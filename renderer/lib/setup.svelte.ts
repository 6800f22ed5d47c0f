// The cluster setup form: a draft of cluster.json, validated by the API (debounced) as it is edited,
// saved and started in one step.

import type { ConsoleApi, ValidationIssue, WorkspaceSummary } from '../../core/api/index.js';
import { errorSentence } from './format.js';
import {
  appendNode,
  applyPreset,
  definitionFromDraft,
  draftFromDefinition,
  indexIssues,
  localIssues,
  removeNode,
  setDefaultsField,
  setNodeField,
  type ClusterDraft,
  type DefaultsDraft,
  type DefaultsField,
  type IssueIndex,
  type NodeDraft,
  type NodeField,
} from './setup-draft.js';

export const PRESETS = [3, 5, 7] as const;

export type SetupPhase = 'loading' | 'idle' | 'saving' | 'starting';

export interface SetupTimers {
  set: (run: () => void, ms: number) => unknown;
  clear: (timer: unknown) => void;
}

const realTimers: SetupTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

export class SetupStore {
  draft = $state.raw<ClusterDraft | null>(null);
  workspace = $state.raw<WorkspaceSummary | null>(null);
  /** The validator's last answer for the current draft. */
  apiIssues = $state.raw<ValidationIssue[]>([]);
  phase = $state<SetupPhase>('loading');
  /** A call failed (not a validation issue): one sentence. */
  error = $state<string | null>(null);
  /** Bumped to ask the setup view to focus the first field with an error. */
  focusRequest = $state(0);
  /** The draft before the last change that dropped rows (a preset or a removal), and what it was. */
  undo = $state.raw<{ draft: ClusterDraft; label: string } | null>(null);

  readonly local: ValidationIssue[] = $derived(this.draft ? localIssues(this.draft) : []);
  readonly issues: IssueIndex = $derived(
    this.draft ? indexIssues(this.draft, this.local, this.apiIssues) : { byPath: new Map(), general: [] },
  );
  readonly errorCount: number = $derived(
    [...this.issues.byPath.values()].flat().concat(this.issues.general).filter((i) => i.severity === 'error').length,
  );

  private validationTimer: unknown = null;
  /** Answers to older drafts are dropped: only the newest request may set apiIssues. */
  private validationSeq = 0;

  constructor(
    private readonly api: ConsoleApi,
    private readonly debounceMs = 300,
    private readonly timers: SetupTimers = realTimers,
  ) {}

  async load(): Promise<void> {
    this.phase = 'loading';
    try {
      const { workspace, definition } = await this.api.currentDefinition();
      this.workspace = workspace;
      this.draft = draftFromDefinition(definition);
      this.undo = null;
      this.apiIssues = [];
      this.error = null;
      this.scheduleValidation();
    } catch (error) {
      this.error = errorSentence(error);
    } finally {
      this.phase = 'idle';
    }
  }

  setName(name: string): void {
    this.edit((d) => ({ ...d, name }));
  }

  setNodeField<F extends NodeField>(row: number, field: F, value: NodeDraft[F]): void {
    this.edit((d) => setNodeField(d, row, field, value));
  }

  setDefault<F extends DefaultsField>(field: F, value: DefaultsDraft[F]): void {
    this.edit((d) => setDefaultsField(d, field, value));
  }

  addNode(): void {
    this.edit(appendNode);
  }

  removeNode(row: number): void {
    const id = this.draft?.nodes[row]?.id.trim() || `row ${row + 1}`;
    this.editUndoable(`Removed ${id}`, (d) => removeNode(d, row));
  }

  applyPreset(n: number): void {
    this.editUndoable(`${n}-node preset`, (d) => applyPreset(d, n));
  }

  requestFocusOnIssue(): void {
    this.focusRequest++;
  }

  /** Puts back the draft from before the last preset or removal. */
  undoLast(): void {
    if (!this.undo) return;
    this.draft = this.undo.draft;
    this.undo = null;
    this.scheduleValidation();
  }

  /** Saves, and starts the cluster if the saved definition has no errors. True when it started. */
  async start(): Promise<boolean> {
    if (!this.draft || this.phase === 'saving' || this.phase === 'starting') return false;
    this.cancelValidation();
    if (this.local.some((i) => i.severity === 'error')) return false;
    this.phase = 'saving';
    try {
      const issues = await this.api.saveDefinition(definitionFromDraft(this.draft));
      this.apiIssues = issues;
      if (issues.some((i) => i.severity === 'error')) return false;
      this.phase = 'starting';
      await this.api.startCluster();
      this.error = null;
      return true;
    } catch (error) {
      this.error = errorSentence(error);
      return false;
    } finally {
      this.phase = 'idle';
    }
  }

  dispose(): void {
    this.cancelValidation();
  }

  private edit(update: (draft: ClusterDraft) => ClusterDraft): void {
    if (!this.draft) return;
    this.draft = update(this.draft);
    this.undo = null;
    this.scheduleValidation();
  }

  private editUndoable(label: string, update: (draft: ClusterDraft) => ClusterDraft): void {
    const before = this.draft;
    if (!before) return;
    const after = update(before);
    if (after === before) return;
    this.edit(() => after);
    this.undo = { draft: before, label };
  }

  private cancelValidation(): void {
    if (this.validationTimer !== null) this.timers.clear(this.validationTimer);
    this.validationTimer = null;
    this.validationSeq++;
  }

  private scheduleValidation(): void {
    this.cancelValidation();
    const seq = this.validationSeq;
    this.validationTimer = this.timers.set(() => {
      this.validationTimer = null;
      void this.validate(seq);
    }, this.debounceMs);
  }

  private async validate(seq: number): Promise<void> {
    if (!this.draft) return;
    try {
      const issues = await this.api.validateDefinition(definitionFromDraft(this.draft));
      if (seq !== this.validationSeq) return;
      this.apiIssues = issues;
      this.error = null;
    } catch (error) {
      if (seq === this.validationSeq) this.error = errorSentence(error);
    }
  }
}
