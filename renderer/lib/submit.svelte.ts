// The submit box: what the text means, sending it, and the last few outcomes.

import type { ConsoleApi } from '../../core/api/index.js';
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
}

const HISTORY = 6;

export class SubmitStore {
  text = $state('');
  busy = $state(false);
  results = $state.raw<SubmitResult[]>([]);
  readonly command: SubmitCommand = $derived(parseSubmitInput(this.text));
  readonly latest: SubmitResult | null = $derived(this.results[0] ?? null);

  private nextId = 1;

  constructor(private readonly api: ConsoleApi) {}

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
    const failed = (summary: string): SubmitResult => ({ id, input, ok: false, summary, index: null, term: null, latencyMs: null });
    try {
      if (command.kind === 'get') {
        const read = await this.api.getKey(command.key);
        if (!read.ok) return failed(read.error);
        const value = read.value === null ? 'not set' : JSON.stringify(read.value);
        return { id, input, ok: true, summary: `${command.key} is ${value}, read via ${read.node} in ${formatMs(read.latencyMs)}.`, index: null, term: null, latencyMs: read.latencyMs };
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
      };
    } catch (error) {
      return failed(errorSentence(error));
    }
  }
}
