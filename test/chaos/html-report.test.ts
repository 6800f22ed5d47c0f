// report.html from the facts of a run: verdict, checks, one lane per client (passing runs too),
// faults shaded, leaders over time; self-contained and safe with any key or value.

import { describe, expect, it } from 'vitest';
import type { ExperimentReport, HistoryOpView } from '../../core/api/experiments.js';
import { renderHtmlReport, type HtmlReportFacts } from '../../core/chaos/html-report.js';

function makeReport(overrides: Partial<ExperimentReport> = {}): ExperimentReport {
  return {
    ok: true,
    options: { durationSec: 30, clients: 3, keys: 2, nemeses: ['kill'], intervalSec: 5, seed: 7 },
    ops: 4,
    checks: [
      { name: 'Linearizable', ok: true, detail: 'All 4 operations fit one order.' },
      { name: 'No acknowledged write lost', ok: true, detail: 'Every acknowledged write was read back.' },
    ],
    anomaly: null,
    historyFile: '/tmp/ws/demo/experiments/1/history.jsonl',
    reportFile: '/tmp/ws/demo/experiments/1/report.json',
    ...overrides,
  };
}

function op(process: number, startMs: number, endMs: number | null, outcome: HistoryOpView['outcome'] = 'ok', key = 'x'): HistoryOpView {
  return { process, f: 'write', key, input: '1', output: null, outcome, startMs, endMs };
}

function facts(overrides: Partial<HtmlReportFacts> = {}): HtmlReportFacts {
  return {
    report: makeReport(),
    ops: [op(0, 0, 10), op(1, 5, 30, 'fail'), op(2, 40, null, 'info'), op(0, 50, 60)],
    faults: [{ atMs: 20, description: 'kill n2', error: null, untilMs: 45 }],
    elections: [
      { term: 2, node: 'n1', atMs: -500 },
      { term: 3, node: 'n3', atMs: 30 },
    ],
    runMs: 100,
    startedAt: new Date('2026-12-03T10:00:00Z'),
    ...overrides,
  };
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('the HTML report', () => {
  it('shows the verdict, every check, a lane per client with each operation, the fault and the elections', () => {
    const html = renderHtmlReport(facts());
    expect(html).toContain('data-testid="report-verdict" data-ok="true">Passed<');
    expect(count(html, 'data-testid="report-check"')).toBe(2);
    expect(count(html, 'data-testid="report-lane"')).toBe(3);
    expect(count(html, 'data-testid="report-op"')).toBe(4);
    expect(html).toContain('data-outcome="info"');
    expect(html).toMatch(/class="band"[^>]*><title>kill n2: 20 ms – 45 ms<\/title>/);
    expect(html).toContain('n3 elected leader of term 3 at 30 ms');
  });

  it('is self-contained: no script, no external resource', () => {
    const html = renderHtmlReport(facts());
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
  });

  it('escapes keys, values and fault text', () => {
    const html = renderHtmlReport(facts({ ops: [op(0, 0, 5, 'ok', '<script>alert(1)</script>')], faults: [{ atMs: 1, description: 'a "b" <c>', error: null, untilMs: 2 }] }));
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &quot;b&quot; &lt;c&gt;');
  });

  it('says Failed for a failed run and marks the failing check', () => {
    const report = makeReport({ ok: false, checks: [{ name: 'Linearizable', ok: false, detail: 'No order fits.' }] });
    const html = renderHtmlReport(facts({ report }));
    expect(html).toContain('data-ok="false">Failed<');
    expect(html).toContain('<li data-testid="report-check" data-ok="false" class="bad">');
  });

  it('stays bounded for a long run: lanes merge operations into runs of pixels', () => {
    const ops: HistoryOpView[] = [];
    for (let p = 0; p < 16; p++) for (let i = 0; i < 5000; i++) ops.push(op(p, i * 12, i * 12 + 8, i % 500 === 0 ? 'fail' : 'ok'));
    const html = renderHtmlReport(facts({ ops, runMs: 60_000 }));
    expect(count(html, 'data-testid="report-lane"')).toBe(16);
    expect(html.length).toBeLessThan(2_000_000);
    expect(html).toContain('class="op fail"');
  });

  it('renders a soak of 300,000 operations (143,000 once overflowed the call stack)', () => {
    const ops: HistoryOpView[] = [];
    for (let p = 0; p < 16; p++) for (let i = 0; i < 18_750; i++) ops.push(op(p, i * 16, i * 16 + 9));
    const html = renderHtmlReport(facts({ ops, runMs: 300_000 }));
    expect(count(html, 'data-testid="report-lane"')).toBe(16);
    expect(html).toContain('300 s');
  });
});
