import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN } from '../../../renderer/lib/connection.js';
import { ConsoleModel } from '../../../renderer/lib/console-model.svelte.js';
import { FakeApi, immediate } from '../fake-api.js';
import { makeEvent } from '../fixtures.js';

describe('ConsoleModel', () => {
  it('starts every cluster run clean: no output, submit outcomes or chart samples of the previous run', async () => {
    const api = new FakeApi();
    const model = new ConsoleModel(api, ALWAYS_OPEN, immediate);
    const stop = model.start();
    api.pushNodeOutput('n7', ['old cluster line']);
    api.pushMetrics({ at: 1000, commitsPerSec: 40, p50Ms: 3, p99Ms: 9 });
    model.submit.text = 'x=1';
    await model.submit.submit();
    expect(model.output.tails.n7).toHaveLength(1);
    expect(model.metrics.samples).toHaveLength(1);
    expect(model.submit.results).toHaveLength(1);

    api.pushEvent(makeEvent(9, { kind: 'cluster-started', node: null, message: 'cluster started' }));
    expect(model.output.tails).toEqual({});
    expect(model.metrics.samples).toEqual([]);
    expect(model.submit.results).toEqual([]);
    stop();
  });
});
