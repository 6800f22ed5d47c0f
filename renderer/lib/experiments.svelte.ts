// Chaos experiments: the options form, a run with live progress, and its verdict.

import type { ConsoleApi, ExperimentOptions, ExperimentProgress, ExperimentReport, Nemesis, Unsubscribe } from '../../core/api/index.js';
import { errorSentence } from './format.js';

export const NEMESES: readonly { id: Nemesis; label: string; hint: string }[] = [
  { id: 'kill', label: 'Kill', hint: 'SIGKILL a node, then restart it' },
  { id: 'pause', label: 'Pause', hint: 'SIGSTOP a node, then SIGCONT it' },
  { id: 'partition', label: 'Partition', hint: 'split the nodes into two sides' },
  { id: 'delay', label: 'Delay', hint: 'slow one node’s messages' },
  { id: 'member', label: 'Membership', hint: 'add a node, then remove one (the leader too)' },
];

export const DEFAULT_EXPERIMENT: ExperimentOptions = {
  durationSec: 30,
  clients: 5,
  keys: 3,
  nemeses: ['kill', 'partition'],
  intervalSec: 5,
  seed: 1,
};

export class ExperimentStore {
  options = $state.raw<ExperimentOptions>({ ...DEFAULT_EXPERIMENT });
  running = $state(false);
  progress = $state.raw<ExperimentProgress | null>(null);
  report = $state.raw<ExperimentReport | null>(null);
  error = $state<string | null>(null);

  readonly fraction: number = $derived(
    this.progress && this.progress.durationSec > 0 ? Math.min(1, this.progress.elapsedSec / this.progress.durationSec) : 0,
  );

  constructor(private readonly api: ConsoleApi) {}

  connect(): Unsubscribe {
    return this.api.onExperimentProgress((progress) => {
      this.progress = progress;
    });
  }

  set<K extends keyof ExperimentOptions>(key: K, value: ExperimentOptions[K]): void {
    this.options = { ...this.options, [key]: value };
  }

  toggleNemesis(nemesis: Nemesis): void {
    const has = this.options.nemeses.includes(nemesis);
    this.set('nemeses', has ? this.options.nemeses.filter((n) => n !== nemesis) : [...this.options.nemeses, nemesis]);
  }

  randomSeed(random: () => number = Math.random): void {
    this.set('seed', 1 + Math.floor(random() * 999_999));
  }

  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = null;
    this.report = null;
    this.progress = null;
    try {
      this.report = await this.api.runExperiment(this.options);
    } catch (error) {
      this.error = errorSentence(error);
    } finally {
      this.running = false;
    }
  }

  async cancel(): Promise<void> {
    try {
      await this.api.cancelExperiment();
    } catch (error) {
      this.error = errorSentence(error);
    }
  }
}
