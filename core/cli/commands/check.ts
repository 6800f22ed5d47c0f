import { promises as fs } from 'node:fs';
import { runCheck } from '../../check/index.js';
import { CliExit, intOption, say } from '../output.js';

export async function checkCommand(file: string, options: { json?: boolean; timeoutMs?: string }): Promise<void> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new CliExit(2, `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  const outcome = runCheck(text, { timeoutMs: intOption('timeout-ms', options.timeoutMs, 60_000, 1, 24 * 3600 * 1000), now: () => Date.now() });
  if (options.json) say(outcome.json);
  else if (outcome.exitCode === 2) throw new CliExit(2, outcome.summary);
  else say(outcome.summary);
  if (outcome.exitCode !== 0) throw new CliExit(outcome.exitCode);
}
