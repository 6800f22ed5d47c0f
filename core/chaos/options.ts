// What an experiment accepts, checked before anything starts, with one sentence per mistake. The
// schema is the one every front door checks (core/api/call-arguments.ts); this is for callers that
// come in through no front door (the CLI's chaos command, tests).

import { checkCallArguments } from '../api/call-arguments.js';
import type { ExperimentOptions } from '../api/experiments.js';
import { UserError } from '../workspace/user-error.js';

export { DEFAULT_NEMESES, EXPERIMENT_LIMITS as LIMITS, NEMESES } from '../api/experiments.js';

export function checkOptions(options: ExperimentOptions): void {
  const checked = checkCallArguments('runExperiment', [options]);
  if (!checked.ok) throw new UserError(checked.sentence);
}
