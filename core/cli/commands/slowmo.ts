// `raftdesk slowmo DIR 10|off`: slow motion, where the cluster really runs slower. The supervisor
// stretches every node's tick interval by the factor; Raft's timeouts are counted in ticks, so
// elections and heartbeats keep their ratios and can be followed message by message.

import { callControl } from '../../cluster/control.js';
import { CliExit, say } from '../output.js';

export function parseSlowMotion(value: string): number {
  if (value === 'off') return 1;
  const factor = Number(value.replace(/x$/i, ''));
  if (!Number.isInteger(factor) || factor < 1 || factor > 100) throw new CliExit(2, `slowmo takes a whole factor from 1 to 100 (e.g. 10) or "off", not "${value}".`);
  return factor;
}

export async function slowmoCommand(dir: string, value: string): Promise<void> {
  const factor = parseSlowMotion(value);
  await callControl(dir, 'setSlowMotion', [factor]);
  say(factor === 1 ? 'Back to normal speed.' : `Slow motion: every node runs ${factor}× slower (\`slowmo ${dir} off\` to end it).`);
}
