// What an experiment accepts, checked before anything starts, with one sentence per mistake.

import type { ExperimentOptions, Nemesis } from '../api/experiments.js';
import { READ_CONSISTENCIES } from '../api/reads.js';
import { UserError } from '../cluster/workspace.js';

export const NEMESES: readonly Nemesis[] = ['kill', 'pause', 'partition', 'delay'];

export const LIMITS = {
  durationSec: { min: 1, max: 24 * 3600 },
  clients: { min: 1, max: 256 },
  keys: { min: 1, max: 1000 },
  intervalSec: { min: 1, max: 3600 },
} as const;

export function checkOptions(options: ExperimentOptions): void {
  for (const name of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const value = options[name];
    const { min, max } = LIMITS[name];
    if (!Number.isInteger(value) || value < min || value > max) throw new UserError(`The experiment's ${name} must be a whole number from ${min} to ${max}, not ${String(value)}.`);
  }
  if (!Number.isSafeInteger(options.seed)) throw new UserError(`The experiment's seed must be a whole number, not ${String(options.seed)}.`);
  if (options.readConsistency !== undefined && !READ_CONSISTENCIES.includes(options.readConsistency)) {
    throw new UserError(`The experiment's read consistency must be one of ${READ_CONSISTENCIES.join(', ')}, not ${String(options.readConsistency)}.`);
  }
  const unknown = options.nemeses.find((n) => !NEMESES.includes(n));
  if (unknown !== undefined) throw new UserError(`There is no nemesis "${unknown}"; choose among ${NEMESES.join(', ')}.`);
}
