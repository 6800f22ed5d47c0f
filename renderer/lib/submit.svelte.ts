// The submit box: what the text means, sending it, and the last few outcomes.

import type { ConsoleApi, ReadConsistency, ReadPath } from '../../core/api/index.js';
import { errorSentence, formatMs } from './format.js';
import { parseSubmitInput, type SubmitCommand } from './submit-input.js';

export interface SubmitResult {
  id: number;
  /** What was sent, as typed. */
  input: string;
  ok: boolean;
  /** One line: where it committed (or what was read), or the error sentence. */
  summary: string;
  index: number | null;
  term: number | null;
  latencyMs: number | null;
  /** For a read: the path the node says it took, and the node. */
  read: (ReadPath & { node: string }) | null;
}

const HISTORY = 6;

/** A read's path in words: "linearizable read (read index 12, applied 12)", "local read (applied 14)". */
export function describeReadPath(path: ReadPath): string {
  const at = [path.readIndex !== null ? `read index ${path.readIndex}` : null, path.appliedIndex !== null ? `applied ${path.appliedIndex}` : null].filter((p) => p !== null);
  return `${path.consistency} read${at.length > 0 ? ` (${at.join(', ')})` : ''}`;
}

/** The same, short, for the history: "linearizable #12", "local #14" (the index the answer reflects). */
export function shortReadPath(path: ReadPath): string {
  const index = path.readIndex ?? path.appliedIndex;
  return index === null ? path.consistency : `${path.consistency} #${index}`;
}

export class SubmitStore {
  text = $state('');
  busy = $state(false);
  results = $state.raw<SubmitResult[]>([]);
  readonly command: SubmitCommand = $derived(parseSubmitInput(this.text));
  readonly latest: SubmitResult | null = $derived(this.results[0] ?? null);
  /** The consistency the operator chose for reads. */
  chosenConsistency = $state<ReadConsistency>('linearizable');

  private nextId = 1;

  /** `leaseReads` says whether the cluster allows lease reads (its defaults.leaseReads). */
  constructor(
    private readonly api: ConsoleApi,
    readonly leaseReads: () => boolean = () => false,
  ) {}

  /** What a read is sent with: the choice, but never lease where the cluster has lease reads off. */
  get consistency(): ReadConsistency {
    return this.chosenConsistency === 'lease' && !this.leaseReads() ? 'linearizable' : this.chosenConsistency;
  }

  /** Forgets the outcomes: they belong to the cluster run they were sent to. */
  clear(): void {
    this.results = [];
  }

  async submit(): Promise<void> {
    const command = this.command;
    if (command.kind === 'empty' || this.busy) return;
    const input = this.text.trim();
    this.busy = true;
    try {
      const result = await this.send(command, input);
      this.results = [result, ...this.results].slice(0, HISTORY);
      if (result.ok) this.text = '';
    } finally {
      this.busy = false;
    }
  }

  private async send(command: Exclude<SubmitCommand, { kind: 'empty' }>, input: string): Promise<SubmitResult> {
    const id = this.nextId++;
    const failed = (summary: string): SubmitResult => ({ id, input, ok: false, summary, index: null, term: null, latencyMs: null, read: null });
    try {
      if (command.kind === 'get') {
        const consistency = this.consistency;
        // The default travels as no argument, as from the CLI.
        const read = consistency === 'linearizable' ? await this.api.getKey(command.key) : await this.api.getKey(command.key, consistency);
        if (!read.ok) return failed(read.error);
        const value = read.value === null ? 'not set' : JSON.stringify(read.value);
        const path = { consistency: read.consistency, readIndex: read.readIndex, appliedIndex: read.appliedIndex };
        return {
          id,
          input,
          ok: true,
          summary: `${command.key} is ${value}: ${describeReadPath(path)} on ${read.node}, in ${formatMs(read.latencyMs)}.`,
          index: null,
          term: null,
          latencyMs: read.latencyMs,
          read: { ...path, node: read.node },
        };
      }
      const write = command.kind === 'put' ? await this.api.putKey(command.key, command.value) : await this.api.submitEntry(command.text);
      if (!write.ok) return failed(write.error);
      return {
        id,
        input,
        ok: true,
        summary: `Committed at index ${write.index}, term ${write.term}, via ${write.node} in ${formatMs(write.latencyMs)}.`,
        index: write.index,
        term: write.term,
        latencyMs: write.latencyMs,
        read: null,
      };
    } catch (error) {
      return failed(errorSentence(error));
    }
  }
}
