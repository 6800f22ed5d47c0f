import '../dom-stubs.js';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ExperimentVerdict from '../../../renderer/components/ExperimentVerdict.svelte';
import ExperimentsView from '../../../renderer/components/ExperimentsView.svelte';
import { ExperimentStore } from '../../../renderer/lib/experiments.svelte.js';
import { TimelineStore } from '../../../renderer/lib/timeline.svelte.js';
import { FakeApi, immediate } from '../fake-api.js';
import { makeReport } from '../fixtures.js';

const failing = makeReport({
  ok: false,
  checks: [
    { name: 'linearizable', ok: false, detail: 'Key x: a read saw 2 after a write of 3 had completed.' },
    { name: 'no lost writes', ok: true, detail: 'Every acknowledged write was read back.' },
  ],
  anomaly: {
    key: 'x',
    ops: [
      { process: 0, f: 'write', key: 'x', input: '3', output: null, outcome: 'ok', startMs: 100, endMs: 180 },
      { process: 1, f: 'read', key: 'x', input: '', output: '2', outcome: 'ok', startMs: 200, endMs: 240 },
      { process: 2, f: 'write', key: 'x', input: '2', output: null, outcome: 'info', startMs: 90, endMs: null },
      { process: 1, f: 'cas', key: 'x', input: '[2, 5]', output: null, outcome: 'fail', startMs: 250, endMs: 260 },
    ],
  },
});

describe('ExperimentVerdict', () => {
  it('lists every check with ok/failed and its sentence', () => {
    render(ExperimentVerdict, { report: failing });
    expect(screen.getByTestId('experiment-verdict').dataset.ok).toBe('false');
    const checks = screen.getAllByTestId('experiment-check');
    expect(checks.map((c) => c.dataset.ok)).toEqual(['false', 'true']);
    expect(checks[0].textContent).toContain('Key x: a read saw 2 after a write of 3 had completed.');
  });

  it('draws the offending operations on one lane per client, coloured by outcome', () => {
    render(ExperimentVerdict, { report: failing });
    const ops = screen.getAllByTestId('anomaly-op');
    expect(ops.map((o) => [o.dataset.process, o.dataset.outcome])).toEqual([
      ['0', 'ok'],
      ['1', 'ok'],
      ['1', 'fail'],
      ['2', 'info'],
    ]);
    expect(ops[1].textContent).toContain('r x → 2');
    expect(screen.getAllByText(/^client \d$/).map((e) => e.textContent)).toEqual(['client 0', 'client 1', 'client 2']);
    expect(ops[3].classList.contains('open')).toBe(true);
  });

  it('shows no lanes for a passing run', () => {
    render(ExperimentVerdict, { report: makeReport() });
    expect(screen.queryByTestId('anomaly-lanes')).toBeNull();
    expect(screen.getByTestId('experiment-verdict').dataset.ok).toBe('true');
  });
});

describe('ExperimentsView', () => {
  it('runs with the chosen nemeses, shows progress, then the verdict', async () => {
    const api = new FakeApi();
    let finish: (report: typeof failing) => void = () => {};
    api.respond('runExperiment', () => new Promise((resolve) => (finish = resolve)));
    const experiments = new ExperimentStore(api);
    experiments.connect();
    render(ExperimentsView, { experiments, timeline: new TimelineStore(api, immediate), running: true });
    await fireEvent.click(screen.getByTestId('nemesis-delay'));
    await fireEvent.input(screen.getByTestId('experiment-seed'), { target: { value: '42' } });
    await fireEvent.click(screen.getByTestId('experiment-run'));
    expect(api.callsTo('runExperiment')[0][0]).toMatchObject({ nemeses: ['kill', 'partition', 'delay'], seed: 42 });
    api.pushProgress({ phase: 'running', elapsedSec: 10, durationSec: 30, ops: 120, faults: 2 });
    expect((await screen.findByTestId('experiment-progress')).dataset.phase).toBe('running');
    expect(screen.getByTestId('experiment-cancel')).toBeTruthy();
    finish(failing);
    await waitFor(() => expect(screen.getByTestId('experiment-verdict').dataset.ok).toBe('false'));
  });

  it('shows a failed run as one sentence', async () => {
    const api = new FakeApi();
    api.fail('runExperiment', 'An experiment is already running; wait for it or cancel it.');
    render(ExperimentsView, { experiments: new ExperimentStore(api), timeline: new TimelineStore(api, immediate), running: true });
    await fireEvent.click(screen.getByTestId('experiment-run'));
    expect((await screen.findByTestId('experiment-error')).textContent).toBe('An experiment is already running; wait for it or cancel it.');
  });
});
