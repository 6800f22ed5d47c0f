// report.html: one self-contained page per experiment (no scripts, no network, inline SVG), written
// next to report.json, that a reader opens from the file manager. It shows the verdict and every
// check, each client's operations as a lane (for passing runs too), the write latency over time and
// the leader and term over time, with the periods when a fault was in force shaded throughout.

import type { ExperimentReport, HistoryOpView } from '../api/experiments.js';
import { roundStep, ticksBetween } from '../stats/axis-ticks.js';
import { extent } from '../stats/extent.js';
import { percentile } from '../stats/percentiles.js';
import type { FaultRecord } from './nemesis.js';

export const HTML_REPORT_FILE = 'report.html';

export interface HtmlReportFacts {
  report: ExperimentReport;
  /** Every client operation, final reads included; times in ms since the clients started. */
  ops: readonly HistoryOpView[];
  faults: readonly FaultRecord[];
  /** Leaders elected, ms since the clients started (negative: before). */
  elections: readonly { term: number; node: string; atMs: number }[];
  /** How long the clients ran, ms. */
  runMs: number;
  /** When the experiment started, for the title. */
  startedAt: Date;
}

/** Above this many operations, lanes are drawn as merged runs of pixels rather than one box per operation. */
const MAX_BOXES = 4000;
const WIDTH = 960;
const LEFT = 64;
const RIGHT = 16;
const PLOT = WIDTH - LEFT - RIGHT;
const LANE = 16;

const OUTCOME_COLOURS = { ok: '#3f9d6a', fail: '#d08a2e', info: '#8a8f98' } as const;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

/** Round ticks for an axis from 0 to max, about n of them (a hair past max, so max itself is one when it falls on a step). */
function ticks(max: number, n = 6): number[] {
  if (!(max > 0)) return [0];
  return ticksBetween(0, max + 1e-9, roundStep(max / n)).map((v) => Math.round(v * 1000) / 1000);
}

interface Scale {
  x(ms: number): number;
  endMs: number;
}

function timeScale(facts: HtmlReportFacts): Scale {
  const lastEnd = Math.max(facts.runMs, extent(facts.ops.map((o) => o.endMs ?? o.startMs))?.max ?? 0, 1);
  return { x: (ms) => LEFT + (Math.max(0, Math.min(ms, lastEnd)) / lastEnd) * PLOT, endMs: lastEnd };
}

/** Shaded bands for the faults in force, across a plot of the given height. */
function faultBands(facts: HtmlReportFacts, s: Scale, top: number, height: number, labels: boolean): string {
  return facts.faults
    .filter((f) => f.error === null)
    .map((f) => {
      const x0 = s.x(f.atMs);
      const x1 = s.x(f.untilMs ?? s.endMs);
      // A label as long as its band allows (about 5.6 px a character), whole in the band's tooltip.
      const room = Math.floor((x1 - x0 - 6) / 5.6);
      const text = f.description.length <= room ? f.description : room >= 6 ? `${f.description.slice(0, room - 1)}…` : '';
      const label = labels && text ? `<text x="${x0 + 3}" y="${top + 11}" class="band-label">${esc(text)}</text>` : '';
      return `<rect class="band" x="${x0}" y="${top}" width="${Math.max(1, x1 - x0)}" height="${height}"><title>${esc(f.description)}: ${fmtMs(f.atMs)} – ${f.untilMs != null ? fmtMs(f.untilMs) : 'the end'}</title></rect>${label}`;
    })
    .join('');
}

function timeAxis(s: Scale, y: number): string {
  return ticks(s.endMs / 1000)
    .map((sec) => `<line class="grid" x1="${s.x(sec * 1000)}" x2="${s.x(sec * 1000)}" y1="${y - 4}" y2="${y}"/><text class="tick" x="${s.x(sec * 1000)}" y="${y + 12}" text-anchor="middle">${sec} s</text>`)
    .join('');
}

function lanes(facts: HtmlReportFacts, s: Scale): string {
  const processes = [...new Set(facts.ops.map((o) => o.process))].sort((a, b) => a - b);
  const height = processes.length * LANE + 24;
  const rows = processes.map((p, row) => {
    const y = row * LANE + 2;
    const mine = facts.ops.filter((o) => o.process === p);
    let boxes: string;
    if (facts.ops.length <= MAX_BOXES) {
      boxes = mine
        .map((o) => {
          const x0 = s.x(o.startMs);
          const x1 = o.endMs === null ? s.x(s.endMs) : s.x(o.endMs);
          const what = `${o.f} ${o.key} ${o.input}${o.output !== null ? ` → ${o.output}` : ''} · ${o.outcome} · ${o.endMs === null ? 'never completed' : fmtMs(o.endMs - o.startMs)}`;
          return `<rect class="op ${o.outcome}" data-testid="report-op" data-outcome="${o.outcome}" x="${x0}" y="${y}" width="${Math.max(1.5, x1 - x0)}" height="${LANE - 4}"><title>${esc(what)}</title></rect>`;
        })
        .join('');
    } else {
      // One column per pixel, coloured by its worst outcome (info over fail over ok), runs merged.
      const worst = new Array<number>(PLOT).fill(-1);
      const rank = { ok: 0, fail: 1, info: 2 } as const;
      for (const o of mine) {
        const c0 = Math.floor(s.x(o.startMs) - LEFT);
        const c1 = Math.floor((o.endMs === null ? s.x(s.endMs) : s.x(o.endMs)) - LEFT);
        for (let c = Math.max(0, c0); c <= Math.min(PLOT - 1, c1); c++) worst[c] = Math.max(worst[c]!, rank[o.outcome]);
      }
      const names = ['ok', 'fail', 'info'] as const;
      const parts: string[] = [];
      for (let c = 0; c < PLOT; ) {
        const v = worst[c]!;
        let e = c + 1;
        while (e < PLOT && worst[e] === v) e++;
        if (v >= 0) parts.push(`<rect class="op ${names[v]}" x="${LEFT + c}" y="${y}" width="${e - c}" height="${LANE - 4}"/>`);
        c = e;
      }
      boxes = parts.join('');
    }
    const counts = { ok: 0, fail: 0, info: 0 };
    for (const o of mine) counts[o.outcome]++;
    // The process after the clients is the checker's final reader.
    const name = p >= facts.report.options.clients ? 'final reads' : `client ${p}`;
    return `<g data-testid="report-lane" data-process="${p}"><text class="lane-label" x="${LEFT - 8}" y="${y + LANE - 6}" text-anchor="end">${name}</text><title>${name}: ${counts.ok} ok, ${counts.fail} failed, ${counts.info} unknown</title>${boxes}</g>`;
  });
  return `<svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Operations per client">${faultBands(facts, s, 0, height - 22, false)}${rows.join('')}${timeAxis(s, height - 10)}</svg>`;
}

function latencyChart(facts: HtmlReportFacts, s: Scale): string {
  const height = 200;
  const top = 16;
  const plotH = height - top - 26;
  const bucketMs = Math.max(250, Math.ceil(s.endMs / 120 / 250) * 250);
  const buckets = new Map<number, number[]>();
  for (const o of facts.ops) {
    if (o.outcome !== 'ok' || o.endMs === null) continue;
    const b = Math.floor(o.endMs / bucketMs);
    (buckets.get(b) ?? buckets.set(b, []).get(b)!).push(o.endMs - o.startMs);
  }
  const points = [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([b, l]) => {
      l.sort((x, y) => x - y);
      return { t: (b + 0.5) * bucketMs, p50: percentile(l, 0.5)!, p99: percentile(l, 0.99)! };
    });
  const maxY = Math.max(1, extent(points.map((p) => p.p99))?.max ?? 0) * 1.1;
  const y = (ms: number) => top + plotH - (ms / maxY) * plotH;
  const line = (key: 'p50' | 'p99') => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${s.x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join('');
  const yTicks = ticks(maxY, 4)
    .map((v) => `<line class="grid" x1="${LEFT}" x2="${LEFT + PLOT}" y1="${y(v)}" y2="${y(v)}"/><text class="tick" x="${LEFT - 6}" y="${y(v) + 4}" text-anchor="end">${v} ms</text>`)
    .join('');
  return `<svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Latency over time" data-testid="report-latency">${faultBands(facts, s, top, plotH, true)}${yTicks}<path class="p99" d="${line('p99')}"/><path class="p50" d="${line('p50')}"/>${timeAxis(s, top + plotH + 14)}</svg>`;
}

function leaderChart(facts: HtmlReportFacts, s: Scale): string {
  const height = 150;
  const top = 14;
  const plotH = height - top - 26;
  const elections = [...facts.elections].sort((a, b) => a.atMs - b.atMs);
  const terms = extent(elections.map((e) => e.term));
  const maxTerm = Math.max(1, terms?.max ?? 0);
  const minTerm = Math.min(maxTerm, terms?.min ?? maxTerm);
  const y = (term: number) => top + plotH - ((term - minTerm + 1) / (maxTerm - minTerm + 1)) * plotH;
  let path = '';
  const marks: string[] = [];
  elections.forEach((e, i) => {
    const x = s.x(e.atMs);
    const next = elections[i + 1];
    const xEnd = next ? s.x(next.atMs) : s.x(s.endMs);
    path += `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y(e.term).toFixed(1)}H${xEnd.toFixed(1)}`;
    marks.push(`<circle class="elected" cx="${x}" cy="${y(e.term)}" r="3"><title>${esc(e.node)} elected leader of term ${e.term} at ${fmtMs(e.atMs)}</title></circle><text class="leader-label" x="${x + 4}" y="${y(e.term) - 5}">${esc(e.node)} · t${e.term}</text>`);
  });
  const yTicks = [...new Set([minTerm, maxTerm])]
    .map((t) => `<text class="tick" x="${LEFT - 6}" y="${y(t) + 4}" text-anchor="end">term ${t}</text>`)
    .join('');
  const empty = elections.length === 0 ? `<text class="tick" x="${LEFT + 8}" y="${top + plotH / 2}">No election was reported during the run.</text>` : '';
  return `<svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Leader and term over time" data-testid="report-leaders">${faultBands(facts, s, top, plotH, false)}${yTicks}<path class="term" d="${path}"/>${marks.join('')}${empty}${timeAxis(s, top + plotH + 14)}</svg>`;
}

export function renderHtmlReport(facts: HtmlReportFacts): string {
  const { report } = facts;
  const s = timeScale(facts);
  const o = report.options;
  const verdict = report.ok ? 'Passed' : 'Failed';
  const counts = { ok: 0, fail: 0, info: 0 };
  for (const op of facts.ops) counts[op.outcome]++;
  const checks = report.checks
    .map((c) => `<li data-testid="report-check" data-ok="${c.ok}" class="${c.ok ? 'ok' : 'bad'}"><span class="mark">${c.ok ? '✓' : '✗'}</span><strong>${esc(c.name)}</strong> ${esc(c.detail)}</li>`)
    .join('');
  const faults = facts.faults.length
    ? `<ul class="faults">${facts.faults.map((f) => `<li>${fmtMs(f.atMs)}${f.untilMs != null ? `–${fmtMs(f.untilMs)}` : ''}: ${esc(f.description)}${f.error ? ` <em>(not applied: ${esc(f.error)})</em>` : ''}</li>`).join('')}</ul>`
    : '<p class="muted">No fault was applied.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>raftdesk experiment — ${verdict} — ${esc(facts.startedAt.toISOString())}</title>
<style>
  :root { color-scheme: light dark; --bg: #fbfbfa; --text: #1d2025; --muted: #6b7079; --line: #dcdde0; --ok: ${OUTCOME_COLOURS.ok}; --fail: ${OUTCOME_COLOURS.fail}; --info: ${OUTCOME_COLOURS.info}; --accent: #5a63d8; --band: rgba(208, 80, 60, 0.10); }
  @media (prefers-color-scheme: dark) { :root { --bg: #15171b; --text: #e6e7ea; --muted: #9297a0; --line: #2c2f36; --accent: #9aa2ff; --band: rgba(240, 110, 90, 0.14); } }
  body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.5 system-ui, sans-serif; }
  main { max-width: ${WIDTH + 40}px; margin: 0 auto; padding: 28px 20px 48px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 15px; margin: 28px 0 8px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
  .verdict { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 650; color: #fff; background: var(--ok); }
  .verdict.bad { background: #c2453a; }
  .muted, .meta { color: var(--muted); }
  ul.checks { list-style: none; padding: 0; margin: 0; }
  ul.checks li { padding: 6px 0; border-bottom: 1px solid var(--line); }
  .mark { display: inline-block; width: 1.4em; font-weight: 700; }
  li.ok .mark { color: var(--ok); } li.bad .mark { color: #c2453a; } li.bad strong { color: #c2453a; }
  svg { display: block; max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
  .op.ok { fill: var(--ok); } .op.fail { fill: var(--fail); } .op.info { fill: var(--info); }
  .band { fill: var(--band); } .band-label { fill: var(--muted); font-size: 10px; }
  .grid { stroke: var(--line); } .tick, .lane-label { fill: var(--muted); }
  .p50 { fill: none; stroke: var(--text); stroke-width: 1.5; } .p99 { fill: none; stroke: var(--muted); stroke-dasharray: 4 3; }
  .term { fill: none; stroke: var(--accent); stroke-width: 2; } .elected { fill: var(--accent); } .leader-label { fill: var(--accent); font-size: 10px; }
  .legend span { margin-right: 14px; } .sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
  ul.faults { margin: 0; padding-left: 18px; color: var(--muted); }
</style>
</head>
<body>
<main>
<h1>Experiment <span class="verdict${report.ok ? '' : ' bad'}" data-testid="report-verdict" data-ok="${report.ok}">${verdict}</span></h1>
<p class="meta">${esc(facts.startedAt.toISOString())} · ${o.durationSec} s · ${o.clients} clients · ${o.keys} keys · nemeses ${esc(o.nemeses.join(', ') || 'none')} every ${o.intervalSec} s · seed ${o.seed} · ${report.ops} operations (${counts.ok} ok, ${counts.fail} failed, ${counts.info} unknown)</p>
<h2>Checks</h2>
<ul class="checks">${checks}</ul>
<h2>Operations per client</h2>
<p class="legend muted"><span><i class="sw" style="background:var(--ok)"></i>ok</span><span><i class="sw" style="background:var(--fail)"></i>failed</span><span><i class="sw" style="background:var(--info)"></i>unknown outcome</span><span><i class="sw" style="background:var(--band)"></i>fault in force</span></p>
${lanes(facts, s)}
<h2>Write and read latency over time</h2>
<p class="legend muted"><span>— p50</span><span>- - p99</span><span>successful operations, by completion time</span></p>
${latencyChart(facts, s)}
<h2>Leader and term over time</h2>
${leaderChart(facts, s)}
<h2>Faults</h2>
${faults}
<p class="muted">Files beside this one: report.json, history.jsonl (the history, Jepsen-style), summary.txt.</p>
</main>
</body>
</html>
`;
}
