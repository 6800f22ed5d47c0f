// `raftdesk runs DIR`: the recorded runs of a workspace (DIR/runs/), newest first; and
// `raftdesk trace DIR --svg FILE`: a run's messages between two moments as a spacetime diagram.

import fs from 'node:fs/promises';
import path from 'node:path';
import { findRun, listRuns, readRunForReplay, readRunMessages } from '../../cluster/trace-reader.js';
import { tracesBytes } from '../../cluster/trace-files.js';
import { spacetimeLayout } from '../../trace/spacetime-layout.js';
import { spacetimeSvg } from '../../trace/spacetime-svg.js';
import { DEFAULT_TRACE_MAX_MB } from '../../workspace/definition.js';
import { workspacePaths } from '../../workspace/paths.js';
import { UserError } from '../../workspace/user-error.js';
import { loadDefinition } from '../../workspace/workspace.js';
import { printJson, say } from '../output.js';

const experimentsDir = (dir: string) => path.join(workspacePaths(dir).root, 'experiments');

function clock(at: number): string {
  return new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

export async function runsCommand(dir: string, options: { json?: boolean }): Promise<void> {
  const { definition } = await loadDefinition(dir);
  const paths = workspacePaths(dir);
  const runs = await listRuns(paths.runs, experimentsDir(dir));
  const maxMb = definition.defaults.traceMaxMb ?? DEFAULT_TRACE_MAX_MB;
  const bytes = await tracesBytes(paths.runs);
  if (options.json) {
    printJson({ runs, traceMaxMb: maxMb, tracesBytes: bytes });
    return;
  }
  if (runs.length === 0) {
    say(`No run is recorded in ${paths.runs} yet: every cluster run is recorded from start to stop.`);
    return;
  }
  for (const run of runs) {
    const notes = [run.recording ? 'recording' : '', run.pruned ? 'oldest part pruned' : '', run.experiments.length ? `experiments: ${run.experiments.join(', ')}` : ''].filter(Boolean);
    const seconds = ((run.endedAt - run.startedAt) / 1000).toFixed(1);
    say(`${run.id}  ${clock(run.startedAt)} UTC  ${seconds} s  ${run.nodes.length} nodes  ${(run.bytes / 1024).toFixed(0)} KB${notes.length ? `  (${notes.join('; ')})` : ''}`);
  }
  const total = `${runs.length} ${runs.length === 1 ? 'run' : 'runs'}, ${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  say(maxMb === 0 ? `${total}; recording is off (defaults.traceMaxMb is 0 in cluster.json).` : `${total} of ${maxMb} MB (defaults.traceMaxMb); the oldest records are pruned first.`);
}

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UserError(`${name} must be a number of seconds since the run started, such as 12.5, not "${value}".`);
  return n;
}

export async function traceCommand(dir: string, options: { run?: string; svg?: string; from?: string; to?: string; width?: string }): Promise<void> {
  if (!options.svg) throw new UserError('Say where to write the diagram: --svg FILE (for example --svg election.svg).');
  const paths = workspacePaths(dir);
  const run = await findRun(paths.runs, experimentsDir(dir), options.run ?? null);
  const from = seconds('--from', options.from, 0);
  const to = seconds('--to', options.to, from + 5);
  if (!(to > from)) throw new UserError(`--to (${to} s) must come after --from (${from} s).`);
  const fromAt = run.startedAt + from * 1000;
  const toAt = run.startedAt + to * 1000;
  const { messages, truncated } = await readRunMessages(paths.runs, run.id, fromAt, toAt, 20_000);
  const { records } = await readRunForReplay(paths.runs, experimentsDir(dir), run.id);
  const nodes = [...new Set([...run.nodes, ...records.flatMap((r) => (r.k === 'state' ? r.state.nodes.map((n) => n.id) : []))])];
  const width = Math.max(400, Math.min(20_000, Number(options.width ?? 1400) || 1400));
  const layout = spacetimeLayout({ nodes, messages, from: fromAt, to: toAt, width, origin: run.startedAt });
  await fs.writeFile(options.svg, spacetimeSvg(layout, `${run.cluster}, run ${run.id}, +${from} s to +${to} s`));
  say(`Wrote ${layout.arrows.length} messages of run ${run.id} (+${from} s to +${to} s) to ${options.svg}${truncated ? '; the window held more than 20,000, narrow it for the rest' : ''}.`);
}
