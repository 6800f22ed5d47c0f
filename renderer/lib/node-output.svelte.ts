// Each node's process output, tail-following: a snapshot read on demand, then pushed lines appended.

import type { ConsoleApi, Unsubscribe } from '../../core/api/index.js';
import { errorSentence } from './format.js';
import { batchPerFrame, type Schedule } from './frame-batch.js';
import { formatOutputLine } from './output-format.js';

export const OUTPUT_CAP = 500;
const INITIAL_LINES = 200;

export class NodeOutputStore {
  /** node id → its last lines, formatted once on arrival, oldest first; each array replaced whole. */
  tails = $state.raw<Record<string, string[]>>({});
  node = $state<string | null>(null);
  error = $state<string | null>(null);

  readonly lines: string[] = $derived(this.node ? (this.tails[this.node] ?? []) : []);

  constructor(
    private readonly api: ConsoleApi,
    private readonly schedule?: Schedule,
  ) {}

  connect(): Unsubscribe {
    const offer = batchPerFrame<{ node: string; lines: string[] }>((batch) => {
      const tails = { ...this.tails };
      for (const { node, lines } of batch) tails[node] = capLines([...(tails[node] ?? []), ...lines.map(formatOutputLine)]);
      this.tails = tails;
    }, 2000, this.schedule);
    return this.api.onNodeOutput((node, lines) => offer({ node, lines }));
  }

  /** Forgets every node's lines: a new cluster run (or another workspace) starts clean. */
  clear(): void {
    this.tails = {};
    this.node = null;
    this.error = null;
  }

  /** Shows a node and reloads its tail from the log file, which also covers lines missed while away. */
  async show(node: string): Promise<void> {
    this.node = node;
    try {
      const lines = await this.api.readNodeOutput(node, INITIAL_LINES);
      this.tails = { ...this.tails, [node]: capLines(lines.map(formatOutputLine)) };
      this.error = null;
    } catch (error) {
      this.error = errorSentence(error);
    }
  }
}

function capLines(lines: string[]): string[] {
  return lines.length > OUTPUT_CAP ? lines.slice(lines.length - OUTPUT_CAP) : lines;
}
