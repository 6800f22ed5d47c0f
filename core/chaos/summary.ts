// The human-readable account of one experiment (summary.txt, and what `raftdesk chaos` prints).

import type { ExperimentReport } from '../api/experiments.js';
import type { Completion } from './history-recorder.js';
import type { FaultRecord } from './nemesis.js';

export interface SummaryFacts {
  report: ExperimentReport;
  nodes: number;
  /** Seconds the clients ran. */
  runSec: number;
  outcomes: Readonly<Record<Completion, number>>;
  faults: readonly FaultRecord[];
  /** How long healing (with convergence and the final reads) and the checks took; null when they did not run. */
  timings: { healMs: number; checkMs: number } | null;
  cancelled: boolean;
  /** Problems beyond the first of a check, which the report's one-sentence detail leaves out. */
  moreProblems: readonly string[];
}

export function formatSummary(facts: SummaryFacts): string {
  const { report, outcomes } = facts;
  const o = report.options;
  const done = outcomes.ok + outcomes.fail + outcomes.info;
  const rate = facts.runSec > 0 ? Math.round(done / facts.runSec) : 0;
  const lines = [
    `Experiment (seed ${o.seed}): ${facts.nodes} nodes, ${o.clients} clients, ${o.keys} keys, ${o.durationSec} s, ` +
      `${o.nemeses.length > 0 ? `${o.nemeses.join(', ')} every ${o.intervalSec} s` : 'no faults'}.`,
    `Client operations: ${done} in ${facts.runSec.toFixed(1)} s (${rate}/s): ${outcomes.ok} ok, ${outcomes.fail} failed, ${outcomes.info} unknown.`,
    `Faults: ${facts.faults.filter((f) => f.error === null).length} applied.`,
    ...facts.faults.map((f) => `  ${(f.atMs / 1000).toFixed(1).padStart(6)} s  ${f.description}${f.error ? `: not applied (${f.error})` : ''}`),
    ...report.checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`),
    ...facts.moreProblems.map((p) => `      ${p}`),
  ];
  if (report.anomaly) {
    lines.push(`Operations on ${JSON.stringify(report.anomaly.key)} that cannot be ordered:`);
    for (const op of report.anomaly.ops) {
      const span = `${(op.startMs / 1000).toFixed(3)}–${op.endMs === null ? '…' : (op.endMs / 1000).toFixed(3)} s`;
      const input = op.input === '' ? '' : ` ${op.input}`;
      const output = op.output === null ? '' : ` → ${op.output}`;
      lines.push(`  process ${op.process}  ${span}  ${op.f}${input}${output}  ${op.outcome}`);
    }
  }
  if (facts.timings) lines.push(`Healing took ${(facts.timings.healMs / 1000).toFixed(1)} s; the checks took ${(facts.timings.checkMs / 1000).toFixed(1)} s.`);
  lines.push(facts.cancelled ? 'Verdict: cancelled.' : report.ok ? 'Verdict: passed.' : 'Verdict: FAILED.');
  return lines.join('\n') + '\n';
}
